/**
 * Request/response helpers shared by the server's routes.
 */
import type * as http from 'node:http';

export const MAX_BODY_BYTES = 6 * 1024 * 1024; // the platform's REST request limit is 6 MB for sync Apex

export class HttpError extends Error {
  constructor(
    public readonly status: number,
    public readonly body: unknown,
  ) {
    super(typeof body === 'string' ? body : JSON.stringify(body));
  }
}

export async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new HttpError(413, [{ errorCode: 'REQUEST_TOO_LARGE', message: 'Request body is larger than 6 MB' }]);
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json;charset=UTF-8',
    'Cache-Control': 'no-store',
    ...headers,
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

export function sendText(
  res: http.ServerResponse,
  status: number,
  body: string | Buffer,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'Content-Type': contentType, ...headers, 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(body);
}

/** A REST resource's answer listing its sub-resources: `{ name: base/name }` for each name. */
export function resourceList(base: string, names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, `${base}/${n}`]));
}

export function headerMap(req: http.IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

export function queryMap(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  url.searchParams.forEach((v, k) => (out[k] = v));
  return out;
}
