/**
 * Runs one anonymous program the way `apex:run` does and reports what the CLI would print:
 * stdout = one line per System.debug, stderr first line = `TypeName: message` on an uncaught exception (exit 1),
 * exit 2 on a parse error or an unsupported feature.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { LocalOrgApi } from '../core/org-api.js';
import { UnsupportedFeature, PlatformError } from '../core/errors.js';

export interface RunOutcome {
  stdout: string[];
  stderrFirstLine: string | null;
  exit: number;
  /** A JavaScript error escaped the org: always a conformance failure. */
  crash?: string;
}

/** Parse errors and compile errors surface as JS errors; recognise them by name or by a file/line they carry. */
function isStaticError(e: unknown): boolean {
  if (e instanceof UnsupportedFeature) return true;
  if (!(e instanceof Error)) return false;
  return (
    /parse|syntax|compile|unsupported/i.test(e.name) || /parse|syntax|compile|unsupported/i.test(e.constructor.name)
  );
}

export function runInProcess(org: LocalOrgApi, source: string, fileName: string): RunOutcome {
  try {
    const r = org.runAnonymous(source, { fileName });
    if (r.ok) return { stdout: r.debug, stderrFirstLine: null, exit: 0 };
    return { stdout: r.debug, stderrFirstLine: `${r.error.typeName}: ${r.error.message}`.split('\n')[0], exit: 1 };
  } catch (e) {
    if (isStaticError(e)) return { stdout: [], stderrFirstLine: (e as Error).message.split('\n')[0], exit: 2 };
    if (e instanceof PlatformError)
      return {
        stdout: [],
        stderrFirstLine: `${e.typeName}: ${e.message}`,
        exit: 1,
        crash: 'PlatformError escaped runAnonymous',
      };
    return {
      stdout: [],
      stderrFirstLine: null,
      exit: 70,
      crash: e instanceof Error ? (e.stack ?? e.message) : String(e),
    };
  }
}

/**
 * Runs `program`, then every queued job until none is left, then `after` in the same org; the debug lines of both
 * blocks are concatenated. When the program failed, its exit code and error line are the outcome.
 */
export function runWithAfter(org: LocalOrgApi, source: string, afterSource: string, fileName: string): RunOutcome {
  const first = runInProcess(org, source, fileName);
  if (first.crash || first.exit === 2) return first;
  try {
    for (let i = 0; i < 20 && org.pendingJobs() > 0; i++) org.runQueuedJobs({ includeDelayed: true });
  } catch (e) {
    return {
      ...first,
      exit: 70,
      crash: `runQueuedJobs threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
    };
  }
  const second = runInProcess(org, afterSource, fileName.replace(/\.apex$/, '.after.apex'));
  // A failing program keeps its own exit code and error line; the after block only adds what it printed.
  const outcome = first.exit !== 0 && !second.crash ? { ...first } : { ...second };
  if (first.exit !== 0 && second.exit !== 0 && !second.crash)
    outcome.crash = `the .after.apex block failed too: ${second.stderrFirstLine}`;
  return { ...outcome, stdout: [...first.stdout, ...second.stdout] };
}

/** Runs the program through the real CLI (`tsx scripts/localorg/cli/apex-run.ts FILE`), extra dirs passed by env. */
export function runViaCli(root: string, file: string, extraSourceDirs: string[]): RunOutcome {
  const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
  const r = spawnSync(tsx, [path.join(root, 'scripts', 'localorg', 'cli', 'apex-run.ts'), file], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, LOCALORG_EXTRA_SOURCE_DIRS: extraSourceDirs.join(path.delimiter) },
  });
  const out = (r.stdout ?? '').replace(/\r\n/g, '\n').split('\n');
  if (out.length && out[out.length - 1] === '') out.pop();
  const errFirst = (r.stderr ?? '').split('\n').find((l) => l.trim() !== '') ?? null;
  return { stdout: out, stderrFirstLine: errFirst, exit: r.status ?? 70 };
}
