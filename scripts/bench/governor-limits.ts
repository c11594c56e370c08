/**
 * Prints the governor-limit cost of the package's bulk paths, measured by running Apex in the local org.
 * Usage: npm run bench:limits. Figures, not assertions: the Apex tests assert the constants.
 *
 * Each bench is an anonymous block run in its own fresh org through the embeddable API (what apex:run does), but the
 * jobs it enqueues are counted, not run: the benches measure the transaction that does the bulk work, and the
 * confirmation job would call out to Avochato.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalOrg } from '../localorg/org.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const benches = ['credential-insert-200.apex', 'credential-update-200.apex'];

for (const bench of benches) {
  const started = Date.now();
  const org = LocalOrg.load(root);
  const loadedMs = Date.now() - started;
  const r = org.runAnonymous(readFileSync(path.join(here, bench), 'utf8'), { fileName: bench });
  const ms = Date.now() - started - loadedMs;
  if (!r.ok) {
    console.error(`${bench}: ${r.error.typeName}: ${r.error.message}`);
    process.exitCode = 1;
    continue;
  }
  console.log(`${bench} (${ms} ms wall, org load ${loadedMs} ms)`);
  for (const line of r.debug) {
    const [name, value] = line.split('=');
    console.log(`  ${name.padEnd(24)} ${value}`);
  }
  console.log(`  ${'jobsWaiting'.padEnd(24)} ${org.pendingJobs()}`);
}
