/**
 * Expansion of a lesson series into dated occurrences in the school's zone.
 *
 * Rules:
 * - The local wall-clock time of `firstStart` is kept for every occurrence: a
 *   weekly 17:00 lesson stays at 17:00 local, so its UTC instant moves by an hour
 *   across a daylight-saving change.
 * - A wall time that does not exist on some date (spring-forward gap) moves
 *   forward by the gap (02:30 → 03:30); a repeated one (fall-back) takes the
 *   earlier instant. See time.ts.
 * - `end = start + durationMinutes` in elapsed time (a lesson spanning a
 *   transition still lasts its real duration).
 * - WEEKLY / BIWEEKLY: every 7 / 14 days from the first local date.
 * - MONTHLY: the same day of the month as the first date. Months without that
 *   day are skipped (a series on the 31st has no occurrence in April, June, …)
 *   rather than moved to the month's last day, so a monthly lesson never lands
 *   on a day nobody picked.
 * - CUSTOM: the first date plus every date in `customDates` (deduplicated), all
 *   at the first occurrence's wall time.
 * - ONCE: just the first occurrence.
 * - `until` (inclusive local date), the [from, to) window (on start instants),
 *   terms and closures all filter the same way for every rule.
 */
import { type Closure, type Term, createClosureLookup, createTermLookup } from "./terms";
import {
  type LocalDate,
  MS_PER_DAY,
  MS_PER_MINUTE,
  assertTimeZone,
  dayNumberFromParts,
  daysInMonth,
  fromDayNumber,
  isValidLocalDate,
  toDayNumber,
  toLocalParts,
  wallMsToUtcMs,
} from "./time";

export type RecurrenceRule = "ONCE" | "WEEKLY" | "BIWEEKLY" | "MONTHLY" | "CUSTOM";

export interface SeriesInput {
  /** IANA zone of the school. */
  timeZone: string;
  /** UTC instant of the first occurrence; its local date and wall time anchor the series. */
  firstStart: Date;
  durationMinutes: number;
  recurrence: RecurrenceRule;
  /** CUSTOM only: local dates, in addition to the first occurrence's date. */
  customDates?: readonly LocalDate[];
  /** Last local date that may hold an occurrence (inclusive). */
  until?: LocalDate | null;
  /** Window on occurrence starts, half-open: from <= start < to. */
  from?: Date | null;
  to?: Date | null;
  /**
   * When non-empty, occurrences only on dates inside a term. An empty array or
   * undefined means no term restriction (a school without terms set up).
   */
  terms?: readonly Term[];
  /** Dates closed for `locationId` (school-wide closures always count) are skipped. */
  closures?: readonly Closure[];
  /** Location of the lesson; null/undefined = online, only school-wide closures apply. */
  locationId?: string | null;
  /**
   * Safety cap on the number of occurrences returned (default 10,000). When hit,
   * `expandSeriesDetailed` reports `truncated: true`.
   */
  maxOccurrences?: number;
}

export interface ExpandedOccurrence {
  start: Date;
  end: Date;
  /** Local date of `start` in the school's zone. */
  localDate: LocalDate;
}

export type SkipReason = "CLOSURE" | "OUTSIDE_TERM";

export interface SkippedDate {
  localDate: LocalDate;
  reason: SkipReason;
  /** The closure responsible, for reason CLOSURE. */
  closure?: Closure;
}

export interface ExpansionResult {
  occurrences: ExpandedOccurrence[];
  /** Dates of the rule (inside until/window) dropped by terms or closures. */
  skipped: SkippedDate[];
  truncated: boolean;
}

const DEFAULT_MAX = 10_000;

/** Sorted occurrences of the series. See the module comment for the rules. */
export function expandSeries(input: SeriesInput): ExpandedOccurrence[] {
  return expandSeriesDetailed(input).occurrences;
}

/** Like {@link expandSeries}, also reporting the dates skipped for closures or terms. */
export function expandSeriesDetailed(input: SeriesInput): ExpansionResult {
  const { timeZone, firstStart, durationMinutes, recurrence } = input;
  assertTimeZone(timeZone);
  if (Number.isNaN(firstStart.getTime())) throw new RangeError("firstStart is not a valid date");
  if (!Number.isFinite(durationMinutes) || durationMinutes <= 0) {
    throw new RangeError(`durationMinutes must be positive (got ${durationMinutes})`);
  }
  if (input.until != null && !isValidLocalDate(input.until)) {
    throw new RangeError(`Invalid until date "${input.until}"`);
  }

  const first = toLocalParts(firstStart, timeZone);
  const wallMsOfDay = first.msOfDay;
  const durationMs = durationMinutes * MS_PER_MINUTE;
  const fromMs = input.from ? input.from.getTime() : -Infinity;
  const toMs = input.to ? input.to.getTime() : Infinity;
  const terms = input.terms && input.terms.length > 0 ? input.terms : null;
  const max = input.maxOccurrences ?? DEFAULT_MAX;

  // Range of local day numbers worth visiting. A day either side of the window's
  // local dates is kept as slack for zones whose transitions happen at midnight;
  // the exact filter is on instants below.
  let startDay = first.dayNumber;
  if (input.from) startDay = Math.max(startDay, toLocalParts(input.from, timeZone).dayNumber - 1);
  let endDay = Infinity;
  if (input.until != null) endDay = Math.min(endDay, toDayNumber(input.until));
  if (input.to) endDay = Math.min(endDay, toLocalParts(input.to, timeZone).dayNumber + 1);
  if (terms) endDay = Math.min(endDay, Math.max(...terms.map((t) => toDayNumber(t.endDate))));

  const repeating = recurrence !== "ONCE" && recurrence !== "CUSTOM";
  if (repeating && endDay === Infinity) {
    throw new RangeError(`A ${recurrence} series needs an end: pass until, to, or terms`);
  }

  const termOf = terms ? createTermLookup(terms) : null;
  const closureOn = input.closures?.length ? createClosureLookup(input.closures, input.locationId) : null;

  const result: ExpansionResult = { occurrences: [], skipped: [], truncated: false };

  /** Returns false to stop the iteration. */
  const visit = (dayNumber: number): boolean => {
    if (result.occurrences.length >= max) {
      result.truncated = true;
      return false;
    }
    const startMs = wallMsToUtcMs(timeZone, dayNumber * MS_PER_DAY + wallMsOfDay);
    if (startMs < fromMs || startMs >= toMs) return true;
    const localDate = fromDayNumber(dayNumber);
    if (termOf && !termOf(localDate)) {
      result.skipped.push({ localDate, reason: "OUTSIDE_TERM" });
      return true;
    }
    const closure = closureOn?.(localDate);
    if (closure) {
      result.skipped.push({ localDate, reason: "CLOSURE", closure });
      return true;
    }
    result.occurrences.push({ start: new Date(startMs), end: new Date(startMs + durationMs), localDate });
    return true;
  };

  switch (recurrence) {
    case "ONCE":
      if (first.dayNumber >= startDay && first.dayNumber <= endDay) visit(first.dayNumber);
      break;

    case "WEEKLY":
    case "BIWEEKLY": {
      const step = recurrence === "WEEKLY" ? 7 : 14;
      // Jump straight to the first step on or after startDay.
      const k0 = Math.max(0, Math.ceil((startDay - first.dayNumber) / step));
      for (let d = first.dayNumber + k0 * step; d <= endDay; d += step) {
        if (!visit(d)) break;
      }
      break;
    }

    case "MONTHLY": {
      const { year, month } = monthOf(first.dayNumber);
      const dayOfMonth = Number(first.date.slice(8, 10));
      const startMonth = monthOf(startDay);
      // Jump to the month before startDay's month (clamped to the first month).
      let k = Math.max(0, (startMonth.year - year) * 12 + (startMonth.month - month) - 1);
      for (;; k++) {
        const y = year + Math.floor((month - 1 + k) / 12);
        const m = ((month - 1 + k) % 12) + 1;
        const monthStart = dayNumberFromParts(y, m, 1);
        if (monthStart > endDay) break;
        if (dayOfMonth > daysInMonth(y, m)) continue; // e.g. no 31 April: skipped
        const d = monthStart + dayOfMonth - 1;
        if (d < startDay) continue;
        if (d > endDay) break;
        if (!visit(d)) break;
      }
      break;
    }

    case "CUSTOM": {
      const days = new Set<number>([first.dayNumber]);
      for (const date of input.customDates ?? []) {
        if (!isValidLocalDate(date)) throw new RangeError(`Invalid custom date "${date}"`);
        days.add(toDayNumber(date));
      }
      for (const d of [...days].sort((a, b) => a - b)) {
        if (d < startDay) continue;
        if (d > endDay) break;
        if (!visit(d)) break;
      }
      break;
    }

    default: {
      const never: never = recurrence;
      throw new RangeError(`Unknown recurrence "${String(never)}"`);
    }
  }

  return result;
}

function monthOf(dayNumber: number): { year: number; month: number } {
  const d = new Date(dayNumber * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
}
