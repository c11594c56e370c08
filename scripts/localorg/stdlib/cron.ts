/**
 * Cron expressions of System.schedule and the next fire time they give (CronTrigger.NextFireTime).
 *
 * Rule (Apex Reference, "System Class", schedule(jobName, cronExpression, schedulableClass);
 * https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_methods_system_system.htm#apex_System_System_schedule):
 * `Seconds Minutes Hours Day_of_month Month Day_of_week [Optional_year]`, seconds/minutes 0-59, hours 0-23, day of
 * month 1-31, month 1-12 or JAN-DEC, day of week 1-7 (1 = Sunday) or SUN-SAT, year 1970-2099 or empty; `,` lists,
 * `-` ranges, `*` all values, `?` no specific value (day of month or day of week: exactly one of the two is `?`),
 * `/` increments (`start/step`). The times are in the time zone of the user who schedules the job ("The
 * System.Schedule method uses the user's timezone for the basis of all schedules").
 * `L`, `W` and `#` (last day, nearest weekday, nth weekday) fail as Unsupported feature.
 */
import { platformError, UnsupportedFeature } from '../core/errors.js';
import { instantOf, partsIn } from './dates.js';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

export interface CronSchedule {
  seconds: Set<number>;
  minutes: Set<number>;
  hours: Set<number>;
  /** null: `?` */
  daysOfMonth: Set<number> | null;
  months: Set<number>;
  /** 1 = Sunday ... 7 = Saturday; null: `?` */
  daysOfWeek: Set<number> | null;
  /** null: every year */
  years: Set<number> | null;
}

function bad(expr: string, why: string): Error {
  return platformError('System.StringException', `${why} (cron expression '${expr}')`);
}

function field(
  expr: string,
  text: string,
  name: string,
  min: number,
  max: number,
  names: string[] = [],
  nameBase = 1,
): Set<number> | null {
  if (text === '?') {
    if (name !== 'Day_of_month' && name !== 'Day_of_week') throw bad(expr, `'?' can only be used for ${name}`);
    return null;
  }
  if (/[LW#]/i.test(text)) throw new UnsupportedFeature(`cron expression ${name} '${text}' (L, W, #)`);
  const num = (s: string): number => {
    const i = names.indexOf(s.toUpperCase());
    if (i >= 0) return i + nameBase;
    if (!/^\d+$/.test(s)) throw bad(expr, `Illegal characters for ${name}: '${s}'`);
    const n = Number(s);
    if (n < min || n > max) throw bad(expr, `${name} values must be between ${min} and ${max}`);
    return n;
  };
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw bad(expr, `Illegal increment for ${name}: '${part}'`);
    let lo: number;
    let hi: number;
    if (range === '*') [lo, hi] = [min, max];
    else if (range.includes('-')) {
      const [a, b] = range.split('-');
      [lo, hi] = [num(a), num(b)];
    } else {
      lo = num(range);
      hi = stepText === undefined ? lo : max;
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/** Parses a cron expression; a malformed one is System.StringException. */
export function parseCron(expr: string): CronSchedule {
  const parts = expr.trim().split(/\s+/);
  if (parts.length < 6 || parts.length > 7) throw bad(expr, 'Unexpected end of expression');
  const dom = field(expr, parts[3], 'Day_of_month', 1, 31);
  const dow = field(expr, parts[5], 'Day_of_week', 1, 7, DAYS);
  // Exactly one of the two day fields is '?' (the platform's scheduler, Quartz-style).
  if ((dom === null) === (dow === null))
    throw bad(expr, 'Support for specifying both a day-of-week AND a day-of-month parameter is not implemented');
  return {
    seconds: field(expr, parts[0], 'Seconds', 0, 59)!,
    minutes: field(expr, parts[1], 'Minutes', 0, 59)!,
    hours: field(expr, parts[2], 'Hours', 0, 23)!,
    daysOfMonth: dom,
    months: field(expr, parts[4], 'Month', 1, 12, MONTHS)!,
    daysOfWeek: dow,
    years: parts[6] === undefined ? null : field(expr, parts[6], 'Year', 1970, 2099),
  };
}

function sorted(s: Set<number>): number[] {
  return [...s].sort((a, b) => a - b);
}

/**
 * The first instant strictly after `afterMs` the schedule fires, in `zone`; null when it never fires again (a past
 * year, or a day that does not exist such as 31 February).
 */
export function nextFireTime(c: CronSchedule, afterMs: number, zone: string): number | null {
  const start = partsIn(zone, afterMs + 1000 - (((afterMs % 1000) + 1000) % 1000));
  const secs = sorted(c.seconds);
  const mins = sorted(c.minutes);
  const hours = sorted(c.hours);
  const lastYear = c.years ? Math.max(...c.years) : start.year + 30;
  for (let y = start.year; y <= lastYear; y++) {
    if (c.years && !c.years.has(y)) continue;
    for (let m = y === start.year ? start.month : 1; m <= 12; m++) {
      if (!c.months.has(m)) continue;
      const dim = new Date(Date.UTC(y, m, 0)).getUTCDate();
      const firstDay = y === start.year && m === start.month ? start.day : 1;
      for (let d = firstDay; d <= dim; d++) {
        const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 1;
        if (c.daysOfMonth ? !c.daysOfMonth.has(d) : !c.daysOfWeek!.has(weekday)) continue;
        const today = y === start.year && m === start.month && d === start.day;
        for (const h of hours) {
          if (today && h < start.hour) continue;
          for (const mi of mins) {
            if (today && h === start.hour && mi < start.minute) continue;
            for (const s of secs) {
              if (today && h === start.hour && mi === start.minute && s < start.second) continue;
              return instantOf(zone, y, m, d, h, mi, s);
            }
          }
        }
      }
    }
  }
  return null;
}
