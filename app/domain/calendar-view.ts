/**
 * The calendar's geometry, pure: which local dates a view shows, the UTC window
 * to load for them, where prev/next/today lead, the hours of the time grid, and
 * where each occurrence sits in it.
 *
 * Decisions:
 * - Weeks start on Monday. The month view shows whole weeks (Monday before the
 *   1st to the Sunday after the last day).
 * - The UTC window is [local midnight of the first day, local midnight after the
 *   last day), converted with `localDateTimeToUtc`, so a week containing a DST
 *   change is 167 or 169 hours long and loses nothing at either end.
 * - Positions in the grid are LOCAL wall-clock minutes: a lesson at 17:00 New York
 *   time sits on the 17:00 line before and after the clocks change. An occurrence
 *   that runs past local midnight is drawn up to the end of its start day.
 * - Overlapping occurrences of a day share its width in lanes (side by side); a
 *   cluster of occurrences that overlap each other, directly or through a chain,
 *   uses the same number of lanes so the columns line up.
 */
import type { Formatter } from "./locale";
import {
  type LocalDate,
  MINUTES_PER_DAY,
  MONTH_SHORT_NAMES,
  WEEKDAY_SHORT_NAMES,
  addDays,
  daysBetween,
  daysInMonth,
  formatDateParts,
  formatMinutes,
  isValidLocalDate,
  localDateTimeToUtc,
  parseLocalDate,
  toLocalParts,
  weekdayOfLocalDate,
} from "./time";

export const CALENDAR_VIEWS = ["day", "week", "month"] as const;
export type CalendarView = (typeof CALENDAR_VIEWS)[number];

export const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

export function isCalendarView(value: unknown): value is CalendarView {
  return typeof value === "string" && (CALENDAR_VIEWS as readonly string[]).includes(value);
}

/** The view asked for, or `fallback` for anything else. */
export function parseCalendarView(value: string | null | undefined, fallback: CalendarView = "week"): CalendarView {
  return isCalendarView(value) ? value : fallback;
}

/** A valid "yyyy-MM-dd" from the URL, or `fallback` (usually today). */
export function parseAnchorDate(value: string | null | undefined, fallback: LocalDate): LocalDate {
  return isValidLocalDate(value) ? value : fallback;
}

// ---------------------------------------------------------------------------
// Dates of a view
// ---------------------------------------------------------------------------

/** The first day of the week `date` is in: its Monday, or its Sunday where weeks start on Sunday (`weekStartsOn` 0). */
export function startOfWeek(date: LocalDate, weekStartsOn: 0 | 1 = 1): LocalDate {
  const weekday = weekdayOfLocalDate(date); // 0 = Sunday
  return addDays(date, -((weekday - weekStartsOn + 7) % 7));
}

export function startOfMonth(date: LocalDate): LocalDate {
  const { year, month } = parseLocalDate(date);
  return formatDateParts(year, month, 1);
}

/** The same day `months` later, clamped to the end of a shorter month (31 Jan + 1 → 28/29 Feb). */
export function addMonths(date: LocalDate, months: number): LocalDate {
  const { year, month, day } = parseLocalDate(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return formatDateParts(y, m, Math.min(day, daysInMonth(y, m)));
}

/** Every date from `start` to `end`, both included. */
export function dateRange(start: LocalDate, end: LocalDate): LocalDate[] {
  const n = daysBetween(start, end);
  return Array.from({ length: Math.max(0, n + 1) }, (_, i) => addDays(start, i));
}

export interface VisibleRange {
  view: CalendarView;
  anchor: LocalDate;
  /** First and last visible local dates (inclusive). */
  start: LocalDate;
  end: LocalDate;
  days: LocalDate[];
  /** Rows of seven dates (month); one row (week); one row of one date (day). */
  weeks: LocalDate[][];
  /** UTC window to load: [from, to). */
  from: Date;
  to: Date;
  prev: LocalDate;
  next: LocalDate;
  today: LocalDate;
  /** The month the month view is about ("yyyy-MM"), for dimming days outside it. */
  month: string;
  /** "30 Nov – 6 Dec 2026", "Tue 1 Dec 2026", "December 2026" */
  title: string;
}

/** The dates a view shows, its load window in the school's zone, and its title in the school's locale. */
export function visibleRange(view: CalendarView, anchor: LocalDate, fmt: Formatter, today: LocalDate): VisibleRange {
  const { timeZone, weekStartsOn } = fmt;
  let start: LocalDate;
  let end: LocalDate;
  let prev: LocalDate;
  let next: LocalDate;
  if (view === "day") {
    start = end = anchor;
    prev = addDays(anchor, -1);
    next = addDays(anchor, 1);
  } else if (view === "week") {
    start = startOfWeek(anchor, weekStartsOn);
    end = addDays(start, 6);
    prev = addDays(anchor, -7);
    next = addDays(anchor, 7);
  } else {
    const first = startOfMonth(anchor);
    const last = addDays(addMonths(first, 1), -1);
    start = startOfWeek(first, weekStartsOn);
    end = addDays(startOfWeek(last, weekStartsOn), 6);
    prev = startOfMonth(addMonths(first, -1));
    next = startOfMonth(addMonths(first, 1));
  }
  const days = dateRange(start, end);
  const weeks: LocalDate[][] = [];
  if (view === "day") weeks.push([anchor]);
  else for (let i = 0; i < days.length; i += 7) weeks.push(days.slice(i, i + 7));
  return {
    view,
    anchor,
    start,
    end,
    days,
    weeks,
    from: localDateTimeToUtc(start, "00:00", timeZone),
    to: localDateTimeToUtc(addDays(end, 1), "00:00", timeZone),
    prev,
    next,
    today,
    month: anchor.slice(0, 7),
    title: rangeTitle(fmt, view, anchor, start, end),
  };
}

function rangeTitle(fmt: Formatter, view: CalendarView, anchor: LocalDate, start: LocalDate, end: LocalDate): string {
  if (view === "month") return fmt.day(`${anchor.slice(0, 7)}-01`, { weekday: undefined, day: undefined, month: "long", year: "numeric" });
  if (view === "day") return fmt.day(anchor, { year: "numeric" });
  return fmt.dayRange(start, end, { day: "numeric", month: "short", year: "numeric" });
}

// ---------------------------------------------------------------------------
// The time grid
// ---------------------------------------------------------------------------

export interface GridHours {
  /** Local minutes after midnight where the grid starts and ends (whole hours). */
  startMinute: number;
  endMinute: number;
  /** The hour rows, e.g. [8, 9, …, 20] for 08:00–21:00. */
  hours: number[];
}

export interface GridOptions {
  /** Default first hour (08:00). */
  startHour?: number;
  /** Default end hour (21:00): the last row is 20:00–21:00. */
  endHour?: number;
  /** Shortest height an occurrence is drawn with, in minutes (for lanes too). */
  minMinutes?: number;
}

const DEFAULT_GRID = { startHour: 8, endHour: 21, minMinutes: 20 } as const;

/** The hour rows: the default 08:00–21:00, widened to whole hours around every span. */
export function gridHours(spans: readonly { startMinute: number; endMinute: number }[], opts: GridOptions = {}): GridHours {
  let startHour = opts.startHour ?? DEFAULT_GRID.startHour;
  let endHour = opts.endHour ?? DEFAULT_GRID.endHour;
  for (const s of spans) {
    startHour = Math.min(startHour, Math.floor(s.startMinute / 60));
    endHour = Math.max(endHour, Math.ceil(s.endMinute / 60));
  }
  startHour = Math.max(0, startHour);
  endHour = Math.min(24, Math.max(endHour, startHour + 1));
  return {
    startMinute: startHour * 60,
    endMinute: endHour * 60,
    hours: Array.from({ length: endHour - startHour }, (_, i) => startHour + i),
  };
}

export interface TimedItem {
  id: string;
  start: Date | string | number;
  end: Date | string | number;
}

export interface PlacedItem<T> {
  item: T;
  date: LocalDate;
  /** Local wall-clock minutes after midnight of its day. */
  startMinute: number;
  endMinute: number;
  /** Minutes from the top of the grid, and drawn height in minutes. */
  top: number;
  height: number;
  /** 0-based lane and the number of lanes of its overlap cluster. */
  lane: number;
  lanes: number;
}

export interface DayColumn<T> {
  date: LocalDate;
  items: PlacedItem<T>[];
}

export interface TimeGridLayout<T> {
  hours: GridHours;
  columns: DayColumn<T>[];
}

/** Local date and wall-clock span of an occurrence (end clipped to its start day). */
export function localSpan(start: Date | string | number, end: Date | string | number, timeZone: string) {
  const s = toLocalParts(new Date(start), timeZone);
  const e = toLocalParts(new Date(end), timeZone);
  const endMinute = e.dayNumber > s.dayNumber ? MINUTES_PER_DAY : Math.max(s.minutes, e.minutes);
  return { date: s.date, startMinute: s.minutes, endMinute };
}

/**
 * Places occurrences into day columns of a time grid. Occurrences whose local
 * date is not one of `days` are left out.
 */
export function layoutTimeGrid<T extends TimedItem>(items: readonly T[], days: readonly LocalDate[], timeZone: string, opts: GridOptions = {}): TimeGridLayout<T> {
  const minMinutes = opts.minMinutes ?? DEFAULT_GRID.minMinutes;
  const byDate = new Map<LocalDate, { item: T; date: LocalDate; startMinute: number; endMinute: number }[]>(days.map((d) => [d, []]));
  for (const item of items) {
    const span = localSpan(item.start, item.end, timeZone);
    byDate.get(span.date)?.push({ item, ...span });
  }
  const hours = gridHours([...byDate.values()].flat(), opts);
  const columns = days.map((date) => {
    const spans = byDate.get(date)!;
    const lanes = assignLanes(spans, minMinutes);
    const placed: PlacedItem<T>[] = spans.map((s, i) => {
      const visualEnd = Math.min(Math.max(s.endMinute, s.startMinute + minMinutes), hours.endMinute);
      return {
        ...s,
        top: s.startMinute - hours.startMinute,
        height: Math.max(visualEnd - s.startMinute, 1),
        lane: lanes[i]!.lane,
        lanes: lanes[i]!.lanes,
      };
    });
    placed.sort((a, b) => a.startMinute - b.startMinute || a.lane - b.lane);
    return { date, items: placed };
  });
  return { hours, columns };
}

/**
 * Lanes for spans of one day: each span takes the first lane free at its start;
 * every span of a cluster (spans linked by overlaps) gets the cluster's lane count.
 * Spans shorter than `minMinutes` count as that long, as they are drawn.
 */
export function assignLanes(spans: readonly { startMinute: number; endMinute: number }[], minMinutes = 0): { lane: number; lanes: number }[] {
  const order = spans
    .map((s, index) => ({ index, start: s.startMinute, end: Math.max(s.endMinute, s.startMinute + minMinutes) }))
    .sort((a, b) => a.start - b.start || b.end - a.end || a.index - b.index);
  const result: { lane: number; lanes: number }[] = spans.map(() => ({ lane: 0, lanes: 1 }));
  let cluster: number[] = [];
  let laneEnds: number[] = [];
  let clusterEnd = -Infinity;
  const close = () => {
    for (const i of cluster) result[i]!.lanes = laneEnds.length;
    cluster = [];
    laneEnds = [];
  };
  for (const s of order) {
    if (s.start >= clusterEnd) {
      close();
      clusterEnd = -Infinity;
    }
    let lane = laneEnds.findIndex((end) => end <= s.start);
    if (lane === -1) {
      lane = laneEnds.length;
      laneEnds.push(s.end);
    } else laneEnds[lane] = s.end;
    result[s.index]!.lane = lane;
    cluster.push(s.index);
    clusterEnd = Math.max(clusterEnd, s.end);
  }
  close();
  return result;
}

/** Occurrences grouped by their local start date (in the given order). */
export function groupByLocalDate<T extends TimedItem>(items: readonly T[], timeZone: string): Map<LocalDate, T[]> {
  const out = new Map<LocalDate, T[]>();
  for (const item of items) {
    const date = toLocalParts(new Date(item.start), timeZone).date;
    const list = out.get(date);
    if (list) list.push(item);
    else out.set(date, [item]);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Dropping onto the grid
// ---------------------------------------------------------------------------

/**
 * The local start time for a drop `offsetMinutes` below the top of the grid,
 * snapped to `step` minutes and kept inside the grid (and before midnight).
 */
export function dropTime(offsetMinutes: number, hours: GridHours, step = 15): string {
  const raw = hours.startMinute + offsetMinutes;
  const snapped = Math.round(raw / step) * step;
  const last = Math.min(hours.endMinute, MINUTES_PER_DAY) - step;
  return formatMinutes(Math.min(Math.max(snapped, hours.startMinute), last));
}

// ---------------------------------------------------------------------------
// Colors
// ---------------------------------------------------------------------------

export type LessonTypeName = "INDIVIDUAL" | "GROUP" | "HYBRID" | "BAND_REHEARSAL" | "ENSEMBLE";

export const LESSON_TYPES: readonly LessonTypeName[] = ["INDIVIDUAL", "GROUP", "HYBRID", "BAND_REHEARSAL", "ENSEMBLE"];

/**
 * Calendar colors per lesson type: a pale background, dark text on it (≥ 4.5:1,
 * checked in the tests) and a stronger accent for the left edge and the legend.
 */
export const LESSON_TYPE_STYLE: Record<LessonTypeName, { label: string; background: string; text: string; accent: string }> = {
  INDIVIDUAL: { label: "Individual", background: "#dbeafe", text: "#1e3a8a", accent: "#2563eb" },
  GROUP: { label: "Group", background: "#dcfce7", text: "#14532d", accent: "#16a34a" },
  HYBRID: { label: "Hybrid", background: "#f3e8ff", text: "#581c87", accent: "#9333ea" },
  BAND_REHEARSAL: { label: "Band rehearsal", background: "#ffedd5", text: "#7c2d12", accent: "#ea580c" },
  ENSEMBLE: { label: "Ensemble", background: "#fce7f3", text: "#831843", accent: "#db2777" },
};

/** Cancelled occurrences, whatever their type. */
export const CANCELLED_STYLE = { background: "#f1f5f9", text: "#475569", accent: "#94a3b8" } as const;

// ---------------------------------------------------------------------------
// What a block says
// ---------------------------------------------------------------------------

/** The parts of an occurrence its calendar block writes out. */
export interface BlockTextSource {
  /** WEEK_MARKER: a hybrid lesson's 1-on-1 week (its `note` is the school's label for it). */
  kind: "LESSON" | "INDIVIDUAL_SESSION" | "WEEK_MARKER";
  title: string;
  studentName: string | null;
  note?: string | null;
}

/**
 * A calendar block's headline (the series, the student of a 1-on-1 session, or
 * "<label>: <series>" for a hybrid lesson's 1-on-1 week) and its extra line (e.g.
 * "For Emma and Lily"), or null. A 1-on-1 week's label is written once, in the headline.
 */
export function blockText(item: BlockTextSource): { headline: string; note: string | null } {
  if (item.kind === "WEEK_MARKER") return { headline: `${item.note || "1-on-1 week"}: ${item.title}`, note: null };
  const headline = item.kind === "INDIVIDUAL_SESSION" && item.studentName ? `${item.studentName} — 1-on-1` : item.title;
  return { headline, note: item.note || null };
}
