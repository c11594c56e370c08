/**
 * The REST API of the local org, as `sf`, jsforce and other clients call it (REST API Developer Guide):
 *   GET    /services/data                              versions (20.0 ... 62.0, the project's sourceApiVersion)
 *   GET    /services/data/vNN.0                        resources of a version
 *   GET    /services/data/vNN.0/query?q=SOQL           query as the token's user (user mode: sharing, CRUD, FLS)
 *   GET    /services/data/vNN.0/queryAll?q=SOQL        the same, with rows in the recycle bin
 *   GET    /services/data/vNN.0/query/01g...-N         the next batch (nextRecordsUrl)
 *   GET    /services/data/vNN.0/sobjects               global describe (the objects the user can read)
 *   GET    /services/data/vNN.0/sobjects/X             basic information;  POST: create
 *   GET    /services/data/vNN.0/sobjects/X/describe    describe
 *   GET|PATCH|DELETE /services/data/vNN.0/sobjects/X/ID   read (?fields=), update, delete (triggers, validation)
 *   GET    /services/data/vNN.0/limits                 org limits
 *   GET    /services/oauth2/userinfo                   OpenID Connect user info
 * The Tooling API (/services/data/vNN.0/tooling/...) and the Apex SOAP API (/services/Soap/s/NN.0) are in
 * tooling-api.ts and soap-apex.ts. Errors: [{"message","errorCode"(,"fields")}] with the status codes of the guide's
 * "Status Codes and Error Responses": 400 for malformed input, query and save errors; 401 INVALID_SESSION_ID;
 * 403 INSUFFICIENT_ACCESS_OR_READONLY ("The request has been refused. Verify that the logged-in user has appropriate
 * permissions"); 404 NOT_FOUND; 405 METHOD_NOT_ALLOWED.
 * Everything else under /services/data (actions/custom/apex) falls through to org-api-routes.ts.
 */
import type * as http from 'node:http';
import type { LocalOrgApi, OrgDataApi } from '../../localorg/core/org-api.js';
import type { LocalObjectDef } from '../../localorg/metadata/types.js';
import type { OAuthServer, Session } from '../http/oauth.js';
import type { UserDirectory } from '../org/user-directory.js';
import { HttpError, readBody, resourceList, sendJson } from '../http/http-util.js';
import { apiError, errorsToHttp, methodNotAllowed, notFound, requireSession } from './api-errors.js';
import { queryAnswer, QueryCursors } from './rest-query.js';
import { describeBasic, describeGlobal, describeObject } from './rest-describe.js';
import { ToolingApi } from './tooling-api.js';
import { SoapApex } from './soap-apex.js';
import { OrgLimits } from './rest-limits.js';
import { queryColumns } from './rest-columns.js';

/** The newest version this org answers (the project's sourceApiVersion). */
export const MAX_API_VERSION = '62.0';
const MIN_API_VERSION = 20;

const SEASONS = ['Winter', 'Spring', 'Summer'];
/** "Winter '25" for 62.0: three releases a year, Winter '25 = 62.0. */
function releaseLabel(v: number): string {
  const k = v - 62;
  const season = SEASONS[((k % 3) + 3) % 3];
  const year = 25 + Math.floor(k / 3);
  return `${season} '${String(year).padStart(2, '0')}`;
}

/** A call to a resource of a versioned API (`/services/data/vNN.0/...`), as its handler sees it. */
export interface ApiCall {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  url: URL;
  method: string;
  /** `62.0` */
  version: string;
  /** The path below the API's base (`/query`; `/` for the base itself). */
  rest: string;
  /** The session of the call's Bearer token. */
  s: Session;
}

/** What the REST API and the org API routes (org-api-routes.ts) are built on. */
export interface RestApiDeps {
  org: LocalOrgApi;
  oauth: OAuthServer;
  users: UserDirectory;
  instanceUrl: () => string;
  /** Called after every call that may have enqueued jobs. */
  afterCall: () => void;
}

async function jsonBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readBody(req);
  let v: unknown;
  try {
    v = JSON.parse(raw || 'null');
  } catch (e) {
    throw apiError(400, 'JSON_PARSER_ERROR', `Unexpected character in the request body: ${(e as Error).message}`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw apiError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object of field names and values.');
  return v as Record<string, unknown>;
}

export class RestApi {
  private readonly cursors = new QueryCursors();
  readonly tooling: ToolingApi;
  private readonly soap: SoapApex;
  readonly limits: OrgLimits;

  constructor(private readonly d: RestApiDeps) {
    this.limits = new OrgLimits(d.org);
    this.tooling = new ToolingApi({ ...d, cursors: this.cursors, data: () => this.data() });
    this.soap = new SoapApex({ ...d, data: () => this.data(), tooling: () => this.tooling });
  }

  private data(): OrgDataApi {
    const api = this.d.org.dataApi?.();
    if (!api) throw apiError(501, 'UNSUPPORTED_FEATURE', 'This org has no data API (a test fake)');
    return api;
  }

  private session(req: http.IncomingMessage): Session {
    return requireSession(this.d.oauth, req);
  }

  /** Handles the request when the path is ours; false otherwise. */
  async handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> {
    const p = url.pathname;
    if (p === '/services/data' || p === '/services/data/') {
      const versions = [];
      for (let v = MIN_API_VERSION; v <= Number(MAX_API_VERSION); v++)
        versions.push({ label: releaseLabel(v), url: `/services/data/v${v}.0`, version: `${v}.0` });
      sendJson(res, 200, versions);
      return true;
    }
    if (p === '/services/oauth2/userinfo') {
      this.userInfo(res, this.session(req));
      return true;
    }
    if (/^\/services\/Soap\/s\/\d+\.0(\/.*)?$/.test(p)) {
      await this.soap.handle(req, res, url);
      return true;
    }
    const m = /^\/services\/data\/v(\d{2}\.\d)(\/.*)?$/.exec(p);
    if (!m) return false;
    const version = m[1];
    const rest = (m[2] ?? '/').replace(/\/+$/, '') || '/';
    if (Number(version) > Number(MAX_API_VERSION) || Number(version) < MIN_API_VERSION) {
      this.session(req);
      throw notFound();
    }
    if (rest.startsWith('/actions')) return false;
    const call: ApiCall = { req, res, url, method: req.method ?? 'GET', version, rest, s: this.session(req) };
    this.limits.countRequest();
    if (rest.startsWith('/tooling/') || rest === '/tooling') {
      await this.tooling.handle({ ...call, rest: rest.slice('/tooling'.length) || '/' });
      return true;
    }
    await this.route(call);
    return true;
  }

  private async route(call: ApiCall): Promise<void> {
    const { res, method, version, rest, s } = call;
    const base = `/services/data/v${version}`;
    if (rest === '/') {
      sendJson(res, 200, resourceList(base, ['tooling', 'query', 'queryAll', 'sobjects', 'limits', 'actions']));
      return;
    }
    if (rest === '/limits') {
      if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(method, 'GET,HEAD');
      sendJson(res, 200, this.limits.snapshot());
      return;
    }
    const q = /^\/(query|queryAll)(?:\/([^/]+))?$/.exec(rest);
    if (q) {
      if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(method, 'GET,HEAD');
      this.query(call, q[1] === 'queryAll', q[2]);
      return;
    }
    if (rest === '/sobjects') {
      if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(method, 'GET,HEAD');
      const data = this.data();
      const objects = data
        .objects(s.userId)
        .map((d) => data.object(d.name, s.userId))
        .filter((o): o is NonNullable<typeof o> => o !== null)
        .map((o) => ({ def: o.def as LocalObjectDef, access: o.access }));
      sendJson(res, 200, describeGlobal(objects, version));
      return;
    }
    const so = /^\/sobjects\/([A-Za-z][A-Za-z0-9_]*)(?:\/([^/]+))?$/.exec(rest);
    if (so) {
      await this.sobject(call, so[1], so[2]);
      return;
    }
    throw notFound();
  }

  private query({ req, res, url, version, s }: ApiCall, all: boolean, locator: string | undefined): void {
    const soql = url.searchParams.get('q');
    if (!locator && soql && url.searchParams.get('columns') === 'true') {
      // The column metadata of a query the user may run (the query runs first, so its errors are the query's).
      const r = this.data().query(soql, s.userId);
      if (!r.ok) throw errorsToHttp(r.errors);
      sendJson(res, 200, queryColumns(this.d.org.schema, soql));
      return;
    }
    const base = `/services/data/v${version}/query`;
    const q = { req, url, base, locator, userId: s.userId, blankIsMissing: true };
    const { page } = queryAnswer(this.cursors, q, (soql) => {
      const r = this.data().query(soql, s.userId, { includeDeleted: all });
      if (!r.ok) throw errorsToHttp(r.errors);
      return r.value;
    });
    sendJson(res, 200, page);
  }

  private async sobject(call: ApiCall, objectName: string, sub: string | undefined): Promise<void> {
    const { req, res, url, method, version, s } = call;
    const data = this.data();
    const o = data.object(objectName, s.userId);
    // An unknown object, or one the user cannot read, is not a resource (404 NOT_FOUND), as on the platform.
    if (!o) throw notFound();
    const def = o.def as LocalObjectDef;
    if (sub === undefined) {
      if (method === 'GET' || method === 'HEAD') {
        sendJson(res, 200, describeBasic(def, o.access, version));
        return;
      }
      if (method !== 'POST') throw methodNotAllowed(method, 'GET,HEAD,POST');
      const body = await jsonBody(req);
      const r = data.create(def.name, body, s.userId);
      this.d.afterCall();
      if (!r.ok) throw errorsToHttp(r.errors);
      sendJson(res, 201, { id: r.value, success: true, errors: [] });
      return;
    }
    if (sub === 'describe') {
      if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(method, 'GET,HEAD');
      const all = data.objects(s.userId) as LocalObjectDef[];
      sendJson(res, 200, describeObject(def, o.access, version, all));
      return;
    }
    const id = sub;
    if (method === 'GET' || method === 'HEAD') {
      const fields = url.searchParams.get('fields');
      const r = data.retrieve(
        def.name,
        id,
        fields
          ? fields
              .split(',')
              .map((f) => f.trim())
              .filter(Boolean)
          : null,
        s.userId,
      );
      if (!r.ok) throw errorsToHttp(r.errors);
      sendJson(res, 200, r.value);
      return;
    }
    if (method === 'PATCH') {
      const body = await jsonBody(req);
      const r = data.update(def.name, id, body, s.userId);
      this.d.afterCall();
      if (!r.ok) throw errorsToHttp(r.errors);
      res.writeHead(204);
      res.end();
      return;
    }
    if (method === 'DELETE') {
      const r = data.remove(def.name, id, s.userId);
      this.d.afterCall();
      if (!r.ok) throw errorsToHttp(r.errors);
      res.writeHead(204);
      res.end();
      return;
    }
    throw methodNotAllowed(method, 'GET,HEAD,PATCH,DELETE');
  }

  /** OpenID Connect UserInfo (Salesforce Help, "UserInfo Endpoint"). */
  private userInfo(res: http.ServerResponse, s: Session): void {
    const u = this.d.users.byId(s.userId);
    if (!u) throw new HttpError(403, 'Bad_Id');
    const base = this.d.instanceUrl();
    const orgId = this.d.org.orgId.value;
    const [given, ...family] = u.name.split(' ');
    sendJson(res, 200, {
      sub: `${base}/id/${orgId}/${u.id}`,
      user_id: u.id,
      organization_id: orgId,
      preferred_username: u.username,
      nickname: u.username.split('@')[0],
      name: u.name,
      email: u.email,
      email_verified: true,
      given_name: family.length ? given : '',
      family_name: family.length ? family.join(' ') : given,
      zoneinfo: 'America/Los_Angeles',
      active: true,
      user_type: 'STANDARD',
      language: 'en_US',
      locale: 'en_US',
      utcOffset: -28800000,
      is_app_installed: true,
      urls: {
        enterprise: `${base}/services/Soap/c/{version}/${orgId.slice(0, 15)}`,
        metadata: `${base}/services/Soap/m/{version}/${orgId.slice(0, 15)}`,
        partner: `${base}/services/Soap/u/{version}/${orgId.slice(0, 15)}`,
        rest: `${base}/services/data/v{version}/`,
        sobjects: `${base}/services/data/v{version}/sobjects/`,
        search: `${base}/services/data/v{version}/search/`,
        query: `${base}/services/data/v{version}/query/`,
        recent: `${base}/services/data/v{version}/recent/`,
        tooling_soap: `${base}/services/Soap/T/{version}/${orgId.slice(0, 15)}`,
        tooling_rest: `${base}/services/data/v{version}/tooling/`,
        profile: `${base}/${u.id}`,
        custom_domain: base,
      },
    });
  }
}
