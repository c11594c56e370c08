/**
 * Figures measured by the end-to-end tests, written to .tmp/e2e-timings.json and printed by run.ts.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './server-process.js';

export const TIMINGS_FILE = path.join(ROOT, '.tmp', 'e2e-timings.json');

export function recordTiming(name: string, ms: number): void {
  mkdirSync(path.dirname(TIMINGS_FILE), { recursive: true });
  const all = existsSync(TIMINGS_FILE)
    ? (JSON.parse(readFileSync(TIMINGS_FILE, 'utf8')) as Record<string, number>)
    : {};
  all[name] = ms;
  writeFileSync(TIMINGS_FILE, `${JSON.stringify(all, null, 2)}\n`);
}
