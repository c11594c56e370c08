/**
 * Test.startTest()/Test.stopTest() of one test method.
 * Rules (Apex Reference, "Test Class"): startTest gives fresh governor limits until stopTest, after which the limits in
 * effect before startTest apply again; stopTest runs the asynchronous work enqueued since startTest synchronously, with
 * asynchronous limits, sharing the test's static variables and data.
 * Each kind of job (queueable, batch, scheduled) runs as interpreter/host/async-run.ts says; a scheduled job's
 * CronTrigger is left as it was: Test.stopTest runs the job's execute, and the CronTrigger still reads TimesTriggered 0
 * and the NextFireTime of the expression (Apex Developer Guide, "Apex Scheduler", "Testing the Apex Scheduler"; the
 * public suites that pass on the platform query it after stopTest and expect exactly that).
 * Rule "no chaining in tests" (documented in conformance/testclasses/ConfStartStopTest.cls): a job run by stopTest that
 * enqueues another job gets System.AsyncException "Maximum stack depth has been reached." and no chained job runs.
 */
import type { ApexValue } from '../../core/values.js';
import { platformError } from '../../core/errors.js';
import type { LimitsApi, TestState } from '../../core/runtime.js';
import type { Interpreter } from '../eval/interpreter.js';
import { catchable } from '../eval/exceptions.js';
import type { TxRuntime } from './tx-runtime.js';
import { errorInfo } from './error-info.js';
import { asEntryPoint } from './sharing.js';
import type { Backend } from './backend.js';
import { asyncContextOf, runAsyncJob, type AsyncContext, type PhaseResult } from './async-run.js';
import { deliverEvents, failEvents } from './event-bus.js';

/** A platform event trigger or callback: not a batch, queueable, future or scheduled job. */
const EVENT_CONTEXT: AsyncContext = { asyncKind: undefined, quiddity: undefined };

export class LocalTestState implements TestState {
  httpMock: TestState['httpMock'] = null;
  inStartStop = false;
  fixedSearchResults: string[] | null = null;
  private started = false;
  private saved: LimitsApi | null = null;
  private mark = 0;

  constructor(
    private readonly rt: TxRuntime,
    private readonly interp: Interpreter,
    private readonly backend: Backend,
  ) {}

  startTest(): void {
    if (this.started) throw platformError('System.FinalException', 'Testing already started');
    this.started = true;
    this.inStartStop = true;
    this.saved = this.rt.limits;
    this.rt.limits = this.backend.limits({ isAsync: false, inQueueable: false });
    this.mark = this.rt.jobs.length;
    this.interp.resetCpu();
  }

  stopTest(): void {
    if (!this.inStartStop) throw platformError('System.FinalException', 'Testing has not started');
    this.inStartStop = false;
    const jobs = this.rt.takeJobs(this.mark);
    for (const job of jobs) this.runJob(job);
    if (this.saved) this.rt.limits = this.saved;
    this.deliverEvents();
  }

  /**
   * Test.getEventBus().deliver() and the end of Test.stopTest(): the published events reach their triggers and
   * callbacks, each in a transaction of its own (event-bus.ts); events those publish are delivered in turn.
   */
  deliverEvents(): void {
    for (let round = 0; round < 100 && this.rt.events.length; round++)
      deliverEvents(this.rt.takeEvents(true), (fn) => this.phase(EVENT_CONTEXT, fn));
  }

  /** Test.getEventBus().fail(): the published events fail (onFailure callbacks) and are dropped. */
  failEvents(): void {
    failEvents(this.rt.takeEvents(true), (fn) => this.phase(EVENT_CONTEXT, fn));
  }

  /** Runs one job the test enqueued (each kind as async-run.ts says), reporting on its AsyncApexJob row. */
  private runJob(job: TxRuntime['jobs'][number]): void {
    this.rt.setJobStatus(job, 'Processing');
    runAsyncJob(
      job,
      (fn) => this.phase(asyncContextOf(job.kind), fn),
      (status, error, counts) => this.rt.setJobStatus(job, status, error, counts),
      { inTest: true },
    );
  }

  /** One transaction of a job inside the test: async limits, its own rollback, the job's context (isBatch, ...). */
  private phase(ctx: AsyncContext, fn: (interp: Interpreter) => ApexValue): PhaseResult {
    const rt = this.rt;
    const prev = {
      limits: rt.limits,
      isAsync: rt.isAsync,
      enqueue: rt.enqueue,
      asyncKind: rt.asyncKind,
      quiddity: rt.quiddity,
      mixedDmlScope: rt.mixedDmlScope,
    };
    rt.mixedDmlScope = {};
    rt.limits = this.backend.limits({ isAsync: true, inQueueable: true });
    rt.isAsync = true;
    rt.asyncKind = ctx.asyncKind;
    rt.quiddity = ctx.quiddity;
    rt.enqueue = () => {
      throw platformError('System.AsyncException', 'Maximum stack depth has been reached.');
    };
    // the job runs in its own context: the test's earlier DML is not uncommitted work for its callouts
    rt.db.commit();
    // ... and a job that fails rolls back its own work (its transaction), not the test's.
    const before = this.backend.snapshot();
    try {
      // A job is an entry point of its own: it does not inherit the test method's sharing mode.
      return { ok: true, value: asEntryPoint(this.interp, () => fn(this.interp)) };
    } catch (e) {
      // An exception in the job fails the job, not the test method (uncatchable errors still end the test).
      if (!catchable(this.interp, e)) throw e;
      this.backend.restore(before);
      const info = errorInfo(this.interp, e);
      return { ok: false, error: info ? `${info.typeName}: ${info.message}` : String(e) };
    } finally {
      rt.limits = prev.limits;
      rt.isAsync = prev.isAsync;
      rt.enqueue = prev.enqueue;
      rt.asyncKind = prev.asyncKind;
      rt.quiddity = prev.quiddity;
      rt.mixedDmlScope = prev.mixedDmlScope;
    }
  }
}
