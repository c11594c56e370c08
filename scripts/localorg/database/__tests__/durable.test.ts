/**
 * Durable saved data (durable.ts, LocalOrg.openData): every committed transaction is in DIR's journal when the call
 * that made it returns, so a second org opening DIR (as after a crash: nothing saved on exit) has it all, queued jobs
 * included; a torn last record is dropped whole; a bad record in the middle stops the load; compaction.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LocalOrg } from '../../org.js';
import { journalFile, readJournal } from '../durable.js';
import { ORG_FILE } from '../persist.js';

const JOB = `public with sharing class DurableProbeJob implements Queueable {
    public String name;
    public DurableProbeJob(String name) { this.name = name; }
    public void execute(QueueableContext context) { insert new Account(Name = name); }
}
`;
const META = `<?xml version="1.0" encoding="UTF-8"?>
<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata"><apiVersion>62.0</apiVersion><status>Active</status></ApexClass>
`;

function run(org: LocalOrg, source: string): void {
  const r = org.runAnonymous(source);
  if (!r.ok) throw new Error(`${r.error.typeName}: ${r.error.message}`);
}

function accounts(org: LocalOrg): string[] {
  return org.query("SELECT Name FROM Account WHERE Name LIKE 'D-%' ORDER BY Name").map((r) => String(r.getRaw('Name')));
}

/** The Id's counter part (base 62, case-sensitive), comparable as a string of equal length. */
function idOf(org: LocalOrg, name: string): string {
  const r = org.query(`SELECT Id FROM Account WHERE Name = '${name}'`)[0];
  return (r.getRaw('Id') as { value: string }).value.slice(3, 15);
}

function journalOf(dir: string): string {
  const gen = (JSON.parse(fs.readFileSync(path.join(dir, ORG_FILE), 'utf8')) as { journal: number }).journal;
  return journalFile(dir, gen);
}

describe('durable data', () => {
  let tmp = '';
  let dir = '';
  let orgA: LocalOrg;
  let orgB: LocalOrg;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'durable-'));
    const probe = path.join(tmp, 'probe');
    fs.mkdirSync(path.join(probe, 'classes'), { recursive: true });
    fs.writeFileSync(path.join(probe, 'classes', 'DurableProbeJob.cls'), JOB);
    fs.writeFileSync(path.join(probe, 'classes', 'DurableProbeJob.cls-meta.xml'), META);
    dir = path.join(tmp, 'data');
    orgA = LocalOrg.load(process.cwd(), { extraSourceDirs: [probe] });
    orgB = LocalOrg.load(process.cwd(), { extraSourceDirs: [probe] });
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('each committed transaction is on disk when the call returns: another org opening DIR has them all', () => {
    assert.equal(orgA.openData(dir).load, null, 'a new DIR holds no org');
    run(orgA, `insert new Account(Name = 'D-seeded');`);
    assert.equal(fs.existsSync(dir), false, 'nothing is written before the first snapshot');
    orgA.checkpointData();
    run(
      orgA,
      `insert new List<Account>{ new Account(Name = 'D-1'), new Account(Name = 'D-2'), new Account(Name = 'D-3') };`,
    );
    run(orgA, `Account a = [SELECT Id FROM Account WHERE Name = 'D-1']; a.Name = 'D-1b'; update a;`);
    run(orgA, `delete [SELECT Id FROM Account WHERE Name = 'D-2'];`);
    run(orgA, `System.enqueueJob(new DurableProbeJob('D-from-job'));`);
    // A failed transaction is rolled back and leaves nothing behind.
    assert.equal(orgA.runAnonymous(`insert new Account(Name = 'D-rolled-back'); Integer x = 1 / 0;`).ok, false);

    // orgA is neither closed nor saved: as if the process had been killed here.
    const r = orgB.openData(dir);
    assert.equal(r.replayed, orgA.dataJournal()!.records, 'every record orgA wrote');
    assert.ok(r.replayed >= 5);
    assert.equal(r.tornBytes, 0);
    assert.deepEqual(accounts(orgB), ['D-1b', 'D-3', 'D-seeded']);
    assert.deepEqual(accounts(orgB), accounts(orgA));
    assert.equal(orgB.pendingJobs(), 1, 'the queued job came back');
    // Ids continue after every Id orgA handed out (the counters are journalled too).
    run(orgA, `insert new Account(Name = 'D-only-in-a');`);
    const takenByA = idOf(orgA, 'D-only-in-a');
    run(orgA, `delete [SELECT Id FROM Account WHERE Name = 'D-only-in-a'];`);
    orgB.openData(dir);
    run(orgB, `insert new Account(Name = 'D-4');`);
    assert.ok(idOf(orgB, 'D-4') > takenByA, 'a new Id comes after the saved ones');
    assert.equal(orgB.runQueuedJobs({ includeDelayed: true }), 1);
    assert.deepEqual(accounts(orgB), ['D-1b', 'D-3', 'D-4', 'D-from-job', 'D-seeded']);
    for (const f of fs.readdirSync(dir)) assert.equal(fs.statSync(path.join(dir, f)).mode & 0o777, 0o600, f);
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
  });

  test('a torn last record is dropped whole and cut off the file; commits continue after it', () => {
    const file = journalOf(dir);
    const before = readJournal(file)!;
    const size = fs.statSync(file).size;
    // The job's record (its Account and its Completed status) was the last; cut it in the middle.
    fs.truncateSync(file, size - 40);
    const r = orgA.openData(dir);
    assert.ok(r.tornBytes > 0);
    assert.equal(r.replayed, before.records.length - 1);
    assert.deepEqual(accounts(orgA), ['D-1b', 'D-3', 'D-4', 'D-seeded'], 'no half of the torn transaction');
    assert.equal(orgA.pendingJobs(), 1, 'the job whose completion was torn off is queued again');
    assert.equal(fs.statSync(file).size, readJournal(file)!.goodBytes, 'the torn tail is cut off');
    run(orgA, `insert new Account(Name = 'D-after-torn');`);
    const again = orgB.openData(dir);
    assert.equal(again.tornBytes, 0);
    assert.deepEqual(accounts(orgB), ['D-1b', 'D-3', 'D-4', 'D-after-torn', 'D-seeded']);
  });

  test('a bad record followed by good ones is corruption: one line, the org unchanged', () => {
    const file = journalOf(dir);
    const good = fs.readFileSync(file);
    const bad = Buffer.from(good);
    bad[20] = bad[20] === 0x41 ? 0x42 : 0x41;
    fs.writeFileSync(file, bad);
    try {
      assert.throws(() => orgB.openData(dir), /org\.\d+\.journal is corrupt: the record at byte 0 fails its checksum/);
      assert.deepEqual(accounts(orgB), ['D-1b', 'D-3', 'D-4', 'D-after-torn', 'D-seeded']);
    } finally {
      fs.writeFileSync(file, good);
    }
  });

  test('compaction: a new snapshot, an empty journal, the old journal gone, the same org', () => {
    orgA.openData(dir);
    const old = journalOf(dir);
    orgA.checkpointData();
    const now = journalOf(dir);
    assert.notEqual(now, old);
    assert.equal(fs.existsSync(old), false);
    assert.equal(fs.statSync(now).size, 0);
    const r = orgB.openData(dir);
    assert.equal(r.replayed, 0);
    assert.deepEqual(accounts(orgB), accounts(orgA));
    assert.equal(orgB.pendingJobs(), 1);
    orgA.closeData();
    orgB.closeData();
  });
});
