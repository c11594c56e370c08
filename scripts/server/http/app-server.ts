/**
 * The local org's web server: the Setup tab page, the browser's Apex bridge, the OAuth endpoints and the
 * org-like REST API. One LocalOrgApi instance behind it; every call is its own transaction, and the job pump runs
 * what the calls enqueued shortly after.
 */
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import type { LocalOrgApi } from '../../localorg/core/org-api.js';
import { ApexBridge } from './apex-bridge.js';
import { HttpError, sendJson, sendText } from './http-util.js';
import { OAuthServer, type ConnectedApp } from './oauth.js';
import { OrgApiRoutes } from './org-api-routes.js';
import { pageShell } from './page-shell.js';
import { serveFile } from './static-files.js';
import { isBuiltAsset, readAssetManifest, type AssetManifest } from '../build/bundle-setup-tab.js';
import { EventStream } from './event-stream.js';
import { AuthorizePages } from './oauth-authorize.js';
import { LocalAccess, newStartupKey, sendNeedsKey, setSecurityHeaders } from './local-access.js';
import { UserDirectory, type OrgUser } from '../org/user-directory.js';
import { JobPump } from '../org/job-pump.js';
import { id, soqlString } from '../org/records.js';
import { RestApi, type RestApiDeps } from '../api/rest-api.js';
import { installJwtBearer } from '../api/jwt-bearer.js';
import type { KeyObject } from 'node:crypto';

const require_ = createRequire(import.meta.url);

export interface AppServerOptions {
  org: LocalOrgApi;
  connectedApp: ConnectedApp;
  /** Folder with assets/setup-tab.js and assets/shell.css; absent = API only. */
  buildDir?: string;
  /** Usernames offered in the "View as" menu. */
  demoUsernames?: string[];
  /** Toast duration on the page (ms). */
  toastMs?: number;
  jobPump?: { afterCallMs?: number; pollMs?: number };
  log?: (line: string) => void;
  /** The connected app's certificate key for the JWT bearer flow (api/jwt-bearer.ts); absent = no JWT flow. */
  jwtPublicKey?: KeyObject;
  /** Extra diagnostics for /__local/status. */
  diagnostics?: () => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** The start-up key of the printed URLs (default: a new random one, see `loginUrl`). */
  startupKey?: string;
  /** The clock of tokens and codes (tests move it). */
  now?: () => number;
  /** Session timeout: access tokens and browser logins last this long (`--session-minutes`, default 120). */
  sessionMinutes?: number;
}

export const TAB_API_NAME = 'Avochato_Setup';
const TAB_LABEL = 'Avochato Setup';
const APP_LABEL = 'Avochato';

export class AppServer {
  readonly server: http.Server;
  readonly users: UserDirectory;
  readonly oauth: OAuthServer;
  readonly jobs: JobPump;
  readonly events = new EventStream();
  private readonly apex: ApexBridge;
  private readonly api: OrgApiRoutes;
  readonly rest: RestApi;
  readonly access: LocalAccess;
  readonly authorize: AuthorizePages;
  private readonly startupKey: string;
  private port = 0;
  private readonly sldsDir: string;

  constructor(private readonly o: AppServerOptions) {
    const log = o.log ?? (() => undefined);
    this.startupKey = o.startupKey ?? newStartupKey();
    const sessionMs = (o.sessionMinutes ?? 120) * 60 * 1000;
    this.access = new LocalAccess(this.startupKey, () => this.port);
    this.users = new UserDirectory(o.org);
    this.jobs = new JobPump(o.org, {
      ...o.jobPump,
      onRun: (n, ms) => log(`async: ${n} queued job${n === 1 ? '' : 's'} ran (${ms} ms)`),
      onError: (err) => log(`async: queued jobs failed: ${String(err)}`),
    });
    this.oauth = new OAuthServer(
      o.connectedApp,
      o.org.orgId.value,
      () => this.baseUrl,
      (username) => this.users.byUsername(username)?.id ?? null,
      sessionMs,
      o.now,
    );
    this.authorize = new AuthorizePages({
      oauth: this.oauth,
      access: this.access,
      users: this.users,
      sessionMs,
      now: o.now ?? Date.now,
    });
    const afterCall = (): void => this.jobs.kick();
    this.apex = new ApexBridge(o.org, this.oauth, afterCall);
    const apiDeps: RestApiDeps = {
      org: o.org,
      oauth: this.oauth,
      users: this.users,
      instanceUrl: () => this.baseUrl,
      afterCall,
    };
    this.api = new OrgApiRoutes(apiDeps);
    this.rest = new RestApi(apiDeps);
    if (o.jwtPublicKey)
      installJwtBearer(this.oauth, {
        publicKey: o.jwtPublicKey,
        loginUrl: () => this.baseUrl,
        findActiveUser: (username) => {
          const rows = o.org.query(
            `SELECT Id FROM User WHERE Username = ${soqlString(username)} AND IsActive = true LIMIT 1`,
          );
          return rows.length ? id(rows[0]) : null;
        },
      });
    this.sldsDir = path.join(path.dirname(require_.resolve('@salesforce-ux/design-system/package.json')), 'assets');
    this.server = http.createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => this.fail(res, err));
    });
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The URL to print: opening it once gives the browser the operator cookie. */
  loginUrl(pathname = `/lightning/n/${TAB_API_NAME}`): string {
    return `${this.baseUrl}${pathname}?key=${this.startupKey}`;
  }

  listen(port: number, host = '127.0.0.1'): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        reject(
          err.code === 'EADDRINUSE' ? new Error(`port ${port} is already in use (set PORT to another port)`) : err,
        );
      };
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        const addr = this.server.address();
        this.port = typeof addr === 'object' && addr ? addr.port : port;
        resolve(this.port);
      });
    });
  }

  async close(): Promise<void> {
    this.jobs.stop();
    this.events.closeAll();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private fail(res: http.ServerResponse, err: unknown): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (err instanceof HttpError) {
      if (typeof err.body === 'string') sendText(res, err.status, err.body, 'text/plain; charset=utf-8');
      else sendJson(res, err.status, err.body, err.status === 401 ? { 'WWW-Authenticate': 'Token' } : {});
      return;
    }
    if (err instanceof URIError) {
      // A malformed %-escape in the path or a parameter: the client's error, said without the server's internals.
      sendJson(res, 400, [{ errorCode: 'MALFORMED_URL', message: 'The request URL is not correctly encoded.' }]);
      return;
    }
    // The details go to the server's log only: an answer never carries internal messages or stacks.
    this.o.log?.(`server error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    sendJson(res, 500, [
      { errorCode: 'UNKNOWN_EXCEPTION', message: 'The local server hit an unexpected error (see its console).' },
    ]);
  }

  /**
   * Who the page is for: the user logged in with this browser (the authorize page's login), else the admin (the
   * operator who opened the printed URL). `?as=USERNAME` views the page as another user, for an admin only.
   */
  private viewer(req: http.IncomingMessage, url: URL): OrgUser {
    const login = this.authorize.loginOf(req) ?? this.users.admin();
    const as = url.searchParams.get('as');
    if (as) {
      if (login.profileName !== 'System Administrator')
        throw new HttpError(
          403,
          `Only an administrator can view the page as another user (logged in as ${login.username}).`,
        );
      const u = this.users.byUsername(as);
      if (!u)
        throw new HttpError(
          404,
          `No user with username ${as} in the local org. Try one of: ${(this.o.demoUsernames ?? []).join(', ')}`,
        );
      return u;
    }
    return login;
  }

  private manifest: AssetManifest | null | undefined;

  /** The build's content-hashed asset names (read once; null for a build without a manifest). */
  private assets(): AssetManifest | null {
    if (this.manifest === undefined) this.manifest = this.o.buildDir ? readAssetManifest(this.o.buildDir) : null;
    return this.manifest;
  }

  private page(req: http.IncomingMessage, res: http.ServerResponse, url: URL, staticBody?: string): void {
    if (!this.o.buildDir) throw new HttpError(404, 'This server was started without the Setup tab (API only).');
    const viewer = this.viewer(req, url);
    const nonce = randomBytes(16).toString('base64');
    setSecurityHeaders(res, { nonce });
    const { accessToken } = this.oauth.issue(viewer.id);
    const html = pageShell({
      context: {
        userId: viewer.id,
        username: viewer.username,
        name: viewer.name,
        orgId: this.o.org.orgId.value,
        accessToken,
        customPermissions: this.users.customPermissions(viewer.id),
        toastMs: this.o.toastMs ?? 5000,
        tabApiName: TAB_API_NAME,
      },
      viewer,
      switchable: this.users.sample(this.o.demoUsernames ?? []),
      tabLabel: TAB_LABEL,
      tabApiName: TAB_API_NAME,
      appLabel: APP_LABEL,
      staticBody,
      ...(this.assets()
        ? {
            assets: { scripts: this.assets()!.scripts, styles: this.assets()!.styles, preload: this.assets()!.preload },
          }
        : {}),
      nonce,
    });
    sendText(res, 200, html, 'text/html; charset=utf-8', { 'Cache-Control': 'no-store' });
  }

  /** Setup > Apex Jobs, as far as the local org knows it: the async runs of this server and what waits. */
  private jobsPage(url: URL): string {
    const rows = this.jobs.history
      .slice()
      .reverse()
      .map(
        (h) =>
          `<tr><td>${h.at.replace('T', ' ').slice(0, 19)} UTC</td><td>${h.jobs}</td><td>${h.ms} ms</td><td>${h.error ? h.error.replace(/[<>&]/g, '') : 'Completed'}</td></tr>`,
      )
      .join('');
    return `<div class="slds-box slds-theme_default">
      <h1 class="slds-text-heading_medium slds-m-bottom_small">Apex Jobs (local org)</h1>
      <p class="slds-m-bottom_small">Jobs waiting: ${this.o.org.pendingJobs()}. Queued jobs run shortly after the transaction that enqueued them, each in its own transaction.</p>
      <table class="slds-table slds-table_bordered slds-table_cell-buffer"><thead><tr><th>Run at</th><th>Jobs</th><th>Time</th><th>Result</th></tr></thead>
      <tbody>${rows || '<tr><td colspan="4">No queued job has run since the server started.</td></tr>'}</tbody></table>
      <p class="slds-m-top_small"><a href="/lightning/n/${TAB_API_NAME}${url.search}">Back to Avochato Setup</a></p></div>`;
  }

  /** Pages and diagnostics of the browser: they need the operator cookie (APIs need an OAuth token instead). */
  private isBrowserPath(p: string): boolean {
    return (
      p === '/' ||
      p.startsWith('/lightning') ||
      p === '/one/one.app' ||
      p === '/__local/events' ||
      p === '/__local/status'
    );
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!this.access.hostAllowed(req.headers.host)) return LocalAccess.refuseHost(res);
    setSecurityHeaders(res);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const p = url.pathname;
    // A path with a malformed %-escape (e.g. /assets/%) is the client's error: URIError, answered 400 by fail().
    decodeURIComponent(p);
    if (this.access.exchangeKey(req, res, url)) return;
    if (this.isBrowserPath(p) && !this.access.isOperator(req)) return sendNeedsKey(res);
    if (p === '/' || p === '/lightning' || p === '/lightning/page/home' || p === '/one/one.app') {
      res.writeHead(302, { Location: `/lightning/n/${TAB_API_NAME}${url.search}` });
      res.end();
      return;
    }
    if (p === `/lightning/n/${TAB_API_NAME}`) return this.page(req, res, url);
    const rec = /^\/lightning\/r\/([^/]+)\/([^/]+)\/view$/.exec(p);
    if (rec) {
      const esc = (s: string): string => s.replace(/[^A-Za-z0-9_]/g, '');
      return this.page(
        req,
        res,
        url,
        `<div class="slds-box slds-theme_default"><h1 class="slds-text-heading_medium">${esc(rec[1])} ${esc(rec[2])}</h1>
         <p class="slds-m-top_small">Record pages are not part of the local org. <a href="/lightning/n/${TAB_API_NAME}${url.search}">Back to Avochato Setup</a></p></div>`,
      );
    }
    if (p === '/lightning/setup/AsyncApexJobs/home') return this.page(req, res, url, this.jobsPage(url));
    if (p.startsWith('/assets/') && this.o.buildDir) {
      // Content-hashed names (the build's manifest) are kept by browsers for a year; anything else revalidates.
      const name = p.slice('/assets/'.length);
      const hashed = isBuiltAsset(this.assets(), name);
      if (serveFile(req, res, path.join(this.o.buildDir, 'assets'), name, hashed ? 'immutable' : 0)) return;
    }
    if (p.startsWith('/slds/')) {
      if (serveFile(req, res, this.sldsDir, p.slice('/slds/'.length), 3600)) return;
    }
    if (p.startsWith('/_slds/')) {
      // lightning-base-components ask for SLDS assets under /_slds/ (icons, images).
      if (serveFile(req, res, this.sldsDir, p.slice('/_slds/'.length), 3600)) return;
    }
    if (p === '/__local/apex') return this.apex.handle(req, res);
    if (p === '/__local/events') {
      // EventSource cannot send headers: the stream is the operator's browser's (cookie), never a token in the URL.
      this.events.open(req, res, url.searchParams.get('channel') ?? '');
      return;
    }
    if (p === '/__local/status') {
      const extra = (await this.o.diagnostics?.()) ?? {};
      sendJson(res, 200, {
        pendingJobs: this.o.org.pendingJobs(),
        apexCalls: this.apex.log.slice(-50),
        asyncRuns: this.jobs.history.slice(-20),
        ...extra,
      });
      return;
    }
    if (p === '/services/oauth2/token') return this.oauth.token(req, res, url);
    if (p === '/services/oauth2/authorize') return this.authorize.handle(req, res, url);
    if (p === '/services/oauth2/revoke') return this.oauth.revoke(req, res, url);
    if (await this.rest.handle(req, res, url)) return;
    if (await this.api.handle(req, res, url)) return;
    if (p === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    throw new HttpError(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  }
}
