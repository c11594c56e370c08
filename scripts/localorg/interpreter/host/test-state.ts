/**
 * Test.startTest()/Test.stopTest() of one test method.
 * Rules (Apex Reference, "Test Class"): startTest gives fresh governor limits until stopTest, after which the limits in
 * effect before startTest apply again; stopTest runs the asynchronous work enqueued since startTest synchronously, with
 * asynchronous limits, sharing the test's static variables and data.
 * Rule "no chaining in tests" (documented in conformance/testclasses/ConfStartStopTest.cls): a job run by stopTest that
 * enqueues another job gets System.AsyncException "Maximum stack depth has been reached." and no chained job runs.
 */
import { NativeInstance } from '../../core/values.js';
import { platformError } from '../../core/errors.js';
import type { LimitsApi, TestState } from '../../core/runtime.js';
import type { Interpreter } from '../eval/interpreter.js';
import { catchable } from '../eval/exceptions.js';
import type { TxRuntime } from './tx-runtime.js';
import { errorInfo } from './error-info.js';
import { asEntryPoint } from './sharing.js';
import type { Backend } from './backend.js';

export class LocalTestState implements TestState {
  httpMock: TestState['httpMock'] = null;
  inStartStop = false;
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
  }

  private runJob(job: TxRuntime['jobs'][number]): void {
    const rt = this.rt;
    const prev = {
      limits: rt.limits,
      isAsync: rt.isAsync,
      enqueue: rt.enqueue,
      asyncKind: rt.asyncKind,
      mixedDmlScope: rt.mixedDmlScope,
    };
    rt.mixedDmlScope = {};
    rt.limits = this.backend.limits({ isAsync: true, inQueueable: true });
    rt.isAsync = true;
    rt.asyncKind = 'Queueable';
    rt.enqueue = () => {
      throw platformError('System.AsyncException', 'Maximum stack depth has been reached.');
    };
    rt.setJobStatus(job, 'Processing');
    // the job runs in its own context: the test's earlier DML is not uncommitted work for its callouts
    rt.db.commit();
    // ... and a job that fails rolls back its own work (its transaction), not the test's.
    const before = this.backend.snapshot();
    try {
      // A job is an entry point of its own: it does not inherit the test method's sharing mode.
      asEntryPoint(this.interp, () =>
        this.interp.callMethod(job.job, 'execute', [new NativeInstance('System.QueueableContext', { jobId: job.id })]),
      );
      rt.setJobStatus(job, 'Completed');
    } catch (e) {
      // An exception in the job fails the job, not the test method (uncatchable errors still end the test).
      if (!catchable(this.interp, e)) throw e;
      this.backend.restore(before);
      const info = errorInfo(this.interp, e);
      rt.setJobStatus(job, 'Failed', info ? `${info.typeName}: ${info.message}` : String(e));
    } finally {
      rt.limits = prev.limits;
      rt.isAsync = prev.isAsync;
      rt.enqueue = prev.enqueue;
      rt.asyncKind = prev.asyncKind;
      rt.mixedDmlScope = prev.mixedDmlScope;
    }
  }
}
