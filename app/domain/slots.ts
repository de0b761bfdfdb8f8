/**
 * Free 1-on-1 slots for a teacher within one local week.
 *
 * Availability windows are local wall-clock times ("HH:mm") on a weekday and are
 * resolved per date in the school's IANA time zone, so "Mon 15:00–18:00" is
 * 15:00–18:00 local on both sides of a DST change. Within a window, candidate
 * slots start at the window start and step forward by `stepMinutes` of real
 * (elapsed) time; each slot lasts `durationMinutes` of real time. A window that
 * itself contains a DST transition therefore yields only as many slots as there
 * is real time in it.
 *
 * Pure: no I/O, no clock (pass `now`).
 */
import { type DateClosure, isDateClosed, toDateString } from "./hybrid";
import {
  assertTimeZone,
  fromDayNumber,
  localDateTimeToUtc,
  MS_PER_MINUTE,
  toDayNumber,
  tryParseTime,
  weekdayOfDayNumber,
} from "./time";

export interface AvailabilityWindow {
  /** 0 = Sunday … 6 = Saturday. */
  dayOfWeek: number;
  /** Local "HH:mm". */
  startTime: string;
  /** Local "HH:mm", after `startTime`; "24:00" means end of day. */
  endTime: string;
  /** Location of this availability; null = not tied to a location (e.g. online). */
  locationId: string | null;
  /** First local date this window applies (inclusive). */
  validFrom?: string | Date | null;
  /** Last local date this window applies (inclusive). */
  validUntil?: string | Date | null;
}

export interface BusyBlock {
  start: Date;
  end: Date;
}

export interface FreeSlotsInput {
  timeZone: string;
  /** First local date to consider, "yyyy-MM-dd". */
  weekStart: string;
  /** Last local date to consider (inclusive). */
  weekEnd: string;
  durationMinutes: number;
  /** Distance between candidate starts; defaults to `durationMinutes`. */
  stepMinutes?: number;
  availability: readonly AvailabilityWindow[];
  /** Teacher's other bookings, room bookings, time off… (half-open intervals). */
  busy: readonly BusyBlock[];
  /** School-wide closures and closures of the availability's location. */
  closures: readonly DateClosure[];
  now: Date;
  /** Slots must start at least this many minutes after `now`. Default 0. */
  minNoticeMinutes?: number;
}

export interface FreeSlot {
  start: Date;
  end: Date;
  /** Location of the availability window the slot came from. */
  locationId: string | null;
}

const MINUTE = MS_PER_MINUTE;

/** "HH:mm" (or "24:00" = end of day) -> minutes after local midnight. */
function windowMinutes(time: string): number {
  const minutes = tryParseTime(time);
  if (minutes === null) throw new RangeError(`"${time}" is not a valid time (HH:mm).`);
  return minutes;
}

function assertPositiveInt(value: number, label: string): void {
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${label} must be a positive whole number of minutes.`);
}

/**
 * Free slots, sorted by start, de-duplicated by start instant. A slot is
 * returned only if it lies entirely inside one availability window, does not
 * overlap any busy block, its local date is not closed (for the window's
 * location), and it starts at or after `now + minNoticeMinutes`.
 */
export function computeFreeSlots(input: FreeSlotsInput): FreeSlot[] {
  const { timeZone, durationMinutes } = input;
  const stepMinutes = input.stepMinutes ?? durationMinutes;
  const minNotice = input.minNoticeMinutes ?? 0;
  assertPositiveInt(durationMinutes, "Duration");
  assertPositiveInt(stepMinutes, "Step");
  if (!Number.isFinite(minNotice) || minNotice < 0) throw new RangeError("Minimum notice cannot be negative.");
  assertTimeZone(timeZone);

  const weekStart = toDateString(input.weekStart);
  const weekEnd = toDateString(input.weekEnd);
  const earliest = input.now.getTime() + minNotice * MINUTE;
  const busy = input.busy
    .map((b) => ({ start: b.start.getTime(), end: b.end.getTime() }))
    .filter((b) => b.end > b.start);

  const byStart = new Map<number, FreeSlot>();
  const last = toDayNumber(weekEnd);
  for (let dayNumber = toDayNumber(weekStart); dayNumber <= last; dayNumber++) {
    const day = fromDayNumber(dayNumber);
    const weekday = weekdayOfDayNumber(dayNumber);
    for (const window of input.availability) {
      if (window.dayOfWeek !== weekday) continue;
      if (window.validFrom != null && day < toDateString(window.validFrom)) continue;
      if (window.validUntil != null && day > toDateString(window.validUntil)) continue;
      if (isDateClosed(day, input.closures, window.locationId)) continue;

      const from = windowMinutes(window.startTime);
      const to = windowMinutes(window.endTime);
      if (to <= from) continue; // empty or inverted window
      const windowStart = localDateTimeToUtc(day, from, timeZone).getTime();
      const windowEnd = localDateTimeToUtc(day, to, timeZone).getTime();

      for (let s = windowStart; s + durationMinutes * MINUTE <= windowEnd; s += stepMinutes * MINUTE) {
        const e = s + durationMinutes * MINUTE;
        if (s < earliest) continue;
        if (busy.some((b) => s < b.end && b.start < e)) continue;
        if (!byStart.has(s)) byStart.set(s, { start: new Date(s), end: new Date(e), locationId: window.locationId });
      }
    }
  }
  return [...byStart.values()].sort((a, b) => a.start.getTime() - b.start.getTime());
}
