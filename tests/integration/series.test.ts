// Creating lesson series against the real database: every kind of clash is
// refused with a message naming it, a weekly series keeps its local time across a
// daylight-saving change, and when two admins book the same room at once the
// database's exclusion constraint lets exactly one of them win.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDateTimeToUtc, toLocalParts } from "../../app/domain/time";
import { createLessonSeries, SchedulingConflictError, SchedulingInputError, type SeriesInput } from "../../app/models/scheduling.server";
import type { SchoolDb } from "../../server/db/school-db.server";
import { schoolId, testServices } from "../support/services";

// "Now" for the models that depend on the day, passed explicitly (the seed was made relative to the real clock).
const NOW = new Date();

const services = testServices();
const TZ = "America/New_York";
const tag = `ser${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
let db: SchoolDb;

/** Our own place and teachers, so nothing else in the school (or another test) is in the way. */
let fx: {
  locationId: string;
  locationName: string;
  big: { id: string; name: string };
  small: { id: string; name: string };
  free: { id: string; name: string };
  anna: { id: string; name: string };
  ben: { id: string; name: string };
  cara: { id: string; name: string };
};

beforeAll(async () => {
  db = services.platform.schoolDb(await schoolId(services, "harmony"));
  fx = await db.run(async (tx) => {
    const locationName = `Test Hall ${tag}`;
    const location = await tx.location.create({ data: { name: locationName }, select: { id: true } });
    const room = async (name: string, capacity: number) => ({ id: (await tx.room.create({ data: { name, capacity, locationId: location.id }, select: { id: true } })).id, name });
    const teacher = async (firstName: string, lastName: string) => {
      const u = await tx.user.create({ data: { email: `${firstName}.${tag}@teachers.example.test`.toLowerCase(), firstName, lastName, role: "TEACHER" }, select: { id: true } });
      return { id: u.id, name: `${firstName} ${lastName}` };
    };
    const fx = {
      locationId: location.id,
      locationName,
      big: await room(`Big Room ${tag}`, 20),
      small: await room(`Small Room ${tag}`, 2),
      free: await room(`Race Room ${tag}`, 10),
      anna: await teacher("Anna", `Alder${tag}`),
      ben: await teacher("Ben", `Birch${tag}`),
      cara: await teacher("Cara", `Cedar${tag}`),
    };
    // Anna and Ben teach any day 08:00–21:00; Cara only on Tuesdays 14:00–19:00.
    await tx.teacherAvailability.createMany({
      data: [
        ...[0, 1, 2, 3, 4, 5, 6].flatMap((dayOfWeek) => [fx.anna.id, fx.ben.id].map((teacherId) => ({ teacherId, dayOfWeek, startTime: "08:00", endTime: "21:00" }))),
        { teacherId: fx.cara.id, dayOfWeek: 2, startTime: "14:00", endTime: "19:00", locationId: location.id },
      ],
    });
    // Ben is away on Tue 1 Jun 2027; the hall is shut on Tue 8 Jun 2027.
    await tx.teacherTimeOff.create({
      data: { teacherId: fx.ben.id, startsAt: localDateTimeToUtc("2027-06-01", "00:00", TZ), endsAt: localDateTimeToUtc("2027-06-02", "00:00", TZ), reason: "Dentist" },
    });
    await tx.closure.create({ data: { name: `Floor polishing ${tag}`, startDate: "2027-06-08", endDate: "2027-06-08", locationId: location.id } });
    return fx;
  });
  // The series everything else clashes with: Anna, Big Room, Tuesdays 16:00 in May 2027.
  await db.run((tx) => createLessonSeries(tx, TZ, series({ title: `Piano Foundation ${tag}`, firstDate: "2027-05-04", endDate: "2027-05-25" }), NOW));
});
afterAll(() => services.close());

function series(over: Partial<SeriesInput> = {}): SeriesInput {
  return {
    title: `Series ${tag}`,
    type: "GROUP",
    instrument: "Piano",
    instructorId: fx.anna.id,
    locationId: fx.locationId,
    roomId: fx.big.id,
    firstDate: "2027-05-04",
    startTime: "16:00",
    durationMinutes: 45,
    recurrence: "WEEKLY",
    endDate: null,
    maxStudents: 8,
    ...over,
  };
}

/** The conflict messages of a refused series (fails the test if it was accepted). */
async function refused(input: SeriesInput): Promise<string[]> {
  try {
    await db.run((tx) => createLessonSeries(tx, TZ, input, NOW));
  } catch (error) {
    expect(error).toBeInstanceOf(SchedulingConflictError);
    return (error as SchedulingConflictError).conflicts.map((c) => c.message);
  }
  throw new Error("the series was accepted");
}

describe("createLessonSeries refuses clashes, naming them", () => {
  it("the teacher is already teaching then", async () => {
    const messages = await refused(series({ title: `Theory ${tag}`, roomId: fx.small.id, maxStudents: 2, firstDate: "2027-05-11", endDate: "2027-05-11" }));
    expect(messages).toContain(`${fx.anna.name} is already teaching Piano Foundation ${tag} in ${fx.big.name} at 4:00 PM on Tue, May 11`);
  });

  it("the room is already booked then", async () => {
    const messages = await refused(series({ title: `Guitar ${tag}`, instructorId: fx.ben.id, firstDate: "2027-05-18", startTime: "16:30", endDate: "2027-05-25" }));
    expect(messages).toEqual([
      `${fx.big.name} is already booked for Piano Foundation ${tag} at 4:00 PM on Tue, May 18`,
      `${fx.big.name} is already booked for Piano Foundation ${tag} at 4:00 PM on Tue, May 25`,
    ]);
  });

  it("the class is larger than the room", async () => {
    const messages = await refused(series({ title: `Big class ${tag}`, instructorId: fx.ben.id, roomId: fx.small.id, maxStudents: 5, firstDate: "2027-05-05", recurrence: "ONCE" }));
    expect(messages).toEqual([`${fx.small.name} holds 2 students; this class allows 5`]);
  });

  it("the teacher is not available then", async () => {
    const messages = await refused(series({ title: `Wednesday ${tag}`, instructorId: fx.cara.id, roomId: fx.small.id, maxStudents: 2, firstDate: "2027-05-05", recurrence: "ONCE" }));
    expect(messages).toEqual([`${fx.cara.name} is not available on Wednesdays 4:00 PM–4:45 PM`]);
  });

  it("the teacher is on time off", async () => {
    const messages = await refused(series({ title: `Away ${tag}`, instructorId: fx.ben.id, roomId: fx.small.id, maxStudents: 2, firstDate: "2027-06-01", recurrence: "ONCE" }));
    expect(messages).toEqual([`${fx.ben.name} is on time off on Jun 1, 2027`]);
  });

  it("the place is closed: a one-off on that day is refused, a weekly series skips it", async () => {
    // A one-off on a closed day has no date left: refused, naming the closure.
    const messages = await refused(series({ title: `Closed ${tag}`, instructorId: fx.ben.id, roomId: fx.small.id, maxStudents: 2, firstDate: "2027-06-08", recurrence: "ONCE" }));
    expect(messages).toEqual([expect.stringMatching(/is closed on Jun 8, 2027 \(Floor polishing/)]);
    const weekly = await db.run((tx) =>
      createLessonSeries(tx, TZ, series({ title: `Around the closure ${tag}`, instructorId: fx.anna.id, roomId: fx.small.id, maxStudents: 2, firstDate: "2027-06-01", startTime: "09:00", endDate: "2027-06-15" }), NOW),
    );
    const dates = await db.run((tx) => tx.lessonOccurrence.findMany({ where: { lessonId: weekly.lesson.id }, orderBy: { startsAt: "asc" }, select: { startsAt: true } }));
    expect(dates.map((d) => toLocalParts(d.startsAt, TZ).date)).toEqual(["2027-06-01", "2027-06-15"]);
  });

  it("writes nothing when refused", async () => {
    const title = `Refused ${tag}`;
    await refused(series({ title, roomId: fx.small.id, maxStudents: 2, firstDate: "2027-05-11", endDate: "2027-05-11" }));
    expect(await db.run((tx) => tx.lesson.count({ where: { title } }))).toBe(0);
  });
});

describe("a weekly series across the end of daylight saving time (Sun 1 Nov 2026)", () => {
  it("stays at 16:00 local: its UTC time moves by an hour", async () => {
    const created = await db.run((tx) =>
      createLessonSeries(tx, TZ, series({ title: `DST ${tag}`, instructorId: fx.ben.id, roomId: fx.free.id, firstDate: "2026-10-20", endDate: "2026-11-10" }), NOW),
    );
    expect(created.occurrenceCount).toBe(4);
    const occurrences = await db.run((tx) => tx.lessonOccurrence.findMany({ where: { lessonId: created.lesson.id }, orderBy: { startsAt: "asc" }, select: { startsAt: true, endsAt: true } }));
    expect(occurrences.map((o) => toLocalParts(o.startsAt, TZ).date)).toEqual(["2026-10-20", "2026-10-27", "2026-11-03", "2026-11-10"]);
    expect(occurrences.map((o) => toLocalParts(o.startsAt, TZ).minutes)).toEqual([960, 960, 960, 960]);
    expect(occurrences.map((o) => o.startsAt.toISOString())).toEqual([
      "2026-10-20T20:00:00.000Z", // EDT, UTC-4
      "2026-10-27T20:00:00.000Z",
      "2026-11-03T21:00:00.000Z", // EST, UTC-5
      "2026-11-10T21:00:00.000Z",
    ]);
    expect(occurrences.every((o) => o.endsAt.getTime() - o.startsAt.getTime() === 45 * 60_000)).toBe(true);
  });
});

describe("two admins book the same room at the same time", () => {
  it("exactly one wins; the database's constraint refuses the other with a SchedulingConflictError", async () => {
    // Both transactions start together at one barrier and each holds its transaction
    // open a moment after writing: the application's own conflict check passes for
    // both (neither sees the other's uncommitted row), so only the database's
    // exclusion constraint can refuse the second.
    for (const [i, date] of ["2027-06-14", "2027-06-15"].entries()) {
      let arrived = 0;
      let release!: () => void;
      const bothIn = new Promise<void>((resolve) => (release = resolve));
      const attempt = (teacher: { id: string }, who: string) =>
        db.run(async (tx) => {
          if (++arrived === 2) release();
          await bothIn;
          const created = await createLessonSeries(
            tx,
            TZ,
            series({ title: `Race ${i} ${who} ${tag}`, instructorId: teacher.id, roomId: fx.free.id, firstDate: date, startTime: "18:00", recurrence: "ONCE" }), NOW,
          );
          await new Promise((r) => setTimeout(r, 400));
          return created;
        });
      const results = await Promise.allSettled([attempt(fx.anna, "Anna"), attempt(fx.ben, "Ben")]);
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]!.reason).toBeInstanceOf(SchedulingConflictError);
      expect((lost[0]!.reason as Error).message).toMatch(/Someone else just booked/);
      const booked = await db.run((tx) =>
        tx.lessonOccurrence.count({ where: { roomId: fx.free.id, status: "SCHEDULED", startsAt: localDateTimeToUtc(date, "18:00", TZ) } }),
      );
      expect(booked).toBe(1);
    }
  });
});
