/**
 * LocalObjectDefs for the platform's standard objects, built from the apex-ls SObject definitions (sobject-jar.ts).
 * What the jar carries: every field's name and Apex type, lookups (`AccountId` + `Account`) with their target,
 * polymorphic lookups (`WhatId` + `Name What`), child relationships (`Contact[] Contacts`). What it does not carry
 * (lengths, required fields, picklist values, sharing, key prefixes) comes from the hand-written objects in
 * objects.ts where the project needs it, else platform defaults: text 255, nothing required, Read/Write sharing.
 */
import type { FieldType } from '../../core/runtime.js';
import { fld, makeObject, sys } from '../fields.js';
import type { LocalFieldDef, LocalObjectDef } from '../types.js';
import { base62 } from '../key-prefixes.js';
import { fieldExistsInOrg } from '../../core/org-features.js';
import type { JarField, JarIndex } from './sobject-jar.js';

/**
 * Real key prefixes of common standard objects (Salesforce Help, "Standard Field Record ID Prefix Decoder";
 * Object Reference for Salesforce). Objects not listed get a stable prefix in a range no standard object uses
 * (syntheticPrefix).
 */
export const REAL_KEY_PREFIXES: Record<string, string> = {
  Account: '001',
  Note: '002',
  Contact: '003',
  User: '005',
  Opportunity: '006',
  GroupMember: '011',
  RecordType: '012',
  Document: '015',
  Period: '026',
  Case: '500',
  Solution: '501',
  Entitlement: '550',
  Campaign: '701',
  AsyncApexJob: '707',
  ApexTestQueueItem: '709',
  Contract: '800',
  Order: '801',
  OrderItem: '802',
  CaseComment: '00a',
  OrganizationWideEmailAddress: '0D2',
  Organization: '00D',
  UserRole: '00E',
  Group: '00G',
  Partner: '00I',
  OpportunityContactRole: '00K',
  OpportunityLineItem: '00k',
  Folder: '00l',
  Report: '00O',
  Attachment: '00P',
  Lead: '00Q',
  Task: '00T',
  Event: '00U',
  CampaignMember: '00v',
  EmailTemplate: '00X',
  Profile: '00e',
  Dashboard: '01Z',
  FieldPermissions: '01k',
  BusinessHours: '01m',
  ApexClass: '01p',
  ApexTrigger: '01q',
  Pricebook2: '01s',
  Product2: '01t',
  PricebookEntry: '01u',
  Asset: '02i',
  EmailMessage: '02s',
  QueueSobject: '03g',
  ProcessInstance: '04g',
  ContentWorkspace: '058',
  ApexPage: '066',
  ContentVersion: '068',
  ContentDocument: '069',
  ContentDocumentLink: '06A',
  AccountContactRelation: '07k',
  ApexLog: '07L',
  ApexTestResult: '07M',
  StaticResource: '081',
  Idea: '087',
  CronJobDetail: '08a',
  CronTrigger: '08e',
  ApexComponent: '099',
  Holiday: '0C0',
  CustomPermission: '0CP',
  FeedItem: '0D5',
  CollaborationGroup: '0F9',
  SetupEntityAccess: '0J0',
  Individual: '0PK',
  PermissionSetGroup: '0PG',
  PermissionSet: '0PS',
  PermissionSetAssignment: '0Pa',
  Quote: '0Q0',
  Topic: '0TO',
  ObjectPermissions: '110',
};

/**
 * Targets of polymorphic lookups (the jar types them `Name`): Object Reference for Salesforce, Task/Event WhoId
 * ("Contact or Lead") and WhatId (non-human objects: Account, Opportunity, Case, Campaign, Contract, Asset, Product2,
 * ...), OwnerId (User or Group: the local org resolves to the first target, User). Others fall back to User.
 */
const POLYMORPHIC: Record<string, string[]> = {
  whoid: ['Contact', 'Lead'],
  whatid: ['Account', 'Opportunity', 'Case', 'Campaign', 'Contract', 'Asset', 'Product2', 'Order', 'Quote', 'Solution'],
  ownerid: ['User', 'Group'],
  parentid: ['Account', 'Contact', 'Opportunity', 'Case', 'Lead', 'Campaign', 'Contract', 'Asset', 'Product2'],
  linkedentityid: ['User', 'Account', 'Contact', 'Opportunity', 'Case', 'Lead'],
  relatedtoid: ['Account', 'Contact', 'Opportunity', 'Case', 'Lead'],
};

/** Polymorphic lookups that take a record of any object (LocalFieldDef.anyRecord), by object. */
const ANY_RECORD: Record<string, string> = {
  contentdocumentlink: 'linkedentityid',
  contentversion: 'firstpublishlocationid',
  contentdistribution: 'relatedrecordid',
};

/** Fields the platform maintains (never createable or updateable). Object Reference, "System Fields". */
const SYSTEM_FIELDS = new Set([
  'id',
  'isdeleted',
  'createddate',
  'createdbyid',
  'lastmodifieddate',
  'lastmodifiedbyid',
  'systemmodstamp',
  'lastvieweddate',
  'lastreferenceddate',
  'lastactivitydate',
]);

const SCALAR: Record<string, FieldType> = {
  String: 'string',
  Boolean: 'boolean',
  Datetime: 'datetime',
  Date: 'date',
  Time: 'time',
  Decimal: 'double',
  Double: 'double',
  Integer: 'int',
  Long: 'double',
  Blob: 'base64',
  Object: 'string',
};

function isRelationshipType(index: JarIndex, t: string): boolean {
  return t === 'Name' || t === 'SObject' || (t in index.objects && t !== 'Address' && t !== 'Location');
}

/** Lookup targets of `<rel>Id`, given the type of its relationship field `<rel>`. */
function targetsOf(idField: string, relType: string): string[] {
  if (relType !== 'Name' && relType !== 'SObject') return [relType];
  return POLYMORPHIC[idField.toLowerCase()] ?? ['User'];
}

/** The fields of one jar object as LocalFieldDefs (compound Address/Location fields and String[] are left out). */
export function jarFields(index: JarIndex, objectName: string): LocalFieldDef[] {
  const fields = index.objects[objectName] ?? [];
  const byName = new Map(fields.filter((f) => !f.many).map((f) => [f.name.toLowerCase(), f]));
  const out: LocalFieldDef[] = [];
  for (const f of fields) {
    if (f.many) continue;
    const low = f.name.toLowerCase();
    if (!fieldExistsInOrg(low)) continue; // a field of a feature the org lacks (core/org-features.ts)
    let def: LocalFieldDef | null = null;
    if (f.type === 'Id') {
      if (low === 'id') def = sys('Id', 'id', { label: 'Record ID', length: 18 });
      else {
        // `AccountId` + `Account`, `ParentId` + `Parent`; the relationship name is the Id field without "Id".
        const rel = f.name.endsWith('Id') ? byName.get(low.slice(0, -2)) : undefined;
        if (rel && isRelationshipType(index, rel.type))
          def = fld(f.name, 'reference', { referenceTo: targetsOf(f.name, rel.type), relationshipName: rel.name });
        else def = fld(f.name, 'string', { length: 18 });
      }
    } else if (SCALAR[f.type]) {
      const type = SCALAR[f.type];
      def = fld(f.name, type, type === 'string' ? { length: 255 } : {});
    }
    if (!def) continue; // a relationship field (`Account`), a compound field or String[]
    if (SYSTEM_FIELDS.has(low)) {
      def.systemManaged = true;
      def.createable = false;
      def.updateable = false;
    }
    if (low === 'name') def.nameField = true;
    if (ANY_RECORD[objectName.toLowerCase()] === low) def.anyRecord = true;
    out.push(def);
  }
  return out;
}

/** Child relationships of a jar object: `Contact[] Contacts` on Account names the child's lookup to Account. */
export function jarChildRelationships(
  index: JarIndex,
  parent: string,
): { relationshipName: string; childObject: string; field: string }[] {
  const out: { relationshipName: string; childObject: string; field: string }[] = [];
  for (const f of index.objects[parent] ?? []) {
    if (!f.many || !index.objects[f.type]) continue;
    const childFields = index.objects[f.type];
    const ids = new Set(childFields.filter((c) => c.type === 'Id').map((c) => c.name.toLowerCase()));
    const candidates = childFields.filter(
      (c) =>
        !c.many &&
        ids.has(`${c.name.toLowerCase()}id`) &&
        (c.type === parent ||
          ((c.type === 'Name' || c.type === 'SObject') && targetsOf(`${c.name}Id`, c.type).includes(parent))),
    );
    if (!candidates.length) continue;
    const pick = candidates.find((c) => c.name.toLowerCase() === parent.toLowerCase()) ?? candidates[0];
    const field = childFields.find((c) => c.name.toLowerCase() === `${pick.name.toLowerCase()}id`)!.name;
    out.push({ relationshipName: f.name, childObject: f.type, field });
  }
  return out;
}

/** A stable key prefix for a standard object without a known real one: 'Z' or 'Y' + two base-62 digits. */
export function syntheticPrefix(index: JarIndex, objectName: string): string {
  const names = syntheticOrder(index);
  const i = names.get(objectName.toLowerCase()) ?? 0;
  return (i < 3844 ? 'Z' : 'Y') + base62(i % 3844, 2);
}

let orderMemo: { index: JarIndex; names: Map<string, number>; byPrefix: Map<string, string> } | null = null;

function syntheticOrder(index: JarIndex): Map<string, number> {
  if (orderMemo?.index !== index) {
    const names = new Map<string, number>();
    const byPrefix = new Map<string, string>();
    const sorted = Object.keys(index.objects)
      .filter((n) => !(n in REAL_KEY_PREFIXES))
      .sort();
    sorted.forEach((n, i) => {
      names.set(n.toLowerCase(), i);
      byPrefix.set((i < 3844 ? 'Z' : 'Y') + base62(i % 3844, 2), n);
    });
    orderMemo = { index, names, byPrefix };
  }
  return orderMemo.names;
}

/** The jar object whose key prefix (real or synthetic) this is, or undefined. */
export function jarObjectForPrefix(index: JarIndex, prefix: string): string | undefined {
  for (const [name, p] of Object.entries(REAL_KEY_PREFIXES)) if (p === prefix && index.objects[name]) return name;
  syntheticOrder(index);
  return orderMemo!.byPrefix.get(prefix);
}

/**
 * Setup objects: DML on them and on other objects may not share a transaction (MIXED_DML_OPERATION). Apex Developer
 * Guide, "sObjects That Can't Be Used Together in DML Operations"
 * (https://developer.salesforce.com/docs/platform/apex-dev/references/apex-dev/apex-dml-non-mix-sobjects.html); the
 * hand-written objects (User, PermissionSet, PermissionSetAssignment, SetupEntityAccess, ...) say so themselves.
 */
const SETUP_OBJECTS = new Set([
  'AuthSession',
  'ContentWorkspace',
  'FieldPermissions',
  'ForecastingShare',
  'Group',
  'GroupMember',
  'ObjectPermissions',
  'ObjectTerritory2AssignmentRule',
  'ObjectTerritory2AssignmentRuleItem',
  // Not on the page's list ("not an exhaustive list"), but they change users' access like PermissionSet does, and
  // public suites that pass on the platform mix them with User and PermissionSetAssignment DML.
  'PermissionSetGroup',
  'PermissionSetGroupComponent',
  'QueueSObject',
  'RuleTerritory2Association',
  'Territory',
  'Territory2',
  'Territory2Model',
  'UserRole',
  'UserTerritory2Association',
]);

/** A standard object built from the jar alone. */
export function jarObject(index: JarIndex, objectName: string): LocalObjectDef {
  const prefix = REAL_KEY_PREFIXES[objectName] ?? syntheticPrefix(index, objectName);
  const o = makeObject(objectName, prefix, jarFields(index, objectName), {
    sharingModel: 'ReadWrite',
    source: 'standard (apex-ls sobject-types)',
  });
  if (SETUP_OBJECTS.has(objectName)) o.setupObject = true;
  linkMetadataCatalog(o);
  return o;
}

/**
 * The metadata catalog's relationship, which the jar types as a plain string: FieldDefinition.EntityDefinition is "a
 * relationship lookup to the object type that contains this field" (Object Reference, FieldDefinition: "You can't
 * interact directly with this field. Instead, use it in queries", e.g. `WHERE EntityDefinition.QualifiedApiName =
 * 'Lead'`), held by EntityDefinitionId as the entity's durable Id; its child relationship on EntityDefinition is
 * `Fields`. Modelled as a metadata relationship (the value names the target row, see soql/execute.ts metadataTarget).
 */
function linkMetadataCatalog(o: LocalObjectDef): void {
  if (o.name === 'FieldDefinition') {
    const f = o.fields.get('entitydefinitionid');
    if (f)
      Object.assign(f, {
        metadataRelationship: true,
        referenceTo: ['EntityDefinition'],
        relationshipName: 'EntityDefinition',
      });
  } else if (o.name === 'EntityDefinition') {
    o.childRelationships.push({
      relationshipName: 'Fields',
      childObject: 'FieldDefinition',
      field: 'EntityDefinitionId',
    });
  }
}

export type { JarField };
