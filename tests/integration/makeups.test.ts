// Make-ups against the real database (RLS on), in a school of its own with a known
// policy (24 hours' notice, 2 credits per term, credits last 30 days): cancelling
// with and without notice, the per-term cap, using a credit for a group seat (the
// last seat under two concurrent bookings) or a free time of the teacher, expiry,
// and credits granted and voided by an admin with their reasons.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, localDateTimeToUtc } from "../../app/domain/time";
import { occurrenceRegister } from "../../app/models/attendance.server";
import {
  announceFreedSeat,
  bookMakeUpSeat,
  bookMakeUpSlot,
  cancelForFamily,
  grantCredit,
  MakeUpError,
  makeUpOptions,
  studentCredits,
  voidCredit,
} from "../../app/models/makeups.server";
import type { Tx } from "../../server/db/school-db.server";
import { testServices } from "../support/services";

// "Now" for the models that depend on the day, passed explicitly (the seed was made relative to the real clock).
const NOW = new Date();

const ZONE = "America/New_York";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// Autumn 2031: Tuesdays 17:00 "Oboe Group" (4 seats, full), Thursdays 17:00 "Oboe
// Circle" (2 seats, 1 taken). The teacher is free on Mondays 15:00–18:00.
const TERM = { name: "Autumn 2031", startDate: "2031-09-01", endDate: "2031-12-19" };
const FIRST_TUESDAY = "2031-09-02";
const FIRST_THURSDAY = "2031-09-04";

const services = testServices();
let schoolId: string;
const run = <T>(work: (tx: Tx) => Promise<T>) => services.platform.schoolDb(schoolId).run(work);
const mailer = services.mailer;

interface Fixture {
  adminId: string;
  tuesdays: { id: string; startsAt: Date }[];
  thursdays: { id: string; startsAt: Date }[];
  students: Record<"A" | "B" | "C" | "X" | "Y", string>;
  parentEmail: Record<string, string>;
}
let f: Fixture;

beforeAll(async () => {
  const slug = `makeups-${randomUUID().slice(0, 8)}`;
  const school = await services.platform.createSchool(null, { name: "Make-up Test School", slug, email: `office@${slug}.test`, timezone: ZONE, currency: "USD" });
  schoolId = school.id;
  f = await run(async (tx) => {
    await tx.school.updateMany({ data: { makeUpNoticeHours: 24, makeUpCreditsPerTerm: 2, makeUpExpiryDays: 30 } });
    const location = await tx.location.create({ data: { name: "Main" }, select: { id: true } });
    const roomA = await tx.room.create({ data: { name: "Room A", locationId: location.id }, select: { id: true } });
    const roomB = await tx.room.create({ data: { name: "Room B", locationId: location.id }, select: { id: true } });
    const admin = await tx.user.create({ data: { email: `admin@${slug}.test`, firstName: "Ada", lastName: "Admin", role: "ADMIN" }, select: { id: true } });
    const teacher = await tx.user.create({ data: { email: `teacher@${slug}.test`, firstName: "Tom", lastName: "Teacher", role: "TEACHER" }, select: { id: true } });
    await tx.teacherAvailability.create({ data: { teacherId: teacher.id, dayOfWeek: 1, startTime: "15:00", endTime: "18:00", locationId: location.id } });
    await tx.term.create({ data: TERM });

    async function series(title: string, firstDate: string, roomId: string, maxStudents: number) {
      const first = localDateTimeToUtc(firstDate, "17:00", ZONE);
      const lesson = await tx.lesson.create({
        data: {
          title,
          type: "GROUP",
          instrument: "Oboe",
          instructorId: teacher.id,
          locationId: location.id,
          roomId,
          startTime: first,
          endTime: new Date(first.getTime() + 45 * 60_000),
          duration: 45,
          recurrence: "WEEKLY",
          maxStudents,
        },
        select: { id: true },
      });
      const dates = Array.from({ length: 10 }, (_, i) => localDateTimeToUtc(addDays(firstDate, 7 * i), "17:00", ZONE));
      await tx.lessonOccurrence.createMany({
        data: dates.map((d) => ({ lessonId: lesson.id, startsAt: d, endsAt: new Date(d.getTime() + 45 * 60_000), instructorId: teacher.id, roomId })),
      });
      const occurrences = await tx.lessonOccurrence.findMany({ where: { lessonId: lesson.id }, orderBy: { startsAt: "asc" }, select: { id: true, startsAt: true } });
      return { lessonId: lesson.id, occurrences };
    }
    const tuesday = await series("Oboe Group", FIRST_TUESDAY, roomA.id, 4);
    const thursday = await series("Oboe Circle", FIRST_THURSDAY, roomB.id, 2);

    const students = {} as Record<"A" | "B" | "C" | "X" | "Y", string>;
    const parentEmail: Record<string, string> = {};
    for (const name of ["A", "B", "C", "X", "Y"] as const) {
      const email = `parent-${name.toLowerCase()}@${slug}.test`;
      const parent = await tx.user.create({ data: { email, firstName: `Parent${name}`, lastName: name, role: "PARENT" }, select: { id: true } });
      const family = await tx.familyGroup.create({ data: { name: `${name} family`, adminId: parent.id }, select: { id: true } });
      await tx.user.update({ where: { id: parent.id }, data: { familyGroupId: family.id } });
      const user = await tx.user.create({
        data: { email: `${name.toLowerCase()}@students.${slug}.invalid`, firstName: `Kid${name}`, lastName: name, role: "STUDENT", familyGroupId: family.id },
        select: { id: true },
      });
      const student = await tx.student.create({ data: { userId: user.id, instrument: "Oboe" }, select: { id: true } });
      students[name] = student.id;
      parentEmail[student.id] = email;
      const lessonId = name === "C" ? thursday.lessonId : tuesday.lessonId;
      await tx.enrollment.create({ data: { lessonId, studentId: student.id, status: "ACTIVE" } });
    }
    return { adminId: admin.id, tuesdays: tuesday.occurrences, thursdays: thursday.occurrences, students, parentEmail };
  });
});

afterAll(() => services.close());

const before = (o: { startsAt: Date }, hours: number) => new Date(o.startsAt.getTime() - hours * HOUR);

function cancel(occurrence: { id: string; startsAt: Date }, studentId: string, hoursBefore: number) {
  return run((tx) => cancelForFamily(tx, mailer, { occurrenceId: occurrence.id, studentId, timeZone: ZONE, now: before(occurrence, hoursBefore) }));
}

async function refusal(promise: Promise<unknown>): Promise<MakeUpError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(MakeUpError);
    return error as MakeUpError;
  }
  throw new Error("expected a MakeUpError, but it succeeded");
}

describe("cancelling in the portal", () => {
  it("with enough notice issues a credit at once and the register shows the absence as notified", async () => {
    const o = f.tuesdays[0]!;
    const result = await cancel(o, f.students.A, 48);
    expect(result.reason).toBeNull();
    expect(result.credit).not.toBeNull();
    expect(result.credit!.expiresAt.getTime()).toBe(o.startsAt.getTime() + 30 * DAY);
    expect(result.seatFreedOn).toBe(o.id);

    const register = await run((tx) => occurrenceRegister(tx, o.id));
    const record = register!.students.find((s) => s.id === f.students.A)!.record;
    expect(record).toMatchObject({ present: false, absenceNotified: true });

    const email = await run((tx) => tx.emailMessage.findFirst({ where: { to: f.parentEmail[f.students.A] }, orderBy: { createdAt: "desc" }, select: { subject: true, text: true } }));
    expect(email!.subject).toMatch(/^Cancelled: Oboe Group on /);
    expect(email!.text).toContain("A make-up credit has been added");

    const again = await refusal(cancel(o, f.students.A, 47));
    expect(again.message).toBe("You have already cancelled this lesson.");
  });

  it("without enough notice issues no credit, says why, and still tells the teacher", async () => {
    const o = f.tuesdays[1]!;
    const result = await cancel(o, f.students.A, 2);
    expect(result.credit).toBeNull();
    expect(result.reason).toBe("Make-up credits are only given for cancellations at least 24 hours before the lesson.");
    const attendance = await run((tx) =>
      tx.attendance.findFirstOrThrow({ where: { occurrenceId: o.id, studentId: f.students.A }, select: { absenceNotified: true } }),
    );
    expect(attendance.absenceNotified).toBe(true);
  });

  it("refuses a lesson the student does not take, and one that has started", async () => {
    expect((await refusal(cancel(f.thursdays[0]!, f.students.A, 48))).message).toBe("This student is not in that lesson.");
    expect((await refusal(cancel(f.tuesdays[2]!, f.students.A, -1))).message).toMatch(/already started/);
  });

  it("stops issuing credits at the per-term cap (void credits do not count)", async () => {
    const B = f.students.B;
    expect((await cancel(f.tuesdays[2]!, B, 72)).credit).not.toBeNull();
    const second = await cancel(f.tuesdays[3]!, B, 72);
    expect(second.credit).not.toBeNull();
    const third = await cancel(f.tuesdays[4]!, B, 72);
    expect(third.credit).toBeNull();
    expect(third.reason).toBe("You've already received the maximum of 2 make-up credits this term.");

    await run((tx) => voidCredit(tx, { creditId: second.credit!.id, reason: "Lesson was rescheduled by the school", actedById: f.adminId, now: before(f.tuesdays[4]!, 100) }));
    expect((await cancel(f.tuesdays[5]!, B, 72)).credit).not.toBeNull();
  });
});

describe("using a credit", () => {
  it("books the last seat of a fitting group class once when two families try at the same moment", async () => {
    const o = f.tuesdays[6]!;
    const now = before(o, 48);
    const x = (await cancel(o, f.students.X, 48)).credit!;
    const y = (await cancel(o, f.students.Y, 48)).credit!;

    const options = await run((tx) => makeUpOptions(tx, ZONE, { creditId: x.id, now }));
    expect(options.status).toBe("AVAILABLE");
    const seat = f.thursdays.find((t) => t.startsAt > now)!;
    // The Thursday class (1 of 2 seats taken) fits; the student's own Tuesday class is never offered.
    expect(options.groupOccurrences.map((g) => g.occurrenceId)).toContain(seat.id);
    expect(options.groupOccurrences.every((g) => !f.tuesdays.some((t) => t.id === g.occurrenceId))).toBe(true);

    const race = await Promise.allSettled([x, y].map((c) => run((tx) => bookMakeUpSeat(tx, { creditId: c.id, occurrenceId: seat.id, now }))));
    expect(race.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = race.find((r): r is PromiseRejectedResult => r.status === "rejected")!;
    expect(lost.reason).toBeInstanceOf(MakeUpError);
    expect((lost.reason as Error).message).toBe("That class just filled up. Please choose another.");

    const guests = await run((tx) => tx.occurrenceGuest.findMany({ where: { occurrenceId: seat.id }, select: { studentId: true, creditId: true } }));
    expect(guests).toHaveLength(1);
    const winner = guests[0]!.creditId === x.id ? x : y;
    const loser = winner === x ? y : x;
    const states = await run((tx) => studentCredits(tx, [f.students.X, f.students.Y], now));
    expect(states.find((c) => c.id === winner.id)!.status).toBe("USED");
    expect(states.find((c) => c.id === loser.id)!.status).toBe("AVAILABLE");
    const loserOptions = await run((tx) => makeUpOptions(tx, ZONE, { creditId: loser.id, now }));
    expect(loserOptions.groupOccurrences.map((g) => g.occurrenceId)).not.toContain(seat.id);
    // A used credit cannot be used again.
    expect((await refusal(run((tx) => bookMakeUpSeat(tx, { creditId: winner.id, occurrenceId: seat.id, now })))).message).toBe("This credit is used and cannot be used.");

    // The enrolled student cancels that class: the seat is free again for the other family.
    await cancel(seat, f.students.C, 30);
    await run((tx) => bookMakeUpSeat(tx, { creditId: loser.id, occurrenceId: seat.id, now }));
    expect(await run((tx) => tx.occurrenceGuest.count({ where: { occurrenceId: seat.id } }))).toBe(2);
  });

  it("books a free time of the teacher as a 1-on-1 make-up", async () => {
    const credit = (await run((tx) => studentCredits(tx, [f.students.A], NOW))).find((c) => c.sourceOccurrence && !c.usedAt)!;
    const now = before(f.tuesdays[0]!, 48);
    const options = await run((tx) => makeUpOptions(tx, ZONE, { creditId: credit.id, now }));
    const slot = options.individualSlots[0]!;
    expect(slot).toBeDefined();
    expect(slot.end.getTime() - slot.start.getTime()).toBe(45 * 60_000);
    const booked = await run((tx) => bookMakeUpSlot(tx, ZONE, { creditId: credit.id, start: slot.start, now }));
    const session = await run((tx) => tx.lessonOccurrence.findUniqueOrThrow({ where: { id: booked.occurrenceId }, select: { kind: true, studentId: true, makeUpCreditId: true, startsAt: true } }));
    expect(session).toMatchObject({ kind: "INDIVIDUAL_SESSION", studentId: f.students.A, makeUpCreditId: credit.id });
    expect(session.startsAt.getTime()).toBe(slot.start.getTime());
  });

  it("refuses an expired credit and a class after the credit expires", async () => {
    const grantedOn = new Date("2031-09-01T14:00:00Z");
    const credit = await run((tx) => grantCredit(tx, ZONE, { studentId: f.students.X, reason: "Goodwill", actedById: f.adminId, expiresOn: "2031-09-20", now: grantedOn }));
    const late = f.thursdays.find((t) => t.startsAt > new Date("2031-09-25T00:00:00Z"))!;
    expect((await refusal(run((tx) => bookMakeUpSeat(tx, { creditId: credit.id, occurrenceId: late.id, now: grantedOn })))).message).toBe(
      "That class is after the credit expires.",
    );
    const afterExpiry = new Date("2031-09-22T12:00:00Z");
    expect((await refusal(run((tx) => bookMakeUpSeat(tx, { creditId: credit.id, occurrenceId: late.id, now: afterExpiry })))).message).toBe(
      "This credit is expired and cannot be used.",
    );
    const options = await run((tx) => makeUpOptions(tx, ZONE, { creditId: credit.id, now: afterExpiry }));
    expect(options).toMatchObject({ status: "EXPIRED", groupOccurrences: [], individualSlots: [] });
  });
});

describe("credits granted and voided by an admin", () => {
  it("keeps the reason of a grant, and of a void", async () => {
    const now = new Date("2031-09-10T14:00:00Z");
    const granted = await run((tx) => grantCredit(tx, ZONE, { studentId: f.students.C, reason: "Teacher was ill on Sep 9", actedById: f.adminId, now }));
    // No expiry given: the school's 30 days, to the end of that local day.
    expect(granted.expiresAt.toISOString()).toBe(localDateTimeToUtc("2031-10-10", "23:59", ZONE).toISOString());
    let row = (await run((tx) => studentCredits(tx, [f.students.C], now))).find((c) => c.id === granted.id)!;
    expect(row).toMatchObject({ status: "AVAILABLE", reason: "Teacher was ill on Sep 9", sourceOccurrence: null });

    await run((tx) => voidCredit(tx, { creditId: granted.id, reason: "Granted twice by mistake", actedById: f.adminId, now }));
    row = (await run((tx) => studentCredits(tx, [f.students.C], now))).find((c) => c.id === granted.id)!;
    expect(row).toMatchObject({ status: "VOID", reason: "Teacher was ill on Sep 9", voidReason: "Granted twice by mistake" });
    const acted = await run((tx) => tx.makeUpCredit.findUniqueOrThrow({ where: { id: granted.id }, select: { actedById: true, voidedAt: true } }));
    expect(acted.actedById).toBe(f.adminId);
    expect(acted.voidedAt?.getTime()).toBe(now.getTime());

    expect((await refusal(run((tx) => voidCredit(tx, { creditId: granted.id, reason: "again", actedById: f.adminId, now })))).message).toBe(
      "This credit is void and cannot be used.",
    );
    expect((await refusal(run((tx) => grantCredit(tx, ZONE, { studentId: f.students.C, reason: "x", actedById: f.adminId, expiresOn: "2031-09-01", now })))).message).toBe(
      "The expiry date is in the past.",
    );
  });

  // Known gap in makeups.server.ts (reported): one `reason` column holds both the
  // grant's and the void's reason, so voiding a granted credit overwrites why it was
  // granted. Remove `.fails` once the model keeps both.
  it("keeps the grant reason after the credit is voided (known gap)", async () => {
    const now = new Date("2031-09-10T14:00:00Z");
    const granted = await run((tx) => grantCredit(tx, ZONE, { studentId: f.students.C, reason: "Concert clash", actedById: f.adminId, now }));
    await run((tx) => voidCredit(tx, { creditId: granted.id, reason: "Family left the school", actedById: f.adminId, now }));
    const row = await run((tx) => tx.makeUpCredit.findUniqueOrThrow({ where: { id: granted.id } }));
    expect(JSON.stringify(row)).toContain("Concert clash");
  });
});

describe("fixed gaps (regressions)", () => {
  // announceFreedSeat tells every credit holder of the instrument, including the
  // family that just cancelled (whose own class is never a make-up option for them).
  it("does not tell the family who cancelled that a seat is free in their own class", async () => {
    const o = f.tuesdays[8]!;
    const now = before(o, 48);
    await cancel(o, f.students.A, 48);
    await run((tx) => announceFreedSeat(tx, mailer, { occurrenceId: o.id, timeZone: ZONE, origin: "http://school.test", now }));
    const told = await run((tx) => tx.emailMessage.count({ where: { to: f.parentEmail[f.students.A], subject: { startsWith: "A seat is free in Oboe Group" } } }));
    expect(told).toBe(0);
  });

  // bookMakeUpSeat checks seats, status and expiry, but not that the class fits:
  // a credit can be spent on a class the student is already enrolled in.
  it("refuses a make-up seat in the student's own class", async () => {
    const now = new Date("2031-09-01T14:00:00Z");
    const credit = await run((tx) => grantCredit(tx, ZONE, { studentId: f.students.B, reason: "Test", actedById: f.adminId, expiresOn: "2031-12-01", now }));
    // A seat is free in B's own Tuesday class because A cancelled it.
    await expect(run((tx) => bookMakeUpSeat(tx, { creditId: credit.id, occurrenceId: f.tuesdays[0]!.id, now }))).rejects.toBeInstanceOf(MakeUpError);
  });
});
