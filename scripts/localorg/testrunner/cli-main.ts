/**
 * The apex:test command (scripts/localorg/cli/apex-test.ts calls runCli). Only the report goes to stdout;
 * errors and coverage-gate problems go to stderr. Exit 0 only when every test passed (and the gate, if asked).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runApexTests } from './run-tests.js';
import { parseCliArgs, CliUsageError, USAGE } from './cli-args.js';
import { toSfJson } from './format-json.js';
import { toHuman } from './format-human.js';
import { coverageGateProblems } from './coverage.js';
import { TestSelectionError } from './types.js';
import type { OrgLoader } from './load-org.js';
import { OrgUnavailable } from './load-org.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  loader?: OrgLoader;
  projectDir?: string;
}

const defaultIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  let args;
  try {
    args = parseCliArgs(argv);
  } catch (e) {
    if (e instanceof CliUsageError) {
      io.stderr(`Error: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  if (args.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  // Only the report goes to stdout: anything the org logs with console.* while tests run goes to stderr.
  const saved = { log: console.log, info: console.info, debug: console.debug };
  const toStderr = (...a: unknown[]): void => io.stderr(`${a.map(String).join(' ')}\n`);
  console.log = console.info = console.debug = toStderr;
  if (args.projectDir && !existsSync(path.join(args.projectDir, 'sfdx-project.json'))) {
    Object.assign(console, saved);
    io.stderr(`Error: --project-dir ${args.projectDir}: no sfdx-project.json there.\n`);
    return 1;
  }
  try {
    const report = await runApexTests({
      classNames: args.classNames,
      tests: args.tests,
      codeCoverage: args.codeCoverage || args.coverageGate,
      loader: io.loader,
      projectDir: args.projectDir ? path.resolve(args.projectDir) : io.projectDir,
    });
    const json = toSfJson(report);
    if (!args.codeCoverage && args.coverageGate) delete json.result.coverage;
    io.stdout(args.resultFormat === 'json' ? `${JSON.stringify(json, null, 2)}\n` : `${toHuman(report)}\n`);
    if (args.outputDir) {
      mkdirSync(args.outputDir, { recursive: true });
      writeFileSync(
        path.join(args.outputDir, `test-result-${report.testRunId}.json`),
        JSON.stringify(json.result, null, 2),
      );
      writeFileSync(path.join(args.outputDir, 'test-run-id.txt'), report.testRunId);
    }
    let code = report.outcome === 'Passed' ? 0 : 1;
    if (args.coverageGate && report.coverage) {
      const problems = coverageGateProblems(report.coverage);
      if (problems.length) {
        io.stderr(
          `Coverage gate failed (90% org-wide, 75% per class and trigger):\n${problems.map((p) => `  ${p}`).join('\n')}\n`,
        );
        code = 1;
      }
    }
    return code;
  } catch (e) {
    if (e instanceof TestSelectionError || e instanceof OrgUnavailable) {
      io.stderr(`Error: ${e.message}\n`);
      return 1;
    }
    io.stderr(`Error: the local org failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  } finally {
    Object.assign(console, saved);
  }
}
