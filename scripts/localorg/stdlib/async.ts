/**
 * Asynchronous and request-context Apex: System.Request / System.Quiddity, batch Apex (Database.executeBatch,
 * Database.getQueryLocator, Database.BatchableContext) and System.schedule. What runs the jobs is
 * interpreter/host/async-run.ts; the AsyncApexJob / CronTrigger rows are database/async-jobs.ts.
 */
import { platformError } from '../core/errors.js';
import type { NativeClass, NativeFn, Runtime } from '../core/runtime.js';
import { ApexId, ApexInstance, ApexList, ApexMap, ApexSet, SObjectValue } from '../core/values.js';
import { NativeInstance, typeToString, type ApexValue } from '../core/values.js';
import { runtimeTypeOf } from '../core/ops.js';
import { makeEnum, native, npe, reqInt, reqStr, unsupported } from './util.js';
import { accessArg, callerBind, makeResult, mapBind } from './apex-database.js';
import { nextFireTime, parseCron } from './cron.js';
import { userZone } from './dates.js';

// ---------------------------------------------------------------------------------------------
// System.Request and System.Quiddity
// ---------------------------------------------------------------------------------------------

/**
 * The values of System.Quiddity (Apex Reference, "Quiddity Enum"; the list is the one apex-ls ships in
 * standard-types: ANONYMOUS ... VF).
 */
export const QuiddityEnum = makeEnum(
  'System.Quiddity',
  [
    'ANONYMOUS',
    'AURA',
    'BATCH_ACS',
    'BATCH_APEX',
    'BATCH_CHUNK_PARALLEL',
    'BATCH_CHUNK_SERIAL',
    'BULK_API',
    'COMMERCE_INTEGRATION',
    'DISCOVERABLE_LOGIN',
    'FUNCTION_CALLBACK',
    'FUTURE',
    'INBOUND_EMAIL_SERVICE',
    'INVOCABLE_ACTION',
    'IOT',
    'PLATFORM_EVENT_PUBLISH_CALLBACK',
    'QUEUEABLE',
    'QUICK_ACTION',
    'REMOTE_ACTION',
    'REST',
    'RUNTEST_ASYNC',
    'RUNTEST_DEPLOY',
    'RUNTEST_SYNC',
    'SCHEDULED',
    'SOAP',
    'SYNCHRONOUS',
    'TRANSACTION_FINALIZER_QUEUEABLE',
    'VF',
  ],
  ['Quiddity'],
);

interface RequestState {
  quiddity: string;
  requestId: string;
}

/** A request Id: 22 characters of [0-9A-Za-z], unique per transaction (the format of Event Monitoring's REQUEST_ID). */
function newRequestId(): string {
  const chars = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let s = '';
  for (let i = 0; i < 22; i++) s += chars[Math.floor(Math.random() * chars.length)];
  return s;
}

/**
 * Request.getCurrent(): the current request's Quiddity and Id (Apex Reference, "Request Class": "Use the Request class
 * to detect the current Apex context at runtime"; the request Id "is universally unique"). The entry point sets the
 * quiddity (Runtime.quiddity): ANONYMOUS for apex:run, AURA, REST, INVOCABLE_ACTION, RUNTEST_ASYNC for a test method
 * (tests run as `sf apex run test` runs them, asynchronously), QUEUEABLE / BATCH_APEX / SCHEDULED for jobs.
 */
export const RequestClass: NativeClass = {
  name: 'System.Request',
  aliases: ['Request'],
  statics: {
    getcurrent: (rt) =>
      new NativeInstance<RequestState>('System.Request', {
        quiddity: rt.quiddity ?? 'SYNCHRONOUS',
        requestId: (rt.requestId ??= newRequestId()),
      }),
  },
  methods: {
    getquiddity: (_rt, _a, s) => QuiddityEnum.value(native<RequestState>(s, 'System.Request').state.quiddity),
    getrequestid: (_rt, _a, s) => native<RequestState>(s, 'System.Request').state.requestId,
  },
};

// ---------------------------------------------------------------------------------------------
// Batch Apex
// ---------------------------------------------------------------------------------------------

interface QueryLocatorState {
  query: string;
  rows: ApexList;
}

/**
 * Database.getQueryLocator(query[, accessLevel]) / getQueryLocatorWithBinds(query, binds[, accessLevel]): the query runs
 * when the locator is made (binds resolve in the caller's scope, as for Database.query), and its records are what the
 * batch's execute calls receive (Apex Reference, "Database Class", getQueryLocator).
 */
function queryLocator(rt: Runtime, query: string, bind: (e: string) => ApexValue, userMode: boolean): ApexValue {
  const rows = rt.db.query(query, { userMode, bind, line: rt.where().line });
  if (!(rows instanceof ApexList)) throw platformError('System.QueryException', 'A QueryLocator needs a query of rows');
  return new NativeInstance<QueryLocatorState>('Database.QueryLocator', { query, rows });
}

export const databaseAsyncStatics: Record<string, NativeFn> = {
  // getQueryLocator(List<SObject>): the records of an inline query (`Database.getQueryLocator([SELECT ...])`).
  getquerylocator: (rt, a) =>
    a[0] instanceof ApexList
      ? new NativeInstance<QueryLocatorState>('Database.QueryLocator', { query: '', rows: a[0] })
      : queryLocator(rt, reqStr(a[0]), callerBind(rt), accessArg(a[1])),
  getquerylocatorwithbinds: (rt, a) => queryLocator(rt, reqStr(a[0]), mapBind(rt, a[1]), accessArg(a[2])),
  executebatch: (rt, a) => executeBatch(rt, a[0], a.length > 1 ? a[1] : undefined),
};

/** The records a QueryLocator holds (async-run.ts reads them after start). */
export function queryLocatorRows(v: ApexValue): ApexList | null {
  return v instanceof NativeInstance && v.typeName === 'Database.QueryLocator'
    ? (v.state as QueryLocatorState).rows
    : null;
}

/**
 * A copy of an object graph, as the platform serializes a job when it is queued: a batch class without
 * Database.Stateful starts each transaction (start, every execute, finish) from that state ("Using State in Batch
 * Apex": "If you don't specify Database.Stateful, all static and instance member variables are set back to their
 * original values").
 */
export function copyGraph(v: ApexValue, seen = new Map<object, ApexValue>()): ApexValue {
  if (v === null || typeof v !== 'object') return v;
  const done = seen.get(v);
  if (done !== undefined) return done;
  const copy = (x: ApexValue): ApexValue => copyGraph(x, seen);
  // the copy is registered before its contents, so cycles come back as cycles
  const track = <C extends ApexValue>(c: C, fill: (c: C) => void): C => (seen.set(v, c), fill(c), c);
  if (v instanceof ApexInstance)
    return track(new ApexInstance(v.cls), (c) => v.fields.forEach((x, k) => c.fields.set(k, copy(x))));
  if (v instanceof ApexList) return track(new ApexList(v.elemType, []), (c) => (c.items = v.items.map(copy)));
  if (v instanceof ApexSet)
    return track(new ApexSet(v.elemType), (c) => v.entries.forEach((x, k) => c.entries.set(k, copy(x))));
  if (v instanceof ApexMap)
    return track(new ApexMap(v.keyType, v.valueType), (c) =>
      v.entries.forEach(([kk, x], k) => c.entries.set(k, [copy(kk), copy(x)])),
    );
  if (v instanceof SObjectValue)
    return track(new SObjectValue(v.sobjectType), (c) => {
      v.fields.forEach((f, k) => c.fields.set(k, { name: f.name, value: copy(f.value) }));
      c.fromQuery = v.fromQuery;
    });
  return v;
}

/** The job of System.enqueueJob, Database.executeBatch, System.schedule: an Apex object implementing `iface`. */
export function jobObject(v: ApexValue, iface: string): ApexInstance {
  if (v === null) throw npe();
  if (!(v instanceof ApexInstance) || !v.cls.isA(iface.replace(/^System\./, '').toLowerCase()))
    throw platformError(
      'System.TypeException',
      `Invalid conversion: ${typeToString(runtimeTypeOf(v))} does not implement ${iface}`,
    );
  return v;
}

/**
 * Database.executeBatch(batchable[, scope]): queues the job (an AsyncApexJob row, JobType 'BatchApex', Status
 * 'Queued') and returns its Id. Apex Reference, "Database Class", executeBatch: scope defaults to 200; "If the start
 * method of the batch class returns a QueryLocator, the optional scope parameter of executeBatch can have a maximum
 * value of 2,000" (larger values are cut to 2,000, see async-run.ts); a scope of 0 or less is an error.
 */
export function executeBatch(rt: Runtime, jobArg: ApexValue, scopeArg?: ApexValue): ApexId {
  const job = jobObject(jobArg, 'Database.Batchable');
  const scope = scopeArg === undefined || scopeArg === null ? 200 : reqInt(scopeArg);
  if (scope < 1) throw platformError('System.InvalidParameterValueException', 'Scope must be greater than zero');
  const stateful = job.cls.isA('database.stateful');
  return rt.enqueue({
    kind: 'Batch',
    job,
    className: job.cls.name,
    scope,
    ...(stateful ? {} : { initialState: copyGraph(job) }),
  });
}

interface BatchContextState {
  jobId: ApexId;
  childJobId: ApexId | null;
}

export function makeBatchableContext(jobId: ApexId, childJobId: ApexId | null): NativeInstance<BatchContextState> {
  return new NativeInstance<BatchContextState>('Database.BatchableContext', { jobId, childJobId });
}

export const batchClasses: NativeClass[] = [
  {
    name: 'Database.QueryLocator',
    methods: {
      getquery: (_rt, _a, s) => native<QueryLocatorState>(s, 'Database.QueryLocator').state.query,
    },
  },
  {
    name: 'Database.BatchableContext',
    isInterface: true,
    methods: {
      getjobid: (_rt, _a, s) => native<BatchContextState>(s, 'Database.BatchableContext').state.jobId,
      getchildjobid: (_rt, _a, s) => native<BatchContextState>(s, 'Database.BatchableContext').state.childJobId,
    },
  },
];

// ---------------------------------------------------------------------------------------------
// System.schedule
// ---------------------------------------------------------------------------------------------

/**
 * System.schedule(jobName, cronExpression, schedulable): a CronTrigger row (State 'WAITING', TimesTriggered 0,
 * NextFireTime from the expression in the running user's time zone, see cron.ts) and its CronJobDetail (Name =
 * jobName); returns the CronTrigger Id (Apex Developer Guide, "Apex Scheduler": "System.schedule ... returns the
 * CronTrigger object ID"). In a test the job runs at Test.stopTest(); outside tests the local org records the
 * schedule and LocalOrg.runQueuedJobs runs the job once NextFireTime has come.
 */
function schedule(rt: Runtime, a: ApexValue[]): ApexId {
  const name = reqStr(a[0]);
  const cron = reqStr(a[1]);
  const job = jobObject(a[2] ?? null, 'System.Schedulable');
  const zone = userZone(rt);
  const next = nextFireTime(parseCron(cron), rt.now(), zone);
  if (next === null)
    throw platformError('System.AsyncException', 'Based on configured schedule, the given trigger will never fire.');
  return rt.enqueue({
    kind: 'Scheduled',
    job,
    className: job.cls.name,
    schedule: { name, cron, nextFireTime: next, zone },
  });
}

export const systemAsyncStatics: Record<string, NativeFn> = {
  schedule: (rt, a) => schedule(rt, a),
};

// ---------------------------------------------------------------------------------------------
// Platform events: EventBus
// ---------------------------------------------------------------------------------------------

function eventsOf(v: ApexValue): { events: SObjectValue[]; single: boolean } {
  if (v === null || v === undefined) throw npe();
  if (v instanceof SObjectValue) return { events: [v], single: true };
  if (v instanceof ApexList && v.items.every((x) => x instanceof SObjectValue))
    return { events: v.items as SObjectValue[], single: false };
  throw platformError('System.TypeException', 'EventBus.publish expects an SObject or a List<SObject>');
}

/**
 * EventBus.publish(event | events[, callback]): a Database.SaveResult per event (a List for a List); an invalid event
 * fails in its SaveResult, nothing is thrown (Apex Reference, "EventBus Class", publish). Delivery:
 * interpreter/host/event-bus.ts.
 */
function publish(rt: Runtime, a: ApexValue[]): ApexValue {
  if (!rt.publishEvents) return unsupported('EventBus.publish (no event bus)');
  const { events, single } = eventsOf(a[0]);
  const callback = a.length > 1 ? a[1] : null;
  if (callback !== null && !(callback instanceof ApexInstance))
    throw platformError(
      'System.TypeException',
      'The publish callback must implement EventBus.EventPublishSuccessCallback or EventBus.EventPublishFailureCallback',
    );
  const results = rt.publishEvents(events, callback).map((r) => makeResult('insert', r));
  return single ? results[0] : new ApexList({ name: 'Database.SaveResult' }, results);
}

interface PublishResultState {
  uuids: ApexList;
}

const publishResult = (name: string): NativeClass => ({
  name,
  isInterface: true,
  methods: { geteventuuids: (_rt, _a, s) => native<PublishResultState>(s, name).state.uuids },
});

function testBroker(rt: Runtime, what: 'deliverEvents' | 'failEvents'): null {
  const fn = rt.test?.[what];
  if (!fn) return unsupported(`Test.getEventBus().${what === 'deliverEvents' ? 'deliver' : 'fail'}() outside a test`);
  fn.call(rt.test);
  return null;
}

export const eventBusClasses: NativeClass[] = [
  { name: 'EventBus', statics: { publish } },
  { name: 'EventBus.EventPublishSuccessCallback', isInterface: true },
  { name: 'EventBus.EventPublishFailureCallback', isInterface: true },
  publishResult('EventBus.SuccessResult'),
  publishResult('EventBus.FailureResult'),
  {
    // Test.getEventBus(): deliver() / fail() of the test event bus.
    name: 'EventBus.TestBroker',
    methods: {
      deliver: (rt) => testBroker(rt, 'deliverEvents'),
      fail: (rt) => testBroker(rt, 'failEvents'),
    },
  },
];

export const testAsyncStatics: Record<string, NativeFn> = {
  geteventbus: (rt) => {
    if (!rt.test) return unsupported('Test.getEventBus outside a test');
    return new NativeInstance('EventBus.TestBroker', {});
  },
};

export const asyncClasses: NativeClass[] = [QuiddityEnum, RequestClass, ...batchClasses, ...eventBusClasses];
