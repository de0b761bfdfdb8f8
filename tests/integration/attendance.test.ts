// Attendance against the real database: only the lesson's own teacher records it,
// a newly absent student's family is emailed (once), and a past lesson without a
// register shows up as missing (and overdue).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AttendanceError, missingAttendance, occurrenceRegister, recordAttendance, studentAttendance, teacherDay } from "../../app/models/attendance.server";
import type { SchoolDb } from "../../server/db/school-db.server";
import { SEED_NOW } from "../support/clock";
import { schoolId, testServices } from "../support/services";

// "Now" for the models that depend on the day, passed explicitly: the test clock's start.
const NOW = SEED_NOW;

const services = testServices();
const TZ = "America/New_York";
const tag = `att${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const DAY = 86_400_000;
let db: SchoolDb;

let fx: {
  teacherId: string;
  otherTeacherId: string;
  lessonTitle: string;
  taken: string; // a past occurrence we take attendance for
  untouched: string; // a past occurrence nobody takes attendance for
  future: string; // next week
  amy: { id: string; parentEmail: string };
  bob: { id: string; parentEmail: string };
};

beforeAll(async () => {
  db = services.platform.schoolDb(await schoolId(services, "harmony"));
  fx = await db.run(async (tx) => {
    const teacher = (first: string) =>
      tx.user.create({ data: { email: `${first}.${tag}@teachers.example.test`.toLowerCase(), firstName: first, lastName: `Teach${tag}`, role: "TEACHER" }, select: { id: true } });
    const [t, other] = [await teacher("Tess"), await teacher("Otto")];
    // An online class (no room), so its dates clash with nobody else's.
    const now = NOW.getTime();
    const at = (daysAgo: number) => {
      const start = new Date(Math.floor((now - daysAgo * DAY) / 60_000) * 60_000);
      return { startsAt: start, endsAt: new Date(start.getTime() + 45 * 60_000) };
    };
    const lessonTitle = `Attendance class ${tag}`;
    const first = at(14);
    const lesson = await tx.lesson.create({
      data: { title: lessonTitle, type: "GROUP", instructorId: t.id, startTime: first.startsAt, endTime: first.endsAt, duration: 45, recurrence: "WEEKLY", maxStudents: 10, onlineUrl: "https://meet.example.test/x" },
      select: { id: true },
    });
    const occurrence = async (when: { startsAt: Date; endsAt: Date }) =>
      (await tx.lessonOccurrence.create({ data: { lessonId: lesson.id, instructorId: t.id, ...when }, select: { id: true } })).id;
    const untouched = await occurrence(at(14));
    const taken = await occurrence(at(7));
    const future = await occurrence(at(-7));
    const student = async (first: string) => {
      const user = await tx.user.create({ data: { email: `${first}.${tag}@students.harmony.invalid`.toLowerCase(), firstName: first, lastName: `Pupil${tag}`, role: "STUDENT" }, select: { id: true } });
      const parentEmail = `parent.${first}.${tag}@example.test`.toLowerCase();
      const s = await tx.student.create({ data: { userId: user.id, parentEmail }, select: { id: true } });
      await tx.enrollment.create({ data: { lessonId: lesson.id, studentId: s.id, status: "ACTIVE", enrolledAt: new Date(now - 30 * DAY) } });
      return { id: s.id, parentEmail };
    };
    return { teacherId: t.id, otherTeacherId: other.id, lessonTitle, taken, untouched, future, amy: await student("Amy"), bob: await student("Bob") };
  });
});
afterAll(() => services.close());

const emailsTo = (to: string) => db.run((tx) => tx.emailMessage.findMany({ where: { to }, select: { subject: true, text: true } }));

describe("recordAttendance", () => {
  it("is refused to another teacher, who cannot even see the register", async () => {
    await expect(
      db.run((tx) =>
        recordAttendance(tx, services.mailer, {
          occurrenceId: fx.taken,
          recordedById: fx.otherTeacherId,
          teacherId: fx.otherTeacherId,
          entries: [{ studentId: fx.amy.id, present: false }],
          timeZone: TZ, now: NOW,
        }),
      ),
    ).rejects.toThrow(AttendanceError);
    expect(await db.run((tx) => occurrenceRegister(tx, fx.taken, fx.otherTeacherId))).toBeNull();
    expect(await db.run((tx) => tx.attendance.count({ where: { occurrenceId: fx.taken } }))).toBe(0);
    expect(await emailsTo(fx.amy.parentEmail)).toHaveLength(0);
  });

  it("by the lesson's teacher: saves the register and notes, and emails the absent student's parent once", async () => {
    const record = (amyPresent: boolean) =>
      db.run((tx) =>
        recordAttendance(tx, services.mailer, {
          occurrenceId: fx.taken,
          recordedById: fx.teacherId,
          teacherId: fx.teacherId,
          entries: [
            { studentId: fx.amy.id, present: amyPresent, absenceReason: amyPresent ? null : "Sick", notes: null },
            { studentId: fx.bob.id, present: true, notes: "Lovely tone today" },
          ],
          notes: "Scales in G; bars 1–16 of the minuet.",
          timeZone: TZ, now: NOW,
        }),
      );
    const result = await record(false);
    expect(result).toEqual({ recorded: 2, absentNotified: 1 });

    const register = await db.run((tx) => occurrenceRegister(tx, fx.taken, fx.teacherId));
    expect(register?.occurrence.notes).toBe("Scales in G; bars 1–16 of the minuet.");
    expect(register?.occurrence.status).toBe("COMPLETED");
    const byId = new Map(register!.students.map((s) => [s.id, s.record]));
    expect(byId.get(fx.amy.id)).toMatchObject({ present: false, absenceReason: "Sick" });
    expect(byId.get(fx.bob.id)).toMatchObject({ present: true, notes: "Lovely tone today" });

    const mail = await emailsTo(fx.amy.parentEmail);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toBe(`Amy Pupil${tag} was absent from ${fx.lessonTitle}`);
    expect(await emailsTo(fx.bob.parentEmail)).toHaveLength(0);

    // Saving again (a correction) does not email the same absence twice.
    expect((await record(false)).absentNotified).toBe(0);
    expect(await emailsTo(fx.amy.parentEmail)).toHaveLength(1);

    // The student's history and rate follow.
    const history = await db.run((tx) => studentAttendance(tx, fx.amy.id));
    expect(history.rows).toHaveLength(1);
    expect(history.rate).toBe(0);
  });

  it("does not open for a lesson next week", async () => {
    await expect(
      db.run((tx) =>
        recordAttendance(tx, services.mailer, { occurrenceId: fx.future, recordedById: fx.teacherId, teacherId: fx.teacherId, entries: [{ studentId: fx.amy.id, present: true }], timeZone: TZ, now: NOW }),
      ),
    ).rejects.toThrow(/opens when the lesson starts/);
  });
});

describe("missingAttendance", () => {
  it("lists the teacher's past lesson without attendance, overdue by the end-of-day rule", async () => {
    // After the test above, only `untouched` lacks attendance; `taken` has both.
    const missing = await db.run((tx) => missingAttendance(tx, { rule: "END_OF_DAY", timeZone: TZ, teacherId: fx.teacherId, now: NOW }));
    const ids = missing.map((m) => m.id);
    expect(ids).toContain(fx.untouched);
    expect(ids).not.toContain(fx.future);
    const row = missing.find((m) => m.id === fx.untouched)!;
    expect(row).toMatchObject({ missingAttendance: true, missingNotes: true, overdue: true });
    expect(row.lesson.title).toBe(fx.lessonTitle);
    // Another teacher's list does not show it; the school's list does.
    expect((await db.run((tx) => missingAttendance(tx, { rule: "END_OF_WEEK", timeZone: TZ, teacherId: fx.otherTeacherId, now: NOW }))).map((m) => m.id)).not.toContain(fx.untouched);
    expect((await db.run((tx) => missingAttendance(tx, { rule: "END_OF_WEEK", timeZone: TZ, now: NOW }))).map((m) => m.id)).toContain(fx.untouched);
  });
});

describe("teacherDay", () => {
  it("gives each lesson of the day its own register: a group's students enrolled by then, by surname, and a 1-on-1 session's one student", async () => {
    const t = `${tag}d`;
    const day = await db.run(async (tx) => {
      const teacher = await tx.user.create({ data: { email: `dana.${t}@teachers.example.test`, firstName: "Dana", lastName: `Day${t}`, role: "TEACHER" }, select: { id: true } });
      const start = new Date("2031-03-04T14:00:00Z");
      const later = new Date("2031-03-04T16:00:00Z");
      const end = (d: Date) => new Date(d.getTime() + 45 * 60_000);
      const lesson = (title: string, type: "GROUP" | "HYBRID") =>
        tx.lesson.create({
          data: { title, type, instructorId: teacher.id, startTime: start, endTime: end(start), duration: 45, recurrence: "WEEKLY", maxStudents: 10, onlineUrl: "https://meet.example.test/d" },
          select: { id: true },
        });
      const group = await lesson(`Group ${t}`, "GROUP");
      const hybrid = await lesson(`Hybrid ${t}`, "HYBRID");
      const student = async (first: string, last: string) => {
        const user = await tx.user.create({ data: { email: `${first}.${t}@students.harmony.invalid`.toLowerCase(), firstName: first, lastName: last, role: "STUDENT" }, select: { id: true } });
        return (await tx.student.create({ data: { userId: user.id }, select: { id: true } })).id;
      };
      const [zoe, abe, cal, ivy] = [await student("Zoe", "Adams"), await student("Abe", "Zimmer"), await student("Cal", "Brown"), await student("Ivy", "Moss")];
      const enroll = (lessonId: string, studentId: string, enrolledAt: Date) => tx.enrollment.create({ data: { lessonId, studentId, status: "ACTIVE", enrolledAt } });
      await enroll(group.id, abe, new Date("2031-01-01T00:00:00Z"));
      await enroll(group.id, zoe, new Date("2031-01-01T00:00:00Z"));
      await enroll(group.id, cal, new Date("2031-03-05T00:00:00Z")); // joins the day after
      await enroll(hybrid.id, ivy, new Date("2031-01-01T00:00:00Z"));
      const groupOcc = await tx.lessonOccurrence.create({ data: { lessonId: group.id, instructorId: teacher.id, startsAt: start, endsAt: end(start) }, select: { id: true } });
      const session = await tx.lessonOccurrence.create({
        data: { lessonId: hybrid.id, instructorId: teacher.id, startsAt: later, endsAt: end(later), kind: "INDIVIDUAL_SESSION", studentId: ivy },
        select: { id: true },
      });
      const registers = await teacherDay(tx, { teacherId: teacher.id, from: new Date("2031-03-04T05:00:00Z"), to: new Date("2031-03-05T05:00:00Z"), timeZone: TZ, now: NOW });
      return { registers: registers.registers, groupOcc: groupOcc.id, session: session.id };
    });
    expect(day.registers.map((r) => r.occurrence.id)).toEqual([day.groupOcc, day.session]);
    expect(day.registers[0]!.students.map((s) => s.name)).toEqual(["Zoe Adams", "Abe Zimmer"]);
    expect(day.registers[1]!.students.map((s) => s.name)).toEqual(["Ivy Moss"]);
  });
});
