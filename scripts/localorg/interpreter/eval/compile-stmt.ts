/**
 * Statements compiled to closures, once per AST node (kept on the node), over the compiled expressions
 * (compile-expr.ts). Every statement closure first does the interpreter's bookkeeping (enter): the frame's line for
 * stack traces, the line's coverage, the statement counter and, every 1,024 statements, the CPU time limit. The kinds
 * that are rare or heavy anyway (try, throw, DML, switch, runAs) run through Interpreter.execOther.
 *
 * Blocks that declare no variable of their own run in their parent's scope (nothing could tell them apart), so
 * most loop bodies allocate no scope per iteration.
 */
import { ApexInstance, ApexList, ApexSet, type ApexValue, type TypeRef } from '../../core/values.js';
import { callOn } from './calls.js';
import { UnsupportedFeature } from '../../core/errors.js';
import type { Block, Expr, Stmt } from '../ast.js';
import { npe } from './arith.js';
import { ccond, cexpr, type CExpr } from './compile-expr.js';
import { BREAK, CONTINUE, NORMAL, RETURN, Scope, type Completion, type Frame } from './scope.js';
import type { Interpreter } from './interpreter.js';

/** A statement's closure. */
export type CStmt = (ip: Interpreter, sc: Scope) => Completion;

interface Slots {
  cst?: CStmt;
  /** A block's statements (without the block's own bookkeeping and scope). */
  cbody?: CStmt[];
}

export function cstmt(s: Stmt): CStmt {
  const x = s as Slots;
  return x.cst ?? (x.cst = compileStmt(s));
}

/** The compiled statements of a block (a method body runs them in the scope of its parameters). */
export function cbody(b: Block): CStmt[] {
  const x = b as Slots;
  return x.cbody ?? (x.cbody = b.stmts.map(cstmt));
}

/** Runs compiled statements until one completes abruptly (break, continue, return). */
export function runStmts(ip: Interpreter, body: CStmt[], sc: Scope): Completion {
  for (let i = 0; i < body.length; i++) {
    const r = body[i](ip, sc);
    if (r !== NORMAL) return r;
  }
  return NORMAL;
}

/** The bookkeeping before each statement; returns the running frame. */
function enter(ip: Interpreter, line: number): Frame {
  const f = ip.frames[ip.frames.length - 1];
  f.line = line;
  if (f.cov) f.cov.covered.add(line);
  if ((++ip.statements & 1023) === 0) ip.checkCpu();
  return f;
}

/** Whether running the statements may declare a variable in their own scope. */
function declares(stmts: Stmt[]): boolean {
  return stmts.some((s) => s.k === 'local' || s.k === 'localClass');
}

function compileStmt(s: Stmt): CStmt {
  const line = s.line;
  switch (s.k) {
    case 'block': {
      const body = cbody(s);
      if (!declares(s.stmts)) {
        return (ip, sc) => {
          enter(ip, line);
          return runStmts(ip, body, sc);
        };
      }
      return (ip, sc) => {
        enter(ip, line);
        return runStmts(ip, body, new Scope(sc));
      };
    }
    case 'local':
      return compileLocal(s);
    case 'expr': {
      const x = cexpr(s.expr);
      return (ip, sc) => {
        enter(ip, line);
        x(ip, sc);
        return NORMAL;
      };
    }
    case 'if': {
      const test = ccond(s.test);
      const then = cstmt(s.then);
      const els = s.else ? cstmt(s.else) : null;
      return (ip, sc) => {
        enter(ip, line);
        if (test(ip, sc)) return then(ip, sc);
        return els ? els(ip, sc) : NORMAL;
      };
    }
    case 'while':
    case 'do':
      return compileLoop(s);
    case 'for':
      return compileFor(s);
    case 'foreach':
      return compileForEach(s);
    case 'return': {
      const x = s.value ? cexpr(s.value) : null;
      return (ip, sc) => {
        const f = enter(ip, line);
        f.ret = x ? x(ip, sc) : null;
        return RETURN;
      };
    }
    case 'break':
      return (ip) => {
        enter(ip, line);
        return BREAK;
      };
    case 'continue':
      return (ip) => {
        enter(ip, line);
        return CONTINUE;
      };
    default:
      return (ip, sc) => {
        enter(ip, line);
        return ip.execOther(s, sc);
      };
  }
}

function compileLocal(s: Extract<Stmt, { k: 'local' }>): CStmt {
  const type = s.type;
  const decls = s.decls.map((d) => ({ name: d.name, init: d.init ? cexpr(d.init) : null }));
  const line = s.line;
  return (ip, sc) => {
    enter(ip, line);
    const t = ip.resolveTypeRef(type);
    for (let i = 0; i < decls.length; i++) {
      const d = decls[i];
      sc.declare(d.name, t, d.init ? ip.coerce(d.init(ip, sc), t) : null);
    }
    return NORMAL;
  };
}

function compileLoop(s: Extract<Stmt, { k: 'while' | 'do' }>): CStmt {
  const test = ccond(s.test);
  const body = cstmt(s.body);
  const { line } = s;
  const isWhile = s.k === 'while';
  return (ip, sc) => {
    const f = enter(ip, line);
    if (isWhile && !test(ip, sc)) return NORMAL;
    do {
      const r = body(ip, sc);
      if (r === BREAK) break;
      if (r === RETURN) return r;
      f.line = line;
    } while (test(ip, sc));
    return NORMAL;
  };
}

function compileFor(s: Extract<Stmt, { k: 'for' }>): CStmt {
  const init: ((ip: Interpreter, sc: Scope) => unknown)[] = Array.isArray(s.init)
    ? s.init.map(cexpr)
    : s.init
      ? [cstmt(s.init)]
      : [];
  const test = s.test ? ccond(s.test) : null;
  const update: CExpr[] = s.update.map((u: Expr) => cexpr(u));
  const body = cstmt(s.body);
  const { line } = s;
  return (ip, sc) => {
    const f = enter(ip, line);
    const fs = new Scope(sc);
    for (let i = 0; i < init.length; i++) init[i](ip, fs);
    for (;;) {
      f.line = line;
      if (test && !test(ip, fs)) break;
      const r = body(ip, fs);
      if (r === BREAK) break;
      if (r === RETURN) return r;
      f.line = line;
      for (let i = 0; i < update.length; i++) update[i](ip, fs);
    }
    return NORMAL;
  };
}

/**
 * `for (T x : iterable)` over an object of a class that implements Iterable<T>: the loop calls iterator() once, then
 * hasNext() before and next() for each turn, so items are produced as the loop goes (a break stops asking). Apex
 * Developer Guide, "Custom Iterators" ("Using Custom Iterators with Iterable"; Iterable instances in for loops).
 */
function forEachIterable(
  ip: Interpreter,
  sc: Scope,
  src: ApexInstance,
  body: CStmt,
  name: string,
  t: TypeRef,
  line: number,
  f: Frame,
): Completion {
  const it = callOn(ip, src, 'iterator', [], line);
  if (it === null) throw npe();
  const ls = new Scope(sc);
  const loopVar = ls.declare(name, t, null);
  for (;;) {
    const more = callOn(ip, it, 'hasnext', [], line);
    f.line = line;
    if (more === null) throw npe();
    if (more !== true) break;
    loopVar.v = ip.coerce(callOn(ip, it, 'next', [], line), t);
    f.line = line;
    const r = body(ip, ls);
    if (r === BREAK) break;
    if (r === RETURN) return r;
    f.line = line;
  }
  return NORMAL;
}

function compileForEach(s: Extract<Stmt, { k: 'foreach' }>): CStmt {
  const iterable = cexpr(s.iterable);
  const body = cstmt(s.body);
  const { line, name, type } = s;
  const soql = s.iterable.k === 'soql' && !s.iterable.sosl;
  return (ip, sc) => {
    const f = enter(ip, line);
    const t = ip.resolveTypeRef(type);
    const src = iterable(ip, sc);
    if (src === null) throw npe();
    let items: ApexValue[];
    if (src instanceof ApexList) {
      items = src.items;
      // SOQL for loop with a list variable: batches of 200 records
      if (soql && t.name === 'List') {
        const chunks: ApexValue[] = [];
        for (let i = 0; i < items.length; i += 200) chunks.push(new ApexList(src.elemType, items.slice(i, i + 200)));
        items = chunks;
      } else items = items.slice();
    } else if (src instanceof ApexSet) items = [...src.entries.values()];
    else if (src instanceof ApexInstance && (src.cls.isA('iterable') || src.cls.isA('system.iterable')))
      return forEachIterable(ip, sc, src, body, name, t, line, f);
    else if (typeof src === 'number') throw new UnsupportedFeature('for loop over a SOQL COUNT()', ip.file(), line);
    else throw new UnsupportedFeature('for-each over a value that is not a List or Set', ip.file(), line);
    // one scope for the loop variable (the body cannot keep a reference to it: Apex has no closures)
    const ls = new Scope(sc);
    const loopVar = ls.declare(name, t, null);
    for (let i = 0; i < items.length; i++) {
      loopVar.v = ip.coerce(items[i], t);
      const r = body(ip, ls);
      if (r === BREAK) break;
      if (r === RETURN) return r;
      f.line = line;
    }
    return NORMAL;
  };
}
