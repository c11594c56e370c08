/**
 * Runs the end-to-end tests (headless Chromium + the org API) and prints the measured figures:
 *   tsx scripts/e2e/run.ts            every scripts/e2e/*.test.ts
 *   tsx scripts/e2e/run.ts api        only the org API test (no browser)
 * Needs Debian's chromium (apt-get install -y chromium). Screenshots: .tmp/screenshots/. Figures: .tmp/e2e-timings.json.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './server-process.js';
import { TIMINGS_FILE } from './timings.js';

const dir = path.join(ROOT, 'scripts', 'e2e');
const only = process.argv[2];
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.test.ts'))
  .filter((f) => !only || f.includes(only))
  .map((f) => path.join('scripts', 'e2e', f));
rmSync(TIMINGS_FILE, { force: true });
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=tap', ...files],
  {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
let out = '';
child.stdout.on('data', (d: Buffer) => {
  out += d.toString();
  process.stdout.write(d);
});
child.on('close', (c) => finish(c ?? 1));

function finish(code: number): void {
  const passed = Number(/^# pass (\d+)/m.exec(out)?.[1] ?? 0);
  const failed = Number(/^# fail (\d+)/m.exec(out)?.[1] ?? 0);
  if (existsSync(TIMINGS_FILE)) {
    const t = JSON.parse(readFileSync(TIMINGS_FILE, 'utf8')) as Record<string, number>;
    console.log('\nMeasured:');
    for (const [k, v] of Object.entries(t))
      console.log(`  ${k.padEnd(22)} ${v < 1000 ? `${v} ms` : `${(v / 1000).toFixed(1)} s`}`);
  }
  console.log(`Screenshots: ${path.relative(ROOT, path.join(ROOT, '.tmp', 'screenshots'))}/`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exit(code === 0 && failed === 0 && passed > 0 ? 0 : 1);
}
