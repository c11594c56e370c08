import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PlatformError } from '../../core/errors.js';
import type { TriggerContext } from '../../core/runtime.js';
import { ApexDecimal, ApexId, SObjectValue } from '../../core/values.js';
import { q, rec, setup } from './helpers.js';

const ALL = { allOrNone: true, userMode: false };
const PART = { allOrNone: false, userMode: false };

function cred(userId: ApexId, authId: string, extra: Record<string, unknown> = {}) {
  return rec('Avochato_API_Credential__c', { User__c: userId, Auth_Id__c: authId, ...(extra as object) } as never);
}

function dmlErr(fn: () => unknown): PlatformError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PlatformError) return e;
    throw e;
  }
  throw new Error('no error');
}

test('insert: Ids written back, defaults, autonumber, audit fields, empty string stored as null', () => {
  const { db, seed } = setup();
  const c = cred(seed.adminUserId, 'A1', { Inbox__c: '' });
  db.dml('insert', [c], ALL);
  assert.equal(c.id!.keyPrefix, 'a01');
  assert.equal(c.id!.value.length, 18);
  assert.equal(c.has('Status__c'), false); // the caller's record only gets the Id
  const [r] = q(
    db,
    'SELECT Name, Status__c, Is_Active__c, Is_Default__c, Confirm_Attempts__c, Inbox__c, OwnerId, CreatedById, CreatedDate FROM Avochato_API_Credential__c',
  );
  assert.equal(r.getRaw('Name'), 'ACD-00001');
  assert.equal(r.getRaw('Status__c'), 'Pending');
  assert.equal(r.getRaw('Is_Active__c'), true);
  assert.equal(r.getRaw('Is_Default__c'), false);
  assert.equal((r.getRaw('Confirm_Attempts__c') as ApexDecimal).v.toNumber(), 0);
  assert.equal(r.getRaw('Inbox__c'), null);
  assert.equal((r.getRaw('OwnerId') as ApexId).value, seed.adminUserId.value);
  assert.equal((r.getRaw('CreatedById') as ApexId).value, seed.adminUserId.value);
});

test('DmlException message shapes and row data', () => {
  const { db, seed } = setup();
  let e = dmlErr(() => db.dml('insert', [rec('Account', { Name: 'ok' }), rec('Account', {})], ALL));
  assert.equal(e.typeName, 'System.DmlException');
  assert.equal(
    e.message,
    'Insert failed. First exception on row 1; first error: REQUIRED_FIELD_MISSING, Required fields are missing: [Name]: [Name]',
  );
  assert.equal((e.extra!.rows as { index: number }[])[0].index, 1);
  assert.equal(q(db, 'SELECT Id FROM Account').length, 0); // all or nothing
  e = dmlErr(() => db.dml('insert', [rec('Lead', { LastName: 'x' })], ALL));
  assert.match(e.message, /REQUIRED_FIELD_MISSING, Required fields are missing: \[Company\]: \[Company\]$/);
  e = dmlErr(() => db.dml('insert', [cred(seed.adminUserId, 'x'.repeat(81))], ALL));
  assert.match(e.message, /STRING_TOO_LONG, Auth Id: data value too large: x+ \(max length=80\): \[Auth_Id__c\]$/);
  e = dmlErr(() => db.dml('insert', [cred(seed.adminUserId, 'p', { Status__c: 'pending' })], ALL));
  assert.match(
    e.message,
    /INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST, Status: bad value for restricted picklist field: pending: \[Status__c\]$/,
  );
  e = dmlErr(() => db.dml('insert', [cred(new ApexId('001000000000099AAA'), 'q')], ALL));
  assert.match(
    e.message,
    /FIELD_INTEGRITY_EXCEPTION, User: id value of incorrect type: 001000000000099AAA: \[User__c\]$/,
  );
  e = dmlErr(() => db.dml('insert', [cred(new ApexId('005000000000999AAA'), 'q')], ALL));
  assert.match(e.message, /INVALID_CROSS_REFERENCE_KEY, invalid cross reference id: \[\]$/);
  const a = rec('Account', { Name: 'A' });
  db.dml('insert', [a], ALL);
  e = dmlErr(() => db.dml('insert', [a], ALL));
  assert.match(e.message, /INVALID_FIELD_FOR_INSERT_UPDATE, cannot specify Id in an insert call: \[Id\]$/);
  e = dmlErr(() => db.dml('update', [rec('Account', { Name: 'B' })], ALL));
  assert.equal(
    e.message,
    'Update failed. First exception on row 0; first error: MISSING_ARGUMENT, Id not specified in an update call: []',
  );
  e = dmlErr(() => db.dml('update', [a, a], ALL));
  assert.equal(e.typeName, 'System.ListException');
  assert.equal(e.message, `Duplicate id in list: ${a.id!.value}`);
  e = dmlErr(() => db.dml('insert', [rec('Contact', { LastName: 'x', Email: 'not an email' })], ALL));
  assert.match(e.message, /INVALID_EMAIL_ADDRESS, Email: invalid email address: not an email: \[Email\]$/);
});

test('unique fields: DUPLICATE_VALUE, case-sensitive Auth Id, within a batch too', () => {
  const { db, seed } = setup();
  const first = cred(seed.adminUserId, 'Key1');
  db.dml('insert', [first], ALL);
  const e = dmlErr(() => db.dml('insert', [cred(seed.adminUserId, 'Key1')], ALL));
  assert.match(
    e.message,
    new RegExp(
      `DUPLICATE_VALUE, duplicate value found: Auth_Id__c duplicates value on record with id: ${first.id!.value}: \\[\\]$`,
    ),
  );
  const res = db.dml(
    'insert',
    [cred(seed.adminUserId, 'KEY1'), cred(seed.adminUserId, 'dup'), cred(seed.adminUserId, 'dup')],
    PART,
  );
  assert.deepEqual(
    res.map((r) => r.success),
    [true, true, false],
  ); // caseSensitive: KEY1 differs from Key1
  assert.equal(res[2].errors[0].statusCode, 'DUPLICATE_VALUE');
});

test('allOrNone=false: results in input order, failed rows do not get Ids, others saved', () => {
  const { db } = setup();
  const recs = [rec('Account', { Name: 'a' }), rec('Account', {}), rec('Account', { Name: 'c' })];
  const res = db.dml('insert', recs, PART);
  assert.deepEqual(
    res.map((r) => r.success),
    [true, false, true],
  );
  assert.equal(recs[1].id, null);
  assert.ok(recs[2].id);
  assert.equal(q(db, 'SELECT Id FROM Account').length, 2);
});

test('triggers: order, before changes saved, addError fails rows, retries re-run triggers', () => {
  const events: string[] = [];
  const trig = (ctx: TriggerContext) => {
    events.push(`${ctx.event}:${(ctx.newList ?? ctx.oldList)!.length}`);
    if (ctx.event === 'before insert') {
      for (const r of ctx.newList!) {
        r.setRaw('Description', 'from trigger');
        if (r.getRaw('Name') === 'bad') r.errors.push({ message: 'Bad name' });
      }
    }
  };
  const { db } = setup({ triggers: trig });
  const e = dmlErr(() => db.dml('insert', [rec('Account', { Name: 'ok' }), rec('Account', { Name: 'bad' })], ALL));
  assert.equal(
    e.message,
    'Insert failed. First exception on row 1; first error: FIELD_CUSTOM_VALIDATION_EXCEPTION, Bad name: []',
  );
  assert.deepEqual(events, ['before insert:2']);
  events.length = 0;
  const res = db.dml('insert', [rec('Account', { Name: 'ok' }), rec('Account', { Name: 'bad' })], PART);
  assert.deepEqual(
    res.map((r) => r.success),
    [true, false],
  );
  // First attempt processes every record (the good one reaches after insert), then the rest is retried.
  assert.deepEqual(events, ['before insert:2', 'after insert:1', 'before insert:1', 'after insert:1']);
  assert.equal(q(db, 'SELECT Description FROM Account')[0].getRaw('Description'), 'from trigger');
  events.length = 0;
  const a = new SObjectValue('Account');
  a.setRaw('Id', res[0].id);
  a.setRaw('Name', 'renamed');
  db.dml('update', [a], ALL);
  db.dml('delete', [a], ALL);
  db.dml('undelete', [a], ALL);
  assert.deepEqual(events, [
    'before update:1',
    'after update:1',
    'before delete:1',
    'after delete:1',
    'after undelete:1',
  ]);
});

test('trigger Trigger.old/new carry full records; required fields checked after before triggers', () => {
  let seen: SObjectValue | null = null;
  const { db } = setup({
    triggers: (ctx) => {
      if (ctx.event === 'before insert')
        for (const r of ctx.newList!) if (r.getRaw('Name') === null) r.setRaw('Name', 'filled');
      if (ctx.event === 'before update') seen = ctx.oldList![0];
    },
  });
  const a = rec('Account', {});
  db.dml('insert', [a], ALL); // Name filled by the before trigger: no REQUIRED_FIELD_MISSING
  const u = new SObjectValue('Account');
  u.setRaw('Id', a.id);
  u.setRaw('Phone', '123');
  db.dml('update', [u], ALL);
  assert.equal(seen!.getRaw('Name'), 'filled');
  assert.ok(seen!.has('Phone'));
});

test('upsert by external Id and by Id', () => {
  const { db, seed } = setup();
  const res1 = db.dml('upsert', [cred(seed.adminUserId, 'U1', { Inbox__c: 'one' })], {
    ...ALL,
    externalIdField: 'Auth_Id__c',
  });
  assert.equal(res1[0].created, true);
  const res2 = db.dml('upsert', [cred(seed.adminUserId, 'U1', { Inbox__c: 'two' }), cred(seed.adminUserId, 'U2')], {
    ...ALL,
    externalIdField: 'Auth_Id__c',
  });
  assert.deepEqual(
    res2.map((r) => r.created),
    [false, true],
  );
  assert.equal(res2[0].id!.value, res1[0].id!.value);
  assert.equal(
    q(db, "SELECT Inbox__c FROM Avochato_API_Credential__c WHERE Auth_Id__c = 'U1'")[0].getRaw('Inbox__c'),
    'two',
  );
  const e = dmlErr(() => db.dml('upsert', [cred(seed.adminUserId, 'Z', {})], { ...ALL, externalIdField: 'Inbox__c' }));
  assert.match(e.message, /Invalid field for upsert/);
});

test('delete, recycle bin, undelete, restrict and cascade', () => {
  const { db, seed } = setup();
  const c = cred(seed.adminUserId, 'D1');
  db.dml('insert', [c], ALL);
  const note = rec('Credential_Note__c', { Name: 'n', Credential__c: c.id });
  db.dml('insert', [note], ALL);
  db.dml('delete', [c], ALL);
  assert.equal(q(db, 'SELECT Id FROM Credential_Note__c').length, 0); // cascade
  let e = dmlErr(() => db.dml('delete', [c], ALL));
  assert.match(
    e.message,
    /^Delete failed. First exception on row 0 with id a01\w+; first error: ENTITY_IS_DELETED, entity is deleted: \[\]$/,
  );
  db.dml('undelete', [c], ALL);
  assert.equal(q(db, 'SELECT Id FROM Credential_Note__c').length, 1);
  e = dmlErr(() => db.dml('undelete', [c], ALL));
  assert.match(e.message, /UNDELETE_FAILED, Entity is not in the recycle bin/);
  e = dmlErr(() => db.dml('delete', [new SObjectValue('User')], ALL));
  assert.equal(e.typeName, 'System.TypeException');
});

test('custom metadata and setup objects reject DML as the platform does', () => {
  const { db } = setup();
  const e = dmlErr(() => db.dml('insert', [rec('Avochato_Setting__mdt', {})], ALL));
  assert.equal(e.typeName, 'System.TypeException');
  assert.equal(e.message, 'DML operation INSERT not allowed on Avochato_Setting__mdt');
});

test('savepoint/rollback and snapshot/restore', () => {
  const { db } = setup();
  db.dml('insert', [rec('Account', { Name: 'keep' })], ALL);
  const sp = db.setSavepoint();
  db.dml('insert', [rec('Account', { Name: 'drop' })], ALL);
  db.rollback(sp);
  assert.deepEqual(
    q(db, 'SELECT Name FROM Account').map((r) => r.getRaw('Name')),
    ['keep'],
  );
  const snap = db.snapshot();
  for (let i = 0; i < 3; i++) {
    db.dml('insert', [rec('Account', { Name: `t${i}` })], ALL);
    assert.equal(q(db, 'SELECT Id FROM Account').length, 2);
    db.restore(snap);
  }
  assert.equal(q(db, 'SELECT Id FROM Account').length, 1);
  assert.equal(db.hasUncommittedWork(), false);
  db.dml('insert', [rec('Account', { Name: 'x' })], ALL);
  assert.equal(db.hasUncommittedWork(), true);
  db.commit();
  assert.equal(db.hasUncommittedWork(), false);
});

test('DML limits: 150 statements and 10,000 rows', () => {
  const { db } = setup();
  const many = Array.from({ length: 10001 }, (_, i) => rec('Account', { Name: `a${i}` }));
  assert.throws(() => db.dml('insert', many, ALL), /Too many DML rows: 10001/);
});

test('User: Name computed, Username unique (DUPLICATE_USERNAME), nickname generated', () => {
  const { db, seed } = setup();
  const u = () =>
    rec('User', {
      Username: 'x@y.test',
      LastName: 'Doe',
      FirstName: 'Jane',
      Email: 'x@y.test',
      Alias: 'jd',
      TimeZoneSidKey: 'GMT',
      LocaleSidKey: 'en_US',
      EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'en_US',
      ProfileId: seed.standardProfileId,
    });
  db.dml('insert', [u()], ALL);
  const [r] = q(db, "SELECT Name, CommunityNickname, IsActive FROM User WHERE Username = 'x@y.test'");
  assert.equal(r.getRaw('Name'), 'Jane Doe');
  assert.ok(r.getRaw('CommunityNickname'));
  assert.equal(r.getRaw('IsActive'), true);
  const e = dmlErr(() => db.dml('insert', [u()], ALL));
  assert.match(e.message, /DUPLICATE_USERNAME, Duplicate Username\./);
});

test('MIXED_DML_OPERATION when a scope token is provided; separate scopes (runAs) are fine', async () => {
  const { loadSchema } = await import('../../metadata/load-schema.js');
  const { createDatabase } = await import('../database.js');
  const { seedOrg } = await import('../seed.js');
  const { FIXTURE } = await import('./helpers.js');
  let scope: object = {};
  const db = createDatabase(loadSchema(FIXTURE), { mixedDmlScope: () => scope });
  const seed = seedOrg(db);
  const user = () =>
    rec('User', {
      Username: `u${Math.random()}@x.test`,
      LastName: 'U',
      Email: 'u@x.test',
      Alias: 'u',
      TimeZoneSidKey: 'GMT',
      LocaleSidKey: 'en_US',
      EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'en_US',
      ProfileId: seed.standardProfileId,
    });
  db.dml('insert', [rec('PermissionSet', { Name: 'Mixed', Label: 'Mixed' })], ALL);
  const e = dmlErr(() => db.dml('insert', [rec('Account', { Name: 'a' })], ALL));
  assert.equal(
    e.message,
    'Insert failed. First exception on row 0; first error: MIXED_DML_OPERATION, DML operation on setup object is not permitted after you have updated a non-setup object (or vice versa): Account, original object: PermissionSet: []',
  );
  scope = {}; // a System.runAs block
  db.dml('insert', [rec('Account', { Name: 'a' })], ALL);
  db.dml('insert', [rec('Avochato_Key__c', { Key__c: 'k' })], ALL); // custom settings are exempt
  // API 15.0+: a user with a null UserRoleId, and a user update that leaves the guarded fields alone, mix with other DML
  const u = user();
  db.dml('insert', [u], ALL);
  db.dml('update', [rec('User', { Id: u.id, Title: 'T' })], ALL);
  db.dml('insert', [rec('Account', { Name: 'b' })], ALL);
  const e2 = dmlErr(() => db.dml('update', [rec('User', { Id: u.id, IsActive: false })], ALL));
  assert.match(e2.message, /MIXED_DML_OPERATION, .*: User, original object: Account/);
});

test('hierarchy custom settings: org default owner, one record per owner', () => {
  const { db, seed } = setup();
  const a = rec('Avochato_Key__c', { Key__c: 'k1' });
  db.dml('insert', [a], ALL);
  const [row] = q(db, 'SELECT SetupOwnerId, Key__c FROM Avochato_Key__c');
  assert.equal((row.getRaw('SetupOwnerId') as ApexId).value, seed.orgId.value);
  const e = dmlErr(() => db.dml('insert', [rec('Avochato_Key__c', { Key__c: 'k2' })], ALL));
  assert.match(e.message, /DUPLICATE_VALUE, duplicate value found: SetupOwnerId duplicates value on record with id/);
  db.dml('insert', [rec('Avochato_Key__c', { Key__c: 'k3', SetupOwnerId: seed.adminUserId })], ALL);
});

test('commit trims undo history only below the oldest live snapshot', () => {
  const { db } = setup();
  const snap = db.snapshot();
  for (let i = 0; i < 20050; i++) db.insertDirect('Account', { Name: `a${i}` });
  db.commit();
  assert.equal(db.count('Account'), 20050);
  db.restore(snap); // still possible: the snapshot is alive
  assert.equal(db.count('Account'), 0);
});

test('an exception a trigger does not catch fails the rows with CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY; Trigger.new is read-only after', () => {
  const { db } = setup({
    triggers: (ctx) => {
      if (ctx.event === 'after insert') ctx.newList![0].setRaw('Name', 'x');
    },
  });
  const e = dmlErr(() => db.dml('insert', [rec('Account', { Name: 'a' })], ALL));
  assert.equal(
    e.message,
    'Insert failed. First exception on row 0; first error: CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY, Account: execution of AfterInsert\n\ncaused by: System.FinalException: Record is read-only: []',
  );
  assert.equal(q(db, 'SELECT Id FROM Account').length, 0);
  const res = db.dml('insert', [rec('Account', { Name: 'a' })], PART);
  assert.equal(res[0].success, false);
});

test('savepoints: rollback restores the uncommitted-work state, release clears active savepoints, later ones become invalid', () => {
  const { db } = setup();
  const sp = db.setSavepoint();
  assert.equal(db.activeSavepoints(), 1);
  db.dml('insert', [rec('Account', { Name: 'x' })], ALL);
  const sp2 = db.setSavepoint();
  assert.equal(db.hasUncommittedWork(), true);
  db.rollback(sp);
  assert.equal(db.hasUncommittedWork(), false);
  assert.throws(() => db.rollback(sp2), /Savepoint does not exist in this context/);
  db.releaseSavepoint(sp);
  assert.equal(db.activeSavepoints(), 0);
});

test('AsyncApexJob rows are queryable', async () => {
  const { createAsyncJob, updateAsyncJob } = await import('../async-jobs.js');
  const { db } = setup();
  const id = createAsyncJob(db, { className: 'AvochatoCredentialConfirmationJob' });
  assert.equal(id.keyPrefix, '707');
  updateAsyncJob(db, id, 'Failed', 'System.CalloutException: boom');
  const [j] = q(
    db,
    'SELECT Status, JobType, NumberOfErrors, ExtendedStatus, ApexClass.Name FROM AsyncApexJob WHERE Id = :id',
    { id },
  );
  assert.deepEqual(
    [j.getRaw('Status'), j.getRaw('JobType'), j.getRaw('NumberOfErrors'), j.getRaw('ExtendedStatus')],
    ['Failed', 'Queueable', 1, 'System.CalloutException: boom'],
  );
  assert.equal((j.getRaw('ApexClass') as SObjectValue).getRaw('Name'), 'AvochatoCredentialConfirmationJob');
});

test('setCreatedDate (Test.setCreatedDate) changes CreatedDate, visible to date literals', async () => {
  const { ApexDatetime } = await import('../../core/values.js');
  const { db } = setup();
  const a = rec('Account', { Name: 'old' });
  db.dml('insert', [a], ALL);
  db.setCreatedDate(a.id!, new ApexDatetime(Date.UTC(2020, 0, 1)));
  assert.equal(q(db, 'SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS:30').length, 0);
  assert.equal(q(db, 'SELECT Id FROM Account WHERE CreatedDate < 2021-01-01T00:00:00Z').length, 1);
});

test('DML on Trigger.new itself is rejected', () => {
  const { db } = setup({
    triggers: (ctx) => {
      if (ctx.event === 'after insert') db.dml('update', ctx.newList!, ALL);
    },
  });
  const e = dmlErr(() => db.dml('insert', [rec('Account', { Name: 'a' })], ALL));
  assert.match(
    e.message,
    /CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY, Account: execution of AfterInsert\n\ncaused by: System.SObjectException: DML statement cannot operate on trigger.new or trigger.old/,
  );
});
