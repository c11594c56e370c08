/**
 * Avochato's side of the connection to a Salesforce org (what "Connect Production / Connect Sandbox" and
 * "Generate Credentials" do), as the seeds describe an outside system:
 *   - OAuth 2.0 web-server flow with PKCE (S256) and `state`, against the org's authorize page; the refresh token is
 *     kept here (outside Salesforce) and access tokens are renewed with it when they expire or an API call answers
 *     401 INVALID_SESSION_ID (one retry); a refused refresh (invalid_grant) means "Reconnect needed".
 *   - Hosts: My Domain (https://NAME.my.salesforce.com), https://login.salesforce.com, https://test.salesforce.com,
 *     sandbox My Domain (https://NAME--SANDBOX.sandbox.my.salesforce.com); locally, the loopback org.
 *   - Every form value is URL-encoded (a secret with `#`, `&`, `+` or `%` arrives as typed); 10 s timeout per call.
 *   - Credentials go to /services/apexrest/avochato/v1/credentials in batches of 200 (the endpoint's limit), with
 *     retries and backoff for 429, 5xx and timeouts; users are matched by email, then by username.
 * Tokens and secrets are never logged nor put in an error message.
 */
import { createHash, randomBytes } from 'node:crypto';

export type ConnectionStatus = 'Not connected' | 'Connected' | 'Reconnect needed';

export const BATCH_SIZE = 200;
export const TIMEOUT_MS = 10_000;
const CREDENTIALS_PATH = '/services/apexrest/avochato/v1/credentials';

/** The login host for an environment: My Domain when known, else login. (production) or test. (sandbox). */
export function loginHost(environment: 'production' | 'sandbox', myDomain?: string): string {
  if (!myDomain) return environment === 'sandbox' ? 'https://test.salesforce.com' : 'https://login.salesforce.com';
  const url = new URL(myDomain.includes('://') ? myDomain : `https://${myDomain}`);
  const host = url.hostname.toLowerCase();
  const loopback = host === '127.0.0.1' || host === 'localhost';
  const allowed = loopback
    ? url.protocol === 'http:' || url.protocol === 'https:'
    : url.protocol === 'https:' &&
      (environment === 'sandbox'
        ? /^[a-z0-9-]+--[a-z0-9]+\.sandbox\.my\.salesforce\.com$/.test(host) || host === 'test.salesforce.com'
        : /^[a-z0-9-]+\.my\.salesforce\.com$/.test(host) && !host.endsWith('.sandbox.my.salesforce.com'));
  if (!allowed)
    throw new Error(
      environment === 'sandbox'
        ? `not a sandbox login host: ${host} (use NAME--SANDBOX.sandbox.my.salesforce.com or test.salesforce.com)`
        : `not a production login host: ${host} (use NAME.my.salesforce.com or login.salesforce.com)`,
    );
  return url.origin;
}

export interface ConnectorOptions {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** The login host (see loginHost). */
  loginUrl: string;
  timeoutMs?: number;
  /** Waits between push attempts (ms); its length + 1 is the number of attempts. */
  backoffMs?: number[];
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  log?: (line: string) => void;
}

export interface CredentialToPush {
  authId: string;
  authSecret: string;
  inbox?: string | null;
  isDefault?: boolean;
  /** The Avochato user: matched to a Salesforce user by email, then by username. */
  user: { email: string; username?: string };
}

export interface PushResult {
  authId: string;
  success: boolean;
  created?: boolean;
  status?: string;
  error: string | null;
}

export class ReconnectNeeded extends Error {
  constructor() {
    super('Reconnect needed: the org refused the stored refresh token (revoked or expired). Connect again.');
  }
}

export class SalesforceError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const form = (o: Record<string, string>): string => new URLSearchParams(o).toString();

/** One connection (one org): tokens in memory, never in a log line or an error. */
export class SalesforceConnector {
  status: ConnectionStatus = 'Not connected';
  instanceUrl: string | null = null;
  username: string | null = null;
  private accessToken: string | null = null;
  private refreshToken: string | null = null;
  private pending = new Map<string, { verifier: string; at: number }>();
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(readonly o: ConnectorOptions) {
    this.fetch = o.fetch ?? fetch;
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** The authorize URL to send the browser to; `state` and the PKCE verifier are remembered for the callback. */
  beginAuthorize(): string {
    const state = randomBytes(16).toString('base64url');
    const verifier = randomBytes(32).toString('base64url');
    const now = Date.now();
    for (const [k, p] of this.pending) if (now - p.at > 15 * 60 * 1000) this.pending.delete(k);
    this.pending.set(state, { verifier, at: now });
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: this.o.clientId,
      redirect_uri: this.o.redirectUri,
      scope: 'api refresh_token',
      state,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    return `${this.o.loginUrl}/services/oauth2/authorize?${q.toString()}`;
  }

  /** True when a sign-in with this `state` was started here and not completed yet. */
  expects(state: string): boolean {
    return this.pending.has(state);
  }

  /** The callback: checks `state`, trades the code (with the PKCE verifier) for tokens, reads who connected. */
  async completeAuthorize(params: URLSearchParams): Promise<void> {
    const state = params.get('state') ?? '';
    const pending = this.pending.get(state);
    if (!pending) throw new Error('This sign-in did not start here (unknown state). Start the connection again.');
    this.pending.delete(state);
    this.instanceUrl = null; // the code is traded at the login host
    const error = params.get('error');
    if (error)
      throw new Error(
        error === 'access_denied' ? 'Access was denied on the Salesforce page.' : `Salesforce refused: ${error}`,
      );
    const body = await this.tokenRequest({
      grant_type: 'authorization_code',
      code: params.get('code') ?? '',
      client_id: this.o.clientId,
      client_secret: this.o.clientSecret,
      redirect_uri: this.o.redirectUri,
      code_verifier: pending.verifier,
    });
    if (!body.refresh_token)
      throw new Error('Salesforce gave no refresh token (the app needs the refresh_token scope).');
    this.accept(body);
    this.status = 'Connected';
    const me = await this.call('GET', new URL(body.id).pathname);
    this.username = typeof me.body?.username === 'string' ? me.body.username : null;
    this.o.log?.(`connected to ${this.instanceUrl} as ${this.username ?? 'unknown'}`);
  }

  /** Forgets the connection, revoking the refresh token (and its access tokens) at the org first. */
  async disconnect(): Promise<void> {
    const token = this.refreshToken;
    const instance = this.instanceUrl;
    this.accessToken = this.refreshToken = this.instanceUrl = this.username = null;
    this.status = 'Not connected';
    if (token && instance) {
      try {
        await this.timed(`${instance}/services/oauth2/revoke`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: form({ token }),
        });
      } catch {
        // The org may be unreachable; the token is forgotten here either way.
      }
    }
  }

  /**
   * Pushes credentials in batches of 200. A user not found by email (or matching several users) is tried again by
   * username. Results come back in the order given.
   */
  async pushCredentials(items: CredentialToPush[]): Promise<PushResult[]> {
    const results = await this.pushAll(items.map((c) => ({ c, user: { email: c.user.email } })));
    const retry = items
      .map((c, i) => ({ c, i }))
      .filter(
        ({ c, i }) =>
          !results[i].success && c.user.username && /no Salesforce user found|users match/.test(results[i].error ?? ''),
      );
    if (retry.length) {
      const again = await this.pushAll(retry.map(({ c }) => ({ c, user: { username: c.user.username! } })));
      retry.forEach(({ i }, k) => (results[i] = again[k]));
    }
    return results;
  }

  private async pushAll(items: { c: CredentialToPush; user: Record<string, string> }[]): Promise<PushResult[]> {
    const out: PushResult[] = [];
    for (let i = 0; i < items.length; i += BATCH_SIZE) {
      const batch = items.slice(i, i + BATCH_SIZE);
      const payload = {
        credentials: batch.map(({ c, user }) => ({
          authId: c.authId,
          authSecret: c.authSecret,
          inbox: c.inbox ?? null,
          isDefault: c.isDefault ?? false,
          user,
        })),
      };
      const r = await this.withRetries(() => this.call('POST', CREDENTIALS_PATH, payload));
      const results = (r.body?.results ?? []) as PushResult[];
      if (r.status >= 400 || results.length !== batch.length)
        throw new SalesforceError(
          `Salesforce answered ${r.status}: ${typeof r.body?.message === 'string' ? r.body.message : 'unexpected reply'}`,
          r.status,
        );
      out.push(
        ...results.map((x) => ({
          authId: x.authId,
          success: !!x.success,
          created: x.created,
          status: x.status,
          error: x.error ?? null,
        })),
      );
    }
    return out;
  }

  /** 429, 5xx and timeouts are tried again after each wait of backoffMs (Retry-After when the org gives one). */
  private async withRetries(
    attempt: () => Promise<{ status: number; body: Record<string, unknown> | null; retryAfter: number | null }>,
  ): Promise<{ status: number; body: Record<string, unknown> | null }> {
    const waits = this.o.backoffMs ?? [1000, 2000, 4000];
    for (let n = 0; ; n++) {
      let r: { status: number; body: Record<string, unknown> | null; retryAfter: number | null } | null = null;
      let failure: unknown = null;
      try {
        r = await attempt();
      } catch (err) {
        if (!(err instanceof TimeoutError)) throw err;
        failure = err;
      }
      const retriable = failure !== null || (r !== null && (r.status === 429 || r.status >= 500));
      if (!retriable) return r!;
      if (n >= waits.length) {
        if (failure) throw failure;
        return r!;
      }
      const wait = r?.retryAfter != null ? Math.min(r.retryAfter * 1000, 30_000) : waits[n];
      this.o.log?.(`push: ${failure ? 'timed out' : `answered ${r!.status}`}; trying again in ${wait} ms`);
      await this.sleep(wait);
    }
  }

  /** An API call with the access token; on 401 INVALID_SESSION_ID the token is refreshed and the call made once more. */
  private async call(
    method: string,
    pathname: string,
    json?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> | null; retryAfter: number | null }> {
    if (this.status === 'Reconnect needed') throw new ReconnectNeeded();
    if (!this.instanceUrl || !this.refreshToken) throw new Error('Not connected to Salesforce.');
    if (!this.accessToken) await this.refresh();
    for (let attempt = 0; ; attempt++) {
      const res = await this.timed(`${this.instanceUrl}${pathname}`, {
        method,
        headers: {
          Authorization: `Bearer ${this.accessToken}`,
          ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        body: json !== undefined ? JSON.stringify(json) : undefined,
      });
      const text = await res.text();
      let body: unknown = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = { message: text.slice(0, 200) };
      }
      const expired =
        res.status === 401 &&
        (!Array.isArray(body) || body.some((e: { errorCode?: string }) => e?.errorCode === 'INVALID_SESSION_ID'));
      if (expired && attempt === 0) {
        await this.refresh();
        continue;
      }
      const retryAfter = Number(res.headers.get('retry-after'));
      return {
        status: res.status,
        body: Array.isArray(body)
          ? { errors: body, message: (body[0] as { message?: string })?.message }
          : (body as Record<string, unknown>),
        retryAfter: Number.isFinite(retryAfter) && res.headers.has('retry-after') ? retryAfter : null,
      };
    }
  }

  /** The refresh grant; the org rotates the refresh token, so the new one replaces the old. */
  private async refresh(): Promise<void> {
    try {
      const body = await this.tokenRequest({
        grant_type: 'refresh_token',
        refresh_token: this.refreshToken ?? '',
        client_id: this.o.clientId,
        client_secret: this.o.clientSecret,
      });
      this.accept(body);
    } catch (err) {
      if (err instanceof OAuthRefused && err.error === 'invalid_grant') {
        this.status = 'Reconnect needed';
        this.accessToken = this.refreshToken = null;
        this.o.log?.(`refresh refused by ${this.instanceUrl}: reconnect needed`);
        throw new ReconnectNeeded();
      }
      throw err;
    }
  }

  private accept(body: TokenBody): void {
    this.accessToken = body.access_token;
    if (body.refresh_token) this.refreshToken = body.refresh_token;
    this.instanceUrl = body.instance_url;
  }

  private async tokenRequest(params: Record<string, string>): Promise<TokenBody> {
    // application/x-www-form-urlencoded: URLSearchParams encodes every value (#, &, +, % and spaces included).
    const res = await this.timed(`${this.instanceUrl ?? this.o.loginUrl}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form(params),
    });
    const body = (await res.json().catch(() => ({}))) as Partial<TokenBody> & {
      error?: string;
      error_description?: string;
    };
    if (res.status !== 200 || !body.access_token || !body.instance_url)
      throw new OAuthRefused(body.error ?? `http_${res.status}`, body.error_description ?? '');
    return body as TokenBody;
  }

  /** fetch with the 10 s timeout (AbortSignal.timeout); a timeout is a TimeoutError. */
  private async timed(url: string, init: RequestInit): Promise<Response> {
    const ms = this.o.timeoutMs ?? TIMEOUT_MS;
    try {
      return await this.fetch(url, { ...init, signal: AbortSignal.timeout(ms) });
    } catch (err) {
      const name = (err as { name?: string })?.name;
      if (name === 'TimeoutError' || name === 'AbortError') throw new TimeoutError(ms);
      throw new Error(`Salesforce could not be reached (${new URL(url).host}).`);
    }
  }
}

interface TokenBody {
  access_token: string;
  refresh_token?: string;
  instance_url: string;
  id: string;
}

export class TimeoutError extends Error {
  constructor(ms: number) {
    super(`Salesforce did not answer within ${ms / 1000} s.`);
  }
}

class OAuthRefused extends Error {
  constructor(
    readonly error: string,
    description: string,
  ) {
    super(`Salesforce refused the token request: ${error}${description ? ` (${description})` : ''}`);
  }
}
