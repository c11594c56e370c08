/**
 * The org's data as the REST and Tooling APIs see it (the server's /services/data routes translate HTTP to these
 * calls): SOQL, record reads and DML as a user (sharing, object permissions and field-level security: user mode),
 * with triggers and validation; describe of the objects the user may see; anonymous Apex with its debug log.
 * Records cross as plain JSON in the REST API's shape ({"attributes":{"type","url"}, fields...}).
 *
 * Platform rules (REST API Developer Guide): an object the user cannot read is "not supported" (INVALID_TYPE);
 * an unreadable or unknown field is INVALID_FIELD; a record the user cannot see is NOT_FOUND; a create or update
 * of a field the user cannot edit is INVALID_FIELD_FOR_INSERT_UPDATE; DML errors keep their status codes
 * (REQUIRED_FIELD_MISSING, FIELD_CUSTOM_VALIDATION_EXCEPTION, INSUFFICIENT_ACCESS_OR_READONLY, ...).
 */
import type { LocalOrg } from '../../org.js';
import { ApexDecimal, ApexId, ApexList, SObjectValue, type ApexValue } from '../../core/values.js';
import { PlatformError, UnsupportedFeature, ApexSyntaxError } from '../../core/errors.js';
import type { AccessApi, DmlError } from '../../core/runtime.js';
import type { ApiError, ApiResult, ExecuteAnonymousResult, JsonRecord, OrgDataApi } from '../../core/org-api.js';
import type { LocalFieldDef, LocalObjectDef, LocalSchemaApi } from '../../metadata/types.js';
import { fromJsonValue, toJsonValue } from '../../stdlib/json.js';
import { parseAnonymous } from '../parse/parse.js';
import type { TxRuntime } from './tx-runtime.js';
import { idChecksum } from '../../core/ops.js';
import { parseSoql } from '../../database/soql/parser.js';
import type { SelectItem } from '../../database/soql/ast.js';
import { isCustomField } from '../../database/soql/resolve.js';

/**
 * Keeps only what the query selected (the API returns the selected fields, each parent with its selected fields;
 * the database's rows also carry Ids and foreign keys it needed). Aggregate queries are left as they are.
 */
function prune(rec: JsonRecord, select: SelectItem[], alias: string): JsonRecord {
  if (select.some((s) => s.kind === 'agg')) return rec;
  const key = (name: string) => Object.keys(rec).find((k) => k.toLowerCase() === name.toLowerCase());
  const out: JsonRecord = { attributes: rec.attributes };
  const nested = new Map<string, SelectItem[]>();
  for (const s of select) {
    if (s.kind === 'field') {
      let path = s.path;
      if (path.length > 1 && path[0].toLowerCase() === alias.toLowerCase()) path = path.slice(1);
      if (path.length === 1) {
        const k = key(path[0]);
        if (k) out[k] = rec[k];
      } else {
        const k = key(path[0]);
        if (!k) continue;
        if (!nested.has(k)) nested.set(k, []);
        nested.get(k)!.push({ kind: 'field', path: path.slice(1) });
      }
    } else if (s.kind === 'fields') {
      // FIELDS(): the record's own field values of that group (parents and child lists are objects).
      for (const [k, v] of Object.entries(rec)) {
        const inGroup = s.group === 'ALL' || (s.group === 'CUSTOM') === isCustomField({ name: k });
        if (k !== 'attributes' && inGroup && (v === null || typeof v !== 'object')) out[k] = v;
      }
    } else if (s.kind === 'sub') {
      const k = key(s.query.from);
      if (!k) continue;
      const child = rec[k] as { records?: JsonRecord[] } | null;
      out[k] =
        child && Array.isArray(child.records)
          ? { ...child, records: child.records.map((c) => prune(c, s.query.select, s.query.alias ?? s.query.from)) }
          : child;
    }
  }
  for (const [k, items] of nested) {
    const parent = rec[k] as JsonRecord | null | undefined;
    out[k] = parent && typeof parent === 'object' ? prune(parent, items, k) : (parent ?? null);
  }
  return out;
}

const err = (errorCode: string, message: string, fields?: string[]): ApiResult<never> => ({
  ok: false,
  errors: [{ errorCode, message, ...(fields ? { fields } : {}) }],
});

const notSupported = (name: string): ApiResult<never> =>
  err(
    'INVALID_TYPE',
    `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

/** The REST API's error code for an Apex QueryException message. */
function queryErrorCode(message: string): string {
  if (/^No such column|^Didn't understand relationship|^duplicate field selected/.test(message)) return 'INVALID_FIELD';
  if (/^sObject type '.*' is not supported/.test(message)) return 'INVALID_TYPE';
  return 'MALFORMED_QUERY';
}

function dmlErrors(errors: DmlError[]): ApiError[] {
  return errors.map((e) => ({ errorCode: e.statusCode, message: e.message, fields: e.fields }));
}

/** A field the API never accepts in a create or update body. */
function writable(f: LocalFieldDef, mode: 'insert' | 'update'): boolean {
  if (f.systemManaged || f.computed || f.calculated || f.formula || f.summary || f.type === 'autonumber') return false;
  if (mode === 'insert' && f.createable === false) return false;
  if (mode === 'update' && (f.updateable === false || f.masterDetail)) return false;
  return true;
}

function toJson(rt: TxRuntime, rec: ApexValue): JsonRecord {
  return toJsonValue(rt, rec, { sobjectAttributes: true }) as JsonRecord;
}

/** JSON body -> record with only the fields the user may set (INVALID_FIELD / INVALID_FIELD_FOR_INSERT_UPDATE). */
function toRecord(
  rt: TxRuntime,
  def: LocalObjectDef,
  body: JsonRecord,
  mode: 'insert' | 'update',
): ApiResult<SObjectValue> {
  const acc = rt.access;
  for (const key of Object.keys(body)) {
    if (key === 'attributes') continue;
    const f = def.fields.get(key.toLowerCase());
    if (!f || !acc.fieldReadable(def.name, f.name))
      return err('INVALID_FIELD', `No such column '${key}' on sobject of type ${def.name}`);
    if (f.name === 'Id' && mode === 'update') continue;
    // Without object access the save itself fails (INSUFFICIENT_ACCESS_OR_READONLY), before field-level security.
    if (!(mode === 'insert' ? acc.canCreate(def.name) : acc.canEdit(def.name))) continue;
    if (!writable(f, mode) || !acc.fieldEditable(def.name, f.name))
      return err(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${f.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        [f.name],
      );
  }
  try {
    const rec = fromJsonValue(rt, { ...body, attributes: { type: def.name } }, { name: def.name });
    return { ok: true, value: rec as SObjectValue };
  } catch (e) {
    if (e instanceof PlatformError) return err('JSON_PARSER_ERROR', e.message);
    throw e;
  }
}

function readableFields(def: LocalObjectDef, acc: AccessApi): string[] {
  return [...def.fields.values()]
    .filter((f) => !f.formula && !f.summary && acc.fieldReadable(def.name, f.name))
    .map((f) => f.name);
}

function visibleRecord(rt: TxRuntime, def: LocalObjectDef, id: string, fields: string[]): SObjectValue | null {
  const soql = `SELECT ${fields.join(', ')} FROM ${def.name} WHERE Id = '${id}' LIMIT 1`;
  const out = rt.db.query(soql, { userMode: true, bind: () => null, countLimits: false });
  return out instanceof ApexList && out.items.length ? (out.items[0] as SObjectValue) : null;
}

const notFound = (): ApiResult<never> => err('NOT_FOUND', 'The requested resource does not exist');

function checkId(def: LocalObjectDef, id: string): boolean {
  return /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(id) && id.slice(0, 3) === def.keyPrefix;
}

function dml(rt: TxRuntime, op: 'insert' | 'update' | 'delete', rec: SObjectValue): ApiResult<string> {
  const [row] = rt.db.dml(op, [rec], { allOrNone: false, userMode: true, api: true });
  if (!row.success) return { ok: false, errors: dmlErrors(row.errors) };
  return { ok: true, value: row.id?.value ?? '' };
}

/** An object the user may read, with the user's access. */
interface ReadableObject {
  def: LocalObjectDef;
  access: AccessApi;
}

/** SOQL through the API: user mode, no bind variables, only the selected fields of each row. */
function apiQuery(rt: TxRuntime, soql: string, includeDeleted: boolean): ApiResult<JsonRecord[] | number> {
  const out = rt.db.query(soql, {
    userMode: true,
    bind: () => {
      throw new PlatformError('System.QueryException', "unexpected token: ':' (bind variables are Apex only)");
    },
    countLimits: false,
    includeDeleted,
    apiQuery: true,
  });
  if (typeof out === 'number') return { ok: true, value: out };
  const q = parseSoql(soql);
  return { ok: true, value: out.items.map((r) => prune(toJson(rt, r), q.select, q.alias ?? q.from)) };
}

/** A record the user can see, with the fields asked for (all readable ones when null). */
function retrieveRecord(rt: TxRuntime, o: ReadableObject, id: string, fields: string[] | null): ApiResult<JsonRecord> {
  const names = fields ?? readableFields(o.def, o.access);
  for (const f of names) {
    const fd = o.def.fields.get(f.toLowerCase());
    if (!fd || !o.access.fieldReadable(o.def.name, fd.name))
      return err(
        'INVALID_FIELD',
        `No such column '${f}' on entity '${o.def.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
  }
  const rec = visibleRecord(rt, o.def, id, [
    ...new Set(['Id', ...names.map((n) => o.def.fields.get(n.toLowerCase())!.name)]),
  ]);
  if (!rec) return notFound();
  return { ok: true, value: toJson(rt, rec) };
}

function createRecord(rt: TxRuntime, def: LocalObjectDef, body: JsonRecord): ApiResult<string> {
  if (body.Id !== undefined || body.id !== undefined)
    return err(
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      'Unable to create/update fields: Id. Please check the security settings of this field and verify that it is read/write for your profile or permission set.',
      ['Id'],
    );
  const rec = toRecord(rt, def, body, 'insert');
  if (!rec.ok) return rec;
  return dml(rt, 'insert', rec.value);
}

function updateRecord(rt: TxRuntime, def: LocalObjectDef, id: string, body: JsonRecord): ApiResult<null> {
  if (!visibleRecord(rt, def, id, ['Id'])) return notFound();
  const rec = toRecord(rt, def, body, 'update');
  if (!rec.ok) return rec;
  rec.value.setRaw('Id', new ApexId(id.length === 15 ? id + idChecksum(id) : id));
  const r = dml(rt, 'update', rec.value);
  return r.ok ? { ok: true, value: null } : r;
}

function deleteRecord(rt: TxRuntime, def: LocalObjectDef, id: string): ApiResult<null> {
  const found = visibleRecord(rt, def, id, ['Id']);
  if (!found) return notFound();
  const r = dml(rt, 'delete', found);
  return r.ok ? { ok: true, value: null } : r;
}

/** The project's classes with their ApexClass Ids, and its triggers. */
function projectCode(org: LocalOrg): ReturnType<OrgDataApi['code']> {
  const ids = new Map<string, string>();
  const db = org.database();
  for (const r of db.queryRecords('SELECT Id, Name FROM ApexClass'))
    ids.set(String(r.getRaw('Name')).toLowerCase(), (r.getRaw('Id') as ApexId).value);
  const classes = [...org.reg.classes.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((c) => {
      let id = ids.get(c.lname);
      // Every class has its ApexClass row on the platform; the org creates the missing ones as jobs need them.
      if (!id)
        id = db.insertDirect('ApexClass', {
          Name: c.name,
          Status: 'Active',
          IsValid: true,
          ApiVersion: ApexDecimal.of('62.0'),
        }).value;
      return { id, name: c.name, isTest: !!c.isTest };
    });
  const triggers = org.reg.triggers.map((t) => ({ name: t.decl.name, sobject: t.decl.sobject }));
  return { classes, triggers };
}

/** Anonymous Apex as the user, with the debug log the Tooling API keeps (ExecuteAnonymousResult). */
function executeAnonymous(org: LocalOrg, source: string, userId: string): ExecuteAnonymousResult {
  const events: string[] = [];
  const stamp = (): string => {
    const d = new Date();
    return `${d.toISOString().slice(11, 19)}.${String(d.getMilliseconds()).padStart(3, '0')} (${Math.round(performance.now() * 1e6) % 1e9})`;
  };
  const result: ExecuteAnonymousResult = {
    compiled: true,
    success: true,
    line: -1,
    column: -1,
    compileProblem: null,
    exceptionMessage: null,
    exceptionStackTrace: null,
    log: '',
  };
  source.split(/\r?\n/).forEach((l) => events.push(`Execute Anonymous: ${l}`));
  let unit;
  try {
    unit = parseAnonymous('AnonymousBlock', source);
  } catch (e) {
    if (!(e instanceof ApexSyntaxError)) throw e;
    result.compiled = false;
    result.success = false;
    result.line = e.line ?? 1;
    result.column = 1;
    result.compileProblem = e.message.replace(/ \(AnonymousBlock:\d+\)$/, '').replace(/^Syntax error: /, '');
    result.log = '';
    return result;
  }
  events.push(`${stamp()}|EXECUTION_STARTED`);
  events.push(`${stamp()}|CODE_UNIT_STARTED|[EXTERNAL]|execute_anonymous_apex`);
  let r;
  try {
    r = org.runTransaction(new ApexId(userId), (rt, interp) => {
      const orig = rt.debug.bind(rt);
      rt.debug = (line: string) => {
        const at = rt.where().line;
        events.push(`${stamp()}|USER_DEBUG|[${at ?? 0}]|DEBUG|${line}`);
        orig(line);
      };
      interp.runAnonymous(unit, 'AnonymousBlock');
      return null;
    });
  } catch (e) {
    if (!(e instanceof UnsupportedFeature)) throw e;
    r = {
      ok: false as const,
      error: { typeName: 'UnsupportedFeature', message: e.message, stackTrace: '', line: e.line },
    };
  }
  if (!r.ok) {
    result.success = false;
    result.line = r.error.line ?? -1;
    result.column = 1;
    result.exceptionMessage = `${r.error.typeName}: ${r.error.message}`;
    result.exceptionStackTrace = r.error.stackTrace;
    events.push(`${stamp()}|EXCEPTION_THROWN|[${r.error.line ?? 0}]|${r.error.typeName}: ${r.error.message}`);
    events.push(`${stamp()}|FATAL_ERROR|${r.error.typeName}: ${r.error.message}`);
  }
  events.push(`${stamp()}|CODE_UNIT_FINISHED|execute_anonymous_apex`);
  events.push(`${stamp()}|EXECUTION_FINISHED`);
  // The header names the API version and the log levels (DEBUGONLY: Apex code at DEBUG).
  result.log = [`62.0 APEX_CODE,DEBUG;APEX_PROFILING,INFO`, ...events].join('\n') + '\n';
  return result;
}

export function orgDataApi(org: LocalOrg): OrgDataApi {
  const schema = org.schema as LocalSchemaApi;

  const access = (userId: string): AccessApi => org.backend.access(org.backend.user(new ApexId(userId)));

  /** Runs fn as the user in one transaction; Apex platform errors become API errors. */
  function tx<T>(userId: string, fn: (rt: TxRuntime) => ApiResult<T>): ApiResult<T> {
    let r;
    try {
      r = org.runTransaction(new ApexId(userId), (rt) => fn(rt));
    } catch (e) {
      if (e instanceof UnsupportedFeature) return err('UNSUPPORTED_FEATURE', e.message);
      throw e;
    }
    if (r.ok) return r.value;
    const code = r.error.typeName === 'System.QueryException' ? queryErrorCode(r.error.message) : 'UNKNOWN_EXCEPTION';
    return err(code, r.error.message);
  }

  const objectOf = (name: string, userId: string): ReadableObject | null => {
    const def = schema.getObject(name);
    if (!def || def.kind === 'platformEvent') return null;
    const acc = access(userId);
    if (!acc.canRead(def.name)) return null;
    return { def, access: acc };
  };

  return {
    query: (soql, userId, opts = {}) => tx(userId, (rt) => apiQuery(rt, soql, !!opts.includeDeleted)),

    retrieve(objectName, id, fields, userId) {
      const o = objectOf(objectName, userId);
      if (!o) return notSupported(objectName);
      if (!checkId(o.def, id)) return notFound();
      return tx(userId, (rt) => retrieveRecord(rt, o, id, fields));
    },

    create(objectName, body, userId) {
      const o = objectOf(objectName, userId);
      if (!o) return notSupported(objectName);
      return tx(userId, (rt) => createRecord(rt, o.def, body));
    },

    update(objectName, id, body, userId) {
      const o = objectOf(objectName, userId);
      if (!o) return notSupported(objectName);
      if (!checkId(o.def, id)) return notFound();
      return tx(userId, (rt) => updateRecord(rt, o.def, id, body));
    },

    remove(objectName, id, userId) {
      const o = objectOf(objectName, userId);
      if (!o) return notSupported(objectName);
      if (!checkId(o.def, id)) return notFound();
      return tx(userId, (rt) => deleteRecord(rt, o.def, id));
    },

    objects(userId) {
      const acc = access(userId);
      return schema
        .allObjects()
        .filter((d) => d.kind !== 'platformEvent' && acc.canRead(d.name))
        .sort((a, b) => a.name.localeCompare(b.name));
    },

    object: objectOf,

    code: () => projectCode(org),

    executeAnonymous: (source, userId) => executeAnonymous(org, source, userId),
  };
}
