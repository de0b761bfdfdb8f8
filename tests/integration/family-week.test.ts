// A family's schedule (familyWeek) against the real database: a child's class shows
// from the day they joined it, never a meeting that was over before they enrolled,
// and a meeting is said to be a child's only from the day that child joined.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { familyWeek } from "../../app/models/calendar.server";
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
    return { parentId: parent.id, familyId: family.id, lessonId: lesson.id };
  });
  /** A child of the family, enrolled in the class at `enrolledAt`. */
  const child = (tx: Tx, firstName: string, enrolledAt: Date) =>
    tx.user
      .create({ data: { email: `${firstName.toLowerCase()}@${slug}.invalid`, firstName, lastName: "Parent", role: "STUDENT", familyGroupId: base.familyId }, select: { id: true } })
      .then((u) => tx.student.create({ data: { userId: u.id }, select: { id: true } }))
      .then((s) => tx.enrollment.create({ data: { lessonId: base.lessonId, studentId: s.id, status: "ACTIVE", enrolledAt }, select: { studentId: true } }));
  const week = () => db.run((tx) => familyWeek(tx, { accountId: base.parentId, timeZone: "Europe/London", from: new Date("2031-01-06T00:00:00Z"), to: new Date("2031-01-27T00:00:00Z") }));
  return { db, child, week };
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
