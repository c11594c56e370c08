import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PlatformError } from '../../core/errors.js';
import type { RunningUser } from '../../core/runtime.js';
import { ApexId, SObjectValue } from '../../core/values.js';
import { loadSchema } from '../../metadata/load-schema.js';
import { createDatabase } from '../database.js';
import { assignPermissionSet, createUsers, seedOrg } from '../seed.js';
import { FIXTURE, rec } from './helpers.js';

function world() {
  let current: RunningUser | null = null;
  let withSharing = false;
  const db = createDatabase(loadSchema(FIXTURE), { runningUser: () => current, sharingEnforced: () => withSharing });
  const seed = seedOrg(db);
  const [alice, bob, carol] = createUsers(db, [
    { username: 'alice@x.test', lastName: 'Alice', profileId: seed.standardProfileId },
    { username: 'bob@x.test', lastName: 'Bob', profileId: seed.standardProfileId },
    { username: 'carol@x.test', lastName: 'Carol', profileId: seed.standardProfileId },
  ]);
  assignPermissionSet(db, seed, alice, 'Avochato_Admin');
  assignPermissionSet(db, seed, bob, 'Avochato_User');
  const as = <T>(u: ApexId | null, fn: () => T, sharing = false): T => {
    const prev = current;
    const prevS = withSharing;
    current = u ? db.runningUserFor(u) : null;
    withSharing = sharing;
    try {
      return fn();
    } finally {
      current = prev;
      withSharing = prevS;
    }
  };
  const query = (soql: string, userMode = false) => {
    const out = db.query(soql, { userMode, bind: () => null });
    return typeof out === 'number' ? out : (out.items as SObjectValue[]);
  };
  return { db, seed, alice, bob, carol, as, query };
}

function err(fn: () => unknown): PlatformError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PlatformError) return e;
    throw e;
  }
  throw new Error('no error');
}

test('custom permissions come from assigned permission sets', () => {
  const { db, alice, bob, carol, seed } = world();
  assert.deepEqual([...db.customPermissionsFor(alice)].sort(), [
    'avochato_manage_credentials',
    'avochato_send_messages',
  ]);
  assert.deepEqual([...db.customPermissionsFor(bob)], ['avochato_send_messages']);
  assert.equal(db.customPermissionsFor(carol).size, 0);
  assert.equal(db.customPermissionsFor(seed.adminUserId).size, 0); // admins get custom permissions only by assignment too
  assert.equal(db.runningUserFor(seed.adminUserId).isAdmin, true);
  assert.equal(db.runningUserFor(alice).profileName, 'Standard User');
});

test('AccessApi: admin full access; others by permission set; FLS on custom fields', () => {
  const { db, alice, bob, carol, seed } = world();
  const admin = db.accessFor(seed.adminUserId.value);
  assert.ok(
    admin.canDelete('Avochato_API_Credential__c') &&
      admin.fieldReadable('Avochato_API_Credential__c', 'Auth_Secret__c'),
  );
  const a = db.accessFor(alice.value);
  assert.ok(a.canCreate('Avochato_API_Credential__c'));
  assert.ok(a.fieldEditable('Avochato_API_Credential__c', 'Inbox__c'));
  assert.equal(a.fieldEditable('Avochato_API_Credential__c', 'Status__c'), false);
  assert.equal(a.fieldReadable('Avochato_API_Credential__c', 'Auth_Secret__c'), false);
  assert.ok(a.fieldReadable('Avochato_API_Credential__c', 'Auth_Id__c'));
  assert.ok(a.fieldReadable('Avochato_API_Credential__c', 'Name')); // standard fields follow the object
  const b = db.accessFor(bob.value);
  assert.ok(b.canRead('Avochato_API_Credential__c') && !b.canCreate('Avochato_API_Credential__c'));
  const c = db.accessFor(carol.value);
  assert.equal(c.canRead('Avochato_API_Credential__c'), false);
  assert.ok(c.canRead('Account') && c.canCreate('Contact') && c.canRead('User') && !c.canEdit('User'));
  assert.ok(c.canRead('Avochato_Setting__mdt'));
});

test('WITH USER_MODE: object and field access errors are QueryExceptions listing inaccessible fields', () => {
  const { alice, carol, as, query } = world();
  let e = as(carol, () => err(() => query('SELECT Id FROM Avochato_API_Credential__c WITH USER_MODE')));
  assert.equal(e.typeName, 'System.QueryException');
  assert.match(e.message, /^sObject type 'Avochato_API_Credential__c' is not supported/);
  e = as(alice, () => err(() => query('SELECT Id, Auth_Secret__c FROM Avochato_API_Credential__c WITH USER_MODE')));
  assert.match(e.message, /^No such column 'Auth_Secret__c' on entity 'Avochato_API_Credential__c'/);
  assert.deepEqual(e.extra!.inaccessibleFields, { Avochato_API_Credential__c: ['Auth_Secret__c'] });
  // the WHERE clause is checked too
  e = as(alice, () => err(() => query("SELECT Id FROM Avochato_API_Credential__c WHERE Auth_Secret__c = 'x'", true)));
  assert.match(e.message, /Auth_Secret__c/);
  assert.deepEqual(
    as(alice, () => query('SELECT Id, Inbox__c FROM Avochato_API_Credential__c WITH USER_MODE')),
    [],
  );
  e = as(alice, () =>
    err(() => query('SELECT Id, Auth_Secret__c FROM Avochato_API_Credential__c WITH SECURITY_ENFORCED')),
  );
  assert.equal(e.message, 'Insufficient permissions: secure query included inaccessible field');
  // system mode: everything
  assert.deepEqual(
    as(carol, () => query('SELECT Id, Auth_Secret__c FROM Avochato_API_Credential__c')),
    [],
  );
});

test('sharing: Private objects show non-admins their own rows (or all with View All) under with sharing / user mode', () => {
  const { db, alice, bob, carol, seed, as, query } = world();
  const mk = (owner: ApexId, id: string) =>
    rec('Avochato_API_Credential__c', { User__c: owner, Auth_Id__c: id, OwnerId: owner });
  db.dml('insert', [mk(bob, 'B1'), mk(carol, 'C1'), mk(seed.adminUserId, 'A1')], { allOrNone: true, userMode: false });
  assert.equal((as(bob, () => query('SELECT Id FROM Avochato_API_Credential__c', true)) as SObjectValue[]).length, 1);
  assert.equal((as(bob, () => query('SELECT Id FROM Avochato_API_Credential__c'), true) as SObjectValue[]).length, 1); // with sharing
  assert.equal((as(bob, () => query('SELECT Id FROM Avochato_API_Credential__c')) as SObjectValue[]).length, 3); // without sharing
  assert.equal((as(alice, () => query('SELECT Id FROM Avochato_API_Credential__c', true)) as SObjectValue[]).length, 3); // View All
});

test('user-mode DML: CRUD and FLS errors per row', () => {
  const { db, alice, bob, as } = world();
  const e = as(bob, () =>
    err(() =>
      db.dml('insert', [rec('Avochato_API_Credential__c', { User__c: bob, Auth_Id__c: 'x' })], {
        allOrNone: true,
        userMode: true,
      }),
    ),
  );
  // Apex user mode without the object permission: SecurityException before any row (engine.ts checkObjectAccess).
  assert.match(e.message, /Access to entity 'Avochato_API_Credential__c' denied/);
  // The REST API answers the same request with a per-row INSUFFICIENT_ACCESS_OR_READONLY.
  const api = as(bob, () =>
    db.dml('insert', [rec('Avochato_API_Credential__c', { User__c: bob, Auth_Id__c: 'x' })], {
      allOrNone: false,
      userMode: true,
      api: true,
    }),
  );
  assert.equal(api[0].errors[0].statusCode, 'INSUFFICIENT_ACCESS_OR_READONLY');
  const res = as(alice, () =>
    db.dml('insert', [rec('Avochato_API_Credential__c', { User__c: alice, Auth_Id__c: 'y', Status__c: 'Confirmed' })], {
      allOrNone: false,
      userMode: true,
    }),
  );
  assert.equal(res[0].success, false);
  assert.equal(res[0].errors[0].statusCode, 'INVALID_FIELD_FOR_INSERT_UPDATE');
  assert.deepEqual(res[0].errors[0].fields, ['Status__c']);
  const ok = as(alice, () =>
    db.dml('insert', [rec('Avochato_API_Credential__c', { User__c: alice, Auth_Id__c: 'z', Inbox__c: 'main' })], {
      allOrNone: true,
      userMode: true,
    }),
  );
  assert.equal(ok[0].success, true);
  const rows = as(alice, () => query2(db));
  assert.equal((rows[0].getRaw('OwnerId') as ApexId).value, alice.value); // owner defaults to the running user
});

function query2(db: ReturnType<typeof createDatabase>): SObjectValue[] {
  return (
    db.query("SELECT OwnerId FROM Avochato_API_Credential__c WHERE Auth_Id__c = 'z'", {
      userMode: false,
      bind: () => null,
    }) as { items: SObjectValue[] }
  ).items;
}
