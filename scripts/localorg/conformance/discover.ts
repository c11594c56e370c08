/** Finds the conformance programs and their expectations (.out, .err, .exit). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface ConformanceProgram {
  name: string; // '001_lang_case_insensitive_identifiers'
  file: string;
  source: string;
  expectedStdout: string[];
  /** Expected first line of stderr, when the program must fail. */
  expectedStderr: string | null;
  expectedExit: number;
  /**
   * NNN_topic_rule.after.apex: run in the same org after the program and after draining the queued jobs
   * (LocalOrgApi.runQueuedJobs), so a program can check what its queueables did. Its debug lines follow the
   * program's in the expected stdout. In-process runs only.
   */
  afterSource: string | null;
}

function lines(text: string): string[] {
  const l = text.replace(/\r\n/g, '\n').split('\n');
  if (l.length && l[l.length - 1] === '') l.pop();
  return l;
}

export function discoverPrograms(dir: string, filter?: string): ConformanceProgram[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_.*\.apex$/.test(f) && !f.endsWith('.after.apex'))
    .sort()
    .map((f) => path.join(dir, f))
    .filter((file) => !filter || path.basename(file).includes(filter))
    .map((file) => {
      const base = file.slice(0, -'.apex'.length);
      const read = (ext: string): string | null => (existsSync(base + ext) ? readFileSync(base + ext, 'utf8') : null);
      const err = read('.err');
      const exit = read('.exit');
      return {
        name: path.basename(base),
        file,
        source: readFileSync(file, 'utf8'),
        expectedStdout: lines(read('.out') ?? ''),
        expectedStderr: err === null ? null : (lines(err)[0] ?? ''),
        expectedExit: exit === null ? (err === null ? 0 : 1) : parseInt(exit.trim(), 10),
        afterSource: read('.after.apex'),
      };
    });
}
