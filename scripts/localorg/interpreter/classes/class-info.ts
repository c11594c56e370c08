/**
 * The interpreter's class objects: one per user class, interface, enum (including inner ones) and one per
 * built-in exception type. Shared by every transaction (immutable after linking); per-transaction state
 * (static fields) lives in the Interpreter.
 */
import type { ApexClassRef, NativeInstance } from '../../core/values.js';
import type { FieldDecl, MethodDecl, PropertyDecl, TypeDecl, Member } from '../ast.js';
import { fastClasses } from '../../core/fast-classes.js';

/** Coverage of one source file (a top-level class or a trigger). */
export interface FileCoverage {
  name: string;
  lines: Set<number>;
  covered: Set<number>;
  /** Test classes are not reported. */
  isTest: boolean;
}

export interface MemberRef {
  owner: ClassInfo;
  kind: 'field' | 'prop';
  isStatic: boolean;
  field?: FieldDecl;
  prop?: PropertyDecl;
  lname: string;
}

export class ClassInfo implements ApexClassRef {
  readonly lname: string;
  superClass: ClassInfo | null = null;
  /** Lower-cased names this class is an instance of (itself, supers, interfaces, 'object'). */
  readonly ancestors = new Set<string>();
  readonly inner = new Map<string, ClassInfo>();
  readonly methods = new Map<string, MethodDecl[]>();
  readonly members = new Map<string, MemberRef>();
  /** Interfaces implemented (user ClassInfo or native names, lower-cased). */
  interfaceNames: string[] = [];
  isException = false;
  enumConstants: NativeInstance[] | null = null;
  /** The declaring file's coverage (shared by a top-level class and its inner classes). */
  cov: FileCoverage | null = null;
  isTest = false;
  linked = false;

  constructor(
    public readonly name: string,
    public readonly kind: 'class' | 'interface' | 'enum',
    public readonly decl: TypeDecl | null,
    public readonly outer: ClassInfo | null,
    public readonly file: string,
    /** Built-in exception types have no declaration. */
    public readonly builtin = false,
  ) {
    this.lname = name.toLowerCase();
    this.ancestors.add(this.lname);
    this.ancestors.add('object');
    if (decl) {
      for (const m of decl.methods) {
        const k = m.name.toLowerCase();
        const list = this.methods.get(k);
        if (list) list.push(m);
        else this.methods.set(k, [m]);
      }
      for (const m of decl.members) this.addMember(m);
    }
  }

  private addMember(m: Member): void {
    if (m.k === 'field') {
      const l = m.decl.name.toLowerCase();
      this.members.set(l, { owner: this, kind: 'field', isStatic: m.decl.mods.isStatic, field: m.decl, lname: l });
    } else if (m.k === 'prop') {
      const l = m.decl.name.toLowerCase();
      this.members.set(l, { owner: this, kind: 'prop', isStatic: m.decl.mods.isStatic, prop: m.decl, lname: l });
    }
  }

  isA(typeNameLower: string): boolean {
    return this.ancestors.has(typeNameLower);
  }

  get isEnum(): boolean {
    return this.kind === 'enum';
  }

  get isInterface(): boolean {
    return this.kind === 'interface';
  }

  get isAbstract(): boolean {
    return this.decl?.mods.isAbstract ?? false;
  }

  get topLevel(): ClassInfo {
    let c: ClassInfo = this;
    while (c.outer) c = c.outer;
    return c;
  }

  /** Field or property, searching superclasses. */
  findMember(lname: string): MemberRef | undefined {
    for (let c: ClassInfo | null = this; c; c = c.superClass) {
      const m = c.members.get(lname);
      if (m) return m;
    }
    return undefined;
  }

  /** findMethods' answers, once the class and its superclasses are linked (they no longer change then). */
  private methodsByName: Map<string, MethodDecl[]> | null = null;

  /** Methods by name, the most derived first (the array is shared: callers must not change it). */
  findMethods(lname: string): MethodDecl[] {
    const hit = this.methodsByName?.get(lname);
    if (hit) return hit;
    const out: MethodDecl[] = [];
    for (let c: ClassInfo | null = this; c; c = c.superClass) {
      const ms = c.methods.get(lname);
      if (ms) out.push(...ms);
    }
    if (this.linked) (this.methodsByName ??= new Map()).set(lname, out);
    return out;
  }

  /** Which class declares a given method object (for super calls and frames). */
  declaringClass(m: MethodDecl): ClassInfo {
    const known = DECLARED_IN.get(m);
    if (known && (known === this || this.ancestorsChain(known))) return known;
    for (let c: ClassInfo | null = this; c; c = c.superClass) {
      const ms = c.methods.get(m.name.toLowerCase());
      if ((ms && ms.includes(m)) || c.decl?.ctors.includes(m)) {
        DECLARED_IN.set(m, c);
        return c;
      }
    }
    return this;
  }

  /** Whether `c` is a superclass of this class. */
  private ancestorsChain(c: ClassInfo): boolean {
    for (let x = this.superClass; x; x = x.superClass) if (x === c) return true;
    return false;
  }

  findInner(lname: string): ClassInfo | undefined {
    for (let c: ClassInfo | null = this; c; c = c.superClass) {
      const i = c.inner.get(lname);
      if (i) return i;
    }
    return undefined;
  }
}

/** Built-in exception types (full platform names). Any other 'X.YException' a native throws is created on demand. */
export const BUILTIN_EXCEPTIONS = [
  'System.NullPointerException',
  'System.ListException',
  'System.TypeException',
  'System.QueryException',
  'System.DmlException',
  'System.SObjectException',
  'System.CalloutException',
  'System.LimitException',
  'System.AssertException',
  'System.JSONException',
  'System.StringException',
  'System.MathException',
  'System.NoAccessException',
  'System.SecurityException',
  'System.IllegalArgumentException',
  'System.AuraHandledException',
  'System.UnexpectedException',
  'System.FinalException',
  'System.NoDataFoundException',
  'System.InvalidParameterValueException',
  'System.SerializationException',
  'System.AsyncException',
  'System.EmailException',
  'System.XmlException',
  'System.SearchException',
  'System.NoSuchElementException',
  'System.InvalidHeaderException',
  'System.RequiredFeatureMissingException',
  'System.HandledException',
  'System.ProcedureException',
  'System.VisualforceException',
  'System.CryptoException',
  'System.QueueableException',
  'System.DuplicateMessageException',
  'System.LicenseException',
  'System.InvalidReadOnlyUserDmlException',
  'System.PlatformCacheException',
  'System.UnsupportedOperationException',
];

/** ApexInstance.cls is typed as the cross-part ApexClassRef; inside the interpreter it is always a ClassInfo. */
/** The class that declares each method or constructor (a declaration belongs to one class). */
const DECLARED_IN = new WeakMap<MethodDecl, ClassInfo>();

export function ci(x: ApexClassRef): ClassInfo {
  return x as ClassInfo;
}

fastClasses(ClassInfo);
