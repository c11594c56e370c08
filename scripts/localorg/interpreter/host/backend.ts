/**
 * What the org needs from the database part, behind one small interface so the interpreter can run (for
 * programs without data) before or without it. `loadBackend` binds to scripts/localorg/database when present.
 */
import { ApexId } from '../../core/values.js';
import type { AccessApi, DatabaseApi, LimitsApi, Runtime, RunningUser, SchemaApi } from '../../core/runtime.js';
import { idChecksum } from '../../core/ops.js';
import { unsupportedDb, type TxRuntime } from './tx-runtime.js';
import { Limits } from '../../database/limits.js';
import { createDatabase, seedOrg } from '../../database/index.js';
import {
  createAsyncJob,
  createCronTrigger,
  recordCronFire,
  updateAsyncJob,
  type JobCounts,
} from '../../database/async-jobs.js';
import type { Interpreter } from '../eval/interpreter.js';
import { sharingEnforced } from './sharing.js';
import type { LocalSchemaApi } from '../../metadata/types.js';

export interface Backend {
  orgId: ApexId;
  adminUserId: ApexId;
  /** The database view of one transaction. */
  dbFor(rt: Runtime): DatabaseApi;
  limits(opts: { isAsync: boolean; inQueueable: boolean }): LimitsApi;
  user(id: ApexId): RunningUser;
  access(user: RunningUser): AccessApi & { customPermissions?: Set<string> };
  newId(keyPrefix: string): ApexId;
  snapshot(): unknown;
  restore(s: unknown): void;
  /** Removes the org's data records (not users, profiles, permission sets) for an @IsTest method. */
  clearForTest?(): void;
  /** AsyncApexJob rows: absent without a database (job Ids are then plain 707 Ids). */
  jobs?: JobRows;
}

/** Creates and moves AsyncApexJob rows (Status Queued -> Processing -> Completed | Failed). */
export interface JobRows {
  create(job: {
    className: string;
    parentJobId?: ApexId;
    createdById?: ApexId;
    jobType?: 'Queueable' | 'BatchApex' | 'ScheduledApex';
  }): ApexId;
  update(id: ApexId, status: 'Processing' | 'Completed' | 'Failed', error?: string, counts?: JobCounts): void;
  /** System.schedule: the CronTrigger (and CronJobDetail) rows; returns the CronTrigger Id. */
  schedule(job: {
    name: string;
    cron: string;
    nextFireTime: number | null;
    zone: string;
    createdById?: ApexId;
  }): ApexId;
  /** A scheduled job ran: its CronTrigger counts the run and waits for `next` (null: the schedule is over). */
  cronFired(id: ApexId, firedAt: number, next: number | null): void;
  /** Whether the job's row still exists (false once the work that enqueued it was rolled back). */
  exists(id: ApexId): boolean;
}

function id(prefix: string, n: number): ApexId {
  const s = prefix + String(n).padStart(12, '0');
  return new ApexId(s + idChecksum(s));
}

/** A backend with no data: users are the seeded admin only; SOQL and DML are UnsupportedFeature. */
export function dataLessBackend(): Backend {
  const orgId = id('00D', 1);
  const adminUserId = id('005', 1);
  let n = 100;
  const admin: RunningUser = {
    id: adminUserId,
    username: 'admin@local.org',
    name: 'Local Admin',
    email: 'admin@local.org',
    profileName: 'System Administrator',
    isAdmin: true,
    timeZoneSidKey: 'America/Los_Angeles',
    organizationId: orgId,
  };
  const all: AccessApi = {
    canRead: () => true,
    canCreate: () => true,
    canEdit: () => true,
    canDelete: () => true,
    fieldReadable: () => true,
    fieldEditable: () => true,
  };
  return {
    orgId,
    adminUserId,
    dbFor: () => unsupportedDb(),
    limits: ({ isAsync, inQueueable }) => new Limits({ isAsync, inQueueable }),
    user: () => admin,
    access: () => all,
    newId: (p) => id(p, ++n),
    snapshot: () => null,
    restore: () => undefined,
  };
}

/** The org's backend over the database part (scripts/localorg/database): one database, hooks read the current transaction. */
export function loadBackend(schema: SchemaApi, projectDir: string): Backend {
  void projectDir;
  let current: Runtime | null = null;
  const db = createDatabase(schema as LocalSchemaApi, {
    runTriggers: (ctx) => current?.interp.runTriggers(ctx),
    runningUser: () => current?.user ?? null,
    limits: () => current!.limits,
    now: () => Date.now(),
    // Record sharing follows the running code's class keywords (host/sharing.ts); USER_MODE always enforces it.
    sharingEnforced: () => (current ? sharingEnforced(current.interp as Interpreter) : false),
    mixedDmlScope: () => (current as TxRuntime | null)?.mixedDmlScope ?? null,
  });
  const seed = seedOrg(db);
  return {
    orgId: seed.orgId,
    adminUserId: seed.adminUserId,
    dbFor: (rt) => {
      current = rt;
      return db;
    },
    limits: ({ isAsync, inQueueable }) => new Limits({ isAsync, inQueueable }),
    user: (id) => db.runningUserFor(id),
    access: (u) => {
      const a = db.accessFor(u.id.value) as AccessApi & { customPermissions?: Set<string> };
      return a;
    },
    newId: (p) => db.newId(p),
    snapshot: () => db.snapshot(),
    restore: (s) => db.restore(s),
    // A test method sees no org data (records, custom setting rows) but users, profiles and setup rows: Apex
    // Developer Guide, "Isolation of Test Data from Organization Data in Unit Tests". Matters once the org holds
    // data (npm start's demo org, a saved org).
    clearForTest: () => db.clearDataForTest(),
    jobs: {
      // An inner class has no ApexClass row of its own: the job names its top-level class.
      create: (job) => createAsyncJob(db, { ...job, className: job.className.split('.')[0] }),
      update: (id, status, error, counts) => updateAsyncJob(db, id, status, error, counts),
      schedule: (job) => createCronTrigger(db, job),
      cronFired: (id, firedAt, next) => recordCronFire(db, id, firedAt, next),
      exists: (id) => db.getRecord(id) !== null,
    },
  };
}
