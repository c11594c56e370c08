/**
 * Worker side of SyncHttpTransport: performs each request with fetch and hands the answer back through a
 * MessagePort, then wakes the (blocked) org thread with Atomics.notify.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';

interface Job {
  flag: SharedArrayBuffer;
  req: { method: string; url: string; headers: Record<string, string>; body: string; timeoutMs: number };
}

export type TransportAnswer =
  | { ok: true; status: number; statusText: string; headers: Record<string, string>; body: string }
  | { ok: false; kind: 'timeout' | 'network'; message: string };

const port = (workerData as { port: MessagePort }).port;

async function perform(req: Job['req']): Promise<TransportAnswer> {
  const method = req.method.toUpperCase();
  try {
    const res = await fetch(req.url, {
      method,
      headers: req.headers,
      body: method === 'GET' || method === 'HEAD' ? undefined : req.body,
      signal: AbortSignal.timeout(Math.max(1, req.timeoutMs)),
      redirect: 'manual',
    });
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    return { ok: true, status: res.status, statusText: res.statusText, headers, body: await res.text() };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError')
      return { ok: false, kind: 'timeout', message: 'Read timed out' };
    const detail = e.cause?.code ?? e.cause?.message ?? e.message;
    return { ok: false, kind: 'network', message: detail };
  }
}

parentPort!.on('message', (job: Job) => {
  void perform(job.req).then((answer) => {
    port.postMessage(answer);
    const flag = new Int32Array(job.flag);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  });
});
