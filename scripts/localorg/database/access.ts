/**
 * Object, field and record access of a user, for USER_MODE queries and DML, describe calls and sharing.
 * Simplified and documented model (not the platform's full profile/permission-set engine):
 *  - System Administrator (a profile with PermissionsModifyAllData or named 'System Administrator'): full CRUD,
 *    View All and Modify All on every object, every field readable, every writeable field editable.
 *  - Other users: object and field permissions only from the permission sets assigned to them
 *    (PermissionSetAssignment records whose PermissionSet.Name matches a permission set in metadata), plus what the
 *    'Standard User' profile gives everyone: CRUD on Account, Contact and Lead with their standard fields; read on
 *    User, Profile, Organization, PermissionSet, PermissionSetAssignment, CustomPermission, ApexClass, AsyncApexJob,
 *    SetupEntityAccess; read on custom metadata types. Standard fields (Id, Name, OwnerId, audit fields) of an object the
 *    user can read are readable; universally required custom fields follow the object's access (no FLS on them).
 *  - The 'Minimum Access - Salesforce' profile (seeded, as every org has it) gives no CRUD of its own: its users get
 *    object access from permission sets only (Salesforce Help, "Minimum Access - Salesforce profile").
 *  - Custom permissions only from assigned permission sets.
 */
import type { AccessApi, PermissionSetDef } from '../core/runtime.js';
import type { LocalFieldDef, LocalObjectDef, LocalSchemaApi } from '../metadata/types.js';

const PROFILE_CRUD = new Set(['account', 'contact', 'lead']);
const PROFILE_READ = new Set([
  'user',
  'profile',
  'organization',
  'permissionset',
  'permissionsetassignment',
  'custompermission',
  'apexclass',
  'asyncapexjob',
  'setupentityaccess',
]);

export interface ObjPerm {
  read: boolean;
  create: boolean;
  edit: boolean;
  delete: boolean;
  viewAll: boolean;
  modifyAll: boolean;
}

export class UserAccess implements AccessApi {
  private readonly objCache = new Map<string, ObjPerm>();
  readonly customPermissions = new Set<string>();
  constructor(
    private readonly schema: LocalSchemaApi,
    readonly userId: string,
    readonly isAdmin: boolean,
    readonly permissionSets: PermissionSetDef[],
    /** False for the 'Minimum Access - Salesforce' profile, which grants no object permissions of its own. */
    readonly profileGrantsCrud = true,
  ) {
    for (const ps of permissionSets) for (const c of ps.customPermissions) this.customPermissions.add(c);
  }

  objectPerm(objectName: string): ObjPerm {
    const k = objectName.toLowerCase();
    const hit = this.objCache.get(k);
    if (hit) return hit;
    const def = this.schema.getObject(k);
    let p: ObjPerm = { read: false, create: false, edit: false, delete: false, viewAll: false, modifyAll: false };
    if (def) {
      if (this.isAdmin) p = { read: true, create: true, edit: true, delete: true, viewAll: true, modifyAll: true };
      else {
        if (this.profileGrantsCrud && PROFILE_CRUD.has(k))
          p = { ...p, read: true, create: true, edit: true, delete: true };
        if (PROFILE_READ.has(k) || def.kind === 'customMetadata') p = { ...p, read: true };
        for (const ps of this.permissionSets) {
          const o = ps.objects.get(k);
          if (!o) continue;
          p = {
            read: p.read || o.read,
            create: p.create || o.create,
            edit: p.edit || o.edit,
            delete: p.delete || o.delete,
            viewAll: p.viewAll || o.viewAll,
            modifyAll: p.modifyAll || o.modifyAll,
          };
        }
      }
    }
    this.objCache.set(k, p);
    return p;
  }

  canRead(o: string): boolean {
    return this.objectPerm(o).read;
  }
  canCreate(o: string): boolean {
    return this.objectPerm(o).create;
  }
  canEdit(o: string): boolean {
    return this.objectPerm(o).edit;
  }
  canDelete(o: string): boolean {
    return this.objectPerm(o).delete;
  }
  viewAll(o: string): boolean {
    return this.objectPerm(o).viewAll;
  }
  modifyAll(o: string): boolean {
    return this.objectPerm(o).modifyAll;
  }

  private fieldDef(objectName: string, fieldName: string): { def: LocalObjectDef; f: LocalFieldDef } | null {
    const def = this.schema.getObject(objectName);
    const f = def?.fields.get(fieldName.toLowerCase());
    return def && f ? { def, f } : null;
  }

  /** Standard fields and universally required fields follow the object's access; custom fields need FLS. */
  private fieldFollowsObject(def: LocalObjectDef, f: LocalFieldDef): boolean {
    const isCustomField = /__c$/i.test(f.name);
    if (!isCustomField) return def.kind === 'standard' ? true : true;
    if (def.kind === 'customMetadata') return true;
    return !!f.required;
  }

  fieldReadable(objectName: string, fieldName: string): boolean {
    const x = this.fieldDef(objectName, fieldName);
    if (!x) return false;
    if (!this.canRead(x.def.name)) return false;
    if (this.isAdmin || this.fieldFollowsObject(x.def, x.f)) return true;
    const key = `${x.def.name}.${x.f.name}`.toLowerCase();
    return this.permissionSets.some((ps) => ps.fields.get(key)?.read === true);
  }

  fieldEditable(objectName: string, fieldName: string): boolean {
    const x = this.fieldDef(objectName, fieldName);
    if (!x) return false;
    if (x.f.systemManaged || x.f.calculated || x.f.type === 'autonumber' || x.f.computed) return false;
    if (!(this.canEdit(x.def.name) || this.canCreate(x.def.name))) return false;
    if (this.isAdmin || this.fieldFollowsObject(x.def, x.f)) return true;
    const key = `${x.def.name}.${x.f.name}`.toLowerCase();
    return this.permissionSets.some((ps) => ps.fields.get(key)?.edit === true);
  }

  /**
   * Apex class access (Apex Developer Guide, "Class Security"): a user may call a top-level class's entry point
   * (an @AuraEnabled method, an Apex REST resource, an invocable action) only when a permission set (or the profile)
   * grants the class (`classAccesses`); users with Author Apex (here: the System Administrator) reach every class.
   */
  canRunApexClass(className: string): boolean {
    const k = className.toLowerCase();
    return this.isAdmin || this.permissionSets.some((ps) => ps.classes.has(k));
  }

  hasCustomPermission(name: string): boolean {
    return this.customPermissions.has(name.toLowerCase());
  }
}
