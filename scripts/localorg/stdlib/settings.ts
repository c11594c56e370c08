/**
 * Custom settings and custom metadata statics: `X__c.getOrgDefaults()`, `X__c.getInstance([userOrProfileId])`,
 * `X__c.getValues(id)`, `X__c.getAll()`, `X__mdt.getInstance(devNameOrId)`, `X__mdt.getAll()`.
 * The interpreter calls these as statics of the native class 'SObject' with `self` = the object's name.
 * They read through Runtime.db.query in system mode without counting SOQL limits (the platform caches them).
 *
 * Hierarchy rules: the org default row has SetupOwnerId = the org Id; getInstance(user) merges the user row, then
 * the profile row, then the org default (more specific non-null fields win); without a user-level row the result is
 * a new record (Id null, SetupOwnerId = the asked Id) carrying the merged fields.
 */
import { platformError } from '../core/errors.js';
import type { NativeFn, ObjectDef, Runtime } from '../core/runtime.js';
import { ApexId, ApexList, ApexMap, SObjectValue, T, type ApexValue } from '../core/values.js';
import { toId } from '../core/ops.js';
import { mapPut } from './collections.js';
import { npe, reqStr, systemQuery } from './util.js';

function objectOf(rt: Runtime, self: ApexValue, method: string): ObjectDef {
  const name = typeof self === 'string' ? self : null;
  if (!name) throw new Error(`internal: ${method} called without an object name`);
  const o = rt.schema.getObject(name);
  if (!o) throw platformError('System.SObjectException', `Invalid sObject type: ${name}`);
  return o;
}

function soqlLiteral(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function selectAll(rt: Runtime, o: ObjectDef, where: string): SObjectValue[] {
  const fields = [...o.fields.values()].map((f) => f.name);
  const soql = `SELECT ${fields.join(', ')} FROM ${o.name}${where ? ` WHERE ${where}` : ''}`;
  return systemQuery(rt, soql);
}

function requireKind(o: ObjectDef, kinds: ObjectDef['kind'][], method: string): void {
  if (!kinds.includes(o.kind))
    throw platformError('System.TypeException', `Method does not exist or incorrect signature: ${o.name}.${method}`);
}

function profileIdOf(rt: Runtime, userId: ApexId): ApexId | null {
  if (userId.value === rt.user.id.value && rt.user.profileId) return rt.user.profileId;
  const rows = systemQuery(rt, `SELECT ProfileId FROM User WHERE Id = ${soqlLiteral(userId.value)}`);
  if (rows.length === 0) return null;
  const v = rows[0].getRaw('ProfileId');
  return v instanceof ApexId ? v : null;
}

function rowFor(rt: Runtime, o: ObjectDef, ownerId: ApexId): SObjectValue | null {
  return selectAll(rt, o, `SetupOwnerId = ${soqlLiteral(ownerId.value)}`)[0] ?? null;
}

/** Copies null/absent fields of `target` from `source` (a less specific level). */
function mergeInto(o: ObjectDef, target: SObjectValue, source: SObjectValue | null): void {
  if (!source) return;
  for (const f of o.fields.values()) {
    const lower = f.name.toLowerCase();
    if (
      [
        'id',
        'setupownerid',
        'name',
        'createddate',
        'createdbyid',
        'lastmodifieddate',
        'lastmodifiedbyid',
        'systemmodstamp',
        'isdeleted',
      ].includes(lower)
    )
      continue;
    const cur = target.getRaw(f.name);
    if (cur === undefined || cur === null) {
      const v = source.getRaw(f.name);
      if (v !== undefined && v !== null) target.setRaw(f.name, v);
    }
  }
}

function orgDefaults(rt: Runtime, o: ObjectDef): SObjectValue {
  const row = rowFor(rt, o, rt.user.organizationId);
  if (row) return row;
  // No org-level row: an empty record of the type (fields null).
  return new SObjectValue(o.name);
}

function hierarchyInstance(rt: Runtime, o: ObjectDef, id: ApexId): SObjectValue {
  const org = rowFor(rt, o, rt.user.organizationId);
  const prefix = id.keyPrefix;
  if (prefix === '00D') return org ?? new SObjectValue(o.name);
  if (prefix === '00e') {
    const prof = rowFor(rt, o, id);
    if (prof) {
      mergeInto(o, prof, org);
      return prof;
    }
    const out = new SObjectValue(o.name);
    out.setRaw('SetupOwnerId', id);
    mergeInto(o, out, org);
    return out;
  }
  const userRow = rowFor(rt, o, id);
  const profileId = profileIdOf(rt, id);
  const prof = profileId ? rowFor(rt, o, profileId) : null;
  if (userRow) {
    mergeInto(o, userRow, prof);
    mergeInto(o, userRow, org);
    return userRow;
  }
  const out = new SObjectValue(o.name);
  out.setRaw('SetupOwnerId', id);
  mergeInto(o, out, prof);
  mergeInto(o, out, org);
  return out;
}

function byName(rt: Runtime, o: ObjectDef, keyField: 'Name' | 'DeveloperName'): ApexMap {
  const m = new ApexMap(T.String, { name: o.name });
  for (const r of selectAll(rt, o, '')) {
    const k = r.getRaw(keyField);
    if (typeof k === 'string') mapPut(rt, m, k, r);
  }
  return m;
}

export const settingsStatics: Record<string, NativeFn> = {
  getorgdefaults: (rt, _a, self) => {
    const o = objectOf(rt, self, 'getOrgDefaults');
    requireKind(o, ['customSetting'], 'getOrgDefaults');
    if (o.customSettingType === 'List')
      throw platformError(
        'System.TypeException',
        `Method does not exist or incorrect signature: ${o.name}.getOrgDefaults`,
      );
    return orgDefaults(rt, o);
  },
  getinstance: (rt, a, self) => {
    const o = objectOf(rt, self, 'getInstance');
    if (o.kind === 'customMetadata') {
      const key = reqStr(a[0]);
      const asId = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(key) && key.startsWith(o.keyPrefix) ? toId(rt, key) : null;
      for (const r of selectAll(rt, o, '')) {
        if (asId ? r.id?.value === asId.value : r.getRaw('DeveloperName') === key) return r;
      }
      return null;
    }
    requireKind(o, ['customSetting'], 'getInstance');
    if (o.customSettingType === 'List') {
      const name = reqStr(a[0]);
      return selectAll(rt, o, `Name = ${soqlLiteral(name)}`)[0] ?? null;
    }
    const id = a.length === 0 ? rt.user.id : a[0] === null ? rt.user.id : toId(rt, a[0] as string | ApexId);
    return hierarchyInstance(rt, o, id);
  },
  getvalues: (rt, a, self) => {
    const o = objectOf(rt, self, 'getValues');
    requireKind(o, ['customSetting'], 'getValues');
    if (a[0] === null || a[0] === undefined) throw npe();
    if (o.customSettingType === 'List') return selectAll(rt, o, `Name = ${soqlLiteral(reqStr(a[0]))}`)[0] ?? null;
    return rowFor(rt, o, toId(rt, a[0] as string | ApexId));
  },
  getall: (rt, _a, self) => {
    const o = objectOf(rt, self, 'getAll');
    if (o.kind === 'customMetadata') return byName(rt, o, 'DeveloperName');
    requireKind(o, ['customSetting'], 'getAll');
    if (o.customSettingType !== 'List')
      throw platformError('System.TypeException', `Method does not exist or incorrect signature: ${o.name}.getAll`);
    return byName(rt, o, 'Name');
  },
};

export { ApexList };
