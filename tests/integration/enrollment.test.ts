// Enrollment against the real database: seats hold under a burst of concurrent
// enrollments (the lesson-row lock), the approval flow emails the family, ending
// an enrollment keeps its date, and the waitlist's first family hears of a seat.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideEnrollment, endEnrollment, enrollStudent, lessonRoster, type EnrollOutcome } from "../../app/models/enrollment.server";
import { notifyFirstWaitlisted, promoteFromWaitlist, waitlistPosition } from "../../app/models/waitlist.server";
import type { SchoolDb, Tx } from "../../server/db/school-db.server";
import { schoolId, testServices } from "../support/services";

// "Now" for the models that depend on the day, passed explicitly (the seed was made relative to the real clock).
const NOW = new Date();

const services = testServices();
let db: SchoolDb;
const tag = `enr${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

beforeAll(async () => {
  db = services.platform.schoolDb(await schoolId(services, "harmony"));
});
afterAll(() => services.close());

/** A class with no dates (enrollment does not need them), taught by a seeded teacher. */
async function makeLesson(tx: Tx, title: string, maxStudents: number | null) {
  const teacher = await tx.user.findFirstOrThrow({ where: { email: "sarah.johnson@harmony.test" }, select: { id: true } });
  const start = new Date("2027-05-04T20:00:00Z");
  return tx.lesson.create({
    data: { title: `${title} ${tag}`, type: "GROUP", instructorId: teacher.id, startTime: start, endTime: new Date(start.getTime() + 45 * 60_000), duration: 45, recurrence: "WEEKLY", maxStudents },
    select: { id: true, title: true },
  });
}

/** Students with a parent address each (so emails to "the family" can be checked). */
async function makeStudents(tx: Tx, prefix: string, n: number) {
  const out: { id: string; parentEmail: string; firstName: string }[] = [];
  for (let i = 0; i < n; i++) {
    const firstName = `${prefix}${i}`;
    const user = await tx.user.create({
      data: { email: `${prefix}-${i}.${tag}@students.harmony.invalid`.toLowerCase(), firstName, lastName: `Test${tag}`, role: "STUDENT" },
      select: { id: true },
    });
    const parentEmail = `parent-${prefix}-${i}.${tag}@example.test`.toLowerCase();
    const student = await tx.student.create({ data: { userId: user.id, parentEmail, parentName: `Parent ${i}` }, select: { id: true } });
    out.push({ id: student.id, parentEmail, firstName });
  }
  return out;
}

const emailsTo = (to: string) => db.run((tx) => tx.emailMessage.findMany({ where: { to }, orderBy: { createdAt: "asc" }, select: { subject: true, text: true } }));

describe("concurrent enrollment into a class of 10", () => {
  it("50 at once: exactly 10 seats taken, 40 waitlisted, none lost", async () => {
    const { lesson, students } = await db.run(async (tx) => ({ lesson: await makeLesson(tx, "Burst", 10), students: await makeStudents(tx, "burst", 50) }));
    const outcomes = await Promise.all(
      students.map((s) => db.run((tx) => enrollStudent(tx, { lessonId: lesson.id, studentId: s.id, requireApproval: false, waitlist: true }))),
    );
    const count = (o: EnrollOutcome) => outcomes.filter((r) => r.outcome === o).length;
    expect(count("ACTIVE")).toBe(10);
    expect(count("WAITLISTED")).toBe(40);

    const rows = await db.run((tx) => tx.enrollment.findMany({ where: { lessonId: lesson.id }, select: { status: true, studentId: true } }));
    expect(rows).toHaveLength(50);
    expect(rows.filter((r) => r.status === "ACTIVE")).toHaveLength(10);
    expect(rows.filter((r) => r.status === "WAITLISTED")).toHaveLength(40);
    expect(new Set(rows.map((r) => r.studentId)).size).toBe(50);

    // The waitlist keeps its arrival order: positions 1…40, each once.
    const roster = await db.run((tx) => lessonRoster(tx, lesson.id));
    const waiting = roster.filter((r) => r.status === "WAITLISTED");
    const positions = await db.run(async (tx) => {
      const out: (number | null)[] = [];
      for (const w of waiting) out.push(await waitlistPosition(tx, w.id));
      return out;
    });
    expect(positions).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it("50 at once without a waitlist: 10 enrolled, 40 told the class is full, nothing else written", async () => {
    const { lesson, students } = await db.run(async (tx) => ({ lesson: await makeLesson(tx, "Burst no waitlist", 10), students: await makeStudents(tx, "full", 50) }));
    const outcomes = await Promise.all(
      students.map((s) => db.run((tx) => enrollStudent(tx, { lessonId: lesson.id, studentId: s.id, requireApproval: false, waitlist: false }))),
    );
    expect(outcomes.filter((r) => r.outcome === "ACTIVE")).toHaveLength(10);
    expect(outcomes.filter((r) => r.outcome === "FULL")).toHaveLength(40);
    expect(outcomes.filter((r) => r.outcome === "FULL").every((r) => r.enrollmentId === null)).toBe(true);
    const rows = await db.run((tx) => tx.enrollment.findMany({ where: { lessonId: lesson.id }, select: { status: true } }));
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.status === "ACTIVE")).toBe(true);
  });
});

describe("approval", () => {
  it("PENDING → ACTIVE, and the family is emailed", async () => {
    const { lesson, students } = await db.run(async (tx) => ({ lesson: await makeLesson(tx, "Approval", 5), students: await makeStudents(tx, "appr", 1) }));
    const [s] = students;
    const enrolled = await db.run((tx) => enrollStudent(tx, { lessonId: lesson.id, studentId: s!.id, requireApproval: true, waitlist: true }));
    expect(enrolled.outcome).toBe("PENDING");
    // A pending request does not take a seat.
    expect(await db.run((tx) => tx.enrollment.count({ where: { lessonId: lesson.id, status: "ACTIVE" } }))).toBe(0);

    const decided = await db.run((tx) => decideEnrollment(tx, services.mailer, enrolled.enrollmentId!, "APPROVE"));
    expect(decided.status).toBe("ACTIVE");
    const row = await db.run((tx) => tx.enrollment.findUniqueOrThrow({ where: { id: enrolled.enrollmentId! }, select: { status: true, decidedAt: true } }));
    expect(row.status).toBe("ACTIVE");
    expect(row.decidedAt).toBeInstanceOf(Date);
    const mail = await emailsTo(s!.parentEmail);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toBe(`Enrollment in ${lesson.title}: confirmed`);
    expect(mail[0]!.text).toContain(s!.firstName);

    // Deciding twice is refused.
    await expect(db.run((tx) => decideEnrollment(tx, services.mailer, enrolled.enrollmentId!, "REJECT"))).rejects.toThrow(/no longer waiting/);
  });

  it("PENDING → REJECTED, and the family is emailed", async () => {
    const { lesson, students } = await db.run(async (tx) => ({ lesson: await makeLesson(tx, "Rejection", 5), students: await makeStudents(tx, "rej", 1) }));
    const [s] = students;
    const enrolled = await db.run((tx) => enrollStudent(tx, { lessonId: lesson.id, studentId: s!.id, requireApproval: true, waitlist: true }));
    const decided = await db.run((tx) => decideEnrollment(tx, services.mailer, enrolled.enrollmentId!, "REJECT"));
    expect(decided.status).toBe("REJECTED");
    const mail = await emailsTo(s!.parentEmail);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toBe(`About your enrollment in ${lesson.title}`);
    expect(mail[0]!.text).toMatch(/cannot offer/);
  });

  it("approving into a class that filled meanwhile puts the student on the waitlist", async () => {
    const { lesson, students } = await db.run(async (tx) => ({ lesson: await makeLesson(tx, "Filled meanwhile", 1), students: await makeStudents(tx, "fill", 2) }));
    const [a, b] = students;
    const pending = await db.run((tx) => enrollStudent(tx, { lessonId: lesson.id, studentId: a!.id, requireApproval: true, waitlist: true }));
    await db.run((tx) => enrollStudent(tx, { lessonId: lesson.id, studentId: b!.id, requireApproval: false, waitlist: true }));
    const decided = await db.run((tx) => decideEnrollment(tx, services.mailer, pending.enrollmentId!, "APPROVE"));
    expect(decided.status).toBe("WAITLISTED");
    expect((await emailsTo(a!.parentEmail))[0]!.subject).toMatch(/waitlisted/);
  });
});

describe("ending an enrollment and the waitlist", () => {
  it("unenrolling keeps the row and its dates, frees the seat, and tells the first waitlisted family", async () => {
    const { lesson, students } = await db.run(async (tx) => ({ lesson: await makeLesson(tx, "Unenroll", 1), students: await makeStudents(tx, "unen", 3) }));
    const [seated, first, second] = students;
    const seat = await db.run((tx) => enrollStudent(tx, { lessonId: lesson.id, studentId: seated!.id, requireApproval: false, waitlist: true }));
    const w1 = await db.run((tx) => enrollStudent(tx, { lessonId: lesson.id, studentId: first!.id, requireApproval: false, waitlist: true }));
    const w2 = await db.run((tx) => enrollStudent(tx, { lessonId: lesson.id, studentId: second!.id, requireApproval: false, waitlist: true }));
    expect([seat.outcome, w1.outcome, w2.outcome]).toEqual(["ACTIVE", "WAITLISTED", "WAITLISTED"]);

    // Nobody is told while the class is still full.
    expect(await db.run((tx) => notifyFirstWaitlisted(tx, services.mailer, lesson.id))).toBeNull();

    const at = new Date("2027-05-20T15:00:00Z");
    const ended = await db.run((tx) => endEnrollment(tx, seat.enrollmentId!, "UNENROLLED", at));
    expect(ended.freedSeat).toBe(true);
    const row = await db.run((tx) => tx.enrollment.findUniqueOrThrow({ where: { id: seat.enrollmentId! }, select: { status: true, unenrolledAt: true, enrolledAt: true } }));
    expect(row.status).toBe("UNENROLLED");
    expect(row.unenrolledAt).toEqual(at);
    expect(row.enrolledAt).toBeInstanceOf(Date);

    const told = await db.run((tx) => notifyFirstWaitlisted(tx, services.mailer, lesson.id, "Harmony Music Academy"));
    expect(told?.enrollmentId).toBe(w1.enrollmentId);
    const mail = await emailsTo(first!.parentEmail);
    expect(mail.map((m) => m.subject)).toEqual([`A place has opened in ${lesson.title}`]);
    expect(await emailsTo(second!.parentEmail)).toHaveLength(0);

    // Giving the seat to the first in line confirms it; the next one is refused while full.
    const promoted = await db.run((tx) => promoteFromWaitlist(tx, services.mailer, w1.enrollmentId!));
    expect(promoted.studentName).toContain(first!.firstName);
    await expect(db.run((tx) => promoteFromWaitlist(tx, services.mailer, w2.enrollmentId!))).rejects.toThrow(/still full/);
    expect(await db.run((tx) => waitlistPosition(tx, w2.enrollmentId!))).toBe(1);

    // Re-enrolling someone who left starts a fresh enrollment on the same row.
    await expect(db.run((tx) => endEnrollment(tx, seat.enrollmentId!, "DROPPED", NOW))).rejects.toThrow(/already ended/);
  });

  it("dropped and completed keep their own dates", async () => {
    const { lesson, students } = await db.run(async (tx) => ({ lesson: await makeLesson(tx, "Dates kept", null), students: await makeStudents(tx, "kept", 2) }));
    const [a, b] = students;
    const ea = await db.run((tx) => enrollStudent(tx, { lessonId: lesson.id, studentId: a!.id, requireApproval: false, waitlist: true }));
    const eb = await db.run((tx) => enrollStudent(tx, { lessonId: lesson.id, studentId: b!.id, requireApproval: false, waitlist: true }));
    await db.run((tx) => endEnrollment(tx, ea.enrollmentId!, "DROPPED", new Date("2027-06-01T12:00:00Z")));
    await db.run((tx) => endEnrollment(tx, eb.enrollmentId!, "COMPLETED", new Date("2027-06-30T12:00:00Z")));
    const rows = await db.run((tx) =>
      tx.enrollment.findMany({ where: { lessonId: lesson.id }, orderBy: { studentId: "asc" }, select: { studentId: true, status: true, droppedAt: true, completedAt: true } }),
    );
    const byStudent = new Map(rows.map((r) => [r.studentId, r]));
    expect(byStudent.get(a!.id)).toMatchObject({ status: "DROPPED", droppedAt: new Date("2027-06-01T12:00:00Z"), completedAt: null });
    expect(byStudent.get(b!.id)).toMatchObject({ status: "COMPLETED", completedAt: new Date("2027-06-30T12:00:00Z"), droppedAt: null });
  });

  it("refuses a second enrollment of the same student", async () => {
    const { lesson, students } = await db.run(async (tx) => ({ lesson: await makeLesson(tx, "Twice", 5), students: await makeStudents(tx, "twice", 1) }));
    await db.run((tx) => enrollStudent(tx, { lessonId: lesson.id, studentId: students[0]!.id, requireApproval: false, waitlist: true }));
    await expect(db.run((tx) => enrollStudent(tx, { lessonId: lesson.id, studentId: students[0]!.id, requireApproval: false, waitlist: true }))).rejects.toThrow(
      /already enrolled in/,
    );
  });
});
