/**
 * `deploy:check`: the offline equivalent of `sf project deploy validate`. Loads the project as `sf` does, runs every
 * rule, and returns the problems sorted by file and line.
 */
import path from 'node:path';
import { Project, type Problem } from './project.js';
import { loadSchema } from './schema.js';
import { loadStandardObjects } from './standard-objects.js';
import type { Context, Rule } from './rules/context.js';
import { structureRules } from './rules/structure.js';
import { referenceRules } from './rules/references.js';
import { permissionRules } from './rules/permissions.js';
import { fieldRules } from './rules/fields.js';
import { iconRules } from './rules/icons.js';
import { recordRules } from './rules/records.js';
import { apexRules } from './rules/apex.js';

// Cheap rules first; apex-ls (a JVM start) last.
export const RULES: Rule[] = [
  ...structureRules,
  ...referenceRules,
  ...permissionRules,
  ...fieldRules,
  ...iconRules,
  ...recordRules,
  ...apexRules,
];

export interface CheckOptions {
  /** Run apex-ls (default true). */
  apex?: boolean;
  /** Only these rule ids. */
  rules?: string[];
}

export async function deployCheck(projectDir: string, opts: CheckOptions = {}): Promise<Problem[]> {
  const project = new Project(projectDir);
  const problems: Problem[] = [...project.problems];
  const [schema, std] = [loadSchema(), await loadStandardObjects()];
  for (const rule of RULES) {
    if (opts.rules && !opts.rules.includes(rule.id)) continue;
    const ctx: Context = {
      project,
      schema,
      std,
      apex: opts.apex ?? true,
      report: (file, line, message) => problems.push({ file: path.resolve(file), line, message, rule: rule.id }),
    };
    await rule.run(ctx);
  }
  const seen = new Set<string>();
  return problems
    .filter((p) => {
      const key = `${p.file}:${p.line}:${p.message}`;
      return !seen.has(key) && !!seen.add(key);
    })
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** `path:line: message`, the path relative to `base` when inside it. */
export function formatProblem(p: Problem, base: string): string {
  const rel = path.relative(base, p.file);
  const shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p.file;
  return `${shown}:${p.line}: ${p.message} [${p.rule}]`;
}
