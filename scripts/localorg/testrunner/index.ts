/**
 * The Apex test runner's public API (for the `npm test` gates, the server and the benchmark):
 *   const report = await runApexTests({ classNames, tests, codeCoverage: true });
 *   const problems = coverageGateProblems(report.coverage!);   // [] when 90% org-wide and 75% per class hold
 *   toSfJson(report) / toHuman(report)                          // the apex:test outputs
 */
export { runApexTests } from './run-tests.js';
export { coverageGateProblems, summarizeCoverage, DEFAULT_GATE, type CoverageGate } from './coverage.js';
export { toSfJson } from './format-json.js';
export { toHuman } from './format-human.js';
export { runCli } from './cli-main.js';
export { loadLocalOrg, projectRoot, OrgUnavailable, type LoadOrgOptions, type OrgLoader } from './load-org.js';
export {
  TestSelectionError,
  type Report,
  type RunApexTestsOptions,
  type CoverageReport,
  type ClassCoverage,
} from './types.js';
