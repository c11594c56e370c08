/**
 * Errors that cross the runtime's parts.
 *
 * ApexThrow carries an Apex exception object up the JavaScript stack; the interpreter's try/catch
 * matches on its Apex type. Platform exceptions raised from TypeScript (stdlib, database) are created
 * with `platformError('System.DmlException', msg)`; the interpreter turns them into Apex exception objects.
 * UnsupportedFeature is never catchable from Apex: it ends the run with exit code 2 naming the feature and line,
 * because the local org must never pretend to do something it does not.
 */
import type { ApexValue } from './values.js';
import { fastClasses } from './fast-classes.js';

/** An Apex exception in flight. `exception` is the Apex exception object (an ApexInstance). */
export class ApexThrow extends Error {
  readonly exception: ApexValue;
  constructor(exception: ApexValue, message: string) {
    // No JavaScript stack trace: the Apex stack trace is the exception's own (exceptions.ts), and capturing one cost
    // more than the rest of a throw and catch together.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.exception = exception;
  }
}

/**
 * A platform exception raised by TypeScript code, before it becomes an Apex object.
 * `typeName` is the full platform name, e.g. 'System.NullPointerException', 'System.DmlException'.
 * `extra` carries type-specific data (DmlException rows, etc.) that the exception's methods expose.
 */
export class PlatformError extends Error {
  constructor(
    public readonly typeName: string,
    message: string,
    public readonly extra?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function platformError(typeName: string, message: string, extra?: Record<string, unknown>): PlatformError {
  return new PlatformError(typeName, message, extra);
}

/** System.LimitException: cannot be caught by Apex code. */
export class LimitError extends PlatformError {
  constructor(message: string) {
    super('System.LimitException', message);
  }
}

/** Assertion failures (System.AssertException) also cannot be caught by Apex code. */
export class AssertError extends PlatformError {
  constructor(message: string) {
    super('System.AssertException', message);
  }
}

/** Something the local org does not implement. Never caught by Apex; exit code 2 from the CLI. */
export class UnsupportedFeature extends Error {
  constructor(
    public readonly feature: string,
    public readonly file?: string,
    public readonly line?: number,
  ) {
    super(`Unsupported feature: ${feature}${file ? ` (${file}${line ? `:${line}` : ''})` : ''}`);
  }
}

/**
 * Source the platform would not compile. Handled like an UnsupportedFeature (the CLI exits 2 naming file and line),
 * but says what it is: the code is wrong, not the local org.
 */
export class ApexSyntaxError extends UnsupportedFeature {
  constructor(detail: string, file: string, line: number) {
    super(`syntax error: ${detail}`, file, line);
    this.name = 'ApexSyntaxError';
    this.message = `Syntax error: ${detail} (${file}:${line})`;
  }
}

/**
 * The data of an Apex exception object (an ApexInstance whose class is, or extends, Exception).
 * Kept outside ApexInstance.fields because `extra` is not an Apex value. The interpreter creates it;
 * stdlib natives for exception methods (getDmlMessage, getNumDml, ...) read `extra`, which is the
 * PlatformError's `extra` when the exception came from TypeScript.
 */
export interface ExceptionState {
  message: string | null;
  cause: ApexValue;
  /** Line where the exception was created. */
  line: number;
  /** 'Class.X.m: line N, column 1' lines joined by '\n'. */
  stackTrace: string;
  extra?: Record<string, unknown>;
  /** AuraHandledException: the message the client receives (getMessage() says 'Script-thrown exception'). */
  clientMessage?: string;
}

const exceptionStates = new WeakMap<object, ExceptionState>();

export function exceptionState(inst: object): ExceptionState | undefined {
  return exceptionStates.get(inst);
}

export function setExceptionState(inst: object, st: ExceptionState): void {
  exceptionStates.set(inst, st);
}

fastClasses(ApexThrow, PlatformError, LimitError, AssertError, UnsupportedFeature, ApexSyntaxError);
