/**
 * Starts `npm start`'s server (tsx scripts/server/start.ts) on a free port for the end-to-end tests, waits until it
 * is ready, and reads the lines it prints (URL, client_id, client_secret). Stops it with SIGTERM (then SIGKILL).
 * E2E_BASE_URL + E2E_CLIENT_ID + E2E_CLIENT_SECRET (+ E2E_KEY, the start-up key) reuse a running server instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface RunningServer {
  baseUrl: string;
  /** The Setup tab's URL without the key (the browser must have opened `loginUrl` once). */
  tabUrl: string;
  /** The printed URL with the start-up key: opening it gives the browser the operator cookie. */
  loginUrl: string;
  /** The start-up key. */
  key: string;
  /** The Avochato console's printed URL (with the key), when the emulator runs. */
  consoleUrl: string | null;
  clientId: string;
  clientSecret: string;
  /** Start-up time as the server reported it (ms), when it started here. */
  readyMs: number | null;
  output: () => string;
  /** SIGTERM (a clean stop: the server saves and closes), or SIGKILL to simulate a crash. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startServer(
  opts: { args?: string[]; timeoutMs?: number; script?: string; env?: Record<string, string> } = {},
): Promise<RunningServer> {
  if (process.env.E2E_BASE_URL && process.env.E2E_CLIENT_ID && process.env.E2E_CLIENT_SECRET) {
    const baseUrl = process.env.E2E_BASE_URL.replace(/\/$/, '');
    const key = process.env.E2E_KEY ?? '';
    return {
      baseUrl,
      tabUrl: `${baseUrl}/lightning/n/Avochato_Setup`,
      loginUrl: `${baseUrl}/lightning/n/Avochato_Setup?key=${key}`,
      key,
      consoleUrl: process.env.E2E_CONSOLE_URL ?? null,
      clientId: process.env.E2E_CLIENT_ID,
      clientSecret: process.env.E2E_CLIENT_SECRET,
      readyMs: null,
      output: () => '',
      stop: () => Promise.resolve(),
    };
  }
  const port = await freePort();
  const started = Date.now();
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  const script = opts.script ?? path.join(ROOT, 'scripts', 'server', 'start.ts');
  const child: ChildProcess = spawn(tsx, [script, '--port', String(port), ...(opts.args ?? [])], {
    cwd: ROOT,
    env: { ...process.env, ...opts.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((res) => child.once('exit', () => res()));
    try {
      process.kill(-child.pid, signal);
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 5000);
    await exited;
    clearTimeout(timer);
  };
  const timeoutMs = opts.timeoutMs ?? 240_000;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server not ready after ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const check = (): void => {
      if (/^Ready/m.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready:\n${out}`));
    });
  }).catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  const pick = (re: RegExp): string => {
    const m = re.exec(out);
    if (!m) throw new Error(`server output lacks ${String(re)}:\n${out}`);
    return m[1].trim();
  };
  const printed = /^(?:Avochato Setup|Status page): (\S+)/m.exec(out)?.[1];
  if (!printed) throw new Error(`server output lacks the URL with the start-up key:\n${out}`);
  const key = new URL(printed).searchParams.get('key') ?? '';
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    tabUrl: `http://127.0.0.1:${port}/lightning/n/Avochato_Setup`,
    loginUrl: `http://127.0.0.1:${port}/lightning/n/Avochato_Setup?key=${key}`,
    key,
    consoleUrl: /^Avochato console: (\S+)/m.exec(out)?.[1] ?? null,
    clientId: pick(/^client_id: (.+)$/m),
    clientSecret: pick(/^client_secret: (.+)$/m),
    readyMs: Date.now() - started,
    output: () => out,
    stop,
  };
}

/** POST /services/oauth2/token with the client credentials grant of the server's connected app. */
export function requestClientCredentialsToken(server: RunningServer): Promise<Response> {
  return fetch(`${server.baseUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: server.clientId,
      client_secret: server.clientSecret,
    }).toString(),
  });
}

/** The operator cookie a browser gets for the start-up key (for tests that call browser-only paths with fetch). */
export async function operatorCookie(server: RunningServer): Promise<string> {
  const r = await fetch(`${server.baseUrl}/__local/status?key=${encodeURIComponent(server.key)}`, {
    redirect: 'manual',
  });
  const set = r.headers.get('set-cookie');
  if (r.status !== 303 || !set) throw new Error(`the start-up key was refused (${r.status})`);
  return set.split(';')[0];
}

/** GET /__local/status as the operator's browser. */
export async function localStatus<T>(server: RunningServer): Promise<T> {
  const r = await fetch(`${server.baseUrl}/__local/status`, { headers: { Cookie: await operatorCookie(server) } });
  if (r.status !== 200) throw new Error(`/__local/status answered ${r.status}`);
  return (await r.json()) as T;
}
