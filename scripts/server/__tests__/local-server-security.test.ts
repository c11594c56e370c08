/**
 * Issue 10, finding 7: no web page can drive the local server. DNS rebinding (Host), a start-up key before any
 * session, frames and scripts (headers), diagnostics behind the operator's cookie, malformed input (400 without
 * internals), tokens and codes that expire and are purged, no token in a URL.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AppServer } from '../http/app-server.js';
import { newConnectedApp } from '../http/oauth.js';
import { rawRequest, startTestServer, type RawResponse, type TestServer } from './test-server.js';

const KEY = 'test-startup-key-0123456789';
let server: TestServer;
let app: AppServer;
let base: string;
let port: number;
let clock = Date.now();
const connected = newConnectedApp('');

before(async () => {
  const restHandler = () => {
    throw new Error('internal detail: TypeError at /srv/secret/path.ts:12');
  };
  server = await startTestServer(connected, restHandler, { startupKey: KEY, now: () => clock });
  ({ app, base, port } = server);
});
after(() => server.close());

/** A raw request, so the Host header can be anything. */
const raw = (p: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> =>
  rawRequest(port, p, headers, method);

async function operatorCookie(): Promise<string> {
  const r = await raw(`/lightning/n/Avochato_Setup?key=${KEY}`);
  assert.equal(r.status, 303);
  return String(r.headers['set-cookie']).split(';')[0];
}

test('DNS rebinding: another Host gets 421 and no session; 127.0.0.1:PORT and localhost:PORT are answered', async () => {
  const cookie = await operatorCookie();
  for (const host of ['attacker.example', `attacker.example:${port}`, '127.0.0.1', `127.0.0.1:${port + 1}`]) {
    const r = await raw('/lightning/n/Avochato_Setup?as=integration@avochato.demo', { Host: host, Cookie: cookie });
    assert.equal(r.status, 421, host);
    assert.ok(!r.body.includes('accessToken'), `no token for Host ${host}`);
  }
  const token = await raw('/services/oauth2/token', { Host: 'attacker.example' }, 'POST');
  assert.equal(token.status, 421, 'the OAuth endpoints too');
  for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
    const r = await raw('/lightning/n/Avochato_Setup', { Host: host, Cookie: cookie });
    assert.equal(r.status, 200, host);
  }
});

test('no session is minted before the start-up key: the page, ?as= and diagnostics want the cookie', async () => {
  const minted = app.oauth.held().accessTokens;
  for (const p of [
    '/lightning/n/Avochato_Setup',
    '/lightning/n/Avochato_Setup?as=integration@avochato.demo',
    '/__local/status',
    '/lightning/setup/AsyncApexJobs/home',
  ]) {
    const r = await raw(p);
    assert.equal(r.status, 401, p);
    assert.ok(!r.body.includes('accessToken'), p);
    assert.match(r.body, /Open the URL npm start printed/);
  }
  assert.equal(app.oauth.held().accessTokens, minted, 'nothing minted');
  const wrong = await raw('/lightning/n/Avochato_Setup?key=not-the-key');
  assert.equal(wrong.status, 403);
  assert.equal(wrong.headers['set-cookie'], undefined);
});

test('the key is traded for an HttpOnly SameSite=Strict cookie, and the URL loses the key', async () => {
  const r = await raw(`/lightning/n/Avochato_Setup?as=sam.viewer%40avochato.demo&key=${KEY}`);
  assert.equal(r.status, 303);
  assert.equal(r.headers.location, '/lightning/n/Avochato_Setup?as=sam.viewer%40avochato.demo');
  const cookie = String(r.headers['set-cookie']);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.ok(!cookie.includes(KEY), 'the cookie is not the key itself');
  const page = await raw(r.headers.location!, { Cookie: cookie.split(';')[0] });
  assert.equal(page.status, 200);
  assert.match(page.body, /"username":"sam.viewer@avochato.demo"/);
});

test('frames are refused and scripts run only with the page nonce', async () => {
  const r = await raw('/lightning/n/Avochato_Setup', { Cookie: await operatorCookie() });
  assert.equal(r.headers['x-frame-options'], 'DENY');
  const csp = String(r.headers['content-security-policy']);
  assert.match(csp, /frame-ancestors 'none'/);
  const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(csp)?.[1];
  assert.ok(nonce, csp);
  assert.ok(r.body.includes(`<script nonce="${nonce}">window.__LOCAL_ORG__`), 'the inline context carries it');
  const api = await raw('/services/data');
  assert.equal(api.headers['x-frame-options'], 'DENY', 'every answer, not only pages');
});

test('the status page needs the operator cookie', async () => {
  assert.equal((await raw('/__local/status')).status, 401);
  const r = await raw('/__local/status', { Cookie: await operatorCookie() });
  assert.equal(r.status, 200);
  assert.ok('pendingJobs' in (JSON.parse(r.body) as object));
});

test('malformed input gets 400 without the server internals', async () => {
  const cookie = await operatorCookie();
  for (const p of ['/assets/%', '/assets/%E0%A4%A', '/slds/%zz']) {
    const r = await raw(p, { Cookie: cookie });
    assert.equal(r.status, 400, p);
    assert.doesNotMatch(r.body, /URIError|decodeURIComponent|at .*\.ts/, p);
  }
  for (const basic of [
    Buffer.from(`${connected.clientId}:%zz`).toString('base64'),
    Buffer.from('no colon here').toString('base64'),
    '%%%',
  ]) {
    const r = await fetch(`${base}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${basic}` },
      body: 'grant_type=client_credentials',
    });
    assert.equal(r.status, 400, basic);
    const body = (await r.json()) as { error: string };
    assert.ok(['invalid_client', 'invalid_client_id'].includes(body.error), JSON.stringify(body));
  }
  // An unexpected failure is a 500 that says so, and keeps its message and stack to the server's log.
  const t = (await (
    await fetch(`${base}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: connected.clientId,
        client_secret: connected.clientSecret,
      }).toString(),
    })
  ).json()) as { access_token: string };
  const boom = await fetch(`${base}/services/apexrest/x`, { headers: { Authorization: `Bearer ${t.access_token}` } });
  assert.equal(boom.status, 500);
  assert.doesNotMatch(await boom.text(), /internal detail|secret\/path/);
});

test('page sessions expire and are purged; so are authorization codes', async () => {
  const cookie = await operatorCookie();
  app.oauth.sweep();
  const before = app.oauth.held().accessTokens;
  for (let i = 0; i < 5; i++) await raw('/lightning/n/Avochato_Setup', { Cookie: cookie });
  assert.equal(app.oauth.held().accessTokens, before + 5);
  clock += 2 * 60 * 60 * 1000 + 1;
  await raw('/lightning/n/Avochato_Setup', { Cookie: cookie });
  assert.equal(app.oauth.held().accessTokens, 1, 'the expired page sessions are gone');

  app.oauth.issueCode(connected.runAsUserId, 'https://console.example/callback');
  assert.equal(app.oauth.held().codes, 1);
  clock += 15 * 60 * 1000 + 1;
  app.oauth.issue(connected.runAsUserId);
  assert.equal(app.oauth.held().codes, 0, 'an expired code is purged');
});

test('the event stream takes the browser cookie, never a token in its URL', async () => {
  const { accessToken } = app.oauth.issue(connected.runAsUserId);
  const byToken = await raw(`/__local/events?channel=%2Fevent%2FX__e&access_token=${accessToken}`);
  assert.equal(byToken.status, 401, 'a token in the query string opens nothing');
  const cookie = await operatorCookie();
  const stream = await new Promise<{ status: number; type: string }>((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path: '/__local/events?channel=%2Fevent%2FX__e', headers: { Cookie: cookie } },
      (res) => {
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']) });
        res.destroy();
      },
    );
    req.on('error', reject);
  });
  assert.equal(stream.status, 200);
  assert.match(stream.type, /text\/event-stream/);
});
