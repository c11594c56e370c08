/**
 * References: every object, field, class, page, tab, flow, custom permission, application, record type and component
 * a file names exists in the project, among standard objects/fields (the SObject model apex-ls ships), or in another
 * package's namespace. A deploy that names a missing component fails with "In field: X - no CustomObject named Y
 * found" (Metadata API Developer Guide, "deploy()": components are resolved against the package and the org;
 * here there is no org, so only the package and the standard model count).
 */
import { elementsIn, foreignNamespace, objectExists, fieldExists, PERMS, type Context, type Rule } from './context.js';

type Kind =
  | 'ApexClass'
  | 'ApexPage'
  | 'Flow'
  | 'CustomPermission'
  | 'CustomApplication'
  | 'LightningComponentBundle'
  | 'AuraDefinitionBundle'
  | 'PermissionSet';

interface Ref {
  /** Metadata types whose files hold the reference. */
  types: string[];
  path: string[];
}

function missing(ctx: Context, kind: Kind, name: string): boolean {
  if (!name || foreignNamespace(ctx, name) || /^[A-Za-z0-9]+__[A-Za-z]/.test(name) || name.includes('.')) return false;
  // Standard apps (standard__Sales) are the platform's own.
  if (kind === 'CustomApplication' && name.startsWith('standard__')) return false;
  return !ctx.project.has(kind, name);
}

function componentRule(id: string, kind: Kind, label: string, refs: Ref[], doc: string): Rule {
  return {
    id,
    family: 'references',
    description: `every ${label} a component names exists (${refs.map((r) => r.path.join('.')).join(', ')})`,
    run(ctx) {
      void doc;
      for (const ref of refs)
        for (const { f, el } of elementsIn(ctx, ref.types, ref.path))
          if (missing(ctx, kind, el.text))
            ctx.report(f.file, el.line, `In field: ${el.name} - no ${kind} named ${el.text} found`);
    },
  };
}

// Metadata API Developer Guide, PermissionSet / Profile: classAccesses.apexClass, pageAccesses.apexPage,
// flowAccesses.flow, customPermissions.name, applicationVisibilities.application name existing components.
const apexClass = componentRule(
  'references/apex-class',
  'ApexClass',
  'Apex class',
  [{ types: PERMS, path: ['classAccesses', 'apexClass'] }],
  'PermissionSet.classAccesses',
);
const apexPage = componentRule(
  'references/apex-page',
  'ApexPage',
  'Visualforce page',
  [
    { types: PERMS, path: ['pageAccesses', 'apexPage'] },
    { types: ['CustomTab'], path: ['page'] },
  ],
  'PermissionSet.pageAccesses, CustomTab.page',
);
const flow = componentRule(
  'references/flow',
  'Flow',
  'flow',
  [
    { types: PERMS, path: ['flowAccesses', 'flow'] },
    { types: ['Flow'], path: ['subflows', 'flowName'] },
  ],
  'PermissionSet.flowAccesses, Flow.subflows',
);
const customPermission = componentRule(
  'references/custom-permission',
  'CustomPermission',
  'custom permission',
  [{ types: PERMS, path: ['customPermissions', 'name'] }],
  'PermissionSet.customPermissions',
);
const application = componentRule(
  'references/application',
  'CustomApplication',
  'application',
  [{ types: PERMS, path: ['applicationVisibilities', 'application'] }],
  'PermissionSet.applicationVisibilities',
);
const lwc = componentRule(
  'references/lightning-component',
  'LightningComponentBundle',
  'Lightning web component',
  [{ types: ['CustomTab'], path: ['lwcComponent'] }],
  'CustomTab.lwcComponent',
);
const aura = componentRule(
  'references/aura-component',
  'AuraDefinitionBundle',
  'Aura component',
  [{ types: ['CustomTab'], path: ['auraComponent'] }],
  'CustomTab.auraComponent',
);
const permissionSet = componentRule(
  'references/permission-set',
  'PermissionSet',
  'permission set',
  // Not PermissionSetGroup.permissionSets: groups often bundle the platform's own permission sets, which no
  // project defines.
  [{ types: ['ConnectedApp'], path: ['permissionSetName'] }],
  'ConnectedApp.permissionSetName',
);

/** Where files name an object, and where they name `Object.Field`. */
const OBJECT_REFS: Ref[] = [
  { types: PERMS, path: ['objectPermissions', 'object'] },
  { types: ['CustomField'], path: ['referenceTo'] },
  { types: ['Flow'], path: ['recordLookups', 'object'] },
  { types: ['Flow'], path: ['recordCreates', 'object'] },
  { types: ['Flow'], path: ['recordUpdates', 'object'] },
  { types: ['Flow'], path: ['recordDeletes', 'object'] },
  { types: ['Flow'], path: ['start', 'object'] },
  { types: ['Flow'], path: ['variables', 'objectType'] },
];

const object: Rule = {
  id: 'references/object',
  family: 'references',
  description: 'every object named by permissions, lookups, tabs, flows and custom metadata records exists',
  run(ctx) {
    // Metadata API Developer Guide: PermissionSetObjectPermissions.object, CustomField.referenceTo, Flow
    // recordLookups/recordCreates/recordUpdates/recordDeletes.object, FlowStart.object, FlowVariable.objectType.
    for (const ref of OBJECT_REFS)
      for (const { f, el } of elementsIn(ctx, ref.types, ref.path))
        if (el.text && !objectExists(ctx, el.text))
          ctx.report(f.file, el.line, `In field: ${el.name} - no CustomObject named ${el.text} found`);
    // CustomTab with customObject=true: "the name of the tab matches the name of the custom object" (CustomTab).
    for (const f of ctx.project.filesOf('CustomTab')) {
      const co = f.root.children.find((c) => c.name === 'customObject');
      if (co?.text === 'true' && !objectExists(ctx, f.fullName))
        ctx.report(f.file, co.line, `In field: customObject - no CustomObject named ${f.fullName} found`);
    }
    // A custom metadata record `Type.Record` belongs to the custom metadata type `Type__mdt` (CustomMetadata).
    for (const f of ctx.project.filesOf('CustomMetadata')) {
      const type = `${f.fullName.split('.')[0]}__mdt`;
      if (!objectExists(ctx, type))
        ctx.report(f.file, f.root.line, `no custom metadata type named ${type} found for record ${f.fullName}`);
    }
  },
};

const FIELD_REFS: Ref[] = [
  { types: PERMS, path: ['fieldPermissions', 'field'] },
  { types: ['Layout'], path: ['layoutSections', 'layoutColumns', 'layoutItems', 'field'] },
];

const field: Rule = {
  id: 'references/field',
  family: 'references',
  description: 'every Object.Field named by permissions (and custom fields placed on layouts) exists',
  run: async (ctx) => {
    // PermissionSetFieldPermissions.field: "Indicates the name of the field" as Object.Field; Layout layoutItems
    // name fields of the layout's object (Metadata API Developer Guide, Layout).
    for (const ref of FIELD_REFS)
      for (const { f, el } of elementsIn(ctx, ref.types, ref.path)) {
        let obj: string;
        let fld: string;
        if (f.type === 'Layout') {
          obj = f.fullName.split('-')[0];
          fld = el.text;
        } else {
          [obj, fld] = el.text.split('.');
        }
        if (!obj || !fld) continue;
        // On layouts, only custom fields and the fields of custom objects: page layouts of standard objects also
        // place layout-only items the SObject model does not list.
        if (f.type === 'Layout' && !/__c$/i.test(fld) && !/__(c|mdt)$/i.test(obj)) continue;
        if (!(await fieldExists(ctx, obj, fld)))
          ctx.report(f.file, el.line, `In field: ${el.name} - no CustomField named ${obj}.${fld} found`);
      }
  },
};

const recordType: Rule = {
  id: 'references/record-type',
  family: 'references',
  description: 'every record type named by permission sets and profiles exists',
  run(ctx) {
    // PermissionSetRecordTypeVisibility.recordType / ProfileRecordTypeVisibility.recordType: Object.RecordType.
    for (const { f, el } of elementsIn(ctx, PERMS, ['recordTypeVisibilities', 'recordType'])) {
      const [obj] = el.text.split('.');
      if (foreignNamespace(ctx, obj) || foreignNamespace(ctx, el.text.split('.')[1] ?? '')) continue;
      // Record types of objects outside the project (standard objects) may exist in the org already only if
      // the project defines them: a record type is never standard (PersonAccount's are created by the platform).
      if (ctx.project.has('RecordType', el.text) || /PersonAccount/i.test(el.text)) continue;
      if (!objectExists(ctx, obj)) continue;
      ctx.report(f.file, el.line, `In field: recordType - no RecordType named ${el.text} found`);
    }
  },
};

export const referenceRules: Rule[] = [
  object,
  field,
  apexClass,
  apexPage,
  flow,
  customPermission,
  application,
  recordType,
  lwc,
  aura,
  permissionSet,
];
