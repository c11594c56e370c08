/**
 * Small helpers shared by the standard library files: argument checks, platform errors, enums, Type tokens and
 * per-transaction state.
 */
import { platformError, UnsupportedFeature } from '../core/errors.js';
import type { NativeClass, NativeFn, Runtime } from '../core/runtime.js';
import {
  ApexBlob,
  ApexId,
  ApexInstance,
  ApexList,
  NativeInstance,
  T,
  typeToString,
  type ApexValue,
  type TypeRef,
} from '../core/values.js';
import { formatValue, runtimeTypeOf, toInteger, type ValueKeyed } from '../core/ops.js';

export function npe(): Error {
  return platformError('System.NullPointerException', 'Attempt to de-reference a null object');
}

export function unsupported(what: string): never {
  throw new UnsupportedFeature(what);
}

/** Throws UnsupportedFeature for an overload the library does not implement (never guess). */
export function badArity(cls: string, method: string, args: ApexValue[]): never {
  throw new UnsupportedFeature(`${cls}.${method} with ${args.length} argument(s)`);
}

export function typeName(v: ApexValue): string {
  return typeToString(runtimeTypeOf(v));
}

/** A String argument (an Id passes as its 18-char text). null stays null. */
export function str(v: ApexValue): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (v instanceof ApexId) return v.value;
  throw platformError('System.TypeException', `Invalid conversion from runtime type ${typeName(v)} to String`);
}

/** A String argument that must not be null (NullPointerException otherwise, as the platform does). */
export function reqStr(v: ApexValue): string {
  const s = str(v);
  if (s === null) throw npe();
  return s;
}

export function reqInt(v: ApexValue): number {
  if (v === null || v === undefined) throw npe();
  const n = toInteger(v);
  if (n === null) throw npe();
  return n;
}

export function reqBool(v: ApexValue): boolean {
  if (v === null || v === undefined) throw npe();
  if (typeof v !== 'boolean')
    throw platformError('System.TypeException', `Invalid conversion from runtime type ${typeName(v)} to Boolean`);
  return v;
}

export function reqBlob(v: ApexValue): ApexBlob {
  if (v === null || v === undefined) throw npe();
  if (!(v instanceof ApexBlob))
    throw platformError('System.TypeException', `Invalid conversion from runtime type ${typeName(v)} to Blob`);
  return v;
}

export function reqList(v: ApexValue): ApexList {
  if (v === null || v === undefined) throw npe();
  if (!(v instanceof ApexList))
    throw platformError('System.TypeException', `Invalid conversion from runtime type ${typeName(v)} to List<Object>`);
  return v;
}

export function native<S>(v: ApexValue, typeNameWanted: string): NativeInstance<S> {
  if (v === null || v === undefined) throw npe();
  if (!(v instanceof NativeInstance) || v.typeName.toLowerCase() !== typeNameWanted.toLowerCase()) {
    throw platformError(
      'System.TypeException',
      `Invalid conversion from runtime type ${typeName(v)} to ${typeNameWanted}`,
    );
  }
  return v as NativeInstance<S>;
}

export function display(rt: Runtime, v: ApexValue): string {
  return formatValue(rt, v);
}

export function list(elem: TypeRef, items: ApexValue[]): ApexList {
  return new ApexList(elem, items);
}

export function strList(items: string[]): ApexList {
  return new ApexList(T.String, items);
}

// ---------------------------------------------------------------------------------------------
// Enums
// ---------------------------------------------------------------------------------------------

export interface EnumState extends ValueKeyed {
  enumValue: string;
  ordinal: number;
}

/**
 * A native enum (RoundingMode, LoggingLevel, AccessType, Schema.DisplayType, ...): each value a NativeInstance
 * with value semantics, reachable as static properties; values(), valueOf(name), name(), ordinal().
 */
export function makeEnum(
  name: string,
  values: string[],
  aliases: string[] = [],
): NativeClass & { value(v: string): NativeInstance<EnumState> } {
  const instances = new Map<string, NativeInstance<EnumState>>();
  values.forEach((v, i) =>
    instances.set(
      v.toLowerCase(),
      new NativeInstance<EnumState>(name, { valueKey: v, display: v, enumValue: v, ordinal: i }),
    ),
  );
  const staticProps: Record<string, (rt: Runtime) => ApexValue> = {};
  for (const [k, inst] of instances) staticProps[k] = () => inst;
  const self = (s: ApexValue) => native<EnumState>(s, name).state;
  return {
    name,
    aliases,
    staticProps,
    statics: {
      values: () => new ApexList({ name }, [...instances.values()]),
      valueof: (_rt, args) => {
        const s = reqStr(args[0]);
        const found = instances.get(s.toLowerCase());
        // Enum.valueOf is case-sensitive on the platform and throws for unknown names.
        if (!found || found.state.enumValue !== s)
          throw platformError('System.NoSuchElementException', `No enum constant ${name}.${s}`);
        return found;
      },
    },
    methods: {
      name: (_rt, _a, s) => self(s).enumValue,
      ordinal: (_rt, _a, s) => self(s).ordinal,
      tostring: (_rt, _a, s) => self(s).enumValue,
      hashcode: (_rt, _a, s) => javaStringHash(self(s).enumValue),
      equals: (_rt, a, s) =>
        a[0] instanceof NativeInstance &&
        a[0].typeName === name &&
        (a[0].state as EnumState).enumValue === self(s).enumValue,
    },
    superTypes: ['object'],
    value(v: string) {
      const inst = instances.get(v.toLowerCase());
      if (!inst) throw new Error(`internal: no enum value ${name}.${v}`);
      return inst;
    },
  };
}

export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

export function enumName(v: ApexValue): string | null {
  if (v === null) return null;
  if (v instanceof NativeInstance && typeof (v.state as EnumState)?.enumValue === 'string')
    return (v.state as EnumState).enumValue;
  if (typeof v === 'string') return v;
  throw platformError('System.TypeException', `Expected an enum value, got ${typeName(v)}`);
}

// ---------------------------------------------------------------------------------------------
// Type tokens (X.class, Type.forName)
// ---------------------------------------------------------------------------------------------

export interface TypeTokenState extends ValueKeyed {
  type: TypeRef;
}

/** The value of `X.class` / Type.forName('X'): a System.Type with value equality. */
export function typeToken(t: TypeRef): NativeInstance<TypeTokenState> {
  const s = typeToString(t);
  return new NativeInstance<TypeTokenState>('System.Type', { valueKey: s.toLowerCase(), display: s, type: t });
}

export function typeOfToken(v: ApexValue): TypeRef {
  return native<TypeTokenState>(v, 'System.Type').state.type;
}

// ---------------------------------------------------------------------------------------------
// Per-transaction state of the library (RestContext, callout time, ...)
// ---------------------------------------------------------------------------------------------

export interface StdlibState {
  restRequest: ApexValue;
  restResponse: ApexValue;
  calloutMs: number;
  savepoints: number;
}

const states = new WeakMap<object, StdlibState>();

export function stateOf(rt: Runtime): StdlibState {
  let s = states.get(rt);
  if (!s) {
    s = { restRequest: null, restResponse: null, calloutMs: 0, savepoints: 0 };
    states.set(rt, s);
  }
  return s;
}

export function isApexInstance(v: ApexValue): v is ApexInstance {
  return v instanceof ApexInstance;
}

export type { NativeFn };

/**
 * A read the platform does not count against SOQL limits (custom settings/metadata statics, UserInfo details):
 * system mode, countLimits=false. Uses the database's uncounted `queryRecords` when it has one (LocalDatabase does),
 * since DatabaseApi.query may not honour countLimits yet.
 */
export function systemQuery(rt: Runtime, soql: string): import('../core/values.js').SObjectValue[] {
  const db = rt.db as Runtime['db'] & {
    queryRecords?: (soql: string, opts?: object) => import('../core/values.js').SObjectValue[];
  };
  if (typeof db.queryRecords === 'function') return db.queryRecords(soql, { userMode: false });
  const r = rt.db.query(soql, { userMode: false, bind: () => null, countLimits: false });
  return typeof r === 'number' ? [] : (r.items as import('../core/values.js').SObjectValue[]);
}
