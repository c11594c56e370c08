/** Comparisons and keys of field values as SOQL and the database see them. */
import { compareNumbers, isNumeric } from '../core/ops.js';
import { ApexDate, ApexDatetime, ApexDecimal, ApexDouble, ApexId, ApexTime, type ApexValue } from '../core/values.js';

export function dateKey(d: ApexDate): number {
  return d.year * 10000 + d.month * 100 + d.day;
}

/** A string key for equality indexes. Strings are case-insensitive unless `caseSensitive`. */
export function indexKey(v: ApexValue | undefined, caseSensitive = false): string {
  if (v === null || v === undefined) return '\u0000null';
  if (typeof v === 'string') return 's:' + (caseSensitive ? v : v.toLowerCase());
  if (v instanceof ApexId) return 's:' + v.value.toLowerCase();
  if (typeof v === 'boolean') return v ? 'b:1' : 'b:0';
  if (isNumeric(v)) {
    if (typeof v === 'number' || typeof v === 'bigint') return 'n:' + v.toString();
    if (v instanceof ApexDouble) return 'n:' + String(v.v);
    return 'n:' + (v as ApexDecimal).v.toString();
  }
  if (v instanceof ApexDate) return 'd:' + dateKey(v);
  if (v instanceof ApexDatetime) return 't:' + v.ms;
  if (v instanceof ApexTime) return 'h:' + v.ms;
  return 'o:' + String(v);
}

/** SOQL equality: strings and Ids case-insensitive, numbers across types. */
export function soqlEquals(a: ApexValue, b: ApexValue): boolean {
  if (a === null || b === null) return a === b;
  const c = compareValues(a, b);
  return c === 0;
}

/**
 * Ordering for ORDER BY, MIN/MAX and range comparisons. Strings compare case-insensitively
 * (SOQL ORDER BY: "Sorting is case insensitive", SOQL and SOSL Reference, ORDER BY). Returns NaN when not comparable.
 */
export function compareValues(a: ApexValue, b: ApexValue): number {
  if (typeof a === 'string' || a instanceof ApexId) {
    const x = (a instanceof ApexId ? a.value : a).toLowerCase();
    const bs = typeof b === 'string' ? b : b instanceof ApexId ? b.value : null;
    if (bs === null) return NaN;
    const y = bs.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (isNumeric(a) && isNumeric(b)) return compareNumbers(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (a instanceof ApexDate && b instanceof ApexDate) return Math.sign(dateKey(a) - dateKey(b));
  if (a instanceof ApexDatetime && b instanceof ApexDatetime) return Math.sign(a.ms - b.ms);
  if (a instanceof ApexTime && b instanceof ApexTime) return Math.sign(a.ms - b.ms);
  if (a instanceof ApexDatetime && b instanceof ApexDate) return Math.sign(a.ms - Date.UTC(b.year, b.month - 1, b.day));
  if (a instanceof ApexDate && b instanceof ApexDatetime) return Math.sign(Date.UTC(a.year, a.month - 1, a.day) - b.ms);
  return NaN;
}

export function describeValue(v: ApexValue): string {
  if (v === null) return 'null';
  if (v instanceof ApexId) return v.value;
  if (v instanceof ApexDecimal) return v.v.toString();
  if (v instanceof ApexDouble) return String(v.v);
  if (v instanceof ApexDate) return `${v.year}-${String(v.month).padStart(2, '0')}-${String(v.day).padStart(2, '0')}`;
  if (v instanceof ApexDatetime) return new Date(v.ms).toISOString();
  return String(v);
}
