/**
 * The embeddable local org: what the CLI, the test runner, the server (`npm start`) and benchmarks use.
 * Implemented by scripts/localorg/org.ts (class LocalOrg). The org is loaded once (metadata parsed, classes
 * parsed) and stays alive; every call runs in its own transaction as a given user, commits, and leaves the
 * jobs it enqueued in the queue for `runQueuedJobs` (the server drains them shortly after, as the platform does).
 */
import type { ApexId, SObjectValue } from './values.js';
import type { AccessApi, ObjectDef, SchemaApi } from './runtime.js';

export interface ApexErrorInfo {
  /** 'System.DmlException', 'AvochatoCredentials.CredentialException', 'System.AuraHandledException', ... */
  typeName: string;
  message: string;
  /** 'Class.Foo.bar: line 12, column 1' lines, as the platform prints them. */
  stackTrace: string;
  line?: number;
}

export type InvokeResult<T = unknown> =
  { ok: true; value: T; debug: string[] } | { ok: false; error: ApexErrorInfo; debug: string[] };

export interface RestResponseInfo {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface InvocableActionInfo {
  className: string;
  label: string;
  description: string;
  category?: string;
  inputs: { name: string; label: string; description: string; type: string; required: boolean }[];
  outputs: { name: string; label: string; description: string; type: string }[];
}

export interface TestMethodResult {
  className: string;
  methodName: string;
  outcome: 'Pass' | 'Fail';
  message: string | null;
  stackTrace: string | null;
  timeMs: number;
}

export interface CoverageInfo {
  /** Class or trigger name. */
  name: string;
  /** Executable line numbers. */
  lines: number[];
  /** Lines executed at least once. */
  covered: number[];
}

// ------------------------------------------------------------------------------------------- REST and Tooling data

/** One error in the REST API's shape: [{"errorCode","message","fields"}]. */
export interface ApiError {
  errorCode: string;
  message: string;
  fields?: string[];
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; errors: ApiError[] };

export type JsonRecord = Record<string, unknown>;

export interface ExecuteAnonymousResult {
  compiled: boolean;
  success: boolean;
  line: number;
  column: number;
  compileProblem: string | null;
  exceptionMessage: string | null;
  exceptionStackTrace: string | null;
  /** The debug log: a header line, then one line per event (USER_DEBUG lines carry the source line). */
  log: string;
}

export interface OrgDataApi {
  /** SOQL as the user (user mode). `includeDeleted` = queryAll: rows in the recycle bin too. */
  query(soql: string, userId: string, opts?: { includeDeleted?: boolean }): ApiResult<JsonRecord[] | number>;
  /** One record by Id with the given fields (all readable fields when null). NOT_FOUND when absent or not visible. */
  retrieve(objectName: string, id: string, fields: string[] | null, userId: string): ApiResult<JsonRecord>;
  create(objectName: string, body: JsonRecord, userId: string): ApiResult<string>;
  update(objectName: string, id: string, body: JsonRecord, userId: string): ApiResult<null>;
  remove(objectName: string, id: string, userId: string): ApiResult<null>;
  /** Objects the user can read, for the global describe. */
  objects(userId: string): ObjectDef[];
  /** One object and the user's access to it; null when the object is unknown or the user cannot read it. */
  object(name: string, userId: string): { def: ObjectDef; access: AccessApi } | null;
  executeAnonymous(source: string, userId: string): ExecuteAnonymousResult;
  /**
   * The project's Apex code as the ApexClass / ApexTrigger objects list it: every top-level class (test classes
   * included) with the Id of its ApexClass row (created when missing), every trigger with its object.
   */
  code(): { classes: { id: string; name: string; isTest: boolean }[]; triggers: { name: string; sobject: string }[] };
}

export interface LocalOrgApi {
  readonly schema: SchemaApi;
  readonly orgId: ApexId;

  /** Runs an anonymous block as the admin (or the given user); debug lines are returned, not printed. */
  runAnonymous(source: string, opts?: { asUserId?: ApexId; fileName?: string }): InvokeResult<null>;

  /** Calls an @AuraEnabled method with JSON params (converted to the declared parameter types), Aura-style JSON result. */
  invokeAura(className: string, methodName: string, params: Record<string, unknown>, asUserId: ApexId): InvokeResult;

  /** Dispatches to the @RestResource whose urlMapping matches `path` (the part after /services/apexrest). */
  invokeRest(
    req: { method: string; path: string; query: Record<string, string>; headers: Record<string, string>; body: string },
    asUserId: ApexId,
  ): RestResponseInfo;

  /** Every @InvocableMethod class with its variables' metadata. */
  listInvocableActions(): InvocableActionInfo[];
  /** Calls an invocable action with a batch of inputs (one call); outputs in input order. */
  invokeInvocable(
    className: string,
    inputs: Record<string, unknown>[],
    asUserId: ApexId,
  ): InvokeResult<Record<string, unknown>[]>;

  /**
   * Runs every queued job that is due, each in its own transaction as the user who enqueued it, and the jobs those
   * chain. A job enqueued with a delay waits until its time unless `includeDelayed` (tools that cannot wait: the
   * CLI, demo seeding, conformance programs). Returns how many ran.
   */
  runQueuedJobs(opts?: { includeDelayed?: boolean }): number;
  /** How many jobs wait. */
  pendingJobs(): number;

  /** Test classes and their test methods, in name order. */
  listTests(): { className: string; methods: string[] }[];
  /** Runs one test method with @TestSetup data, an empty database otherwise, isolated statics. */
  runTest(className: string, methodName: string): TestMethodResult;
  /** Coverage accumulated over every test run so far, per class and trigger of the project (not test classes). */
  coverage(): CoverageInfo[];

  /**
   * Saves the org's data to DIR/org.json (created with DIR; mode 0600: it holds the org's encryption key record):
   * every record, live and in the recycle bin, users, permission set assignments, custom setting rows, AsyncApexJob
   * rows, the Id and auto-number counters, and the queued jobs whose state is plain data. `npm start -- --data DIR`
   * calls it on exit. Implemented by LocalOrg; test fakes may leave it out.
   */
  saveData?(dir: string): void;
  /**
   * Replaces the org's data with the one saved in DIR/org.json (metadata-owned rows stay as the current metadata
   * seeds them; new records get Ids after every saved one). Returns false when DIR holds no saved org; throws a
   * one-line Error when the file is corrupt or of another format version, leaving the org unchanged.
   */
  loadData?(dir: string): boolean;
  /** A number that changes whenever the org's data does (for saving only when something changed). */
  dataVersion?(): number;
  /**
   * Durable data in DIR (`npm start -- --data DIR`): loads DIR's snapshot and journal when DIR holds an org, then
   * appends every committed transaction (rows, counters, queued jobs) to DIR's journal and syncs it before the call
   * returns. When DIR holds no org yet, nothing is written until checkpointData(). Throws a one-line Error for a
   * corrupt snapshot or journal. `load` is null when DIR held no org.
   */
  openData?(dir: string): {
    load: { jobs: unknown[]; abortedJobs: number } | null;
    replayed: number;
    tornBytes: number;
    compacted: boolean;
  };
  /** Writes the opened DIR's pending changes (direct writes outside a transaction, e.g. seeding). */
  commitData?(): void;
  /** A new snapshot of the opened DIR and an empty journal (compaction). */
  checkpointData?(): { bytes: number };
  /** Compacts the opened DIR when its journal has grown large; true if it did. */
  compactDataIfDue?(): boolean;
  /** The opened DIR's journal, null when none is open. */
  dataJournal?(): { dir: string; bytes: number; records: number; ready: boolean } | null;

  /**
   * The org's data for the REST and Tooling APIs (SOQL, record reads, DML and describe as a user, anonymous Apex
   * with its debug log). Implemented by LocalOrg (interpreter/host/data-api.ts); test fakes may leave it out.
   */
  dataApi?(): OrgDataApi;

  /** Direct data access for seeding and benchmarks (system mode, no triggers unless asked). */
  insertRecords(records: SObjectValue[], opts?: { runTriggers?: boolean }): ApexId[];
  query(soql: string): SObjectValue[];
}
