// Lesson series and their occurrences: creating, editing, cancelling, handing over
// and extending them. The rules themselves are pure (app/domain/recurrence.ts,
// conflicts.ts, occurrence-edit.ts); this module loads what they need through the
// school-bound `tx`, and writes the result. The database is the last word on double
// bookings: exclusion constraints refuse an overlap that slipped past a concurrent check.
import type { Availability, Booking, Conflict, ConflictCandidate } from "../domain/conflicts";
import { createConflictChecker } from "../domain/conflicts";
import type { EditScope, OccurrenceChange } from "../domain/occurrence-edit";
import { planOccurrenceEdit } from "../domain/occurrence-edit";
import { expandSeries, expandSeriesDetailed, type RecurrenceRule } from "../domain/recurrence";
import { describeSkippedDates } from "./lesson-form";
import type { Closure, Term } from "../domain/terms";
import { localDateTimeToUtc, MS_PER_DAY, toLocalDate } from "../domain/time";
import { Prisma } from "../../prisma/generated/client";
import type { Tx } from "../../server/db/school-db.server";
import { formatterFor, type Formatter } from "../utils/format";
import { sqlTimestamp } from "./sql.server";

/** How far ahead occurrences exist; the horizon job keeps open-ended series this far out. */
export const HORIZON_DAYS = 400;

export class SchedulingConflictError extends Error {
  constructor(readonly conflicts: Conflict[]) {
    super(conflicts[0]?.message ?? "This clashes with another booking.");
  }
}

export class SchedulingInputError extends Error {}

const RACE_MESSAGE = "Someone else just booked this teacher or room at that time. Reload the calendar and try again.";

/** True when Postgres refused an overlap through one of the exclusion constraints. */
export function isOverlapViolation(error: unknown): boolean {
  let e: unknown = error;
  for (let i = 0; i < 6 && e; i++) {
    const text = `${(e as { code?: string }).code ?? ""} ${(e as { message?: string }).message ?? ""} ${JSON.stringify((e as { meta?: unknown }).meta ?? "")}`;
    if (/23P01|_no_overlap|exclusion constraint/i.test(text)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

const personName = (u: { firstName: string; lastName: string }) => `${u.firstName} ${u.lastName}`;

// ---- what the rules need ------------------------------------------------------

/**
 * How this school's scheduling messages write dates and times, in `timeZone` (the
 * zone the caller schedules in, the school's).
 */
async function messageFormatter(tx: Tx, timeZone: string): Promise<Formatter> {
  const school = await tx.school.findFirstOrThrow({ select: { locale: true, currency: true } });
  return formatterFor({ ...school, timezone: timeZone });
}

export async function loadCalendarRules(tx: Tx) {
  const terms = await tx.term.findMany({ where: { archivedAt: null }, orderBy: { startDate: "asc" }, select: { id: true, name: true, startDate: true, endDate: true } });
  const closures = await tx.closure.findMany({ select: { id: true, name: true, startDate: true, endDate: true, locationId: true } });
  return { terms: terms as Term[], closures: closures as Closure[] };
}

export async function loadTeacherRules(tx: Tx, teacherIds: string[], from: Date, to: Date) {
  const availability = await tx.teacherAvailability.findMany({
    where: { teacherId: { in: teacherIds } },
    select: { teacherId: true, dayOfWeek: true, startTime: true, endTime: true, locationId: true, validFrom: true, validUntil: true },
  });
  const timeOff = await tx.teacherTimeOff.findMany({
    where: { teacherId: { in: teacherIds }, startsAt: { lt: to }, endsAt: { gt: from } },
    select: { teacherId: true, startsAt: true, endsAt: true, reason: true },
  });
  return {
    availability: availability as Availability[],
    timeOff: timeOff.map((t) => ({ teacherId: t.teacherId, start: t.startsAt, end: t.endsAt, reason: t.reason ?? undefined })),
  };
}

/**
 * Scheduled occurrences of these teachers or rooms that overlap [from, to), with
 * the names conflict messages need. One query with joins: a year-long series checks
 * against thousands of bookings, and relation loading was most of its time (bench/).
 */
export async function loadBookings(tx: Tx, opts: { teacherIds: string[]; roomIds: string[]; from: Date; to: Date }): Promise<Booking[]> {
  if (opts.teacherIds.length === 0 && opts.roomIds.length === 0) return [];
  const teachers = opts.teacherIds.length ? Prisma.join(opts.teacherIds) : Prisma.sql`NULL`;
  const rooms = opts.roomIds.length ? Prisma.join(opts.roomIds) : Prisma.sql`NULL`;
  const rows = await tx.$queryRaw<
    { id: string; lessonId: string; startsAt: Date; endsAt: Date; instructorId: string; roomId: string | null; title: string; firstName: string; lastName: string; roomName: string | null }[]
  >`
    SELECT o.id, o."lessonId", o."startsAt", o."endsAt", o."instructorId", o."roomId", l.title, u."firstName", u."lastName", r.name AS "roomName"
      FROM "LessonOccurrence" o
      JOIN "Lesson" l ON l.id = o."lessonId"
      JOIN "User" u ON u.id = o."instructorId"
      LEFT JOIN "Room" r ON r.id = o."roomId"
     WHERE o.status = 'SCHEDULED'
       AND o."startsAt" < ${sqlTimestamp(opts.to)} AND o."endsAt" > ${sqlTimestamp(opts.from)}
       AND (o."instructorId" IN (${teachers}) OR o."roomId" IN (${rooms}))`;
  return rows.map((r) => ({
    occurrenceId: r.id,
    lessonId: r.lessonId,
    lessonTitle: r.title,
    teacherId: r.instructorId,
    teacherName: personName(r),
    roomId: r.roomId,
    roomName: r.roomName,
    start: r.startsAt,
    end: r.endsAt,
  }));
}

/** A deactivated teacher keeps their past lessons but is given no new ones. */
function refuseDeactivated(teacher: { firstName: string; lastName: string; deactivatedAt: Date | null }) {
  if (teacher.deactivatedAt) throw new SchedulingInputError(`${personName(teacher)} is deactivated. Choose an active teacher.`);
}

async function describePlace(tx: Tx, teacherId: string, roomId: string | null, locationId: string | null) {
  const teacher = await tx.user.findFirst({ where: { id: teacherId, role: { in: ["TEACHER", "ADMIN"] } }, select: { id: true, firstName: true, lastName: true, deactivatedAt: true } });
  const room = await (roomId ? tx.room.findUnique({ where: { id: roomId }, select: { id: true, name: true, capacity: true, locationId: true } }) : null);
  const location = await (locationId ? tx.location.findUnique({ where: { id: locationId }, select: { id: true, name: true } }) : null);
  if (!teacher) throw new SchedulingInputError("Choose a teacher of this school.");
  refuseDeactivated(teacher);
  if (roomId && !room) throw new SchedulingInputError("Choose a room of this school.");
  if (locationId && !location) throw new SchedulingInputError("Choose a location of this school.");
  if (room && locationId && room.locationId !== locationId) throw new SchedulingInputError(`${room.name} is not at ${location?.name}.`);
  return { teacher, room, location };
}

// ---- creating a series ------------------------------------------------------------

export interface SeriesInput {
  title: string;
  description?: string | null;
  type: "INDIVIDUAL" | "GROUP" | "HYBRID" | "BAND_REHEARSAL" | "ENSEMBLE";
  instrument?: string | null;
  instructorId: string;
  locationId: string | null;
  roomId: string | null;
  onlineUrl?: string | null;
  /** Local date and time of the first occurrence. */
  firstDate: string;
  startTime: string;
  durationMinutes: number;
  recurrence: RecurrenceRule;
  customDates?: string[];
  /** Last date (inclusive), a term to run until the end of, or neither (open-ended). */
  endDate?: string | null;
  termId?: string | null;
  maxStudents: number | null;
  pricePerStudent?: string | null;
}

export async function createLessonSeries(tx: Tx, timeZone: string, input: SeriesInput, now: Date) {
  const { teacher, room, location } = await describePlace(tx, input.instructorId, input.roomId, input.locationId);
  const { terms, closures } = await loadCalendarRules(tx);
  const fmt = await messageFormatter(tx, timeZone);
  const term = input.termId ? terms.find((t) => t.id === input.termId) : null;
  if (input.termId && !term) throw new SchedulingInputError("Choose a term of this school.");
  const until = input.recurrence === "ONCE" ? input.firstDate : (input.endDate ?? term?.endDate ?? null);
  if (until && until < input.firstDate) throw new SchedulingInputError("The series ends before it starts.");
  const firstStart = localDateTimeToUtc(input.firstDate, input.startTime, timeZone);
  const horizon = new Date(now.getTime() + HORIZON_DAYS * MS_PER_DAY);

  const { occurrences, skipped } = expandSeriesDetailed({
    timeZone,
    firstStart,
    durationMinutes: input.durationMinutes,
    recurrence: input.recurrence,
    customDates: input.customDates,
    until,
    to: until ? null : horizon,
    // A series tied to a term runs inside terms; otherwise it runs on every date (closures still apply).
    terms: term ? terms : undefined,
    closures,
    locationId: input.locationId,
  });
  if (occurrences.length === 0) {
    const reasons = describeSkippedDates(skipped.slice(0, 50), location?.name, fmt);
    if (reasons.length === 0) throw new SchedulingInputError("This series has no date. Check its dates and end.");
    throw new SchedulingConflictError(reasons.map((message) => ({ kind: "CLOSURE" as const, message })));
  }

  const from = occurrences[0]!.start;
  const to = occurrences.at(-1)!.end;
  const rules = await loadTeacherRules(tx, [teacher.id], from, to);
  const existing = await loadBookings(tx, { teacherIds: [teacher.id], roomIds: room ? [room.id] : [], from, to });
  const check = createConflictChecker({ fmt, existing, closures, ...rules });
  const base: Omit<ConflictCandidate, "start" | "end"> = {
    title: input.title,
    teacherId: teacher.id,
    teacherName: personName(teacher),
    roomId: room?.id ?? null,
    roomName: room?.name ?? null,
    roomCapacity: room?.capacity ?? null,
    locationId: location?.id ?? null,
    locationName: location?.name ?? null,
    expectedStudents: input.maxStudents,
  };
  const conflicts = occurrences.flatMap((o) => check({ ...base, start: o.start, end: o.end }));
  if (conflicts.length) throw new SchedulingConflictError(conflicts);

  const lesson = await tx.lesson.create({
    data: {
      title: input.title,
      description: input.description ?? null,
      type: input.type,
      instrument: input.instrument ?? null,
      instructorId: teacher.id,
      locationId: location?.id ?? null,
      roomId: room?.id ?? null,
      onlineUrl: input.onlineUrl ?? null,
      startTime: firstStart,
      endTime: occurrences[0]!.end,
      duration: input.durationMinutes,
      recurrence: input.recurrence,
      customDates: input.customDates ?? [],
      recurrenceEndDate: until ? localDateTimeToUtc(until, "23:59", timeZone) : null,
      termId: term?.id ?? null,
      expandedUntil: until ? null : horizon,
      isIndividual: input.type === "INDIVIDUAL",
      isHybrid: input.type === "HYBRID",
      maxStudents: input.maxStudents,
      pricePerStudent: input.pricePerStudent ?? null,
    },
    select: { id: true, title: true },
  });
  try {
    await tx.lessonOccurrence.createMany({
      data: occurrences.map((o) => ({ lessonId: lesson.id, startsAt: o.start, endsAt: o.end, instructorId: teacher.id, roomId: room?.id ?? null })),
    });
  } catch (error) {
    if (isOverlapViolation(error)) throw new SchedulingConflictError([{ kind: "TEACHER_DOUBLE_BOOKED", message: RACE_MESSAGE }]);
    throw error;
  }
  return { lesson, occurrenceCount: occurrences.length, first: occurrences[0]!, last: occurrences.at(-1)!, skipped: describeSkippedDates(skipped, location?.name, fmt) };
}

// ---- editing occurrences ---------------------------------------------------------

export interface EditInput {
  occurrenceId: string;
  scope: EditScope;
  change: OccurrenceChange;
}

/**
 * Moves or changes one occurrence, this and the following ones, or the whole
 * series, after checking every new time against the rules. Returns the changed
 * occurrences (for notifying families).
 */
export async function editOccurrences(tx: Tx, timeZone: string, input: EditInput, now: Date) {
  const target = await tx.lessonOccurrence.findUnique({
    where: { id: input.occurrenceId },
    select: { lessonId: true, lesson: { select: { id: true, title: true, maxStudents: true, locationId: true, location: { select: { name: true } } } } },
  });
  if (!target) throw new SchedulingInputError("That lesson date no longer exists.");
  const series = await tx.lessonOccurrence.findMany({
    where: { lessonId: target.lessonId, kind: "LESSON" },
    orderBy: { startsAt: "asc" },
    select: { id: true, startsAt: true, endsAt: true, status: true, roomId: true, instructorId: true },
  });
  const plan = planOccurrenceEdit({
    timeZone,
    occurrences: series.map((o) => ({ id: o.id, start: o.startsAt, end: o.endsAt, status: o.status, roomId: o.roomId, teacherId: o.instructorId })),
    scope: input.scope,
    targetId: input.occurrenceId,
    change: input.change,
    now,
  });
  if (plan.collisions.length) throw new SchedulingInputError("Two dates of this series would fall at the same time. Choose another time.");
  if (plan.updates.length === 0) return { updated: [], lesson: target.lesson };

  const byId = new Map(series.map((o) => [o.id, o]));
  const finalOf = (u: (typeof plan.updates)[number]) => {
    const current = byId.get(u.id)!;
    return {
      ...u,
      teacherId: u.teacherId !== undefined ? u.teacherId! : current.instructorId,
      roomId: u.roomId !== undefined ? u.roomId : current.roomId,
    };
  };
  const finals = plan.updates.map(finalOf);
  const teacherIds = [...new Set(finals.map((f) => f.teacherId))];
  const roomIds = [...new Set(finals.map((f) => f.roomId).filter((r): r is string => Boolean(r)))];
  const from = new Date(Math.min(...finals.map((f) => f.start.getTime())));
  const to = new Date(Math.max(...finals.map((f) => f.end.getTime())));
  const teachers = await tx.user.findMany({ where: { id: { in: teacherIds } }, select: { id: true, firstName: true, lastName: true, deactivatedAt: true } });
  const rooms = await tx.room.findMany({ where: { id: { in: roomIds } }, select: { id: true, name: true, capacity: true, locationId: true } });
  const rules = await loadTeacherRules(tx, teacherIds, from, to);
  const bookings = await loadBookings(tx, { teacherIds, roomIds, from, to });
  const { closures } = await loadCalendarRules(tx);
  if (teachers.length !== teacherIds.length) throw new SchedulingInputError("Choose a teacher of this school.");
  // Moving a deactivated teacher's date is fine; handing a date to one is not.
  const newTeacher = input.change.teacherId ? teachers.find((t) => t.id === input.change.teacherId) : undefined;
  if (newTeacher && finals.some((f) => byId.get(f.id)!.instructorId !== newTeacher.id)) refuseDeactivated(newTeacher);
  if (rooms.length !== roomIds.length) throw new SchedulingInputError("Choose a room of this school.");
  const moving = new Set(finals.map((f) => f.id));
  const check = createConflictChecker({ fmt: await messageFormatter(tx, timeZone), closures, ...rules, existing: bookings.filter((b) => !moving.has(b.occurrenceId ?? "")) });
  const conflicts = finals.flatMap((f) => {
    const teacher = teachers.find((t) => t.id === f.teacherId)!;
    const room = rooms.find((r) => r.id === f.roomId) ?? null;
    return check({
      occurrenceId: f.id,
      lessonId: target.lessonId,
      title: target.lesson.title,
      teacherId: teacher.id,
      teacherName: personName(teacher),
      roomId: room?.id ?? null,
      roomName: room?.name ?? null,
      roomCapacity: room?.capacity ?? null,
      locationId: room?.locationId ?? target.lesson.locationId,
      locationName: target.lesson.location?.name ?? null,
      start: f.start,
      end: f.end,
      expectedStudents: target.lesson.maxStudents,
    });
  });
  if (conflicts.length) throw new SchedulingConflictError(conflicts);

  try {
    for (const f of finals) {
      await tx.lessonOccurrence.update({
        where: { id: f.id },
        data: { startsAt: f.start, endsAt: f.end, instructorId: f.teacherId, roomId: f.roomId },
      });
    }
  } catch (error) {
    if (isOverlapViolation(error)) throw new SchedulingConflictError([{ kind: "ROOM_DOUBLE_BOOKED", message: RACE_MESSAGE }]);
    throw error;
  }
  if (input.scope === "ALL") {
    // The series' own defaults follow a whole-series change.
    const first = finals[0]!;
    await tx.lesson.update({
      where: { id: target.lessonId },
      data: {
        instructorId: first.teacherId,
        roomId: first.roomId,
        ...(input.change.durationMinutes ? { duration: input.change.durationMinutes } : {}),
      },
    });
  }
  return { updated: finals, lesson: target.lesson };
}

// ---- cancelling and handing over ------------------------------------------------

export async function cancelOccurrence(tx: Tx, occurrenceId: string, by: "SCHOOL" | "TEACHER", reason: string | null) {
  const updated = await tx.lessonOccurrence.updateMany({
    where: { id: occurrenceId, status: "SCHEDULED" },
    data: { status: by === "TEACHER" ? "CANCELLED_BY_TEACHER" : "CANCELLED", cancelReason: reason, cancelledAt: new Date() },
  });
  if (updated.count === 0) throw new SchedulingInputError("This lesson date is not scheduled any more (already cancelled or held).");
  return tx.lessonOccurrence.findUniqueOrThrow({
    where: { id: occurrenceId },
    select: { id: true, startsAt: true, lessonId: true, lesson: { select: { title: true } } },
  });
}

/**
 * Hands every future occurrence (and the series) of one teacher to another, from
 * a local date on. Refused as a whole if the new teacher is busy at any of them.
 */
export async function handOverLessons(tx: Tx, timeZone: string, input: { fromTeacherId: string; toTeacherId: string; fromDate: string; lessonIds?: string[] }) {
  if (input.fromTeacherId === input.toTeacherId) throw new SchedulingInputError("Choose a different teacher to hand the lessons to.");
  const from = localDateTimeToUtc(input.fromDate, "00:00", timeZone);
  const occurrences = await tx.lessonOccurrence.findMany({
    where: { instructorId: input.fromTeacherId, status: "SCHEDULED", startsAt: { gte: from }, ...(input.lessonIds ? { lessonId: { in: input.lessonIds } } : {}) },
    orderBy: { startsAt: "asc" },
    select: {
      id: true,
      startsAt: true,
      endsAt: true,
      lessonId: true,
      roomId: true,
      room: { select: { name: true, capacity: true, locationId: true } },
      lesson: { select: { title: true, maxStudents: true, locationId: true } },
    },
  });
  if (occurrences.length === 0) return { moved: 0, lessonIds: [] as string[] };
  const to = await tx.user.findFirst({ where: { id: input.toTeacherId, role: { in: ["TEACHER", "ADMIN"] } }, select: { id: true, firstName: true, lastName: true, deactivatedAt: true } });
  if (!to) throw new SchedulingInputError("Choose a teacher of this school.");
  refuseDeactivated(to);
  const end = occurrences.at(-1)!.endsAt;
  const rules = await loadTeacherRules(tx, [to.id], from, end);
  const bookings = await loadBookings(tx, { teacherIds: [to.id], roomIds: [], from, to: end });
  const { closures } = await loadCalendarRules(tx);
  const check = createConflictChecker({ fmt: await messageFormatter(tx, timeZone), closures, ...rules, existing: bookings });
  const conflicts = occurrences.flatMap((o) =>
    check({
      occurrenceId: o.id,
      lessonId: o.lessonId,
      title: o.lesson.title,
      teacherId: to.id,
      teacherName: personName(to),
      roomId: null, // rooms do not change hands; only the teacher's own clashes matter
      roomName: o.room?.name ?? null,
      roomCapacity: null,
      locationId: o.room?.locationId ?? o.lesson.locationId,
      start: o.startsAt,
      end: o.endsAt,
      expectedStudents: null,
    }),
  );
  if (conflicts.length) throw new SchedulingConflictError(conflicts);
  await tx.lessonOccurrence.updateMany({ where: { id: { in: occurrences.map((o) => o.id) } }, data: { instructorId: to.id } });
  const lessonIds = [...new Set(occurrences.map((o) => o.lessonId))];
  await tx.lesson.updateMany({ where: { id: { in: lessonIds }, instructorId: input.fromTeacherId }, data: { instructorId: to.id } });
  return { moved: occurrences.length, lessonIds };
}

// ---- the horizon -------------------------------------------------------------------

/**
 * Open-ended series keep occurrences HORIZON_DAYS ahead. Called by the background
 * job; dates that would clash are skipped and reported, never forced in.
 */
export async function extendHorizon(tx: Tx, timeZone: string, now: Date) {
  const horizon = new Date(now.getTime() + HORIZON_DAYS * MS_PER_DAY);
  const lessons = await tx.lesson.findMany({
    where: { expandedUntil: { lt: horizon }, recurrenceEndDate: null, status: "SCHEDULED", recurrence: { in: ["WEEKLY", "BIWEEKLY", "MONTHLY"] } },
    select: { id: true, title: true, startTime: true, duration: true, recurrence: true, expandedUntil: true, instructorId: true, roomId: true, locationId: true, maxStudents: true },
  });
  const { closures } = await loadCalendarRules(tx);
  let created = 0;
  const skipped: string[] = [];
  for (const l of lessons) {
    const from = l.expandedUntil!;
    const dates = expandSeries({
      timeZone,
      firstStart: l.startTime,
      durationMinutes: l.duration,
      recurrence: l.recurrence as RecurrenceRule,
      from,
      to: horizon,
      closures,
      locationId: l.locationId,
    }).filter((d) => d.start > from);
    if (dates.length) {
      const bookings = await loadBookings(tx, { teacherIds: [l.instructorId], roomIds: l.roomId ? [l.roomId] : [], from: dates[0]!.start, to: dates.at(-1)!.end });
      const busy = (d: { start: Date; end: Date }) => bookings.some((b) => b.start < d.end && d.start < b.end);
      const free = dates.filter((d) => !busy(d));
      for (const d of dates) if (busy(d)) skipped.push(`${l.title} on ${toLocalDate(d.start, timeZone)}`);
      await tx.lessonOccurrence.createMany({
        data: free.map((d) => ({ lessonId: l.id, startsAt: d.start, endsAt: d.end, instructorId: l.instructorId, roomId: l.roomId })),
        skipDuplicates: true,
      });
      created += free.length;
    }
    await tx.lesson.update({ where: { id: l.id }, data: { expandedUntil: horizon } });
  }
  return { lessons: lessons.length, created, skipped };
}
