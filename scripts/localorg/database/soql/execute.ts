/**
 * Runs a parsed SOQL query over the store. Platform rules encoded here (SOQL and SOSL Reference unless noted):
 *  - string comparison (=, !=, IN, LIKE, ORDER BY) is case-insensitive; Ids compare on their 18-character form;
 *  - `!=` and NOT IN match null field values, `<`, `>`, LIKE never match null (SOQL treats null as a value);
 *  - without ORDER BY the order is unspecified: rows come back shuffled (seeded) so code relying on it fails early;
 *  - ORDER BY: ASC by default, "By default, null values are sorted first" for ASC and DESC alike;
 *  - OFFSET at most 2000; every returned row (child rows of subqueries too, and every row an aggregate reads) counts
 *    toward the 50,000 query-row limit (Apex Developer Guide, Execution Governors and Limits);
 *  - Apex always returns Id; rows are fresh SObjects with fromQuery = true and only the selected fields;
 *  - WITH USER_MODE: object and field permissions of the running user on every clause, record sharing always;
 *    errors are QueryExceptions, inaccessible fields listed in extra.inaccessibleFields (QueryException.getInaccessibleFields);
 *  - WITH SECURITY_ENFORCED: object/field read access of the SELECT clause; "Insufficient permissions: secure query included inaccessible field".
 */
import { platformError, UnsupportedFeature } from '../../core/errors.js';
import {
  ApexDate,
  ApexDatetime,
  ApexDecimal,
  ApexId,
  ApexList,
  ApexSet,
  SObjectValue,
  type ApexValue,
} from '../../core/values.js';
import { isNumeric, toDecimalJs, tryToId } from '../../core/ops.js';
import { TEXT_FIELD_TYPES } from '../../core/runtime.js';
import type { LocalFieldDef, LocalObjectDef, LocalSchemaApi } from '../../metadata/types.js';
import type { UserAccess } from '../access.js';
import type { Row, Store } from '../store.js';
import { compareValues, dateKey, indexKey, soqlEquals } from '../value-utils.js';
import type { Cond, FieldExpr, FieldsGroup, Query, SelectItem, ValueExpr } from './ast.js';
import { dateLiteralRange, midnightMs } from './date-literals.js';
import { queryError } from './lexer.js';
import { fieldsInGroup, resolveObject, resolvePath, type ResolvedPath } from './resolve.js';

export interface ExecEnv {
  schema: LocalSchemaApi;
  store: Store;
  bind: (text: string) => ApexValue;
  nowMs: number;
  timeZone: string;
  userId: string;
  userMode: boolean;
  securityEnforced: boolean;
  /** Record sharing applies (USER_MODE, or a 'with sharing' context). */
  sharing: boolean;
  /** The REST API's queryAll: rows in the recycle bin match too (QueryOptions.includeDeleted). */
  includeDeleted?: boolean;
  access: UserAccess;
  shuffle: boolean;
  random: () => number;
  stats: { rowsScanned: number };
  /** Row visibility under sharing (from the database). */
  visible: (def: LocalObjectDef, row: Row) => boolean;
  /**
   * The query comes from the REST API, not Apex: FIELDS(ALL) and FIELDS(CUSTOM) are allowed there (with a LIMIT of at
   * most 200); Apex accepts only the bounded FIELDS(STANDARD). See expandFields.
   */
  apiQuery?: boolean;
}

type RowPred = (row: Row) => boolean;

// ---------------------------------------------------------------------------------------------
// Reading values
// ---------------------------------------------------------------------------------------------

export function lookupRow(store: Store, schema: LocalSchemaApi, v: ApexValue | undefined): Row | undefined {
  if (!(v instanceof ApexId)) return undefined;
  const def = schema.objectForKeyPrefix(v.keyPrefix);
  if (!def) return undefined;
  const r = store.get(def, v.value);
  return r && !r.deleted ? r : undefined;
}

/**
 * The target of a custom metadata relationship: the row of the target object (EntityDefinition, FieldDefinition or a
 * custom metadata type) whose QualifiedApiName is the field's text (Salesforce Help, "Custom Metadata Relationships").
 */
export function metadataTarget(
  store: Store,
  schema: LocalSchemaApi,
  target: LocalObjectDef | undefined,
  v: ApexValue | undefined,
): Row | undefined {
  if (v instanceof ApexId) return lookupRow(store, schema, v);
  if (typeof v !== 'string' || !target) return undefined;
  const t = store.tableIfExists(target.name);
  if (!t) return undefined;
  for (const field of ['durableid', 'qualifiedapiname', 'developername']) {
    if (!target.fields.has(field)) continue;
    for (const id of t.index(field).get(indexKey(v)) ?? []) {
      const r = t.rows.get(id);
      if (r && !r.deleted) return r;
    }
  }
  return undefined;
}

function followStep(
  env: ExecEnv,
  row: Row,
  lookup: LocalFieldDef,
  target: LocalObjectDef | undefined,
): Row | undefined {
  let v = row.values.get(lookup.name.toLowerCase());
  if (!lookup.metadataRelationship) return lookupRow(env.store, env.schema, v);
  // A relationship to FieldDefinition names the field; its controlling field names the object: the field's durable Id
  // is `Object.Field`.
  const entity = lookup.controllingField ? row.values.get(lookup.controllingField.toLowerCase()) : undefined;
  if (typeof entity === 'string' && typeof v === 'string') v = `${entity}.${v}`;
  return metadataTarget(env.store, env.schema, target, v);
}

function readPath(env: ExecEnv, row: Row, p: ResolvedPath): ApexValue {
  if (p.steps.length === 0) return row.values.get(p.key) ?? null;
  let cur: Row | undefined = row;
  for (const s of p.steps) {
    cur = followStep(env, cur, s.field, s.targets[0]);
    if (!cur) return null;
  }
  return cur.values.get(p.key) ?? null;
}

// ---------------------------------------------------------------------------------------------
// Operands
// ---------------------------------------------------------------------------------------------

type Operand =
  | { kind: 'values'; values: ApexValue[]; /** a collection bound to = or != */ many?: boolean }
  | { kind: 'range'; start: ApexValue; end: ApexValue };

function typeErr(field: LocalFieldDef, want: string, quoted: boolean): Error {
  return queryError(
    `value of filter criterion for field '${field.name}' must be of type ${want} and should ${quoted ? '' : 'not '}be enclosed in quotes`,
  );
}

const STRINGY: ReadonlySet<string> = TEXT_FIELD_TYPES;
const NUMERIC = new Set(['int', 'double', 'currency', 'percent']);

/** Checks a literal's type against the field (the platform rejects `Name = 5` and `CreatedDate = '2020-01-01'`). */
function checkLiteral(field: LocalFieldDef, lit: string, v: ApexValue): ApexValue {
  if (lit === 'null') return null;
  const t = field.type;
  if (t === 'id' || t === 'reference') {
    if (lit !== 'string') throw typeErr(field, 'id', true);
    const id = tryToId(v as string);
    if (!id) throw queryError(`invalid ID field: ${v as string}`);
    return id;
  }
  if (STRINGY.has(t)) {
    if (lit !== 'string') throw typeErr(field, 'string', true);
    // Text fields store an empty value as null, so `Field = ''` matches the rows without a value (as `= null` does).
    return v === '' ? null : v;
  }
  if (t === 'boolean') {
    if (lit !== 'boolean') throw typeErr(field, 'boolean', false);
    return v;
  }
  if (NUMERIC.has(t)) {
    if (lit !== 'number') throw typeErr(field, 'number', false);
    return v;
  }
  if (t === 'date') {
    if (lit !== 'date') throw typeErr(field, 'date', false);
    return v;
  }
  if (t === 'datetime') {
    if (lit !== 'datetime') throw typeErr(field, 'dateTime', false);
    return v;
  }
  return v;
}

/** A bound Apex value for a field: strings become Ids for Id fields, SObjects their Id, numbers stay numbers. */
function coerceBound(field: LocalFieldDef, v: ApexValue): ApexValue {
  if (v === null) return null;
  // A relationship to another custom metadata type holds the target record's Id here (seed.ts): a bound record
  // stands for its Id, as for a lookup.
  if (field.metadataRelationship && v instanceof SObjectValue) return v.id;
  if (field.type === 'id' || field.type === 'reference') {
    if (v instanceof SObjectValue) return v.id;
    if (typeof v === 'string') {
      // An empty String bound to an Id field is a null value (as '' is for text fields), not an invalid Id: the
      // platform finds no row for `Id = :''` (trailheadapps/apex-recipes CustomRestEndpointRecipes_Tests passes a
      // request URI ending in '/' to `WHERE Id = :recordId` and expects the code after the query to run).
      if (v === '') return null;
      const id = tryToId(v);
      if (!id) throw queryError(`invalid ID field: ${v}`);
      return id;
    }
    return v;
  }
  if (STRINGY.has(field.type) && v instanceof ApexId) return v.value;
  return v;
}

function bindItems(v: ApexValue): ApexValue[] | null {
  if (v instanceof ApexList) return v.items;
  if (v instanceof ApexSet) return [...v.entries.values()];
  return null;
}

// ---------------------------------------------------------------------------------------------
// Conditions
// ---------------------------------------------------------------------------------------------

class Compiler {
  constructor(
    private readonly env: ExecEnv,
    private readonly def: LocalObjectDef,
    private readonly alias: string | undefined,
    private readonly fieldsSeen: ResolvedPath[],
  ) {}
  /** Evaluated operands per comparison node (binds are evaluated once per query). */
  readonly operands = new Map<Cond, Operand>();
  readonly paths = new Map<Cond, ResolvedPath>();

  path(p: string[]): ResolvedPath {
    const r = resolvePath(this.env.schema, this.def, p, this.alias);
    this.fieldsSeen.push(r);
    return r;
  }

  operand(c: Extract<Cond, { kind: 'cmp' }>, field: LocalFieldDef): Operand {
    const hit = this.operands.get(c);
    if (hit) return hit;
    const op = this.evalOperand(c.right, field, c.op);
    this.operands.set(c, op);
    return op;
  }

  private evalOperand(r: ValueExpr, field: LocalFieldDef, op: string): Operand {
    switch (r.kind) {
      case 'lit':
        return { kind: 'values', values: [checkLiteral(field, r.lit, r.value)] };
      case 'list':
        return {
          kind: 'values',
          values: r.items.flatMap((i) => (this.evalOperand(i, field, '=') as { values: ApexValue[] }).values),
        };
      case 'bind': {
        const v = this.env.bind(r.text);
        const items = bindItems(v);
        if (op === 'IN' || op === 'NOT IN' || op === 'INCLUDES' || op === 'EXCLUDES') {
          if (!items) return { kind: 'values', values: [coerceBound(field, v)] };
          return { kind: 'values', values: items.map((x) => coerceBound(field, x)) };
        }
        // `field = :collection` filters like IN and `!= :collection` like NOT IN (observed platform behaviour,
        // https://salesforce.stackexchange.com/questions/165416; public suites that pass on the platform rely on it).
        if (items && (op === '=' || op === '!='))
          return { kind: 'values', values: items.map((x) => coerceBound(field, x)), many: true };
        if (items)
          throw queryError(
            `Invalid bind expression type of ${v instanceof ApexList ? 'List' : 'Set'} for column of type ${field.type}`,
          );
        return { kind: 'values', values: [coerceBound(field, v)] };
      }
      case 'dateLit': {
        if (field.type !== 'date' && field.type !== 'datetime') throw typeErr(field, field.type, true);
        const range = dateLiteralRange(r.name, r.n, this.env.nowMs, this.env.timeZone);
        if (field.type === 'date') return { kind: 'range', start: range.start, end: range.end };
        return {
          kind: 'range',
          start: new ApexDatetime(midnightMs(range.start, this.env.timeZone)),
          end: new ApexDatetime(midnightMs(range.end, this.env.timeZone)),
        };
      }
      case 'sub': {
        const rows = runSemiJoin(this.env, r.query);
        return { kind: 'values', values: rows.map((x) => coerceBound(field, x)) };
      }
    }
  }

  compile(c: Cond): RowPred {
    switch (c.kind) {
      case 'and': {
        const ps = c.items.map((i) => this.compile(i));
        return (row) => ps.every((p) => p(row));
      }
      case 'or': {
        const ps = c.items.map((i) => this.compile(i));
        return (row) => ps.some((p) => p(row));
      }
      case 'not': {
        const p = this.compile(c.item);
        return (row) => !p(row);
      }
      case 'cmp':
        return this.compileCmp(c);
    }
  }

  private compileCmp(c: Extract<Cond, { kind: 'cmp' }>): RowPred {
    if (c.left.kind !== 'path') throw queryError('Aggregate functions are only allowed in HAVING and SELECT');
    const p = this.path(c.left.path);
    // Long text area and encrypted fields cannot be filtered (SOQL and SOSL Reference, WHERE: field types).
    if (p.field.type === 'longtextarea' || p.field.type === 'encryptedstring') {
      throw queryError(`field '${p.field.name}' can not be filtered in a query call`);
    }
    this.paths.set(c, p);
    const operand = this.operand(c, p.field);
    const read = (row: Row) => readPath(this.env, row, p);
    return cmpPredicate(c.op, p.field, operand, read);
  }
}

function likeRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\' && (pattern[i + 1] === '%' || pattern[i + 1] === '_')) {
      re += '\\' + pattern[++i];
    } else if (ch === '%') re += '[\\s\\S]*';
    else if (ch === '_') re += '[\\s\\S]';
    else re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

function cmpPredicate(op: string, field: LocalFieldDef, operand: Operand, read: (r: Row) => ApexValue): RowPred {
  if (operand.kind === 'range') return dateRangePredicate(op, operand, read);
  const values = operand.values;
  // "String comparisons using the equals operator are case-sensitive for unique case-sensitive fields and
  // case-insensitive for all other fields" (SOQL and SOSL Reference, Comparison Operators). Applied to =, !=, IN, NOT IN.
  const cs = !!(field.unique && field.caseSensitive && STRINGY.has(field.type));
  switch (op) {
    case '=':
    case '!=':
      if (operand.many) return cmpPredicate(op === '=' ? 'IN' : 'NOT IN', field, { ...operand, many: false }, read);
      return equalityPredicate(op, values[0] ?? null, cs, read);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return orderingPredicate(op, field, values[0] ?? null, read);
    case 'LIKE':
      return likePredicate(field, values[0] ?? null, read);
    case 'IN':
    case 'NOT IN': {
      const keys = new Set(values.map((v) => indexKey(v, cs)));
      const not = op === 'NOT IN';
      return (r) => keys.has(indexKey(read(r), cs)) !== not;
    }
    case 'INCLUDES':
    case 'EXCLUDES':
      return multiPicklistPredicate(op, field, values, read);
    default:
      throw queryError(`unexpected operator ${op}`);
  }
}

/** `=` and `!=`: a null operand tests for null; otherwise null never equals a value. */
function equalityPredicate(op: '=' | '!=', one: ApexValue, cs: boolean, read: (r: Row) => ApexValue): RowPred {
  const eq = cs ? (a: ApexValue, b: ApexValue) => a === b : soqlEquals;
  if (op === '=')
    return one === null
      ? (r) => read(r) === null
      : (r) => {
          const v = read(r);
          return v !== null && eq(v, one);
        };
  return one === null
    ? (r) => read(r) !== null
    : (r) => {
        const v = read(r);
        return v === null || !eq(v, one);
      };
}

/** `<`, `<=`, `>`, `>=`: never true for null (on either side); refused on a Boolean field. */
function orderingPredicate(op: string, field: LocalFieldDef, one: ApexValue, read: (r: Row) => ApexValue): RowPred {
  if (field.type === 'boolean') throw queryError(`invalid operator on boolean field: ${op}`);
  if (one === null) return () => false;
  const test =
    op === '<'
      ? (x: number) => x < 0
      : op === '<='
        ? (x: number) => x <= 0
        : op === '>'
          ? (x: number) => x > 0
          : (x: number) => x >= 0;
  return (r) => {
    const v = read(r);
    if (v === null) return false;
    const c = compareValues(v, one);
    return !Number.isNaN(c) && test(c);
  };
}

/** `LIKE` (case-insensitive, `%` and `_` wildcards, a backslash escapes them): text, Id and lookup fields only. */
function likePredicate(field: LocalFieldDef, one: ApexValue, read: (r: Row) => ApexValue): RowPred {
  if (!STRINGY.has(field.type) && field.type !== 'id' && field.type !== 'reference')
    throw queryError(`invalid operator on field ${field.name}: LIKE`);
  if (one === null) return (r) => read(r) === null;
  const re = likeRegex(String(one instanceof ApexId ? one.value : one));
  return (r) => {
    const v = read(r);
    return v !== null && re.test(v instanceof ApexId ? v.value : String(v));
  };
}

/** `INCLUDES` / `EXCLUDES` on a multi-select picklist: each operand is a `;`-separated set of values. */
function multiPicklistPredicate(
  op: 'INCLUDES' | 'EXCLUDES',
  field: LocalFieldDef,
  values: ApexValue[],
  read: (r: Row) => ApexValue,
): RowPred {
  if (field.type !== 'multipicklist') throw queryError(`INCLUDES/EXCLUDES operator only valid on multipicklist field`);
  const groups = values
    .filter((v) => v !== null)
    .map((v) =>
      String(v)
        .toLowerCase()
        .split(';')
        .map((s) => s.trim())
        .filter(Boolean),
    );
  const inc = (r: Row) => {
    const v = read(r);
    if (v === null) return false;
    const have = new Set(
      String(v)
        .toLowerCase()
        .split(';')
        .map((s) => s.trim()),
    );
    return groups.some((g) => g.every((x) => have.has(x)));
  };
  return op === 'INCLUDES' ? inc : (r) => !inc(r);
}

/** A comparison with a date literal (`THIS_MONTH`, `LAST_N_DAYS:n`, ...): the literal is a [start, end) range. */
function dateRangePredicate(
  op: string,
  operand: Extract<Operand, { kind: 'range' }>,
  read: (r: Row) => ApexValue,
): RowPred {
  const { start, end } = operand;
  const inRange = (v: ApexValue) => v !== null && compareValues(v, start) >= 0 && compareValues(v, end) < 0;
  switch (op) {
    case '=':
      return (r) => inRange(read(r));
    case '!=':
      return (r) => !inRange(read(r));
    case '<':
      return (r) => {
        const v = read(r);
        return v !== null && compareValues(v, start) < 0;
      };
    case '<=':
      return (r) => {
        const v = read(r);
        return v !== null && compareValues(v, end) < 0;
      };
    case '>':
      return (r) => {
        const v = read(r);
        return v !== null && compareValues(v, end) >= 0;
      };
    case '>=':
      return (r) => {
        const v = read(r);
        return v !== null && compareValues(v, start) >= 0;
      };
    default:
      throw queryError(`invalid operator on date literal: ${op}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Row selection (index use, filter, sharing)
// ---------------------------------------------------------------------------------------------

// Booleans are left out: an index on a two-valued field selects half the table and costs more than a scan.
const INDEXABLE = new Set(['id', 'reference', 'string', 'email', 'phone', 'url', 'picklist', 'int', 'autonumber']);

function candidateRows(env: ExecEnv, def: LocalObjectDef, where: Cond | undefined, comp: Compiler): Row[] {
  const table = env.store.table(def);
  const conj: Cond[] = !where ? [] : where.kind === 'and' ? where.items : [where];
  for (const c of conj) {
    if (c.kind !== 'cmp' || (c.op !== '=' && c.op !== 'IN') || c.left.kind !== 'path') continue;
    if (c.right.kind === 'dateLit') continue;
    const p = resolvePath(env.schema, def, c.left.path, undefined);
    if (p.steps.length || !INDEXABLE.has(p.field.type)) continue;
    const op = comp.operand(c, p.field);
    if (op.kind !== 'values') continue;
    const out: Row[] = [];
    const seen = new Set<string>();
    if (p.key === 'id') {
      for (const v of op.values) {
        const id = v instanceof ApexId ? v.value : null;
        if (!id || seen.has(id)) continue;
        seen.add(id);
        const r = table.rows.get(id);
        if (r) out.push(r);
      }
      return out;
    }
    const idx = table.index(p.key);
    for (const v of op.values) {
      const ids = idx.get(indexKey(v));
      if (!ids) continue;
      for (const id of ids) {
        if (seen.has(id)) continue;
        seen.add(id);
        out.push(table.rows.get(id)!);
      }
    }
    return out;
  }
  return [...table.rows.values()];
}

function selectRows(env: ExecEnv, def: LocalObjectDef, q: Query, comp: Compiler, extraPred?: RowPred): Row[] {
  const pred = q.where ? comp.compile(q.where) : null;
  const cands = candidateRows(env, def, q.where, comp);
  env.stats.rowsScanned += cands.length;
  const sharing = env.sharing && !env.access.isAdmin;
  const out: Row[] = [];
  for (const r of cands) {
    if (r.deleted && !env.includeDeleted) continue;
    if (extraPred && !extraPred(r)) continue;
    if (pred && !pred(r)) continue;
    if (sharing && !env.visible(def, r)) continue;
    out.push(r);
  }
  return out;
}

function shuffleInPlace<T>(a: T[], random: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

function sortRows(env: ExecEnv, rows: Row[], orderBy: Query['orderBy'], comp: Compiler, keep?: number): void {
  if (env.shuffle) shuffleInPlace(rows, env.random);
  if (!orderBy || !orderBy.length) return;
  const keys = orderBy.map((o) => {
    if (o.expr.kind !== 'path') throw queryError('Ordered field must be grouped or aggregated');
    const p = comp.path(o.expr.path);
    if (p.field.type === 'multipicklist' || p.field.type === 'longtextarea')
      throw queryError(`field '${p.field.name}' can not be sorted in a query call`);
    return { p, desc: o.desc, nullsLast: o.nullsLast };
  });
  // Sort keys are computed once per row (strings lower-cased: SOQL sorting is case-insensitive).
  const cmp = (a: { k: (string | number | null)[] }, b: { k: (string | number | null)[] }) => {
    for (let i = 0; i < keys.length; i++) {
      const x = a.k[i];
      const y = b.k[i];
      if (x === y) continue;
      if (x === null || y === null) return (x === null ? -1 : 1) * (keys[i].nullsLast ? -1 : 1);
      const c = x < y ? -1 : x > y ? 1 : 0;
      if (c) return keys[i].desc ? -c : c;
    }
    return 0;
  };
  if (keep !== undefined && keep < rows.length / 4) {
    // Top-K: only LIMIT + OFFSET rows are needed; keep a sorted buffer (stable: later equal rows go after).
    const buf: { r: Row; k: (string | number | null)[] }[] = [];
    const probe: { r: Row | null; k: (string | number | null)[] } = { r: null, k: new Array(keys.length) };
    for (const r of rows) {
      // Keys go into a reused probe first: most rows are rejected against the current worst without allocating.
      for (let i = 0; i < keys.length; i++) probe.k[i] = sortKey(readPath(env, r, keys[i].p));
      if (buf.length === keep && cmp(probe, buf[buf.length - 1]) >= 0) continue;
      const item = { r, k: probe.k.slice() };
      let lo = 0;
      let hi = buf.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cmp(item, buf[mid]) < 0) hi = mid;
        else lo = mid + 1;
      }
      buf.splice(lo, 0, item);
      if (buf.length > keep) buf.pop();
    }
    rows.length = buf.length;
    for (let i = 0; i < buf.length; i++) rows[i] = buf[i].r;
    return;
  }
  const decorated = rows.map((r) => ({ r, k: keys.map((k) => sortKey(readPath(env, r, k.p))) }));
  decorated.sort(cmp);
  for (let i = 0; i < rows.length; i++) rows[i] = decorated[i].r;
}

/** A primitive that orders like the value (strings case-insensitively). */
function sortKey(v: ApexValue): string | number | null {
  if (v === null) return null;
  if (typeof v === 'string') return v.toLowerCase();
  if (v instanceof ApexId) return v.value.toLowerCase();
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (isNumeric(v)) return toDecimalJs(v).toNumber();
  if (v instanceof ApexDate) return dateKey(v);
  if (v instanceof ApexDatetime) return v.ms;
  return String(v);
}

function compareNullable(a: ApexValue, b: ApexValue, desc: boolean, nullsLast: boolean): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    return (a === null ? -1 : 1) * (nullsLast ? -1 : 1);
  }
  const c = compareValues(a, b);
  if (Number.isNaN(c)) return 0;
  return desc ? -c : c;
}

function numberOf(env: ExecEnv, v: ValueExpr | undefined, what: string): number | undefined {
  if (!v) return undefined;
  const x = v.kind === 'lit' ? v.value : v.kind === 'bind' ? env.bind(v.text) : null;
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0)
    throw queryError(`${what} must be a non-negative integer`);
  return x;
}

// ---------------------------------------------------------------------------------------------
// Access checks
// ---------------------------------------------------------------------------------------------

function checkAccess(
  env: ExecEnv,
  def: LocalObjectDef,
  paths: ResolvedPath[],
  securityEnforcedPaths: ResolvedPath[],
): void {
  if (env.userMode) {
    if (!env.access.canRead(def.name))
      throw queryErrorExtra(
        `sObject type '${def.name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
        { [def.name]: [] },
      );
    const missing = new Map<string, Set<string>>();
    const add = (o: string, f: string) => {
      if (!missing.has(o)) missing.set(o, new Set());
      missing.get(o)!.add(f);
    };
    for (const p of paths) {
      let owner = def;
      for (const s of p.steps) {
        if (!env.access.fieldReadable(owner.name, s.field.name)) add(owner.name, s.field.name);
        owner = s.targets[0];
        if (!env.access.canRead(owner.name)) add(owner.name, 'Id');
      }
      if (!env.access.fieldReadable(p.owner.name, p.field.name)) add(p.owner.name, p.field.name);
    }
    if (missing.size) {
      const [obj, fields] = [...missing.entries()][0];
      const extra: Record<string, string[]> = {};
      for (const [o, fs] of missing) extra[o] = [...fs];
      throw queryErrorExtra(
        `No such column '${[...fields][0]}' on entity '${obj}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
        extra,
      );
    }
  }
  if (env.securityEnforced) {
    const bad =
      !env.access.canRead(def.name) ||
      securityEnforcedPaths.some((p) => !env.access.fieldReadable(p.owner.name, p.field.name));
    if (bad)
      throw platformError(
        'System.QueryException',
        'Insufficient permissions: secure query included inaccessible field',
      );
  }
}

function queryErrorExtra(msg: string, inaccessible: Record<string, string[]>): Error {
  return platformError('System.QueryException', msg, { inaccessibleFields: inaccessible });
}

// ---------------------------------------------------------------------------------------------
// FIELDS()
// ---------------------------------------------------------------------------------------------

/**
 * The field paths a `FIELDS(...)` select item stands for. SOQL and SOSL Reference, "FIELDS()":
 *  - the fields of the group (fieldsInGroup in resolve.ts), standard ones first as the API returns them;
 *  - "FIELDS() respects field-level security so it only shows the fields that you have permission to access": the
 *    local org applies it where permissions are enforced at all (USER_MODE, SECURITY_ENFORCED, the REST API);
 *    Apex in system mode reads every field;
 *  - "Bounded and Unbounded Queries": FIELDS(ALL) and FIELDS(CUSTOM) are unbounded. Apex (inline and dynamic SOQL)
 *    supports only bounded queries (the platform refuses the class with "The SOQL FIELDS function is not supported
 *    with an unbounded set of fields in this API."; the local org raises it as a QueryException when the query runs);
 *    the REST API requires "LIMIT n, where n is less than or equal to 200" ("The SOQL FIELDS function must have a
 *    LIMIT of at most 200", MALFORMED_QUERY).
 * A selected field that FIELDS() also selects is a "duplicate field selected" error (checked by the caller).
 */
function expandFields(env: ExecEnv, def: LocalObjectDef, q: Query, group: FieldsGroup): string[][] {
  if (group !== 'STANDARD') {
    if (!env.apiQuery)
      throw queryError('The SOQL FIELDS function is not supported with an unbounded set of fields in this API.');
    const lim = numberOf(env, q.limit, 'LIMIT');
    if (lim === undefined || lim > 200) throw queryError('The SOQL FIELDS function must have a LIMIT of at most 200');
  }
  const enforce = env.userMode || env.securityEnforced;
  return fieldsInGroup(def.fields.values(), group)
    .filter((f) => !enforce || env.access.fieldReadable(def.name, f.name))
    .map((f) => [f.name]);
}

/** The select list with FIELDS() items replaced by the fields they stand for. */
function expandSelect(env: ExecEnv, def: LocalObjectDef, q: Query): SelectItem[] {
  if (!q.select.some((s) => s.kind === 'fields')) return q.select;
  return q.select.flatMap((s): SelectItem[] =>
    s.kind === 'fields' ? expandFields(env, def, q, s.group).map((path) => ({ kind: 'field', path })) : [s],
  );
}

// ---------------------------------------------------------------------------------------------
// Result building
// ---------------------------------------------------------------------------------------------

interface Shape {
  def: LocalObjectDef;
  fields: LocalFieldDef[];
  parents: Map<string, { lookup: LocalFieldDef; relationshipName: string; shape: Shape }>;
  children: {
    relationshipName: string;
    childDef: LocalObjectDef;
    lookupField: string;
    query: Query;
    comp: Compiler;
    shape: Shape;
    paths: ResolvedPath[];
  }[];
}

function emptyShape(def: LocalObjectDef): Shape {
  return { def, fields: [], parents: new Map(), children: [] };
}

function addPathToShape(shape: Shape, p: ResolvedPath): void {
  let s = shape;
  for (const step of p.steps) {
    const k = step.relationshipName.toLowerCase();
    let next = s.parents.get(k);
    if (!next) {
      next = { lookup: step.field, relationshipName: step.relationshipName, shape: emptyShape(step.targets[0]) };
      s.parents.set(k, next);
    }
    s = next.shape;
  }
  if (!s.fields.some((f) => f.name === p.field.name)) s.fields.push(p.field);
}

function buildRecord(
  env: ExecEnv,
  row: Row,
  shape: Shape,
  def: LocalObjectDef,
  childRows?: Map<string, Map<string, Row[]>>,
): SObjectValue {
  const rec = new SObjectValue(def.name);
  rec.fromQuery = true;
  for (const f of shape.fields) rec.setRaw(f.name, row.values.get(f.name.toLowerCase()) ?? null);
  if (!rec.has('Id')) rec.setRaw('Id', new ApexId(row.id));
  for (const par of shape.parents.values()) {
    const lk = row.values.get(par.lookup.name.toLowerCase()) ?? null;
    if (!rec.has(par.lookup.name)) rec.setRaw(par.lookup.name, lk);
    const prow = followStep(env, row, par.lookup, par.shape.def);
    if (!prow) {
      rec.setRaw(par.relationshipName, null);
      continue;
    }
    const pdef = env.schema.objectForKeyPrefix(prow.id.slice(0, 3)) ?? par.shape.def;
    rec.setRaw(par.relationshipName, buildRecord(env, prow, par.shape, pdef));
  }
  for (const ch of shape.children) {
    const list = new ApexList({ name: ch.childDef.name }, []);
    const rows = childRows?.get(ch.relationshipName.toLowerCase())?.get(row.id) ?? [];
    for (const cr of rows) list.items.push(buildRecord(env, cr, ch.shape, ch.childDef));
    rec.setRaw(ch.relationshipName, list);
  }
  return rec;
}

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

export interface QueryOutcome {
  /** SObjects (or AggregateResults), or the count for SELECT COUNT(). */
  records: SObjectValue[] | number;
  objectName: string;
  /** Rows that count toward the query-row limit. */
  rowsCounted: number;
}

export function execute(env: ExecEnv, q: Query): QueryOutcome {
  const def = resolveObject(env.schema, q.from);
  const seen: ResolvedPath[] = [];
  const comp = new Compiler(env, def, q.alias, seen);
  if (q.offset) {
    const off = numberOf(env, q.offset, 'OFFSET')!;
    if (off > 2000) throw queryError('Maximum SOQL offset allowed is 2000');
  }
  const hasAgg = q.select.some((s) => s.kind === 'agg') || !!q.groupBy;
  if (hasAgg && q.select.some((s) => s.kind === 'fields'))
    throw new UnsupportedFeature('SOQL FIELDS() in an aggregate query');
  if (q.countOnly && q.orderBy) throw queryError("unexpected token: 'ORDER' (COUNT() cannot be used with ORDER BY)");
  if (q.countOnly) {
    const rows = selectRows(env, def, q, comp);
    checkAccess(env, def, seen, []);
    let n = rows.length;
    const off = numberOf(env, q.offset, 'OFFSET') ?? 0;
    const lim = numberOf(env, q.limit, 'LIMIT');
    n = Math.max(0, n - off);
    if (lim !== undefined) n = Math.min(n, lim);
    // "For COUNT() or COUNT(fieldname) queries, limits are counted as one query row, unless the query contains a GROUP BY
    // clause, in which case one query row per grouping is consumed" (Apex Developer Guide, Working with SOQL Aggregate Functions).
    return { records: n, objectName: def.name, rowsCounted: 1 };
  }
  if (hasAgg) return executeAggregate(env, q, def, comp, seen);

  const shape = emptyShape(def);
  const selectPaths: ResolvedPath[] = [];
  const selectedKeys = new Set<string>();
  for (const item of expandSelect(env, def, q)) {
    if (item.kind === 'field') {
      const p = comp.path(item.path);
      // The platform rejects a field selected twice: "duplicate field selected: Name".
      const key = [...p.steps.map((x) => x.relationshipName.toLowerCase()), p.key].join('.');
      if (selectedKeys.has(key)) throw queryError(`duplicate field selected: ${item.path.join('.')}`);
      selectedKeys.add(key);
      selectPaths.push(p);
      addPathToShape(shape, p);
    } else if (item.kind === 'sub') {
      shape.children.push(prepareChild(env, def, item, q.alias));
    }
  }
  let rows = selectRows(env, def, q, comp);
  const off = numberOf(env, q.offset, 'OFFSET') ?? 0;
  const lim = numberOf(env, q.limit, 'LIMIT');
  sortRows(env, rows, q.orderBy, comp, lim === undefined ? undefined : off + lim);
  if (off || lim !== undefined) rows = rows.slice(off, lim === undefined ? undefined : off + lim);
  const childPaths = shape.children.flatMap((c) => c.paths);
  checkAccess(env, def, seen, selectPaths);
  for (const ch of shape.children)
    checkAccess(
      env,
      ch.childDef,
      ch.paths,
      ch.paths.filter((_, i) => i < ch.shape.fields.length),
    );
  void childPaths;
  let counted = rows.length;
  const childRows = new Map<string, Map<string, Row[]>>();
  for (const ch of shape.children) {
    const m = runChild(env, ch, rows);
    for (const list of m.values()) counted += list.length;
    childRows.set(ch.relationshipName.toLowerCase(), m);
  }
  const records = rows.map((r) => buildRecord(env, r, shape, def, childRows));
  return { records, objectName: def.name, rowsCounted: counted };
}

function prepareChild(
  env: ExecEnv,
  parent: LocalObjectDef,
  item: Extract<SelectItem, { kind: 'sub' }>,
  parentAlias: string | undefined,
): Shape['children'][number] {
  const q = item.query;
  const rel = parent.childRelationships.find((c) => c.relationshipName.toLowerCase() === q.from.toLowerCase());
  const qualifier = q.fromQualifier?.toLowerCase();
  if (
    !rel ||
    (qualifier !== undefined && qualifier !== parent.name.toLowerCase() && qualifier !== parentAlias?.toLowerCase())
  ) {
    throw queryError(
      `Didn't understand relationship '${q.fromQualifier ? `${q.fromQualifier}.` : ''}${q.from}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  if (q.countOnly || q.groupBy || q.select.some((s) => s.kind !== 'field' && s.kind !== 'fields'))
    throw new UnsupportedFeature('aggregates or nested subqueries inside a child relationship subquery');
  const childDef = resolveObject(env.schema, rel.childObject);
  const paths: ResolvedPath[] = [];
  const comp = new Compiler(env, childDef, q.alias, paths);
  const shape = emptyShape(childDef);
  for (const s of expandSelect(env, childDef, q)) if (s.kind === 'field') addPathToShape(shape, comp.path(s.path));
  return { relationshipName: rel.relationshipName, childDef, lookupField: rel.field, query: q, comp, shape, paths };
}

function runChild(env: ExecEnv, ch: Shape['children'][number], parents: Row[]): Map<string, Row[]> {
  const out = new Map<string, Row[]>();
  if (!parents.length) return out;
  const table = env.store.table(ch.childDef);
  const idx = table.index(ch.lookupField);
  // A metadata relationship to a catalog row (EntityDefinition.Fields) holds the parent's durable Id, not its row Id.
  const byName =
    !!ch.childDef.fields.get(ch.lookupField.toLowerCase())?.metadataRelationship &&
    parents.length > 0 &&
    parents[0].values.has('durableid');
  const pred = ch.query.where ? ch.comp.compile(ch.query.where) : null;
  const sharing = env.sharing && !env.access.isAdmin;
  const lim = numberOf(env, ch.query.limit, 'LIMIT');
  const off = numberOf(env, ch.query.offset, 'OFFSET') ?? 0;
  for (const p of parents) {
    const ids = idx.get(indexKey(byName ? (p.values.get('durableid') ?? null) : new ApexId(p.id)));
    let rows: Row[] = [];
    if (ids) {
      for (const id of ids) {
        const r = table.rows.get(id)!;
        env.stats.rowsScanned++;
        if (r.deleted || (pred && !pred(r)) || (sharing && !env.visible(ch.childDef, r))) continue;
        rows.push(r);
      }
    }
    sortRows(env, rows, ch.query.orderBy, ch.comp);
    if (off || lim !== undefined) rows = rows.slice(off, lim === undefined ? undefined : off + lim);
    out.set(p.id, rows);
  }
  return out;
}

/** `Id IN (SELECT Field FROM ...)`: the selected field's values. */
function runSemiJoin(env: ExecEnv, q: Query): ApexValue[] {
  if (q.select.length !== 1 || q.select[0].kind !== 'field')
    throw queryError('Semi join sub-selects can only select one field, and it must be an Id or a reference');
  const def = resolveObject(env.schema, q.from);
  const seen: ResolvedPath[] = [];
  const comp = new Compiler(env, def, q.alias, seen);
  const p = comp.path(q.select[0].path);
  if (p.field.type !== 'id' && p.field.type !== 'reference' && !p.field.metadataRelationship)
    throw queryError('Semi join sub-selects can only select one field, and it must be an Id or a reference');
  const rows = selectRows(env, def, q, comp);
  checkAccess(env, def, seen, []);
  let vals = rows.map((r) => readPath(env, r, p));
  const lim = numberOf(env, q.limit, 'LIMIT');
  if (lim !== undefined) vals = vals.slice(0, lim);
  return vals;
}

// ---------------------------------------------------------------------------------------------
// Aggregates
// ---------------------------------------------------------------------------------------------

interface AggCol {
  name: string; // result field name
  fn: string | null; // null = group field
  path: ResolvedPath | null;
}

function aggregateValue(fn: string, values: ApexValue[], field: LocalFieldDef | null): ApexValue {
  switch (fn) {
    case 'COUNT':
      return field ? values.filter((v) => v !== null).length : values.length;
    case 'COUNT_DISTINCT':
      return new Set(values.filter((v) => v !== null).map((v) => indexKey(v))).size;
    case 'SUM':
    case 'AVG': {
      const nums = values.filter((v) => v !== null);
      if (!nums.length) return null;
      if (!nums.every(isNumeric)) throw queryError(`field ${field?.name} does not support aggregate operator ${fn}`);
      let sum = toDecimalJs(nums[0] as never);
      for (let i = 1; i < nums.length; i++) sum = sum.plus(toDecimalJs(nums[i] as never));
      if (fn === 'SUM') return field?.type === 'int' ? sum.toNumber() : new ApexDecimal(sum);
      return new ApexDecimal(sum.dividedBy(nums.length));
    }
    case 'MIN':
    case 'MAX': {
      let best: ApexValue = null;
      for (const v of values) {
        if (v === null) continue;
        if (best === null) best = v;
        else {
          const c = compareValues(v, best);
          if ((fn === 'MIN' && c < 0) || (fn === 'MAX' && c > 0)) best = v;
        }
      }
      return best;
    }
  }
  throw queryError(`Unknown aggregate ${fn}`);
}

function executeAggregate(
  env: ExecEnv,
  q: Query,
  def: LocalObjectDef,
  comp: Compiler,
  seen: ResolvedPath[],
): QueryOutcome {
  const groupPaths = (q.groupBy ?? []).map((g) => comp.path(g));
  for (const g of groupPaths) {
    if (['longtextarea', 'textarea', 'encryptedstring', 'multipicklist'].includes(g.field.type)) {
      throw queryError(`field '${g.field.name}' can not be grouped in a query call`);
    }
  }
  // "You can't use a LIMIT clause in a query that uses an aggregate function, but does not use a GROUP BY clause"
  // (SOQL and SOSL Reference, LIMIT). The platform's exact error text is not verified here.
  if (!groupPaths.length && q.limit) throw queryError('LIMIT is not allowed in an aggregate query without GROUP BY');
  const cols: AggCol[] = [];
  let exprN = 0;
  for (const s of q.select) {
    if (s.kind === 'sub') throw queryError('Nested queries are not supported in aggregate queries');
    if (s.kind === 'fields') continue; // refused by execute
    if (s.kind === 'field') {
      const p = comp.path(s.path);
      if (!groupPaths.some((g) => g.owner === p.owner && g.key === p.key && g.steps.length === p.steps.length)) {
        throw queryError(`Field must be grouped or aggregated: ${p.field.name}`);
      }
      cols.push({ name: p.field.name, fn: null, path: p });
    } else {
      const p = s.path ? comp.path(s.path) : null;
      cols.push({ name: s.alias ?? `expr${exprN++}`, fn: s.fn, path: p });
    }
  }
  const rows = selectRows(env, def, q, comp);
  checkAccess(env, def, seen, seen);
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const k = groupPaths.map((g) => indexKey(readPath(env, r, g))).join('|');
    let l = groups.get(k);
    if (!l) groups.set(k, (l = []));
    l.push(r);
  }
  if (!groupPaths.length && !groups.size) groups.set('', []);
  const computeAgg = (fn: string, p: ResolvedPath | null, members: Row[]) =>
    aggregateValue(fn, p ? members.map((r) => readPath(env, r, p)) : members.map(() => true), p ? p.field : null);
  let results: { rec: SObjectValue; members: Row[] }[] = [];
  for (const members of groups.values()) {
    const rec = new SObjectValue('AggregateResult');
    rec.fromQuery = true;
    for (const c of cols) {
      if (c.fn === null) rec.setRaw(c.name, members.length ? readPath(env, members[0], c.path!) : null);
      else rec.setRaw(c.name, computeAgg(c.fn, c.path, members));
    }
    results.push({ rec, members });
  }
  if (q.having) {
    const pred = compileHaving(env, q.having, comp, groupPaths, computeAgg);
    results = results.filter((r) => pred(r.members));
  }
  if (env.shuffle) shuffleInPlace(results, env.random);
  if (q.orderBy?.length) {
    const keyOf = (o: FieldExpr, members: Row[]): ApexValue => {
      if (o.kind === 'agg') return computeAgg(o.fn, o.path ? comp.path(o.path) : null, members);
      const p = comp.path(o.path);
      if (!groupPaths.some((g) => g.key === p.key && g.owner === p.owner))
        throw queryError(`Ordered field must be grouped or aggregated: ${p.field.name}`);
      return members.length ? readPath(env, members[0], p) : null;
    };
    const dec = results.map((r) => ({ r, k: q.orderBy!.map((o) => keyOf(o.expr, r.members)) }));
    dec.sort((a, b) => {
      for (let i = 0; i < q.orderBy!.length; i++) {
        const c = compareNullable(a.k[i], b.k[i], q.orderBy![i].desc, q.orderBy![i].nullsLast);
        if (c) return c;
      }
      return 0;
    });
    results = dec.map((d) => d.r);
  }
  const off = numberOf(env, q.offset, 'OFFSET') ?? 0;
  const lim = numberOf(env, q.limit, 'LIMIT');
  if (off || lim !== undefined) results = results.slice(off, lim === undefined ? undefined : off + lim);
  // COUNT(field) only: one row per group (or one); other aggregates count every row they read (see COUNT() above).
  const countOnlyAgg = cols.every((c) => c.fn === null || c.fn === 'COUNT');
  const counted = countOnlyAgg ? (groupPaths.length ? groups.size : 1) : rows.length;
  return { records: results.map((r) => r.rec), objectName: 'AggregateResult', rowsCounted: counted };
}

function compileHaving(
  env: ExecEnv,
  c: Cond,
  comp: Compiler,
  groupPaths: ResolvedPath[],
  computeAgg: (fn: string, p: ResolvedPath | null, m: Row[]) => ApexValue,
): (members: Row[]) => boolean {
  switch (c.kind) {
    case 'and': {
      const ps = c.items.map((i) => compileHaving(env, i, comp, groupPaths, computeAgg));
      return (m) => ps.every((p) => p(m));
    }
    case 'or': {
      const ps = c.items.map((i) => compileHaving(env, i, comp, groupPaths, computeAgg));
      return (m) => ps.some((p) => p(m));
    }
    case 'not': {
      const p = compileHaving(env, c.item, comp, groupPaths, computeAgg);
      return (m) => !p(m);
    }
    case 'cmp': {
      const left = c.left;
      const p = left.path ? comp.path(left.path) : null;
      const field: LocalFieldDef =
        left.kind === 'agg' && (left.fn === 'COUNT' || left.fn === 'COUNT_DISTINCT')
          ? { name: left.fn, label: left.fn, type: 'int' }
          : p!.field;
      const operand = comp.operand(c, field);
      let current: Row[] = [];
      const read = () =>
        left.kind === 'agg' ? computeAgg(left.fn, p, current) : current.length ? readPath(env, current[0], p!) : null;
      const pred = cmpPredicate(c.op, field, operand, () => read());
      return (m) => {
        current = m;
        return pred(undefined as unknown as Row);
      };
    }
  }
}

export { dateKey, ApexDate };
