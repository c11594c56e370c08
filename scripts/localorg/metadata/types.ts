/**
 * The local org's richer view of the schema. Everything here extends the core contracts (core/runtime.ts)
 * additively: other parts see plain ObjectDef/FieldDef; the database reads the extra facts.
 */
import type { FieldDef, ObjectDef, PermissionSetDef, SchemaApi } from '../core/runtime.js';
import type { ApexValue } from '../core/values.js';

export type SharingModel =
  'Private' | 'Read' | 'ReadWrite' | 'ReadWriteTransfer' | 'FullAccess' | 'ControlledByParent' | 'PublicReadOnly';

export interface LocalFieldDef extends FieldDef {
  /** A default given as a formula the loader cannot reduce to a literal, e.g. 'TODAY()' or 'NOW()' (evaluated on insert). */
  defaultFormula?: string;
  /** A formula field's formula text (formula evaluation is not supported: selecting one is an UnsupportedFeature). */
  formula?: string;
  /** Roll-up summary field (not supported in queries). */
  summary?: boolean;
  /** Lookup delete behaviour: SetNull (default), Restrict or Cascade (master-detail). */
  deleteConstraint?: 'SetNull' | 'Restrict' | 'Cascade';
  /** Master-detail relationship. */
  masterDetail?: boolean;
  /** The field cannot be set on insert (createable=false) or changed on update (updateable=false). */
  createable?: boolean;
  updateable?: boolean;
  /** Platform-computed on save (User.Name = FirstName + ' ' + LastName, ...). */
  computed?: boolean;
  /** Name field of the object (the one shown as the record label). */
  nameField?: boolean;
  description?: string;
  inlineHelpText?: string;
  /**
   * A custom metadata relationship (to EntityDefinition, FieldDefinition or another custom metadata type): the field
   * holds the target's API name as text; SOQL follows `X__r` to the target row with that QualifiedApiName.
   */
  metadataRelationship?: boolean;
  /** For a metadata relationship to FieldDefinition: the field naming its object (metadataRelationshipControllingField). */
  controllingField?: string;
  /**
   * A polymorphic lookup that takes a record of any object, not only its listed targets (Object Reference:
   * ContentDocumentLink.LinkedEntityId "ID of the linked object ... records", ContentVersion.FirstPublishLocationId,
   * ContentDistribution.RelatedRecordId).
   */
  anyRecord?: boolean;
  /** For reference fields: the child relationship name seen from the parent ('Contacts', 'Credentials__r'). */
  childRelationshipName?: string;
}

export interface LocalObjectDef extends ObjectDef {
  fields: Map<string, LocalFieldDef>;
  /** Organization-wide default (sharingModel in the .object-meta.xml; standard objects: their usual defaults). */
  sharingModel: SharingModel;
  /** DML operations the platform allows on this object from Apex. */
  dmlAllowed: { insert: boolean; update: boolean; delete: boolean; undelete: boolean };
  /** Setup objects (User, PermissionSetAssignment, ...) and non-setup objects cannot be mixed in one transaction. */
  setupObject?: boolean;
  /** Has an OwnerId field. */
  hasOwner: boolean;
  /** Unique together constraints (PermissionSetAssignment: AssigneeId + PermissionSetId), field names. */
  uniqueTogether?: { fields: string[]; statusCode: string; message: string }[];
  description?: string;
  /** Platform events: publishBehavior of the .object-meta.xml (PublishAfterCommit when absent). */
  publishImmediately?: boolean;
  /** Where the definition came from (file path) or 'standard'. */
  source: string;
}

/** One custom metadata record from customMetadata/Type.Record.md-meta.xml. */
export interface CustomMetadataRecordDef {
  type: string; // 'Avochato_Setting__mdt'
  developerName: string; // 'Default'
  label: string;
  protected: boolean;
  /** Field API name (canonical) -> typed value. */
  values: Map<string, { name: string; value: ApexValue }>;
}

export interface CustomPermissionInfo {
  name: string;
  label: string;
  description?: string;
}

/** SchemaApi plus what the loader knows beyond the core contract. */
export interface LocalSchemaApi extends SchemaApi {
  getObject(name: string): LocalObjectDef | undefined;
  objectForKeyPrefix(prefix: string): LocalObjectDef | undefined;
  allObjects(): LocalObjectDef[];
  getPermissionSet(name: string): PermissionSetDef | undefined;
  /** Custom metadata records of one type (case-insensitive name) or all. */
  customMetadataRecords(typeName?: string): CustomMetadataRecordDef[];
  customPermissionInfo(name: string): CustomPermissionInfo | undefined;
  /** Absolute project directory it was loaded from (or null for the standard schema alone). */
  projectDir: string | null;
  /** Files read and milliseconds spent loading. */
  loadStats: { files: number; ms: number };
}
