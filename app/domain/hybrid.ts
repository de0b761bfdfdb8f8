/**
 * Hybrid lessons: a group lesson that, in some weeks of a term, is replaced by
 * individual (1-on-1) sessions which each student books with the teacher.
 *
 * Pure and framework-free. Calendar dates are plain "yyyy-MM-dd" strings (local
 * dates in the school's time zone); instants are `Date`s (UTC). Local wall-clock
 * times are resolved in the school's IANA zone (see ./time), so a 17:00 group
 * lesson stays at 17:00 local time on both sides of a DST change.
 *
 * Week numbering: week 1 is the 7-day block starting on the term's start date,
 * week n starts on `termStartDate + 7 * (n - 1)` days. The last week is clipped
 * to the term's end date.
 */
import {
  addDays,
  assertTimeZone,
  daysBetween,
  isValidLocalDate,
  localDateTimeToUtc,
  normalizeLocalDate,
  weekdayOfLocalDate,
} from "./time";

// ---------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------

/** Money as entered/stored: "12.50", "12", 12.5. At most 2 decimals, never negative. */
export type MoneyInput = string | number;

export interface HybridPattern {
  termId: string;
  /** First day of the term, "yyyy-MM-dd" (local date). */
  termStartDate: string;
  /** Last day of the term (inclusive), "yyyy-MM-dd". */
  termEndDate: string;
  /** 1-based week numbers that are individual weeks; every other week is a group week. */
  individualWeeks: number[];
  /** Weekday of the group meeting: 0 = Sunday … 6 = Saturday. */
  groupWeekday: number;
  /** Local start time of the group meeting, "HH:mm". */
  groupStartTime: string;
  groupDurationMinutes: number;
  individualDurationMinutes: number;
  /** Price per group week. Required (by `priceFor`) only if group weeks are billed. */
  groupPrice?: MoneyInput | null;
  /** Price per individual week. Required (by `priceFor`) only if individual weeks are billed. */
  individualPrice?: MoneyInput | null;
  /** How many days before an individual week students are told to book their session. */
  notifyDaysAhead: number;
  /**
   * Location of the group meeting. Closures with a `locationId` only affect
   * patterns at that location; school-wide closures (no `locationId`) affect all.
   */
  locationId?: string | null;
}

/**
 * A closure: an inclusive range of local dates. `Date` values are read as UTC
 * calendar dates (how Prisma returns `@db.Date` columns).
 * `locationId` null/undefined = school-wide.
 */
export interface DateClosure {
  startDate: string | Date;
  endDate: string | Date;
  locationId?: string | null;
}

export type HybridWeekKind = "GROUP" | "INDIVIDUAL" | "CLOSED";

export interface HybridWeek {
  weekNumber: number;
  /** Effective kind for this week after closures were applied. */
  kind: HybridWeekKind;
  /** Kind according to the pattern alone (before closures). */
  patternKind: "GROUP" | "INDIVIDUAL";
  /** First local date of the week, "yyyy-MM-dd". */
  weekStart: string;
  /** Last local date of the week (inclusive, clipped to the term end). */
  weekEnd: string;
  /** Local date of the group's meeting day in this week, if that weekday falls inside the week. */
  meetingDate?: string;
  /**
   * The group meeting instant (group weeks), or the marker at the group's usual
   * time (individual and closed weeks). Absent only when the meeting weekday does
   * not fall inside a (clipped, final) week.
   */
  groupStart?: Date;
  groupEnd?: Date;
  /** Dates of this week that are closed (for this pattern's location), sorted. */
  closedDates: string[];
  /**
   * Individual weeks only: local date on which students should be notified to
   * book (weekStart − notifyDaysAhead days).
   */
  notifyOn?: string;
}

export interface WeekCounts {
  groupWeeks: number;
  individualWeeks: number;
}

// ---------------------------------------------------------------------------
// Date/time helpers (shared implementations live in ./time)
// ---------------------------------------------------------------------------

/** Strict "HH:mm" (00:00–23:59) for a group start time. */
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Normalise a `string | Date` calendar date to "yyyy-MM-dd". Throws on garbage. */
export function toDateString(value: string | Date): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError("Invalid date");
  } else if (!isValidLocalDate(value)) {
    throw new RangeError(`"${value}" is not a valid date (expected yyyy-MM-dd).`);
  }
  return normalizeLocalDate(value);
}

/** True if `date` falls in a closure that applies to `locationId`. */
export function isDateClosed(
  date: string,
  closures: readonly DateClosure[],
  locationId?: string | null,
): boolean {
  return closures.some((c) => {
    if (c.locationId != null && c.locationId !== locationId) return false;
    const start = toDateString(c.startDate);
    const end = toDateString(c.endDate);
    return start <= date && date <= end;
  });
}

// ---------------------------------------------------------------------------
// Money (integer cents)
// ---------------------------------------------------------------------------

const MONEY_RE = /^\d+(\.\d{1,2})?$/;

/** Parse a money amount into integer cents. Throws a readable error on bad input. */
export function toCents(value: MoneyInput, label = "Price"): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`${label} must be a non-negative amount.`);
    }
    const cents = Math.round(value * 100);
    if (Math.abs(value * 100 - cents) > 1e-6) {
      throw new RangeError(`${label} can have at most 2 decimal places.`);
    }
    return cents;
  }
  const s = value.trim();
  if (!MONEY_RE.test(s)) {
    throw new RangeError(`${label} "${value}" is not a valid amount (e.g. 25 or 25.50).`);
  }
  const [whole, frac = ""] = s.split(".") as [string, string?];
  const cents = Number(whole) * 100 + Number(frac.padEnd(2, "0"));
  if (!Number.isSafeInteger(cents)) throw new RangeError(`${label} is too large.`);
  return cents;
}

/** Integer cents -> "1234.50". */
export function formatCents(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError("Cents must be a safe integer.");
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

// ---------------------------------------------------------------------------
// Week lists
// ---------------------------------------------------------------------------

export class WeekListError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WeekListError";
  }
}

/** Upper bound accepted by `parseWeekList` (protects against "1-999999999"). */
export const MAX_WEEK_NUMBER = 104;

/**
 * Parse "1-3, 5-7, 9" into [1,2,3,5,6,7,9] (sorted, unique).
 * Accepts hyphen, en dash or em dash for ranges, commas/semicolons or spaces as
 * separators. An empty/blank string yields []. Throws `WeekListError` with a
 * readable message on bad input.
 */
export function parseWeekList(input: string, options: { maxWeek?: number } = {}): number[] {
  const maxWeek = options.maxWeek ?? MAX_WEEK_NUMBER;
  const normalised = input.replace(/\s*[-–—]\s*/g, "-").trim();
  if (normalised === "") return [];
  const weeks = new Set<number>();
  for (const token of normalised.split(/[\s,;]+/)) {
    if (token === "") continue;
    const m = /^(\d+)(?:-(\d+))?$/.exec(token);
    if (!m) {
      throw new WeekListError(
        `"${token}" is not a week number or range. Use numbers and ranges like "1-3, 5, 8-9".`,
      );
    }
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (from < 1 || to < 1) throw new WeekListError("Week numbers start at 1.");
    if (to < from) {
      throw new WeekListError(`The range "${from}-${to}" runs backwards; did you mean "${to}-${from}"?`);
    }
    if (to > maxWeek) throw new WeekListError(`Week ${to} is too large (at most ${maxWeek}).`);
    for (let w = from; w <= to; w++) weeks.add(w);
  }
  return [...weeks].sort((a, b) => a - b);
}

/** Non-throwing variant of `parseWeekList`, convenient for form validation. */
export function tryParseWeekList(
  input: string,
  options: { maxWeek?: number } = {},
): { ok: true; weeks: number[] } | { ok: false; error: string } {
  try {
    return { ok: true, weeks: parseWeekList(input, options) };
  } catch (err) {
    if (err instanceof WeekListError) return { ok: false, error: err.message };
    throw err;
  }
}

/** [1,2,3,5] -> "1–3, 5" (en dash; sorted, duplicates removed). */
export function formatWeekList(weeks: readonly number[]): string {
  const sorted = [...new Set(weeks)].sort((a, b) => a - b);
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    const start = sorted[i] as number;
    let end = start;
    while (i + 1 < sorted.length && sorted[i + 1] === end + 1) {
      end = sorted[i + 1] as number;
      i++;
    }
    parts.push(start === end ? String(start) : `${start}–${end}`);
    i++;
  }
  return parts.join(", ");
}

// ---------------------------------------------------------------------------
// Pattern validation
// ---------------------------------------------------------------------------

/** Number of (possibly partial) 7-day weeks between two local dates, inclusive. */
export function termWeekCount(termStartDate: string, termEndDate: string): number {
  const days = daysBetween(toDateString(termStartDate), toDateString(termEndDate)) + 1;
  if (days <= 0) throw new RangeError("The term ends before it starts.");
  return Math.ceil(days / 7);
}

/** Readable validation errors; an empty array means the pattern is valid. */
export function validatePattern(pattern: HybridPattern, termWeekCountValue: number): string[] {
  const errors: string[] = [];
  const validStart = isValidLocalDate(pattern.termStartDate);
  const validEnd = isValidLocalDate(pattern.termEndDate);
  if (!validStart) errors.push(`Term start date "${pattern.termStartDate}" is not a valid date.`);
  if (!validEnd) errors.push(`Term end date "${pattern.termEndDate}" is not a valid date.`);
  if (validStart && validEnd && pattern.termEndDate < pattern.termStartDate) {
    errors.push("The term ends before it starts.");
  }

  if (!Number.isInteger(termWeekCountValue) || termWeekCountValue < 1) {
    errors.push("The term must have at least one week.");
  } else {
    const bad = pattern.individualWeeks.filter((w) => !Number.isInteger(w));
    if (bad.length > 0) errors.push(`Week numbers must be whole numbers (got ${bad.join(", ")}).`);
    const outside = [...new Set(pattern.individualWeeks)]
      .filter((w) => Number.isInteger(w) && (w < 1 || w > termWeekCountValue))
      .sort((a, b) => a - b);
    if (outside.length > 0) {
      errors.push(
        `Individual week${outside.length > 1 ? "s" : ""} ${outside.join(", ")} ${
          outside.length > 1 ? "are" : "is"
        } outside the term (weeks 1–${termWeekCountValue}).`,
      );
    }
    if (new Set(pattern.individualWeeks).size !== pattern.individualWeeks.length) {
      errors.push("Individual weeks contain duplicates.");
    }
    const inTerm = new Set(
      pattern.individualWeeks.filter((w) => Number.isInteger(w) && w >= 1 && w <= termWeekCountValue),
    );
    if (inTerm.size === 0) {
      errors.push("Choose at least one individual week (otherwise this is a plain group lesson).");
    }
    if (inTerm.size >= termWeekCountValue) {
      errors.push("At least one week must be a group week.");
    }
  }

  if (!Number.isInteger(pattern.groupWeekday) || pattern.groupWeekday < 0 || pattern.groupWeekday > 6) {
    errors.push("Group weekday must be 0 (Sunday) to 6 (Saturday).");
  }
  if (!TIME_RE.test(pattern.groupStartTime)) {
    errors.push(`Group start time "${pattern.groupStartTime}" is not a valid time (HH:mm).`);
  }
  for (const [label, value] of [
    ["Group duration", pattern.groupDurationMinutes],
    ["Individual session duration", pattern.individualDurationMinutes],
  ] as const) {
    if (!Number.isInteger(value) || value <= 0) errors.push(`${label} must be a positive number of minutes.`);
    else if (value > 24 * 60) errors.push(`${label} cannot be longer than a day.`);
  }
  for (const [label, value] of [
    ["Group price", pattern.groupPrice],
    ["Individual price", pattern.individualPrice],
  ] as const) {
    if (value == null) continue;
    try {
      toCents(value, label);
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  if (!Number.isInteger(pattern.notifyDaysAhead) || pattern.notifyDaysAhead < 0) {
    errors.push("Notify days ahead must be zero or a positive whole number.");
  }
  return errors;
}

// ---------------------------------------------------------------------------
// Week expansion
// ---------------------------------------------------------------------------

/**
 * Expand a pattern into one entry per week of the term.
 *
 * - GROUP: a group week whose meeting day is open; `groupStart/groupEnd` are the meeting.
 * - INDIVIDUAL: an individual week with at least one open day; `groupStart/groupEnd`
 *   mark the group's usual slot (group duration) so calendars can show it.
 * - CLOSED: a group week whose meeting day is closed, or an individual week in
 *   which every day is closed.
 *
 * Closures apply when school-wide or when their `locationId` equals the
 * pattern's `locationId`.
 */
export function hybridWeeks(
  pattern: HybridPattern,
  closures: readonly DateClosure[],
  timeZone: string,
): HybridWeek[] {
  assertTimeZone(timeZone);
  if (!TIME_RE.test(pattern.groupStartTime)) {
    throw new RangeError(`Group start time "${pattern.groupStartTime}" is not a valid time (HH:mm).`);
  }
  const count = termWeekCount(pattern.termStartDate, pattern.termEndDate);
  const individual = new Set(pattern.individualWeeks);
  const weeks: HybridWeek[] = [];

  for (let n = 1; n <= count; n++) {
    const weekStart = addDays(pattern.termStartDate, 7 * (n - 1));
    const fullEnd = addDays(weekStart, 6);
    const weekEnd = fullEnd < pattern.termEndDate ? fullEnd : pattern.termEndDate;
    const length = daysBetween(weekStart, weekEnd) + 1;

    const closedDates: string[] = [];
    for (let d = 0; d < length; d++) {
      const date = addDays(weekStart, d);
      if (isDateClosed(date, closures, pattern.locationId)) closedDates.push(date);
    }

    const offset = (pattern.groupWeekday - weekdayOfLocalDate(weekStart) + 7) % 7;
    const meetingDate = offset < length ? addDays(weekStart, offset) : undefined;

    const patternKind = individual.has(n) ? "INDIVIDUAL" : "GROUP";
    let kind: HybridWeekKind = patternKind;
    if (patternKind === "GROUP" && meetingDate !== undefined && closedDates.includes(meetingDate)) {
      kind = "CLOSED";
    }
    if (patternKind === "INDIVIDUAL" && closedDates.length === length) kind = "CLOSED";

    const week: HybridWeek = { weekNumber: n, kind, patternKind, weekStart, weekEnd, closedDates };
    if (meetingDate !== undefined) {
      const start = localDateTimeToUtc(meetingDate, pattern.groupStartTime, timeZone);
      week.meetingDate = meetingDate;
      week.groupStart = start;
      week.groupEnd = new Date(start.getTime() + pattern.groupDurationMinutes * 60_000);
    }
    if (kind === "INDIVIDUAL") week.notifyOn = addDays(weekStart, -pattern.notifyDaysAhead);
    weeks.push(week);
  }
  return weeks;
}

// ---------------------------------------------------------------------------
// Counting & pricing
// ---------------------------------------------------------------------------

export interface CountWeeksInput {
  pattern: HybridPattern;
  closures: readonly DateClosure[];
  timeZone: string;
  /** First local date the student is enrolled (inclusive). Defaults to the term start. */
  enrolledFrom?: string | null;
  /** Last local date the student is enrolled (inclusive). Defaults to the term end. */
  enrolledUntil?: string | null;
  /** When true, only individual weeks listed in `bookedIndividualWeeks` are counted. */
  onlyBookedIndividualWeeks?: boolean;
  /** Week numbers in which this student has a booked 1-on-1 session. */
  bookedIndividualWeeks?: readonly number[];
}

/**
 * Per-student week counts for one hybrid enrollment in one term.
 *
 * - `groupWeeks`: weeks of kind GROUP (i.e. not closed) whose meeting date lies
 *   within the enrollment.
 * - `individualWeeks`: weeks of kind INDIVIDUAL (not fully closed) that overlap
 *   the enrollment; if `onlyBookedIndividualWeeks`, only those the student booked.
 */
export function countWeeksPerStudent(input: CountWeeksInput): WeekCounts {
  const weeks = hybridWeeks(input.pattern, input.closures, input.timeZone);
  const from = input.enrolledFrom ? toDateString(input.enrolledFrom) : input.pattern.termStartDate;
  const until = input.enrolledUntil ? toDateString(input.enrolledUntil) : input.pattern.termEndDate;
  const booked = new Set(input.bookedIndividualWeeks ?? []);

  let groupWeeks = 0;
  let individualWeeks = 0;
  for (const week of weeks) {
    if (week.kind === "GROUP") {
      if (week.meetingDate !== undefined && from <= week.meetingDate && week.meetingDate <= until) {
        groupWeeks++;
      }
    } else if (week.kind === "INDIVIDUAL") {
      const overlaps = week.weekStart <= until && from <= week.weekEnd;
      if (!overlaps) continue;
      if (input.onlyBookedIndividualWeeks && !booked.has(week.weekNumber)) continue;
      individualWeeks++;
    }
  }
  return { groupWeeks, individualWeeks };
}

export interface PriceBreakdown {
  groupCents: number;
  individualCents: number;
  totalCents: number;
  /** Same amounts as "0.00" strings, ready for invoice lines. */
  group: string;
  individual: string;
  total: string;
}

/**
 * Price lines for week counts, computed in integer cents. Throws if a count is
 * positive but the matching price is not set or invalid.
 */
export function priceBreakdown(counts: WeekCounts, pattern: HybridPattern): PriceBreakdown {
  const line = (count: number, price: MoneyInput | null | undefined, label: string): number => {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`${label} count must be a whole number.`);
    if (count === 0) return 0;
    if (price == null) throw new RangeError(`${label} is not set, but ${count} week(s) need to be billed.`);
    return toCents(price, label) * count;
  };
  const groupCents = line(counts.groupWeeks, pattern.groupPrice, "Group price");
  const individualCents = line(counts.individualWeeks, pattern.individualPrice, "Individual price");
  const totalCents = groupCents + individualCents;
  return {
    groupCents,
    individualCents,
    totalCents,
    group: formatCents(groupCents),
    individual: formatCents(individualCents),
    total: formatCents(totalCents),
  };
}

/** Total for the counts as a string with 2 decimals, e.g. "245.50". */
export function priceFor(counts: WeekCounts, pattern: HybridPattern): string {
  return priceBreakdown(counts, pattern).total;
}
