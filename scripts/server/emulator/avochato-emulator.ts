/**
 * A local stand-in for the Avochato API (https://www.avochato.com/docs), for `npm start` and the tests.
 *
 * Routes (credentials as `auth_id` / `auth_secret` in the JSON body of a POST, as Avochato documents for POST):
 *   POST /v1/whoami    who a credential pair belongs to and which inbox it is scoped to
 *   POST /v1/messages  send a message (`phone` E.164 required, `message` unless `media_url`)
 * Errors use Avochato's shape: {"status":401,"errors":["Unauthorized"]}.
 *
 * Stricter than Avochato on purpose: a request with `auth_secret` in its URL (query string), on any route and any
 * method, gets 400 before anything else. Avochato would accept it on a GET, but a URL ends up in the platform's
 * debug log (CALLOUT_REQUEST), Event Monitoring and proxy logs; the package never sends one, and a regression that
 * did fails every test that reaches the emulator. `GET /v1/whoami` (credentials in the query string) is therefore
 * only ever answered 400 or 405.
 *
 * Auth Id conventions (force-app/README.md §7):
 *   FAIL...   -> 401 Unauthorized, always
 *   FLAKY...  -> 503 on the first two calls for that Auth Id, then 200
 *   SLOW...   -> no answer before any reasonable callout timeout (the socket is held open)
 *   anything else -> 200
 */
import * as http from 'node:http';
import { AvochatoConsole, type ConsoleConfig } from './console/avochato-console.js';
import { randomUUID } from 'node:crypto';

export interface EmulatorOptions {
  /** How long a SLOW credential's request is held before it is answered (ms). Default 120 s. */
  slowMs?: number;
}

export interface SentMessage {
  id: string;
  authId: string;
  phone: string;
  message: string | null;
  mediaUrl: string | null;
  from: string | null;
  subdomain: string | null;
  tags: string | null;
  at: string;
}

export interface AvochatoEmulator {
  readonly server: http.Server;
  /** Messages accepted so far, oldest first. */
  readonly sent: SentMessage[];
  /** Calls seen per route, for tests and the status page. */
  readonly calls: { method: string; path: string; authId: string | null; status: number }[];
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
  /** Serves the Avochato console (Integrations, API Access) from now on; before, its pages answer 503. */
  enableConsole(cfg: ConsoleConfig, log?: (line: string) => void): void;
}

const E164 = /^\+[1-9]\d{6,14}$/;

type Reply = { status: number; body: unknown } | 'hold';

function errorBody(status: number, ...errors: string[]): { status: number; body: unknown } {
  return { status, body: { status, errors } };
}

/** The inbox (subdomain) an Auth Id belongs to: stable, derived from the Auth Id. */
export function emulatedInboxFor(authId: string): string {
  const slug = authId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
  return `inbox-${slug || 'default'}`;
}

/** Applies the Auth Id conventions; null means "authenticated, go on". `flakyCalls` counts FLAKY calls per Auth Id. */
function gate(flakyCalls: Map<string, number>, authId: string | null, secret: string | null): Reply | null {
  if (!authId || !secret) return errorBody(401, 'Unauthorized');
  const upper = authId.toUpperCase();
  if (upper.startsWith('FAIL')) return errorBody(401, 'Unauthorized');
  if (upper.startsWith('SLOW')) return 'hold';
  if (upper.startsWith('FLAKY')) {
    const n = (flakyCalls.get(authId) ?? 0) + 1;
    flakyCalls.set(authId, n);
    if (n <= 2) return errorBody(503, 'Service Unavailable');
  }
  return null;
}

function whoami(authId: string, subdomain: string | null): Reply {
  const inbox = subdomain || emulatedInboxFor(authId);
  return {
    status: 200,
    body: {
      status: 200,
      data: {
        user: {
          id: `usr-${authId.slice(0, 12)}`,
          name: 'Emulated Agent',
          email: `${authId.toLowerCase()}@example.com`,
        },
        account: {
          id: `acc-${inbox.slice(0, 12)}`,
          subdomain: inbox,
          name: inbox.replace(/-/g, ' '),
          phone: '+14155550100',
        },
      },
    },
  };
}

/** Validates and records a message (appended to `sent`). */
function sendMessage(sent: SentMessage[], authId: string, body: Record<string, unknown>): Reply {
  const phone = typeof body.phone === 'string' ? body.phone : '';
  const message = typeof body.message === 'string' && body.message !== '' ? body.message : null;
  const mediaUrl = typeof body.media_url === 'string' && body.media_url !== '' ? body.media_url : null;
  if (!phone) return errorBody(422, 'phone is required');
  if (!E164.test(phone)) return errorBody(422, 'phone must be in E.164 format, e.g. +14155550123');
  if (!message && !mediaUrl) return errorBody(422, 'message is required unless media_url is given');
  const m: SentMessage = {
    id: randomUUID().replace(/-/g, '').slice(0, 10),
    authId,
    phone,
    message,
    mediaUrl,
    from: typeof body.from === 'string' ? body.from : null,
    subdomain: typeof body.subdomain === 'string' ? body.subdomain : null,
    tags: typeof body.tags === 'string' ? body.tags : null,
    at: new Date().toISOString(),
  };
  sent.push(m);
  return {
    status: 200,
    body: {
      status: 200,
      data: {
        messages: [
          { id: m.id, phone: m.phone, message: m.message, media_url: m.mediaUrl, status: 'queued', created_at: m.at },
        ],
      },
    },
  };
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The JSON object of a request body (an empty body is `{}`), or null when it is not one. */
function jsonObject(raw: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
    return parsed as Record<string, unknown>;
  } catch {
    return null;
  }
}

interface ApiState {
  flakyCalls: Map<string, number>;
  sent: SentMessage[];
}

/** The API's answer to a request (see the header comment), and the Auth Id it named. */
async function route(req: http.IncomingMessage, state: ApiState): Promise<{ reply: Reply; authId: string | null }> {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const method = (req.method ?? 'GET').toUpperCase();
  if ([...url.searchParams.keys()].some((k) => k.toLowerCase() === 'auth_secret')) {
    return { reply: errorBody(400, 'auth_secret must be sent in the request body, never in the URL'), authId: null };
  }
  if ((url.pathname === '/v1/whoami' || url.pathname === '/v1/messages') && method === 'POST') {
    const body = jsonObject(await readBody(req));
    if (!body) return { reply: errorBody(400, 'Request body must be a JSON object'), authId: null };
    const authId = typeof body.auth_id === 'string' ? body.auth_id : null;
    const secret = typeof body.auth_secret === 'string' ? body.auth_secret : null;
    const denied = gate(state.flakyCalls, authId, secret);
    if (denied) return { reply: denied, authId };
    const subdomain = typeof body.subdomain === 'string' ? body.subdomain : null;
    return {
      reply: url.pathname === '/v1/whoami' ? whoami(authId!, subdomain) : sendMessage(state.sent, authId!, body),
      authId,
    };
  }
  if (url.pathname === '/v1/whoami' || url.pathname === '/v1/messages') {
    return { reply: errorBody(405, 'Method Not Allowed'), authId: null };
  }
  return { reply: errorBody(404, 'Not Found'), authId: null };
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Holds a SLOW credential's response open for `slowMs` (kept in `held` so that close() can end it). */
function holdOpen(res: http.ServerResponse, slowMs: number, held: Set<http.ServerResponse>): void {
  held.add(res);
  const timer = setTimeout(() => {
    held.delete(res);
    if (!res.writableEnded)
      send(res, 200, { status: 200, data: { note: 'answered late on purpose (SLOW credential)' } });
  }, slowMs);
  res.on('close', () => {
    clearTimeout(timer);
    held.delete(res);
  });
}

export function createAvochatoEmulator(opts: EmulatorOptions = {}): AvochatoEmulator {
  const slowMs = opts.slowMs ?? 120_000;
  const state: ApiState = { flakyCalls: new Map(), sent: [] };
  const calls: AvochatoEmulator['calls'] = [];
  const held = new Set<http.ServerResponse>();

  let avochatoConsole: AvochatoConsole | null = null;
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://emulator').pathname;
    if (AvochatoConsole.isConsolePath(pathname)) {
      if (!avochatoConsole) return send(res, 503, { status: 503, errors: ['The console starts with npm start'] });
      avochatoConsole
        .handle(req, res, new URL(req.url ?? '/', 'http://emulator'))
        .catch(() => (res.headersSent ? res.destroy() : send(res, 500, { status: 500, errors: ['Console error'] })));
      return;
    }
    route(req, state).then(
      ({ reply, authId }) => {
        const path = new URL(req.url ?? '/', 'http://emulator').pathname;
        calls.push({ method: req.method ?? 'GET', path, authId, status: reply === 'hold' ? 0 : reply.status });
        if (reply === 'hold') holdOpen(res, slowMs, held);
        else send(res, reply.status, reply.body);
      },
      (err: unknown) => send(res, 500, { status: 500, errors: [String(err)] }),
    );
  });

  return {
    server,
    sent: state.sent,
    calls,
    enableConsole(cfg: ConsoleConfig, log?: (line: string) => void): void {
      const port = (): number => {
        const a = server.address();
        return typeof a === 'object' && a ? a.port : 0;
      };
      avochatoConsole = new AvochatoConsole(cfg, () => `http://127.0.0.1:${port()}`, port, log);
    },
    listen(port: number, host = '127.0.0.1'): Promise<number> {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const addr = server.address();
          resolve(typeof addr === 'object' && addr ? addr.port : port);
        });
      });
    },
    close(): Promise<void> {
      for (const res of held) res.destroy();
      held.clear();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
