/**
 * GET/POST /services/oauth2/authorize: the org's login and consent pages of the OAuth 2.0 web-server flow, as the
 * platform shows them: who logs in (Username, Log In; the local org has no passwords, the start-up key cookie is
 * what proves the operator), then the app, what it asks for, and Allow / Deny; then a redirect to the callback URL
 * with `code` and `state` (or `error=access_denied`).
 * Platform rules kept (Salesforce Help, "OAuth 2.0 Web Server Flow for Web App Integration" and "OAuth 2.0
 * Authorization Errors"): `redirect_uri` must equal one of the connected app's callback URLs exactly, otherwise an
 * error page and no redirect (`redirect_uri_mismatch`); an unknown `client_id` is an error page
 * (`invalid_client_id`); other errors go to the callback as `?error=...&error_description=...&state=...`; PKCE
 * `code_challenge` (SHA-256, base64url) is kept with the code and checked against `code_verifier` at the token
 * endpoint. Logging in here opens a browser session of that user (cookie `localorg_sid`).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type * as http from 'node:http';
import type { OAuthServer } from './oauth.js';
import { readBody } from './http-util.js';
import { parseCookies, sendNeedsKey, sendPlainHtml, setSecurityHeaders, type LocalAccess } from './local-access.js';
import type { OrgUser, UserDirectory } from '../org/user-directory.js';

export const LOGIN_COOKIE = 'localorg_sid';

const SCOPE_TEXT: Record<string, string> = {
  api: 'Access and manage your data (api)',
  refresh_token: 'Perform requests on your behalf at any time (refresh_token, offline_access)',
  offline_access: 'Perform requests on your behalf at any time (refresh_token, offline_access)',
  id: 'Access your basic information (id, profile, email, address, phone)',
  full: 'Full access (full)',
};

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The authorization request's own parameters, carried through the login and consent forms. */
const CARRIED = [
  'response_type',
  'client_id',
  'redirect_uri',
  'state',
  'scope',
  'code_challenge',
  'code_challenge_method',
  'login_hint',
];

export interface AuthorizeDeps {
  oauth: OAuthServer;
  access: LocalAccess;
  users: UserDirectory;
  /** Browser sessions last as long as access tokens (the org's session timeout). */
  sessionMs: number;
  now: () => number;
}

export class AuthorizePages {
  private readonly logins = new Map<string, { userId: string; expiresAt: number }>();
  private readonly csrfKey = randomBytes(32);

  constructor(private readonly d: AuthorizeDeps) {}

  /** The user logged in with this browser (through the login page), or null. */
  loginOf(req: http.IncomingMessage): OrgUser | null {
    const sid = parseCookies(req.headers.cookie).get(LOGIN_COOKIE);
    if (!sid) return null;
    const login = this.logins.get(sid);
    if (!login) return null;
    if (login.expiresAt <= this.d.now()) {
      this.logins.delete(sid);
      return null;
    }
    return this.d.users.byId(login.userId);
  }

  /** How many browser sessions are held (tests). */
  held(): number {
    const now = this.d.now();
    for (const [k, l] of this.logins) if (l.expiresAt <= now) this.logins.delete(k);
    return this.logins.size;
  }

  private csrf(req: http.IncomingMessage): string {
    const cookies = parseCookies(req.headers.cookie);
    return createHmac('sha256', this.csrfKey)
      .update(`${cookies.get(LOGIN_COOKIE) ?? ''}|authorize`)
      .digest('base64url');
  }

  private csrfOk(req: http.IncomingMessage, given: string): boolean {
    const want = Buffer.from(this.csrf(req));
    const got = Buffer.from(given);
    return want.length === got.length && timingSafeEqual(want, got);
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const post = req.method === 'POST';
    if (!post && req.method !== 'GET') {
      sendPlainHtml(res, 405, 'Method not allowed', '<p>GET or POST.</p>');
      return;
    }
    const form = post ? new URLSearchParams(await readBody(req)) : new URLSearchParams();
    const q = post ? form : url.searchParams;
    const app = this.d.oauth.app;
    if (q.get('client_id') !== app.clientId)
      return this.errorPage(res, 'invalid_client_id', 'client identifier invalid');
    const redirectUri = q.get('redirect_uri') ?? '';
    // Exact match, as the platform requires: no prefix, no other port, no added path or query.
    if (!app.callbackUrls.includes(redirectUri))
      return this.errorPage(res, 'redirect_uri_mismatch', 'redirect_uri must match configuration');
    const back = (params: Record<string, string>): void => this.redirect(res, redirectUri, q.get('state'), params);
    if (q.get('response_type') !== 'code')
      return back({ error: 'unsupported_response_type', error_description: 'response type not supported' });
    const method = q.get('code_challenge_method');
    if (q.get('code_challenge') && method && method !== 'S256')
      return back({ error: 'invalid_request', error_description: 'invalid code_challenge_method' });
    if (!this.d.access.isOperator(req)) return sendNeedsKey(res);

    if (post) {
      if (!this.csrfOk(req, form.get('csrf') ?? '')) {
        sendPlainHtml(res, 403, 'Session changed', '<p>This form is stale. Start the connection again.</p>');
        return;
      }
      const action = form.get('action');
      if (action === 'login') return this.login(req, res, q, form.get('username') ?? '');
      const user = this.loginOf(req);
      if (!user) return this.loginPage(req, res, q, null);
      if (action === 'deny')
        return back({ error: 'access_denied', error_description: 'end-user denied authorization' });
      if (action === 'allow')
        return back({ code: this.d.oauth.issueCode(user.id, redirectUri, q.get('code_challenge') || null) });
      sendPlainHtml(res, 400, 'Bad request', '<p>Unknown action.</p>');
      return;
    }
    const user = q.get('prompt')?.split(' ').includes('login') ? null : this.loginOf(req);
    if (!user) return this.loginPage(req, res, q, null);
    return this.consentPage(req, res, q, user);
  }

  private login(req: http.IncomingMessage, res: http.ServerResponse, q: URLSearchParams, username: string): void {
    const user = username.trim() ? this.d.users.byUsername(username.trim()) : null;
    if (!user)
      return this.loginPage(
        req,
        res,
        q,
        "Please check your username. If you still can't log in, contact your Salesforce administrator.",
      );
    const sid = randomBytes(24).toString('base64url');
    this.logins.set(sid, { userId: user.id, expiresAt: this.d.now() + this.d.sessionMs });
    // Back to the authorization request as a GET (its parameters hold no secret), now logged in.
    const next = new URLSearchParams();
    for (const k of CARRIED) if (q.get(k)) next.set(k, q.get(k)!);
    res.writeHead(303, {
      Location: `/services/oauth2/authorize?${next.toString()}`,
      'Set-Cookie': `${LOGIN_COOKIE}=${sid}; Path=/; HttpOnly; SameSite=Strict`,
      'Cache-Control': 'no-store',
    });
    res.end();
  }

  private redirect(
    res: http.ServerResponse,
    redirectUri: string,
    state: string | null,
    params: Record<string, string>,
  ): void {
    const target = new URL(redirectUri);
    for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
    if (state) target.searchParams.set('state', state);
    res.writeHead(302, { Location: target.toString(), 'Cache-Control': 'no-store' });
    res.end();
  }

  private errorPage(res: http.ServerResponse, error: string, description: string): void {
    sendPlainHtml(
      res,
      400,
      'OAuth Error',
      `<p>We can't authorize you because of an OAuth error. For more information, contact your Salesforce administrator.</p><p>OAuth Error: <code>error=${esc(error)}</code> <code>error_description=${esc(description)}</code></p>`,
    );
  }

  private hidden(req: http.IncomingMessage, q: URLSearchParams): string {
    const fields = CARRIED.filter((k) => q.get(k)).map(
      (k) => `<input type="hidden" name="${k}" value="${esc(q.get(k)!)}">`,
    );
    fields.push(`<input type="hidden" name="csrf" value="${esc(this.csrf(req))}">`);
    return fields.join('');
  }

  private page(res: http.ServerResponse, title: string, body: string, formTarget?: string): void {
    setSecurityHeaders(res, { formTargets: formTarget ? [formTarget] : [] });
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} | Salesforce</title>
<link rel="stylesheet" href="/slds/styles/salesforce-lightning-design-system.min.css"></head>
<body class="slds-theme_shade"><main class="slds-align_absolute-center slds-p-top_xx-large"><div class="slds-box slds-theme_default" style="width:26rem">
<p class="slds-text-heading_large slds-m-bottom_medium">Salesforce <span class="slds-badge">local org</span></p>${body}</div></main></body></html>`;
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Length': String(Buffer.byteLength(html)),
    });
    res.end(html);
  }

  private loginPage(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    q: URLSearchParams,
    error: string | null,
  ): void {
    const hint = q.get('login_hint') ?? '';
    this.page(
      res,
      'Login',
      `${error ? `<div class="slds-text-color_error slds-m-bottom_small" role="alert" id="error">${esc(error)}</div>` : ''}
<form method="post" action="/services/oauth2/authorize">${this.hidden(req, q)}
<input type="hidden" name="action" value="login">
<div class="slds-form-element slds-m-bottom_small"><label class="slds-form-element__label" for="username">Username</label>
<div class="slds-form-element__control"><input class="slds-input" id="username" name="username" type="email" autocomplete="username" value="${esc(hint)}" required autofocus></div></div>
<p class="slds-text-body_small slds-m-bottom_small">The local org has no passwords: this browser opened the URL <code>npm start</code> printed.</p>
<button class="slds-button slds-button_brand slds-button_stretch" type="submit" id="Login">Log In</button></form>`,
    );
  }

  private consentPage(req: http.IncomingMessage, res: http.ServerResponse, q: URLSearchParams, user: OrgUser): void {
    const app = this.d.oauth.app;
    const allowed = app.scope.split(' ');
    const asked = (q.get('scope') ?? app.scope).split(/[\s+]+/).filter((s) => s && allowed.includes(s));
    const lines = [...new Set((asked.length ? asked : allowed).map((s) => SCOPE_TEXT[s] ?? s))];
    const again = new URLSearchParams();
    for (const k of CARRIED) if (q.get(k)) again.set(k, q.get(k)!);
    again.set('prompt', 'login');
    this.page(
      res,
      'Allow Access?',
      `<h1 class="slds-text-heading_medium slds-m-bottom_small">Allow Access?</h1>
<p class="slds-m-bottom_small"><strong id="app-name">${esc(app.label)}</strong> is asking to:</p>
<ul class="slds-list_dotted slds-m-bottom_small" id="scopes">${lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>
<p class="slds-text-body_small slds-m-bottom_small">Do you want to allow access for <span id="username">${esc(user.username)}</span>? (<a href="/services/oauth2/authorize?${esc(again.toString())}">Not you?</a>)</p>
<form method="post" action="/services/oauth2/authorize">${this.hidden(req, q)}
<button class="slds-button slds-button_neutral" type="submit" name="action" value="deny">Deny</button>
<button class="slds-button slds-button_brand" type="submit" name="action" value="allow">Allow</button></form>`,
      new URL(q.get('redirect_uri')!).origin,
    );
  }
}
