/**
 * Runs one queued job, whatever its kind, as the platform does: a Queueable's execute, a Schedulable's execute, or a
 * batch's start / execute per chunk / finish, each in a transaction of its own. The caller says what "a transaction"
 * is (PhaseRunner): Test.stopTest runs them inside the test method (test-state.ts), the org runs each in a fresh
 * transaction (org.ts runQueuedJobs).
 *
 * Batch rules (Apex Developer Guide, "Using Batch Apex",
 * https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_batch_interface.htm):
 * - start returns a Database.QueryLocator or an Iterable; its records are split into batches of `scope` records
 *   (at most 2,000 for a QueryLocator), and "each execution of a batch Apex job is considered a discrete transaction"
 *   with fresh governor limits; a batch that throws is rolled back alone and the job goes on; finish runs once after
 *   all batches. The AsyncApexJob row counts TotalJobItems (batches), JobItemsProcessed and NumberOfErrors and keeps
 *   the first error in ExtendedStatus; the job ends Completed (Failed only when start or finish throws).
 * - Without Database.Stateful each transaction starts from the instance as it was queued (async.ts copyGraph).
 * - In a test, "you can test only one execution of the execute method": more batches than one is
 *   System.UnexpectedException "No more than one executeBatch can be called from within a test method. ..."
 *   (the message the platform gives; Salesforce Help, knowledge article 000386014).
 */
import { ApexInstance, ApexList, ApexSet, T, type ApexValue } from '../../core/values.js';
import { platformError } from '../../core/errors.js';
import type { QueuedJob } from '../../core/runtime.js';
import type { JobCounts } from '../../database/async-jobs.js';
import {
  copyGraph,
  makeBatchableContext,
  makeQueueableContext,
  makeSchedulableContext,
  queryLocatorRows,
} from '../../stdlib/index.js';
import type { Interpreter } from '../eval/interpreter.js';

export type PhaseResult = { ok: true; value: ApexValue } | { ok: false; error: string };
/** Runs `fn` as one transaction of the job: fresh limits, rolled back alone when it throws an Apex exception. */
export type PhaseRunner = (fn: (interp: Interpreter) => ApexValue) => PhaseResult;
export type JobReport = (status: 'Completed' | 'Failed', error?: string, counts?: JobCounts) => void;

/** System.isBatch() and friends, and Request.getQuiddity(), inside a job of this kind. */
export interface AsyncContext {
  asyncKind: QueuedJob['kind'] | undefined;
  quiddity: string | undefined;
}

export function asyncContextOf(kind: QueuedJob['kind']): AsyncContext {
  const quiddity = { Queueable: 'QUEUEABLE', Future: 'FUTURE', Batch: 'BATCH_APEX', Scheduled: 'SCHEDULED' }[kind];
  return { asyncKind: kind, quiddity };
}

const MAX_LOCATOR_SCOPE = 2000;
const ONE_BATCH_IN_TESTS =
  'No more than one executeBatch can be called from within a test method. Please make sure the iterable returned ' +
  'from your start method matches the batch size, resulting in one executeBatch invocation.';

export function runAsyncJob(job: QueuedJob, phase: PhaseRunner, report: JobReport, opts: { inTest: boolean }): void {
  if (job.kind === 'Batch') return runBatch(job, phase, report, opts.inTest);
  const ctx = job.kind === 'Scheduled' ? makeSchedulableContext(job.id) : makeQueueableContext(job.id);
  const r = phase((interp) => interp.callMethod(job.job, 'execute', [ctx]));
  if (r.ok) report('Completed');
  else report('Failed', r.error);
}

/** The records start returned: a QueryLocator's rows, a List or Set, or an Apex Iterable's items. */
function startRecords(
  interp: Interpreter,
  v: ApexValue,
): { items: ApexValue[]; elemType: ApexList['elemType']; locator: boolean } {
  const rows = queryLocatorRows(v);
  if (rows) return { items: rows.items, elemType: rows.elemType, locator: true };
  if (v instanceof ApexList) return { items: v.items, elemType: v.elemType, locator: false };
  if (v instanceof ApexSet) return { items: [...v.entries.values()], elemType: v.elemType, locator: false };
  if (v instanceof ApexInstance) {
    const it = v.cls.isA('iterator') ? v : interp.callMethod(v, 'iterator', []);
    const items: ApexValue[] = [];
    while (interp.callMethod(it, 'hasNext', []) === true) items.push(interp.callMethod(it, 'next', []));
    return { items, elemType: T.Object, locator: false };
  }
  throw platformError('System.UnexpectedException', 'Start did not return a valid iterable object.');
}

function runBatch(job: QueuedJob, phase: PhaseRunner, report: JobReport, inTest: boolean): void {
  const batchable = job.job as ApexInstance;
  const ctx = makeBatchableContext(job.id, null);
  const fresh = (): void => {
    if (!job.initialState) return;
    const copy = copyGraph(job.initialState) as ApexInstance;
    batchable.fields.clear();
    for (const [k, v] of copy.fields) batchable.fields.set(k, v);
  };
  let records: ReturnType<typeof startRecords> | null = null;
  const started = phase((interp) => {
    fresh();
    records = startRecords(interp, interp.callMethod(batchable, 'start', [ctx]));
    return null;
  });
  if (!started.ok || !records) return report('Failed', started.ok ? undefined : started.error);
  const { items, elemType, locator } = records as ReturnType<typeof startRecords>;
  const size = locator ? Math.min(job.scope ?? 200, MAX_LOCATOR_SCOPE) : (job.scope ?? 200);
  const chunks: ApexValue[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  if (inTest && chunks.length > 1) throw platformError('System.UnexpectedException', ONE_BATCH_IN_TESTS);
  const counts: JobCounts = { totalJobItems: chunks.length, jobItemsProcessed: 0, numberOfErrors: 0 };
  let firstError: string | undefined;
  for (const chunk of chunks) {
    const r = phase((interp) => {
      fresh();
      interp.callMethod(batchable, 'execute', [makeBatchableContext(job.id, job.id), new ApexList(elemType, chunk)]);
      return null;
    });
    counts.jobItemsProcessed++;
    if (!r.ok) {
      counts.numberOfErrors++;
      firstError ??= `First error: ${r.error}`;
    }
  }
  const finished = phase((interp) => {
    fresh();
    interp.callMethod(batchable, 'finish', [ctx]);
    return null;
  });
  if (!finished.ok) return report('Failed', finished.error, counts);
  report('Completed', firstError, counts);
}
