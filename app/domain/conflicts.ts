/**
 * Conflict detection for proposed lesson occurrences.
 *
 * Decisions:
 * - Intervals are half-open: a lesson ending at 16:00 does not clash with one
 *   starting at 16:00.
 * - Time off is given as UTC instants ({ start, end }), matching the schema's
 *   TeacherTimeOff.startsAt/endsAt; a whole-day absence is the zone's local
 *   midnight to the next local midnight (use `localDateTimeToUtc`).
 * - Availability: a teacher with NO availability rows at all is unrestricted.
 *   Otherwise the occurrence must lie within the teacher's windows for that local
 *   weekday that are valid on that local date and whose location is null (any)
 *   or the occurrence's location. Contiguous or overlapping windows are merged
 *   (14:00–16:00 + 16:00–18:00 accepts 15:30–16:30); an occurrence crossing
 *   local midnight never fits.
 * - Bookings to ignore: those of `ignoreLessonId` (re-checking a series being
 *   edited) and the one with the candidate's own `occurrenceId`. Callers pass
 *   active bookings only (leave cancelled occurrences out).
 * - Messages use the school's local time and fixed English wording.
 */
import { DATE_WITH_YEAR, type Formatter } from "./locale";
import { type Closure, createClosureLookup } from "./terms";
import {
  type LocalDate,
  MINUTES_PER_DAY,
  MS_PER_MINUTE,
  WEEKDAY_NAMES,
  type Weekday,
  assertTimeZone,
  formatMinutes,
  fromDayNumber,
  normalizeLocalDate,
  toLocalDate,
  toLocalParts,
  tryParseTime,
} from "./time";

export type ConflictKind =
  | "CLOSURE"
  | "TIME_OFF"
  | "OUTSIDE_AVAILABILITY"
  | "TEACHER_DOUBLE_BOOKED"
  | "ROOM_DOUBLE_BOOKED"
  | "ROOM_TOO_SMALL";

/** An existing, active occurrence. */
export interface Booking {
  occurrenceId?: string;
  lessonId: string;
  lessonTitle: string;
  teacherId: string;
  teacherName: string;
  roomId: string | null;
  roomName: string | null;
  start: Date;
  end: Date;
}

export interface Availability {
  teacherId: string;
  /** 0 = Sunday … 6 = Saturday */
  dayOfWeek: number;
  /** "HH:mm" local */
  startTime: string;
  /** "HH:mm" local; "24:00" allowed */
  endTime: string;
  /** null = any location */
  locationId: string | null;
  /** Inclusive local dates; a `Date` (Prisma @db.Date, UTC midnight) is accepted too. */
  validFrom?: LocalDate | Date | null;
  validUntil?: LocalDate | Date | null;
}

/** A teacher's absence, as UTC instants (half-open). */
export interface TimeOff {
  teacherId: string;
  start: Date;
  end: Date;
  /** Not shown in messages (may be private); available on the conflict object. */
  reason?: string | null;
}

export interface ConflictCandidate {
  /** When re-checking an existing occurrence, so it does not clash with itself. */
  occurrenceId?: string;
  lessonId?: string;
  title: string;
  teacherId: string;
  teacherName: string;
  roomId: string | null;
  roomName: string | null;
  /** null = unknown / unlimited */
  roomCapacity: number | null;
  /** null = online */
  locationId: string | null;
  /** Used in location-closure messages ("Downtown is closed on …"). */
  locationName?: string | null;
  start: Date;
  end: Date;
  /** Students the class allows (maxStudents); null = not checked. */
  expectedStudents: number | null;
}

export interface Conflict {
  kind: ConflictKind;
  message: string;
  /** The clashing booking (double bookings). */
  booking?: Booking;
  /** The closure in force (CLOSURE). */
  closure?: Closure;
  /** The absence (TIME_OFF). */
  timeOff?: TimeOff;
}

export interface ConflictContext {
  /** The school's formatter: its time zone, and how the messages write dates and times. */
  fmt: Formatter;
  existing: readonly Booking[];
  availability: readonly Availability[];
  timeOff: readonly TimeOff[];
  closures: readonly Closure[];
  /** Bookings of this lesson are ignored (the series being edited). */
  ignoreLessonId?: string | null;
}

export interface CandidateConflicts {
  /** Index in the `candidates` array. */
  index: number;
  candidate: ConflictCandidate;
  conflicts: Conflict[];
}

/** Conflicts of one proposed occurrence, in the order of {@link ConflictKind}. */
export function findConflicts(input: ConflictContext & { candidate: ConflictCandidate }): Conflict[] {
  return createConflictChecker(input)(input.candidate);
}

/**
 * Conflicts of many proposed occurrences (a series) against the same context.
 * Bookings and time off are indexed once (per teacher / room, sorted by start)
 * and each candidate is answered with binary searches, so a year of weekly
 * occurrences against thousands of bookings stays O((n + m) log m).
 * Returns only the candidates that have conflicts.
 */
export function findSeriesConflicts(
  input: ConflictContext & { candidates: readonly ConflictCandidate[] },
): CandidateConflicts[] {
  const check = createConflictChecker(input);
  const out: CandidateConflicts[] = [];
  input.candidates.forEach((candidate, index) => {
    const conflicts = check(candidate);
    if (conflicts.length > 0) out.push({ index, candidate, conflicts });
  });
  return out;
}

/** Builds the indexes once; the returned function checks one candidate. */
export function createConflictChecker(context: ConflictContext): (candidate: ConflictCandidate) => Conflict[] {
  const { fmt, ignoreLessonId } = context;
  const { timeZone } = fmt;
  assertTimeZone(timeZone);

  const relevant = context.existing.filter((b) => !ignoreLessonId || b.lessonId !== ignoreLessonId);
  const byTeacher = groupIntervals(relevant, (b) => b.teacherId);
  const byRoom = groupIntervals(relevant, (b) => b.roomId);
  const timeOffByTeacher = groupIntervals(context.timeOff, (t) => t.teacherId);
  const availabilityByTeacher = indexAvailability(context.availability);
  const closureLookups = new Map<string | null, (date: LocalDate) => Closure | null>();
  const closureLookup = (locationId: string | null) => {
    let f = closureLookups.get(locationId);
    if (!f) {
      f = createClosureLookup(context.closures, locationId);
      closureLookups.set(locationId, f);
    }
    return f;
  };

  return (c) => {
    const conflicts: Conflict[] = [];
    const s = c.start.getTime();
    const e = c.end.getTime();
    if (!(s < e)) throw new RangeError(`"${c.title}" must end after it starts`);
    const startParts = toLocalParts(s, timeZone);
    const endParts = toLocalParts(e, timeZone);

    // Closures: every local date the occurrence touches.
    const lastDay = endParts.msOfDay === 0 && e > s ? endParts.dayNumber - 1 : endParts.dayNumber;
    const closureOn = closureLookup(c.locationId);
    for (let d = startParts.dayNumber; d <= lastDay; d++) {
      const date = fromDayNumber(d);
      const closure = closureOn(date);
      if (closure) {
        const who = closure.locationId === null ? "The school" : (c.locationName ?? "This location");
        conflicts.push({
          kind: "CLOSURE",
          message: `${who} is closed on ${fmt.day(date, DATE_WITH_YEAR)} (${closure.name})`,
          closure,
        });
        break;
      }
    }

    // Time off.
    const off = timeOffByTeacher.get(c.teacherId)?.overlapping(s, e)[0];
    if (off) {
      conflicts.push({
        kind: "TIME_OFF",
        message: `${c.teacherName} is on time off on ${fmt.day(startParts.date, DATE_WITH_YEAR)}`,
        timeOff: off,
      });
    }

    // Availability.
    const windows = availabilityByTeacher.get(c.teacherId);
    if (windows) {
      const startMin = startParts.msOfDay / MS_PER_MINUTE;
      const sameDay = endParts.dayNumber === startParts.dayNumber;
      const endsAtMidnight = endParts.dayNumber === startParts.dayNumber + 1 && endParts.msOfDay === 0;
      const endMin = sameDay ? endParts.msOfDay / MS_PER_MINUTE : endsAtMidnight ? MINUTES_PER_DAY : null;
      const fits =
        endMin !== null &&
        mergedWindows(windows[startParts.weekday] ?? [], startParts.date, c.locationId).some(
          ([ws, we]) => ws <= startMin && endMin <= we,
        );
      if (!fits) {
        const range = fmt.wallRange(formatMinutes(startParts.minutes), formatMinutes(endParts.minutes));
        conflicts.push({
          kind: "OUTSIDE_AVAILABILITY",
          message: `${c.teacherName} is not available on ${fmt.weekday(startParts.weekday)}s ${range}`,
        });
      }
    }

    // Double bookings.
    const notSelf = (b: Booking) => !(c.occurrenceId && b.occurrenceId === c.occurrenceId);
    for (const b of byTeacher.get(c.teacherId)?.overlapping(s, e) ?? []) {
      if (!notSelf(b)) continue;
      const where = b.roomName ? ` in ${b.roomName}` : "";
      conflicts.push({
        kind: "TEACHER_DOUBLE_BOOKED",
        message: `${c.teacherName} is already teaching ${b.lessonTitle}${where} at ${bookingWhen(b, fmt)}`,
        booking: b,
      });
    }
    if (c.roomId !== null) {
      for (const b of byRoom.get(c.roomId)?.overlapping(s, e) ?? []) {
        if (!notSelf(b)) continue;
        conflicts.push({
          kind: "ROOM_DOUBLE_BOOKED",
          message: `${c.roomName ?? b.roomName ?? "The room"} is already booked for ${b.lessonTitle} at ${bookingWhen(b, fmt)}`,
          booking: b,
        });
      }
    }

    // Capacity.
    if (c.roomCapacity !== null && c.expectedStudents !== null && c.expectedStudents > c.roomCapacity) {
      conflicts.push({
        kind: "ROOM_TOO_SMALL",
        message: `${c.roomName ?? "The room"} holds ${plural(c.roomCapacity, "student")}; this class allows ${c.expectedStudents}`,
      });
    }

    return conflicts;
  };
}

// ---------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------

function bookingWhen(b: Booking, fmt: Formatter): string {
  return `${fmt.time(b.start)} on ${fmt.day(toLocalDate(b.start, fmt.timeZone))}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

interface IntervalIndex<T> {
  /** Items overlapping [s, e), sorted by start. */
  overlapping(s: number, e: number): T[];
}

/**
 * Groups items by key and sorts each group by start. A query binary-searches
 * the starts in (s - longest duration, e): only those items can overlap [s, e).
 */
function groupIntervals<T extends { start: Date; end: Date }>(
  items: readonly T[],
  keyOf: (item: T) => string | null,
): Map<string, IntervalIndex<T>> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    // Empty intervals overlap nothing.
    if (key === null || !(item.start.getTime() < item.end.getTime())) continue;
    const g = groups.get(key);
    if (g) g.push(item);
    else groups.set(key, [item]);
  }
  const out = new Map<string, IntervalIndex<T>>();
  for (const [key, list] of groups) {
    list.sort((a, b) => a.start.getTime() - b.start.getTime());
    const starts = list.map((i) => i.start.getTime());
    const ends = list.map((i) => i.end.getTime());
    const maxDuration = list.reduce((m, i) => Math.max(m, i.end.getTime() - i.start.getTime()), 0);
    out.set(key, {
      overlapping(s, e) {
        const hits: T[] = [];
        // First index with start > s - maxDuration; stop at the first start >= e.
        for (let i = upperBound(starts, s - maxDuration); i < list.length && starts[i]! < e; i++) {
          if (ends[i]! > s) hits.push(list[i]!);
        }
        return hits;
      },
    });
  }
  return out;
}

/** First index whose value is > x. */
function upperBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface ParsedWindow {
  start: number;
  end: number;
  locationId: string | null;
  validFrom: LocalDate | null;
  validUntil: LocalDate | null;
}

/** teacherId → windows per weekday. Invalid rows (bad times, end ≤ start) are ignored. */
function indexAvailability(rows: readonly Availability[]): Map<string, ParsedWindow[][]> {
  const out = new Map<string, ParsedWindow[][]>();
  for (const r of rows) {
    // A teacher with rows — even unusable ones — is restricted.
    let perDay = out.get(r.teacherId);
    if (!perDay) {
      perDay = [[], [], [], [], [], [], []];
      out.set(r.teacherId, perDay);
    }
    const start = tryParseTime(r.startTime);
    const end = tryParseTime(r.endTime);
    if (start === null || end === null || end <= start) continue;
    if (!Number.isInteger(r.dayOfWeek) || r.dayOfWeek < 0 || r.dayOfWeek > 6) continue;
    perDay[r.dayOfWeek as Weekday]!.push({
      start,
      end,
      locationId: r.locationId,
      validFrom: r.validFrom ? normalizeLocalDate(r.validFrom) : null,
      validUntil: r.validUntil ? normalizeLocalDate(r.validUntil) : null,
    });
  }
  return out;
}

/** Windows applicable on the date/location, merged when contiguous or overlapping. */
function mergedWindows(windows: readonly ParsedWindow[], date: LocalDate, locationId: string | null): [number, number][] {
  const usable = windows
    .filter(
      (w) =>
        (w.validFrom === null || w.validFrom <= date) &&
        (w.validUntil === null || date <= w.validUntil) &&
        (w.locationId === null || w.locationId === locationId),
    )
    .map((w): [number, number] => [w.start, w.end])
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const w of usable) {
    const last = merged[merged.length - 1];
    if (last && w[0] <= last[1]) last[1] = Math.max(last[1], w[1]);
    else merged.push([w[0], w[1]]);
  }
  return merged;
}
