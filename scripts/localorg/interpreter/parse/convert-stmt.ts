/** ANTLR statement contexts -> AST statements. */
import type { Block, Stmt, VarDecl, WhenClause, Expr } from '../ast.js';
import {
  Ctx,
  PNode,
  child,
  childrenNamed,
  exprKids,
  isToken,
  kids,
  lineOf,
  ruleName,
  textOf,
  convertTypeRef,
} from './tree.js';
import { convertExpr, convertExprList, unquote } from './convert-expr.js';

export function convertBlock(ctx: Ctx, n: PNode): Block {
  return {
    k: 'block',
    line: lineOf(n),
    stmts: childrenNamed(n, 'StatementContext').map((s: PNode) => convertStmt(ctx, s)),
  };
}

export function convertDeclarators(ctx: Ctx, n: PNode): VarDecl[] {
  return childrenNamed(n, 'VariableDeclaratorContext').map((d: PNode) => {
    const e = exprKids(d)[0];
    return { name: textOf(child(d, 'IdContext')), init: e ? convertExpr(ctx, e) : null, line: lineOf(d) };
  });
}

export function convertLocalDecl(ctx: Ctx, n: PNode): Stmt {
  // localVariableDeclaration / fieldDeclaration : modifier* typeRef variableDeclarators
  return {
    k: 'local',
    line: lineOf(n),
    type: convertTypeRef(ctx, child(n, 'TypeRefContext')),
    decls: convertDeclarators(ctx, child(n, 'VariableDeclaratorsContext')),
  };
}

function par(ctx: Ctx, n: PNode): Expr {
  return convertExpr(ctx, exprKids(child(n, 'ParExpressionContext'))[0]);
}

function whenClause(ctx: Ctx, w: PNode): WhenClause {
  const v = child(w, 'WhenValueContext');
  const body = convertBlock(ctx, child(w, 'BlockContext'));
  const line = lineOf(w);
  const first = kids(v)[0];
  if (isToken(first) && textOf(first).toLowerCase() === 'else') return { kind: 'else', values: [], body, line };
  const tr = child(v, 'TypeRefContext');
  const ids = childrenNamed(v, 'IdContext');
  if (tr || ids.length === 2) {
    const typeRef = tr ? convertTypeRef(ctx, tr) : { name: textOf(ids[0]) };
    return { kind: 'type', values: [], typeRef, varName: textOf(ids[ids.length - 1]), body, line };
  }
  const values: Expr[] = childrenNamed(v, 'WhenLiteralContext').map((l: PNode) => {
    const ln = lineOf(l);
    const toks = kids(l);
    const idc = child(l, 'IdContext') ?? child(l, 'QualifiedNameContext');
    if (idc) {
      // enum value, possibly qualified (when System.TriggerOperation.BEFORE_INSERT): the last part names it
      const parts = textOf(idc).split('.');
      return { k: 'name', line: ln, name: parts[parts.length - 1] } as Expr;
    }
    const neg = toks.length === 2;
    const t: string = textOf(toks[toks.length - 1]);
    const low = t.toLowerCase();
    if (low === 'null') return { k: 'lit', line: ln, value: null, litType: 'null' } as Expr;
    if (t.startsWith("'")) return { k: 'lit', line: ln, value: unquote(t), litType: 'String' } as Expr;
    if (/[lL]$/.test(t)) {
      const b = BigInt(t.slice(0, -1));
      return { k: 'lit', line: ln, value: neg ? -b : b, litType: 'Long' } as Expr;
    }
    return { k: 'lit', line: ln, value: neg ? -Number(t) : Number(t), litType: 'Integer' } as Expr;
  });
  return { kind: 'values', values, body, line };
}

const DML = new Set([
  'InsertStatementContext',
  'UpdateStatementContext',
  'DeleteStatementContext',
  'UndeleteStatementContext',
  'UpsertStatementContext',
]);

export function convertStmt(ctx: Ctx, n: PNode): Stmt {
  const s = ruleName(n) === 'StatementContext' ? kids(n)[0] : n;
  const line = lineOf(s);
  const name = ruleName(s);
  if (DML.has(name)) {
    const op = textOf(kids(s)[0]).toLowerCase() as 'insert';
    const al = child(s, 'AccessLevelContext');
    const userMode = al ? textOf(kids(al)[kids(al).length - 1]).toLowerCase() === 'user' : false;
    const qn = child(s, 'QualifiedNameContext');
    return { k: 'dml', line, op, target: convertExpr(ctx, exprKids(s)[0]), extField: qn ? textOf(qn) : null, userMode };
  }
  switch (name) {
    case 'BlockContext':
      return convertBlock(ctx, s);
    case 'LocalVariableDeclarationStatementContext':
      return convertLocalDecl(ctx, child(s, 'LocalVariableDeclarationContext'));
    case 'ExpressionStatementContext':
      return { k: 'expr', line, expr: convertExpr(ctx, exprKids(s)[0]) };
    case 'IfStatementContext': {
      const sts = childrenNamed(s, 'StatementContext');
      return {
        k: 'if',
        line,
        test: par(ctx, s),
        then: convertStmt(ctx, sts[0]),
        else: sts[1] ? convertStmt(ctx, sts[1]) : null,
      };
    }
    case 'WhileStatementContext':
      return {
        k: 'while',
        line,
        test: par(ctx, s),
        body: convertStmt(ctx, child(s, 'StatementContext') ?? child(s, 'BlockContext')),
      };
    case 'DoWhileStatementContext':
      return {
        k: 'do',
        line,
        test: par(ctx, s),
        body: convertStmt(ctx, child(s, 'StatementContext') ?? child(s, 'BlockContext')),
      };
    case 'ForStatementContext': {
      const fc = child(s, 'ForControlContext');
      const body = convertStmt(ctx, child(s, 'StatementContext'));
      const en = child(fc, 'EnhancedForControlContext');
      if (en) {
        return {
          k: 'foreach',
          line,
          type: convertTypeRef(ctx, child(en, 'TypeRefContext')),
          name: textOf(child(en, 'IdContext')),
          iterable: convertExpr(ctx, exprKids(en)[0]),
          body,
        };
      }
      const fi = child(fc, 'ForInitContext');
      let init: Stmt | Expr[] | null = null;
      if (fi) {
        const lv = child(fi, 'LocalVariableDeclarationContext');
        init = lv ? convertLocalDecl(ctx, lv) : convertExprList(ctx, child(fi, 'ExpressionListContext'));
      }
      const test = exprKids(fc)[0];
      const fu = child(fc, 'ForUpdateContext');
      return {
        k: 'for',
        line,
        init,
        test: test ? convertExpr(ctx, test) : null,
        update: fu ? convertExprList(ctx, child(fu, 'ExpressionListContext')) : [],
        body,
      };
    }
    case 'TryStatementContext': {
      const fb = child(s, 'FinallyBlockContext');
      return {
        k: 'try',
        line,
        body: convertBlock(ctx, child(s, 'BlockContext')),
        catches: childrenNamed(s, 'CatchClauseContext').map((c: PNode) => ({
          typeName: textOf(child(c, 'QualifiedNameContext')),
          varName: textOf(child(c, 'IdContext')),
          body: convertBlock(ctx, child(c, 'BlockContext')),
          line: lineOf(c),
        })),
        fin: fb ? convertBlock(ctx, child(fb, 'BlockContext')) : null,
      };
    }
    case 'ReturnStatementContext': {
      const e = exprKids(s)[0];
      return { k: 'return', line, value: e ? convertExpr(ctx, e) : null };
    }
    case 'ThrowStatementContext':
      return { k: 'throw', line, value: convertExpr(ctx, exprKids(s)[0]) };
    case 'BreakStatementContext':
      return { k: 'break', line };
    case 'ContinueStatementContext':
      return { k: 'continue', line };
    case 'SwitchStatementContext':
      return {
        k: 'switch',
        line,
        expr: convertExpr(ctx, exprKids(s)[0]),
        whens: childrenNamed(s, 'WhenControlContext').map((w: PNode) => whenClause(ctx, w)),
      };
    case 'RunAsStatementContext':
      return {
        k: 'runAs',
        line,
        args: convertExprList(ctx, child(s, 'ExpressionListContext')),
        body: convertBlock(ctx, child(s, 'BlockContext')),
      };
    default:
      return ctx.unsupportedNode(`statement ${name.replace(/Context$/, '')}`, s);
  }
}
