/** Expression evaluation. Names resolve once per AST node (cached) except locals, which always win. */
import {
  ApexDecimal,
  ApexId,
  ApexInstance,
  ApexList,
  ApexMap,
  ApexSet,
  NativeInstance,
  SObjectValue,
  T,
  typeToString,
  type ApexValue,
  type TypeRef,
} from '../../core/values.js';
import { UnsupportedFeature, platformError } from '../../core/errors.js';
import {
  coerceTo,
  collectionKey,
  formatValue,
  isInstanceOf,
  runtimeTypeOf,
  toDecimal,
  toDouble,
  toLong,
} from '../../core/ops.js';
import { findNativeClass } from '../../stdlib/registry.js';
import type { Expr } from '../ast.js';
import { negate, npe } from './arith.js';
import { cexpr, cref, type Ref } from './compile-expr.js';
import { Scope, TypeHandle, type AnonContext, type Var } from './scope.js';
import { singleRow, type Interpreter } from './interpreter.js';
import { ci, type MemberRef } from '../classes/class-info.js';
import { construct } from './calls.js';
import { readSObjectField, writeSObjectField, sobjectTypeProp } from './sobjects.js';
import { triggerProp } from './trigger-context.js';

export interface NameCache {
  lname: string;
  res?: { kind: 'member'; m: MemberRef } | { kind: 'type'; h: TypeHandle };
}

/** Thrown by a `?.` whose target is null; caught by the chain's root node (compile-expr.ts). */
export const SHORT_CIRCUIT = { shortCircuit: true };

/** Evaluates an expression: the node's closure (compile-expr.ts), compiled on first use. */
export function evalExpr(ip: Interpreter, e: Expr, sc: Scope): ApexValue {
  return cexpr(e)(ip, sc);
}

// What the compiled expressions call (compile-expr.ts).

export function unary(op: string, v: ApexValue): ApexValue {
  if (op === '-') return negate(v);
  if (op === '+') return v;
  if (op === '!') {
    if (v === null) throw npe();
    return !v;
  }
  if (typeof v === 'number') return ~v;
  if (typeof v === 'bigint') return BigInt.asIntN(64, ~v);
  throw npe();
}

export function thisValue(ip: Interpreter, line: number): ApexValue {
  const s = ip.frame.self;
  if (!s) throw new UnsupportedFeature('this in a static context', ip.file(), line);
  return s;
}

export function indexGet(t: ApexValue, i: ApexValue): ApexValue {
  if (t === null) throw npe();
  if (!(t instanceof ApexList)) throw platformError('System.TypeException', 'Only lists can be indexed');
  if (typeof i !== 'number') throw npe();
  if (i < 0 || i >= t.items.length) throw platformError('System.ListException', `List index out of bounds: ${i}`);
  return t.items[i];
}

/** Resolves a name or dotted access to a value or a type/namespace handle. */
export function evalRef(ip: Interpreter, e: Expr, sc: Scope): Ref {
  return cref(e)(ip, sc);
}

/** `target.name` once `target` is evaluated (a value or a type handle). */
export function fieldRef(ip: Interpreter, e: Extract<Expr, { k: 'field' }>, target: Ref): Ref {
  if (target instanceof TypeHandle) return staticField(ip, target, e.name, e.line);
  if (target === null) {
    if (e.safe) throw SHORT_CIRCUIT;
    throw npe();
  }
  return instanceField(ip, target, e.name, e.line);
}

export function staticField(ip: Interpreter, h: TypeHandle, name: string, line: number): Ref {
  const l = name.toLowerCase();
  switch (h.kind) {
    case 'class': {
      const cls = h.cls!;
      if (cls.isEnum) {
        const ev = ip.enumConstant(cls, l);
        if (ev) return ev;
      }
      const m = cls.findMember(l);
      if (m && m.isStatic) return ip.readMember(m, null);
      const inner = cls.findInner(l);
      if (inner) return new TypeHandle('class', inner.name, inner);
      throw new UnsupportedFeature(`unknown static member ${cls.name}.${name}`, ip.file(), line);
    }
    case 'native': {
      const nc = h.native!;
      const g = nc.staticProps?.[l];
      if (g) return g(ip.rt);
      const nested = findNativeClass(`${nc.name}.${name}`);
      if (nested) return new TypeHandle('native', nested.name, undefined, nested);
      const dyn = nc.dynamicStaticProp?.(ip.rt, name);
      if (dyn !== undefined) return dyn;
      throw new UnsupportedFeature(`${nc.name}.${name}`, ip.file(), line);
    }
    case 'sobject':
      return sobjectTypeProp(ip, h.name, name, line);
    case 'trigger':
      return triggerProp(ip, l, line);
    case 'namespace': {
      const full = `${h.name}.${name}`;
      const r = ip.resolveTypeHandle(full) ?? ip.resolveTypeHandle(name);
      if (r) return r;
      throw new UnsupportedFeature(`unknown name ${full}`, ip.file(), line);
    }
  }
}

export function instanceField(ip: Interpreter, target: ApexValue, name: string, line: number): ApexValue {
  if (target instanceof SObjectValue) return readSObjectField(ip, target, name);
  // `[SELECT Name FROM Account LIMIT 1].Name`: field access on a query result takes its single row
  if (target instanceof ApexList && target.items.every((x) => x instanceof SObjectValue)) {
    const row = singleRow(target);
    return row === null ? null : readSObjectField(ip, row as SObjectValue, name);
  }
  if (target instanceof ApexInstance) {
    const m = ci(target.cls).findMember(name.toLowerCase());
    if (!m) throw new UnsupportedFeature(`unknown field ${target.cls.name}.${name}`, ip.file(), line);
    return ip.readMember(m, m.isStatic ? null : target);
  }
  if (target instanceof NativeInstance) {
    const nc = findNativeClass(target.typeName);
    const p = nc?.props?.[name.toLowerCase()];
    if (p) return p.get(ip.rt, target);
    const dyn = nc?.dynamicProp?.(ip.rt, target, name);
    if (dyn !== undefined) return dyn;
  }
  throw new UnsupportedFeature(`property ${typeToString(runtimeTypeOf(target))}.${name}`, ip.file(), line);
}

/** Stores into a variable, field, property, record field or list element; returns the stored value. */
export function assign(ip: Interpreter, target: Expr, value: ApexValue, sc: Scope): ApexValue {
  if (target.k === 'name') {
    let c = target.cache as NameCache | undefined;
    if (!c) target.cache = c = { lname: target.name.toLowerCase() };
    if (ip.frame.propName === c.lname) return ip.writePropBacking(c.lname, value);
    const v: Var | undefined = sc.lookup(c.lname);
    if (v) return (v.v = ip.coerce(value, v.t));
    if (!c.res) c.res = ip.resolveFreeName(c.lname, target.name, target.line);
    if (c.res.kind === 'member') return ip.writeMember(c.res.m, ip.frame.self, value);
    throw new UnsupportedFeature(`cannot assign to type ${target.name}`, ip.file(), target.line);
  }
  if (target.k === 'field')
    return assignField(ip, evalRef(ip, target.target, sc), target, target.name.toLowerCase(), value);
  if (target.k === 'index') {
    const list = evalExpr(ip, target.target, sc);
    const i = evalExpr(ip, target.index, sc);
    if (list === null) throw npe();
    if (!(list instanceof ApexList)) throw platformError('System.TypeException', 'Only lists can be indexed');
    if (typeof i !== 'number') throw npe();
    if (i < 0 || i >= list.items.length) throw platformError('System.ListException', `List index out of bounds: ${i}`);
    list.items[i] = ip.coerce(value, list.elemType);
    return list.items[i];
  }
  throw new UnsupportedFeature('assignment target', ip.file(), target.line);
}

/** Stores into `t.name` once `t` (a value or a type handle) is evaluated; `l` is the lower-cased name. */
export function assignField(
  ip: Interpreter,
  t: Ref,
  target: Extract<Expr, { k: 'field' }>,
  l: string,
  value: ApexValue,
): ApexValue {
  if (t instanceof TypeHandle) {
    if (t.kind === 'class') {
      const m = t.cls!.findMember(l);
      if (m && m.isStatic) return ip.writeMember(m, null, value);
    } else if (t.kind === 'native') {
      const s = t.native!.staticPropSetters?.[l];
      if (s) {
        s(ip.rt, value);
        return value;
      }
    }
    throw new UnsupportedFeature(`cannot assign ${t.name}.${target.name}`, ip.file(), target.line);
  }
  if (t === null) throw npe();
  if (t instanceof SObjectValue) return writeSObjectField(ip, t, target.name, value);
  if (t instanceof ApexInstance) {
    const m = ci(t.cls).findMember(l);
    if (!m) throw new UnsupportedFeature(`unknown field ${t.cls.name}.${target.name}`, ip.file(), target.line);
    return ip.writeMember(m, m.isStatic ? null : t, value);
  }
  if (t instanceof NativeInstance) {
    const p = findNativeClass(t.typeName)?.props?.[l];
    if (p?.set) {
      p.set(ip.rt, t, value);
      return value;
    }
  }
  throw new UnsupportedFeature(
    `cannot assign property ${typeToString(runtimeTypeOf(t))}.${target.name}`,
    ip.file(),
    target.line,
  );
}

/** Casts: numbers convert along the numeric hierarchy; everything else is checked (System.TypeException). */
export function cast(ip: Interpreter, v: ApexValue, t: TypeRef): ApexValue {
  if (v === null) return null;
  switch (t.name) {
    case 'Long':
      if (typeof v === 'number' || typeof v === 'bigint') return toLong(v);
      break;
    case 'Double':
      if (typeof v === 'number' || typeof v === 'bigint' || v instanceof ApexDecimal) return toDouble(v);
      break;
    case 'Decimal':
      if (typeof v === 'number' || typeof v === 'bigint' || v instanceof ApexDecimal) return toDecimal(v);
      break;
    case 'Id':
      if (typeof v === 'string') return coerceTo(ip.rt, v, T.Id);
      break;
    case 'String':
      if (v instanceof ApexId) return v.value;
      break;
  }
  if (isInstanceOf(ip.rt, v, t)) return v;
  // List<SObject> -> List<Account> and similar: allowed when every element fits.
  if (v instanceof ApexList && t.name === 'List' && t.args?.[0]) {
    if (v.items.every((x) => x === null || isInstanceOf(ip.rt, x, t.args![0]))) return v;
  }
  if ((v instanceof ApexMap && t.name === 'Map') || (v instanceof ApexSet && t.name === 'Set')) return v;
  throw platformError(
    'System.TypeException',
    `Invalid conversion from runtime type ${typeToString(runtimeTypeOf(v))} to ${typeToString(t)}`,
  );
}

/** The resolved type of a `new` node; valid for the anonymous-block context it was resolved in. */
interface NewCache {
  anon: AnonContext | null;
  t: TypeRef;
  h: TypeHandle | null;
}

export function evalNew(ip: Interpreter, e: Extract<Expr, { k: 'new' }>, sc: Scope): ApexValue {
  let c = e.cache as NewCache | undefined;
  if (!c || c.anon !== ip.anon) {
    // resolved once per node (not per evaluation): `new X()` in a loop used to look X up every time
    const rt = ip.resolveTypeRef(e.type);
    const coll = rt.name === 'List' || rt.name === 'Set' || rt.name === 'Map';
    e.cache = c = { anon: ip.anon, t: rt, h: coll ? null : ip.resolveTypeHandle(rt.name) };
  }
  const t = c.t;
  if (t.name === 'List' || t.name === 'Set' || t.name === 'Map') return newCollection(ip, e, t, sc);
  const args = e.args ?? [];
  const h = c.h;
  if (h?.kind === 'sobject') return newSObject(ip, h.name, args, sc, e.line);
  const vals = args.map((a) => evalExpr(ip, a, sc));
  if (h?.kind === 'class') return construct(ip, h.cls!, vals, e.line);
  if (h?.kind === 'native' && h.native!.construct) return h.native!.construct(ip.rt, vals, t.args);
  throw new UnsupportedFeature(`new ${typeToString(t)}`, ip.file(), e.line);
}

function newSObject(ip: Interpreter, objectName: string, args: Expr[], sc: Scope, line: number): SObjectValue {
  const rec = new SObjectValue(objectName);
  for (const a of args) {
    if (a.k !== 'assign' || a.target.k !== 'name' || a.op !== '=') {
      throw new UnsupportedFeature(`new ${objectName}(...) takes Field = value pairs`, ip.file(), line);
    }
    writeSObjectField(ip, rec, a.target.name, evalExpr(ip, a.value, sc));
  }
  return rec;
}

export function setAdd(ip: Interpreter, s: ApexSet, v: ApexValue): boolean {
  const x = ip.coerce(v, s.elemType);
  const k = collectionKey(ip.rt, s.entries, x, (e) => e);
  if (s.entries.has(k)) return false;
  s.entries.set(k, x);
  return true;
}

export function mapPut(ip: Interpreter, m: ApexMap, k: ApexValue, v: ApexValue): ApexValue {
  const kk = ip.coerce(k, m.keyType);
  const key = collectionKey(ip.rt, m.entries, kk, (e) => e[0]);
  const old = m.entries.get(key);
  m.entries.set(key, [old ? old[0] : kk, ip.coerce(v, m.valueType)]);
  return old ? old[1] : null;
}

function newCollection(ip: Interpreter, e: Extract<Expr, { k: 'new' }>, t: TypeRef, sc: Scope): ApexValue {
  const args = (e.args ?? []).map((a) => evalExpr(ip, a, sc));
  if (t.name === 'List') {
    const elem = t.args?.[0] ?? T.Object;
    const list = new ApexList(elem);
    if (e.arraySize) {
      const n = evalExpr(ip, e.arraySize, sc);
      if (typeof n !== 'number') throw npe();
      list.items = new Array(n).fill(null);
    } else if (e.listInit) {
      list.items = e.listInit.map((x) => ip.coerce(evalExpr(ip, x, sc), elem));
    } else if (args.length === 1) {
      const src = args[0];
      if (src === null) throw npe();
      if (src instanceof ApexList) list.items = src.items.map((x) => ip.coerce(x, elem));
      else if (src instanceof ApexSet) list.items = [...src.entries.values()].map((x) => ip.coerce(x, elem));
      else throw new UnsupportedFeature(`new List<...>(${typeToString(runtimeTypeOf(src))})`, ip.file(), e.line);
    } else if (args.length > 1)
      throw new UnsupportedFeature('List constructor with several arguments', ip.file(), e.line);
    return list;
  }
  if (t.name === 'Set') {
    const set = new ApexSet(t.args?.[0] ?? T.Object);
    const items = e.listInit
      ? e.listInit.map((x) => evalExpr(ip, x, sc))
      : args.length === 1
        ? args[0] instanceof ApexList
          ? args[0].items
          : args[0] instanceof ApexSet
            ? [...args[0].entries.values()]
            : (() => {
                throw args[0] === null ? npe() : new UnsupportedFeature('Set constructor argument', ip.file(), e.line);
              })()
        : [];
    for (const x of items) setAdd(ip, set, x);
    return set;
  }
  const map = new ApexMap(t.args?.[0] ?? T.Object, t.args?.[1] ?? T.Object);
  if (e.mapInit) {
    for (const [k, v] of e.mapInit) mapPut(ip, map, evalExpr(ip, k, sc), evalExpr(ip, v, sc));
  } else if (args.length === 1) {
    const src = args[0];
    if (src === null) throw npe();
    if (src instanceof ApexMap) for (const [k, v] of src.entries.values()) mapPut(ip, map, k, v);
    else if (src instanceof ApexList) {
      // Map<Id, SObject>(List<SObject>): keyed by record Id (records without an Id are an error on the platform)
      for (const r of src.items) {
        if (!(r instanceof SObjectValue))
          throw platformError('System.TypeException', 'Map constructor expects a list of records');
        if (r.id === null)
          throw platformError('System.ListException', 'Row with null Id at index: ' + src.items.indexOf(r));
        mapPut(ip, map, r.id, r);
      }
    } else throw new UnsupportedFeature(`new Map<...>(${typeToString(runtimeTypeOf(src))})`, ip.file(), e.line);
  }
  return map;
}

export { formatValue };
