/**
 * The local org's database: one per org. Implements DatabaseApi (SOQL, DML, savepoints, snapshots) and provides
 * the running user's AccessApi and custom permissions. Per-transaction state (limits, running user, sharing mode)
 * comes from hooks the org installs, so one database serves every transaction and System.runAs.
 */
import { platformError, UnsupportedFeature } from '../core/errors.js';
import { tryToId } from '../core/ops.js';
import type {
  DatabaseApi,
  DmlOp,
  DmlRowResult,
  LimitsApi,
  QueryOptions,
  RunningUser,
  SearchOptions,
  TriggerContext,
} from '../core/runtime.js';
import { ApexDatetime, ApexId, ApexList, SObjectValue, type ApexValue } from '../core/values.js';
import type { LocalObjectDef, LocalSchemaApi } from '../metadata/types.js';
import { UserAccess } from './access.js';
import { DmlEngine } from './dml/engine.js';
import { IdGenerator } from './ids.js';
import { Limits } from './limits.js';
import { execute } from './soql/execute.js';
import { parseSoql, parseSosl } from './soql/parser.js';
import type { Cond, Query, ValueExpr } from './soql/ast.js';
import { unknownObject } from './soql/resolve.js';
import { lookupRow } from './soql/execute.js';
import { MINIMUM_ACCESS_PROFILE, UNMODELLED_PROFILES } from './seed.js';
import { assignedPermissionSets } from './permission-rows.js';
import { Store, type Row } from './store.js';
import { indexKey } from './value-utils.js';

export interface DatabaseHooks {
  /** InterpreterApi.runTriggers. Absent: no triggers. */
  runTriggers?: (ctx: TriggerContext) => void;
  /** The running user (System.runAs aware). Absent: the seeded admin. */
  runningUser?: () => RunningUser | null;
  /** The current transaction's limits. Absent: one Limits object for the database's life. */
  limits?: () => LimitsApi;
  /** The org clock, ms. */
  now?: () => number;
  /** Whether the code running now is in a 'with sharing' context (record sharing for queries and DML). */
  sharingEnforced?: () => boolean;
  /**
   * A token for the current mixed-DML context: the transaction, or the System.runAs block inside a test (the platform
   * allows setup and non-setup DML in different runAs blocks). Absent: the MIXED_DML_OPERATION rule is not enforced.
   */
  mixedDmlScope?: () => object | null;
}

export interface DatabaseOptions {
  /** Shuffle rows of queries without ORDER BY (default true). */
  shuffle?: boolean;
  /** Seed of the shuffle (default 1). */
  seed?: number;
}

/** Counters for benchmarks; cumulative until resetStats(). */
export interface DatabaseStats {
  queries: number;
  rowsScanned: number;
  rowsReturned: number;
  dmlStatements: number;
  dmlRows: number;
}

interface Snapshot {
  mark: number;
  autoNumbers: [string, number][];
}

const TRACE_SOQL = process.env.LOCALORG_TRACE_SOQL === '1';
const TRACE_DML = process.env.LOCALORG_TRACE_DML === '1';

/** A LIMIT value (literal or bind) of a SOSL query. */
function limitNumber(v: ValueExpr, bind: (text: string) => ApexValue): number {
  const n = v.kind === 'lit' ? v.value : v.kind === 'bind' ? bind(v.text) : null;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
    throw platformError('System.QueryException', 'LIMIT must be a non-negative integer');
  return n;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class LocalDatabase implements DatabaseApi {
  readonly store = new Store();
  readonly ids = new IdGenerator();
  /** The last counted query: rows scanned (candidates after index use), rows returned, time. */
  lastQuery: { soql: string; rowsScanned: number; rowsReturned: number; ms: number } | null = null;
  readonly stats: DatabaseStats = { queries: 0, rowsScanned: 0, rowsReturned: 0, dmlStatements: 0, dmlRows: 0 };
  hooks: DatabaseHooks;
  private readonly engine = new DmlEngine(this);
  private readonly autoNumbers = new Map<string, number>();
  private readonly fallbackLimits = new Limits();
  private uncommitted = false;
  private nickname = 0;
  private random: () => number;
  private shuffle: boolean;
  private snapshotsTaken = 0;
  private accessCache = new Map<string, { version: number; access: UserAccess }>();
  /** Set by seeding: the admin user and the org. */
  adminUserId: string | null = null;
  organizationId: string | null = null;
  /** Test.setCreatedDate-like override for the next inserts (null = now). */
  createdDateOverride: ApexDatetime | null = null;

  constructor(
    readonly schema: LocalSchemaApi,
    hooks: DatabaseHooks = {},
    opts: DatabaseOptions = {},
  ) {
    this.hooks = hooks;
    this.shuffle = opts.shuffle ?? true;
    this.random = mulberry32(opts.seed ?? 1);
  }

  setHooks(h: Partial<DatabaseHooks>): void {
    this.hooks = { ...this.hooks, ...h };
  }

  // -------------------------------------------------------------------------------------------
  // Context
  // -------------------------------------------------------------------------------------------

  now(): number {
    return this.hooks.now ? this.hooks.now() : Date.now();
  }
  currentLimits(): LimitsApi & { save?: () => Record<string, number>; load?: (s: Record<string, number>) => void } {
    return (this.hooks.limits ? this.hooks.limits() : this.fallbackLimits) as LimitsApi;
  }
  currentUser(): RunningUser {
    const u = this.hooks.runningUser?.();
    if (u) return u;
    if (!this.adminUserId) throw new Error('No running user: seed the org (seedOrg) or install hooks.runningUser');
    return this.runningUserFor(new ApexId(this.adminUserId));
  }
  sharingEnforced(): boolean {
    return this.hooks.sharingEnforced ? this.hooks.sharingEnforced() : false;
  }
  orgId(): string {
    if (!this.organizationId) throw new Error('The org is not seeded');
    return this.organizationId;
  }
  newId(keyPrefix: string): ApexId {
    return this.ids.next(keyPrefix);
  }
  nextAutoNumber(object: string, field: string): number {
    const k = `${object}.${field}`.toLowerCase();
    const n = (this.autoNumbers.get(k) ?? 0) + 1;
    this.autoNumbers.set(k, n);
    return n;
  }
  nextNickname(): number {
    return ++this.nickname;
  }

  /** Where the org's counters stand (Ids, row order, nicknames, auto-numbers): what a saved org continues from. */
  counters(): { ids: number; seq: number; nickname: number; autoNumbers: [string, number][] } {
    return { ids: this.ids.counter, seq: this.store.seq, nickname: this.nickname, autoNumbers: [...this.autoNumbers] };
  }

  /** Continues from saved counters (persist.ts): each becomes the larger of its current and saved value, never less. */
  continueCounters(c: { ids: number; seq: number; nickname: number; autoNumbers: [string, number][] }): void {
    this.ids.counter = Math.max(this.ids.counter, c.ids);
    this.store.seq = Math.max(this.store.seq, c.seq);
    this.nickname = Math.max(this.nickname, c.nickname);
    for (const [k, n] of c.autoNumbers) this.autoNumbers.set(k, Math.max(this.autoNumbers.get(k) ?? 0, n));
  }
  private readonly mixedDml = new WeakMap<object, { setup?: string; nonSetup?: string }>();

  /**
   * MIXED_DML_OPERATION (Apex Developer Guide, "sObjects That Cannot Be Used Together in DML Operations"): DML on a setup
   * object (User, PermissionSet, PermissionSetAssignment, SetupEntityAccess) and on other objects may not share a
   * transaction, except in different System.runAs blocks of a test. Custom settings are exempt. Returns the error, if any.
   * User (Apex saved at API 15.0 and later): inserting users with a null UserRoleId, or updating users without changing
   * UserRoleId, IsActive, ForecastEnabled, IsPortalEnabled, Username or ProfileId, mixes with other DML (counts as neither).
   */
  mixedDmlError(def: LocalObjectDef, op?: DmlOp, recs?: SObjectValue[]): string | null {
    const token = this.hooks.mixedDmlScope?.();
    if (!token || def.kind === 'customSetting' || def.kind === 'customMetadata') return null;
    if (def.name === 'User' && op && recs && this.userDmlMixes(def, op, recs)) return null;
    // Same page: "You can only insert and update a group in a transaction with other sObjects."
    if (def.name === 'Group' && (op === 'insert' || op === 'update')) return null;
    let st = this.mixedDml.get(token);
    if (!st) this.mixedDml.set(token, (st = {}));
    const setup = !!def.setupObject;
    const other = setup ? st.nonSetup : st.setup;
    if (other) {
      return `DML operation on setup object is not permitted after you have updated a non-setup object (or vice versa): ${def.name}, original object: ${other}`;
    }
    if (setup) st.setup ??= def.name;
    else st.nonSetup ??= def.name;
    return null;
  }

  private userDmlMixes(def: LocalObjectDef, op: DmlOp, recs: SObjectValue[]): boolean {
    const guarded = ['UserRoleId', 'IsActive', 'ForecastEnabled', 'IsPortalEnabled', 'Username', 'ProfileId'];
    const same = (a: ApexValue | undefined, b: ApexValue | undefined): boolean =>
      a instanceof ApexId || b instanceof ApexId
        ? (a instanceof ApexId ? a.value : (a ?? null)) === (b instanceof ApexId ? b.value : (b ?? null))
        : (a ?? null) === (b ?? null);
    return recs.every((r) => {
      const row = r.id && op !== 'insert' ? this.store.get(def, r.id.value) : undefined;
      if (!row) return op !== 'delete' && op !== 'undelete' && (r.getRaw('UserRoleId') ?? null) === null;
      if (op !== 'update' && op !== 'upsert') return false;
      return guarded.every((f) => !r.has(f) || same(r.getRaw(f), row.values.get(f.toLowerCase())));
    });
  }

  markUncommitted(): void {
    this.uncommitted = true;
  }

  // -------------------------------------------------------------------------------------------
  // Users and access
  // -------------------------------------------------------------------------------------------

  private userRow(userId: string): Row | undefined {
    const def = this.schema.getObject('User')!;
    return this.store.get(def, userId);
  }

  /** A RunningUser for a User Id (System.runAs, server sessions). */
  runningUserFor(userId: ApexId): RunningUser {
    const row = this.userRow(userId.value);
    if (!row) throw platformError('System.QueryException', `User ${userId.value} does not exist`);
    const v = (k: string) => row.values.get(k) ?? null;
    const profile = lookupRow(this.store, this.schema, v('profileid'));
    const profileName = profile ? String(profile.values.get('name') ?? '') : '';
    const isAdmin = profileName === 'System Administrator' || profile?.values.get('permissionsmodifyalldata') === true;
    return {
      id: new ApexId(row.id),
      username: String(v('username') ?? ''),
      name: String(v('name') ?? ''),
      email: String(v('email') ?? ''),
      profileName,
      isAdmin,
      timeZoneSidKey: String(v('timezonesidkey') ?? 'America/Los_Angeles'),
      organizationId: new ApexId(this.orgId()),
      profileId: profile ? new ApexId(profile.id) : undefined,
      firstName: (v('firstname') as string | null) ?? null,
      lastName: String(v('lastname') ?? ''),
      localeSidKey: String(v('localesidkey') ?? 'en_US'),
      languageLocaleKey: String(v('languagelocalekey') ?? 'en_US'),
      userType: String(v('usertype') ?? 'Standard'),
    };
  }

  /** Permission sets assigned to a user, directly or through a permission set group (permission-rows.ts). */
  private permissionSetsOf(userId: string) {
    return assignedPermissionSets(this.store, this.schema, userId);
  }

  /** AccessApi of a user (cached until the next write). */
  accessFor(userId: string): UserAccess {
    const hit = this.accessCache.get(userId);
    if (hit && hit.version === this.store.version) return hit.access;
    const ru = this.runningUserFor(new ApexId(userId));
    if (UNMODELLED_PROFILES.includes(ru.profileName))
      throw new UnsupportedFeature(`object and field permissions of the standard profile '${ru.profileName}'`);
    const access = new UserAccess(
      this.schema,
      userId,
      ru.isAdmin,
      this.permissionSetsOf(userId),
      ru.profileName !== MINIMUM_ACCESS_PROFILE,
    );
    if (this.accessCache.size > 1000) this.accessCache.clear();
    this.accessCache.set(userId, { version: this.store.version, access });
    return access;
  }

  /** Custom permission names (lower-cased) granted to a user by assigned permission sets. */
  customPermissionsFor(userId: ApexId | string): Set<string> {
    return this.accessFor(typeof userId === 'string' ? userId : userId.value).customPermissions;
  }

  /**
   * Record visibility under sharing for a non-admin (simplified: org-wide defaults, ownership, View All; no role
   * hierarchy, sharing rules or manual shares). Private: owner or View All. ControlledByParent: the master record's.
   */
  recordVisible(def: LocalObjectDef, row: Row, userId: string, access: UserAccess): boolean {
    if (access.isAdmin || access.viewAll(def.name)) return true;
    switch (def.sharingModel) {
      case 'Private': {
        const owner = row.values.get('ownerid');
        return owner instanceof ApexId && owner.value === userId;
      }
      case 'ControlledByParent': {
        const md = [...def.fields.values()].find((f) => f.masterDetail);
        const parent = md
          ? lookupRow(this.store, this.schema, row.values.get(md.name.toLowerCase()) ?? null)
          : undefined;
        const pdef = parent ? this.schema.objectForKeyPrefix(parent.id.slice(0, 3)) : undefined;
        return !!(parent && pdef && this.recordVisible(pdef, parent, userId, access));
      }
      default:
        return true;
    }
  }

  /** Edit access under sharing: ReadWrite org-wide default, owner, or Modify All. */
  recordEditable(def: LocalObjectDef, row: Row, userId: string, access: UserAccess): boolean {
    if (access.isAdmin || access.modifyAll(def.name)) return true;
    if (def.sharingModel === 'ControlledByParent') {
      const md = [...def.fields.values()].find((f) => f.masterDetail);
      const parent = md ? lookupRow(this.store, this.schema, row.values.get(md.name.toLowerCase()) ?? null) : undefined;
      const pdef = parent ? this.schema.objectForKeyPrefix(parent.id.slice(0, 3)) : undefined;
      return !!(parent && pdef && this.recordEditable(pdef, parent, userId, access));
    }
    const owner = row.values.get('ownerid');
    if (owner instanceof ApexId && owner.value === userId) return true;
    if (def.name === 'User') return row.id === userId;
    return (
      def.sharingModel === 'ReadWrite' || def.sharingModel === 'ReadWriteTransfer' || def.sharingModel === 'FullAccess'
    );
  }

  // -------------------------------------------------------------------------------------------
  // SOQL
  // -------------------------------------------------------------------------------------------

  query(soql: string, opts: QueryOptions): ApexList | number {
    const limits = this.currentLimits();
    // countLimits: false = the platform's own cached reads (custom settings, custom metadata getAll/getInstance,
    // UserInfo): no SOQL or row limits, no shuffle-relevant semantics change.
    if (opts.countLimits === false) {
      const out = this.runQuery(soql, opts);
      if (typeof out.records === 'number') return out.records;
      return new ApexList({ name: out.objectName }, out.records);
    }
    limits.consume('queries');
    const scannedBefore = this.stats.rowsScanned;
    const t0 = performance.now();
    // LOCALORG_TRACE_SOQL=1 prints each query with its running count to stderr (debugging limit failures).
    if (TRACE_SOQL) process.stderr.write(`[soql ${limits.used('queries')}] ${soql.replace(/\s+/g, ' ').trim()}\n`);
    const out = this.runQuery(soql, opts);
    limits.consume('queryRows', out.rowsCounted);
    this.stats.queries++;
    this.lastQuery = {
      soql,
      rowsScanned: this.stats.rowsScanned - scannedBefore,
      rowsReturned: typeof out.records === 'number' ? 1 : out.records.length,
      ms: performance.now() - t0,
    };
    if (typeof out.records === 'number') return out.records;
    this.stats.rowsReturned += out.records.length;
    return new ApexList({ name: out.objectName }, out.records);
  }

  /** Runs SOQL without touching limits (seeding, server reads); system mode unless opts say otherwise. */
  queryRecords(soql: string, opts: Partial<QueryOptions> = {}): SObjectValue[] {
    const out = this.runQuery(soql, {
      userMode: false,
      bind: () => {
        throw new Error('no binds');
      },
      ...opts,
    });
    if (typeof out.records === 'number') throw new Error('COUNT() query: use query()');
    return out.records;
  }

  /**
   * SOSL. In a test it returns what the platform returns there (Apex Developer Guide, "Adding SOSL Queries to Unit
   * Tests"): "any SOSL query that is added to an Apex test method returns an empty set of search results" unless
   * Test.setFixedSearchResults gave record Ids, which replace "the results that would normally be returned by the SOSL
   * query if it were not subject to any WHERE or LIMIT clauses. If these clauses exist in the SOSL query, they are
   * applied to the list of fixed search results." Each RETURNING object gets the fixed records of its type, with its
   * field list (Id when it has none), WHERE, ORDER BY, LIMIT and OFFSET, as a SOQL query over those Ids; the query's
   * own LIMIT caps the total, in RETURNING order. Outside tests a search needs the platform's search index: an
   * UnsupportedFeature. Counts against "Total number of SOSL queries issued: 20" (Execution Governors and Limits).
   */
  search(sosl: string, opts: SearchOptions): ApexList {
    const q = parseSosl(sosl);
    this.currentLimits().consume('soslQueries');
    if (opts.fixedResults === undefined)
      throw new UnsupportedFeature('SOSL search outside a test (the local org keeps no search index)');
    if (q.term.kind === 'bind') opts.bind(q.term.text);
    const out = new ApexList({ name: 'List', args: [{ name: 'SObject' }] }, []);
    let left = q.limit ? Math.min(limitNumber(q.limit, opts.bind), 2000) : 2000;
    for (const spec of q.returning) {
      const def = this.schema.getObject(spec.object);
      if (!def) throw unknownObject(spec.object);
      const ids = opts.fixedResults.filter((id) => id.startsWith(def.keyPrefix));
      let records: SObjectValue[] = [];
      if (ids.length && left > 0) {
        const idIn: Cond = {
          kind: 'cmp',
          left: { kind: 'path', path: ['Id'] },
          op: 'IN',
          right: { kind: 'list', items: ids.map((id) => ({ kind: 'lit', value: id, lit: 'string' })) },
        };
        const one: Query = {
          countOnly: false,
          select: spec.select.length ? spec.select : [{ kind: 'field', path: ['Id'] }],
          from: def.name,
          where: spec.where ? { kind: 'and', items: [idIn, spec.where] } : idIn,
          with: q.with,
          orderBy: spec.orderBy,
          limit: spec.limit,
          offset: spec.offset,
          forUpdate: false,
        };
        const res = this.runParsed(one, { userMode: !!opts.userMode, bind: opts.bind });
        records = (res.records as SObjectValue[]).slice(0, left);
        left -= records.length;
      }
      out.items.push(new ApexList({ name: def.name }, records));
    }
    return out;
  }

  private runQuery(soql: string, opts: QueryOptions) {
    return this.runParsed(parseSoql(soql), opts);
  }

  private runParsed(q: Query, opts: QueryOptions) {
    // ALL ROWS is Apex syntax; the REST API has its queryAll resource instead (REST API Developer Guide, QueryAll).
    if (q.allRows && opts.apiQuery) throw new UnsupportedFeature('SOQL ALL ROWS in an API query (use queryAll)');
    const userMode = opts.userMode || q.with.includes('USER_MODE');
    const securityEnforced = q.with.includes('SECURITY_ENFORCED');
    const user = this.currentUser();
    const access = this.accessFor(user.id.value);
    // WITH SYSTEM_MODE ignores object and field permissions only: record sharing still follows the class keyword
    // (Apex Developer Guide, "Enforce User Mode for Database Operations").
    const sharing = userMode || this.sharingEnforced();
    return execute(
      {
        schema: this.schema,
        store: this.store,
        bind: opts.bind,
        nowMs: this.now(),
        timeZone: user.timeZoneSidKey,
        userId: user.id.value,
        userMode,
        securityEnforced,
        sharing,
        includeDeleted: !!opts.includeDeleted || !!q.allRows,
        apiQuery: !!opts.apiQuery,
        access,
        shuffle: this.shuffle,
        random: this.random,
        stats: this.stats,
        visible: (def, row) => this.recordVisible(def, row, user.id.value, access),
      },
      q,
    );
  }

  // -------------------------------------------------------------------------------------------
  // DML
  // -------------------------------------------------------------------------------------------

  dml(
    op: DmlOp,
    records: SObjectValue[],
    opts: { allOrNone: boolean; userMode: boolean; externalIdField?: string; line?: number; api?: boolean },
  ): DmlRowResult[] {
    if (TRACE_DML)
      process.stderr.write(
        `[dml ${this.currentLimits().used('dmlStatements') + 1}] ${op} ${records.length} ${records[0]?.sobjectType ?? ''}\n`,
      );
    return this.engine.run(op, records, opts);
  }

  /** Marks a row deleted (recycle bin), cascading to master-detail children and clearing lookups (SetNull). */
  deleteRow(def: LocalObjectDef, id: string, cascadedBy: string | null): void {
    const t = this.store.table(def);
    const row = t.rows.get(id);
    if (!row || row.deleted) return;
    const cleared: { object: string; id: string; field: string }[] = [];
    for (const rel of def.childRelationships) {
      // Only children that have ever held rows can point at this one (standard objects have hundreds of children).
      const ct = this.store.tableIfExists(rel.childObject);
      const child = ct?.def;
      const f = child?.fields.get(rel.field.toLowerCase());
      if (!ct || !child || !f) continue;
      const ids = [...(ct.index(f.name).get(indexKey(new ApexId(id))) ?? [])];
      for (const cid of ids) {
        const cr = ct.rows.get(cid)!;
        if (cr.deleted) continue;
        if (f.deleteConstraint === 'Cascade') this.deleteRow(child, cid, id);
        else if (f.deleteConstraint !== 'Restrict') {
          const values = new Map(cr.values);
          values.set(f.name.toLowerCase(), null);
          this.store.put(ct, { ...cr, values });
          cleared.push({ object: child.name, id: cid, field: f.name });
        }
      }
    }
    const values = new Map(row.values);
    if (def.fields.has('isdeleted')) values.set('isdeleted', true);
    this.store.put(t, {
      ...row,
      values,
      deleted: true,
      clearedRefs: cleared,
      ...(cascadedBy ? { cascadedBy } : {}),
    } as Row);
  }

  undeleteRow(def: LocalObjectDef, id: string): void {
    const t = this.store.table(def);
    const row = t.rows.get(id) as (Row & { cascadedBy?: string }) | undefined;
    if (!row || !row.deleted) return;
    const values = new Map(row.values);
    if (def.fields.has('isdeleted')) values.set('isdeleted', false);
    this.store.put(t, { id: row.id, values, deleted: false, seq: row.seq });
    for (const c of row.clearedRefs ?? []) {
      const cdef = this.schema.getObject(c.object)!;
      const ct = this.store.table(cdef);
      const cr = ct.rows.get(c.id);
      if (!cr || cr.deleted || cr.values.get(c.field.toLowerCase()) !== null) continue;
      const v = new Map(cr.values);
      v.set(c.field.toLowerCase(), new ApexId(id));
      this.store.put(ct, { ...cr, values: v });
    }
    for (const rel of def.childRelationships) {
      const ct = this.store.tableIfExists(rel.childObject);
      if (!ct) continue;
      const child = ct.def;
      for (const r of [...ct.rows.values()])
        if ((r as Row & { cascadedBy?: string }).cascadedBy === id) this.undeleteRow(child, r.id);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Transactions
  // -------------------------------------------------------------------------------------------

  /**
   * Savepoints. Database.setSavepoint() and Database.rollback() each count as a DML statement (Execution Governors and
   * Limits). Since Spring '24 an active savepoint blocks callouts ("All active Savepoints must be released before making
   * callouts.") until Database.releaseSavepoint(sp) releases it and every savepoint set after it; rolling back to a
   * savepoint also undoes the uncommitted-work state of the DML after it. Callout code asks activeSavepoints().
   */
  private savepoints: { savepointMark: number; uncommittedAtSet: boolean; valid: boolean }[] = [];

  setSavepoint(): unknown {
    this.currentLimits().consume('dmlStatements');
    const sp = { savepointMark: this.store.mark(), uncommittedAtSet: this.uncommitted, valid: true };
    this.savepoints.push(sp);
    return sp;
  }

  /** Database.rollback(sp): savepoints set after `sp` become invalid; rolling back to an invalid one is an error. */
  rollback(savepoint: unknown): void {
    this.currentLimits().consume('dmlStatements');
    const sp = savepoint as { savepointMark?: number; uncommittedAtSet?: boolean; valid?: boolean } | null;
    if (!sp || typeof sp.savepointMark !== 'number')
      throw platformError('System.NullPointerException', 'Argument cannot be null.');
    if (sp.valid === false || sp.savepointMark > this.store.mark()) {
      throw platformError('System.TypeException', 'Savepoint does not exist in this context');
    }
    this.store.undoTo(sp.savepointMark);
    this.uncommitted = !!sp.uncommittedAtSet;
    const i = this.savepoints.indexOf(sp as never);
    if (i >= 0) {
      for (const later of this.savepoints.slice(i + 1)) later.valid = false;
      this.savepoints.length = i + 1;
    }
  }

  /** Database.releaseSavepoint(sp): releases `sp` and every savepoint set after it. */
  releaseSavepoint(savepoint: unknown): void {
    const i = this.savepoints.indexOf(savepoint as never);
    if (i < 0) return;
    for (const s of this.savepoints.slice(i)) s.valid = false;
    this.savepoints.length = i;
  }

  /** Savepoints set and not released in this transaction (a callout then throws CalloutException). */
  activeSavepoints(): number {
    return this.savepoints.length;
  }

  snapshot(): unknown {
    this.snapshotsTaken++;
    const s: Snapshot = { mark: this.store.mark(), autoNumbers: [...this.autoNumbers] };
    this.liveSnapshots.push(new WeakRef(s));
    return s;
  }

  /** Snapshots still referenced by someone: history before the oldest of them can be dropped. */
  private liveSnapshots: WeakRef<Snapshot>[] = [];

  private trimHistory(): void {
    if (this.store.historyLength < 20000) return;
    this.liveSnapshots = this.liveSnapshots.filter((w) => w.deref() !== undefined);
    let min = this.store.mark();
    for (const w of this.liveSnapshots) {
      const s = w.deref();
      if (s && s.mark < min) min = s.mark;
    }
    this.store.trimBefore(min);
  }

  restore(snapshot: unknown): void {
    const s = snapshot as Snapshot;
    this.store.undoTo(s.mark);
    this.autoNumbers.clear();
    for (const [k, v] of s.autoNumbers) this.autoNumbers.set(k, v);
    this.uncommitted = false;
    this.savepoints = [];
  }

  hasUncommittedWork(): boolean {
    return this.uncommitted;
  }

  /**
   * Ends a transaction. Undo history older than every snapshot still referenced is dropped (long-running servers);
   * without any snapshot ever taken, all of it.
   */
  commit(): void {
    this.uncommitted = false;
    this.savepoints = [];
    if (this.snapshotsTaken === 0) this.store.discardHistory();
    else this.trimHistory();
  }

  /** A transaction start mark; rollbackTo(mark) undoes the whole transaction (uncaught exception). */
  beginTransaction(): number {
    this.uncommitted = false;
    this.savepoints = [];
    return this.store.mark();
  }
  rollbackTo(mark: number): void {
    this.store.undoTo(mark);
    this.uncommitted = false;
    this.savepoints = [];
  }

  resetStats(): void {
    Object.assign(this.stats, { queries: 0, rowsScanned: 0, rowsReturned: 0, dmlStatements: 0, dmlRows: 0 });
  }

  // -------------------------------------------------------------------------------------------
  // Direct access (seeding, system jobs, server)
  // -------------------------------------------------------------------------------------------

  /**
   * Inserts a record without triggers, limits or validation beyond types (seeding, AsyncApexJob rows, ...).
   * Defaults, audit fields, computed Name and Id are filled. Field names are API names (any case).
   */
  insertDirect(objectName: string, fields: Record<string, ApexValue>, opts: { createdById?: string } = {}): ApexId {
    const plan = this.directPlan(objectName);
    const def = plan.def;
    const id = this.newId(def.keyPrefix);
    const values = new Map<string, ApexValue>(plan.defaults);
    for (const k in fields) {
      let f = plan.byKey.get(k);
      if (!f) {
        f = def.fields.get(k.toLowerCase());
        if (!f) throw new Error(`No field ${k} on ${def.name}`);
        plan.byKey.set(k, f);
      }
      const v = fields[k];
      values.set(
        f.name.toLowerCase(),
        typeof v === 'string' && (f.type === 'reference' || f.type === 'id') ? toIdStrict(v) : v,
      );
    }
    const ts = new ApexDatetime(this.now());
    const byStr = opts.createdById ?? this.adminUserId ?? (objectName === 'User' ? id.value : null);
    const by = byStr ? new ApexId(byStr) : null;
    values.set('id', id);
    for (const k of plan.timestamps) if (!values.has(k)) values.set(k, ts);
    if (by) for (const k of plan.byFields) values.set(k, by);
    if (plan.hasIsDeleted) values.set('isdeleted', false);
    if (def.hasOwner && !values.get('ownerid') && by) values.set('ownerid', by);
    if (plan.computedName) {
      const fn = values.get('firstname');
      const ln = values.get('lastname');
      values.set(
        'name',
        typeof fn === 'string' && fn
          ? typeof ln === 'string' && ln
            ? `${fn} ${ln}`
            : fn
          : typeof ln === 'string' && ln
            ? ln
            : null,
      );
    }
    if (plan.autoName && !values.has('name')) {
      const n = this.nextAutoNumber(def.name, 'Name');
      values.set(
        'name',
        (plan.autoName.autoNumberFormat ?? '{0}').replace(/\{(0+)\}/, (_m, z: string) =>
          String(n).padStart(z.length, '0'),
        ),
      );
    }
    this.store.put(plan.table, { id: id.value, values, deleted: false, seq: ++this.store.seq });
    return id;
  }

  private readonly directPlans = new Map<
    string,
    {
      def: LocalObjectDef;
      table: import('./store.js').Table;
      defaults: [string, ApexValue][];
      byKey: Map<string, import('../metadata/types.js').LocalFieldDef>;
      timestamps: string[];
      byFields: string[];
      hasIsDeleted: boolean;
      computedName: boolean;
      autoName: import('../metadata/types.js').LocalFieldDef | null;
    }
  >();

  private directPlan(objectName: string) {
    const key = objectName.toLowerCase();
    let p = this.directPlans.get(key);
    if (!p) {
      const def = this.schema.getObject(objectName);
      if (!def) throw new Error(`Unknown object ${objectName}`);
      const nameF = def.fields.get('name');
      p = {
        def,
        table: this.store.table(def),
        defaults: [...def.fields.values()]
          .filter((f) => f.defaultValue !== undefined)
          .map((f) => [f.name.toLowerCase(), f.defaultValue!] as [string, ApexValue]),
        byKey: new Map(),
        timestamps: ['createddate', 'lastmodifieddate', 'systemmodstamp'].filter((k) => def.fields.has(k)),
        byFields: ['createdbyid', 'lastmodifiedbyid'].filter((k) => def.fields.has(k)),
        hasIsDeleted: def.fields.has('isdeleted'),
        computedName: !!nameF?.computed,
        autoName: nameF?.type === 'autonumber' ? nameF : null,
      };
      this.directPlans.set(key, p);
    }
    return p;
  }

  /** Updates fields of a record directly (system jobs: AsyncApexJob status). */
  updateDirect(id: ApexId, fields: Record<string, ApexValue>): void {
    const def = this.schema.objectForKeyPrefix(id.keyPrefix);
    if (!def) throw new Error(`No object for ${id.value}`);
    const t = this.store.table(def);
    const row = t.rows.get(id.value);
    if (!row) throw new Error(`No record ${id.value}`);
    const values = new Map(row.values);
    for (const [k, v] of Object.entries(fields)) {
      const f = def.fields.get(k.toLowerCase());
      if (!f) throw new Error(`No field ${k} on ${def.name}`);
      values.set(f.name.toLowerCase(), v);
    }
    if (def.fields.has('systemmodstamp')) values.set('systemmodstamp', new ApexDatetime(this.now()));
    this.store.put(t, { ...row, values });
  }

  /**
   * Test.setCreatedDate(recordId, createdDatetime): sets CreatedDate of a record inserted in the test
   * (Apex Reference, Test class). "System.InvalidParameterValueException" shapes are left to the caller.
   */
  setCreatedDate(id: ApexId, createdDate: ApexDatetime): void {
    const def = this.schema.objectForKeyPrefix(id.keyPrefix);
    const row = def ? this.store.get(def, id.value) : undefined;
    if (!def || !row || row.deleted)
      throw platformError('System.InvalidParameterValueException', `Record ${id.value} does not exist`);
    if (!def.fields.has('createddate'))
      throw platformError('System.InvalidParameterValueException', `${def.name} has no CreatedDate`);
    this.updateDirect(id, { CreatedDate: createdDate });
  }

  /** The full stored record (all fields), or null. Not a query: no limits, no fromQuery. */
  getRecord(id: ApexId | string): SObjectValue | null {
    const s = typeof id === 'string' ? id : id.value;
    const def = this.schema.objectForKeyPrefix(s.slice(0, 3));
    if (!def) return null;
    const row = this.store.get(def, s);
    if (!row || row.deleted) return null;
    const rec = new SObjectValue(def.name);
    for (const f of def.fields.values()) rec.setRaw(f.name, row.values.get(f.name.toLowerCase()) ?? null);
    return rec;
  }

  /**
   * Empties the org's data for an @IsTest method ("test methods don't have access to pre-existing data in the org"),
   * keeping what tests see without SeeAllData: users, profiles, the organization, permission sets and their
   * assignments, custom permissions, Apex classes, and custom metadata records. Journalled: restore() brings the data back.
   */
  clearDataForTest(): void {
    for (const t of this.store.allTables()) {
      const d = t.def;
      if (
        d.setupObject ||
        d.kind === 'customMetadata' ||
        d.name === 'Organization' ||
        d.name === 'AsyncApexJob' ||
        METADATA_ROWS.has(d.name.toLowerCase())
      )
        continue;
      for (const id of [...t.rows.keys()]) this.store.remove(t, id);
    }
  }

  /** Live record count of an object. */
  count(objectName: string): number {
    const def = this.schema.getObject(objectName);
    return def ? this.store.table(def).liveCount : 0;
  }
}

/** Rows that describe the org's metadata (classes, objects, fields, cache partitions): tests see them. */
const METADATA_ROWS = new Set([
  'apexclass',
  'apextrigger',
  'entitydefinition',
  'fielddefinition',
  'platformcachepartition',
  'staticresource',
]);

function toIdStrict(s: string): ApexId {
  const id = tryToId(s);
  if (!id) throw new Error(`Invalid id: ${s}`);
  return id;
}

export function createDatabase(
  schema: LocalSchemaApi,
  hooks: DatabaseHooks = {},
  opts: DatabaseOptions = {},
): LocalDatabase {
  return new LocalDatabase(schema, hooks, opts);
}
