/** The human report of `apex:test`, laid out like `sf apex run test`'s: failures, summary, results, coverage. */
import type { Report } from './types.js';

function table(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').split('\n')[0].length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [
    line(headers),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...rows.map((r) => line(r.map((c) => c.split('\n')[0]))),
  ];
}

export function toHuman(r: Report): string {
  const out: string[] = [];
  const failures = r.tests.filter((t) => t.outcome !== 'Pass');
  if (failures.length) {
    out.push('=== Test Failures');
    for (const t of failures) {
      out.push(`${t.className}.${t.methodName}`);
      out.push(`  Message: ${t.message ?? ''}`);
      if (t.stackTrace)
        out.push(...t.stackTrace.split('\n').map((l, i) => `  ${i === 0 ? 'Stack Trace: ' : '             '}${l}`));
      out.push('');
    }
  }
  const pct = (n: number): string => (r.testsRan === 0 ? '0%' : `${Math.round((n / r.testsRan) * 100)}%`);
  const summary: string[][] = [
    ['Outcome', r.outcome],
    ['Tests Ran', String(r.testsRan)],
    ['Pass Rate', pct(r.passing)],
    ['Fail Rate', pct(r.failing)],
    ['Skip Rate', '0%'],
    ['Test Run Id', r.testRunId],
    ['Test Setup Time', `${r.loadMs} ms`],
    ['Test Execution Time', `${r.executionMs} ms`],
    ['Test Total Time', `${r.totalMs} ms`],
    ['Org Id', r.orgId],
    ['Username', r.username],
  ];
  if (r.coverage) summary.push(['Org Wide Coverage', r.coverage.orgWideCoverage]);
  out.push('=== Test Summary', ...table(['NAME', 'VALUE'], summary), '');
  out.push(
    '=== Test Results',
    ...table(
      ['TEST NAME', 'OUTCOME', 'MESSAGE', 'RUNTIME (MS)'],
      r.tests.map((t) => [`${t.className}.${t.methodName}`, t.outcome, t.message ?? '', String(t.timeMs)]),
    ),
    '',
  );
  if (r.coverage) {
    out.push(
      '=== Apex Code Coverage by Class',
      ...table(
        ['CLASSES', 'PERCENT', 'UNCOVERED LINES'],
        r.coverage.coverage.map((c) => [c.name, `${c.coveredPercent}%`, c.uncoveredLines.join(',')]),
      ),
      '',
    );
  }
  return out.join('\n');
}
