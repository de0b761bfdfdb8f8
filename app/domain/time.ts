/**
 * Time helpers shared by the scheduling domain.
 *
 * Conventions (same as the Prisma schema):
 * - instants are UTC `Date`s;
 * - local dates are "yyyy-MM-dd" strings and local times "HH:mm" strings, both
 *   read in the school's IANA time zone;
 * - intervals are half-open: [start, end).
 *
 * Local → UTC conversion is implemented here on top of `Intl.DateTimeFormat`
 * rather than with luxon's `DateTime.fromObject`, for two reasons:
 * 1. luxon resolves an ambiguous local time (the repeated hour when clocks go
 *    back) using the offset in force *today*, so the same input gives different
 *    instants in summer and in winter. We need a deterministic rule.
 * 2. Speed: expanding thousands of series calls it tens of thousands of times;
 *    this version is memoised and ~10x faster.
 * The rule is the one of Temporal's "compatible" disambiguation (and of luxon
 * for gaps):
 * - a time that does not exist (spring-forward gap) moves forward by the size of
 *   the gap: 02:30 on a day the clocks jump 02:00 → 03:00 becomes 03:30;
 * - a time that exists twice (fall-back) resolves to the earlier instant, i.e.
 *   the offset in force before the transition.
 */
import { IANAZone } from "luxon";

/** Local calendar date, "yyyy-MM-dd". */
export type LocalDate = string;
/** Local wall-clock time, "HH:mm". */
export type LocalTime = string;
/** 0 = Sunday … 6 = Saturday (same as `Date#getUTCDay` and the schema). */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export const MINUTES_PER_DAY = 1440;
export const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;

export const WEEKDAY_NAMES = [
  "Sunday",
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
] as const;
export const WEEKDAY_SHORT_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
export const MONTH_SHORT_NAMES = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
] as const;

// ---------------------------------------------------------------------------
// Time zones
// ---------------------------------------------------------------------------

/** True for IANA names accepted by the runtime ("Europe/London", "UTC", …). */
export function isValidTimeZone(zone: unknown): zone is string {
  return typeof zone === "string" && zone.length > 0 && IANAZone.isValidZone(zone);
}

export function assertTimeZone(zone: string): void {
  if (!isValidTimeZone(zone)) throw new RangeError(`Unknown time zone "${zone}"`);
}

// ---------------------------------------------------------------------------
// "HH:mm" times
// ---------------------------------------------------------------------------

const TIME_RE = /^([01]?\d|2[0-4]):([0-5]\d)$/;

/**
 * Parses "HH:mm" (or "H:mm") into minutes after midnight. "24:00" is accepted
 * (= 1440) so a window can end at midnight. Returns null when invalid.
 */
export function tryParseTime(value: string): number | null {
  const m = TIME_RE.exec(value.trim());
  if (!m) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes > MINUTES_PER_DAY ? null : minutes;
}

/** Like {@link tryParseTime} but throws a RangeError on invalid input. */
export function parseTime(value: string): number {
  const minutes = tryParseTime(value);
  if (minutes === null) throw new RangeError(`Invalid time "${value}" (expected HH:mm)`);
  return minutes;
}

export function isValidTime(value: string): boolean {
  return tryParseTime(value) !== null;
}

/** Formats minutes after midnight (0…1440, fractions floored) as "HH:mm". */
export function formatMinutes(minutes: number): LocalTime {
  if (!Number.isFinite(minutes) || minutes < 0 || minutes > MINUTES_PER_DAY) {
    throw new RangeError(`Minutes out of range: ${minutes}`);
  }
  const whole = Math.floor(minutes);
  return `${pad2(Math.floor(whole / 60))}:${pad2(whole % 60)}`;
}

// ---------------------------------------------------------------------------
// "yyyy-MM-dd" dates (pure calendar arithmetic, no zone involved)
// ---------------------------------------------------------------------------

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface DateParts {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
}

export function tryParseLocalDate(value: string): DateParts | null {
  const m = DATE_RE.exec(value);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

export function parseLocalDate(value: string): DateParts {
  const parts = tryParseLocalDate(value);
  if (!parts) throw new RangeError(`Invalid date "${value}" (expected yyyy-MM-dd)`);
  return parts;
}

export function isValidLocalDate(value: unknown): value is LocalDate {
  return typeof value === "string" && tryParseLocalDate(value) !== null;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month (month 1-12). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a calendar date. */
export function dayNumberFromParts(year: number, month: number, day: number): number {
  return Math.floor(utcMs(year, month, day) / MS_PER_DAY);
}

/** Days since 1970-01-01 of a "yyyy-MM-dd" date (throws when invalid). */
export function toDayNumber(date: LocalDate): number {
  const { year, month, day } = parseLocalDate(date);
  return dayNumberFromParts(year, month, day);
}

/** Inverse of {@link toDayNumber}. */
export function fromDayNumber(dayNumber: number): LocalDate {
  const d = new Date(dayNumber * MS_PER_DAY);
  return formatDateParts(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

export function formatDateParts(year: number, month: number, day: number): LocalDate {
  const y = year >= 0 && year < 10000 ? String(year).padStart(4, "0") : String(year);
  return `${y}-${pad2(month)}-${pad2(day)}`;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

export function weekdayOfDayNumber(dayNumber: number): Weekday {
  // 1970-01-01 was a Thursday (4).
  return ((((dayNumber + 4) % 7) + 7) % 7) as Weekday;
}

export function weekdayOfLocalDate(date: LocalDate): Weekday {
  return weekdayOfDayNumber(toDayNumber(date));
}

/** Accepts a "yyyy-MM-dd" string or a `Date` (a Prisma `@db.Date` comes back as UTC midnight). */
export function normalizeLocalDate(value: LocalDate | Date): LocalDate {
  if (value instanceof Date) {
    return formatDateParts(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate());
  }
  parseLocalDate(value);
  return value;
}

// ---------------------------------------------------------------------------
// Zone offsets and local ↔ UTC conversion
// ---------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Per zone: UTC second → offset in ms. Bounded; cleared when it grows too big. */
const offsetCache = new Map<string, Map<number, number>>();
/** Per zone: local wall-clock ms ("as if UTC") → UTC ms. */
const wallCache = new Map<string, Map<number, number>>();
const CACHE_LIMIT = 200_000;

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone: zone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    } catch {
      throw new RangeError(`Unknown time zone "${zone}"`);
    }
    formatters.set(zone, f);
  }
  return f;
}

function cacheFor(store: Map<string, Map<number, number>>, zone: string): Map<number, number> {
  let m = store.get(zone);
  if (!m) {
    m = new Map();
    store.set(zone, m);
  } else if (m.size > CACHE_LIMIT) {
    m.clear();
  }
  return m;
}

const FORMAT_RE = /(\d+)\/(\d+)\/(\d+),?\s+(\d+):(\d+):(\d+)/;

/** Offset of `zone` from UTC at the instant, in ms (e.g. -4h for New York in summer). */
export function zoneOffsetMs(zone: string, instant: Date | number): number {
  const ms = typeof instant === "number" ? instant : instant.getTime();
  const second = Math.floor(ms / 1000);
  const cache = cacheFor(offsetCache, zone);
  const hit = cache.get(second);
  if (hit !== undefined) return hit;

  const at = second * 1000;
  const text = formatterFor(zone).format(new Date(at));
  const m = FORMAT_RE.exec(text);
  let wall: number;
  if (m) {
    wall = utcMs(Number(m[3]), Number(m[1]), Number(m[2]), Number(m[4]) % 24, Number(m[5]), Number(m[6]));
  } else {
    // Unexpected output shape (exotic ICU build): fall back to formatToParts.
    const p: Record<string, number> = {};
    for (const part of formatterFor(zone).formatToParts(new Date(at))) {
      if (part.type !== "literal") p[part.type] = Number(part.value);
    }
    wall = utcMs(p.year ?? 1970, p.month ?? 1, p.day ?? 1, (p.hour ?? 0) % 24, p.minute ?? 0, p.second ?? 0);
  }
  const offset = wall - at;
  cache.set(second, offset);
  return offset;
}

/**
 * Converts a wall-clock reading (expressed as ms since epoch "as if the zone
 * were UTC") to the UTC instant in ms. See the module comment for gaps/overlaps.
 */
export function wallMsToUtcMs(zone: string, wallMs: number): number {
  const cache = cacheFor(wallCache, zone);
  const hit = cache.get(wallMs);
  if (hit !== undefined) return hit;

  // Offsets a day either side bracket any transition near this wall time
  // (real zones never have two transitions within two days).
  const before = zoneOffsetMs(zone, wallMs - MS_PER_DAY);
  const after = zoneOffsetMs(zone, wallMs + MS_PER_DAY);
  let result: number;
  if (before === after) {
    result = wallMs - before;
  } else {
    const a = wallMs - before;
    const b = wallMs - after;
    const aValid = a + zoneOffsetMs(zone, a) === wallMs;
    const bValid = b + zoneOffsetMs(zone, b) === wallMs;
    if (aValid && bValid) result = Math.min(a, b); // repeated hour: earlier instant
    else if (aValid) result = a;
    else if (bValid) result = b;
    else result = a; // gap: use the pre-transition offset, i.e. shift forward by the gap
  }
  cache.set(wallMs, result);
  return result;
}

/** Wall-clock reading of an instant in the zone, as ms "as if UTC". */
export function utcMsToWallMs(zone: string, instant: Date | number): number {
  const ms = typeof instant === "number" ? instant : instant.getTime();
  return ms + zoneOffsetMs(zone, ms);
}

/**
 * UTC instant of a local date + local time in `zone`. `time` is "HH:mm" or
 * minutes after midnight (may exceed 1440 to roll into the next day).
 */
export function localDateTimeToUtc(date: LocalDate, time: LocalTime | number, zone: string): Date {
  const minutes = typeof time === "number" ? time : parseTime(time);
  return new Date(wallMsToUtcMs(zone, toDayNumber(date) * MS_PER_DAY + minutes * MS_PER_MINUTE));
}

export interface LocalParts {
  date: LocalDate;
  weekday: Weekday;
  /** Whole minutes after local midnight (0-1439). */
  minutes: number;
  /** Milliseconds after local midnight (keeps seconds, for exact round trips). */
  msOfDay: number;
  /** Days since 1970-01-01 of the local date. */
  dayNumber: number;
}

/** Local date, weekday and time of day of an instant in `zone`. */
export function toLocalParts(instant: Date | number, zone: string): LocalParts {
  const wall = utcMsToWallMs(zone, instant);
  const dayNumber = Math.floor(wall / MS_PER_DAY);
  const msOfDay = wall - dayNumber * MS_PER_DAY;
  return {
    date: fromDayNumber(dayNumber),
    weekday: weekdayOfDayNumber(dayNumber),
    minutes: Math.floor(msOfDay / MS_PER_MINUTE),
    msOfDay,
    dayNumber,
  };
}

export function toLocalDate(instant: Date | number, zone: string): LocalDate {
  return toLocalParts(instant, zone).date;
}

export function localWeekday(instant: Date | number, zone: string): Weekday {
  return toLocalParts(instant, zone).weekday;
}

export function localMinutesOfDay(instant: Date | number, zone: string): number {
  return toLocalParts(instant, zone).minutes;
}

/** "HH:mm" of an instant in the zone. */
export function formatLocalTime(instant: Date | number, zone: string): LocalTime {
  return formatMinutes(localMinutesOfDay(instant, zone));
}

// ---------------------------------------------------------------------------
// Intervals
// ---------------------------------------------------------------------------

/**
 * Half-open overlap: [aStart, aEnd) and [bStart, bEnd) share at least one
 * instant. Touching intervals do not overlap; an empty interval overlaps nothing.
 */
export function overlaps(
  aStart: Date | number,
  aEnd: Date | number,
  bStart: Date | number,
  bEnd: Date | number,
): boolean {
  const as = +aStart;
  const ae = +aEnd;
  const bs = +bStart;
  const be = +bEnd;
  return as < ae && bs < be && as < be && bs < ae;
}

// ---------------------------------------------------------------------------
// Human formatting (fixed English names, independent of the runtime's ICU)
// ---------------------------------------------------------------------------

/** "Tue 3 Mar" */
export function formatShortDate(date: LocalDate): string {
  const { month, day } = parseLocalDate(date);
  return `${WEEKDAY_SHORT_NAMES[weekdayOfLocalDate(date)]} ${day} ${MONTH_SHORT_NAMES[month - 1]}`;
}

/** "3 Mar 2026" */
export function formatLongDate(date: LocalDate): string {
  const { year, month, day } = parseLocalDate(date);
  return `${day} ${MONTH_SHORT_NAMES[month - 1]} ${year}`;
}

// ---------------------------------------------------------------------------

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Date.UTC that also handles years 0-99 (Date.UTC maps them to 19xx). */
function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  if (year >= 100) return Date.UTC(year, month - 1, day, hour, minute, second);
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}
