/**
 * `npm test`: every offline gate, one line each, then the total of tests as `N passed, N failed`.
 * Exit 1 if any gate fails. `--only a,b` runs some gates; `--skip a,b` leaves some out (for local iteration only:
 * CI runs them all).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { apexLs, eslint, pmd, prettier, typecheck, type Gate } from './gates.js';
import { apexTests, conformance, e2e, jest, lwcCompile, nodeTests } from './test-gates.js';
import { deployCheckGate } from '../deploy-check/gate.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// Order: the LWC build emits the .js the other gates read; cheap static checks (deploy-check: would a Metadata API
// deploy accept the package?) before the suites.
const ALL: Gate[] = [
  lwcCompile,
  typecheck,
  eslint,
  prettier,
  deployCheckGate,
  apexLs,
  pmd,
  jest,
  nodeTests,
  conformance,
  apexTests,
  e2e,
];

function listArg(name: string): string[] | null {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1].split(',') : null;
}

async function main(): Promise<void> {
  const only = listArg('--only');
  const skip = listArg('--skip') ?? [];
  const gates = ALL.filter((g) => (!only || only.includes(g.name)) && !skip.includes(g.name));
  let failedGates = 0;
  let passed = 0;
  let failed = 0;
  const started = Date.now();
  for (const gate of gates) {
    const t0 = Date.now();
    let result;
    try {
      result = await gate.run(root);
    } catch (err) {
      result = { ok: false, summary: `crashed: ${(err as Error).message}` };
    }
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    console.log(`${result.ok ? 'PASS' : 'FAIL'} ${gate.name.padEnd(14)} ${result.summary} (${secs}s)`);
    if (!result.ok) {
      failedGates++;
      if (result.details?.trim()) console.log(result.details.replace(/^/gm, '     | '));
    }
    passed += result.passed ?? 0;
    failed += result.failed ?? 0;
  }
  console.log(
    `gates: ${gates.length - failedGates} of ${gates.length} passed in ${((Date.now() - started) / 1000).toFixed(0)}s`,
  );
  console.log(`${passed} passed, ${failed + (failedGates && !failed ? 1 : 0)} failed`);
  process.exit(failedGates ? 1 : 0);
}

void main();
