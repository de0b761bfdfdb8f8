// The reports' queries against the real database. Each case adds its own teacher,
// lesson and students in a transaction that is rolled back, and looks at what they
// changed.
import { afterAll, describe, expect, it } from "vitest";
import {
  attendanceByTeacher,
  CSV_REPORTS,
  enrollmentReport,
  missingAttendanceByTeacher,
  missingAttendanceCounts,
  nudgeTeacher,
  NudgeError,
  reportCsvRows,
  teacherLoad,
  waitlistReport,
} from "../../app/models/reports.server";
import type { Tx } from "../../server/db/school-db.server";
import { Mailer } from "../../server/services/email.server";
import { rolledBack } from "../support/db";
import { schoolId, testServices } from "../support/services";

const services = testServices();
afterAll(() => services.close());
const mailer = new Mailer({ from: "Encore <no-reply@encore.test>" });
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function harmony() {
  return services.platform.schoolDb(await schoolId(services, "harmony"));
}

async function fixture(tx: Tx, now: Date) {
  const teacher = await tx.user.create({ data: { email: "report.teacher@example.test", firstName: "Rita", lastName: "Report", role: "TEACHER", passwordHash: "x" }, select: { id: true } });
  const location = await tx.location.findFirstOrThrow({ select: { id: true } });
  const start = new Date(now.getTime() - 3 * DAY);
  const lesson = await tx.lesson.create({
    data: { title: "Report Class", type: "GROUP", instructorId: teacher.id, locationId: location.id, startTime: start, endTime: new Date(start.getTime() + HOUR), duration: 60, maxStudents: 2 },
    select: { id: true },
  });
  const students = [];
  for (const name of ["Ann", "Ben", "Cal", "Dee"]) {
    const user = await tx.user.create({ data: { email: `report.${name.toLowerCase()}@example.test`, firstName: name, lastName: "Report", role: "STUDENT" }, select: { id: true } });
    students.push(await tx.student.create({ data: { userId: user.id }, select: { id: true } }));
  }
  await tx.enrollment.createMany({
    data: [
      { lessonId: lesson.id, studentId: students[0]!.id, status: "ACTIVE", enrolledAt: new Date(now.getTime() - 10 * DAY) },
      { lessonId: lesson.id, studentId: students[1]!.id, status: "ACTIVE", enrolledAt: new Date(now.getTime() - 10 * DAY) },
      { lessonId: lesson.id, studentId: students[2]!.id, status: "WAITLISTED", enrolledAt: new Date(now.getTime() - 5 * DAY) },
      { lessonId: lesson.id, studentId: students[3]!.id, status: "PENDING", enrolledAt: new Date(now.getTime() - 2 * DAY) },
    ],
  });
  // One past date recorded (one present, one absent) and one past date with nothing; two ahead.
  const past = await tx.lessonOccurrence.create({ data: { lessonId: lesson.id, startsAt: start, endsAt: new Date(start.getTime() + HOUR), instructorId: teacher.id, status: "COMPLETED", notes: "Scales" }, select: { id: true } });
  await tx.attendance.createMany({ data: [{ occurrenceId: past.id, studentId: students[0]!.id, present: true }, { occurrenceId: past.id, studentId: students[1]!.id, present: false }] });
  const bare = new Date(now.getTime() - 2 * DAY);
  const missing = await tx.lessonOccurrence.create({ data: { lessonId: lesson.id, startsAt: bare, endsAt: new Date(bare.getTime() + HOUR), instructorId: teacher.id }, select: { id: true } });
  for (const days of [4, 11]) {
    const at = new Date(now.getTime() + days * DAY);
    await tx.lessonOccurrence.create({ data: { lessonId: lesson.id, startsAt: at, endsAt: new Date(at.getTime() + 90 * 60_000), instructorId: teacher.id } });
  }
  return { teacher, lesson, students, missing };
}

describe("reports", () => {
  it("waitlists, attendance by teacher and teacher load come from the school's rows", async () => {
    const db = await harmony();
    const now = new Date();
    const got = await rolledBack(db, async (tx) => {
      const f = await fixture(tx, now);
      return {
        waitlist: (await waitlistReport(tx)).find((w) => w.lessonId === f.lesson.id),
        attendance: (await attendanceByTeacher(tx)).find((t) => t.teacherId === f.teacher.id),
        load: (await teacherLoad(tx, { now })).find((t) => t.teacherId === f.teacher.id),
      };
    });
    expect(got.waitlist).toMatchObject({ title: "Report Class", teacher: "Rita Report", waitlisted: 1, pending: 1 });
    expect(got.attendance).toMatchObject({ total: 2, present: 1, rate: 0.5 });
    expect(got.load).toMatchObject({ lessons: 1, students: 2, dates: 2, hours: 3 });
  });

  it("counts a new enrollment for its term", async () => {
    const db = await harmony();
    const now = new Date();
    const got = await rolledBack(db, async (tx) => {
      const term = await tx.term.findFirstOrThrow({ where: { archivedAt: null }, orderBy: { startDate: "asc" }, select: { id: true, startDate: true } });
      const before = (await enrollmentReport(tx, { timeZone: "America/New_York", now })).flows.find((f) => f.termId === term.id)!;
      const f = await fixture(tx, now);
      await tx.enrollment.updateMany({ where: { lessonId: f.lesson.id, status: "ACTIVE" }, data: { enrolledAt: new Date(`${term.startDate}T17:00:00Z`) } });
      await tx.enrollment.updateMany({ where: { lessonId: f.lesson.id, studentId: f.students[1]!.id }, data: { status: "DROPPED", droppedAt: new Date(`${term.startDate}T18:00:00Z`) } });
      const after = (await enrollmentReport(tx, { timeZone: "America/New_York", now })).flows.find((f) => f.termId === term.id)!;
      return { before, after };
    });
    expect(got.after.enrolled - got.before.enrolled).toBe(2);
    expect(got.after.withdrawn - got.before.withdrawn).toBe(1);
  });

  it("groups missing attendance by teacher, filters it, counts it for the dashboard, and nudges the teacher by email", async () => {
    const db = await harmony();
    const now = new Date();
    const got = await rolledBack(db, async (tx) => {
      const before = await missingAttendanceCounts(tx, { timeZone: "America/New_York", now });
      const f = await fixture(tx, now);
      const after = await missingAttendanceCounts(tx, { timeZone: "America/New_York", now });
      const mine = await missingAttendanceByTeacher(tx, { timeZone: "America/New_York", now, teacherId: f.teacher.id });
      const overdueOnly = await missingAttendanceByTeacher(tx, { timeZone: "America/New_York", now, teacherId: f.teacher.id, overdueOnly: true });
      const nudged = await nudgeTeacher(tx, mailer, { teacherId: f.teacher.id, timeZone: "America/New_York", now, origin: "http://harmony.localhost:3000", schoolName: "Harmony", fromName: "Clara Admin" });
      const email = await tx.emailMessage.findFirstOrThrow({ where: { to: "report.teacher@example.test" }, select: { subject: true, text: true } });
      const other = await tx.user.create({ data: { email: "idle.teacher@example.test", firstName: "Ida", lastName: "Idle", role: "TEACHER" }, select: { id: true } });
      const idle = await nudgeTeacher(tx, mailer, { teacherId: other.id, timeZone: "America/New_York", now, origin: "x", schoolName: "Harmony", fromName: "Clara" }).then(
        () => null,
        (e: unknown) => e,
      );
      return { added: after.missing - before.missing, mine, overdueOnly, nudged, email, idle, missingId: f.missing.id };
    });
    expect(got.added).toBe(1);
    expect(got.mine.groups).toHaveLength(1);
    expect(got.mine.groups[0]).toMatchObject({ teacher: "Rita Report", total: 1, withoutAttendance: 1 });
    expect(got.mine.groups[0]!.rows[0]!.id).toBe(got.missingId);
    expect(got.overdueOnly.groups.flatMap((g) => g.rows).every((r) => r.overdue)).toBe(true);
    expect(got.nudged).toEqual({ lessons: 1, email: "report.teacher@example.test" });
    expect(got.email.subject).toBe("Attendance to complete: 1 lesson");
    expect(got.email.text).toContain("Report Class");
    expect(got.email.text).toContain("http://harmony.localhost:3000/teach/today");
    expect(got.idle).toBeInstanceOf(NudgeError);
  });

  it("exports every report as rows under a header", async () => {
    const db = await harmony();
    const now = new Date();
    const sheets = await rolledBack(db, async (tx) => {
      await fixture(tx, now);
      const out: Record<string, unknown[][]> = {};
      for (const r of CSV_REPORTS) out[r] = await reportCsvRows(tx, r, { timeZone: "America/New_York", now });
      return out;
    });
    for (const r of CSV_REPORTS) expect(sheets[r]![0]!.length, r).toBeGreaterThan(2);
    expect(sheets["teacher-load"]).toContainEqual(["Rita Report", 1, 2, 2, 3]);
    expect(sheets["waitlists"]!.some((row) => row[0] === "Report Class")).toBe(true);
  });
});
