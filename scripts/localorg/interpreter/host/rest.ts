/**
 * Apex REST: `/services/apexrest/...` dispatched to `@RestResource` classes.
 *
 * Rules (Apex Developer Guide, "RestResource Annotation", "Exposing Apex Classes as REST Web Services";
 * Apex Reference, RestRequest / RestResponse):
 * - the URL mapping is case-sensitive; a `*` stands for the rest of the path when it ends the mapping
 *   (`/a/b/*` matches `/a/b`, `/a/b/` and `/a/b/anything/below`) and for one path segment elsewhere;
 * - an exact match always wins; otherwise the longest (by string length) matching wildcard mapping; no match is
 *   404 `[{"errorCode":"NOT_FOUND","message":"Could not find a match for URL"}]`;
 * - the HTTP method picks the `@HttpGet/@HttpPost/@HttpPut/@HttpPatch/@HttpDelete` method (HEAD runs the GET
 *   method and drops the body); a method the class does not handle is 405
 *   `[{"errorCode":"METHOD_NOT_ALLOWED","message":"HTTP Method 'PUT' not allowed. Allowed are GET,POST"}]`;
 * - RestContext.request carries requestURI (the path after /services/apexrest), httpMethod, params (query string),
 *   headers, resourcePath (`/services/apexrest` + the mapping) and requestBody (a Blob of the body);
 *   RestContext.response is a fresh RestResponse;
 * - a method without parameters reads the body from requestBody; a method with parameters gets them bound from a
 *   JSON object body by parameter name (JSON.deserialize rules), and then requestBody stays null. A body that
 *   does not fit is 400 `[{"errorCode":"JSON_PARSER_ERROR","message":...}]`;
 * - the response: a method that returns a value answers that value serialized as JSON (null fields left out),
 *   otherwise the RestResponse's responseBody; the status is RestResponse.statusCode (200 when unset); headers are
 *   RestResponse.headers;
 * - an uncaught exception rolls the transaction back and answers 500
 *   `[{"errorCode":"APEX_ERROR","message":"Type: message\n\nClass.X.y: line N, column 1"}]`.
 */
import { mayRunApexClass, restClassDenied } from './class-access.js';
import { PlatformError } from '../../core/errors.js';
import type { RestResponseInfo } from '../../core/org-api.js';
import type { ApexId, ApexValue } from '../../core/values.js';
import type { LocalOrg } from '../../org.js';
import { JObj, parseJson, toJsonTree, typed, writeJson, type JNode } from '../../stdlib/json.js';
import { readRestResponse, setRestContext } from '../../stdlib/http.js';
import { stateOf } from '../../stdlib/util.js';
import type { MethodDecl } from '../ast.js';
import type { ClassInfo } from '../classes/class-info.js';
import { invoke } from '../eval/calls.js';
import type { Interpreter } from '../eval/interpreter.js';
import type { TxRuntime } from './tx-runtime.js';
import { annotation, annotationText } from './apex-json.js';

export interface RestRequestIn {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
}

interface RestResource {
  cls: ClassInfo;
  mapping: string;
  pattern: RegExp | null;
  /** HTTP method (upper case) -> the Apex method, in declaration order. */
  handlers: Map<string, MethodDecl>;
}

const HTTP_ANNOTATIONS: [string, string][] = [
  ['httpget', 'GET'],
  ['httppost', 'POST'],
  ['httpput', 'PUT'],
  ['httppatch', 'PATCH'],
  ['httpdelete', 'DELETE'],
];

const JSON_TYPE = 'application/json;charset=UTF-8';

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The regular expression of a wildcard mapping, or null for a mapping without `*`. */
export function mappingPattern(mapping: string): RegExp | null {
  if (!mapping.includes('*')) return null;
  const parts = mapping.split('/');
  let re = '';
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    const last = i === parts.length - 1;
    if (i === 0) {
      re += escapeRe(p);
      continue;
    }
    if (p === '*' && last) re += '(?:/.*)?';
    else if (p === '*') re += '/[^/]+';
    else re += '/' + escapeRe(p);
  }
  return new RegExp(`^${re}$`);
}

const resourceCache = new WeakMap<LocalOrg, RestResource[]>();

export function restResources(org: LocalOrg): RestResource[] {
  let list = resourceCache.get(org);
  if (list) return list;
  list = [];
  for (const cls of org.reg.classes.values()) {
    if (!cls.decl || cls.isTest) continue;
    const a = annotation(cls.decl.mods, 'restresource');
    if (!a) continue;
    const mapping = annotationText(a, 'urlmapping') ?? annotationText(a, 'value');
    if (!mapping) continue;
    const handlers = new Map<string, MethodDecl>();
    for (const m of cls.decl.methods) {
      if (!m.mods.isStatic) continue;
      for (const [an, verb] of HTTP_ANNOTATIONS) {
        if (annotation(m.mods, an) && !handlers.has(verb)) handlers.set(verb, m);
      }
    }
    list.push({ cls, mapping, pattern: mappingPattern(mapping), handlers });
  }
  resourceCache.set(org, list);
  return list;
}

function trimSlash(p: string): string {
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

/** The resource for a path: an exact mapping, else the longest matching wildcard mapping. */
export function matchResource(resources: RestResource[], path: string): RestResource | null {
  const exact = resources.find((r) => !r.pattern && trimSlash(r.mapping) === trimSlash(path));
  if (exact) return exact;
  let best: RestResource | null = null;
  for (const r of resources) {
    if (r.pattern && r.pattern.test(path) && (!best || r.mapping.length > best.mapping.length)) best = r;
  }
  return best;
}

function errorResponse(status: number, errorCode: string, message: string): RestResponseInfo {
  return { status, headers: { 'Content-Type': JSON_TYPE }, body: JSON.stringify([{ errorCode, message }]) };
}

function hasHeader(h: Record<string, string>, name: string): boolean {
  const l = name.toLowerCase();
  return Object.keys(h).some((k) => k.toLowerCase() === l);
}

type Bound = { args: ApexValue[] } | { error: RestResponseInfo };

/** Binds a JSON object body to the method's parameters by name (exact name first, then ignoring case). */
function bindParams(rt: TxRuntime, interp: Interpreter, cls: ClassInfo, m: MethodDecl, body: string): Bound {
  if (body.trim() === '') return { args: m.params.map(() => null) };
  let tree: JNode;
  try {
    tree = parseJson(body);
  } catch (e) {
    if (e instanceof PlatformError) return { error: errorResponse(400, 'JSON_PARSER_ERROR', e.message) };
    throw e;
  }
  if (!(tree instanceof JObj)) {
    return {
      error: errorResponse(
        400,
        'JSON_PARSER_ERROR',
        `Expected a JSON object whose keys are the parameters of ${cls.name}.${m.name}: ${m.params.map((p) => p.name).join(', ')}`,
      ),
    };
  }
  const byName = new Map<string, JNode>();
  for (const [k, v] of tree.entries) {
    const p = m.params.find((x) => x.name === k) ?? m.params.find((x) => x.name.toLowerCase() === k.toLowerCase());
    if (!p) {
      return {
        error: errorResponse(400, 'JSON_PARSER_ERROR', `Unexpected parameter encountered during deserialization: ${k}`),
      };
    }
    byName.set(p.name, v);
  }
  const args: ApexValue[] = [];
  for (const p of m.params) {
    const node = byName.get(p.name);
    if (node === undefined || node === null) {
      args.push(null);
      continue;
    }
    try {
      args.push(typed(rt, node, interp.resolveTypeRefIn(p.type, m, cls)));
    } catch (e) {
      if (e instanceof PlatformError) return { error: errorResponse(400, 'JSON_PARSER_ERROR', e.message) };
      throw e;
    }
  }
  return { args };
}

export function invokeRest(org: LocalOrg, req: RestRequestIn, asUserId: ApexId): RestResponseInfo {
  let path = req.path || '/';
  const query: Record<string, string> = { ...req.query };
  const q = path.indexOf('?');
  if (q >= 0) {
    for (const [k, v] of new URLSearchParams(path.slice(q + 1))) if (!(k in query)) query[k] = v;
    path = path.slice(0, q);
  }
  if (!path.startsWith('/')) path = '/' + path;
  const resource = matchResource(restResources(org), path);
  if (!resource) return errorResponse(404, 'NOT_FOUND', 'Could not find a match for URL');
  const verb = req.method.toUpperCase();
  const isHead = verb === 'HEAD';
  const m = resource.handlers.get(isHead ? 'GET' : verb);
  if (!m) {
    const allowed = [...resource.handlers.keys()].join(',');
    return errorResponse(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${verb}' not allowed. Allowed are ${allowed}`);
  }
  const cls = resource.cls;
  const r = org.runTransaction(asUserId, (rt, interp): RestResponseInfo => {
    rt.quiddity = 'REST';
    // Class Security (Apex Developer Guide): an Apex REST resource runs only for users granted its class
    if (!mayRunApexClass(rt, cls.name)) return errorResponse(403, 'FORBIDDEN', restClassDenied(cls.name));
    const { request, response } = setRestContext(rt, {
      method: isHead ? 'GET' : verb,
      requestURI: path,
      resourcePath: `/services/apexrest${resource.mapping}`,
      params: query,
      headers: req.headers,
      body: req.body ?? '',
    });
    let args: ApexValue[] = [];
    if (m.params.length) {
      request.state.requestBody = null;
      const bound = bindParams(rt, interp, cls, m, req.body ?? '');
      if ('error' in bound) return bound.error;
      args = bound.args;
    }
    interp.ensureStatic(cls);
    const ret = invoke(interp, m, cls, null, args);
    const current = stateOf(rt).restResponse ?? response;
    const out = readRestResponse(rt, current);
    const headers = { ...out.headers };
    let body: string;
    if (m.returnType && m.returnType.name.toLowerCase() !== 'void') {
      body = writeJson(toJsonTree(rt, ret, { suppressNulls: true }));
      if (!hasHeader(headers, 'Content-Type')) headers['Content-Type'] = JSON_TYPE;
    } else body = out.body ? out.body.toString('utf8') : '';
    return { status: out.statusCode ?? 200, headers, body: isHead ? '' : body };
  });
  if (r.ok) return r.value;
  const e = r.error;
  const text = `${e.typeName}: ${e.message}` + (e.stackTrace ? `\n\n${e.stackTrace}` : '');
  return errorResponse(500, 'APEX_ERROR', text);
}
