/**
 * Worker threads that run the LWC compiler (compile-thread.ts) for the bundle: esbuild asks for many files at once
 * (its onLoad callbacks are asynchronous), and compiling them is nearly all of a cold bundle's CPU time, so spreading
 * them over the machine's cores shortens it.
 */
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../ts-worker.js';
import type { LwcCompileRequest, LwcCompileResult } from './lwc-esbuild-plugin.js';

const here = path.dirname(fileURLToPath(import.meta.url));

type Answer = { id: number; ok: true; result: LwcCompileResult } | { id: number; ok: false; message: string };

interface Pending {
  resolve: (r: LwcCompileResult) => void;
  reject: (e: Error) => void;
}

export class CompilePool {
  private readonly workers: { worker: Worker; pending: Map<number, Pending> }[] = [];
  private nextId = 0;
  private failure: Error | null = null;

  /** `size` threads (default: one per core). */
  constructor(size = availableParallelism()) {
    for (let i = 0; i < Math.max(1, size); i++) {
      const worker = startTsWorker(path.join(here, 'compile-thread.ts'), null);
      const pending = new Map<number, Pending>();
      worker.on('message', (a: Answer) => {
        const p = pending.get(a.id);
        pending.delete(a.id);
        if (a.ok) p?.resolve(a.result);
        else p?.reject(new Error(a.message));
      });
      const fail = (err: Error): void => {
        this.failure = err;
        for (const p of pending.values()) p.reject(err);
        pending.clear();
      };
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (code !== 0) fail(new Error(`an LWC compiler thread stopped with code ${code}`));
      });
      this.workers.push({ worker, pending });
    }
  }

  /** Compiles on the thread with the fewest files waiting. */
  compile(request: LwcCompileRequest): Promise<LwcCompileResult> {
    if (this.failure) return Promise.reject(this.failure);
    const w = this.workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      w.pending.set(id, { resolve, reject });
      w.worker.postMessage({ id, request });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}
