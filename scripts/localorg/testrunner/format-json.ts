/**
 * The JSON report of `apex:test --result-format json`, shaped like `sf apex run test`'s (force-app/README.md §7):
 * {"status":0|1,"result":{"summary":{...},"tests":[...],"coverage":{"coverage":[...],"summary":{"orgWideCoverage"}}}}
 */
import type { Report } from './types.js';

export function toSfJson(r: Report): { status: 0 | 1; result: Record<string, unknown> } {
  const pct = (n: number): string => (r.testsRan === 0 ? '0%' : `${Math.round((n / r.testsRan) * 100)}%`);
  const summary: Record<string, unknown> = {
    outcome: r.outcome,
    testsRan: r.testsRan,
    passing: r.passing,
    failing: r.failing,
    skipped: 0,
    passRate: pct(r.passing),
    failRate: pct(r.failing),
    skipRate: '0%',
    testStartTime: r.startedAt.toISOString(),
    testExecutionTime: `${r.executionMs} ms`,
    testTotalTime: `${r.totalMs} ms`,
    commandTime: `${r.totalMs} ms`,
    hostname: 'local',
    orgId: r.orgId,
    username: r.username,
    testRunId: r.testRunId,
    userId: '',
  };
  if (r.coverage) {
    summary.orgWideCoverage = r.coverage.orgWideCoverage;
    summary.testRunCoverage = r.coverage.orgWideCoverage;
  }
  const tests = r.tests.map((t) => ({
    ApexClass: { Name: t.className, NamespacePrefix: null },
    MethodName: t.methodName,
    Outcome: t.outcome,
    Message: t.message,
    StackTrace: t.stackTrace,
    RunTime: t.timeMs,
    FullName: `${t.className}.${t.methodName}`,
  }));
  const result: Record<string, unknown> = { summary, tests };
  if (r.coverage) {
    result.coverage = {
      coverage: r.coverage.coverage.map((c) => ({
        name: c.name,
        totalLines: c.totalLines,
        lines: c.lines,
        totalCovered: c.totalCovered,
        coveredPercent: c.coveredPercent,
      })),
      records: [],
      summary: {
        totalLines: r.coverage.coverage.reduce((s, c) => s + c.totalLines, 0),
        coveredLines: r.coverage.coverage.reduce((s, c) => s + c.totalCovered, 0),
        orgWideCoverage: r.coverage.orgWideCoverage,
        testRunCoverage: r.coverage.orgWideCoverage,
      },
    };
  }
  return { status: r.outcome === 'Passed' ? 0 : 1, result };
}
