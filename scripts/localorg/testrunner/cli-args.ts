/**
 * Flags of `apex:test`, spelled as `sf apex run test` spells them:
 *   -n/--class-names A,B   -t/--tests A.m,B   -r/--result-format human|json   -c/--code-coverage
 *   -l/--test-level RunLocalTests|RunAllTestsInOrg|RunSpecifiedTests   -y/--synchronous (no-op)
 *   -w/--wait N, -o/--target-org X, -d/--output-dir DIR, -v/--detailed-coverage, --json (= -r json)
 * plus --coverage-gate (fail under 90% org-wide or 75% for any class or trigger) and --project-dir DIR (another
 * SFDX project's tests).
 */
import { splitList } from './select.js';

export interface CliArgs {
  classNames: string[];
  tests: string[];
  resultFormat: 'human' | 'json';
  codeCoverage: boolean;
  coverageGate: boolean;
  testLevel: 'RunLocalTests' | 'RunAllTestsInOrg' | 'RunSpecifiedTests';
  outputDir?: string;
  /** Another SFDX project to load instead of this one (`--project-dir DIR`). */
  projectDir?: string;
  help: boolean;
}

export class CliUsageError extends Error {}

const VALUE_FLAGS: Record<string, string> = {
  '-n': 'class-names',
  '--class-names': 'class-names',
  '--classnames': 'class-names',
  '-t': 'tests',
  '--tests': 'tests',
  '-r': 'result-format',
  '--result-format': 'result-format',
  '--resultformat': 'result-format',
  '-l': 'test-level',
  '--test-level': 'test-level',
  '--testlevel': 'test-level',
  '-w': 'wait',
  '--wait': 'wait',
  '-o': 'target-org',
  '--target-org': 'target-org',
  '-u': 'target-org',
  '--targetusername': 'target-org',
  '-d': 'output-dir',
  '--output-dir': 'output-dir',
  '--outputdir': 'output-dir',
  '-s': 'suite-names',
  '--suite-names': 'suite-names',
  '--api-version': 'api-version',
  '--project-dir': 'project-dir',
};

const BOOL_FLAGS: Record<string, string> = {
  '-c': 'code-coverage',
  '--code-coverage': 'code-coverage',
  '--codecoverage': 'code-coverage',
  '-y': 'synchronous',
  '--synchronous': 'synchronous',
  '-v': 'detailed-coverage',
  '--detailed-coverage': 'detailed-coverage',
  '--json': 'json',
  '--coverage-gate': 'coverage-gate',
  '-h': 'help',
  '--help': 'help',
  '--concise': 'concise',
};

export const USAGE = `Usage: npm run --silent apex:test -- [--class-names A,B] [--tests A.method,B.m2] [--result-format human|json]
                                      [--code-coverage] [--test-level RunLocalTests] [--coverage-gate] [--project-dir DIR]
Runs the project's Apex tests in the offline local org (flags as 'sf apex run test').
--project-dir DIR runs the tests of another SFDX project (the folder holding its sfdx-project.json).`;

export function parseCliArgs(argv: string[]): CliArgs {
  const a: CliArgs = {
    classNames: [],
    tests: [],
    resultFormat: 'human',
    codeCoverage: false,
    coverageGate: false,
    testLevel: 'RunLocalTests',
    help: false,
  };
  let json = false;
  let level: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    let flag = argv[i];
    let inline: string | undefined;
    const eq = flag.indexOf('=');
    if (flag.startsWith('--') && eq > 0) {
      inline = flag.slice(eq + 1);
      flag = flag.slice(0, eq);
    }
    const key = flag.toLowerCase();
    if (key in BOOL_FLAGS) {
      const name = BOOL_FLAGS[key];
      if (name === 'code-coverage') a.codeCoverage = true;
      else if (name === 'json') json = true;
      else if (name === 'coverage-gate') a.coverageGate = true;
      else if (name === 'help') a.help = true;
      continue;
    }
    if (key in VALUE_FLAGS) {
      const name = VALUE_FLAGS[key];
      const value = inline ?? argv[++i];
      if (
        value === undefined ||
        (inline === undefined && value.startsWith('-') && value.length > 1 && isNaN(Number(value)))
      )
        throw new CliUsageError(`Flag ${flag} needs a value.`);
      if (name === 'class-names') a.classNames.push(...splitList([value]));
      else if (name === 'tests') a.tests.push(...splitList([value]));
      else if (name === 'result-format') {
        const f = value.toLowerCase();
        if (f !== 'human' && f !== 'json')
          throw new CliUsageError(`Unsupported --result-format '${value}': the local org writes 'human' or 'json'.`);
        a.resultFormat = f;
      } else if (name === 'test-level') level = value;
      else if (name === 'output-dir') a.outputDir = value;
      else if (name === 'project-dir') a.projectDir = value;
      else if (name === 'suite-names')
        throw new CliUsageError('Test suites (--suite-names) are not supported by the local org.');
      continue;
    }
    throw new CliUsageError(`Unknown flag or argument '${argv[i]}'.\n${USAGE}`);
  }
  if (json) a.resultFormat = 'json';
  if (level !== undefined) {
    const l = ['RunLocalTests', 'RunAllTestsInOrg', 'RunSpecifiedTests'].find(
      (x) => x.toLowerCase() === level!.toLowerCase(),
    );
    if (!l)
      throw new CliUsageError(`Unknown --test-level '${level}' (RunLocalTests, RunAllTestsInOrg, RunSpecifiedTests).`);
    a.testLevel = l as CliArgs['testLevel'];
    if (a.testLevel === 'RunSpecifiedTests' && !a.classNames.length && !a.tests.length)
      throw new CliUsageError('--test-level RunSpecifiedTests needs --class-names or --tests.');
  }
  return a;
}
