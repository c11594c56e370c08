/**
 * Database.* statics (DML with allOrNone and AccessLevel, dynamic SOQL, savepoints), the result classes
 * (SaveResult, UpsertResult, DeleteResult, UndeleteResult, Database.Error), StatusCode, and the DmlException
 * methods (getNumDml, getDmlMessage, ...).
 *
 * DmlException data contract: the database throws `platformError('System.DmlException', message, { op, rows })`
 * where rows are DmlExceptionRow-like (one per failed row, in input order; id as a String or Id). The interpreter keeps `extra` in the
 * exception's ExceptionState; the methods here read it.
 */
import { exceptionState, platformError } from '../core/errors.js';
import type { DmlError, DmlOp, DmlRowResult, NativeClass, NativeFn, Runtime } from '../core/runtime.js';
import { ApexId, ApexList, ApexMap, NativeInstance, SObjectValue, T, type ApexValue } from '../core/values.js';
import { toId } from '../core/ops.js';
import { mapGet } from './collections.js';
import { fieldNameArg, fieldToken, isUserMode, requireObject } from './apex-schema.js';
import { makeDatabaseError, type DatabaseErrorState } from './sobject.js';
import { native, npe, reqBool, reqInt, reqStr, stateOf, strList, typeName, unsupported } from './util.js';

export interface DmlExceptionRow {
  index: number;
  id: ApexId | null;
  statusCode: string;
  message: string;
  fields: string[];
  /** The object of the failed row, for getDmlFields. */
  sobjectType?: string;
}

// ---------------------------------------------------------------------------------------------
// StatusCode
// ---------------------------------------------------------------------------------------------

export function statusCode(code: string): NativeInstance {
  return new NativeInstance('System.StatusCode', { valueKey: code, display: code, enumValue: code, ordinal: 0 });
}

export const StatusCodeClass: NativeClass = {
  name: 'System.StatusCode',
  aliases: ['StatusCode'],
  dynamicStaticProp: (_rt, name) => (/^[A-Z][A-Z0-9_]*$/.test(name) ? statusCode(name) : undefined),
  methods: {
    name: (_rt, _a, s) => (s as NativeInstance<{ enumValue: string }>).state.enumValue,
    tostring: (_rt, _a, s) => (s as NativeInstance<{ enumValue: string }>).state.enumValue,
  },
};

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

interface ResultState {
  id: ApexId | null;
  success: boolean;
  created?: boolean;
  errors: DmlError[];
}

const RESULT_TYPES: Record<DmlOp, string> = {
  insert: 'Database.SaveResult',
  update: 'Database.SaveResult',
  upsert: 'Database.UpsertResult',
  delete: 'Database.DeleteResult',
  undelete: 'Database.UndeleteResult',
};

export function makeResult(op: DmlOp, r: DmlRowResult): NativeInstance<ResultState> {
  return new NativeInstance<ResultState>(RESULT_TYPES[op], {
    id: r.id,
    success: r.success,
    created: r.created,
    errors: r.errors,
  });
}

function resultMethods(typeNameFull: string, withCreated: boolean): Record<string, NativeFn> {
  const st = (s: ApexValue) => native<ResultState>(s, typeNameFull).state;
  const m: Record<string, NativeFn> = {
    getid: (_rt, _a, s) => st(s).id,
    issuccess: (_rt, _a, s) => st(s).success,
    geterrors: (_rt, _a, s) =>
      new ApexList(
        { name: 'Database.Error' },
        st(s).errors.map((e) => makeDatabaseError(e)),
      ),
  };
  if (withCreated) m.iscreated = (_rt, _a, s) => !!st(s).created;
  return m;
}

/**
 * A result's fields read as properties too (`sr.id`, `sr.success`, `sr.errors`): they are the fields of its JSON form
 * ({"success":true,"id":"001...","errors":[]}), and public suites that pass on the platform read them so.
 */
function resultClass(name: string, withCreated: boolean): NativeClass {
  const methods = resultMethods(name, withCreated);
  const prop = (fn: NativeFn) => ({ get: (rt: Runtime, self: ApexValue) => fn(rt, [], self) });
  return {
    name,
    methods,
    props: {
      id: prop(methods.getid),
      success: prop(methods.issuccess),
      errors: prop(methods.geterrors),
      ...(withCreated ? { created: prop(methods.iscreated) } : {}),
    },
  };
}

const resultClasses: NativeClass[] = [
  resultClass('Database.SaveResult', false),
  resultClass('Database.UpsertResult', true),
  resultClass('Database.DeleteResult', false),
  resultClass('Database.UndeleteResult', false),
];

export const DatabaseErrorClass: NativeClass = {
  name: 'Database.Error',
  methods: {
    getstatuscode: (_rt, _a, s) => statusCode(native<DatabaseErrorState>(s, 'Database.Error').state.statusCode),
    getmessage: (_rt, _a, s) => native<DatabaseErrorState>(s, 'Database.Error').state.message,
    getfields: (_rt, _a, s) => strList(native<DatabaseErrorState>(s, 'Database.Error').state.fields),
    tostring: (_rt, _a, s) => {
      const e = native<DatabaseErrorState>(s, 'Database.Error').state;
      return `Database.Error[getFields=(${e.fields.join(', ')});getMessage=${e.message};getStatusCode=${e.statusCode};]`;
    },
  },
};

// ---------------------------------------------------------------------------------------------
// DML
// ---------------------------------------------------------------------------------------------

interface DmlArgs {
  records: SObjectValue[];
  single: boolean;
  allOrNone: boolean;
  userMode: boolean;
  externalIdField?: string;
}

function toRecords(rt: Runtime, v: ApexValue, op: DmlOp): { records: SObjectValue[]; single: boolean } {
  if (v === null) throw npe();
  const one = (x: ApexValue): SObjectValue => {
    if (x instanceof SObjectValue) return x;
    if ((op === 'delete' || op === 'undelete') && (x instanceof ApexId || typeof x === 'string')) {
      const id = toId(rt, x);
      const o = rt.schema.objectForKeyPrefix(id.keyPrefix);
      if (!o) throw platformError('System.DmlException', `Invalid id: ${id.value}`);
      const r = new SObjectValue(o.name);
      r.setRaw('Id', id);
      return r;
    }
    if (x === null) throw platformError('System.ListException', 'List contains null element');
    throw platformError('System.TypeException', `Invalid conversion from runtime type ${typeName(x)} to SObject`);
  };
  if (v instanceof ApexList) return { records: v.items.map(one), single: false };
  return { records: [one(v)], single: true };
}

/** Parses the trailing (allOrNone?, accessLevel?) arguments; DMLOptions are not supported. */
function dmlOptions(a: ApexValue[], from: number): { allOrNone: boolean; userMode: boolean } {
  let allOrNone = true;
  let userMode = false;
  for (let i = from; i < a.length; i++) {
    const x = a[i];
    if (typeof x === 'boolean') allOrNone = x;
    else if (x instanceof NativeInstance && x.typeName === 'System.AccessLevel') userMode = isUserMode(x);
    else if (x instanceof NativeInstance && x.typeName.startsWith('Database.DMLOptions'))
      unsupported('Database.DMLOptions');
    else if (x === null) throw npe();
    else unsupported(`Database DML option of type ${typeName(x)}`);
  }
  return { allOrNone, userMode };
}

export function runDml(rt: Runtime, op: DmlOp, args: DmlArgs): ApexValue {
  const results = rt.db.dml(op, args.records, {
    allOrNone: args.allOrNone,
    userMode: args.userMode,
    externalIdField: args.externalIdField,
    line: rt.where().line,
  });
  const wrapped = results.map((r) => makeResult(op, r));
  if (args.single) return wrapped[0] ?? null;
  return new ApexList({ name: RESULT_TYPES[op] }, wrapped);
}

function dmlStatic(op: DmlOp): NativeFn {
  return (rt, a) => {
    const { records, single } = toRecords(rt, a[0], op);
    if (op === 'upsert') {
      let externalIdField: string | undefined;
      let rest = 1;
      if (a.length > 1 && a[1] instanceof NativeInstance && a[1].typeName === 'Schema.SObjectField') {
        externalIdField = fieldNameArg(a[1]).name;
        rest = 2;
      }
      return runDml(rt, op, { records, single, externalIdField, ...dmlOptions(a, rest) });
    }
    return runDml(rt, op, { records, single, ...dmlOptions(a, 1) });
  };
}

// ---------------------------------------------------------------------------------------------
// Dynamic SOQL and savepoints
// ---------------------------------------------------------------------------------------------

export function callerBind(rt: Runtime): (expr: string) => ApexValue {
  return (expr) => {
    if (!rt.resolveBind) return unsupported(`bind variable :${expr} in dynamic SOQL (no caller scope)`);
    return rt.resolveBind(expr);
  };
}

export function mapBind(rt: Runtime, binds: ApexValue): (expr: string) => ApexValue {
  if (binds === null) throw npe();
  if (!(binds instanceof ApexMap))
    throw platformError('System.TypeException', 'queryWithBinds expects a Map<String, Object>');
  return (expr) => {
    const name = expr.trim();
    let found = false;
    let value: ApexValue = null;
    for (const [k, v] of binds.entries.values()) {
      if (typeof k === 'string' && k.toLowerCase() === name.toLowerCase()) {
        found = true;
        value = v;
        if (k === name) break;
      }
    }
    if (!found) throw platformError('System.QueryException', `Variable does not exist: ${name}`);
    void mapGet;
    return value;
  };
}

export function accessArg(v: ApexValue | undefined): boolean {
  return v === undefined ? false : isUserMode(v);
}

interface SavepointState {
  sp: unknown;
}

interface SavepointShown extends SavepointState {
  n: number;
}

/** String.valueOf(Database.setSavepoint()) prints 'SavepointValue0', 'SavepointValue1', ... per transaction. */
export const SavepointClass: NativeClass = {
  name: 'System.Savepoint',
  aliases: ['Savepoint'],
  methods: { tostring: (_rt, _a, s) => `SavepointValue${native<SavepointShown>(s, 'System.Savepoint').state.n}` },
};

const databaseStatics: Record<string, NativeFn> = {
  insert: dmlStatic('insert'),
  update: dmlStatic('update'),
  upsert: dmlStatic('upsert'),
  delete: dmlStatic('delete'),
  undelete: dmlStatic('undelete'),
  query: (rt, a) =>
    rt.db.query(reqStr(a[0]), { userMode: accessArg(a[1]), bind: callerBind(rt), line: rt.where().line }),
  querywithbinds: (rt, a) =>
    rt.db.query(reqStr(a[0]), { userMode: accessArg(a[2]), bind: mapBind(rt, a[1]), line: rt.where().line }),
  countquery: (rt, a) =>
    countOf(rt.db.query(reqStr(a[0]), { userMode: accessArg(a[1]), bind: callerBind(rt), line: rt.where().line })),
  countquerywithbinds: (rt, a) =>
    countOf(rt.db.query(reqStr(a[0]), { userMode: accessArg(a[2]), bind: mapBind(rt, a[1]), line: rt.where().line })),
  setsavepoint: (rt) =>
    new NativeInstance<SavepointShown>('System.Savepoint', { sp: rt.db.setSavepoint(), n: stateOf(rt).savepoints++ }),
  rollback: (rt, a) => {
    const sp = native<SavepointState>(a[0], 'System.Savepoint');
    rt.db.rollback(sp.state.sp);
    return null;
  },
  // Database.releaseSavepoint(sp) (Spring '24): releases sp and every savepoint set after it, so callouts may follow.
  releasesavepoint: (rt, a) => {
    const sp = native<SavepointState>(a[0], 'System.Savepoint');
    if (!rt.db.releaseSavepoint) return unsupported('Database.releaseSavepoint (no database)');
    rt.db.releaseSavepoint(sp.state.sp);
    return null;
  },
  emptyrecyclebin: () => unsupported('Database.emptyRecycleBin'),
  convertlead: () => unsupported('Database.convertLead'),
  merge: () => unsupported('Database.merge'),
  insertasync: () => unsupported('Database.insertAsync'),
  updateasync: () => unsupported('Database.updateAsync'),
  deleteasync: () => unsupported('Database.deleteAsync'),
  insertimmediate: () => unsupported('Database.insertImmediate'),
  getasyncdeleteresult: () => unsupported('Database.getAsyncDeleteResult'),
  getupdated: () => unsupported('Database.getUpdated'),
  getdeleted: () => unsupported('Database.getDeleted'),
  getcursor: () => unsupported('Database.getCursor'),
};

function countOf(r: ApexList | number): number {
  if (typeof r === 'number') return r;
  throw platformError('System.QueryException', 'countQuery requires SELECT COUNT() FROM ...');
}

export const DatabaseClass: NativeClass = { name: 'Database', statics: databaseStatics };

// ---------------------------------------------------------------------------------------------
// DmlException methods
// ---------------------------------------------------------------------------------------------

function dmlRows(self: ApexValue): DmlExceptionRow[] {
  if (self === null) throw npe();
  const st = exceptionState(self as object);
  // database/dml/dml-errors.ts puts the failed rows in extra.rows (id as a String); extra.dml is accepted too.
  const rows = (st?.extra?.rows ?? st?.extra?.dml) as
    | {
        index: number;
        id: string | ApexId | null;
        statusCode: string;
        message: string;
        fields: string[];
        sobjectType?: string;
      }[]
    | undefined;
  if (!Array.isArray(rows)) return [];
  return rows.map((r) => ({
    ...r,
    id: r.id === null || r.id === undefined ? null : r.id instanceof ApexId ? r.id : toId(null, r.id),
  }));
}

function dmlRow(self: ApexValue, i: ApexValue): DmlExceptionRow {
  const rows = dmlRows(self);
  const n = reqInt(i);
  if (n < 0 || n >= rows.length) throw platformError('System.ListException', `List index out of bounds: ${n}`);
  return rows[n];
}

const dmlExceptionMethods: Record<string, NativeFn> = {
  getnumdml: (_rt, _a, s) => dmlRows(s).length,
  getdmlmessage: (_rt, a, s) => dmlRow(s, a[0]).message,
  getdmlid: (_rt, a, s) => dmlRow(s, a[0]).id,
  getdmlindex: (_rt, a, s) => dmlRow(s, a[0]).index,
  getdmlstatuscode: (_rt, a, s) => dmlRow(s, a[0]).statusCode,
  getdmltype: (_rt, a, s) => statusCode(dmlRow(s, a[0]).statusCode),
  getdmlfieldnames: (_rt, a, s) => strList(dmlRow(s, a[0]).fields),
  getdmlfields: (rt, a, s) => {
    const row = dmlRow(s, a[0]);
    const obj = row.sobjectType ?? (row.id ? rt.schema.objectForKeyPrefix(row.id.keyPrefix)?.name : undefined);
    if (!obj) return new ApexList({ name: 'Schema.SObjectField' }, []);
    requireObject(rt, obj);
    return new ApexList(
      { name: 'Schema.SObjectField' },
      row.fields
        .filter((f) => rt.schema.getObject(obj)!.fields.has(f.toLowerCase()))
        .map((f) => fieldToken(rt, obj, f)),
    );
  },
};

export const DmlExceptionClass: NativeClass = {
  name: 'System.DmlException',
  aliases: ['DmlException'],
  methods: dmlExceptionMethods,
  superTypes: ['exception', 'object'],
};

export const EmailExceptionClass: NativeClass = {
  name: 'System.EmailException',
  aliases: ['EmailException'],
  methods: dmlExceptionMethods,
  superTypes: ['exception', 'object'],
};

export const databaseClasses: NativeClass[] = [
  DatabaseClass,
  StatusCodeClass,
  DatabaseErrorClass,
  SavepointClass,
  ...resultClasses,
  DmlExceptionClass,
  EmailExceptionClass,
];

export { reqBool, T };
