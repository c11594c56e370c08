import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulatorThread, type EmulatorHandle } from '../emulator/emulator-handle.js';
import { SyncHttpTransport } from '../http-transport.js';
import { PlatformError } from '../../localorg/core/errors.js';

let emu: EmulatorHandle;
let transport: SyncHttpTransport;

before(async () => {
  emu = await startEmulatorThread({ slowMs: 30_000 });
  transport = new SyncHttpTransport({ avochatoBaseUrl: emu.baseUrl });
});
after(async () => {
  await transport.close();
  await emu.close();
});

const whoami = (authId: string, timeoutMs = 2000) =>
  transport.send({
    method: 'POST',
    url: 'https://www.avochato.com/v1/whoami',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ auth_id: authId, auth_secret: 'x' }),
    timeoutMs,
  });

test('a callout returns synchronously with status, headers and body', () => {
  const r = whoami('SYNC1');
  assert.equal(r.status, 200);
  assert.match(r.headers['content-type'], /application\/json/);
  assert.equal(JSON.parse(r.body).data.account.subdomain, 'inbox-sync1');
});

test('Avochato errors come back as responses, not exceptions', () => {
  const r = whoami('FAIL1');
  assert.equal(r.status, 401);
  assert.deepEqual(JSON.parse(r.body), { status: 401, errors: ['Unauthorized'] });
});

test('POST with a JSON body', () => {
  const r = transport.send({
    method: 'POST',
    url: 'callout:Avochato/v1/messages',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ auth_id: 'A', auth_secret: 'B', phone: '+14155550123', message: 'hi' }),
    timeoutMs: 2000,
  });
  assert.equal(r.status, 200);
});

test('a SLOW credential times out as System.CalloutException: Read timed out', () => {
  const started = Date.now();
  assert.throws(
    () => whoami('SLOW1', 400),
    (e: unknown) =>
      e instanceof PlatformError && e.typeName === 'System.CalloutException' && e.message === 'Read timed out',
  );
  const took = Date.now() - started;
  assert.ok(took >= 390 && took < 3000, `took ${took} ms`);
});

test('an unreachable host is a CalloutException', () => {
  assert.throws(
    () => transport.send({ method: 'GET', url: 'http://127.0.0.1:9/x', headers: {}, body: '', timeoutMs: 1000 }),
    (e: unknown) => e instanceof PlatformError && e.typeName === 'System.CalloutException',
  );
});

test('the callout log never keeps the secret', () => {
  whoami('LOGGED');
  assert.ok(transport.log.every((r) => !/auth_secret=x/.test(r.url)));
});

test('routing: Avochato hosts and callout: URLs go to the configured base; other hosts are untouched', () => {
  const t = new SyncHttpTransport({ avochatoBaseUrl: 'http://127.0.0.1:4010/' });
  try {
    assert.equal(t.route('https://www.avochato.com/v1/whoami?auth_id=A'), 'http://127.0.0.1:4010/v1/whoami?auth_id=A');
    assert.equal(t.route('https://avochato.com/v1/messages'), 'http://127.0.0.1:4010/v1/messages');
    assert.equal(t.route('callout:Avochato/v1/whoami'), 'http://127.0.0.1:4010/v1/whoami');
    assert.equal(t.route('https://example.com/x'), 'https://example.com/x');
  } finally {
    void t.close();
  }
  const real = new SyncHttpTransport();
  try {
    assert.equal(real.route('https://www.avochato.com/v1/whoami'), 'https://www.avochato.com/v1/whoami');
  } finally {
    void real.close();
  }
});
