/**
 * School terms and closures. All dates are local "yyyy-MM-dd" strings with an
 * inclusive end date; ISO dates compare correctly as strings, which the lookups
 * below rely on.
 */
import { DATE_WITH_YEAR, type Formatter } from "./locale";
import {
  type LocalDate,
  addDays,
  fromDayNumber,
  isValidLocalDate,
  toDayNumber,
} from "./time";

export interface Term {
  id: string;
  name: string;
  startDate: LocalDate;
  /** Inclusive. */
  endDate: LocalDate;
}

/** A holiday or shut day. `locationId: null` closes the whole school. */
export interface Closure {
  id: string;
  name: string;
  startDate: LocalDate;
  /** Inclusive. */
  endDate: LocalDate;
  locationId: string | null;
}

export interface TermWeek {
  /** 1-based. */
  weekNumber: number;
  startDate: LocalDate;
  /** Inclusive; the last week is cut at the term's end date. */
  endDate: LocalDate;
}

/** A term to be created (no id yet), as produced by {@link generateTerms}. */
export type TermDraft = Omit<Term, "id">;

type DateRange = Pick<Term, "startDate" | "endDate">;

// ---------------------------------------------------------------------------
// Lookups
// ---------------------------------------------------------------------------

/** The term containing the local date, or null. (If terms overlap, the earliest-starting one.) */
export function findTermForDate<T extends DateRange>(terms: readonly T[], date: LocalDate): T | null {
  let best: T | null = null;
  for (const t of terms) {
    if (t.startDate <= date && date <= t.endDate && (!best || t.startDate < best.startDate)) best = t;
  }
  return best;
}

/**
 * Builds a fast lookup (binary search) for many dates against the same terms.
 * Assumes valid, non-overlapping terms (see {@link validateTerms}).
 */
export function createTermLookup<T extends DateRange>(terms: readonly T[]): (date: LocalDate) => T | null {
  const sorted = [...terms].sort((a, b) => cmp(a.startDate, b.startDate));
  return (date) => {
    // Last term starting on or before `date`.
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]!.startDate <= date) lo = mid + 1;
      else hi = mid;
    }
    const t = sorted[lo - 1];
    return t && date <= t.endDate ? t : null;
  };
}

/**
 * Closures in force on the local date for a location. School-wide closures
 * (locationId null) apply everywhere; a location closure applies only to that
 * location. With `locationId` null/undefined (online lesson, or unknown) only
 * school-wide closures apply. School-wide closures are listed first.
 */
export function findClosures<C extends Closure>(
  closures: readonly C[],
  date: LocalDate,
  locationId?: string | null,
): C[] {
  const hits = closures.filter(
    (c) =>
      c.startDate <= date &&
      date <= c.endDate &&
      (c.locationId === null || (locationId != null && c.locationId === locationId)),
  );
  return hits.sort((a, b) => Number(a.locationId !== null) - Number(b.locationId !== null));
}

/** First closure in force (school-wide preferred), or null. */
export function findClosure<C extends Closure>(
  closures: readonly C[],
  date: LocalDate,
  locationId?: string | null,
): C | null {
  return findClosures(closures, date, locationId)[0] ?? null;
}

export function isClosed(closures: readonly Closure[], date: LocalDate, locationId?: string | null): boolean {
  return findClosure(closures, date, locationId) !== null;
}

/**
 * Pre-filters closures for one location so repeated lookups (a series of
 * occurrences) only scan the relevant ones.
 */
export function createClosureLookup<C extends Closure>(
  closures: readonly C[],
  locationId?: string | null,
): (date: LocalDate) => C | null {
  const relevant = closures
    .filter((c) => c.locationId === null || (locationId != null && c.locationId === locationId))
    .sort((a, b) => Number(a.locationId !== null) - Number(b.locationId !== null));
  return (date) => relevant.find((c) => c.startDate <= date && date <= c.endDate) ?? null;
}

// ---------------------------------------------------------------------------
// Weeks
// ---------------------------------------------------------------------------

/**
 * Week number of a date within a term: week 1 is the 7 days starting on the
 * term's start date, week 2 the next 7, and so on (weeks are counted from the
 * start date, not aligned to Mondays). Null when the date is outside the term.
 */
export function termWeekNumber(term: DateRange, date: LocalDate): number | null {
  if (date < term.startDate || date > term.endDate) return null;
  return Math.floor((toDayNumber(date) - toDayNumber(term.startDate)) / 7) + 1;
}

/** All weeks of a term, the last one possibly shorter than 7 days. */
export function termWeeks(term: DateRange): TermWeek[] {
  const start = toDayNumber(term.startDate);
  const end = toDayNumber(term.endDate);
  const weeks: TermWeek[] = [];
  for (let d = start, n = 1; d <= end; d += 7, n++) {
    weeks.push({ weekNumber: n, startDate: fromDayNumber(d), endDate: fromDayNumber(Math.min(d + 6, end)) });
  }
  return weeks;
}

// ---------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------

/** Common patterns, to spread into {@link generateTerms}. */
export const TERM_PATTERNS = {
  /** e.g. Australian schools */
  FOUR_TERMS_OF_TEN_WEEKS: { count: 4, weeks: 10 },
  /** e.g. UK-style three terms */
  THREE_TERMS_OF_TWELVE_WEEKS: { count: 3, weeks: 12 },
} as const;

export interface GenerateTermsOptions {
  /** Start date of the first term. */
  firstStart: LocalDate;
  count: number;
  /** Length of each term in weeks. */
  weeks: number;
  /** Break between terms in weeks: one number for all gaps, or one per gap (count - 1). */
  gapWeeks: number | readonly number[];
  /** Term names; defaults to "Term 1", "Term 2", … */
  names?: readonly string[];
}

/**
 * Generates consecutive terms, e.g. four terms of ten weeks with two-week
 * breaks. Each term lasts exactly `weeks * 7` days (it ends the day before the
 * same weekday as it started), and the next starts `gapWeeks` weeks later.
 */
export function generateTerms(options: GenerateTermsOptions): TermDraft[] {
  const { firstStart, count, weeks, gapWeeks, names } = options;
  if (!isValidLocalDate(firstStart)) throw new RangeError(`Invalid first start date "${firstStart}"`);
  if (!Number.isInteger(count) || count < 1) throw new RangeError("count must be a positive whole number");
  if (!Number.isInteger(weeks) || weeks < 1) throw new RangeError("weeks must be a positive whole number");
  const gaps = typeof gapWeeks === "number" ? Array.from({ length: Math.max(0, count - 1) }, () => gapWeeks) : gapWeeks;
  if (gaps.length < count - 1) throw new RangeError(`Expected ${count - 1} gap lengths, got ${gaps.length}`);
  if (gaps.some((g) => !Number.isInteger(g) || g < 0)) throw new RangeError("gapWeeks must be whole numbers ≥ 0");

  const terms: TermDraft[] = [];
  let start = toDayNumber(firstStart);
  for (let i = 0; i < count; i++) {
    const end = start + weeks * 7 - 1;
    terms.push({ name: names?.[i] ?? `Term ${i + 1}`, startDate: fromDayNumber(start), endDate: fromDayNumber(end) });
    start = end + 1 + (gaps[i] ?? 0) * 7;
  }
  return terms;
}

// ---------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------

function rangeErrors(label: string, r: DateRange, fmt: Formatter): string[] {
  const long = (d: LocalDate) => fmt.day(d, DATE_WITH_YEAR);
  const errors: string[] = [];
  if (!isValidLocalDate(r.startDate)) errors.push(`${label} has an invalid start date "${r.startDate}".`);
  if (!isValidLocalDate(r.endDate)) errors.push(`${label} has an invalid end date "${r.endDate}".`);
  if (errors.length === 0 && r.endDate < r.startDate) {
    errors.push(
      `${label} ends (${long(r.endDate)}) before it starts (${long(r.startDate)}).`,
    );
  }
  return errors;
}

/**
 * Checks terms: names present, valid dates, end ≥ start, no two terms sharing
 * a day. Returns readable messages, dates written the school's way (`fmt`); empty
 * when everything is fine.
 */
export function validateTerms(terms: readonly (DateRange & { name: string })[], fmt: Formatter): string[] {
  const errors: string[] = [];
  const valid: (DateRange & { name: string })[] = [];
  terms.forEach((t, i) => {
    const label = t.name.trim() ? `Term "${t.name.trim()}"` : `Term ${i + 1}`;
    if (!t.name.trim()) errors.push(`${label} needs a name.`);
    const e = rangeErrors(label, t, fmt);
    errors.push(...e);
    if (e.length === 0) valid.push(t);
  });

  // Sort by start and compare each term with the latest-ending one before it.
  const sorted = [...valid].sort((a, b) => cmp(a.startDate, b.startDate) || cmp(a.endDate, b.endDate));
  let latest: (DateRange & { name: string }) | undefined;
  for (const t of sorted) {
    if (latest && t.startDate <= latest.endDate) {
      const overlapEnd = t.endDate < latest.endDate ? t.endDate : latest.endDate;
      errors.push(
        `Terms "${latest.name}" and "${t.name}" overlap (${fmt.day(t.startDate, DATE_WITH_YEAR)} – ${fmt.day(overlapEnd, DATE_WITH_YEAR)}).`,
      );
    }
    if (!latest || t.endDate > latest.endDate) latest = t;
  }
  return errors;
}

/** Checks closures: names present, valid dates, end ≥ start. (Closures may overlap.) */
export function validateClosures(closures: readonly Omit<Closure, "id" | "locationId">[], fmt: Formatter): string[] {
  const errors: string[] = [];
  closures.forEach((c, i) => {
    const label = c.name.trim() ? `Closure "${c.name.trim()}"` : `Closure ${i + 1}`;
    if (!c.name.trim()) errors.push(`${label} needs a name.`);
    errors.push(...rangeErrors(label, c, fmt));
  });
  return errors;
}

/** Every local date of a closure (handy for calendars). */
export function closureDates(closure: DateRange): LocalDate[] {
  const out: LocalDate[] = [];
  for (let d = closure.startDate; d <= closure.endDate; d = addDays(d, 1)) out.push(d);
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
