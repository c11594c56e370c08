import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApexDecimal } from '../../core/values.js';
import { loadSchema, standardSchema } from '../load-schema.js';
import { assignKeyPrefixes } from '../key-prefixes.js';

const FIXTURE = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures/proj');
const s = loadSchema(FIXTURE);

test('standard objects carry real key prefixes and required fields', () => {
  const prefixes = Object.fromEntries(
    s
      .allObjects()
      .filter((o) => o.kind === 'standard')
      .map((o) => [o.name, o.keyPrefix]),
  );
  assert.deepEqual(
    {
      Account: prefixes.Account,
      Contact: prefixes.Contact,
      Lead: prefixes.Lead,
      User: prefixes.User,
      Profile: prefixes.Profile,
      PermissionSet: prefixes.PermissionSet,
      PermissionSetAssignment: prefixes.PermissionSetAssignment,
      Organization: prefixes.Organization,
      AsyncApexJob: prefixes.AsyncApexJob,
    },
    {
      Account: '001',
      Contact: '003',
      Lead: '00Q',
      User: '005',
      Profile: '00e',
      PermissionSet: '0PS',
      PermissionSetAssignment: '0Pa',
      Organization: '00D',
      AsyncApexJob: '707',
    },
  );
  assert.equal(s.getObject('account')!.fields.get('name')!.required, true);
  assert.equal(s.getObject('Lead')!.fields.get('company')!.required, true);
  assert.equal(s.getObject('Lead')!.fields.get('status')!.defaultValue, 'Open - Not Contacted');
  const user = s.getObject('User')!;
  for (const f of [
    'Username',
    'LastName',
    'Email',
    'Alias',
    'TimeZoneSidKey',
    'LocaleSidKey',
    'EmailEncodingKey',
    'LanguageLocaleKey',
    'ProfileId',
  ]) {
    assert.equal(user.fields.get(f.toLowerCase())!.required, true, f);
  }
  assert.equal(user.fields.get('isactive')!.defaultValue, true);
  assert.ok(
    s
      .getObject('Account')!
      .childRelationships.some((c) => c.relationshipName === 'Contacts' && c.field === 'AccountId'),
  );
});

test('custom object fields are typed from metadata', () => {
  const c = s.getObject('Avochato_API_Credential__c')!;
  assert.equal(c.kind, 'custom');
  assert.equal(c.keyPrefix, 'a01');
  assert.equal(c.sharingModel, 'Private');
  const name = c.fields.get('name')!;
  assert.equal(name.type, 'autonumber');
  assert.equal(name.autoNumberFormat, 'ACD-{00000}');
  const auth = c.fields.get('auth_id__c')!;
  assert.deepEqual(
    [auth.type, auth.length, auth.unique, auth.caseSensitive, auth.externalId, auth.required],
    ['string', 80, true, true, true, true],
  );
  const status = c.fields.get('status__c')!;
  assert.equal(status.restrictedPicklist, true);
  assert.equal(status.defaultValue, 'Pending');
  assert.deepEqual(
    status.picklistValues!.map((v) => v.value),
    ['Pending', 'Confirmed', 'Failed'],
  );
  assert.equal(c.fields.get('is_active__c')!.defaultValue, true);
  assert.equal(c.fields.get('is_default__c')!.defaultValue, false);
  assert.equal(c.fields.get('label__c')!.defaultValue, 'New');
  const attempts = c.fields.get('confirm_attempts__c')!;
  assert.equal(attempts.type, 'double');
  assert.ok(attempts.defaultValue instanceof ApexDecimal);
  const user = c.fields.get('user__c')!;
  assert.deepEqual(
    [user.type, user.referenceTo, user.relationshipName, user.required],
    ['reference', ['User'], 'User__r', true],
  );
  assert.ok(s.getObject('User')!.childRelationships.some((r) => r.relationshipName === 'Avochato_Credentials__r'));
  assert.ok(c.fields.has('ownerid') && c.fields.has('createddate') && c.fields.has('isdeleted'));
});

test('master-detail children are ControlledByParent without an owner', () => {
  const n = s.getObject('Credential_Note__c')!;
  assert.equal(n.sharingModel, 'ControlledByParent');
  assert.equal(n.fields.has('ownerid'), false);
  assert.equal(n.fields.get('credential__c')!.masterDetail, true);
  assert.equal(n.fields.get('credential__c')!.required, true);
});

test('custom settings, custom metadata and platform events', () => {
  const key = s.getObject('Avochato_Key__c')!;
  assert.deepEqual(
    [key.kind, key.customSettingType, key.visibility, key.keyPrefix],
    ['customSetting', 'Hierarchy', 'Protected', 'a02'],
  );
  assert.ok(key.fields.has('setupownerid'));
  const mdt = s.getObject('Avochato_Setting__mdt')!;
  assert.deepEqual([mdt.kind, mdt.keyPrefix, mdt.dmlAllowed.insert], ['customMetadata', 'm00', false]);
  assert.ok(mdt.fields.has('developername') && mdt.fields.has('masterlabel') && mdt.fields.has('qualifiedapiname'));
  const recs = s.customMetadataRecords('avochato_setting__mdt');
  assert.equal(recs.length, 1);
  assert.equal(recs[0].developerName, 'Default');
  assert.equal(recs[0].values.get('base_url__c')!.value, 'https://www.avochato.com');
  assert.equal((recs[0].values.get('timeout_ms__c')!.value as ApexDecimal).v.toNumber(), 10000);
  assert.equal(recs[0].values.get('enabled__c')!.value, true);
  assert.equal(recs[0].values.get('whoami_path__c')!.value, null);
  assert.equal(s.getObject('Avochato_Event__e')!.keyPrefix, 'e00');
  assert.equal(s.getObject('Account')!.fields.get('avochato_phone__c')!.type, 'phone');
});

test('permission sets and custom permissions', () => {
  assert.deepEqual(s.customPermissions().sort(), [
    'Avochato_Manage_Credentials',
    'Avochato_Send_Messages',
    'Avochato_Sync_Credentials',
  ]);
  const admin = s.getPermissionSet('Avochato_Admin')!;
  assert.equal(admin.label, 'Avochato Admin');
  assert.ok(admin.customPermissions.has('avochato_manage_credentials'));
  assert.deepEqual(admin.objects.get('avochato_api_credential__c'), {
    read: true,
    create: true,
    edit: true,
    delete: true,
    viewAll: true,
    modifyAll: false,
  });
  assert.deepEqual(admin.fields.get('avochato_api_credential__c.status__c'), { read: true, edit: false });
  assert.ok(admin.classes.has('avochatocredentials'));
  assert.ok(admin.tabs.has('avochato_setup'));
});

test('key prefixes are assigned in name order', () => {
  const m = assignKeyPrefixes([
    { name: 'B__c', kind: 'custom' },
    { name: 'A__c', kind: 'custom' },
    { name: 'S__c', kind: 'customSetting' },
    { name: 'X__mdt', kind: 'customMetadata' },
    { name: 'E__e', kind: 'platformEvent' },
  ]);
  assert.deepEqual(Object.fromEntries(m), { a__c: 'a01', b__c: 'a02', s__c: 'a03', x__mdt: 'm00', e__e: 'e00' });
  const many = assignKeyPrefixes(
    Array.from({ length: 12 }, (_, i) => ({ name: `O${String(i).padStart(2, '0')}__c`, kind: 'custom' as const })),
  );
  assert.equal(many.get('o09__c'), 'a0A');
});

test('standard schema alone loads fast', () => {
  const t0 = performance.now();
  const std = standardSchema();
  assert.ok(std.getObject('Contact'));
  assert.ok(performance.now() - t0 < 2000);
  assert.ok(s.loadStats.files >= 30);
});
