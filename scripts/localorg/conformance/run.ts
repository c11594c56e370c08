/**
 * The local org's conformance suite: `tsx scripts/localorg/conformance/run.ts [--filter TEXT] [--cli]
 * [--programs-only | --tests-only] [--shared-org] [--with-project] [--verbose]`.
 *
 * Each programs/NNN_topic_rule.apex runs as an anonymous block in a fresh local org (an empty project, or the
 * project with --with-project, plus conformance/source and conformance/testclasses) through LocalOrgApi.runAnonymous, the code path of apex:run
 * (or through the CLI itself with --cli); stdout lines, the first stderr line and the exit code are compared
 * with .out/.err/.exit. Then the @IsTest classes of testclasses/ run and are compared with testclasses/expected.json.
 * The last line is always `N passed, N failed`; exit 0 only when nothing failed.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LocalOrgApi } from '../core/org-api.js';
import { loadLocalOrg, projectRoot, OrgUnavailable } from '../testrunner/load-org.js';
import { discoverPrograms, type ConformanceProgram } from './discover.js';
import { runInProcess, runViaCli, runWithAfter, type RunOutcome } from './execute.js';
import { lineDiff } from './diff.js';
import { runConformanceTests } from './test-classes.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const conformanceDirs = {
  programs: path.join(here, 'programs'),
  source: path.join(here, 'source'),
  testclasses: path.join(here, 'testclasses'),
  /**
   * An sfdx project whose package directories are an empty folder, source/ and testclasses/: the runtime is checked
   * without the product's code.
   */
  emptyProject: path.join(here, 'empty-project'),
};

interface Args {
  filter?: string;
  cli: boolean;
  programs: boolean;
  tests: boolean;
  sharedOrg: boolean;
  verbose: boolean;
  withProject: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { cli: false, programs: true, tests: true, sharedOrg: false, verbose: false, withProject: false };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    if (x === '--filter') a.filter = argv[++i];
    else if (x === '--cli') a.cli = true;
    else if (x === '--programs-only') a.tests = false;
    else if (x === '--tests-only') a.programs = false;
    else if (x === '--shared-org') a.sharedOrg = true;
    else if (x === '--verbose' || x === '-v') a.verbose = true;
    else if (x === '--with-project') a.withProject = true;
    else throw new Error(`unknown option ${x}`);
  }
  return a;
}

export function compareOutcome(p: ConformanceProgram, got: RunOutcome): string[] {
  const problems: string[] = [];
  if (got.crash) problems.push(`the local org crashed:\n${got.crash.split('\n').slice(0, 6).join('\n')}`);
  if (got.exit !== p.expectedExit) problems.push(`exit code ${got.exit}, expected ${p.expectedExit}`);
  if (p.expectedStderr !== null && got.stderrFirstLine !== p.expectedStderr)
    problems.push(`stderr first line differs\n- ${p.expectedStderr}\n+ ${got.stderrFirstLine ?? '(nothing)'}`);
  if (p.expectedStderr === null && p.expectedExit === 0 && got.stderrFirstLine)
    problems.push(`unexpected error: ${got.stderrFirstLine}`);
  const same = got.stdout.length === p.expectedStdout.length && got.stdout.every((l, i) => l === p.expectedStdout[i]);
  if (!same)
    problems.push(
      ['stdout differs (- expected, + actual):', ...lineDiff(p.expectedStdout, got.stdout).map((l) => `    ${l}`)].join(
        '\n',
      ),
    );
  return problems;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const root = projectRoot();
  const orgProject = args.withProject ? root : conformanceDirs.emptyProject;
  const extraSourceDirs = [conformanceDirs.source, conformanceDirs.testclasses];
  // The empty project lists source/ and testclasses/ as package directories itself; the product needs them as extras.
  const orgExtras = args.withProject ? extraSourceDirs : [];
  let passed = 0;
  let failed = 0;
  const fail = (name: string, problems: string[]): void => {
    failed++;
    console.log(`FAIL ${name}`);
    for (const p of problems)
      console.log(
        p
          .split('\n')
          .map((l) => `    ${l}`)
          .join('\n'),
      );
  };
  let loadError: string | null = null;
  const newOrg = async (): Promise<LocalOrgApi> => {
    if (loadError) throw new OrgUnavailable(loadError);
    try {
      return await loadLocalOrg(orgProject, { extraSourceDirs: orgExtras });
    } catch (e) {
      loadError = `LocalOrg.load failed: ${e instanceof Error ? (e.stack ?? e.message).split('\n').slice(0, 6).join('\n') : String(e)}`;
      console.log(loadError);
      throw new OrgUnavailable(loadError);
    }
  };

  try {
    if (args.programs) {
      const programs = discoverPrograms(conformanceDirs.programs, args.filter);
      let shared: LocalOrgApi | null = null;
      for (const p of programs) {
        let got: RunOutcome;
        const t0 = Date.now();
        if (args.cli && !p.afterSource) got = runViaCli(root, p.file, extraSourceDirs);
        else {
          let org: LocalOrgApi;
          try {
            org = args.sharedOrg ? (shared ??= await newOrg()) : await newOrg();
          } catch (e) {
            if (!(e instanceof OrgUnavailable)) throw e;
            fail(p.name, ['the local org could not be loaded']);
            continue;
          }
          const file = path.basename(p.file); // as apex:run names it
          got = p.afterSource ? runWithAfter(org, p.source, p.afterSource, file) : runInProcess(org, p.source, file);
        }
        const problems = compareOutcome(p, got);
        if (problems.length) fail(p.name, problems);
        else {
          passed++;
          if (args.verbose) console.log(`ok   ${p.name} (${Date.now() - t0} ms)`);
        }
      }
    }
    if (args.tests) {
      const org = await newOrg();
      for (const c of runConformanceTests(org, conformanceDirs.testclasses, args.filter)) {
        if (c.ok) {
          passed++;
          if (args.verbose) console.log(`ok   ${c.name} (${c.result?.timeMs ?? 0} ms)`);
        } else fail(c.name, [c.problem ?? 'failed']);
      }
    }
  } catch (e) {
    if (e instanceof OrgUnavailable) {
      console.log(`cannot run the conformance suite: ${e.message}`);
      failed++;
    } else throw e;
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.log(`conformance runner error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      console.log('0 passed, 1 failed');
      process.exit(1);
    },
  );
}
