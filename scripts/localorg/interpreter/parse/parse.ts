/**
 * Parsing entry points: source text -> AST. A syntax error is an ApexSyntaxError (an UnsupportedFeature) naming file and line
 * (the CLI exits 2 on it), because the local org cannot run code the platform would not compile.
 */
import { ApexParserFactory, ApexErrorListener } from '@apexdevtools/apex-parser';
import { ApexSyntaxError } from '../../core/errors.js';
import type { AnonymousUnit, Expr, TriggerDecl, TypeDecl } from '../ast.js';
import { Ctx, exprKids } from './tree.js';
import { convertAnonymousUnit, convertCompilationUnit, convertTriggerUnit } from './convert-decl.js';
import { convertExpr } from './convert-expr.js';
import { cachedParse } from './ast-cache.js';

class Collect extends ApexErrorListener {
  first: { line: number; column: number; msg: string } | null = null;
  apexSyntaxError(line: number, column: number, msg: string): void {
    if (!this.first) this.first = { line, column, msg };
  }
}

function run<T>(
  file: string,
  src: string,
  entry: 'compilationUnit' | 'triggerUnit' | 'anonymousUnit' | 'expression',
  conv: (ctx: Ctx, tree: unknown) => T,
): T {
  // Two-stage parsing: SLL prediction is much faster and almost always enough; on an error, retry with full LL.
  let listener = new Collect();
  let { parser } = ApexParserFactory.createLexerAndParser(src, listener);
  (parser as unknown as { _interp: { predictionMode: number } })._interp.predictionMode = 0; // SLL
  let tree = (parser as unknown as Record<string, () => unknown>)[entry]();
  if (listener.first) {
    listener = new Collect();
    ({ parser } = ApexParserFactory.createLexerAndParser(src, listener));
    tree = (parser as unknown as Record<string, () => unknown>)[entry]();
  }
  if (listener.first) {
    const e = listener.first;
    throw new ApexSyntaxError(e.msg, file, e.line);
  }
  return conv(new Ctx(file, src), tree);
}

export function parseClass(file: string, src: string): TypeDecl {
  return cachedParse('class', src, () => run(file, src, 'compilationUnit', convertCompilationUnit));
}

export function parseTrigger(file: string, src: string): TriggerDecl {
  return cachedParse('trigger', src, () => run(file, src, 'triggerUnit', convertTriggerUnit));
}

export function parseAnonymous(file: string, src: string): AnonymousUnit {
  return cachedParse('anonymous', src, () => run(file, src, 'anonymousUnit', convertAnonymousUnit));
}

/** A lone expression (SOQL bind text the database asks for that was not pre-parsed). */
export function parseExpression(file: string, src: string, line: number): Expr {
  const e = run(file, `Object __x = ${src};`, 'anonymousUnit', (ctx, tree) => {
    // anonymousUnit > anonymousBlock > member > decl > fieldDeclaration > declarators > declarator > expr
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let n: any = tree;
    const path = [
      'AnonymousBlockContext',
      'AnonymousBlockMemberContext',
      'AnonymousMemberDeclarationContext',
      'FieldDeclarationContext',
      'VariableDeclaratorsContext',
      'VariableDeclaratorContext',
    ];
    for (const p of path)
      n = (n.children ?? []).find((c: { constructor: { name: string } }) => c.constructor.name === p);
    return convertExpr(ctx, exprKids(n)[0]);
  });
  const fix = (x: Expr) => {
    x.line = line;
  };
  fix(e);
  return e;
}
