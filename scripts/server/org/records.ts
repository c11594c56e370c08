/**
 * Small helpers to read the local org's records (SObjectValue) as plain JavaScript values.
 */
import { ApexId, ApexDatetime, ApexDate, SObjectValue, type ApexValue } from '../../localorg/core/values.js';

export function text(rec: SObjectValue, field: string): string | null {
  const v = rec.getRaw(field);
  if (v === null || v === undefined) return null;
  if (v instanceof ApexId) return v.value;
  if (typeof v === 'string') return v;
  return String(v as unknown);
}

export function id(rec: SObjectValue): string {
  const v = rec.getRaw('Id');
  if (!(v instanceof ApexId)) throw new Error(`${rec.sobjectType} record without Id`);
  return v.value;
}

/** A parent record from a relationship path ('Profile' for Profile.Name), when the query selected it. */
export function parent(rec: SObjectValue, relationship: string): SObjectValue | null {
  const v = rec.getRaw(relationship);
  return v instanceof SObjectValue ? v : null;
}

/** Builds a record for insertRecords from plain values (strings that look like Ids for *Id fields become ApexId). */
export function record(sobjectType: string, values: Record<string, string | boolean | number | null>): SObjectValue {
  const r = new SObjectValue(sobjectType);
  for (const [k, v] of Object.entries(values)) {
    const isId = typeof v === 'string' && /Id$/.test(k) && /^[a-zA-Z0-9]{18}$/.test(v);
    r.setRaw(k, isId ? new ApexId(v) : (v as ApexValue));
  }
  return r;
}

/** SOQL string literal. */
export function soqlString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function plainValue(v: ApexValue | undefined): unknown {
  if (v === undefined || v === null) return null;
  if (v instanceof ApexId) return v.value;
  if (v instanceof ApexDatetime) return new Date(v.ms).toISOString();
  if (v instanceof ApexDate) return `${v.year}-${String(v.month).padStart(2, '0')}-${String(v.day).padStart(2, '0')}`;
  if (v instanceof SObjectValue) {
    const o: Record<string, unknown> = {};
    for (const { name, value } of v.fields.values()) o[name] = plainValue(value);
    return o;
  }
  return v;
}
