/**
 * Small helpers over the ANTLR parse tree of @apexdevtools/apex-parser. Rule contexts are recognised by
 * their generated class names ('StatementContext', 'DotExpressionContext', ...), which the package keeps.
 */
import path from 'node:path';
import type { TypeRef } from '../../core/values.js';
import { UnsupportedFeature } from '../../core/errors.js';

// The ANTLR runtime types are loose; the converter only reads children, symbols and positions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PNode = any;

export function ruleName(n: PNode): string {
  return n.constructor.name as string;
}

export function isToken(n: PNode): boolean {
  return n != null && n.symbol !== undefined;
}

export function kids(n: PNode): PNode[] {
  return (n.children as PNode[] | undefined) ?? [];
}

export function child(n: PNode, name: string): PNode | undefined {
  for (const c of kids(n)) if (!isToken(c) && ruleName(c) === name) return c;
  return undefined;
}

export function childrenNamed(n: PNode, name: string): PNode[] {
  return kids(n).filter((c) => !isToken(c) && ruleName(c) === name);
}

/** Child rule contexts that are expressions (every labelled alternative ends in 'ExpressionContext'). */
export function exprKids(n: PNode): PNode[] {
  return kids(n).filter(
    (c) => !isToken(c) && ruleName(c).endsWith('ExpressionContext') && ruleName(c) !== 'ParExpressionContext',
  );
}

export function tokenTexts(n: PNode): string[] {
  return kids(n)
    .filter(isToken)
    .map((c) => c.symbol.text as string);
}

export function lineOf(n: PNode): number {
  return isToken(n) ? n.symbol.line : (n.start?.line ?? 0);
}

export function textOf(n: PNode): string {
  return isToken(n) ? n.symbol.text : n.getText();
}

/** Original source text of a rule (getText() drops whitespace). */
export function sourceOf(src: string, n: PNode): string {
  return src.slice(n.start.start, n.stop.stop + 1);
}

export class Ctx {
  constructor(
    public readonly file: string,
    public readonly src: string,
  ) {}
  unsupported(what: string, n: PNode): never {
    throw new UnsupportedFeature(what, this.file, lineOf(n));
  }
  /** Fail late: a node that throws UnsupportedFeature only when a run reaches it (the class still loads). */
  unsupportedNode(what: string, n: PNode): { k: 'unsupported'; line: number; what: string; file: string } {
    return { k: 'unsupported', line: lineOf(n), what, file: path.basename(this.file) };
  }
}

const CANON: Record<string, string> = {};
for (const n of [
  'String',
  'Integer',
  'Long',
  'Double',
  'Decimal',
  'Boolean',
  'Id',
  'Date',
  'Datetime',
  'Time',
  'Blob',
  'Object',
  'SObject',
  'List',
  'Set',
  'Map',
  'Exception',
  'void',
]) {
  CANON[n.toLowerCase()] = n;
}

/** Canonical case for primitive and collection names; other names stay as written (resolved later). */
export function canonTypeName(name: string): string {
  const c = CANON[name.toLowerCase()];
  if (c) return c;
  const low = name.toLowerCase();
  if (low.startsWith('system.')) {
    const rest = CANON[low.slice(7)];
    if (rest) return rest;
  }
  return name;
}

export function convertTypeRef(ctx: Ctx, n: PNode): TypeRef {
  // typeRef : typeName (DOT typeName)* arraySubscripts
  const parts = childrenNamed(n, 'TypeNameContext');
  let args: TypeRef[] | undefined;
  const names: string[] = [];
  for (const p of parts) {
    const first = kids(p)[0];
    names.push(textOf(first));
    const ta = child(p, 'TypeArgumentsContext');
    if (ta)
      args = childrenNamed(child(ta, 'TypeListContext'), 'TypeRefContext').map((t: PNode) => convertTypeRef(ctx, t));
  }
  let t: TypeRef = { name: canonTypeName(names.join('.')) };
  if (args) t.args = args;
  const subs = child(n, 'ArraySubscriptsContext');
  const depth = subs ? kids(subs).filter((c: PNode) => isToken(c) && c.symbol.text === '[').length : 0;
  for (let i = 0; i < depth; i++) t = { name: 'List', args: [t] };
  return t;
}
