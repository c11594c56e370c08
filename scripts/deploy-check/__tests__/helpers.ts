/** Fixture projects for the deploy-check tests: the passing `fixtures/base` project, copied and changed per test. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deployCheck, formatProblem } from '../check.js';

const BASE = path.join(import.meta.dirname, 'fixtures', 'base');
export const SRC = 'force-app/main/default';

/** A change to one file of the base project: a replacement of text that must be there, or a whole new file. */
export type Change = { file: string; replace: string; with: string } | { file: string; write: string };

const made: string[] = [];
/** Removes the copies made so far: each suite calls it in its `after` hook. */
export function removeFixtures(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  baseCopy = undefined;
}

export function fixture(changes: Change[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'deploy-check-'));
  made.push(dir);
  cpSync(BASE, dir, { recursive: true });
  for (const c of changes) {
    const file = path.join(dir, c.file);
    if ('write' in c) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, c.write);
    } else {
      const src = readFileSync(file, 'utf8');
      if (!src.includes(c.replace)) throw new Error(`${c.file} has no ${JSON.stringify(c.replace)}`);
      writeFileSync(file, src.replace(c.replace, c.with));
    }
  }
  return dir;
}

let baseCopy: string | undefined;

/**
 * The unchanged base project, copied out of the repository: read in place, the repository's .forceignore (which
 * ignores `__tests__`) would hide every file from source-deploy-retrieve.
 */
export function base(): string {
  baseCopy ??= fixture([]);
  return baseCopy;
}

/** Problems of one rule on a project, as printed (`path:line: message [rule]`, paths relative to the project). */
export async function run(dir: string, rule: string, apex = false): Promise<string[]> {
  const problems = await deployCheck(dir, { apex, rules: [rule] });
  return problems.map((p) => formatProblem(p, dir));
}
