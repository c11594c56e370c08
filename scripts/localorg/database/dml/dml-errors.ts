/**
 * DML errors and the DmlException, shaped as the platform shapes them. Message of the exception
 * (Apex Developer Guide, "DmlException"; observed platform output):
 *   "Insert failed. First exception on row 0; first error: REQUIRED_FIELD_MISSING, Required fields are missing: [Name]: [Name]"
 *   "Update failed. First exception on row 0 with id 001...; first error: FIELD_CUSTOM_VALIDATION_EXCEPTION, msg: []"
 */
import { platformError, type PlatformError } from '../../core/errors.js';
import type { DmlError, DmlOp } from '../../core/runtime.js';

export function dmlError(statusCode: string, message: string, fields: string[] = []): DmlError {
  return { statusCode, message, fields };
}

export interface FailedRow {
  index: number;
  id: string | null;
  error: DmlError;
  errors: DmlError[];
}

export function opWord(op: DmlOp): string {
  return op.charAt(0).toUpperCase() + op.slice(1);
}

export function dmlException(op: DmlOp, failed: FailedRow[]): PlatformError {
  const first = failed[0];
  const e = first.error;
  const msg = `${opWord(op)} failed. First exception on row ${first.index}${first.id ? ` with id ${first.id}` : ''}; first error: ${e.statusCode}, ${e.message}: [${e.fields.join(', ')}]`;
  return platformError('System.DmlException', msg, {
    op,
    rows: failed.map((f) => ({
      index: f.index,
      id: f.id,
      statusCode: f.error.statusCode,
      message: f.error.message,
      fields: f.error.fields,
      errors: f.errors,
    })),
  });
}
