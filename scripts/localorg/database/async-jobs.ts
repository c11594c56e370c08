/**
 * AsyncApexJob rows for queued work, so code and tests can read job status with SOQL
 * (`SELECT Status, NumberOfErrors, ExtendedStatus FROM AsyncApexJob WHERE Id = :jobId`). The org calls these when it
 * enqueues, starts and finishes a job; the returned Id is the job Id System.enqueueJob returns (key prefix 707).
 */
import { ApexDatetime, ApexId } from '../core/values.js';
import { platformError } from '../core/errors.js';
import type { LocalDatabase } from './database.js';

export type JobStatus = 'Holding' | 'Queued' | 'Preparing' | 'Processing' | 'Aborted' | 'Completed' | 'Failed';

function apexClassId(db: LocalDatabase, className: string): ApexId {
  const def = db.schema.getObject('ApexClass')!;
  const t = db.store.table(def);
  const idx = t.index('Name');
  for (const id of idx.get('s:' + className.toLowerCase()) ?? []) return new ApexId(id);
  return db.insertDirect('ApexClass', { Name: className, Status: 'Active', IsValid: true });
}

/** A new AsyncApexJob (Status 'Queued'); returns its Id. */
export function createAsyncJob(
  db: LocalDatabase,
  job: {
    className: string;
    jobType?: 'Queueable' | 'Future' | 'BatchApex' | 'ScheduledApex';
    methodName?: string;
    parentJobId?: ApexId;
    createdById?: ApexId;
  },
): ApexId {
  return db.insertDirect(
    'AsyncApexJob',
    {
      Status: 'Queued',
      JobType: job.jobType ?? 'Queueable',
      ApexClassId: apexClassId(db, job.className),
      MethodName: job.methodName ?? null,
      NumberOfErrors: 0,
      JobItemsProcessed: 0,
      TotalJobItems: 0,
      ParentJobId: job.parentJobId ?? null,
    },
    { createdById: job.createdById?.value },
  );
}

/** Batch Apex progress on its AsyncApexJob row: batches in all, processed, failed. */
export interface JobCounts {
  totalJobItems: number;
  jobItemsProcessed: number;
  numberOfErrors: number;
}

/**
 * Moves a job to a new status; Completed/Failed/Aborted set CompletedDate, Failed sets NumberOfErrors and ExtendedStatus.
 * A batch job passes its counts: it completes with NumberOfErrors = failed batches and ExtendedStatus = the first error
 * (Apex Developer Guide, "Using Batch Apex": AsyncApexJob TotalJobItems, JobItemsProcessed, NumberOfErrors).
 */
export function updateAsyncJob(
  db: LocalDatabase,
  jobId: ApexId,
  status: JobStatus,
  error?: string,
  counts?: JobCounts,
): void {
  const done = status === 'Completed' || status === 'Failed' || status === 'Aborted';
  db.updateDirect(jobId, {
    Status: status,
    ...(done ? { CompletedDate: new ApexDatetime(db.now()) } : {}),
    ...(status === 'Failed' ? { NumberOfErrors: 1 } : {}),
    ...(error !== undefined ? { ExtendedStatus: error.slice(0, 255) } : {}),
    ...(counts
      ? {
          TotalJobItems: counts.totalJobItems,
          JobItemsProcessed: counts.jobItemsProcessed,
          NumberOfErrors: counts.numberOfErrors,
        }
      : {}),
  });
}

/**
 * The CronTrigger and CronJobDetail rows of System.schedule (Object Reference, "CronTrigger": CronExpression,
 * CronJobDetailId, NextFireTime, State, TimesTriggered, TimeZoneSidKey; "CronJobDetail": Name, JobType '7' =
 * Scheduled Apex). Returns the CronTrigger Id. A second job with the same name is System.AsyncException.
 */
export function createCronTrigger(
  db: LocalDatabase,
  job: { name: string; cron: string; nextFireTime: number | null; zone: string; createdById?: ApexId },
): ApexId {
  const def = db.schema.getObject('CronJobDetail')!;
  const byName = db.store.table(def).index('Name');
  for (const id of byName.get('s:' + job.name.toLowerCase()) ?? [])
    if (db.getRecord(new ApexId(id)))
      throw platformError(
        'System.AsyncException',
        `The Apex job named "${job.name}" is already scheduled for execution.`,
      );
  const by = { createdById: job.createdById?.value };
  const detail = db.insertDirect('CronJobDetail', { Name: job.name, JobType: '7' }, by);
  const now = new ApexDatetime(db.now());
  return db.insertDirect(
    'CronTrigger',
    {
      CronJobDetailId: detail,
      CronExpression: job.cron,
      NextFireTime: job.nextFireTime === null ? null : new ApexDatetime(job.nextFireTime),
      StartTime: now,
      State: 'WAITING',
      TimesTriggered: 0,
      TimeZoneSidKey: job.zone,
    },
    by,
  );
}

/** A run of a scheduled job: TimesTriggered + 1, PreviousFireTime, the next NextFireTime or State COMPLETE. */
export function recordCronFire(db: LocalDatabase, id: ApexId, firedAt: number, next: number | null): void {
  const row = db.getRecord(id);
  if (!row) return;
  const times = row.getRaw('TimesTriggered');
  db.updateDirect(id, {
    TimesTriggered: (typeof times === 'number' ? times : 0) + 1,
    PreviousFireTime: new ApexDatetime(firedAt),
    NextFireTime: next === null ? null : new ApexDatetime(next),
    State: next === null ? 'COMPLETE' : 'WAITING',
  });
}
