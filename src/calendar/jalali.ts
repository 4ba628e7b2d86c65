/**
 * Solar Hijri (Jalali) dates in Tehran time, as Iranian users read and write
 * them: `1403/09/12`. The calendar arithmetic (month lengths, leap years) is
 * jalaali-js's; the time zone is the ICU database's `Asia/Tehran`, which knows
 * the daylight saving Iran kept until 2022 (UTC+04:30 in summer), so old dates
 * convert as they were lived, not with today's fixed +03:30.
 */
import { isValidJalaaliDate, jalaaliMonthLength, toGregorian, toJalaali } from 'jalaali-js';
import { toAsciiDigits, toPersianDigits } from './persian-text';

export const TEHRAN_TIME_ZONE = 'Asia/Tehran';

/** A date and time of day in the Jalali calendar, on Tehran's wall clock. */
export interface JalaliDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

// ─── Tehran's wall clock ───────────────────────────────────────────────────

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

const tehranClock = new Intl.DateTimeFormat('en-US', {
  timeZone: TEHRAN_TIME_ZONE,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  hourCycle: 'h23',
  era: 'short',
});

/** Milliseconds since the epoch of a UTC calendar time; unlike `Date.UTC`, years 0–99 are not taken for 1900–1999. */
const utc = (year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number => {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  return date.getTime();
};

const requireValid = (date: Date): number => {
  const time = date.getTime();
  if (Number.isNaN(time)) throw new RangeError('invalid date: the Date holds no time (NaN)');
  return time;
};

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Tehran's wall-clock reading at `time` as ICU computes it: exact, and slow (formatToParts allocates a part per field). */
const icuWallClockAt = (time: number): WallClock => {
  const parts: Record<string, string> = {};
  for (const part of tehranClock.formatToParts(new Date(time))) parts[part.type] = part.value;
  const year = Number(parts.year);
  return {
    year: parts.era === 'BC' ? 1 - year : year,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
};

/** ICU's offset at `time`, in milliseconds (whole seconds: Tehran's 19th-century mean time was +03:25:44). */
const icuOffsetAt = (time: number): number => {
  const wall = icuWallClockAt(time);
  return utc(wall.year, wall.month, wall.day, wall.hour, wall.minute, wall.second) - Math.floor(time / 1000) * 1000;
};

/**
 * Offsets by quarter hour of UTC. Every projection batch and every mutation formats
 * dates (Jalali month keys, summaries), and ICU's formatToParts was a few percent of
 * both; an offset is the same for a whole quarter hour unless the clocks changed
 * inside it, and such a quarter is never cached (both its ends are checked).
 */
const QUARTER_MS = 15 * MINUTE_MS;
const offsetsByQuarter = new Map<number, number>();
const MAX_CACHED_QUARTERS = 100_000;

/** Tehran's offset from UTC at `time`, in milliseconds (+03:30, or +04:30 in summers before 2023). */
const offsetAt = (time: number): number => {
  const quarter = Math.floor(time / QUARTER_MS);
  const cached = offsetsByQuarter.get(quarter);
  if (cached !== undefined) return cached;
  const start = quarter * QUARTER_MS;
  const offset = icuOffsetAt(start);
  if (icuOffsetAt(start + QUARTER_MS - 1000) !== offset) return icuOffsetAt(time);
  if (offsetsByQuarter.size >= MAX_CACHED_QUARTERS) offsetsByQuarter.clear();
  offsetsByQuarter.set(quarter, offset);
  return offset;
};

/** Tehran's Gregorian wall-clock reading at `time`, to the second. */
const wallClockAt = (time: number): WallClock => {
  const wall = new Date(Math.floor(time / 1000) * 1000 + offsetAt(time));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
  };
};

/**
 * The instant Tehran's wall clock showed `local` (a UTC-encoded wall time).
 * When the clocks went forward and skipped it, the time as many minutes past
 * the jump; when they went back and showed it twice, the first.
 */
const fromTehranWallClock = (local: number): number => {
  const before = offsetAt(local - 12 * HOUR_MS);
  const after = offsetAt(local + 12 * HOUR_MS);
  const fitting = [local - before, local - after].filter((time) => offsetAt(time) === local - time);
  return fitting.length > 0 ? Math.min(...fitting) : local - before;
};

// ─── Formatting ────────────────────────────────────────────────────────────

/** The Jalali date and time of day on Tehran's wall clock at `date`. */
export const jalaliParts = (date: Date): JalaliDateTime => {
  const wall = wallClockAt(requireValid(date));
  const { jy, jm, jd } = toJalaali(wall.year, wall.month, wall.day);
  return { year: jy, month: jm, day: jd, hour: wall.hour, minute: wall.minute };
};

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** `1403/09/12`: the Jalali date in Tehran, ASCII digits. */
export const toJalaliDate = (date: Date): string => formatJalali(date);

export interface FormatJalaliOptions {
  /** Persian digits (۱۴۰۳/۰۹/۱۲) instead of ASCII ones; default false. */
  persianDigits?: boolean;
  /** Append Tehran's time of day, ` HH:mm` (24-hour); default false. */
  withTime?: boolean;
}

/** `1403/09/12`, `1403/09/12 10:00` or `۱۴۰۳/۰۹/۱۲ ۱۰:۰۰`, on Tehran's wall clock. */
export const formatJalali = (date: Date, options: FormatJalaliOptions = {}): string => {
  const { year, month, day, hour, minute } = jalaliParts(date);
  const text = `${pad(year, 4)}/${pad(month)}/${pad(day)}` + (options.withTime ? ` ${pad(hour)}:${pad(minute)}` : '');
  return options.persianDigits ? toPersianDigits(text) : text;
};

/** `1403-09`: the Jalali month in Tehran, a key that sorts, for reports cut by month. */
export const jalaliMonthKey = (date: Date): string => {
  const { year, month } = jalaliParts(date);
  return `${pad(year, 4)}-${pad(month)}`;
};

/** 1403: the Jalali year in Tehran. */
export const jalaliYear = (date: Date): number => jalaliParts(date).year;

// ─── Parsing ───────────────────────────────────────────────────────────────

const requireJalaliDate = (year: number, month: number, day: number): void => {
  if (isValidJalaaliDate(year, month, day)) return;
  const why =
    month < 1 || month > 12
      ? `there is no month ${month}`
      : day < 1
        ? `there is no day ${day}`
        : `month ${month} of ${year} has ${jalaaliMonthLength(year, month)} days`;
  throw new RangeError(`${pad(year, 4)}/${pad(month)}/${pad(day)} is not a Jalali date: ${why}`);
};

const requireGregorianDate = (year: number, month: number, day: number): void => {
  const date = new Date(utc(year, month, day));
  if (month >= 1 && month <= 12 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day) return;
  throw new RangeError(`${pad(year, 4)}-${pad(month)}-${pad(day)} is not a Gregorian date`);
};

const requireTimeOfDay = (hour: number, minute: number, second: number): void => {
  if (hour > 23 || minute > 59 || second > 59) {
    throw new RangeError(`${pad(hour)}:${pad(minute)}:${pad(second)} is not a time of day`);
  }
};

/**
 * The instant a Jalali date and time of day were on Tehran's wall clock.
 * Throws a RangeError for a date the calendar does not have (1403/13/01,
 * 1404/12/30) or a time of day that does not exist (24:00, 10:60).
 */
export const jalaliToDate = (year: number, month: number, day: number, hour = 0, minute = 0): Date => {
  requireJalaliDate(year, month, day);
  requireTimeOfDay(hour, minute, 0);
  const { gy, gm, gd } = toGregorian(year, month, day);
  return new Date(fromTehranWallClock(utc(gy, gm, gd, hour, minute)));
};

/** Jalali years are below this, Gregorian ones above: 1700 AP is 2321 CE, 1700 CE is 1079 AP. */
const FIRST_GREGORIAN_YEAR = 1700;

const DATE_INPUT =
  /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** Milliseconds east of UTC of an ISO-8601 offset the pattern above matched: `Z`, `+03:30`, `+0330`, `-05`. */
const offsetMs = (offset: string): number => {
  if (offset.toUpperCase() === 'Z') return 0;
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');
  if (hours > 23 || minutes > 59) throw new RangeError(`${offset} is not a UTC offset`);
  return (offset.startsWith('-') ? -1 : 1) * (hours * HOUR_MS + minutes * MINUTE_MS);
};

/**
 * Reads a date or time a user typed. Accepted, with ASCII, Persian (۱۴۰۳) or
 * Arabic-Indic (١٤٠٣) digits:
 *
 * - ISO-8601 times: `2024-12-02T10:00:00Z`, `2024-12-02T10:00+03:30`; without
 *   an offset, Tehran time;
 * - ISO-8601 dates: `2024-12-02` is midnight in Tehran;
 * - Jalali dates `1403/09/12`, `۱۴۰۳/۰۹/۱۲`, `1403-09-12` (a year below 1700
 *   is Jalali), optionally followed by ` HH:mm`, Tehran time.
 *
 * Throws a RangeError naming the problem for anything else, and for dates the
 * calendar does not have: `1403/13/40`, `1404/12/30` (1404 is not a leap year),
 * `2025-02-29`.
 */
export const parseDateInput = (text: string): Date => {
  const match = DATE_INPUT.exec(toAsciiDigits(text).trim());
  if (!match) {
    throw new RangeError(
      `cannot read "${text}" as a date: write an ISO-8601 date or time (2024-12-02, 2024-12-02T10:00:00+03:30) ` +
        'or a Jalali date (1403/09/12, 1403/09/12 10:00)',
    );
  }
  const [, y, separator, mo, d, h = '0', mi = '0', s = '0', fraction = '0', offset] = match as unknown as (string | undefined)[];
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  const ms = Math.floor(Number(`0.${fraction}`) * 1000);

  let gregorian: { gy: number; gm: number; gd: number };
  if (year < FIRST_GREGORIAN_YEAR) {
    requireJalaliDate(year, month, day);
    gregorian = toGregorian(year, month, day);
  } else {
    if (separator === '/') throw new RangeError(`cannot read "${text}": a Gregorian date is written 2024-12-02, with dashes`);
    requireGregorianDate(year, month, day);
    gregorian = { gy: year, gm: month, gd: day };
  }
  requireTimeOfDay(hour, minute, second);
  const local = utc(gregorian.gy, gregorian.gm, gregorian.gd, hour, minute, second, ms);
  return new Date(offset === undefined ? fromTehranWallClock(local) : local - offsetMs(offset));
};
