/**
 * List, Set and Map. Sets and Maps key by ops.keyOf (String keys case-sensitive, Ids by 18-char value, records and
 * collections by value, Apex objects by hashCode/equals when defined). List.contains/indexOf use the same equality
 * (String comparison case-sensitive, unlike `==`). Elements are coerced to the element type on the way in
 * (an Integer added to a List<Decimal> becomes a Decimal; a String key of a Map<Id, ...> becomes an Id).
 */
import { platformError } from '../core/errors.js';
import type { NativeClass, NativeFn, Runtime } from '../core/runtime.js';
import {
  ApexBlob,
  ApexDate,
  ApexDatetime,
  ApexId,
  ApexInstance,
  ApexList,
  ApexMap,
  ApexSet,
  ApexTime,
  NativeInstance,
  SObjectValue,
  T,
  type ApexValue,
  type TypeRef,
} from '../core/values.js';
import {
  coerceTo,
  collectionKey,
  compareNumbers,
  equalsValue,
  formatValue,
  isNumeric,
  keyOf,
  runtimeTypeOf,
} from '../core/ops.js';
import { npe, reqBool, reqInt, typeName, unsupported } from './util.js';

// ---------------------------------------------------------------------------------------------
// Helpers the interpreter can use for literals and for-each (exported from stdlib/index.ts)
// ---------------------------------------------------------------------------------------------

export function setKey(rt: Runtime, s: ApexSet, v: ApexValue): string {
  return collectionKey(rt, s.entries, v, (e) => e);
}

export function mapKey(rt: Runtime, m: ApexMap, k: ApexValue): string {
  // Describe maps (getGlobalDescribe, fields.getMap) look keys up case-insensitively.
  if ((m as ApexMap & { caseInsensitiveKeys?: boolean }).caseInsensitiveKeys && typeof k === 'string')
    k = k.toLowerCase();
  return collectionKey(rt, m.entries, k, (e) => e[0]);
}

/** Adds to a Set; true when it was not there. */
export function setAdd(rt: Runtime, s: ApexSet, v: ApexValue): boolean {
  const x = coerceTo(rt, v, s.elemType);
  const k = setKey(rt, s, x);
  if (s.entries.has(k)) return false;
  s.entries.set(k, x);
  return true;
}

export function setContains(rt: Runtime, s: ApexSet, v: ApexValue): boolean {
  return s.entries.has(setKey(rt, s, safeCoerce(rt, v, s.elemType)));
}

export function setRemove(rt: Runtime, s: ApexSet, v: ApexValue): boolean {
  return s.entries.delete(setKey(rt, s, safeCoerce(rt, v, s.elemType)));
}

/** Puts into a Map; returns the previous value (or null). */
export function mapPut(rt: Runtime, m: ApexMap, k: ApexValue, v: ApexValue): ApexValue {
  const kk = coerceTo(rt, k, m.keyType);
  const key = mapKey(rt, m, kk);
  const prev = m.entries.get(key);
  // The first key stays (Apex keeps the original key object when a value is replaced).
  m.entries.set(key, [prev ? prev[0] : kk, coerceTo(rt, v, m.valueType)]);
  return prev ? prev[1] : null;
}

export function mapGet(rt: Runtime, m: ApexMap, k: ApexValue): ApexValue {
  return m.entries.get(mapKey(rt, m, safeCoerce(rt, k, m.keyType)))?.[1] ?? null;
}

export function mapContainsKey(rt: Runtime, m: ApexMap, k: ApexValue): boolean {
  return m.entries.has(mapKey(rt, m, safeCoerce(rt, k, m.keyType)));
}

export function mapRemove(rt: Runtime, m: ApexMap, k: ApexValue): ApexValue {
  const key = mapKey(rt, m, safeCoerce(rt, k, m.keyType));
  const prev = m.entries.get(key);
  m.entries.delete(key);
  return prev ? prev[1] : null;
}

/** Looking up a malformed Id in a Map<Id, ...> finds nothing rather than throwing. */
function safeCoerce(rt: Runtime, v: ApexValue, t: TypeRef): ApexValue {
  try {
    return coerceTo(rt, v, t);
  } catch {
    return v;
  }
}

/** The elements of a List or Set (for addAll, constructors, String.join, for-each). */
export function iterableItems(v: ApexValue): ApexValue[] {
  if (v === null) throw npe();
  if (v instanceof ApexList) return v.items;
  if (v instanceof ApexSet) return [...v.entries.values()];
  throw platformError('System.TypeException', `Invalid conversion from runtime type ${typeName(v)} to Iterable`);
}

function listOf(v: ApexValue): ApexList {
  if (v === null) throw npe();
  return v as ApexList;
}
function setOf(v: ApexValue): ApexSet {
  if (v === null) throw npe();
  return v as ApexSet;
}
function mapOf(v: ApexValue): ApexMap {
  if (v === null) throw npe();
  return v as ApexMap;
}

function indexError(i: number): Error {
  return platformError('System.ListException', `List index out of bounds: ${i}`);
}

/** Element equality of List.contains/indexOf/equals: by key (case-sensitive Strings), or equals() of Apex objects. */
function sameElement(rt: Runtime, a: ApexValue, b: ApexValue): boolean {
  if (a instanceof ApexInstance || b instanceof ApexInstance) return equalsValue(rt, a, b);
  return keyOf(rt, a) === keyOf(rt, b);
}

// ---------------------------------------------------------------------------------------------
// Sorting
// ---------------------------------------------------------------------------------------------

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Default order of List.sort for primitives and records. */
export function compareForSort(rt: Runtime, a: ApexValue, b: ApexValue): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (typeof a === 'string' || a instanceof ApexId) {
    const x = a instanceof ApexId ? a.value : a;
    const y = b instanceof ApexId ? b.value : typeof b === 'string' ? b : formatValue(rt, b);
    return compareStrings(x, y);
  }
  if (isNumeric(a) && isNumeric(b)) return compareNumbers(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (a instanceof ApexDate && b instanceof ApexDate) return a.year - b.year || a.month - b.month || a.day - b.day;
  if (a instanceof ApexDatetime && b instanceof ApexDatetime) return Math.sign(a.ms - b.ms);
  if (a instanceof ApexTime && b instanceof ApexTime) return Math.sign(a.ms - b.ms);
  if (a instanceof SObjectValue && b instanceof SObjectValue) return compareSObjects(rt, a, b);
  if (a instanceof ApexInstance) {
    const r = rt.interp.callMethod(a, 'compareTo', [b]);
    if (typeof r !== 'number') throw npe();
    return r;
  }
  if (a instanceof NativeInstance && b instanceof NativeInstance) {
    const oa = (a.state as { ordinal?: number }).ordinal;
    const ob = (b.state as { ordinal?: number }).ordinal;
    if (typeof oa === 'number' && typeof ob === 'number') return oa - ob;
  }
  if (a instanceof ApexBlob || a instanceof ApexList || a instanceof ApexSet || a instanceof ApexMap) {
    throw platformError('System.ListException', `One or more of the items in this list is not Comparable`);
  }
  throw platformError('System.ListException', `One or more of the items in this list is not Comparable`);
}

function compareSObjects(rt: Runtime, a: SObjectValue, b: SObjectValue): number {
  const la = rt.schema.getObject(a.sobjectType)?.label ?? a.sobjectType;
  const lb = rt.schema.getObject(b.sobjectType)?.label ?? b.sobjectType;
  if (la !== lb) return compareStrings(la, lb);
  const cmpField = (f: string) => {
    const x = a.getRaw(f) ?? null;
    const y = b.getRaw(f) ?? null;
    return compareForSort(rt, x, y);
  };
  const byName = cmpField('Name');
  if (byName !== 0) return byName;
  // Then standard fields alphabetically (except Id and Name), then custom fields alphabetically.
  const names = new Set<string>();
  for (const f of a.fields.values()) names.add(f.name);
  for (const f of b.fields.values()) names.add(f.name);
  const fields = [...names].filter((n) => !/^(id|name)$/i.test(n));
  const std = fields.filter((n) => !n.endsWith('__c')).sort();
  const custom = fields.filter((n) => n.endsWith('__c')).sort();
  for (const f of [...std, ...custom]) {
    const x = a.getRaw(f) ?? null;
    const y = b.getRaw(f) ?? null;
    if (x instanceof SObjectValue || y instanceof SObjectValue || x instanceof ApexList || y instanceof ApexList)
      continue;
    const c = compareForSort(rt, x, y);
    if (c !== 0) return c;
  }
  return 0;
}

function sortList(rt: Runtime, l: ApexList, comparator: ApexValue): void {
  if (comparator !== null && comparator !== undefined) {
    l.items.sort((x, y) => {
      const r = rt.interp.callMethod(comparator, 'compare', [x, y]);
      if (typeof r !== 'number') throw npe();
      return r;
    });
    return;
  }
  l.items.sort((x, y) => compareForSort(rt, x, y));
}

// ---------------------------------------------------------------------------------------------
// Cloning
// ---------------------------------------------------------------------------------------------

export function cloneSObject(
  rec: SObjectValue,
  preserveId: boolean,
  deep: boolean,
  preserveReadonlyTimestamps = false,
  preserveAutonumber = false,
): SObjectValue {
  const out = new SObjectValue(rec.sobjectType);
  for (const [, f] of rec.fields) {
    const lower = f.name.toLowerCase();
    if (lower === 'id' && !preserveId) continue;
    if (
      !preserveReadonlyTimestamps &&
      /^(createddate|createdbyid|lastmodifieddate|lastmodifiedbyid|systemmodstamp)$/.test(lower)
    )
      continue;
    void preserveAutonumber;
    let v = f.value;
    if (deep && v instanceof SObjectValue)
      v = cloneSObject(v, preserveId, true, preserveReadonlyTimestamps, preserveAutonumber);
    out.setRaw(f.name, v);
  }
  out.fromQuery = rec.fromQuery;
  return out;
}

// ---------------------------------------------------------------------------------------------
// List
// ---------------------------------------------------------------------------------------------

const listMethods: Record<string, NativeFn> = {
  add: (rt, a, s) => {
    const l = listOf(s);
    if (a.length === 1) {
      l.items.push(coerceTo(rt, a[0], l.elemType));
      return null;
    }
    const i = reqInt(a[0]);
    if (i < 0 || i > l.items.length) throw indexError(i);
    l.items.splice(i, 0, coerceTo(rt, a[1], l.elemType));
    return null;
  },
  addall: (rt, a, s) => {
    const l = listOf(s);
    for (const x of iterableItems(a[0])) l.items.push(coerceTo(rt, x, l.elemType));
    return null;
  },
  get: (_rt, a, s) => {
    const l = listOf(s);
    const i = reqInt(a[0]);
    if (i < 0 || i >= l.items.length) throw indexError(i);
    return l.items[i];
  },
  set: (rt, a, s) => {
    const l = listOf(s);
    const i = reqInt(a[0]);
    if (i < 0 || i >= l.items.length) throw indexError(i);
    l.items[i] = coerceTo(rt, a[1], l.elemType);
    return null;
  },
  size: (_rt, _a, s) => listOf(s).items.length,
  isempty: (_rt, _a, s) => listOf(s).items.length === 0,
  clear: (_rt, _a, s) => {
    listOf(s).items.length = 0;
    return null;
  },
  remove: (_rt, a, s) => {
    const l = listOf(s);
    const i = reqInt(a[0]);
    if (i < 0 || i >= l.items.length) throw indexError(i);
    return l.items.splice(i, 1)[0];
  },
  contains: (rt, a, s) => {
    const l = listOf(s);
    const v = safeCoerce(rt, a[0], l.elemType);
    return l.items.some((x) => sameElement(rt, x, v));
  },
  indexof: (rt, a, s) => {
    const l = listOf(s);
    const v = safeCoerce(rt, a[0], l.elemType);
    return l.items.findIndex((x) => sameElement(rt, x, v));
  },
  sort: (rt, a, s) => {
    sortList(rt, listOf(s), a.length ? a[0] : null);
    return null;
  },
  clone: (_rt, _a, s) => {
    const l = listOf(s);
    return new ApexList(l.elemType, [...l.items]);
  },
  deepclone: (_rt, a, s) => {
    const l = listOf(s);
    const preserveId = a.length > 0 ? reqBool(a[0]) : false;
    const ts = a.length > 1 ? reqBool(a[1]) : false;
    const an = a.length > 2 ? reqBool(a[2]) : false;
    return new ApexList(
      l.elemType,
      l.items.map((x) => (x instanceof SObjectValue ? cloneSObject(x, preserveId, true, ts, an) : x)),
    );
  },
  equals: (rt, a, s) => {
    const l = listOf(s);
    const o = a[0];
    return (
      o instanceof ApexList &&
      o.items.length === l.items.length &&
      l.items.every((x, i) => equalsValue(rt, x, o.items[i]))
    );
  },
  hashcode: (rt, _a, s) => hashOfKey(keyOf(rt, listOf(s))),
  tostring: (rt, _a, s) => formatValue(rt, listOf(s)),
  getsobjecttype: (rt, _a, s) => {
    const l = listOf(s);
    if (!rt.schema.getObject(l.elemType.name)) return null;
    return callSObjectTypeToken(rt, l.elemType.name);
  },
  iterator: (_rt, _a, s) => newIterator(listOf(s).items),
};

/** Set by index.ts to avoid a cycle with schema.ts. */
let sobjectTypeTokenFn: ((rt: Runtime, name: string) => ApexValue) | null = null;
export function setSObjectTypeTokenFn(fn: (rt: Runtime, name: string) => ApexValue): void {
  sobjectTypeTokenFn = fn;
}
function callSObjectTypeToken(rt: Runtime, name: string): ApexValue {
  if (!sobjectTypeTokenFn) throw new Error('internal: schema not registered');
  return sobjectTypeTokenFn(rt, name);
}

function hashOfKey(k: string): number {
  let h = 0;
  for (let i = 0; i < k.length; i++) h = (Math.imul(h, 31) + k.charCodeAt(i)) | 0;
  return h;
}

export const ListClass: NativeClass = {
  name: 'List',
  aliases: ['Iterable'],
  methods: listMethods,
  construct: (rt, args, typeArgs) => {
    const elem = typeArgs?.[0] ?? T.Object;
    const l = new ApexList(elem, []);
    if (args.length === 0) return l;
    if (args.length === 1 && (args[0] instanceof ApexList || args[0] instanceof ApexSet)) {
      for (const x of iterableItems(args[0])) l.items.push(coerceTo(rt, x, elem));
      return l;
    }
    if (args.length === 1 && typeof args[0] === 'number') {
      // new List<T>(n) is not Apex; `new T[n]` is, and the interpreter may use this to build it.
      l.items = new Array(args[0]).fill(null);
      return l;
    }
    if (args.length === 1 && args[0] === null) throw npe();
    return unsupported(`new List<${elem.name}>(${args.map(typeName).join(', ')})`);
  },
  superTypes: ['object'],
};

// ---------------------------------------------------------------------------------------------
// Set
// ---------------------------------------------------------------------------------------------

const setMethods: Record<string, NativeFn> = {
  add: (rt, a, s) => setAdd(rt, setOf(s), a[0]),
  addall: (rt, a, s) => {
    let changed = false;
    for (const x of iterableItems(a[0])) changed = setAdd(rt, setOf(s), x) || changed;
    return changed;
  },
  contains: (rt, a, s) => setContains(rt, setOf(s), a[0]),
  containsall: (rt, a, s) => iterableItems(a[0]).every((x) => setContains(rt, setOf(s), x)),
  remove: (rt, a, s) => setRemove(rt, setOf(s), a[0]),
  removeall: (rt, a, s) => {
    let changed = false;
    for (const x of iterableItems(a[0])) changed = setRemove(rt, setOf(s), x) || changed;
    return changed;
  },
  retainall: (rt, a, s) => {
    const set = setOf(s);
    const keep = new ApexSet(set.elemType);
    for (const x of iterableItems(a[0])) setAdd(rt, keep, x);
    let changed = false;
    for (const [k, v] of [...set.entries]) {
      if (!setContains(rt, keep, v)) {
        set.entries.delete(k);
        changed = true;
      }
    }
    return changed;
  },
  size: (_rt, _a, s) => setOf(s).entries.size,
  isempty: (_rt, _a, s) => setOf(s).entries.size === 0,
  clear: (_rt, _a, s) => {
    setOf(s).entries.clear();
    return null;
  },
  clone: (_rt, _a, s) => {
    const set = setOf(s);
    const out = new ApexSet(set.elemType);
    for (const [k, v] of set.entries) out.entries.set(k, v);
    return out;
  },
  equals: (rt, a, s) => a[0] instanceof ApexSet && equalsValue(rt, setOf(s), a[0]),
  hashcode: (rt, _a, s) => hashOfKey(keyOf(rt, setOf(s))),
  tostring: (rt, _a, s) => formatValue(rt, setOf(s)),
  iterator: (_rt, _a, s) => newIterator([...setOf(s).entries.values()]),
};

export const SetClass: NativeClass = {
  name: 'Set',
  methods: setMethods,
  construct: (rt, args, typeArgs) => {
    const s = new ApexSet(typeArgs?.[0] ?? T.Object);
    if (args.length === 0) return s;
    if (args.length === 1) {
      for (const x of iterableItems(args[0])) setAdd(rt, s, x);
      return s;
    }
    return unsupported(`new Set(${args.map(typeName).join(', ')})`);
  },
  superTypes: ['object'],
};

// ---------------------------------------------------------------------------------------------
// Map
// ---------------------------------------------------------------------------------------------

/** Map<Id, SObject>.putAll(records) and new Map<Id, SObject>(records): keyed by Id; a null Id is an error. */
function putRecords(rt: Runtime, m: ApexMap, records: ApexValue[]): void {
  records.forEach((r, i) => {
    if (!(r instanceof SObjectValue))
      throw platformError('System.TypeException', `Invalid conversion from runtime type ${typeName(r)} to SObject`);
    const id = r.id;
    if (id === null) throw platformError('System.ListException', `Row with null Id at index: ${i}`);
    mapPut(rt, m, id, r);
  });
}

const mapMethods: Record<string, NativeFn> = {
  put: (rt, a, s) => mapPut(rt, mapOf(s), a[0], a[1]),
  get: (rt, a, s) => mapGet(rt, mapOf(s), a[0]),
  containskey: (rt, a, s) => mapContainsKey(rt, mapOf(s), a[0]),
  remove: (rt, a, s) => mapRemove(rt, mapOf(s), a[0]),
  keyset: (_rt, _a, s) => {
    const m = mapOf(s);
    const out = new ApexSet(m.keyType);
    for (const [k, [key]] of m.entries) out.entries.set(k, key);
    return out;
  },
  values: (_rt, _a, s) => {
    const m = mapOf(s);
    return new ApexList(
      m.valueType,
      [...m.entries.values()].map((e) => e[1]),
    );
  },
  size: (_rt, _a, s) => mapOf(s).entries.size,
  isempty: (_rt, _a, s) => mapOf(s).entries.size === 0,
  clear: (_rt, _a, s) => {
    mapOf(s).entries.clear();
    return null;
  },
  putall: (rt, a, s) => {
    const m = mapOf(s);
    const src = a[0];
    if (src === null) throw npe();
    if (src instanceof ApexMap) for (const [, [k, v]] of src.entries) mapPut(rt, m, k, v);
    else if (src instanceof ApexList) putRecords(rt, m, src.items);
    else throw platformError('System.TypeException', `Invalid argument to Map.putAll: ${typeName(src)}`);
    return null;
  },
  clone: (_rt, _a, s) => {
    const m = mapOf(s);
    const out = new ApexMap(m.keyType, m.valueType);
    for (const [k, e] of m.entries) out.entries.set(k, [e[0], e[1]]);
    return out;
  },
  deepclone: (_rt, _a, s) => {
    const m = mapOf(s);
    const out = new ApexMap(m.keyType, m.valueType);
    for (const [k, e] of m.entries)
      out.entries.set(k, [e[0], e[1] instanceof SObjectValue ? cloneSObject(e[1], true, true, true, true) : e[1]]);
    return out;
  },
  equals: (rt, a, s) => a[0] instanceof ApexMap && equalsValue(rt, mapOf(s), a[0]),
  hashcode: (rt, _a, s) => hashOfKey(keyOf(rt, mapOf(s))),
  tostring: (rt, _a, s) => formatValue(rt, mapOf(s)),
  getsobjecttype: (rt, _a, s) => {
    const m = mapOf(s);
    return rt.schema.getObject(m.valueType.name) ? callSObjectTypeToken(rt, m.valueType.name) : null;
  },
};

export const MapClass: NativeClass = {
  name: 'Map',
  methods: mapMethods,
  construct: (rt, args, typeArgs) => {
    const m = new ApexMap(typeArgs?.[0] ?? T.Object, typeArgs?.[1] ?? T.Object);
    if (args.length === 0) return m;
    if (args.length === 1) {
      const src = args[0];
      if (src === null) throw npe();
      if (src instanceof ApexMap) {
        for (const [, [k, v]] of src.entries) mapPut(rt, m, k, v);
        return m;
      }
      if (src instanceof ApexList) {
        putRecords(rt, m, src.items);
        return m;
      }
    }
    return unsupported(`new Map(${args.map(typeName).join(', ')})`);
  },
  superTypes: ['object'],
};

/**
 * What List.iterator() and Set.iterator() return: an Iterator<T> over the elements (Apex Reference, List Class and
 * Set Class, iterator(): "Returns an instance of an iterator for this list/set"; Iterator Interface: hasNext(),
 * next()). A list's iterator reads the list as it is when next() is called; a set's, the elements it had when asked.
 * next() past the end is System.NoSuchElementException, as Java's iterators behind them.
 */
interface IteratorState {
  items: ApexValue[];
  at: number;
}
const ITERATOR = 'System.CollectionIterator';

function newIterator(items: ApexValue[]): NativeInstance<IteratorState> {
  return new NativeInstance<IteratorState>(ITERATOR, { items, at: 0 });
}

function iteratorOf(s: ApexValue): IteratorState {
  return (s as NativeInstance<IteratorState>).state;
}

export const CollectionIteratorClass: NativeClass = {
  name: ITERATOR,
  methods: {
    hasnext: (_rt, _a, s) => iteratorOf(s).at < iteratorOf(s).items.length,
    next: (_rt, _a, s) => {
      const it = iteratorOf(s);
      if (it.at >= it.items.length)
        throw platformError('System.NoSuchElementException', 'Iterator has no more elements.');
      return it.items[it.at++];
    },
  },
  superTypes: ['iterator', 'system.iterator', 'object'],
};

export const collectionClasses: NativeClass[] = [ListClass, SetClass, MapClass, CollectionIteratorClass];

export { runtimeTypeOf };
