/**
 * Apex exception objects: creation (from `new`, from TypeScript PlatformErrors), the standard Exception
 * methods, and which JavaScript errors Apex code may catch. LimitError, AssertError and UnsupportedFeature
 * are never catchable; neither are internal JavaScript errors (bugs of the local org must surface, not be swallowed).
 */
import { ApexInstance, type ApexValue } from '../../core/values.js';
import {
  ApexThrow,
  AssertError,
  LimitError,
  PlatformError,
  UnsupportedFeature,
  exceptionState,
  setExceptionState,
  platformError,
} from '../../core/errors.js';
import type { ClassInfo } from '../classes/class-info.js';
import type { Interpreter } from './interpreter.js';

/**
 * Rule "AuraHandledException message": getMessage() of an AuraHandledException answers 'Script-thrown exception'
 * unless setMessage() was called; the client (invokeAura) still receives the constructor's message.
 */
export const AURA_SCRIPT_THROWN = 'Script-thrown exception';

export function createException(
  ip: Interpreter,
  cls: ClassInfo,
  message: string | null,
  cause: ApexValue,
  extra?: Record<string, unknown>,
): ApexInstance {
  const inst = new ApexInstance(cls);
  const isAura = cls.isA('system.aurahandledexception');
  setExceptionState(inst, {
    message: isAura && message !== null ? AURA_SCRIPT_THROWN : message,
    clientMessage: isAura ? (message ?? undefined) : undefined,
    cause,
    line: ip.currentLine(),
    stackTrace: ip.stackTrace(),
    extra,
  });
  return inst;
}

export function exceptionTypeName(inst: ApexInstance): string {
  return inst.cls.name;
}

export function exceptionMessage(inst: ApexInstance): string | null {
  return exceptionState(inst)?.message ?? null;
}

export function throwApex(inst: ApexInstance): never {
  throw new ApexThrow(inst, `${inst.cls.name}: ${exceptionMessage(inst) ?? ''}`);
}

/** The standard Exception methods; undefined when `lname` is not one of them. */
export function standardExceptionMethod(inst: ApexInstance, lname: string, args: ApexValue[]): ApexValue | undefined {
  const st = exceptionState(inst);
  if (!st) return undefined;
  switch (lname) {
    case 'getmessage':
      return st.message;
    case 'gettypename':
      return inst.cls.name;
    case 'getlinenumber':
      return st.line;
    case 'getcause':
      return st.cause;
    case 'getstacktracestring':
      return st.stackTrace;
    case 'setmessage':
      st.message = args[0] === null ? null : String(args[0]);
      if (inst.cls.isA('system.aurahandledexception')) st.clientMessage = st.message ?? undefined;
      return null;
    case 'initcause':
      if (st.cause !== null) throw platformError('System.FinalException', 'Cause already initialized');
      st.cause = args[0];
      return null;
    case 'tostring':
      return `${inst.cls.name}: ${st.message ?? 'null'}`;
    default:
      return undefined;
  }
}

/**
 * The Apex exception in flight for a JavaScript error, or null when Apex may not catch it.
 * PlatformErrors become exception objects once (the same error rethrown keeps its object).
 */
const converted = new WeakMap<Error, ApexThrow>();

export function catchable(ip: Interpreter, err: unknown): ApexThrow | null {
  if (err instanceof ApexThrow) return err;
  if (err instanceof LimitError || err instanceof AssertError) return null;
  if (err instanceof PlatformError) {
    if (err.typeName === 'System.LimitException' || err.typeName === 'System.AssertException') return null;
    let t = converted.get(err);
    if (!t) {
      const cls = ip.reg.builtinException(err.typeName)!;
      const inst = createException(ip, cls, err.message, null, err.extra);
      t = new ApexThrow(inst, `${cls.name}: ${err.message}`);
      converted.set(err, t);
    }
    return t;
  }
  return null;
}

/** Where a JavaScript error crossed the innermost Apex frame (for stack traces of uncaught platform errors). */
const tags = new WeakMap<object, { stack: string; line: number; file: string }>();

export function tagError(ip: Interpreter, err: unknown): void {
  if (err && typeof err === 'object' && !tags.has(err))
    tags.set(err, { stack: ip.stackTrace(), line: ip.currentLine(), file: ip.file() });
}

export function errorTag(err: unknown): { stack: string; line: number; file: string } | undefined {
  return err && typeof err === 'object' ? tags.get(err) : undefined;
}

/**
 * Rule "internal errors surface": a JavaScript error that is not an Apex or platform error (a TypeError, a RangeError,
 * ...) escaping the interpreter is a bug or a limit of the local org. Apex cannot catch it (catchable() answers null),
 * the org does not report it as an Apex exception (errorInfo() answers null), and it names the Apex file and line where
 * it happened. `cause` is the original JavaScript error.
 */
export class InternalError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
    options: { cause: unknown },
  ) {
    super(message, options);
    this.name = 'InternalError';
  }
}

function isJsStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && e.message.includes('call stack');
}

/** What an interpreter entry point lets escape for `e`: Apex and platform errors unchanged, anything else an InternalError. */
export function surfaceError(ip: Interpreter, e: unknown): unknown {
  if (
    e instanceof ApexThrow ||
    e instanceof PlatformError ||
    e instanceof UnsupportedFeature ||
    e instanceof InternalError
  )
    return e;
  if (!(e instanceof Error)) return e;
  const tag = errorTag(e);
  const file = tag?.file ?? ip.file();
  const line = tag?.line ?? ip.currentLine();
  if (isJsStackOverflow(e)) {
    // The Apex limit was reached and unwinding ran out of JavaScript stack: the LimitException is the outcome.
    if (ip.depthLimitError) return ip.depthLimitError;
    const depth = tag ? tag.stack.split('\n').length : ip.frames.length - 1;
    return new InternalError(
      `internal error of the local org: the JavaScript stack ran out at Apex call depth ${depth} (${file}:${line}), before the platform's limit of 1,000 nested calls`,
      file,
      line,
      { cause: e },
    );
  }
  return new InternalError(`internal error of the local org: ${e.name}: ${e.message} (${file}:${line})`, file, line, {
    cause: e,
  });
}
