/**
 * Schema describe: SObjectType and SObjectField tokens, DescribeSObjectResult, DescribeFieldResult, PicklistEntry,
 * Schema.getGlobalDescribe/describeSObjects, and Security.stripInaccessible with AccessType / AccessLevel.
 * Tokens are NativeInstances with value equality (ops.ValueKeyed); String.valueOf prints the API name.
 */
import { randomUUID } from 'node:crypto';
import { platformError } from '../core/errors.js';
import {
  TEXT_FIELD_TYPES,
  type FieldDef,
  type NativeClass,
  type NativeFn,
  type ObjectDef,
  type Runtime,
} from '../core/runtime.js';
import { ApexList, ApexMap, ApexSet, NativeInstance, SObjectValue, T, type ApexValue } from '../core/values.js';
import { coerceTo } from '../core/ops.js';
import { enumName, makeEnum, native, npe, reqBool, reqList, reqStr, unsupported } from './util.js';
import { mapPut, setAdd } from './collections.js';

// ---------------------------------------------------------------------------------------------
// Lookups
// ---------------------------------------------------------------------------------------------

export function requireObject(rt: Runtime, name: string): ObjectDef {
  const o = rt.schema.getObject(name);
  if (!o) throw platformError('System.SObjectException', `Invalid sObject type: ${name}`);
  return o;
}

export function findField(obj: ObjectDef, field: string): FieldDef | undefined {
  return obj.fields.get(field.toLowerCase());
}

export function requireField(rt: Runtime, objectName: string, field: string): FieldDef {
  const o = requireObject(rt, objectName);
  const f = findField(o, field);
  if (!f) throw platformError('System.SObjectException', `Invalid field ${field} for ${o.name}`);
  return f;
}

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

interface SObjectTypeState {
  valueKey: string;
  display: string;
  objectName: string;
}

interface FieldTokenState {
  valueKey: string;
  display: string;
  objectName: string;
  fieldName: string;
}

/** `Account.SObjectType`, `Schema.Account.SObjectType`, `rec.getSObjectType()`. */
export function sobjectTypeToken(rt: Runtime, objectName: string): NativeInstance<SObjectTypeState> {
  return typeTokenOf(requireObject(rt, objectName).name);
}

/** The token of an object known to exist, by its canonical name. */
function typeTokenOf(name: string): NativeInstance<SObjectTypeState> {
  return new NativeInstance<SObjectTypeState>('Schema.SObjectType', {
    valueKey: name.toLowerCase(),
    display: name,
    objectName: name,
  });
}

/** `Account.Name`, `Avochato_API_Credential__c.Auth_Id__c` used as a field token. */
export function fieldToken(rt: Runtime, objectName: string, fieldName: string): NativeInstance<FieldTokenState> {
  const o = requireObject(rt, objectName);
  const f = findField(o, fieldName);
  if (!f) throw platformError('System.SObjectException', `Invalid field ${fieldName} for ${o.name}`);
  return new NativeInstance<FieldTokenState>('Schema.SObjectField', {
    valueKey: `${o.name.toLowerCase()}.${f.name.toLowerCase()}`,
    display: f.name,
    objectName: o.name,
    fieldName: f.name,
  });
}

/** The field name of an SObjectField token or a String argument (SObject.get/put/addError accept both). */
export function fieldNameArg(v: ApexValue): { name: string; objectName?: string } {
  if (v === null) throw npe();
  if (v instanceof NativeInstance && v.typeName === 'Schema.SObjectField') {
    const st = v.state as FieldTokenState;
    return { name: st.fieldName, objectName: st.objectName };
  }
  return { name: reqStr(v) };
}

function objState(v: ApexValue): SObjectTypeState {
  return native<SObjectTypeState>(v, 'Schema.SObjectType').state;
}

function fieldState(v: ApexValue): FieldTokenState {
  return native<FieldTokenState>(v, 'Schema.SObjectField').state;
}

// ---------------------------------------------------------------------------------------------
// Describe results
// ---------------------------------------------------------------------------------------------

interface DescribeObjState {
  objectName: string;
}
interface DescribeFieldState {
  objectName: string;
  fieldName: string;
}

export function describeSObject(rt: Runtime, objectName: string): NativeInstance<DescribeObjState> {
  const o = requireObject(rt, objectName);
  return new NativeInstance<DescribeObjState>('Schema.DescribeSObjectResult', { objectName: o.name });
}

export function describeField(rt: Runtime, objectName: string, fieldName: string): NativeInstance<DescribeFieldState> {
  const f = requireField(rt, objectName, fieldName);
  return new NativeInstance<DescribeFieldState>('Schema.DescribeFieldResult', {
    objectName: requireObject(rt, objectName).name,
    fieldName: f.name,
  });
}

/**
 * Describe maps (getGlobalDescribe, fields.getMap) have lower-case keys and case-insensitive get/containsKey.
 * collections.ts honours this flag.
 */
export function markCaseInsensitive(m: ApexMap): ApexMap {
  (m as ApexMap & { caseInsensitiveKeys?: boolean }).caseInsensitiveKeys = true;
  return m;
}

function fieldsMap(rt: Runtime, objectName: string): ApexMap {
  const o = requireObject(rt, objectName);
  const m = markCaseInsensitive(new ApexMap(T.String, { name: 'Schema.SObjectField' }));
  for (const f of o.fields.values()) mapPut(rt, m, f.name.toLowerCase(), fieldToken(rt, o.name, f.name));
  return m;
}

export const DisplayTypeEnum = makeEnum(
  'Schema.DisplayType',
  [
    'ADDRESS',
    'ANYTYPE',
    'BASE64',
    'BOOLEAN',
    'COMBOBOX',
    'CURRENCY',
    'DATACATEGORYGROUPREFERENCE',
    'DATE',
    'DATETIME',
    'DOUBLE',
    'EMAIL',
    'ENCRYPTEDSTRING',
    'ID',
    'INTEGER',
    'LOCATION',
    'LONG',
    'MULTIPICKLIST',
    'PERCENT',
    'PHONE',
    'PICKLIST',
    'REFERENCE',
    'STRING',
    'TEXTAREA',
    'TIME',
    'URL',
    'JSON',
  ],
  ['DisplayType'],
);

export const SoapTypeEnum = makeEnum(
  'Schema.SoapType',
  [
    'ADDRESS',
    'ANYTYPE',
    'BASE64BINARY',
    'BOOLEAN',
    'DATE',
    'DATETIME',
    'DOUBLE',
    'ID',
    'INTEGER',
    'LOCATION',
    'STRING',
    'TIME',
  ],
  ['SoapType'],
);

const DISPLAY: Record<string, string> = {
  id: 'ID',
  string: 'STRING',
  textarea: 'TEXTAREA',
  longtextarea: 'TEXTAREA',
  email: 'EMAIL',
  phone: 'PHONE',
  url: 'URL',
  picklist: 'PICKLIST',
  multipicklist: 'MULTIPICKLIST',
  boolean: 'BOOLEAN',
  int: 'INTEGER',
  double: 'DOUBLE',
  currency: 'CURRENCY',
  percent: 'PERCENT',
  date: 'DATE',
  datetime: 'DATETIME',
  time: 'TIME',
  reference: 'REFERENCE',
  autonumber: 'STRING',
  encryptedstring: 'ENCRYPTEDSTRING',
  base64: 'BASE64',
};

const SOAP: Record<string, string> = {
  id: 'ID',
  reference: 'ID',
  boolean: 'BOOLEAN',
  int: 'INTEGER',
  double: 'DOUBLE',
  currency: 'DOUBLE',
  percent: 'DOUBLE',
  date: 'DATE',
  datetime: 'DATETIME',
  time: 'TIME',
  base64: 'BASE64BINARY',
};

const TEXT_TYPES: ReadonlySet<string> = new Set<string>([...TEXT_FIELD_TYPES, 'id', 'reference']);

function isCreateableField(f: FieldDef): boolean {
  return !f.systemManaged && !f.calculated && f.type !== 'autonumber' && f.type !== 'id';
}

function isUpdateableField(f: FieldDef, o: ObjectDef): boolean {
  if (!isCreateableField(f)) return false;
  // Master-detail and other create-only fields are not modelled; custom metadata is not updatable by DML.
  return o.kind !== 'customMetadata';
}

interface PicklistEntryState {
  value: string;
  label: string;
  active: boolean;
  isDefault: boolean;
}

function picklistEntry(p: { value: string; label: string; isDefault?: boolean }): NativeInstance<PicklistEntryState> {
  return new NativeInstance<PicklistEntryState>('Schema.PicklistEntry', {
    value: p.value,
    label: p.label,
    active: true,
    isDefault: !!p.isDefault,
  });
}

function dfr(rt: Runtime, s: ApexValue): { o: ObjectDef; f: FieldDef } {
  const st = native<DescribeFieldState>(s, 'Schema.DescribeFieldResult').state;
  const o = requireObject(rt, st.objectName);
  return { o, f: findField(o, st.fieldName)! };
}

function dor(rt: Runtime, s: ApexValue): ObjectDef {
  return requireObject(rt, native<DescribeObjState>(s, 'Schema.DescribeSObjectResult').state.objectName);
}

const describeFieldMethods: Record<string, NativeFn> = {
  getname: (rt, _a, s) => dfr(rt, s).f.name,
  getlocalname: (rt, _a, s) => dfr(rt, s).f.name,
  getlabel: (rt, _a, s) => dfr(rt, s).f.label,
  gettype: (rt, _a, s) => DisplayTypeEnum.value(DISPLAY[dfr(rt, s).f.type] ?? 'STRING'),
  getsoaptype: (rt, _a, s) => SoapTypeEnum.value(SOAP[dfr(rt, s).f.type] ?? 'STRING'),
  getlength: (rt, _a, s) => {
    const { f } = dfr(rt, s);
    return TEXT_TYPES.has(f.type) ? (f.length ?? (f.type === 'id' || f.type === 'reference' ? 18 : 0)) : 0;
  },
  getbytelength: (rt, _a, s) => {
    const { f } = dfr(rt, s);
    return TEXT_TYPES.has(f.type) ? (f.length ?? 18) * 3 : 0;
  },
  getprecision: (rt, _a, s) => dfr(rt, s).f.precision ?? 0,
  getscale: (rt, _a, s) => dfr(rt, s).f.scale ?? 0,
  getdigits: (rt, _a, s) => (dfr(rt, s).f.type === 'int' ? (dfr(rt, s).f.precision ?? 9) : 0),
  isaccessible: (rt, _a, s) => {
    const { o, f } = dfr(rt, s);
    return rt.access.canRead(o.name) && rt.access.fieldReadable(o.name, f.name);
  },
  iscreateable: (rt, _a, s) => {
    const { o, f } = dfr(rt, s);
    return isCreateableField(f) && rt.access.canCreate(o.name) && rt.access.fieldEditable(o.name, f.name);
  },
  isupdateable: (rt, _a, s) => {
    const { o, f } = dfr(rt, s);
    return isUpdateableField(f, o) && rt.access.canEdit(o.name) && rt.access.fieldEditable(o.name, f.name);
  },
  isnillable: (rt, _a, s) => {
    const { f } = dfr(rt, s);
    return !f.required && f.type !== 'boolean' && f.type !== 'id' && !f.systemManaged;
  },
  isunique: (rt, _a, s) => !!dfr(rt, s).f.unique,
  isexternalid: (rt, _a, s) => !!dfr(rt, s).f.externalId,
  iscustom: (rt, _a, s) => dfr(rt, s).f.name.endsWith('__c'),
  iscasesensitive: (rt, _a, s) => !!dfr(rt, s).f.caseSensitive,
  iscalculated: (rt, _a, s) => !!dfr(rt, s).f.calculated,
  isautonumber: (rt, _a, s) => dfr(rt, s).f.type === 'autonumber',
  isnamefield: (rt, _a, s) => dfr(rt, s).f.name.toLowerCase() === 'name',
  isidlookup: (rt, _a, s) => {
    const { f } = dfr(rt, s);
    return f.type === 'id' || !!f.externalId || f.name.toLowerCase() === 'name';
  },
  isrestrictedpicklist: (rt, _a, s) => !!dfr(rt, s).f.restrictedPicklist,
  isdefaultedoncreate: (rt, _a, s) => dfr(rt, s).f.defaultValue !== undefined || !!dfr(rt, s).f.systemManaged,
  isfilterable: (rt, _a, s) => !['longtextarea', 'encryptedstring', 'base64'].includes(dfr(rt, s).f.type),
  issortable: (rt, _a, s) =>
    !['longtextarea', 'multipicklist', 'encryptedstring', 'base64'].includes(dfr(rt, s).f.type),
  isgroupable: (rt, _a, s) =>
    ![
      'longtextarea',
      'multipicklist',
      'encryptedstring',
      'base64',
      'double',
      'currency',
      'percent',
      'datetime',
      'textarea',
    ].includes(dfr(rt, s).f.type),
  ishtmlformatted: () => false,
  isencrypted: (rt, _a, s) => dfr(rt, s).f.type === 'encryptedstring',
  getdefaultvalue: (rt, _a, s) => dfr(rt, s).f.defaultValue ?? null,
  getdefaultvalueformula: () => unsupported('DescribeFieldResult.getDefaultValueFormula'),
  getinlinehelptext: () => null,
  getpicklistvalues: (rt, _a, s) =>
    new ApexList({ name: 'Schema.PicklistEntry' }, (dfr(rt, s).f.picklistValues ?? []).map(picklistEntry)),
  getreferenceto: (rt, _a, s) =>
    new ApexList(
      { name: 'Schema.SObjectType' },
      (dfr(rt, s).f.referenceTo ?? []).filter((n) => rt.schema.getObject(n)).map((n) => sobjectTypeToken(rt, n)),
    ),
  getrelationshipname: (rt, _a, s) => dfr(rt, s).f.relationshipName ?? null,
  getsobjectfield: (rt, _a, s) => {
    const { o, f } = dfr(rt, s);
    return fieldToken(rt, o.name, f.name);
  },
  getsobjecttype: (rt, _a, s) => sobjectTypeToken(rt, dfr(rt, s).o.name),
  getcontroller: () => unsupported('DescribeFieldResult.getController (dependent picklists)'),
};

/** `describe.fields` and `Schema.SObjectType.Account.fields`: getMap() and `.FieldName` members. */
interface FieldsState {
  objectName: string;
}

const SObjectTypeFieldsClass: NativeClass = {
  name: 'Schema.SObjectTypeFields',
  methods: {
    getmap: (rt, _a, s) => fieldsMap(rt, native<FieldsState>(s, 'Schema.SObjectTypeFields').state.objectName),
  },
  dynamicProp: (rt, s, name) => {
    const st = native<FieldsState>(s, 'Schema.SObjectTypeFields').state;
    const o = requireObject(rt, st.objectName);
    const f = findField(o, name);
    if (!f) return undefined;
    // Schema.SObjectType.Account.fields.Name is a DescribeFieldResult.
    return describeField(rt, o.name, f.name);
  },
};

const describeObjMethods: Record<string, NativeFn> = {
  getname: (rt, _a, s) => dor(rt, s).name,
  getlocalname: (rt, _a, s) => dor(rt, s).name,
  getlabel: (rt, _a, s) => dor(rt, s).label,
  getlabelplural: (rt, _a, s) => dor(rt, s).labelPlural ?? dor(rt, s).label,
  getkeyprefix: (rt, _a, s) => dor(rt, s).keyPrefix || null,
  isaccessible: (rt, _a, s) => rt.access.canRead(dor(rt, s).name),
  iscreateable: (rt, _a, s) => dor(rt, s).kind !== 'customMetadata' && rt.access.canCreate(dor(rt, s).name),
  isupdateable: (rt, _a, s) => dor(rt, s).kind !== 'customMetadata' && rt.access.canEdit(dor(rt, s).name),
  isdeletable: (rt, _a, s) => dor(rt, s).kind !== 'customMetadata' && rt.access.canDelete(dor(rt, s).name),
  isqueryable: (rt, _a, s) => rt.access.canRead(dor(rt, s).name),
  issearchable: (rt, _a, s) => dor(rt, s).kind !== 'customMetadata' && dor(rt, s).kind !== 'customSetting',
  isundeletable: (rt, _a, s) => dor(rt, s).kind !== 'customMetadata' && rt.access.canDelete(dor(rt, s).name),
  ismergeable: (rt, _a, s) => ['Account', 'Contact', 'Lead'].includes(dor(rt, s).name),
  iscustom: (rt, _a, s) => dor(rt, s).custom,
  iscustomsetting: (rt, _a, s) => dor(rt, s).kind === 'customSetting',
  isfeedenabled: () => false,
  getsobjecttype: (rt, _a, s) => sobjectTypeToken(rt, dor(rt, s).name),
  getchildrelationships: () => unsupported('DescribeSObjectResult.getChildRelationships'),
  getrecordtypeinfos: () => unsupported('DescribeSObjectResult.getRecordTypeInfos'),
  getrecordtypeinfosbydevelopername: () => unsupported('DescribeSObjectResult.getRecordTypeInfosByDeveloperName'),
  getrecordtypeinfosbyname: () => unsupported('DescribeSObjectResult.getRecordTypeInfosByName'),
  getrecordtypeinfosbyid: () => unsupported('DescribeSObjectResult.getRecordTypeInfosById'),
};

export const DescribeSObjectResultClass: NativeClass = {
  name: 'Schema.DescribeSObjectResult',
  aliases: ['DescribeSObjectResult'],
  methods: describeObjMethods,
  props: {
    fields: {
      get: (rt, s) => new NativeInstance<FieldsState>('Schema.SObjectTypeFields', { objectName: dor(rt, s).name }),
    },
  },
};

export const DescribeFieldResultClass: NativeClass = {
  name: 'Schema.DescribeFieldResult',
  aliases: ['DescribeFieldResult'],
  methods: describeFieldMethods,
};

export const PicklistEntryClass: NativeClass = {
  name: 'Schema.PicklistEntry',
  aliases: ['PicklistEntry'],
  methods: {
    getvalue: (_rt, _a, s) => native<PicklistEntryState>(s, 'Schema.PicklistEntry').state.value,
    getlabel: (_rt, _a, s) => native<PicklistEntryState>(s, 'Schema.PicklistEntry').state.label,
    isactive: (_rt, _a, s) => native<PicklistEntryState>(s, 'Schema.PicklistEntry').state.active,
    isdefaultvalue: (_rt, _a, s) => native<PicklistEntryState>(s, 'Schema.PicklistEntry').state.isDefault,
  },
};

/** New record of a type, with field defaults when asked (SObjectType.newSObject(null, true)). */
export function newRecord(rt: Runtime, objectName: string, id: ApexValue, loadDefaults: boolean): SObjectValue {
  const o = requireObject(rt, objectName);
  const rec = new SObjectValue(o.name);
  if (id !== null) rec.setRaw('Id', coerceTo(rt, id, T.Id));
  if (loadDefaults) {
    for (const f of o.fields.values()) if (f.defaultValue !== undefined) rec.setRaw(f.name, f.defaultValue);
    // A platform event made with its defaults carries its EventUuid before it is published (Platform Events
    // Developer Guide, "Get the Event UUID Before Publishing": newSObject(null, true)), for publish callbacks.
    if (o.kind === 'platformEvent' && o.fields.has('eventuuid')) rec.setRaw('EventUuid', randomUUID());
  }
  return rec;
}

export const SObjectTypeClass: NativeClass = {
  name: 'Schema.SObjectType',
  aliases: ['SObjectType'],
  // Used by the interpreter for `Account.SObjectType`: of(objectName).
  statics: { of: (rt, a) => sobjectTypeToken(rt, reqStr(a[0])) },
  methods: {
    getdescribe: (rt, _a, s) => describeSObject(rt, objState(s).objectName),
    newsobject: (rt, a, s) => {
      const name = objState(s).objectName;
      if (a.length === 0) return newRecord(rt, name, null, false);
      if (a.length === 1) return newRecord(rt, name, a[0], false);
      if (a.length === 2) return newRecord(rt, name, a[0], reqBool(a[1]));
      return unsupported('SObjectType.newSObject with 3+ arguments');
    },
    tostring: (_rt, _a, s) => objState(s).objectName,
    hashcode: (_rt, _a, s) => hash(objState(s).valueKey),
    equals: (_rt, a, s) =>
      a[0] instanceof NativeInstance &&
      a[0].typeName === 'Schema.SObjectType' &&
      (a[0].state as SObjectTypeState).valueKey === objState(s).valueKey,
  },
  // Schema.SObjectType.Account -> DescribeSObjectResult.
  dynamicStaticProp: (rt, name) => (rt.schema.getObject(name) ? describeSObject(rt, name) : undefined),
};

export const SObjectFieldClass: NativeClass = {
  name: 'Schema.SObjectField',
  aliases: ['SObjectField'],
  // Used by the interpreter for `Account.Name` as a token: of(objectName, fieldName).
  statics: { of: (rt, a) => fieldToken(rt, reqStr(a[0]), reqStr(a[1])) },
  methods: {
    getdescribe: (rt, _a, s) => describeField(rt, fieldState(s).objectName, fieldState(s).fieldName),
    tostring: (_rt, _a, s) => fieldState(s).fieldName,
    hashcode: (_rt, _a, s) => hash(fieldState(s).valueKey),
    equals: (_rt, a, s) =>
      a[0] instanceof NativeInstance &&
      a[0].typeName === 'Schema.SObjectField' &&
      (a[0].state as FieldTokenState).valueKey === fieldState(s).valueKey,
  },
};

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

export const SchemaClass: NativeClass = {
  name: 'Schema',
  statics: {
    getglobaldescribe: (rt) => {
      const m = markCaseInsensitive(new ApexMap(T.String, { name: 'Schema.SObjectType' }));
      // Every object of the org, standard ones included (Apex Reference, Schema.getGlobalDescribe(): "a map of all
      // sObject names (keys) to sObject tokens (values) for the standard and custom objects defined in your
      // organization"); a token names its object, which is built only when described.
      for (const name of rt.schema.allObjectNames()) mapPut(rt, m, name.toLowerCase(), typeTokenOf(name));
      return m;
    },
    describesobjects: (rt, a) => {
      const names = reqList(a[0]).items.map((x) => reqStr(x));
      return new ApexList(
        { name: 'Schema.DescribeSObjectResult' },
        names.map((n) => {
          if (!rt.schema.getObject(n))
            throw platformError(
              'System.InvalidParameterValueException',
              `In describeSObjects(), unknown SObject type: ${n}`,
            );
          return describeSObject(rt, n);
        }),
      );
    },
    describetabs: () => unsupported('Schema.describeTabs'),
    describedatacategorygroups: () => unsupported('Schema.describeDataCategoryGroups'),
  },
};

// ---------------------------------------------------------------------------------------------
// Security.stripInaccessible, AccessType, AccessLevel
// ---------------------------------------------------------------------------------------------

export const AccessTypeEnum = makeEnum(
  'System.AccessType',
  ['CREATABLE', 'READABLE', 'UPDATABLE', 'UPSERTABLE'],
  ['AccessType'],
);

/** AccessLevel.USER_MODE / SYSTEM_MODE: used by Database.* methods (database.ts reads `mode`). */
export const AccessLevelClass: NativeClass = {
  name: 'System.AccessLevel',
  aliases: ['AccessLevel'],
  staticProps: {
    user_mode: () =>
      new NativeInstance('System.AccessLevel', { valueKey: 'USER_MODE', display: 'USER_MODE', mode: 'user' }),
    system_mode: () =>
      new NativeInstance('System.AccessLevel', { valueKey: 'SYSTEM_MODE', display: 'SYSTEM_MODE', mode: 'system' }),
  },
  methods: {
    withpermissionsetid: () => unsupported('AccessLevel.withPermissionSetId'),
  },
};

export function isUserMode(v: ApexValue): boolean {
  if (v === null) throw npe();
  const st = native<{ mode: string }>(v, 'System.AccessLevel').state;
  return st.mode === 'user';
}

interface DecisionState {
  records: ApexList;
  removed: Map<string, Set<string>>;
  modified: Set<number>;
}

function fieldAllowed(rt: Runtime, o: ObjectDef, f: FieldDef, access: string): boolean {
  if (f.name.toLowerCase() === 'id') return true;
  const read = rt.access.fieldReadable(o.name, f.name);
  const edit = rt.access.fieldEditable(o.name, f.name);
  switch (access) {
    case 'READABLE':
      return read;
    case 'CREATABLE':
      return isCreateableField(f) && edit;
    case 'UPDATABLE':
      return isUpdateableField(f, o) && edit;
    case 'UPSERTABLE':
      return isCreateableField(f) && isUpdateableField(f, o) && edit;
  }
  return false;
}

function objectAllowed(rt: Runtime, name: string, access: string): boolean {
  switch (access) {
    case 'READABLE':
      return rt.access.canRead(name);
    case 'CREATABLE':
      return rt.access.canCreate(name);
    case 'UPDATABLE':
      return rt.access.canEdit(name);
    case 'UPSERTABLE':
      return rt.access.canCreate(name) && rt.access.canEdit(name);
  }
  return false;
}

function stripRecord(
  rt: Runtime,
  rec: SObjectValue,
  access: string,
  removed: Map<string, Set<string>>,
): { out: SObjectValue; changed: boolean } {
  const o = requireObject(rt, rec.sobjectType);
  const out = new SObjectValue(rec.sobjectType);
  out.fromQuery = rec.fromQuery;
  let changed = false;
  const note = (field: string) => {
    let s = removed.get(o.name);
    if (!s) removed.set(o.name, (s = new Set()));
    s.add(field);
    changed = true;
  };
  for (const [, fv] of rec.fields) {
    const f = findField(o, fv.name);
    if (f) {
      if (fieldAllowed(rt, o, f, access)) out.setRaw(fv.name, fv.value);
      else note(f.name);
      continue;
    }
    // A relationship: a parent record or a list of children.
    const v = fv.value;
    if (v instanceof SObjectValue) {
      if (!objectAllowed(rt, v.sobjectType, access)) {
        note(fv.name);
        continue;
      }
      const r = stripRecord(rt, v, access, removed);
      if (r.changed) changed = true;
      out.setRaw(fv.name, r.out);
    } else if (v instanceof ApexList) {
      // A subquery's children of an object the user may not access: the whole relationship is removed (Apex
      // Developer Guide, "Enforce Security with the stripInaccessible Method": relationship fields the user cannot
      // access are stripped), so reading it afterwards is an SObjectException like any field not queried.
      const child = v.items.find((c): c is SObjectValue => c instanceof SObjectValue)?.sobjectType ?? v.elemType.name;
      if (rt.schema.getObject(child) && !objectAllowed(rt, child, access)) {
        note(fv.name);
        continue;
      }
      const items = v.items.map((c) => {
        if (!(c instanceof SObjectValue)) return c;
        const r = stripRecord(rt, c, access, removed);
        if (r.changed) changed = true;
        return r.out;
      });
      out.setRaw(fv.name, new ApexList(v.elemType, items));
    } else {
      out.setRaw(fv.name, v);
    }
  }
  return { out, changed };
}

export function stripInaccessible(
  rt: Runtime,
  accessType: ApexValue,
  records: ApexValue,
  enforceRootObjectCRUD = true,
): NativeInstance<DecisionState> {
  const access = enumName(accessType);
  if (access === null) throw npe();
  const list = reqList(records);
  const removed = new Map<string, Set<string>>();
  const modified = new Set<number>();
  const out: ApexValue[] = [];
  list.items.forEach((r, i) => {
    if (!(r instanceof SObjectValue)) {
      out.push(r);
      return;
    }
    if (enforceRootObjectCRUD && !objectAllowed(rt, r.sobjectType, access)) {
      throw platformError('System.NoAccessException', `No access to entity: ${r.sobjectType}`);
    }
    const s = stripRecord(rt, r, access, removed);
    if (s.changed) modified.add(i);
    out.push(s.out);
  });
  return new NativeInstance<DecisionState>('System.SObjectAccessDecision', {
    records: new ApexList(list.elemType, out),
    removed,
    modified,
  });
}

export const SecurityClass: NativeClass = {
  name: 'System.Security',
  aliases: ['Security'],
  statics: {
    stripinaccessible: (rt, a) => {
      if (a.length === 2) return stripInaccessible(rt, a[0], a[1]);
      if (a.length === 3) return stripInaccessible(rt, a[0], a[1], reqBool(a[2]));
      return unsupported(`Security.stripInaccessible with ${a.length} arguments`);
    },
  },
};

export const SObjectAccessDecisionClass: NativeClass = {
  name: 'System.SObjectAccessDecision',
  aliases: ['SObjectAccessDecision'],
  methods: {
    getrecords: (_rt, _a, s) => native<DecisionState>(s, 'System.SObjectAccessDecision').state.records,
    getremovedfields: (rt, _a, s) => {
      const st = native<DecisionState>(s, 'System.SObjectAccessDecision').state;
      const m = new ApexMap(T.String, T.set(T.String));
      for (const [obj, fields] of st.removed) {
        const set = new ApexSet(T.String);
        for (const f of fields) setAdd(rt, set, f);
        mapPut(rt, m, obj, set);
      }
      return m;
    },
    getmodifiedindexes: (rt, _a, s) => {
      const st = native<DecisionState>(s, 'System.SObjectAccessDecision').state;
      const set = new ApexSet(T.Integer);
      for (const i of st.modified) setAdd(rt, set, i);
      return set;
    },
  },
};

export const schemaClasses: NativeClass[] = [
  SchemaClass,
  SObjectTypeClass,
  SObjectFieldClass,
  DescribeSObjectResultClass,
  DescribeFieldResultClass,
  SObjectTypeFieldsClass,
  PicklistEntryClass,
  DisplayTypeEnum,
  SoapTypeEnum,
  AccessTypeEnum,
  AccessLevelClass,
  SecurityClass,
  SObjectAccessDecisionClass,
];
