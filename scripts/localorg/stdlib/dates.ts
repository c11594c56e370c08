/**
 * Date, Datetime and Time. A Datetime is an instant; its "local" accessors (hour(), date(), format()) use the
 * running user's time zone (User.TimeZoneSidKey, America/Los_Angeles by default), the *Gmt ones use GMT.
 * String.valueOf(Datetime) prints GMT ('yyyy-MM-dd HH:mm:ss'); Datetime.format() prints the user's locale
 * (en_US: 'M/d/yyyy h:mm a') in the user's zone; Date.format() prints 'M/d/yyyy'.
 */
import { platformError } from '../core/errors.js';
import type { NativeClass, NativeFn, Runtime } from '../core/runtime.js';
import { ApexDate, ApexDatetime, ApexTime, type ApexValue } from '../core/values.js';
import { formatDate, formatDatetimeGmt, formatTime, toLong } from '../core/ops.js';
import { badArity, npe, reqInt, reqStr, str, unsupported } from './util.js';

const DAY = 86400000;

export function userZone(rt: Runtime): string {
  return rt.user?.timeZoneSidKey || 'America/Los_Angeles';
}

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  weekday: number; // 0 = Sunday
}

const dtfCache = new Map<string, Intl.DateTimeFormat>();
function dtf(zone: string): Intl.DateTimeFormat {
  let f = dtfCache.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    dtfCache.set(zone, f);
  }
  return f;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Calendar fields of an instant in a zone. */
export function partsIn(zone: string, ms: number): Parts {
  if (zone === 'GMT' || zone === 'UTC') {
    const d = new Date(ms);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      ms: d.getUTCMilliseconds(),
      weekday: d.getUTCDay(),
    };
  }
  const p = Object.fromEntries(
    dtf(zone)
      .formatToParts(new Date(ms))
      .map((x) => [x.type, x.value]),
  );
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour) % 24,
    minute: Number(p.minute),
    second: Number(p.second),
    ms: ((ms % 1000) + 1000) % 1000,
    weekday: WEEKDAYS.indexOf(p.weekday),
  };
}

/** The instant of a wall-clock time in a zone (the earlier one when ambiguous). */
export function instantOf(zone: string, y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  const wall = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  if (zone === 'GMT' || zone === 'UTC') return wall;
  let guess = wall;
  for (let i = 0; i < 3; i++) {
    const p = partsIn(zone, guess);
    const asWall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, p.ms);
    const diff = wall - asWall;
    if (diff === 0) break;
    guess += diff;
  }
  return guess;
}

export function todayInUserZone(rt: Runtime): ApexDate {
  const p = partsIn(userZone(rt), rt.now());
  return new ApexDate(p.year, p.month, p.day);
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

function epochDay(d: ApexDate): number {
  return Math.floor(Date.UTC(d.year, d.month - 1, d.day) / DAY);
}

function fromEpochDay(n: number): ApexDate {
  const x = new Date(n * DAY);
  return new ApexDate(x.getUTCFullYear(), x.getUTCMonth() + 1, x.getUTCDate());
}

function addMonths(d: ApexDate, n: number): ApexDate {
  const total = d.year * 12 + (d.month - 1) + n;
  const y = Math.floor(total / 12);
  const m = (total % 12) + 1;
  return new ApexDate(y, m, Math.min(d.day, daysInMonth(y, m)));
}

function validDate(y: number, m: number, d: number): ApexDate {
  // Apex normalises out-of-range values like Java's lenient calendar (Date.newInstance(2026, 13, 1) = 2027-01-01).
  const ms = Date.UTC(y, m - 1, 1) + (d - 1) * DAY;
  const x = new Date(ms);
  return new ApexDate(x.getUTCFullYear(), x.getUTCMonth() + 1, x.getUTCDate());
}

function selfDate(s: ApexValue): ApexDate {
  if (s === null) throw npe();
  return s as ApexDate;
}
function selfDt(s: ApexValue): ApexDatetime {
  if (s === null) throw npe();
  return s as ApexDatetime;
}
function selfTime(s: ApexValue): ApexTime {
  if (s === null) throw npe();
  return s as ApexTime;
}

// ---------------------------------------------------------------------------------------------
// Java SimpleDateFormat (the common letters)
// ---------------------------------------------------------------------------------------------

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function zoneName(zone: string, ms: number, long: boolean): string {
  if (zone === 'GMT' || zone === 'UTC') return long ? 'Greenwich Mean Time' : 'GMT';
  return (
    new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: long ? 'long' : 'short' })
      .formatToParts(new Date(ms))
      .find((p) => p.type === 'timeZoneName')?.value ?? zone
  );
}

function offsetStr(offMs: number, colon: boolean): string {
  const sign = offMs < 0 ? '-' : '+';
  const a = Math.abs(offMs) / 60000;
  const hh = String(Math.floor(a / 60)).padStart(2, '0');
  const mm = String(a % 60).padStart(2, '0');
  return colon ? `${sign}${hh}:${mm}` : `${sign}${hh}${mm}`;
}

export function simpleDateFormat(pattern: string, ms: number, zone: string): string {
  const p = partsIn(zone, ms);
  const off = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, p.ms) - ms;
  let out = '';
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i];
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === i + 1) {
        out += "'";
        i += 2;
        continue;
      }
      out += end < 0 ? pattern.slice(i + 1) : pattern.slice(i + 1, end).replace(/''/g, "'");
      i = end < 0 ? pattern.length : end + 1;
      continue;
    }
    if (!/[a-zA-Z]/.test(c)) {
      out += c;
      i++;
      continue;
    }
    let n = 1;
    while (pattern[i + n] === c) n++;
    i += n;
    const num = (v: number) => String(v).padStart(n, '0');
    switch (c) {
      case 'y':
      case 'Y':
        out += n === 2 ? String(p.year % 100).padStart(2, '0') : num(p.year);
        break;
      case 'M':
      case 'L':
        out += n >= 4 ? MONTHS[p.month - 1] : n === 3 ? MONTHS[p.month - 1].slice(0, 3) : num(p.month);
        break;
      case 'd':
        out += num(p.day);
        break;
      case 'D': {
        const doy = epochDay(new ApexDate(p.year, p.month, p.day)) - epochDay(new ApexDate(p.year, 1, 1)) + 1;
        out += num(doy);
        break;
      }
      case 'E':
        out += n >= 4 ? DAYS[p.weekday] : DAYS[p.weekday].slice(0, 3);
        break;
      case 'u':
        out += num(p.weekday === 0 ? 7 : p.weekday);
        break;
      case 'a':
        out += p.hour < 12 ? 'AM' : 'PM';
        break;
      case 'H':
        out += num(p.hour);
        break;
      case 'k':
        out += num(p.hour === 0 ? 24 : p.hour);
        break;
      case 'K':
        out += num(p.hour % 12);
        break;
      case 'h':
        out += num(p.hour % 12 === 0 ? 12 : p.hour % 12);
        break;
      case 'm':
        out += num(p.minute);
        break;
      case 's':
        out += num(p.second);
        break;
      case 'S':
        out += String(p.ms).padStart(3, '0').slice(0, Math.max(3, n)).padEnd(n, '0');
        break;
      case 'z':
        out += zoneName(zone, ms, n >= 4);
        break;
      case 'Z':
        out += offsetStr(off, false);
        break;
      case 'X':
        out += off === 0 ? 'Z' : n === 1 ? offsetStr(off, false).slice(0, 3) : offsetStr(off, n >= 3);
        break;
      default:
        unsupported(`date format letter '${c}'`);
    }
  }
  return out;
}

/** Datetime.format() for en_US: 'M/d/yyyy h:mm a' in the user's zone. */
function defaultDatetimeFormat(ms: number, zone: string): string {
  return simpleDateFormat('M/d/yyyy h:mm a', ms, zone);
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

function parseDateString(s: string): ApexDate {
  // Date.valueOf accepts 'yyyy-MM-dd' (optionally followed by a time, which is ignored).
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$/.exec(s.trim());
  if (!m) throw platformError('System.TypeException', `Invalid date: ${s}`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo))
    throw platformError('System.TypeException', `Invalid date: ${s}`);
  return new ApexDate(y, mo, d);
}

function parseDatetimeString(s: string, zone: string): ApexDatetime {
  // Datetime.valueOf('yyyy-MM-dd HH:mm:ss') in the user's zone; valueOfGmt in GMT.
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?: (\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?$/.exec(s.trim());
  if (!m) throw platformError('System.TypeException', `Invalid date/time: ${s}`);
  return new ApexDatetime(
    instantOf(zone, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)),
  );
}

/** JSON / ISO-8601 ('2026-11-23T19:30:00.000Z', '2026-11-23T19:30:00+01:00'): used by JSON.deserialize. */
export function parseIsoDatetime(s: string): ApexDatetime | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (!m) return null;
  let ms = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6] ?? 0),
    Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3)),
  );
  if (m[8] && m[8] !== 'Z') {
    const sign = m[8][0] === '-' ? -1 : 1;
    const digits = m[8].slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60000;
  }
  return new ApexDatetime(ms);
}

// ---------------------------------------------------------------------------------------------
// Date
// ---------------------------------------------------------------------------------------------

const dateMethods: Record<string, NativeFn> = {
  adddays: (_rt, a, s) => fromEpochDay(epochDay(selfDate(s)) + reqInt(a[0])),
  addmonths: (_rt, a, s) => addMonths(selfDate(s), reqInt(a[0])),
  addyears: (_rt, a, s) => addMonths(selfDate(s), reqInt(a[0]) * 12),
  day: (_rt, _a, s) => selfDate(s).day,
  month: (_rt, _a, s) => selfDate(s).month,
  year: (_rt, _a, s) => selfDate(s).year,
  dayofyear: (_rt, _a, s) => epochDay(selfDate(s)) - epochDay(new ApexDate(selfDate(s).year, 1, 1)) + 1,
  daysbetween: (_rt, a, s) => {
    if (a[0] === null) throw npe();
    return epochDay(a[0] as ApexDate) - epochDay(selfDate(s));
  },
  monthsbetween: (_rt, a, s) => {
    if (a[0] === null) throw npe();
    const o = a[0] as ApexDate;
    const d = selfDate(s);
    return (o.year - d.year) * 12 + (o.month - d.month);
  },
  issameday: (_rt, a, s) => {
    const o = a[0] as ApexDate | null;
    const d = selfDate(s);
    return o !== null && o.year === d.year && o.month === d.month && o.day === d.day;
  },
  format: (_rt, a, s) => {
    if (a.length) return unsupported('Date.format(pattern)');
    const d = selfDate(s);
    return `${d.month}/${d.day}/${d.year}`;
  },
  tostartofmonth: (_rt, _a, s) => new ApexDate(selfDate(s).year, selfDate(s).month, 1),
  tostartofweek: (_rt, _a, s) => {
    // en_US weeks start on Sunday.
    const n = epochDay(selfDate(s));
    const weekday = (((n + 4) % 7) + 7) % 7;
    return fromEpochDay(n - weekday);
  },
  tostring: (_rt, _a, s) => formatDate(selfDate(s)),
};

export const DateClass: NativeClass = {
  name: 'Date',
  statics: {
    today: (rt) => todayInUserZone(rt),
    newinstance: (_rt, a) =>
      a.length === 3 ? validDate(reqInt(a[0]), reqInt(a[1]), reqInt(a[2])) : badArity('Date', 'newInstance', a),
    valueof: (rt, a) => {
      const v = a[0];
      if (v === null) return null;
      if (typeof v === 'string') return parseDateString(v);
      if (v instanceof ApexDatetime) {
        const p = partsIn(userZone(rt), v.ms);
        return new ApexDate(p.year, p.month, p.day);
      }
      if (v instanceof ApexDate) return v;
      throw platformError('System.TypeException', `Invalid date: ${String(v)}`);
    },
    parse: (_rt, a) => {
      const s = reqStr(a[0]);
      const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s.trim());
      if (!m) throw platformError('System.TypeException', `Invalid date: ${s}`);
      return validDate(Number(m[3]), Number(m[1]), Number(m[2]));
    },
    isleapyear: (_rt, a) => isLeap(reqInt(a[0])),
    daysinmonth: (_rt, a) => daysInMonth(reqInt(a[0]), reqInt(a[1])),
  },
  methods: dateMethods,
  superTypes: ['object'],
};

// ---------------------------------------------------------------------------------------------
// Datetime
// ---------------------------------------------------------------------------------------------

function localAdd(rt: Runtime, dt: ApexDatetime, months: number, days: number): ApexDatetime {
  const zone = userZone(rt);
  const p = partsIn(zone, dt.ms);
  let d = new ApexDate(p.year, p.month, p.day);
  if (months) d = addMonths(d, months);
  if (days) d = fromEpochDay(epochDay(d) + days);
  return new ApexDatetime(instantOf(zone, d.year, d.month, d.day, p.hour, p.minute, p.second, p.ms));
}

const dtMethods: Record<string, NativeFn> = {
  adddays: (rt, a, s) => localAdd(rt, selfDt(s), 0, reqInt(a[0])),
  addmonths: (rt, a, s) => localAdd(rt, selfDt(s), reqInt(a[0]), 0),
  addyears: (rt, a, s) => localAdd(rt, selfDt(s), reqInt(a[0]) * 12, 0),
  addhours: (_rt, a, s) => new ApexDatetime(selfDt(s).ms + reqInt(a[0]) * 3600000),
  addminutes: (_rt, a, s) => new ApexDatetime(selfDt(s).ms + reqInt(a[0]) * 60000),
  addseconds: (_rt, a, s) => new ApexDatetime(selfDt(s).ms + reqInt(a[0]) * 1000),
  date: (rt, _a, s) => {
    const p = partsIn(userZone(rt), selfDt(s).ms);
    return new ApexDate(p.year, p.month, p.day);
  },
  dategmt: (_rt, _a, s) => {
    const p = partsIn('GMT', selfDt(s).ms);
    return new ApexDate(p.year, p.month, p.day);
  },
  time: (rt, _a, s) => {
    const p = partsIn(userZone(rt), selfDt(s).ms);
    return new ApexTime(((p.hour * 60 + p.minute) * 60 + p.second) * 1000 + p.ms);
  },
  timegmt: (_rt, _a, s) => new ApexTime(((selfDt(s).ms % DAY) + DAY) % DAY),
  day: (rt, _a, s) => partsIn(userZone(rt), selfDt(s).ms).day,
  daygmt: (_rt, _a, s) => partsIn('GMT', selfDt(s).ms).day,
  dayofyear: (rt, _a, s) => {
    const p = partsIn(userZone(rt), selfDt(s).ms);
    return epochDay(new ApexDate(p.year, p.month, p.day)) - epochDay(new ApexDate(p.year, 1, 1)) + 1;
  },
  dayofyeargmt: (_rt, _a, s) => {
    const p = partsIn('GMT', selfDt(s).ms);
    return epochDay(new ApexDate(p.year, p.month, p.day)) - epochDay(new ApexDate(p.year, 1, 1)) + 1;
  },
  hour: (rt, _a, s) => partsIn(userZone(rt), selfDt(s).ms).hour,
  hourgmt: (_rt, _a, s) => partsIn('GMT', selfDt(s).ms).hour,
  minute: (rt, _a, s) => partsIn(userZone(rt), selfDt(s).ms).minute,
  minutegmt: (_rt, _a, s) => partsIn('GMT', selfDt(s).ms).minute,
  second: (rt, _a, s) => partsIn(userZone(rt), selfDt(s).ms).second,
  secondgmt: (_rt, _a, s) => partsIn('GMT', selfDt(s).ms).second,
  millisecond: (_rt, _a, s) => ((selfDt(s).ms % 1000) + 1000) % 1000,
  millisecondgmt: (_rt, _a, s) => ((selfDt(s).ms % 1000) + 1000) % 1000,
  month: (rt, _a, s) => partsIn(userZone(rt), selfDt(s).ms).month,
  monthgmt: (_rt, _a, s) => partsIn('GMT', selfDt(s).ms).month,
  year: (rt, _a, s) => partsIn(userZone(rt), selfDt(s).ms).year,
  yeargmt: (_rt, _a, s) => partsIn('GMT', selfDt(s).ms).year,
  gettime: (_rt, _a, s) => BigInt(selfDt(s).ms),
  issameday: (rt, a, s) => {
    const o = a[0] as ApexDatetime | null;
    if (o === null) return false;
    const p = partsIn(userZone(rt), selfDt(s).ms);
    const q = partsIn(userZone(rt), o.ms);
    return p.year === q.year && p.month === q.month && p.day === q.day;
  },
  format: (rt, a, s) => {
    const ms = selfDt(s).ms;
    if (a.length === 0) return defaultDatetimeFormat(ms, userZone(rt));
    if (a.length === 1) return simpleDateFormat(reqStr(a[0]), ms, userZone(rt));
    return simpleDateFormat(reqStr(a[0]), ms, str(a[1]) || userZone(rt));
  },
  formatgmt: (_rt, a, s) => simpleDateFormat(reqStr(a[0]), selfDt(s).ms, 'GMT'),
  formatlong: (rt, _a, s) => simpleDateFormat('M/d/yyyy h:mm:ss a z', selfDt(s).ms, userZone(rt)),
  tostring: (_rt, _a, s) => formatDatetimeGmt(selfDt(s)),
};

function dtNewInstance(rt: Runtime, a: ApexValue[], zone: string): ApexValue {
  if (a.length === 1) {
    const ms = toLong(a[0]);
    if (ms === null) throw npe();
    return new ApexDatetime(Number(ms));
  }
  if (a.length === 2) {
    const d = a[0] as ApexDate | null;
    const t = a[1] as ApexTime | null;
    if (d === null || t === null) throw npe();
    const tm = t.ms;
    return new ApexDatetime(
      instantOf(
        zone,
        d.year,
        d.month,
        d.day,
        Math.floor(tm / 3600000),
        Math.floor(tm / 60000) % 60,
        Math.floor(tm / 1000) % 60,
        tm % 1000,
      ),
    );
  }
  if (a.length === 3) {
    const d = validDate(reqInt(a[0]), reqInt(a[1]), reqInt(a[2]));
    return new ApexDatetime(instantOf(zone, d.year, d.month, d.day));
  }
  if (a.length === 6) {
    const base = Date.UTC(reqInt(a[0]), reqInt(a[1]) - 1, reqInt(a[2]), reqInt(a[3]), reqInt(a[4]), reqInt(a[5]));
    const x = new Date(base);
    return new ApexDatetime(
      instantOf(
        zone,
        x.getUTCFullYear(),
        x.getUTCMonth() + 1,
        x.getUTCDate(),
        x.getUTCHours(),
        x.getUTCMinutes(),
        x.getUTCSeconds(),
      ),
    );
  }
  void rt;
  return badArity('Datetime', 'newInstance', a);
}

export const DatetimeClass: NativeClass = {
  name: 'Datetime',
  statics: {
    now: (rt) => new ApexDatetime(rt.now()),
    newinstance: (rt, a) => dtNewInstance(rt, a, userZone(rt)),
    newinstancegmt: (rt, a) => dtNewInstance(rt, a, 'GMT'),
    valueof: (rt, a) => {
      const v = a[0];
      if (v === null) return null;
      if (typeof v === 'string') return parseDatetimeString(v, userZone(rt));
      if (v instanceof ApexDatetime) return v;
      if (v instanceof ApexDate) return new ApexDatetime(instantOf(userZone(rt), v.year, v.month, v.day));
      throw platformError('System.TypeException', `Invalid date/time: ${String(v)}`);
    },
    valueofgmt: (_rt, a) => (a[0] === null ? null : parseDatetimeString(reqStr(a[0]), 'GMT')),
    parse: () => unsupported('Datetime.parse (locale formats)'),
  },
  methods: dtMethods,
  superTypes: ['object'],
};

// ---------------------------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------------------------

function addTime(t: ApexTime, ms: number): ApexTime {
  return new ApexTime((((t.ms + ms) % DAY) + DAY) % DAY);
}

export const TimeClass: NativeClass = {
  name: 'Time',
  statics: {
    newinstance: (_rt, a) => {
      if (a.length !== 4) return badArity('Time', 'newInstance', a);
      const ms = ((reqInt(a[0]) * 60 + reqInt(a[1])) * 60 + reqInt(a[2])) * 1000 + reqInt(a[3]);
      return new ApexTime(((ms % DAY) + DAY) % DAY);
    },
  },
  methods: {
    addhours: (_rt, a, s) => addTime(selfTime(s), reqInt(a[0]) * 3600000),
    addminutes: (_rt, a, s) => addTime(selfTime(s), reqInt(a[0]) * 60000),
    addseconds: (_rt, a, s) => addTime(selfTime(s), reqInt(a[0]) * 1000),
    addmilliseconds: (_rt, a, s) => addTime(selfTime(s), reqInt(a[0])),
    hour: (_rt, _a, s) => Math.floor(selfTime(s).ms / 3600000),
    minute: (_rt, _a, s) => Math.floor(selfTime(s).ms / 60000) % 60,
    second: (_rt, _a, s) => Math.floor(selfTime(s).ms / 1000) % 60,
    millisecond: (_rt, _a, s) => selfTime(s).ms % 1000,
    tostring: (_rt, _a, s) => formatTime(selfTime(s)),
  },
  superTypes: ['object'],
};

export const dateClasses: NativeClass[] = [DateClass, DatetimeClass, TimeClass];
