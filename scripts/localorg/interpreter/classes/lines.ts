/**
 * Executable lines for coverage, like the platform counts them: statement lines (a local declaration only when
 * it has an initialiser), field and property initialiser lines; blocks, declarations and braces do not count.
 * The evaluator marks a line covered when it executes a statement (or initialiser) on it.
 */
import type { Block, Stmt, TriggerDecl, TypeDecl } from '../ast.js';

export function stmtLines(s: Stmt, out: Set<number>): void {
  switch (s.k) {
    case 'block':
      for (const x of s.stmts) stmtLines(x, out);
      return;
    case 'local':
      if (s.decls.some((d) => d.init)) out.add(s.line);
      return;
    case 'if':
      out.add(s.line);
      stmtLines(s.then, out);
      if (s.else) stmtLines(s.else, out);
      return;
    case 'while':
    case 'do':
    case 'foreach':
      out.add(s.line);
      stmtLines(s.body, out);
      return;
    case 'for':
      out.add(s.line);
      if (s.init && !Array.isArray(s.init)) stmtLines(s.init, out);
      stmtLines(s.body, out);
      return;
    case 'try':
      stmtLines(s.body, out);
      for (const c of s.catches) stmtLines(c.body, out);
      if (s.fin) stmtLines(s.fin, out);
      return;
    case 'switch':
      out.add(s.line);
      for (const w of s.whens) stmtLines(w.body, out);
      return;
    case 'runAs':
      out.add(s.line);
      stmtLines(s.body, out);
      return;
    case 'localClass':
      return;
    default:
      out.add(s.line);
  }
}

function blockLines(b: Block | null | undefined, out: Set<number>): void {
  if (b) stmtLines(b, out);
}

export function collectExecutableLines(t: TypeDecl, out = new Set<number>()): Set<number> {
  for (const m of t.members) {
    if (m.k === 'field' && m.decl.init) out.add(m.decl.line);
    else if (m.k === 'prop') {
      blockLines(m.decl.getter?.body, out);
      blockLines(m.decl.setter?.body, out);
    } else if (m.k === 'init') blockLines(m.decl.body, out);
  }
  for (const m of t.methods) blockLines(m.body, out);
  for (const c of t.ctors) blockLines(c.body, out);
  for (const i of t.inner) collectExecutableLines(i, out);
  return out;
}

export function collectTriggerLines(t: TriggerDecl): Set<number> {
  const out = new Set<number>();
  stmtLines(t.body, out);
  return out;
}
