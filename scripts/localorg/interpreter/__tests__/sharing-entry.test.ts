/**
 * Sharing rules of entry points the conformance programs cannot observe (they run anonymous Apex as the admin, who sees
 * every record): anonymous Apex run as another user enforces that user's sharing, classes without a keyword called from
 * it inherit it, 'without sharing' classes and triggers do not. Uses the conformance support code (Conf_Private__c has
 * a Private org-wide default). Source: Apex Developer Guide, "Use the with sharing, without sharing, and inherited
 * sharing Keywords" ("Apex code that is executed with the executeAnonymous call ... always execute using the sharing
 * rules of the current user").
 * Run: node --import tsx --test scripts/localorg/interpreter/__tests__/sharing-entry.test.ts
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, test } from 'node:test';
import { ApexId } from '../../core/values.js';
import { LocalOrg } from '../../org.js';

const here = path.dirname(fileURLToPath(import.meta.url));
let org: LocalOrg;
let userId: ApexId;

function run(src: string, asUserId?: ApexId): string[] {
  const r = org.runAnonymous(src, { asUserId });
  if (!r.ok) assert.fail(`${r.error.typeName}: ${r.error.message}`);
  return r.debug;
}

before(() => {
  org = LocalOrg.load(path.join(here, '..', '..', 'conformance', 'empty-project'));
  const [id] = run(`
    Profile p = [SELECT Id FROM Profile WHERE Name = 'Standard User'];
    User u = new User(Alias = 'shr', Email = 'shr@example.com', EmailEncodingKey = 'UTF-8', LastName = 'Shr',
        LanguageLocaleKey = 'en_US', LocaleSidKey = 'en_US', ProfileId = p.Id,
        TimeZoneSidKey = 'America/Los_Angeles', Username = 'shr.entry@example.com');
    insert u;
    System.debug(u.Id);`);
  userId = new ApexId(id);
  run("insert new List<Conf_Private__c>{ new Conf_Private__c(Name = 'a1'), new Conf_Private__c(Name = 'a2') };");
  run("insert new Conf_Private__c(Name = 'own');", userId);
});

test('anonymous Apex runs with the sharing of the user it runs as', () => {
  assert.deepEqual(run('System.debug([SELECT COUNT() FROM Conf_Private__c]);'), ['3']);
  assert.deepEqual(run('System.debug([SELECT COUNT() FROM Conf_Private__c]);', userId), ['1']);
});

test('classes without a keyword inherit it, without sharing classes and triggers do not', () => {
  assert.deepEqual(
    run(
      `System.debug(new ConfSharing.None().count());
       System.debug(new ConfSharing.Inherited().count());
       System.debug(new ConfSharing.Without().count());
       Conf_Private__c r = new Conf_Private__c(Name = 'count');
       insert r;
       System.debug([SELECT Seen__c FROM Conf_Private__c WHERE Id = :r.Id].Seen__c);`,
      userId,
    ),
    ['1', '1', '3', '3'],
  );
});
