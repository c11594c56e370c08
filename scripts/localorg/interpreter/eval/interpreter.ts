/**
 * The Apex interpreter of one transaction (or one test method): static state, the call stack, statement
 * execution, name/type resolution, and the InterpreterApi the standard library and the database call back into.
 * Class definitions (ClassRegistry) are shared across transactions; everything here is per transaction.
 */
import {
  ApexId,
  ApexInstance,
  ApexList,
  NativeInstance,
  SObjectValue,
  T,
  type ApexValue,
  type TypeRef,
} from '../../core/values.js';
import { ApexThrow, LimitError, UnsupportedFeature, platformError } from '../../core/errors.js';
import type { InterpreterApi, Runtime, TriggerContext } from '../../core/runtime.js';
import { runSearch } from '../../stdlib/search.js';
import { coerceTo, equalsValue, isInstanceOf } from '../../core/ops.js';
import { findNativeClass, isNativeNamespace, registeredNativeClasses } from '../../stdlib/registry.js';
import type { AnonymousUnit, Block, CatchClause, Expr, MethodDecl, Stmt } from '../ast.js';
import { ci } from '../classes/class-info.js';
import type { ClassInfo, MemberRef } from '../classes/class-info.js';
import type { ClassRegistry, TriggerInfo } from '../classes/registry.js';
import { normBind } from '../parse/convert-expr.js';
import { parseExpression } from '../parse/parse.js';
import { npe } from './arith.js';
import {
  MAX_DEPTH,
  STUB_PROVIDERS,
  callOn,
  callStatic,
  construct,
  invoke,
  pickOverload,
  stackDepthError,
} from './calls.js';
import { catchable, surfaceError, tagError, throwApex } from './exceptions.js';
import { evalExpr } from './expressions.js';
import { cbody, cstmt, runStmts } from './compile-stmt.js';
import { NORMAL, Frame, Scope, TypeHandle, type AnonContext, type Completion } from './scope.js';
import { makeTriggerState, type TriggerState } from './trigger-context.js';

type NameRes = { kind: 'member'; m: MemberRef } | { kind: 'type'; h: TypeHandle };

/** Resolved TypeRefs per AST TypeRef object (its context never changes). */
const typeCache = new WeakMap<TypeRef, TypeRef>();
const catchCache = new WeakMap<CatchClause, string>();

export class Interpreter implements InterpreterApi {
  rt!: Runtime;
  readonly frames: Frame[] = [];
  readonly statics = new Map<ClassInfo, Map<string, ApexValue>>();
  trigger: TriggerState | null = null;
  anon: AnonContext | null = null;
  anonFile = 'AnonymousBlock';
  statements = 0;
  /** Type resolutions while an anonymous block runs (its classes are visible to it only, so not in the shared cache). */
  private anonTypeCache = new WeakMap<TypeRef, TypeRef>();
  /** The stack-depth LimitException once thrown in this transaction (see stackDepthError). */
  depthLimitError: LimitError | null = null;
  private cpuStart = Date.now();
  private cpuLimitMs = 10000;

  constructor(public readonly reg: ClassRegistry) {
    // A root frame so natives calling back (callMethod) always have a frame; it never shows in stack traces.
    this.frames.push(new Frame(null, null, '', null, null));
  }

  attach(rt: Runtime, opts?: { cpuLimitMs?: number }): void {
    this.rt = rt;
    if (opts?.cpuLimitMs) this.cpuLimitMs = opts.cpuLimitMs;
  }

  /** Restarts the CPU clock (Test.startTest gives fresh limits). */
  resetCpu(): void {
    this.cpuStart = Date.now();
  }

  get frame(): Frame {
    return this.frames[this.frames.length - 1];
  }

  file(): string {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i];
      if (f.cls) return f.cls.file;
      if (f.label.startsWith('Trigger.')) return f.label.slice(8) + '.trigger';
      if (f.label) return this.anonFile;
    }
    return this.anonFile;
  }

  currentLine(): number {
    return this.frame.line;
  }

  stackTrace(): string {
    const lines: string[] = [];
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i];
      if (f.label) lines.push(`${f.label}: line ${f.line}, column 1`);
    }
    return lines.join('\n');
  }

  where(): { file?: string; line?: number } {
    return { file: this.file(), line: this.currentLine() };
  }

  markLine(line: number): void {
    const f = this.frame;
    f.line = line;
    if (f.cov) f.cov.covered.add(line);
  }

  checkCpu(): void {
    if (Date.now() - this.cpuStart > this.cpuLimitMs) throw new LimitError('Apex CPU time limit exceeded');
  }

  // ------------------------------------------------------------------------------------------- types and names

  resolveTypeHandle(name: string, from: ClassInfo | null = this.frame.cls): TypeHandle | null {
    const l = name.toLowerCase();
    const first = l.split('.')[0];
    if (this.anon) {
      const ac = this.anon.classes.get(first);
      if (ac) {
        let cur: ClassInfo | undefined = ac;
        for (const p of l.split('.').slice(1)) cur = cur?.findInner(p);
        if (cur) return new TypeHandle('class', cur.name, cur);
      }
    }
    const c = this.reg.resolveClass(name, from);
    if (c) return new TypeHandle('class', c.name, c);
    if (l === 'trigger') return new TypeHandle('trigger', 'Trigger');
    const nc = findNativeClass(name);
    if (nc) return new TypeHandle('native', nc.name, undefined, nc);
    const objName = l.startsWith('schema.') ? name.slice(7) : name;
    const obj = this.rt.schema.getObject(objName);
    if (obj) return new TypeHandle('sobject', obj.name);
    if (l === 'system' || l === 'schema' || l === 'database')
      return new TypeHandle('namespace', l === 'system' ? 'System' : l === 'schema' ? 'Schema' : 'Database');
    // Cache, ConnectApi, ...: namespaces of the native classes
    if (!l.includes('.') && isNativeNamespace(l)) {
      const nc = registeredNativeClasses().find((c) => c.name.toLowerCase().startsWith(`${l}.`))!;
      return new TypeHandle('namespace', nc.name.slice(0, nc.name.indexOf('.')));
    }
    return null;
  }

  /** Canonical TypeRef for a declared type seen from a method (or the current frame's class). */
  resolveTypeRefIn(t: TypeRef, _m: MethodDecl | null, cls: ClassInfo | null = this.frame.cls): TypeRef {
    const cache = this.anon ? this.anonTypeCache : typeCache;
    const hit = cache.get(t);
    if (hit) return hit;
    let name = t.name;
    switch (name) {
      case 'String':
      case 'Integer':
      case 'Long':
      case 'Double':
      case 'Decimal':
      case 'Boolean':
      case 'Id':
      case 'Date':
      case 'Datetime':
      case 'Time':
      case 'Blob':
      case 'Object':
      case 'SObject':
      case 'List':
      case 'Set':
      case 'Map':
      case 'void':
        break;
      default: {
        const h = this.resolveTypeHandle(name, cls);
        if (h) name = h.name;
      }
    }
    const out: TypeRef = t.args ? { name, args: t.args.map((a) => this.resolveTypeRefIn(a, null, cls)) } : { name };
    // anonymous-block classes are per run: do not cache their resolutions globally
    cache.set(t, out);
    return out;
  }

  resolveTypeRef(t: TypeRef): TypeRef {
    return this.resolveTypeRefIn(t, null);
  }

  resolveFreeName(lname: string, name: string, line: number): NameRes {
    const f = this.frame;
    for (let c = f.cls; c; c = c.outer) {
      const m = c.findMember(lname);
      if (m && (m.isStatic || c === f.cls)) return { kind: 'member', m };
    }
    const h = this.resolveTypeHandle(name);
    if (h) return { kind: 'type', h };
    throw new UnsupportedFeature(`unknown variable ${name}`, this.file(), line);
  }

  // ------------------------------------------------------------------------------------------- fields and statics

  ensureStatic(cls: ClassInfo): void {
    if (this.statics.has(cls)) return;
    const store = new Map<string, ApexValue>();
    this.statics.set(cls, store);
    if (cls.builtin || !cls.decl) return;
    if (cls.superClass) this.ensureStatic(cls.superClass);
    for (const m of cls.decl.members) {
      if ((m.k === 'field' || m.k === 'prop') && m.decl.mods.isStatic) store.set(m.decl.name.toLowerCase(), null);
    }
    const depth = this.frames.length;
    try {
      let pushed = false;
      for (const m of cls.decl.members) {
        const isStaticInit =
          (m.k === 'field' && m.decl.mods.isStatic && m.decl.init) || (m.k === 'init' && m.decl.isStatic);
        if (!isStaticInit) continue;
        if (!pushed) {
          this.frames.push(new Frame(cls, null, `Class.${cls.name}.<clinit>`, cls.cov, null));
          pushed = true;
        }
        if (m.k === 'field') {
          this.markLine(m.decl.line);
          const v = evalExpr(this, m.decl.init!, new Scope(null));
          store.set(m.decl.name.toLowerCase(), this.coerce(v, this.resolveTypeRefIn(m.decl.type, null, cls)));
        } else if (m.k === 'init') this.execBlock(m.decl.body, new Scope(null));
      }
    } finally {
      this.frames.length = depth;
    }
  }

  private storeGet(m: MemberRef, self: ApexInstance | null): ApexValue {
    if (m.isStatic) {
      this.ensureStatic(m.owner);
      return this.statics.get(m.owner)!.get(m.lname) ?? null;
    }
    if (!self)
      throw new UnsupportedFeature(
        `instance member ${m.owner.name}.${m.lname} used in a static context`,
        this.file(),
        this.currentLine(),
      );
    return self.fields.get((m.field ?? m.prop)!.name) ?? null;
  }

  private storeSet(m: MemberRef, self: ApexInstance | null, v: ApexValue): ApexValue {
    if (m.isStatic) {
      this.ensureStatic(m.owner);
      this.statics.get(m.owner)!.set(m.lname, v);
      return v;
    }
    if (!self)
      throw new UnsupportedFeature(
        `instance member ${m.owner.name}.${m.lname} used in a static context`,
        this.file(),
        this.currentLine(),
      );
    self.fields.set((m.field ?? m.prop)!.name, v);
    return v;
  }

  private runAccessor(m: MemberRef, self: ApexInstance | null, body: Block, value: ApexValue | undefined): ApexValue {
    const p = m.prop!;
    if (this.frames.length > MAX_DEPTH) throw stackDepthError(this);
    const f = new Frame(m.owner, m.isStatic ? null : self, `Class.${m.owner.name}.${p.name}`, m.owner.cov, null);
    f.propName = m.lname;
    const sc = new Scope(null);
    const t = this.resolveTypeRefIn(p.type, null, m.owner);
    if (value !== undefined) sc.declare('value', t, value);
    this.frames.push(f);
    const stmts = cbody(body);
    try {
      for (let i = 0; i < stmts.length; i++) if (stmts[i](this, sc) !== NORMAL) break;
    } catch (e) {
      tagError(this, e);
      this.frames.pop();
      throw e;
    }
    this.frames.pop();
    return value !== undefined ? value : this.coerce(f.ret, t);
  }

  readMember(m: MemberRef, self: ApexInstance | null): ApexValue {
    if (m.kind === 'prop' && m.prop!.getter?.body) return this.runAccessor(m, self, m.prop!.getter.body, undefined);
    return this.storeGet(m, self);
  }

  writeMember(m: MemberRef, self: ApexInstance | null, value: ApexValue): ApexValue {
    const decl = (m.field ?? m.prop)!;
    const v = this.coerce(value, this.resolveTypeRefIn(decl.type, null, m.owner));
    if (m.kind === 'prop' && m.prop!.setter?.body) return this.runAccessor(m, self, m.prop!.setter.body, v);
    return this.storeSet(m, self, v);
  }

  readPropBacking(lname: string): ApexValue {
    const f = this.frame;
    return this.storeGet(f.cls!.findMember(lname)!, f.self);
  }

  writePropBacking(lname: string, v: ApexValue): ApexValue {
    const f = this.frame;
    const m = f.cls!.findMember(lname)!;
    return this.storeSet(m, f.self, this.coerce(v, this.resolveTypeRefIn(m.prop!.type, null, m.owner)));
  }

  // ------------------------------------------------------------------------------------------- enums

  enumConstants(cls: ClassInfo): NativeInstance[] {
    cls.enumConstants ??= cls.decl!.enumValues.map(
      (v, i) => new NativeInstance(cls.name, { valueKey: v.toUpperCase(), display: v, enumValue: v, ordinal: i }),
    );
    return cls.enumConstants;
  }

  enumConstant(cls: ClassInfo, lname: string): NativeInstance | undefined {
    return this.enumConstants(cls).find((c) => (c.state as { enumValue: string }).enumValue.toLowerCase() === lname);
  }

  private enumCache = new Map<string, ClassInfo | null>();
  userEnumOf(v: NativeInstance): ClassInfo | null {
    const k = v.typeName.toLowerCase();
    let c = this.enumCache.get(k);
    if (c === undefined) {
      const found = this.reg.resolveClass(v.typeName, null) ?? this.anon?.classes.get(k) ?? null;
      c = found && found.isEnum ? found : null;
      this.enumCache.set(k, c);
    }
    return c;
  }

  // ------------------------------------------------------------------------------------------- values

  coerce(v: ApexValue, t: TypeRef): ApexValue {
    if (v === null) return null;
    if (v instanceof ApexList && t.name !== 'List' && t.name !== 'Object' && this.isRowType(t.name))
      return singleRow(v);
    switch (t.name) {
      // the two most common conversions inline (coerceTo's, without normalising the type name)
      case 'String':
        return v instanceof ApexId ? v.value : v;
      case 'Long':
        return typeof v === 'number' ? BigInt(v) : v;
      case 'Double':
      case 'Decimal':
      case 'Id':
        return coerceTo(this.rt, v, t);
    }
    return v;
  }

  /** SObject types and AggregateResult: a query result assigned to one of them takes its single row. */
  private isRowType(name: string): boolean {
    const l = name.toLowerCase();
    return (
      l === 'sobject' || l === 'aggregateresult' || l === 'schema.aggregateresult' || !!this.rt.schema.getObject(name)
    );
  }

  cond(e: Expr, sc: Scope): boolean {
    const v = evalExpr(this, e, sc);
    if (v === null) throw npe();
    return v === true;
  }

  private bindCache = new Map<string, Expr>();
  /** Evaluates the text of a dynamic-SOQL bind (':name', ':rec.Id') in a scope. */
  evalBindText(text: string, sc: Scope, line: number): ApexValue {
    const k = normBind(text);
    let ex = this.bindCache.get(k);
    if (!ex) {
      ex = parseExpression(this.file(), text, line);
      this.bindCache.set(k, ex);
    }
    return evalExpr(this, ex, sc);
  }

  runSoql(e: Extract<Expr, { k: 'soql' }>, sc: Scope): ApexValue {
    const bind = (text: string): ApexValue => {
      const k = normBind(text);
      let ex = e.binds.get(k);
      if (!ex) {
        ex = parseExpression(this.file(), text, e.line);
        e.binds.set(k, ex);
      }
      return evalExpr(this, ex, sc);
    };
    try {
      if (e.sosl) return runSearch(this.rt, e.text, { bind, line: e.line });
      return this.rt.db.query(e.text, { userMode: false, bind, line: e.line });
    } catch (err) {
      // A query construct the local org does not model names the line of the query that uses it.
      if (err instanceof UnsupportedFeature && !err.file)
        throw new UnsupportedFeature(err.feature, this.file(), e.line);
      throw err;
    }
  }

  // ------------------------------------------------------------------------------------------- statements

  execBlock(b: Block, sc: Scope): Completion {
    return runStmts(this, cbody(b), sc);
  }

  /** Runs one statement: its closure (compile-stmt.ts), compiled on first use. */
  exec(s: Stmt, sc: Scope): Completion {
    return cstmt(s)(this, sc);
  }

  /** The statements compiled as a call of this method (compile-stmt.ts), once their bookkeeping is done. */
  execOther(s: Stmt, sc: Scope): Completion {
    switch (s.k) {
      case 'throw':
        return this.execThrow(s, sc);
      case 'try':
        return this.execTry(s, sc);
      case 'dml':
        return this.execDml(s, sc);
      case 'switch':
        return this.execSwitch(s, sc);
      case 'runAs':
        return this.execRunAs(s, sc);
      case 'localClass':
        return NORMAL;
      case 'unsupported':
        throw new UnsupportedFeature(s.what, s.file, s.line);
    }
    throw new Error(`internal: statement ${s.k} has a compiled form`);
  }

  private execThrow(s: Extract<Stmt, { k: 'throw' }>, sc: Scope): never {
    const v = evalExpr(this, s.value, sc);
    if (v === null) throw npe();
    if (!(v instanceof ApexInstance) || !ci(v.cls).isException)
      throw platformError('System.TypeException', 'Only exceptions can be thrown');
    throwApex(v);
  }

  private execRunAs(s: Extract<Stmt, { k: 'runAs' }>, sc: Scope): Completion {
    const args = s.args.map((a) => evalExpr(this, a, sc));
    const u = args[0];
    const id = u instanceof SObjectValue ? u.id : u instanceof ApexId ? u : null;
    if (!id) throw npe();
    return this.rt.runAs(id, () => this.execBlock(s.body, new Scope(sc)));
  }

  private catchType(c: CatchClause): string {
    let l = catchCache.get(c);
    if (l === undefined) {
      const h = this.resolveTypeHandle(c.typeName);
      if (!h || h.kind !== 'class' || !h.cls!.isException)
        throw new UnsupportedFeature(`catch of unknown exception type ${c.typeName}`, this.file(), c.line);
      l = h.cls!.lname;
      if (!this.anon) catchCache.set(c, l);
    }
    return l;
  }

  private execTry(s: Extract<Stmt, { k: 'try' }>, sc: Scope): Completion {
    // kept small: this frame stays on the JavaScript stack while the try body runs (recursion inside try blocks)
    const depth = this.frames.length;
    let out: Completion | ApexThrow;
    try {
      out = this.execBlock(s.body, new Scope(sc));
    } catch (err) {
      out = this.execCatch(s, sc, err, depth);
    }
    if (s.fin) {
      const r = this.execBlock(s.fin, new Scope(sc));
      if (r !== NORMAL) return r;
    }
    if (typeof out !== 'number') throw out;
    return out;
  }

  /** The catch clause for `err`: its completion, or the Apex exception still in flight (none matched, or it threw). */
  private execCatch(s: Extract<Stmt, { k: 'try' }>, sc: Scope, err: unknown, depth: number): Completion | ApexThrow {
    const th = catchable(this, err);
    if (!th) throw err;
    this.frames.length = depth;
    const exc = th.exception as ApexInstance;
    const clause = s.catches.find((c) => exc.cls.isA(this.catchType(c)));
    if (!clause) return th;
    try {
      const cs = new Scope(sc);
      cs.declare(clause.varName, { name: exc.cls.name }, exc);
      return this.execBlock(clause.body, cs);
    } catch (err2) {
      const th2 = catchable(this, err2);
      if (!th2) throw err2;
      this.frames.length = depth;
      return th2;
    }
  }

  private execDml(s: Extract<Stmt, { k: 'dml' }>, sc: Scope): Completion {
    const v = evalExpr(this, s.target, sc);
    // `delete x` / `undelete x` with a null record reads its Id: System.NullPointerException "Attempt to
    // de-reference a null object" (trailheadapps/apex-recipes CustomRestEndpointRecipes_Tests expects that message
    // from `delete contact` with contact null, on the platform). Insert, update and upsert of null: DmlException.
    if (v === null && (s.op === 'delete' || s.op === 'undelete')) throw npe();
    if (v === null)
      throw platformError(
        'System.DmlException',
        `${s.op[0].toUpperCase()}${s.op.slice(1)} failed. First exception on row 0; first error: INVALID_ARGUMENT, Argument cannot be null.: []`,
      );
    let recs: SObjectValue[];
    if (v instanceof SObjectValue) recs = [v];
    else if (v instanceof ApexList) {
      recs = v.items.map((r) => {
        if (!(r instanceof SObjectValue)) throw npe();
        return r;
      });
    } else throw platformError('System.TypeException', 'DML requires an SObject or a list of SObjects');
    this.rt.db.dml(s.op, recs, {
      allOrNone: true,
      userMode: s.userMode,
      externalIdField: s.extField ?? undefined,
      line: s.line,
    });
    return NORMAL;
  }

  private execSwitch(s: Extract<Stmt, { k: 'switch' }>, sc: Scope): Completion {
    const v = evalExpr(this, s.expr, sc);
    for (const w of s.whens) {
      if (w.kind === 'else') return this.execBlock(w.body, new Scope(sc));
      if (w.kind === 'type') {
        const t = this.resolveTypeRef(w.typeRef!);
        if (v !== null && isInstanceOf(this.rt, v, t)) {
          const ws = new Scope(sc);
          ws.declare(w.varName!, t, v);
          return this.execBlock(w.body, ws);
        }
        continue;
      }
      for (const x of w.values) {
        if (this.whenMatches(v, x, sc)) return this.execBlock(w.body, new Scope(sc));
      }
    }
    return NORMAL;
  }

  /** `when` literals: Strings compare case-sensitively (Apex Developer Guide, "Switch Statements"); enums by name. */
  private whenMatches(v: ApexValue, x: Expr, sc: Scope): boolean {
    if (x.k === 'name') {
      if (!(v instanceof NativeInstance)) return false;
      const st = v.state as { enumValue?: string };
      return typeof st.enumValue === 'string' && st.enumValue.toLowerCase() === x.name.toLowerCase();
    }
    const lit = evalExpr(this, x, sc);
    if (lit === null || v === null) return lit === v;
    if (typeof lit === 'string' && typeof v === 'string') return lit === v;
    return equalsValue(this.rt, v, lit);
  }

  // ------------------------------------------------------------------------------------------- calls

  callUnqualified(lname: string, name: string, args: ApexValue[], line: number): ApexValue {
    const f = this.frame;
    if (this.anon && !f.cls) return this.callAnonMethod(lname, name, args, line);
    for (let c = f.cls; c; c = c.outer) {
      const ms = c.findMethods(lname);
      if (!ms.length) continue;
      const m = pickOverload(this, ms, args, `${c.name}.${name}`, line);
      const self = f.self;
      if (!m.mods.isStatic && self && c === f.cls) {
        // virtual dispatch on the runtime class of `this`
        const rc = ci(self.cls);
        const rm = rc === c ? m : pickOverload(this, rc.findMethods(lname), args, `${self.cls.name}.${name}`, line);
        return invoke(this, rm, rc.declaringClass(rm), self, args);
      }
      const owner = c.declaringClass(m);
      if (!this.statics.has(owner)) this.ensureStatic(owner);
      return invoke(this, m, owner, m.mods.isStatic ? null : self, args);
    }
    if (this.anon) return this.callAnonMethod(lname, name, args, line);
    throw new UnsupportedFeature(`unknown method ${name}()`, this.file(), line);
  }

  /** A method declared in the anonymous block (called from the block, or from a class when no member matches). */
  private callAnonMethod(lname: string, name: string, args: ApexValue[], line: number): ApexValue {
    const ms = this.anon!.methods.get(lname);
    if (ms) return this.invokeAnon(pickOverload(this, ms, args, name, line), args);
    throw new UnsupportedFeature(`unknown method ${name}()`, this.file(), line);
  }

  private invokeAnon(m: MethodDecl, args: ApexValue[]): ApexValue {
    if (this.frames.length > MAX_DEPTH) throw stackDepthError(this);
    const f = new Frame(null, null, 'AnonymousBlock', null, null);
    f.line = m.line;
    const sc = new Scope(null);
    m.params.forEach((p, i) => {
      const t = this.resolveTypeRef(p.type);
      sc.declare(p.name, t, this.coerce(args[i], t));
    });
    this.frames.push(f);
    try {
      this.execBlock(m.body!, sc);
    } catch (e) {
      tagError(this, e);
      throw e;
    } finally {
      this.frames.pop();
    }
    return m.returnType && m.returnType.name !== 'void' ? this.coerce(f.ret, this.resolveTypeRef(m.returnType)) : null;
  }

  /** Runs an anonymous block (its methods and classes are visible inside it only). */
  runAnonymous(unit: AnonymousUnit, fileName: string): void {
    this.anonFile = fileName;
    const classes = new Map<string, ClassInfo>();
    const built = unit.types.map((t) => this.reg.build(t, null, fileName));
    for (const c of built) classes.set(c.lname, c);
    const methods = new Map<string, MethodDecl[]>();
    for (const m of unit.methods) {
      const k = m.name.toLowerCase();
      methods.set(k, [...(methods.get(k) ?? []), m]);
    }
    this.anon = { methods, classes };
    this.anonTypeCache = new WeakMap();
    // link anonymous classes: resolve supertypes against the org's classes and the block's own
    this.linkAnon(built);
    const f = new Frame(null, null, 'AnonymousBlock', null, null);
    this.frames.push(f);
    try {
      this.execBlock(unit.body, new Scope(null));
    } catch (e) {
      tagError(this, e);
      throw surfaceError(this, e);
    } finally {
      this.frames.pop();
    }
  }

  private linkAnon(built: ClassInfo[]): void {
    for (const c of built) {
      const d = c.decl!;
      if (d.superType) {
        const h = this.resolveTypeHandle(d.superType.name, null);
        if (!h?.cls) throw new UnsupportedFeature(`unknown superclass ${d.superType.name}`, this.anonFile, d.line);
        c.superClass = h.cls;
        for (const a of h.cls.ancestors) c.ancestors.add(a);
        if (ci(h.cls).isException) c.isException = true;
        if (c.isException && !/exception$/i.test(c.name)) {
          throw new UnsupportedFeature(
            `class ${c.name} extends Exception but its name does not end in "Exception" (compile error)`,
            this.anonFile,
            d.line,
          );
        }
      }
      for (const i of d.interfaces) {
        const h = this.resolveTypeHandle(i.name, null);
        if (h?.cls) for (const a of h.cls.ancestors) c.ancestors.add(a);
        else if (h?.native) {
          for (const n of [h.native.name, ...(h.native.aliases ?? [])]) c.ancestors.add(n.toLowerCase());
        } else c.ancestors.add(i.name.toLowerCase());
      }
      c.linked = true;
      this.linkAnon([...c.inner.values()]);
    }
  }

  // ------------------------------------------------------------------------------------------- InterpreterApi

  // Entry points (the org, the database and natives call in here): JavaScript errors leave as InternalError.

  callMethod(target: ApexValue, methodName: string, args: ApexValue[]): ApexValue {
    if (target === null) throw npe();
    try {
      return callOn(this, target, methodName.toLowerCase(), args, this.currentLine());
    } catch (e) {
      throw surfaceError(this, e);
    }
  }

  callStatic(className: string, methodName: string, args: ApexValue[]): ApexValue {
    const h = this.resolveTypeHandle(className, null);
    if (!h) throw new UnsupportedFeature(`unknown class ${className}`);
    try {
      return callStatic(this, h, methodName.toLowerCase(), args, this.currentLine());
    } catch (e) {
      throw surfaceError(this, e);
    }
  }

  newInstance(typeName: string): ApexInstance {
    const h = this.resolveTypeHandle(typeName, null);
    if (h?.kind !== 'class') throw new UnsupportedFeature(`newInstance of ${typeName}`);
    try {
      return construct(this, h.cls!, [], this.currentLine());
    } catch (e) {
      throw surfaceError(this, e);
    }
  }

  createStub(typeName: string, provider: ApexValue): ApexInstance {
    const h = this.resolveTypeHandle(typeName, null);
    if (h?.kind !== 'class' || !h.cls) throw new UnsupportedFeature(`Test.createStub of ${typeName}`);
    // No constructor runs: every call goes to the provider.
    const stub = new ApexInstance(h.cls);
    STUB_PROVIDERS.set(stub, provider);
    return stub;
  }

  resolveType(name: string): TypeRef | null {
    const h = this.resolveTypeHandle(name, null);
    if (!h || h.kind === 'namespace' || h.kind === 'trigger') return null;
    return { name: h.name };
  }

  classFields(typeName: string): { name: string; type: TypeRef }[] | null {
    const h = this.resolveTypeHandle(typeName, null);
    if (!h?.cls?.decl) return null;
    const chain: ClassInfo[] = [];
    for (let c: ClassInfo | null = h.cls; c && c.decl; c = c.superClass) chain.unshift(c);
    const out: { name: string; type: TypeRef }[] = [];
    for (const c of chain) {
      for (const m of c.decl!.members) {
        if ((m.k === 'field' || m.k === 'prop') && !m.decl.mods.isStatic)
          out.push({ name: m.decl.name, type: this.resolveTypeRefIn(m.decl.type, null, c) });
      }
    }
    return out;
  }

  runTriggers(ctx: TriggerContext): void {
    for (const t of this.reg.triggersFor(ctx.sobjectType)) {
      if (!t.decl.events.includes(ctx.event)) continue;
      if (t.broken) throw t.broken; // a trigger the local org could not load (registry.ts, UnloadedClass)
      this.runTrigger(t, ctx);
    }
  }

  private runTrigger(t: TriggerInfo, ctx: TriggerContext): void {
    const prev = this.trigger;
    this.trigger = makeTriggerState(this, ctx);
    const f = new Frame(null, null, `Trigger.${t.decl.name}`, t.cov, null);
    this.frames.push(f);
    const prevAnon = this.anon;
    this.anon = null;
    try {
      this.execBlock(t.decl.body, new Scope(null));
    } catch (e) {
      tagError(this, e);
      throw surfaceError(this, e);
    } finally {
      this.frames.pop();
      this.trigger = prev;
      this.anon = prevAnon;
    }
  }

  hasMethod(target: ApexValue, methodName: string): boolean {
    return target instanceof ApexInstance && ci(target.cls).findMethods(methodName.toLowerCase()).length > 0;
  }
}

export { T };

/**
 * Rule "SOQL to a single SObject": assigning a query result to an SObject (or AggregateResult) variable takes its only row;
 * no rows -> System.QueryException "List has no rows for assignment to SObject", more than one ->
 * "List has more than 1 row for assignment to SObject".
 */
export function singleRow(v: ApexList): ApexValue {
  if (v.items.length === 0) throw platformError('System.QueryException', 'List has no rows for assignment to SObject');
  if (v.items.length > 1)
    throw platformError('System.QueryException', 'List has more than 1 row for assignment to SObject');
  return v.items[0];
}
