/**
 * The error answers of the REST and Tooling APIs: [{"message","errorCode"(,"fields")}] with the status codes of the
 * REST API Developer Guide's "Status Codes and Error Responses" (see rest-api.ts).
 */
import type * as http from 'node:http';
import type { ApiError } from '../../localorg/core/org-api.js';
import { HttpError } from '../http/http-util.js';
import type { OAuthServer, Session } from '../http/oauth.js';

export const INVALID_SESSION: ApiError[] = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];

/** The session of the request's `Authorization: Bearer` token; 401 INVALID_SESSION_ID when missing or expired. */
export function requireSession(oauth: OAuthServer, req: http.IncomingMessage): Session {
  const s = oauth.sessionOf(req.headers.authorization);
  if (!s) throw new HttpError(401, INVALID_SESSION);
  return s;
}

export function apiError(status: number, errorCode: string, message: string, fields?: string[]): HttpError {
  return new HttpError(status, [{ message, errorCode, ...(fields ? { fields } : {}) }]);
}

export const notFound = (): HttpError => apiError(404, 'NOT_FOUND', 'The requested resource does not exist');

/** HTTP status of an error code from the org (the guide's status codes, listed in rest-api.ts's header). */
export function statusOf(code: string): number {
  if (code === 'NOT_FOUND') return 404;
  if (code === 'INVALID_SESSION_ID') return 401;
  if (code === 'INSUFFICIENT_ACCESS_OR_READONLY' || code === 'INSUFFICIENT_ACCESS') return 403;
  if (code === 'UNSUPPORTED_FEATURE') return 501;
  return 400;
}

export function errorsToHttp(errors: ApiError[]): HttpError {
  return new HttpError(
    statusOf(errors[0]?.errorCode ?? ''),
    errors.map((e) => ({ message: e.message, errorCode: e.errorCode, ...(e.fields ? { fields: e.fields } : {}) })),
  );
}

export function methodNotAllowed(method: string, allowed: string): HttpError {
  return apiError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are ${allowed}`);
}
