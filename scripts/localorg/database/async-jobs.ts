/**
 * AsyncApexJob rows for queued work, so code and tests can read job status with SOQL
 * (`SELECT Status, NumberOfErrors, ExtendedStatus FROM AsyncApexJob WHERE Id = :jobId`). The org calls these when it
 * enqueues, starts and finishes a job; the returned Id is the job Id System.enqueueJob returns (key prefix 707).
 */
import { ApexDatetime, ApexId } from '../core/values.js';
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

/** Moves a job to a new status; Completed/Failed/Aborted set CompletedDate, Failed sets NumberOfErrors and ExtendedStatus. */
export function updateAsyncJob(db: LocalDatabase, jobId: ApexId, status: JobStatus, error?: string): void {
  const done = status === 'Completed' || status === 'Failed' || status === 'Aborted';
  db.updateDirect(jobId, {
    Status: status,
    ...(done ? { CompletedDate: new ApexDatetime(db.now()) } : {}),
    ...(status === 'Failed' ? { NumberOfErrors: 1, ExtendedStatus: (error ?? '').slice(0, 255) } : {}),
  });
}
