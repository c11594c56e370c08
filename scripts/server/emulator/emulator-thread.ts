/**
 * Worker-thread entry of the Avochato emulator. It must not share the org's thread: the org's callouts block that
 * thread (a synchronous transport) while the emulator answers them.
 * workerData: { port: number, host?: string, slowMs?: number }. Posts {type:'listening', port} once ready.
 * Accepts {type:'stats'} (answers {type:'stats', sent, calls}) and {type:'close'}.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createAvochatoEmulator } from './avochato-emulator.js';
import type { ConsoleConfig } from './console/avochato-console.js';

const data = workerData as { port: number; host?: string; slowMs?: number };
const emulator = createAvochatoEmulator({ slowMs: data.slowMs });

emulator.listen(data.port, data.host ?? '127.0.0.1').then(
  (port) => parentPort!.postMessage({ type: 'listening', port }),
  (err: NodeJS.ErrnoException) => parentPort!.postMessage({ type: 'error', code: err.code, message: err.message }),
);

parentPort!.on('message', (msg: { type: string; config?: ConsoleConfig }) => {
  if (msg.type === 'console' && msg.config) {
    emulator.enableConsole(msg.config, (line) => parentPort!.postMessage({ type: 'log', line }));
    parentPort!.postMessage({ type: 'console-ready' });
  }
  if (msg.type === 'stats') parentPort!.postMessage({ type: 'stats', sent: emulator.sent, calls: emulator.calls });
  if (msg.type === 'close') void emulator.close().then(() => parentPort!.postMessage({ type: 'closed' }));
});
