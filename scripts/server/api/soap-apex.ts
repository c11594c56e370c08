/**
 * The Apex SOAP API's executeAnonymous (POST /services/Soap/s/NN.0[/ORGID]), which `sf apex run` calls
 * (@salesforce/apex-node ExecuteService: the session in SessionHeader, a DebuggingHeader, the debug log back in the
 * response's DebuggingInfo header). Answers with the Apex WSDL's ExecuteAnonymousResult (column, compileProblem,
 * compiled, exceptionMessage, exceptionStackTrace, line, success). A missing or unknown session is a SOAP fault
 * sf:INVALID_SESSION_ID with HTTP 500, as SOAP faults are. Only executeAnonymous is offered; other Apex SOAP calls
 * (compileClasses, runTests, ...) are a fault naming them unsupported.
 */
import type * as http from 'node:http';
import { XMLParser } from 'fast-xml-parser';
import type { OrgDataApi } from '../../localorg/core/org-api.js';
import type { OAuthServer } from '../http/oauth.js';
import { readBody, sendText } from '../http/http-util.js';
import type { ToolingApi } from './tooling-api.js';

export interface SoapApexDeps {
  oauth: OAuthServer;
  data: () => OrgDataApi;
  afterCall: () => void;
  tooling?: () => ToolingApi;
}

const xmlEscape = (s: string): string =>
  s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

const ENVELOPE_OPEN =
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="http://soap.sforce.com/2006/08/apex" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">';

function fault(res: http.ServerResponse, code: string, message: string): void {
  sendText(
    res,
    500,
    `${ENVELOPE_OPEN}<soapenv:Body><soapenv:Fault><faultcode xmlns:sf="urn:fault.soap.sforce.com">sf:${code}</faultcode><faultstring>${xmlEscape(`${code}: ${message}`)}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`,
    'text/xml; charset=utf-8',
  );
}

/** Finds a key by local name (any namespace prefix) in a parsed XML object. */
function child(o: unknown, local: string): unknown {
  if (!o || typeof o !== 'object') return undefined;
  for (const [k, v] of Object.entries(o)) if (k === local || k.endsWith(`:${local}`)) return v;
  return undefined;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

export class SoapApex {
  private readonly parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: false });

  constructor(private readonly d: SoapApexDeps & { tooling?: () => ToolingApi }) {}

  async handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'POST') {
      fault(res, 'INVALID_OPERATION', 'The Apex SOAP API takes POST requests');
      return;
    }
    let doc: unknown;
    try {
      doc = this.parser.parse(await readBody(req));
    } catch {
      fault(res, 'INVALID_XML', 'The request is not a SOAP envelope');
      return;
    }
    const env = child(doc, 'Envelope');
    const header = child(env, 'Header');
    const body = child(env, 'Body');
    const sessionId = text(child(child(header, 'SessionHeader'), 'sessionId')).trim();
    const session = this.d.oauth.sessionOf(`Bearer ${sessionId}`);
    if (!session) {
      fault(res, 'INVALID_SESSION_ID', 'Invalid Session ID found in SessionHeader: Illegal Session');
      return;
    }
    const call = child(body, 'executeAnonymous');
    if (call === undefined) {
      const name = body && typeof body === 'object' ? Object.keys(body)[0] : 'unknown';
      fault(
        res,
        'UNSUPPORTED_FEATURE',
        `Unsupported feature: Apex SOAP call ${name ?? 'unknown'} (only executeAnonymous)`,
      );
      return;
    }
    const source = text(child(call, 'apexcode'));
    const r = this.d.data().executeAnonymous(source, session.userId);
    this.d.afterCall();
    this.d.tooling?.().keepLog(r.log, session.userId, url.pathname, r.success);
    const nil = (tag: string, v: string | null) =>
      v === null ? `<${tag} xsi:nil="true"/>` : `<${tag}>${xmlEscape(v)}</${tag}>`;
    const xml =
      `${ENVELOPE_OPEN}<soapenv:Header><DebuggingInfo><debugLog>${xmlEscape(r.log)}</debugLog></DebuggingInfo></soapenv:Header>` +
      `<soapenv:Body><executeAnonymousResponse><result><column>${r.column}</column>${nil('compileProblem', r.compileProblem)}` +
      `<compiled>${r.compiled}</compiled>${nil('exceptionMessage', r.exceptionMessage)}${nil('exceptionStackTrace', r.exceptionStackTrace)}` +
      `<line>${r.line}</line><success>${r.success}</success></result></executeAnonymousResponse></soapenv:Body></soapenv:Envelope>`;
    sendText(res, 200, xml, 'text/xml; charset=utf-8');
  }
}
