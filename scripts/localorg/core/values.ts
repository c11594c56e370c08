/**
 * The local org's runtime value model, shared by the interpreter, the standard library and the database.
 *
 * Mapping of Apex types to JavaScript:
 *   null -> null, Boolean -> boolean, Integer -> number (always a 32-bit int), Long -> bigint,
 *   String -> string, Double -> ApexDouble, Decimal -> ApexDecimal (decimal.js, keeps scale),
 *   Id -> ApexId (always 18 chars), Date/Datetime/Time -> ApexDate/ApexDatetime/ApexTime,
 *   Blob -> ApexBlob, List/Set/Map -> ApexList/ApexSet/ApexMap, SObjects -> SObjectValue,
 *   instances of Apex classes -> ApexInstance, instances of native library classes (HttpRequest, ...) -> NativeInstance.
 * Every value knows its runtime Apex type (see runtimeTypeOf in ops.ts), so instanceof, casts, equality,
 * String.valueOf and typed JSON work without static information.
 */
import Decimal from 'decimal.js';
import { PlatformError } from './errors.js';
import { fastClasses } from './fast-classes.js';

/** An Apex type reference. `name` is canonical-cased ('Integer', 'List', 'Account', 'Outer.Inner', 'Database.SaveResult'). */
export interface TypeRef {
  name: string;
  args?: TypeRef[];
}

export const T = {
  Object: { name: 'Object' } as TypeRef,
  String: { name: 'String' } as TypeRef,
  Integer: { name: 'Integer' } as TypeRef,
  Long: { name: 'Long' } as TypeRef,
  Double: { name: 'Double' } as TypeRef,
  Decimal: { name: 'Decimal' } as TypeRef,
  Boolean: { name: 'Boolean' } as TypeRef,
  Id: { name: 'Id' } as TypeRef,
  Date: { name: 'Date' } as TypeRef,
  Datetime: { name: 'Datetime' } as TypeRef,
  Time: { name: 'Time' } as TypeRef,
  Blob: { name: 'Blob' } as TypeRef,
  SObject: { name: 'SObject' } as TypeRef,
  list: (e: TypeRef): TypeRef => ({ name: 'List', args: [e] }),
  set: (e: TypeRef): TypeRef => ({ name: 'Set', args: [e] }),
  map: (k: TypeRef, v: TypeRef): TypeRef => ({ name: 'Map', args: [k, v] }),
};

export function typeToString(t: TypeRef): string {
  return t.args && t.args.length ? `${t.name}<${t.args.map(typeToString).join(', ')}>` : t.name;
}

export class ApexDouble {
  constructor(public readonly v: number) {}
}

export class ApexDecimal {
  /**
   * decimal.js drops trailing zeros ('1.50' -> 1.5), so the Apex scale travels beside the value.
   * `scale` undefined means "the digits the value needs" (see decimalScale in ops.ts).
   */
  constructor(
    public readonly v: Decimal,
    public readonly scale?: number,
  ) {}
  static of(x: string | number | Decimal, scale?: number): ApexDecimal {
    if (scale === undefined && typeof x === 'string') {
      const m = /^[+-]?\d*(?:\.(\d*))?$/.exec(x.trim());
      if (m) scale = m[1] ? m[1].length : 0;
    }
    return new ApexDecimal(new Decimal(x), scale);
  }
}

/** An Id. `value` is always the 18-character form; comparisons use it. */
export class ApexId {
  constructor(public readonly value: string) {}
  get keyPrefix(): string {
    return this.value.substring(0, 3);
  }
}

/** A Date (no time zone). Month is 1-12. */
export class ApexDate {
  constructor(
    public readonly year: number,
    public readonly month: number,
    public readonly day: number,
  ) {}
}

/** A Datetime: an instant, milliseconds since the epoch (UTC). */
export class ApexDatetime {
  constructor(public readonly ms: number) {}
}

/** A Time of day in milliseconds since midnight. */
export class ApexTime {
  constructor(public readonly ms: number) {}
}

export class ApexBlob {
  constructor(public readonly bytes: Buffer) {}
}

export class ApexList {
  constructor(
    public elemType: TypeRef,
    public items: ApexValue[] = [],
  ) {}
}

/**
 * Set and Map keep insertion order and key by `keyOf` (ops.ts): by value for primitives, SObjects and
 * collections (String keys case-sensitive), by equals/hashCode for Apex classes that define them, else by reference.
 */
export class ApexSet {
  readonly entries = new Map<string, ApexValue>();
  constructor(public elemType: TypeRef) {}
}

export class ApexMap {
  readonly entries = new Map<string, [ApexValue, ApexValue]>();
  constructor(
    public keyType: TypeRef,
    public valueType: TypeRef,
  ) {}
}

/**
 * A record. `fields` is keyed by lower-cased API name and keeps the canonical name; parent relationships
 * (`User__r`) hold an SObjectValue, child relationships an ApexList. `fromQuery` records whether the row
 * came from SOQL, in which case reading a field that was not selected is an SObjectException.
 */
export class SObjectValue {
  readonly fields = new Map<string, { name: string; value: ApexValue }>();
  fromQuery = false;
  /** Errors added with addError during a DML; owned by the database. */
  errors: { field?: string; message: string }[] = [];
  /**
   * Set by the database on Trigger.new in after triggers and on every Trigger.old record: writing a field then throws
   * System.FinalException "Record is read-only" (Apex Developer Guide, Context Variable Considerations). Added by database.
   */
  readOnly = false;
  constructor(public readonly sobjectType: string) {}
  has(field: string): boolean {
    return this.fields.has(field.toLowerCase());
  }
  getRaw(field: string): ApexValue | undefined {
    return this.fields.get(field.toLowerCase())?.value;
  }
  setRaw(field: string, value: ApexValue): void {
    if (this.readOnly) throw new PlatformError('System.FinalException', 'Record is read-only');
    const key = field.toLowerCase();
    const existing = this.fields.get(key);
    this.fields.set(key, { name: existing?.name ?? field, value });
  }
  get id(): ApexId | null {
    const v = this.getRaw('Id');
    return v instanceof ApexId ? v : null;
  }
}

/** An instance of an Apex class (including exceptions). `cls` is the interpreter's class object. */
export class ApexInstance {
  readonly fields = new Map<string, ApexValue>();
  constructor(public readonly cls: ApexClassRef) {}
}

/** What the rest of the runtime may know of an interpreter class without importing the interpreter. */
export interface ApexClassRef {
  /** Canonical full name, 'Outer.Inner'. */
  readonly name: string;
  /** Names of this class, its superclasses and every interface it implements, lower-cased. */
  isA(typeNameLower: string): boolean;
}

/** An instance of a library class implemented in TypeScript (HttpRequest, Database.SaveResult, ...). */
export class NativeInstance<S = unknown> {
  constructor(
    public readonly typeName: string,
    public state: S,
  ) {}
}

export type ApexValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | ApexDouble
  | ApexDecimal
  | ApexId
  | ApexDate
  | ApexDatetime
  | ApexTime
  | ApexBlob
  | ApexList
  | ApexSet
  | ApexMap
  | SObjectValue
  | ApexInstance
  | NativeInstance;

fastClasses(
  ApexDouble,
  ApexDecimal,
  ApexId,
  ApexDate,
  ApexDatetime,
  ApexTime,
  ApexBlob,
  ApexList,
  ApexSet,
  ApexMap,
  SObjectValue,
  ApexInstance,
  NativeInstance,
);
