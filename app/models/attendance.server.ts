// Attendance per occurrence and student, lesson notes, and the school's view of
// what is still missing.
import { schoolFormatter } from "./school-settings.server";
import type { Prisma } from "../../server/db/clients.server";
import type { Tx } from "../../server/db/school-db.server";
import type { Mailer } from "../../server/services/email.server";
import { paginateGroups, pageOf } from "../domain/paging";
import { missingByTeacher } from "../domain/reports";
import { toDayNumber, toLocalDate, weekdayOfLocalDate } from "../domain/time";
import { flagParam, idParam, pageParam } from "../utils/list-query";
import { familyAddresses } from "./notify.server";
import { studentOptions } from "./roster.server";
import { attendanceRule } from "./school-settings.server";

export class AttendanceError extends Error {}

export interface AttendanceEntry {
  studentId: string;
  present: boolean;
  absenceReason?: string | null;
  notes?: string | null;
}

/** The class list of an occurrence with what was recorded. Teachers get only their own. */
const registerSelect = {
  id: true,
  schoolId: true,
  startsAt: true,
  endsAt: true,
  status: true,
  notes: true,
  familyNote: true,
  kind: true,
  studentId: true,
  instructorId: true,
  lessonId: true,
  lesson: { select: { title: true, type: true } },
  room: { select: { name: true } },
  attendance: { select: { studentId: true, present: true, absenceReason: true, notes: true, absenceNotified: true } },
} as const satisfies Prisma.LessonOccurrenceSelect;

type RegisterOccurrence = Prisma.LessonOccurrenceGetPayload<{ select: typeof registerSelect }>;

const byName = (a: { lastName: string; firstName: string }, b: { lastName: string; firstName: string }) =>
  a.lastName.localeCompare(b.lastName) || a.firstName.localeCompare(b.firstName);

/**
 * The registers of some occurrences, in three statements whatever their number: who is
 * in each (the one student of a 1-on-1 session; otherwise everyone enrolled in the
 * series by the time it ended), by surname, with what was recorded.
 */
async function registersOf(tx: Tx, occurrences: RegisterOccurrence[]) {
  const individual = (o: RegisterOccurrence) => (o.kind === "INDIVIDUAL_SESSION" && o.studentId ? o.studentId : null);
  const lessonIds = [...new Set(occurrences.filter((o) => !individual(o)).map((o) => o.lessonId))];
  const studentIds = [...new Set(occurrences.map(individual).filter((id): id is string => id !== null))];
  const person = { id: true, user: { select: { firstName: true, lastName: true } } } as const;
  const enrollments = lessonIds.length
    ? await tx.enrollment.findMany({
        where: { lessonId: { in: lessonIds }, status: { in: ["ACTIVE", "COMPLETED"] } },
        select: { lessonId: true, enrolledAt: true, student: { select: person } },
      })
    : [];
  const individuals = studentIds.length ? await tx.student.findMany({ where: { id: { in: studentIds } }, select: person }) : [];
  const studentById = new Map(individuals.map((s) => [s.id, s]));
  return occurrences.map((occurrence) => {
    const only = individual(occurrence);
    const people = only
      ? [studentById.get(only)].filter((s) => s !== undefined)
      : [...new Map(enrollments.filter((e) => e.lessonId === occurrence.lessonId && e.enrolledAt <= occurrence.endsAt).map((e) => [e.student.id, e.student])).values()];
    people.sort((a, b) => byName(a.user, b.user));
    const byStudent = new Map(occurrence.attendance.map((a) => [a.studentId, a]));
    return {
      occurrence,
      students: people.map((s) => ({ id: s.id, name: `${s.user.firstName} ${s.user.lastName}`, record: byStudent.get(s.id) ?? null })),
    };
  });
}

/** One occurrence's register; null when it does not exist or is not `teacherId`'s. */
export async function occurrenceRegister(tx: Tx, occurrenceId: string, teacherId?: string) {
  const occurrence = await tx.lessonOccurrence.findUnique({ where: { id: occurrenceId }, select: registerSelect });
  if (!occurrence || (teacherId && occurrence.instructorId !== teacherId)) return null;
  return (await registersOf(tx, [occurrence]))[0]!;
}

/**
 * Records (or corrects) attendance for an occurrence and, optionally, its lesson
 * notes. Parents of a student newly marked absent are emailed.
 */
export async function recordAttendance(
  tx: Tx,
  mailer: Mailer,
  input: { occurrenceId: string; recordedById: string; teacherId?: string; entries: AttendanceEntry[]; notes?: string | null; timeZone: string; now: Date },
) {
  const register = await occurrenceRegister(tx, input.occurrenceId, input.teacherId);
  if (!register) throw new AttendanceError("That lesson is not one of yours.");
  const { occurrence } = register;
  if (occurrence.status === "CANCELLED" || occurrence.status === "CANCELLED_BY_TEACHER") throw new AttendanceError("This lesson was cancelled; there is no attendance to take.");
  if (occurrence.startsAt.getTime() > input.now.getTime() + 60 * 60_000) throw new AttendanceError("Attendance opens when the lesson starts.");
  const allowed = new Set(register.students.map((s) => s.id));
  const newlyAbsent: string[] = [];
  for (const e of input.entries) {
    if (!allowed.has(e.studentId)) throw new AttendanceError("One of the students is not in this class.");
    const before = register.students.find((s) => s.id === e.studentId)?.record;
    const data = { present: e.present, absenceReason: e.present ? null : (e.absenceReason ?? null), notes: e.notes ?? null, recordedById: input.recordedById, recordedAt: input.now };
    await tx.attendance.upsert({
      where: { schoolId_occurrenceId_studentId: { schoolId: occurrence.schoolId, occurrenceId: occurrence.id, studentId: e.studentId } },
      create: { occurrenceId: occurrence.id, studentId: e.studentId, ...data },
      update: data,
    });
    if (!e.present && (!before || before.present) && !before?.absenceNotified) newlyAbsent.push(e.studentId);
  }
  if (input.notes !== undefined) {
    await tx.lessonOccurrence.update({ where: { id: occurrence.id }, data: { notes: input.notes, notesAt: input.now } });
  }
  if (occurrence.endsAt <= input.now && occurrence.status === "SCHEDULED") {
    await tx.lessonOccurrence.update({ where: { id: occurrence.id }, data: { status: "COMPLETED" } });
  }
  if (newlyAbsent.length) {
    const addresses = await familyAddresses(tx, newlyAbsent);
    const fmt = await schoolFormatter(tx);
    const when = fmt.dateTime(occurrence.startsAt, { weekday: "long", month: "long" });
    for (const id of newlyAbsent) {
      const s = register.students.find((x) => x.id === id)!;
      for (const to of addresses.get(id) ?? []) {
        await mailer.send(tx, {
          to,
          subject: `${s.name} was absent from ${occurrence.lesson.title}`,
          text: `${s.name} was marked absent from ${occurrence.lesson.title} on ${when}. If this is unexpected, please contact the school.`,
        });
      }
    }
  }
  return { recorded: input.entries.length, absentNotified: newlyAbsent.length };
}

export const HISTORY_PAGE_SIZE = 25;

/** Attendance history (newest first, a page at a time) and rate for one student (present / recorded). */
export async function studentAttendance(tx: Tx, studentId: string, requestedPage = 1) {
  const total = await tx.attendance.count({ where: { studentId } });
  const present = await tx.attendance.count({ where: { studentId, present: true } });
  const info = pageOf(total, requestedPage, HISTORY_PAGE_SIZE);
  const rows = await tx.attendance.findMany({
    where: { studentId },
    orderBy: [{ occurrence: { startsAt: "desc" } }, { id: "asc" }],
    skip: info.skip,
    take: HISTORY_PAGE_SIZE,
    select: { present: true, absenceReason: true, absenceNotified: true, notes: true, occurrence: { select: { startsAt: true, lesson: { select: { id: true, title: true } } } } },
  });
  return { ...info, rows, present, rate: total ? present / total : null };
}

/** Rate per lesson: present records over all records. */
export async function lessonAttendanceRates(tx: Tx) {
  const grouped = await tx.$queryRaw<{ lessonId: string; title: string; total: number; present: number }[]>`
    SELECT o."lessonId", l.title, count(*)::int AS total, count(*) FILTER (WHERE a.present)::int AS present
      FROM "Attendance" a JOIN "LessonOccurrence" o ON o.id = a."occurrenceId" JOIN "Lesson" l ON l.id = o."lessonId"
     GROUP BY o."lessonId", l.title ORDER BY l.title`;
  return grouped.map((g) => ({ ...g, rate: g.total ? g.present / g.total : null }));
}

/**
 * Past occurrences still lacking attendance or notes, with whether they are
 * already overdue by the school's rule (end of the day, or end of the week).
 */
export async function missingAttendance(tx: Tx, opts: { now: Date; rule: "END_OF_DAY" | "END_OF_WEEK"; timeZone: string; teacherId?: string }) {
  const now = opts.now;
  const since = new Date(now.getTime() - 60 * 24 * 3600_000);
  const rows = await tx.lessonOccurrence.findMany({
    where: {
      endsAt: { lt: now, gte: since },
      status: { in: ["SCHEDULED", "COMPLETED"] },
      ...(opts.teacherId ? { instructorId: opts.teacherId } : {}),
      OR: [{ attendance: { none: {} } }, { notes: null }],
    },
    orderBy: { startsAt: "desc" },
    take: 200,
    select: {
      id: true,
      startsAt: true,
      endsAt: true,
      notes: true,
      instructorId: true,
      _count: { select: { attendance: true } },
      lesson: { select: { title: true } },
      instructor: { select: { firstName: true, lastName: true } },
    },
  });
  const localDay = (d: Date) => toLocalDate(d, opts.timeZone);
  // Day number of the Monday of the local week.
  const weekKey = (d: Date) => toDayNumber(localDay(d)) - ((weekdayOfLocalDate(localDay(d)) + 6) % 7);
  return rows.map((r) => ({
    ...r,
    missingAttendance: r._count.attendance === 0,
    missingNotes: !r.notes,
    overdue: opts.rule === "END_OF_DAY" ? localDay(r.endsAt) < localDay(now) : weekKey(r.endsAt) < weekKey(now),
  }));
}

type MissingAttendanceRow = Awaited<ReturnType<typeof missingAttendance>>[number];

/** Missing registers for a teacher's list: filtered (one teacher, overdue only) and grouped per teacher, the most overdue first. */
export function missingRegisters(rows: MissingAttendanceRow[], filters: { teacherId?: string | null; overdueOnly?: boolean }) {
  const shaped = rows
    .filter((r) => (!filters.teacherId || r.instructorId === filters.teacherId) && (!filters.overdueOnly || r.overdue))
    .map((r) => ({
      id: r.id,
      startsAt: r.startsAt,
      title: r.lesson.title,
      teacherId: r.instructorId,
      teacher: `${r.instructor.firstName} ${r.instructor.lastName}`,
      missingAttendance: r.missingAttendance,
      missingNotes: r.missingNotes,
      overdue: r.overdue,
    }));
  return missingByTeacher(shaped);
}

export const MISSING_PAGE_SIZE = 25;

/** The admin attendance page's query string: the missing list's teacher, overdue only and page; the student shown and the page of their history. */
export const attendanceQuery = {
  teacher: idParam,
  overdue: flagParam,
  page: pageParam,
  student: idParam,
  history: pageParam,
};
export type AttendanceFilters = { teacher: string; overdue: boolean; page: number; student: string; history: number };

/**
 * The admin's attendance page: what is missing or overdue (computed once; the figures
 * count every missing date, the list is filtered, grouped per teacher and paged), the
 * rates per lesson, the students, and a page of one student's history. Null when
 * `student` is no student here.
 */
export async function attendanceOverview(tx: Tx, opts: { timeZone: string; now: Date; filters: AttendanceFilters }) {
  const f = opts.filters;
  const rule = await attendanceRule(tx);
  const missing = await missingAttendance(tx, { rule, timeZone: opts.timeZone, now: opts.now });
  const teachers = [...new Map(missing.map((m) => [m.instructorId, `${m.instructor.firstName} ${m.instructor.lastName}`])).entries()]
    .map(([value, label]) => ({ value, label }))
    .sort((a, b) => a.label.localeCompare(b.label));
  const list = paginateGroups(missingRegisters(missing, { teacherId: f.teacher, overdueOnly: f.overdue }), f.page, MISSING_PAGE_SIZE);
  const rates = await lessonAttendanceRates(tx);
  const students = await studentOptions(tx);
  const student = f.student ? (students.find((s) => s.id === f.student) ?? null) : null;
  if (f.student && !student) return null;
  const history = student ? await studentAttendance(tx, student.id, f.history) : null;
  return {
    rule,
    counts: { missing: missing.length, overdue: missing.filter((m) => m.overdue).length, withoutAttendance: missing.filter((m) => m.missingAttendance).length },
    teachers,
    list,
    rates,
    students,
    student,
    history,
  };
}

/** A teacher's day: the register of each of their occurrences in [from, to), and what is still missing. */
export async function teacherDay(tx: Tx, opts: { teacherId: string; from: Date; to: Date; timeZone: string; now: Date }) {
  const todays = await tx.lessonOccurrence.findMany({
    where: { instructorId: opts.teacherId, startsAt: { gte: opts.from, lt: opts.to } },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    select: registerSelect,
  });
  const registers = await registersOf(tx, todays);
  const missing = await missingAttendance(tx, { rule: await attendanceRule(tx), timeZone: opts.timeZone, teacherId: opts.teacherId, now: opts.now });
  return { registers, missing };
}
