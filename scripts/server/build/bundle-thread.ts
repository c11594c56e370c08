/**
 * Worker-thread entry of the Setup tab bundle (bundle-setup-tab.ts), so `npm start` bundles on one core while the
 * org loads on the other. workerData: BundleOptions. Posts {ok: true, result, ms} or {ok: false, message}.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { bundleSetupTab, type BundleOptions } from './bundle-setup-tab.js';

const started = Date.now();
bundleSetupTab(workerData as BundleOptions).then(
  (result) => parentPort!.postMessage({ ok: true, result, ms: Date.now() - started }),
  (err: unknown) => parentPort!.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) }),
);
