/**
 * Http, HttpRequest, HttpResponse, and the Apex REST context (RestContext, RestRequest, RestResponse).
 *
 * Http.send rules, in order: callouts limit (100); an active savepoint -> CalloutException "All active Savepoints must
 * be released before making callouts."; uncommitted DML in the transaction -> CalloutException
 * "You have uncommitted work pending. Please commit or rollback before calling out"; cumulative callout time of
 * the transaction at most 120 s ("Exceeded maximum time allotted for callout (120000 ms)"); in a test, the mock set
 * with Test.setMock answers, and without one System.TypeException "Methods defined as TestMethod do not support
 * Web service callouts"; otherwise Runtime.http sends it (it routes `callout:Named_Credential/...` URLs and turns
 * timeouts into CalloutException "Read timed out").
 */
import { platformError } from '../core/errors.js';
import type { NativeClass, NativeFn, Runtime } from '../core/runtime.js';
import { ApexBlob, ApexInstance, ApexMap, NativeInstance, T, type ApexValue } from '../core/values.js';
import { mapGet, mapPut } from './collections.js';
import { native, npe, reqBlob, reqBool, reqInt, reqStr, stateOf, str, strList, unsupported } from './util.js';

export const MAX_CALLOUT_TIMEOUT_MS = 120000;
export const DEFAULT_CALLOUT_TIMEOUT_MS = 10000;

// ---------------------------------------------------------------------------------------------
// HttpRequest
// ---------------------------------------------------------------------------------------------

interface Headers {
  /** lower-cased name -> [name as set, value] */
  map: Map<string, [string, string]>;
}

export interface HttpRequestState {
  endpoint: string | null;
  method: string | null;
  headers: Headers;
  body: Buffer | null;
  timeout: number;
  compressed: boolean;
}

export interface HttpResponseState {
  statusCode: number;
  status: string | null;
  headers: Headers;
  body: Buffer | null;
}

function req(s: ApexValue): HttpRequestState {
  return native<HttpRequestState>(s, 'System.HttpRequest').state;
}

function res(s: ApexValue): HttpResponseState {
  return native<HttpResponseState>(s, 'System.HttpResponse').state;
}

function headerGet(h: Headers, name: ApexValue): ApexValue {
  const n = str(name);
  if (n === null) return null;
  return h.map.get(n.toLowerCase())?.[1] ?? null;
}

function headerSet(h: Headers, name: ApexValue, value: ApexValue): void {
  const n = reqStr(name);
  const v = value === null ? null : reqStr(value);
  if (v === null) h.map.delete(n.toLowerCase());
  else h.map.set(n.toLowerCase(), [n, v]);
}

export function newHttpRequest(): NativeInstance<HttpRequestState> {
  return new NativeInstance<HttpRequestState>('System.HttpRequest', {
    endpoint: null,
    method: null,
    headers: { map: new Map() },
    body: null,
    timeout: DEFAULT_CALLOUT_TIMEOUT_MS,
    compressed: false,
  });
}

export function newHttpResponse(): NativeInstance<HttpResponseState> {
  return new NativeInstance<HttpResponseState>('System.HttpResponse', {
    statusCode: 0,
    status: null,
    headers: { map: new Map() },
    body: null,
  });
}

const requestMethods: Record<string, NativeFn> = {
  setendpoint: (_rt, a, s) => {
    req(s).endpoint = str(a[0]);
    return null;
  },
  getendpoint: (_rt, _a, s) => req(s).endpoint,
  setmethod: (_rt, a, s) => {
    req(s).method = str(a[0]);
    return null;
  },
  getmethod: (_rt, _a, s) => req(s).method,
  setheader: (_rt, a, s) => {
    headerSet(req(s).headers, a[0], a[1]);
    return null;
  },
  getheader: (_rt, a, s) => headerGet(req(s).headers, a[0]),
  setbody: (_rt, a, s) => {
    const b = str(a[0]);
    req(s).body = b === null ? null : Buffer.from(b, 'utf8');
    return null;
  },
  getbody: (_rt, _a, s) => req(s).body?.toString('utf8') ?? '',
  setbodyasblob: (_rt, a, s) => {
    req(s).body = a[0] === null ? null : Buffer.from(reqBlob(a[0]).bytes);
    return null;
  },
  getbodyasblob: (_rt, _a, s) => {
    const b = req(s).body;
    return b === null ? null : new ApexBlob(Buffer.from(b));
  },
  settimeout: (_rt, a, s) => {
    const t = reqInt(a[0]);
    if (t < 1 || t > MAX_CALLOUT_TIMEOUT_MS)
      throw platformError(
        'System.CalloutException',
        `Timeout must be between 1 and ${MAX_CALLOUT_TIMEOUT_MS} ms: ${t}`,
      );
    req(s).timeout = t;
    return null;
  },
  setcompressed: (_rt, a, s) => {
    req(s).compressed = reqBool(a[0]);
    return null;
  },
  getcompressed: (_rt, _a, s) => req(s).compressed,
  setclientcertificate: () => unsupported('HttpRequest.setClientCertificate'),
  setclientcertificatename: () => unsupported('HttpRequest.setClientCertificateName'),
  setbodydocument: () => unsupported('HttpRequest.setBodyDocument'),
  getbodydocument: () => unsupported('HttpRequest.getBodyDocument'),
  tostring: (_rt, _a, s) => `System.HttpRequest[Endpoint=${req(s).endpoint}, Method=${req(s).method}]`,
};

export const HttpRequestClass: NativeClass = {
  name: 'System.HttpRequest',
  aliases: ['HttpRequest'],
  construct: () => newHttpRequest(),
  methods: requestMethods,
  superTypes: ['object'],
};

const responseMethods: Record<string, NativeFn> = {
  getstatuscode: (_rt, _a, s) => res(s).statusCode,
  setstatuscode: (_rt, a, s) => {
    res(s).statusCode = reqInt(a[0]);
    return null;
  },
  getstatus: (_rt, _a, s) => res(s).status,
  setstatus: (_rt, a, s) => {
    res(s).status = str(a[0]);
    return null;
  },
  getbody: (_rt, _a, s) => res(s).body?.toString('utf8') ?? '',
  setbody: (_rt, a, s) => {
    const b = str(a[0]);
    res(s).body = b === null ? null : Buffer.from(b, 'utf8');
    return null;
  },
  getbodyasblob: (_rt, _a, s) => {
    const b = res(s).body;
    return b === null ? null : new ApexBlob(Buffer.from(b));
  },
  setbodyasblob: (_rt, a, s) => {
    res(s).body = a[0] === null ? null : Buffer.from(reqBlob(a[0]).bytes);
    return null;
  },
  getheader: (_rt, a, s) => headerGet(res(s).headers, a[0]),
  setheader: (_rt, a, s) => {
    headerSet(res(s).headers, a[0], a[1]);
    return null;
  },
  getheaderkeys: (_rt, _a, s) => strList([...res(s).headers.map.values()].map(([n]) => n)),
  getxmlstreamreader: () => unsupported('HttpResponse.getXmlStreamReader'),
  getbodydocument: () => unsupported('HttpResponse.getBodyDocument'),
  tostring: (_rt, _a, s) => `System.HttpResponse[Status=${res(s).status}, StatusCode=${res(s).statusCode}]`,
};

export const HttpResponseClass: NativeClass = {
  name: 'System.HttpResponse',
  aliases: ['HttpResponse'],
  construct: () => newHttpResponse(),
  methods: responseMethods,
  superTypes: ['object'],
};

// ---------------------------------------------------------------------------------------------
// Http.send
// ---------------------------------------------------------------------------------------------

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'TRACE', 'OPTIONS']);

export function httpSend(rt: Runtime, request: ApexValue): ApexValue {
  if (request === null) throw npe();
  const r = req(request);
  if (!r.endpoint) throw platformError('System.CalloutException', 'Endpoint URL is not set');
  const method = (r.method ?? '').toUpperCase();
  if (!METHODS.has(method))
    throw platformError('System.CalloutException', `Invalid HTTP method: ${r.method ?? 'null'}`);
  rt.limits.consume('callouts', 1);
  // Rule (Spring '24, "Make Callouts After Rolling Back DML and Releasing Savepoints"): a savepoint set and not released
  // with Database.releaseSavepoint blocks callouts, whether or not DML followed it or it was rolled back to.
  if ((rt.db.activeSavepoints?.() ?? 0) > 0)
    throw platformError('System.CalloutException', 'All active Savepoints must be released before making callouts.');
  if (rt.db.hasUncommittedWork()) {
    throw platformError(
      'System.CalloutException',
      'You have uncommitted work pending. Please commit or rollback before calling out',
    );
  }
  const st = stateOf(rt);
  const remaining = MAX_CALLOUT_TIMEOUT_MS - st.calloutMs;
  if (remaining <= 0)
    throw platformError(
      'System.CalloutException',
      `Exceeded maximum time allotted for callout (${MAX_CALLOUT_TIMEOUT_MS} ms)`,
    );

  if (rt.test) {
    const mock = rt.test.httpMock;
    if (mock === null)
      throw platformError('System.TypeException', 'Methods defined as TestMethod do not support Web service callouts');
    const out = rt.interp.callMethod(mock, 'respond', [request]);
    if (out === null) throw npe();
    native<HttpResponseState>(out, 'System.HttpResponse');
    return out;
  }

  checkRemoteSite(rt, r.endpoint);
  const headers: Record<string, string> = {};
  for (const [n, v] of r.headers.map.values()) headers[n] = v;
  if (r.compressed) unsupported('HttpRequest.setCompressed(true) (gzip request bodies)');
  const started = Date.now();
  try {
    const answer = rt.http.send({
      method,
      url: r.endpoint,
      headers,
      body: r.body?.toString('utf8') ?? '',
      timeoutMs: Math.min(r.timeout, remaining),
    });
    const out = newHttpResponse();
    out.state.statusCode = answer.status;
    out.state.status = answer.statusText;
    for (const [k, v] of Object.entries(answer.headers)) out.state.headers.map.set(k.toLowerCase(), [k, v]);
    out.state.body = Buffer.from(answer.body, 'utf8');
    return out;
  } finally {
    st.calloutMs += Date.now() - started;
  }
}

/**
 * Rule "remote site settings": outside tests, a callout to a URL goes only to a host registered in an active Remote
 * Site Setting (same protocol unless the site disables protocol security); otherwise System.CalloutException
 * "Unauthorized endpoint, please check Setup->Security->Remote site settings. endpoint = URL". A test's
 * HttpCalloutMock answers before this check. Source: Apex Developer Guide, "Adding Remote Site Settings" ("Before
 * any Apex callout can call an external site, that site must be registered in the Remote Site Settings page, or
 * the call fails").
 */
function checkRemoteSite(rt: Runtime, endpoint: string): void {
  if (/^callout:/i.test(endpoint)) unsupported('Named Credentials as callout endpoints (callout:...)');
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw platformError('System.CalloutException', `no protocol: ${endpoint}`);
  }
  const allowed = rt.schema.remoteSites().some((site) => {
    if (!site.isActive) return false;
    let siteUrl: URL;
    try {
      siteUrl = new URL(site.url);
    } catch {
      return false;
    }
    return (
      siteUrl.hostname.toLowerCase() === url.hostname.toLowerCase() &&
      siteUrl.port === url.port &&
      (site.disableProtocolSecurity || siteUrl.protocol === url.protocol)
    );
  });
  if (!allowed)
    throw platformError(
      'System.CalloutException',
      `Unauthorized endpoint, please check Setup->Security->Remote site settings. endpoint = ${endpoint}`,
    );
}

export const HttpClass: NativeClass = {
  name: 'System.Http',
  aliases: ['Http'],
  construct: () => new NativeInstance('System.Http', {}),
  methods: {
    send: (rt, a) => httpSend(rt, a[0]),
    tostring: () => 'System.Http',
  },
  superTypes: ['object'],
};

/** Cumulative callout time of the transaction in ms (for Limits-like reporting and tests). */
export function calloutTimeMs(rt: Runtime): number {
  return stateOf(rt).calloutMs;
}

// ---------------------------------------------------------------------------------------------
// Apex REST: RestContext, RestRequest, RestResponse
// ---------------------------------------------------------------------------------------------

export interface RestRequestState {
  requestURI: ApexValue;
  httpMethod: ApexValue;
  params: ApexMap;
  headers: ApexMap;
  requestBody: ApexValue;
  resourcePath: ApexValue;
  remoteAddress: ApexValue;
}

export interface RestResponseState {
  statusCode: ApexValue;
  responseBody: ApexValue;
  headers: ApexMap;
}

export function newRestRequest(): NativeInstance<RestRequestState> {
  return new NativeInstance<RestRequestState>('System.RestRequest', {
    requestURI: null,
    httpMethod: null,
    params: new ApexMap(T.String, T.String),
    headers: new ApexMap(T.String, T.String),
    requestBody: null,
    resourcePath: null,
    remoteAddress: null,
  });
}

export function newRestResponse(): NativeInstance<RestResponseState> {
  return new NativeInstance<RestResponseState>('System.RestResponse', {
    statusCode: null,
    responseBody: null,
    headers: new ApexMap(T.String, T.String),
  });
}

function rreq(s: ApexValue): RestRequestState {
  return native<RestRequestState>(s, 'System.RestRequest').state;
}
function rres(s: ApexValue): RestResponseState {
  return native<RestResponseState>(s, 'System.RestResponse').state;
}

function field<S, K extends keyof S>(get: (s: ApexValue) => S, key: K, check?: (v: ApexValue) => ApexValue) {
  return {
    get: (_rt: Runtime, s: ApexValue) => get(s)[key] as unknown as ApexValue,
    set: (_rt: Runtime, s: ApexValue, v: ApexValue) => {
      (get(s) as Record<K, unknown>)[key] = check ? check(v) : v;
    },
  };
}

const blobOrNull = (v: ApexValue) => (v === null ? null : reqBlob(v));
const strOrNull = (v: ApexValue) => str(v);
const mapOrEmpty = (v: ApexValue) => {
  if (v === null) throw npe();
  if (!(v instanceof ApexMap)) throw platformError('System.TypeException', 'Expected Map<String, String>');
  return v;
};

export const RestRequestClass: NativeClass = {
  name: 'System.RestRequest',
  aliases: ['RestRequest'],
  construct: () => newRestRequest(),
  props: {
    requesturi: field(rreq, 'requestURI', strOrNull),
    httpmethod: field(rreq, 'httpMethod', strOrNull),
    params: field(rreq, 'params', mapOrEmpty),
    headers: field(rreq, 'headers', mapOrEmpty),
    requestbody: field(rreq, 'requestBody', blobOrNull),
    resourcepath: field(rreq, 'resourcePath', strOrNull),
    remoteaddress: field(rreq, 'remoteAddress', strOrNull),
  },
  methods: {
    addheader: (rt, a, s) => {
      mapPut(rt, rreq(s).headers, reqStr(a[0]), str(a[1]));
      return null;
    },
    addparameter: (rt, a, s) => {
      mapPut(rt, rreq(s).params, reqStr(a[0]), str(a[1]));
      return null;
    },
  },
  superTypes: ['object'],
};

export const RestResponseClass: NativeClass = {
  name: 'System.RestResponse',
  aliases: ['RestResponse'],
  construct: () => newRestResponse(),
  props: {
    statuscode: field(rres, 'statusCode', (v) => (v === null ? null : reqInt(v))),
    responsebody: field(rres, 'responseBody', blobOrNull),
    headers: field(rres, 'headers', mapOrEmpty),
  },
  methods: {
    addheader: (rt, a, s) => {
      mapPut(rt, rres(s).headers, reqStr(a[0]), str(a[1]));
      return null;
    },
  },
  superTypes: ['object'],
};

export const RestContextClass: NativeClass = {
  name: 'System.RestContext',
  aliases: ['RestContext'],
  staticProps: {
    request: (rt) => stateOf(rt).restRequest,
    response: (rt) => stateOf(rt).restResponse,
  },
  staticPropSetters: {
    request: (rt, v) => {
      if (v !== null) native(v, 'System.RestRequest');
      stateOf(rt).restRequest = v;
    },
    response: (rt, v) => {
      if (v !== null) native(v, 'System.RestResponse');
      stateOf(rt).restResponse = v;
    },
  },
};

/**
 * For the org's /services/apexrest dispatcher: sets RestContext.request/response for a call and returns them;
 * afterwards `readRestResponse` gives status, headers and body as the handler left them.
 */
export function setRestContext(
  rt: Runtime,
  r: {
    method: string;
    requestURI: string;
    resourcePath: string;
    params: Record<string, string>;
    headers: Record<string, string>;
    body: string;
    remoteAddress?: string;
  },
): { request: NativeInstance<RestRequestState>; response: NativeInstance<RestResponseState> } {
  const request = newRestRequest();
  const s = request.state;
  s.httpMethod = r.method.toUpperCase();
  s.requestURI = r.requestURI;
  s.resourcePath = r.resourcePath;
  s.remoteAddress = r.remoteAddress ?? '127.0.0.1';
  s.requestBody = new ApexBlob(Buffer.from(r.body ?? '', 'utf8'));
  for (const [k, v] of Object.entries(r.params)) mapPut(rt, s.params, k, v);
  for (const [k, v] of Object.entries(r.headers)) mapPut(rt, s.headers, k, v);
  const response = newRestResponse();
  stateOf(rt).restRequest = request;
  stateOf(rt).restResponse = response;
  return { request, response };
}

export function readRestResponse(
  rt: Runtime,
  response: ApexValue,
): { statusCode: number | null; headers: Record<string, string>; body: Buffer | null } {
  const s = rres(response);
  const headers: Record<string, string> = {};
  for (const [, [k, v]] of s.headers.entries) if (typeof k === 'string' && v !== null) headers[k] = String(v);
  void mapGet;
  void rt;
  return {
    statusCode: typeof s.statusCode === 'number' ? s.statusCode : null,
    headers,
    body: s.responseBody instanceof ApexBlob ? s.responseBody.bytes : null,
  };
}

export const httpClasses: NativeClass[] = [
  HttpClass,
  HttpRequestClass,
  HttpResponseClass,
  RestContextClass,
  RestRequestClass,
  RestResponseClass,
];

export { ApexInstance };
