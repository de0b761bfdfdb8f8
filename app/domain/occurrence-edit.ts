/**
 * Planning an edit of a lesson series: which occurrences change and to what.
 * Pure: the caller applies the plan (and re-checks conflicts on the new times).
 *
 * Scopes:
 * - THIS: the target only (even if it is in the past — correcting records).
 * - FOLLOWING: the target and every occurrence starting at or after it.
 * - ALL: every occurrence of the series.
 * Rules:
 * - Cancelled occurrences (status CANCELLED or CANCELLED_BY_TEACHER) are never
 *   changed, whatever the scope.
 * - FOLLOWING and ALL never change occurrences that start before `now`.
 * - A new start time is applied to each occurrence's own local date in the
 *   school's zone, so wall time is kept across DST (17:30 stays 17:30 local).
 *   Without a new start time, each occurrence keeps its current local time (so
 *   one that was moved individually stays where it is); without a new duration
 *   each keeps its own.
 * - `shiftDays` moves the local date (e.g. Tuesday → Wednesday is +1).
 */
import {
  type LocalDate,
  type LocalTime,
  MS_PER_DAY,
  MS_PER_MINUTE,
  assertTimeZone,
  fromDayNumber,
  parseTime,
  toLocalParts,
  wallMsToUtcMs,
} from "./time";

export type EditScope = "THIS" | "FOLLOWING" | "ALL";

export interface EditableOccurrence {
  id: string;
  start: Date;
  end: Date;
  /** Schema's OccurrenceStatus: SCHEDULED | COMPLETED | CANCELLED | CANCELLED_BY_TEACHER */
  status: string;
  /** Current overrides, if known (used to tell whether a room/teacher change is a change). */
  roomId?: string | null;
  teacherId?: string | null;
}

/** Fields left undefined are not changed. */
export interface OccurrenceChange {
  /** New local start time "HH:mm". */
  startTime?: LocalTime;
  durationMinutes?: number;
  /** Move the local date by whole days. */
  shiftDays?: number;
  roomId?: string | null;
  teacherId?: string | null;
}

export interface PlanEditInput {
  timeZone: string;
  occurrences: readonly EditableOccurrence[];
  scope: EditScope;
  targetId: string;
  change: OccurrenceChange;
  now: Date;
}

export interface PlannedUpdate {
  id: string;
  start: Date;
  end: Date;
  /** Local date of the new start. */
  localDate: LocalDate;
  previousStart: Date;
  previousEnd: Date;
  /** Present only when the change sets it. */
  roomId?: string | null;
  teacherId?: string | null;
}

export type SkipEditReason = "CANCELLED" | "PAST" | "UNCHANGED";

export interface EditPlan {
  /** Occurrences to update, sorted by their previous start. */
  updates: PlannedUpdate[];
  /** In-scope occurrences left alone, with why. */
  skipped: { id: string; reason: SkipEditReason }[];
  /**
   * Pairs that would end up starting at the same instant (the schema has a
   * unique (lessonId, startsAt)); the caller should refuse such a plan.
   */
  collisions: { id: string; otherId: string; start: Date }[];
}

export function isCancelledStatus(status: string): boolean {
  return status === "CANCELLED" || status === "CANCELLED_BY_TEACHER";
}

/** Throws a RangeError for an unknown target, bad zone or invalid change values. */
export function planOccurrenceEdit(input: PlanEditInput): EditPlan {
  const { timeZone, occurrences, scope, targetId, change, now } = input;
  assertTimeZone(timeZone);
  const target = occurrences.find((o) => o.id === targetId);
  if (!target) throw new RangeError(`Occurrence ${targetId} is not part of this series`);
  const newMinutes = change.startTime !== undefined ? parseTime(change.startTime) : null;
  if (newMinutes !== null && newMinutes >= 24 * 60) throw new RangeError("A lesson cannot start at 24:00");
  if (change.durationMinutes !== undefined && !(change.durationMinutes > 0 && Number.isFinite(change.durationMinutes))) {
    throw new RangeError(`durationMinutes must be positive (got ${change.durationMinutes})`);
  }
  if (change.shiftDays !== undefined && !Number.isInteger(change.shiftDays)) {
    throw new RangeError("shiftDays must be a whole number");
  }

  const targetStart = target.start.getTime();
  const inScope = occurrences
    .filter((o) => scope === "ALL" || (scope === "THIS" ? o.id === targetId : o.start.getTime() >= targetStart || o.id === targetId))
    .sort((a, b) => a.start.getTime() - b.start.getTime());

  const plan: EditPlan = { updates: [], skipped: [], collisions: [] };
  for (const o of inScope) {
    if (isCancelledStatus(o.status)) {
      plan.skipped.push({ id: o.id, reason: "CANCELLED" });
      continue;
    }
    if (scope !== "THIS" && o.start.getTime() < now.getTime()) {
      plan.skipped.push({ id: o.id, reason: "PAST" });
      continue;
    }

    const local = toLocalParts(o.start, timeZone);
    const day = local.dayNumber + (change.shiftDays ?? 0);
    const msOfDay = newMinutes !== null ? newMinutes * MS_PER_MINUTE : local.msOfDay;
    const durationMs =
      change.durationMinutes !== undefined ? change.durationMinutes * MS_PER_MINUTE : o.end.getTime() - o.start.getTime();
    const start = wallMsToUtcMs(timeZone, day * MS_PER_DAY + msOfDay);
    const update: PlannedUpdate = {
      id: o.id,
      start: new Date(start),
      end: new Date(start + durationMs),
      localDate: fromDayNumber(toLocalParts(start, timeZone).dayNumber),
      previousStart: o.start,
      previousEnd: o.end,
    };
    if (change.roomId !== undefined) update.roomId = change.roomId;
    if (change.teacherId !== undefined) update.teacherId = change.teacherId;

    const moved = start !== o.start.getTime() || start + durationMs !== o.end.getTime();
    const reassigned =
      (change.roomId !== undefined && change.roomId !== o.roomId) ||
      (change.teacherId !== undefined && change.teacherId !== o.teacherId);
    if (moved || reassigned) plan.updates.push(update);
    else plan.skipped.push({ id: o.id, reason: "UNCHANGED" });
  }

  // Final start of every occurrence (cancelled ones included: they keep their row).
  const finalStart = new Map(occurrences.map((o) => [o.id, o.start.getTime()]));
  for (const u of plan.updates) finalStart.set(u.id, u.start.getTime());
  const seen = new Map<number, string>();
  for (const o of occurrences) {
    const s = finalStart.get(o.id)!;
    const other = seen.get(s);
    if (other !== undefined) plan.collisions.push({ id: o.id, otherId: other, start: new Date(s) });
    else seen.set(s, o.id);
  }
  return plan;
}
