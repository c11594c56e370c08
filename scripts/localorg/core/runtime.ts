/**
 * The contracts between the local org's parts. Each part owns its folder:
 *   interpreter/  parses and runs Apex (implements InterpreterApi, builds the Runtime)
 *   stdlib/       the Apex standard library in TypeScript (registers NativeClass definitions)
 *   metadata/     loads the project's metadata and the bundled standard schema (implements SchemaApi)
 *   database/     in-memory store, SOQL, DML, triggers, sharing/permissions (implements DatabaseApi)
 *   testrunner/   runs @IsTest classes, coverage
 *   cli/          the apex:run / apex:test commands
 * Parts talk only through these interfaces and values.ts, so each can be built and tested alone.
 */
import type { ApexValue, SObjectValue, TypeRef, ApexList, ApexId, ApexInstance, ApexDatetime } from './values.js';

// ---------------------------------------------------------------------------------------------
// Schema (metadata/)
// ---------------------------------------------------------------------------------------------

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'longtextarea'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'multipicklist'
  | 'boolean'
  | 'int'
  | 'double'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'time'
  | 'reference'
  | 'autonumber'
  | 'encryptedstring'
  | 'base64';

/** The field types whose values are text (the Apex type String): the one list every part asks. */
export const TEXT_FIELD_TYPES: ReadonlySet<FieldType> = new Set<FieldType>([
  'string',
  'textarea',
  'longtextarea',
  'email',
  'phone',
  'url',
  'picklist',
  'multipicklist',
  'encryptedstring',
  'autonumber',
]);

export interface FieldDef {
  name: string; // canonical API name, e.g. 'Auth_Id__c'
  label: string;
  type: FieldType;
  length?: number;
  precision?: number;
  scale?: number;
  required?: boolean; // nillable=false and createable
  unique?: boolean;
  caseSensitive?: boolean;
  externalId?: boolean;
  defaultValue?: ApexValue; // already converted (Boolean, String, ...)
  picklistValues?: { value: string; label: string; isDefault?: boolean }[];
  restrictedPicklist?: boolean;
  referenceTo?: string[];
  relationshipName?: string; // 'User__r' / 'Owner'
  calculated?: boolean;
  autoNumberFormat?: string; // 'ACD-{00000}'
  /** System fields (CreatedDate, Id, ...) cannot be written by DML. */
  systemManaged?: boolean;
}

export interface ChildRelationship {
  relationshipName: string; // 'Contacts'
  childObject: string; // 'Contact'
  field: string; // 'AccountId'
}

export interface ObjectDef {
  name: string; // 'Account', 'Avochato_API_Credential__c', 'Avochato_Setting__mdt'
  label: string;
  labelPlural?: string;
  keyPrefix: string;
  custom: boolean;
  kind: 'standard' | 'custom' | 'customMetadata' | 'customSetting' | 'platformEvent';
  customSettingType?: 'Hierarchy' | 'List';
  visibility?: 'Public' | 'Protected';
  fields: Map<string, FieldDef>; // keyed lower-case
  childRelationships: ChildRelationship[];
}

export interface PermissionSetDef {
  name: string;
  label: string;
  objects: Map<
    string,
    { read: boolean; create: boolean; edit: boolean; delete: boolean; viewAll: boolean; modifyAll: boolean }
  >;
  /** 'Object.Field' lower-cased -> access */
  fields: Map<string, { read: boolean; edit: boolean }>;
  customPermissions: Set<string>; // lower-cased names
  classes: Set<string>; // lower-cased Apex class names
  tabs: Set<string>;
}

export interface SchemaApi {
  getObject(name: string): ObjectDef | undefined;
  objectForKeyPrefix(prefix: string): ObjectDef | undefined;
  allObjects(): ObjectDef[];
  /** The names of every object in the org's schema, including standard objects not built yet. */
  allObjectNames(): string[];
  getPermissionSet(name: string): PermissionSetDef | undefined;
  allPermissionSets(): PermissionSetDef[];
  customPermissions(): string[];
  /** Remote Site Settings (remoteSiteSettings/*.remoteSite-meta.xml): the hosts Apex may call out to. */
  remoteSites(): RemoteSiteDef[];
}

export interface RemoteSiteDef {
  name: string;
  /** e.g. 'https://www.avochato.com' */
  url: string;
  isActive: boolean;
  /** true lets an http:// endpoint use an https:// site (and the reverse). */
  disableProtocolSecurity: boolean;
}

// ---------------------------------------------------------------------------------------------
// Database (database/)
// ---------------------------------------------------------------------------------------------

export type DmlOp = 'insert' | 'update' | 'upsert' | 'delete' | 'undelete';

export interface DmlError {
  statusCode: string; // 'REQUIRED_FIELD_MISSING', 'FIELD_CUSTOM_VALIDATION_EXCEPTION', 'DUPLICATE_VALUE', ...
  message: string;
  fields: string[];
}

export interface DmlRowResult {
  id: ApexId | null;
  success: boolean;
  created?: boolean; // upsert
  errors: DmlError[];
}

export interface QueryOptions {
  /** WITH USER_MODE / AccessLevel.USER_MODE: enforce object and field permissions and sharing of the running user. */
  userMode: boolean;
  /** Resolves a bind expression (the text after ':', e.g. 'ids', 'rec.Id', 'Date.today()') in the caller's scope. */
  bind: (expressionText: string) => ApexValue;
  /** Source location for error messages. */
  line?: number;
  /**
   * false for the platform's own reads that do not count against SOQL limits (custom settings' getInstance/
   * getOrgDefaults, custom metadata getAll/getInstance, UserInfo details). Default true. Added by stdlib.
   */
  countLimits?: boolean;
  /**
   * Rows in the recycle bin too (the REST API's queryAll resource: "includes records that have been deleted because of
   * a merge or delete", REST API Developer Guide, QueryAll). Apex's ALL ROWS sets the same from the query text.
   */
  includeDeleted?: boolean;
  /**
   * The query comes from the REST API rather than Apex; the two accept different FIELDS() groups (SOQL and SOSL
   * Reference, FIELDS(), "Bounded and Unbounded Queries").
   */
  apiQuery?: boolean;
}

/** Options of a SOSL search (DatabaseApi.search). */
export interface SearchOptions {
  /** Resolves a bind expression of the query (`FIND :term`, `WHERE Name = :x`) in the caller's scope. */
  bind: (expressionText: string) => ApexValue;
  /**
   * In a test: the Ids given to Test.setFixedSearchResults ([] when none were given). Absent outside tests, where a
   * search would need the platform's search index.
   */
  fixedResults?: string[];
  /** AccessLevel.USER_MODE of Search.query (WITH USER_MODE in the text works too). */
  userMode?: boolean;
  line?: number;
}

export interface DatabaseApi {
  /** Runs SOQL. Returns a List<SObject> (typed with the FROM object) or, for `SELECT COUNT() ...`, an Integer. */
  query(soql: string, opts: QueryOptions): ApexList | number;
  /** Runs SOSL: a List<List<SObject>>, one list per RETURNING object in order. */
  search?(sosl: string, opts: SearchOptions): ApexList;
  /**
   * Runs DML. With allOrNone the first failing row throws System.DmlException and nothing is saved;
   * otherwise results come back in input order. Triggers run through InterpreterApi.runTriggers.
   */
  dml(
    op: DmlOp,
    records: SObjectValue[],
    opts: {
      allOrNone: boolean;
      userMode: boolean;
      externalIdField?: string;
      line?: number;
      /** A REST/SOAP API call: missing object access is a per-row INSUFFICIENT_ACCESS_OR_READONLY, not an exception. */
      api?: boolean;
    },
  ): DmlRowResult[];
  setSavepoint(): unknown;
  rollback(savepoint: unknown): void;
  /** Whole-store snapshot and restore, used by the test runner for @TestSetup and per-test isolation. */
  snapshot(): unknown;
  restore(snapshot: unknown): void;
  /** Whether DML happened in the current transaction since the last commit (callout rule). */
  hasUncommittedWork(): boolean;
  /** Ends the transaction: clears uncommitted-work state. */
  commit(): void;
  /** Database.releaseSavepoint(sp): releases `sp` and every savepoint set after it. Added by the host. */
  releaseSavepoint?(savepoint: unknown): void;
  /** Savepoints set and not released in this transaction; a callout fails while one is active. Added by the host. */
  activeSavepoints?(): number;
  /** Test.setCreatedDate(recordId, createdDatetime). Added by the host. */
  setCreatedDate?(id: ApexId, createdDate: ApexDatetime): void;
}

// ---------------------------------------------------------------------------------------------
// Limits
// ---------------------------------------------------------------------------------------------

export type LimitName =
  | 'queries'
  | 'soslQueries'
  | 'queryRows'
  | 'dmlStatements'
  | 'dmlRows'
  | 'callouts'
  | 'queueableJobs'
  | 'cpuTime'
  | 'heapSize'
  | 'futureCalls';

export interface LimitsApi {
  /** Adds to a counter and throws LimitError when the limit is passed. */
  consume(name: LimitName, amount?: number): void;
  used(name: LimitName): number;
  limit(name: LimitName): number;
}

// ---------------------------------------------------------------------------------------------
// Running user and permissions
// ---------------------------------------------------------------------------------------------

export interface RunningUser {
  id: ApexId;
  username: string;
  name: string;
  email: string;
  profileName: string;
  /** Is the profile 'System Administrator' (modify all data, view all data). */
  isAdmin: boolean;
  timeZoneSidKey: string;
  organizationId: ApexId;
  /** Optional details (UserInfo reads them here, else queries the User row in system mode). Added by stdlib. */
  profileId?: ApexId;
  firstName?: string | null;
  lastName?: string;
  localeSidKey?: string;
  languageLocaleKey?: string;
  userType?: string;
}

// ---------------------------------------------------------------------------------------------
// Interpreter (interpreter/)
// ---------------------------------------------------------------------------------------------

export interface TriggerContext {
  sobjectType: string;
  event:
    | 'before insert'
    | 'after insert'
    | 'before update'
    | 'after update'
    | 'before delete'
    | 'after delete'
    | 'after undelete';
  newList: SObjectValue[] | null;
  oldList: SObjectValue[] | null;
}

export interface InterpreterApi {
  /** Calls an instance method of an Apex object by name (dispatching on argument count / runtime types). */
  callMethod(target: ApexValue, methodName: string, args: ApexValue[]): ApexValue;
  /** Calls a static method: 'MyClass.method'. */
  callStatic(className: string, methodName: string, args: ApexValue[]): ApexValue;
  /** new TypeName() with a no-arg constructor; used by Type.forName(...).newInstance() and JSON.deserialize. */
  newInstance(typeName: string): ApexInstance;
  /** Test.createStub(type, provider): an instance whose method calls go to provider.handleMethodCall. */
  createStub?(typeName: string, provider: ApexValue): ApexInstance;
  /** Finds a class (user class or native) by name, for Type.forName; null if none. */
  resolveType(name: string): TypeRef | null;
  /** The declared instance fields of a user class, for typed JSON (name as declared, declared type). */
  classFields(typeName: string): { name: string; type: TypeRef }[] | null;
  /** Runs every trigger on the object for that event (in definition order); records' errors are collected by the database. */
  runTriggers(ctx: TriggerContext): void;
  /** Has the user class a method (used to check interfaces like HttpCalloutMock). */
  hasMethod(target: ApexValue, methodName: string): boolean;
}

// ---------------------------------------------------------------------------------------------
// Async, callouts, tests
// ---------------------------------------------------------------------------------------------

export interface QueuedJob {
  /** The AsyncApexJob Id; for a Scheduled job the CronTrigger Id (System.schedule returns it). */
  id: ApexId;
  kind: 'Queueable' | 'Future' | 'Batch' | 'Scheduled';
  /** The Queueable, Database.Batchable or Schedulable instance (ApexInstance) or a thunk for future methods. */
  job: ApexValue;
  /** Batch: records per execute (Database.executeBatch's scope, 200 by default). */
  scope?: number;
  /** Batch without Database.Stateful: the instance as it was enqueued, given back to each start/execute/finish. */
  initialState?: ApexValue;
  /** Scheduled: the job name and cron expression (CronJobDetail.Name, CronTrigger.CronExpression). */
  schedule?: { name: string; cron: string; nextFireTime: number | null; zone: string };
  className: string;
  status: 'Queued' | 'Processing' | 'Completed' | 'Failed';
  error?: string;
  /** The job that enqueued this one (chaining), if any. */
  parentId?: ApexId;
  delayMinutes?: number;
  /** The user who enqueued the job: the platform runs it as that user. */
  userId?: ApexId;
  /** Epoch ms before which the job does not run (System.enqueueJob's minimum delay). */
  dueAt?: number;
}

export interface TestState {
  /** Test.setMock(HttpCalloutMock.class, mock): the mock object. */
  httpMock: ApexValue | null;
  /** true between Test.startTest() and Test.stopTest(). */
  inStartStop: boolean;
  /** The test runs with @IsTest(SeeAllData=true) (on its method or class): it sees the org's data. */
  seeAllData?: boolean;
  /** Test.setFixedSearchResults(ids): what later SOSL queries of the test return (null: not called, no results). */
  fixedSearchResults?: string[] | null;
  /** Test.startTest(): fresh limits. Provided by the test runner. */
  startTest(): void;
  /** Test.stopTest(): restores limits and runs the async work enqueued since startTest (and what it chains). */
  stopTest(): void;
  /** Test.getEventBus().deliver(): delivers the published platform events (triggers, success callbacks). */
  deliverEvents?(): void;
  /** Test.getEventBus().fail(): the published events fail (failure callbacks) and are removed. */
  failEvents?(): void;
}

/** Object and field permissions of the running user (permission sets + profile), for USER_MODE and describe. */
export interface AccessApi {
  canRead(objectName: string): boolean;
  canCreate(objectName: string): boolean;
  canEdit(objectName: string): boolean;
  canDelete(objectName: string): boolean;
  fieldReadable(objectName: string, fieldName: string): boolean;
  fieldEditable(objectName: string, fieldName: string): boolean;
}

/** A real HTTP exchange for callouts outside tests (the local Avochato emulator or a real host). */
export interface HttpTransport {
  send(req: { method: string; url: string; headers: Record<string, string>; body: string; timeoutMs: number }): {
    status: number;
    statusText: string;
    headers: Record<string, string>;
    body: string;
  };
}

/**
 * Everything a native function sees. One Runtime per transaction-or-test; the org creates it.
 */
export interface Runtime {
  schema: SchemaApi;
  db: DatabaseApi;
  interp: InterpreterApi;
  limits: LimitsApi;
  user: RunningUser;
  /** Permissions of the running user. */
  access: AccessApi;
  /** Custom permissions of the running user, from permission set assignments. */
  hasCustomPermission(name: string): boolean;
  /** System.runAs: runs `fn` as another user (a User Id). */
  runAs<T>(userId: ApexId, fn: () => T): T;
  /** One line on stdout per System.debug. */
  debug(line: string): void;
  /** Jobs enqueued in this transaction, run after commit (or at Test.stopTest()). */
  enqueue(job: Omit<QueuedJob, 'id' | 'status'>): ApexId;
  /** Non-null while running an @IsTest method. */
  test: TestState | null;
  /** Where non-test callouts go. */
  http: HttpTransport;
  /** Whether the current execution context allows callouts (false inside triggers? no: see Database.AllowsCallouts). */
  isAsync: boolean;
  /** The current source position for error messages ('Class.method: line N'). */
  where(): { file?: string; line?: number };
  /** Milliseconds: the org's clock (overridable for tests of the runtime). */
  now(): number;
  /** What kind of async job is running (System.isQueueable() etc.); undefined when synchronous. Added by stdlib. */
  asyncKind?: 'Queueable' | 'Future' | 'Batch' | 'Scheduled';
  /**
   * The System.Quiddity name of the current request (Request.getCurrent().getQuiddity()): 'ANONYMOUS', 'AURA', 'REST',
   * 'RUNTEST_ASYNC', 'QUEUEABLE', ...; undefined means 'SYNCHRONOUS'. Set by the entry point. Added by stdlib.
   */
  quiddity?: string;
  /** Request.getCurrent().getRequestId(): one per transaction, made when first asked for. Added by stdlib. */
  requestId?: string;
  /**
   * EventBus.publish: validates the platform events and puts the valid ones on the bus (with the publish callback,
   * if any); results in input order. Absent: platform events are unsupported. Added by stdlib.
   */
  publishEvents?(events: SObjectValue[], callback: ApexValue): DmlRowResult[];
  /**
   * Resolves a bind expression of dynamic SOQL (Database.query) in the calling Apex scope ('ids', 'rec.Id').
   * Set by the interpreter around native calls; absent means binds are unsupported. Added by stdlib.
   */
  resolveBind?: (expressionText: string) => ApexValue;
  /** Generates a new 18-char Id for an object key prefix. */
  newId(keyPrefix: string): ApexId;
}

// ---------------------------------------------------------------------------------------------
// Standard library (stdlib/)
// ---------------------------------------------------------------------------------------------

/**
 * A native method. `self` is the receiver for instance methods (a string for String methods, an ApexList for
 * List methods, a NativeInstance for HttpRequest, ...). Overloads are resolved inside by args.length and
 * runtime types. Unknown overloads must throw UnsupportedFeature, never guess.
 */
export type NativeFn = (rt: Runtime, args: ApexValue[], self: ApexValue) => ApexValue;

export interface NativeClass {
  /** Canonical name as code may write it, without the 'System.' prefix: 'String', 'HttpRequest', 'Database.SaveResult'. */
  name: string;
  /** Other names that resolve here, e.g. 'System.String', 'System.HttpRequest'. */
  aliases?: string[];
  /** Lower-cased method name -> implementation. */
  statics?: Record<string, NativeFn>;
  methods?: Record<string, NativeFn>;
  /** Lower-cased static property or constant -> getter. */
  staticProps?: Record<string, (rt: Runtime) => ApexValue>;
  /** Lower-cased static property -> setter, for settable statics (RestContext.request = req). Added by stdlib. */
  staticPropSetters?: Record<string, (rt: Runtime, value: ApexValue) => void>;
  /**
   * Lower-cased instance property -> accessor, for native objects with public fields (RestRequest.requestURI,
   * RestResponse.statusCode). `self` is the NativeInstance. Added by stdlib.
   */
  props?: Record<
    string,
    { get: (rt: Runtime, self: ApexValue) => ApexValue; set?: (rt: Runtime, self: ApexValue, value: ApexValue) => void }
  >;
  /**
   * Instance properties not known in advance (DescribeSObjectResult.fields.Name, ...): called when `props` has no
   * entry; return undefined when there is no such property. Added by the interpreter.
   */
  dynamicProp?: (rt: Runtime, self: ApexValue, name: string) => ApexValue | undefined;
  /** Static properties not known in advance (Schema.SObjectType.Account): like dynamicProp. Added by the interpreter. */
  dynamicStaticProp?: (rt: Runtime, name: string) => ApexValue | undefined;
  /** `new X(args)`. Absent = not constructible. */
  construct?: (rt: Runtime, args: ApexValue[], typeArgs?: TypeRef[]) => ApexValue;
  /** Supertypes for instanceof/casts, lower-cased ('exception', 'object'). */
  superTypes?: string[];
  /** An interface user classes implement (HttpCalloutMock, Queueable, Schedulable, Comparable, ...). */
  isInterface?: boolean;
}
