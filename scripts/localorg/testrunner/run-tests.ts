/**
 * runApexTests: runs @IsTest methods through LocalOrgApi (listTests, runTest per method, coverage), timing each one.
 * Used by the apex:test CLI, the `npm test` gate and the benchmark.
 */
import { performance } from 'node:perf_hooks';
import type { LocalOrgApi, TestMethodResult } from '../core/org-api.js';
import { UnsupportedFeature } from '../core/errors.js';
import { loadLocalOrg, projectRoot } from './load-org.js';
import { selectTests } from './select.js';
import { summarizeCoverage } from './coverage.js';
import type { Report, RunApexTestsOptions } from './types.js';

function errorText(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  return e.name === 'Error' ? e.message : `${e.name}: ${e.message}`;
}

/** A test run Id in the AsyncApexJob key prefix (707), like the platform's. */
function newTestRunId(): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let s = '707';
  for (let i = 0; i < 12; i++) s += alphabet[Math.floor(Math.random() * alphabet.length)];
  return s;
}

function runOne(org: LocalOrgApi, className: string, methodName: string): TestMethodResult {
  const t0 = performance.now();
  try {
    const r = org.runTest(className, methodName);
    const measured = performance.now() - t0;
    return { ...r, timeMs: r.timeMs > 0 ? r.timeMs : Math.round(measured) };
  } catch (e) {
    // The org itself failed (an interpreter bug or an unsupported feature): the method fails with the reason.
    return {
      className,
      methodName,
      outcome: 'Fail',
      message: errorText(e),
      stackTrace:
        e instanceof UnsupportedFeature && e.file
          ? `${e.file}${e.line ? `: line ${e.line}` : ''}`
          : e instanceof Error && e.stack
            ? e.stack.split('\n').slice(1, 4).join('\n').trim()
            : null,
      timeMs: Math.round(performance.now() - t0),
    };
  }
}

function userName(org: LocalOrgApi): string {
  try {
    const rows = org.query("SELECT Username FROM User WHERE Profile.Name = 'System Administrator' LIMIT 1");
    const u = rows[0]?.getRaw('Username');
    return typeof u === 'string' ? u : 'admin@local.org';
  } catch {
    return 'admin@local.org';
  }
}

export async function runApexTests(opts: RunApexTestsOptions = {}): Promise<Report> {
  const started = new Date();
  const t0 = performance.now();
  const org =
    opts.org ??
    (await (opts.loader ?? loadLocalOrg)(opts.projectDir ?? projectRoot(), { extraSourceDirs: opts.extraSourceDirs }));
  const loadMs = Math.round(performance.now() - t0);
  const selected = selectTests(org.listTests(), opts.classNames, opts.tests);
  const tests: TestMethodResult[] = [];
  for (const t of selected) {
    const r = runOne(org, t.className, t.methodName);
    tests.push(r);
    opts.onResult?.(r);
  }
  const passing = tests.filter((t) => t.outcome === 'Pass').length;
  const report: Report = {
    outcome: passing === tests.length ? 'Passed' : 'Failed',
    tests,
    testsRan: tests.length,
    passing,
    failing: tests.length - passing,
    startedAt: started,
    executionMs: tests.reduce((s, t) => s + t.timeMs, 0),
    totalMs: 0,
    loadMs,
    orgId: org.orgId.value,
    username: userName(org),
    testRunId: newTestRunId(),
  };
  if (opts.codeCoverage) report.coverage = summarizeCoverage(org.coverage());
  report.totalMs = Math.round(performance.now() - t0);
  return report;
}
