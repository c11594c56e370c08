/**
 * Gates that run test suites: LWC compile check, Jest, the tooling's node tests, the local org's conformance
 * suite, the project's Apex tests (with coverage gates) and the end-to-end browser tests.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { findFiles, type Gate, type GateResult } from './gates.js';
import { runCommand, tail } from './process.js';

const tsx = (root: string) => path.join(root, 'node_modules', '.bin', 'tsx');

/** Reads the closing `N passed, N failed` line that the project's own runners print. */
export function parseClosingLine(output: string): { passed: number; failed: number } | null {
  const matches = [...output.matchAll(/^(?:\w+: )?(\d+) passed, (\d+) failed/gm)];
  const last = matches.at(-1);
  return last ? { passed: Number(last[1]), failed: Number(last[2]) } : null;
}

export const lwcCompile: Gate = {
  name: 'lwc-compile',
  async run(root) {
    const script = path.join(root, 'scripts', 'build', 'compile-lwc.ts');
    if (!existsSync(script)) return { ok: false, summary: 'scripts/build/compile-lwc.ts is missing' };
    const r = await runCommand(tsx(root), [script], { cwd: root });
    const last = r.output.trim().split('\n').at(-1) ?? '';
    return { ok: r.code === 0, summary: last, details: tail(r.output) };
  },
};

export const jest: Gate = {
  name: 'jest',
  async run(root) {
    mkdirSync(path.join(root, '.tmp'), { recursive: true });
    const out = path.join(root, '.tmp', 'jest-results.json');
    const r = await runCommand(
      path.join(root, 'node_modules', '.bin', 'sfdx-lwc-jest'),
      ['--', '--json', `--outputFile=${out}`, '--coverage'],
      { cwd: root },
    );
    if (!existsSync(out)) return { ok: false, summary: 'Jest wrote no results', details: tail(r.output) };
    const report = JSON.parse(readFileSync(out, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      numTotalTestSuites: number;
      success: boolean;
    };
    const ok = r.code === 0 && report.success && report.numPassedTests > 0;
    return {
      ok,
      summary: `${report.numTotalTestSuites} suites, ${report.numPassedTests} passed, ${report.numFailedTests} failed`,
      passed: report.numPassedTests,
      failed: report.numFailedTests,
      details: tail(r.output, 60),
    };
  },
};

export const nodeTests: Gate = {
  name: 'tooling-tests',
  async run(root) {
    const files = findFiles(
      path.join(root, 'scripts'),
      (f) => /[/\\]__tests__[/\\].*\.test\.ts$/.test(f) && !/[/\\]e2e[/\\]/.test(f),
    );
    if (files.length === 0) return { ok: false, summary: 'no node tests under scripts/**/__tests__' };
    const r = await runCommand(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', ...files], {
      cwd: root,
    });
    const pass = Number(/^# pass (\d+)/m.exec(r.output)?.[1] ?? 0);
    const fail = Number(/^# fail (\d+)/m.exec(r.output)?.[1] ?? 0);
    const failures = r.output
      .split('\n')
      .filter((l) => /^\s*not ok/.test(l))
      .join('\n');
    return {
      ok: r.code === 0 && fail === 0 && pass > 0,
      summary: `${files.length} files, ${pass} passed, ${fail} failed`,
      passed: pass,
      failed: fail,
      details: failures || tail(r.output),
    };
  },
};

/**
 * A gate that runs one of the project's runner scripts (`rel`, under the root) and reads its closing
 * `N passed, N failed` line; `note` is added to the summary.
 */
function runnerGate(name: string, rel: string, note = ''): Gate {
  return {
    name,
    async run(root): Promise<GateResult> {
      const script = path.join(root, rel);
      if (!existsSync(script)) return { ok: false, summary: `${rel} is missing` };
      const r = await runCommand(tsx(root), [script], { cwd: root });
      const counts = parseClosingLine(r.output);
      const ok = r.code === 0 && !!counts && counts.failed === 0 && counts.passed > 0;
      return {
        ok,
        summary: counts ? `${counts.passed} passed, ${counts.failed} failed${note}` : 'no result line',
        passed: counts?.passed,
        failed: counts?.failed,
        details: tail(r.output, 60),
      };
    },
  };
}

export const conformance = runnerGate('conformance', 'scripts/localorg/conformance/run.ts');

interface ApexTestJson {
  status: number;
  result: {
    summary: { outcome: string; testsRan: number; passing: number; failing: number };
    tests: {
      ApexClass: { Name: string };
      MethodName: string;
      Outcome: string;
      Message: string | null;
      StackTrace: string | null;
    }[];
    coverage?: {
      coverage: { name: string; totalLines: number; totalCovered: number; coveredPercent: number }[];
      summary: { orgWideCoverage: string };
    };
  };
}

/** Coverage rules of a Salesforce deployment, held a little higher: 90% org-wide and 75% for every class and trigger. */
export function coverageProblems(coverage: NonNullable<ApexTestJson['result']['coverage']>): string[] {
  const problems: string[] = [];
  const orgWide = parseFloat(coverage.summary.orgWideCoverage);
  if (!(orgWide >= 90)) problems.push(`org-wide coverage ${coverage.summary.orgWideCoverage} is under 90%`);
  for (const c of coverage.coverage)
    if (c.coveredPercent < 75)
      problems.push(`${c.name}: ${c.coveredPercent}% covered (${c.totalCovered}/${c.totalLines}) is under 75%`);
  return problems;
}

export const apexTests: Gate = {
  name: 'apex-tests',
  async run(root) {
    const cli = path.join(root, 'scripts', 'localorg', 'cli', 'apex-test.ts');
    if (!existsSync(cli)) return { ok: false, summary: 'scripts/localorg/cli/apex-test.ts is missing' };
    const r = await runCommand(tsx(root), [cli, '--result-format', 'json', '--code-coverage'], { cwd: root });
    let report: ApexTestJson;
    try {
      report = JSON.parse(r.output.slice(r.output.indexOf('{'))) as ApexTestJson;
    } catch {
      return { ok: false, summary: 'apex:test printed no JSON report', details: tail(r.output) };
    }
    const { summary, tests, coverage } = report.result;
    const failures = tests
      .filter((t) => t.Outcome !== 'Pass')
      .map((t) => `${t.ApexClass.Name}.${t.MethodName}: ${t.Message}\n    ${t.StackTrace ?? ''}`);
    const problems = coverage ? coverageProblems(coverage) : ['no coverage report'];
    const ok = r.code === 0 && summary.failing === 0 && summary.testsRan > 0 && problems.length === 0;
    return {
      ok,
      summary: `${summary.testsRan} Apex tests, ${summary.passing} passed, ${summary.failing} failed; coverage ${coverage?.summary.orgWideCoverage ?? '?'} org-wide, lowest class ${coverage ? Math.min(...coverage.coverage.map((c) => c.coveredPercent)) : '?'}%`,
      passed: summary.passing,
      failed: summary.failing,
      details: [...failures, ...problems].join('\n'),
    };
  },
};

export const e2e = runnerGate('e2e', 'scripts/e2e/run.ts', ' (screenshots in .tmp/screenshots)');
