/**
 * Permission sets and profiles: object permission dependencies, field permissions, tab settings.
 */
import { childText, type XmlElement } from '../xml.js';
import { elementsIn, foreignNamespace, PERMS, ruleOf, type Context, type Rule } from './context.js';

const LABELS: Record<string, string> = {
  allowRead: 'Read',
  allowCreate: 'Create',
  allowEdit: 'Edit',
  allowDelete: 'Delete',
  viewAllRecords: 'View All Records',
  modifyAllRecords: 'Modify All Records',
};

/**
 * Object Reference, ObjectPermissions: PermissionsCreate "Requires PermissionsRead"; PermissionsEdit "Requires
 * PermissionsRead"; PermissionsDelete "Requires PermissionsRead and PermissionsEdit"; PermissionsViewAllRecords
 * "Requires PermissionsRead"; PermissionsModifyAllRecords "Requires PermissionsRead, PermissionsDelete,
 * PermissionsEdit, and PermissionsViewAllRecords". The deploy answers "Permission Modify All Records depends on
 * permission(s): Delete".
 */
const DEPENDS: Record<string, string[]> = {
  allowCreate: ['allowRead'],
  allowEdit: ['allowRead'],
  allowDelete: ['allowRead', 'allowEdit'],
  viewAllRecords: ['allowRead'],
  modifyAllRecords: ['allowRead', 'allowEdit', 'allowDelete', 'viewAllRecords'],
};

/**
 * A rule over each `grant` element (objectPermissions, fieldPermissions) of the permission sets and profiles;
 * `problem` reports at a line of the grant's file.
 */
function grantRule(
  id: string,
  description: string,
  grant: string,
  check: (el: XmlElement, problem: (line: number, message: string) => void, ctx: Context) => void,
): Rule {
  return ruleOf('permissions', id, description, (ctx) => {
    for (const { f, el } of elementsIn(ctx, PERMS, [grant]))
      check(el, (line, message) => ctx.report(f.file, line, message), ctx);
  });
}

const objectDependencies = grantRule(
  'permissions/object-dependencies',
  'Read under Create/Edit/Delete/View All; Edit under Delete; Read+Edit+Delete+View All under Modify All',
  'objectPermissions',
  (op, problem) => {
    const on = (name: string) => childText(op, name) === 'true';
    for (const [perm, needs] of Object.entries(DEPENDS)) {
      if (!on(perm)) continue;
      const lacking = needs.filter((n) => !on(n));
      if (lacking.length)
        problem(
          op.children.find((c) => c.name === perm)!.line,
          `${childText(op, 'object')}: Permission ${LABELS[perm]} depends on permission(s): ${lacking.map((l) => LABELS[l]).join(', ')}`,
        );
    }
  },
);

// Object Reference, FieldPermissions.PermissionsEdit: "If true, users assigned to the parent PermissionSet can
// edit this field. Requires PermissionsRead for the same field to be true."
const fieldReadable = grantRule(
  'permissions/field-editable-needs-readable',
  'a field permission that is editable is also readable',
  'fieldPermissions',
  (fp, problem) => {
    if (childText(fp, 'editable') === 'true' && childText(fp, 'readable') !== 'true')
      problem(fp.line, `${childText(fp, 'field')}: Permission Edit depends on permission(s): Read`);
  },
);

// Salesforce Help, "Field-Level Security": required fields and master-detail fields (always required) are
// visible and editable to everyone who can see the object: their field-level security cannot be set, and a
// deploy answers "You cannot deploy to a required field: Object.Field".
const fieldNotGrantable = grantRule(
  'permissions/field-not-grantable',
  'no field permission on a required or master-detail field',
  'fieldPermissions',
  (fp, problem, ctx) => {
    const name = childText(fp, 'field') ?? '';
    const [obj, fld] = name.split('.');
    if (!obj || !fld || foreignNamespace(ctx, obj)) return;
    const def = ctx.project.field(obj, fld);
    if (!def) return;
    const required = childText(def.file.root, 'required') === 'true';
    if (required || def.type === 'MasterDetail') problem(fp.line, `You cannot deploy to a required field: ${name}`);
  },
);

function tabExists(ctx: Context, tab: string): boolean {
  // Standard tabs are named `standard-Account` (Metadata API Developer Guide, PermissionSetTabSetting.tab).
  if (/^standard-/.test(tab) || foreignNamespace(ctx, tab) || /^[A-Za-z0-9]+__[A-Za-z]/.test(tab.replace(/__c$/, '')))
    return true;
  return ctx.project.has('CustomTab', tab);
}

const tabSettings: Rule = {
  id: 'permissions/tab-settings',
  family: 'permissions',
  description: 'tab settings (and app tabs) name tabs that exist',
  run(ctx) {
    // PermissionSet.tabSettings / Profile.tabVisibilities / CustomApplication.tabs name tabs: custom tabs of the
    // package or standard tabs (`standard-*`).
    const refs: [string[], string, string][] = [
      [['PermissionSet', 'MutingPermissionSet'], 'tabSettings', 'tab'],
      [['Profile'], 'tabVisibilities', 'tab'],
    ];
    for (const [types, parent, name] of refs)
      for (const { f, el: ts } of elementsIn(ctx, types, [parent])) {
        const tab = childText(ts, name) ?? '';
        if (tab && !tabExists(ctx, tab)) ctx.report(f.file, ts.line, `In field: tab - no CustomTab named ${tab} found`);
      }
    for (const { f, el: t } of elementsIn(ctx, ['CustomApplication'], ['tabs']))
      if (t.text && !tabExists(ctx, t.text))
        ctx.report(f.file, t.line, `In field: tabs - no CustomTab named ${t.text} found`);
  },
};

export const permissionRules: Rule[] = [objectDependencies, fieldReadable, fieldNotGrantable, tabSettings];
