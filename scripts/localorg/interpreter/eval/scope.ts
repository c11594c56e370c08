/** Variables, scopes, call frames and the non-value results of name resolution. */
import type { ApexInstance, ApexValue, TypeRef } from '../../core/values.js';
import type { NativeClass } from '../../core/runtime.js';
import type { ClassInfo, FileCoverage } from '../classes/class-info.js';
import type { MethodDecl } from '../ast.js';
import { fastClasses } from '../../core/fast-classes.js';

export interface Var {
  v: ApexValue;
  t: TypeRef;
}

/** A declared variable: its lower-cased name, and the one declared before it in the same scope. */
interface Slot extends Var {
  name: string;
  next: Slot | null;
}

export class Scope {
  /**
   * The scope's variables, newest first: a short list, cheaper to create and search than a Map (most scopes hold a
   * few variables; most block scopes, none).
   */
  private vars: Slot | null = null;
  constructor(public readonly parent: Scope | null) {}
  lookup(lname: string): Var | undefined {
    for (let s: Scope | null = this; s; s = s.parent) {
      for (let x = s.vars; x; x = x.next) if (x.name === lname) return x;
    }
    return undefined;
  }
  declare(name: string, t: TypeRef, v: ApexValue): Var {
    const x: Slot = { v, t, name: name.toLowerCase(), next: this.vars };
    this.vars = x;
    return x;
  }
}

/** Anonymous blocks may declare methods and classes usable in the block. */
export interface AnonContext {
  methods: Map<string, MethodDecl[]>;
  classes: Map<string, ClassInfo>;
}

export class Frame {
  line = 0;
  ret: ApexValue = null;
  /** Inside a property accessor: the property whose name means its backing storage. */
  propName: string | null = null;
  constructor(
    /** The class whose code runs (the declaring class of the method), null for anonymous blocks and triggers. */
    public readonly cls: ClassInfo | null,
    public readonly self: ApexInstance | null,
    /** For stack traces: 'Class.Foo.bar', 'AnonymousBlock', 'Trigger.T'. */
    public readonly label: string,
    public readonly cov: FileCoverage | null,
    public readonly anon: AnonContext | null,
  ) {}
}

/** A type, namespace or the Trigger context reached while resolving a dotted name (never an Apex value). */
export class TypeHandle {
  constructor(
    public readonly kind: 'class' | 'native' | 'sobject' | 'namespace' | 'trigger',
    public readonly name: string,
    public readonly cls?: ClassInfo,
    public readonly native?: NativeClass,
  ) {}
}

/** Statement completion. */
export const NORMAL = 0;
export const BREAK = 1;
export const CONTINUE = 2;
export const RETURN = 3;
export type Completion = 0 | 1 | 2 | 3;

fastClasses(Scope, Frame, TypeHandle);
