/**
 * SObject instance methods (get, put, clone, addError, getPopulatedFieldsAsMap, ...) and the Id class. The
 * interpreter should read and write record fields through sobjectGet/sobjectPut so that field validation,
 * "retrieved via SOQL without querying the requested field" and type coercion have one implementation.
 */
import { platformError } from '../core/errors.js';
import type { FieldDef, NativeClass, NativeFn, Runtime } from '../core/runtime.js';
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
  ApexTime,
  NativeInstance,
  SObjectValue,
  T,
  type ApexValue,
} from '../core/values.js';
import { coerceTo, formatValue, isInstanceOf, isNumeric, toDecimal, toId, tryToId } from '../core/ops.js';
import { cloneSObject, mapPut } from './collections.js';
import { fieldNameArg, findField, requireObject, sobjectTypeToken } from './apex-schema.js';
import { npe, reqBool, reqStr, typeName, unsupported } from './util.js';

function rec(s: ApexValue): SObjectValue {
  if (s === null || s === undefined) throw npe();
  if (!(s instanceof SObjectValue))
    throw platformError('System.TypeException', `Invalid conversion from runtime type ${typeName(s)} to SObject`);
  return s;
}

function notQueried(r: SObjectValue, field: string): Error {
  return platformError(
    'System.SObjectException',
    `SObject row was retrieved via SOQL without querying the requested field: ${r.sobjectType}.${field}`,
  );
}

/** A relationship name of the object ('Owner', 'User__r', 'Contacts'), with what it points to. */
function relationship(
  rt: Runtime,
  objectName: string,
  name: string,
): { kind: 'parent' | 'child'; canonical: string } | null {
  const o = rt.schema.getObject(objectName);
  if (!o) return null;
  const lower = name.toLowerCase();
  for (const f of o.fields.values())
    if (f.relationshipName && f.relationshipName.toLowerCase() === lower)
      return { kind: 'parent', canonical: f.relationshipName };
  for (const c of o.childRelationships)
    if (c.relationshipName.toLowerCase() === lower) return { kind: 'child', canonical: c.relationshipName };
  return null;
}

/**
 * Reads `rec.field` (or rec.get('field')). Unknown fields are SObjectException "Invalid field x for Obj"; a field
 * not selected by the SOQL that produced the row is "SObject row was retrieved via SOQL without querying ...".
 * Relationship names (Owner, User__r, Contacts) read the related record/list.
 */
export function sobjectGet(rt: Runtime, r: SObjectValue, field: string): ApexValue {
  const o = rt.schema.getObject(r.sobjectType);
  if (o) {
    const f = findField(o, field);
    if (!f) {
      const rel = relationship(rt, o.name, field);
      if (!rel) throw platformError('System.SObjectException', `Invalid field ${field} for ${o.name}`);
      if (!r.has(field) && r.fromQuery) throw notQueried(r, rel.canonical);
      return r.getRaw(field) ?? null;
    }
    if (!r.has(field)) {
      if (r.fromQuery && f.name.toLowerCase() !== 'id') throw notQueried(r, f.name);
      return null;
    }
  }
  return r.getRaw(field) ?? null;
}

/** Converts a value for a field of the given type, as assignment does (SObjectException on a wrong type). */
export function coerceForField(rt: Runtime, objectName: string, f: FieldDef, v: ApexValue): ApexValue {
  if (v === null) return null;
  const bad = (): never => {
    throw platformError('System.SObjectException', `Illegal assignment from ${typeName(v)} to ${fieldApexType(f)}`);
  };
  switch (f.type) {
    case 'id':
    case 'reference':
      if (v instanceof ApexId) return v;
      if (typeof v === 'string') {
        const id = tryToId(v);
        if (!id) throw platformError('System.StringException', `Invalid id: ${v}`);
        return id;
      }
      return bad();
    case 'boolean':
      return typeof v === 'boolean' ? v : bad();
    case 'int':
      if (typeof v === 'number') return v;
      return isNumeric(v) ? coerceTo(rt, v, T.Integer) : bad();
    case 'double':
    case 'currency':
    case 'percent':
      return isNumeric(v) ? toDecimal(v) : bad();
    case 'date':
      return v instanceof ApexDate ? v : bad();
    case 'datetime':
      return v instanceof ApexDatetime ? v : bad();
    case 'time':
      return v instanceof ApexTime ? v : bad();
    case 'base64':
      return v instanceof ApexBlob ? v : bad();
    default:
      if (typeof v === 'string') return v;
      if (v instanceof ApexId) return v.value;
      return bad();
  }
  void objectName;
}

export function fieldApexType(f: FieldDef): string {
  switch (f.type) {
    case 'id':
    case 'reference':
      return 'Id';
    case 'boolean':
      return 'Boolean';
    case 'int':
      return 'Integer';
    case 'double':
    case 'currency':
    case 'percent':
      return 'Decimal';
    case 'date':
      return 'Date';
    case 'datetime':
      return 'Datetime';
    case 'time':
      return 'Time';
    case 'base64':
      return 'Blob';
    default:
      return 'String';
  }
}

/** Writes `rec.field = v` (or rec.put). Returns the previous value. */
export function sobjectPut(rt: Runtime, r: SObjectValue, field: string, v: ApexValue): ApexValue {
  const o = rt.schema.getObject(r.sobjectType);
  const prev = r.has(field) ? (r.getRaw(field) ?? null) : null;
  if (!o) {
    r.setRaw(field, v);
    return prev;
  }
  const f = findField(o, field);
  if (!f) {
    const rel = relationship(rt, o.name, field);
    if (!rel) throw platformError('System.SObjectException', `Invalid field ${field} for ${o.name}`);
    r.setRaw(rel.canonical, v);
    return prev;
  }
  r.setRaw(f.name, coerceForField(rt, o.name, f, v));
  return prev;
}

function addErrorTo(rt: Runtime, r: SObjectValue, a: ApexValue[]): ApexValue {
  if (a.length === 0) throw npe();
  const msgOf = (v: ApexValue): string => {
    if (v === null) return 'null';
    if (v instanceof ApexInstance && v.cls.isA('exception')) {
      const m = rt.interp.callMethod(v, 'getMessage', []);
      return m === null ? 'null' : formatValue(rt, m);
    }
    return formatValue(rt, v);
  };
  // addError(msg) / addError(msg, escape) / addError(exception) / addError(field, msg) / addError(field, msg, escape)
  const first = a[0];
  const isFieldArg =
    a.length >= 2 &&
    ((first instanceof NativeInstance && first.typeName === 'Schema.SObjectField') ||
      (typeof first === 'string' && typeof a[1] === 'string'));
  if (isFieldArg) {
    const { name } = fieldNameArg(first);
    const o = requireObject(rt, r.sobjectType);
    const f = findField(o, name);
    if (!f) throw platformError('System.SObjectException', `Invalid field ${name} for ${o.name}`);
    r.errors.push({ field: f.name, message: msgOf(a[1]) });
    return null;
  }
  if (a.length === 2 && typeof a[1] === 'boolean') {
    r.errors.push({ message: msgOf(first) });
    return null;
  }
  if (a.length === 1) {
    r.errors.push({ message: msgOf(first) });
    return null;
  }
  return unsupported(`SObject.addError with ${a.length} arguments of types ${a.map(typeName).join(', ')}`);
}

const sobjectMethods: Record<string, NativeFn> = {
  get: (rt, a, s) => sobjectGet(rt, rec(s), fieldNameArg(a[0]).name),
  put: (rt, a, s) => sobjectPut(rt, rec(s), fieldNameArg(a[0]).name, a[1]),
  getsobjecttype: (rt, _a, s) => sobjectTypeToken(rt, rec(s).sobjectType),
  clone: (_rt, a, s) => {
    const r = rec(s);
    const preserveId = a.length > 0 ? reqBool(a[0]) : false;
    const deep = a.length > 1 ? reqBool(a[1]) : false;
    const ts = a.length > 2 ? reqBool(a[2]) : false;
    const an = a.length > 3 ? reqBool(a[3]) : false;
    const c = cloneSObject(r, preserveId, deep, ts, an);
    // A clone is a new in-memory record: reading unselected fields of it returns null rather than throwing.
    c.fromQuery = r.fromQuery;
    return c;
  },
  adderror: (rt, a, s) => addErrorTo(rt, rec(s), a),
  geterrors: (_rt, _a, s) => {
    // Database.Error objects for errors added in this transaction.
    const r = rec(s);
    return new ApexList(
      { name: 'Database.Error' },
      r.errors.map((e) =>
        makeDatabaseError({
          statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
          message: e.message,
          fields: e.field ? [e.field] : [],
        }),
      ),
    );
  },
  haserrors: (_rt, _a, s) => rec(s).errors.length > 0,
  getpopulatedfieldsasmap: (rt, _a, s) => {
    const r = rec(s);
    const m = new ApexMap(T.String, T.Object);
    for (const f of r.fields.values()) mapPut(rt, m, f.name, f.value);
    return m;
  },
  isset: (_rt, a, s) => rec(s).has(fieldNameArg(a[0]).name),
  getsobject: (rt, a, s) => {
    const r = rec(s);
    const name = fieldNameArg(a[0]).name;
    const rel = relationship(rt, r.sobjectType, name);
    if (!rel || rel.kind !== 'parent')
      throw platformError('System.SObjectException', `Invalid relationship ${name} for ${r.sobjectType}`);
    const v = sobjectGet(rt, r, rel.canonical);
    return v;
  },
  getsobjects: (rt, a, s) => {
    const r = rec(s);
    const name = fieldNameArg(a[0]).name;
    const rel = relationship(rt, r.sobjectType, name);
    if (!rel || rel.kind !== 'child')
      throw platformError('System.SObjectException', `Invalid aggregate relationship ${name} for ${r.sobjectType}`);
    const v = sobjectGet(rt, r, rel.canonical);
    return v;
  },
  putsobject: (rt, a, s) => {
    const r = rec(s);
    const name = fieldNameArg(a[0]).name;
    const rel = relationship(rt, r.sobjectType, name);
    if (!rel || rel.kind !== 'parent')
      throw platformError('System.SObjectException', `Invalid relationship ${name} for ${r.sobjectType}`);
    const prev = r.getRaw(rel.canonical) ?? null;
    r.setRaw(rel.canonical, a[1]);
    return prev;
  },
  getclonesourceid: () => unsupported('SObject.getCloneSourceId'),
  getquickactionname: () => unsupported('SObject.getQuickActionName'),
  recalculateformulas: () => unsupported('SObject.recalculateFormulas'),
  getoptions: () => unsupported('SObject.getOptions'),
  setoptions: () => unsupported('SObject.setOptions'),
  tostring: (rt, _a, s) => formatValue(rt, rec(s)),
};

export const SObjectClass: NativeClass = {
  name: 'SObject',
  aliases: ['Schema.SObject'],
  methods: sobjectMethods,
  superTypes: ['object'],
};

// ---------------------------------------------------------------------------------------------
// Database.Error (created here because SObject.getErrors returns it; database.ts uses it too)
// ---------------------------------------------------------------------------------------------

export interface DatabaseErrorState {
  statusCode: string;
  message: string;
  fields: string[];
}

export function makeDatabaseError(e: DatabaseErrorState): NativeInstance<DatabaseErrorState> {
  return new NativeInstance<DatabaseErrorState>('Database.Error', {
    statusCode: e.statusCode,
    message: e.message,
    fields: [...e.fields],
  });
}

// ---------------------------------------------------------------------------------------------
// Id
// ---------------------------------------------------------------------------------------------

function idSelf(s: ApexValue): ApexId {
  if (s === null) throw npe();
  if (s instanceof ApexId) return s;
  if (typeof s === 'string') return toId(null, s);
  throw platformError('System.TypeException', `Invalid conversion from runtime type ${typeName(s)} to Id`);
}

export const IdClass: NativeClass = {
  name: 'Id',
  statics: {
    valueof: (_rt, a) => {
      if (a[0] === null) return null;
      return toId(null, reqStr(a[0]));
    },
  },
  methods: {
    getsobjecttype: (rt, _a, s) => {
      const id = idSelf(s);
      const o = rt.schema.objectForKeyPrefix(id.keyPrefix);
      if (!o) throw platformError('System.SObjectException', `Invalid id value for this SObject type: ${id.value}`);
      return sobjectTypeToken(rt, o.name);
    },
    to15: (_rt, _a, s) => idSelf(s).value.substring(0, 15),
    tostring: (_rt, _a, s) => idSelf(s).value,
    equals: (_rt, a, s) => {
      const o = a[0];
      if (o instanceof ApexId) return o.value === idSelf(s).value;
      if (typeof o === 'string') return tryToId(o)?.value === idSelf(s).value;
      return false;
    },
    hashcode: (_rt, _a, s) => {
      const v = idSelf(s).value;
      let h = 0;
      for (let i = 0; i < v.length; i++) h = (Math.imul(h, 31) + v.charCodeAt(i)) | 0;
      return h;
    },
    adderror: () => unsupported('Id.addError (trigger Id errors)'),
  },
  superTypes: ['object', 'string'],
};

export const sobjectClasses: NativeClass[] = [SObjectClass, IdClass];

export { isInstanceOf, ApexDecimal, ApexDouble };
