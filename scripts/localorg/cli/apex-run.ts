/**
 * `npm run --silent apex:run -- [--project-dir DIR] FILE.apex`: runs an anonymous block in a fresh local org as the
 * admin; the org is this project's, or with --project-dir the SFDX project in DIR.
 * stdout: one line per System.debug (String.valueOf of the argument) and nothing else.
 * Uncaught exception: `TypeName: message` on stderr, exit 1. Parse error / unsupported feature: exit 2 naming file and line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UnsupportedFeature } from '../core/errors.js';
import { errorTag } from '../interpreter/eval/exceptions.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function fail(code: number, msg: string): never {
  process.stderr.write(msg.endsWith('\n') ? msg : `${msg}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  let projectDir = root;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--project-dir') {
      const dir = args[++i];
      if (!dir) fail(2, 'apex:run: --project-dir needs a folder');
      projectDir = path.resolve(dir);
      if (!fs.existsSync(path.join(projectDir, 'sfdx-project.json')))
        fail(2, `apex:run: --project-dir ${dir}: no sfdx-project.json there`);
    } else if (args[i].startsWith('--project-dir=')) {
      projectDir = path.resolve(args[i].slice('--project-dir='.length));
      if (!fs.existsSync(path.join(projectDir, 'sfdx-project.json')))
        fail(2, `apex:run: ${args[i]}: no sfdx-project.json there`);
    } else files.push(args[i]);
  }
  const file = files[0];
  if (!file || files.length > 1) fail(2, 'usage: apex:run [--project-dir DIR] FILE.apex');
  let source: string;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch (e) {
    fail(2, `${file}: cannot read (${(e as Error).message})`);
  }
  const extra = (process.env.LOCALORG_EXTRA_SOURCE_DIRS ?? '').split(path.delimiter).filter(Boolean);
  try {
    const { LocalOrg } = await import('../org.js');
    const org = LocalOrg.load(projectDir, { extraSourceDirs: extra });
    const r = org.runAnonymous(source, { fileName: path.basename(file) });
    for (const line of r.debug) process.stdout.write(`${line}\n`);
    if (!r.ok) fail(1, `${r.error.typeName}: ${r.error.message}\n${r.error.stackTrace}`);
    // The CLI cannot wait: delayed jobs run now too.
    org.runQueuedJobs({ includeDelayed: true });
  } catch (e) {
    if (e instanceof UnsupportedFeature) {
      const tag = errorTag(e);
      const where = e.file ? '' : tag ? ` (${tag.file}:${tag.line})` : ` (${path.basename(file)})`;
      fail(2, `${e.message}${where}`);
    }
    throw e;
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(3);
});
