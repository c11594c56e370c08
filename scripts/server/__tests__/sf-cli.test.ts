/**
 * The standard tools against `npm start` (one server for the whole file): the real `sf` binary logs in with the JWT
 * line the server prints, then `org display`, `data query` with a relationship field, `apex run --file` (success and a
 * runtime failure) and `apex run test --synchronous`; the JWT bearer flow's refusals; and jsforce querying,
 * describing, creating, updating, reading back and deleting a Contact, reading `limits`, and getting the platform's
 * errors. The RunLocalTests run with coverage is in sf-cli-full.test.ts (`npm run test:sf`).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Connection } from 'jsforce';
import {
  assertion,
  jwtToken,
  otherKey,
  ROOT,
  serverKey,
  startSfSession,
  testMethodCount,
  type SfSession,
} from './sf-harness.js';
import { NO_PERMISSION_USERNAME } from '../org/demo-data.js';

const RUN = Date.now().toString(36);
const ADMIN = 'admin@localorg.test';
let s: SfSession;
let orgId = '';

const arg = (name: string): string => s.loginArgs[s.loginArgs.indexOf(name) + 1];
const keyFile = (): string => path.resolve(ROOT, arg('--jwt-key-file'));
const inFuture = () => Math.floor(Date.now() / 1000) + 300;

async function tokenFor(username: string): Promise<string> {
  const t = await jwtToken(
    s.server.baseUrl,
    assertion(serverKey(keyFile()), { iss: arg('--client-id'), sub: username, aud: s.server.baseUrl, exp: inFuture() }),
  );
  assert.equal(t.status, 200, JSON.stringify(t.body));
  return t.body.access_token;
}

const connection = async (username = ADMIN) =>
  new Connection({ instanceUrl: s.server.baseUrl, accessToken: await tokenFor(username), version: '62.0' });

/** The errorCode of a rejected jsforce call. */
async function errorOf(p: PromiseLike<unknown>): Promise<{ errorCode: string; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { errorCode?: string; name?: string; message: string };
    return { errorCode: err.errorCode ?? err.name ?? '', message: err.message };
  }
  assert.fail('expected the call to fail');
}

before(async () => {
  s = await startSfSession();
});
after(async () => {
  await s?.close();
});

test('npm start prints an sf org login jwt line whose key file is private', () => {
  assert.deepEqual(s.loginArgs.slice(0, 3), ['org', 'login', 'jwt']);
  assert.equal(arg('--instance-url'), s.server.baseUrl);
  assert.equal(arg('--username'), ADMIN);
  assert.equal(fs.statSync(keyFile()).mode & 0o777, 0o600);
  assert.match(
    fs.readFileSync(path.join(ROOT, '.gitignore'), 'utf8'),
    /^\.tmp\/$/m,
    'the key lives in git-ignored .tmp/',
  );
});

test('sf org login jwt with the printed line, then sf org display and sf org list', async () => {
  const login = await s.sf(s.loginArgs);
  assert.equal(login.code, 0, JSON.stringify(login.json));
  assert.equal(login.json.result?.username, ADMIN);
  assert.equal(login.json.result?.instanceUrl, s.server.baseUrl);
  orgId = String(login.json.result?.orgId);
  assert.match(orgId, /^00D[A-Za-z0-9]{15}$/);

  const display = await s.sf(['org', 'display', '--target-org', 'localorg']);
  assert.equal(display.code, 0, JSON.stringify(display.json));
  assert.equal(display.json.result?.connectedStatus, 'Connected');
  assert.equal(display.json.result?.id, orgId);
  assert.equal(display.json.result?.username, ADMIN);
  assert.equal(display.json.result?.apiVersion, '62.0');

  const list = await s.sf(['org', 'list']);
  assert.equal(list.code, 0, JSON.stringify(list.json));
  const orgs = (list.json.result as { nonScratchOrgs: { alias?: string; username: string; connectedStatus: string }[] })
    .nonScratchOrgs;
  assert.deepEqual(
    orgs.map((o) => [o.alias, o.username, o.connectedStatus]),
    [['localorg', ADMIN, 'Connected']],
  );
});

test('sf data query with a relationship field runs as the user', async () => {
  const r = await s.sf([
    'data',
    'query',
    '--target-org',
    'localorg',
    '--query',
    `SELECT Username, Profile.Name FROM User WHERE Username IN ('${ADMIN}', '${NO_PERMISSION_USERNAME}') ORDER BY Username`,
  ]);
  assert.equal(r.code, 0, JSON.stringify(r.json));
  const records = (r.json.result as { records: { Username: string; Profile: { Name: string } }[]; totalSize: number })
    .records;
  assert.deepEqual(
    records.map((x) => [x.Username, x.Profile.Name]),
    [
      [ADMIN, 'System Administrator'],
      [NO_PERMISSION_USERNAME, 'Standard User'],
    ],
  );
  assert.deepEqual(Object.keys(records[0]), ['attributes', 'Username', 'Profile'], 'only the selected fields');
});

test('sf apex run --file commits, returns the debug log, and reports a runtime failure', async () => {
  const ok = path.join(s.home, 'ok.apex');
  fs.writeFileSync(
    ok,
    `insert new Account(Name = 'sf-cli ${RUN}');\nInteger n = [SELECT COUNT() FROM Account WHERE Name = 'sf-cli ${RUN}'];\nSystem.debug('accounts: ' + n);\n`,
  );
  const r = await s.sf(['apex', 'run', '--target-org', 'localorg', '--file', ok]);
  assert.equal(r.code, 0, JSON.stringify(r.json));
  assert.equal(r.json.result?.success, true);
  assert.equal(r.json.result?.compiled, true);
  assert.match(String(r.json.result?.logs), /\|USER_DEBUG\|\[3\]\|DEBUG\|accounts: 1\n/);

  const bad = path.join(s.home, 'bad.apex');
  fs.writeFileSync(bad, 'Integer zero = 0;\nInteger x = 1 / zero;\n');
  const f = await s.sf(['apex', 'run', '--target-org', 'localorg', '--file', bad]);
  assert.notEqual(f.code, 0);
  assert.equal(f.json.name, 'executeRuntimeFailure');
  assert.match(String(f.json.message), /System\.MathException: Divide by 0/);

  // Both runs left their debug logs as ApexLog rows, newest first, as `sf apex get log` reads them.
  const logs = await s.sf(['apex', 'get', 'log', '--target-org', 'localorg', '--number', '2']);
  assert.equal(logs.code, 0, JSON.stringify(logs.json));
  const bodies = (logs.json.result as unknown as { log: string }[]).map((l) => l.log);
  assert.equal(bodies.length, 2);
  assert.match(bodies[0], /FATAL_ERROR\|System\.MathException: Divide by 0/);
  assert.match(bodies[1], /\|USER_DEBUG\|\[3\]\|DEBUG\|accounts: 1/);
});

test('sf apex run test --synchronous --class-names runs the class in the local org', async () => {
  const r = await s.sf([
    'apex',
    'run',
    'test',
    '--target-org',
    'localorg',
    '--synchronous',
    '--class-names',
    'AvochatoCredentialVault_Tests',
  ]);
  assert.equal(r.code, 0, JSON.stringify(r.json).slice(0, 2000));
  const result = r.json.result as {
    summary: { outcome: string; testsRan: number; failing: number };
    tests: { Outcome: string; ApexClass: { Id: string; Name: string } }[];
  };
  assert.equal(result.summary.outcome, 'Passed');
  assert.equal(result.summary.testsRan, testMethodCount('AvochatoCredentialVault_Tests'));
  assert.ok(result.tests.every((t) => t.Outcome === 'Pass' && t.ApexClass.Name === 'AvochatoCredentialVault_Tests'));
  assert.match(result.tests[0].ApexClass.Id, /^01p/);

  const missing = await s.sf([
    'apex',
    'run',
    'test',
    '-o',
    'localorg',
    '--synchronous',
    '--class-names',
    'NoSuchTests',
  ]);
  assert.notEqual(missing.code, 0);
  assert.match(String(missing.json.message), /No test class named 'NoSuchTests'/);
});

test('the JWT bearer flow refuses a bad signature, a wrong audience, an expired assertion and an unknown user', async () => {
  const iss = arg('--client-id');
  const aud = s.server.baseUrl;
  const key = serverKey(keyFile());
  const cases: [string, string][] = [
    [assertion(otherKey(), { iss, sub: ADMIN, aud, exp: inFuture() }), 'invalid assertion'],
    [assertion(key, { iss, sub: ADMIN, aud: 'https://login.salesforce.com', exp: inFuture() }), 'audience is invalid'],
    [assertion(key, { iss, sub: ADMIN, aud, exp: Math.floor(Date.now() / 1000) - 60 }), 'expired authorization code'],
    [
      assertion(key, { iss, sub: `nobody-${RUN}@localorg.test`, aud, exp: inFuture() }),
      "user hasn't approved this consumer",
    ],
  ];
  for (const [jwt, description] of cases) {
    const r = await jwtToken(s.server.baseUrl, jwt);
    assert.equal(r.status, 400);
    assert.deepEqual(r.body, { error: 'invalid_grant', error_description: description });
  }
  const wrongClient = await jwtToken(
    s.server.baseUrl,
    assertion(key, { iss: '3MVGnope', sub: ADMIN, aud, exp: inFuture() }),
  );
  assert.deepEqual(wrongClient.body, { error: 'invalid_client_id', error_description: 'client identifier invalid' });
  const ok = await jwtToken(s.server.baseUrl, assertion(key, { iss, sub: ADMIN, aud, exp: inFuture() }));
  assert.equal(ok.status, 200);
  assert.equal(ok.body.refresh_token, undefined, 'the JWT bearer flow issues no refresh token');
});

test('jsforce queries, describes, creates, updates, reads back and deletes a Contact, and reads limits', async () => {
  const conn = await connection();
  const accounts = await conn.query<{ Id: string; Name: string }>(
    `SELECT Id, Name FROM Account WHERE Name = 'sf-cli ${RUN}'`,
  );
  assert.equal(accounts.totalSize, 1, 'the account sf apex run inserted is there');
  const accountId = accounts.records[0].Id;

  const describe = await conn.sobject('Contact').describe();
  assert.equal(describe.name, 'Contact');
  assert.equal(describe.keyPrefix, '003');
  const lastName = describe.fields.find((f) => f.name === 'LastName')!;
  assert.equal(lastName.nillable, false);
  assert.equal(lastName.createable, true);
  assert.ok(describe.fields.some((f) => f.name === 'AccountId' && f.referenceTo?.includes('Account')));
  const global = await conn.describeGlobal();
  assert.ok(global.sobjects.some((o) => o.name === 'Avochato_API_Credential__c'));

  const created = await conn.sobject('Contact').create({ LastName: `Rivera ${RUN}`, AccountId: accountId });
  assert.ok(created.success);
  assert.match(created.id, /^003/);
  const updated = await conn.sobject('Contact').update({ Id: created.id, Title: 'Buyer' });
  assert.ok(updated.success);
  const back = (await conn.sobject('Contact').retrieve(created.id)) as unknown as Record<string, unknown>;
  assert.equal(back.Title, 'Buyer');
  assert.equal(back.LastName, `Rivera ${RUN}`);
  const joined = await conn.query<{ Account: { Name: string } }>(
    `SELECT Account.Name FROM Contact WHERE Id = '${created.id}'`,
  );
  assert.equal(joined.records[0].Account.Name, `sf-cli ${RUN}`);

  const missingName = await errorOf(conn.sobject('Contact').create({ FirstName: 'No last name' }).then(checkSaved));
  assert.equal(missingName.errorCode, 'REQUIRED_FIELD_MISSING');

  const deleted = await conn.sobject('Contact').destroy(created.id);
  assert.ok(deleted.success);
  const gone = await errorOf(conn.sobject('Contact').retrieve(created.id));
  assert.equal(gone.errorCode, 'NOT_FOUND');
  const all = await conn.query<{ IsDeleted: boolean }>(`SELECT IsDeleted FROM Contact WHERE Id = '${created.id}'`, {
    scanAll: true,
  });
  assert.deepEqual(
    all.records.map((r) => r.IsDeleted),
    [true],
    'queryAll sees the deleted row',
  );

  const limits = (await conn.limits()) as unknown as Record<string, { Max: number; Remaining: number }>;
  assert.equal(limits.DailyApiRequests.Max, 15000);
  assert.ok(limits.DailyApiRequests.Remaining < 15000, 'the requests of this test were counted');
});

test('Tooling executeAnonymous runs as the user; query pages with nextRecordsUrl; jsforce autoFetch reads every page', async () => {
  const conn = await connection();
  const exec = await fetch(
    `${s.server.baseUrl}/services/data/v62.0/tooling/executeAnonymous/?anonymousBody=${encodeURIComponent(
      `List<Account> rows = new List<Account>();\nfor (Integer i = 0; i < 450; i++) rows.add(new Account(Name = 'page ${RUN} ' + i));\ninsert rows;`,
    )}`,
    { headers: { Authorization: `Bearer ${conn.accessToken}` } },
  );
  const body = (await exec.json()) as { success: boolean; compiled: boolean };
  assert.equal(exec.status, 200);
  assert.deepEqual([body.compiled, body.success], [true, true]);

  const soql = encodeURIComponent(`SELECT Name FROM Account WHERE Name LIKE 'page ${RUN} %'`);
  const pages: number[] = [];
  let next: string | undefined = `/services/data/v62.0/query?q=${soql}`;
  const names = new Set<string>();
  while (next) {
    const r = await fetch(`${s.server.baseUrl}${next}`, {
      headers: { Authorization: `Bearer ${conn.accessToken}`, 'Sforce-Query-Options': 'batchSize=200' },
    });
    const page = (await r.json()) as {
      totalSize: number;
      done: boolean;
      nextRecordsUrl?: string;
      records: { Name: string }[];
    };
    assert.equal(page.totalSize, 450);
    pages.push(page.records.length);
    for (const x of page.records) names.add(x.Name);
    next = page.done ? undefined : page.nextRecordsUrl;
  }
  assert.deepEqual(pages, [200, 200, 50]);
  assert.equal(names.size, 450, 'every row exactly once');

  const all = await conn.query(`SELECT Id FROM Account WHERE Name LIKE 'page ${RUN} %'`, {
    autoFetch: true,
    maxFetch: 1000,
  });
  assert.equal(all.records.length, 450);

  // A cursor belongs to the user who ran the query.
  const first = (await (
    await fetch(`${s.server.baseUrl}/services/data/v62.0/query?q=${soql}`, {
      headers: { Authorization: `Bearer ${conn.accessToken}`, 'Sforce-Query-Options': 'batchSize=200' },
    })
  ).json()) as { nextRecordsUrl: string };
  const other = await connection(NO_PERMISSION_USERNAME);
  const stolen = await fetch(`${s.server.baseUrl}${first.nextRecordsUrl}`, {
    headers: { Authorization: `Bearer ${other.accessToken}` },
  });
  assert.equal(stolen.status, 400);
  assert.equal(((await stolen.json()) as { errorCode: string }[])[0].errorCode, 'INVALID_QUERY_LOCATOR');
});

/** jsforce resolves a failed single-record save with success=false; turn it into the platform error. */
function checkSaved(r: { success: boolean; errors?: unknown[] }): void {
  if (!r.success) {
    const e = (r.errors?.[0] ?? {}) as { errorCode?: string; statusCode?: string; message?: string };
    throw Object.assign(new Error(e.message ?? 'save failed'), { errorCode: e.errorCode ?? e.statusCode });
  }
}

test('userinfo; REST errors: INVALID_SESSION_ID 401, MALFORMED_QUERY and INVALID_FIELD 400, NOT_FOUND 404, access', async () => {
  const base = `${s.server.baseUrl}/services/data/v62.0`;
  const token = await tokenFor(ADMIN);
  const get = async (p: string, t = token) => {
    const r = await fetch(`${base}${p}`, { headers: { Authorization: `Bearer ${t}` } });
    return { status: r.status, body: (await r.json()) as { errorCode: string; message: string }[] };
  };
  const expired = await get('/query?q=SELECT+Id+FROM+Contact', 'not-a-token');
  assert.equal(expired.status, 401);
  assert.deepEqual(expired.body, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
  const malformed = await get('/query?q=SELEC+Id+FROM+Contact');
  assert.equal(malformed.status, 400);
  assert.equal(malformed.body[0].errorCode, 'MALFORMED_QUERY');
  const badField = await get('/query?q=SELECT+Nope__c+FROM+Contact');
  assert.equal(badField.status, 400);
  assert.equal(badField.body[0].errorCode, 'INVALID_FIELD');
  assert.match(badField.body[0].message, /No such column 'Nope__c' on entity 'Contact'/);
  const info = await fetch(`${s.server.baseUrl}/services/oauth2/userinfo`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  const me = (await info.json()) as { preferred_username: string; organization_id: string; user_id: string };
  assert.equal(me.preferred_username, ADMIN);
  assert.equal(me.organization_id, orgId);
  assert.match(me.user_id, /^005/);
  const noRecord = await get('/sobjects/Contact/003000000000000AAA');
  assert.equal(noRecord.status, 404);
  assert.equal(noRecord.body[0].errorCode, 'NOT_FOUND');

  // A user without the Avochato permission sets cannot see the credential object at all; nor update another user.
  const sam = await connection(NO_PERMISSION_USERNAME);
  const hidden = await errorOf(sam.query('SELECT Id FROM Avochato_API_Credential__c'));
  assert.equal(hidden.errorCode, 'INVALID_TYPE');
  const admin = (await sam.query<{ Id: string }>(`SELECT Id FROM User WHERE Username = '${ADMIN}'`)).records[0];
  const r = await fetch(`${base}/sobjects/User/${admin.Id}`, {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${sam.accessToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ Title: 'Hacked' }),
  });
  const body = (await r.json()) as { errorCode: string }[];
  assert.equal(body[0].errorCode, 'INSUFFICIENT_ACCESS_OR_READONLY');
  assert.equal(r.status, 403);
});
