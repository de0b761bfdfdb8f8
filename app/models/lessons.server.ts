// The admin's lesson pages as use cases: the list, the new-series form, one lesson
// with its dates and roster, the enrollment decisions made there and on the approval
// queue, and handing a leaving teacher's lessons to a colleague (families told).
import type { Prisma } from "../../server/db/clients.server";
import type { Tx } from "../../server/db/school-db.server";
import type { Mailer } from "../../server/services/email.server";
import { pageOf } from "../domain/paging";
import { DATE_WITH_YEAR } from "../domain/locale";
import { localDateTimeToUtc } from "../domain/time";
import { idParam, pageParam, searchParam } from "../utils/list-query";
import { decideEnrollment, EnrollmentError, endEnrollment, enrollStudent, lessonRoster } from "./enrollment.server";
import type { LessonForm, LessonTypeValue } from "./lesson-form";
import { scheduleSummary } from "./lesson-form";
import { schoolFormatter } from "./school-settings.server";
import { notifyEnrolledFamilies } from "./notify.server";
import { createLessonSeries, handOverLessons, SchedulingInputError } from "./scheduling.server";
import { requiresEnrollmentApproval } from "./school-settings.server";
import { notifyFirstWaitlisted, promoteFromWaitlist, waitlistPosition } from "./waitlist.server";

const nameOf = (s: { user: { firstName: string; lastName: string } }) => `${s.user.firstName} ${s.user.lastName}`;

// ---- the list and the form -------------------------------------------------------------------

/** Lessons (of one type, of one teacher, or all) with their seats and next date; the teachers who teach any. */
export async function listLessons(tx: Tx, filters: { type: LessonTypeValue | null; teacherId: string | null; now: Date }) {
  const lessons = await tx.lesson.findMany({
    where: { ...(filters.type ? { type: filters.type } : {}), ...(filters.teacherId ? { instructorId: filters.teacherId } : {}) },
    orderBy: [{ title: "asc" }],
    take: 500,
    select: {
      id: true,
      title: true,
      type: true,
      instrument: true,
      status: true,
      recurrence: true,
      startTime: true,
      duration: true,
      customDates: true,
      maxStudents: true,
      onlineUrl: true,
      instructor: { select: { firstName: true, lastName: true } },
      room: { select: { name: true } },
      location: { select: { name: true } },
      enrollments: { where: { status: { in: ["ACTIVE", "PENDING", "WAITLISTED"] } }, select: { status: true } },
      occurrences: { where: { startsAt: { gte: filters.now }, status: "SCHEDULED" }, orderBy: { startsAt: "asc" }, take: 1, select: { startsAt: true } },
    },
  });
  const teachers = await tx.user.findMany({ where: { role: { in: ["TEACHER", "ADMIN"] }, lessonsAsInstructor: { some: {} } }, orderBy: [{ lastName: "asc" }, { firstName: "asc" }], select: { id: true, firstName: true, lastName: true } });
  return { lessons, teachers };
}

/** The choices of the new-series form: teachers, places, instruments, durations, and terms not yet over. */
export async function lessonFormOptions(tx: Tx, today: string) {
  const teachers = await tx.user.findMany({ where: { role: "TEACHER", deactivatedAt: null }, orderBy: [{ lastName: "asc" }, { firstName: "asc" }], select: { id: true, firstName: true, lastName: true } });
  const locations = await tx.location.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, rooms: { orderBy: { name: "asc" }, select: { id: true, name: true, capacity: true } } } });
  const instruments = await tx.instrument.findMany({ orderBy: { name: "asc" }, select: { name: true } });
  const durations = await tx.lessonDuration.findMany({ orderBy: { minutes: "asc" }, select: { minutes: true } });
  const terms = await tx.term.findMany({ where: { endDate: { gte: today }, archivedAt: null }, orderBy: { startDate: "asc" }, select: { id: true, name: true, startDate: true, endDate: true } });
  return { teachers, locations, instruments: instruments.map((i) => i.name), durations: durations.map((d) => d.minutes), terms };
}

/** Creates the series the form describes (a room implies its location); every scheduling rule applies. */
export async function createLessonFromForm(tx: Tx, timeZone: string, f: LessonForm, now: Date) {
  let roomId: string | null = null;
  let locationId: string | null = null;
  if (f.place.kind === "room") {
    const room = await tx.room.findUnique({ where: { id: f.place.roomId }, select: { id: true, locationId: true } });
    if (!room) throw new SchedulingInputError("That room no longer exists. Choose another.");
    roomId = room.id;
    locationId = room.locationId;
  } else if (f.place.kind === "location") {
    locationId = f.place.locationId;
  }
  return createLessonSeries(tx, timeZone, {
    title: f.title,
    description: f.description,
    type: f.type,
    instrument: f.instrument,
    instructorId: f.instructorId,
    locationId,
    roomId,
    onlineUrl: f.onlineUrl,
    firstDate: f.firstDate,
    startTime: f.startTime,
    durationMinutes: f.durationMinutes,
    recurrence: f.recurrence,
    customDates: f.customDates,
    endDate: f.endDate,
    termId: f.termId,
    maxStudents: f.maxStudents,
    pricePerStudent: f.pricePerStudent,
  }, now);
}

// ---- one lesson ------------------------------------------------------------------------------

/**
 * One lesson's page: the lesson, its coming and past dates (`pageSize` each, or all),
 * its roster and ended enrollments, the students who could still join, whether
 * enrollments need approval, and (`withDateSpan`) the span of all its dates. Null
 * when the lesson does not exist.
 */
export async function lessonPage(tx: Tx, input: { lessonId: string; showAll: boolean; pageSize: number; withDateSpan: boolean; now: Date }) {
  const { lessonId, now } = input;
  const take = input.showAll ? 1000 : input.pageSize;
  const lesson = await tx.lesson.findUnique({
    where: { id: lessonId },
    select: {
      id: true,
      title: true,
      description: true,
      type: true,
      instrument: true,
      status: true,
      recurrence: true,
      startTime: true,
      duration: true,
      customDates: true,
      recurrenceEndDate: true,
      maxStudents: true,
      pricePerStudent: true,
      onlineUrl: true,
      instructor: { select: { firstName: true, lastName: true } },
      room: { select: { name: true, capacity: true } },
      location: { select: { name: true } },
      term: { select: { name: true } },
    },
  });
  if (!lesson) return null;
  const occurrenceSelect = {
    id: true,
    startsAt: true,
    endsAt: true,
    status: true,
    kind: true,
    notes: true,
    cancelReason: true,
    room: { select: { name: true } },
    instructor: { select: { firstName: true, lastName: true } },
    _count: { select: { attendance: true } },
  } as const;
  const upcoming = await tx.lessonOccurrence.findMany({ where: { lessonId, startsAt: { gte: now } }, orderBy: { startsAt: "asc" }, take, select: occurrenceSelect });
  const upcomingCount = await tx.lessonOccurrence.count({ where: { lessonId, startsAt: { gte: now } } });
  const past = await tx.lessonOccurrence.findMany({ where: { lessonId, startsAt: { lt: now } }, orderBy: { startsAt: "desc" }, take, select: occurrenceSelect });
  const pastCount = await tx.lessonOccurrence.count({ where: { lessonId, startsAt: { lt: now } } });
  const roster = await lessonRoster(tx, lessonId);
  const ended = await tx.enrollment.findMany({
    where: { lessonId, status: { in: ["UNENROLLED", "DROPPED", "COMPLETED", "REJECTED"] } },
    orderBy: { enrolledAt: "desc" },
    select: {
      id: true,
      status: true,
      enrolledAt: true,
      unenrolledAt: true,
      droppedAt: true,
      completedAt: true,
      decidedAt: true,
      student: { select: { id: true, instrument: true, user: { select: { firstName: true, lastName: true } } } },
    },
  });
  const students = await tx.student.findMany({
    where: { enrollments: { none: { lessonId, status: { in: ["ACTIVE", "PENDING", "WAITLISTED"] } } } },
    orderBy: [{ user: { lastName: "asc" } }, { user: { firstName: "asc" } }],
    select: { id: true, instrument: true, skillLevel: true, user: { select: { firstName: true, lastName: true } } },
  });
  const requireApproval = await requiresEnrollmentApproval(tx);
  const allDates = input.withDateSpan ? await tx.lessonOccurrence.aggregate({ where: { lessonId }, _count: true, _min: { startsAt: true }, _max: { startsAt: true } }) : null;
  return { lesson, upcoming, upcomingCount, past, pastCount, roster, ended, students, requireApproval, allDates };
}

/** An admin enrolls a student (or puts them on the waitlist) under the school's approval rule. */
export async function enrollStudentAsAdmin(tx: Tx, input: { lessonId: string; studentId: string; waitlist: boolean; now: Date }) {
  const requireApproval = await requiresEnrollmentApproval(tx);
  const student = await tx.student.findUnique({ where: { id: input.studentId }, select: { user: { select: { firstName: true, lastName: true } } } });
  if (!student) throw new EnrollmentError("That student is not at this school.");
  const r = await enrollStudent(tx, { ...input, requireApproval });
  const position = r.outcome === "WAITLISTED" && r.enrollmentId ? await waitlistPosition(tx, r.enrollmentId) : null;
  return { ...r, studentName: nameOf(student), position };
}

/** The enrollment, if it exists (and, with `lessonId`, belongs to that lesson), with its student's name. */
async function enrollmentOf(tx: Tx, enrollmentId: string, lessonId?: string) {
  const e = await tx.enrollment.findFirst({
    where: { id: enrollmentId, ...(lessonId ? { lessonId } : {}) },
    select: { id: true, student: { select: { user: { select: { firstName: true, lastName: true } } } } },
  });
  if (!e) throw new EnrollmentError(lessonId ? "This enrollment is not part of this lesson any more." : "This enrollment no longer exists.");
  return { id: e.id, studentName: nameOf(e.student) };
}

/** Approves or rejects a pending enrollment (of `lessonId`, when given); the family is emailed. */
export async function decideEnrollmentRequest(tx: Tx, mailer: Mailer, input: { enrollmentId: string; decision: "APPROVE" | "REJECT"; lessonId?: string }) {
  const e = await enrollmentOf(tx, input.enrollmentId, input.lessonId);
  const r = await decideEnrollment(tx, mailer, e.id, input.decision);
  return { ...r, studentName: e.studentName };
}

/** Gives a waitlisted student of this lesson a seat; the family is emailed. */
export async function promoteLessonEnrollment(tx: Tx, mailer: Mailer, input: { lessonId: string; enrollmentId: string }) {
  const e = await enrollmentOf(tx, input.enrollmentId, input.lessonId);
  return promoteFromWaitlist(tx, mailer, e.id);
}

/** Ends an enrollment of this lesson; a freed seat is offered to the first on the waitlist (emailed). */
export async function endLessonEnrollment(
  tx: Tx,
  mailer: Mailer,
  input: { lessonId: string; enrollmentId: string; how: "UNENROLLED" | "DROPPED" | "COMPLETED"; schoolName: string; now: Date },
) {
  const e = await enrollmentOf(tx, input.enrollmentId, input.lessonId);
  const r = await endEnrollment(tx, e.id, input.how, input.now);
  const told = r.freedSeat ? await notifyFirstWaitlisted(tx, mailer, input.lessonId, input.schoolName) : null;
  return { studentName: e.studentName, told };
}

/** Enrollments waiting for an admin's decision, oldest first, with their lesson's seats. */
export const PENDING_PAGE_SIZE = 20;

/** The enrollment requests list's query string: a student or parent name search, a teacher, the page. */
export const pendingQuery = { q: searchParam, teacher: idParam, page: pageParam };
export type PendingFilters = { q: string; teacher: string; page: number };

function pendingWhere(f: PendingFilters): Prisma.EnrollmentWhereInput {
  const and: Prisma.EnrollmentWhereInput[] = [{ status: "PENDING" }];
  // Every word must match the student's name, the parent's name, or the lesson's title.
  for (const term of f.q.split(/\s+/).filter(Boolean).slice(0, 5)) {
    const contains = { contains: term, mode: "insensitive" as const };
    and.push({ OR: [{ student: { user: { firstName: contains } } }, { student: { user: { lastName: contains } } }, { student: { parentName: contains } }, { lesson: { title: contains } }] });
  }
  if (f.teacher) and.push({ lesson: { instructorId: f.teacher } });
  return { AND: and };
}

/** One page of the requests waiting for approval (oldest first) matching the filters, the teachers they are for, and whether the school requires approval. */
export async function pendingEnrollments(tx: Tx, f: PendingFilters = { q: "", teacher: "", page: 1 }) {
  const where = pendingWhere(f);
  const info = pageOf(await tx.enrollment.count({ where }), f.page, PENDING_PAGE_SIZE);
  const waiting = await tx.enrollment.count({ where: { status: "PENDING" } });
  const teachers = await tx.user.findMany({
    where: { lessonsAsInstructor: { some: { enrollments: { some: { status: "PENDING" } } } } },
    orderBy: [{ lastName: "asc" }, { firstName: "asc" }],
    select: { id: true, firstName: true, lastName: true },
  });
  const pending = await tx.enrollment.findMany({
    where,
    orderBy: [{ enrolledAt: "asc" }, { id: "asc" }],
    skip: info.skip,
    take: PENDING_PAGE_SIZE,
    select: {
      id: true,
      enrolledAt: true,
      notes: true,
      student: { select: { instrument: true, parentName: true, user: { select: { firstName: true, lastName: true } } } },
      lesson: {
        select: {
          id: true,
          title: true,
          recurrence: true,
          startTime: true,
          duration: true,
          customDates: true,
          maxStudents: true,
          instructor: { select: { firstName: true, lastName: true } },
          _count: { select: { enrollments: { where: { status: "ACTIVE" } } } },
        },
      },
    },
  });
  return { ...info, pending, waiting, teachers, requireApproval: await requiresEnrollmentApproval(tx) };
}

// ---- handing over a teacher's lessons --------------------------------------------------------

/** Teachers (and admins who teach), and the lessons `fromTeacherId` teaches from `fromDate` on, with their dates. */
export async function handoverCandidates(tx: Tx, input: { fromTeacherId: string; fromDate: string; timeZone: string }) {
  const fmt = await schoolFormatter(tx);
  const teachers = await tx.user.findMany({
    where: { role: { in: ["TEACHER", "ADMIN"] }, OR: [{ role: "TEACHER" }, { lessonsAsInstructor: { some: {} } }] },
    orderBy: [{ lastName: "asc" }, { firstName: "asc" }],
    select: { id: true, firstName: true, lastName: true, role: true, deactivatedAt: true },
  });
  if (!input.fromTeacherId) return { teachers, lessons: [] };
  const from = localDateTimeToUtc(input.fromDate, "00:00", input.timeZone);
  const occurrences = await tx.lessonOccurrence.groupBy({
    by: ["lessonId"],
    where: { instructorId: input.fromTeacherId, status: "SCHEDULED", startsAt: { gte: from } },
    _count: true,
    _min: { startsAt: true },
    _max: { startsAt: true },
  });
  const details = await tx.lesson.findMany({
    where: { id: { in: occurrences.map((o) => o.lessonId) } },
    select: { id: true, title: true, recurrence: true, startTime: true, duration: true, customDates: true, _count: { select: { enrollments: { where: { status: "ACTIVE" } } } } },
  });
  const lessons = occurrences
    .map((o) => {
      const l = details.find((d) => d.id === o.lessonId)!;
      return { id: l.id, title: l.title, schedule: scheduleSummary(l, fmt), dates: o._count, first: o._min.startsAt, last: o._max.startsAt, students: l._count.enrollments };
    })
    .sort((a, b) => a.title.localeCompare(b.title));
  return { teachers, lessons };
}

/** Hands the lessons' dates from `fromDate` on to another teacher (every rule applies) and emails their families. */
export async function handOverAndTell(
  tx: Tx,
  mailer: Mailer,
  input: { fromTeacherId: string; toTeacherId: string; fromDate: string; lessonIds: string[]; timeZone: string; schoolName: string },
) {
  const { fromTeacherId, toTeacherId, fromDate, lessonIds } = input;
  const from = await tx.user.findUnique({ where: { id: fromTeacherId }, select: { firstName: true, lastName: true } });
  const to = await tx.user.findUnique({ where: { id: toTeacherId }, select: { firstName: true, lastName: true } });
  if (!from || !to) throw new SchedulingInputError("Choose teachers of this school.");
  const moved = await handOverLessons(tx, input.timeZone, { fromTeacherId, toTeacherId, fromDate, lessonIds });
  const fromName = `${from.firstName} ${from.lastName}`;
  const toName = `${to.firstName} ${to.lastName}`;
  let emailed = 0;
  const fmt = await schoolFormatter(tx);
  for (const lessonId of moved.lessonIds) {
    const lesson = await tx.lesson.findUniqueOrThrow({ where: { id: lessonId }, select: { title: true } });
    emailed += await notifyEnrolledFamilies(
      tx,
      mailer,
      lessonId,
      {
        subject: `${lesson.title}: a new teacher from ${fmt.day(fromDate, DATE_WITH_YEAR)}`,
        text:
          `From ${fmt.day(fromDate, DATE_WITH_YEAR)}, ${toName} will teach ${lesson.title}, taking over from ${fromName}. ` +
          `Days, times and rooms stay the same.\n\nIf you have any questions, please contact the school.\n\n${input.schoolName}`,
      },
      ["ACTIVE", "PENDING"],
    );
  }
  return { ...moved, fromName, toName, emailed };
}
