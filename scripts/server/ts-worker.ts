/**
 * Starts a worker thread that runs a TypeScript file. Workers do not inherit tsx's loader, so the worker first
 * registers tsx's CommonJS hook and then requires the file.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';

const require_ = createRequire(import.meta.url);

export function startTsWorker(tsFile: string, workerData: unknown, transferList?: Transferable[]): Worker {
  const tsxApi = require_.resolve('tsx/cjs/api');
  const boot = `require(${JSON.stringify(tsxApi)}).register(); require(${JSON.stringify(tsFile)});`;
  return new Worker(boot, { eval: true, workerData, transferList: transferList as never });
}
