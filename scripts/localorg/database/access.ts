/**
 * Object, field and record access of a user, for USER_MODE queries and DML, describe calls and sharing.
 * Simplified and documented model (not the platform's full profile/permission-set engine):
 *  - System Administrator (a profile with PermissionsModifyAllData or named 'System Administrator'): full CRUD,
 *    View All and Modify All on every object, every field readable, every writeable field editable.
 *  - Other users: object and field permissions only from the permission sets assigned to them
 *    (PermissionSetAssignment records whose PermissionSet.Name matches a permission set in metadata), plus what the
 *    'Standard User' profile gives everyone: CRUD on Account, Contact and Lead with their standard fields; read on
 *    User, Profile, Organization, PermissionSet, PermissionSetAssignment, CustomPermission, ApexClass, AsyncApexJob,
 *    SetupEntityAccess; read on custom metadata types. Id, Name, OwnerId, audit fields and universally required fields
 *    of an object the user can read follow the object's access (no FLS on them); other standard fields of other
 *    objects need a permission set's field grant, as custom fields do (fieldFollowsObject).
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

/**
 * The permission keys that grant a field: 'object.field', and for a component of a compound address field the
 * compound field too ('Account.ShippingAddress' grants ShippingStreet, ShippingCity, ...): permission sets carry FLS
 * on the compound field (Object Reference, "Compound Fields": "Address ... fields"; Metadata API, PermissionSet
 * fieldPermissions list Account.ShippingAddress, not its components).
 */
const ADDRESS_PART =
  /^(\w*?)(Street|City|State|StateCode|PostalCode|Country|CountryCode|Latitude|Longitude|GeocodeAccuracy)$/i;

function fieldKeys(objectName: string, fieldName: string): string[] {
  const keys = [`${objectName}.${fieldName}`.toLowerCase()];
  const m = ADDRESS_PART.exec(fieldName);
  if (m && m[1]) keys.push(`${objectName}.${m[1]}Address`.toLowerCase());
  return keys;
}

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

  /**
   * Fields without field-level security of their own follow the object's access: Id, the name field, system and
   * audit fields, OwnerId, universally required fields, and every field of a custom metadata type. Other fields need
   * a grant (Salesforce Help, "Field-Level Security": FLS applies to standard and custom fields; required fields are
   * always visible and editable). The profiles' own FLS: the 'Standard User' profile sees and edits the standard
   * fields of the objects it grants (Account, Contact, Lead, and reads the setup objects); 'Minimum Access -
   * Salesforce' grants no field, so its users get standard fields such as Contact.Title or Campaign.BudgetedCost only
   * from permission sets (Salesforce Help, "Minimum Access - Salesforce profile").
   */
  private fieldFollowsObject(def: LocalObjectDef, f: LocalFieldDef): boolean {
    if (def.kind === 'customMetadata') return true;
    if (f.required || f.systemManaged || f.nameField || f.type === 'id' || f.masterDetail) return true;
    if (/__c$/i.test(f.name)) return false;
    if (f.name === 'OwnerId' || f.name === 'Name' || f.computed) return true;
    const k = def.name.toLowerCase();
    return def.kind !== 'standard' || (this.profileGrantsCrud && (PROFILE_CRUD.has(k) || PROFILE_READ.has(k)));
  }

  fieldReadable(objectName: string, fieldName: string): boolean {
    const x = this.fieldDef(objectName, fieldName);
    if (!x) return false;
    if (!this.canRead(x.def.name)) return false;
    if (this.isAdmin || this.fieldFollowsObject(x.def, x.f)) return true;
    const keys = fieldKeys(x.def.name, x.f.name);
    return this.permissionSets.some((ps) => keys.some((k) => ps.fields.get(k)?.read === true));
  }

  fieldEditable(objectName: string, fieldName: string): boolean {
    const x = this.fieldDef(objectName, fieldName);
    if (!x) return false;
    if (x.f.systemManaged || x.f.calculated || x.f.type === 'autonumber' || x.f.computed) return false;
    if (!(this.canEdit(x.def.name) || this.canCreate(x.def.name))) return false;
    if (this.isAdmin || this.fieldFollowsObject(x.def, x.f)) return true;
    const keys = fieldKeys(x.def.name, x.f.name);
    return this.permissionSets.some((ps) => keys.some((k) => ps.fields.get(k)?.edit === true));
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
