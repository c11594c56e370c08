/**
 * `npm run bench:peer -- DIR [--class-names A,B] [--list]`: runs every Apex test of another SFDX project (DIR holds its
 * sfdx-project.json) in the local org and prints what a calibration needs. Prints figures, asserts nothing:
 *   - tests run, passed, failed with `Unsupported feature` (the local org says it cannot model something), and the
 *     other failures (wrong answers, until proven otherwise) grouped by message
 *   - org load time, suite wall time, Apex statements executed and statements per second
 * --list prints every failing test with its message (one a line) after the summary.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadLocalOrg } from '../localorg/testrunner/load-org.js';
import { runApexTests } from '../localorg/testrunner/run-tests.js';
import { splitList } from '../localorg/testrunner/select.js';
import { cpuMsSince } from './figures.js';
import type { LocalOrgApi, TestMethodResult } from '../localorg/core/org-api.js';

function fmt(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

function statements(org: LocalOrgApi): number | null {
  const s = (org as unknown as { stats?: () => { statementsExecuted: number } }).stats;
  return typeof s === 'function' ? s.call(org).statementsExecuted : null;
}

/** The message with what varies between occurrences (file paths, Ids, numbers in quotes) reduced to its shape. */
export function groupKey(message: string): string {
  const first = message.split('\n')[0];
  return first
    .replace(/\((?:[^()]*\/)?([^/()]+\.(?:cls|trigger|apex)):\d+\)/g, '($1)')
    .replace(/\b[a-zA-Z0-9]{3}0{3}[a-zA-Z0-9]{9}(?:[a-zA-Z0-9]{3})?\b/g, '<id>')
    .slice(0, 160);
}

export function isUnsupported(t: TestMethodResult): boolean {
  return /^Unsupported feature: /.test(t.message ?? '');
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2).filter((a) => a !== '--');
  let dir: string | undefined;
  let classNames: string[] = [];
  let list = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--class-names' || argv[i] === '-n') classNames = splitList([argv[++i] ?? '']);
    else if (argv[i] === '--list') list = true;
    else if (!dir && !argv[i].startsWith('-')) dir = argv[i];
    else throw new Error(`unknown option ${argv[i]}`);
  }
  if (!dir) throw new Error('usage: npm run bench:peer -- DIR [--class-names A,B] [--list]');
  const projectDir = path.resolve(dir);
  if (!existsSync(path.join(projectDir, 'sfdx-project.json'))) throw new Error(`${dir}: no sfdx-project.json there`);

  // The org's console output (System.debug echoes, warnings) would drown the figures.
  const saved = { log: console.log, info: console.info, debug: console.debug, warn: console.warn };
  const out = console.log.bind(console);
  console.log = console.info = console.debug = console.warn = () => undefined;
  let report;
  let loadMs;
  let wall;
  let cpu = 0;
  let count: number | null;
  try {
    const t0 = performance.now();
    const org = await loadLocalOrg(projectDir);
    loadMs = performance.now() - t0;
    const s0 = statements(org);
    const t1 = performance.now();
    const c1 = process.cpuUsage();
    report = await runApexTests({ org, classNames });
    wall = performance.now() - t1;
    cpu = cpuMsSince(c1);
    const s1 = statements(org);
    count = s0 !== null && s1 !== null ? s1 - s0 : null;
  } finally {
    Object.assign(console, saved);
  }

  const failed = report.tests.filter((t) => t.outcome !== 'Pass');
  const unsupported = failed.filter(isUnsupported);
  const other = failed.filter((t) => !isUnsupported(t));
  const pct = (n: number) => `${((100 * n) / Math.max(1, report.testsRan)).toFixed(1)}%`;
  out(`Project               ${projectDir}`);
  out(`Tests run             ${report.testsRan}`);
  out(`Passed                ${report.passing} (${pct(report.passing)})`);
  out(`Failed: Unsupported   ${unsupported.length} (${pct(unsupported.length)})`);
  out(`Failed: other         ${other.length} (${pct(other.length)})`);
  out(`Org load              ${fmt(loadMs)}`);
  out(`Suite wall time       ${fmt(wall)} (${(report.testsRan / (wall / 1000)).toFixed(1)} tests/s)`);
  // CPU time too: on a shared machine the wall time mostly measures the other work
  out(`Suite CPU time        ${fmt(cpu)}`);
  if (count !== null)
    out(
      `Statements            ${count} executed, ${Math.round(count / (wall / 1000))} statements/s, ${Math.round(count / (cpu / 1000))} per CPU-second (whole suite)`,
    );
  for (const [title, rows] of [
    ['Other failures by message', other],
    ['Unsupported features', unsupported],
  ] as const) {
    if (!rows.length) continue;
    const groups = new Map<string, TestMethodResult[]>();
    for (const t of rows) {
      const k = groupKey(t.message ?? '(no message)');
      groups.set(k, [...(groups.get(k) ?? []), t]);
    }
    out(`${title}`);
    for (const [k, ts] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
      const eg = ts
        .slice(0, 2)
        .map((t) => `${t.className}.${t.methodName}`)
        .join(', ');
      out(`  ${String(ts.length).padStart(4)}  ${k}  [${eg}${ts.length > 2 ? ', ...' : ''}]`);
    }
  }
  if (list) {
    out('Failing tests');
    for (const t of failed) out(`  ${t.className}.${t.methodName}: ${(t.message ?? '').split('\n')[0]}`);
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`bench:peer failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
