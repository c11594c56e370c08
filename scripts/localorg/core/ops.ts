/**
 * Operations on runtime values that the interpreter, the standard library and the database share:
 * runtime types, instanceof, Apex `==`, Set/Map keys, String.valueOf formatting and conversions.
 * Rules follow the Apex Developer Guide; each is cited where it is encoded, with a conformance program in
 * scripts/localorg/conformance (see scripts/localorg/README.md).
 */
import Decimal from 'decimal.js';
import {
  ApexBlob,
  ApexDate,
  ApexDatetime,
  ApexDecimal,
  ApexDouble,
  ApexId,
  ApexInstance,
  ApexList,
  ApexMap,
  ApexSet,
  ApexTime,
  NativeInstance,
  SObjectValue,
  T,
  typeToString,
  type ApexValue,
  type TypeRef,
} from './values.js';
import { platformError } from './errors.js';
import type { Runtime } from './runtime.js';
import { findNativeClass } from '../stdlib/registry.js';

// ---------------------------------------------------------------------------------------------
// Conventions for NativeInstance state
// ---------------------------------------------------------------------------------------------

/**
 * A NativeInstance whose state has `valueKey` compares and hashes by value (typeName + valueKey) instead of by
 * reference: enum values, SObjectType/SObjectField tokens, Type tokens. `display` is what String.valueOf prints.
 * Enum values (native ones, and the interpreter's user enums if it chooses this form) use
 * `new NativeInstance(enumTypeName, { valueKey: 'HALF_UP', display: 'HALF_UP', enumValue: 'HALF_UP', ordinal: 3 })`.
 */
export interface ValueKeyed {
  valueKey: string;
  display?: string;
}

export function isValueKeyed(s: unknown): s is ValueKeyed {
  return typeof s === 'object' && s !== null && typeof (s as ValueKeyed).valueKey === 'string';
}

// ---------------------------------------------------------------------------------------------
// Runtime types
// ---------------------------------------------------------------------------------------------

const PRIMITIVES = new Set([
  'object',
  'string',
  'integer',
  'long',
  'double',
  'decimal',
  'boolean',
  'id',
  'date',
  'datetime',
  'time',
  'blob',
  'sobject',
]);

/** Lower-cased type name without a redundant 'System.' / 'Schema.' prefix on primitives. */
function normTypeName(name: string): string {
  let n = name.trim().toLowerCase();
  if (n.startsWith('system.') && PRIMITIVES.has(n.slice(7))) n = n.slice(7);
  if (n.startsWith('schema.') && n.slice(7) === 'sobject') n = 'sobject';
  return n;
}

export function runtimeTypeOf(v: ApexValue): TypeRef {
  if (v === null) return T.Object;
  switch (typeof v) {
    case 'boolean':
      return T.Boolean;
    case 'number':
      return T.Integer;
    case 'bigint':
      return T.Long;
    case 'string':
      return T.String;
  }
  if (v instanceof ApexDouble) return T.Double;
  if (v instanceof ApexDecimal) return T.Decimal;
  if (v instanceof ApexId) return T.Id;
  if (v instanceof ApexDate) return T.Date;
  if (v instanceof ApexDatetime) return T.Datetime;
  if (v instanceof ApexTime) return T.Time;
  if (v instanceof ApexBlob) return T.Blob;
  if (v instanceof ApexList) return T.list(v.elemType);
  if (v instanceof ApexSet) return T.set(v.elemType);
  if (v instanceof ApexMap) return T.map(v.keyType, v.valueType);
  if (v instanceof SObjectValue) return { name: v.sobjectType };
  if (v instanceof ApexInstance) return { name: v.cls.name };
  if (v instanceof NativeInstance) return { name: v.typeName };
  return T.Object;
}

function isSObjectTypeName(rt: Runtime | null, name: string): boolean {
  const n = normTypeName(name);
  if (n === 'sobject') return true;
  if (!rt) return /__(c|mdt|e|x|b|kav|share|history)$/i.test(name);
  return rt.schema.getObject(name) !== undefined;
}

/**
 * Whether a value of static/runtime type `from` can be used where `to` is expected, for collection element types
 * (List<Account> is a List<SObject> and a List<Object>). Apex class hierarchies are not known from TypeRefs alone,
 * so user classes match by name only.
 */
export function typeAssignable(rt: Runtime | null, from: TypeRef, to: TypeRef): boolean {
  const f = normTypeName(from.name);
  const t = normTypeName(to.name);
  if (t === 'object') return true;
  if (t === 'sobject') return isSObjectTypeName(rt, from.name);
  if (t === 'string' && f === 'id') return true;
  if (f !== t) {
    const nc = findNativeClass(from.name);
    if (!nc || (findNativeClass(to.name) !== nc && !(nc.superTypes ?? []).includes(t))) return false;
  }
  const fa = from.args ?? [];
  const ta = to.args ?? [];
  if (ta.length === 0 || fa.length === 0) return true;
  if (fa.length !== ta.length) return false;
  return fa.every((a, i) => typeAssignable(rt, a, ta[i]));
}

/** Apex `instanceof` and the check behind casts. null is an instance of nothing. */
export function isInstanceOf(rt: Runtime | null, v: ApexValue, t: TypeRef): boolean {
  if (v === null) return false;
  const tn = normTypeName(t.name);
  if (tn === 'object') return true;
  switch (tn) {
    case 'string':
      return typeof v === 'string' || v instanceof ApexId;
    case 'id':
      // `(Object) '001...' instanceof Id` is true for a well-formed Id string (a common validation idiom).
      return v instanceof ApexId || (typeof v === 'string' && tryToId(v) !== null);
    case 'integer':
      return typeof v === 'number';
    case 'long':
      return typeof v === 'bigint';
    case 'double':
      return v instanceof ApexDouble;
    case 'decimal':
      return v instanceof ApexDecimal;
    case 'boolean':
      return typeof v === 'boolean';
    case 'date':
      return v instanceof ApexDate;
    case 'datetime':
      return v instanceof ApexDatetime;
    case 'time':
      return v instanceof ApexTime;
    case 'blob':
      return v instanceof ApexBlob;
    case 'sobject':
      return v instanceof SObjectValue;
    case 'list':
      return v instanceof ApexList && elemArgsMatch(rt, [v.elemType], t.args);
    case 'set':
      return v instanceof ApexSet && elemArgsMatch(rt, [v.elemType], t.args);
    case 'map':
      return v instanceof ApexMap && elemArgsMatch(rt, [v.keyType, v.valueType], t.args);
  }
  if (v instanceof SObjectValue)
    return normTypeName(v.sobjectType) === tn || normTypeName(`schema.${v.sobjectType}`) === tn;
  if (v instanceof ApexInstance) return v.cls.isA(tn) || v.cls.isA(t.name.toLowerCase());
  if (v instanceof NativeInstance) {
    if (normTypeName(v.typeName) === tn) return true;
    const nc = findNativeClass(v.typeName);
    if (!nc) return false;
    const target = findNativeClass(t.name);
    if (target === nc) return true;
    const supers = nc.superTypes ?? [];
    return supers.includes(tn) || (target !== undefined && supers.includes(target.name.toLowerCase()));
  }
  return false;
}

function elemArgsMatch(rt: Runtime | null, actual: TypeRef[], wanted: TypeRef[] | undefined): boolean {
  if (!wanted || wanted.length === 0) return true;
  return actual.every((a, i) => typeAssignable(rt, a, wanted[i] ?? T.Object));
}

// ---------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------

export function isNumeric(v: ApexValue): v is number | bigint | ApexDouble | ApexDecimal {
  return typeof v === 'number' || typeof v === 'bigint' || v instanceof ApexDouble || v instanceof ApexDecimal;
}

/** The scale of a Decimal: the one it carries, else the digits its value needs. */
export function decimalScale(d: ApexDecimal): number {
  return d.scale ?? Math.max(0, d.v.decimalPlaces());
}

export function toDecimalJs(v: number | bigint | ApexDouble | ApexDecimal): Decimal {
  if (typeof v === 'number') return new Decimal(v);
  if (typeof v === 'bigint') return new Decimal(v.toString());
  if (v instanceof ApexDouble) return new Decimal(v.v);
  return v.v;
}

/** Wraps to 32 bits like Java int. */
export function int32(n: number): number {
  return n | 0;
}

export function int64(n: bigint): bigint {
  return BigInt.asIntN(64, n);
}

/** Integer from any number (Decimal/Double truncate toward zero, Long wraps), as Integer.valueOf / intValue. */
export function toInteger(v: ApexValue): number | null {
  if (v === null) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(BigInt.asIntN(32, v));
  if (v instanceof ApexDouble) return doubleToInt(v.v);
  if (v instanceof ApexDecimal) return Number(BigInt.asIntN(32, BigInt(v.v.trunc().toFixed(0))));
  throw platformError(
    'System.TypeException',
    `Invalid conversion from runtime type ${typeToString(runtimeTypeOf(v))} to Integer`,
  );
}

function doubleToInt(x: number): number {
  // Java (int) cast: NaN -> 0, saturates at the int range.
  if (Number.isNaN(x)) return 0;
  if (x >= 2147483647) return 2147483647;
  if (x <= -2147483648) return -2147483648;
  return Math.trunc(x);
}

export function toLong(v: ApexValue): bigint | null {
  if (v === null) return null;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  if (v instanceof ApexDouble) {
    const x = v.v;
    if (Number.isNaN(x)) return 0n;
    if (x >= 9.223372036854776e18) return 9223372036854775807n;
    if (x <= -9.223372036854776e18) return -9223372036854775808n;
    return BigInt(Math.trunc(x));
  }
  if (v instanceof ApexDecimal) return BigInt.asIntN(64, BigInt(v.v.trunc().toFixed(0)));
  throw platformError(
    'System.TypeException',
    `Invalid conversion from runtime type ${typeToString(runtimeTypeOf(v))} to Long`,
  );
}

export function toDouble(v: ApexValue): ApexDouble | null {
  if (v === null) return null;
  if (v instanceof ApexDouble) return v;
  if (typeof v === 'number') return new ApexDouble(v);
  if (typeof v === 'bigint') return new ApexDouble(Number(v));
  if (v instanceof ApexDecimal) return new ApexDouble(v.v.toNumber());
  throw platformError(
    'System.TypeException',
    `Invalid conversion from runtime type ${typeToString(runtimeTypeOf(v))} to Double`,
  );
}

export function toDecimal(v: ApexValue): ApexDecimal | null {
  if (v === null) return null;
  if (v instanceof ApexDecimal) return v;
  if (typeof v === 'number') return new ApexDecimal(new Decimal(v), 0);
  if (typeof v === 'bigint') return new ApexDecimal(new Decimal(v.toString()), 0);
  if (v instanceof ApexDouble) {
    if (!Number.isFinite(v.v))
      throw platformError('System.TypeException', `Invalid conversion from runtime type Double to Decimal`);
    // Decimal.valueOf(Double) uses the Double's shortest decimal representation (1.1 -> 1.1, not 1.1000000000000000888).
    const s = formatDouble(v.v);
    return ApexDecimal.of(/E/.test(s) ? new Decimal(s.replace('E', 'e')).toFixed() : s);
  }
  throw platformError(
    'System.TypeException',
    `Invalid conversion from runtime type ${typeToString(runtimeTypeOf(v))} to Decimal`,
  );
}

/** JavaScript number of any numeric value (for comparisons). */
export function toJsNumber(v: number | bigint | ApexDouble | ApexDecimal): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof ApexDouble) return v.v;
  return v.v.toNumber();
}

/** Numeric comparison across Integer/Long/Double/Decimal: -1, 0, 1 (NaN compares as 0 with itself). */
export function compareNumbers(
  a: number | bigint | ApexDouble | ApexDecimal,
  b: number | bigint | ApexDouble | ApexDecimal,
): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof ApexDouble || b instanceof ApexDouble) {
    const x = toJsNumber(a);
    const y = toJsNumber(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return toDecimalJs(a).comparedTo(toDecimalJs(b));
}

// ---------------------------------------------------------------------------------------------
// Ids
// ---------------------------------------------------------------------------------------------

const CHECKSUM_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 3-character suffix of an 18-character Id: one char per 5-char chunk, bit i set when char i is upper case. */
export function idChecksum(id15: string): string {
  let out = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    out += CHECKSUM_CHARS[bits];
  }
  return out;
}

/** The 18-char Id for a 15/18-char string, or null when it is not a well-formed Id. */
export function tryToId(s: string): ApexId | null {
  if (!/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(s)) return null;
  let base = s.substring(0, 15);
  if (s.length === 18) {
    // The suffix records the case of the first 15 chars, so an 18-char Id is case-insensitive: restore the case.
    const suffix = s.substring(15).toUpperCase();
    let restored = '';
    for (let chunk = 0; chunk < 3; chunk++) {
      const bits = CHECKSUM_CHARS.indexOf(suffix[chunk]);
      if (bits < 0) return null;
      for (let i = 0; i < 5; i++) {
        const ch = base[chunk * 5 + i];
        restored += bits & (1 << i) ? ch.toUpperCase() : /[a-z]/i.test(ch) ? ch.toLowerCase() : ch;
      }
    }
    // A letter flagged upper case must be a letter; a digit flagged upper case is a corrupt suffix.
    for (let i = 0; i < 15; i++) {
      const bits = CHECKSUM_CHARS.indexOf(suffix[Math.floor(i / 5)]);
      if (bits & (1 << (i % 5)) && !/[a-zA-Z]/.test(base[i])) return null;
    }
    base = restored;
  }
  return new ApexId(base + idChecksum(base));
}

/** String -> Id as assignment and Id.valueOf do it: System.StringException "Invalid id: x" when malformed. */
export function toId(_rt: Runtime | null, s: string | ApexId): ApexId {
  if (s instanceof ApexId) return s;
  const id = tryToId(s);
  if (!id) throw platformError('System.StringException', `Invalid id: ${s}`);
  return id;
}

// ---------------------------------------------------------------------------------------------
// Equality and keys
// ---------------------------------------------------------------------------------------------

function hasUserMethod(rt: Runtime, v: ApexInstance, name: string): boolean {
  try {
    return rt.interp.hasMethod(v, name);
  } catch {
    return false;
  }
}

/** Apex `==`: Strings case-insensitive, Ids by 18-char value, numbers across types, SObjects/collections by value. */
export function equalsValue(rt: Runtime, a: ApexValue, b: ApexValue): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (typeof a === 'string' || typeof b === 'string' || a instanceof ApexId || b instanceof ApexId) {
    if (a instanceof ApexId && b instanceof ApexId) return a.value === b.value;
    if (a instanceof ApexId && typeof b === 'string') return idEqualsString(a, b);
    if (b instanceof ApexId && typeof a === 'string') return idEqualsString(b, a);
    if (typeof a === 'string' && typeof b === 'string')
      return a.length === b.length && a.toLowerCase() === b.toLowerCase();
    return false;
  }
  if (isNumeric(a) && isNumeric(b)) {
    if (a instanceof ApexDouble && Number.isNaN(a.v)) return false;
    return compareNumbers(a, b) === 0;
  }
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b;
  if (a instanceof ApexDate && b instanceof ApexDate)
    return a.year === b.year && a.month === b.month && a.day === b.day;
  if (a instanceof ApexDatetime && b instanceof ApexDatetime) return a.ms === b.ms;
  if (a instanceof ApexTime && b instanceof ApexTime) return a.ms === b.ms;
  if (a instanceof ApexBlob && b instanceof ApexBlob) return a.bytes.equals(b.bytes);
  if (a instanceof ApexList && b instanceof ApexList) {
    return a.items.length === b.items.length && a.items.every((x, i) => equalsValue(rt, x, b.items[i]));
  }
  if (a instanceof ApexSet && b instanceof ApexSet) {
    if (a.entries.size !== b.entries.size) return false;
    for (const k of a.entries.keys()) if (!b.entries.has(k)) return false;
    return true;
  }
  if (a instanceof ApexMap && b instanceof ApexMap) {
    if (a.entries.size !== b.entries.size) return false;
    for (const [k, [, va]] of a.entries) {
      const eb = b.entries.get(k);
      if (!eb || !equalsValue(rt, va, eb[1])) return false;
    }
    return true;
  }
  if (a instanceof SObjectValue && b instanceof SObjectValue) return sobjectEquals(rt, a, b);
  if (a instanceof ApexInstance) {
    if (hasUserMethod(rt, a, 'equals')) return rt.interp.callMethod(a, 'equals', [b]) === true;
    return false;
  }
  if (a instanceof NativeInstance && b instanceof NativeInstance) {
    if (isValueKeyed(a.state) && isValueKeyed(b.state))
      return normTypeName(a.typeName) === normTypeName(b.typeName) && a.state.valueKey === b.state.valueKey;
    return false;
  }
  return false;
}

function idEqualsString(id: ApexId, s: string): boolean {
  const other = tryToId(s);
  return other !== null && other.value === id.value;
}

/** Two records are equal when they have the same type and the same non-null field values. */
function sobjectEquals(rt: Runtime, a: SObjectValue, b: SObjectValue): boolean {
  if (a.sobjectType.toLowerCase() !== b.sobjectType.toLowerCase()) return false;
  const fa = [...a.fields].filter(([, f]) => f.value !== null);
  const fb = [...b.fields].filter(([, f]) => f.value !== null);
  if (fa.length !== fb.length) return false;
  for (const [k, f] of fa) {
    const other = b.fields.get(k);
    if (!other || !equalsValue(rt, f.value, other.value)) return false;
  }
  return true;
}

const refIds = new WeakMap<object, number>();
let nextRefId = 1;
function refKey(o: object): string {
  let id = refIds.get(o);
  if (id === undefined) {
    id = nextRefId++;
    refIds.set(o, id);
  }
  return `r:${id}`;
}

function numberKey(v: number | bigint | ApexDouble | ApexDecimal): string {
  if (v instanceof ApexDouble && !Number.isFinite(v.v)) return `n:${v.v}`;
  // 1, 1L, 1.0 and 1.00 are equal values: one key (Decimal equality ignores scale).
  const d = toDecimalJs(v);
  return `n:${d.isZero() ? '0' : d.toString()}`;
}

/**
 * The key of a value in a Set or Map. String keys are case-sensitive; Ids use the 18-char form (so an Id and its
 * String are the same key); records and collections by value. Apex objects that define hashCode key by it; use
 * `collectionKey` to also resolve equals() among objects with the same hash.
 */
export function keyOf(rt: Runtime, v: ApexValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') {
    // An Id-shaped String and the Id are the same key only when the map/set is typed Id (callers coerce first).
    return `s:${v}`;
  }
  if (v instanceof ApexId) return `s:${v.value}`;
  if (typeof v === 'boolean') return `b:${v}`;
  if (isNumeric(v)) return numberKey(v);
  if (v instanceof ApexDate) return `D:${formatDate(v)}`;
  if (v instanceof ApexDatetime) return `DT:${v.ms}`;
  if (v instanceof ApexTime) return `T:${v.ms}`;
  if (v instanceof ApexBlob) return `B:${v.bytes.toString('hex')}`;
  if (v instanceof ApexList) return `L(${v.items.map((x) => keyOf(rt, x)).join('|')})`;
  if (v instanceof ApexSet) return `S{${[...v.entries.keys()].sort().join('|')}}`;
  if (v instanceof ApexMap) {
    return `M{${[...v.entries]
      .map(([k, [, val]]) => `${k}=${keyOf(rt, val)}`)
      .sort()
      .join('|')}}`;
  }
  if (v instanceof SObjectValue) {
    const parts = [...v.fields]
      .filter(([, f]) => f.value !== null)
      .map(([k, f]) => `${k}=${keyOf(rt, f.value)}`)
      .sort();
    return `O:${v.sobjectType.toLowerCase()}{${parts.join('|')}}`;
  }
  if (v instanceof ApexInstance) {
    if (hasUserMethod(rt, v, 'hashCode') && hasUserMethod(rt, v, 'equals')) {
      const h = rt.interp.callMethod(v, 'hashCode', []);
      return `h:${v.cls.name.toLowerCase()}:${String(h)}`;
    }
    return refKey(v);
  }
  if (v instanceof NativeInstance) {
    if (isValueKeyed(v.state)) return `V:${normTypeName(v.typeName)}:${v.state.valueKey}`;
    return refKey(v);
  }
  return refKey(v as object);
}

/**
 * The entry key to use for `v` in a Set/Map's entries: like keyOf, but for Apex objects with hashCode/equals
 * it walks the objects sharing the hash and calls equals(), so unequal objects with equal hashes stay apart.
 * `valueOfEntry` gets the stored key value from an entry.
 */
export function collectionKey<E>(
  rt: Runtime,
  entries: Map<string, E>,
  v: ApexValue,
  valueOfEntry: (e: E) => ApexValue,
): string {
  const base = keyOf(rt, v);
  if (!base.startsWith('h:')) return base;
  for (let i = 0; ; i++) {
    const k = i === 0 ? base : `${base}#${i}`;
    const e = entries.get(k);
    if (e === undefined) return k;
    if (equalsValue(rt, v, valueOfEntry(e))) return k;
  }
}

// ---------------------------------------------------------------------------------------------
// Formatting (String.valueOf / System.debug)
// ---------------------------------------------------------------------------------------------

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

export function formatDate(d: ApexDate): string {
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
}

/** Datetime as String.valueOf prints it: 'yyyy-MM-dd HH:mm:ss' in GMT. */
export function formatDatetimeGmt(d: ApexDatetime): string {
  const x = new Date(d.ms);
  return `${pad(x.getUTCFullYear(), 4)}-${pad(x.getUTCMonth() + 1)}-${pad(x.getUTCDate())} ${pad(x.getUTCHours())}:${pad(x.getUTCMinutes())}:${pad(x.getUTCSeconds())}`;
}

/** Time as String.valueOf prints it: 'HH:mm:ss.SSSZ'. */
export function formatTime(t: ApexTime): string {
  const ms = ((t.ms % 86400000) + 86400000) % 86400000;
  const h = Math.floor(ms / 3600000);
  const m = Math.floor((ms % 3600000) / 60000);
  const s = Math.floor((ms % 60000) / 1000);
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}Z`;
}

/** Java's Double.toString: plain between 1e-3 and 1e7 (always with a '.'), else 'd.dddE±n'. */
export function formatDouble(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const ax = Math.abs(x);
  if (ax >= 1e-3 && ax < 1e7) {
    const s = String(x);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mant, exp] = x.toExponential().split('e');
  const m = mant.includes('.') ? mant : `${mant}.0`;
  return `${m}E${exp.startsWith('+') ? exp.slice(1) : exp}`;
}

/** Decimal with its scale ('1.50' stays '1.50'); plain notation. */
export function formatDecimal(d: ApexDecimal): string {
  const scale = decimalScale(d);
  if (scale >= 0) return d.v.toFixed(scale);
  return d.v.toFixed(0);
}

export function formatValue(rt: Runtime, v: ApexValue, depth = 0): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return v;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return String(v);
    case 'bigint':
      return v.toString();
  }
  if (depth > 10) return '...';
  if (v instanceof ApexDouble) return formatDouble(v.v);
  if (v instanceof ApexDecimal) return formatDecimal(v);
  if (v instanceof ApexId) return v.value;
  if (v instanceof ApexDate) return formatDate(v);
  if (v instanceof ApexDatetime) return formatDatetimeGmt(v);
  if (v instanceof ApexTime) return formatTime(v);
  if (v instanceof ApexBlob) return `Blob[${v.bytes.length}]`;
  if (v instanceof ApexList) return `(${v.items.map((x) => formatValue(rt, x, depth + 1)).join(', ')})`;
  if (v instanceof ApexSet) return `{${[...v.entries.values()].map((x) => formatValue(rt, x, depth + 1)).join(', ')}}`;
  if (v instanceof ApexMap) {
    return `{${[...v.entries.values()].map(([k, x]) => `${formatValue(rt, k, depth + 1)}=${formatValue(rt, x, depth + 1)}`).join(', ')}}`;
  }
  if (v instanceof SObjectValue) {
    const parts = [...v.fields.values()].map((f) => `${f.name}=${formatValue(rt, f.value, depth + 1)}`);
    return `${v.sobjectType}:{${parts.join(', ')}}`;
  }
  if (v instanceof ApexInstance) {
    if (hasUserMethod(rt, v, 'toString')) {
      const s = rt.interp.callMethod(v, 'toString', []);
      return s === null ? 'null' : formatValue(rt, s, depth + 1);
    }
    if (v.cls.isA('exception')) {
      const tn = rt.interp.callMethod(v, 'getTypeName', []);
      const msg = rt.interp.callMethod(v, 'getMessage', []);
      return `${formatValue(rt, tn, depth + 1)}: ${formatValue(rt, msg, depth + 1)}`;
    }
    const parts = [...v.fields].map(([k, x]) => `${k}=${formatValue(rt, x, depth + 1)}`);
    // An inner class shows its own name, without the outer class (`Inner:[...]`, not `Outer.Inner:[...]`): libraries
    // that take the class name from String.valueOf(this) rely on it (Salesforce Stack Exchange, "Can I determine the
    // class name of an object instance at run time?", questions/3385: `MyClass:[]`, inner classes likewise).
    const name = v.cls.name.slice(v.cls.name.lastIndexOf('.') + 1);
    return `${name}:[${parts.join(', ')}]`;
  }
  if (v instanceof NativeInstance) {
    const nc = findNativeClass(v.typeName);
    const ts = nc?.methods?.['tostring'];
    if (ts) return formatValue(rt, ts(rt, [], v), depth + 1);
    if (isValueKeyed(v.state)) return v.state.display ?? v.state.valueKey;
    return `${v.typeName}:[]`;
  }
  return String(v);
}

// ---------------------------------------------------------------------------------------------
// Coercion to a declared type (assignment, parameter passing, collection element types)
// ---------------------------------------------------------------------------------------------

/**
 * Converts `v` to the declared type `t` where Apex converts implicitly: Integer -> Long/Double/Decimal,
 * Long -> Double/Decimal, Double <-> Decimal, String -> Id (validated), Id -> String. Other values pass unchanged
 * (the caller checks assignability with isInstanceOf when it needs to).
 */
export function coerceTo(rt: Runtime | null, v: ApexValue, t: TypeRef | undefined): ApexValue {
  if (v === null || !t) return v;
  switch (normTypeName(t.name)) {
    case 'long':
      return typeof v === 'number' ? BigInt(v) : v;
    case 'double':
      return typeof v === 'number' || typeof v === 'bigint' || v instanceof ApexDecimal ? toDouble(v) : v;
    case 'decimal':
      return typeof v === 'number' || typeof v === 'bigint' || v instanceof ApexDouble ? toDecimal(v) : v;
    case 'id':
      return typeof v === 'string' ? toId(rt, v) : v;
    case 'string':
      return v instanceof ApexId ? v.value : v;
  }
  return v;
}
