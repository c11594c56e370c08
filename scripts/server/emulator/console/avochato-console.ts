/**
 * The Avochato console, as far as the seed's quick setup goes (section B): *Integrations* (Connect Production /
 * Connect Sandbox, the connection's state, instance URL and user, Disconnect) and *Settings -> API Access* (a User
 * picker and Generate Credentials, which shows the Auth Id and Auth Secret once and the outcome of the sync to
 * Salesforce). Server-rendered pages (no script), behind the same start-up key as the org's pages. The
 * connections are SalesforceConnector instances (connector/salesforce-connector.ts).
 */
import { randomBytes } from 'node:crypto';
import type * as http from 'node:http';
import { LocalAccess, sendNeedsKey, setSecurityHeaders } from '../../http/local-access.js';
import { ReconnectNeeded, SalesforceConnector, type PushResult } from '../connector/salesforce-connector.js';

export interface AvochatoUser {
  name: string;
  email: string;
  username?: string;
}

export interface ConsoleConfig {
  startupKey: string;
  /** The org's login host (locally the same org serves Production and Sandbox). */
  orgUrl: string;
  clientId: string;
  clientSecret: string;
  users: AvochatoUser[];
  inboxes?: string[];
}

type Env = 'production' | 'sandbox';
const ENVS: Env[] = ['production', 'sandbox'];
const LABEL: Record<Env, string> = { production: 'Production', sandbox: 'Sandbox' };
export const CALLBACK_PATH = '/integrations/salesforce/callback';

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `body{font-family:system-ui,sans-serif;margin:0;background:#f3f6f9;color:#1b2a3a}
header{background:#0b7a6f;color:#fff;padding:.8rem 1.5rem;display:flex;gap:1.5rem;align-items:center}
header a{color:#fff;text-decoration:none;font-weight:600}header strong{font-size:1.2rem;margin-right:1rem}
main{max-width:56rem;margin:1.5rem auto;padding:0 1rem}.card{background:#fff;border-radius:.5rem;padding:1rem 1.25rem;margin-bottom:1rem;box-shadow:0 1px 2px #0002}
.badge{display:inline-block;padding:.1rem .55rem;border-radius:1rem;font-size:.85rem;font-weight:600}
.b-Connected{background:#d7f5e9;color:#05653d}.b-Not{background:#e5e9ee;color:#3b4a5a}.b-Reconnect{background:#fde7d6;color:#8c3b00}
button{background:#16a37f;color:#fff;border:0;border-radius:.35rem;padding:.5rem 1rem;font-weight:600;cursor:pointer}
button.secondary{background:#fff;color:#0b7a6f;border:1px solid #0b7a6f}.note{color:#55657a;font-size:.9rem}
.secret{font-family:ui-monospace,monospace;background:#fff7db;padding:.2rem .4rem;border-radius:.25rem}
.ok{color:#05653d}.err{color:#b3261e}label{display:block;margin:.5rem 0 .25rem;font-weight:600}select,input{padding:.4rem;min-width:18rem}`;

export class AvochatoConsole {
  private readonly access: LocalAccess;
  private readonly connections: Record<Env, SalesforceConnector>;
  private flash: string | null = null;

  constructor(
    private readonly cfg: ConsoleConfig,
    private readonly baseUrl: () => string,
    port: () => number,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.access = new LocalAccess(cfg.startupKey, port);
    const make = (): SalesforceConnector =>
      new SalesforceConnector({
        clientId: cfg.clientId,
        clientSecret: cfg.clientSecret,
        redirectUri: `${baseUrl()}${CALLBACK_PATH}`,
        loginUrl: cfg.orgUrl,
        log: (l) => log(`console: ${l}`),
      });
    this.connections = { production: make(), sandbox: make() };
  }

  static isConsolePath(p: string): boolean {
    return p === '/' || p.startsWith('/integrations') || p.startsWith('/settings');
  }

  /** The connection of an environment (tests). */
  connection(env: Env): SalesforceConnector {
    return this.connections[env];
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    if (!this.access.hostAllowed(req.headers.host)) return LocalAccess.refuseHost(res);
    setSecurityHeaders(res, { formTargets: [new URL(this.cfg.orgUrl).origin] });
    if (this.access.exchangeKey(req, res, url)) return;
    if (!this.access.isOperator(req)) return sendNeedsKey(res);
    const post = req.method === 'POST';
    if (post) {
      // Forms post to this origin only (the cookie is SameSite=Strict too).
      const origin = req.headers.origin;
      if (
        origin &&
        origin !== new URL(this.baseUrl()).origin &&
        origin !== `http://localhost:${new URL(this.baseUrl()).port}`
      )
        return this.html(res, 403, 'Refused', '<p class="err">This form was not sent from the console.</p>');
    }
    const form = post ? new URLSearchParams(await readForm(req)) : new URLSearchParams();
    const p = url.pathname;
    if (p === '/') return this.redirect(res, '/integrations');
    if (p === '/integrations' && !post) return this.integrations(res);
    if (p === '/integrations/salesforce/connect' && post) {
      const env = this.env(form);
      return this.redirect(res, this.connections[env].beginAuthorize());
    }
    if (p === CALLBACK_PATH && !post) return this.callback(res, url.searchParams);
    if (p === '/integrations/salesforce/disconnect' && post) {
      const env = this.env(form);
      await this.connections[env].disconnect();
      this.flash = `Disconnected from Salesforce ${LABEL[env]}.`;
      return this.redirect(res, '/integrations');
    }
    if (p === '/settings/api-access' && !post) return this.apiAccess(res, null);
    if (p === '/settings/api-access/generate' && post) return this.generate(res, form);
    return this.html(res, 404, 'Not found', '<p>No such page.</p>');
  }

  private env(form: URLSearchParams): Env {
    return form.get('env') === 'sandbox' ? 'sandbox' : 'production';
  }

  private async callback(res: http.ServerResponse, q: URLSearchParams): Promise<void> {
    const env = ENVS.find((e) => this.connections[e].expects(q.get('state') ?? '')) ?? 'production';
    try {
      await this.connections[env].completeAuthorize(q);
      this.flash = `Connected to Salesforce ${LABEL[env]} as ${this.connections[env].username ?? 'unknown'}.`;
    } catch (err) {
      this.flash = `Could not connect to Salesforce ${LABEL[env]}: ${err instanceof Error ? err.message : String(err)}`;
    }
    return this.redirect(res, '/integrations');
  }

  private integrations(res: http.ServerResponse): void {
    const cards = ENVS.map((env) => {
      const c = this.connections[env];
      const badge = c.status.split(' ')[0];
      const details =
        c.status === 'Not connected'
          ? '<p class="note">Not connected to a Salesforce org.</p>'
          : `<p>Instance URL: <span data-field="instance">${esc(c.instanceUrl ?? '')}</span><br>User: <span data-field="user">${esc(c.username ?? '')}</span></p>`;
      const connect =
        c.status === 'Connected'
          ? `<a href="/settings/api-access">Settings</a>`
          : `<form method="post" action="/integrations/salesforce/connect"><input type="hidden" name="env" value="${env}"><button type="submit">${c.status === 'Reconnect needed' ? `Reconnect ${LABEL[env]}` : `Connect ${LABEL[env]}`}</button></form>`;
      const disconnect =
        c.status === 'Not connected'
          ? ''
          : `<form method="post" action="/integrations/salesforce/disconnect"><input type="hidden" name="env" value="${env}"><button class="secondary" type="submit">Disconnect ${LABEL[env]}</button></form>`;
      return `<section class="card" data-env="${env}"><h2>Salesforce ${LABEL[env]} <span class="badge b-${badge}" data-field="status">${esc(c.status)}</span></h2>${details}<div style="display:flex;gap:.75rem;align-items:center">${connect}${disconnect}</div></section>`;
    }).join('');
    this.html(
      res,
      200,
      'Integrations',
      `${this.takeFlash()}<p class="note">Connect Avochato to the Salesforce org where Avochato for Salesforce is installed: Production when you are ready to go live, Sandbox while testing.</p>${cards}`,
    );
  }

  private apiAccess(res: http.ServerResponse, result: string | null): void {
    const users = this.cfg.users
      .map((u, i) => `<option value="${i}">${esc(u.name)} (${esc(u.email)})</option>`)
      .join('');
    const inboxes = (this.cfg.inboxes ?? ['sales', 'support'])
      .map((b) => `<option value="${esc(b)}">${esc(b)}</option>`)
      .join('');
    this.html(
      res,
      200,
      'API Access',
      `${result ?? ''}<section class="card"><h2>Generate API credentials</h2>
<form method="post" action="/settings/api-access/generate">
<label for="user">User</label><select id="user" name="user">${users}</select>
<label for="inbox">Inbox</label><select id="inbox" name="inbox">${inboxes}</select>
<p><button type="submit">Generate Credentials</button></p></form>
<p class="note">The user's Avochato accounts and inboxes are what the credentials can use. When Avochato is connected to Salesforce, the credentials sync there at once.</p></section>`,
    );
  }

  private async generate(res: http.ServerResponse, form: URLSearchParams): Promise<void> {
    const user = this.cfg.users[Number(form.get('user'))];
    if (!user) return this.apiAccess(res, '<p class="card err">Choose a user.</p>');
    const inbox = form.get('inbox') || null;
    const authId = `AVO-${randomBytes(6).toString('hex').toUpperCase()}`;
    const authSecret = randomBytes(24).toString('base64url');
    const outcomes: string[] = [];
    for (const env of ENVS) {
      const c = this.connections[env];
      if (c.status === 'Not connected') continue;
      outcomes.push(await this.sync(env, c, { authId, authSecret, inbox, user }));
    }
    if (!outcomes.length)
      outcomes.push(
        '<li data-sync="none">Not synced: Avochato is not connected to Salesforce. Connect it under Integrations, or add the credential in Salesforce by hand.</li>',
      );
    this.apiAccess(
      res,
      `<section class="card" id="generated"><h2>New API credentials for ${esc(user.name)}</h2>
<p>Auth Id: <span class="secret" data-field="auth-id">${esc(authId)}</span><br>Auth Secret: <span class="secret" data-field="auth-secret">${esc(authSecret)}</span></p>
<p class="note">Save the Auth Secret somewhere safe: it will not be shown again.</p>
<h3>Sync to Salesforce</h3><ul>${outcomes.join('')}</ul></section>`,
    );
  }

  private async sync(
    env: Env,
    c: SalesforceConnector,
    x: { authId: string; authSecret: string; inbox: string | null; user: AvochatoUser },
  ): Promise<string> {
    const where = `Salesforce ${LABEL[env]}`;
    try {
      const [r]: PushResult[] = await c.pushCredentials([
        {
          authId: x.authId,
          authSecret: x.authSecret,
          inbox: x.inbox,
          user: { email: x.user.email, username: x.user.username ?? x.user.email },
        },
      ]);
      if (r.success)
        return `<li class="ok" data-sync="${env}">Synced to ${where}: ${r.created ? 'created' : 'updated'}, status ${esc(r.status ?? 'Pending')}. Salesforce confirms it in the background.</li>`;
      return `<li class="err" data-sync="${env}">Not synced to ${where}: ${esc(r.error ?? 'refused')}</li>`;
    } catch (err) {
      if (err instanceof ReconnectNeeded)
        return `<li class="err" data-sync="${env}">Not synced to ${where}: Reconnect needed (Integrations).</li>`;
      this.log(`console: sync to ${env} failed: ${err instanceof Error ? err.message : String(err)}`);
      return `<li class="err" data-sync="${env}">Not synced to ${where}: ${esc(err instanceof Error ? err.message : String(err))}</li>`;
    }
  }

  private takeFlash(): string {
    const f = this.flash;
    this.flash = null;
    return f ? `<p class="card" role="status" id="flash">${esc(f)}</p>` : '';
  }

  private redirect(res: http.ServerResponse, location: string): void {
    res.writeHead(303, { Location: location, 'Cache-Control': 'no-store' });
    res.end();
  }

  private html(res: http.ServerResponse, status: number, title: string, body: string): void {
    const nav = `<header><strong>Avochato</strong><a href="/integrations">Integrations</a><a href="/settings/api-access">Settings &rsaquo; API Access</a><span class="note" style="color:#d9f2ec;margin-left:auto">local emulator</span></header>`;
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)} | Avochato</title><style>${STYLE}</style></head><body>${nav}<main><h1>${esc(title)}</h1>${body}</main></body></html>`;
    res.writeHead(status, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Length': String(Buffer.byteLength(html)),
    });
    res.end(html);
  }
}

async function readForm(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 64 * 1024) throw new Error('form too large');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
