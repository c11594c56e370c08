/**
 * The org's OAuth 2.0 endpoints for the shipped connected app, as Salesforce answers them:
 *   POST /services/oauth2/token      grant_type = client_credentials | authorization_code | refresh_token
 *   GET  /services/oauth2/authorize  web-server flow (local: approves at once for the login_hint user or the
 *                                    integration user, and redirects with ?code=...&state=...)
 *   POST /services/oauth2/revoke     revokes an access or refresh token
 *   GET  /id/ORGID/USERID            identity URL (Bearer)
 * The username-password flow is not offered (Salesforce deprecates it); it answers unsupported_grant_type.
 * Token responses carry access_token, instance_url, id (ending /ORGID/USERID), token_type, issued_at, scope and
 * signature = Base64(HMAC-SHA256(consumer secret, id + issued_at)), as the platform documents.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type * as http from 'node:http';
import { HttpError, readBody, sendJson } from './http-util.js';

export interface ConnectedApp {
  clientId: string;
  clientSecret: string;
  /** The client credentials flow's run-as user. */
  runAsUserId: string;
  scope: string;
}

export interface Session {
  userId: string;
  issuedAt: number;
  expiresAt: number;
}

export function newConnectedApp(runAsUserId: string): ConnectedApp {
  // Salesforce consumer keys start with 3MVG and are long; secrets are long hex-like strings.
  return {
    clientId: `3MVG9${randomBytes(36).toString('base64url')}`,
    clientSecret: randomBytes(32).toString('hex').toUpperCase(),
    runAsUserId,
    scope: 'api refresh_token',
  };
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

const oauthError = (error: string, description: string, status = 400) =>
  new HttpError(status, { error, error_description: description });

export class OAuthServer {
  private readonly accessTokens = new Map<string, Session>();
  private readonly refreshTokens = new Map<string, { userId: string }>();
  private readonly codes = new Map<string, { userId: string; redirectUri: string; expiresAt: number }>();
  /** Extra grant types (the JWT bearer flow, api/jwt-bearer.ts): the form parameters -> the user Id (or throw). */
  private readonly grants = new Map<string, (params: URLSearchParams) => string>();

  constructor(
    readonly app: ConnectedApp,
    private readonly orgId: string,
    private readonly instanceUrl: () => string,
    private readonly findUser: (username: string) => string | null,
    /** Access token lifetime (the org's session timeout). Default 2 hours. */
    private readonly sessionMs = 2 * 60 * 60 * 1000,
  ) {}

  /** Adds a grant type to the token endpoint; the handler returns the user to issue an access token for. */
  registerGrant(grantType: string, handler: (params: URLSearchParams) => string): void {
    this.grants.set(grantType, handler);
  }

  /** Issues a session directly (for the page shell and tests). */
  issue(userId: string): { accessToken: string; session: Session } {
    const accessToken = `${this.orgId.slice(0, 15)}!${randomBytes(48).toString('base64url')}`;
    const now = Date.now();
    const session = { userId, issuedAt: now, expiresAt: now + this.sessionMs };
    this.accessTokens.set(accessToken, session);
    return { accessToken, session };
  }

  /** The session of an `Authorization: Bearer ...` header, or null. */
  sessionOf(authorization: string | undefined): Session | null {
    const m = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(authorization ?? '');
    if (!m) return null;
    const s = this.accessTokens.get(m[1]);
    if (!s) return null;
    if (s.expiresAt <= Date.now()) {
      this.accessTokens.delete(m[1]);
      return null;
    }
    return s;
  }

  /** Ends every access token (refresh tokens stay valid), as when sessions time out. */
  expireAccessTokens(): void {
    this.accessTokens.clear();
  }

  private tokenResponse(userId: string, withRefresh: boolean): Record<string, string> {
    const { accessToken, session } = this.issue(userId);
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
    if (withRefresh) {
      const refresh = `5Aep${randomBytes(40).toString('base64url')}`;
      this.refreshTokens.set(refresh, { userId });
      body.refresh_token = refresh;
    }
    return body;
  }

  /** Client authentication: client_id/client_secret in the body (or query), or HTTP Basic. */
  private client(params: URLSearchParams, req: http.IncomingMessage, secretRequired: boolean): void {
    let id = params.get('client_id');
    let secret = params.get('client_secret');
    const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (basic) {
      const [u, p] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
      id = id ?? decodeURIComponent(u ?? '');
      secret = secret ?? decodeURIComponent(p ?? '');
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
        sendJson(res, 200, this.tokenResponse(this.app.runAsUserId, false));
        return;
      }
      case 'authorization_code': {
        this.client(params, req, true);
        const code = this.codes.get(params.get('code') ?? '');
        if (!code || code.expiresAt < Date.now()) throw oauthError('invalid_grant', 'invalid authorization code');
        if ((params.get('redirect_uri') ?? '') !== code.redirectUri)
          throw oauthError('redirect_uri_mismatch', 'redirect_uri must match configuration');
        this.codes.delete(params.get('code')!);
        sendJson(res, 200, this.tokenResponse(code.userId, true));
        return;
      }
      case 'refresh_token': {
        this.client(params, req, false);
        const r = this.refreshTokens.get(params.get('refresh_token') ?? '');
        if (!r) throw oauthError('invalid_grant', 'expired access/refresh token');
        sendJson(res, 200, this.tokenResponse(r.userId, false));
        return;
      }
      case null:
      case '':
        throw oauthError('unsupported_grant_type', 'grant type not supported');
      default: {
        const extra = this.grants.get(grant);
        if (!extra) throw oauthError('unsupported_grant_type', 'grant type not supported');
        sendJson(res, 200, this.tokenResponse(extra(params), false));
        return;
      }
    }
  }

  authorize(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri') ?? '';
    if (q.get('client_id') !== this.app.clientId) throw oauthError('invalid_client_id', 'client identifier invalid');
    if (q.get('response_type') !== 'code') throw oauthError('unsupported_response_type', 'response type not supported');
    let target: URL;
    try {
      target = new URL(redirectUri);
    } catch {
      throw oauthError('redirect_uri_mismatch', 'redirect_uri must match configuration');
    }
    const hint = q.get('login_hint');
    const userId = hint ? this.findUser(hint) : this.app.runAsUserId;
    if (!userId) {
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('error_description', `no user ${hint}`);
    } else {
      const code = `aPrx${randomBytes(24).toString('base64url')}`;
      this.codes.set(code, { userId, redirectUri, expiresAt: Date.now() + 15 * 60 * 1000 });
      target.searchParams.set('code', code);
    }
    if (q.get('state')) target.searchParams.set('state', q.get('state')!);
    res.writeHead(302, { Location: target.toString() });
    res.end();
  }

  async revoke(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const params = new URLSearchParams(url.search);
    new URLSearchParams(await readBody(req)).forEach((v, k) => params.set(k, v));
    const token = params.get('token') ?? '';
    const wasAccess = this.accessTokens.delete(token);
    const wasRefresh = this.refreshTokens.delete(token);
    if (!wasAccess && !wasRefresh) throw oauthError('unsupported_token_type', 'this token type is not supported');
    res.writeHead(200);
    res.end();
  }
}
