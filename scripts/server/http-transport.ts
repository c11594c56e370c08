/**
 * A synchronous HTTP transport for the local org's callouts (Runtime.http, see core/runtime.ts).
 *
 * The interpreter runs Apex synchronously, so a callout must return its response without yielding to the event
 * loop. A worker thread performs the request with fetch while the org's thread waits on a SharedArrayBuffer
 * (Atomics.wait); the answer travels back over a MessagePort read with receiveMessageOnPort.
 * Consequence: nothing that answers these callouts may run on the org's thread (the Avochato emulator has its own).
 *
 * Routing: requests for the Avochato host (https://www.avochato.com, https://avochato.com) and `callout:<Named
 * Credential>` URLs go to `avochatoBaseUrl` (the local emulator, or a real Avochato), keeping path and query.
 */
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HttpTransport } from '../localorg/core/runtime.js';
import { platformError } from '../localorg/core/errors.js';
import { startTsWorker } from './ts-worker.js';
import type { TransportAnswer } from './http-transport-thread.js';

type Req = Parameters<HttpTransport['send']>[0];
type Res = ReturnType<HttpTransport['send']>;

export interface SyncHttpTransportOptions {
  /** Where Avochato requests go, e.g. the emulator's 'http://127.0.0.1:43111'. Without it, URLs are used as given. */
  avochatoBaseUrl?: string;
  /** Hosts treated as Avochato (default www.avochato.com, avochato.com). */
  avochatoHosts?: string[];
}

export interface CalloutRecord {
  method: string;
  url: string;
  status: number | null;
  error: string | null;
  ms: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));

export class SyncHttpTransport implements HttpTransport {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly hosts: Set<string>;
  /** The last callouts (at most 200), for the server's diagnostics. */
  readonly log: CalloutRecord[] = [];

  constructor(private readonly opts: SyncHttpTransportOptions = {}) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = startTsWorker(path.join(here, 'http-transport-thread.ts'), { port: port2 }, [port2]);
    this.worker.unref();
    this.hosts = new Set((opts.avochatoHosts ?? ['www.avochato.com', 'avochato.com']).map((h) => h.toLowerCase()));
  }

  /** The URL a request really goes to. */
  route(url: string): string {
    const base = this.opts.avochatoBaseUrl?.replace(/\/+$/, '');
    if (!base) return url;
    const named = /^callout:[^/]+(\/.*)?$/i.exec(url);
    if (named) return base + (named[1] ?? '');
    try {
      const u = new URL(url);
      if (this.hosts.has(u.hostname.toLowerCase())) return base + u.pathname + u.search;
    } catch {
      /* not absolute: leave it, fetch will reject it */
    }
    return url;
  }

  send(req: Req): Res {
    const url = this.route(req.url);
    const flag = new SharedArrayBuffer(4);
    const started = Date.now();
    this.worker.postMessage({ flag, req: { ...req, url } });
    const view = new Int32Array(flag);
    // Wait a little longer than the request's own timeout: the worker always answers (fetch is aborted at timeoutMs).
    const outcome = Atomics.wait(view, 0, 0, Math.max(1, req.timeoutMs) + 5000);
    let msg = receiveMessageOnPort(this.port);
    for (let spins = 0; !msg && outcome !== 'timed-out' && spins < 1000; spins++) msg = receiveMessageOnPort(this.port);
    const answer = msg?.message as TransportAnswer | undefined;
    const record: CalloutRecord = {
      method: req.method,
      url: redact(url),
      status: null,
      error: null,
      ms: Date.now() - started,
    };
    this.remember(record);
    if (!answer) {
      record.error = 'Read timed out';
      throw platformError('System.CalloutException', 'Read timed out');
    }
    if (!answer.ok) {
      record.error = answer.message;
      if (answer.kind === 'timeout') throw platformError('System.CalloutException', 'Read timed out');
      throw platformError('System.CalloutException', `Unable to connect to ${hostOf(url)}: ${answer.message}`);
    }
    record.status = answer.status;
    return { status: answer.status, statusText: answer.statusText, headers: answer.headers, body: answer.body };
  }

  private remember(r: CalloutRecord): void {
    this.log.push(r);
    if (this.log.length > 200) this.log.splice(0, this.log.length - 200);
  }

  async close(): Promise<void> {
    this.port.close();
    await this.worker.terminate();
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Never keep a secret in the diagnostics: drop auth_secret from query strings. */
function redact(url: string): string {
  return url.replace(/(auth_secret=)[^&]*/gi, '$1***');
}
