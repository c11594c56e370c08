/**
 * The embeddable local org (LocalOrgApi): loads the project's metadata and Apex once, then runs each call in
 * its own transaction (a fresh Interpreter and Runtime), commits, and keeps the jobs enqueued for runQueuedJobs.
 */
import path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { ApexDecimal, ApexId, type ApexValue, type SObjectValue, ApexList } from './core/values.js';
import type {
  LocalOrgApi,
  InvokeResult,
  RestResponseInfo,
  InvocableActionInfo,
  TestMethodResult,
  CoverageInfo,
  OrgDataApi,
} from './core/org-api.js';
import type { HttpTransport, QueuedJob, SchemaApi } from './core/runtime.js';
import './stdlib/index.js';
import { nextFireTime, parseCron } from './stdlib/cron.js';
import { loadSchema, packageDirectories } from './metadata/index.js';
import { ClassRegistry } from './interpreter/classes/registry.js';
import { Interpreter } from './interpreter/eval/interpreter.js';
import { parseAnonymous } from './interpreter/parse/parse.js';
import { TxRuntime, NO_HTTP } from './interpreter/host/tx-runtime.js';
import { loadBackend, type Backend } from './interpreter/host/backend.js';
import { errorInfo } from './interpreter/host/error-info.js';
import { LocalTestState } from './interpreter/host/test-state.js';
import { asyncContextOf, runAsyncJob } from './interpreter/host/async-run.js';
import { deliverEvents, type PublishedEvent } from './interpreter/host/event-bus.js';
import { orgInvokers } from './interpreter/host/invokers.js';
import { orgDataApi } from './interpreter/host/data-api.js';
import { ci } from './interpreter/classes/class-info.js';
import type { Modifiers } from './interpreter/ast.js';
import { UnsupportedFeature } from './core/errors.js';
import { LocalDatabase } from './database/database.js';
import { loadOrgData, saveOrgData, type LoadReport, type SaveReport } from './database/persist.js';
import { DurableData, type OpenReport } from './database/durable.js';

/** `<apiVersion>` of a class's FILE-meta.xml (source format), or null without one. */
function classApiVersion(file: string): string | null {
  const meta = `${file}-meta.xml`;
  if (!existsSync(meta)) return null;
  return /<apiVersion>\s*([\d.]+)\s*<\/apiVersion>/.exec(readFileSync(meta, 'utf8'))?.[1] ?? null;
}

export interface LoadOptions {
  /** Folders laid out like a package directory, loaded with the project (conformance support code). */
  extraSourceDirs?: string[];
  http?: HttpTransport;
}

interface TxOptions {
  isAsync?: boolean;
  inQueueable?: boolean;
  parentJobId?: ApexId;
  test?: boolean;
}

export class LocalOrg implements LocalOrgApi {
  readonly orgId: ApexId;
  private readonly queue: QueuedJob[] = [];
  /** System.schedule'd jobs waiting for their NextFireTime (fireSchedules). */
  private readonly scheduled: QueuedJob[] = [];
  /** DIR opened by openData: each committed transaction is journalled there before the call returns. */
  private durable: DurableData | null = null;
  private testCtx: {
    base: unknown;
    className: string | null;
    setup: unknown;
    setupError: TestMethodResult['message'];
  } | null = null;
  http: HttpTransport;
  /** Apex statements executed since load, over every transaction (benchmarks: statements per second). */
  private statementsExecuted = 0;

  private constructor(
    readonly schema: SchemaApi,
    readonly reg: ClassRegistry,
    readonly backend: Backend,
    opts: LoadOptions,
  ) {
    this.orgId = backend.orgId;
    this.http = opts.http ?? NO_HTTP;
  }

  static load(projectDir: string, opts: LoadOptions = {}): LocalOrg {
    const extra = (opts.extraSourceDirs ?? []).map((d) => path.resolve(d));
    const schema = (loadSchema as (dir: string, o?: { extraSourceDirs?: string[] }) => SchemaApi)(projectDir, {
      extraSourceDirs: extra,
    });
    const reg = new ClassRegistry();
    reg.loadDirs([...packageDirectories(projectDir), ...extra]);
    const org = new LocalOrg(schema, reg, loadBackend(schema, projectDir), opts);
    org.seedApexClassRows();
    return org;
  }

  /**
   * One ApexClass row per class of the project, with its source in Body (SOQL on ApexClass, Object Reference:
   * "Body: the Apex class definition") and the ApiVersion of its NAME.cls-meta.xml ("ApiVersion: the API version for
   * this class"), as the org holds them after a deploy.
   */
  private seedApexClassRows(): void {
    const db = this.database();
    const def = this.schema.getObject('ApexClass');
    if (!def) return;
    const hasBody = def.fields.has('body');
    for (const { name, src, file } of this.reg.classSources.values()) {
      const fields: Record<string, ApexValue> = { Name: name, Status: 'Active', IsValid: true };
      const version = classApiVersion(file);
      if (version) fields.ApiVersion = ApexDecimal.of(version);
      if (hasBody) fields.Body = src;
      if (def.fields.has('lengthwithoutcomments')) fields.LengthWithoutComments = src.length;
      db.insertDirect('ApexClass', fields);
    }
  }

  get adminUserId(): ApexId {
    return this.backend.adminUserId;
  }

  // ------------------------------------------------------------------------------------------- transactions

  /** A fresh transaction: interpreter with its own statics, runtime with fresh limits. */
  newTransaction(userId: ApexId, o: TxOptions = {}): { rt: TxRuntime; interp: Interpreter } {
    const interp = new Interpreter(this.reg);
    const rt = new TxRuntime({
      schema: this.schema,
      interp,
      limits: this.backend.limits({ isAsync: !!o.isAsync, inQueueable: !!o.inQueueable }),
      user: this.backend.user(userId),
      users: this.backend,
      http: this.http,
      isAsync: !!o.isAsync,
      newId: (p) => this.backend.newId(p),
      db: (r) => this.backend.dbFor(r),
      parentJobId: o.parentJobId,
      jobRows: this.backend.jobs,
    });
    return { rt, interp };
  }

  /** Leaves test mode: the org's own data comes back. */
  private endTests(): void {
    if (this.testCtx) {
      this.backend.restore(this.testCtx.base);
      this.testCtx = null;
    }
  }

  /** Runs `fn` in a transaction; commits on success, rolls back and reports on an Apex error. */
  runTransaction<T>(userId: ApexId, fn: (rt: TxRuntime, interp: Interpreter) => T, o: TxOptions = {}): InvokeResult<T> {
    if (!o.test) this.endTests();
    const { rt, interp } = this.newTransaction(userId, o);
    const before = this.backend.snapshot();
    try {
      const value = this.counted(interp, () => fn(rt, interp));
      rt.db.commit();
      const jobs = rt.takeJobs();
      this.queue.push(...jobs.filter((j) => j.kind !== 'Scheduled'));
      // A scheduled job waits for its CronTrigger's NextFireTime (fireSchedules); a test's never leaves the test.
      if (!o.test) this.scheduled.push(...jobs.filter((j) => j.kind === 'Scheduled'));
      // A job's transaction is saved with its AsyncApexJob status (runQueuedJobs).
      if (!o.test && !o.inQueueable) this.durable?.commit();
      if (!o.test) this.deliverEvents(rt.takeEvents(true), userId);
      return { ok: true, value, debug: rt.debugLines };
    } catch (e) {
      const info = errorInfo(interp, e);
      if (!info) throw e;
      this.backend.restore(before);
      if (!o.test && !o.inQueueable) this.durable?.commit();
      if (!o.test) this.deliverEvents(rt.takeEvents(false), userId);
      return { ok: false, error: info, debug: rt.debugLines };
    }
  }

  /** Platform events published by a transaction reach their triggers and callbacks, each in a transaction of its own. */
  private deliverEvents(events: PublishedEvent[], userId: ApexId): void {
    if (events.length === 0) return;
    deliverEvents(events, (fn) => {
      const r = this.runTransaction(
        userId,
        (rt, interp) => {
          rt.asyncKind = undefined; // a subscriber trigger is not a queueable, batch, future or scheduled job
          return fn(interp);
        },
        { isAsync: true },
      );
      return r.ok ? { ok: true, value: r.value } : { ok: false, error: `${r.error.typeName}: ${r.error.message}` };
    });
  }

  private counted<T>(interp: Interpreter, fn: () => T): T {
    try {
      return fn();
    } finally {
      this.statementsExecuted += interp.statements;
    }
  }

  /** Counters since load (bench:apex, bench:peer). */
  stats(): { statementsExecuted: number } {
    return { statementsExecuted: this.statementsExecuted };
  }

  runAnonymous(
    source: string,
    opts: { asUserId?: ApexId; fileName?: string; onDebug?: (line: string) => void } = {},
  ): InvokeResult<null> {
    const file = opts.fileName ?? 'AnonymousBlock';
    const unit = parseAnonymous(file, source);
    return this.runTransaction(opts.asUserId ?? this.adminUserId, (rt, interp) => {
      rt.quiddity = 'ANONYMOUS';
      interp.runAnonymous(unit, file);
      return null;
    });
  }

  // ------------------------------------------------------------------------------------------- async

  runQueuedJobs(opts: { includeDelayed?: boolean } = {}): number {
    this.endTests();
    let ran = this.fireSchedules(Date.now());
    for (;;) {
      const now = Date.now();
      const at = this.queue.findIndex((j) => opts.includeDelayed || j.dueAt === undefined || j.dueAt <= now);
      if (at < 0) break;
      const [job] = this.queue.splice(at, 1);
      this.runJob(job, job.id);
      ran++;
    }
    return ran;
  }

  /**
   * Runs the scheduled jobs whose NextFireTime has come: each run is an AsyncApexJob (JobType 'ScheduledApex') whose
   * execute gets the CronTrigger Id from SchedulableContext.getTriggerId(); the CronTrigger then counts the run
   * (TimesTriggered, PreviousFireTime) and moves NextFireTime to the expression's next time, or ends (State COMPLETE)
   * when there is none (Apex Developer Guide, "Apex Scheduler"; Object Reference, "CronTrigger"). An aborted job's
   * CronTrigger is gone and the job with it. Schedules live while the org runs; a saved org does not keep them.
   */
  private fireSchedules(now: number): number {
    let ran = 0;
    for (const job of [...this.scheduled]) {
      const s = job.schedule!;
      const rows = this.backend.jobs;
      if (rows && !rows.exists(job.id)) s.nextFireTime = null;
      else if (s.nextFireTime !== null && s.nextFireTime <= now) {
        const runId = rows?.create({ className: job.className, jobType: 'ScheduledApex', createdById: job.userId });
        this.runJob(job, runId ?? job.id);
        const next = nextFireTime(parseCron(s.cron), Math.max(now, s.nextFireTime), s.zone);
        rows?.cronFired(job.id, s.nextFireTime, next);
        s.nextFireTime = next;
        ran++;
      }
      if (s.nextFireTime === null) this.scheduled.splice(this.scheduled.indexOf(job), 1);
    }
    return ran;
  }

  /** One queued job, each of its transactions a transaction of the org; `rowId` is its AsyncApexJob row. */
  private runJob(job: QueuedJob, rowId: ApexId): void {
    // The AsyncApexJob row moves outside the job's transaction, so a failed job's rollback keeps its status.
    job.status = 'Processing';
    this.backend.jobs?.update(rowId, 'Processing');
    const ctx = asyncContextOf(job.kind);
    runAsyncJob(
      job,
      (fn) => {
        const r = this.runTransaction(
          job.userId ?? this.adminUserId,
          (rt, interp) => {
            rt.asyncKind = ctx.asyncKind;
            rt.quiddity = ctx.quiddity;
            return fn(interp);
          },
          { isAsync: true, inQueueable: true, parentJobId: rowId },
        );
        return r.ok ? { ok: true, value: r.value } : { ok: false, error: `${r.error.typeName}: ${r.error.message}` };
      },
      (status, error, counts) => {
        job.status = status;
        if (error !== undefined) job.error = error;
        this.backend.jobs?.update(rowId, status, error, counts);
      },
      { inTest: false },
    );
    this.durable?.commit();
  }

  pendingJobs(): number {
    return this.queue.length;
  }

  // ------------------------------------------------------------------------------------------- tests

  listTests(): { className: string; methods: string[] }[] {
    const out: { className: string; methods: string[] }[] = [];
    for (const c of this.reg.classes.values()) {
      if (!c.isTest || !c.decl) continue;
      const methods = c.decl.methods
        .filter((m) => m.mods.isTestMethod || m.mods.annotations.some((a) => a.name === 'istest'))
        .filter((m) => !m.mods.annotations.some((a) => a.name === 'testsetup'))
        .map((m) => m.name)
        .sort((a, b) => a.localeCompare(b));
      if (methods.length) out.push({ className: c.name, methods });
    }
    for (const u of this.reg.unloaded.values())
      if (u.testMethods.length) out.push({ className: u.name, methods: u.testMethods });
    return out.sort((a, b) => a.className.localeCompare(b.className));
  }

  /** Runs @TestSetup once per class (data snapshot reused by each method), then the method on a fresh copy. */
  runTest(className: string, methodName: string): TestMethodResult {
    const t0 = Date.now();
    const unloaded = this.reg.unloaded.get(className.toLowerCase());
    if (unloaded) throw unloaded.error; // the test runner reports it as the method's failure
    const cls = this.reg.classes.get(className.toLowerCase());
    const method = cls?.decl?.methods.find((m) => m.name.toLowerCase() === methodName.toLowerCase());
    if (!cls || !method) {
      return {
        className,
        methodName,
        outcome: 'Fail',
        message: `No test method ${className}.${methodName}`,
        stackTrace: null,
        timeMs: 0,
      };
    }
    if (!this.testCtx) this.testCtx = { base: this.backend.snapshot(), className: null, setup: null, setupError: null };
    const ctx = this.testCtx;
    if (ctx.className !== cls.lname) {
      this.backend.restore(ctx.base);
      this.backend.clearForTest?.();
      ctx.className = cls.lname;
      ctx.setupError = null;
      for (const m of cls.decl!.methods.filter((x) => x.mods.annotations.some((a) => a.name === 'testsetup'))) {
        const r = this.runTestTx(cls.name, m.name);
        if (!r.ok) {
          ctx.setupError = `${r.error.typeName}: ${r.error.message}`;
          break;
        }
      }
      ctx.setup = this.backend.snapshot();
    } else this.backend.restore(ctx.setup);
    if (ctx.setupError) {
      return {
        className: cls.name,
        methodName: method.name,
        outcome: 'Fail',
        message: ctx.setupError,
        stackTrace: null,
        timeMs: Date.now() - t0,
      };
    }
    const seeAllData = seesAllData(cls.decl!, method);
    if (seeAllData) {
      // "If the test class or a test method has access to organization data by using the @IsTest(SeeAllData=true)
      // annotation, test setup methods aren't supported in this class" (Apex Developer Guide, "TestSetup Annotation").
      if (cls.decl!.methods.some((x) => x.mods.annotations.some((a) => a.name === 'testsetup')))
        throw new UnsupportedFeature(`@TestSetup in ${cls.name}, which has a test with @IsTest(SeeAllData=true)`);
      this.backend.restore(ctx.base);
    }
    const r = this.runTestTx(cls.name, method.name, seeAllData);
    this.backend.restore(ctx.setup);
    return {
      className: cls.name,
      methodName: method.name,
      outcome: r.ok ? 'Pass' : 'Fail',
      message: r.ok ? null : `${r.error.typeName}: ${r.error.message}`,
      stackTrace: r.ok ? null : r.error.stackTrace,
      timeMs: Date.now() - t0,
    };
  }

  private runTestTx(className: string, methodName: string, seeAllData = false): InvokeResult<ApexValue> {
    return this.runTransaction(
      this.adminUserId,
      (rt, interp) => {
        rt.test = new LocalTestState(rt, interp, this.backend);
        rt.test.seeAllData = seeAllData;
        // Tests run as `sf apex run test` runs them by default: asynchronously (Quiddity RUNTEST_ASYNC).
        rt.quiddity = 'RUNTEST_ASYNC';
        return interp.callStatic(className, methodName, []);
      },
      { test: true },
    );
  }

  coverage(): CoverageInfo[] {
    return this.reg.files
      .filter((f) => !f.isTest)
      .map((f) => {
        const lines = [...f.lines].sort((a, b) => a - b);
        return { name: f.name, lines, covered: lines.filter((l) => f.covered.has(l)) };
      });
  }

  // ------------------------------------------------------------------------------------------- entry points

  invokeAura(className: string, methodName: string, params: Record<string, unknown>, asUserId: ApexId): InvokeResult {
    return orgInvokers(this).invokeAura(className, methodName, params, asUserId);
  }

  invokeRest(
    req: { method: string; path: string; query: Record<string, string>; headers: Record<string, string>; body: string },
    asUserId: ApexId,
  ): RestResponseInfo {
    return orgInvokers(this).invokeRest(req, asUserId);
  }

  /** The org's data for the REST and Tooling APIs (interpreter/host/data-api.ts). */
  dataApi(): OrgDataApi {
    return (this.dataApiCache ??= orgDataApi(this));
  }

  private dataApiCache: OrgDataApi | undefined;

  listInvocableActions(): InvocableActionInfo[] {
    return orgInvokers(this).listInvocableActions();
  }

  invokeInvocable(
    className: string,
    inputs: Record<string, unknown>[],
    asUserId: ApexId,
  ): InvokeResult<Record<string, unknown>[]> {
    return orgInvokers(this).invokeInvocable(className, inputs, asUserId);
  }

  // ------------------------------------------------------------------------------------------- saved data

  /**
   * Saves the org's data to DIR/org.json (database/persist.ts): every row of every table, live and deleted, the Id and
   * auto-number counters, and the queued jobs whose state is plain data. Leaves test mode first (the org's own data is
   * saved, not a test's). The file holds the vault key record: mode 0600, written to a temporary file then renamed.
   */
  saveData(dir: string): SaveReport {
    this.endTests();
    if (this.durable && path.resolve(dir) === path.resolve(this.durable.dir)) return this.durable.checkpoint();
    return saveOrgData(this.database(), dir, { jobs: this.queue });
  }

  /**
   * Durable saved data (database/durable.ts): loads DIR's snapshot and journal (when DIR holds an org) and from then
   * on appends every committed transaction to DIR's journal, synced to disk, before the call that ran it returns
   * (queued jobs included). When DIR holds no org yet nothing is written until checkpointData(). Throws a one-line
   * Error for a corrupt snapshot or journal, leaving the org unchanged.
   */
  openData(dir: string): OpenReport {
    this.endTests();
    this.durable?.close();
    this.durable = null;
    const { durable, report } = DurableData.open(this.database(), path.resolve(dir), {
      jobs: () => this.queue,
      resolveClass: (name) => this.resolveSavedClass(name),
    });
    if (report.load) {
      this.queue.length = 0;
      this.queue.push(...report.load.jobs);
    }
    this.durable = durable;
    return report;
  }

  /** Writes what is not on disk yet (transactions commit by themselves; this is for direct writes such as seeding). */
  commitData(): void {
    this.endTests();
    this.durable?.commit();
  }

  /** Compaction: a new snapshot of the opened DIR and an empty journal. */
  checkpointData(): SaveReport {
    this.endTests();
    if (!this.durable) throw new Error('no data folder is open (openData)');
    return this.durable.checkpoint();
  }

  /** Compacts the opened DIR when its journal has grown large; true if it did. */
  compactDataIfDue(): boolean {
    this.endTests();
    return this.durable?.compactIfDue() ?? false;
  }

  /** The opened DIR's journal (null when none is open). */
  dataJournal(): { dir: string; bytes: number; records: number; ready: boolean } | null {
    const d = this.durable;
    return d ? { dir: d.dir, bytes: d.journalBytes, records: d.journalRecords, ready: d.ready } : null;
  }

  /** Stops writing to the opened DIR (what is committed is on disk already). */
  closeData(): void {
    this.durable?.close();
    this.durable = null;
  }

  private resolveSavedClass(name: string): ReturnType<ClassRegistry['resolveClass']> | undefined {
    const c = this.reg.resolveClass(name, null);
    return c && c.name.toLowerCase() === name.toLowerCase() ? c : undefined;
  }

  /**
   * Replaces the org's data with the one saved in DIR/org.json and puts the saved queued jobs back in the queue; false
   * when DIR holds no saved org. Throws a one-line Error for a corrupt file or another format version (the org is then
   * unchanged). Metadata-owned rows stay as the current metadata seeds them; no undo history reaches before the load.
   */
  dataVersion(): number {
    return this.database().store.version;
  }

  loadData(dir: string): boolean {
    return this.loadDataReport(dir) !== null;
  }

  /** loadData with what was loaded and what was left out (objects or fields gone from metadata, aborted jobs). */
  loadDataReport(dir: string): LoadReport | null {
    this.endTests();
    this.closeData();
    const report = loadOrgData(this.database(), dir, { resolveClass: (name) => this.resolveSavedClass(name) });
    if (!report) return null;
    this.queue.length = 0;
    this.queue.push(...report.jobs);
    return report;
  }

  /** The org's database (the backend hands it to each transaction). */
  database(): LocalDatabase {
    const db = this.newTransaction(this.adminUserId).rt.db;
    if (!(db instanceof LocalDatabase)) throw new Error('this local org has no database to save or load');
    return db;
  }

  // ------------------------------------------------------------------------------------------- direct data access

  insertRecords(records: SObjectValue[], opts: { runTriggers?: boolean } = {}): ApexId[] {
    const r = this.runTransaction(this.adminUserId, (rt) => {
      const res = rt.db.dml('insert', records, { allOrNone: true, userMode: false });
      return res.map((x) => x.id!);
    });
    void opts;
    if (!r.ok) throw new Error(`${r.error.typeName}: ${r.error.message}`);
    return r.value;
  }

  query(soql: string): SObjectValue[] {
    const r = this.runTransaction(this.adminUserId, (rt) => rt.db.query(soql, { userMode: false, bind: () => null }));
    if (!r.ok) throw new Error(`${r.error.typeName}: ${r.error.message}`);
    const v = r.value;
    return v instanceof ApexList ? (v.items as SObjectValue[]) : [];
  }
}

/**
 * Whether a test method runs with @IsTest(SeeAllData=true): "If a test class is defined with the
 * @IsTest(SeeAllData=true) annotation, the SeeAllData=true applies to all test methods that don't explicitly set the
 * SeeAllData keyword"; and SeeAllData=false on a method of such a class is ignored (Apex Developer Guide, "Using the
 * isTest(SeeAllData=True) Annotation").
 */
function seesAllData(cls: { mods: Modifiers }, method: { mods: Modifiers }): boolean {
  const flag = (m: Modifiers) =>
    m.annotations.some((a) => a.name === 'istest' && (a.params.seealldata ?? '').toLowerCase() === 'true');
  return flag(cls.mods) || flag(method.mods);
}

export { ci };
