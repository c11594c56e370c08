/** Line coverage summaries and the coverage gate (90% org-wide, 75% per class and trigger). */
import type { CoverageInfo } from '../core/org-api.js';
import type { ClassCoverage, CoverageReport } from './types.js';

export function percent(covered: number, total: number): number {
  return total === 0 ? 100 : Math.round((covered / total) * 100);
}

export function summarizeCoverage(infos: CoverageInfo[]): CoverageReport {
  const coverage: ClassCoverage[] = infos
    .map((c) => {
      const executable = [...new Set(c.lines)].sort((a, b) => a - b);
      const covered = new Set(c.covered.filter((l) => executable.includes(l)));
      const lines: Record<string, 0 | 1> = {};
      for (const l of executable) lines[String(l)] = covered.has(l) ? 1 : 0;
      return {
        name: c.name,
        totalLines: executable.length,
        totalCovered: covered.size,
        coveredPercent: percent(covered.size, executable.length),
        lines,
        uncoveredLines: executable.filter((l) => !covered.has(l)),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  const total = coverage.reduce((s, c) => s + c.totalLines, 0);
  const covered = coverage.reduce((s, c) => s + c.totalCovered, 0);
  const orgWidePercent = percent(covered, total);
  return { coverage, orgWidePercent, orgWideCoverage: `${orgWidePercent}%` };
}

export interface CoverageGate {
  orgWide: number;
  perClass: number;
}

export const DEFAULT_GATE: CoverageGate = { orgWide: 90, perClass: 75 };

/** The reasons the coverage fails the gate (empty when it passes). Uses exact ratios, not the rounded percents. */
export function coverageGateProblems(report: CoverageReport, gate: CoverageGate = DEFAULT_GATE): string[] {
  const problems: string[] = [];
  const total = report.coverage.reduce((s, c) => s + c.totalLines, 0);
  const covered = report.coverage.reduce((s, c) => s + c.totalCovered, 0);
  if (total > 0 && (covered / total) * 100 < gate.orgWide)
    problems.push(
      `Org-wide coverage ${((covered / total) * 100).toFixed(1)}% (${covered}/${total} lines) is under ${gate.orgWide}%.`,
    );
  for (const c of report.coverage) {
    if (c.totalLines > 0 && (c.totalCovered / c.totalLines) * 100 < gate.perClass)
      problems.push(
        `${c.name}: ${((c.totalCovered / c.totalLines) * 100).toFixed(1)}% (${c.totalCovered}/${c.totalLines} lines) is under ${gate.perClass}%; uncovered lines ${c.uncoveredLines.join(', ')}.`,
      );
  }
  return problems;
}
