/**
 * Saved org data (persist.ts, LocalOrg.saveData / loadData): exact round trip of every storable value kind, the
 * project org with the package's credentials (the vault key record comes back, the secret still decrypts, the file
 * never holds it in plain text), counters that continue, queued jobs, key prefixes that moved, and bad files.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Decimal from 'decimal.js';
import type { HttpTransport } from '../../core/runtime.js';
import {
  ApexBlob,
  ApexDate,
  ApexDatetime,
  ApexDecimal,
  ApexDouble,
  ApexId,
  ApexList,
  ApexTime,
  NativeInstance,
  SObjectValue,
  T,
  type ApexValue,
} from '../../core/values.js';
import { LocalOrg } from '../../org.js';
import type { LocalDatabase } from '../database.js';
import { decodeValue, encodeValue, FORMAT, ORG_FILE, orgData, saveOrgData, type OrgFile } from '../persist.js';
import { setup } from './helpers.js';

const SECRET_1 = 'persist-secret-1-Zq8Lr2Vw';
const SECRET_2 = 'persist-secret-2-Hk5Tn7Xy';

/** The Avochato API as far as confirmation needs it; remembers the secrets it was sent. */
function fakeAvochato(): HttpTransport & { secrets: string[] } {
  const secrets: string[] = [];
  return {
    secrets,
    send(req) {
      const sent = JSON.parse(req.body || '{}') as { auth_id?: string; auth_secret?: string };
      secrets.push(sent.auth_secret ?? '');
      const authId = sent.auth_id ?? '';
      return {
        status: 200,
        statusText: 'OK',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          status: 200,
          data: {
            user: { id: `usr-${authId}`, name: 'Persist Agent', email: 'agent@example.com' },
            account: { id: 'acc-persist', subdomain: 'persist-inbox', name: 'persist inbox', phone: '+14155550100' },
          },
        }),
      };
    },
  };
}

function objectXml(label: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<CustomObject xmlns="http://soap.sforce.com/2006/04/metadata">
    <deploymentStatus>Deployed</deploymentStatus>
    <label>${label}</label>
    <nameField><displayFormat>PP-{0000}</displayFormat><label>Number</label><type>AutoNumber</type></nameField>
    <pluralLabel>${label}s</pluralLabel>
    <sharingModel>ReadWrite</sharingModel>
</CustomObject>
`;
}

function fieldXml(name: string, type: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>${name}</fullName>
    <label>${name}</label>
    <type>${type}</type>${extra}
</CustomField>
`;
}

/** A package directory with one custom object of many field types. */
function probeDir(objectName: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'persist-probe-'));
  const obj = path.join(dir, 'objects', objectName);
  fs.mkdirSync(path.join(obj, 'fields'), { recursive: true });
  fs.writeFileSync(path.join(obj, `${objectName}.object-meta.xml`), objectXml('Persist Probe'));
  const fields: [string, string, string?][] = [
    ['Amount__c', 'Number', '<precision>16</precision><scale>2</scale>'],
    ['Ratio__c', 'Percent', '<precision>6</precision><scale>3</scale>'],
    ['Day__c', 'Date'],
    ['When__c', 'DateTime'],
    ['At__c', 'Time'],
    ['Flag__c', 'Checkbox', '<defaultValue>false</defaultValue>'],
    ['Note__c', 'Text', '<length>255</length>'],
    [
      'Contact__c',
      'Lookup',
      '<referenceTo>Contact</referenceTo><relationshipName>Contact</relationshipName><deleteConstraint>SetNull</deleteConstraint>',
    ],
  ];
  for (const [name, type, extra] of fields)
    fs.writeFileSync(path.join(obj, 'fields', `${name}.field-meta.xml`), fieldXml(name, type, extra ?? ''));
  return dir;
}

function run(org: LocalOrg, source: string): void {
  const r = org.runAnonymous(source);
  if (!r.ok) throw new Error(`${r.error.typeName}: ${r.error.message}\n${r.error.stackTrace}`);
}

/** The org's database (private to LocalOrg; tests look inside). */
function dbOf(org: LocalOrg): LocalDatabase {
  return (org as unknown as { database(): LocalDatabase }).database();
}

/** What the org would save, without the save time. */
function content(org: LocalOrg): Omit<OrgFile, 'savedAt'> {
  const { savedAt, ...rest } = orgData(dbOf(org), []);
  void savedAt;
  return rest;
}

function idNumber(id: string): number {
  const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  return [...id.slice(3, 15)].reduce((n, ch) => n * 62 + B62.indexOf(ch), 0);
}

/** Gives the admin the package's admin permission set (a setup object: its own transaction). */
function makeAdminManager(org: LocalOrg): void {
  run(
    org,
    `insert new PermissionSetAssignment(AssigneeId = UserInfo.getUserId(),
       PermissionSetId = [SELECT Id FROM PermissionSet WHERE Name = 'Avochato_Admin'].Id);`,
  );
}

describe('value kinds', () => {
  const roundTrip = (v: ApexValue): ApexValue =>
    decodeValue(JSON.parse(JSON.stringify(encodeValue(v, 'test'))) as never, 'test');

  test('every kind a field can hold comes back as the same kind and value', () => {
    const cases: ApexValue[] = [
      null,
      true,
      false,
      '',
      'text with "quotes", \\ and\nnew lines, é, 😀',
      0,
      -2147483648,
      2147483647,
      123456789012345678901234567890n,
      -42n,
      new ApexDouble(3.141592653589793),
      new ApexDouble(1e-300),
      new ApexDouble(-0),
      new ApexDouble(Number.NaN),
      new ApexDouble(Number.POSITIVE_INFINITY),
      new ApexDouble(Number.NEGATIVE_INFINITY),
      ApexDecimal.of('1.50'),
      ApexDecimal.of('0.000'),
      ApexDecimal.of('-12345678901234567890.123456789012345678'),
      new ApexDecimal(new Decimal('1e+40')),
      new ApexDecimal(new Decimal('-0'), 2),
      new ApexDecimal(new Decimal('2.5')),
      new ApexId('001000000000001AAA'),
      new ApexDate(2024, 2, 29),
      new ApexDate(1, 1, 1),
      new ApexDatetime(Date.UTC(2024, 1, 29, 13, 45, 30, 123)),
      new ApexDatetime(-1),
      new ApexTime(9 * 3600_000 + 30 * 60_000 + 15_250),
      new ApexBlob(Buffer.from([0, 1, 2, 253, 254, 255])),
    ];
    for (const v of cases) {
      const back = roundTrip(v);
      assert.deepStrictEqual(back, v, `round trip of ${String(v)}`);
      if (v instanceof ApexDecimal) {
        const d = back as ApexDecimal;
        assert.equal(d.scale, v.scale, 'the Decimal scale travels');
        assert.equal(d.v.toString(), v.v.toString());
        assert.equal(d.v.isNeg(), v.v.isNeg());
      }
      if (v instanceof ApexDouble) assert.ok(Object.is((back as ApexDouble).v, v.v));
    }
    assert.ok(Object.is(roundTrip(-0), -0), 'an Integer -0 stays -0');
  });

  test('any other kind stops the save with an error naming it', () => {
    assert.throws(() => encodeValue(new ApexList(T.String, ['a']), 'Account.Name of 001'), /kind List.*/);
    assert.throws(() => encodeValue(new SObjectValue('Account'), 'x'), /kind SObject Account/);
    assert.throws(() => encodeValue(new NativeInstance('System.HttpRequest', {}), 'x'), /native System\.HttpRequest/);
    assert.throws(() => encodeValue(undefined as unknown as ApexValue, 'x'), /kind undefined/);
    assert.throws(() => encodeValue(new ApexDatetime(Number.NaN), 'x'), /Datetime holding NaN/);

    const { db } = setup();
    const def = db.schema.getObject('Account')!;
    const id = db.insertDirect('Account', { Name: 'Odd' });
    const row = db.store.get(def, id.value)!;
    const values = new Map(row.values);
    values.set('description', new ApexList(T.String, []));
    db.store.put(db.store.table(def), { ...row, values });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'persist-odd-'));
    try {
      assert.throws(
        () => saveOrgData(db, dir),
        (e: Error) =>
          e.message ===
          `cannot save Account.description of ${id.value}: a value of kind List (not a storable field value)`,
      );
      assert.ok(!fs.existsSync(path.join(dir, ORG_FILE)), 'nothing written');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the project org', () => {
  const dirs: string[] = [];
  const tmp = (p: string) => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), p));
    dirs.push(d);
    return d;
  };
  let probe = '';
  let saved = '';
  let orgA: LocalOrg;
  let httpA: ReturnType<typeof fakeAvochato>;
  let ids: { cred1: string; cred2: string; probe: string; deleted: string; contact: string; message: string };

  before(() => {
    probe = probeDir('Persist_Probe__c');
    dirs.push(probe);
    saved = path.join(tmp('persist-data-'), 'nested', 'org');
    httpA = fakeAvochato();
    orgA = LocalOrg.load(process.cwd(), { extraSourceDirs: [probe], http: httpA });
    makeAdminManager(orgA);
    run(orgA, `insert new PermissionSet(Name = 'Runtime_PS', Label = 'Created by Apex');`);
    // The first credential is confirmed here; the second's confirmation job is still queued when the org is saved.
    run(orgA, `AvochatoCredentials.create(UserInfo.getUserId(), 'PERSIST1', '${SECRET_1}', null, true);`);
    assert.equal(orgA.runQueuedJobs({ includeDelayed: true }), 1);
    run(orgA, `AvochatoCredentials.create(UserInfo.getUserId(), 'PERSIST2', '${SECRET_2}', 'second-inbox', false);`);
    assert.equal(orgA.pendingJobs(), 1);
    run(
      orgA,
      `Contact c = new Contact(LastName = 'Lovelace', Birthdate = Date.newInstance(1815, 12, 10));
       insert c;
       List<Persist_Probe__c> ps = new List<Persist_Probe__c>{
         new Persist_Probe__c(Amount__c = 1234.50, Ratio__c = 12.125, Day__c = Date.newInstance(2024, 2, 29),
           When__c = Datetime.newInstanceGmt(2024, 2, 29, 13, 45, 30), At__c = Time.newInstance(9, 30, 15, 250),
           Flag__c = true, Note__c = 'héllo "quoted"', Contact__c = c.Id),
         new Persist_Probe__c(Amount__c = 7, Note__c = 'to the recycle bin')
       };
       insert ps;
       delete ps[1];
       insert new Avochato_Message__c(Body__c = 'hello', Phone__c = '+14155550101', Status__c = 'Queued');`,
    );
    const one = (soql: string) => (orgA.query(soql)[0].getRaw('Id') as ApexId).value;
    ids = {
      cred1: one(`SELECT Id FROM Avochato_API_Credential__c WHERE Auth_Id__c = 'PERSIST1'`),
      cred2: one(`SELECT Id FROM Avochato_API_Credential__c WHERE Auth_Id__c = 'PERSIST2'`),
      probe: one(`SELECT Id FROM Persist_Probe__c`),
      deleted: '',
      contact: one(`SELECT Id FROM Contact`),
      message: one(`SELECT Id FROM Avochato_Message__c`),
    };
    const t = dbOf(orgA).store.tableIfExists('Persist_Probe__c')!;
    ids.deleted = [...t.rows.values()].find((r) => r.deleted)!.id;
    orgA.saveData(saved);
  });
  after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  test('the file: created with its folder, mode 0600, a format version, no plain-text secret, no leftovers', () => {
    const file = path.join(saved, ORG_FILE);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(fs.readdirSync(saved), [ORG_FILE], 'the temporary file was renamed');
    const text = fs.readFileSync(file, 'utf8');
    const data = JSON.parse(text) as OrgFile;
    assert.equal(data.format, FORMAT);
    for (const s of [SECRET_1, SECRET_2]) {
      assert.ok(!text.includes(s), 'the secret is not in the file');
      assert.ok(!text.includes(Buffer.from(s).toString('base64')), 'nor its base64');
    }
    const objects = data.tables.map((t) => t.object);
    for (const o of [
      'User',
      'PermissionSetAssignment',
      'Avochato_Vault_Key__c',
      'Avochato_API_Credential__c',
      'AsyncApexJob',
      'Persist_Probe__c',
    ])
      assert.ok(objects.includes(o), `${o} is saved`);
    assert.equal(data.jobs.length, 1);
    assert.equal(data.jobs[0].className, 'AvochatoCredentialConfirmationJob');
    assert.ok(data.jobs[0].state, 'the queued job was saved');
  });

  test('a fresh org loads the same rows, values, counters and queue; new Ids come after the saved ones', () => {
    const httpB = fakeAvochato();
    const orgB = LocalOrg.load(process.cwd(), { extraSourceDirs: [probe], http: httpB });
    assert.equal(orgB.orgId.value, orgA.orgId.value, 'seeding is deterministic');
    const report = orgB.loadDataReport(saved)!;
    assert.equal(report.remappedIds, 0);
    assert.deepEqual(report.droppedObjects, []);
    assert.equal(report.abortedJobs, 0);
    assert.deepStrictEqual(content(orgB), content(orgA), 'every row, value and counter');
    assert.equal(dbOf(orgB).store.historyLength, 0, 'no undo history reaches before the load');
    assert.equal(orgB.pendingJobs(), 1, 'the queued confirmation job is back');
    assert.equal(orgB.query(`SELECT Id FROM PermissionSet WHERE Name = 'Runtime_PS'`).length, 1, 'Apex-made rows too');

    const [p] = orgB.query(
      `SELECT Amount__c, Ratio__c, Day__c, When__c, At__c, Flag__c, Note__c, Contact__c, Contact__r.Birthdate, Name
       FROM Persist_Probe__c`,
    );
    const amount = p.getRaw('Amount__c') as ApexDecimal;
    assert.ok(amount instanceof ApexDecimal);
    assert.equal(amount.v.toString(), '1234.5');
    assert.equal(amount.scale, 2, 'Decimal scale');
    assert.equal((p.getRaw('Ratio__c') as ApexDecimal).v.toString(), '12.125');
    assert.deepStrictEqual(p.getRaw('Day__c'), new ApexDate(2024, 2, 29));
    assert.deepStrictEqual(p.getRaw('When__c'), new ApexDatetime(Date.UTC(2024, 1, 29, 13, 45, 30)));
    assert.deepStrictEqual(p.getRaw('At__c'), new ApexTime(((9 * 60 + 30) * 60 + 15) * 1000 + 250));
    assert.equal(p.getRaw('Flag__c'), true);
    assert.equal(p.getRaw('Note__c'), 'héllo "quoted"');
    assert.deepStrictEqual(p.getRaw('Contact__c'), new ApexId(ids.contact));
    assert.deepStrictEqual((p.getRaw('Contact__r') as SObjectValue).getRaw('Birthdate'), new ApexDate(1815, 12, 10));
    assert.equal(p.getRaw('Name'), 'PP-0001');

    // The recycle bin came back too: undelete works.
    run(orgB, `undelete new Persist_Probe__c(Id = '${ids.deleted}');`);
    assert.equal(orgB.query('SELECT Id FROM Persist_Probe__c').length, 2);

    // New records: Ids after every saved one, auto-numbers continue.
    run(
      orgB,
      `insert new Persist_Probe__c(Note__c = 'new');
       insert new Avochato_Message__c(Body__c = 'again', Phone__c = '+14155550102', Status__c = 'Queued');`,
    );
    const file = JSON.parse(fs.readFileSync(path.join(saved, ORG_FILE), 'utf8')) as OrgFile;
    const savedIds = new Set(file.tables.flatMap((t) => t.rows.map((r) => r.id)));
    const [fresh] = orgB.query(`SELECT Id, Name FROM Persist_Probe__c WHERE Note__c = 'new'`);
    const freshId = String((fresh.getRaw('Id') as ApexId).value);
    assert.ok(!savedIds.has(freshId));
    assert.ok(idNumber(freshId) > file.counters.ids, 'past the saved Id counter');
    assert.equal(fresh.getRaw('Name'), 'PP-0003', 'the auto-number continues');
    const names = orgB.query('SELECT Name FROM Avochato_Message__c ORDER BY Name').map((m) => m.getRaw('Name'));
    assert.equal(new Set(names).size, 2, `message numbers do not repeat: ${names.join(', ')}`);

    // The queued job runs in the new org: it decrypts the saved secret with the saved key.
    assert.equal(orgB.runQueuedJobs({ includeDelayed: true }), 1);
    assert.deepEqual(httpB.secrets, [SECRET_2]);
    const [c2] = orgB.query(`SELECT Status__c FROM Avochato_API_Credential__c WHERE Id = '${ids.cred2}'`);
    assert.equal(c2.getRaw('Status__c'), 'Confirmed');
    // And the package's API confirms the other one again (a new job, as the admin).
    run(orgB, `AvochatoCredentials.confirm(new Set<Id>{ '${ids.cred1}' });`);
    assert.equal(orgB.runQueuedJobs({ includeDelayed: true }), 1);
    assert.deepEqual(httpB.secrets, [SECRET_2, SECRET_1]);
    const [job] = orgB.query(`SELECT Status FROM AsyncApexJob ORDER BY CreatedDate DESC LIMIT 1`);
    assert.equal(job.getRaw('Status'), 'Completed');
  });

  test('loading replaces the data the org had, keeping the metadata rows', () => {
    const orgC = LocalOrg.load(process.cwd(), { extraSourceDirs: [probe], http: fakeAvochato() });
    run(orgC, `insert new Account(Name = 'Only in C');`);
    makeAdminManager(orgC);
    run(orgC, `insert new PermissionSet(Name = 'Runtime_Only', Label = 'Runtime Only');`);
    assert.equal(orgC.loadData(saved), true);
    assert.deepEqual(orgC.query(`SELECT Id FROM Account`), []);
    assert.deepEqual(orgC.query(`SELECT Id FROM PermissionSet WHERE Name = 'Runtime_Only'`), []);
    assert.deepStrictEqual(content(orgC), content(orgA));
  });

  test('a moved key prefix and a removed object: Ids follow, the secret still decrypts', () => {
    // 'Aaa_Shift__c' sorts first: every custom object of the project gets the next key prefix in this org.
    const shift = probeDir('Aaa_Shift__c');
    dirs.push(shift);
    const data = path.join(tmp('persist-shift-'), 'org');
    const orgS = LocalOrg.load(process.cwd(), { extraSourceDirs: [shift], http: fakeAvochato() });
    makeAdminManager(orgS);
    run(orgS, `AvochatoCredentials.create(UserInfo.getUserId(), 'SHIFTED', '${SECRET_1}', null, true);`);
    run(orgS, `insert new Aaa_Shift__c(Note__c = 'gone next time');`);
    const [before] = orgS.query(`SELECT Id FROM Avochato_API_Credential__c`);
    const oldId = (before.getRaw('Id') as ApexId).value;
    orgS.saveData(data);

    const http = fakeAvochato();
    const orgP = LocalOrg.load(process.cwd(), { http });
    const report = orgP.loadDataReport(data)!;
    assert.deepEqual(report.droppedObjects, ['Aaa_Shift__c (1 rows)']);
    assert.ok(report.remappedIds > 0);
    const [after] = orgP.query(`SELECT Id, Auth_Id__c, User__c FROM Avochato_API_Credential__c`);
    const newId = (after.getRaw('Id') as ApexId).value;
    const credPrefix = orgP.schema.getObject('Avochato_API_Credential__c')!.keyPrefix;
    assert.equal(newId.slice(0, 3), credPrefix);
    assert.notEqual(oldId.slice(0, 3), credPrefix);
    assert.equal(newId.slice(3, 15), oldId.slice(3, 15), 'same record number, new prefix');
    assert.equal(orgP.pendingJobs(), 1, 'the queued job comes back with the new Id in its state');
    assert.equal(orgP.runQueuedJobs({ includeDelayed: true }), 1);
    assert.deepEqual(http.secrets, [SECRET_1]);
    const [confirmed] = orgP.query(`SELECT Status__c FROM Avochato_API_Credential__c WHERE Id = '${newId}'`);
    assert.equal(confirmed.getRaw('Status__c'), 'Confirmed');
  });

  test('permission sets added to or removed from metadata: assignments follow by name, orphans are dropped', () => {
    // A permission set and a custom permission only in this org's metadata: the seeded rows after them move.
    const extra = tmp('persist-perms-');
    fs.mkdirSync(path.join(extra, 'permissionsets'));
    fs.mkdirSync(path.join(extra, 'customPermissions'));
    fs.writeFileSync(
      path.join(extra, 'customPermissions', 'Aaa_Probe_Perm.customPermission-meta.xml'),
      `<?xml version="1.0" encoding="UTF-8"?>
<CustomPermission xmlns="http://soap.sforce.com/2006/04/metadata"><label>Probe</label></CustomPermission>
`,
    );
    fs.writeFileSync(
      path.join(extra, 'permissionsets', 'Aaa_Probe.permissionset-meta.xml'),
      `<?xml version="1.0" encoding="UTF-8"?>
<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">
    <customPermissions><enabled>true</enabled><name>Aaa_Probe_Perm</name></customPermissions>
    <label>Probe</label>
</PermissionSet>
`,
    );
    const data = path.join(tmp('persist-perms-data-'), 'org');
    const orgX = LocalOrg.load(process.cwd(), { extraSourceDirs: [extra], http: fakeAvochato() });
    makeAdminManager(orgX);
    run(
      orgX,
      `insert new PermissionSetAssignment(AssigneeId = UserInfo.getUserId(),
         PermissionSetId = [SELECT Id FROM PermissionSet WHERE Name = 'Aaa_Probe'].Id);`,
    );
    run(orgX, `AvochatoCredentials.create(UserInfo.getUserId(), 'PERMS', '${SECRET_1}', null, true);`);
    orgX.saveData(data);

    const http = fakeAvochato();
    const orgP = LocalOrg.load(process.cwd(), { http });
    const report = orgP.loadDataReport(data)!;
    assert.ok(
      report.remappedIds > 0,
      'custom permissions, grants and custom metadata rows were seeded under other Ids',
    );
    // Aaa_Probe, Aaa_Probe_Perm, their grant, and the admin's assignment to Aaa_Probe.
    assert.equal(report.droppedRows, 4);
    const assigned = orgP
      .query(`SELECT PermissionSet.Name FROM PermissionSetAssignment WHERE AssigneeId = '${orgP.adminUserId.value}'`)
      .map((a) => (a.getRaw('PermissionSet') as SObjectValue).getRaw('Name'));
    assert.deepEqual(assigned, ['Avochato_Admin']);
    // The admin still holds the package's custom permissions (Manage Credentials: setActive), settings still read.
    const [cred] = orgP.query(`SELECT Id FROM Avochato_API_Credential__c`);
    run(orgP, `AvochatoCredentials.setActive('${(cred.getRaw('Id') as ApexId).value}', false);`);
    assert.equal(orgP.runQueuedJobs({ includeDelayed: true }), 1);
    assert.deepEqual(http.secrets, [SECRET_1]);

    // The other way: the plain org's data into an org whose metadata has one more permission set.
    const back = path.join(tmp('persist-perms-back-'), 'org');
    orgP.saveData(back);
    const orgY = LocalOrg.load(process.cwd(), { extraSourceDirs: [extra] });
    const r2 = orgY.loadDataReport(back)!;
    assert.equal(r2.droppedRows, 0);
    assert.equal(orgY.query(`SELECT Id FROM PermissionSet WHERE Name = 'Aaa_Probe'`).length, 1, 'the new one is there');
    run(orgY, `AvochatoCredentials.setActive('${(cred.getRaw('Id') as ApexId).value}', true);`);
  });

  test('test runs after a load do not roll back into the loaded data', () => {
    const org = LocalOrg.load(process.cwd(), { extraSourceDirs: [probe] });
    assert.ok(org.loadData(saved));
    const [first] = org.listTests();
    const result = org.runTest(first.className, first.methods[0]);
    assert.equal(result.outcome, 'Pass', String(result.message));
    // A test method sees none of the org's data; the next call outside tests (here a query) leaves test mode.
    org.query('SELECT Id FROM Organization');
    assert.deepStrictEqual(content(org), content(orgA), 'the loaded data is back after the test');
  });

  test('a missing file: false, nothing changes', () => {
    const org = LocalOrg.load(process.cwd());
    const before = content(org);
    assert.equal(org.loadData(path.join(tmp('persist-none-'), 'absent')), false);
    assert.deepStrictEqual(content(org), before);
  });

  test('a corrupt file or another format: one clear line, the org unchanged', () => {
    const org = LocalOrg.load(process.cwd());
    const before = content(org);
    const good = fs.readFileSync(path.join(saved, ORG_FILE), 'utf8');
    const cases: [string, RegExp][] = [
      [good.slice(0, good.length / 2), /org\.json is corrupt \(not valid JSON: .+\)$/],
      ['', /org\.json is corrupt \(not valid JSON/],
      ['{"hello":1}', /org\.json is not a saved local org$/],
      [
        JSON.stringify({ ...JSON.parse(good), format: 99 }),
        /org\.json was saved in format 99; this local org reads format 1 only/,
      ],
      [
        JSON.stringify({ ...JSON.parse(good), tables: [{ object: 'Account' }] }),
        /org\.json is corrupt \(its structure/,
      ],
      [
        good.replace('"Lovelace"', '["X",1]'),
        /org\.json cannot be loaded: Contact\.\w+ of 003\w{15}: unknown value tag "X"$/,
      ],
    ];
    for (const [text, re] of cases) {
      const dir = tmp('persist-bad-');
      fs.writeFileSync(path.join(dir, ORG_FILE), text);
      assert.throws(
        () => org.loadData(dir),
        (e: Error) => re.test(e.message) && !e.message.includes('\n'),
        `for ${text.slice(0, 40)}`,
      );
    }
    assert.deepStrictEqual(content(org), before, 'the org is unchanged');
  });
});
