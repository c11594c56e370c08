/**
 * `npm run deploy:check [-- --project-dir DIR] [--no-apex] [--list-rules]`: prints one `path:line: message` line per
 * problem a Metadata API deploy would report, then a count; exits 1 if there is any problem.
 */
import path from 'node:path';
import { deployCheck, formatProblem, RULES } from './check.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--list-rules')) {
    for (const r of RULES) console.log(`${r.id.padEnd(40)} ${r.family}: ${r.description}`);
    return;
  }
  const i = args.indexOf('--project-dir');
  if (i >= 0 && !args[i + 1]) {
    console.error('--project-dir needs a directory');
    process.exit(2);
  }
  const dir = path.resolve(i >= 0 ? args[i + 1] : path.resolve(import.meta.dirname, '..', '..'));
  const started = Date.now();
  const problems = await deployCheck(dir, { apex: !args.includes('--no-apex') });
  const base = dir === process.cwd() || !path.relative(process.cwd(), dir).startsWith('..') ? process.cwd() : dir;
  for (const p of problems) console.log(formatProblem(p, base));
  console.log(
    `deploy:check ${dir}: ${RULES.length} rules, ${problems.length} problem${problems.length === 1 ? '' : 's'} (${((Date.now() - started) / 1000).toFixed(1)}s)`,
  );
  process.exit(problems.length ? 1 : 0);
}

main().catch((err: Error) => {
  console.error(`deploy:check: ${err.message}`);
  process.exit(2);
});
