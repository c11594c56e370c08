/** Field value coercion and the system validation steps of a save (required, length, formats, picklists, numbers). */
import Decimal from 'decimal.js';
import { isNumeric, toDecimalJs, tryToId } from '../../core/ops.js';
import { TEXT_FIELD_TYPES, type DmlError } from '../../core/runtime.js';
import {
  ApexBlob,
  ApexDate,
  ApexDatetime,
  ApexDecimal,
  ApexDouble,
  ApexId,
  ApexTime,
  type ApexValue,
} from '../../core/values.js';
import type { LocalFieldDef } from '../../metadata/types.js';
import { describeValue } from '../value-utils.js';
import { dmlError } from './dml-errors.js';

/** Text field types (core/runtime.ts). */
export const STRING_TYPES: ReadonlySet<string> = TEXT_FIELD_TYPES;

export type Coerced = { ok: true; value: ApexValue } | { ok: false; error: DmlError };

function typeError(f: LocalFieldDef, v: ApexValue): Coerced {
  return {
    ok: false,
    error: dmlError('INVALID_TYPE_ON_FIELD_IN_RECORD', `${f.label}: value not of required type: ${describeValue(v)}`, [
      f.name,
    ]),
  };
}

/** Converts an Apex value to the stored form of a field; empty strings are stored as null (as the platform does). */
export function coerceField(f: LocalFieldDef, v: ApexValue): Coerced {
  if (v === null || v === undefined) return { ok: true, value: f.type === 'boolean' ? false : null };
  const t = f.type;
  if (STRING_TYPES.has(t)) {
    if (typeof v === 'string') return { ok: true, value: v === '' ? null : v };
    if (v instanceof ApexId) return { ok: true, value: v.value };
    return typeError(f, v);
  }
  switch (t) {
    case 'boolean':
      return typeof v === 'boolean' ? { ok: true, value: v } : typeError(f, v);
    case 'int':
      if (!isNumeric(v)) return typeError(f, v);
      return { ok: true, value: Number(toDecimalJs(v).trunc().toString()) };
    case 'double':
    case 'currency':
    case 'percent': {
      if (!isNumeric(v)) return typeError(f, v);
      let d: Decimal = toDecimalJs(v);
      const scale = f.scale ?? (v instanceof ApexDecimal ? v.scale : undefined);
      if (f.scale !== undefined) d = d.toDecimalPlaces(f.scale, Decimal.ROUND_HALF_UP);
      if (f.precision !== undefined) {
        const intDigits = d.abs().trunc().isZero() ? 0 : d.abs().trunc().toFixed(0).length;
        if (intDigits > f.precision - (f.scale ?? 0)) {
          return {
            ok: false,
            error: dmlError(
              'NUMBER_OUTSIDE_VALID_RANGE',
              `${f.label}: value outside of valid range on numeric field: ${describeValue(v)}`,
              [f.name],
            ),
          };
        }
      }
      return { ok: true, value: new ApexDecimal(d, scale) };
    }
    case 'date':
      if (v instanceof ApexDate) return { ok: true, value: v };
      if (v instanceof ApexDatetime) {
        const d = new Date(v.ms);
        return { ok: true, value: new ApexDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()) };
      }
      return typeError(f, v);
    case 'datetime':
      if (v instanceof ApexDatetime) return { ok: true, value: v };
      if (v instanceof ApexDate) return { ok: true, value: new ApexDatetime(Date.UTC(v.year, v.month - 1, v.day)) };
      return typeError(f, v);
    case 'time':
      return v instanceof ApexTime ? { ok: true, value: v } : typeError(f, v);
    case 'id':
    case 'reference': {
      if (v instanceof ApexId) return { ok: true, value: v };
      if (typeof v === 'string') {
        const id = tryToId(v);
        if (id) return { ok: true, value: id };
        return { ok: false, error: dmlError('MALFORMED_ID', `${f.label}: id value of incorrect type: ${v}`, [f.name]) };
      }
      return typeError(f, v);
    }
    case 'base64':
      return v instanceof ApexBlob ? { ok: true, value: v } : typeError(f, v);
    default:
      if (v instanceof ApexDouble) return { ok: true, value: v };
      return { ok: true, value: v };
  }
}

// Loose email check in the spirit of the platform's (local@domain.tld).
const EMAIL_RE =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** Format checks after coercion: length (STRING_TOO_LONG), email, restricted picklist. */
export function checkFormat(f: LocalFieldDef, v: ApexValue): DmlError | null {
  if (v === null) return null;
  if (typeof v === 'string') {
    if (f.length !== undefined && f.type !== 'autonumber' && v.length > f.length) {
      return dmlError('STRING_TOO_LONG', `${f.label}: data value too large: ${v} (max length=${f.length})`, [f.name]);
    }
    if (f.type === 'email' && !EMAIL_RE.test(v))
      return dmlError('INVALID_EMAIL_ADDRESS', `${f.label}: invalid email address: ${v}`, [f.name]);
    if ((f.type === 'picklist' || f.type === 'multipicklist') && f.restrictedPicklist && f.picklistValues) {
      const parts = f.type === 'multipicklist' ? v.split(';') : [v];
      for (const p of parts) {
        // Restricted picklists match values exactly (case-sensitive) on the platform.
        if (!f.picklistValues.some((pv) => pv.value === p)) {
          return dmlError(
            'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
            `${f.label}: bad value for restricted picklist field: ${p}`,
            [f.name],
          );
        }
      }
    }
  }
  return null;
}

export function isBlank(v: ApexValue | undefined): boolean {
  return v === null || v === undefined || v === '';
}
