// Moving lesson dates against the real database, as the calendar does: a clash is
// refused with a message naming the other lesson, the THIS / FOLLOWING / ALL scopes
// change exactly the right rows, and when two admins drag different lessons into the
// same room at the same time, the exclusion constraint lets exactly one of them win.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, formatLocalTime, toLocalDate } from "../../app/domain/time";
import {
  cancelOccurrence,
  createLessonSeries,
  editOccurrences,
  SchedulingConflictError,
  type SeriesInput,
} from "../../app/models/scheduling.server";
import type { SchoolDb, Tx } from "../../server/db/school-db.server";
import { schoolId, testServices } from "../support/services";

// "Now" for the models that depend on the day, passed explicitly (the seed was made relative to the real clock).
const NOW = new Date();

const services = testServices();
const TZ = "America/New_York";
const tag = `cal${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
let db: SchoolDb;

type Named = { id: string; name: string };
/** Our own place, rooms and teachers (no availability rows: free any time), so no other test is in the way. */
let fx: { locationId: string; rooms: Named[]; teachers: Named[] };

beforeAll(async () => {
  db = services.platform.schoolDb(await schoolId(services, "harmony"));
  const school = await services.platform.findSchool({ slug: "harmony" });
  expect(school?.timezone).toBe(TZ);
  fx = await db.run(async (tx) => {
    const location = await tx.location.create({ data: { name: `Calendar Test Hall ${tag}` }, select: { id: true } });
    const rooms: Named[] = [];
    for (let i = 1; i <= 8; i++) {
      const name = `Cal Room ${i} ${tag}`;
      rooms.push({ id: (await tx.room.create({ data: { name, capacity: 10, locationId: location.id }, select: { id: true } })).id, name });
    }
    const teachers: Named[] = [];
    for (const [i, first] of ["Ada", "Bo", "Cy", "Di", "Ed", "Flo"].entries()) {
      const lastName = `Mover${i}${tag}`;
      const u = await tx.user.create({ data: { email: `${first}.${tag}@cal-teachers.example.test`.toLowerCase(), firstName: first, lastName, role: "TEACHER" }, select: { id: true } });
      teachers.push({ id: u.id, name: `${first} ${lastName}` });
    }
    return { locationId: location.id, rooms, teachers };
  });
});

afterAll(() => services.close());

const room = (i: number) => fx.rooms[i - 1]!;
const teacher = (i: number) => fx.teachers[i - 1]!;

/** A weekly series in June 2027 (4 dates from `firstDate` unless `endDate` says otherwise). */
async function series(title: string, t: Named, r: Named, firstDate: string, startTime: string, extra: Partial<SeriesInput> = {}) {
  const input: SeriesInput = {
    title: `${title} ${tag}`,
    type: "GROUP",
    instructorId: t.id,
    locationId: fx.locationId,
    roomId: r.id,
    firstDate,
    startTime,
    durationMinutes: 60,
    recurrence: "WEEKLY",
    endDate: addDays(firstDate, 21),
    maxStudents: 4,
    ...extra,
  };
  const created = await db.run((tx) => createLessonSeries(tx, TZ, input, NOW));
  const occurrences = await db.run((tx) => datesOf(tx, created.lesson.id));
  return { id: created.lesson.id, title: input.title, occurrences };
}

function datesOf(tx: Tx, lessonId: string) {
  return tx.lessonOccurrence.findMany({
    where: { lessonId },
    orderBy: { startsAt: "asc" },
    select: { id: true, startsAt: true, endsAt: true, status: true, roomId: true, instructorId: true },
  });
}

/** "yyyy-MM-dd HH:mm+minutes" of each date of a series, in the school's zone. */
async function shape(lessonId: string) {
  const rows = await db.run((tx) => datesOf(tx, lessonId));
  return rows.map((o) => `${toLocalDate(o.startsAt, TZ)} ${formatLocalTime(o.startsAt, TZ)}+${(o.endsAt.getTime() - o.startsAt.getTime()) / 60_000}`);
}

async function refusal(work: () => Promise<unknown>): Promise<SchedulingConflictError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof SchedulingConflictError) return error;
    throw error;
  }
  throw new Error("expected a SchedulingConflictError, but the move went through");
}

describe("moving a date onto a clash", () => {
  it("refuses the teacher's other lesson, naming it, and changes nothing", async () => {
    const a = await series("Theory A", teacher(1), room(1), "2027-06-07", "16:00");
    const b = await series("Theory B", teacher(1), room(2), "2027-06-07", "18:00");
    const before = await shape(b.id);
    const error = await refusal(() =>
      db.run((tx) => editOccurrences(tx, TZ, { occurrenceId: b.occurrences[0]!.id, scope: "THIS", change: { startTime: "16:30" } }, NOW)),
    );
    expect(error.message).toContain(`${teacher(1).name} is already teaching ${a.title}`);
    expect(error.conflicts.map((c) => c.kind)).toContain("TEACHER_DOUBLE_BOOKED");
    expect(await shape(b.id)).toEqual(before);
  });

  it("refuses a room taken by another lesson, naming the room and the lesson", async () => {
    const a = await series("Choir C", teacher(2), room(3), "2027-06-08", "16:00");
    const c = await series("Choir D", teacher(3), room(4), "2027-06-08", "18:00");
    // Dragged to Tuesday 16:15 in room 3, where Choir C meets.
    const error = await refusal(() =>
      db.run((tx) => editOccurrences(tx, TZ, { occurrenceId: c.occurrences[1]!.id, scope: "THIS", change: { startTime: "16:15", roomId: room(3).id } }, NOW)),
    );
    expect(error.conflicts.map((x) => x.message)).toContain(`${room(3).name} is already booked for ${a.title} at 4:00 PM on Tue, Jun 15`);
    const rows = await db.run((tx) => datesOf(tx, c.id));
    expect(rows.every((o) => o.roomId === room(4).id && formatLocalTime(o.startsAt, TZ) === "18:00")).toBe(true);
  });

  it("lets a date move to another day (shiftDays) when the slot is free", async () => {
    const s = await series("Duo E", teacher(4), room(5), "2027-06-07", "09:00");
    await db.run((tx) => editOccurrences(tx, TZ, { occurrenceId: s.occurrences[0]!.id, scope: "THIS", change: { shiftDays: 2, startTime: "13:15" } }, NOW));
    expect(await shape(s.id)).toEqual(["2027-06-09 13:15+60", "2027-06-14 09:00+60", "2027-06-21 09:00+60", "2027-06-28 09:00+60"]);
  });
});

describe("edit scopes", () => {
  it("THIS, FOLLOWING and ALL change the right rows, never cancelled ones", async () => {
    const s = await series("Scopes F", teacher(5), room(6), "2027-06-08", "10:00");
    const [d1, d2, d3, d4] = s.occurrences;
    const run = (occurrenceId: string, scope: "THIS" | "FOLLOWING" | "ALL", change: Parameters<typeof editOccurrences>[2]["change"]) =>
      db.run((tx) => editOccurrences(tx, TZ, { occurrenceId, scope, change }, NOW));

    // THIS: only the second date.
    let result = await run(d2!.id, "THIS", { startTime: "11:00" });
    expect(result.updated.map((u) => u.id)).toEqual([d2!.id]);
    expect(await shape(s.id)).toEqual(["2027-06-08 10:00+60", "2027-06-15 11:00+60", "2027-06-22 10:00+60", "2027-06-29 10:00+60"]);

    // FOLLOWING from the third: the third and fourth; the second keeps its own time.
    result = await run(d3!.id, "FOLLOWING", { startTime: "12:00" });
    expect(result.updated.map((u) => u.id)).toEqual([d3!.id, d4!.id]);
    expect(await shape(s.id)).toEqual(["2027-06-08 10:00+60", "2027-06-15 11:00+60", "2027-06-22 12:00+60", "2027-06-29 12:00+60"]);

    // ALL, with the last date cancelled: three dates get 45 minutes, each keeps its time.
    await db.run((tx) => cancelOccurrence(tx, d4!.id, "SCHOOL", "Room repairs"));
    result = await run(d1!.id, "ALL", { durationMinutes: 45 });
    expect(result.updated.map((u) => u.id).sort()).toEqual([d1!.id, d2!.id, d3!.id].sort());
    expect(await shape(s.id)).toEqual(["2027-06-08 10:00+45", "2027-06-15 11:00+45", "2027-06-22 12:00+45", "2027-06-29 12:00+60"]);
    const lesson = await db.run((tx) => tx.lesson.findUniqueOrThrow({ where: { id: s.id }, select: { duration: true } }));
    expect(lesson.duration).toBe(45);

    // FOLLOWING from the second with a new room and one day later: second and third move, the first stays.
    result = await run(d2!.id, "FOLLOWING", { shiftDays: 1, roomId: room(7).id });
    expect(result.updated.map((u) => u.id)).toEqual([d2!.id, d3!.id]);
    expect(await shape(s.id)).toEqual(["2027-06-08 10:00+45", "2027-06-16 11:00+45", "2027-06-23 12:00+45", "2027-06-29 12:00+60"]);
    const rows = await db.run((tx) => datesOf(tx, s.id));
    expect(rows.map((o) => [o.roomId === room(7).id, o.status])).toEqual([
      [false, "SCHEDULED"],
      [true, "SCHEDULED"],
      [true, "SCHEDULED"],
      [false, "CANCELLED"],
    ]);
  });
});

describe("two admins moving at once", () => {
  it("two different dates dropped into the same room and time: exactly one moves", async () => {
    const g = await series("Race G", teacher(5), room(1), "2027-06-10", "09:00", { recurrence: "ONCE" });
    const h = await series("Race H", teacher(6), room(2), "2027-06-10", "11:00", { recurrence: "ONCE" });
    const target = room(8);

    // Both transactions read the calendar before either writes, and each holds its
    // transaction open a moment after writing: the application's own check passes
    // for both, so only the database's exclusion constraint can refuse the second.
    let arrived = 0;
    let release!: () => void;
    const bothIn = new Promise<void>((resolve) => (release = resolve));
    const move = (occurrenceId: string) =>
      db.run(async (tx) => {
        if (++arrived === 2) release();
        await bothIn;
        const result = await editOccurrences(tx, TZ, { occurrenceId, scope: "THIS", change: { startTime: "14:00", roomId: target.id } }, NOW);
        await new Promise((r) => setTimeout(r, 400));
        return result;
      });
    const results = await Promise.allSettled([move(g.occurrences[0]!.id), move(h.occurrences[0]!.id)]);

    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(SchedulingConflictError);
    expect((lost[0]!.reason as Error).message).toMatch(/Someone else just booked|already booked/);

    const inRoom = await db.run((tx) =>
      tx.lessonOccurrence.findMany({ where: { roomId: target.id, status: "SCHEDULED" }, select: { lessonId: true, startsAt: true } }),
    );
    expect(inRoom).toHaveLength(1);
    expect(formatLocalTime(inRoom[0]!.startsAt, TZ)).toBe("14:00");
    // The loser is untouched.
    const loserId = inRoom[0]!.lessonId === g.id ? h.id : g.id;
    expect(await shape(loserId)).toEqual([loserId === g.id ? "2027-06-10 09:00+60" : "2027-06-10 11:00+60"]);
  });
});
