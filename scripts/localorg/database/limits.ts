/**
 * Per-transaction governor limits. Source: Apex Developer Guide, "Execution Governors and Limits":
 * SOQL queries 100 sync / 200 async; SOSL queries 20; query rows 50,000; DML statements 150; DML rows 10,000; callouts 100;
 * System.enqueueJob 50 (1 from a queueable); future calls 50 (0 from future/queueable: modelled as 50);
 * CPU 10,000 ms sync / 60,000 ms async; heap 6 MB sync / 12 MB async.
 * Messages: "Too many SOQL queries: 101", "Too many SOSL queries: 21", "Too many query rows: 50001", "Too many DML statements: 151",
 * "Too many DML rows: 10001", "Too many callouts: 101", "Too many queueable jobs added to the queue: 2".
 */
import { LimitError } from '../core/errors.js';
import type { LimitName, LimitsApi } from '../core/runtime.js';

const MESSAGES: Record<LimitName, string> = {
  queries: 'Too many SOQL queries',
  soslQueries: 'Too many SOSL queries',
  queryRows: 'Too many query rows',
  dmlStatements: 'Too many DML statements',
  dmlRows: 'Too many DML rows',
  callouts: 'Too many callouts',
  queueableJobs: 'Too many queueable jobs added to the queue',
  cpuTime: 'Apex CPU time limit exceeded',
  heapSize: 'Apex heap size too large',
  futureCalls: 'Too many future calls',
};

export function limitValues(isAsync: boolean, inQueueable = false): Record<LimitName, number> {
  return {
    queries: isAsync ? 200 : 100,
    soslQueries: 20,
    queryRows: 50000,
    dmlStatements: 150,
    dmlRows: 10000,
    callouts: 100,
    queueableJobs: inQueueable ? 1 : 50,
    cpuTime: isAsync ? 60000 : 10000,
    heapSize: isAsync ? 12 * 1024 * 1024 : 6 * 1024 * 1024,
    futureCalls: 50,
  };
}

export class Limits implements LimitsApi {
  readonly usedCounts: Record<LimitName, number>;
  readonly max: Record<LimitName, number>;
  constructor(opts: { isAsync?: boolean; inQueueable?: boolean } = {}) {
    this.max = limitValues(!!opts.isAsync, !!opts.inQueueable);
    this.usedCounts = {
      queries: 0,
      soslQueries: 0,
      queryRows: 0,
      dmlStatements: 0,
      dmlRows: 0,
      callouts: 0,
      queueableJobs: 0,
      cpuTime: 0,
      heapSize: 0,
      futureCalls: 0,
    };
  }
  consume(name: LimitName, amount = 1): void {
    const next = this.usedCounts[name] + amount;
    if (next > this.max[name]) {
      // The counter shows the attempted value, as the platform's message does ("Too many SOQL queries: 101").
      this.usedCounts[name] = next;
      throw new LimitError(name === 'cpuTime' || name === 'heapSize' ? MESSAGES[name] : `${MESSAGES[name]}: ${next}`);
    }
    this.usedCounts[name] = next;
  }
  used(name: LimitName): number {
    return this.usedCounts[name];
  }
  limit(name: LimitName): number {
    return this.max[name];
  }
  /** Copy of the counters (allOrNone=false retries reset limits to the state before the first attempt). */
  save(): Record<LimitName, number> {
    return { ...this.usedCounts };
  }
  load(s: Record<LimitName, number>): void {
    Object.assign(this.usedCounts, s);
  }
}

export function createLimits(opts: { isAsync?: boolean; inQueueable?: boolean } = {}): Limits {
  return new Limits(opts);
}
