// The queries behind the reports (/admin/reports) and their CSV exports. The
// arithmetic is in app/domain/reports.ts; these bring the rows.
import { schoolFormatter } from "./school-settings.server";
import type { Tx } from "../../server/db/school-db.server";
import type { Mailer } from "../../server/services/email.server";
import { retention, termFlows, type EnrollmentSpan, type TermSpan } from "../domain/reports";
import { toLocalDate } from "../domain/time";
import { lessonAttendanceRates, missingAttendance, missingRegisters } from "./attendance.server";
import { attendanceRule } from "./school-settings.server";

const SEATED = ["ACTIVE", "COMPLETED", "UNENROLLED", "DROPPED"] as const;

/** Enrollments and withdrawals per term, and retention from each term to the next. */
export async function enrollmentReport(tx: Tx, opts: { timeZone: string; now: Date }) {
  const terms: TermSpan[] = await tx.term.findMany({ where: { archivedAt: null }, orderBy: { startDate: "asc" }, select: { id: true, name: true, startDate: true, endDate: true } });
  const rows = await tx.enrollment.findMany({
    where: { status: { in: [...SEATED] } },
    select: { studentId: true, status: true, enrolledAt: true, unenrolledAt: true, droppedAt: true, completedAt: true },
  });
  const local = (d: Date | null) => (d ? toLocalDate(d, opts.timeZone) : null);
  const spans: EnrollmentSpan[] = rows.map((r) => {
    const withdrawn = r.status === "UNENROLLED" || r.status === "DROPPED";
    const end = withdrawn ? (r.droppedAt ?? r.unenrolledAt) : r.status === "COMPLETED" ? r.completedAt : null;
    return { studentId: r.studentId, start: local(r.enrolledAt)!, end: local(end), withdrawn };
  });
  return { flows: termFlows(terms, spans), retention: retention(terms, spans, toLocalDate(opts.now, opts.timeZone)) };
}

/** Lessons with families waiting (waitlisted, or pending approval), the longest wait first. */
export async function waitlistReport(tx: Tx) {
  const rows = await tx.$queryRaw<{ lessonId: string; title: string; teacher: string; waitlisted: number; pending: number; oldest: Date }[]>`
    SELECT l.id AS "lessonId", l.title, u."firstName" || ' ' || u."lastName" AS teacher,
           count(*) FILTER (WHERE e.status = 'WAITLISTED')::int AS waitlisted,
           count(*) FILTER (WHERE e.status = 'PENDING')::int AS pending,
           min(e."enrolledAt") AS oldest
      FROM "Enrollment" e JOIN "Lesson" l ON l.id = e."lessonId" JOIN "User" u ON u.id = l."instructorId"
     WHERE e.status IN ('WAITLISTED', 'PENDING')
     GROUP BY l.id, l.title, u."firstName", u."lastName"
     ORDER BY oldest`;
  return rows;
}

/** Attendance recorded per teacher (the teacher of each date): present over recorded. */
export async function attendanceByTeacher(tx: Tx) {
  const rows = await tx.$queryRaw<{ teacherId: string; teacher: string; total: number; present: number }[]>`
    SELECT u.id AS "teacherId", u."firstName" || ' ' || u."lastName" AS teacher, count(*)::int AS total, count(*) FILTER (WHERE a.present)::int AS present
      FROM "Attendance" a JOIN "LessonOccurrence" o ON o.id = a."occurrenceId" JOIN "User" u ON u.id = o."instructorId"
     GROUP BY u.id, u."firstName", u."lastName" ORDER BY u."lastName", u."firstName"`;
  return rows.map((r) => ({ ...r, rate: r.total ? r.present / r.total : null }));
}

/** Each active teacher's load: series taught, students seated, and teaching hours in the next four weeks. */
export async function teacherLoad(tx: Tx, opts: { now: Date; days?: number }) {
  const until = new Date(opts.now.getTime() + (opts.days ?? 28) * 86_400_000);
  const teachers = await tx.user.findMany({ where: { role: "TEACHER", deactivatedAt: null }, orderBy: [{ lastName: "asc" }, { firstName: "asc" }], select: { id: true, firstName: true, lastName: true } });
  const hours = await tx.$queryRaw<{ teacherId: string; minutes: number; dates: number }[]>`
    SELECT o."instructorId" AS "teacherId", coalesce(sum(extract(epoch FROM o."endsAt" - o."startsAt") / 60), 0)::int AS minutes, count(*)::int AS dates
      FROM "LessonOccurrence" o
     WHERE o.status = 'SCHEDULED' AND o."startsAt" >= ${opts.now} AND o."startsAt" < ${until}
     GROUP BY o."instructorId"`;
  const seats = await tx.$queryRaw<{ teacherId: string; lessons: number; students: number }[]>`
    SELECT l."instructorId" AS "teacherId", count(DISTINCT l.id)::int AS lessons, count(DISTINCT e."studentId")::int AS students
      FROM "Lesson" l LEFT JOIN "Enrollment" e ON e."lessonId" = l.id AND e.status = 'ACTIVE'
     WHERE l.status IN ('SCHEDULED', 'IN_PROGRESS')
     GROUP BY l."instructorId"`;
  const h = new Map(hours.map((r) => [r.teacherId, r]));
  const s = new Map(seats.map((r) => [r.teacherId, r]));
  return teachers.map((t) => ({
    teacherId: t.id,
    teacher: `${t.firstName} ${t.lastName}`,
    lessons: s.get(t.id)?.lessons ?? 0,
    students: s.get(t.id)?.students ?? 0,
    dates: h.get(t.id)?.dates ?? 0,
    hours: Math.round(((h.get(t.id)?.minutes ?? 0) / 60) * 10) / 10,
  }));
}

/** Past dates still missing attendance or notes, grouped by teacher, with the filters of the attendance page. */
export async function missingAttendanceByTeacher(tx: Tx, opts: { timeZone: string; now: Date; teacherId?: string | null; overdueOnly?: boolean }) {
  const rule = await attendanceRule(tx);
  const rows = await missingAttendance(tx, { rule, timeZone: opts.timeZone, now: opts.now, ...(opts.teacherId ? { teacherId: opts.teacherId } : {}) });
  return { rule, groups: missingRegisters(rows, { overdueOnly: opts.overdueOnly }) };
}

/** How many past dates are missing attendance or notes, and how many of them are overdue (the dashboard's figures). */
export async function missingAttendanceCounts(tx: Tx, opts: { timeZone: string; now: Date }) {
  const rows = await missingAttendance(tx, { rule: await attendanceRule(tx), timeZone: opts.timeZone, now: opts.now });
  return { missing: rows.length, overdue: rows.filter((r) => r.overdue).length };
}

export class NudgeError extends Error {}

/** Emails a teacher the dates still missing their attendance or notes. */
export async function nudgeTeacher(tx: Tx, mailer: Mailer, opts: { teacherId: string; timeZone: string; now: Date; origin: string; schoolName: string; fromName: string }) {
  const teacher = await tx.user.findFirst({ where: { id: opts.teacherId, role: { in: ["TEACHER", "ADMIN"] }, deactivatedAt: null }, select: { id: true, email: true, firstName: true } });
  if (!teacher) throw new NudgeError("That teacher was not found. Choose one from the list.");
  const { groups } = await missingAttendanceByTeacher(tx, { timeZone: opts.timeZone, now: opts.now, teacherId: teacher.id });
  const rows = groups[0]?.rows ?? [];
  if (rows.length === 0) throw new NudgeError("This teacher has nothing missing; no email was sent.");
  const fmt = await schoolFormatter(tx);
  const lines = rows.map((r) => `- ${r.title}, ${fmt.dateTime(r.startsAt)}: ${[r.missingAttendance ? "attendance" : null, r.missingNotes ? "notes" : null].filter(Boolean).join(" and ")}${r.overdue ? " (overdue)" : ""}`);
  await mailer.send(tx, {
    to: teacher.email,
    subject: `Attendance to complete: ${rows.length} ${rows.length === 1 ? "lesson" : "lessons"}`,
    text: [`Hello ${teacher.firstName},`, "", `${opts.fromName} of ${opts.schoolName} asks you to complete the register for:`, ...lines, "", `Open your day: ${opts.origin}/teach/today`].join("\n"),
  });
  return { lessons: rows.length, email: teacher.email };
}

export const CSV_REPORTS = ["enrollments", "retention", "waitlists", "attendance-teachers", "attendance-lessons", "teacher-load", "missing-attendance"] as const;
export type CsvReport = (typeof CSV_REPORTS)[number];

export function isCsvReport(name: string): name is CsvReport {
  return (CSV_REPORTS as readonly string[]).includes(name);
}

type Cell = string | number | null;

/** One report as a spreadsheet: its header row, then its rows. */
export async function reportCsvRows(tx: Tx, report: CsvReport, opts: { timeZone: string; now: Date }): Promise<Cell[][]> {
  const pct = (rate: number | null) => (rate === null ? "" : Math.round(rate * 1000) / 10);
  switch (report) {
    case "enrollments": {
      const { flows } = await enrollmentReport(tx, opts);
      return [["Term", "Enrollments", "Withdrawals", "Students"], ...flows.map((f) => [f.term, f.enrolled, f.withdrawn, f.students])];
    }
    case "retention": {
      const r = await enrollmentReport(tx, opts);
      return [["From term", "To term", "Students", "Stayed", "Retention %"], ...r.retention.map((x) => [x.from, x.to, x.base, x.retained, pct(x.rate)])];
    }
    case "waitlists": {
      const rows = await waitlistReport(tx);
      return [["Lesson", "Teacher", "Waitlisted", "Waiting for approval", "Waiting since"], ...rows.map((r) => [r.title, r.teacher, r.waitlisted, r.pending, toLocalDate(r.oldest, opts.timeZone)])];
    }
    case "attendance-teachers": {
      const rows = await attendanceByTeacher(tx);
      return [["Teacher", "Recorded", "Present", "Attendance %"], ...rows.map((r) => [r.teacher, r.total, r.present, pct(r.rate)])];
    }
    case "attendance-lessons": {
      const rows = await lessonAttendanceRates(tx);
      return [["Lesson", "Recorded", "Present", "Attendance %"], ...rows.map((r) => [r.title, r.total, r.present, pct(r.rate)])];
    }
    case "teacher-load": {
      const rows = await teacherLoad(tx, { now: opts.now });
      return [["Teacher", "Lessons", "Students", "Dates in the next 4 weeks", "Hours in the next 4 weeks"], ...rows.map((r) => [r.teacher, r.lessons, r.students, r.dates, r.hours])];
    }
    case "missing-attendance": {
      const { groups } = await missingAttendanceByTeacher(tx, opts);
        const fmt = await schoolFormatter(tx);
      return [
        ["Teacher", "Lesson", "Date", "Missing attendance", "Missing notes", "Overdue"],
        ...groups.flatMap((g) => g.rows.map((r) => [g.teacher, r.title, fmt.dateTime(r.startsAt, { year: "numeric" }), r.missingAttendance ? "yes" : "no", r.missingNotes ? "yes" : "no", r.overdue ? "yes" : "no"])),
      ];
    }
  }
}
