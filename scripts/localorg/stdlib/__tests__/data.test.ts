import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FieldDef, ObjectDef, QueryOptions, DmlOp, DmlRowResult } from '../../core/runtime.js';
import { ApexId, ApexList, ApexMap, NativeInstance, SObjectValue, T, type ApexValue } from '../../core/values.js';
import { PlatformError } from '../../core/errors.js';
import { formatValue, toId } from '../../core/ops.js';
import { findNativeClass, mapGet, fieldToken } from '../index.js';
import { callMethod, callStatic, makeRuntime, objects, prop } from './fake-runtime.js';

function f(name: string, type: FieldDef['type']): [string, FieldDef] {
  return [name.toLowerCase(), { name, label: name, type }];
}

const vault: ObjectDef = {
  name: 'Vault_Key__c',
  label: 'Vault Key',
  keyPrefix: 'a01',
  custom: true,
  kind: 'customSetting',
  customSettingType: 'Hierarchy',
  fields: new Map([f('Id', 'id'), f('SetupOwnerId', 'reference'), f('Key__c', 'string'), f('Version__c', 'double')]),
  childRelationships: [],
};
const setting: ObjectDef = {
  name: 'Conf__mdt',
  label: 'Conf',
  keyPrefix: 'm00',
  custom: true,
  kind: 'customMetadata',
  fields: new Map([f('Id', 'id'), f('DeveloperName', 'string'), f('Base_Url__c', 'url')]),
  childRelationships: [],
};
objects.push(vault, setting);

/** A runtime whose db answers SELECT ... FROM X [WHERE SetupOwnerId = 'id'] from an in-memory list. */
function dataRuntime(rows: SObjectValue[]) {
  const rt = makeRuntime();
  const queries: { soql: string; opts: QueryOptions }[] = [];
  const dmls: { op: DmlOp; records: SObjectValue[]; allOrNone: boolean; userMode: boolean }[] = [];
  rt.db.query = (soql, opts) => {
    queries.push({ soql, opts });
    const from = /FROM (\w+)/.exec(soql)![1].toLowerCase();
    const owner = /SetupOwnerId = '(\w+)'/.exec(soql)?.[1];
    const out = rows.filter(
      (r) => r.sobjectType.toLowerCase() === from && (!owner || (r.getRaw('SetupOwnerId') as ApexId).value === owner),
    );
    return new ApexList({ name: from }, out);
  };
  rt.db.dml = (op, records, o): DmlRowResult[] => {
    dmls.push({ op, records, allOrNone: o.allOrNone, userMode: o.userMode });
    return records.map((r, i) =>
      i === 1
        ? {
            id: null,
            success: false,
            errors: [
              {
                statusCode: 'REQUIRED_FIELD_MISSING',
                message: 'Required fields are missing: [Name]',
                fields: ['Name'],
              },
            ],
          }
        : { id: r.id ?? toId(rt, '001000000000009'), success: true, created: op === 'upsert', errors: [] },
    );
  };
  return { rt, queries, dmls };
}

function row(obj: string, values: Record<string, ApexValue>): SObjectValue {
  const r = new SObjectValue(obj);
  for (const [k, v] of Object.entries(values)) r.setRaw(k, v);
  r.fromQuery = true;
  return r;
}

test('hierarchy custom settings: org defaults, user merge, no-limit reads', () => {
  const orgId = new ApexId('00D000000000001AAA');
  const userId = new ApexId('005000000000001AAA');
  const profileId = new ApexId('00e000000000001AAA');
  const { rt, queries } = dataRuntime([
    row('Vault_Key__c', {
      Id: toId(null, 'a01000000000001'),
      SetupOwnerId: orgId,
      Key__c: 'org-key',
      Version__c: null,
    }),
    row('Vault_Key__c', { Id: toId(null, 'a01000000000002'), SetupOwnerId: userId, Key__c: null, Version__c: null }),
    row('Vault_Key__c', {
      Id: toId(null, 'a01000000000003'),
      SetupOwnerId: profileId,
      Key__c: 'profile-key',
      Version__c: null,
    }),
  ]);
  rt.user.profileId = profileId;
  const statics = findNativeClass('SObject')!.statics!;
  const org = statics.getorgdefaults(rt, [], 'Vault_Key__c') as SObjectValue;
  assert.equal(org.getRaw('Key__c'), 'org-key');
  const mine = statics.getinstance(rt, [], 'Vault_Key__c') as SObjectValue;
  // The user row wins, its null fields come from the profile row, then the org default.
  assert.equal(mine.id?.value, 'a01000000000002AAA');
  assert.equal(mine.getRaw('Key__c'), 'profile-key');
  assert.equal(statics.getvalues(rt, [userId], 'Vault_Key__c') instanceof SObjectValue, true);
  assert.ok(queries.every((q) => q.opts.countLimits === false && q.opts.userMode === false));
  const empty = dataRuntime([]).rt;
  const none = statics.getorgdefaults(empty, [], 'Vault_Key__c') as SObjectValue;
  assert.equal(none.id, null);
  assert.equal(none.fields.size, 0);
});

test('custom metadata getInstance/getAll', () => {
  const { rt } = dataRuntime([
    row('Conf__mdt', {
      Id: toId(null, 'm00000000000001'),
      DeveloperName: 'Default',
      Base_Url__c: 'https://www.avochato.com',
    }),
    row('Conf__mdt', { Id: toId(null, 'm00000000000002'), DeveloperName: 'Other', Base_Url__c: 'x' }),
  ]);
  const statics = findNativeClass('SObject')!.statics!;
  const d = statics.getinstance(rt, ['Default'], 'Conf__mdt') as SObjectValue;
  assert.equal(d.getRaw('Base_Url__c'), 'https://www.avochato.com');
  assert.equal(statics.getinstance(rt, ['Missing'], 'Conf__mdt'), null);
  const all = statics.getall(rt, [], 'Conf__mdt') as ApexMap;
  assert.equal(formatValue(rt, [...all.entries.values()].map((e) => e[0]).join(',')), 'Default,Other');
});

test('Database.insert with allOrNone=false and AccessLevel returns SaveResults', () => {
  const { rt, dmls } = dataRuntime([]);
  const recs = new ApexList({ name: 'Account' }, [row('Account', { Name: 'a' }), row('Account', {})]);
  const results = callStatic(rt, 'Database', 'insert', [recs, false, prop(rt, 'AccessLevel', 'USER_MODE')]) as ApexList;
  assert.equal(dmls[0].allOrNone, false);
  assert.equal(dmls[0].userMode, true);
  assert.equal(results.items.length, 2);
  assert.equal(callMethod(rt, 'Database.SaveResult', results.items[0], 'isSuccess'), true);
  assert.equal(callMethod(rt, 'Database.SaveResult', results.items[1], 'isSuccess'), false);
  const err = (callMethod(rt, 'Database.SaveResult', results.items[1], 'getErrors') as ApexList).items[0];
  assert.equal(formatValue(rt, callMethod(rt, 'Database.Error', err, 'getStatusCode')), 'REQUIRED_FIELD_MISSING');
  assert.ok(findNativeClass('StatusCode')!.dynamicStaticProp!(rt, 'REQUIRED_FIELD_MISSING') instanceof NativeInstance);
  assert.equal(formatValue(rt, callMethod(rt, 'Database.Error', err, 'getFields')), '(Name)');
  const single = callStatic(rt, 'Database', 'upsert', [
    row('Account', { Name: 'x' }),
    fieldToken(rt, 'Account', 'Name'),
    false,
  ]);
  assert.equal(callMethod(rt, 'Database.UpsertResult', single, 'isCreated'), true);
  const sp = callStatic(rt, 'Database', 'setSavepoint', []);
  assert.equal(formatValue(rt, sp), 'SavepointValue0');
});

test('Database.query binds: caller scope and queryWithBinds', () => {
  const { rt, queries } = dataRuntime([]);
  try {
    callStatic(rt, 'Database', 'query', ['SELECT Id FROM Account']);
    const bindFn = queries[0].opts.bind;
    assert.throws(() => bindFn('x'), /Unsupported feature/);
    rt.resolveBind = (e) => (e === 'x' ? 'value' : null);
    callStatic(rt, 'Database', 'query', ['SELECT Id FROM Account WHERE Name = :x']);
    assert.equal(queries[1].opts.bind('x'), 'value');
    const binds = new ApexMap(T.String, T.Object);
    findNativeClass('Map')!.methods!.put(rt, ['Name', 'Acme'], binds);
    callStatic(rt, 'Database', 'queryWithBinds', [
      'SELECT Id FROM Account WHERE Name = :name',
      binds,
      prop(rt, 'AccessLevel', 'SYSTEM_MODE'),
    ]);
    assert.equal(queries[2].opts.bind('name'), 'Acme');
    assert.throws(
      () => queries[2].opts.bind('other'),
      (e: unknown) => e instanceof PlatformError && e.typeName === 'System.QueryException',
    );
    void mapGet;
  } finally {
    rt.resolveBind = undefined;
  }
});
