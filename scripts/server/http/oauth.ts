/**
 * The org's OAuth 2.0 endpoints for the shipped connected app, as Salesforce answers them:
 *   POST /services/oauth2/token      grant_type = client_credentials | authorization_code | refresh_token
 *   GET  /services/oauth2/authorize  web-server flow: the login and consent pages (oauth-authorize.ts), then a
 *                                    redirect to the connected app's callback URL with ?code=...&state=...
 *   POST /services/oauth2/revoke     revokes an access token, or a refresh token with the access tokens it gave
 *   GET  /id/ORGID/USERID            identity URL (Bearer)
 * The username-password flow is not offered (Salesforce deprecates it); it answers unsupported_grant_type.
 * Token responses carry access_token, instance_url, id (ending /ORGID/USERID), token_type, issued_at, scope and
 * signature = Base64(HMAC-SHA256(consumer secret, id + issued_at)), as the platform documents.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type * as http from 'node:http';
import { HttpError, readBody, sendJson } from './http-util.js';

export interface ConnectedApp {
  clientId: string;
  clientSecret: string;
  /** The client credentials flow's run-as user. */
  runAsUserId: string;
  scope: string;
  /** The app's name on the consent page. */
  label: string;
  /** Callback URLs: `redirect_uri` must be one of them exactly (metadata `callbackUrl`, one per line). */
  callbackUrls: string[];
  /** `isSecretRequiredForRefreshToken`: the refresh grant must authenticate the client with its secret. */
  secretRequiredForRefresh: boolean;
}

/** Where a token came from: one authorization (code, then its refresh tokens) shares a grant. */
export interface Session {
  userId: string;
  issuedAt: number;
  expiresAt: number;
  grantId?: string;
}

/** What the connected app's metadata says (see org/connected-app-metadata.ts); the key and secret are made here. */
export type ConnectedAppSettings = Partial<Pick<ConnectedApp, 'label' | 'callbackUrls' | 'secretRequiredForRefresh'>>;

export function newConnectedApp(runAsUserId: string, settings: ConnectedAppSettings = {}): ConnectedApp {
  // Salesforce consumer keys start with 3MVG and are long; secrets are long hex-like strings.
  return {
    clientId: `3MVG9${randomBytes(36).toString('base64url')}`,
    clientSecret: randomBytes(32).toString('hex').toUpperCase(),
    runAsUserId,
    scope: 'api refresh_token',
    label: settings.label ?? 'Avochato Integration',
    callbackUrls: settings.callbackUrls ?? [],
    secretRequiredForRefresh: settings.secretRequiredForRefresh ?? true,
  };
}

/** PKCE (RFC 7636) S256: BASE64URL(SHA256(code_verifier)). */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function signature(clientSecret: string, idUrl: string, issuedAt: string): string {
  return createHmac('sha256', clientSecret)
    .update(idUrl + issuedAt)
    .digest('base64');
}

export const oauthError = (error: string, description: string, status = 400) =>
  new HttpError(status, { error, error_description: description });

export class OAuthServer {
  private readonly accessTokens = new Map<string, Session>();
  private readonly refreshTokens = new Map<string, { userId: string; grantId: string }>();
  private readonly codes = new Map<
    string,
    { userId: string; redirectUri: string; expiresAt: number; codeChallenge: string | null }
  >();
  private lastSweep = 0;
  /** Extra grant types (the JWT bearer flow, api/jwt-bearer.ts): the form parameters -> the user Id (or throw). */
  private readonly grants = new Map<string, (params: URLSearchParams) => string>();

  constructor(
    readonly app: ConnectedApp,
    private readonly orgId: string,
    private readonly instanceUrl: () => string,
    private readonly findUser: (username: string) => string | null,
    /** Access token lifetime (the org's session timeout). Default 2 hours. */
    private readonly sessionMs = 2 * 60 * 60 * 1000,
    /** The clock (tests move it). */
    private readonly now: () => number = Date.now,
  ) {}

  /** Adds a grant type to the token endpoint; the handler returns the user to issue an access token for. */
  registerGrant(grantType: string, handler: (params: URLSearchParams) => string): void {
    this.grants.set(grantType, handler);
  }

  /** Issues a session directly (for the page shell and tests). */
  issue(userId: string, grantId?: string): { accessToken: string; session: Session } {
    this.sweepSometimes();
    const accessToken = `${this.orgId.slice(0, 15)}!${randomBytes(48).toString('base64url')}`;
    const now = this.now();
    const session: Session = { userId, issuedAt: now, expiresAt: now + this.sessionMs, grantId };
    this.accessTokens.set(accessToken, session);
    return { accessToken, session };
  }

  /** A one-time authorization code for the user, valid 15 minutes (the platform's lifetime for web-server codes). */
  issueCode(userId: string, redirectUri: string, codeChallenge: string | null = null): string {
    this.sweepSometimes();
    const code = `aPrx${randomBytes(24).toString('base64url')}`;
    this.codes.set(code, { userId, redirectUri, expiresAt: this.now() + 15 * 60 * 1000, codeChallenge });
    return code;
  }

  /** Forgets every expired access token and authorization code. */
  sweep(): void {
    const now = this.now();
    this.lastSweep = now;
    for (const [k, s] of this.accessTokens) if (s.expiresAt <= now) this.accessTokens.delete(k);
    for (const [k, c] of this.codes) if (c.expiresAt <= now) this.codes.delete(k);
  }

  /** The user of a live refresh token (the consent page shows existing grants; tests). */
  refreshTokenUser(token: string): string | null {
    return this.refreshTokens.get(token)?.userId ?? null;
  }

  /** Sweeps at most once a minute, from the calls that add entries, so the maps never grow without bound. */
  private sweepSometimes(): void {
    if (this.now() - this.lastSweep >= 60_000) this.sweep();
  }

  /** How many access tokens and authorization codes are held (expired ones until the next sweep). */
  held(): { accessTokens: number; codes: number } {
    return { accessTokens: this.accessTokens.size, codes: this.codes.size };
  }

  /** The session of an `Authorization: Bearer ...` header, or null. */
  sessionOf(authorization: string | undefined): Session | null {
    const m = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(authorization ?? '');
    if (!m) return null;
    const s = this.accessTokens.get(m[1]);
    if (!s) return null;
    if (s.expiresAt <= this.now()) {
      this.accessTokens.delete(m[1]);
      return null;
    }
    return s;
  }

  /** Ends every access token (refresh tokens stay valid), as when sessions time out. */
  expireAccessTokens(): void {
    this.accessTokens.clear();
  }

  private tokenResponse(userId: string, refresh: { grantId: string } | null): Record<string, string> {
    const { accessToken, session } = this.issue(userId, refresh?.grantId);
    const idUrl = `${this.instanceUrl()}/id/${this.orgId}/${userId}`;
    const issuedAt = String(session.issuedAt);
    const body: Record<string, string> = {
      access_token: accessToken,
      signature: signature(this.app.clientSecret, idUrl, issuedAt),
      scope: this.app.scope,
      instance_url: this.instanceUrl(),
      id: idUrl,
      token_type: 'Bearer',
      issued_at: issuedAt,
    };
    if (refresh) {
      const token = `5Aep${randomBytes(40).toString('base64url')}`;
      this.refreshTokens.set(token, { userId, grantId: refresh.grantId });
      body.refresh_token = token;
    }
    return body;
  }

  /** Client authentication: client_id/client_secret in the body (or query), or HTTP Basic. */
  private client(params: URLSearchParams, req: http.IncomingMessage, secretRequired: boolean): void {
    let id = params.get('client_id');
    let secret = params.get('client_secret');
    const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (basic) {
      // RFC 6749 2.3.1: id and secret are form-encoded, then joined with ':' and Base64-encoded. A header that
      // does not decode so is the client's error (400 invalid_client), never a server error.
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) throw oauthError('invalid_client', 'invalid client credentials');
      try {
        const form = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
        id = id ?? form(decoded.slice(0, colon));
        secret = secret ?? form(decoded.slice(colon + 1));
      } catch {
        throw oauthError('invalid_client', 'invalid client credentials');
      }
    }
    if (!id || id !== this.app.clientId) throw oauthError('invalid_client_id', 'client identifier invalid');
    if (secretRequired || secret) {
      if (!secret || !sameSecret(secret, this.app.clientSecret))
        throw oauthError('invalid_client', 'invalid client credentials');
    }
  }

  async token(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'POST')
      throw new HttpError(405, { error: 'invalid_request', error_description: 'must use HTTP POST' });
    const raw = await readBody(req);
    // Form body as the standard says; parameters in the query string are accepted too, as Salesforce does.
    const params = new URLSearchParams(url.search);
    new URLSearchParams(raw).forEach((v, k) => params.set(k, v));
    const grant = params.get('grant_type');
    switch (grant) {
      case 'client_credentials': {
        this.client(params, req, true);
        sendJson(res, 200, this.tokenResponse(this.app.runAsUserId, null));
        return;
      }
      case 'authorization_code': {
        this.client(params, req, true);
        const key = params.get('code') ?? '';
        const code = this.codes.get(key);
        if (!code || code.expiresAt <= this.now()) throw oauthError('invalid_grant', 'invalid authorization code');
        // A code is used once, whatever happens next (RFC 6749 4.1.2).
        this.codes.delete(key);
        if ((params.get('redirect_uri') ?? '') !== code.redirectUri)
          throw oauthError('redirect_uri_mismatch', 'redirect_uri must match configuration');
        if (code.codeChallenge !== null) {
          const verifier = params.get('code_verifier') ?? '';
          if (!verifier || !sameSecret(pkceChallenge(verifier), code.codeChallenge))
            throw oauthError('invalid_grant', 'invalid code verifier');
        }
        sendJson(res, 200, this.tokenResponse(code.userId, { grantId: randomBytes(12).toString('base64url') }));
        return;
      }
      case 'refresh_token': {
        // isSecretRequiredForRefreshToken: the connected app decides whether the refresh grant needs the secret.
        this.client(params, req, this.app.secretRequiredForRefresh);
        const key = params.get('refresh_token') ?? '';
        const r = this.refreshTokens.get(key);
        if (!r) throw oauthError('invalid_grant', 'expired access/refresh token');
        // Refresh token rotation: each use gives a new refresh token and the one used stops working.
        this.refreshTokens.delete(key);
        sendJson(res, 200, this.tokenResponse(r.userId, { grantId: r.grantId }));
        return;
      }
      case null:
      case '':
        throw oauthError('unsupported_grant_type', 'grant type not supported');
      default: {
        const extra = this.grants.get(grant);
        if (!extra) throw oauthError('unsupported_grant_type', 'grant type not supported');
        sendJson(res, 200, this.tokenResponse(extra(params), null));
        return;
      }
    }
  }

  async revoke(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'POST')
      throw new HttpError(405, { error: 'invalid_request', error_description: 'must use HTTP POST' });
    const params = new URLSearchParams(url.search);
    new URLSearchParams(await readBody(req)).forEach((v, k) => params.set(k, v));
    const token = params.get('token') ?? '';
    const wasAccess = this.accessTokens.delete(token);
    const refresh = this.refreshTokens.get(token);
    if (refresh) {
      // Revoking a refresh token also revokes the access tokens of the same authorization, as the platform does.
      this.refreshTokens.delete(token);
      for (const [k, s] of this.accessTokens) if (s.grantId === refresh.grantId) this.accessTokens.delete(k);
    }
    if (!wasAccess && !refresh) throw oauthError('unsupported_token_type', 'this token type is not supported');
    res.writeHead(200);
    res.end();
  }
}
