/**
 * Saves a local org's data to one JSON file and loads it back (`npm start -- --data DIR`, LocalOrg.saveData/loadData).
 *
 * Saved (DIR/org.json, format FORMAT): every row of every table, live and in the recycle bin (records, users,
 * permission set assignments, custom setting rows such as the package's protected vault key, AsyncApexJob and ApexClass
 * rows, and the metadata-owned rows), the counters a reloaded org continues from (the shared Id counter, row order,
 * nicknames, auto-numbers), and the queued jobs whose state is plain data (a Queueable's fields: values, collections,
 * records, instances of the project's classes). The file holds the vault key record: it is written with mode 0600,
 * through a temporary file renamed over the old one, and should be treated like a database file.
 *
 * Field values keep their exact kind: String and Boolean as JSON, Integer as a JSON number, and tagged arrays for the
 * rest: ['L', digits] Long, ['F', n] Double, ['N', text, scale?] Decimal (scale kept), ['I', id] Id, ['D', y, m, d]
 * Date, ['DT', ms] Datetime, ['T', ms] Time, ['B', base64] Blob, ['n', text] a non-finite or negative-zero Integer.
 * Any other kind of value in a row stops the save with an error naming it; nothing is dropped silently.
 *
 * Loading replaces the org's data. Metadata-owned rows (Organization, Profile, CustomPermission, custom metadata
 * records, the permission sets in metadata and their custom permission grants) stay as the current metadata seeded
 * them; saved rows are matched to them by name and references follow (normally the Ids are equal: seeding is
 * deterministic). Ids of objects whose key prefix moved (a custom object added to metadata) are rewritten with the
 * new prefix; rows of objects and values of fields no longer in metadata are left out (listed in the report). Saved
 * metadata-owned rows without a match in the current metadata are not restored, and the assignments and grants
 * that pointed at them are dropped (as deleting a permission set deletes its assignments). An AsyncApexJob still
 * Queued or Processing whose job could not be restored is marked Aborted. The undo history is discarded: no
 * snapshot or savepoint reaches back before the load.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Decimal from 'decimal.js';
import { exceptionState } from '../core/errors.js';
import { keyOf } from '../core/ops.js';
import type { QueuedJob, Runtime } from '../core/runtime.js';
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
  type ApexClassRef,
  type ApexValue,
  type TypeRef,
} from '../core/values.js';
import type { LocalObjectDef } from '../metadata/types.js';
import type { LocalDatabase } from './database.js';
import { IdGenerator, idChecksum } from './ids.js';
import type { Row, Table } from './store.js';

/** The file in DIR. */
export const ORG_FILE = 'org.json';
/** Version of the file's layout; a file of another version is refused. */
export const FORMAT = 1;
const KIND = 'localorg-data';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface SavedRow {
  id: string;
  seq: number;
  deleted?: true;
  /** Lower-cased field name -> encoded value. */
  values: Record<string, Json>;
  clearedRefs?: { object: string; id: string; field: string }[];
  cascadedBy?: string;
  /** A row seeded from metadata (not created by Apex): gone when the metadata no longer has it. */
  metadata?: true;
}

export interface SavedTable {
  object: string;
  keyPrefix: string;
  rows: SavedRow[];
}

export interface SavedJob {
  id: string;
  className: string;
  kind?: QueuedJob['kind'];
  parentId?: string;
  delayMinutes?: number;
  userId?: string;
  dueAt?: number;
  /** The job object (graph encoding); absent when it could not be saved. */
  state?: Json;
  /** Why the job could not be saved (it is then Aborted on load). */
  notSaved?: string;
}

export interface Counters {
  ids: number;
  seq: number;
  nickname: number;
  autoNumbers: [string, number][];
}

/** The content of DIR/org.json. */
export interface OrgFile {
  format: number;
  kind: string;
  savedAt: string;
  orgId: string;
  adminUserId: string;
  counters: Counters;
  tables: SavedTable[];
  jobs: SavedJob[];
  /**
   * Generation of the journal that continues this snapshot (durable.ts: DIR/org.<journal>.journal); absent in files
   * written without one (generation 0).
   */
  journal?: number;
}

export interface SaveReport {
  file: string;
  bytes: number;
  tables: number;
  rows: number;
  jobs: number;
  /** Queued jobs whose state is not plain data: not saved, Aborted when the file is loaded. */
  jobsNotSaved: number;
}

export interface LoadReport {
  file: string;
  bytes: number;
  rows: number;
  /** The queued jobs to put back in the org's queue (in saved order). */
  jobs: QueuedJob[];
  /** Objects in the file that the metadata no longer has (their rows were left out), with row counts. */
  droppedObjects: string[];
  /** Fields in the file that the metadata no longer has (values left out), 'Object.field'. */
  droppedFields: string[];
  /** Saved rows not restored: metadata-owned rows gone from metadata, and assignments/grants that pointed at them. */
  droppedRows: number;
  /** Saved Ids that now have another value (key prefix moved, metadata row re-seeded under another Id). */
  remappedIds: number;
  /** AsyncApexJob rows marked Aborted because their job could not be restored. */
  abortedJobs: number;
}

// ------------------------------------------------------------------------------------------- values

function kindOf(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v instanceof ApexInstance) return `instance of ${v.cls.name}`;
  if (v instanceof NativeInstance) return `native ${v.typeName}`;
  if (v instanceof ApexList) return 'List';
  if (v instanceof ApexSet) return 'Set';
  if (v instanceof ApexMap) return 'Map';
  if (v instanceof SObjectValue) return `SObject ${v.sobjectType}`;
  if (typeof v === 'object' && v !== null) return (v as object).constructor?.name ?? 'object';
  return typeof v;
}

function numberText(n: number): string {
  return Object.is(n, -0) ? '-0' : String(n);
}

function plainNumber(n: number): boolean {
  return Number.isFinite(n) && !Object.is(n, -0);
}

function finite(n: number, what: string, where: string): number {
  if (!Number.isFinite(n)) throw new Error(`cannot save ${where}: a ${what} holding ${String(n)}`);
  return n;
}

/** Encodes one stored field value; throws on any kind a field cannot hold. */
export function encodeValue(v: ApexValue, where: string): Json {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return plainNumber(v) ? v : ['n', numberText(v)];
  if (typeof v === 'bigint') return ['L', v.toString()];
  if (v instanceof ApexDouble) return ['F', plainNumber(v.v) ? v.v : numberText(v.v)];
  if (v instanceof ApexDecimal) {
    const d = v.v;
    const t = d.isZero() && d.isNeg() ? '-0' : d.toString();
    return v.scale === undefined ? ['N', t] : ['N', t, v.scale];
  }
  if (v instanceof ApexId) return ['I', v.value];
  if (v instanceof ApexDate)
    return ['D', finite(v.year, 'Date', where), finite(v.month, 'Date', where), finite(v.day, 'Date', where)];
  if (v instanceof ApexDatetime) return ['DT', finite(v.ms, 'Datetime', where)];
  if (v instanceof ApexTime) return ['T', finite(v.ms, 'Time', where)];
  if (v instanceof ApexBlob) return ['B', v.bytes.toString('base64')];
  throw new Error(`cannot save ${where}: a value of kind ${kindOf(v)} (not a storable field value)`);
}

/** Maps saved Ids to the Ids they have in this org (usually the same). */
interface IdMapper {
  /** null: the row is gone (a metadata row no longer in metadata). */
  id(old: string): string | null;
  /** A String that is a remapped Id (15 or 18 characters) becomes the new Id; others stay. */
  str(s: string): string;
}

const SAME_IDS: IdMapper = { id: (s) => s, str: (s) => s };

function bad(where: string, what: string): Error {
  return new Error(`${where}: ${what}`);
}

function num(j: Json, where: string): number {
  if (typeof j === 'number') return j;
  if (j === 'NaN' || j === 'Infinity' || j === '-Infinity' || j === '-0') return Number(j);
  throw bad(where, `bad number ${JSON.stringify(j)}`);
}

/** Decodes an encoded field value. */
export function decodeValue(j: Json, where: string, ids: IdMapper = SAME_IDS): ApexValue {
  if (j === null || typeof j === 'boolean') return j;
  if (typeof j === 'string') return ids.str(j);
  if (typeof j === 'number') return j;
  if (!Array.isArray(j) || typeof j[0] !== 'string') throw bad(where, `bad value ${JSON.stringify(j)}`);
  const [tag, a, b, c] = j;
  switch (tag) {
    case 'n':
      return num(a, where);
    case 'L':
      if (typeof a !== 'string' || !/^-?\d+$/.test(a)) throw bad(where, `bad Long ${JSON.stringify(a)}`);
      return BigInt(a);
    case 'F':
      return new ApexDouble(num(a, where));
    case 'N': {
      if (typeof a !== 'string') throw bad(where, `bad Decimal ${JSON.stringify(a)}`);
      let d: Decimal;
      try {
        d = new Decimal(a);
      } catch {
        throw bad(where, `bad Decimal ${JSON.stringify(a)}`);
      }
      if (b !== undefined && (typeof b !== 'number' || !Number.isInteger(b))) throw bad(where, 'bad Decimal scale');
      return new ApexDecimal(d, b === undefined ? undefined : b);
    }
    case 'I': {
      if (typeof a !== 'string' || a.length !== 18) throw bad(where, `bad Id ${JSON.stringify(a)}`);
      const id = ids.id(a);
      return id === null ? null : new ApexId(id);
    }
    case 'D':
      if (typeof a !== 'number' || typeof b !== 'number' || typeof c !== 'number') throw bad(where, 'bad Date');
      return new ApexDate(a, b, c);
    case 'DT':
      if (typeof a !== 'number') throw bad(where, 'bad Datetime');
      return new ApexDatetime(a);
    case 'T':
      if (typeof a !== 'number') throw bad(where, 'bad Time');
      return new ApexTime(a);
    case 'B':
      if (typeof a !== 'string') throw bad(where, 'bad Blob');
      return new ApexBlob(Buffer.from(a, 'base64'));
    default:
      throw bad(where, `unknown value tag ${JSON.stringify(tag)}`);
  }
}

// ------------------------------------------------------------------------------------------- job state

/** A queued job whose object cannot be written as data (or read back): the job is left out, its row Aborted. */
class NotPlainData extends Error {}

/** No runtime: set and map keys are only recomputed for values that do not need one (no instances). */
const NO_RUNTIME = undefined as unknown as Runtime;

function plainKey(v: ApexValue): boolean {
  if (v instanceof ApexInstance || v instanceof NativeInstance) return false;
  if (v instanceof ApexList) return v.items.every(plainKey);
  if (v instanceof ApexSet) return [...v.entries.values()].every(plainKey);
  if (v instanceof ApexMap) return [...v.entries.values()].every(([k, x]) => plainKey(k) && plainKey(x));
  if (v instanceof SObjectValue) return [...v.fields.values()].every((f) => plainKey(f.value));
  return true;
}

function typeJson(t: TypeRef): Json {
  return JSON.parse(JSON.stringify(t)) as Json;
}

function encodeGraph(v: ApexValue, seen: Set<object>): Json {
  if (v !== null && typeof v === 'object') {
    if (seen.has(v)) throw new NotPlainData('it holds the same object twice (shared or cyclic references)');
    seen.add(v);
  }
  if (v instanceof ApexList) return ['list', typeJson(v.elemType), v.items.map((x) => encodeGraph(x, seen))];
  if (v instanceof ApexSet) {
    if (![...v.entries.values()].every(plainKey)) throw new NotPlainData('a Set of objects');
    return ['set', typeJson(v.elemType), [...v.entries.values()].map((x) => encodeGraph(x, seen))];
  }
  if (v instanceof ApexMap) {
    if (![...v.entries.values()].every(([k]) => plainKey(k))) throw new NotPlainData('a Map keyed by objects');
    return [
      'map',
      typeJson(v.keyType),
      typeJson(v.valueType),
      [...v.entries.values()].map(([k, x]) => [encodeGraph(k, seen), encodeGraph(x, seen)]),
    ];
  }
  if (v instanceof SObjectValue)
    return [
      'sobj',
      v.sobjectType,
      [...v.fields.values()].map((f) => [f.name, encodeGraph(f.value, seen)]),
      v.fromQuery ? 1 : 0,
    ];
  if (v instanceof ApexInstance) {
    if (exceptionState(v)) throw new NotPlainData(`it holds an exception (${v.cls.name})`);
    return ['obj', v.cls.name, [...v.fields].map(([k, x]) => [k, encodeGraph(x, seen)])];
  }
  try {
    return encodeValue(v, 'job state');
  } catch {
    throw new NotPlainData(`it holds a ${kindOf(v)}`);
  }
}

function decodeGraph(
  j: Json,
  ids: IdMapper,
  resolveClass: (name: string) => ApexClassRef | undefined,
  where: string,
): ApexValue {
  if (!Array.isArray(j)) return decodeValue(j, where, ids);
  const tag = j[0];
  const dec = (x: Json) => decodeGraph(x, ids, resolveClass, where);
  const pairs = (x: Json): [Json, Json][] => {
    if (!Array.isArray(x) || !x.every((p) => Array.isArray(p) && p.length === 2)) throw bad(where, 'bad job state');
    return x as [Json, Json][];
  };
  switch (tag) {
    case 'list':
      if (!Array.isArray(j[2])) throw bad(where, 'bad List');
      return new ApexList(j[1] as unknown as TypeRef, j[2].map(dec));
    case 'set': {
      if (!Array.isArray(j[2])) throw bad(where, 'bad Set');
      const s = new ApexSet(j[1] as unknown as TypeRef);
      for (const x of j[2].map(dec)) s.entries.set(keyOf(NO_RUNTIME, x), x);
      return s;
    }
    case 'map': {
      const m = new ApexMap(j[1] as unknown as TypeRef, j[2] as unknown as TypeRef);
      for (const [k, x] of pairs(j[3])) {
        const key = dec(k);
        m.entries.set(keyOf(NO_RUNTIME, key), [key, dec(x)]);
      }
      return m;
    }
    case 'sobj': {
      if (typeof j[1] !== 'string') throw bad(where, 'bad SObject');
      const r = new SObjectValue(j[1]);
      for (const [name, x] of pairs(j[2])) r.setRaw(String(name), dec(x));
      r.fromQuery = j[3] === 1;
      return r;
    }
    case 'obj': {
      const cls = typeof j[1] === 'string' ? resolveClass(j[1]) : undefined;
      if (!cls) throw new NotPlainData(`class ${String(j[1])} is not in the project`);
      const inst = new ApexInstance(cls);
      for (const [k, x] of pairs(j[2])) inst.fields.set(String(k), dec(x));
      return inst;
    }
    default:
      return decodeValue(j, where, ids);
  }
}

// ------------------------------------------------------------------------------------------- save

const ROW_KEYS = new Set(['id', 'values', 'deleted', 'seq', 'clearedRefs', 'cascadedBy']);

export function saveRow(def: LocalObjectDef, row: Row, metadata: boolean): SavedRow {
  for (const k of Object.keys(row))
    if (!ROW_KEYS.has(k)) throw new Error(`cannot save ${def.name} ${row.id}: unknown row property '${k}'`);
  const values: Record<string, Json> = {};
  for (const [f, v] of row.values) values[f] = encodeValue(v, `${def.name}.${f} of ${row.id}`);
  const out: SavedRow = { id: row.id, seq: row.seq, values };
  if (row.deleted) out.deleted = true;
  if (metadata) out.metadata = true;
  if (row.clearedRefs?.length) out.clearedRefs = row.clearedRefs.map((c) => ({ ...c }));
  const cascadedBy = (row as Row & { cascadedBy?: string }).cascadedBy;
  if (cascadedBy) out.cascadedBy = cascadedBy;
  return out;
}

export function saveJob(job: QueuedJob): SavedJob {
  const out: SavedJob = {
    id: job.id.value,
    className: job.className,
    kind: job.kind,
    ...(job.parentId ? { parentId: job.parentId.value } : {}),
    ...(job.delayMinutes !== undefined ? { delayMinutes: job.delayMinutes } : {}),
    ...(job.userId ? { userId: job.userId.value } : {}),
    ...(job.dueAt !== undefined ? { dueAt: job.dueAt } : {}),
  };
  if (job.kind !== 'Queueable' || !(job.job instanceof ApexInstance))
    return { ...out, notSaved: `a ${job.kind} job is not a Queueable object` };
  try {
    return { ...out, state: encodeGraph(job.job, new Set()) };
  } catch (e) {
    if (e instanceof NotPlainData) return { ...out, notSaved: e.message };
    throw e;
  }
}

/** The Ids of the rows the current metadata owns (saved with `metadata: true`). */
export function metadataRowIds(db: LocalDatabase): Set<string> {
  const metadataIds = new Set<string>();
  for (const byKey of currentMetadataRows(db).values()) for (const r of byKey.values()) metadataIds.add(r.id);
  return metadataIds;
}

/** The org's data as the file's content (throws, naming it, on a value that cannot be saved). */
export function orgData(db: LocalDatabase, jobs: readonly QueuedJob[] = [], journal?: number): OrgFile {
  const metadataIds = metadataRowIds(db);
  const tables: SavedTable[] = [];
  for (const t of db.store.allTables()) {
    if (t.rows.size === 0) continue;
    tables.push({
      object: t.def.name,
      keyPrefix: t.def.keyPrefix,
      // In creation order (seq): a rollback re-inserts rows at the end of the table's map, which must not change the file.
      rows: [...t.rows.values()].sort((a, b) => a.seq - b.seq).map((r) => saveRow(t.def, r, metadataIds.has(r.id))),
    });
  }
  return {
    format: FORMAT,
    kind: KIND,
    savedAt: new Date().toISOString(),
    orgId: db.orgId(),
    adminUserId: db.adminUserId ?? '',
    counters: db.counters(),
    tables,
    jobs: jobs.filter((j) => j.status === 'Queued').map(saveJob),
    ...(journal !== undefined ? { journal } : {}),
  };
}

/** Writes `text` to DIR/org.json: DIR created (0700), a temporary file (0600) synced then renamed over the old one. */
function writeOrgFile(dir: string, text: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, ORG_FILE);
  const tmp = path.join(dir, `.${ORG_FILE}.${process.pid}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      fs.fchmodSync(fd, 0o600);
      fs.writeFileSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
    fsyncDir(dir);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  return file;
}

/** Makes a rename or a new file in DIR durable (the directory entry itself is synced). */
export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Saves the org's data (and the queued jobs that are plain data) to DIR/org.json. */
export function saveOrgData(
  db: LocalDatabase,
  dir: string,
  opts: { jobs?: readonly QueuedJob[]; journal?: number } = {},
): SaveReport {
  const data = orgData(db, opts.jobs, opts.journal);
  const text = JSON.stringify(data);
  const file = writeOrgFile(dir, text);
  return {
    file,
    bytes: Buffer.byteLength(text),
    tables: data.tables.length,
    rows: data.tables.reduce((n, t) => n + t.rows.length, 0),
    jobs: data.jobs.filter((j) => j.state !== undefined).length,
    jobsNotSaved: data.jobs.filter((j) => j.state === undefined).length,
  };
}

// ------------------------------------------------------------------------------------------- load

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Reads and checks DIR/org.json; null when there is none. Throws a one-line Error when it is not a usable file. */
export function readOrgFile(dir: string): { file: string; bytes: number; data: OrgFile } | null {
  const file = path.join(dir, ORG_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read the saved org ${file}: ${oneLine((e as Error).message)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is corrupt (not valid JSON: ${oneLine((e as Error).message)})`);
  }
  if (!isObject(data) || data.kind !== KIND) throw new Error(`${file} is not a saved local org`);
  if (data.format !== FORMAT)
    throw new Error(
      `${file} was saved in format ${JSON.stringify(data.format)}; this local org reads format ${FORMAT} only (move the file away to start afresh)`,
    );
  const c = data.counters;
  const ok =
    typeof data.orgId === 'string' &&
    typeof data.adminUserId === 'string' &&
    isObject(c) &&
    typeof c.ids === 'number' &&
    typeof c.seq === 'number' &&
    typeof c.nickname === 'number' &&
    Array.isArray(c.autoNumbers) &&
    Array.isArray(data.jobs) &&
    Array.isArray(data.tables) &&
    data.tables.every(
      (t) =>
        isObject(t) &&
        typeof t.object === 'string' &&
        typeof t.keyPrefix === 'string' &&
        Array.isArray(t.rows) &&
        t.rows.every(
          (r) =>
            isObject(r) &&
            typeof r.id === 'string' &&
            r.id.length === 18 &&
            typeof r.seq === 'number' &&
            isObject(r.values),
        ),
    );
  if (!ok) throw new Error(`${file} is corrupt (its structure is not that of a saved org)`);
  return { file, bytes: Buffer.byteLength(text), data: data as unknown as OrgFile };
}

const AUDIT_FIELDS = ['createddate', 'createdbyid', 'lastmodifieddate', 'lastmodifiedbyid', 'systemmodstamp'];

/** Objects whose rows the metadata seeds (seedOrg): kept as seeded, saved rows matched to them by name. */
const SEEDED = new Set([
  'organization',
  'profile',
  'permissionset',
  'custompermission',
  'setupentityaccess',
  // one row per class of the project (LocalOrg.load), and the rows custom metadata relationships and cache partitions name
  'apexclass',
  'entitydefinition',
  'fielddefinition',
  'platformcachepartition',
  // the project's static resources and permission set groups (seed.ts)
  'staticresource',
  'permissionsetgroup',
]);

function metadataOwned(def: LocalObjectDef): boolean {
  return def.kind === 'customMetadata' || SEEDED.has(def.name.toLowerCase());
}

/** A field's text or Id, from a stored value or an encoded one. */
function rawText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v instanceof ApexId) return v.value;
  if (Array.isArray(v) && v[0] === 'I' && typeof v[1] === 'string') return v[1];
  return undefined;
}

/**
 * The natural key of a metadata-owned row (the same in every org seeded from the same metadata). `nameOf` names a
 * PermissionSet or CustomPermission row by Id (for SetupEntityAccess).
 */
function naturalKey(
  def: LocalObjectDef,
  get: (field: string) => unknown,
  nameOf: (id: string | undefined) => string | undefined,
): string | undefined {
  const lower = (v: unknown) => rawText(v)?.toLowerCase();
  switch (def.name.toLowerCase()) {
    case 'organization':
      return 'org';
    case 'profile':
    case 'permissionset':
    case 'apexclass':
    case 'staticresource':
      return lower(get('name'));
    case 'entitydefinition':
    case 'fielddefinition':
      return lower(get('durableid'));
    case 'setupentityaccess': {
      const a = nameOf(rawText(get('parentid')));
      const b = nameOf(rawText(get('setupentityid')));
      return a && b ? `${a}|${b}` : undefined;
    }
    default:
      return lower(get('developername'));
  }
}

/** The metadata rows of the current org by object (lower-cased) and natural key. */
function currentMetadataRows(db: LocalDatabase): Map<string, Map<string, Row>> {
  const schema = db.schema;
  const psNames = new Set(schema.allPermissionSets().map((p) => p.name.toLowerCase()));
  const grants = new Set(
    schema
      .allPermissionSets()
      .flatMap((p) => [...p.customPermissions].map((cp) => `ps:${p.name.toLowerCase()}|cp:${cp}`)),
  );
  const names = new Map<string, string>();
  const tableOf = (name: string) => {
    const def = schema.getObject(name);
    return def ? db.store.tableIfExists(def.name) : undefined;
  };
  for (const r of tableOf('PermissionSet')?.rows.values() ?? [])
    names.set(r.id, `ps:${String(rawText(r.values.get('name')) ?? '').toLowerCase()}`);
  for (const r of tableOf('CustomPermission')?.rows.values() ?? [])
    names.set(r.id, `cp:${String(rawText(r.values.get('developername')) ?? '').toLowerCase()}`);
  const nameOf = (id: string | undefined) => (id ? names.get(id) : undefined);

  const out = new Map<string, Map<string, Row>>();
  for (const t of db.store.allTables()) {
    const def = t.def;
    if (!metadataOwned(def)) continue;
    const byKey = new Map<string, Row>();
    for (const r of t.rows.values()) {
      if (r.deleted) continue;
      const lname = def.name.toLowerCase();
      if (
        lname === 'permissionset' &&
        r.values.get('isownedbyprofile') !== true &&
        !psNames.has(String(rawText(r.values.get('name')) ?? '').toLowerCase())
      )
        continue;
      const key = naturalKey(def, (f) => r.values.get(f), nameOf);
      if (key === undefined) continue;
      if (lname === 'setupentityaccess' && !grants.has(key)) continue;
      if (!byKey.has(key)) byKey.set(key, r);
    }
    out.set(def.name.toLowerCase(), byKey);
  }
  return out;
}

function withPrefix(id: string, prefix: string): string {
  const id15 = prefix + id.slice(3, 15);
  return id15 + idChecksum(id15);
}

interface Planned {
  table: Table;
  def: LocalObjectDef;
  saved: SavedRow;
  id: string;
}

/**
 * Loads DIR/org.json into `db`, replacing its data; null when there is no saved org. The file is checked and decoded
 * completely before the database changes, so a corrupt file leaves the org as it was. `resolveClass` finds the
 * project's classes for the queued jobs (without it, no job is restored).
 */
export function loadOrgData(
  db: LocalDatabase,
  dir: string,
  opts: { resolveClass?: (name: string) => ApexClassRef | undefined } = {},
): LoadReport | null {
  const read = readOrgFile(dir);
  if (!read) return null;
  return restoreOrgData(db, read, opts);
}

/** loadOrgData for a file already read (and possibly brought up to date by its journal: durable.ts). */
export function restoreOrgData(
  db: LocalDatabase,
  read: { file: string; bytes: number; data: OrgFile },
  opts: { resolveClass?: (name: string) => ApexClassRef | undefined } = {},
): LoadReport {
  try {
    return restore(db, read.data, read.file, read.bytes, opts.resolveClass);
  } catch (e) {
    throw new Error(`${read.file} cannot be loaded: ${oneLine((e as Error).message)}`);
  }
}

function restore(
  db: LocalDatabase,
  data: OrgFile,
  file: string,
  bytes: number,
  resolveClass: ((name: string) => ApexClassRef | undefined) | undefined,
): LoadReport {
  const report: LoadReport = {
    file,
    bytes,
    rows: 0,
    jobs: [],
    droppedObjects: [],
    droppedFields: [],
    droppedRows: 0,
    remappedIds: 0,
    abortedJobs: 0,
  };
  const current = currentMetadataRows(db);
  const keptIds = new Set<string>();
  for (const byKey of current.values()) for (const r of byKey.values()) keptIds.add(r.id);
  const plan = planRows(db, data, current, keptIds, report);
  const rows = decodeRows(plan, report);
  const notRestored = restoreJobs(data, plan.ids, resolveClass, report);
  replaceData(db, data, keptIds, rows, plan.gen, report);
  abortOrphanJobs(db, notRestored, report);
  db.store.discardHistory();
  return report;
}

interface RowPlan {
  planned: Planned[];
  overlays: { table: Table; def: LocalObjectDef; saved: SavedRow; current: Row }[];
  ids: IdMapper;
  gen: IdGenerator;
}

/**
 * Step 1 of a restore: where every saved row goes (or that it is gone), without touching the database. Metadata rows
 * match the current metadata by natural key; the saved admin takes the seeded admin's Id; Ids taken twice get fresh
 * ones.
 */
function planRows(
  db: LocalDatabase,
  data: OrgFile,
  current: ReturnType<typeof currentMetadataRows>,
  keptIds: Set<string>,
  report: LoadReport,
): RowPlan {
  const schema = db.schema;
  // Names of the saved permission sets and custom permissions (SetupEntityAccess keys).
  const savedNames = new Map<string, string>();
  for (const t of data.tables) {
    const o = t.object.toLowerCase();
    if (o !== 'permissionset' && o !== 'custompermission') continue;
    for (const r of t.rows) {
      const n = rawText(r.values[o === 'permissionset' ? 'name' : 'developername']);
      if (n !== undefined) savedNames.set(r.id, `${o === 'permissionset' ? 'ps' : 'cp'}:${n.toLowerCase()}`);
    }
  }
  const savedNameOf = (id: string | undefined) => (id ? savedNames.get(id) : undefined);

  const moved = new Map<string, string | null>();
  const move = (from: string, to: string | null) => {
    if (from !== to) moved.set(from, to);
  };
  const planned: Planned[] = [];
  const overlays: { table: Table; def: LocalObjectDef; saved: SavedRow; current: Row }[] = [];
  for (const st of data.tables) {
    const def = schema.getObject(st.object);
    if (!def) {
      report.droppedObjects.push(`${st.object} (${st.rows.length} rows)`);
      continue;
    }
    const table = db.store.table(def);
    const owned = metadataOwned(def);
    const byKey = current.get(def.name.toLowerCase());
    for (const r of st.rows) {
      if (owned) {
        const key = naturalKey(def, (f) => r.values[f], savedNameOf);
        const match = key === undefined ? undefined : byKey?.get(key);
        if (match) {
          move(r.id, match.id);
          overlays.push({ table, def, saved: r, current: match });
          continue;
        }
        if (r.metadata || def.kind === 'customMetadata' || !def.dmlAllowed.insert) {
          move(r.id, null);
          report.droppedRows++;
          continue;
        }
      }
      const id = def.keyPrefix === st.keyPrefix ? r.id : withPrefix(r.id, def.keyPrefix);
      move(r.id, id);
      planned.push({ table, def, saved: r, id });
    }
  }
  // The org's admin is the seeded one (LocalOrg.adminUserId): the saved admin's row takes its Id.
  const admin = planned.find((p) => p.saved.id === data.adminUserId && p.def.name === 'User');
  if (!admin) throw new Error(`the saved admin user ${data.adminUserId} is not in the file`);
  if (db.adminUserId) {
    admin.id = db.adminUserId;
    move(data.adminUserId, db.adminUserId);
  }
  // Ids taken twice (a kept metadata row, or an Id that the remapping gave twice) get fresh ones.
  const gen = new IdGenerator(Math.max(db.ids.counter, data.counters.ids));
  const used = new Set([...keptIds, admin.id]);
  for (const p of planned) {
    if (p === admin) continue;
    if (used.has(p.id)) {
      p.id = gen.next(p.def.keyPrefix).value;
      move(p.saved.id, p.id);
    }
    used.add(p.id);
  }
  report.remappedIds = moved.size;

  const moved15 = new Map<string, string>();
  for (const [a, b] of moved) if (b) moved15.set(a.slice(0, 15), b.slice(0, 15));
  const ids: IdMapper = moved.size
    ? {
        id: (s) => (moved.has(s) ? (moved.get(s) ?? null) : s),
        str: (s) => (s.length === 18 ? (moved.get(s) ?? s) : s.length === 15 ? (moved15.get(s) ?? s) : s),
      }
    : SAME_IDS;

  return { planned, overlays, ids, gen };
}

/** Step 2: decodes every restored row; metadata rows keep the current values with the saved audit fields. */
function decodeRows(plan: RowPlan, report: LoadReport): { table: Table; row: Row }[] {
  const { planned, overlays, ids } = plan;
  const dropped = new Set<string>();
  const rows: { table: Table; row: Row }[] = [];
  for (const p of planned) {
    const values = new Map<string, ApexValue>();
    let keep = true;
    for (const [f, j] of Object.entries(p.saved.values)) {
      const field = p.def.fields.get(f);
      if (!field) {
        dropped.add(`${p.def.name}.${f}`);
        continue;
      }
      if (Array.isArray(j) && j[0] === 'I' && typeof j[1] === 'string' && ids.id(j[1]) === null) {
        // A reference to a metadata row that is gone: required references drop the row, others become null.
        if (field.required || field.masterDetail || p.def.name === 'SetupEntityAccess') keep = false;
        values.set(f, null);
        continue;
      }
      values.set(f, decodeValue(j, `${p.def.name}.${f} of ${p.saved.id}`, ids));
    }
    if (!keep) {
      report.droppedRows++;
      continue;
    }
    const row: Row & { cascadedBy?: string } = {
      id: p.id,
      values,
      deleted: p.saved.deleted === true,
      seq: p.saved.seq,
      ...(p.saved.clearedRefs
        ? {
            clearedRefs: p.saved.clearedRefs.map((c) => ({
              object: String(c.object),
              id: ids.id(String(c.id)) ?? String(c.id),
              field: String(c.field),
            })),
          }
        : {}),
      ...(p.saved.cascadedBy ? { cascadedBy: ids.id(p.saved.cascadedBy) ?? p.saved.cascadedBy } : {}),
    };
    rows.push({ table: p.table, row });
  }
  report.droppedFields = [...dropped];
  // Metadata rows keep the current metadata's values, with the saved row's audit fields (when it was created).
  for (const o of overlays) {
    const values = new Map(o.current.values);
    for (const f of AUDIT_FIELDS) {
      const j = o.saved.values[f];
      if (j !== undefined && o.def.fields.has(f))
        values.set(f, decodeValue(j, `${o.def.name}.${f} of ${o.saved.id}`, ids));
    }
    rows.push({ table: o.table, row: { ...o.current, values } });
  }

  return rows;
}

/** Step 3: the queued jobs that can come back (into report.jobs); the others by Id with the reason. */
function restoreJobs(
  data: OrgFile,
  ids: IdMapper,
  resolveClass: ((name: string) => ApexClassRef | undefined) | undefined,
  report: LoadReport,
): Map<string, string> {
  const notRestored = new Map<string, string>();
  for (const sj of data.jobs) {
    if (!isObject(sj) || typeof sj.id !== 'string' || typeof sj.className !== 'string')
      throw new Error('a queued job entry is malformed');
    const id = ids.id(sj.id);
    if (!id) continue;
    if (sj.state === undefined || !resolveClass) {
      notRestored.set(id, sj.notSaved ?? 'its state was not saved');
      continue;
    }
    try {
      const job = decodeGraph(sj.state, ids, resolveClass, `queued job ${sj.id}`);
      const userId = sj.userId ? ids.id(sj.userId) : null;
      const parentId = sj.parentId ? ids.id(sj.parentId) : null;
      report.jobs.push({
        id: new ApexId(id),
        kind: sj.kind ?? 'Queueable',
        job,
        className: sj.className,
        status: 'Queued',
        ...(parentId ? { parentId: new ApexId(parentId) } : {}),
        ...(sj.delayMinutes !== undefined ? { delayMinutes: sj.delayMinutes } : {}),
        ...(userId ? { userId: new ApexId(userId) } : {}),
        ...(sj.dueAt !== undefined ? { dueAt: sj.dueAt } : {}),
      });
    } catch (e) {
      if (!(e instanceof NotPlainData)) throw e;
      notRestored.set(id, e.message);
    }
  }

  return notRestored;
}

/** Step 4: everything but the current metadata rows goes, the saved rows come in, counters continue. */
function replaceData(
  db: LocalDatabase,
  data: OrgFile,
  keptIds: Set<string>,
  rows: { table: Table; row: Row }[],
  gen: IdGenerator,
  report: LoadReport,
): void {
  const schema = db.schema;
  for (const t of db.store.allTables()) {
    for (const id of [...t.rows.keys()]) if (!keptIds.has(id)) db.store.remove(t, id);
  }
  for (const { table, row } of rows) db.store.put(table, row);
  report.rows = rows.length;
  db.continueCounters({
    ids: gen.counter,
    seq: data.counters.seq,
    nickname: data.counters.nickname,
    autoNumbers: data.counters.autoNumbers.filter(
      (a): a is [string, number] =>
        Array.isArray(a) &&
        typeof a[0] === 'string' &&
        typeof a[1] === 'number' &&
        !!schema.getObject(a[0].split('.')[0]),
    ),
  });
}

/** Step 5: jobs left waiting or running with nothing to run them are Aborted, with the reason. */
function abortOrphanJobs(db: LocalDatabase, notRestored: Map<string, string>, report: LoadReport): void {
  const schema = db.schema;
  const restoredJobs = new Set(report.jobs.map((j) => j.id.value));
  const jobDef = schema.getObject('AsyncApexJob');
  const jobTable = jobDef ? db.store.tableIfExists(jobDef.name) : undefined;
  for (const r of [...(jobTable?.rows.values() ?? [])]) {
    const status = r.values.get('status');
    if (r.deleted || restoredJobs.has(r.id)) continue;
    if (status !== 'Queued' && status !== 'Holding' && status !== 'Preparing' && status !== 'Processing') continue;
    const why = notRestored.get(r.id) ?? 'the job was not running when the org was saved';
    db.updateDirect(new ApexId(r.id), {
      Status: 'Aborted',
      CompletedDate: new ApexDatetime(db.now()),
      ExtendedStatus: `Not restored when the org was loaded from saved data: ${why}`.slice(0, 255),
    });
    report.abortedJobs++;
  }
}
