// Requests for individual lessons: made by the online enrollment form, queued for the
// admin (/admin/requests), who schedules one as a weekly INDIVIDUAL series for the term
// (the child enrolled, the family emailed) or declines it with a message. Scheduling goes
// through createLessonSeries, so every conflict rule and the exclusion constraints apply.
import { schoolFormatter } from "./school-settings.server";
import type { Tx } from "../../server/db/school-db.server";
import type { Mailer } from "../../server/services/email.server";
import { describePreferences, suggestWeeklyTimes, type Suggestion, type TeacherSlot } from "../domain/lesson-requests";
import { computeFreeSlots } from "../domain/slots";
import { addDays, toLocalDate } from "../domain/time";
import { FormRefusal } from "../utils/forms";
import { enrollStudent } from "./enrollment.server";
import { scheduleSummary, type Place } from "./lesson-form";
import { familyAddresses } from "./notify.server";
import type { LessonRequestInput } from "./online-enrollment-form";
import { recordAuditEvent } from "./people.server";
import { createLessonSeries, loadCalendarRules, loadTeacherRules } from "./scheduling.server";

/** A refusal the admin's forms show (`field`: the input it is about). */
export class LessonRequestError extends FormRefusal {}

/** How far ahead the schedule form looks for a teacher's free times. */
export const SUGGESTION_DAYS = 14;

const personName = (u: { firstName: string; lastName: string }) => `${u.firstName} ${u.lastName}`;

/** Records a family's request for individual lessons (in the enrollment's transaction). */
export async function createLessonRequest(tx: Tx, input: { studentId: string; instrument: string; preferences: LessonRequestInput | null }) {
  const student = await tx.student.findUniqueOrThrow({ where: { id: input.studentId }, select: { user: { select: { familyGroupId: true } } } });
  const familyGroupId = student.user.familyGroupId;
  if (!familyGroupId) throw new LessonRequestError("A request for lessons needs the child's family.");
  const p = input.preferences;
  return tx.lessonRequest.create({
    data: {
      studentId: input.studentId,
      familyGroupId,
      instrument: input.instrument,
      preferredDays: p?.days ?? [],
      preferredTimes: p?.times ?? [],
      durationMinutes: p?.durationMinutes ?? null,
      notes: p?.notes ?? null,
    },
    select: { id: true },
  });
}

export function pendingRequestCount(tx: Tx) {
  return tx.lessonRequest.count({ where: { status: "PENDING" } });
}

const requestSelect = {
  id: true,
  instrument: true,
  preferredDays: true,
  preferredTimes: true,
  durationMinutes: true,
  notes: true,
  status: true,
  declineMessage: true,
  decidedAt: true,
  createdAt: true,
  lesson: { select: { id: true, title: true, recurrence: true, startTime: true, duration: true } },
  decidedBy: { select: { firstName: true, lastName: true } },
  student: { select: { id: true, dateOfBirth: true, user: { select: { id: true, firstName: true, lastName: true } } } },
  familyGroup: {
    select: {
      id: true,
      name: true,
      admin: { select: { firstName: true, lastName: true, email: true, phone: true } },
      members: { where: { role: "PARENT" }, select: { id: true, firstName: true, lastName: true, email: true, phone: true } },
    },
  },
} as const;

/** The queue: pending requests, oldest first, then the latest decided ones. */
export async function listLessonRequests(tx: Tx, opts: { decidedTake?: number } = {}) {
  const pending = await tx.lessonRequest.findMany({ where: { status: "PENDING" }, orderBy: { createdAt: "asc" }, take: 200, select: requestSelect });
  const decided = await tx.lessonRequest.findMany({ where: { status: { not: "PENDING" } }, orderBy: { decidedAt: "desc" }, take: opts.decidedTake ?? 20, select: requestSelect });
  return { pending, decided };
}

export type LessonRequestRow = Awaited<ReturnType<typeof listLessonRequests>>["pending"][number];

export function describeRequest(r: { preferredDays: number[]; preferredTimes: string[] }) {
  return describePreferences({ days: r.preferredDays, times: r.preferredTimes });
}

async function loadRequest(tx: Tx, requestId: string) {
  const request = await tx.lessonRequest.findUnique({ where: { id: requestId }, select: requestSelect });
  if (!request) throw new LessonRequestError("That request does not exist.", null, 404);
  return request;
}

/** Locks a pending request so two admins cannot both decide it. */
async function lockPending(tx: Tx, requestId: string) {
  await tx.$queryRaw`SELECT id FROM "LessonRequest" WHERE id = ${requestId} FOR UPDATE`;
  const request = await loadRequest(tx, requestId);
  if (request.status !== "PENDING") throw new LessonRequestError(`This request was already ${request.status === "SCHEDULED" ? "scheduled" : "declined"}.`, null, 409);
  return request;
}

/** Teachers who teach this instrument (every active teacher when none says so). */
async function teachersFor(tx: Tx, instrument: string) {
  const all = await tx.user.findMany({
    where: { role: "TEACHER", deactivatedAt: null },
    orderBy: [{ lastName: "asc" }, { firstName: "asc" }],
    select: { id: true, firstName: true, lastName: true, teachingInstruments: true },
  });
  const teaching = all.filter((t) => t.teachingInstruments.some((i) => i.toLowerCase() === instrument.toLowerCase()));
  return { teaching, all };
}

/**
 * Free times of these teachers from `fromDate` for `days` days (availability minus
 * their scheduled lessons, time off and closures), `durationMinutes` long.
 */
export async function teacherFreeTimes(
  tx: Tx,
  input: { teacherIds: string[]; timeZone: string; fromDate: string; days: number; durationMinutes: number; now: Date; minNoticeMinutes?: number },
): Promise<TeacherSlot[]> {
  if (!input.teacherIds.length) return [];
  const weekEnd = addDays(input.fromDate, input.days - 1);
  const from = new Date(Math.min(input.now.getTime(), Date.parse(`${input.fromDate}T00:00:00Z`)) - 86_400_000);
  const to = new Date(Date.parse(`${weekEnd}T00:00:00Z`) + 2 * 86_400_000);
  const { closures } = await loadCalendarRules(tx);
  const rules = await loadTeacherRules(tx, input.teacherIds, from, to);
  const busy = await tx.lessonOccurrence.findMany({
    where: { status: "SCHEDULED", startsAt: { lt: to }, endsAt: { gt: from }, instructorId: { in: input.teacherIds } },
    select: { instructorId: true, startsAt: true, endsAt: true },
  });
  return input.teacherIds.flatMap((teacherId) =>
    computeFreeSlots({
      timeZone: input.timeZone,
      weekStart: input.fromDate,
      weekEnd,
      durationMinutes: input.durationMinutes,
      stepMinutes: 30,
      availability: rules.availability.filter((a) => a.teacherId === teacherId),
      busy: [...busy.filter((b) => b.instructorId === teacherId).map((b) => ({ start: b.startsAt, end: b.endsAt })), ...rules.timeOff.filter((t) => t.teacherId === teacherId)],
      closures,
      now: input.now,
      minNoticeMinutes: input.minNoticeMinutes ?? 0,
    }).map((s) => ({ teacherId, ...s })),
  );
}

/** What the "Schedule" form needs: the request, teachers, places, lengths, terms, and suggested times. */
export async function scheduleFormData(tx: Tx, input: { requestId: string; timeZone: string; now: Date }) {
  const request = await loadRequest(tx, input.requestId);
  const today = toLocalDate(input.now, input.timeZone);
  const { teaching, all } = await teachersFor(tx, request.instrument);
  const teachers = teaching.length ? teaching : all;
  const durations = (await tx.lessonDuration.findMany({ orderBy: { minutes: "asc" }, select: { minutes: true } })).map((d) => d.minutes);
  const durationMinutes = request.durationMinutes ?? (durations.includes(30) ? 30 : (durations[0] ?? 30));
  const locations = await tx.location.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, rooms: { orderBy: { name: "asc" }, select: { id: true, name: true } } } });
  const terms = await tx.term.findMany({ where: { endDate: { gte: today }, archivedAt: null }, orderBy: { startDate: "asc" }, select: { id: true, name: true, startDate: true, endDate: true } });
  // From tomorrow, or from the start of the next term when none is running.
  const running = terms.find((t) => t.startDate <= today);
  const fromDate = running || !terms[0] ? addDays(today, 1) : terms[0].startDate > today ? terms[0].startDate : addDays(today, 1);
  const slots = await teacherFreeTimes(tx, { teacherIds: teachers.map((t) => t.id), timeZone: input.timeZone, fromDate, days: SUGGESTION_DAYS, durationMinutes, now: input.now });
  const suggestions: Suggestion[] = suggestWeeklyTimes(slots, { days: request.preferredDays, times: request.preferredTimes }, input.timeZone, 8);
  return {
    request,
    preferences: describeRequest(request),
    teachers: teachers.map((t) => ({ id: t.id, name: personName(t), teaches: t.teachingInstruments.includes(request.instrument) })),
    teachesInstrument: teaching.length > 0,
    durations: durations.length ? durations : [durationMinutes],
    durationMinutes,
    locations,
    terms,
    defaultTermId: (running ?? terms[0])?.id ?? "",
    suggestions: suggestions.map((s) => ({ ...s, teacherName: personName(teachers.find((t) => t.id === s.teacherId)!) })),
    today,
  };
}

export interface ScheduleInput {
  requestId: string;
  teacherId: string;
  firstDate: string;
  startTime: string;
  durationMinutes: number;
  place: Place;
  /** "" = no term: the series runs on (open-ended). */
  termId: string | null;
  actorId: string;
  timeZone: string;
  schoolName: string;
  now: Date;
}

/**
 * Turns a pending request into a weekly INDIVIDUAL series (every scheduling rule
 * applies: SchedulingConflictError / SchedulingInputError), enrolls the child, marks
 * the request SCHEDULED, audits it and emails the family.
 */
export async function scheduleLessonRequest(tx: Tx, mailer: Mailer, input: ScheduleInput) {
  const request = await lockPending(tx, input.requestId);
  let roomId: string | null = null;
  let locationId: string | null = null;
  if (input.place.kind === "room") {
    const room = await tx.room.findUnique({ where: { id: input.place.roomId }, select: { id: true, locationId: true } });
    if (!room) throw new LessonRequestError("That room no longer exists. Choose another.", "place", 400);
    roomId = room.id;
    locationId = room.locationId;
  } else if (input.place.kind === "location") {
    locationId = input.place.locationId;
  }
  const child = request.student.user;
  const created = await createLessonSeries(
    tx,
    input.timeZone,
    {
      title: `${request.instrument} — ${personName(child)}`,
      type: "INDIVIDUAL",
      instrument: request.instrument,
      instructorId: input.teacherId,
      locationId,
      roomId,
      firstDate: input.firstDate,
      startTime: input.startTime,
      durationMinutes: input.durationMinutes,
      recurrence: "WEEKLY",
      termId: input.termId,
      endDate: null,
      maxStudents: 1,
    },
    input.now,
  );
  const enrolled = await enrollStudent(tx, { lessonId: created.lesson.id, studentId: request.student.id, requireApproval: false, waitlist: false, notes: "Requested online", now: input.now });
  const decidedAt = new Date();
  await tx.lessonRequest.update({ where: { id: request.id }, data: { status: "SCHEDULED", lessonId: created.lesson.id, decidedById: input.actorId, decidedAt } });
  await recordAuditEvent(tx, {
    actedById: input.actorId,
    action: "lesson_request.scheduled",
    subjectId: child.id,
    details: { instrument: request.instrument, lesson: created.lesson.title, lessonId: created.lesson.id, firstDate: input.firstDate, startTime: input.startTime },
  });

  const teacher = await tx.user.findUniqueOrThrow({ where: { id: input.teacherId }, select: { firstName: true, lastName: true } });
  const lesson = await tx.lesson.findUniqueOrThrow({ where: { id: created.lesson.id }, select: { recurrence: true, startTime: true, duration: true, room: { select: { name: true } }, location: { select: { name: true } } } });
  const fmt = await schoolFormatter(tx);
  const when = scheduleSummary(lesson, fmt);
  const where = lesson.room ? `${lesson.room.name}${lesson.location ? `, ${lesson.location.name}` : ""}` : lesson.location?.name ?? "Online";
  const addresses = [...new Set([...(await familyAddresses(tx, [request.student.id])).values()].flat())];
  const text = [
    `Hello,`,
    "",
    `${child.firstName}'s individual ${request.instrument} lessons at ${input.schoolName} are scheduled: ${when}, with ${personName(teacher)} (${where}).`,
    `The first lesson is on ${fmt.day(input.firstDate, { weekday: "long", month: "long", year: "numeric" })}. Your family page shows every date.`,
  ].join("\n");
  for (const to of addresses) await mailer.send(tx, { to, subject: `${child.firstName}'s ${request.instrument} lessons are scheduled`, text });
  return { lessonId: created.lesson.id, title: created.lesson.title, occurrenceCount: created.occurrenceCount, enrollment: enrolled.outcome, emailed: addresses.length };
}

/** Declines a pending request with a message the family is emailed. */
export async function declineLessonRequest(tx: Tx, mailer: Mailer, input: { requestId: string; message: string; actorId: string; schoolName: string }) {
  const request = await lockPending(tx, input.requestId);
  await tx.lessonRequest.update({ where: { id: request.id }, data: { status: "DECLINED", declineMessage: input.message, decidedById: input.actorId, decidedAt: new Date() } });
  const child = request.student.user;
  await recordAuditEvent(tx, { actedById: input.actorId, action: "lesson_request.declined", subjectId: child.id, details: { instrument: request.instrument } });
  const addresses = [...new Set([...(await familyAddresses(tx, [request.student.id])).values()].flat())];
  const text = [`Hello,`, "", `About ${child.firstName}'s request for individual ${request.instrument} lessons at ${input.schoolName}:`, "", input.message].join("\n");
  for (const to of addresses) await mailer.send(tx, { to, subject: `About ${child.firstName}'s ${request.instrument} lessons`, text });
  return { emailed: addresses.length };
}

/** The school's lesson lengths (minutes), shortest first: what a request may ask for. */
export async function lessonLengths(tx: Tx): Promise<number[]> {
  return (await tx.lessonDuration.findMany({ orderBy: { minutes: "asc" }, select: { minutes: true } })).map((d) => d.minutes);
}
