/**
 * Record field access and SObject type tokens. Field names are checked against the schema (an unknown field is
 * a compile error on the platform; here System.SObjectException "Invalid field X for Y"). Writes convert to the
 * field's Apex type (Number fields are Decimal, lookups are Ids, Strings assigned to Id fields are validated).
 */
import { ApexDecimal, ApexDouble, ApexId, NativeInstance, SObjectValue, T, type ApexValue } from '../../core/values.js';
import { UnsupportedFeature, platformError } from '../../core/errors.js';
import type { FieldDef, ObjectDef } from '../../core/runtime.js';
import { coerceTo, toDecimal } from '../../core/ops.js';
import { findNativeClass } from '../../stdlib/registry.js';
import type { Interpreter } from './interpreter.js';

function fieldOf(obj: ObjectDef, l: string): FieldDef | undefined {
  return obj.fields.get(l);
}

function relationshipOf(obj: ObjectDef, l: string): { name: string; kind: 'parent' | 'child' } | undefined {
  for (const f of obj.fields.values())
    if (f.relationshipName && f.relationshipName.toLowerCase() === l)
      return { name: f.relationshipName, kind: 'parent' };
  for (const c of obj.childRelationships)
    if (c.relationshipName.toLowerCase() === l) return { name: c.relationshipName, kind: 'child' };
  return undefined;
}

export function readSObjectField(ip: Interpreter, rec: SObjectValue, name: string): ApexValue {
  const l = name.toLowerCase();
  const got = rec.fields.get(l);
  if (got) return got.value;
  const obj = ip.rt.schema.getObject(rec.sobjectType);
  let canonical = name;
  if (obj) {
    const f = fieldOf(obj, l);
    const rel = f ? undefined : relationshipOf(obj, l);
    if (!f && !rel) throw platformError('System.SObjectException', `Invalid field ${name} for ${obj.name}`);
    canonical = f?.name ?? rel!.name;
  }
  if (rec.fromQuery) {
    throw platformError(
      'System.SObjectException',
      `SObject row was retrieved via SOQL without querying the requested field: ${rec.sobjectType}.${canonical}`,
    );
  }
  return null;
}

export function convertForField(ip: Interpreter, f: FieldDef | undefined, v: ApexValue): ApexValue {
  if (v === null || !f) return v;
  switch (f.type) {
    case 'id':
    case 'reference':
      return typeof v === 'string' ? coerceTo(ip.rt, v, T.Id) : v;
    case 'double':
    case 'currency':
    case 'percent':
      return typeof v === 'number' || typeof v === 'bigint' || v instanceof ApexDouble ? toDecimal(v) : v;
    case 'int':
      return v instanceof ApexDecimal ? v.v.trunc().toNumber() : v;
    case 'string':
    case 'textarea':
    case 'longtextarea':
    case 'email':
    case 'phone':
    case 'url':
    case 'picklist':
    case 'multipicklist':
    case 'encryptedstring':
      return v instanceof ApexId ? v.value : v;
    default:
      return v;
  }
}

export function writeSObjectField(ip: Interpreter, rec: SObjectValue, name: string, value: ApexValue): ApexValue {
  const l = name.toLowerCase();
  const obj = ip.rt.schema.getObject(rec.sobjectType);
  if (!obj) {
    rec.setRaw(name, value);
    return value;
  }
  const f = fieldOf(obj, l);
  if (f) {
    const v = convertForField(ip, f, value);
    rec.setRaw(f.name, v);
    return v;
  }
  const rel = relationshipOf(obj, l);
  if (!rel) throw platformError('System.SObjectException', `Invalid field ${name} for ${obj.name}`);
  rec.setRaw(rel.name, value);
  return value;
}

/** `Account.SObjectType` and `Account.Name` (a field token). */
export function sobjectTypeProp(ip: Interpreter, objectName: string, prop: string, line: number): ApexValue {
  const l = prop.toLowerCase();
  if (l === 'sobjecttype') return sobjectTypeToken(ip, objectName);
  const obj = ip.rt.schema.getObject(objectName);
  const f = obj ? fieldOf(obj, l) : undefined;
  if (f) {
    const nc = findNativeClass('Schema.SObjectField');
    const of = nc?.statics?.['of'];
    if (of) return of(ip.rt, [objectName, f.name], null);
    return new NativeInstance('Schema.SObjectField', {
      valueKey: `${objectName}.${f.name}`.toLowerCase(),
      display: f.name,
      objectName,
      fieldName: f.name,
    });
  }
  throw new UnsupportedFeature(`${objectName}.${prop}`, ip.file(), line);
}

export function sobjectTypeToken(ip: Interpreter, objectName: string): ApexValue {
  const nc = findNativeClass('Schema.SObjectType');
  const of = nc?.statics?.['of'];
  if (of) return of(ip.rt, [objectName], null);
  return new NativeInstance('Schema.SObjectType', {
    valueKey: objectName.toLowerCase(),
    display: objectName,
    objectName,
  });
}

/**
 * Static methods called on a concrete SObject type (`X__c.getOrgDefaults()`, `X__mdt.getInstance('Default')`,
 * `X__mdt.getAll()`): delegated to the stdlib native class 'SObject' statics, with `self` = the object's name.
 */
export function sobjectStatic(
  ip: Interpreter,
  objectName: string,
  lname: string,
  args: ApexValue[],
  line: number,
): ApexValue {
  // `Account.getSObjectType()`: the type's token, as `Account.SObjectType` (Apex Developer Guide, "Understanding Apex
  // Describe Information": getSObjectType returns the sObject token; the token "can be compared using the equality
  // operator (==) to determine whether an sObject is the Account object").
  if (lname === 'getsobjecttype' && args.length === 0) return sobjectTypeToken(ip, objectName);
  const fn = findNativeClass('SObject')?.statics?.[lname];
  if (!fn) throw new UnsupportedFeature(`${objectName}.${lname}()`, ip.file(), line);
  return fn(ip.rt, args, objectName);
}
