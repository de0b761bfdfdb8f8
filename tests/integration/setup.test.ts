// The school's calendar setup against the real database (RLS on): terms, closures,
// places, lists, teacher availability and time off. Names and dates are unique per
// run, and what a test creates it removes, so the tests can run again on the same
// database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SchoolDb } from "../../server/db/school-db.server";
import {
  addDuration,
  addInstrument,
  archiveTerm,
  createAvailability,
  createClosure,
  createGeneratedTerms,
  createLocation,
  createRoom,
  createTerm,
  createTimeOff,
  deleteLocation,
  deleteRoom,
  instrumentInput,
  listClosures,
  listTerms,
  listTimeOff,
  runSetupForm,
  SetupError,
  updateAvailability,
  updateTerm,
  type SetupResult,
} from "../../app/models/setup.server";
import { addDays } from "../../app/domain/time";
import { loadCalendarRules } from "../../app/models/scheduling.server";
import { formatterFor } from "../../app/utils/format";
import { testServices, schoolId } from "../support/services";

const services = testServices();
afterAll(() => services.close());

const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
// A year of its own for this run, far from the demo data: terms never meet another run's.
const year = 3000 + (Date.now() % 5000);
const day = (monthDay: string) => `${year}-${monthDay}`;

let harmony: SchoolDb;
let riverside: SchoolDb;
let adminId = ""; // harmony's admin: who removes terms
beforeAll(async () => {
  harmony = services.platform.schoolDb(await schoolId(services, "harmony"));
  riverside = services.platform.schoolDb(await schoolId(services, "riverside"));
  adminId = (await harmony.run((tx) => tx.user.findFirstOrThrow({ where: { role: "ADMIN" }, orderBy: { createdAt: "asc" }, select: { id: true } }))).id;
});
const removeTerm = (id: string) => harmony.run((tx) => archiveTerm(tx, id, adminId));

/** The SetupError a promise is refused with (fails the test if it is not refused). */
async function refusal(promise: Promise<unknown>): Promise<SetupError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SetupError);
    return error as SetupError;
  }
  throw new Error("expected a SetupError, but it succeeded");
}

describe("terms", () => {
  it("refuses a term that overlaps another, naming both and the shared days", async () => {
    const first = await harmony.run((tx) => createTerm(tx, { name: `Autumn ${tag}`, startDate: day("09-07"), endDate: day("12-18") }));
    try {
      const error = await refusal(
        harmony.run((tx) => createTerm(tx, { name: `Winter ${tag}`, startDate: day("12-01"), endDate: day("12-31") })),
      );
      expect(error.message).toBe(`Terms "Autumn ${tag}" and "Winter ${tag}" overlap (Dec 1, ${year} – Dec 18, ${year}).`);
      expect(error.field).toBe("startDate");

      // The day after is fine, and moving it back onto the first term is refused too.
      const second = await harmony.run((tx) => createTerm(tx, { name: `Winter ${tag}`, startDate: day("12-19"), endDate: day("12-31") }));
      const moved = await refusal(
        harmony.run((tx) => updateTerm(tx, second.id, { name: `Winter ${tag}`, startDate: day("12-18"), endDate: day("12-31") })),
      );
      expect(moved.message).toMatch(/overlap \(Dec 18, \d+ – Dec 18, \d+\)/);

      const terms = await harmony.run(listTerms);
      expect(terms.find((t) => t.id === first.id)).toMatchObject({ weeks: 15, lessons: 0 });
      await removeTerm(second.id);
    } finally {
      await removeTerm(first.id);
    }
  });

  it("generates a year of four ten-week terms, and refuses to generate over existing ones", async () => {
    const input = { firstStart: day("01-05"), pattern: "FOUR_TERMS_OF_TEN_WEEKS" as const, gapWeeks: 2 };
    const created = await harmony.run((tx) => createGeneratedTerms(tx, input));
    try {
      expect(created.map((t) => t.name)).toEqual([1, 2, 3, 4].map((n) => `Term ${n} ${year}`));
      expect(created.every((t) => t.weeks === 10)).toBe(true);
      expect(created[1]!.startDate).toBe(addDays(day("01-05"), 12 * 7)); // 10 weeks, then a 2-week break
      expect(created[0]!.endDate).toBe(addDays(day("01-05"), 10 * 7 - 1));
      const again = await refusal(harmony.run((tx) => createGeneratedTerms(tx, input)));
      expect(again.message).toBe(
        `These terms would share days with existing terms ${created.map((t) => `“${t.name}”`).join(", ")}. Choose another first day, or change those terms first.`,
      );
      expect(again.field).toBe("firstStart");
    } finally {
      const ids = (await harmony.run(listTerms)).filter((t) => t.name.endsWith(` ${year}`) && t.name.startsWith("Term ")).map((t) => t.id);
      for (const id of ids) await removeTerm(id);
    }
  });

  it("removes a term by archiving it: gone from the lists, the rules and the overlap check; credits earned in it keep it", async () => {
    const term = await harmony.run((tx) => createTerm(tx, { name: `Spring ${tag}`, startDate: day("03-02"), endDate: day("05-29") }));
    const student = await harmony.run((tx) => tx.student.findFirstOrThrow({ orderBy: { id: "asc" }, select: { id: true } }));
    const credit = await harmony.run((tx) =>
      tx.makeUpCredit.create({ data: { studentId: student.id, termId: term.id, expiresAt: new Date(`${day("06-30")}T12:00:00Z`), reason: `Test ${tag}` }, select: { id: true } }),
    );
    try {
      const removed = await removeTerm(term.id);
      expect(removed.name).toBe(`Spring ${tag}`);

      const kept = await harmony.run((tx) => tx.term.findUniqueOrThrow({ where: { id: term.id }, select: { archivedAt: true, archivedById: true } }));
      expect(kept.archivedAt).toBeInstanceOf(Date);
      expect(kept.archivedById).toBe(adminId);
      expect(await harmony.run((tx) => tx.makeUpCredit.findUniqueOrThrow({ where: { id: credit.id }, select: { termId: true } }))).toEqual({ termId: term.id });

      expect((await harmony.run(listTerms)).map((t) => t.id)).not.toContain(term.id);
      expect((await harmony.run(loadCalendarRules)).terms.map((t) => t.id)).not.toContain(term.id);
      // Its dates are free again, and it cannot be changed or removed twice.
      const again = await harmony.run((tx) => createTerm(tx, { name: `Spring ${tag}`, startDate: day("03-02"), endDate: day("05-29") }));
      await removeTerm(again.id);
      expect((await refusal(harmony.run((tx) => updateTerm(tx, term.id, { name: "x", startDate: day("03-02"), endDate: day("05-29") })))).status).toBe(404);
      expect((await refusal(removeTerm(term.id))).status).toBe(404);
    } finally {
      await harmony.run((tx) => tx.makeUpCredit.delete({ where: { id: credit.id } }));
    }
  });
});

describe("closures", () => {
  it("closes one location only, and cannot point at another school's location", async () => {
    const location = await harmony.run((tx) => createLocation(tx, { name: `Annex ${tag}`, address: null, city: null, state: null, postcode: null, phone: null }));
    try {
      const closure = await harmony.run((tx) =>
        createClosure(tx, { name: `Annex repairs ${tag}`, startDate: day("02-03"), endDate: day("02-04"), locationId: location.id }),
      );
      const listed = (await harmony.run(listClosures)).find((c) => c.id === closure.id);
      expect(listed).toMatchObject({ locationId: location.id, location: { name: `Annex ${tag}` } });

      // A school-wide closure has no location.
      const wide = await harmony.run((tx) => createClosure(tx, { name: `Snow day ${tag}`, startDate: day("02-10"), endDate: day("02-10"), locationId: null }));
      expect((await harmony.run(listClosures)).find((c) => c.id === wide.id)).toMatchObject({ locationId: null, location: null });
      await harmony.run((tx) => tx.closure.delete({ where: { id: wide.id } }));

      // Riverside cannot see (so cannot use) Harmony's location.
      const foreign = await refusal(
        riverside.run((tx) => createClosure(tx, { name: `Sneaky ${tag}`, startDate: day("02-03"), endDate: day("02-03"), locationId: location.id })),
      );
      expect(foreign.field).toBe("locationId");
    } finally {
      // The location's own closure goes with it.
      const gone = await harmony.run((tx) => deleteLocation(tx, location.id));
      expect(gone.closures).toBe(1);
    }
  });
});

describe("places", () => {
  it("refuses to delete a room with lessons, and a location with rooms, with a message", async () => {
    const location = await harmony.run((tx) => createLocation(tx, { name: `Hall ${tag}`, address: "1 Main St", city: null, state: null, postcode: null, phone: null }));
    const room = await harmony.run((tx) => createRoom(tx, location.id, { name: `Room ${tag}`, capacity: 4 }));
    const teacher = await harmony.run((tx) => tx.user.findFirstOrThrow({ where: { role: "TEACHER" }, select: { id: true } }));
    const lesson = await harmony.run((tx) =>
      tx.lesson.create({
        data: {
          title: `Lesson ${tag}`,
          type: "INDIVIDUAL",
          instructorId: teacher.id,
          locationId: location.id,
          roomId: room.id,
          startTime: new Date(`${day("03-02")}T15:00:00Z`),
          endTime: new Date(`${day("03-02")}T15:30:00Z`),
          duration: 30,
        },
        select: { id: true },
      }),
    );
    try {
      const roomInUse = await refusal(harmony.run((tx) => deleteRoom(tx, room.id)));
      expect(roomInUse.message).toBe(`Room ${tag} (Hall ${tag}) can’t be deleted: 1 lesson uses it. Move those lessons to another room first.`);
      expect(roomInUse.status).toBe(409);

      // Underneath, the database refuses too (P2003), which deleteRoom turns into the same kind of message.
      await expect(harmony.run((tx) => tx.room.delete({ where: { id: room.id } }))).rejects.toMatchObject({ code: "P2003" });

      const withRooms = await refusal(harmony.run((tx) => deleteLocation(tx, location.id)));
      expect(withRooms.message).toBe(`Hall ${tag} still has 1 room. Delete it first.`);

      // Same room name twice in one location is refused too.
      const twice = await refusal(harmony.run((tx) => createRoom(tx, location.id, { name: `room ${tag}`, capacity: 2 })));
      expect(twice.field).toBe("name");
    } finally {
      await harmony.run((tx) => tx.lesson.delete({ where: { id: lesson.id } }));
    }
    // Free now: both go.
    await harmony.run((tx) => deleteRoom(tx, room.id));
    await harmony.run((tx) => deleteLocation(tx, location.id));
    expect(await harmony.run((tx) => tx.location.count({ where: { id: location.id } }))).toBe(0);
  });
});

describe("instruments and lesson lengths", () => {
  it("says an instrument is already on the list, whatever its case", async () => {
    const piano = await refusal(harmony.run((tx) => addInstrument(tx, "piano")));
    expect(piano.message).toBe("Piano is already on the list.");
    expect(piano.field).toBe("name");

    const name = `Theremin ${tag}`;
    const added = await harmony.run((tx) => addInstrument(tx, `  ${name} `));
    try {
      expect(added.name).toBe(name);
      expect((await refusal(harmony.run((tx) => addInstrument(tx, name.toUpperCase())))).message).toBe(`${name} is already on the list.`);
    } finally {
      await harmony.run((tx) => tx.instrument.delete({ where: { id: added.id } }));
    }
  });

  it("answers a duplicate from a form with the message next to the field and what was typed", async () => {
    const form = new FormData();
    form.set("intent", "add-instrument");
    form.set("name", "Guitar");
    const answer = (await runSetupForm(harmony, form, instrumentInput, async (tx, { name }) => (await addInstrument(tx, name)).name)) as unknown as {
      data: SetupResult;
      init: ResponseInit;
    };
    expect(answer.init.status).toBe(409);
    expect(answer.data).toMatchObject({ ok: false, intent: "add-instrument", errors: { name: "Guitar is already on the list." }, values: { name: "Guitar" } });
  });

  it("keeps lesson lengths between 5 and 240 minutes and unique", async () => {
    expect((await refusal(harmony.run((tx) => addDuration(tx, 45)))).message).toBe("45 minutes is already on the list.");
    expect((await refusal(harmony.run((tx) => addDuration(tx, 241)))).field).toBe("minutes");
  });
});

describe("teacher availability and time off", () => {
  let teacherId: string;
  beforeAll(async () => {
    const teacher = await harmony.run((tx) =>
      tx.user.create({ data: { email: `teacher.${tag}@harmony.test`, firstName: "Test", lastName: tag, role: "TEACHER" }, select: { id: true } }),
    );
    teacherId = teacher.id;
  });
  afterAll(async () => {
    await harmony.run((tx) => tx.user.delete({ where: { id: teacherId } })); // availability and time off cascade
  });

  const window = { dayOfWeek: 1 as const, startTime: "14:00", endTime: "18:00", locationId: null, validFrom: null, validUntil: null };

  it("refuses overlapping hours on the same day and location, with the hours it clashes with", async () => {
    const location = await harmony.run((tx) => tx.location.findFirstOrThrow({ where: { name: "Main Studio" }, select: { id: true } }));
    const monday = await harmony.run((tx) => createAvailability(tx, teacherId, { ...window, locationId: location.id }));

    const clash = await refusal(
      harmony.run((tx) => createAvailability(tx, teacherId, { ...window, locationId: location.id, startTime: "17:00", endTime: "19:00" })),
    );
    expect(clash.message).toBe("This overlaps the Monday hours 2:00 PM–6:00 PM at Main Studio. Change the times, or edit those hours instead.");
    expect(clash.field).toBe("startTime");

    // Touching hours, another day, or hours valid in a different period are fine.
    await harmony.run((tx) => createAvailability(tx, teacherId, { ...window, locationId: location.id, startTime: "18:00", endTime: "20:00" }));
    await harmony.run((tx) => createAvailability(tx, teacherId, { ...window, dayOfWeek: 2, locationId: location.id }));
    const later = await harmony.run((tx) =>
      createAvailability(tx, teacherId, { ...window, startTime: "10:00", endTime: "12:00", validFrom: day("01-01"), validUntil: day("03-31") }),
    );
    await harmony.run((tx) =>
      createAvailability(tx, teacherId, { ...window, startTime: "11:00", endTime: "13:00", validFrom: day("04-01"), validUntil: null }),
    );
    // …but stretching one into the other's period is refused.
    const stretched = await refusal(
      harmony.run((tx) => updateAvailability(tx, teacherId, later.id, { ...window, startTime: "10:00", endTime: "12:00", validFrom: day("01-01"), validUntil: day("04-30") })),
    );
    expect(stretched.message).toMatch(/^This overlaps the Monday hours 11:00 AM–1:00 PM \(any location\)/);

    // Editing a window without moving it is not an overlap with itself.
    await harmony.run((tx) => updateAvailability(tx, teacherId, monday.id, { ...window, locationId: location.id, endTime: "17:30" }));
  });

  it("stores time off as UTC instants from the school's local dates and times", async () => {
    // Harmony is in America/New_York: EST (UTC-5) in November.
    const zone = "America/New_York";
    const off = await harmony.run((tx) =>
      createTimeOff(tx, teacherId, formatterFor({ locale: "en-US", timezone: zone, currency: "USD" }), { startDate: "2026-11-23", startTime: null, endDate: "2026-11-24", endTime: null, reason: `Tour ${tag}` }),
    );
    expect(off.startsAt.toISOString()).toBe("2026-11-23T05:00:00.000Z");
    expect(off.endsAt.toISOString()).toBe("2026-11-25T05:00:00.000Z"); // the end of the last day

    const listed = (await harmony.run((tx) => listTimeOff(tx, teacherId, zone))).find((t) => t.id === off.id);
    expect(listed).toMatchObject({ start: { date: "2026-11-23", time: "00:00" }, end: { date: "2026-11-25", time: "00:00" }, reason: `Tour ${tag}` });

    const backwards = await refusal(
      harmony.run((tx) => createTimeOff(tx, teacherId, formatterFor({ locale: "en-US", timezone: zone, currency: "USD" }), { startDate: "2026-11-23", startTime: "15:00", endDate: "2026-11-23", endTime: "14:00", reason: null })),
    );
    expect(backwards.field).toBe("endTime");
    expect(backwards.message).toMatch(/must end after it starts/);
  });
});

describe("terms in use", () => {
  it("refuses to remove a term that lessons run until, with a message", async () => {
    const term = await harmony.run((tx) => createTerm(tx, { name: `Busy ${tag}`, startDate: day("06-01"), endDate: day("06-30") }));
    const teacher = await harmony.run((tx) => tx.user.findFirstOrThrow({ where: { role: "TEACHER" }, select: { id: true } }));
    const lesson = await harmony.run((tx) =>
      tx.lesson.create({
        data: {
          title: `Online ${tag}`,
          type: "GROUP",
          instructorId: teacher.id,
          termId: term.id,
          startTime: new Date(`${day("06-02")}T15:00:00Z`),
          endTime: new Date(`${day("06-02")}T16:00:00Z`),
          duration: 60,
        },
        select: { id: true },
      }),
    );
    try {
      const error = await refusal(removeTerm(term.id));
      expect(error.message).toBe(`“Busy ${tag}” can’t be removed: 1 lesson runs until its end. Change those lessons first.`);
    } finally {
      await harmony.run((tx) => tx.lesson.delete({ where: { id: lesson.id } }));
      await removeTerm(term.id);
    }
  });
});
