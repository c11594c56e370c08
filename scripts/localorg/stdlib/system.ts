/**
 * System, Assert, Limits, Test, Type, UserInfo, FeatureManagement, LoggingLevel, TriggerOperation, the platform
 * interfaces (Queueable, HttpCalloutMock, Comparable, ...) and their context objects.
 *
 * Assertion messages (rule "assert messages"): System.assert -> "Assertion Failed" / "Assertion Failed: msg";
 * assertEquals -> "Assertion Failed: Expected: e, Actual: a" / "Assertion Failed: msg: Expected: e, Actual: a";
 * assertNotEquals -> "Assertion Failed: Same value: v" / "Assertion Failed: msg: Same value: v". The Assert class
 * prints the same shapes (see ASSERT_MESSAGES below).
 */
import { AssertError, platformError } from '../core/errors.js';
import type { NativeClass, NativeFn, Runtime } from '../core/runtime.js';
import type { TypeRef } from '../core/values.js';
import {
  ApexDate,
  ApexDatetime,
  ApexId,
  ApexInstance,
  ApexList,
  NativeInstance,
  SObjectValue,
  T,
  type ApexValue,
} from '../core/values.js';
import { equalsValue, formatValue, isInstanceOf, runtimeTypeOf, toId, tryToId } from '../core/ops.js';
import { typeToString } from '../core/values.js';
import {
  badArity,
  makeEnum,
  native,
  npe,
  reqBool,
  reqInt,
  reqList,
  reqStr,
  str,
  systemQuery,
  typeOfToken,
  typeName,
  typeToken,
  unsupported,
  type TypeTokenState,
} from './util.js';
import { todayInUserZone } from './dates.js';
import { jobObject } from './async.js';
import { LOCAL_ORG_FEATURES } from '../core/org-features.js';

// ---------------------------------------------------------------------------------------------
// Assertions
// ---------------------------------------------------------------------------------------------

function withMsg(rt: Runtime, msg: ApexValue | undefined, detail: string | null): string {
  const m = msg === undefined ? null : formatValue(rt, msg);
  if (m === null || msg === null) return detail ? `Assertion Failed: ${detail}` : 'Assertion Failed';
  return detail ? `Assertion Failed: ${m}: ${detail}` : `Assertion Failed: ${m}`;
}

function fail(message: string): never {
  throw new AssertError(message);
}

function assertEqualsImpl(rt: Runtime, expected: ApexValue, actual: ApexValue, msg: ApexValue | undefined): void {
  if (!equalsValue(rt, expected, actual))
    fail(withMsg(rt, msg, `Expected: ${formatValue(rt, expected)}, Actual: ${formatValue(rt, actual)}`));
}

function assertNotEqualsImpl(rt: Runtime, notExpected: ApexValue, actual: ApexValue, msg: ApexValue | undefined): void {
  if (equalsValue(rt, notExpected, actual)) fail(withMsg(rt, msg, `Same value: ${formatValue(rt, actual)}`));
}

function condition(v: ApexValue): boolean {
  if (v === null) throw npe();
  return reqBool(v);
}

// ---------------------------------------------------------------------------------------------
// System
// ---------------------------------------------------------------------------------------------

export const LoggingLevelEnum = makeEnum(
  'System.LoggingLevel',
  ['NONE', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'FINE', 'FINER', 'FINEST', 'INTERNAL'],
  ['LoggingLevel'],
);

export const TriggerOperationEnum = makeEnum(
  'System.TriggerOperation',
  ['BEFORE_INSERT', 'BEFORE_UPDATE', 'BEFORE_DELETE', 'AFTER_INSERT', 'AFTER_UPDATE', 'AFTER_DELETE', 'AFTER_UNDELETE'],
  ['TriggerOperation'],
);

function isLoggingLevel(v: ApexValue): boolean {
  return v instanceof NativeInstance && v.typeName === 'System.LoggingLevel';
}

/** System.enqueueJob: counts against the queueable limit (50 sync, 1 from a queueable: LimitsApi decides). */
export function enqueueJob(rt: Runtime, jobArg: ApexValue, delayMinutes?: number): ApexId {
  const job = jobObject(jobArg, 'System.Queueable');
  if (delayMinutes !== undefined && (delayMinutes < 0 || delayMinutes > 10)) {
    throw platformError('System.AsyncException', 'The delay must be between 0 and 10 minutes');
  }
  rt.limits.consume('queueableJobs', 1);
  return rt.enqueue({ kind: 'Queueable', job, className: job.cls.name, delayMinutes });
}

function asyncKind(rt: Runtime): string | undefined {
  return rt.asyncKind;
}

const systemStatics: Record<string, NativeFn> = {
  debug: (rt, a) => {
    if (a.length === 1) rt.debug(formatValue(rt, a[0]));
    else if (a.length === 2 && isLoggingLevel(a[0])) rt.debug(formatValue(rt, a[1]));
    else badArity('System', 'debug', a);
    return null;
  },
  assert: (rt, a) => {
    if (!condition(a[0])) fail(withMsg(rt, a.length > 1 ? a[1] : undefined, null));
    return null;
  },
  assertequals: (rt, a) => {
    assertEqualsImpl(rt, a[0], a[1], a.length > 2 ? a[2] : undefined);
    return null;
  },
  assertnotequals: (rt, a) => {
    assertNotEqualsImpl(rt, a[0], a[1], a.length > 2 ? a[2] : undefined);
    return null;
  },
  now: (rt) => new ApexDatetime(rt.now()),
  today: (rt) => todayInUserZone(rt),
  currenttimemillis: (rt) => BigInt(rt.now()),
  enqueuejob: (rt, a) => {
    if (a.length === 1) return enqueueJob(rt, a[0]);
    if (a.length === 2 && typeof a[1] === 'number') return enqueueJob(rt, a[0], a[1]);
    return unsupported('System.enqueueJob with AsyncOptions');
  },
  isbatch: (rt) => asyncKind(rt) === 'Batch',
  isfuture: (rt) => asyncKind(rt) === 'Future',
  isqueueable: (rt) => asyncKind(rt) === 'Queueable',
  isscheduled: (rt) => asyncKind(rt) === 'Scheduled',
  schedulebatch: () => unsupported('System.scheduleBatch'),
  abortjob: () => unsupported('System.abortJob'),
  purgeoldasyncjobs: () => unsupported('System.purgeOldAsyncJobs'),
  resetpassword: () => unsupported('System.resetPassword'),
  setpassword: () => unsupported('System.setPassword'),
  requestversion: () => unsupported('System.requestVersion'),
  getapplicationreadwritemode: () =>
    new NativeInstance('System.ApplicationReadWriteMode', {
      valueKey: 'DEFAULT',
      display: 'DEFAULT',
      enumValue: 'DEFAULT',
      ordinal: 0,
    }),
  hashcode: (_rt, a) => {
    if (a[0] === null) return 0;
    return unsupported('System.hashCode');
  },
  equals: (rt, a) => equalsValue(rt, a[0], a[1]),
  runas: () => unsupported('System.runAs (handled by the interpreter)'),
};

export const SystemClass: NativeClass = { name: 'System', statics: systemStatics };

// ---------------------------------------------------------------------------------------------
// Assert
// ---------------------------------------------------------------------------------------------

const assertStatics: Record<string, NativeFn> = {
  areequal: (rt, a) => {
    assertEqualsImpl(rt, a[0], a[1], a.length > 2 ? a[2] : undefined);
    return null;
  },
  arenotequal: (rt, a) => {
    assertNotEqualsImpl(rt, a[0], a[1], a.length > 2 ? a[2] : undefined);
    return null;
  },
  istrue: (rt, a) => {
    if (a[0] !== true)
      fail(
        withMsg(
          rt,
          a[1],
          a[1] === undefined || a[1] === null ? `Expected: true, Actual: ${formatValue(rt, a[0])}` : null,
        ),
      );
    return null;
  },
  isfalse: (rt, a) => {
    if (a[0] !== false)
      fail(
        withMsg(
          rt,
          a[1],
          a[1] === undefined || a[1] === null ? `Expected: false, Actual: ${formatValue(rt, a[0])}` : null,
        ),
      );
    return null;
  },
  isnull: (rt, a) => {
    if (a[0] !== null) fail(withMsg(rt, a[1], `Expected: null, Actual: ${formatValue(rt, a[0])}`));
    return null;
  },
  isnotnull: (rt, a) => {
    if (a[0] === null) fail(withMsg(rt, a[1], 'Expected: not null, Actual: null'));
    return null;
  },
  fail: (rt, a) => fail(withMsg(rt, a[0], null)),
  isinstanceoftype: (rt, a) => {
    const t = typeOfToken(a[1]);
    if (!isInstanceOf(rt, a[0], t))
      fail(
        withMsg(
          rt,
          a[2],
          `Expected instance of ${typeToString(t)}, Actual: ${a[0] === null ? 'null' : typeToString(runtimeTypeOf(a[0]))}`,
        ),
      );
    return null;
  },
  isnotinstanceoftype: (rt, a) => {
    const t = typeOfToken(a[1]);
    if (isInstanceOf(rt, a[0], t))
      fail(
        withMsg(rt, a[2], `Expected not instance of ${typeToString(t)}, Actual: ${typeToString(runtimeTypeOf(a[0]))}`),
      );
    return null;
  },
};

export const AssertClass: NativeClass = { name: 'Assert', statics: assertStatics };

// ---------------------------------------------------------------------------------------------
// Limits
// ---------------------------------------------------------------------------------------------

const LIMIT_NAMES: Record<string, import('../core/runtime.js').LimitName> = {
  queries: 'queries',
  soslqueries: 'soslQueries',
  queryrows: 'queryRows',
  dmlstatements: 'dmlStatements',
  dmlrows: 'dmlRows',
  callouts: 'callouts',
  queueablejobs: 'queueableJobs',
  cputime: 'cpuTime',
  heapsize: 'heapSize',
  futurecalls: 'futureCalls',
};

const limitsStatics: Record<string, NativeFn> = {};
for (const [k, name] of Object.entries(LIMIT_NAMES)) {
  limitsStatics[`get${k}`] = (rt) => rt.limits.used(name);
  limitsStatics[`getlimit${k}`] = (rt) => rt.limits.limit(name);
}
for (const k of [
  'aggregatequeries',
  'emailinvocations',
  'mobilepushapexcalls',
  'publishimmediatedml',
  'querylocatorrows',
  'fieldsdescribes',
  'picklistdescribes',
  'childrelationshipsdescribes',
  'recordtypesdescribes',
  'fieldsetsdescribes',
  'asynccalls',
  'apexcursorrows',
  'fetchcallsonapexcursor',
]) {
  limitsStatics[`get${k}`] = () => unsupported(`Limits.get${k}`);
  limitsStatics[`getlimit${k}`] = () => unsupported(`Limits.getLimit${k}`);
}

export const LimitsClass: NativeClass = { name: 'Limits', statics: limitsStatics };

// ---------------------------------------------------------------------------------------------
// Test
// ---------------------------------------------------------------------------------------------

function testState(rt: Runtime): NonNullable<Runtime['test']> {
  if (!rt.test) return unsupported('Test methods outside a running test');
  return rt.test;
}

export const TestClass: NativeClass = {
  name: 'Test',
  statics: {
    starttest: (rt) => {
      testState(rt).startTest();
      // Rule (Apex guide, "Testing HTTP Callouts"): DML done before Test.startTest() does not block a callout made
      // between startTest and stopTest, so startTest ends the pending-work state (test data is still discarded by
      // the runner's snapshot restore).
      rt.db.commit();
      return null;
    },
    stoptest: (rt) => {
      testState(rt).stopTest();
      return null;
    },
    isrunningtest: (rt) => rt.test !== null,
    setmock: (rt, a) => {
      const t = typeOfToken(a[0]);
      const n = t.name.toLowerCase().replace(/^system\./, '');
      if (n !== 'httpcalloutmock') return unsupported(`Test.setMock(${t.name}.class, ...)`);
      const mock = a[1];
      if (mock !== null && !(mock instanceof ApexInstance && mock.cls.isA('httpcalloutmock'))) {
        throw platformError('System.TypeException', 'Mock object does not implement HttpCalloutMock');
      }
      testState(rt).httpMock = mock;
      return null;
    },
    // Test.calculatePermissionSetGroup(psgIds): "Calculates aggregate permissions in specified permission set groups
    // for testing" (Apex Reference, Test class). The local org computes a group's permissions from its components at
    // every access check, so they are always current; the Ids must still be permission set groups.
    calculatepermissionsetgroup: (rt, a) => {
      testState(rt);
      if (a.length !== 1) badArity('Test', 'calculatePermissionSetGroup', a);
      if (a[0] === null) throw npe();
      const ids = a[0] instanceof ApexList ? a[0].items : [a[0]];
      for (const v of ids) {
        const id = v instanceof ApexId ? v : tryToId(typeof v === 'string' ? v : '');
        if (!id || rt.schema.objectForKeyPrefix(id.keyPrefix)?.name !== 'PermissionSetGroup')
          throw platformError('System.InvalidParameterValueException', `Invalid permission set group Id: ${String(v)}`);
      }
      return null;
    },
    getstandardpricebookid: () => unsupported('Test.getStandardPricebookId'),
    // Test.setFixedSearchResults(List<Id>): the records later SOSL queries of the test return (a null list: none).
    // Apex Developer Guide, "Adding SOSL Queries to Unit Tests"; the search itself is DatabaseApi.search.
    setfixedsearchresults: (rt, a) => {
      const ids = a[0] === null || a[0] === undefined ? [] : reqList(a[0]).items;
      testState(rt).fixedSearchResults = ids.map((v) => (v instanceof ApexId ? v : toId(null, reqStr(v))).value);
      return null;
    },
    loaddata: () => unsupported('Test.loadData'),
    // Test.setCreatedDate(recordId, createdDatetime): CreatedDate of a record inserted by the test (Apex Reference, Test
    // class); neither argument may be null. The database rejects unknown records and objects without CreatedDate.
    setcreateddate: (rt, a) => {
      testState(rt);
      if (a.length !== 2) badArity('Test', 'setCreatedDate', a);
      if (a[0] === null || a[1] === null) throw npe();
      const id =
        a[0] instanceof ApexId
          ? a[0]
          : (tryToId(reqStr(a[0])) ??
            (() => {
              throw platformError('System.StringException', `Invalid id: ${reqStr(a[0])}`);
            })());
      if (!(a[1] instanceof ApexDatetime)) return unsupported(`Test.setCreatedDate with a ${typeName(a[1])}`);
      if (!rt.db.setCreatedDate) return unsupported('Test.setCreatedDate (no database)');
      rt.db.setCreatedDate(id, a[1]);
      return null;
    },
    createstub: (rt, a) => {
      if (!rt.interp.createStub) return unsupported('Test.createStub');
      if (a[1] === null) throw platformError('System.NullPointerException', 'Attempt to de-reference a null object');
      return rt.interp.createStub(typeOfToken(a[0]).name, a[1]);
    },
    enablechangedatacapture: () => unsupported('Test.enableChangeDataCapture'),
    setreadonlyapplicationmode: () => unsupported('Test.setReadOnlyApplicationMode'),
    testinstall: () => unsupported('Test.testInstall'),
    testsandboxpostcopyscript: (rt, a) => {
      // Test.testSandboxPostCopyScript(script, orgId, sandboxId, sandboxName[, runAsAutoProcUser]): runs runApexClass.
      testState(rt);
      const script = a[0];
      if (script === null) throw npe();
      if (!(script instanceof ApexInstance) || !script.cls.isA('sandboxpostcopy')) {
        throw platformError('System.TypeException', 'The script must implement System.SandboxPostCopy');
      }
      const id = (v: ApexValue) =>
        v instanceof ApexId
          ? v
          : (tryToId(reqStr(v)) ??
            (() => {
              throw platformError('System.StringException', `Invalid id: ${reqStr(v)}`);
            })());
      rt.interp.callMethod(script, 'runApexClass', [makeSandboxContext(id(a[1]), id(a[2]), reqStr(a[3]))]);
      return null;
    },
    invokecontinuationmethod: () => unsupported('Test.invokeContinuationMethod'),
    setcontinuationresponse: () => unsupported('Test.setContinuationResponse'),
  },
};

// ---------------------------------------------------------------------------------------------
// Type
// ---------------------------------------------------------------------------------------------

function tok(v: ApexValue): TypeTokenState {
  return native<TypeTokenState>(v, 'System.Type').state;
}

/** 'Map<Id,List<Account>>' as a TypeRef whose every part resolves, else null. */
function parseGenericType(rt: Runtime, text: string): TypeRef | null {
  let i = 0;
  const parse = (): TypeRef | null => {
    const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i));
    if (!m) return null;
    i += m[0].length;
    const base = m[0];
    if (text[i] !== '<') {
      const coll = ['list', 'set', 'map'].includes(base.toLowerCase());
      return coll ? null : rt.interp.resolveType(base);
    }
    const canon = { list: 'List', set: 'Set', map: 'Map' }[base.toLowerCase()];
    if (!canon) return null;
    i++;
    const args: TypeRef[] = [];
    for (;;) {
      const t = parse();
      if (!t) return null;
      args.push(t);
      if (text[i] === ',') i++;
      else if (text[i] === '>') {
        i++;
        break;
      } else return null;
    }
    if (args.length !== (canon === 'Map' ? 2 : 1)) return null;
    return { name: canon, args };
  };
  const t = parse();
  return t && i === text.length ? t : null;
}

export const TypeClass: NativeClass = {
  name: 'System.Type',
  aliases: ['Type'],
  statics: {
    forname: (rt, a) => {
      const name = a.length === 2 ? (str(a[0]) ? `${str(a[0])}.${reqStr(a[1])}` : reqStr(a[1])) : reqStr(a[0]);
      // Apex Reference, Type.forName: "Returns the type that corresponds to the specified fully qualified class name";
      // parameterized collection names ('Map<Id,Account>', 'List<String>') resolve too.
      if (name.includes('<')) {
        const t = parseGenericType(rt, name.replace(/\s+/g, ''));
        return t ? typeToken(t) : null;
      }
      const t = rt.interp.resolveType(name);
      return t ? typeToken(t) : null;
    },
  },
  methods: {
    getname: (_rt, _a, s) => tok(s).display ?? typeToString(tok(s).type),
    tostring: (_rt, _a, s) => tok(s).display ?? typeToString(tok(s).type),
    newinstance: (rt, _a, s) => {
      const t = tok(s).type;
      const lower = t.name.toLowerCase();
      if (['list', 'set', 'map'].includes(lower)) {
        const nc = { list: 'List', set: 'Set', map: 'Map' }[lower]!;
        return findCollection(nc)(rt, [], t.args);
      }
      const obj = rt.schema.getObject(t.name.replace(/^schema\./i, ''));
      if (obj) return new SObjectValue(obj.name);
      return rt.interp.newInstance(typeToString(t));
    },
    equals: (_rt, a, s) =>
      a[0] instanceof NativeInstance &&
      a[0].typeName === 'System.Type' &&
      (a[0].state as TypeTokenState).valueKey === tok(s).valueKey,
    hashcode: (_rt, _a, s) => {
      const k = tok(s).valueKey;
      let h = 0;
      for (let i = 0; i < k.length; i++) h = (Math.imul(h, 31) + k.charCodeAt(i)) | 0;
      return h;
    },
    isassignablefrom: () => unsupported('Type.isAssignableFrom'),
  },
};

let collectionCtor: ((name: string) => NonNullable<NativeClass['construct']>) | null = null;
/** index.ts wires List/Set/Map constructors here (avoids an import cycle). */
export function setCollectionCtor(fn: (name: string) => NonNullable<NativeClass['construct']>): void {
  collectionCtor = fn;
}
function findCollection(name: string): NonNullable<NativeClass['construct']> {
  if (!collectionCtor) throw new Error('internal: collections not wired');
  return collectionCtor(name);
}

// ---------------------------------------------------------------------------------------------
// UserInfo, FeatureManagement
// ---------------------------------------------------------------------------------------------

/** Reads a field of the running user's User row (system mode) when the Runtime's RunningUser lacks it. */
function userField(rt: Runtime, field: string): ApexValue {
  const known = (rt.user as unknown as Record<string, ApexValue | undefined>)[
    field.charAt(0).toLowerCase() + field.slice(1)
  ];
  if (known !== undefined) return known;
  const rows = systemQuery(rt, `SELECT ${field} FROM User WHERE Id = '${rt.user.id.value}'`);
  return rows.length === 0 ? null : (rows[0].getRaw(field) ?? null);
}

function orgField(rt: Runtime, field: string): ApexValue {
  const rows = systemQuery(rt, `SELECT ${field} FROM Organization LIMIT 1`);
  return rows.length === 0 ? null : (rows[0].getRaw(field) ?? null);
}

export const UserInfoClass: NativeClass = {
  name: 'UserInfo',
  statics: {
    getuserid: (rt) => rt.user.id,
    getusername: (rt) => rt.user.username,
    getname: (rt) => rt.user.name,
    getfirstname: (rt) => userField(rt, 'FirstName'),
    getlastname: (rt) => userField(rt, 'LastName'),
    getuseremail: (rt) => rt.user.email,
    getprofileid: (rt) => userField(rt, 'ProfileId'),
    getuserroleid: (rt) => userField(rt, 'UserRoleId'),
    getorganizationid: (rt) => rt.user.organizationId,
    getorganizationname: (rt) => orgField(rt, 'Name'),
    gettimezone: (rt) => timeZoneInstance(rt.user.timeZoneSidKey),
    getlocale: (rt) => userField(rt, 'LocaleSidKey'),
    getlanguage: (rt) => userField(rt, 'LanguageLocaleKey'),
    getusertype: (rt) => userField(rt, 'UserType') ?? 'Standard',
    getdefaultcurrency: () => unsupported('UserInfo.getDefaultCurrency'),
    ismulticurrencyorganization: () => LOCAL_ORG_FEATURES.multiCurrency,
    iscurrentuserlicensed: () =>
      unsupported('UserInfo.isCurrentUserLicensed (no managed package licences in the local org)'),
    iscurrentuserlicensedforpackage: () => unsupported('UserInfo.isCurrentUserLicensedForPackage'),
    getuitheme: () => 'Theme4d',
    getuithemedisplayed: () => 'Theme4d',
    getsessionid: () => unsupported('UserInfo.getSessionId'),
  },
};

export const FeatureManagementClass: NativeClass = {
  name: 'FeatureManagement',
  statics: {
    checkpermission: (rt, a) => rt.hasCustomPermission(reqStr(a[0])),
    checkpackagebooleanvalue: () => unsupported('FeatureManagement.checkPackageBooleanValue'),
    checkpackageintegervalue: () => unsupported('FeatureManagement.checkPackageIntegerValue'),
    checkpackagedatevalue: () => unsupported('FeatureManagement.checkPackageDateValue'),
    setpackagebooleanvalue: () => unsupported('FeatureManagement.setPackageBooleanValue'),
    setpackageintegervalue: () => unsupported('FeatureManagement.setPackageIntegerValue'),
    setpackagedatevalue: () => unsupported('FeatureManagement.setPackageDateValue'),
    changeprotection: () => unsupported('FeatureManagement.changeProtection'),
  },
};

// ---------------------------------------------------------------------------------------------
// TimeZone (getID/getDisplayName/getOffset) -- formatting with zones lives in dates.ts
// ---------------------------------------------------------------------------------------------

interface TimeZoneState {
  valueKey: string;
  display: string;
  id: string;
}

export function timeZoneInstance(id: string): NativeInstance<TimeZoneState> {
  return new NativeInstance<TimeZoneState>('System.TimeZone', { valueKey: id, display: id, id });
}

/** Offset of a zone from GMT in ms at an instant. */
export function zoneOffsetMs(zone: string, ms: number): number {
  const dtf = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const parts = Object.fromEntries(dtf.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return asUtc - Math.floor(ms / 1000) * 1000;
}

export const TimeZoneClass: NativeClass = {
  name: 'System.TimeZone',
  aliases: ['TimeZone'],
  statics: {
    gettimezone: (_rt, a) => {
      const id = reqStr(a[0]);
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: id });
      } catch {
        return timeZoneInstance('GMT');
      }
      return timeZoneInstance(id);
    },
  },
  methods: {
    getid: (_rt, _a, s) => native<TimeZoneState>(s, 'System.TimeZone').state.id,
    tostring: (_rt, _a, s) => native<TimeZoneState>(s, 'System.TimeZone').state.id,
    getoffset: (_rt, a, s) => {
      const zone = native<TimeZoneState>(s, 'System.TimeZone').state.id;
      const d = a[0];
      if (d === null) throw npe();
      if (d instanceof ApexDatetime) return zoneOffsetMs(zone, d.ms);
      if (d instanceof ApexDate) return zoneOffsetMs(zone, Date.UTC(d.year, d.month - 1, d.day));
      return badArity('TimeZone', 'getOffset', a);
    },
    getdisplayname: (_rt, _a, s) => {
      const zone = native<TimeZoneState>(s, 'System.TimeZone').state.id;
      const off = zoneOffsetMs(zone, Date.now());
      const sign = off < 0 ? '-' : '+';
      const abs = Math.abs(off) / 60000;
      const hh = String(Math.floor(abs / 60)).padStart(2, '0');
      const mm = String(abs % 60).padStart(2, '0');
      const long =
        new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'long' })
          .formatToParts(new Date())
          .find((p) => p.type === 'timeZoneName')?.value ?? zone;
      return `(GMT${sign}${hh}:${mm}) ${long} (${zone})`;
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Interfaces and async contexts
// ---------------------------------------------------------------------------------------------

function iface(name: string, aliases: string[] = []): NativeClass {
  return { name, aliases, isInterface: true };
}

export const interfaceClasses: NativeClass[] = [
  iface('HttpCalloutMock', ['System.HttpCalloutMock']),
  iface('WebServiceMock', ['System.WebServiceMock']),
  iface('Queueable', ['System.Queueable']),
  iface('Schedulable', ['System.Schedulable']),
  iface('Comparable', ['System.Comparable']),
  iface('System.Comparator', ['Comparator']),
  iface('SandboxPostCopy', ['System.SandboxPostCopy']),
  iface('InstallHandler', ['System.InstallHandler']),
  iface('UninstallHandler', ['System.UninstallHandler']),
  iface('Callable', ['System.Callable']),
  iface('System.Finalizer', ['Finalizer']),
  iface('Database.AllowsCallouts'),
  iface('Database.Stateful'),
  iface('Database.Batchable'),
  iface('Database.RaisesPlatformEvents'),
  iface('Iterator', ['System.Iterator']),
  iface('Process.Plugin'),
];

interface JobContextState {
  jobId: ApexId;
}

export function makeQueueableContext(jobId: ApexId): NativeInstance<JobContextState> {
  return new NativeInstance<JobContextState>('System.QueueableContext', { jobId });
}

export function makeSchedulableContext(jobId: ApexId): NativeInstance<JobContextState> {
  return new NativeInstance<JobContextState>('System.SchedulableContext', { jobId });
}

interface SandboxState {
  organizationId: ApexId;
  sandboxId: ApexId;
  sandboxName: string;
}

export function makeSandboxContext(
  organizationId: ApexId,
  sandboxId: ApexId,
  sandboxName: string,
): NativeInstance<SandboxState> {
  return new NativeInstance<SandboxState>('System.SandboxContext', { organizationId, sandboxId, sandboxName });
}

interface InstallState {
  organizationId: ApexId;
  installerId: ApexId;
  previousVersion: ApexValue;
  isUpgrade: boolean;
  isPush: boolean;
}

export function makeInstallContext(st: InstallState): NativeInstance<InstallState> {
  return new NativeInstance<InstallState>('System.InstallContext', st);
}

export const contextClasses: NativeClass[] = [
  {
    name: 'System.QueueableContext',
    aliases: ['QueueableContext'],
    isInterface: true,
    methods: { getjobid: (_rt, _a, s) => native<JobContextState>(s, 'System.QueueableContext').state.jobId },
  },
  {
    name: 'System.SchedulableContext',
    aliases: ['SchedulableContext'],
    isInterface: true,
    methods: { gettriggerid: (_rt, _a, s) => native<JobContextState>(s, 'System.SchedulableContext').state.jobId },
  },
  {
    name: 'System.SandboxContext',
    aliases: ['SandboxContext'],
    isInterface: true,
    methods: {
      getorganizationid: (_rt, _a, s) => native<SandboxState>(s, 'System.SandboxContext').state.organizationId,
      getsandboxid: (_rt, _a, s) => native<SandboxState>(s, 'System.SandboxContext').state.sandboxId,
      getsandboxname: (_rt, _a, s) => native<SandboxState>(s, 'System.SandboxContext').state.sandboxName,
    },
  },
  {
    name: 'System.InstallContext',
    aliases: ['InstallContext'],
    isInterface: true,
    methods: {
      organizationid: (_rt, _a, s) => native<InstallState>(s, 'System.InstallContext').state.organizationId,
      installerid: (_rt, _a, s) => native<InstallState>(s, 'System.InstallContext').state.installerId,
      previousversion: (_rt, _a, s) => native<InstallState>(s, 'System.InstallContext').state.previousVersion,
      isupgrade: (_rt, _a, s) => native<InstallState>(s, 'System.InstallContext').state.isUpgrade,
      ispush: (_rt, _a, s) => native<InstallState>(s, 'System.InstallContext').state.isPush,
    },
  },
];

export const systemClasses: NativeClass[] = [
  SystemClass,
  AssertClass,
  LimitsClass,
  TestClass,
  TypeClass,
  UserInfoClass,
  FeatureManagementClass,
  TimeZoneClass,
  LoggingLevelEnum,
  TriggerOperationEnum,
  ...interfaceClasses,
  ...contextClasses,
];

export { T, ApexList, reqInt, tryToId };
