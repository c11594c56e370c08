/** Turns what escaped a transaction into the org's ApexErrorInfo (null: not an Apex error, let it propagate). */
import { ApexInstance } from '../../core/values.js';
import { ApexThrow, PlatformError, exceptionState } from '../../core/errors.js';
import type { ApexErrorInfo } from '../../core/org-api.js';
import type { Interpreter } from '../eval/interpreter.js';
import { errorTag } from '../eval/exceptions.js';

export function errorInfo(interp: Interpreter, e: unknown): (ApexErrorInfo & { clientMessage?: string }) | null {
  if (e instanceof ApexThrow && e.exception instanceof ApexInstance) {
    const inst = e.exception;
    const st = exceptionState(inst);
    return {
      typeName: inst.cls.name,
      message: st?.message ?? '',
      stackTrace: st?.stackTrace ?? '',
      line: st?.line,
      clientMessage: st?.clientMessage,
    };
  }
  if (e instanceof PlatformError) {
    const tag = errorTag(e);
    return { typeName: e.typeName, message: e.message, stackTrace: tag?.stack ?? interp.stackTrace(), line: tag?.line };
  }
  return null;
}
