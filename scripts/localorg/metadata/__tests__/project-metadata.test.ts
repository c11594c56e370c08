/**
 * Loads the project's own metadata (force-app) and checks the data-model contract of force-app/README.md §2 as the
 * local org sees it: if this fails, either the metadata or the loader drifted from the contract.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSchema } from '../load-schema.js';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '../../../..');

test(
  'the project metadata loads and matches the data-model contract',
  { skip: !existsSync(join(ROOT, 'force-app')) },
  () => {
    const s = loadSchema(ROOT);
    const c = s.getObject('Avochato_API_Credential__c');
    assert.ok(c, 'Avochato_API_Credential__c');
    const f = (n: string) => {
      const x = c.fields.get(n.toLowerCase());
      assert.ok(x, n);
      return x;
    };
    assert.equal(f('Name').type, 'autonumber');
    assert.deepEqual(
      [f('User__c').type, f('User__c').referenceTo, f('User__c').required],
      ['reference', ['User'], true],
    );
    const auth = f('Auth_Id__c');
    assert.deepEqual(
      [auth.type, auth.length, auth.externalId, auth.unique, auth.caseSensitive, auth.required],
      ['string', 80, true, true, true, true],
    );
    assert.ok(f('Auth_Secret__c'));
    assert.equal(f('Inbox__c').length, 255);
    assert.equal(f('Is_Default__c').type, 'boolean');
    assert.equal(f('Is_Active__c').defaultValue, true);
    const status = f('Status__c');
    assert.equal(status.defaultValue, 'Pending');
    assert.deepEqual(
      status.picklistValues!.map((v) => v.value),
      ['Pending', 'Confirmed', 'Failed'],
    );
    assert.equal(f('Status_Message__c').length, 255);
    assert.equal(f('Confirmed_At__c').type, 'datetime');
    assert.ok(f('Confirm_Attempts__c'));
    const mdt = s.getObject('Avochato_Setting__mdt');
    assert.ok(mdt && mdt.kind === 'customMetadata');
    assert.ok(s.customMetadataRecords('Avochato_Setting__mdt').some((r) => r.developerName === 'Default'));
    assert.ok(
      s
        .allObjects()
        .some((o) => o.kind === 'customSetting' && o.customSettingType === 'Hierarchy' && o.visibility === 'Protected'),
    );
    for (const cp of ['Avochato_Manage_Credentials', 'Avochato_Send_Messages', 'Avochato_Sync_Credentials'])
      assert.ok(s.customPermissionInfo(cp), cp);
    for (const ps of ['Avochato_Admin', 'Avochato_User', 'Avochato_Integration']) assert.ok(s.getPermissionSet(ps), ps);
    // "no permission set grants read access to the secret field"
    for (const ps of s.allPermissionSets())
      assert.equal(ps.fields.get('avochato_api_credential__c.auth_secret__c')?.read ?? false, false, ps.name);
  },
);
