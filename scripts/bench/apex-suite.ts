/**
 * `npm run bench:apex`: how fast the local org runs the project's Apex test suite. Prints figures, asserts nothing.
 *   - org load time: LocalOrg.load (metadata + classes), with or without the interpreter's AST cache
 *   - parse time: every .cls/.trigger of the package directories through @apexdevtools/apex-parser
 *   - suite wall time, tests per second, slowest tests
 *   - statements per second, when the org exposes a statement counter (see OrgStats below)
 * Flags: --runs N (suite runs, default 1), --class-names A,B (a subset), --no-ast-cache (the org parses every class
 * instead of loading its on-disk AST cache).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { ApexParserFactory, ApexErrorListener } from '@apexdevtools/apex-parser';
import { loadLocalOrg, projectRoot } from '../localorg/testrunner/load-org.js';
import { runApexTests } from '../localorg/testrunner/run-tests.js';
import { splitList } from '../localorg/testrunner/select.js';
import { cpuMsSince } from './figures.js';
import type { LocalOrgApi } from '../localorg/core/org-api.js';

/** Proposed optional addition to LocalOrg (not in LocalOrgApi yet): counters since load. */
interface OrgStats {
  statementsExecuted: number;
  parseMs?: number;
  classesParsed?: number;
}

/** Fallback until LocalOrg has stats(): counts Interpreter.exec calls (one per executed statement). */
let wrappedCount: number | null = null;

async function countStatementsByWrapping(): Promise<boolean> {
  try {
    const file = path.join(projectRoot(), 'scripts', 'localorg', 'interpreter', 'eval', 'interpreter.ts');
    const mod = (await import(pathToFileURL(file).href)) as { Interpreter?: { prototype: Record<string, unknown> } };
    const proto = mod.Interpreter?.prototype;
    const exec = proto?.exec;
    if (!proto || typeof exec !== 'function') return false;
    wrappedCount = 0;
    proto.exec = function (this: unknown, ...args: unknown[]): unknown {
      wrappedCount!++;
      return (exec as (...a: unknown[]) => unknown).apply(this, args);
    };
    return true;
  } catch {
    return false;
  }
}

function statsOf(org: LocalOrgApi): OrgStats | null {
  const s = (org as unknown as { stats?: () => OrgStats }).stats;
  if (typeof s === 'function') return s.call(org);
  return wrappedCount === null ? null : { statementsExecuted: wrappedCount };
}

function apexFiles(root: string): string[] {
  const project = JSON.parse(readFileSync(path.join(root, 'sfdx-project.json'), 'utf8')) as {
    packageDirectories: { path: string }[];
  };
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const f of readdirSync(dir)) {
      const p = path.join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(cls|trigger)$/.test(f)) out.push(p);
    }
  };
  for (const d of project.packageDirectories) walk(path.join(root, d.path));
  return out.sort();
}

class Silent extends ApexErrorListener {
  errors = 0;
  apexSyntaxError(): void {
    this.errors++;
  }
}

function parseAll(files: string[]): { ms: number; lines: number; errors: number } {
  const t0 = performance.now();
  let lines = 0;
  let errors = 0;
  for (const f of files) {
    const src = readFileSync(f, 'utf8');
    lines += src.split('\n').length;
    const listener = new Silent();
    const { parser } = ApexParserFactory.createLexerAndParser(src, listener);
    if (f.endsWith('.trigger')) parser.triggerUnit();
    else parser.compilationUnit();
    errors += listener.errors;
  }
  return { ms: performance.now() - t0, lines, errors };
}

function fmt(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let runs = 1;
  let classNames: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') runs = Math.max(1, parseInt(argv[++i] ?? '1', 10));
    else if (argv[i] === '--class-names' || argv[i] === '-n') classNames = splitList([argv[++i] ?? '']);
    else if (argv[i] === '--no-ast-cache') process.env.LOCALORG_NO_AST_CACHE = '1';
    else throw new Error(`unknown option ${argv[i]}`);
  }
  const root = projectRoot();
  const files = apexFiles(root);
  const tLoad = performance.now();
  const org = await loadLocalOrg(root);
  const loadMs = performance.now() - tLoad;
  const native = typeof (org as unknown as { stats?: unknown }).stats === 'function';
  const wrapped = !native && (await countStatementsByWrapping());
  const cache = process.env.LOCALORG_NO_AST_CACHE === '1' ? 'AST cache off: every class parsed' : 'AST cache on';
  console.log(`Org load              ${fmt(loadMs)}  (metadata + the project's classes; ${cache})`);
  const before = statsOf(org);
  if (before?.parseMs !== undefined)
    console.log(
      `Org parse time        ${fmt(before.parseMs)}${before.classesParsed ? ` (${before.classesParsed} units)` : ''}`,
    );

  for (let run = 1; run <= runs; run++) {
    const s0 = statsOf(org)?.statementsExecuted ?? null;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const report = await runApexTests({ org, classNames });
    const wall = performance.now() - t0;
    const cpu = cpuMsSince(c0);
    const s1 = statsOf(org)?.statementsExecuted ?? null;
    const label = runs > 1 ? `Suite run ${run}` : 'Suite';
    console.log(
      `${label.padEnd(22)}${fmt(wall)}  ${report.testsRan} tests (${report.passing} passed, ${report.failing} failed), ${(report.testsRan / (wall / 1000)).toFixed(1)} tests/s`,
    );
    // CPU time too: on a shared machine the wall time mostly measures the other work
    console.log(`Suite CPU time        ${fmt(cpu)}`);
    if (s0 !== null && s1 !== null) {
      const n = s1 - s0;
      const how = native ? '' : wrapped ? ' (counted by wrapping Interpreter.exec; LocalOrg has no stats() yet)' : '';
      console.log(
        `Statements            ${n} executed, ${Math.round(n / (wall / 1000))} statements/s, ${Math.round(n / (cpu / 1000))} per CPU-second${how}`,
      );
    } else {
      console.log('Statements/s          n/a: LocalOrg has no stats().statementsExecuted counter yet');
    }
    if (run === runs) {
      const slow = [...report.tests].sort((a, b) => b.timeMs - a.timeMs).slice(0, 5);
      console.log('Slowest tests');
      for (const t of slow)
        console.log(
          `  ${fmt(t.timeMs).padStart(8)}  ${t.className}.${t.methodName}${t.outcome === 'Pass' ? '' : ' (Fail)'}`,
        );
    }
  }
  const total = performance.now() - tLoad;
  console.log(`Total (load + suite)  ${fmt(total)}`);
  // Standalone parse of every class and trigger with @apexdevtools/apex-parser. ANTLR builds its DFA on first use, so
  // the first pass here is already warm when the org parsed eagerly; the second is the steady state.
  const first = parseAll(files);
  const again = parseAll(files);
  console.log(
    `Apex sources          ${files.length} files, ${first.lines} lines${first.errors ? ` (${first.errors} syntax errors)` : ''}`,
  );
  console.log(
    `Parse, all files      ${fmt(first.ms)}, again ${fmt(again.ms)} (${Math.round(again.lines / (again.ms / 1000))} lines/s)`,
  );
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`bench:apex failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
