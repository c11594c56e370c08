/**
 * Integer, Long, Double, Decimal, Boolean, Math and RoundingMode. Integers are 32-bit JS numbers, Longs bigints,
 * Doubles ApexDouble, Decimals ApexDecimal (decimal.js + scale). Decimal.setScale and round() default to HALF_EVEN.
 */
import Decimal from 'decimal.js';
import { platformError } from '../core/errors.js';
import type { NativeClass, NativeFn } from '../core/runtime.js';
import { ApexDecimal, ApexDouble, ApexId, type ApexValue } from '../core/values.js';
import {
  decimalScale,
  formatDecimal,
  formatDouble,
  int32,
  int64,
  isNumeric,
  toDecimal,
  toDecimalJs,
  toDouble,
  toInteger,
  toLong,
} from '../core/ops.js';
import { badArity, enumName, makeEnum, npe, reqInt, typeName } from './util.js';

// High precision so that intermediate results (division, pow) are exact to well beyond Apex's 34 significant digits.
const D = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -1e9, toExpPos: 1e9 });

export const RoundingModeEnum = makeEnum(
  'System.RoundingMode',
  ['CEILING', 'DOWN', 'FLOOR', 'HALF_DOWN', 'HALF_EVEN', 'HALF_UP', 'UNNECESSARY', 'UP'],
  ['RoundingMode'],
);

const DJS_MODES: Record<string, Decimal.Rounding> = {
  CEILING: Decimal.ROUND_CEIL,
  DOWN: Decimal.ROUND_DOWN,
  FLOOR: Decimal.ROUND_FLOOR,
  HALF_DOWN: Decimal.ROUND_HALF_DOWN,
  HALF_EVEN: Decimal.ROUND_HALF_EVEN,
  HALF_UP: Decimal.ROUND_HALF_UP,
  UP: Decimal.ROUND_UP,
};

/** Rounds to `scale` places with an Apex RoundingMode name; UNNECESSARY throws when digits would be lost. */
export function roundDecimal(v: Decimal, scale: number, mode: string): Decimal {
  if (mode === 'UNNECESSARY') {
    const r = v.toDecimalPlaces(Math.max(0, scale), Decimal.ROUND_DOWN);
    if (!r.eq(v)) throw platformError('System.MathException', 'Rounding necessary');
    return r;
  }
  const rm = DJS_MODES[mode];
  if (rm === undefined) throw platformError('System.MathException', `Unknown rounding mode ${mode}`);
  if (scale >= 0) return v.toDecimalPlaces(scale, rm);
  const f = new D(10).pow(-scale);
  return v.div(f).toDecimalPlaces(0, rm).mul(f);
}

function dec(v: ApexValue): ApexDecimal {
  if (v === null) throw npe();
  if (v instanceof ApexDecimal) return v;
  return toDecimal(v)!;
}

function num(v: ApexValue): number {
  if (v === null) throw npe();
  if (!isNumeric(v))
    throw platformError('System.TypeException', `Invalid conversion from runtime type ${typeName(v)} to Double`);
  return toDouble(v)!.v;
}

function parseIntStrict(s: string, bits: 32 | 64, label: string): bigint {
  const t = s.trim() === s ? s : '';
  if (!/^[+-]?\d+$/.test(t)) throw platformError('System.TypeException', `Invalid ${label}: ${s}`);
  const n = BigInt(t);
  const max = bits === 32 ? 2147483647n : 9223372036854775807n;
  if (n > max || n < -max - 1n) throw platformError('System.TypeException', `Invalid ${label}: ${s}`);
  return n;
}

/** en_US grouping of a plain decimal string ('1234567.5' -> '1,234,567.5'). */
function groupDigits(plain: string): string {
  const neg = plain.startsWith('-');
  const body = neg ? plain.slice(1) : plain;
  const [i, f] = body.split('.');
  const g = i.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (neg ? '-' : '') + g + (f !== undefined && f !== '' ? `.${f}` : '');
}

/** Java NumberFormat defaults for the en_US locale: grouping, at most 3 fraction digits, HALF_EVEN. */
function formatNumberDefault(v: Decimal): string {
  const r = v.toDecimalPlaces(3, Decimal.ROUND_HALF_EVEN);
  let s = r.toFixed();
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  if (s === '-0') s = '0';
  return groupDigits(s);
}

function integerValueOf(a: ApexValue[]): ApexValue {
  const v = a[0];
  if (v === null) return null;
  if (typeof v === 'string') return Number(parseIntStrict(v, 32, 'integer'));
  if (isNumeric(v)) return toInteger(v);
  throw platformError('System.TypeException', `Invalid conversion from runtime type ${typeName(v)} to Integer`);
}

function longValueOf(a: ApexValue[]): ApexValue {
  const v = a[0];
  if (v === null) return null;
  if (typeof v === 'string') return parseIntStrict(v, 64, 'long');
  if (isNumeric(v)) return toLong(v);
  throw platformError('System.TypeException', `Invalid conversion from runtime type ${typeName(v)} to Long`);
}

function parseDouble(s: string): number {
  const t = s.trim();
  if (!/^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfF]?)$/.test(t))
    throw platformError('System.TypeException', `Invalid double: ${s}`);
  return Number(t.replace(/[dDfF]$/, ''));
}

function doubleValueOf(a: ApexValue[]): ApexValue {
  const v = a[0];
  if (v === null) return null;
  if (typeof v === 'string') return new ApexDouble(parseDouble(v));
  if (isNumeric(v)) return toDouble(v);
  throw platformError('System.TypeException', `Invalid conversion from runtime type ${typeName(v)} to Double`);
}

export function parseDecimal(s: string): ApexDecimal {
  const t = s.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t))
    throw platformError('System.TypeException', `Invalid decimal: ${s}`);
  const m = /^[+-]?\d*(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(t)!;
  const frac = m[1]?.length ?? 0;
  const exp = m[2] ? Number(m[2]) : 0;
  return new ApexDecimal(new D(t), frac - exp);
}

function decimalValueOf(a: ApexValue[]): ApexValue {
  const v = a[0];
  if (v === null) return null;
  if (typeof v === 'string') return parseDecimal(v);
  if (isNumeric(v)) return toDecimal(v);
  throw platformError('System.TypeException', `Invalid conversion from runtime type ${typeName(v)} to Decimal`);
}

function selfDec(s: ApexValue): ApexDecimal {
  if (s === null) throw npe();
  return dec(s);
}

const commonNumberMethods: Record<string, NativeFn> = {
  intvalue: (_rt, _a, s) => toInteger(s),
  longvalue: (_rt, _a, s) => toLong(s),
  doublevalue: (_rt, _a, s) => toDouble(s),
  decimalvalue: (_rt, _a, s) => toDecimal(s),
};

export const IntegerClass: NativeClass = {
  name: 'Integer',
  statics: { valueof: (_rt, a) => integerValueOf(a) },
  methods: {
    ...commonNumberMethods,
    format: (_rt, _a, s) => groupDigits(String(s)),
    hashcode: (_rt, _a, s) => s as number,
    tostring: (_rt, _a, s) => String(s),
  },
  superTypes: ['object'],
};

export const LongClass: NativeClass = {
  name: 'Long',
  statics: { valueof: (_rt, a) => longValueOf(a) },
  methods: {
    ...commonNumberMethods,
    format: (_rt, _a, s) => groupDigits(String(s)),
    hashcode: (_rt, _a, s) => Number(BigInt.asIntN(32, (s as bigint) ^ ((s as bigint) >> 32n))),
    tostring: (_rt, _a, s) => String(s),
  },
  superTypes: ['object'],
};

export const DoubleClass: NativeClass = {
  name: 'Double',
  statics: { valueof: (_rt, a) => doubleValueOf(a) },
  methods: {
    ...commonNumberMethods,
    format: (_rt, _a, s) => formatNumberDefault(new D((s as ApexDouble).v)),
    round: (_rt, _a, s) => BigInt(Math.floor((s as ApexDouble).v + 0.5)),
    tostring: (_rt, _a, s) => formatDouble((s as ApexDouble).v),
    hashcode: () => {
      throw platformError('System.UnsupportedOperationException', 'Double.hashCode');
    },
  },
  superTypes: ['object'],
};

export const DecimalClass: NativeClass = {
  name: 'Decimal',
  statics: { valueof: (_rt, a) => decimalValueOf(a) },
  methods: {
    ...commonNumberMethods,
    abs: (_rt, _a, s) => {
      const d = selfDec(s);
      return new ApexDecimal(d.v.abs(), decimalScale(d));
    },
    divide: (_rt, a, s) => {
      const d = selfDec(s);
      const divisor = dec(a[0]);
      if (divisor.v.isZero()) throw platformError('System.MathException', 'Divide by 0');
      const scale = reqInt(a[1]);
      const mode = a.length > 2 ? (enumName(a[2]) ?? 'HALF_EVEN') : 'HALF_EVEN';
      return new ApexDecimal(roundDecimal(new D(d.v).div(divisor.v), scale, mode), scale);
    },
    format: (_rt, _a, s) => formatNumberDefault(selfDec(s).v),
    pow: (_rt, a, s) => {
      const d = selfDec(s);
      const e = reqInt(a[0]);
      if (e < 0 || e > 32767) throw platformError('System.MathException', 'Invalid operation');
      return new ApexDecimal(new D(d.v).pow(e), decimalScale(d) * e);
    },
    precision: (_rt, _a, s) => {
      const d = selfDec(s);
      const scale = decimalScale(d);
      // Number of digits of the unscaled value.
      const unscaled = d.v.abs().mul(new D(10).pow(scale)).toFixed(0);
      return unscaled === '0' ? 1 : unscaled.replace(/^0+/, '').length;
    },
    round: (_rt, a, s) => {
      const d = selfDec(s);
      const mode = a.length ? (enumName(a[0]) ?? 'HALF_EVEN') : 'HALF_EVEN';
      return int64(BigInt(roundDecimal(d.v, 0, mode).toFixed(0)));
    },
    scale: (_rt, _a, s) => decimalScale(selfDec(s)),
    setscale: (_rt, a, s) => {
      const d = selfDec(s);
      const scale = reqInt(a[0]);
      const mode = a.length > 1 ? (enumName(a[1]) ?? 'HALF_EVEN') : 'HALF_EVEN';
      return new ApexDecimal(roundDecimal(d.v, scale, mode), scale);
    },
    striptrailingzeros: (_rt, _a, s) => {
      const d = selfDec(s);
      return new ApexDecimal(d.v, d.v.isZero() ? 0 : d.v.decimalPlaces());
    },
    toplainstring: (_rt, _a, s) => formatDecimal(selfDec(s)),
    tostring: (_rt, _a, s) => formatDecimal(selfDec(s)),
    signum: () => {
      throw platformError('System.UnsupportedOperationException', 'Decimal.signum');
    },
  },
  superTypes: ['object'],
};

export const BooleanClass: NativeClass = {
  name: 'Boolean',
  statics: {
    valueof: (_rt, a) => {
      const v = a[0];
      if (v === null) return false;
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string') return v.toLowerCase() === 'true';
      throw platformError('System.TypeException', `Invalid conversion from runtime type ${typeName(v)} to Boolean`);
    },
  },
  methods: {
    tostring: (_rt, _a, s) => String(s),
  },
  superTypes: ['object'],
};

// ---------------------------------------------------------------------------------------------
// Math
// ---------------------------------------------------------------------------------------------

/** Math functions keep the argument's type: Integer stays Integer, Decimal stays Decimal, etc. */
function sameKind(sample: ApexValue, x: Decimal | number): ApexValue {
  if (typeof sample === 'number') return int32(Number(x));
  if (typeof sample === 'bigint') return int64(BigInt(typeof x === 'number' ? Math.trunc(x) : x.toFixed(0)));
  if (sample instanceof ApexDouble) return new ApexDouble(typeof x === 'number' ? x : x.toNumber());
  return toDecimal(typeof x === 'number' ? new ApexDouble(x) : new ApexDecimal(x));
}

function widest(a: ApexValue, b: ApexValue): 'int' | 'long' | 'double' | 'decimal' {
  const k = (v: ApexValue) => (typeof v === 'number' ? 0 : typeof v === 'bigint' ? 1 : v instanceof ApexDouble ? 2 : 3);
  return (['int', 'long', 'double', 'decimal'] as const)[Math.max(k(a), k(b))];
}

function minMax(a: ApexValue[], pickMax: boolean): ApexValue {
  const [x, y] = a;
  if (x === null || y === null) throw npe();
  const w = widest(x, y);
  if (w === 'int') return pickMax ? Math.max(x as number, y as number) : Math.min(x as number, y as number);
  if (w === 'long') {
    const p = toLong(x)!;
    const q = toLong(y)!;
    return pickMax ? (p > q ? p : q) : p < q ? p : q;
  }
  if (w === 'double') {
    const p = num(x);
    const q = num(y);
    return new ApexDouble(pickMax ? Math.max(p, q) : Math.min(p, q));
  }
  const p = dec(x);
  const q = dec(y);
  return pickMax ? (p.v.gte(q.v) ? p : q) : p.v.lte(q.v) ? p : q;
}

function javaRound(x: number): number {
  return Math.floor(x + 0.5);
}

const mathStatics: Record<string, NativeFn> = {
  mod: (_rt, a) => {
    const [x, y] = a;
    if (x === null || y === null) throw npe();
    if (typeof x === 'number' && typeof y === 'number') {
      if (y === 0) throw platformError('System.MathException', 'Divide by 0');
      return int32(x % y);
    }
    const p = toLong(x)!;
    const q = toLong(y)!;
    if (q === 0n) throw platformError('System.MathException', 'Divide by 0');
    return p % q;
  },
  abs: (_rt, a) => {
    const x = a[0];
    if (x === null) throw npe();
    if (typeof x === 'number') return int32(Math.abs(x));
    if (typeof x === 'bigint') return int64(x < 0n ? -x : x);
    if (x instanceof ApexDouble) return new ApexDouble(Math.abs(x.v));
    const d = dec(x);
    return new ApexDecimal(d.v.abs(), decimalScale(d));
  },
  max: (_rt, a) => minMax(a, true),
  min: (_rt, a) => minMax(a, false),
  floor: (_rt, a) => {
    const x = a[0];
    if (x === null) throw npe();
    if (x instanceof ApexDouble) return new ApexDouble(Math.floor(x.v));
    return new ApexDecimal(dec(x).v.floor(), 0);
  },
  ceil: (_rt, a) => {
    const x = a[0];
    if (x === null) throw npe();
    if (x instanceof ApexDouble) return new ApexDouble(Math.ceil(x.v));
    return new ApexDecimal(dec(x).v.ceil(), 0);
  },
  round: (_rt, a) => {
    const x = a[0];
    if (x === null) throw npe();
    // Math.round(Decimal) rounds half-even (Apex Reference, Math.round(decimalValue)); Math.round(Double) is Java's Math.round.
    if (x instanceof ApexDecimal) return int32(Number(x.v.toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN).toFixed(0)));
    return int32(javaRound(num(x)));
  },
  roundtolong: (_rt, a) => {
    const x = a[0];
    if (x === null) throw npe();
    if (x instanceof ApexDecimal) return int64(BigInt(x.v.toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN).toFixed(0)));
    return BigInt(javaRound(num(x)));
  },
  pow: (_rt, a) => new ApexDouble(Math.pow(num(a[0]), num(a[1]))),
  sqrt: (_rt, a) =>
    a[0] instanceof ApexDecimal
      ? toDecimal(new ApexDouble(Math.sqrt(num(a[0]))))
      : new ApexDouble(Math.sqrt(num(a[0]))),
  cbrt: (_rt, a) => new ApexDouble(Math.cbrt(num(a[0]))),
  exp: (_rt, a) =>
    a[0] instanceof ApexDecimal ? toDecimal(new ApexDouble(Math.exp(num(a[0])))) : new ApexDouble(Math.exp(num(a[0]))),
  log: (_rt, a) =>
    a[0] instanceof ApexDecimal ? toDecimal(new ApexDouble(Math.log(num(a[0])))) : new ApexDouble(Math.log(num(a[0]))),
  log10: (_rt, a) =>
    a[0] instanceof ApexDecimal
      ? toDecimal(new ApexDouble(Math.log10(num(a[0]))))
      : new ApexDouble(Math.log10(num(a[0]))),
  random: () => new ApexDouble(Math.random()),
  signum: (_rt, a) =>
    a[0] instanceof ApexDecimal
      ? new ApexDecimal(new D(a[0].v.s === 0 ? 0 : a[0].v.s), 0)
      : new ApexDouble(Math.sign(num(a[0]))),
  sin: (_rt, a) => new ApexDouble(Math.sin(num(a[0]))),
  cos: (_rt, a) => new ApexDouble(Math.cos(num(a[0]))),
  tan: (_rt, a) => new ApexDouble(Math.tan(num(a[0]))),
  asin: (_rt, a) => new ApexDouble(Math.asin(num(a[0]))),
  acos: (_rt, a) => new ApexDouble(Math.acos(num(a[0]))),
  atan: (_rt, a) => new ApexDouble(Math.atan(num(a[0]))),
  atan2: (_rt, a) => new ApexDouble(Math.atan2(num(a[0]), num(a[1]))),
  sinh: (_rt, a) => new ApexDouble(Math.sinh(num(a[0]))),
  cosh: (_rt, a) => new ApexDouble(Math.cosh(num(a[0]))),
  tanh: (_rt, a) => new ApexDouble(Math.tanh(num(a[0]))),
  rint: (_rt, a) => {
    const x = num(a[0]);
    const r = Math.round(x);
    return new ApexDouble(Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r);
  },
  todegrees: (_rt, a) => new ApexDouble((num(a[0]) * 180) / Math.PI),
  toradians: (_rt, a) => new ApexDouble((num(a[0]) * Math.PI) / 180),
  ulp: () => badArity('Math', 'ulp', []),
};

export const MathClass: NativeClass = {
  name: 'Math',
  statics: mathStatics,
  staticProps: {
    pi: () => new ApexDouble(Math.PI),
    e: () => new ApexDouble(Math.E),
  },
};

export const numberClasses: NativeClass[] = [
  IntegerClass,
  LongClass,
  DoubleClass,
  DecimalClass,
  BooleanClass,
  MathClass,
  RoundingModeEnum,
];

export { sameKind, toDecimalJs, ApexId };
