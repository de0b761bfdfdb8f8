// A family's schedule (familyWeek) against the real database: a child's class shows
// from the day they joined it, never a meeting that was over before they enrolled.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { familyWeek } from "../../app/models/calendar.server";
import { testServices } from "../support/services";

const services = testServices();
afterAll(() => services.close());

const WEEK = 7 * 86_400_000;

describe("a family's schedule", () => {
  it("shows a class from the child's enrollment on, not the meetings before it", async () => {
    const slug = `famweek-${randomUUID().slice(0, 8)}`;
    const school = await services.platform.createSchool(null, { name: "Family Week School", slug, email: `office@${slug}.test`, timezone: "Europe/London", currency: "GBP" });
    const db = services.platform.schoolDb(school.id);
    const first = new Date("2031-01-07T16:00:00Z"); // three Tuesdays: 7, 14 and 21 January
    const { parentId, starts } = await db.run(async (tx) => {
      const teacher = await tx.user.create({ data: { email: `t@${slug}.test`, firstName: "Tess", lastName: "Teacher", role: "TEACHER", passwordHash: "x" }, select: { id: true } });
      const parent = await tx.user.create({ data: { email: `p@${slug}.test`, firstName: "Pat", lastName: "Parent", role: "PARENT", passwordHash: "x" }, select: { id: true } });
      const family = await tx.familyGroup.create({ data: { name: "Parent family", adminId: parent.id }, select: { id: true } });
      await tx.user.update({ where: { id: parent.id }, data: { familyGroupId: family.id } });
      const childUser = await tx.user.create({ data: { email: `kit@${slug}.invalid`, firstName: "Kit", lastName: "Parent", role: "STUDENT", familyGroupId: family.id }, select: { id: true } });
      const child = await tx.student.create({ data: { userId: childUser.id }, select: { id: true } });
      const lesson = await tx.lesson.create({
        data: { title: "Tuesday Strings", type: "GROUP", instructorId: teacher.id, startTime: first, endTime: new Date(first.getTime() + 3_600_000), duration: 60, recurrence: "WEEKLY", maxStudents: 8 },
        select: { id: true },
      });
      const starts = [0, 1, 2].map((i) => new Date(first.getTime() + i * WEEK));
      for (const startsAt of starts) {
        await tx.lessonOccurrence.create({ data: { lessonId: lesson.id, startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000), instructorId: teacher.id } });
      }
      // Kit joined on the Monday before the second meeting.
      await tx.enrollment.create({ data: { lessonId: lesson.id, studentId: child.id, status: "ACTIVE", enrolledAt: new Date("2031-01-13T10:00:00Z") } });
      return { parentId: parent.id, starts };
    });
    const week = await db.run((tx) => familyWeek(tx, { accountId: parentId, timeZone: "Europe/London", from: new Date("2031-01-06T00:00:00Z"), to: new Date("2031-01-27T00:00:00Z") }));
    expect(week.occurrences.map((o) => o.startsAt.toISOString())).toEqual([starts[1]!.toISOString(), starts[2]!.toISOString()]);
  });
});
