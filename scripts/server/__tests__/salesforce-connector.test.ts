/**
 * The Avochato-side connector (emulator/connector/salesforce-connector.ts) against the local org's real OAuth
 * server and login/consent pages (over a fake org): connect with PKCE and state, refresh on 401, a revoked refresh
 * token, a timeout, retries with backoff, batches of 200, email-then-username matching, `#&+%` in secrets.
 * The only stand-in is at the HTTP boundary: a fetch wrapper that watches (or holds) calls.
 */
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { AppServer } from '../http/app-server.js';
import { newConnectedApp } from '../http/oauth.js';
import {
  ReconnectNeeded,
  SalesforceConnector,
  TimeoutError,
  loginHost,
  type CredentialToPush,
} from '../emulator/connector/salesforce-connector.js';
import { FakeOrg } from './fake-org.js';

const KEY = 'connector-test-key-0123456789';
const CALLBACK = 'http://127.0.0.1:4998/integrations/salesforce/callback';
let org: FakeOrg;
let app: AppServer;
let base: string;
const connected = newConnectedApp('', { callbackUrls: [CALLBACK] });
// A consumer secret with the characters a form body must encode.
connected.clientSecret = 'S3cr#t&x+y%20=z';

/** What the org's credentials endpoint received, and what it answers next. */
let received: { authId: string; authSecret: string; user: Record<string, string> }[][] = [];
let failNext: number[] = [];
let unknownEmails = new Set<string>();

before(async () => {
  org = new FakeOrg();
  connected.runAsUserId = org.addUser('integration@avochato.demo', 'Avochato Integration', undefined, [
    'Avochato_Sync_Credentials',
  ]);
  org.restHandler = (req) => {
    const status = failNext.shift();
    if (status)
      return { status, headers: {}, body: JSON.stringify([{ errorCode: 'SERVER_UNAVAILABLE', message: 'busy' }]) };
    const items = (JSON.parse(req.body) as { credentials: (typeof received)[number] }).credentials;
    received.push(items);
    return {
      status: 200,
      headers: {},
      body: JSON.stringify({
        results: items.map((c) => {
          const missing = c.user.email !== undefined && unknownEmails.has(c.user.email);
          return {
            authId: c.authId,
            success: !missing,
            created: !missing,
            status: missing ? null : 'Pending',
            error: missing ? `user.email "${c.user.email}": no Salesforce user found.` : null,
          };
        }),
      }),
    };
  };
  app = new AppServer({ org, connectedApp: connected, startupKey: KEY, jobPump: { afterCallMs: 20, pollMs: 60_000 } });
  base = `http://127.0.0.1:${await app.listen(0)}`;
});
after(() => app.close());
beforeEach(() => {
  received = [];
  failNext = [];
  unknownEmails = new Set();
});

interface Watch {
  calls: { url: string; body: string }[];
  tokens: string[];
  hold: (url: string) => boolean;
}

function connector(extra: Partial<ConstructorParameters<typeof SalesforceConnector>[0]> = {}) {
  const watch: Watch = { calls: [], tokens: [], hold: () => false };
  const logs: string[] = [];
  const waits: number[] = [];
  const c = new SalesforceConnector({
    clientId: connected.clientId,
    clientSecret: connected.clientSecret,
    redirectUri: CALLBACK,
    loginUrl: base,
    log: (l) => logs.push(l),
    sleep: async (ms) => {
      waits.push(ms);
    },
    fetch: async (input, init) => {
      const url = String(input);
      watch.calls.push({ url, body: typeof init?.body === 'string' ? init.body : '' });
      if (watch.hold(url))
        return new Promise<Response>((_, reject) =>
          init?.signal?.addEventListener('abort', () => reject(init.signal!.reason as Error)),
        );
      const res = await fetch(input, init);
      if (url.endsWith('/services/oauth2/token')) {
        const body = (await res.clone().json()) as { access_token?: string; refresh_token?: string };
        if (body.refresh_token) watch.tokens.push(body.refresh_token);
      }
      return res;
    },
    ...extra,
  });
  return { c, watch, logs, waits };
}

/** The user's browser: opens the authorize URL, logs in, clicks Allow; returns the callback's query. */
async function allowInBrowser(authorizeUrl: string): Promise<URLSearchParams> {
  const cookieRes = await fetch(`${base}/lightning/n/Avochato_Setup?key=${KEY}`, { redirect: 'manual' });
  let cookie = cookieRes.headers.getSetCookie()[0].split(';')[0];
  const hidden = (html: string) =>
    Object.fromEntries(
      [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [
        m[1],
        m[2].replace(/&amp;/g, '&'),
      ]),
    );
  const post = (fields: Record<string, string>) =>
    fetch(`${base}/services/oauth2/authorize`, {
      method: 'POST',
      headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
  const login = await (await fetch(authorizeUrl, { headers: { Cookie: cookie } })).text();
  const loggedIn = await post({ ...hidden(login), username: 'integration@avochato.demo' });
  cookie += `; ${loggedIn.headers.getSetCookie()[0].split(';')[0]}`;
  const consent = await (await fetch(base + loggedIn.headers.get('location')!, { headers: { Cookie: cookie } })).text();
  const done = await post({ ...hidden(consent), action: 'allow' });
  assert.equal(done.status, 302);
  return new URL(done.headers.get('location')!).searchParams;
}

async function connect(extra: Parameters<typeof connector>[0] = {}) {
  const x = connector(extra);
  const url = x.c.beginAuthorize();
  const q = new URL(url).searchParams;
  assert.equal(q.get('code_challenge_method'), 'S256');
  assert.ok(q.get('state') && q.get('code_challenge'));
  await x.c.completeAuthorize(await allowInBrowser(url));
  return x;
}

const cred = (n: number, over: Partial<CredentialToPush> = {}): CredentialToPush => ({
  authId: `AVO-C-${n}`,
  authSecret: `secret-${n}`,
  inbox: 'sales',
  user: { email: 'tom.smith@avochato.demo', username: 'tom.smith@avochato.demo' },
  ...over,
});

test('connects with the web-server flow (PKCE, state): Connected, the instance URL and user', async () => {
  const { c, watch, logs } = await connect();
  assert.equal(c.status, 'Connected');
  assert.equal(c.instanceUrl, base);
  assert.equal(c.username, 'integration@avochato.demo');
  const exchange = watch.calls.find((x) => x.body.includes('grant_type=authorization_code'))!;
  assert.match(exchange.body, /code_verifier=/);
  // The secret's #, &, + and % are form-encoded, so the org read the secret as typed (or it would have refused).
  assert.ok(exchange.body.includes(`client_secret=${encodeURIComponent(connected.clientSecret).replace(/%20/g, '+')}`));
  for (const line of logs) for (const t of watch.tokens) assert.ok(!line.includes(t), 'no token in a log line');
});

test('a callback with another state is refused', async () => {
  const { c } = connector();
  c.beginAuthorize();
  await assert.rejects(c.completeAuthorize(new URLSearchParams({ code: 'x', state: 'forged' })), /unknown state/);
  assert.equal(c.status, 'Not connected');
});

test('pushes in batches of 200; a secret with #&+% arrives as typed', async () => {
  const { c } = await connect();
  const items = Array.from({ length: 450 }, (_, i) => cred(i, i === 7 ? { authSecret: 'p#&+%=x y' } : {}));
  const results = await c.pushCredentials(items);
  assert.deepEqual(
    received.map((b) => b.length),
    [200, 200, 50],
  );
  assert.equal(results.length, 450);
  assert.ok(results.every((r) => r.success));
  assert.equal(received[0][7].authSecret, 'p#&+%=x y');
  assert.deepEqual(received[0][0].user, { email: 'tom.smith@avochato.demo' }, 'matched by email first');
});

test('a user not found by email is matched by username', async () => {
  const { c } = await connect();
  unknownEmails.add('old@avochato.demo');
  const results = await c.pushCredentials([
    cred(1),
    cred(2, { user: { email: 'old@avochato.demo', username: 'ben.okafor@avochato.demo' } }),
  ]);
  assert.deepEqual(
    received.map((b) => b.map((x) => x.user)),
    [
      [{ email: 'tom.smith@avochato.demo' }, { email: 'old@avochato.demo' }],
      [{ username: 'ben.okafor@avochato.demo' }],
    ],
  );
  assert.ok(results.every((r) => r.success));
});

test('an expired session (401 INVALID_SESSION_ID) is refreshed once and the call retried', async () => {
  const { c, watch } = await connect();
  app.oauth.expireAccessTokens();
  const [r] = await c.pushCredentials([cred(1)]);
  assert.equal(r.success, true);
  const refreshes = watch.calls.filter((x) => x.body.includes('grant_type=refresh_token'));
  assert.equal(refreshes.length, 1);
  assert.equal(watch.tokens.length, 2, 'the rotated refresh token replaced the first');
  app.oauth.expireAccessTokens();
  assert.equal((await c.pushCredentials([cred(2)]))[0].success, true, 'the rotated token works next time');
});

test('a revoked refresh token turns the connection into "Reconnect needed"', async () => {
  const { c, watch } = await connect();
  const revoke = await fetch(`${base}/services/oauth2/revoke`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: watch.tokens.at(-1)! }).toString(),
  });
  assert.equal(revoke.status, 200);
  await assert.rejects(c.pushCredentials([cred(1)]), ReconnectNeeded);
  assert.equal(c.status, 'Reconnect needed');
  assert.equal(received.length, 0);
  // Connecting again clears it.
  await c.completeAuthorize(await allowInBrowser(c.beginAuthorize()));
  assert.equal(c.status, 'Connected');
});

test('429 and 5xx are retried with backoff; a call that never answers times out', async () => {
  const { c, waits } = await connect();
  failNext = [503, 429];
  const [r] = await c.pushCredentials([cred(1)]);
  assert.equal(r.success, true);
  assert.deepEqual(waits, [1000, 2000]);

  const slow = await connect({ timeoutMs: 150, backoffMs: [5, 5] });
  slow.watch.hold = (url) => url.includes('/services/apexrest/');
  const t0 = Date.now();
  await assert.rejects(slow.c.pushCredentials([cred(2)]), TimeoutError);
  assert.ok(Date.now() - t0 >= 3 * 150, 'three attempts, each cut at the timeout');
  assert.equal(slow.watch.calls.filter((x) => x.url.includes('/services/apexrest/')).length, 3);
});

test('login hosts as the seeds list them', () => {
  assert.equal(loginHost('production'), 'https://login.salesforce.com');
  assert.equal(loginHost('sandbox'), 'https://test.salesforce.com');
  assert.equal(loginHost('production', 'acme.my.salesforce.com'), 'https://acme.my.salesforce.com');
  assert.equal(
    loginHost('sandbox', 'https://acme--uat.sandbox.my.salesforce.com'),
    'https://acme--uat.sandbox.my.salesforce.com',
  );
  assert.equal(loginHost('production', 'http://127.0.0.1:3000'), 'http://127.0.0.1:3000');
  assert.throws(() => loginHost('production', 'acme--uat.sandbox.my.salesforce.com'), /not a production login host/);
  assert.throws(() => loginHost('sandbox', 'acme.my.salesforce.com'), /not a sandbox login host/);
  assert.throws(() => loginHost('production', 'http://acme.my.salesforce.com'), /not a production/);
  assert.throws(() => loginHost('production', 'https://evil.example'), /not a production/);
});
