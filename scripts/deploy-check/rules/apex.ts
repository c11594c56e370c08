/**
 * Apex: the project's Apex compiled by apex-ls (the `apex-ls` gate's checker: unknown types, fields and methods,
 * wrong argument and return types), so that one command answers "would this deploy?". apex-ls models the platform's
 * Apex library from its own tables; where those tables miss something the documentation states, the issue is not
 * a deploy error and is left out (each case below cites the documentation).
 */
import path from 'node:path';
import { runApexLs } from '../../gates/gates.js';
import type { Context, Rule } from './context.js';

const root = path.resolve(import.meta.dirname, '..', '..', '..');

interface Gap {
  test: RegExp;
  /** Is the issue a gap of apex-ls for this project? */
  applies(ctx: Context, m: RegExpExecArray): boolean;
}

export const APEX_LS_GAPS: Gap[] = [
  {
    // Apex Developer Guide, "DataWeave in Apex": each DataWeave script (DataWeaveResource metadata) of the org is
    // loaded with `DataWeave.Script.createScript(...)` or as `DataWeaveScriptResource.<scriptName>`.
    test: /^No type declaration found for 'DataWeaveScriptResource\.(\w+)'$/,
    applies: (ctx, m) => ctx.project.has('DataWeaveResource', m[1]),
  },
  {
    // Apex Reference Guide, System namespace exceptions: DataWeaveScriptException ("an error in a DataWeave script").
    test: /^No type declaration found for '(System\.)?DataWeaveScriptException'$/,
    applies: () => true,
  },
  {
    // Apex Reference Guide, Cache namespace, "Partition Class": "Base class of Cache.OrgPartition and
    // Cache.SessionPartition": either is a Cache.Partition.
    test: /^Incompatible return type, 'cache\.(Org|Session)Partition' is not assignable to 'cache\.Partition'$/i,
    applies: () => true,
  },
];

const apexLs: Rule = {
  id: 'apex/apex-ls',
  family: 'apex',
  description: 'Apex classes and triggers compile (apex-ls: types, fields, methods, assignments)',
  run: async (ctx) => {
    if (!ctx.apex) return;
    const r = await runApexLs(root, ctx.project.dir);
    if (r.code !== 0 && r.code !== 4) {
      ctx.report(ctx.project.dir, 1, `apex-ls did not run (exit ${r.code}): ${r.output.trim().split('\n').at(-1)}`);
      return;
    }
    for (const issue of r.issues) {
      if (issue.kind !== 'Error' && issue.kind !== 'Missing') continue;
      const gap = APEX_LS_GAPS.find((g) => {
        const m = g.test.exec(issue.message);
        return m && g.applies(ctx, m);
      });
      if (!gap) ctx.report(issue.file, issue.line, issue.message);
    }
    if (r.code === 4 && r.issues.length === 0)
      ctx.report(ctx.project.dir, 1, 'apex-ls reported issues it did not list');
  },
};

export const apexRules: Rule[] = [apexLs];
