/**
 * deploy:check rules: for each rule, the passing base fixture gives no problem and a fixture with one mistake gives
 * the problem, naming the file and line. Fixtures are small SFDX projects (fixtures/base, changed per test).
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { RULES } from '../check.js';
import { base, fixture, removeFixtures, run, SRC, type Change } from './helpers.js';

const XML = '<?xml version="1.0" encoding="UTF-8"?>\n';
const PS = `${SRC}/permissionsets/Widget_User.permissionset-meta.xml`;
const TAB = `${SRC}/tabs/Widget__c.tab-meta.xml`;
const FIELDS = `${SRC}/objects/Widget__c/fields`;

interface Case {
  rule: string;
  name: string;
  changes: Change[];
  /** Expected printed problem: `path:line: ...message...` (a prefix and a message fragment). */
  at: string;
  says: string | RegExp;
}

const cases: Case[] = [
  // structure
  {
    rule: 'structure/root-element',
    name: 'a tab file whose root is not CustomTab',
    changes: [
      {
        file: TAB,
        write: `${XML}<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">\n    <label>X</label>\n</CustomField>\n`,
      },
    ],
    at: `${TAB}:2`,
    says: 'root element CustomField is not a CustomTab',
  },
  {
    rule: 'structure/unknown-element',
    name: 'an element the type does not have',
    changes: [{ file: TAB, replace: '    <motif>', with: '    <colour>red</colour>\n    <motif>' }],
    at: `${TAB}:4`,
    says: 'Element {http://soap.sforce.com/2006/04/metadata}colour invalid at this location in type CustomTab',
  },
  {
    rule: 'structure/unknown-element',
    name: 'a single-valued element given twice',
    changes: [
      {
        file: PS,
        replace: '    <label>Widget User</label>',
        with: '    <label>Widget User</label>\n    <label>Again</label>',
      },
    ],
    at: `${PS}:`,
    says: 'Element {http://soap.sforce.com/2006/04/metadata}label invalid at this location in type PermissionSet',
  },
  {
    rule: 'structure/required-element',
    name: 'an Apex class without status',
    changes: [{ file: `${SRC}/classes/WidgetAction.cls-meta.xml`, replace: '    <status>Active</status>\n', with: '' }],
    at: `${SRC}/classes/WidgetAction.cls-meta.xml:2`,
    says: 'Required field is missing: status (in ApexClass)',
  },
  {
    rule: 'structure/value-type',
    name: 'an enumeration value that does not exist',
    changes: [{ file: PS, replace: '<visibility>Visible</visibility>', with: '<visibility>Shown</visibility>' }],
    at: `${PS}:`,
    says: "'Shown' is not a valid value for the enum 'PermissionSetTabVisibility'",
  },
  {
    rule: 'structure/value-type',
    name: 'a boolean that is not true/false',
    changes: [
      {
        file: `${SRC}/customPermissions/Widget_Manage.customPermission-meta.xml`,
        replace: '<isLicensed>false',
        with: '<isLicensed>no',
      },
    ],
    at: `${SRC}/customPermissions/Widget_Manage.customPermission-meta.xml:3`,
    says: "'no' is not valid for the type xsd:boolean",
  },
  {
    rule: 'structure/api-version',
    name: 'an API version that does not exist',
    changes: [{ file: `${SRC}/classes/WidgetAction.cls-meta.xml`, replace: '62.0', with: '99.0' }],
    at: `${SRC}/classes/WidgetAction.cls-meta.xml:3`,
    says: 'The API version 99.0 is not a valid API version',
  },
  // references
  {
    rule: 'references/object',
    name: 'object permissions on a missing object',
    changes: [{ file: PS, replace: '<object>Widget__c</object>', with: '<object>Gadget__c</object>' }],
    at: `${PS}:`,
    says: 'no CustomObject named Gadget__c found',
  },
  {
    rule: 'references/object',
    name: 'a lookup to a missing object',
    changes: [
      { file: `${FIELDS}/Account__c.field-meta.xml`, replace: '<referenceTo>Account', with: '<referenceTo>Acount' },
    ],
    at: `${FIELDS}/Account__c.field-meta.xml:6`,
    says: 'no CustomObject named Acount found',
  },
  {
    rule: 'references/field',
    name: 'field permissions on a missing custom field',
    changes: [{ file: PS, replace: 'Widget__c.Size__c', with: 'Widget__c.Colour__c' }],
    at: `${PS}:`,
    says: 'no CustomField named Widget__c.Colour__c found',
  },
  {
    rule: 'references/field',
    name: 'field permissions on a missing standard field',
    changes: [{ file: PS, replace: 'Account.Phone', with: 'Account.Phonee' }],
    at: `${PS}:`,
    says: 'no CustomField named Account.Phonee found',
  },
  {
    rule: 'references/field',
    name: 'a layout placing a missing custom field',
    changes: [
      {
        file: `${SRC}/layouts/Widget__c-Widget Layout.layout-meta.xml`,
        replace: '<field>Size__c',
        with: '<field>Colour__c',
      },
    ],
    at: `${SRC}/layouts/Widget__c-Widget Layout.layout-meta.xml:15`,
    says: 'no CustomField named Widget__c.Colour__c found',
  },
  {
    rule: 'references/apex-class',
    name: 'class access to a missing class',
    changes: [{ file: PS, replace: '<apexClass>WidgetAction', with: '<apexClass>GadgetAction' }],
    at: `${PS}:`,
    says: 'no ApexClass named GadgetAction found',
  },
  {
    rule: 'references/apex-page',
    name: 'page access to a missing page',
    changes: [{ file: PS, replace: '<apexPage>WidgetPage', with: '<apexPage>GadgetPage' }],
    at: `${PS}:`,
    says: 'no ApexPage named GadgetPage found',
  },
  {
    rule: 'references/flow',
    name: 'flow access to a missing flow',
    changes: [{ file: PS, replace: '<flow>Widget_Flow', with: '<flow>Gadget_Flow' }],
    at: `${PS}:`,
    says: 'no Flow named Gadget_Flow found',
  },
  {
    rule: 'references/custom-permission',
    name: 'a missing custom permission',
    changes: [{ file: PS, replace: '<name>Widget_Manage', with: '<name>Gadget_Manage' }],
    at: `${PS}:`,
    says: 'no CustomPermission named Gadget_Manage found',
  },
  {
    rule: 'references/application',
    name: 'visibility of a missing application',
    changes: [{ file: PS, replace: '<application>Widgets', with: '<application>Gadgets' }],
    at: `${PS}:`,
    says: 'no CustomApplication named Gadgets found',
  },
  {
    rule: 'references/record-type',
    name: 'a missing record type',
    changes: [{ file: PS, replace: 'Widget__c.Big', with: 'Widget__c.Small' }],
    at: `${PS}:`,
    says: 'no RecordType named Widget__c.Small found',
  },
  {
    rule: 'references/lightning-component',
    name: 'a tab showing a missing Lightning web component',
    changes: [{ file: `${SRC}/tabs/Widget_Home.tab-meta.xml`, replace: '>widgetCard<', with: '>gadgetCard<' }],
    at: `${SRC}/tabs/Widget_Home.tab-meta.xml:4`,
    says: 'no LightningComponentBundle named gadgetCard found',
  },
  {
    rule: 'references/aura-component',
    name: 'a tab showing a missing Aura component',
    changes: [{ file: `${SRC}/tabs/Widget_Aura.tab-meta.xml`, replace: '>widgetAura<', with: '>gadgetAura<' }],
    at: `${SRC}/tabs/Widget_Aura.tab-meta.xml:3`,
    says: 'no AuraDefinitionBundle named gadgetAura found',
  },
  {
    rule: 'references/permission-set',
    name: 'a connected app naming a missing permission set',
    changes: [
      {
        file: `${SRC}/connectedApps/Widget_App.connectedApp-meta.xml`,
        replace: '>Widget_User<',
        with: '>Gadget_User<',
      },
    ],
    at: `${SRC}/connectedApps/Widget_App.connectedApp-meta.xml:10`,
    says: 'no PermissionSet named Gadget_User found',
  },
  // permissions
  {
    rule: 'permissions/object-dependencies',
    name: 'Create without Read',
    changes: [{ file: PS, replace: '<allowRead>true</allowRead>', with: '<allowRead>false</allowRead>' }],
    at: `${PS}:`,
    says: 'Widget__c: Permission Create depends on permission(s): Read',
  },
  {
    rule: 'permissions/field-editable-needs-readable',
    name: 'an editable field that is not readable',
    changes: [
      {
        file: PS,
        replace: '<field>Widget__c.Size__c</field>\n        <readable>true',
        with: '<field>Widget__c.Size__c</field>\n        <readable>false',
      },
    ],
    at: `${PS}:`,
    says: 'Widget__c.Size__c: Permission Edit depends on permission(s): Read',
  },
  {
    rule: 'permissions/field-not-grantable',
    name: 'field permissions on a master-detail field',
    changes: [{ file: PS, replace: 'Widget__c.Size__c', with: 'Part__c.Widget__c' }],
    at: `${PS}:`,
    says: 'You cannot deploy to a required field: Part__c.Widget__c',
  },
  {
    rule: 'permissions/field-not-grantable',
    name: 'field permissions on a required field',
    changes: [{ file: `${FIELDS}/Size__c.field-meta.xml`, replace: '<required>false', with: '<required>true' }],
    at: `${PS}:`,
    says: 'You cannot deploy to a required field: Widget__c.Size__c',
  },
  {
    rule: 'permissions/tab-settings',
    name: 'tab settings for a missing tab',
    changes: [{ file: PS, replace: '<tab>Widget__c</tab>', with: '<tab>Gadget__c</tab>' }],
    at: `${PS}:`,
    says: 'no CustomTab named Gadget__c found',
  },
  {
    rule: 'permissions/tab-settings',
    name: 'an app listing a missing tab',
    changes: [
      { file: `${SRC}/applications/Widgets.app-meta.xml`, replace: '<tabs>Widget__c', with: '<tabs>Gadget__c' },
    ],
    at: `${SRC}/applications/Widgets.app-meta.xml:7`,
    says: 'no CustomTab named Gadget__c found',
  },
  // fields and objects
  {
    rule: 'fields/type-and-label',
    name: 'a custom field without a label',
    changes: [{ file: `${FIELDS}/Active__c.field-meta.xml`, replace: '    <label>Active</label>\n', with: '' }],
    at: `${FIELDS}/Active__c.field-meta.xml:2`,
    says: 'Required field is missing: label',
  },
  {
    rule: 'fields/text-length',
    name: 'a Text field of 300 characters',
    changes: [{ file: `${FIELDS}/Code__c.field-meta.xml`, replace: '<length>20', with: '<length>300' }],
    at: `${FIELDS}/Code__c.field-meta.xml:7`,
    says: 'length must be between 1 and 255 for a Text field (is 300)',
  },
  {
    rule: 'fields/text-length',
    name: 'a Long Text Area of 100 characters without visible lines',
    changes: [
      { file: `${FIELDS}/Notes__c.field-meta.xml`, replace: '<length>32768', with: '<length>100' },
      { file: `${FIELDS}/Notes__c.field-meta.xml`, replace: '    <visibleLines>3</visibleLines>\n', with: '' },
    ],
    at: `${FIELDS}/Notes__c.field-meta.xml:5`,
    says: 'length must be between 256 and 131072 for a LongTextArea field (is 100)',
  },
  {
    rule: 'fields/number-precision',
    name: 'a Number of precision 19',
    changes: [{ file: `${FIELDS}/Size__c.field-meta.xml`, replace: '<precision>5', with: '<precision>19' }],
    at: `${FIELDS}/Size__c.field-meta.xml:6`,
    says: 'precision must be between 1 and 18 (is 19)',
  },
  {
    rule: 'fields/number-precision',
    name: 'a scale above the precision',
    changes: [{ file: `${FIELDS}/Size__c.field-meta.xml`, replace: '<scale>2', with: '<scale>6' }],
    at: `${FIELDS}/Size__c.field-meta.xml:8`,
    says: 'scale 6 must be between 0 and the precision 5',
  },
  {
    rule: 'fields/relationship',
    name: 'a lookup without a relationship name',
    changes: [
      {
        file: `${FIELDS}/Account__c.field-meta.xml`,
        replace: '    <relationshipName>Widgets</relationshipName>\n',
        with: '',
      },
    ],
    at: `${FIELDS}/Account__c.field-meta.xml:2`,
    says: 'a Lookup field needs relationshipName',
  },
  {
    rule: 'fields/unique-external-id',
    name: 'a unique Checkbox',
    changes: [
      {
        file: `${FIELDS}/Active__c.field-meta.xml`,
        replace: '    <type>',
        with: '    <unique>true</unique>\n    <type>',
      },
    ],
    at: `${FIELDS}/Active__c.field-meta.xml:6`,
    says: 'a Checkbox field cannot be unique',
  },
  {
    rule: 'fields/default-value',
    name: 'a Checkbox without a default',
    changes: [
      { file: `${FIELDS}/Active__c.field-meta.xml`, replace: '    <defaultValue>false</defaultValue>\n', with: '' },
    ],
    at: `${FIELDS}/Active__c.field-meta.xml:2`,
    says: "Can not specify 'null' for a CheckBox default value",
  },
  {
    rule: 'fields/default-value',
    name: 'a Number defaulting to text',
    changes: [{ file: `${FIELDS}/Size__c.field-meta.xml`, replace: '<defaultValue>1<', with: "<defaultValue>'one'<" }],
    at: `${FIELDS}/Size__c.field-meta.xml:4`,
    says: 'Formula result is data type (Text), incompatible with data type (Number)',
  },
  {
    rule: 'fields/delete-constraint',
    name: 'a required lookup that clears on delete',
    changes: [{ file: `${FIELDS}/Account__c.field-meta.xml`, replace: '<required>false', with: '<required>true' }],
    at: `${FIELDS}/Account__c.field-meta.xml:4`,
    says: 'a required lookup cannot have deleteConstraint SetNull',
  },
  {
    rule: 'objects/sharing-model',
    name: 'a detail object not controlled by its parent',
    changes: [
      {
        file: `${SRC}/objects/Part__c/Part__c.object-meta.xml`,
        replace: '<sharingModel>ControlledByParent',
        with: '<sharingModel>ReadWrite',
      },
    ],
    at: `${SRC}/objects/Part__c/Part__c.object-meta.xml:12`,
    says: 'an object with a master-detail field must have sharingModel ControlledByParent',
  },
  {
    rule: 'objects/sharing-model',
    name: 'external access wider than internal',
    changes: [
      {
        file: `${SRC}/objects/Widget__c/Widget__c.object-meta.xml`,
        replace: '<externalSharingModel>Private',
        with: '<externalSharingModel>ReadWrite',
      },
      {
        file: `${SRC}/objects/Widget__c/Widget__c.object-meta.xml`,
        replace: '<sharingModel>ReadWrite',
        with: '<sharingModel>Read',
      },
    ],
    at: `${SRC}/objects/Widget__c/Widget__c.object-meta.xml:4`,
    says: 'externalSharingModel ReadWrite must be more restrictive than or equal to sharingModel Read',
  },
  {
    rule: 'objects/name-field',
    name: 'an Auto Number name without a display format',
    changes: [
      {
        file: `${SRC}/objects/Part__c/Part__c.object-meta.xml`,
        replace: '        <displayFormat>P-{0000}</displayFormat>\n',
        with: '',
      },
    ],
    at: `${SRC}/objects/Part__c/Part__c.object-meta.xml:6`,
    says: 'an AutoNumber name field needs displayFormat',
  },
  // icons and styles
  {
    rule: 'icons/slds-icon',
    name: 'an LWC icon-name that is not an SLDS icon',
    changes: [{ file: `${SRC}/lwc/widgetCard/widgetCard.html`, replace: 'utility:lock', with: 'utility:padlock' }],
    at: `${SRC}/lwc/widgetCard/widgetCard.html:3`,
    says: 'icon-name "utility:padlock" is not a Lightning Design System icon',
  },
  {
    rule: 'icons/slds-icon',
    name: 'an Aura iconName that is not an SLDS icon',
    changes: [{ file: `${SRC}/aura/widgetAura/widgetAura.cmp`, replace: 'standard:account', with: 'standard:acount' }],
    at: `${SRC}/aura/widgetAura/widgetAura.cmp:2`,
    says: 'iconName "standard:acount" is not a Lightning Design System icon',
  },
  // custom metadata, connected apps, flows
  {
    rule: 'records/custom-metadata-fields',
    name: 'a record setting a field its type does not have',
    changes: [
      {
        file: `${SRC}/customMetadata/Setting.Default.md-meta.xml`,
        replace: '<field>Prefix__c',
        with: '<field>Colour__c',
      },
    ],
    at: `${SRC}/customMetadata/Setting.Default.md-meta.xml:9`,
    says: 'no CustomField named Setting__mdt.Colour__c found',
  },
  {
    rule: 'records/custom-metadata-values',
    name: 'a number beyond the precision',
    changes: [{ file: `${SRC}/customMetadata/Setting.Default.md-meta.xml`, replace: '>250<', with: '>12345<' }],
    at: `${SRC}/customMetadata/Setting.Default.md-meta.xml:7`,
    says: '12345 has more than 4 digits before the decimal point',
  },
  {
    rule: 'records/custom-metadata-values',
    name: 'a text longer than the field',
    changes: [{ file: `${SRC}/customMetadata/Setting.Default.md-meta.xml`, replace: '>W-<', with: '>WIDGET-<' }],
    at: `${SRC}/customMetadata/Setting.Default.md-meta.xml:11`,
    says: 'value is 7 characters, the field holds 5',
  },
  {
    rule: 'records/connected-app-oauth',
    name: 'OAuth settings without a scope',
    changes: [
      {
        file: `${SRC}/connectedApps/Widget_App.connectedApp-meta.xml`,
        replace: '        <scopes>Api</scopes>\n',
        with: '',
      },
    ],
    at: `${SRC}/connectedApps/Widget_App.connectedApp-meta.xml:5`,
    says: 'Required field is missing: scopes',
  },
  {
    rule: 'records/flow-apex-action',
    name: 'an Apex action naming a missing class',
    changes: [
      {
        file: `${SRC}/flows/Widget_Flow.flow-meta.xml`,
        replace: '<actionName>WidgetAction',
        with: '<actionName>GadgetAction',
      },
    ],
    at: `${SRC}/flows/Widget_Flow.flow-meta.xml:8`,
    says: 'no ApexClass named GadgetAction found',
  },
  {
    rule: 'records/flow-apex-action',
    name: 'an Apex action naming a class without @InvocableMethod',
    changes: [{ file: `${SRC}/classes/WidgetAction.cls`, replace: '@InvocableMethod', with: '@Deprecated' }],
    at: `${SRC}/flows/Widget_Flow.flow-meta.xml:8`,
    says: 'The Apex class WidgetAction has no @InvocableMethod',
  },
  {
    rule: 'records/flow-fields',
    name: 'a Get Records filtering on a missing field',
    changes: [{ file: `${SRC}/flows/Widget_Flow.flow-meta.xml`, replace: '<field>Code__c', with: '<field>Colour__c' }],
    at: `${SRC}/flows/Widget_Flow.flow-meta.xml:25`,
    says: 'no CustomField named Widget__c.Colour__c found',
  },
];

describe('deploy:check rules', () => {
  after(removeFixtures);
  test('the base fixture passes every rule but apex (apex has its own test)', async () => {
    const problems = (await Promise.all(RULES.filter((r) => r.family !== 'apex').map((r) => run(base(), r.id)))).flat();
    assert.deepEqual(problems, []);
  });

  test('every rule but apex has a failing fixture here', () => {
    const covered = new Set(cases.map((c) => c.rule));
    const issueRules = ['icons/tab-motif']; // in issue-errors.test.ts
    const missing = RULES.filter((r) => r.family !== 'apex' && !covered.has(r.id) && !issueRules.includes(r.id));
    assert.deepEqual(
      missing.map((r) => r.id),
      [],
    );
  });

  for (const c of cases)
    test(`${c.rule}: ${c.name}`, async () => {
      assert.deepEqual(await run(base(), c.rule), [], 'the base fixture passes');
      const problems = await run(fixture(c.changes), c.rule);
      const hit = problems.find(
        (p) => p.startsWith(c.at) && (typeof c.says === 'string' ? p.includes(c.says) : c.says.test(p)),
      );
      assert.ok(hit, `expected ${c.at} ... ${String(c.says)}, got:\n${problems.join('\n')}`);
    });
});
