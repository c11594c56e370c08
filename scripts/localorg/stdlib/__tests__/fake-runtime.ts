/**
 * A small Runtime for unit tests of the standard library: a hand-made schema (Account, Contact, User,
 * Avochato_API_Credential__c), permissive access, recorded debug lines and enqueued jobs, counting limits.
 */
import { LimitError } from '../../core/errors.js';
import type { FieldDef, LimitName, ObjectDef, Runtime, QueuedJob, TestState } from '../../core/runtime.js';
import { ApexId, ApexList, NativeInstance, type ApexValue } from '../../core/values.js';
import { idChecksum } from '../../core/ops.js';
import { findNativeClass } from '../index.js';

function field(name: string, type: FieldDef['type'], extra: Partial<FieldDef> = {}): [string, FieldDef] {
  return [name.toLowerCase(), { name, label: name.replace(/__c$/, '').replace(/_/g, ' '), type, ...extra }];
}

function obj(name: string, keyPrefix: string, fields: [string, FieldDef][], extra: Partial<ObjectDef> = {}): ObjectDef {
  return {
    name,
    label: name.replace(/__c$/, '').replace(/_/g, ' '),
    keyPrefix,
    custom: name.endsWith('__c'),
    kind: 'standard',
    fields: new Map(fields),
    childRelationships: [],
    ...extra,
  };
}

export const objects: ObjectDef[] = [
  obj(
    'Account',
    '001',
    [
      field('Id', 'id', { systemManaged: true }),
      field('Name', 'string', { length: 255, required: true }),
      field('Phone', 'phone', { length: 40 }),
      field('NumberOfEmployees', 'int'),
      field('AnnualRevenue', 'currency', { precision: 18, scale: 0 }),
      field('Industry', 'picklist', {
        picklistValues: [
          { value: 'Energy', label: 'Energy' },
          { value: 'Banking', label: 'Banking', isDefault: true },
        ],
      }),
      field('OwnerId', 'reference', { referenceTo: ['User'], relationshipName: 'Owner' }),
      field('CreatedDate', 'datetime', { systemManaged: true }),
    ],
    {
      labelPlural: 'Accounts',
      childRelationships: [{ relationshipName: 'Contacts', childObject: 'Contact', field: 'AccountId' }],
    },
  ),
  obj('Contact', '003', [
    field('Id', 'id', { systemManaged: true }),
    field('LastName', 'string', { length: 80, required: true }),
    field('AccountId', 'reference', { referenceTo: ['Account'], relationshipName: 'Account' }),
  ]),
  obj('User', '005', [
    field('Id', 'id', { systemManaged: true }),
    field('Name', 'string'),
    field('ProfileId', 'reference', { referenceTo: ['Profile'] }),
  ]),
  obj(
    'Avochato_API_Credential__c',
    'a00',
    [
      field('Id', 'id', { systemManaged: true }),
      field('Name', 'autonumber'),
      field('Auth_Id__c', 'string', { length: 80, unique: true, externalId: true, caseSensitive: true }),
      field('Auth_Secret__c', 'longtextarea', { length: 1000 }),
      field('Is_Default__c', 'boolean', { defaultValue: false }),
      field('User__c', 'reference', { referenceTo: ['User'], relationshipName: 'User__r' }),
    ],
    { custom: true, kind: 'custom', labelPlural: 'Avochato API Credentials' },
  ),
];

export interface FakeRuntime extends Runtime {
  lines: string[];
  jobs: QueuedJob[];
  used: Map<LimitName, number>;
  hidden: Set<string>; // 'object.field' lower-cased fields the user cannot read/edit
  uncommitted: boolean;
}

let idCounter = 1;
export function fakeId(prefix: string): ApexId {
  const base = prefix + String(idCounter++).padStart(12, '0');
  return new ApexId(base + idChecksum(base));
}

export function makeRuntime(opts: { test?: boolean; now?: number } = {}): FakeRuntime {
  const byName = new Map(objects.map((o) => [o.name.toLowerCase(), o]));
  const limits: Record<LimitName, number> = {
    queries: 100,
    soslQueries: 20,
    queryRows: 50000,
    dmlStatements: 150,
    dmlRows: 10000,
    callouts: 100,
    queueableJobs: 50,
    cpuTime: 10000,
    heapSize: 6000000,
    futureCalls: 50,
  };
  const used = new Map<LimitName, number>();
  const lines: string[] = [];
  const jobs: QueuedJob[] = [];
  const hidden = new Set<string>();
  const test: TestState | null = opts.test
    ? {
        httpMock: null,
        inStartStop: false,
        startTest() {
          this.inStartStop = true;
        },
        stopTest() {
          this.inStartStop = false;
        },
      }
    : null;
  const rt: FakeRuntime = {
    lines,
    jobs,
    used,
    hidden,
    uncommitted: false,
    schema: {
      getObject: (n) => byName.get(n.toLowerCase()),
      objectForKeyPrefix: (p) => objects.find((o) => o.keyPrefix === p),
      allObjects: () => objects,
      allObjectNames: () => objects.map((o) => o.name),
      getPermissionSet: () => undefined,
      allPermissionSets: () => [],
      customPermissions: () => ['Avochato_Manage_Credentials'],
      remoteSites: () => [],
    },
    db: {
      query: () => new ApexList({ name: 'SObject' }, []),
      dml: () => [],
      setSavepoint: () => ({}),
      rollback: () => undefined,
      snapshot: () => ({}),
      restore: () => undefined,
      hasUncommittedWork: () => rt.uncommitted,
      commit: () => undefined,
    },
    interp: {
      callMethod: () => {
        throw new Error('fake interp: callMethod');
      },
      callStatic: () => null,
      newInstance: () => {
        throw new Error('fake interp: newInstance');
      },
      resolveType: (n) => (findNativeClass(n) ? { name: findNativeClass(n)!.name } : null),
      classFields: () => null,
      runTriggers: () => undefined,
      hasMethod: () => false,
    },
    limits: {
      consume(name, amount = 1) {
        const v = (used.get(name) ?? 0) + amount;
        used.set(name, v);
        if (v > limits[name]) throw new LimitError(`Too many ${name}: ${v}`);
      },
      used: (n) => used.get(n) ?? 0,
      limit: (n) => limits[n],
    },
    user: {
      id: new ApexId('005000000000001AAA'),
      username: 'admin@local.org',
      name: 'Ada Admin',
      email: 'admin@local.org',
      profileName: 'System Administrator',
      isAdmin: true,
      timeZoneSidKey: 'America/Los_Angeles',
      organizationId: new ApexId('00D000000000001AAA'),
      firstName: 'Ada',
      lastName: 'Admin',
    },
    access: {
      canRead: () => true,
      canCreate: () => true,
      canEdit: () => true,
      canDelete: () => true,
      fieldReadable: (o, f) => !hidden.has(`${o}.${f}`.toLowerCase()),
      fieldEditable: (o, f) => !hidden.has(`${o}.${f}`.toLowerCase()),
    },
    hasCustomPermission: (n) => n.toLowerCase() === 'avochato_manage_credentials',
    runAs: (_id, fn) => fn(),
    debug: (l) => lines.push(l),
    enqueue: (j) => {
      const id = fakeId('707');
      jobs.push({ ...j, id, status: 'Queued' });
      return id;
    },
    test,
    http: {
      send: () => {
        throw new Error('fake http');
      },
    },
    isAsync: false,
    where: () => ({}),
    now: () => opts.now ?? Date.UTC(2026, 10, 23, 19, 30, 0),
    newId: (p) => fakeId(p),
  };
  return rt;
}

/** Calls a static: call(rt, 'String', 'valueOf', [x]). */
export function callStatic(rt: Runtime, cls: string, method: string, args: ApexValue[]): ApexValue {
  const c = findNativeClass(cls);
  const fn = c?.statics?.[method.toLowerCase()];
  if (!fn) throw new Error(`no static ${cls}.${method}`);
  return fn(rt, args, null);
}

/** Calls an instance method on a value using the class the interpreter would pick. */
export function callMethod(
  rt: Runtime,
  cls: string,
  self: ApexValue,
  method: string,
  args: ApexValue[] = [],
): ApexValue {
  const c = findNativeClass(cls);
  const fn = c?.methods?.[method.toLowerCase()];
  if (!fn) throw new Error(`no method ${cls}.${method}`);
  return fn(rt, args, self);
}

export function prop(rt: Runtime, cls: string, name: string): ApexValue {
  const c = findNativeClass(cls);
  const g = c?.staticProps?.[name.toLowerCase()];
  if (!g) throw new Error(`no static prop ${cls}.${name}`);
  return g(rt);
}

export { NativeInstance };
