/**
 * Describe results in the REST API's shapes (REST API Developer Guide: Describe Global, sObject Describe;
 * field properties from the SOAP API's DescribeSObjectResult Field). Built from the local org's schema and the
 * user's object and field permissions: an object the user cannot read is absent, createable / updateable follow
 * object permissions, field-level security and whether the field is system-computed.
 */
import { TEXT_FIELD_TYPES, type AccessApi } from '../../localorg/core/runtime.js';
import type { LocalFieldDef, LocalObjectDef } from '../../localorg/metadata/types.js';

const FIELD_TYPES: Record<string, { type: string; soapType: string }> = {
  id: { type: 'id', soapType: 'tns:ID' },
  reference: { type: 'reference', soapType: 'tns:ID' },
  string: { type: 'string', soapType: 'xsd:string' },
  autonumber: { type: 'string', soapType: 'xsd:string' },
  textarea: { type: 'textarea', soapType: 'xsd:string' },
  longtextarea: { type: 'textarea', soapType: 'xsd:string' },
  email: { type: 'email', soapType: 'xsd:string' },
  phone: { type: 'phone', soapType: 'xsd:string' },
  url: { type: 'url', soapType: 'xsd:string' },
  picklist: { type: 'picklist', soapType: 'xsd:string' },
  multipicklist: { type: 'multipicklist', soapType: 'xsd:string' },
  encryptedstring: { type: 'encryptedstring', soapType: 'xsd:string' },
  boolean: { type: 'boolean', soapType: 'xsd:boolean' },
  int: { type: 'int', soapType: 'xsd:int' },
  double: { type: 'double', soapType: 'xsd:double' },
  currency: { type: 'currency', soapType: 'xsd:double' },
  percent: { type: 'percent', soapType: 'xsd:double' },
  date: { type: 'date', soapType: 'xsd:date' },
  datetime: { type: 'datetime', soapType: 'xsd:dateTime' },
  time: { type: 'time', soapType: 'xsd:time' },
  base64: { type: 'base64', soapType: 'xsd:base64Binary' },
};

const TEXT: ReadonlySet<string> = TEXT_FIELD_TYPES;

function fieldWritable(f: LocalFieldDef, mode: 'create' | 'update'): boolean {
  if (f.systemManaged || f.computed || f.calculated || f.formula || f.summary || f.type === 'autonumber') return false;
  return mode === 'create' ? f.createable !== false : f.updateable !== false && !f.masterDetail;
}

function defaultValue(f: LocalFieldDef): unknown {
  const v = f.defaultValue;
  return typeof v === 'boolean' || typeof v === 'string' || typeof v === 'number' ? v : null;
}

export function describeField(def: LocalObjectDef, f: LocalFieldDef, access: AccessApi): Record<string, unknown> {
  const t = FIELD_TYPES[f.type] ?? { type: 'string', soapType: 'xsd:string' };
  const editable = access.fieldEditable(def.name, f.name);
  const text = TEXT.has(f.type);
  const numeric = ['double', 'currency', 'percent'].includes(f.type);
  const length = text ? (f.length ?? 255) : f.type === 'id' || f.type === 'reference' ? 18 : 0;
  const calculated = !!(f.calculated || f.formula || f.summary);
  return {
    aggregatable: f.type !== 'longtextarea' && f.type !== 'multipicklist',
    autoNumber: f.type === 'autonumber',
    byteLength: length * 3,
    calculated,
    calculatedFormula: f.formula ?? null,
    cascadeDelete: f.deleteConstraint === 'Cascade',
    caseSensitive: !!f.caseSensitive,
    createable: editable && fieldWritable(f, 'create'),
    custom: f.name.endsWith('__c'),
    defaultValue: defaultValue(f),
    defaultedOnCreate:
      f.systemManaged === true || f.defaultValue !== undefined || f.type === 'autonumber' || f.type === 'boolean',
    dependentPicklist: false,
    digits: f.type === 'int' ? (f.precision ?? 9) : 0,
    encrypted: f.type === 'encryptedstring',
    externalId: !!f.externalId,
    filterable: f.type !== 'longtextarea' && f.type !== 'encryptedstring',
    groupable: !numeric && f.type !== 'longtextarea' && f.type !== 'datetime' && f.type !== 'multipicklist',
    htmlFormatted: false,
    idLookup: f.type === 'id' || !!f.externalId || (f.unique === true && text),
    inlineHelpText: f.inlineHelpText ?? null,
    label: f.label,
    length,
    name: f.name,
    nameField: !!f.nameField,
    nillable: !f.required && f.type !== 'boolean' && f.type !== 'id' && !f.systemManaged,
    picklistValues: (f.picklistValues ?? []).map((p) => ({
      active: true,
      defaultValue: !!p.isDefault,
      label: p.label,
      validFor: null,
      value: p.value,
    })),
    precision: numeric ? (f.precision ?? 18) : 0,
    referenceTo: f.referenceTo ?? [],
    relationshipName: f.relationshipName ?? null,
    relationshipOrder: f.masterDetail ? 0 : null,
    restrictedPicklist: !!f.restrictedPicklist,
    scale: numeric ? (f.scale ?? 0) : 0,
    soapType: t.soapType,
    sortable: f.type !== 'longtextarea' && f.type !== 'multipicklist' && f.type !== 'encryptedstring',
    type: t.type,
    unique: !!f.unique,
    updateable: editable && fieldWritable(f, 'update'),
  };
}

function objectFlags(def: LocalObjectDef, access: AccessApi): Record<string, unknown> {
  const data = def.kind === 'standard' || def.kind === 'custom';
  return {
    activateable: false,
    createable: access.canCreate(def.name) && def.dmlAllowed.insert,
    custom: def.custom,
    customSetting: def.kind === 'customSetting',
    deletable: access.canDelete(def.name) && def.dmlAllowed.delete,
    deprecatedAndHidden: false,
    feedEnabled: false,
    hasSubtypes: false,
    isSubtype: false,
    keyPrefix: def.keyPrefix,
    label: def.label,
    labelPlural: def.labelPlural ?? def.label,
    layoutable: data,
    mergeable: false,
    mruEnabled: data,
    name: def.name,
    queryable: true,
    replicateable: data,
    retrieveable: true,
    searchable: data,
    triggerable: data,
    undeletable: access.canDelete(def.name) && def.dmlAllowed.undelete,
    updateable: access.canEdit(def.name) && def.dmlAllowed.update,
  };
}

function urls(def: LocalObjectDef, version: string): Record<string, string> {
  const base = `/services/data/v${version}/sobjects/${def.name}`;
  return {
    rowTemplate: `${base}/{ID}`,
    defaultValues: `${base}/defaultValues?recordTypeId&fields`,
    describe: `${base}/describe`,
    sobject: base,
  };
}

export function describeGlobal(
  objects: { def: LocalObjectDef; access: AccessApi }[],
  version: string,
): Record<string, unknown> {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: objects.map(({ def, access }) => ({ ...objectFlags(def, access), urls: urls(def, version) })),
  };
}

/** The basic information of GET /sobjects/X: objectDescribe and recentItems. */
export function describeBasic(def: LocalObjectDef, access: AccessApi, version: string): Record<string, unknown> {
  return { objectDescribe: { ...objectFlags(def, access), urls: urls(def, version) }, recentItems: [] };
}

export function describeObject(
  def: LocalObjectDef,
  access: AccessApi,
  version: string,
  all: LocalObjectDef[],
): Record<string, unknown> {
  const fields = [...def.fields.values()].filter((f) => access.fieldReadable(def.name, f.name));
  const children = def.childRelationships.map((c) => {
    const child = all.find((o) => o.name === c.childObject);
    const fd = child?.fields.get(c.field.toLowerCase());
    return {
      cascadeDelete: fd?.deleteConstraint === 'Cascade',
      childSObject: c.childObject,
      deprecatedAndHidden: false,
      field: c.field,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: c.relationshipName,
      restrictedDelete: fd?.deleteConstraint === 'Restrict',
    };
  });
  return {
    ...objectFlags(def, access),
    actionOverrides: [],
    childRelationships: children,
    compactLayoutable: def.kind === 'standard' || def.kind === 'custom',
    fields: fields.map((f) => describeField(def, f, access)),
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    recordTypeInfos: [],
    supportedScopes: [{ label: 'All', name: 'everything' }],
    urls: urls(def, version),
  };
}
