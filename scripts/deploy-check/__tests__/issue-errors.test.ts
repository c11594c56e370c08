/**
 * The three deploy errors of issue #9, each rejected by `npm run deploy:check` with the file named: Modify All
 * without Delete in a permission set, the tab motif `Custom25: Mail`, and `iconName='slds:standard:lock'`.
 * Also: the command's output format and exit codes, and the apex-ls rule.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { base, fixture, removeFixtures, run, SRC } from './helpers.js';

const XML = '<?xml version="1.0" encoding="UTF-8"?>\n';
const cli = path.resolve(import.meta.dirname, '..', 'cli.ts');
const tsx = path.resolve(import.meta.dirname, '..', '..', '..', 'node_modules', '.bin', 'tsx');

const INTEGRATION_PS = `${SRC}/permissionsets/Avochato_Integration.permissionset-meta.xml`;
const integrationPermissionSet = `${XML}<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">
    <hasActivationRequired>false</hasActivationRequired>
    <label>Avochato Integration</label>
    <objectPermissions>
        <allowCreate>true</allowCreate>
        <allowDelete>false</allowDelete>
        <allowEdit>true</allowEdit>
        <allowRead>true</allowRead>
        <modifyAllRecords>true</modifyAllRecords>
        <object>Widget__c</object>
        <viewAllRecords>true</viewAllRecords>
    </objectPermissions>
</PermissionSet>
`;
const ACTION = `${SRC}/classes/GetAvochatoCredentialAction.cls`;
const action = `public with sharing class GetAvochatoCredentialAction {
    @InvocableMethod(
        label='Get Avochato Credential'
        category='Avochato'
        iconName='slds:standard:lock'
    )
    public static List<String> getCredential(List<String> requests) {
        return requests;
    }
}
`;
const TAB = `${SRC}/tabs/Widget__c.tab-meta.xml`;

const actionFiles = [
  { file: ACTION, write: action },
  {
    file: `${ACTION}-meta.xml`,
    write: `${XML}<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>62.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n`,
  },
];
const withAllThree = () =>
  fixture([
    { file: INTEGRATION_PS, write: integrationPermissionSet },
    { file: TAB, replace: 'Custom23: Envelope', with: 'Custom25: Mail' },
    ...actionFiles,
  ]);

describe('issue #9: the three errors a deploy reported', () => {
  after(removeFixtures);
  test('Modify All without Delete is rejected, naming the permission set file', async () => {
    assert.deepEqual(await run(base(), 'permissions/object-dependencies'), []);
    assert.deepEqual(
      await run(
        fixture([{ file: INTEGRATION_PS, write: integrationPermissionSet }]),
        'permissions/object-dependencies',
      ),
      [
        `${INTEGRATION_PS}:10: Widget__c: Permission Modify All Records depends on permission(s): Delete [permissions/object-dependencies]`,
      ],
    );
  });

  test('the tab motif Custom25: Mail is rejected, naming the tab file; Custom23: Envelope passes', async () => {
    assert.deepEqual(await run(base(), 'icons/tab-motif'), []);
    assert.deepEqual(
      await run(fixture([{ file: TAB, replace: 'Custom23: Envelope', with: 'Custom25: Mail' }]), 'icons/tab-motif'),
      [`${TAB}:4: Invalid tab style (motif) 'Custom25: Mail' (Custom25 is "Alarm clock") [icons/tab-motif]`],
    );
  });

  test("iconName='slds:standard:lock' is rejected, naming the class; slds:standard:password passes", async () => {
    assert.deepEqual(await run(base(), 'icons/slds-icon'), []);
    assert.deepEqual(await run(fixture(actionFiles), 'icons/slds-icon'), [
      `${ACTION}:5: iconName 'slds:standard:lock' is not a Lightning Design System icon [icons/slds-icon]`,
    ]);
  });

  test('npm run deploy:check -- --project-dir DIR prints path:line: message for each and exits 1', () => {
    const dir = withAllThree();
    const r = spawnSync(tsx, [cli, '--project-dir', dir, '--no-apex'], { encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines.at(-1)!, /: \d+ rules, 3 problems/);
    assert.ok(
      lines.some((l) => l.startsWith(`${ACTION}:5: iconName 'slds:standard:lock'`)),
      r.stdout,
    );
    assert.ok(
      lines.some((l) => l.startsWith(`${INTEGRATION_PS}:10: `)),
      r.stdout,
    );
    assert.ok(
      lines.some((l) => l.startsWith(`${TAB}:4: Invalid tab style`)),
      r.stdout,
    );
  });

  test('a project with no problem exits 0', () => {
    const r = spawnSync(tsx, [cli, '--project-dir', base(), '--no-apex'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /: \d+ rules, 0 problems/);
  });

  test('a directory that is not an SFDX project is a clear error (exit 2)', () => {
    const r = spawnSync(tsx, [cli, '--project-dir', path.join(base(), 'force-app'), '--no-apex'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /sfdx-project\.json not found: not an SFDX project/);
  });
});

describe('apex/apex-ls', () => {
  after(removeFixtures);
  test('the base fixture compiles; an unknown type is reported at its line', async () => {
    assert.deepEqual(await run(base(), 'apex/apex-ls', true), []);
    const dir = fixture([
      {
        file: `${SRC}/classes/WidgetAction.cls`,
        replace: 'counts.add(',
        with: 'Gadget g = new Gadget();\n            counts.add(',
      },
    ]);
    const problems = await run(dir, 'apex/apex-ls', true);
    assert.ok(
      problems.some((p) => p.startsWith(`${SRC}/classes/WidgetAction.cls:6: `) && /Gadget/.test(p)),
      problems.join('\n'),
    );
  });

  test('DataWeaveScriptResource.<script> is accepted only when the project has that DataWeave script', async () => {
    const uses = `public with sharing class WidgetWeave {
    public static DataWeave.Script script() {
        return new DataWeaveScriptResource.widgetScript();
    }
}
`;
    const meta = `${XML}<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>62.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n`;
    const cls = [
      { file: `${SRC}/classes/WidgetWeave.cls`, write: uses },
      { file: `${SRC}/classes/WidgetWeave.cls-meta.xml`, write: meta },
    ];
    const without = await run(fixture(cls), 'apex/apex-ls', true);
    assert.ok(
      without.some((p) => p.includes('DataWeaveScriptResource.widgetScript')),
      without.join('\n'),
    );
    const withScript = fixture([
      ...cls,
      { file: `${SRC}/dw/widgetScript.dwl`, write: '%dw 2.0\noutput application/json\n---\npayload\n' },
      {
        file: `${SRC}/dw/widgetScript.dwl-meta.xml`,
        write: `${XML}<DataWeaveResource xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>62.0</apiVersion>\n    <isGlobal>false</isGlobal>\n</DataWeaveResource>\n`,
      },
    ]);
    assert.deepEqual(await run(withScript, 'apex/apex-ls', true), []);
  });
});
