/**
 * End-to-end: what Avochato does against the org, over HTTP, with `npm start`'s server (API only):
 * OAuth client credentials with the printed consumer key/secret, push credentials to the Apex REST endpoint,
 * watch them confirm, and invoke the "Send Avochato Message" invocable action.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { localStatus, requestClientCredentialsToken, startServer, type RunningServer } from './server-process.js';

let server: RunningServer;
let token: { access_token: string; instance_url: string; id: string };
const run = Date.now().toString(36).toUpperCase();

before(async () => {
  server = await startServer({ args: ['--api-only'] });
});
after(() => server?.stop());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test reads arbitrary JSON
async function api(path: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const r = await fetch(`${token.instance_url}${path}`, {
    ...init,
    headers: {
      Authorization: `Bearer ${token.access_token}`,
      'Content-Type': 'application/json',
      ...(init.headers ?? {}),
    },
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

test('client credentials: a token for the integration user', async () => {
  const r = await requestClientCredentialsToken(server);
  assert.equal(r.status, 200);
  token = (await r.json()) as typeof token;
  assert.equal(token.instance_url, server.baseUrl);
  assert.match(token.id, /\/id\/00D\w{12,15}\/005\w{12,15}$/);
});

test('without a token the API answers 401 INVALID_SESSION_ID', async () => {
  const r = await fetch(`${server.baseUrl}/services/apexrest/avochato/v1/credentials`);
  assert.equal(r.status, 401);
  assert.deepEqual(await r.json(), [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
});

test('Avochato pushes credentials to the REST endpoint; they confirm in the background', async () => {
  const good = `AVO-API-${run}`;
  const bad = `FAIL-API-${run}`;
  const push = await api('/services/apexrest/avochato/v1/credentials', {
    method: 'POST',
    body: JSON.stringify({
      credentials: [
        {
          authId: good,
          authSecret: `s-${run}`,
          inbox: 'api-sales',
          isDefault: false,
          user: { username: 'ben.okafor@avochato.demo' },
        },
        { authId: bad, authSecret: 'wrong', inbox: 'api-support', user: { email: 'ana.lopez@avochato.demo' } },
        { authId: `AVO-NOBODY-${run}`, authSecret: 'x', user: { username: 'nobody@avochato.demo' } },
      ],
    }),
  });
  assert.ok(
    push.status === 200 || push.status === 201 || push.status === 207,
    `status ${push.status}: ${JSON.stringify(push.body)}`,
  );
  const results = push.body.results as { authId: string; success: boolean; created: boolean; error: string | null }[];
  assert.equal(results.length, 3);
  assert.deepEqual(
    results.map((r) => [r.authId, r.success]),
    [
      [good, true],
      [bad, true],
      [`AVO-NOBODY-${run}`, false],
    ],
  );
  assert.ok(results[2].error, 'an unknown user is reported with a reason');
  assert.ok(!JSON.stringify(push.body).includes(`s-${run}`), 'no secret in the response');

  const deadline = Date.now() + 30_000;
  let statuses: Record<string, string> = {};
  while (Date.now() < deadline) {
    const list = await api('/services/apexrest/avochato/v1/credentials');
    assert.equal(list.status, 200);
    const all = (Array.isArray(list.body) ? list.body : (list.body.credentials ?? list.body.results ?? [])) as {
      authId: string;
      status: string;
    }[];
    statuses = Object.fromEntries(all.map((c) => [c.authId, c.status]));
    if (statuses[good] === 'Confirmed' && statuses[bad] === 'Failed') break;
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.equal(statuses[good], 'Confirmed');
  assert.equal(statuses[bad], 'Failed');
});

test('the "Send Avochato Message" action is listed, described and invoked', async () => {
  const list = await api('/services/data/v62.0/actions/custom/apex');
  assert.equal(list.status, 200);
  const action = (list.body.actions as { label: string; name: string; type: string }[]).find(
    (a) => a.label === 'Send Avochato Message',
  );
  assert.ok(action, `actions: ${JSON.stringify(list.body)}`);
  assert.equal(action.type, 'APEX');
  const describe = await api(`/services/data/v62.0/actions/custom/apex/${action.name}`);
  assert.equal(describe.status, 200);
  assert.ok(
    (describe.body.inputs as { name: string; required: boolean }[]).some((i) => i.name === 'phone' && i.required),
  );

  const sent = await api(`/services/data/v62.0/actions/custom/apex/${action.name}`, {
    method: 'POST',
    body: JSON.stringify({
      inputs: [
        { phone: '+14155550123', message: `Hello from the e2e test ${run}` },
        { phone: 'not-a-phone', message: 'x' },
      ],
    }),
  });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  assert.equal(sent.body.length, 2);
  assert.equal(sent.body[0].isSuccess, true);
  assert.equal(sent.body[0].outputValues.success, true, JSON.stringify(sent.body[0]));
  assert.equal(sent.body[1].outputValues.success, false, 'a bad phone is refused with a reason');
  assert.ok(sent.body[1].outputValues.errorMessage);
  // The message reached Avochato (the local emulator), and the bad phone never left the org.
  const status = await localStatus<{ avochatoSent: { phone: string; message: string }[] | null }>(server);
  if (status.avochatoSent) {
    assert.ok(
      status.avochatoSent.some((m) => m.phone === '+14155550123' && m.message === `Hello from the e2e test ${run}`),
    );
    assert.ok(!status.avochatoSent.some((m) => m.phone === 'not-a-phone'));
  }
});
