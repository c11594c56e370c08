import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { AppServer } from '../http/app-server.js';
import { newConnectedApp } from '../http/oauth.js';
import { FakeOrg, FAKE_ORG_ID } from './fake-org.js';

let org: FakeOrg;
let app: AppServer;
let base: string;
let integrationId: string;
const connected = newConnectedApp('');

before(async () => {
  org = new FakeOrg();
  integrationId = org.addUser('integration@avochato.demo', 'Avochato Integration', undefined, [
    'Avochato_Sync_Credentials',
    'Avochato_Send_Messages',
  ]);
  connected.runAsUserId = integrationId;
  org.actions = [
    {
      className: 'SendAvochatoMessageAction',
      label: 'Send Avochato Message',
      description: 'Sends an SMS through Avochato',
      category: 'Avochato',
      inputs: [
        { name: 'phone', label: 'Phone', description: 'E.164', type: 'String', required: true },
        { name: 'message', label: 'Message', description: 'Text', type: 'String', required: false },
        { name: 'recordIds', label: 'Records', description: '', type: 'List<Id>', required: false },
      ],
      outputs: [{ name: 'success', label: 'Success', description: '', type: 'Boolean' }],
    },
  ];
  org.invocableHandler = (_c, inputs) => ({
    ok: true,
    debug: [],
    value: inputs.map((i) => ({ success: true, messageId: `m-${String(i.phone)}` })),
  });
  org.restHandler = (req, userId) => {
    org.enqueue();
    return {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ path: req.path, method: req.method, userId, echo: req.body }),
    };
  };
  org.auraHandlers.set('Ctl.ok', (params) => ({ ok: true, value: { got: params }, debug: [] }));
  org.auraHandlers.set('Ctl.boom', () => ({
    ok: false,
    debug: [],
    error: {
      typeName: 'System.AuraHandledException',
      message: 'You need the Avochato admin permission.',
      stackTrace: 'Class.Ctl.boom: line 3, column 1',
    },
  }));
  app = new AppServer({ org, connectedApp: connected, jobPump: { afterCallMs: 20, pollMs: 60_000 } });
  base = `http://127.0.0.1:${await app.listen(0)}`;
});
after(() => app.close());

const form = (o: Record<string, string>) => new URLSearchParams(o).toString();
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test reads arbitrary JSON
async function token(params: Record<string, string>): Promise<{ status: number; body: any }> {
  const r = await fetch(`${base}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form(params),
  });
  return { status: r.status, body: await r.json() };
}
const clientCredentials = () =>
  token({ grant_type: 'client_credentials', client_id: connected.clientId, client_secret: connected.clientSecret });

test('client_credentials gives a token for the integration user, in the platform shape', async () => {
  const { status, body } = await clientCredentials();
  assert.equal(status, 200);
  for (const k of ['access_token', 'instance_url', 'id', 'token_type', 'issued_at', 'signature'])
    assert.equal(typeof body[k], 'string', k);
  assert.equal(body.token_type, 'Bearer');
  assert.equal(body.instance_url, base);
  assert.ok(body.id.endsWith(`/${FAKE_ORG_ID}/${integrationId}`), body.id);
  assert.equal(body.refresh_token, undefined, 'client credentials flow issues no refresh token');
  assert.match(body.issued_at, /^\d{13}$/);
  const expected = createHmac('sha256', connected.clientSecret)
    .update(body.id + body.issued_at)
    .digest('base64');
  assert.equal(body.signature, expected);
});

test('client credentials are also accepted with HTTP Basic', async () => {
  const r = await fetch(`${base}/services/oauth2/token`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${Buffer.from(`${connected.clientId}:${connected.clientSecret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials',
  });
  assert.equal(r.status, 200);
});

test('token errors use the OAuth error shape', async () => {
  assert.deepEqual(
    await token({ grant_type: 'client_credentials', client_id: connected.clientId, client_secret: 'nope' }),
    {
      status: 400,
      body: { error: 'invalid_client', error_description: 'invalid client credentials' },
    },
  );
  assert.deepEqual(await token({ grant_type: 'client_credentials', client_id: 'unknown', client_secret: 'x' }), {
    status: 400,
    body: { error: 'invalid_client_id', error_description: 'client identifier invalid' },
  });
  assert.deepEqual(
    await token({
      grant_type: 'password',
      client_id: connected.clientId,
      client_secret: connected.clientSecret,
      username: 'a',
      password: 'b',
    }),
    {
      status: 400,
      body: { error: 'unsupported_grant_type', error_description: 'grant type not supported' },
    },
  );
  assert.deepEqual(
    await token({
      grant_type: 'refresh_token',
      client_id: connected.clientId,
      client_secret: connected.clientSecret,
      refresh_token: 'bogus',
    }),
    {
      status: 400,
      body: { error: 'invalid_grant', error_description: 'expired access/refresh token' },
    },
  );
});

// The web-server flow (login, consent, PKCE, refresh, revoke): oauth-web-server-flow.test.ts.

test('missing or bad tokens get 401 INVALID_SESSION_ID', async () => {
  const shape = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];
  for (const [path, auth] of [
    ['/services/apexrest/avochato/v1/credentials', undefined],
    ['/services/apexrest/avochato/v1/credentials', 'Bearer nope'],
    ['/services/data/v62.0/actions/custom/apex', undefined],
    ['/services/data/v62.0/actions/custom/apex/SendAvochatoMessageAction', 'Bearer 00D!bad'],
  ] as const) {
    const r = await fetch(base + path, { headers: auth ? { Authorization: auth } : {} });
    assert.equal(r.status, 401, path);
    assert.deepEqual(await r.json(), shape);
  }
});

test('apexrest calls the org as the token user, and its jobs run shortly after', async () => {
  const { body } = await clientCredentials();
  // Jobs enqueued by earlier tests may still be waiting for the pump: let them run first.
  for (const end = Date.now() + 5000; org.pendingJobs() > 0 && Date.now() < end;)
    await new Promise((res) => setTimeout(res, 20));
  const before = org.jobsRun;
  const r = await fetch(`${base}/services/apexrest/avochato/v1/credentials?x=1`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${body.access_token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ credentials: [] }),
  });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type')!, /application\/json/);
  const out = await r.json();
  assert.deepEqual(out, {
    path: '/avochato/v1/credentials',
    method: 'POST',
    userId: integrationId,
    echo: '{"credentials":[]}',
  });
  const deadline = Date.now() + 5000;
  while (org.jobsRun === before && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
  assert.equal(org.jobsRun, before + 1);
});

test('invocable actions: list, describe, invoke with the platform shapes', async () => {
  const { body } = await clientCredentials();
  const h = { Authorization: `Bearer ${body.access_token}`, 'Content-Type': 'application/json' };
  const list = await (await fetch(`${base}/services/data/v62.0/actions/custom/apex`, { headers: h })).json();
  assert.deepEqual(list, {
    actions: [
      {
        label: 'Send Avochato Message',
        name: 'SendAvochatoMessageAction',
        type: 'APEX',
        url: '/services/data/v62.0/actions/custom/apex/SendAvochatoMessageAction',
      },
    ],
  });
  const d = await (
    await fetch(`${base}/services/data/v62.0/actions/custom/apex/SendAvochatoMessageAction`, { headers: h })
  ).json();
  assert.equal(d.name, 'SendAvochatoMessageAction');
  assert.equal(d.type, 'APEX');
  assert.equal(d.label, 'Send Avochato Message');
  assert.deepEqual(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test reads arbitrary JSON
    d.inputs.map((i: any) => [i.name, i.type, i.required, i.maxOccurs]),
    [
      ['phone', 'STRING', true, 1],
      ['message', 'STRING', false, 1],
      ['recordIds', 'ID', false, 2000],
    ],
  );
  const inv = await fetch(`${base}/services/data/v62.0/actions/custom/apex/SendAvochatoMessageAction`, {
    method: 'POST',
    headers: h,
    body: JSON.stringify({
      inputs: [
        { phone: '+14155550123', message: 'a' },
        { phone: '+14155550124', message: 'b' },
      ],
    }),
  });
  assert.equal(inv.status, 200);
  assert.deepEqual(await inv.json(), [
    {
      actionName: 'SendAvochatoMessageAction',
      errors: null,
      isSuccess: true,
      outputValues: { success: true, messageId: 'm-+14155550123' },
      version: 1,
    },
    {
      actionName: 'SendAvochatoMessageAction',
      errors: null,
      isSuccess: true,
      outputValues: { success: true, messageId: 'm-+14155550124' },
      version: 1,
    },
  ]);
  assert.equal(org.calls.at(-1)?.userId, integrationId);

  const missing = await fetch(`${base}/services/data/v62.0/actions/custom/apex/SendAvochatoMessageAction`, {
    method: 'POST',
    headers: h,
    body: JSON.stringify({ inputs: [{ message: 'x' }] }),
  });
  assert.equal(missing.status, 400);
  const mj = await missing.json();
  assert.equal(mj[0].isSuccess, false);
  assert.equal(mj[0].errors[0].statusCode, 'REQUIRED_FIELD_MISSING');

  const bad = await fetch(`${base}/services/data/v62.0/actions/custom/apex/SendAvochatoMessageAction`, {
    method: 'POST',
    headers: h,
    body: '{"nope":1}',
  });
  assert.equal(bad.status, 400);
  assert.equal((await bad.json())[0].errorCode, 'JSON_PARSER_ERROR');

  const unknown = await fetch(`${base}/services/data/v62.0/actions/custom/apex/NoSuchAction`, { headers: h });
  assert.equal(unknown.status, 404);
  assert.equal((await unknown.json())[0].errorCode, 'NOT_FOUND');
});

test('an exception in an invocable action is reported per input', async () => {
  const saved = org.invocableHandler;
  org.invocableHandler = () => ({
    ok: false,
    debug: [],
    error: {
      typeName: 'System.NullPointerException',
      message: 'Attempt to de-reference a null object',
      stackTrace: '',
    },
  });
  try {
    const { body } = await clientCredentials();
    const r = await fetch(`${base}/services/data/v62.0/actions/custom/apex/SendAvochatoMessageAction`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${body.access_token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ inputs: [{ phone: '+1' }] }),
    });
    assert.equal(r.status, 400);
    assert.deepEqual(await r.json(), [
      {
        actionName: 'SendAvochatoMessageAction',
        errors: [
          {
            statusCode: 'UNKNOWN_EXCEPTION',
            message: 'System.NullPointerException: Attempt to de-reference a null object',
            fields: [],
          },
        ],
        isSuccess: false,
        outputValues: null,
        version: 1,
      },
    ]);
  } finally {
    org.invocableHandler = saved;
  }
});

test('identity URL answers for the token user', async () => {
  const { body } = await clientCredentials();
  const r = await fetch(body.id, { headers: { Authorization: `Bearer ${body.access_token}` } });
  assert.equal(r.status, 200);
  const j = await r.json();
  assert.equal(j.user_id, integrationId);
  assert.equal(j.username, 'integration@avochato.demo');
});

test('the browser Apex bridge: result, Aura-like error shape, 401 without a session', async () => {
  const admin = app.users.admin();
  const { accessToken } = app.oauth.issue(admin.id);
  const call = (methodName: string, auth = `Bearer ${accessToken}`) =>
    fetch(`${base}/__local/apex`, {
      method: 'POST',
      headers: { Authorization: auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ className: 'Ctl', methodName, params: { a: 1 } }),
    });
  const ok = await call('ok');
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { returnValue: { got: { a: 1 } } });
  assert.equal(org.calls.at(-1)?.userId, admin.id);
  const boom = await call('boom');
  assert.equal(boom.status, 500);
  assert.deepEqual(await boom.json(), {
    message: 'You need the Avochato admin permission.',
    exceptionType: 'System.AuraHandledException',
    isUserDefinedException: false,
    stackTrace: '',
  });
  const anon = await call('ok', 'Bearer nope');
  assert.equal(anon.status, 401);
});

test('custom permissions of a user come from FeatureManagement.checkPermission', () => {
  const admin = app.users.admin();
  assert.deepEqual(app.users.customPermissions(admin.id), ['Avochato_Manage_Credentials', 'Avochato_Send_Messages']);
  assert.deepEqual(app.users.customPermissions(integrationId), ['Avochato_Send_Messages', 'Avochato_Sync_Credentials']);
});
