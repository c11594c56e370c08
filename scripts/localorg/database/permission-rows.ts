/**
 * A permission set as its records say: the ObjectPermissions and FieldPermissions rows whose ParentId is the
 * PermissionSet (Object Reference for the Salesforce Platform, "ObjectPermissions": PermissionsRead/Create/Edit/Delete/
 * ViewAllRecords/ModifyAllRecords for an SobjectType; "FieldPermissions": PermissionsRead/Edit for a Field
 * 'Object.Field'). Tests create permission sets this way (insert PermissionSet, ObjectPermissions, FieldPermissions,
 * then a PermissionSetAssignment) and the access they grant applies at once, as it does for metadata permission sets.
 * Merged with the metadata definition of the same name, if any.
 */
import type { PermissionSetDef } from '../core/runtime.js';
import { ApexId, type ApexValue } from '../core/values.js';
import { lookupRow } from './soql/execute.js';
import type { LocalSchemaApi } from '../metadata/types.js';
import type { Row, Store } from './store.js';
import type { LocalDatabase } from './database.js';
import { indexKey } from './value-utils.js';

function rowsOf(store: Store, schema: LocalSchemaApi, objectName: string, parentId: string, field = 'ParentId'): Row[] {
  const def = schema.getObject(objectName);
  if (!def) return [];
  const t = store.table(def);
  const ids = t.index(field).get(indexKey(new ApexId(parentId))) ?? new Set<string>();
  return [...ids].map((id) => t.rows.get(id)!).filter((r) => r && !r.deleted);
}

/**
 * The permission sets assigned to a user: PermissionSetAssignment rows (AssigneeId) naming a PermissionSet, or a
 * PermissionSetGroup whose PermissionSetGroupComponent rows name its permission sets (Object Reference,
 * "PermissionSetAssignment": PermissionSetGroupId "if the assignment is for a permission set group"; a group grants
 * the union of its permission sets' permissions, Salesforce Help, "Permission Set Groups"). Each is its metadata
 * definition (by Name) merged with its ObjectPermissions / FieldPermissions rows.
 */
export function assignedPermissionSets(store: Store, schema: LocalSchemaApi, userId: string): PermissionSetDef[] {
  const psa = schema.getObject('PermissionSetAssignment')!;
  const psDef = schema.getObject('PermissionSet')!;
  const t = store.table(psa);
  const ids = t.index('AssigneeId').get(indexKey(new ApexId(userId))) ?? new Set<string>();
  const psRows: Row[] = [];
  const addPs = (v: ApexValue | undefined) => {
    const ps = lookupRow(store, schema, v ?? null);
    if (ps && ps.id.slice(0, 3) === psDef.keyPrefix && !psRows.some((r) => r.id === ps.id)) psRows.push(ps);
  };
  for (const id of ids) {
    const a = t.rows.get(id)!;
    if (a.deleted) continue;
    const group = a.values.get('permissionsetgroupid');
    if (group instanceof ApexId) {
      for (const c of rowsOf(store, schema, 'PermissionSetGroupComponent', group.value, 'PermissionSetGroupId'))
        addPs(c.values.get('permissionsetid'));
    } else addPs(a.values.get('permissionsetid'));
  }
  const out: PermissionSetDef[] = [];
  for (const ps of psRows) {
    const def = permissionSetFromRows(store, schema, ps, schema.getPermissionSet(String(ps.values.get('name') ?? '')));
    if (def) out.push(def);
  }
  return out;
}

function permissionSetFromRows(
  store: Store,
  schema: LocalSchemaApi,
  ps: Row,
  metadata: PermissionSetDef | undefined,
): PermissionSetDef | undefined {
  const objects = rowsOf(store, schema, 'ObjectPermissions', ps.id);
  const fields = rowsOf(store, schema, 'FieldPermissions', ps.id);
  if (!objects.length && !fields.length) return metadata;
  const name = String(ps.values.get('name') ?? '');
  const out: PermissionSetDef = {
    name,
    label: String(ps.values.get('label') ?? name),
    objects: new Map(metadata?.objects ?? []),
    fields: new Map(metadata?.fields ?? []),
    customPermissions: new Set(metadata?.customPermissions ?? []),
    classes: new Set(metadata?.classes ?? []),
    tabs: new Set(metadata?.tabs ?? []),
  };
  const flag = (r: Row, k: string) => r.values.get(k) === true;
  for (const r of objects) {
    const type = String(r.values.get('sobjecttype') ?? '').toLowerCase();
    if (!type) continue;
    const before = out.objects.get(type);
    const modifyAll = flag(r, 'permissionsmodifyallrecords') || !!before?.modifyAll;
    const viewAll = modifyAll || flag(r, 'permissionsviewallrecords') || !!before?.viewAll;
    out.objects.set(type, {
      read: viewAll || flag(r, 'permissionsread') || !!before?.read,
      create: flag(r, 'permissionscreate') || !!before?.create,
      edit: modifyAll || flag(r, 'permissionsedit') || !!before?.edit,
      delete: modifyAll || flag(r, 'permissionsdelete') || !!before?.delete,
      viewAll,
      modifyAll,
    });
  }
  for (const r of fields) {
    const field = String(r.values.get('field') ?? '').toLowerCase();
    if (!field) continue;
    const before = out.fields.get(field);
    const edit = flag(r, 'permissionsedit') || !!before?.edit;
    out.fields.set(field, { read: edit || flag(r, 'permissionsread') || !!before?.read, edit });
  }
  return out;
}

/**
 * A PermissionSetAssignment of a permission set group names the group's own aggregate permission set in
 * PermissionSetId (Object Reference, "PermissionSet": Type 'Group', PermissionSetGroupId "the permission set group
 * this permission set is the aggregate of"); the platform fills it, so code only sets PermissionSetGroupId. Made on
 * first use for a group that has none yet.
 */
export function fillGroupPermissionSet(db: LocalDatabase, values: Map<string, ApexValue>): void {
  const group = values.get('permissionsetgroupid');
  if (!(group instanceof ApexId) || values.get('permissionsetid') instanceof ApexId) return;
  const psDef = db.schema.getObject('PermissionSet')!;
  if (!psDef.fields.has('permissionsetgroupid')) return;
  const t = db.store.table(psDef);
  const existing = t.index('PermissionSetGroupId').get(indexKey(group));
  const live = existing && [...existing].find((id) => !t.rows.get(id)?.deleted);
  if (live) {
    values.set('permissionsetid', new ApexId(live));
    return;
  }
  const row = db.getRecord(group);
  const name = String(row?.getRaw('DeveloperName') ?? group.value);
  const fields: Record<string, ApexValue> = { Name: `${name}_Group`, Label: name, PermissionSetGroupId: group };
  if (psDef.fields.has('type')) fields.Type = 'Group';
  values.set('permissionsetid', db.insertDirect('PermissionSet', fields));
}
