/**
 * A thread of compile-pool.ts: compiles the component files it is sent with the LWC compiler and answers each.
 */
import { parentPort } from 'node:worker_threads';
import { compileLwcFile, type LwcCompileRequest } from './lwc-esbuild-plugin.js';

parentPort!.on('message', ({ id, request }: { id: number; request: LwcCompileRequest }) => {
  try {
    parentPort!.postMessage({ id, ok: true, result: compileLwcFile(request) });
  } catch (err) {
    parentPort!.postMessage({ id, ok: false, message: err instanceof Error ? err.message : String(err) });
  }
});
