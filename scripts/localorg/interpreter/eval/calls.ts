/**
 * Method calls and object construction: overload resolution (argument count, then runtime types), virtual
 * dispatch, super calls, constructor chaining (this(...)/super(...)), instance initialisers, native methods.
 */
import {
  ApexDecimal,
  ApexDouble,
  ApexInstance,
  ApexList,
  ApexMap,
  ApexSet,
  NativeInstance,
  SObjectValue,
  typeToString,
  type ApexValue,
  type TypeRef,
} from '../../core/values.js';
import { UnsupportedFeature, platformError, exceptionState, LimitError } from '../../core/errors.js';
import { equalsValue, formatValue, isInstanceOf, runtimeTypeOf, keyOf } from '../../core/ops.js';
import { findNativeClass } from '../../stdlib/registry.js';
import { javaStringHash, typeToken } from '../../stdlib/util.js';
import { fieldToken } from '../../stdlib/apex-schema.js';
import type { Expr, MethodDecl } from '../ast.js';
import type { NativeFn } from '../../core/runtime.js';
import { ci } from '../classes/class-info.js';
import type { ClassInfo } from '../classes/class-info.js';
import { createException, standardExceptionMethod, surfaceError, tagError } from './exceptions.js';
import { evalExpr, evalRef, fieldRef, SHORT_CIRCUIT } from './expressions.js';
import { Frame, NORMAL, Scope, TypeHandle } from './scope.js';
import { cbody } from './compile-stmt.js';
import { npe } from './arith.js';
import { sobjectStatic } from './sobjects.js';
import type { Interpreter } from './interpreter.js';

/**
 * Rule "stack depth": the platform allows 1,000 nested Apex invocations; the 1,001st throws the uncatchable
 * System.LimitException "Maximum stack depth reached: 1001" (Apex Developer Guide, "Execution Governors and Limits";
 * the message as developers report it). `ip.frames` holds a root frame and the entry frame (anonymous block,
 * trigger or test method) below the method frames, so the check allows MAX_DEPTH + 1 frames before pushing.
 */
export const MAX_DEPTH = 1000;

export function stackDepthError(ip: Interpreter): LimitError {
  const err = new LimitError(`Maximum stack depth reached: ${MAX_DEPTH + 1}`);
  // Remembered: unwinding from the deepest frame can itself exhaust the JavaScript stack (a RangeError thrown by a
  // catch handler replaces this error); the entry points then report this LimitException instead.
  ip.depthLimitError ??= err;
  return err;
}

/**
 * The static types of null arguments written as casts (`m((String) null)`), per argument array: overload resolution
 * happens at compile time on the platform, so `(String) null` selects the String overload, not a Boolean one
 * (Apex Developer Guide, "Using Methods": overloads are chosen by parameter types).
 */
const NULL_CASTS = new WeakMap<ApexValue[], (TypeRef | undefined)[]>();

function evalArgs(ip: Interpreter, args: Expr[], sc: Scope): ApexValue[] {
  const out = new Array<ApexValue>(args.length);
  for (let i = 0; i < args.length; i++) out[i] = evalExpr(ip, args[i], sc);
  nullCastArgs(
    out,
    args.map((a) => (a.k === 'cast' ? a.type : undefined)),
  );
  return out;
}

/** Remembers the cast types of the null arguments of `args` (`casts[i]`: the type argument i is cast to, if any). */
export function nullCastArgs(args: ApexValue[], casts: (TypeRef | undefined)[]): void {
  let out: (TypeRef | undefined)[] | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === null && casts[i]) (out ??= new Array(args.length))[i] = casts[i];
  }
  if (out) NULL_CASTS.set(args, out);
}

export function callExpr(ip: Interpreter, e: Extract<Expr, { k: 'call' }>, sc: Scope): ApexValue {
  const lname = (e.cache as string | undefined) ?? (e.cache = e.name.toLowerCase());
  const target = e.target;
  if (target === null) return ip.callUnqualified(lname, e.name, evalArgs(ip, e.args, sc), e.line);
  if (target.k === 'super') return superCall(ip, e, lname, sc);
  const t = target.k === 'field' && lname === 'adderror' ? fieldAddError(ip, e, target, sc) : evalRef(ip, target, sc);
  if (t instanceof TypeHandle)
    return t === FIELD_ERROR_ADDED ? null : staticCallArgs(ip, t, lname, evalArgs(ip, e.args, sc), sc, e.line);
  if (t === null) {
    if (e.safe) throw SHORT_CIRCUIT;
    throw npe();
  }
  return callOn(ip, t, lname, evalArgs(ip, e.args, sc), e.line);
}

// Branches of callExpr kept out of its frame (each JavaScript frame of the evaluator costs Apex recursion depth).

function superCall(ip: Interpreter, e: Extract<Expr, { k: 'call' }>, lname: string, sc: Scope): ApexValue {
  const f = ip.frame;
  const sup = f.cls?.superClass;
  if (!sup || !f.self) throw new UnsupportedFeature('super call without a superclass', ip.file(), e.line);
  const args = evalArgs(ip, e.args, sc);
  const ms = sup.findMethods(lname);
  if (!ms.length) return objectMethod(ip, f.self, lname, args, e.line);
  const m = pickOverload(ip, ms, args, `${sup.name}.${e.name}`, e.line);
  return invoke(ip, m, sup.declaringClass(m), f.self, args);
}

/** `Type.method(...)` on a class, a native class, an SObject type or a namespace, its arguments evaluated. */
export function staticCallArgs(
  ip: Interpreter,
  t: TypeHandle,
  lname: string,
  args: ApexValue[],
  sc: Scope,
  line: number,
): ApexValue {
  if (t.kind !== 'native') return callStatic(ip, t, lname, args, line);
  // Rule "dynamic SOQL binds": Database.query('... :x') resolves `x` in the calling Apex scope. Restored afterwards,
  // so a native that calls back into Apex (which calls another native) keeps its own caller's scope.
  const rt = ip.rt;
  const prev = rt.resolveBind;
  rt.resolveBind = (text) => ip.evalBindText(text, sc, line);
  try {
    return callStatic(ip, t, lname, args, line);
  } finally {
    rt.resolveBind = prev;
  }
}

/** Marks that fieldAddError handled the call. */
const FIELD_ERROR_ADDED = new TypeHandle('namespace', '<field addError>');

/**
 * Rule "field addError": `rec.Field__c.addError(msg)` marks that field of the record (SObject.addError(field, msg));
 * it is not a method of the field's value. Other targets (`obj.prop.addError(...)`) evaluate as usual.
 */
function fieldAddError(
  ip: Interpreter,
  e: Extract<Expr, { k: 'call' }>,
  target: Extract<Expr, { k: 'field' }>,
  sc: Scope,
): ApexValue | TypeHandle {
  const owner = evalRef(ip, target.target, sc);
  if (!(owner instanceof SObjectValue)) return fieldRef(ip, target, owner);
  const token = fieldToken(ip.rt, owner.sobjectType, target.name);
  sobjectMethod('adderror')(ip.rt, [token, ...evalArgs(ip, e.args, sc)], owner);
  return FIELD_ERROR_ADDED;
}

function sobjectMethod(lname: string): NativeFn {
  const fn = findNativeClass('SObject')?.methods?.[lname];
  if (!fn) throw new UnsupportedFeature(`SObject.${lname}()`);
  return fn;
}

export function callStatic(ip: Interpreter, h: TypeHandle, lname: string, args: ApexValue[], line: number): ApexValue {
  switch (h.kind) {
    case 'class': {
      const cls = h.cls!;
      if (cls.isEnum) {
        if (lname === 'values') return new ApexList({ name: cls.name }, [...ip.enumConstants(cls)]);
        if (lname === 'valueof') {
          const s = args[0];
          const found = ip.enumConstants(cls).find((c) => (c.state as { enumValue: string }).enumValue === s);
          if (!found) throw platformError('System.NoSuchElementException', `No enum constant ${cls.name}.${String(s)}`);
          return found;
        }
      }
      const ms = cls.findMethods(lname);
      if (!ms.length) throw new UnsupportedFeature(`unknown method ${cls.name}.${lname}()`, ip.file(), line);
      const m = pickOverload(ip, ms, args, `${cls.name}.${lname}`, line);
      const owner = cls.declaringClass(m);
      ip.ensureStatic(owner);
      return invoke(ip, m, owner, null, args);
    }
    case 'native': {
      const fn = h.native!.statics?.[lname];
      if (!fn) throw new UnsupportedFeature(`${h.native!.name}.${lname}()`, ip.file(), line);
      return fn(ip.rt, args, null);
    }
    case 'sobject':
      return sobjectStatic(ip, h.name, lname, args, line);
    case 'namespace': {
      const nc = findNativeClass(h.name);
      const fn = nc?.statics?.[lname];
      if (!fn) throw new UnsupportedFeature(`${h.name}.${lname}()`, ip.file(), line);
      return fn(ip.rt, args, null);
    }
    default:
      throw new UnsupportedFeature(`${h.name}.${lname}()`, ip.file(), line);
  }
}

/** Instance method call on a non-null value. */
/**
 * Test.createStub (Apex Developer Guide, "Build a Mocking Framework with the Stub API"): calls on a stub go to the
 * provider's handleMethodCall(stubbedObject, stubbedMethodName, returnType, listOfParamTypes, listOfParamNames,
 * listOfArgs); its result is the call's value.
 */
export const STUB_PROVIDERS = new WeakMap<ApexInstance, ApexValue>();

function callStub(
  ip: Interpreter,
  v: ApexInstance,
  provider: ApexValue,
  lname: string,
  args: ApexValue[],
  line: number,
): ApexValue {
  const ms = ci(v.cls).findMethods(lname);
  if (!ms.length) return objectMethod(ip, v, lname, args, line);
  const m = pickOverload(ip, ms, args, `${v.cls.name}.${lname}`, line);
  const owner = ci(v.cls).declaringClass(m);
  const types = m.params.map((p) => typeToken(ip.resolveTypeRefIn(p.type, m, owner)));
  const ret = m.returnType ? typeToken(ip.resolveTypeRefIn(m.returnType, m, owner)) : typeToken({ name: 'void' });
  const out = callOn(
    ip,
    provider,
    'handlemethodcall',
    [
      v,
      m.name,
      ret,
      new ApexList({ name: 'Type' }, types),
      new ApexList(
        { name: 'String' },
        m.params.map((p) => p.name),
      ),
      new ApexList({ name: 'Object' }, [...args]),
    ],
    line,
  );
  return m.returnType ? ip.coerce(out, ip.resolveTypeRefIn(m.returnType, m, owner)) : null;
}

export function callOn(ip: Interpreter, v: ApexValue, lname: string, args: ApexValue[], line: number): ApexValue {
  if (v instanceof ApexInstance) {
    const stub = STUB_PROVIDERS.get(v);
    if (stub !== undefined) return callStub(ip, v, stub, lname, args, line);
    const ms = ci(v.cls).findMethods(lname);
    if (ms.length) {
      const m = pickOverload(ip, ms, args, `${v.cls.name}.${lname}`, line);
      return invoke(ip, m, ci(v.cls).declaringClass(m), v, args);
    }
    if (ci(v.cls).isException) {
      const r = standardExceptionMethod(v, lname, args);
      if (r !== undefined) return r;
      for (let c: ClassInfo | null = ci(v.cls); c; c = c.superClass) {
        if (!c.builtin) continue;
        const fn = findNativeClass(c.name)?.methods?.[lname];
        if (fn) return fn(ip.rt, args, v);
      }
    }
    return objectMethod(ip, v, lname, args, line);
  }
  if (v instanceof NativeInstance) {
    const userEnum = ip.userEnumOf(v);
    if (userEnum) {
      const st = v.state as { enumValue: string; ordinal: number };
      switch (lname) {
        case 'name':
        case 'tostring':
          return st.enumValue;
        case 'ordinal':
          return st.ordinal;
        case 'equals':
          return equalsValue(ip.rt, v, args[0]);
        case 'hashcode':
          return javaStringHash(st.enumValue);
      }
      throw new UnsupportedFeature(`${userEnum.name}.${lname}()`, ip.file(), line);
    }
  }
  const nc = findNativeClass(nativeTypeName(v));
  const fn = nc?.methods?.[lname];
  if (fn) return fn(ip.rt, args, v);
  return objectMethod(ip, v, lname, args, line);
}

/** The native class name whose methods a value has (without building its full runtime type). */
function nativeTypeName(v: ApexValue): string {
  if (v instanceof SObjectValue) return 'SObject';
  if (v instanceof NativeInstance) return v.typeName;
  if (v instanceof ApexList) return 'List';
  if (v instanceof ApexSet) return 'Set';
  if (v instanceof ApexMap) return 'Map';
  return runtimeTypeOf(v).name;
}

/** Methods every object has. */
function objectMethod(ip: Interpreter, v: ApexValue, lname: string, args: ApexValue[], line: number): ApexValue {
  switch (lname) {
    case 'equals':
      if (args.length === 1) return v instanceof ApexInstance ? v === args[0] : equalsValue(ip.rt, v, args[0]);
      break;
    case 'hashcode':
      if (args.length === 0) return javaStringHash(keyOf(ip.rt, v));
      break;
    case 'tostring':
      if (args.length === 0) return formatValue(ip.rt, v);
      break;
  }
  throw new UnsupportedFeature(`method ${typeToString(runtimeTypeOf(v))}.${lname}()`, ip.file(), line);
}

function argScore(ip: Interpreter, p: TypeRef, a: ApexValue): number {
  if (a === null) return 1;
  const pn = p.name.toLowerCase();
  if (pn === 'object') return 1;
  const an = runtimeTypeOf(a).name.toLowerCase();
  if (an === pn) return 4;
  if (isInstanceOf(ip.rt, a, p)) return 3;
  // implicit numeric widening, Integer < Long < Double < Decimal
  const order = ['integer', 'long', 'double', 'decimal'];
  const ai = order.indexOf(an);
  const pi = order.indexOf(pn);
  if (ai >= 0 && pi > ai) return 2;
  if (pn === 'id' && typeof a === 'string') return 2;
  if (pn === 'string' && an === 'id') return 2;
  if ((a instanceof ApexDouble || a instanceof ApexDecimal) && (pn === 'double' || pn === 'decimal')) return 2;
  return -1000;
}

function nullCastScore(ip: Interpreter, cast: TypeRef, p: TypeRef): number {
  if (typeToString(ip.resolveTypeRef(cast)).toLowerCase() === typeToString(p).toLowerCase()) return 4;
  return p.name.toLowerCase() === 'object' ? 1 : -1000;
}

export function pickOverload(
  ip: Interpreter,
  ms: MethodDecl[],
  args: ApexValue[],
  what: string,
  line: number,
): MethodDecl {
  // the common case, one method of that name and arity: nothing to score
  if (ms.length === 1 && ms[0].params.length === args.length) return ms[0];
  let best: MethodDecl | null = null;
  let bestScore = -Infinity;
  let count = 0;
  const casts = NULL_CASTS.get(args);
  for (const m of ms) {
    if (m.params.length !== args.length) continue;
    count++;
    if (count === 1) best = m;
    let s = 0;
    for (let i = 0; i < args.length; i++) {
      const pt = ip.resolveTypeRefIn(m.params[i].type, m);
      const ct = casts?.[i];
      s += ct ? nullCastScore(ip, ct, pt) : argScore(ip, pt, args[i]);
    }
    if (s > bestScore) {
      bestScore = s;
      best = m;
    }
  }
  if (!best) throw new UnsupportedFeature(`no method ${what} taking ${args.length} argument(s)`, ip.file(), line);
  return best;
}

export function invoke(
  ip: Interpreter,
  m: MethodDecl,
  cls: ClassInfo,
  self: ApexInstance | null,
  args: ApexValue[],
): ApexValue {
  if (!m.body) throw new UnsupportedFeature(`abstract method ${cls.name}.${m.name} has no body`, cls.file, m.line);
  if (ip.frames.length > MAX_DEPTH) throw stackDepthError(ip);
  const sc = bindParams(ip, m, cls, args);
  const f = new Frame(cls, self, `Class.${cls.name}.${m.name}`, cls.cov, null);
  f.line = m.line;
  ip.frames.push(f);
  // the body's statements run here rather than through execBlock: one JavaScript frame less per Apex call
  const body = cbody(m.body);
  try {
    for (let i = 0; i < body.length; i++) if (body[i](ip, sc) !== NORMAL) break;
  } catch (e) {
    tagError(ip, e);
    ip.frames.pop();
    // the outermost Apex call of an entry point (Aura, REST, invocable): JavaScript errors leave as InternalError
    throw ip.frames.length === 1 ? surfaceError(ip, e) : e;
  }
  ip.frames.pop();
  return m.returnType && m.returnType.name !== 'void'
    ? ip.coerce(f.ret, ip.resolveTypeRefIn(m.returnType, m, cls))
    : null;
}

/** The parameters of a method or constructor as the variables of its outermost scope. */
function bindParams(ip: Interpreter, m: MethodDecl, cls: ClassInfo, args: ApexValue[]): Scope {
  const sc = new Scope(null);
  const ps = m.params;
  for (let i = 0; i < ps.length; i++) {
    const t = ip.resolveTypeRefIn(ps[i].type, m, cls);
    sc.declare(ps[i].name, t, ip.coerce(args[i], t));
  }
  return sc;
}

/** `new C(args)` for a user class or a built-in exception type. */
export function construct(ip: Interpreter, cls: ClassInfo, args: ApexValue[], line: number): ApexInstance {
  if (cls.isInterface || cls.isEnum)
    throw new UnsupportedFeature(`cannot instantiate ${cls.kind} ${cls.name}`, ip.file(), line);
  if (cls.isAbstract) throw new UnsupportedFeature(`cannot instantiate abstract class ${cls.name}`, ip.file(), line);
  ip.ensureStatic(cls);
  const inst = cls.isException ? createException(ip, cls, null, null) : new ApexInstance(cls);
  runCtor(ip, cls, inst, args, line);
  return inst;
}

/** The four constructors every exception has: (), (String), (Exception), (String, Exception). */
function standardExceptionCtor(
  ip: Interpreter,
  cls: ClassInfo,
  inst: ApexInstance,
  args: ApexValue[],
  line: number,
): void {
  const st = exceptionState(inst)!;
  const isExc = (v: ApexValue) => v instanceof ApexInstance && ci(v.cls).isException;
  let msg: ApexValue = null;
  let cause: ApexValue = null;
  if (args.length === 1) {
    if (isExc(args[0])) cause = args[0];
    else msg = args[0];
  } else if (args.length === 2) {
    msg = args[0];
    cause = args[1];
  } else if (args.length > 2)
    throw new UnsupportedFeature(`no constructor ${cls.name} taking ${args.length} arguments`, ip.file(), line);
  const text = msg === null ? null : formatValue(ip.rt, msg);
  if (cls.isA('system.aurahandledexception')) {
    st.clientMessage = text ?? undefined;
    st.message = text === null ? null : 'Script-thrown exception';
  } else st.message = text;
  st.cause = cause;
}

function runCtor(ip: Interpreter, cls: ClassInfo, inst: ApexInstance, args: ApexValue[], line: number): void {
  if (cls.builtin) {
    standardExceptionCtor(ip, cls, inst, args, line);
    return;
  }
  const ctors = cls.decl!.ctors;
  // the common case, one constructor of that arity: no list to filter
  const c =
    ctors.length === 1 && ctors[0].params.length === args.length
      ? ctors
      : ctors.filter((x) => x.params.length === args.length);
  if (!c.length) {
    if (args.length > 0 && !cls.isException)
      throw new UnsupportedFeature(`no constructor ${cls.name} taking ${args.length} argument(s)`, ip.file(), line);
    if (ctors.length > 0 && args.length === 0 && !cls.isException)
      throw new UnsupportedFeature(`no constructor ${cls.name}()`, ip.file(), line);
    // implicit default constructor; user exceptions inherit the four standard ones
    if (cls.superClass) runCtor(ip, cls.superClass, inst, cls.isException ? args : [], line);
    initInstance(ip, cls, inst);
    return;
  }
  const ctor = pickOverload(ip, c, args, `${cls.name}()`, line);
  if (ip.frames.length > MAX_DEPTH) throw stackDepthError(ip);
  const f = new Frame(cls, inst, `Class.${cls.name}.<init>`, cls.cov, null);
  f.line = ctor.line;
  const sc = bindParams(ip, ctor, cls, args);
  ip.frames.push(f);
  try {
    const stmts = ctor.body!.stmts;
    const first = stmts[0];
    let start = 0;
    if (first && first.k === 'expr' && first.expr.k === 'ctorCall') {
      ip.markLine(first.line);
      const a = first.expr.args.map((x) => evalExpr(ip, x, sc));
      start = 1;
      if (first.expr.which === 'this') runCtor(ip, cls, inst, a, first.line);
      else {
        if (!cls.superClass)
          throw new UnsupportedFeature(`super(...) in ${cls.name} without a superclass`, ip.file(), first.line);
        runCtor(ip, cls.superClass, inst, a, first.line);
        initInstance(ip, cls, inst);
      }
    } else {
      if (cls.superClass) runCtor(ip, cls.superClass, inst, [], line);
      initInstance(ip, cls, inst);
    }
    const body = new Scope(sc);
    const compiled = cbody(ctor.body!);
    for (let i = start; i < compiled.length; i++) {
      if (compiled[i](ip, body) !== NORMAL) break;
    }
  } catch (e) {
    tagError(ip, e);
    throw e;
  } finally {
    ip.frames.pop();
  }
}

/** Instance field initialisers and instance initialiser blocks, in declaration order. */
function initInstance(ip: Interpreter, cls: ClassInfo, inst: ApexInstance): void {
  const decl = cls.decl!;
  let f: Frame | null = null;
  const depth = ip.frames.length;
  try {
    for (const m of decl.members) {
      if (m.k === 'field' && !m.decl.mods.isStatic) {
        if (!m.decl.init) {
          if (!inst.fields.has(m.decl.name)) inst.fields.set(m.decl.name, null);
          continue;
        }
        f ??= pushInitFrame(ip, cls, inst);
        f.line = m.decl.line;
        ip.markLine(m.decl.line);
        const v = evalExpr(ip, m.decl.init, new Scope(null));
        inst.fields.set(m.decl.name, ip.coerce(v, ip.resolveTypeRefIn(m.decl.type, null, cls)));
      } else if (m.k === 'prop' && !m.decl.mods.isStatic) {
        if (!inst.fields.has(m.decl.name)) inst.fields.set(m.decl.name, null);
      } else if (m.k === 'init' && !m.decl.isStatic) {
        f ??= pushInitFrame(ip, cls, inst);
        ip.execBlock(m.decl.body, new Scope(null));
      }
    }
  } finally {
    ip.frames.length = depth;
  }
}

function pushInitFrame(ip: Interpreter, cls: ClassInfo, inst: ApexInstance | null): Frame {
  const f = new Frame(cls, inst, `Class.${cls.name}.<init>`, cls.cov, null);
  ip.frames.push(f);
  return f;
}

export { pushInitFrame };
