/**
 * The Tooling API objects the local org answers: the project's ApexClass and ApexTrigger rows, and what test runs
 * and anonymous Apex leave behind (AsyncApexJob of JobType TestRequest, ApexTestQueueItem, ApexTestResult,
 * ApexTestRunResult, ApexCodeCoverageAggregate, ApexOrgWideCoverage, ApexLog). Field names, key prefixes and
 * relationships follow the Tooling API Developer Guide's object reference.
 *
 * Tooling SOQL is parsed by the local org's SOQL parser (database/soql/parser.ts) and evaluated over these rows:
 * selected fields and one-level relationship fields (ApexClass.Name, ApexClassOrTrigger.Name), WHERE with AND / OR /
 * NOT and =, !=, <, <=, >, >=, IN, NOT IN, LIKE against literals, ORDER BY and LIMIT / OFFSET. Anything else
 * (aggregates, subqueries, GROUP BY, date literals, bind variables) is refused as an unsupported feature.
 */
import { parseSoql } from '../../localorg/database/soql/parser.js';
import type { Cond, FieldExpr, Query, ValueExpr } from '../../localorg/database/soql/ast.js';
import { idChecksum } from '../../localorg/core/ops.js';
import { ApexDate, ApexDatetime, ApexDecimal, ApexDouble, ApexId } from '../../localorg/core/values.js';
import type { ApiError } from '../../localorg/core/org-api.js';

export type ToolingRow = Record<string, unknown> & { Id: string };

/** Tooling objects: key prefix and the relationship fields (relationship name -> Id field). */
export const TOOLING_OBJECTS: Record<string, { prefix: string; relationships: Record<string, string> }> = {
  ApexClass: { prefix: '01p', relationships: {} },
  ApexTrigger: { prefix: '01q', relationships: {} },
  AsyncApexJob: { prefix: '707', relationships: { ApexClass: 'ApexClassId', CreatedBy: 'CreatedById' } },
  ApexTestQueueItem: { prefix: '709', relationships: { ApexClass: 'ApexClassId', ParentJob: 'ParentJobId' } },
  ApexTestResult: {
    prefix: '07M',
    relationships: {
      ApexClass: 'ApexClassId',
      QueueItem: 'QueueItemId',
      AsyncApexJob: 'AsyncApexJobId',
      ApexLog: 'ApexLogId',
    },
  },
  ApexTestRunResult: { prefix: '05m', relationships: { AsyncApexJob: 'AsyncApexJobId', User: 'UserId' } },
  ApexCodeCoverageAggregate: { prefix: '715', relationships: { ApexClassOrTrigger: 'ApexClassOrTriggerId' } },
  ApexCodeCoverage: {
    prefix: '71y',
    relationships: { ApexClassOrTrigger: 'ApexClassOrTriggerId', ApexTestClass: 'ApexTestClassId' },
  },
  ApexOrgWideCoverage: { prefix: '716', relationships: {} },
  ApexLog: { prefix: '07L', relationships: { LogUser: 'LogUserId' } },
};

export class ToolingQueryError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
  get errors(): ApiError[] {
    return [{ errorCode: this.errorCode, message: this.message }];
  }
}

const unsupported = (what: string) =>
  new ToolingQueryError('UNSUPPORTED_FEATURE', `Unsupported feature: ${what} in a Tooling API query`);

function literal(v: ValueExpr): unknown {
  if (v.kind === 'lit') {
    const x = v.value;
    if (x instanceof ApexDecimal) return Number(x.v.toString());
    if (x instanceof ApexDouble) return x.v;
    if (x instanceof ApexDatetime) return new Date(x.ms).toISOString();
    if (x instanceof ApexDate) return `${x.year}-${String(x.month).padStart(2, '0')}-${String(x.day).padStart(2, '0')}`;
    if (x instanceof ApexId) return x.value;
    if (typeof x === 'bigint') return Number(x);
    return x;
  }
  if (v.kind === 'list') return v.items.map(literal);
  throw unsupported(
    v.kind === 'bind' ? 'a bind variable' : v.kind === 'sub' ? 'a semi-join subquery' : 'a date literal',
  );
}

/** Ids compare on their first 15 characters; strings case-insensitively, as SOQL does. */
function norm(v: unknown): unknown {
  if (typeof v === 'string')
    return /^[a-zA-Z0-9]{18}$/.test(v) && /^[0-9a-zA-Z]{3}/.test(v) ? v.slice(0, 15).toLowerCase() : v.toLowerCase();
  return v;
}

function eq(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined) return b === null || b === undefined;
  if (typeof a === 'string' && typeof b === 'string' && b.length === 15 && a.length === 18) return a.slice(0, 15) === b;
  return norm(a) === norm(b);
}

function cmp(a: unknown, b: unknown): number {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : -1;
  if (b === null || b === undefined) return 1;
  const x = norm(a) as string | number;
  const y = norm(b) as string | number;
  return x < y ? -1 : x > y ? 1 : 0;
}

function like(v: unknown, pattern: unknown): boolean {
  if (typeof v !== 'string' || typeof pattern !== 'string') return false;
  const re = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${re}$`, 'is').test(v);
}

export class ToolingStore {
  private readonly tables = new Map<string, Map<string, ToolingRow>>();
  private counter = 0;

  /**
   * @param users resolves a User Id (LogUser, CreatedBy, User relationships) to its Name and Username: Users are the
   * org's records, not Tooling rows.
   */
  constructor(
    private readonly orgKey: string,
    private readonly users?: (id: string) => { Id: string; Name: string; Username: string } | null,
  ) {
    for (const name of Object.keys(TOOLING_OBJECTS)) this.tables.set(name, new Map());
  }

  newId(object: string): string {
    const prefix = TOOLING_OBJECTS[object].prefix;
    const body = `${prefix}${this.orgKey}${(++this.counter)
      .toString(36)
      .toUpperCase()
      .padStart(12 - this.orgKey.length, '0')}`;
    return body + idChecksum(body);
  }

  insert(object: string, row: Omit<ToolingRow, 'Id'> & { Id?: string }): ToolingRow {
    const r = { ...row, Id: row.Id ?? this.newId(object) } as ToolingRow;
    this.tables.get(object)!.set(r.Id, r);
    return r;
  }

  get(object: string, id: string): ToolingRow | undefined {
    const t = this.tables.get(object);
    if (!t) return undefined;
    return t.get(id) ?? [...t.values()].find((r) => r.Id.slice(0, 15) === id.slice(0, 15));
  }

  rows(object: string): ToolingRow[] {
    return [...(this.tables.get(object)?.values() ?? [])];
  }

  clear(object: string): void {
    this.tables.get(object)?.clear();
  }

  /** Any row by Id (relationship targets). */
  private byId(id: unknown): { object: string; row: ToolingRow } | undefined {
    if (typeof id !== 'string') return undefined;
    if (id.startsWith('005')) {
      const u = this.users?.(id);
      return u ? { object: 'User', row: u } : undefined;
    }
    for (const [object, t] of this.tables) {
      if (TOOLING_OBJECTS[object].prefix !== id.slice(0, 3)) continue;
      const row = t.get(id) ?? [...t.values()].find((r) => r.Id.slice(0, 15) === id.slice(0, 15));
      if (row) return { object, row };
    }
    return undefined;
  }

  private objectName(name: string): string {
    const hit = Object.keys(TOOLING_OBJECTS).find((o) => o.toLowerCase() === name.toLowerCase());
    if (!hit)
      throw new ToolingQueryError(
        'INVALID_TYPE',
        `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    return hit;
  }

  private fieldName(object: string, field: string, sample: ToolingRow | undefined, known: Set<string>): string {
    const hit = [...known].find((k) => k.toLowerCase() === field.toLowerCase());
    if (hit) return hit;
    void sample;
    throw new ToolingQueryError(
      'INVALID_FIELD',
      `No such column '${field}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }

  /** Field names of an object: those its rows carry, plus the declared ones. */
  private fields(object: string): Set<string> {
    const out = new Set<string>(['Id', ...(FIELDS[object] ?? [])]);
    return out;
  }

  /** Reads a path (['Name'] or ['ApexClass','Name']) of a row; resolves the relationship through the Id field. */
  private read(object: string, row: ToolingRow, path: string[]): { key: string; value: unknown } {
    let p = path;
    if (p.length > 1 && p[0].toLowerCase() === object.toLowerCase()) p = p.slice(1);
    if (p.length === 1) {
      const f = this.fieldName(object, p[0], row, this.fields(object));
      return { key: f, value: row[f] ?? null };
    }
    if (p.length !== 2) throw unsupported('a relationship path deeper than one level');
    const rels = TOOLING_OBJECTS[object].relationships;
    const rel = Object.keys(rels).find((r) => r.toLowerCase() === p[0].toLowerCase());
    if (!rel)
      throw new ToolingQueryError(
        'INVALID_FIELD',
        `Didn't understand relationship '${p[0]}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    const target = this.byId(row[rels[rel]]);
    if (!target) return { key: rel, value: null };
    const f = this.fieldName(target.object, p[1], target.row, this.fields(target.object));
    return { key: rel, value: { object: target.object, field: f, value: target.row[f] ?? null } };
  }

  private test(object: string, row: ToolingRow, c: Cond): boolean {
    switch (c.kind) {
      case 'and':
        return c.items.every((x) => this.test(object, row, x));
      case 'or':
        return c.items.some((x) => this.test(object, row, x));
      case 'not':
        return !this.test(object, row, c.item);
      case 'cmp': {
        const left = this.value(object, row, c.left);
        const right = literal(c.right);
        switch (c.op) {
          case '=':
            return eq(left, right);
          case '!=':
            return !eq(left, right);
          case '<':
            return left !== null && cmp(left, right) < 0;
          case '<=':
            return left !== null && cmp(left, right) <= 0;
          case '>':
            return left !== null && cmp(left, right) > 0;
          case '>=':
            return left !== null && cmp(left, right) >= 0;
          case 'IN':
            return Array.isArray(right) && right.some((x) => eq(left, x));
          case 'NOT IN':
            return Array.isArray(right) && !right.some((x) => eq(left, x));
          case 'LIKE':
            return like(left, right);
          default:
            throw unsupported(c.op);
        }
      }
    }
  }

  private value(object: string, row: ToolingRow, e: FieldExpr): unknown {
    if (e.kind !== 'path') throw unsupported('an aggregate function');
    const r = this.read(object, row, e.path);
    const v = r.value;
    return v && typeof v === 'object' && 'field' in (v as object) ? (v as { value: unknown }).value : v;
  }

  /** Runs a Tooling SOQL query; records in the API's shape (attributes, nested relationship objects). */
  query(soql: string, version: string): Record<string, unknown>[] | number {
    let q: Query;
    try {
      q = parseSoql(soql);
    } catch (e) {
      throw new ToolingQueryError('MALFORMED_QUERY', (e as Error).message);
    }
    if (q.groupBy || q.having || (q.select.some((s) => s.kind !== 'field') && !q.countOnly))
      throw unsupported('an aggregate, GROUP BY or subquery');
    const object = this.objectName(q.from);
    let rows = this.rows(object);
    // Validate the selected fields even when no row matches.
    const probe = { Id: '' } as ToolingRow;
    for (const s of q.select) if (s.kind === 'field' && s.path.length === 1) this.read(object, probe, s.path);
    if (q.where) rows = rows.filter((r) => this.test(object, r, q.where!));
    if (q.orderBy) {
      const order = q.orderBy;
      rows = [...rows].sort((a, b) => {
        for (const o of order) {
          const d = cmp(this.value(object, a, o.expr), this.value(object, b, o.expr));
          if (d) return o.desc ? -d : d;
        }
        return 0;
      });
    }
    const offset = q.offset ? Number(literal(q.offset)) : 0;
    const limit = q.limit ? Number(literal(q.limit)) : undefined;
    rows = rows.slice(offset, limit === undefined ? undefined : offset + limit);
    if (q.countOnly) return rows.length;
    return rows.map((row) => this.shape(object, row, q, version));
  }

  private shape(object: string, row: ToolingRow, q: Query, version: string): Record<string, unknown> {
    const out: Record<string, unknown> = {
      attributes: { type: object, url: `/services/data/v${version}/tooling/sobjects/${object}/${row.Id}` },
    };
    for (const s of q.select) {
      if (s.kind !== 'field') continue;
      const r = this.read(object, row, s.path);
      const v = r.value as { object: string; field: string; value: unknown } | unknown;
      if (v && typeof v === 'object' && 'field' in (v as object)) {
        const t = v as { object: string; field: string; value: unknown };
        const target = this.byId(row[TOOLING_OBJECTS[object].relationships[r.key]])!;
        const prev = (out[r.key] as Record<string, unknown> | undefined) ?? {
          attributes: {
            type: t.object,
            url: `/services/data/v${version}/tooling/sobjects/${t.object}/${target.row.Id}`,
          },
        };
        prev[t.field] = t.value;
        out[r.key] = prev;
      } else out[r.key] = v;
    }
    return out;
  }
}

/** Declared fields of each Tooling object (what a query may select even when no row has a value). */
const AUDIT = ['CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp'];
const FIELDS: Record<string, string[]> = {
  User: ['Name', 'Username'],
  ApexClass: ['Name', 'NamespacePrefix', 'ApiVersion', 'Status', 'IsValid', 'LengthWithoutComments', 'Body', ...AUDIT],
  ApexTrigger: [
    'Name',
    'NamespacePrefix',
    'ApiVersion',
    'Status',
    'IsValid',
    'TableEnumOrId',
    'LengthWithoutComments',
    'Body',
    ...AUDIT,
  ],
  AsyncApexJob: [
    'Status',
    'JobType',
    'ApexClassId',
    'MethodName',
    'NumberOfErrors',
    'JobItemsProcessed',
    'TotalJobItems',
    'ExtendedStatus',
    'CompletedDate',
    'ParentJobId',
    ...AUDIT,
  ],
  ApexTestQueueItem: [
    'ApexClassId',
    'Status',
    'ExtendedStatus',
    'ParentJobId',
    'TestRunResultId',
    'ShouldSkipCodeCoverage',
    ...AUDIT,
  ],
  ApexTestResult: [
    'ApexClassId',
    'AsyncApexJobId',
    'QueueItemId',
    'MethodName',
    'Outcome',
    'Message',
    'StackTrace',
    'RunTime',
    'TestTimestamp',
    'ApexLogId',
    'IsTestSetup',
    'ApexTestRunResultId',
    ...AUDIT,
  ],
  ApexTestRunResult: [
    'AsyncApexJobId',
    'Status',
    'ClassesCompleted',
    'ClassesEnqueued',
    'MethodsCompleted',
    'MethodsEnqueued',
    'MethodsFailed',
    'StartTime',
    'EndTime',
    'TestTime',
    'TestSetupTime',
    'UserId',
    'IsAllTests',
    'Source',
    'JobName',
    ...AUDIT,
  ],
  ApexCodeCoverageAggregate: ['ApexClassOrTriggerId', 'NumLinesCovered', 'NumLinesUncovered', 'Coverage', ...AUDIT],
  ApexCodeCoverage: [
    'ApexTestClassId',
    'TestMethodName',
    'ApexClassOrTriggerId',
    'NumLinesCovered',
    'NumLinesUncovered',
    'Coverage',
    ...AUDIT,
  ],
  ApexOrgWideCoverage: ['PercentCovered', ...AUDIT],
  ApexLog: [
    'LogUserId',
    'LogLength',
    'Operation',
    'Request',
    'Status',
    'StartTime',
    'DurationMilliseconds',
    'Location',
    'Application',
    ...AUDIT,
  ],
};
