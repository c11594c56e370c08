/**
 * `npm run --silent apex:test -- [--class-names A,B] [--tests A.method] [--result-format human|json] [--code-coverage]`
 * Runs the project's Apex tests in the offline local org; flags and JSON shape as
 * `sf apex run test` (force-app/README.md §7).
 */
import { runCli } from '../testrunner/cli-main.js';

runCli(process.argv.slice(2)).then(
  (code) => {
    // Exit explicitly once stdout is flushed: an org may keep timers alive.
    process.stdout.write('', () => process.exit(code));
  },
  (e: unknown) => {
    process.stderr.write(`Error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
