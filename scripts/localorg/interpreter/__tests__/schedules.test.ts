/**
 * Scheduled Apex outside tests (LocalOrg.runQueuedJobs, which the server's job pump calls every few seconds): a job
 * runs once its CronTrigger's NextFireTime has come, as an AsyncApexJob of JobType 'ScheduledApex', and the
 * CronTrigger counts the run and waits for the expression's next time; a schedule in the future does not run.
 * Source: Apex Developer Guide, "Apex Scheduler"; Object Reference, "CronTrigger" (TimesTriggered, PreviousFireTime,
 * NextFireTime, State).
 * Run: node --import tsx --test scripts/localorg/interpreter/__tests__/schedules.test.ts
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { LocalOrg } from '../../org.js';
import { tempProject } from './temp-project.js';

let dir = '';
let org: LocalOrg;

before(() => {
  dir = tempProject('localorg-schedules-', {
    TickJob:
      'public with sharing class TickJob implements Schedulable {\n' +
      '    public void execute(SchedulableContext ctx) {\n' +
      "        insert new Account(Name = 'tick ' + ctx.getTriggerId() + ' ' + System.isScheduled());\n" +
      '    }\n' +
      '}\n',
  });
  org = LocalOrg.load(dir);
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(source: string): string[] {
  const r = org.runAnonymous(source);
  assert.ok(r.ok, r.ok ? '' : `${r.error.typeName}: ${r.error.message}`);
  return r.debug;
}

test('a due schedule runs as a ScheduledApex job and its CronTrigger moves on', async () => {
  const [everySecond] = run("System.debug(System.schedule('tick', '* * * * * ?', new TickJob()));");
  run("System.schedule('later', '0 0 0 1 1 ? 2099', new TickJob());");
  assert.equal(org.pendingJobs(), 0, 'a schedule is not a queued job');
  await new Promise((r) => setTimeout(r, 1100));
  assert.equal(org.runQueuedJobs(), 1);
  const [name, trigger, job] = run(
    'System.debug([SELECT Name FROM Account].Name);\n' +
      "CronTrigger ct = [SELECT TimesTriggered, State, PreviousFireTime, NextFireTime FROM CronTrigger WHERE CronJobDetail.Name = 'tick'];\n" +
      "System.debug(ct.TimesTriggered + ' ' + ct.State + ' ' + (ct.PreviousFireTime < ct.NextFireTime));\n" +
      'AsyncApexJob j = [SELECT JobType, Status FROM AsyncApexJob];\n' +
      "System.debug(j.JobType + ' ' + j.Status);",
  );
  assert.equal(name, `tick ${everySecond} true`);
  assert.equal(trigger, '1 WAITING true');
  assert.equal(job, 'ScheduledApex Completed');
  assert.deepEqual(
    run("System.debug([SELECT TimesTriggered FROM CronTrigger WHERE CronJobDetail.Name = 'later'].TimesTriggered);"),
    ['0'],
  );
});
