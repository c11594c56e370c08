/**
 * The browser's `@salesforce/apex/Class.method` calls: POST /__local/apex with a Bearer token (the page's session)
 * and {"className","methodName","params"}. The method runs in the local org as the viewing user, in its own
 * transaction; the answer is {"returnValue": ...} or, on an Apex exception, the shape Lightning gives components:
 * HTTP 500 and body {"message","exceptionType","isUserDefinedException","stackTrace"} (read as error.body.message).
 */
import type * as http from 'node:http';
import type { LocalOrgApi } from '../../localorg/core/org-api.js';
import { ApexId } from '../../localorg/core/values.js';
import type { OAuthServer } from './oauth.js';
import { HttpError, readBody, sendJson } from './http-util.js';

export interface ApexCallLog {
  className: string;
  methodName: string;
  ok: boolean;
  ms: number;
}

const PLATFORM_NAMESPACES = ['system.', 'schema.', 'database.'];

export class ApexBridge {
  readonly log: ApexCallLog[] = [];

  constructor(
    private readonly org: LocalOrgApi,
    private readonly oauth: OAuthServer,
    private readonly afterCall: () => void,
  ) {}

  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.method !== 'POST') throw new HttpError(405, { message: 'POST only' });
    const session = this.oauth.sessionOf(req.headers.authorization);
    if (!session)
      throw new HttpError(401, {
        message: 'Your session has ended. Reload the page to sign in again.',
        exceptionType: 'INVALID_SESSION_ID',
      });
    let call: { className?: unknown; methodName?: unknown; params?: unknown };
    try {
      call = JSON.parse(await readBody(req)) as typeof call;
    } catch {
      throw new HttpError(400, { message: 'Malformed Apex call' });
    }
    const className = typeof call.className === 'string' ? call.className : '';
    const methodName = typeof call.methodName === 'string' ? call.methodName : '';
    const params =
      call.params && typeof call.params === 'object' && !Array.isArray(call.params)
        ? (call.params as Record<string, unknown>)
        : {};
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(className) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(methodName)) {
      throw new HttpError(400, { message: `Unknown Apex method ${className}.${methodName}` });
    }
    const started = Date.now();
    let result: ReturnType<LocalOrgApi['invokeAura']>;
    try {
      result = this.org.invokeAura(className, methodName, params, new ApexId(session.userId));
    } catch (err) {
      // Not an Apex exception: the local org itself could not run the call (e.g. an unsupported feature).
      const message = err instanceof Error ? err.message : String(err);
      this.log.push({ className, methodName, ok: false, ms: Date.now() - started });
      sendJson(res, 500, {
        message: `The local org could not run ${className}.${methodName}: ${message}`,
        exceptionType: 'LocalOrg.Error',
        isUserDefinedException: false,
        stackTrace: '',
      });
      return;
    } finally {
      this.afterCall();
    }
    this.log.push({ className, methodName, ok: result.ok, ms: Date.now() - started });
    if (this.log.length > 500) this.log.splice(0, this.log.length - 500);
    if (result.ok) {
      sendJson(res, 200, { returnValue: result.value ?? null });
      return;
    }
    const e = result.error;
    const userDefined = !PLATFORM_NAMESPACES.some((ns) => e.typeName.toLowerCase().startsWith(ns));
    sendJson(res, 500, {
      message: e.message,
      exceptionType: e.typeName,
      isUserDefinedException: userDefined,
      // AuraHandledException carries no stack to the client, as on the platform.
      stackTrace: e.typeName === 'System.AuraHandledException' ? '' : e.stackTrace,
    });
  }
}
