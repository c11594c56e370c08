/**
 * SOQL date literals as half-open day ranges [start, end) in the running user's time zone.
 * Source: SOQL and SOSL Reference, "Date Formats and Date Literals". Weeks start on Sunday (en_US locale).
 * LAST_N_DAYS:n covers today and the n days before it; NEXT_N_DAYS:n starts tomorrow; N_DAYS_AGO:n is one day.
 * Fiscal literals (THIS_FISCAL_YEAR, ...) are not supported.
 */
import { UnsupportedFeature } from '../../core/errors.js';
import { ApexDate } from '../../core/values.js';
import { queryError } from './lexer.js';

export interface DayRange {
  start: ApexDate; // inclusive
  end: ApexDate; // exclusive
}

/** Calendar date "now" in a time zone. */
export function todayIn(nowMs: number, tz: string): ApexDate {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date(nowMs));
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  return new ApexDate(get('year'), get('month'), get('day'));
}

/** The UTC instant of 00:00 on a calendar date in a time zone. */
export function midnightMs(d: ApexDate, tz: string): number {
  const guess = Date.UTC(d.year, d.month - 1, d.day);
  // Offset of the zone at that instant: format the UTC guess in the zone and compare.
  const offsetAt = (ms: number) => {
    const p = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(new Date(ms));
    const g = (t: string) => Number(p.find((x) => x.type === t)!.value);
    return Date.UTC(g('year'), g('month') - 1, g('day'), g('hour'), g('minute'), g('second')) - ms;
  };
  const first = guess - offsetAt(guess);
  return guess - offsetAt(first);
}

export function addDays(d: ApexDate, n: number): ApexDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + n));
  return new ApexDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

function addMonths(d: ApexDate, n: number): ApexDate {
  const t = new Date(Date.UTC(d.year, d.month - 1 + n, 1));
  return new ApexDate(t.getUTCFullYear(), t.getUTCMonth() + 1, 1);
}

function weekStart(d: ApexDate): ApexDate {
  const dow = new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay(); // 0 = Sunday
  return addDays(d, -dow);
}

export function dateLiteralRange(name: string, n: number | undefined, nowMs: number, tz: string): DayRange {
  const t = todayIn(nowMs, tz);
  const som = new ApexDate(t.year, t.month, 1);
  const sow = weekStart(t);
  const soy = new ApexDate(t.year, 1, 1);
  const soq = new ApexDate(t.year, Math.floor((t.month - 1) / 3) * 3 + 1, 1);
  const needN = (): number => {
    if (n === undefined) throw queryError(`line 1:0 no viable alternative at character ' ': ${name} requires :n`);
    return n;
  };
  const years = (d: ApexDate, k: number) => new ApexDate(d.year + k, 1, 1);
  switch (name) {
    case 'YESTERDAY':
      return { start: addDays(t, -1), end: t };
    case 'TODAY':
      return { start: t, end: addDays(t, 1) };
    case 'TOMORROW':
      return { start: addDays(t, 1), end: addDays(t, 2) };
    case 'LAST_WEEK':
      return { start: addDays(sow, -7), end: sow };
    case 'THIS_WEEK':
      return { start: sow, end: addDays(sow, 7) };
    case 'NEXT_WEEK':
      return { start: addDays(sow, 7), end: addDays(sow, 14) };
    case 'LAST_MONTH':
      return { start: addMonths(som, -1), end: som };
    case 'THIS_MONTH':
      return { start: som, end: addMonths(som, 1) };
    case 'NEXT_MONTH':
      return { start: addMonths(som, 1), end: addMonths(som, 2) };
    case 'LAST_90_DAYS':
      return { start: addDays(t, -90), end: addDays(t, 1) };
    case 'NEXT_90_DAYS':
      return { start: addDays(t, 1), end: addDays(t, 91) };
    case 'LAST_N_DAYS':
      return { start: addDays(t, -needN()), end: addDays(t, 1) };
    case 'NEXT_N_DAYS':
      return { start: addDays(t, 1), end: addDays(t, needN() + 1) };
    case 'N_DAYS_AGO':
      return { start: addDays(t, -needN()), end: addDays(t, -needN() + 1) };
    case 'LAST_N_WEEKS':
      return { start: addDays(sow, -7 * needN()), end: sow };
    case 'NEXT_N_WEEKS':
      return { start: addDays(sow, 7), end: addDays(sow, 7 + 7 * needN()) };
    case 'N_WEEKS_AGO':
      return { start: addDays(sow, -7 * needN()), end: addDays(sow, -7 * needN() + 7) };
    case 'LAST_N_MONTHS':
      return { start: addMonths(som, -needN()), end: som };
    case 'NEXT_N_MONTHS':
      return { start: addMonths(som, 1), end: addMonths(som, 1 + needN()) };
    case 'N_MONTHS_AGO':
      return { start: addMonths(som, -needN()), end: addMonths(som, -needN() + 1) };
    case 'THIS_QUARTER':
      return { start: soq, end: addMonths(soq, 3) };
    case 'LAST_QUARTER':
      return { start: addMonths(soq, -3), end: soq };
    case 'NEXT_QUARTER':
      return { start: addMonths(soq, 3), end: addMonths(soq, 6) };
    case 'LAST_N_QUARTERS':
      return { start: addMonths(soq, -3 * needN()), end: soq };
    case 'NEXT_N_QUARTERS':
      return { start: addMonths(soq, 3), end: addMonths(soq, 3 + 3 * needN()) };
    case 'THIS_YEAR':
      return { start: soy, end: years(soy, 1) };
    case 'LAST_YEAR':
      return { start: years(soy, -1), end: soy };
    case 'NEXT_YEAR':
      return { start: years(soy, 1), end: years(soy, 2) };
    case 'LAST_N_YEARS':
      return { start: years(soy, -needN()), end: soy };
    case 'NEXT_N_YEARS':
      return { start: years(soy, 1), end: years(soy, 1 + needN()) };
    case 'N_YEARS_AGO':
      return { start: years(soy, -needN()), end: years(soy, -needN() + 1) };
    default:
      if (/FISCAL/.test(name)) throw new UnsupportedFeature(`SOQL date literal ${name}`);
      throw queryError(`line 1:0 unexpected token: '${name}'`);
  }
}
