/**
 * The Avochato console in the emulator: behind the start-up key and the Host check like the org's pages, and
 * Generate Credentials without a connection says it did not sync (the connected flow is in scripts/e2e).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createAvochatoEmulator, type AvochatoEmulator } from '../emulator/avochato-emulator.js';
import { rawRequest, type RawResponse } from './test-server.js';

const KEY = 'console-key-0123456789abcdef';
let emulator: AvochatoEmulator;
let port: number;

before(async () => {
  emulator = createAvochatoEmulator();
  port = await emulator.listen(0);
  emulator.enableConsole({
    startupKey: KEY,
    orgUrl: 'http://127.0.0.1:1',
    clientId: 'id',
    clientSecret: 'secret',
    users: [{ name: 'Ben Okafor', email: 'ben.okafor@avochato.demo' }],
  });
});
after(() => emulator.close());

const get = (p: string, headers: Record<string, string> = {}, method = 'GET', body = ''): Promise<RawResponse> =>
  rawRequest(port, p, headers, method, body);

test('the console wants the start-up key and a loopback Host; the API routes are unchanged', async () => {
  assert.equal((await get('/integrations')).status, 401);
  assert.equal((await get(`/integrations?key=${KEY}`, { Host: 'attacker.example' })).status, 421);
  const r = await get(`/integrations?key=${KEY}`);
  assert.equal(r.status, 303);
  const cookie = String(r.headers['set-cookie']).split(';')[0];
  const page = await get('/integrations', { Cookie: cookie });
  assert.equal(page.status, 200);
  assert.equal(page.headers['x-frame-options'], 'DENY');
  assert.equal((page.body.match(/Not connected<\/span>/g) ?? []).length, 2);
  assert.match(page.body, />Connect Production</);
  assert.match(page.body, />Connect Sandbox</);
  const api = await get('/v1/whoami', { 'Content-Type': 'application/json' }, 'POST', '{}');
  assert.equal(api.status, 401, 'the Avochato API answers as before');
});

test('Generate Credentials without a connection shows the credential once and says it did not sync', async () => {
  const cookie = String((await get(`/integrations?key=${KEY}`)).headers['set-cookie']).split(';')[0];
  const r = await get(
    '/settings/api-access/generate',
    { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
    'POST',
    'user=0&inbox=sales',
  );
  assert.equal(r.status, 200);
  assert.match(r.body, /data-field="auth-id">AVO-[0-9A-F]{12}</);
  assert.match(r.body, /data-field="auth-secret">[A-Za-z0-9_-]{32}</);
  assert.match(r.body, /Not synced: Avochato is not connected to Salesforce/);
  const again = await get('/settings/api-access', { Cookie: cookie });
  assert.doesNotMatch(again.body, /auth-secret/, 'the secret is shown once');
  const forged = await get(
    '/settings/api-access/generate',
    { Cookie: cookie, Origin: 'http://attacker.example', 'Content-Type': 'application/x-www-form-urlencoded' },
    'POST',
    'user=0',
  );
  assert.equal(forged.status, 403);
});
