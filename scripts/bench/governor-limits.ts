/**
 * Prints the governor-limit cost of the package's bulk paths, measured by running Apex in the local org.
 * Usage: npm run bench:limits. Figures, not assertions: the Apex tests assert the constants.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const benches = ['credential-insert-200.apex'];

for (const bench of benches) {
  const started = Date.now();
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'scripts/localorg/cli/apex-run.ts'), path.join(here, bench)],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  const ms = Date.now() - started;
  if (r.status !== 0) {
    console.error(`${bench}: exit ${r.status}\n${r.stderr}`);
    process.exitCode = 1;
    continue;
  }
  console.log(`${bench} (${ms} ms wall, including org load)`);
  for (const line of r.stdout.trim().split('\n')) {
    const [name, value] = line.split('=');
    console.log(`  ${name.padEnd(24)} ${value}`);
  }
}
