/**
 * Runs the Avochato emulator in its own worker thread and gives the main thread a handle to it.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../ts-worker.js';
import type { SentMessage } from './avochato-emulator.js';
import type { ConsoleConfig } from './console/avochato-console.js';

export interface EmulatorHandle {
  port: number;
  baseUrl: string;
  stats(): Promise<{
    sent: SentMessage[];
    calls: { method: string; path: string; authId: string | null; status: number }[];
  }>;
  close(): Promise<void>;
  /** Starts the Avochato console in the emulator's thread; its log lines (never tokens) go to `log`. */
  enableConsole(config: ConsoleConfig, log: (line: string) => void): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));

export function startEmulatorThread(
  opts: { port?: number; host?: string; slowMs?: number } = {},
): Promise<EmulatorHandle> {
  const host = opts.host ?? '127.0.0.1';
  const worker: Worker = startTsWorker(path.join(here, 'emulator-thread.ts'), {
    port: opts.port ?? 0,
    host,
    slowMs: opts.slowMs,
  });
  return new Promise((resolve, reject) => {
    const onFirst = (msg: { type: string; port?: number; message?: string; code?: string }): void => {
      if (msg.type === 'listening' && msg.port) {
        worker.off('error', reject);
        const port = msg.port;
        resolve({
          port,
          baseUrl: `http://${host}:${port}`,
          stats: () =>
            new Promise((res) => {
              const h = (m: { type: string; sent: SentMessage[]; calls: never[] }): void => {
                if (m.type !== 'stats') return;
                worker.off('message', h);
                res({ sent: m.sent, calls: m.calls });
              };
              worker.on('message', h);
              worker.postMessage({ type: 'stats' });
            }),
          enableConsole: (config, log) =>
            new Promise<void>((res) => {
              worker.on('message', (m: { type: string; line?: string }) => {
                if (m.type === 'log' && m.line) log(m.line);
                if (m.type === 'console-ready') res();
              });
              worker.postMessage({ type: 'console', config });
            }),
          close: async () => {
            await new Promise<void>((res) => {
              const h = (m: { type: string }): void => {
                if (m.type === 'closed') res();
              };
              worker.on('message', h);
              worker.postMessage({ type: 'close' });
              setTimeout(res, 1000).unref();
            });
            await worker.terminate();
          },
        });
      } else if (msg.type === 'error') {
        worker.off('message', onFirst);
        void worker.terminate();
        reject(
          new Error(
            `Avochato emulator could not listen on ${host}:${opts.port ?? 0}: ${msg.code ?? ''} ${msg.message ?? ''}`.trim(),
          ),
        );
      }
    };
    worker.on('message', onFirst);
    worker.once('error', reject);
  });
}
