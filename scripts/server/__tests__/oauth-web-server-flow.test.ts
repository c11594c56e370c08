/**
 * Issue 11 item 3: the org's login and consent pages and the web-server flow around them, as the platform behaves:
 * exact callback URL (no open redirect), PKCE, the refresh grant's client secret per the connected app, rotating
 * refresh tokens, expiring access tokens, revoke for both kinds; `?as=` only for an admin's browser session.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { AppServer } from '../http/app-server.js';
import { newConnectedApp, pkceChallenge } from '../http/oauth.js';
import { readConnectedAppSettings } from '../org/connected-app-metadata.js';
import type { FakeOrg } from './fake-org.js';
import { startTestServer, type TestServer } from './test-server.js';

const KEY = 'flow-test-key-abcdefghijklmnop';
const CALLBACK = 'http://127.0.0.1:4999/integrations/salesforce/callback';
const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
let server: TestServer;
let org: FakeOrg;
let base: string;
let integrationId: string;
let clock = Date.now();
const connected = newConnectedApp('', { label: 'Avochato Integration', callbackUrls: [CALLBACK] });

before(async () => {
  const restHandler: FakeOrg['restHandler'] = (_req, userId) => ({
    status: 200,
    headers: {},
    body: JSON.stringify({ userId }),
  });
  server = await startTestServer(connected, restHandler, { startupKey: KEY, now: () => clock, sessionMinutes: 30 });
  ({ org, base, integrationId } = server);
});
after(() => server.close());

/** A browser: keeps cookies, follows nothing by itself. */
class Browser {
  cookies = new Map<string, string>();
  async get(url: string): Promise<Response> {
    return this.keep(
      await fetch(url.startsWith('http') ? url : base + url, { headers: this.header(), redirect: 'manual' }),
    );
  }
  async post(url: string, form: Record<string, string>): Promise<Response> {
    return this.keep(
      await fetch(base + url, {
        method: 'POST',
        headers: { ...this.header(), 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
        redirect: 'manual',
      }),
    );
  }
  private header(): Record<string, string> {
    return this.cookies.size ? { Cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {};
  }
  private keep(r: Response): Response {
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return r;
  }
  async operator(): Promise<this> {
    assert.equal((await this.get(`/lightning/n/Avochato_Setup?key=${KEY}`)).status, 303);
    return this;
  }
}

const hiddenFields = (html: string): Record<string, string> =>
  Object.fromEntries(
    [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [
      m[1],
      m[2]
        .replace(/&amp;/g, '&')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>'),
    ]),
  );

function authorizeUrl(extra: Record<string, string> = {}): string {
  return `/services/oauth2/authorize?${new URLSearchParams({
    response_type: 'code',
    client_id: connected.clientId,
    redirect_uri: CALLBACK,
    state: 'st-123',
    ...extra,
  }).toString()}`;
}

/** Login as `username`, then Allow or Deny; returns the redirect to the callback. */
async function consent(
  b: Browser,
  username: string,
  choice: 'allow' | 'deny',
  extra: Record<string, string> = {},
): Promise<URL> {
  let page = await b.get(authorizeUrl(extra));
  assert.equal(page.status, 200);
  let html = await page.text();
  if (!html.includes('Allow Access?')) {
    assert.match(html, /<label[^>]*for="username">Username<\/label>/);
    assert.match(html, />Log In<\/button>/);
    const loggedIn = await b.post('/services/oauth2/authorize', { ...hiddenFields(html), username });
    assert.equal(loggedIn.status, 303);
    page = await b.get(loggedIn.headers.get('location')!);
    html = await page.text();
  }
  assert.match(html, new RegExp(`allow access for <span id="username">${username}</span>`));
  assert.match(html, /Allow Access\?/);
  assert.match(html, /Avochato Integration<\/strong> is asking to:/);
  assert.match(html, /Access and manage your data \(api\)/);
  assert.match(html, /Perform requests on your behalf at any time/);
  assert.match(String(page.headers.get('content-security-policy')), /form-action 'self' http:\/\/127\.0\.0\.1:4999/);
  const done = await b.post('/services/oauth2/authorize', { ...hiddenFields(html), action: choice });
  assert.equal(done.status, 302);
  return new URL(done.headers.get('location')!);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test reads arbitrary JSON
async function token(params: Record<string, string>): Promise<{ status: number; body: any }> {
  const r = await fetch(`${base}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  return { status: r.status, body: await r.json() };
}

const codeGrant = (code: string, extra: Record<string, string> = {}) =>
  token({
    grant_type: 'authorization_code',
    code,
    client_id: connected.clientId,
    client_secret: connected.clientSecret,
    redirect_uri: CALLBACK,
    ...extra,
  });

const apexRest = (accessToken: string) =>
  fetch(`${base}/services/apexrest/avochato/v1/credentials`, { headers: { Authorization: `Bearer ${accessToken}` } });

test('the shipped connected app: its callback URL and isSecretRequiredForRefreshToken come from its metadata', () => {
  const s = readConnectedAppSettings(ROOT);
  assert.equal(s.label, 'Avochato Integration');
  assert.ok(s.callbackUrls.length >= 1 && s.callbackUrls.every((u) => /^https?:\/\//.test(u)), String(s.callbackUrls));
  assert.equal(s.secretRequiredForRefresh, true);
});

test('login, consent, Allow: a code for the logged-in user, sent to the callback with the state', async () => {
  const b = await new Browser().operator();
  const back = await consent(b, 'integration@avochato.demo', 'allow');
  assert.equal(back.origin + back.pathname, CALLBACK);
  assert.equal(back.searchParams.get('state'), 'st-123');
  const first = await codeGrant(back.searchParams.get('code')!);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.ok(first.body.id.endsWith(`/${integrationId}`));
  assert.equal(typeof first.body.refresh_token, 'string');
  assert.equal((await codeGrant(back.searchParams.get('code')!)).body.error, 'invalid_grant', 'a code is used once');
});

test('Deny sends access_denied to the callback', async () => {
  const back = await consent(await new Browser().operator(), 'integration@avochato.demo', 'deny');
  assert.equal(back.searchParams.get('error'), 'access_denied');
  assert.equal(back.searchParams.get('state'), 'st-123');
  assert.equal(back.searchParams.get('code'), null);
});

test('an unknown username stays on the login page with the platform message', async () => {
  const b = await new Browser().operator();
  const html = await (await b.get(authorizeUrl())).text();
  const r = await b.post('/services/oauth2/authorize', { ...hiddenFields(html), username: 'nobody@avochato.demo' });
  assert.equal(r.status, 200);
  assert.match(await r.text(), /Please check your username/);
});

test('redirect_uri must be the callback URL exactly: no open redirect', async () => {
  const b = await new Browser().operator();
  for (const uri of [
    'https://attacker.example/steal',
    `${CALLBACK}/`,
    `${CALLBACK}?x=1`,
    CALLBACK.replace('4999', '5000'),
    CALLBACK.replace('127.0.0.1', 'localhost'),
  ]) {
    const r = await b.get(authorizeUrl({ redirect_uri: uri }));
    assert.equal(r.status, 400, uri);
    assert.equal(r.headers.get('location'), null, `${uri}: no redirect`);
    assert.match(await r.text(), /redirect_uri_mismatch/);
  }
  const badClient = await b.get(authorizeUrl({ client_id: 'nope' }));
  assert.equal(badClient.status, 400);
  assert.match(await badClient.text(), /invalid_client_id/);
  // The token endpoint also wants the same redirect_uri as the authorization.
  const back = await consent(b, 'integration@avochato.demo', 'allow');
  const mismatch = await codeGrant(back.searchParams.get('code')!, { redirect_uri: 'https://attacker.example/steal' });
  assert.equal(mismatch.body.error, 'redirect_uri_mismatch');
});

test('without the start-up cookie the login page is not shown', async () => {
  const r = await new Browser().get(authorizeUrl());
  assert.equal(r.status, 401);
  assert.doesNotMatch(await r.text(), /Log In/);
});

test('PKCE: the code needs the verifier of its challenge', async () => {
  const b = await new Browser().operator();
  const verifier = randomBytes(32).toString('base64url');
  const challenge = { code_challenge: pkceChallenge(verifier), code_challenge_method: 'S256' };
  const c1 = (await consent(b, 'integration@avochato.demo', 'allow', challenge)).searchParams.get('code')!;
  assert.deepEqual((await codeGrant(c1)).body, { error: 'invalid_grant', error_description: 'invalid code verifier' });
  const c2 = (await consent(b, 'integration@avochato.demo', 'allow', challenge)).searchParams.get('code')!;
  assert.equal((await codeGrant(c2, { code_verifier: `${verifier}x` })).body.error, 'invalid_grant');
  const c3 = (await consent(b, 'integration@avochato.demo', 'allow', challenge)).searchParams.get('code')!;
  assert.equal((await codeGrant(c3, { code_verifier: verifier })).status, 200);
  const plain = await b.get(authorizeUrl({ code_challenge: 'abc', code_challenge_method: 'plain' }));
  assert.equal(new URL(plain.headers.get('location')!).searchParams.get('error'), 'invalid_request');
});

test('refresh: the secret is required (isSecretRequiredForRefreshToken), tokens rotate, access tokens expire', async () => {
  const b = await new Browser().operator();
  const first = (await codeGrant((await consent(b, 'integration@avochato.demo', 'allow')).searchParams.get('code')!))
    .body;
  assert.equal((await apexRest(first.access_token)).status, 200);

  const noSecret = await token({
    grant_type: 'refresh_token',
    client_id: connected.clientId,
    refresh_token: first.refresh_token,
  });
  assert.deepEqual(noSecret.body, { error: 'invalid_client', error_description: 'invalid client credentials' });

  clock += 30 * 60 * 1000 + 1; // --session-minutes 30
  const expired = await apexRest(first.access_token);
  assert.equal(expired.status, 401);
  assert.deepEqual(await expired.json(), [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);

  const refresh = (rt: string) =>
    token({
      grant_type: 'refresh_token',
      client_id: connected.clientId,
      client_secret: connected.clientSecret,
      refresh_token: rt,
    });
  const second = await refresh(first.refresh_token);
  assert.equal(second.status, 200);
  assert.equal(typeof second.body.refresh_token, 'string');
  assert.notEqual(second.body.refresh_token, first.refresh_token, 'a new refresh token each time');
  assert.equal((await apexRest(second.body.access_token)).status, 200);
  assert.deepEqual((await refresh(first.refresh_token)).body, {
    error: 'invalid_grant',
    error_description: 'expired access/refresh token',
  });
  assert.equal((await refresh(second.body.refresh_token)).status, 200);
});

test('the refresh grant without a secret works when the connected app says it is not required', async () => {
  const relaxed = newConnectedApp(integrationId, { callbackUrls: [CALLBACK], secretRequiredForRefresh: false });
  const other = new AppServer({ org, connectedApp: relaxed, startupKey: KEY });
  const otherBase = `http://127.0.0.1:${await other.listen(0)}`;
  try {
    const code = other.oauth.issueCode(integrationId, CALLBACK);
    const post = async (params: Record<string, string>) =>
      (await fetch(`${otherBase}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
      }).then((r) => r.json())) as Record<string, string>;
    const t = await post({
      grant_type: 'authorization_code',
      code,
      client_id: relaxed.clientId,
      client_secret: relaxed.clientSecret,
      redirect_uri: CALLBACK,
    });
    const r = await post({ grant_type: 'refresh_token', client_id: relaxed.clientId, refresh_token: t.refresh_token });
    assert.equal(typeof r.access_token, 'string', JSON.stringify(r));
  } finally {
    await other.close();
  }
});

test('revoke: an access token, or a refresh token with the access tokens it gave', async () => {
  const b = await new Browser().operator();
  const t = (await codeGrant((await consent(b, 'integration@avochato.demo', 'allow')).searchParams.get('code')!)).body;
  const revoke = (tok: string) =>
    fetch(`${base}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tok }).toString(),
    });
  const r2 = (
    await token({
      grant_type: 'refresh_token',
      client_id: connected.clientId,
      client_secret: connected.clientSecret,
      refresh_token: t.refresh_token,
    })
  ).body;
  assert.equal((await revoke(t.access_token)).status, 200);
  assert.equal((await apexRest(t.access_token)).status, 401);
  assert.equal((await apexRest(r2.access_token)).status, 200, 'other access tokens live on');
  assert.equal((await revoke(r2.refresh_token)).status, 200);
  assert.equal((await apexRest(r2.access_token)).status, 401, 'the refresh token took its access tokens along');
  const again = await token({
    grant_type: 'refresh_token',
    client_id: connected.clientId,
    client_secret: connected.clientSecret,
    refresh_token: r2.refresh_token,
  });
  assert.equal(again.body.error, 'invalid_grant');
  assert.equal((await revoke('unknown')).status, 400);
});

test('?as= is for an admin: a browser logged in as another user sees its own page and cannot switch', async () => {
  const b = await new Browser().operator();
  const admin = await b.get('/lightning/n/Avochato_Setup?as=sam.viewer%40avochato.demo');
  assert.equal(admin.status, 200, 'the operator (admin) may view as another user');
  await consent(b, 'sam.viewer@avochato.demo', 'deny');
  const own = await b.get('/lightning/n/Avochato_Setup');
  assert.equal(own.status, 200);
  assert.match(await own.text(), /"username":"sam.viewer@avochato.demo"/);
  const switched = await b.get('/lightning/n/Avochato_Setup?as=admin%40local.org');
  assert.equal(switched.status, 403);
  assert.doesNotMatch(await switched.text(), /accessToken/);
});
