/**
 * `npm start -- --data DIR` with the real local org (API only): the first start seeds and saves on exit, the second
 * loads the saved org (no new demo users or credentials; the integration user is found in the saved data), and a
 * corrupt file stops the start with one line.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { requestClientCredentialsToken, ROOT, startServer, type RunningServer } from '../../e2e/server-process.js';
import { SAVED_ORG_FILE } from '../org/persistence.js';
import { ORG_FILE } from '../../localorg/database/persist.js';

const run = Date.now().toString(36).toUpperCase();
const SECRET = `persisted-secret-${run}`;
let dir = '';
let dataDir = '';

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'start-data-'));
  dataDir = path.join(dir, 'org');
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Credential {
  recordId?: string;
  id?: string;
  authId: string;
  status: string;
}

async function client(server: RunningServer) {
  const t = await requestClientCredentialsToken(server);
  assert.equal(t.status, 200);
  const token = (await t.json()) as { access_token: string; id: string };
  const api = async (p: string, init: RequestInit = {}) => {
    const r = await fetch(`${server.baseUrl}/services/apexrest/avochato/v1/credentials${p}`, {
      ...init,
      headers: { Authorization: `Bearer ${token.access_token}`, 'Content-Type': 'application/json' },
    });
    return { status: r.status, body: (await r.json()) as unknown };
  };
  const list = async (): Promise<Credential[]> => {
    const r = await api('');
    assert.equal(r.status, 200);
    const b = r.body as Credential[] | { credentials?: Credential[]; results?: Credential[] };
    return Array.isArray(b) ? b : (b.credentials ?? b.results ?? []);
  };
  return { identity: new URL(token.id).pathname, api, list };
}

const args = () => ['--api-only', '--users', '2', '--data', dataDir];

test('first start seeds and saves on exit; the second loads the saved org and adds nothing', async () => {
  const first = await startServer({ args: args() });
  let identity = '';
  let before: Credential[] = [];
  try {
    assert.match(first.output(), /no saved org in .* yet/);
    assert.match(first.output(), /seeded \d+ users, \d+ credentials/);
    const c = await client(first);
    identity = c.identity;
    const push = await c.api('', {
      method: 'POST',
      body: JSON.stringify({
        credentials: [{ authId: `PERSIST-${run}`, authSecret: SECRET, user: { username: 'ben.okafor@avochato.demo' } }],
      }),
    });
    assert.ok(push.status < 300, JSON.stringify(push.body));
    const deadline = Date.now() + 30_000;
    for (;;) {
      before = await c.list();
      if (before.find((x) => x.authId === `PERSIST-${run}`)?.status === 'Confirmed') break;
      assert.ok(Date.now() < deadline, 'the pushed credential is confirmed');
      await new Promise((r) => setTimeout(r, 300));
    }
  } finally {
    await first.stop();
  }
  assert.match(first.output(), /saved the org in .*org\.json \(\d/);
  const file = path.join(dataDir, SAVED_ORG_FILE);
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  assert.ok(!fs.readFileSync(file, 'utf8').includes(SECRET), 'the secret is saved encrypted only');

  const second = await startServer({ args: args() });
  try {
    assert.match(second.output(), /loaded the org saved in .*org\.json/);
    assert.match(second.output(), /found the saved demo users, 0 added, no credentials added/);
    const c = await client(second);
    assert.equal(c.identity, identity, 'the same integration user (found in the saved data)');
    const after = await c.list();
    const key = (x: Credential) => `${x.authId}/${x.status}/${x.recordId ?? x.id ?? ''}`;
    assert.deepEqual(after.map(key).sort(), before.map(key).sort(), 'the same credentials, no demo duplicates');
  } finally {
    await second.stop();
  }
  assert.match(second.output(), /the org in .* is up to date|saved the org in /);
});

test('a SIGKILL right after a 200 push loses nothing: every pushed credential is there after restart, and its confirmation resumes', async () => {
  const crashDir = path.join(dir, 'crash');
  const crashArgs = ['--api-only', '--users', '2', '--data', crashDir];
  const username = 'ben.okafor@avochato.demo';
  const authIds: string[] = [];
  const server = await startServer({ args: crashArgs });
  try {
    const c = await client(server);
    // Five transactions of four credentials each; the server is killed as soon as the last one is answered 200,
    // before the job pump (250 ms after a call) runs the last confirmation job.
    for (let batch = 0; batch < 5; batch++) {
      const credentials = Array.from({ length: 4 }, (_, i) => {
        const authId = `KILL-${run}-${batch}-${i}`;
        authIds.push(authId);
        return { authId, authSecret: `${SECRET}-${batch}-${i}`, inbox: `kill-${batch}-${i}`, user: { username } };
      });
      const push = await c.api('', { method: 'POST', body: JSON.stringify({ credentials }) });
      assert.equal(push.status, 200, JSON.stringify(push.body));
    }
  } finally {
    await server.stop('SIGKILL');
  }
  assert.doesNotMatch(server.output(), /saved the org in /, 'killed: nothing saved on exit');
  for (const f of fs.readdirSync(crashDir))
    assert.equal(fs.statSync(path.join(crashDir, f)).mode & 0o777, 0o600, `${f} is private to its owner`);
  assert.ok(
    fs.readdirSync(crashDir).every((f) => !fs.readFileSync(path.join(crashDir, f), 'utf8').includes(SECRET)),
    'secrets are on disk encrypted only',
  );

  const again = await startServer({ args: crashArgs });
  try {
    assert.match(again.output(), /loaded the org saved in .*org\.json \(.*, [1-9]\d* journal record\(s\) replayed/);
    assert.match(again.output(), /[1-9]\d* queued job\(s\) restored/, 'the last confirmation job was still queued');
    const c = await client(again);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const mine = (await c.list()).filter((x) => authIds.includes(x.authId));
      assert.deepEqual(mine.map((x) => x.authId).sort(), [...authIds].sort(), 'every credential answered 200 is there');
      if (mine.every((x) => x.status === 'Confirmed')) break;
      assert.ok(
        Date.now() < deadline,
        `confirmations resume after the restart: ${mine.map((x) => x.status).join(', ')}`,
      );
      await new Promise((r) => setTimeout(r, 300));
    }
  } finally {
    await again.stop();
  }
});

test('a corrupt saved org: one line, exit 1, the file is left alone', () => {
  const bad = path.join(dir, 'bad');
  fs.mkdirSync(bad);
  fs.writeFileSync(path.join(bad, SAVED_ORG_FILE), '{"format": 1, "kind": "localorg-data", "tab');
  const r = spawnSync(
    path.join(ROOT, 'node_modules', '.bin', 'tsx'),
    [path.join(ROOT, 'scripts', 'server', 'start.ts'), '--api-only', '--port', '0', '--data', bad],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, PORT: '' }, timeout: 120_000 },
  );
  assert.equal(r.status, 1);
  assert.match(
    r.stderr.trim(),
    /^npm start: load the saved org failed: .*org\.json is corrupt \(not valid JSON: .*\)$/,
  );
  assert.equal(fs.readFileSync(path.join(bad, SAVED_ORG_FILE), 'utf8'), '{"format": 1, "kind": "localorg-data", "tab');
});

test('the server and the local org name the same file', () => {
  assert.equal(SAVED_ORG_FILE, ORG_FILE);
});
