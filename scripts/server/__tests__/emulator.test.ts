import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createAvochatoEmulator, type AvochatoEmulator } from '../emulator/avochato-emulator.js';

let emu: AvochatoEmulator;
let base: string;

before(async () => {
  emu = createAvochatoEmulator({ slowMs: 60_000 });
  base = `http://127.0.0.1:${await emu.listen(0)}`;
});
after(() => emu.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test reads arbitrary JSON
async function whoami(authId: string, secret = 's3cret'): Promise<{ status: number; body: any }> {
  const r = await fetch(`${base}/v1/whoami`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ auth_id: authId, auth_secret: secret }),
  });
  return { status: r.status, body: await r.json() };
}

test('a secret in a URL is refused with 400 on every route and method, and nothing is sent', async () => {
  const urls = [
    `${base}/v1/whoami?auth_id=ABC&auth_secret=s3cret`,
    `${base}/v1/messages?AUTH_SECRET=s3cret`,
    `${base}/v1/anything?auth_secret=`,
  ];
  const before = emu.sent.length;
  for (const url of urls) {
    for (const method of ['GET', 'POST']) {
      const r = await fetch(url, {
        method,
        body: method === 'POST' ? JSON.stringify({ auth_id: 'ABC', phone: '+14155550123', message: 'x' }) : undefined,
      });
      assert.equal(r.status, 400, `${method} ${url}`);
      const body = (await r.json()) as { errors: string[] };
      assert.deepEqual(body.errors, ['auth_secret must be sent in the request body, never in the URL']);
      assert.ok(!JSON.stringify(body).includes('s3cret'), 'the answer never repeats the secret');
    }
  }
  assert.equal(emu.sent.length, before);
});

test('whoami answers 200 with the user and inbox of a good pair', async () => {
  const r = await whoami('ABC123');
  assert.equal(r.status, 200);
  assert.equal(r.body.status, 200);
  assert.equal(typeof r.body.data.user.name, 'string');
  assert.match(r.body.data.account.subdomain, /^inbox-abc123$/);
});

test('FAIL Auth Ids get 401 in Avochato error shape', async () => {
  const r = await whoami('FAIL-1');
  assert.equal(r.status, 401);
  assert.deepEqual(r.body, { status: 401, errors: ['Unauthorized'] });
});

test('missing secret is 401', async () => {
  const r = await fetch(`${base}/v1/whoami`, { method: 'POST', body: JSON.stringify({ auth_id: 'X' }) });
  assert.equal(r.status, 401);
  assert.deepEqual(await r.json(), { status: 401, errors: ['Unauthorized'] });
});

test('FLAKY Auth Ids get 503 twice, then 200', async () => {
  const a = await whoami('FLAKY-7');
  const b = await whoami('FLAKY-7');
  const c = await whoami('FLAKY-7');
  assert.deepEqual([a.status, b.status, c.status], [503, 503, 200]);
  assert.deepEqual(a.body, { status: 503, errors: ['Service Unavailable'] });
});

test('SLOW Auth Ids get no answer before the timeout', async () => {
  const started = Date.now();
  await assert.rejects(
    fetch(`${base}/v1/whoami`, {
      method: 'POST',
      body: JSON.stringify({ auth_id: 'SLOW-1', auth_secret: 'x' }),
      signal: AbortSignal.timeout(300),
    }),
    /TimeoutError|aborted/i,
  );
  assert.ok(Date.now() - started >= 290);
});

test('POST /v1/messages takes credentials in the JSON body and validates the phone', async () => {
  const post = (body: unknown) =>
    fetch(`${base}/v1/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const ok = await post({ auth_id: 'GOOD', auth_secret: 'x', phone: '+14155550123', message: 'Hello' });
  assert.equal(ok.status, 200);
  const okBody = await ok.json();
  assert.equal(okBody.data.messages[0].phone, '+14155550123');
  assert.equal(emu.sent.at(-1)?.message, 'Hello');

  const noAuth = await post({ phone: '+14155550123', message: 'Hello' });
  assert.equal(noAuth.status, 401);
  const fail = await post({ auth_id: 'FAIL9', auth_secret: 'x', phone: '+14155550123', message: 'Hello' });
  assert.deepEqual(await fail.json(), { status: 401, errors: ['Unauthorized'] });
  const badPhone = await post({ auth_id: 'GOOD', auth_secret: 'x', phone: '4155550123', message: 'Hi' });
  assert.equal(badPhone.status, 422);
  const noText = await post({ auth_id: 'GOOD', auth_secret: 'x', phone: '+14155550123' });
  assert.equal(noText.status, 422);
  const media = await post({
    auth_id: 'GOOD',
    auth_secret: 'x',
    phone: '+14155550123',
    media_url: 'https://example.com/a.png',
  });
  assert.equal(media.status, 200);
});

test('unknown routes are 404 in the same shape', async () => {
  const r = await fetch(`${base}/v2/nothing`);
  assert.equal(r.status, 404);
  assert.deepEqual(await r.json(), { status: 404, errors: ['Not Found'] });
});
