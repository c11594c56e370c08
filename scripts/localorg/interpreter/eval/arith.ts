/**
 * Apex operators on runtime values.
 * Numeric promotion follows the platform hierarchy Integer < Long < Double < Decimal ("Rules of Conversion",
 * Apex Developer Guide): the result has the highest type of the operands. Integer arithmetic wraps at 32 bits,
 * Long at 64 bits; Integer/Long division truncates toward zero; division by zero is System.MathException "Divide by 0".
 */
import Decimal from 'decimal.js';
import {
  ApexDate,
  ApexDatetime,
  ApexDecimal,
  ApexDouble,
  ApexId,
  ApexTime,
  type ApexValue,
} from '../../core/values.js';
import { platformError } from '../../core/errors.js';
import type { Runtime } from '../../core/runtime.js';
import {
  compareNumbers,
  decimalScale,
  equalsValue,
  formatValue,
  isNumeric,
  toDecimalJs,
  toJsNumber,
} from '../../core/ops.js';

type Num = number | bigint | ApexDouble | ApexDecimal;

function rank(v: Num): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'bigint') return 1;
  if (v instanceof ApexDouble) return 2;
  return 3;
}

export function npe(): Error {
  return platformError('System.NullPointerException', 'Attempt to de-reference a null object');
}

function divZero(): Error {
  return platformError('System.MathException', 'Divide by 0');
}

/** Decimal division keeps 32 significant digits beyond the integer part and drops trailing zeros. */
const DIV = Decimal.clone({ precision: 34, rounding: Decimal.ROUND_HALF_UP });

export function numeric(op: string, a: Num, b: Num): Num {
  const r = Math.max(rank(a), rank(b));
  if (r === 0) {
    const x = a as number;
    const y = b as number;
    switch (op) {
      case '+':
        return (x + y) | 0;
      case '-':
        return (x - y) | 0;
      case '*':
        return Math.imul(x, y);
      case '/':
        if (y === 0) throw divZero();
        return (x / y) | 0;
    }
  } else if (r === 1) {
    const x = BigInt(a as number | bigint);
    const y = BigInt(b as number | bigint);
    switch (op) {
      case '+':
        return BigInt.asIntN(64, x + y);
      case '-':
        return BigInt.asIntN(64, x - y);
      case '*':
        return BigInt.asIntN(64, x * y);
      case '/':
        if (y === 0n) throw divZero();
        return BigInt.asIntN(64, x / y);
    }
  } else if (r === 2) {
    const x = toJsNumber(a);
    const y = toJsNumber(b);
    switch (op) {
      case '+':
        return new ApexDouble(x + y);
      case '-':
        return new ApexDouble(x - y);
      case '*':
        return new ApexDouble(x * y);
      case '/':
        return new ApexDouble(x / y);
    }
  } else {
    const x = toDecimalJs(a);
    const y = toDecimalJs(b);
    const sa = a instanceof ApexDecimal ? decimalScale(a) : 0;
    const sb = b instanceof ApexDecimal ? decimalScale(b) : 0;
    switch (op) {
      case '+':
        return new ApexDecimal(x.plus(y), Math.max(sa, sb));
      case '-':
        return new ApexDecimal(x.minus(y), Math.max(sa, sb));
      case '*':
        return new ApexDecimal(x.times(y), sa + sb);
      case '/': {
        if (y.isZero()) throw divZero();
        const q = new DIV(x).div(new DIV(y));
        return new ApexDecimal(new Decimal(q), Math.max(0, new Decimal(q).decimalPlaces()));
      }
    }
  }
  throw new Error(`internal: numeric op ${op}`);
}

function addDays(d: ApexDate, n: number): ApexDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day) + n * 86400000);
  return new ApexDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

function isStringish(v: ApexValue): boolean {
  return typeof v === 'string' || v instanceof ApexId;
}

export function binaryOp(rt: Runtime, op: string, a: ApexValue, b: ApexValue): ApexValue {
  switch (op) {
    case '+':
      if (isStringish(a) || isStringish(b)) return formatValue(rt, a) + formatValue(rt, b);
    // fallthrough
    case '-':
    case '*':
    case '/': {
      if (a === null || b === null) throw npe();
      if (isNumeric(a) && isNumeric(b)) return numeric(op, a, b);
      if ((op === '+' || op === '-') && isNumeric(b)) {
        const n = toJsNumber(b) * (op === '-' ? -1 : 1);
        if (a instanceof ApexDate) return addDays(a, Math.trunc(n));
        if (a instanceof ApexDatetime) return new ApexDatetime(a.ms + Math.round(n * 86400000));
        if (a instanceof ApexTime) return new ApexTime((((a.ms + n) % 86400000) + 86400000) % 86400000);
      }
      throw platformError('System.TypeException', `Arithmetic expressions must use numeric arguments`);
    }
    case '==':
      return equalsValue(rt, a, b);
    case '!=':
    case '<>':
      return !equalsValue(rt, a, b);
    case '===':
      return exactEquals(rt, a, b);
    case '!==':
      return !exactEquals(rt, a, b);
    case '<':
    case '>':
    case '<=':
    case '>=':
      return compareOp(op, a, b);
    case '&':
    case '|':
    case '^':
      return bitOp(op, a, b);
    case '<<':
    case '>>':
    case '>>>':
      return shiftOp(op, a, b);
  }
  throw new Error(`internal: operator ${op}`);
}

/** `===`: reference identity for objects, value identity for primitives. */
function exactEquals(rt: Runtime, a: ApexValue, b: ApexValue): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (
    a instanceof ApexId ||
    a instanceof ApexDecimal ||
    a instanceof ApexDouble ||
    a instanceof ApexDate ||
    a instanceof ApexDatetime ||
    a instanceof ApexTime
  ) {
    return equalsValue(rt, a, b);
  }
  return false;
}

/**
 * Comparison operators. With a null operand the result is false (Apex Developer Guide, "Expression Operators":
 * "If x or y equal null ... the expression is false"). Strings compare by their lower-cased text.
 */
function compareOp(op: string, a: ApexValue, b: ApexValue): boolean {
  if (a === null || b === null) return false;
  let c: number;
  if (isNumeric(a) && isNumeric(b)) {
    if ((a instanceof ApexDouble && Number.isNaN(a.v)) || (b instanceof ApexDouble && Number.isNaN(b.v))) return false;
    c = compareNumbers(a, b);
  } else if (isStringish(a) && isStringish(b)) {
    const x = (a instanceof ApexId ? a.value : (a as string)).toLowerCase();
    const y = (b instanceof ApexId ? b.value : (b as string)).toLowerCase();
    c = x < y ? -1 : x > y ? 1 : 0;
  } else if (a instanceof ApexDate && b instanceof ApexDate) {
    c = a.year - b.year || a.month - b.month || a.day - b.day;
  } else if (
    (a instanceof ApexDatetime && b instanceof ApexDatetime) ||
    (a instanceof ApexTime && b instanceof ApexTime)
  ) {
    c = a.ms - b.ms;
  } else {
    throw platformError('System.TypeException', 'Comparison arguments must be compatible types');
  }
  switch (op) {
    case '<':
      return c < 0;
    case '>':
      return c > 0;
    case '<=':
      return c <= 0;
    default:
      return c >= 0;
  }
}

function bitOp(op: string, a: ApexValue, b: ApexValue): ApexValue {
  if (a === null || b === null) throw npe();
  if (typeof a === 'boolean' && typeof b === 'boolean') {
    return op === '&' ? a && b : op === '|' ? a || b : a !== b;
  }
  if (typeof a === 'number' && typeof b === 'number') return op === '&' ? a & b : op === '|' ? a | b : a ^ b;
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) {
    const x = BigInt(a);
    const y = BigInt(b);
    return BigInt.asIntN(64, op === '&' ? x & y : op === '|' ? x | y : x ^ y);
  }
  throw platformError('System.TypeException', 'Bitwise operators need Integer, Long or Boolean arguments');
}

function shiftOp(op: string, a: ApexValue, b: ApexValue): ApexValue {
  if (a === null || b === null) throw npe();
  if (typeof a === 'number' && typeof b === 'number') {
    return op === '<<' ? a << b : op === '>>' ? a >> b : (a >>> b) | 0;
  }
  if (typeof a === 'bigint' && (typeof b === 'number' || typeof b === 'bigint')) {
    const s = BigInt(Number(b) & 63);
    if (op === '<<') return BigInt.asIntN(64, a << s);
    if (op === '>>') return a >> s;
    return BigInt.asIntN(64, BigInt.asUintN(64, a) >> s);
  }
  throw platformError('System.TypeException', 'Shift operators need Integer or Long arguments');
}

export function negate(v: ApexValue): ApexValue {
  if (v === null) throw npe();
  if (typeof v === 'number') return -v | 0;
  if (typeof v === 'bigint') return BigInt.asIntN(64, -v);
  if (v instanceof ApexDouble) return new ApexDouble(-v.v);
  if (v instanceof ApexDecimal) return new ApexDecimal(v.v.neg(), v.scale);
  throw platformError('System.TypeException', 'Unary minus needs a number');
}

/** ++ / -- keep the operand's type. */
export function step(v: ApexValue, delta: 1 | -1): ApexValue {
  if (v === null) throw npe();
  if (isNumeric(v)) return numeric('+', v, typeof v === 'bigint' ? BigInt(delta) : delta);
  throw platformError('System.TypeException', 'Increment needs a number');
}
