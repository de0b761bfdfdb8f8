// School messages against the real database: who receives them (guardians, the
// family contact, a student's own login; each address once), the preference, a
// teacher held to their own lessons, the history and one outbox email each, and
// notes shared with families. Every case runs in a transaction that is rolled back.
import { afterAll, describe, expect, it } from "vitest";
import { audienceRecipients, listMessages, MessageError, sendMessage, sharedNotesFor, shareFamilyNote } from "../../app/models/messages.server";
import type { Tx } from "../../server/db/school-db.server";
import { Mailer } from "../../server/services/email.server";
import { rolledBack } from "../support/db";
import { schoolId, testServices } from "../support/services";

const services = testServices();
afterAll(() => services.close());
const mailer = new Mailer({ from: "Encore <no-reply@encore.test>" });
const now = new Date("2026-11-20T10:00:00Z");
const school = { name: "Harmony Music Academy", brandColor: "#7c3aed", logoUrl: null, email: "office@harmony.test" };

async function harmony() {
  return services.platform.schoolDb(await schoolId(services, "harmony"));
}

/** A lesson of the first teacher with two families: one with two guardians (one also the contact), one child with her own login and a contact without an account. */
async function fixture(tx: Tx) {
  const teacher = await tx.user.findFirstOrThrow({ where: { role: "TEACHER" }, orderBy: { email: "asc" }, select: { id: true, firstName: true, lastName: true } });
  const other = await tx.user.findFirstOrThrow({ where: { role: "TEACHER", id: { not: teacher.id } }, select: { id: true } });
  const location = await tx.location.findFirstOrThrow({ select: { id: true } });
  const start = new Date("2026-12-01T16:00:00Z");
  const lesson = await tx.lesson.create({
    data: { title: "Message Test Class", type: "GROUP", instructorId: teacher.id, locationId: location.id, startTime: start, endTime: new Date(start.getTime() + 3_600_000), duration: 60 },
    select: { id: true },
  });
  const otherLesson = await tx.lesson.create({
    data: { title: "Someone Else's Class", type: "GROUP", instructorId: other.id, locationId: location.id, startTime: start, endTime: new Date(start.getTime() + 3_600_000), duration: 60 },
    select: { id: true },
  });
  const admin = await tx.user.create({ data: { email: "msg.guardian.a@example.test", firstName: "Ada", lastName: "Lovelace", role: "PARENT", passwordHash: "x" }, select: { id: true } });
  const family = await tx.familyGroup.create({ data: { name: "Lovelace family", adminId: admin.id }, select: { id: true } });
  await tx.user.update({ where: { id: admin.id }, data: { familyGroupId: family.id } });
  const second = await tx.user.create({ data: { email: "msg.guardian.b@example.test", firstName: "Bea", lastName: "Lovelace", role: "PARENT", passwordHash: "x", familyGroupId: family.id, schoolMessages: false }, select: { id: true } });
  const child = await tx.user.create({ data: { email: "kid.lovelace@students.harmony.invalid", firstName: "Kit", lastName: "Lovelace", role: "STUDENT", familyGroupId: family.id }, select: { id: true } });
  const childStudent = await tx.student.create({ data: { userId: child.id, parentEmail: "MSG.Guardian.A@example.test" }, select: { id: true } });
  const sibling = await tx.user.create({ data: { email: "kid.two@students.harmony.invalid", firstName: "Kim", lastName: "Lovelace", role: "STUDENT", familyGroupId: family.id }, select: { id: true } });
  const siblingStudent = await tx.student.create({ data: { userId: sibling.id, parentEmail: "msg.guardian.a@example.test" }, select: { id: true } });
  const own = await tx.user.create({ data: { email: "msg.student@example.test", firstName: "Ona", lastName: "Own", role: "STUDENT", passwordHash: "x" }, select: { id: true } });
  const ownStudent = await tx.student.create({ data: { userId: own.id, parentEmail: "msg.contact@example.test" }, select: { id: true } });
  const enrolledAt = new Date("2026-11-02T09:00:00Z");
  await tx.enrollment.createMany({
    data: [
      { lessonId: lesson.id, studentId: childStudent.id, status: "ACTIVE", enrolledAt },
      { lessonId: lesson.id, studentId: siblingStudent.id, status: "ACTIVE", enrolledAt },
      { lessonId: lesson.id, studentId: ownStudent.id, status: "ACTIVE", enrolledAt },
      { lessonId: otherLesson.id, studentId: ownStudent.id, status: "WAITLISTED", enrolledAt },
    ],
  });
  return { teacher, lesson, otherLesson, second, location };
}

const FAMILY = ["msg.contact@example.test", "msg.guardian.a@example.test", "msg.guardian.b@example.test", "msg.student@example.test"];

describe("school messages", () => {
  it("reach every guardian, the family contact and a student's own login of a lesson, each address once; a lesson message ignores the preference", async () => {
    const db = await harmony();
    const got = await rolledBack(db, async (tx) => {
      const f = await fixture(tx);
      return audienceRecipients(tx, { kind: "LESSON", id: f.lesson.id });
    });
    expect(got.label).toBe("Families of Message Test Class");
    expect([...got.recipients].sort()).toEqual(FAMILY);
  });

  it("a teacher's families leave out a guardian who turned school messages off, and a waitlisted student is not one of them", async () => {
    const db = await harmony();
    const got = await rolledBack(db, async (tx) => {
      const f = await fixture(tx);
      const mine = await audienceRecipients(tx, { kind: "TEACHER", id: f.teacher.id });
      const otherTeacher = await tx.lesson.findUniqueOrThrow({ where: { id: f.otherLesson.id }, select: { instructorId: true } });
      const theirs = await audienceRecipients(tx, { kind: "TEACHER", id: otherTeacher.instructorId });
      return { mine: mine.recipients, theirs: theirs.recipients };
    });
    expect(got.mine).toEqual(expect.arrayContaining(["msg.guardian.a@example.test", "msg.student@example.test", "msg.contact@example.test"]));
    expect(got.mine).not.toContain("msg.guardian.b@example.test");
    expect(got.theirs).not.toContain("msg.student@example.test");
  });

  it("files the message, its recipients and one outbox email each, in the school's colours", async () => {
    const db = await harmony();
    const got = await rolledBack(db, async (tx) => {
      const f = await fixture(tx);
      const sent = await sendMessage(tx, mailer, {
        sender: { id: f.teacher.id, name: "Sam Teacher" },
        teacherId: f.teacher.id,
        audience: { kind: "LESSON", id: f.lesson.id },
        subject: "Bring <your> music",
        body: "Hello families,\n\nPlease bring your books.",
        school,
        preferencesUrl: "http://harmony.localhost:3000/account/notifications",
        now,
      });
      const message = await tx.message.findUniqueOrThrow({ where: { id: sent.id }, select: { recipientCount: true, audience: true, audienceId: true, createdAt: true, recipients: { select: { email: true } } } });
      const emails = await tx.emailMessage.findMany({ where: { subject: "Bring <your> music — Harmony Music Academy" }, select: { to: true, html: true, text: true } });
      const history = await listMessages(tx, { sentById: f.teacher.id });
      return { sent, message, emails, history, lessonId: f.lesson.id };
    });
    expect(got.sent.recipientCount).toBe(4);
    expect(got.message).toMatchObject({ recipientCount: 4, audience: "LESSON", audienceId: got.lessonId, createdAt: now });
    expect(got.message.recipients.map((r) => r.email).sort()).toEqual(FAMILY);
    expect(got.emails.map((e) => e.to).sort()).toEqual(FAMILY);
    expect(got.emails[0]!.html).toContain("background:#7c3aed");
    expect(got.emails[0]!.html).toContain("Bring &lt;your&gt; music");
    expect(got.emails[0]!.text).toContain("Please bring your books.");
    // A message about one lesson is operational: no opt-out line.
    expect(got.emails[0]!.text).not.toContain("/account/notifications");
    expect(got.history[0]).toMatchObject({ subject: "Bring <your> music", recipientCount: 4 });
  });

  it("holds a teacher to their own lessons, and refuses wider audiences", async () => {
    const db = await harmony();
    const errors = await rolledBack(db, async (tx) => {
      const f = await fixture(tx);
      const attempt = (audience: { kind: "LESSON" | "SCHOOL"; id: string | null }) =>
        sendMessage(tx, mailer, { sender: { id: f.teacher.id, name: "T" }, teacherId: f.teacher.id, audience, subject: "s", body: "b", school, preferencesUrl: "x", now }).then(
          () => null,
          (e: unknown) => e,
        );
      return [await attempt({ kind: "LESSON", id: f.otherLesson.id }), await attempt({ kind: "SCHOOL", id: null })];
    });
    expect(errors[0]).toBeInstanceOf(MessageError);
    expect((errors[0] as MessageError).status).toBe(404);
    expect(errors[1]).toBeInstanceOf(MessageError);
    expect((errors[1] as MessageError).message).toMatch(/own lessons/);
  });

  it("refuses a lesson nobody would receive, and files nothing", async () => {
    const db = await harmony();
    const got = await rolledBack(db, async (tx) => {
      const f = await fixture(tx);
      const before = await tx.message.count();
      const error = await sendMessage(tx, mailer, { sender: { id: f.teacher.id, name: "T" }, audience: { kind: "LESSON", id: f.otherLesson.id }, subject: "s", body: "b", school, preferencesUrl: "x", now }).then(
        () => null,
        (e: unknown) => e,
      );
      return { error, added: (await tx.message.count()) - before };
    });
    expect(got.error).toBeInstanceOf(MessageError);
    expect(got.added).toBe(0);
  });
});

describe("notes shared with families", () => {
  it("are seen by the families of the lesson, and only a lesson's own teacher shares them", async () => {
    const db = await harmony();
    const got = await rolledBack(db, async (tx) => {
      const f = await fixture(tx);
      const occurrence = await tx.lessonOccurrence.create({
        data: { lessonId: f.lesson.id, startsAt: new Date("2026-12-01T16:00:00Z"), endsAt: new Date("2026-12-01T17:00:00Z"), instructorId: f.teacher.id },
        select: { id: true },
      });
      const other = await tx.user.findFirstOrThrow({ where: { role: "TEACHER", id: { not: f.teacher.id } }, select: { id: true } });
      const refused = await shareFamilyNote(tx, { occurrenceId: occurrence.id, teacherId: other.id, note: "not mine", now }).then(
        () => null,
        (e: unknown) => e,
      );
      await shareFamilyNote(tx, { occurrenceId: occurrence.id, teacherId: f.teacher.id, note: "Practise scales.", now });
      const students = await tx.student.findMany({ where: { enrollments: { some: { lessonId: f.lesson.id } } }, select: { id: true } });
      const seen = await sharedNotesFor(tx, students.map((s) => s.id));
      const strangers = await tx.student.findMany({ where: { enrollments: { none: { lessonId: f.lesson.id } } }, take: 3, select: { id: true } });
      const unseen = await sharedNotesFor(tx, strangers.map((s) => s.id));
      await shareFamilyNote(tx, { occurrenceId: occurrence.id, teacherId: f.teacher.id, note: null, now });
      const withdrawn = await sharedNotesFor(tx, students.map((s) => s.id));
      return { refused, seen, unseen: unseen.filter((n) => n.id === occurrence.id), withdrawn: withdrawn.filter((n) => n.id === occurrence.id) };
    });
    expect(got.refused).toBeInstanceOf(MessageError);
    expect(got.seen[0]).toMatchObject({ note: "Practise scales.", lesson: "Message Test Class" });
    expect(got.unseen).toEqual([]);
    expect(got.withdrawn).toEqual([]);
  });

  it("of a lesson's dates before a child enrolled are not shown to that child's family", async () => {
    const db = await harmony();
    const got = await rolledBack(db, async (tx) => {
      const f = await fixture(tx);
      const meeting = (day: string) =>
        tx.lessonOccurrence.create({
          data: { lessonId: f.lesson.id, startsAt: new Date(`${day}T16:00:00Z`), endsAt: new Date(`${day}T17:00:00Z`), instructorId: f.teacher.id },
          select: { id: true },
        });
      const before = await meeting("2026-12-01");
      const after = await meeting("2026-12-08");
      await shareFamilyNote(tx, { occurrenceId: before.id, teacherId: f.teacher.id, note: "Before Lou joined.", now });
      await shareFamilyNote(tx, { occurrenceId: after.id, teacherId: f.teacher.id, note: "Lou's first lesson.", now });
      // Lou joined the class between the two dates.
      const lou = await tx.user.create({ data: { email: "kid.lou@students.harmony.invalid", firstName: "Lou", lastName: "Late", role: "STUDENT" }, select: { id: true } });
      const student = await tx.student.create({ data: { userId: lou.id }, select: { id: true } });
      await tx.enrollment.create({ data: { lessonId: f.lesson.id, studentId: student.id, status: "ACTIVE", enrolledAt: new Date("2026-12-04T12:00:00Z") } });
      const early = await tx.student.findMany({ where: { enrollments: { some: { lessonId: f.lesson.id, enrolledAt: { lt: new Date("2026-12-01T00:00:00Z") } } } }, select: { id: true } });
      const mine = (notes: { id: string; note: string }[]) => notes.filter((n) => n.id === before.id || n.id === after.id).map((n) => n.note);
      return { late: mine(await sharedNotesFor(tx, [student.id])), early: mine(await sharedNotesFor(tx, early.map((s) => s.id))) };
    });
    expect(got.late).toEqual(["Lou's first lesson."]);
    expect(got.early).toEqual(["Lou's first lesson.", "Before Lou joined."]);
  });
});
