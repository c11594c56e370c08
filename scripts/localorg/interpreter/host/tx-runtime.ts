/**
 * The Runtime of one transaction (or one test method): the interpreter, the database view, limits, the running
 * user and its permissions, the debug log and the jobs enqueued. The org creates one per transaction.
 */
import { ApexId, type ApexValue, type SObjectValue } from '../../core/values.js';
import { UnsupportedFeature, platformError } from '../../core/errors.js';
import type {
  AccessApi,
  DatabaseApi,
  DmlRowResult,
  HttpTransport,
  LimitsApi,
  QueuedJob,
  Runtime,
  RunningUser,
  SchemaApi,
  TestState,
} from '../../core/runtime.js';
import type { Interpreter } from '../eval/interpreter.js';
import type { JobRows } from './backend.js';
import { inRunAsBlock } from './sharing.js';
import { publishEvents, type PublishedEvent } from './event-bus.js';

/** What the org provides about users: identity and permissions by Id. */
export interface UserDirectory {
  user(id: ApexId): RunningUser;
  access(user: RunningUser): AccessApi & { customPermissions?: Set<string> };
}

export interface TxRuntimeDeps {
  schema: SchemaApi;
  interp: Interpreter;
  limits: LimitsApi;
  user: RunningUser;
  users: UserDirectory;
  http: HttpTransport;
  isAsync: boolean;
  newId: (keyPrefix: string) => ApexId;
  /** Called once the runtime exists: the database view of this transaction. */
  db: (rt: Runtime) => DatabaseApi;
  debug?: (line: string) => void;
  parentJobId?: ApexId;
  /** AsyncApexJob rows for enqueued jobs; absent: plain 707 Ids. */
  jobRows?: JobRows;
}

export class TxRuntime implements Runtime {
  schema: SchemaApi;
  db: DatabaseApi;
  interp: Interpreter;
  limits: LimitsApi;
  user: RunningUser;
  access: AccessApi;
  test: TestState | null = null;
  http: HttpTransport;
  isAsync: boolean;
  asyncKind?: 'Queueable' | 'Future' | 'Batch' | 'Scheduled';
  quiddity?: string;
  requestId?: string;
  resolveBind?: (expressionText: string) => ApexValue;
  readonly debugLines: string[] = [];
  readonly jobs: QueuedJob[] = [];
  /** Platform events published in this transaction, not delivered yet (event-bus.ts). */
  events: PublishedEvent[] = [];
  private customPerms: Set<string> | undefined;
  private readonly users: UserDirectory;
  private readonly idGen: (keyPrefix: string) => ApexId;
  private readonly onDebug?: (line: string) => void;
  readonly parentJobId?: ApexId;
  readonly jobRows?: JobRows;
  /**
   * The MIXED_DML_OPERATION scope (the database's mixedDmlScope hook): one token per transaction, a new one for each
   * System.runAs block and each job Test.stopTest runs (Apex Developer Guide, "Mixed DML Operations in Test Methods").
   */
  mixedDmlScope: object = {};

  constructor(d: TxRuntimeDeps) {
    this.schema = d.schema;
    this.interp = d.interp;
    this.limits = d.limits;
    this.user = d.user;
    this.users = d.users;
    this.http = d.http;
    this.isAsync = d.isAsync;
    if (d.isAsync) this.asyncKind = 'Queueable';
    this.idGen = d.newId;
    this.onDebug = d.debug;
    this.parentJobId = d.parentJobId;
    this.jobRows = d.jobRows;
    const acc = d.users.access(d.user);
    this.access = acc;
    this.customPerms = acc.customPermissions;
    d.interp.attach(this, { cpuLimitMs: d.limits.limit('cpuTime') || undefined });
    this.db = d.db(this);
  }

  hasCustomPermission(name: string): boolean {
    return this.customPerms?.has(name.toLowerCase()) ?? false;
  }

  runAs<T>(userId: ApexId, fn: () => T): T {
    const prevUser = this.user;
    const prevAccess = this.access;
    const prevPerms = this.customPerms;
    const prevScope = this.mixedDmlScope;
    const u = this.users.user(userId);
    this.user = u;
    const acc = this.users.access(u);
    this.access = acc;
    this.customPerms = acc.customPermissions;
    this.mixedDmlScope = {};
    try {
      return inRunAsBlock(this.interp, fn);
    } finally {
      this.mixedDmlScope = prevScope;
      this.user = prevUser;
      this.access = prevAccess;
      this.customPerms = prevPerms;
    }
  }

  debug(line: string): void {
    this.debugLines.push(line);
    this.onDebug?.(line);
  }

  /**
   * System.enqueueJob: the returned Id is the AsyncApexJob row's (Status 'Queued', JobType 'Queueable'), created in this
   * transaction so a rollback discards it with the job.
   */
  enqueue(job: Omit<QueuedJob, 'id' | 'status'>): ApexId {
    const parentId = job.parentId ?? this.parentJobId;
    const id = !this.jobRows
      ? this.idGen(job.kind === 'Scheduled' ? '08e' : '707')
      : job.kind === 'Scheduled'
        ? this.jobRows.schedule({ ...job.schedule!, createdById: this.user.id })
        : this.jobRows.create({
            className: job.className,
            parentJobId: parentId,
            createdById: this.user.id,
            jobType: job.kind === 'Batch' ? 'BatchApex' : 'Queueable',
          });
    const dueAt = job.delayMinutes ? this.now() + job.delayMinutes * 60_000 : undefined;
    this.jobs.push({ ...job, id, status: 'Queued', parentId, userId: this.user.id, dueAt });
    return id;
  }

  /**
   * Removes and returns the jobs enqueued from position `from` on, without those whose AsyncApexJob row was rolled back
   * with the work that enqueued them: an attempt of a partial save (allOrNone=false) that failed and was retried, or
   * Database.rollback. Apex Developer Guide, "Queueable Apex": "Queueable jobs that are enqueued by a transaction that
   * rolls back aren't processed"; "Bulk DML Exception Handling": the retried attempts start from the state before the
   * first one.
   */
  takeJobs(from = 0): QueuedJob[] {
    const taken = this.jobs.splice(from);
    return this.jobRows ? taken.filter((j) => this.jobRows!.exists(j.id)) : taken;
  }

  /** Moves a job on (QueuedJob.status and its AsyncApexJob row: Status, CompletedDate, NumberOfErrors, ExtendedStatus). */
  setJobStatus(
    job: QueuedJob,
    status: 'Processing' | 'Completed' | 'Failed',
    error?: string,
    counts?: import('../../database/async-jobs.js').JobCounts,
  ): void {
    job.status = status;
    if (error !== undefined) job.error = error;
    // A scheduled job's CronTrigger keeps its state when a test runs it (see test-state.ts).
    if (job.kind !== 'Scheduled') this.jobRows?.update(job.id, status, error, counts);
  }

  publishEvents(events: SObjectValue[], callback: ApexValue): DmlRowResult[] {
    return publishEvents(this, events, callback);
  }

  /**
   * Removes and returns the published events to deliver: all of them when the transaction commits, only the
   * PublishImmediately ones when it rolls back (event-bus.ts).
   */
  takeEvents(committed: boolean): PublishedEvent[] {
    const all = this.events;
    this.events = [];
    return committed ? all : all.filter((e) => e.def.publishImmediately);
  }

  where(): { file?: string; line?: number } {
    return this.interp.where();
  }

  now(): number {
    return Date.now();
  }

  newId(keyPrefix: string): ApexId {
    return this.idGen(keyPrefix);
  }
}

/** Used when no real transport is configured: callouts outside tests are not possible offline. */
export const NO_HTTP: HttpTransport = {
  send(req) {
    // Only scheme, host and path: query strings carry credentials (Avochato's auth_secret) and must never be echoed.
    const target = req.url.split(/[?#]/)[0];
    throw new UnsupportedFeature(`callout to ${target} (no HTTP transport configured for the local org)`);
  },
};

export function unsupportedDb(): DatabaseApi {
  const no = (what: string): never => {
    throw new UnsupportedFeature(`${what}: the local org's database is not available`);
  };
  return {
    query: () => no('SOQL'),
    dml: () => no('DML'),
    setSavepoint: () => no('Database.setSavepoint'),
    rollback: () => no('Database.rollback'),
    snapshot: () => null,
    restore: () => undefined,
    hasUncommittedWork: () => false,
    commit: () => undefined,
  };
}

export function noValue(): ApexValue {
  throw platformError('System.UnexpectedException', 'internal');
}
