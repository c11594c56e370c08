/**
 * Who may drive a local server (the org's and the Avochato console's): a web page in the same browser must not.
 *   - Host: only `127.0.0.1:PORT` and `localhost:PORT` are answered (a DNS-rebinding page sends its own host name).
 *   - A random start-up key: `npm start` prints URLs with `?key=KEY`; the first visit trades it for an HttpOnly,
 *     SameSite=Strict cookie (the operator cookie) and is redirected to the same URL without the key. Pages,
 *     diagnostics and the login page want that cookie; nothing mints a session without it.
 *   - Every answer carries X-Frame-Options: DENY, a Content-Security-Policy, nosniff and Referrer-Policy same-origin.
 * Cookies are not scoped by port, so one browser that opened the printed URL of the org is also known to the
 * console (and the other way round): both servers check the same key. Two `npm start` runs in one browser take
 * turns (the later key wins).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type * as http from 'node:http';

export const OPERATOR_COOKIE = 'localorg_operator';

export function newStartupKey(): string {
  return randomBytes(24).toString('base64url');
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    const name = part.slice(0, i).trim();
    if (!out.has(name)) out.set(name, part.slice(i + 1).trim());
  }
  return out;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface CspOptions {
  /** Nonce of the page's inline scripts. */
  nonce?: string;
  /** Origins a form on the page may post to or be redirected to (besides 'self'). */
  formTargets?: string[];
}

export function contentSecurityPolicy(o: CspOptions = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self'${o.nonce ? ` 'nonce-${o.nonce}'` : ''}`,
    // LWC's synthetic shadow and SLDS components insert <style> elements.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    `form-action 'self'${(o.formTargets ?? []).map((t) => ` ${t}`).join('')}`,
    "frame-ancestors 'none'",
  ].join('; ');
}

export class LocalAccess {
  private readonly cookieValue: string;

  constructor(
    private readonly key: string,
    private readonly port: () => number,
  ) {
    this.cookieValue = createHmac('sha256', key).update('localorg operator').digest('base64url');
  }

  /** Host header check against DNS rebinding: the exact loopback authorities this server listens on. */
  hostAllowed(host: string | undefined): boolean {
    const port = this.port();
    return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
  }

  /** True when the browser holds the operator cookie of this start. */
  isOperator(req: http.IncomingMessage): boolean {
    const c = parseCookies(req.headers.cookie).get(OPERATOR_COOKIE);
    return !!c && same(c, this.cookieValue);
  }

  keyMatches(candidate: string): boolean {
    return same(candidate, this.key);
  }

  /** Set-Cookie for a browser that presented the key. */
  operatorCookie(): string {
    return `${OPERATOR_COOKIE}=${this.cookieValue}; Path=/; HttpOnly; SameSite=Strict`;
  }

  /** Answers a refused Host (421 is "misdirected": this server is not that host). */
  static refuseHost(res: http.ServerResponse): void {
    const body = 'This server answers only http://127.0.0.1:PORT and http://localhost:PORT.\n';
    res.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(body.length) });
    res.end(body);
  }

  /**
   * Trades `?key=` for the operator cookie: a matching key is redirected (303) to the URL without it, with the
   * cookie; a wrong key is a 403. Returns true when it answered.
   */
  exchangeKey(req: http.IncomingMessage, res: http.ServerResponse, url: URL): boolean {
    const key = url.searchParams.get('key');
    if (key === null || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    if (!this.keyMatches(key)) {
      sendPlainHtml(
        res,
        403,
        'Wrong key',
        '<p>This key is not the one <code>npm start</code> printed. Open the URL it printed.</p>',
      );
      return true;
    }
    const clean = new URL(url.toString());
    clean.searchParams.delete('key');
    res.writeHead(303, {
      Location: `${clean.pathname}${clean.search}`,
      'Set-Cookie': this.operatorCookie(),
      'Cache-Control': 'no-store',
    });
    res.end();
    return true;
  }
}

/** Headers every answer of a local server carries. */
export function setSecurityHeaders(res: http.ServerResponse, csp: CspOptions = {}): void {
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Content-Security-Policy', contentSecurityPolicy(csp));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // same-origin: no referrer leaves the server, and a form's Origin header stays readable (no-referrer makes it "null").
  res.setHeader('Referrer-Policy', 'same-origin');
}

const escHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A small HTML page (title escaped, body as given). */
export function sendPlainHtml(res: http.ServerResponse, status: number, title: string, bodyHtml: string): void {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escHtml(title)}</title></head><body><h1>${escHtml(title)}</h1>${bodyHtml}</body></html>`;
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': String(Buffer.byteLength(html)),
  });
  res.end(html);
}

/** The page a browser without the operator cookie gets. */
export function sendNeedsKey(res: http.ServerResponse): void {
  sendPlainHtml(
    res,
    401,
    'Open the URL npm start printed',
    '<p>This local server only answers the browser that opened the URL <code>npm start</code> printed (it carries a <code>?key=</code> made at start-up). Open that URL once; this page then works.</p>',
  );
}
