// The calendar's hand-written query against the ORM as an oracle, on the demo data.
import { afterAll, describe, expect, it } from "vitest";
import { calendarOccurrences } from "../../app/models/calendar.server";
import { schoolId, testServices } from "../support/services";

const services = testServices();
afterAll(() => services.close());

describe("calendarOccurrences", () => {
  it("returns exactly what the ORM finds for a week, with instants intact", async () => {
    const db = services.platform.schoolDb(await schoolId(services, "harmony"));
    const from = new Date("2026-12-07T05:00:00Z"); // Mon 7 Dec 2026, 00:00 in New York
    const to = new Date("2026-12-14T05:00:00Z");
    const [raw, orm] = await db.run(async (tx) => [
      await calendarOccurrences(tx, from, to),
      await tx.lessonOccurrence.findMany({
        where: { startsAt: { gte: from, lt: to }, status: { in: ["SCHEDULED", "COMPLETED"] } },
        orderBy: [{ startsAt: "asc" }, { id: "asc" }],
        select: { id: true, startsAt: true, endsAt: true, lesson: { select: { title: true, _count: { select: { enrollments: { where: { status: "ACTIVE" } } } } } }, instructor: { select: { lastName: true } }, room: { select: { name: true } } },
      }),
    ]);
    expect(orm.length).toBeGreaterThan(5);
    expect(
      raw.map((o) => ({ id: o.id, startsAt: o.startsAt.toISOString(), endsAt: o.endsAt.toISOString(), title: o.lesson.title, n: o.lesson._count.enrollments, t: o.instructor.lastName, r: o.room?.name ?? null })),
    ).toEqual(
      orm.map((o) => ({ id: o.id, startsAt: o.startsAt.toISOString(), endsAt: o.endsAt.toISOString(), title: o.lesson.title, n: o.lesson._count.enrollments, t: o.instructor.lastName, r: o.room?.name ?? null })),
    );
  });

  it("filters by teacher, room type and student, and sees make-up guests", async () => {
    const db = services.platform.schoolDb(await schoolId(services, "harmony"));
    const from = new Date("2026-09-01T00:00:00Z");
    const to = new Date("2027-01-01T00:00:00Z");
    await db.run(async (tx) => {
      const guest = await tx.occurrenceGuest.findFirstOrThrow({ select: { studentId: true, occurrenceId: true } });
      const mine = await calendarOccurrences(tx, from, to, { studentIds: [guest.studentId] });
      expect(mine.map((o) => o.id)).toContain(guest.occurrenceId);
      const teacher = await tx.user.findFirstOrThrow({ where: { email: "sarah.johnson@harmony.test" }, select: { id: true } });
      const hers = await calendarOccurrences(tx, from, to, { teacherId: teacher.id });
      expect(hers.length).toBeGreaterThan(0);
      expect(hers.every((o) => o.instructorId === teacher.id)).toBe(true);
      const groups = await calendarOccurrences(tx, from, to, { type: "GROUP" });
      expect(groups.length).toBeGreaterThan(0);
      expect(groups.every((o) => o.lesson.type === "GROUP")).toBe(true);
      expect(await calendarOccurrences(tx, from, to, { studentIds: [] })).toEqual([]);
    });
  });

  it("gives the same rows when told the school's id, and none for another school's", async () => {
    const harmony = await schoolId(services, "harmony");
    const riverside = await schoolId(services, "riverside");
    const db = services.platform.schoolDb(harmony);
    const from = new Date("2026-09-01T00:00:00Z");
    const to = new Date("2027-01-01T00:00:00Z");
    const [plain, told, other] = await db.run(async (tx) => [
      await calendarOccurrences(tx, from, to, { includeCancelled: true }),
      await calendarOccurrences(tx, from, to, { includeCancelled: true, schoolId: harmony }),
      await calendarOccurrences(tx, from, to, { includeCancelled: true, schoolId: riverside }),
    ]);
    expect(plain.length).toBeGreaterThan(20);
    expect(told).toEqual(plain);
    expect(other).toEqual([]);
  });
});
