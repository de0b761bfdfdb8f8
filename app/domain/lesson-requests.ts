/**
 * Requests for individual lessons: a family's preferred weekdays and times of day,
 * and which of a teacher's free times fit them. Pure: no I/O, no clock.
 */
import { localMinutesOfDay, localWeekday, toLocalDate, formatLocalTime, WEEKDAY_NAMES } from "./time";

export const TIMES_OF_DAY = ["MORNING", "AFTERNOON", "EVENING"] as const;
export type TimeOfDay = (typeof TIMES_OF_DAY)[number];

/** Local minutes after midnight: [from, to). */
export const TIME_OF_DAY_RANGE: Record<TimeOfDay, [number, number]> = {
  MORNING: [0, 12 * 60],
  AFTERNOON: [12 * 60, 17 * 60],
  EVENING: [17 * 60, 24 * 60],
};

export const TIME_OF_DAY_LABEL: Record<TimeOfDay, string> = {
  MORNING: "Mornings (before noon)",
  AFTERNOON: "Afternoons (noon to 5 PM)",
  EVENING: "Evenings (after 5 PM)",
};

export function isTimeOfDay(value: string): value is TimeOfDay {
  return (TIMES_OF_DAY as readonly string[]).includes(value);
}

export interface LessonPreferences {
  /** 0 = Sunday … 6 = Saturday; empty = any day. */
  days: readonly number[];
  /** Empty = any time. */
  times: readonly string[];
}

/** True when a lesson starting at `start` (and lasting until `end`) falls on a preferred day and within a preferred time of day. */
export function fitsPreferences(slot: { start: Date; end: Date }, prefs: LessonPreferences, timeZone: string): boolean {
  if (prefs.days.length && !prefs.days.includes(localWeekday(slot.start, timeZone))) return false;
  const times = prefs.times.filter(isTimeOfDay);
  if (!times.length) return true;
  const from = localMinutesOfDay(slot.start, timeZone);
  const length = Math.round((slot.end.getTime() - slot.start.getTime()) / 60_000);
  const to = from + length;
  return times.some((t) => {
    const [a, b] = TIME_OF_DAY_RANGE[t];
    return from >= a && to <= b;
  });
}

export interface TeacherSlot {
  teacherId: string;
  start: Date;
  end: Date;
  locationId: string | null;
}

export interface Suggestion extends TeacherSlot {
  /** Local date and time of the first lesson. */
  date: string;
  time: string;
  weekday: number;
  /** Whether it fits the family's preferences (the others are offered when none does). */
  fits: boolean;
}

/**
 * Times to suggest for a weekly series: one per teacher, weekday and time of day
 * (a weekly lesson is the same suggestion in every week), the fitting ones first,
 * each group by date. When nothing fits, the earliest free times are offered instead.
 */
export function suggestWeeklyTimes(slots: readonly TeacherSlot[], prefs: LessonPreferences, timeZone: string, limit = 8): Suggestion[] {
  const seen = new Set<string>();
  const all: Suggestion[] = [];
  for (const slot of [...slots].sort((a, b) => a.start.getTime() - b.start.getTime())) {
    const weekday = localWeekday(slot.start, timeZone);
    const time = formatLocalTime(slot.start, timeZone);
    const key = `${slot.teacherId}|${weekday}|${time}`;
    if (seen.has(key)) continue;
    seen.add(key);
    all.push({ ...slot, date: toLocalDate(slot.start, timeZone), time, weekday, fits: fitsPreferences(slot, prefs, timeZone) });
  }
  const fitting = all.filter((s) => s.fits);
  return (fitting.length ? fitting : all).slice(0, limit);
}

/** "Mondays or Wednesdays, afternoons" — "Any day, any time" when nothing was chosen. */
export function describePreferences(prefs: LessonPreferences): string {
  const days = [...new Set(prefs.days)].filter((d) => d >= 0 && d <= 6).sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7));
  const times = prefs.times.filter(isTimeOfDay);
  const dayText = days.length ? joinOr(days.map((d) => `${WEEKDAY_NAMES[d]}s`)) : "Any day";
  const timeText = times.length ? joinOr(times.map((t) => TIME_OF_DAY_LABEL[t].split(" (")[0]!.toLowerCase())) : "any time";
  return `${dayText}, ${timeText}`;
}

function joinOr(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}

/** Whole years between a date of birth and a local date ("yyyy-MM-dd" both). */
export function ageOn(dateOfBirth: string, today: string): number {
  const [by, bm, bd] = dateOfBirth.split("-").map(Number) as [number, number, number];
  const [ty, tm, td] = today.split("-").map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}
