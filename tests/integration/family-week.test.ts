// A family's schedule (familyWeek) against the real database: a child's class shows
// from the day they joined it, never a meeting that was over before they enrolled,
// and a meeting is said to be a child's only from the day that child joined.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { familyWeek } from "../../app/models/calendar.server";
import { nextMeetings } from "../../app/models/family.server";
import type { Tx } from "../../server/db/school-db.server";
import { testServices } from "../support/services";

const services = testServices();
afterAll(() => services.close());

const WEEK = 7 * 86_400_000;
const FIRST = new Date("2031-01-07T16:00:00Z"); // three Tuesdays: 7, 14 and 21 January
const STARTS = [0, 1, 2].map((i) => new Date(FIRST.getTime() + i * WEEK));

/** A school of its own with a parent, their family, and a weekly class meeting on the three Tuesdays. */
async function familySchool() {
  const slug = `famweek-${randomUUID().slice(0, 8)}`;
  const school = await services.platform.createSchool(null, { name: "Family Week School", slug, email: `office@${slug}.test`, timezone: "Europe/London", currency: "GBP" });
  const db = services.platform.schoolDb(school.id);
  const base = await db.run(async (tx) => {
    const teacher = await tx.user.create({ data: { email: `t@${slug}.test`, firstName: "Tess", lastName: "Teacher", role: "TEACHER", passwordHash: "x" }, select: { id: true } });
    const parent = await tx.user.create({ data: { email: `p@${slug}.test`, firstName: "Pat", lastName: "Parent", role: "PARENT", passwordHash: "x" }, select: { id: true } });
    const family = await tx.familyGroup.create({ data: { name: "Parent family", adminId: parent.id }, select: { id: true } });
    await tx.user.update({ where: { id: parent.id }, data: { familyGroupId: family.id } });
    const lesson = await tx.lesson.create({
      data: { title: "Tuesday Strings", type: "GROUP", instructorId: teacher.id, startTime: FIRST, endTime: new Date(FIRST.getTime() + 3_600_000), duration: 60, recurrence: "WEEKLY", maxStudents: 8 },
      select: { id: true },
    });
    for (const startsAt of STARTS) {
      await tx.lessonOccurrence.create({ data: { lessonId: lesson.id, startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000), instructorId: teacher.id } });
    }
    return { parentId: parent.id, familyId: family.id, lessonId: lesson.id, teacherId: teacher.id };
  });
  /** A child of the family, enrolled in the class at `enrolledAt`. */
  const child = (tx: Tx, firstName: string, enrolledAt: Date) =>
    tx.user
      .create({ data: { email: `${firstName.toLowerCase()}@${slug}.invalid`, firstName, lastName: "Parent", role: "STUDENT", familyGroupId: base.familyId }, select: { id: true } })
      .then((u) => tx.student.create({ data: { userId: u.id }, select: { id: true } }))
      .then((s) => tx.enrollment.create({ data: { lessonId: base.lessonId, studentId: s.id, status: "ACTIVE", enrolledAt }, select: { studentId: true } }));
  const week = () => db.run((tx) => familyWeek(tx, { accountId: base.parentId, timeZone: "Europe/London", from: new Date("2031-01-06T00:00:00Z"), to: new Date("2031-01-27T00:00:00Z") }));
  return { db, child, week, base };
}

describe("a family's schedule", () => {
  it("shows a class from the child's enrollment on, not the meetings before it", async () => {
    const { db, child, week } = await familySchool();
    // Kit joined on the Monday before the second meeting.
    await db.run((tx) => child(tx, "Kit", new Date("2031-01-13T10:00:00Z")));
    const got = await week();
    expect(got.occurrences.map((o) => o.startsAt.toISOString())).toEqual([STARTS[1]!.toISOString(), STARTS[2]!.toISOString()]);
  });

  it("says a meeting is a child's only from the day that child enrolled", async () => {
    const { db, child, week } = await familySchool();
    // Ada has been in the class since December; Kit joined before the second meeting.
    await db.run(async (tx) => {
      await child(tx, "Ada", new Date("2030-12-01T10:00:00Z"));
      await child(tx, "Kit", new Date("2031-01-13T10:00:00Z"));
    });
    const got = await week();
    const firstName = new Map(got.students.map((s) => [s.id, s.user.firstName]));
    const forWhom = got.occurrences.map((o) => [
      o.startsAt.toISOString(),
      got.enrollments
        .filter((e) => e.occurrenceId === o.id)
        .map((e) => firstName.get(e.studentId))
        .sort(),
    ]);
    expect(forWhom).toEqual([
      [STARTS[0]!.toISOString(), ["Ada"]],
      [STARTS[1]!.toISOString(), ["Ada", "Kit"]],
      [STARTS[2]!.toISOString(), ["Ada", "Kit"]],
    ]);
  });
});

describe("each child's next meetings (the family home)", () => {
  it("lists a child's classes, 1-on-1 sessions and make-up visits in time order, nothing cancelled, past or another child's", async () => {
    const { db, child, base } = await familySchool();
    const HOUR = 3_600_000;
    const got = await db.run(async (tx) => {
      const kit = (await child(tx, "Kit", new Date("2030-12-01T10:00:00Z"))).studentId;
      const ada = (await child(tx, "Ada", new Date("2030-12-01T10:00:00Z"))).studentId;
      // Kit's class meets on the three Tuesdays; the first is cancelled.
      await tx.lessonOccurrence.updateMany({ where: { lessonId: base.lessonId, startsAt: STARTS[0]! }, data: { status: "CANCELLED" } });
      // Ada leaves the class; she has a 1-on-1 session on the Wednesday and a make-up seat in another class on the Thursday.
      await tx.enrollment.updateMany({ where: { studentId: ada }, data: { status: "DROPPED" } });
      await tx.lessonOccurrence.create({
        data: { lessonId: base.lessonId, kind: "INDIVIDUAL_SESSION", studentId: ada, startsAt: new Date(STARTS[0]!.getTime() + 24 * HOUR), endsAt: new Date(STARTS[0]!.getTime() + 24.5 * HOUR), instructorId: base.teacherId },
      });
      const other = await tx.lesson.create({
        data: { title: "Thursday Choir", type: "GROUP", instructorId: base.teacherId, startTime: FIRST, endTime: new Date(FIRST.getTime() + HOUR), duration: 60, recurrence: "WEEKLY", maxStudents: 8 },
        select: { id: true },
      });
      const visit = await tx.lessonOccurrence.create({
        data: { lessonId: other.id, startsAt: new Date(STARTS[0]!.getTime() + 48 * HOUR), endsAt: new Date(STARTS[0]!.getTime() + 49 * HOUR), instructorId: base.teacherId },
        select: { id: true },
      });
      await tx.occurrenceGuest.create({ data: { occurrenceId: visit.id, studentId: ada } });
      // A meeting of the choir Ada is not a guest at.
      await tx.lessonOccurrence.create({ data: { lessonId: other.id, startsAt: new Date(STARTS[0]!.getTime() + 72 * HOUR), endsAt: new Date(STARTS[0]!.getTime() + 73 * HOUR), instructorId: base.teacherId } });
      const from = new Date(STARTS[0]!.getTime() - HOUR);
      return { kit, ada, all: await nextMeetings(tx, [kit, ada], from, 3), two: await nextMeetings(tx, [kit], from, 1), later: await nextMeetings(tx, [kit, ada], new Date(STARTS[1]!.getTime() + 1), 3) };
    });
    const at = (list: { startsAt: Date; title: string; kind: string }[] | undefined) => (list ?? []).map((m) => [m.startsAt.toISOString(), m.title, m.kind]);
    expect(at(got.all.get(got.kit))).toEqual([
      [STARTS[1]!.toISOString(), "Tuesday Strings", "LESSON"],
      [STARTS[2]!.toISOString(), "Tuesday Strings", "LESSON"],
    ]);
    expect(at(got.all.get(got.ada))).toEqual([
      ["2031-01-08T16:00:00.000Z", "Tuesday Strings", "INDIVIDUAL_SESSION"],
      ["2031-01-09T16:00:00.000Z", "Thursday Choir", "LESSON"],
    ]);
    expect(at(got.two.get(got.kit))).toEqual([[STARTS[1]!.toISOString(), "Tuesday Strings", "LESSON"]]);
    expect(at(got.later.get(got.kit))).toEqual([[STARTS[2]!.toISOString(), "Tuesday Strings", "LESSON"]]);
    expect(got.later.get(got.ada)).toBeUndefined();
  });
});
