/**
 * Expressions compiled to closures, once per AST node (the closure is kept on the node). Compiling decides once what
 * evaluation used to decide on every visit: the node's kind, the lower-cased names, the operator's function, which
 * arguments are casts; and it gives the common cases (Integer arithmetic and comparisons, String concatenation,
 * locals) a fast path that falls back to the general operator (arith.ts) for every other operand. A node's closure
 * holds no transaction state: the Interpreter and the Scope are its arguments, and names that depend on the
 * transaction (an anonymous block's classes) resolve as before, through the node's `cache` slot.
 *
 * One JavaScript frame per expression level, as before: the JavaScript stack bounds how deep Apex may recurse.
 */
import { ApexDecimal, SObjectValue, type ApexValue, type TypeRef } from '../../core/values.js';
import { UnsupportedFeature } from '../../core/errors.js';
import { isInstanceOf } from '../../core/ops.js';
import { typeToken } from '../../stdlib/util.js';
import type { Expr } from '../ast.js';
import { binaryOp, npe, step } from './arith.js';
import { TypeHandle, type Scope } from './scope.js';
import type { Interpreter } from './interpreter.js';
import {
  assign,
  assignField,
  cast,
  evalNew,
  indexGet,
  instanceField,
  SHORT_CIRCUIT,
  staticField,
  thisValue,
  unary,
  type NameCache,
} from './expressions.js';
import { callOn, callExpr, nullCastArgs, staticCallArgs } from './calls.js';

export type Ref = ApexValue | TypeHandle;
/** An expression's value. */
export type CExpr = (ip: Interpreter, sc: Scope) => ApexValue;
/** A name or member access: a value, or the type or namespace it names. */
type CRef = (ip: Interpreter, sc: Scope) => Ref;
/** A store into an assignable expression (variable, field, element); returns the stored value. */
type CStore = (ip: Interpreter, sc: Scope, v: ApexValue) => ApexValue;

interface Slots {
  cx?: CExpr;
  cr?: CRef;
  cs?: CStore;
}

/** The node's closure (compiled on first use). */
export function cexpr(e: Expr): CExpr {
  const s = e as Slots;
  return s.cx ?? (s.cx = compileValue(e));
}

/** The node as a reference (names and member accesses may name a type). */
export function cref(e: Expr): CRef {
  const s = e as Slots;
  return s.cr ?? (s.cr = e.k === 'name' ? nameRef(e) : e.k === 'field' ? fieldRef(e) : cexpr(e));
}

function cstore(e: Expr): CStore {
  const s = e as Slots;
  return s.cs ?? (s.cs = compileStore(e));
}

/** A Boolean condition: null is a NullPointerException. */
export function ccond(e: Expr): (ip: Interpreter, sc: Scope) => boolean {
  const x = cexpr(e);
  return (ip, sc) => {
    const v = x(ip, sc);
    if (v === null) throw npe();
    return v === true;
  };
}

function compileValue(e: Expr): CExpr {
  const inner = compileInner(e);
  if (!(e as { safeRoot?: boolean }).safeRoot) return inner;
  // The root of a `?.` chain: a null target anywhere in the chain makes the whole chain null.
  return (ip, sc) => {
    try {
      return inner(ip, sc);
    } catch (x) {
      if (x === SHORT_CIRCUIT) return null;
      throw x;
    }
  };
}

function compileInner(e: Expr): CExpr {
  switch (e.k) {
    case 'lit': {
      const v = (
        e.litType === 'Decimal' && !(e.value instanceof ApexDecimal) ? ApexDecimal.of(e.value as string) : e.value
      ) as ApexValue;
      return () => v;
    }
    case 'name':
    case 'field': {
      const r = cref(e);
      const line = e.line;
      return (ip, sc) => {
        const v = r(ip, sc);
        if (v instanceof TypeHandle) throw new UnsupportedFeature(`type ${v.name} used as a value`, ip.file(), line);
        return v;
      };
    }
    case 'call':
      return compileCall(e);
    case 'ctorCall':
      return (ip) => {
        throw new UnsupportedFeature(`${e.which}(...) outside the first statement of a constructor`, ip.file(), e.line);
      };
    case 'index': {
      const t = cexpr(e.target);
      const i = cexpr(e.index);
      return (ip, sc) => indexGet(t(ip, sc), i(ip, sc));
    }
    case 'new':
      return (ip, sc) => evalNew(ip, e, sc);
    case 'cast': {
      const x = cexpr(e.expr);
      const t = e.type;
      return (ip, sc) => cast(ip, x(ip, sc), ip.resolveTypeRef(t));
    }
    case 'instanceof': {
      const x = cexpr(e.expr);
      const t = e.type;
      return (ip, sc) => isInstanceOf(ip.rt, x(ip, sc), ip.resolveTypeRef(t));
    }
    case 'unary': {
      const x = cexpr(e.expr);
      const op = e.op;
      if (op === '!') {
        return (ip, sc) => {
          const v = x(ip, sc);
          if (v === null) throw npe();
          return !v;
        };
      }
      return (ip, sc) => unary(op, x(ip, sc));
    }
    case 'incdec':
      return compileIncDec(e);
    case 'binary':
      return compileBinary(e.op, cexpr(e.left), cexpr(e.right));
    case 'and': {
      const l = ccond(e.left);
      const r = ccond(e.right);
      return (ip, sc) => l(ip, sc) && r(ip, sc);
    }
    case 'or': {
      const l = ccond(e.left);
      const r = ccond(e.right);
      return (ip, sc) => l(ip, sc) || r(ip, sc);
    }
    case 'coalesce': {
      const l = cexpr(e.left);
      const r = cexpr(e.right);
      return (ip, sc) => {
        const v = l(ip, sc);
        return v !== null ? v : r(ip, sc);
      };
    }
    case 'cond': {
      const t = ccond(e.test);
      const a = cexpr(e.then);
      const b = cexpr(e.else);
      return (ip, sc) => (t(ip, sc) ? a(ip, sc) : b(ip, sc));
    }
    case 'assign':
      return compileAssign(e);
    case 'this': {
      const line = e.line;
      return (ip) => thisValue(ip, line);
    }
    case 'super':
      return (ip) => ip.frame.self;
    case 'typeLit': {
      const t = e.type;
      return (ip) => typeToken(t.name === 'void' ? t : ip.resolveTypeRef(t));
    }
    case 'soql':
      return (ip, sc) => ip.runSoql(e, sc);
    case 'unsupported':
      return () => {
        throw new UnsupportedFeature(e.what, e.file, e.line);
      };
  }
}

// ------------------------------------------------------------------------------------------- names and members

function nameCache(e: Extract<Expr, { k: 'name' }>): NameCache {
  let c = e.cache as NameCache | undefined;
  if (!c) e.cache = c = { lname: e.name.toLowerCase() };
  return c;
}

/** Locals win, then the property backing the running accessor, then members and types (resolved once). */
function nameRef(e: Extract<Expr, { k: 'name' }>): CRef {
  const c = nameCache(e);
  const lname = c.lname;
  return (ip, sc) => {
    if (ip.frame.propName === lname) return ip.readPropBacking(lname);
    const v = sc.lookup(lname);
    if (v) return v.v;
    const res = c.res ?? (c.res = ip.resolveFreeName(lname, e.name, e.line));
    if (res.kind === 'type') return res.h;
    return ip.readMember(res.m, ip.frame.self);
  };
}

function fieldRef(e: Extract<Expr, { k: 'field' }>): CRef {
  const target = cref(e.target);
  const { name, line, safe } = e;
  const l = name.toLowerCase();
  return (ip, sc) => {
    const t = target(ip, sc);
    if (t instanceof SObjectValue) {
      // a field the record holds (readSObjectField checks the schema for the others)
      const got = t.fields.get(l);
      if (got) return got.value;
    }
    if (t instanceof TypeHandle) return staticField(ip, t, name, line);
    if (t === null) {
      if (safe) throw SHORT_CIRCUIT;
      throw npe();
    }
    return instanceField(ip, t, name, line);
  };
}

// ------------------------------------------------------------------------------------------- assignment

function compileStore(e: Expr): CStore {
  if (e.k === 'field') {
    const target = cref(e.target);
    const l = e.name.toLowerCase();
    return (ip, sc, v) => assignField(ip, target(ip, sc), e, l, v);
  }
  if (e.k !== 'name') return (ip, sc, v) => assign(ip, e, v, sc);
  const c = nameCache(e);
  const lname = c.lname;
  return (ip, sc, value) => {
    if (ip.frame.propName === lname) return ip.writePropBacking(lname, value);
    const v = sc.lookup(lname);
    if (v) return (v.v = ip.coerce(value, v.t));
    return assign(ip, e, value, sc);
  };
}

const COMPOUND_OPS = new Set(['+', '-', '*', '/', '&', '|', '^', '<<', '>>', '>>>']);

function compileAssign(e: Extract<Expr, { k: 'assign' }>): CExpr {
  const value = cexpr(e.value);
  const store = cstore(e.target);
  if (e.op === '=') return (ip, sc) => store(ip, sc, value(ip, sc));
  const op = e.op.slice(0, -1);
  if (!COMPOUND_OPS.has(op))
    return (ip) => {
      throw new UnsupportedFeature(`operator ${e.op}`, ip.file(), e.line);
    };
  // the right-hand side first, then the target's current value (as the platform evaluates `x += f()`)
  const current = cexpr(e.target);
  const f = binFn(op);
  return (ip, sc) => {
    const v = value(ip, sc);
    return store(ip, sc, f(ip, current(ip, sc), v));
  };
}

function compileIncDec(e: Extract<Expr, { k: 'incdec' }>): CExpr {
  const current = cexpr(e.target);
  const store = cstore(e.target);
  const delta = e.op === '++' ? 1 : -1;
  const prefix = e.prefix;
  return (ip, sc) => {
    const old = current(ip, sc);
    const nv = typeof old === 'number' ? (old + delta) | 0 : step(old, delta);
    store(ip, sc, nv);
    return prefix ? nv : old;
  };
}

// ------------------------------------------------------------------------------------------- operators

type BinFn = (ip: Interpreter, a: ApexValue, b: ApexValue) => ApexValue;

/**
 * Operators with a fast path: two Integers (JavaScript numbers), two Strings for `+`, two Booleans for `==`/`!=`;
 * every other pair goes through binaryOp (promotion, null checks, dates, the platform's errors).
 */
const FAST_OPS: Record<string, BinFn> = {
  '+': (ip, a, b) =>
    typeof a === 'number' && typeof b === 'number'
      ? (a + b) | 0
      : typeof a === 'string' && typeof b === 'string'
        ? a + b
        : binaryOp(ip.rt, '+', a, b),
  '-': (ip, a, b) => (typeof a === 'number' && typeof b === 'number' ? (a - b) | 0 : binaryOp(ip.rt, '-', a, b)),
  '*': (ip, a, b) => (typeof a === 'number' && typeof b === 'number' ? Math.imul(a, b) : binaryOp(ip.rt, '*', a, b)),
  '<': (ip, a, b) => (typeof a === 'number' && typeof b === 'number' ? a < b : binaryOp(ip.rt, '<', a, b)),
  '>': (ip, a, b) => (typeof a === 'number' && typeof b === 'number' ? a > b : binaryOp(ip.rt, '>', a, b)),
  '<=': (ip, a, b) => (typeof a === 'number' && typeof b === 'number' ? a <= b : binaryOp(ip.rt, '<=', a, b)),
  '>=': (ip, a, b) => (typeof a === 'number' && typeof b === 'number' ? a >= b : binaryOp(ip.rt, '>=', a, b)),
  '==': (ip, a, b) => (sameKindPrimitive(a, b) ? a === b : binaryOp(ip.rt, '==', a, b)),
  '!=': (ip, a, b) => (sameKindPrimitive(a, b) ? a !== b : binaryOp(ip.rt, '!=', a, b)),
};
FAST_OPS['<>'] = FAST_OPS['!='];

/** Two Integers or two Booleans: equality is identity. */
function sameKindPrimitive(a: ApexValue, b: ApexValue): boolean {
  return (typeof a === 'number' && typeof b === 'number') || (typeof a === 'boolean' && typeof b === 'boolean');
}

function binFn(op: string): BinFn {
  return FAST_OPS[op] ?? ((ip, a, b) => binaryOp(ip.rt, op, a, b));
}

function compileBinary(op: string, l: CExpr, r: CExpr): CExpr {
  const f = binFn(op);
  return (ip, sc) => f(ip, l(ip, sc), r(ip, sc));
}

// ------------------------------------------------------------------------------------------- calls

type CArgs = (ip: Interpreter, sc: Scope) => ApexValue[];

/** The arguments' closure; `(T) null` arguments are remembered for overload resolution (calls.ts, NULL_CASTS). */
function compileArgs(args: Expr[]): CArgs {
  const xs = args.map(cexpr);
  const n = xs.length;
  const casts: (TypeRef | undefined)[] = args.map((a) => (a.k === 'cast' ? a.type : undefined));
  const anyCast = casts.some((c) => c !== undefined);
  if (n === 0) return () => [];
  if (n === 1 && !anyCast) {
    const x = xs[0];
    return (ip, sc) => [x(ip, sc)];
  }
  return (ip, sc) => {
    const out = new Array<ApexValue>(n);
    for (let i = 0; i < n; i++) out[i] = xs[i](ip, sc);
    if (anyCast) nullCastArgs(out, casts);
    return out;
  };
}

function compileCall(e: Extract<Expr, { k: 'call' }>): CExpr {
  const lname = (e.cache as string | undefined) ?? (e.cache = e.name.toLowerCase());
  const target = e.target;
  const args = compileArgs(e.args);
  const { name, line, safe } = e;
  if (target === null) return (ip, sc) => ip.callUnqualified(lname, name, args(ip, sc), line);
  // super calls and `rec.Field__c.addError(...)` keep their own paths (calls.ts)
  if (target.k === 'super' || (target.k === 'field' && lname === 'adderror')) return (ip, sc) => callExpr(ip, e, sc);
  const t = cref(target);
  return (ip, sc) => {
    const v = t(ip, sc);
    if (v instanceof TypeHandle) return staticCallArgs(ip, v, lname, args(ip, sc), sc, line);
    if (v === null) {
      if (safe) throw SHORT_CIRCUIT;
      throw npe();
    }
    return callOn(ip, v, lname, args(ip, sc), line);
  };
}
