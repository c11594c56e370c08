/**
 * The org-like API for outside systems, with Bearer tokens and the platform's JSON shapes:
 *   GET  /services/data                                      API versions
 *   GET  /services/data/vNN.0/actions/custom/apex            list invocable Apex actions
 *   GET  /services/data/vNN.0/actions/custom/apex/ClassName  describe one
 *   POST /services/data/vNN.0/actions/custom/apex/ClassName  invoke: {"inputs":[...]} -> [{actionName, errors, isSuccess, outputValues}]
 *   ANY  /services/apexrest/...                              @RestResource classes
 *   GET  /id/ORGID/USERID                                    identity of the token's user
 * A missing, unknown or expired token: 401 [{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}].
 */
import type * as http from 'node:http';
import type { InvocableActionInfo } from '../../localorg/core/org-api.js';
import { ApexId } from '../../localorg/core/values.js';
import { methodNotAllowed, notFound, requireSession } from '../api/api-errors.js';
import type { ApiCall, RestApiDeps } from '../api/rest-api.js';
import type { Session } from './oauth.js';
import { HttpError, headerMap, queryMap, readBody, resourceList, sendJson, sendText } from './http-util.js';

/** The invocable method's name, when the org reports it (the platform's actionName for Apex actions). */
type ActionInfo = InvocableActionInfo & { methodName?: string };

export type OrgApiDeps = RestApiDeps;

function platformType(apexType: string, isSObject: (name: string) => boolean): { type: string; maxOccurs: number } {
  const m = /^(?:List|Set)<\s*(.+)\s*>$/i.exec(apexType.trim());
  const base = (m ? m[1] : apexType).trim();
  const known: Record<string, string> = {
    string: 'STRING',
    id: 'ID',
    boolean: 'BOOLEAN',
    integer: 'INTEGER',
    long: 'LONG',
    double: 'DOUBLE',
    decimal: 'DOUBLE',
    date: 'DATE',
    datetime: 'DATETIME',
    time: 'TIME',
    blob: 'BLOB',
    object: 'ANYTYPE',
  };
  const type = known[base.toLowerCase()] ?? (base.toLowerCase() === 'sobject' || isSObject(base) ? 'SOBJECT' : 'APEX');
  return { type, maxOccurs: m ? 2000 : 1 };
}

function describe(a: ActionInfo, version: string, isSObject: (name: string) => boolean): Record<string, unknown> {
  return {
    description: a.description,
    inputs: a.inputs.map((i) => ({
      byteLength: 0,
      description: i.description,
      label: i.label,
      maxOccurs: platformType(i.type, isSObject).maxOccurs,
      name: i.name,
      picklistValues: null,
      required: i.required,
      sobjectType: null,
      type: platformType(i.type, isSObject).type,
    })),
    label: a.label,
    name: a.className,
    outputs: a.outputs.map((o) => ({
      description: o.description,
      label: o.label,
      maxOccurs: platformType(o.type, isSObject).maxOccurs,
      name: o.name,
      picklistValues: null,
      sobjectType: null,
      type: platformType(o.type, isSObject).type,
    })),
    category: a.category ?? null,
    standardData: null,
    targetEntityName: null,
    type: 'APEX',
    url: `/services/data/v${version}/actions/custom/apex/${a.className}`,
  };
}

export class OrgApiRoutes {
  constructor(private readonly d: OrgApiDeps) {}

  /** Handles the request if the path is ours; returns false otherwise. */
  async handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> {
    const p = url.pathname;
    const data = /^\/services\/data\/v(\d{2}\.0)(\/.*)?$/.exec(p);
    if (data) {
      const s = requireSession(this.d.oauth, req);
      await this.data({ req, res, url, method: req.method ?? 'GET', version: data[1], rest: data[2] ?? '/', s });
      return true;
    }
    if (p.startsWith('/services/apexrest/') || p === '/services/apexrest') {
      const s = requireSession(this.d.oauth, req);
      await this.apexRest(req, res, url, s);
      return true;
    }
    const idUrl = /^\/id\/([a-zA-Z0-9]{15,18})\/([a-zA-Z0-9]{15,18})$/.exec(p);
    if (idUrl) {
      const s = requireSession(this.d.oauth, req);
      this.identity(res, idUrl[1], idUrl[2], s);
      return true;
    }
    return false;
  }

  private async data({ req, res, method, version, rest, s }: ApiCall): Promise<void> {
    const base = `/services/data/v${version}`;
    if (rest === '/' || rest === '') {
      sendJson(res, 200, resourceList(base, ['actions']));
      return;
    }
    if (rest === '/actions' || rest === '/actions/') {
      sendJson(res, 200, resourceList(`${base}/actions`, ['standard', 'custom']));
      return;
    }
    if (rest === '/actions/custom' || rest === '/actions/custom/') {
      sendJson(res, 200, resourceList(`${base}/actions/custom`, ['apex']));
      return;
    }
    if (rest === '/actions/custom/apex' || rest === '/actions/custom/apex/') {
      if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(method, 'GET,HEAD');
      const actions = this.d.org.listInvocableActions().map((a) => ({
        label: a.label,
        name: a.className,
        type: 'APEX',
        url: `/services/data/v${version}/actions/custom/apex/${a.className}`,
      }));
      sendJson(res, 200, { actions });
      return;
    }
    const one = /^\/actions\/custom\/apex\/([A-Za-z_][A-Za-z0-9_]*)\/?$/.exec(rest);
    if (one) {
      const action = this.d.org
        .listInvocableActions()
        .find((a) => a.className.toLowerCase() === one[1].toLowerCase()) as ActionInfo | undefined;
      if (!action) throw notFound();
      if (method === 'GET' || method === 'HEAD') {
        sendJson(
          res,
          200,
          describe(action, version, (n) => this.d.org.schema.getObject(n) !== undefined),
        );
        return;
      }
      if (method !== 'POST') throw methodNotAllowed(method, 'GET,HEAD,POST');
      await this.invoke(req, res, action, s);
      return;
    }
    throw notFound();
  }

  private async invoke(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    action: ActionInfo,
    s: Session,
  ): Promise<void> {
    const raw = await readBody(req);
    let inputs: Record<string, unknown>[];
    try {
      const body = JSON.parse(raw) as { inputs?: unknown };
      if (
        !body ||
        !Array.isArray(body.inputs) ||
        body.inputs.some((x) => !x || typeof x !== 'object' || Array.isArray(x))
      )
        throw new Error('inputs');
      inputs = body.inputs as Record<string, unknown>[];
    } catch {
      throw new HttpError(400, [
        {
          errorCode: 'JSON_PARSER_ERROR',
          message: 'The request body must be a JSON object with an "inputs" array of objects.',
        },
      ]);
    }
    const actionName = action.methodName ?? action.className;
    const missing = action.inputs.filter((i) => i.required);
    const invalid = inputs.map((inp) =>
      missing.filter((i) => inp[i.name] === undefined || inp[i.name] === null).map((i) => i.name),
    );
    if (invalid.some((names) => names.length)) {
      sendJson(
        res,
        400,
        inputs.map((_, k) => ({
          actionName,
          errors: invalid[k].length
            ? invalid[k].map((n) => ({
                statusCode: 'REQUIRED_FIELD_MISSING',
                message: `Missing required input parameter: ${n}`,
                fields: [],
              }))
            : null,
          isSuccess: invalid[k].length === 0,
          outputValues: null,
          version: 1,
        })),
      );
      return;
    }
    const result = this.d.org.invokeInvocable(action.className, inputs, new ApexId(s.userId));
    this.d.afterCall();
    if (!result.ok) {
      const message = `${result.error.typeName}: ${result.error.message}`;
      sendJson(
        res,
        400,
        inputs.map(() => ({
          actionName,
          errors: [{ statusCode: 'UNKNOWN_EXCEPTION', message, fields: [] }],
          isSuccess: false,
          outputValues: null,
          version: 1,
        })),
      );
      return;
    }
    sendJson(
      res,
      200,
      inputs.map((_, k) => ({
        actionName,
        errors: null,
        isSuccess: true,
        outputValues: result.value[k] ?? null,
        version: 1,
      })),
    );
  }

  private async apexRest(req: http.IncomingMessage, res: http.ServerResponse, url: URL, s: Session): Promise<void> {
    const body = await readBody(req);
    const path = url.pathname.slice('/services/apexrest'.length) || '/';
    const out = this.d.org.invokeRest(
      { method: req.method ?? 'GET', path, query: queryMap(url), headers: headerMap(req), body },
      new ApexId(s.userId),
    );
    this.d.afterCall();
    const headers: Record<string, string> = { ...out.headers };
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
      headers['Content-Type'] = 'application/json;charset=UTF-8';
    const ct = Object.entries(headers).find(([h]) => h.toLowerCase() === 'content-type')![1];
    for (const h of Object.keys(headers)) if (h.toLowerCase() === 'content-type') delete headers[h];
    sendText(res, out.status, out.body, ct, headers);
  }

  private identity(res: http.ServerResponse, orgId: string, userId: string, s: Session): void {
    if (userId.slice(0, 15) !== s.userId.slice(0, 15) || orgId.slice(0, 15) !== this.d.org.orgId.value.slice(0, 15)) {
      throw new HttpError(403, 'Bad_Id');
    }
    const u = this.d.users.byId(s.userId);
    if (!u) throw notFound();
    const base = this.d.instanceUrl();
    sendJson(res, 200, {
      id: `${base}/id/${this.d.org.orgId.value}/${u.id}`,
      asserted_user: true,
      user_id: u.id,
      organization_id: this.d.org.orgId.value,
      username: u.username,
      nick_name: u.username.split('@')[0],
      display_name: u.name,
      email: u.email,
      active: true,
      user_type: 'STANDARD',
      urls: {
        rest: `${base}/services/data/v{version}/`,
        custom_domain: base,
      },
    });
  }
}
