/**
 * Seeds a fresh local org: the Organization record, the profiles 'System Administrator' (Modify All Data) and
 * 'Standard User', the running admin user, a PermissionSet record per permission set in metadata (plus the
 * profile-owned ones), CustomPermission records with their SetupEntityAccess grants, and the custom metadata records.
 * Users are inserted directly (no triggers, no per-row validation), so seeding 50,000 users takes well under a second.
 */
import { ApexBlob, ApexDecimal, ApexId, type ApexValue } from '../core/values.js';
import { staticResourceBody, type StaticResourceDef } from '../metadata/static-resources.js';
import type { PermissionSetGroupDef } from '../metadata/permission-parse.js';
import type { LocalDatabase } from './database.js';
import type { CustomMetadataRecordDef, LocalFieldDef } from '../metadata/types.js';

export interface SeedResult {
  orgId: ApexId;
  adminUserId: ApexId;
  adminProfileId: ApexId;
  standardProfileId: ApexId;
  permissionSetIds: Map<string, ApexId>; // lower-cased name -> Id
}

export interface SeedOptions {
  orgName?: string;
  isSandbox?: boolean;
  adminUsername?: string;
  timeZoneSidKey?: string;
}

export function seedOrg(db: LocalDatabase, opts: SeedOptions = {}): SeedResult {
  const tz = opts.timeZoneSidKey ?? 'America/Los_Angeles';
  const orgId = db.insertDirect('Organization', {
    Name: opts.orgName ?? 'Local Org',
    IsSandbox: opts.isSandbox ?? false,
    InstanceName: 'LOCAL',
    OrganizationType: 'Developer Edition',
    TimeZoneSidKey: tz,
    LanguageLocaleKey: 'en_US',
    DefaultLocaleSidKey: 'en_US',
  });
  db.organizationId = orgId.value;
  const adminProfileId = db.insertDirect('Profile', {
    Name: 'System Administrator',
    UserType: 'Standard',
    PermissionsModifyAllData: true,
    PermissionsViewAllData: true,
  });
  const standardProfileId = db.insertDirect('Profile', { Name: 'Standard User', UserType: 'Standard' });
  // Every org has this profile; test suites create users with it to check what code does without access.
  const minimumAccessProfileId = db.insertDirect('Profile', { Name: MINIMUM_ACCESS_PROFILE, UserType: 'Standard' });
  for (const name of UNMODELLED_PROFILES) db.insertDirect('Profile', { Name: name, UserType: 'Standard' });
  // The admin user creates itself (CreatedById = its own Id), as the first user of an org does.
  const adminUserId = db.insertDirect('User', {
    Username: opts.adminUsername ?? 'admin@localorg.test',
    FirstName: 'Local',
    LastName: 'Admin',
    Email: 'admin@localorg.test',
    Alias: 'ladmin',
    CommunityNickname: 'ladmin',
    TimeZoneSidKey: tz,
    LocaleSidKey: 'en_US',
    EmailEncodingKey: 'UTF-8',
    LanguageLocaleKey: 'en_US',
    ProfileId: adminProfileId,
    IsActive: true,
    UserType: 'Standard',
  });
  db.adminUserId = adminUserId.value;

  for (const [name, pid] of [
    ['X00ex000000System', adminProfileId],
    ['X00ex000000Standard', standardProfileId],
    ['X00ex000000MinimumAccess', minimumAccessProfileId],
  ] as const) {
    db.insertDirect('PermissionSet', { Name: name, Label: name, IsOwnedByProfile: true, ProfileId: pid });
  }
  const permissionSetIds = new Map<string, ApexId>();
  for (const ps of db.schema.allPermissionSets()) {
    permissionSetIds.set(ps.name.toLowerCase(), db.insertDirect('PermissionSet', { Name: ps.name, Label: ps.label }));
  }
  seedPermissionRows(db, permissionSetIds);
  seedPermissionSetGroups(db, permissionSetIds);
  const cpIds = new Map<string, ApexId>();
  for (const name of db.schema.customPermissions()) {
    const info = db.schema.customPermissionInfo(name)!;
    cpIds.set(
      name.toLowerCase(),
      db.insertDirect('CustomPermission', {
        DeveloperName: name,
        MasterLabel: info.label,
        Description: info.description ?? null,
      }),
    );
  }
  for (const ps of db.schema.allPermissionSets()) {
    for (const cp of ps.customPermissions) {
      const cpId = cpIds.get(cp);
      if (!cpId) continue;
      db.insertDirect('SetupEntityAccess', {
        ParentId: permissionSetIds.get(ps.name.toLowerCase())!,
        SetupEntityId: cpId,
        SetupEntityType: 'CustomPermission',
      });
    }
  }
  seedMetadataCatalog(db);
  seedCustomMetadata(db);
  // Platform cache partitions are queryable setup rows (PlatformCachePartition), one per partition in metadata.
  const partitions = (db.schema as { cachePartitions?: () => { name: string }[] }).cachePartitions?.() ?? [];
  for (const p of partitions)
    db.insertDirect('PlatformCachePartition', { DeveloperName: p.name, MasterLabel: p.name, NamespacePrefix: null });
  seedStaticResources(db);
  return { orgId, adminUserId, adminProfileId, standardProfileId, permissionSetIds };
}

/**
 * The ObjectPermissions and FieldPermissions rows of each permission set in metadata (Object Reference,
 * "ObjectPermissions", "FieldPermissions": one row per object / field a permission set grants, ParentId = the
 * PermissionSet), queryable like other setup data (`SELECT Field, PermissionsEdit FROM FieldPermissions WHERE
 * SobjectType = 'Account'`).
 */
function seedPermissionRows(db: LocalDatabase, permissionSetIds: Map<string, ApexId>): void {
  for (const ps of db.schema.allPermissionSets()) {
    const parent = permissionSetIds.get(ps.name.toLowerCase());
    if (!parent) continue;
    for (const [key, o] of ps.objects) {
      const def = db.schema.getObject(key);
      if (!def) continue;
      db.insertDirect('ObjectPermissions', {
        ParentId: parent,
        SobjectType: def.name,
        PermissionsRead: o.read,
        PermissionsCreate: o.create,
        PermissionsEdit: o.edit,
        PermissionsDelete: o.delete,
        PermissionsViewAllRecords: o.viewAll,
        PermissionsModifyAllRecords: o.modifyAll,
      });
    }
    for (const [key, f] of ps.fields) {
      const [objectName, fieldName] = key.split('.');
      const def = db.schema.getObject(objectName);
      if (!def) continue;
      const field = def.fields.get(fieldName)?.name ?? fieldName;
      db.insertDirect('FieldPermissions', {
        ParentId: parent,
        SobjectType: def.name,
        Field: `${def.name}.${field}`,
        PermissionsRead: f.read,
        PermissionsEdit: f.edit,
      });
    }
  }
}

/**
 * A PermissionSetGroup row per permission set group in metadata (DeveloperName, MasterLabel, Status) and a
 * PermissionSetGroupComponent row per permission set it includes (Object Reference, "PermissionSetGroup",
 * "PermissionSetGroupComponent"). A user assigned the group (PermissionSetAssignment.PermissionSetGroupId) gets the
 * permissions of its components (LocalDatabase.permissionSetsOf).
 */
function seedPermissionSetGroups(db: LocalDatabase, permissionSetIds: Map<string, ApexId>): void {
  const groups = (db.schema as { permissionSetGroups?: () => PermissionSetGroupDef[] }).permissionSetGroups?.() ?? [];
  for (const g of groups) {
    const id = db.insertDirect('PermissionSetGroup', {
      DeveloperName: g.name,
      MasterLabel: g.label,
      Status: g.status,
      NamespacePrefix: null,
    });
    for (const name of g.permissionSets) {
      const ps = permissionSetIds.get(name.toLowerCase());
      if (ps) db.insertDirect('PermissionSetGroupComponent', { PermissionSetGroupId: id, PermissionSetId: ps });
    }
  }
}

/** One StaticResource row per static resource of the project (metadata/static-resources.ts). */
function seedStaticResources(db: LocalDatabase): void {
  const resources = (db.schema as { staticResources?: () => StaticResourceDef[] }).staticResources?.() ?? [];
  for (const r of resources) {
    const body = staticResourceBody(r);
    db.insertDirect('StaticResource', {
      Name: r.name,
      ContentType: r.contentType,
      CacheControl: r.cacheControl,
      Body: new ApexBlob(body),
      BodyLength: body.length,
      NamespacePrefix: null,
    });
  }
}

/** Custom metadata records become rows of their __mdt object (queryable with SOQL). */
export const MINIMUM_ACCESS_PROFILE = 'Minimum Access - Salesforce';

/**
 * The other standard profiles every org has (Salesforce Help, "Standard Profiles": Read Only, Standard User, Marketing
 * User, Contract Manager, Solution Manager, System Administrator). They are rows of Profile, so tests find them and
 * create users with them; their object and field permissions are not modelled, so code running as such a user fails
 * with "Unsupported feature" (LocalDatabase.accessFor) instead of guessing.
 */
export const UNMODELLED_PROFILES = ['Read Only', 'Marketing User', 'Contract Manager', 'Solution Manager'];

export function seedCustomMetadata(db: LocalDatabase): void {
  const inserted: { id: ApexId; r: CustomMetadataRecordDef }[] = [];
  for (const r of db.schema.customMetadataRecords()) {
    const fields: Record<string, ApexValue> = {
      DeveloperName: r.developerName,
      MasterLabel: r.label,
      Label: r.label,
      QualifiedApiName: r.developerName,
      Language: 'en_US',
      NamespacePrefix: null,
    };
    for (const v of r.values.values()) fields[v.name] = v.value;
    inserted.push({ id: db.insertDirect(r.type, fields), r });
    seedMetadataRelationshipTargets(db, r);
  }
  // A relationship to another custom metadata type names the target record (DeveloperName) in the record's file; in
  // SOQL the field holds the target record's Id, like a lookup (so `Id IN (SELECT Rel__c FROM ...)` works).
  for (const { id, r } of inserted) {
    const def = db.schema.getObject(r.type);
    const updates: Record<string, ApexValue> = {};
    for (const v of r.values.values()) {
      const f = def?.fields.get(v.name.toLowerCase());
      const target = f?.metadataRelationship ? (f.referenceTo ?? [])[0] : undefined;
      if (!target || !/__mdt$/i.test(target) || typeof v.value !== 'string') continue;
      const name = v.value.replace(/'/g, "\\'");
      const rows = db.queryRecords(
        `SELECT Id FROM ${target} WHERE DeveloperName = '${name}' OR QualifiedApiName = '${name}'`,
      );
      const tid = rows[0]?.getRaw('Id');
      if (tid instanceof ApexId) updates[v.name] = tid;
    }
    if (Object.keys(updates).length) db.updateDirect(id, updates);
  }
}

/**
 * The metadata catalog: one EntityDefinition row per object the org loaded (the project's objects and the standard
 * objects it models) and one FieldDefinition row per field of each (Object Reference, "EntityDefinition",
 * "FieldDefinition"). DurableId is the object's API name (the platform uses an Id for custom objects) and
 * `Object.Field` for a field; FieldDefinition.EntityDefinitionId holds the object's DurableId; DataType is the
 * field's type as Setup's Data Type column shows it (`Text(80)`, `Lookup(Account)`, `Formula (Text)`); IsCalculated is
 * true for formula and roll-up summary fields. Standard objects the code only reaches later (from the platform's list)
 * have no rows.
 */
function seedMetadataCatalog(db: LocalDatabase): void {
  const objects = db.schema.allObjects();
  if (!db.schema.getObject('EntityDefinition') || !db.schema.getObject('FieldDefinition')) return;
  for (const o of objects) {
    db.insertDirect('EntityDefinition', {
      QualifiedApiName: o.name,
      DeveloperName: developerName(o.name),
      DurableId: o.name,
      Label: o.label,
      MasterLabel: o.label,
      PluralLabel: o.labelPlural ?? o.label,
      KeyPrefix: o.keyPrefix,
      NamespacePrefix: null,
      IsCustomSetting: o.kind === 'customSetting',
      IsQueryable: true,
    });
    for (const f of o.fields.values()) {
      const ref = (f.referenceTo ?? []).join(',');
      db.insertDirect('FieldDefinition', {
        QualifiedApiName: f.name,
        DeveloperName: developerName(f.name),
        DurableId: `${o.name}.${f.name}`,
        EntityDefinitionId: o.name,
        Label: f.label,
        MasterLabel: f.label,
        DataType: dataTypeLabel(f, ref),
        IsCalculated: f.formula !== undefined || !!f.summary,
        IsNillable: !f.required,
        IsNameField: !!f.nameField,
        Length: f.length ?? 0,
        Precision: f.precision ?? 0,
        Scale: f.scale ?? 0,
        RelationshipName: f.relationshipName ?? null,
        NamespacePrefix: null,
      });
    }
  }
}

/** An API name without its custom suffix (Object__c, Type__mdt, Event__e, Field__c). */
function developerName(apiName: string): string {
  return apiName.replace(/__(c|mdt|e|b|x|r)$/i, '');
}

/** A field's type as Setup shows it in Data Type. */
function dataTypeLabel(f: LocalFieldDef, ref: string): string {
  if (f.summary) return 'Roll-Up Summary';
  const num = (label: string) => `${label}(${f.precision ?? 18}, ${f.scale ?? 0})`;
  const base: Record<string, string> = {
    string: `Text(${f.length ?? 255})`,
    textarea: 'Text Area(255)',
    longtextarea: `Long Text Area(${f.length ?? 32768})`,
    encryptedstring: `Text (Encrypted)(${f.length ?? 175})`,
    email: 'Email',
    phone: 'Phone',
    url: `URL(${f.length ?? 255})`,
    picklist: 'Picklist',
    multipicklist: 'Picklist (Multi-Select)',
    boolean: 'Checkbox',
    int: num('Number'),
    double: num('Number'),
    currency: num('Currency'),
    percent: num('Percent'),
    date: 'Date',
    datetime: 'Date/Time',
    time: 'Time',
    id: 'Lookup()',
    reference: f.masterDetail ? `Master-Detail(${ref})` : `Lookup(${ref})`,
    autonumber: 'Auto Number',
  };
  const t = base[f.type] ?? f.type;
  return f.formula !== undefined ? `Formula (${t.replace(/\(.*$/, '')})` : t;
}

/**
 * The EntityDefinition and FieldDefinition rows that custom metadata relationship values name (the platform has one per
 * object and field; the local org makes those the records point to), so `Object__r.QualifiedApiName` resolves.
 */
function seedMetadataRelationshipTargets(db: LocalDatabase, r: CustomMetadataRecordDef): void {
  const def = db.schema.getObject(r.type);
  if (!def) return;
  const put = (objectName: string, key: string, values: Record<string, ApexValue>) => {
    const target = db.schema.getObject(objectName);
    if (!target) return;
    const existing = db.queryRecords(`SELECT Id FROM ${objectName} WHERE DurableId = '${key.replace(/'/g, "\\'")}'`);
    if (existing.length) return;
    const fields: Record<string, ApexValue> = {};
    for (const [k, v] of Object.entries(values)) if (target.fields.has(k.toLowerCase())) fields[k] = v;
    db.insertDirect(target.name, fields);
  };
  for (const v of r.values.values()) {
    const f = def.fields.get(v.name.toLowerCase());
    if (!f?.metadataRelationship || typeof v.value !== 'string') continue;
    const to = (f.referenceTo ?? [])[0]?.toLowerCase();
    if (to === 'entitydefinition') {
      const obj = db.schema.getObject(v.value);
      put('EntityDefinition', v.value, {
        QualifiedApiName: obj?.name ?? v.value,
        DeveloperName: (obj?.name ?? v.value).replace(/__c$/i, ''),
        DurableId: v.value,
        Label: obj?.label ?? v.value,
        MasterLabel: obj?.label ?? v.value,
      });
    } else if (to === 'fielddefinition') {
      const entity = f.controllingField ? r.values.get(f.controllingField.toLowerCase())?.value : undefined;
      const objName = typeof entity === 'string' ? entity : '';
      const field = db.schema.getObject(objName)?.fields.get(v.value.toLowerCase());
      put('FieldDefinition', `${objName}.${v.value}`, {
        QualifiedApiName: field?.name ?? v.value,
        DeveloperName: (field?.name ?? v.value).replace(/__c$/i, ''),
        DurableId: `${objName}.${v.value}`,
        EntityDefinitionId: objName,
        Label: field?.label ?? v.value,
        MasterLabel: field?.label ?? v.value,
        DataType: field?.type ?? null,
      });
    }
  }
}

export interface NewUser {
  username: string;
  lastName: string;
  firstName?: string;
  email?: string;
  alias?: string;
  profileId: ApexId;
  isActive?: boolean;
  federationIdentifier?: string;
  timeZoneSidKey?: string;
  extra?: Record<string, ApexValue>;
}

/** Inserts users directly (fast path for seeding: no triggers, no limits). Returns their Ids in order. */
export function createUsers(db: LocalDatabase, users: NewUser[]): ApexId[] {
  return users.map((u, i) =>
    db.insertDirect('User', {
      Username: u.username,
      FirstName: u.firstName ?? null,
      LastName: u.lastName,
      Email: u.email ?? u.username,
      Alias: (u.alias ?? `u${i}`).slice(0, 8),
      CommunityNickname: `${u.username.split('@')[0]}`.slice(0, 40),
      TimeZoneSidKey: u.timeZoneSidKey ?? 'America/Los_Angeles',
      LocaleSidKey: 'en_US',
      EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'en_US',
      ProfileId: u.profileId,
      IsActive: u.isActive ?? true,
      UserType: 'Standard',
      FederationIdentifier: u.federationIdentifier ?? null,
      ...(u.extra ?? {}),
    }),
  );
}

/** Generates `n` demo users (user1@demo.localorg.test ...) with the Standard User profile. */
export function seedUsers(
  db: LocalDatabase,
  seed: SeedResult,
  n: number,
  opts: { domain?: string; profileId?: ApexId } = {},
): ApexId[] {
  const first = ['Ada', 'Grace', 'Alan', 'Katherine', 'Linus', 'Margaret', 'Dennis', 'Barbara', 'Ken', 'Frances'];
  const last = [
    'Lovelace',
    'Hopper',
    'Turing',
    'Johnson',
    'Torvalds',
    'Hamilton',
    'Ritchie',
    'Liskov',
    'Thompson',
    'Allen',
  ];
  const domain = opts.domain ?? 'demo.localorg.test';
  const list: NewUser[] = [];
  for (let i = 1; i <= n; i++) {
    list.push({
      username: `user${i}@${domain}`,
      firstName: first[i % first.length],
      lastName: `${last[(i * 7) % last.length]} ${i}`,
      alias: `u${i}`,
      profileId: opts.profileId ?? seed.standardProfileId,
    });
  }
  return createUsers(db, list);
}

/** Assigns a permission set (by name) to a user directly. */
export function assignPermissionSet(
  db: LocalDatabase,
  seed: SeedResult,
  userId: ApexId,
  permissionSetName: string,
): ApexId {
  const ps = seed.permissionSetIds.get(permissionSetName.toLowerCase());
  if (!ps) throw new Error(`No permission set ${permissionSetName} in metadata`);
  return db.insertDirect('PermissionSetAssignment', { AssigneeId: userId, PermissionSetId: ps });
}

/** ApexClass records for the project's classes (so AsyncApexJob.ApexClassId and SOQL on ApexClass work). Name -> Id. */
export function seedApexClasses(db: LocalDatabase, names: string[], apiVersion = 62.0): Map<string, ApexId> {
  const out = new Map<string, ApexId>();
  for (const n of names) {
    out.set(
      n.toLowerCase(),
      db.insertDirect('ApexClass', {
        Name: n,
        Status: 'Active',
        IsValid: true,
        ApiVersion: ApexDecimal.of(apiVersion.toFixed(1)),
      }),
    );
  }
  return out;
}
