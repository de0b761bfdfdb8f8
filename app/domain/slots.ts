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
import { DateTime } from "luxon";
import { type DateClosure, isDateClosed, toDateString } from "./hybrid";

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

const TIME_RE = /^(?:([01]\d|2[0-3]):([0-5]\d)|24:00)$/;
const MINUTE = 60_000;

function minutesOf(time: string): number {
  if (!TIME_RE.test(time)) throw new RangeError(`"${time}" is not a valid time (HH:mm).`);
  const [h, m] = time.split(":").map(Number) as [number, number];
  return h * 60 + m;
}

/** Local date + minutes since local midnight -> instant, resolved in `zone`. */
function localInstant(date: string, minutes: number, zone: string): Date {
  const base = DateTime.fromISO(date, { zone }); // local midnight (or first instant of the day)
  if (!base.isValid) throw new RangeError(`Cannot resolve ${date} in ${zone}: ${base.invalidReason ?? "invalid"}`);
  if (minutes === 24 * 60) return base.plus({ days: 1 }).toJSDate();
  // Set wall-clock fields (not elapsed time) so DST days keep local times.
  return base.set({ hour: Math.floor(minutes / 60), minute: minutes % 60 }).toJSDate();
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
  if (!DateTime.now().setZone(timeZone).isValid) throw new RangeError(`Unknown time zone "${timeZone}".`);

  const weekStart = toDateString(input.weekStart);
  const weekEnd = toDateString(input.weekEnd);
  const earliest = input.now.getTime() + minNotice * MINUTE;
  const busy = input.busy
    .map((b) => ({ start: b.start.getTime(), end: b.end.getTime() }))
    .filter((b) => b.end > b.start);

  const byStart = new Map<number, FreeSlot>();
  let date = DateTime.fromISO(weekStart, { zone: "utc" });
  const last = DateTime.fromISO(weekEnd, { zone: "utc" });
  for (; date <= last; date = date.plus({ days: 1 })) {
    const day = date.toISODate() as string;
    const weekday = date.weekday % 7;
    for (const window of input.availability) {
      if (window.dayOfWeek !== weekday) continue;
      if (window.validFrom != null && day < toDateString(window.validFrom)) continue;
      if (window.validUntil != null && day > toDateString(window.validUntil)) continue;
      if (isDateClosed(day, input.closures, window.locationId)) continue;

      const from = minutesOf(window.startTime);
      const to = minutesOf(window.endTime);
      if (to <= from) continue; // empty or inverted window
      const windowStart = localInstant(day, from, timeZone).getTime();
      const windowEnd = localInstant(day, to, timeZone).getTime();

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
