/** ANTLR expression contexts -> AST expressions. */
import type { Expr } from '../ast.js';
import type { TypeRef } from '../../core/values.js';
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
  tokenTexts,
  sourceOf,
  convertTypeRef,
  canonTypeName,
} from './tree.js';

export function convertExprList(ctx: Ctx, n: PNode | undefined): Expr[] {
  if (!n) return [];
  return exprKids(n).map((e) => convertExpr(ctx, e));
}

function args(ctx: Ctx, n: PNode): Expr[] {
  return convertExprList(ctx, child(n, 'ExpressionListContext'));
}

/** Decodes an Apex string literal body (single quotes, backslash escapes). */
export function unquote(lit: string): string {
  const body = lit.slice(1, -1);
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const d = body[++i];
    switch (d) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'u':
        out += String.fromCharCode(parseInt(body.slice(i + 1, i + 5), 16));
        i += 4;
        break;
      default:
        out += d; // \' \" \\ and others stand for themselves
    }
  }
  return out;
}

function literal(ctx: Ctx, n: PNode): Expr {
  const line = lineOf(n);
  const t = kids(n)[0];
  const text: string = textOf(t);
  const low = text.toLowerCase();
  if (low === 'null') return { k: 'lit', line, value: null, litType: 'null' };
  if (low === 'true' || low === 'false') return { k: 'lit', line, value: low === 'true', litType: 'Boolean' };
  if (text.startsWith("'")) return { k: 'lit', line, value: unquote(text), litType: 'String' };
  if (/^[0-9]+[lL]$/.test(text)) return { k: 'lit', line, value: BigInt(text.slice(0, -1)), litType: 'Long' };
  if (/^[0-9]+$/.test(text)) {
    const v = Number(text);
    if (v > 2147483648) ctx.unsupported(`Integer literal out of range: ${text}`, n);
    return { k: 'lit', line, value: v, litType: 'Integer' };
  }
  if (/^[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?[dD]$/.test(text))
    return { k: 'lit', line, value: text.slice(0, -1), litType: 'Decimal' };
  return { k: 'lit', line, value: text, litType: 'Decimal' };
}

function primary(ctx: Ctx, p: PNode): Expr {
  const line = lineOf(p);
  switch (ruleName(p)) {
    case 'ThisPrimaryContext':
      return { k: 'this', line };
    case 'SuperPrimaryContext':
      return { k: 'super', line };
    case 'LiteralPrimaryContext':
      return literal(ctx, child(p, 'LiteralContext'));
    case 'TypeRefPrimaryContext':
      return { k: 'typeLit', line, type: convertTypeRef(ctx, child(p, 'TypeRefContext')) };
    case 'VoidPrimaryContext':
      return { k: 'typeLit', line, type: { name: 'void' } };
    case 'IdPrimaryContext':
      return { k: 'name', line, name: textOf(child(p, 'IdContext')) };
    case 'SoqlPrimaryContext':
      return soql(ctx, child(p, 'SoqlLiteralContext'));
    case 'SoslPrimaryContext':
      return sosl(ctx, child(p, 'SoslLiteralContext'));
    default:
      return ctx.unsupportedNode(`expression ${ruleName(p)}`, p);
  }
}

/** The bind expressions (`:x`) inside a query literal, converted once, keyed by their normalised text. */
function queryBinds(ctx: Ctx, q: PNode): Map<string, Expr> {
  const binds = new Map<string, Expr>();
  const walk = (n: PNode) => {
    for (const c of kids(n)) {
      if (isToken(c)) continue;
      if (ruleName(c) === 'BoundExpressionContext') {
        const e = exprKids(c)[0];
        binds.set(normBind(sourceOf(ctx.src, e)), convertExpr(ctx, e));
      } else walk(c);
    }
  };
  walk(q);
  return binds;
}

function soql(ctx: Ctx, lit: PNode): Expr {
  const q = child(lit, 'QueryContext');
  return { k: 'soql', line: lineOf(lit), text: stripComments(sourceOf(ctx.src, q)), binds: queryBinds(ctx, q) };
}

/** `[FIND ... RETURNING ...]`: the text between the brackets, run by DatabaseApi.search. */
function sosl(ctx: Ctx, lit: PNode): Expr {
  const text = stripComments(sourceOf(ctx.src, lit)).trim().slice(1, -1);
  return { k: 'soql', line: lineOf(lit), text, binds: queryBinds(ctx, lit), sosl: true };
}

/**
 * Inline SOQL is Apex source: its `//` and `/* *\/` comments are ignored by the parser like any other (Apex Developer
 * Guide, "Comments": "All characters on the same line to the right of the // are ignored by the parser"; multiline
 * comments likewise). String literals keep their text. Each comment becomes one space.
 */
export function stripComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== "'") j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
      out += ' ';
    } else if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i + 2);
      i = end < 0 ? text.length : end;
      out += ' ';
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Bind expression texts are matched without whitespace and case. */
export function normBind(text: string): string {
  return text.replace(/\s+/g, '').toLowerCase();
}

function creator(ctx: Ctx, c: PNode, line: number): Expr {
  const cn = child(c, 'CreatedNameContext');
  const pairs = childrenNamed(cn, 'IdCreatedNamePairContext');
  const names: string[] = [];
  let targs: TypeRef[] | undefined;
  for (const p of pairs) {
    names.push(textOf(child(p, 'AnyIdContext')));
    const tl = child(p, 'TypeListContext');
    if (tl) targs = childrenNamed(tl, 'TypeRefContext').map((t: PNode) => convertTypeRef(ctx, t));
  }
  const type: TypeRef = { name: canonTypeName(names.join('.')) };
  if (targs) type.args = targs;
  const rest = kids(c)[1];
  switch (ruleName(rest)) {
    case 'NoRestContext':
      return {
        k: 'new',
        line,
        type,
        args: null,
        listInit: type.name === 'Map' ? undefined : [],
        mapInit: type.name === 'Map' ? [] : undefined,
      };
    case 'ClassCreatorRestContext':
      return { k: 'new', line, type, args: args(ctx, child(rest, 'ArgumentsContext')) };
    case 'ArrayCreatorRestContext': {
      const listType: TypeRef = { name: 'List', args: [type] };
      const size = exprKids(rest)[0];
      if (size) return { k: 'new', line, type: listType, args: null, arraySize: convertExpr(ctx, size) };
      const init = child(rest, 'ArrayInitializerContext');
      return { k: 'new', line, type: listType, args: null, listInit: init ? convertExprList(ctx, init) : [] };
    }
    case 'MapCreatorRestContext':
      return {
        k: 'new',
        line,
        type,
        args: null,
        mapInit: childrenNamed(rest, 'MapCreatorRestPairContext').map((p: PNode) => {
          const [a, b] = exprKids(p);
          return [convertExpr(ctx, a), convertExpr(ctx, b)] as [Expr, Expr];
        }),
      };
    case 'SetCreatorRestContext':
      return { k: 'new', line, type, args: null, listInit: convertExprList(ctx, rest) };
    default:
      return ctx.unsupportedNode(`creator ${ruleName(rest)}`, rest);
  }
}

/**
 * Safe navigation short-circuits the whole chain (`a?.b.c()` is null when a is null): the outermost field/call/index
 * of a chain holding a `?.` is marked `safeRoot`; evaluation of a null `?.` target jumps there.
 */
function markSafe(e: Expr): Expr {
  if (e.k !== 'field' && e.k !== 'call' && e.k !== 'index') return e;
  const t = e.target as (Expr & { safeChain?: boolean; safeRoot?: boolean }) | null;
  const x = e as Expr & { safeChain?: boolean; safeRoot?: boolean };
  if ((e.k !== 'index' && e.safe) || t?.safeChain) {
    x.safeChain = true;
    x.safeRoot = true;
    if (t) delete t.safeRoot;
  }
  return e;
}

export function convertExpr(ctx: Ctx, n: PNode): Expr {
  return markSafe(convertExpr0(ctx, n));
}

function convertExpr0(ctx: Ctx, n: PNode): Expr {
  const line = lineOf(n);
  const name = ruleName(n);
  const ex = exprKids(n);
  switch (name) {
    case 'PrimaryExpressionContext':
      return primary(ctx, kids(n)[0]);
    case 'SubExpressionContext':
      return convertExpr(ctx, ex[0]);
    case 'DotExpressionContext': {
      const safe = tokenTexts(n).includes('?.');
      const target = convertExpr(ctx, ex[0]);
      const dm = child(n, 'DotMethodCallContext');
      if (dm) return { k: 'call', line, target, name: textOf(child(dm, 'AnyIdContext')), args: args(ctx, dm), safe };
      return { k: 'field', line, target, name: textOf(child(n, 'AnyIdContext')), safe };
    }
    case 'ArrayExpressionContext':
      return { k: 'index', line, target: convertExpr(ctx, ex[0]), index: convertExpr(ctx, ex[1]) };
    case 'MethodCallExpressionContext': {
      const mc = child(n, 'MethodCallContext');
      const first = kids(mc)[0];
      const t = textOf(first).toLowerCase();
      if (isToken(first) && (t === 'this' || t === 'super'))
        return { k: 'ctorCall', line, which: t, args: args(ctx, mc) };
      return { k: 'call', line, target: null, name: textOf(first), args: args(ctx, mc), safe: false };
    }
    case 'NewExpressionContext':
      return creator(ctx, child(n, 'CreatorContext'), line);
    case 'CastExpressionContext':
      return { k: 'cast', line, type: convertTypeRef(ctx, child(n, 'TypeRefContext')), expr: convertExpr(ctx, ex[0]) };
    case 'InstanceOfExpressionContext':
      return {
        k: 'instanceof',
        line,
        expr: convertExpr(ctx, ex[0]),
        type: convertTypeRef(ctx, child(n, 'TypeRefContext')),
      };
    case 'PostOpExpressionContext':
      return { k: 'incdec', line, op: tokenTexts(n)[0] as '++' | '--', prefix: false, target: convertExpr(ctx, ex[0]) };
    case 'PreOpExpressionContext': {
      const op = tokenTexts(n)[0];
      if (op === '++' || op === '--') return { k: 'incdec', line, op, prefix: true, target: convertExpr(ctx, ex[0]) };
      return { k: 'unary', line, op: op as '-' | '+', expr: convertExpr(ctx, ex[0]) };
    }
    case 'NegExpressionContext':
      return { k: 'unary', line, op: tokenTexts(n)[0] as '!' | '~', expr: convertExpr(ctx, ex[0]) };
    case 'CondExpressionContext':
      return {
        k: 'cond',
        line,
        test: convertExpr(ctx, ex[0]),
        then: convertExpr(ctx, ex[1]),
        else: convertExpr(ctx, ex[2]),
      };
    case 'AssignExpressionContext':
      return {
        k: 'assign',
        line,
        op: tokenTexts(n)[0],
        target: convertExpr(ctx, ex[0]),
        value: convertExpr(ctx, ex[1]),
      };
    case 'LogAndExpressionContext':
      return { k: 'and', line, left: convertExpr(ctx, ex[0]), right: convertExpr(ctx, ex[1]) };
    case 'LogOrExpressionContext':
      return { k: 'or', line, left: convertExpr(ctx, ex[0]), right: convertExpr(ctx, ex[1]) };
    case 'CoalExpressionContext':
      return { k: 'coalesce', line, left: convertExpr(ctx, ex[0]), right: convertExpr(ctx, ex[1]) };
    default:
      if (ex.length === 2) {
        // arithmetic, shift, comparison, equality, bitwise: the operator is the tokens between the operands
        return {
          k: 'binary',
          line,
          op: tokenTexts(n).join(''),
          left: convertExpr(ctx, ex[0]),
          right: convertExpr(ctx, ex[1]),
        };
      }
      return ctx.unsupportedNode(`expression ${name}`, n);
  }
}
