// Hybrid lessons against the real database (RLS on), in a school of its own: the term
// pattern takes group meetings off 1-on-1 weeks, 20 families racing for 5 slots end
// with exactly 5 sessions, a student holds one session per week, and moves respect
// the notice and never apply to group classes.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, localDateTimeToUtc } from "../../app/domain/time";
import { assertMayActFor, FamilyAccessError, studentsOfAccount } from "../../app/models/family-access.server";
import { bookSession, freeSlotsForWeek, HybridError, hybridOverview, moveSession, openBookings, saveHybridPattern } from "../../app/models/hybrid.server";
import type { Tx } from "../../server/db/school-db.server";
import { testServices } from "../support/services";

// "Now" for the models that depend on the day, passed explicitly (the seed was made relative to the real clock).
const NOW = new Date();

const ZONE = "America/New_York";
const HOUR = 3_600_000;
const TAKEN = "That time was just taken by another family. Please choose another time.";

// Term: Monday 2027-09-06 to Sunday 2027-11-14 = 10 full weeks; the group meets on
// Saturdays 10:00; weeks 4 and 8 are 1-on-1 weeks. The teacher is free on Wednesdays
// 15:00–17:30 only, so a 1-on-1 week has exactly five 30-minute slots.
const TERM = { name: "Fall 2027", startDate: "2027-09-06", endDate: "2027-11-14" };
const FIRST_SATURDAY = "2027-09-11";
const BEFORE_TERM = new Date("2027-08-01T12:00:00Z");

const services = testServices();
let schoolId: string;
const run = <T>(work: (tx: Tx) => Promise<T>) => services.platform.schoolDb(schoolId).run(work);

interface Fixture {
  lessonId: string;
  teacherId: string;
  termId: string;
  studentIds: string[];
  parentIds: string[];
  configId: string;
}
let f: Fixture;

beforeAll(async () => {
  const slug = `hybrid-${randomUUID().slice(0, 8)}`;
  const school = await services.platform.createSchool(null, { name: "Hybrid Test School", slug, email: `office@${slug}.test`, timezone: ZONE, currency: "USD" });
  schoolId = school.id;
  f = await run(async (tx) => {
    const location = await tx.location.create({ data: { name: "Main" }, select: { id: true } });
    const room = await tx.room.create({ data: { name: "Studio 1", locationId: location.id }, select: { id: true } });
    const teacher = await tx.user.create({ data: { email: `teacher@${slug}.test`, firstName: "Tess", lastName: "Teacher", role: "TEACHER" }, select: { id: true } });
    await tx.teacherAvailability.create({ data: { teacherId: teacher.id, dayOfWeek: 3, startTime: "15:00", endTime: "17:30", locationId: location.id } });
    const term = await tx.term.create({ data: TERM, select: { id: true } });
    const firstStart = localDateTimeToUtc(FIRST_SATURDAY, "10:00", ZONE);
    const lesson = await tx.lesson.create({
      data: {
        title: "Keys Hybrid (test)",
        type: "HYBRID",
        instrument: "Piano",
        instructorId: teacher.id,
        locationId: location.id,
        roomId: room.id,
        startTime: firstStart,
        endTime: new Date(firstStart.getTime() + HOUR),
        duration: 60,
        recurrence: "WEEKLY",
        termId: term.id,
        isHybrid: true,
        maxStudents: 25,
      },
      select: { id: true },
    });
    await tx.lessonOccurrence.createMany({
      data: Array.from({ length: 10 }, (_, i) => {
        const start = localDateTimeToUtc(addDays(FIRST_SATURDAY, 7 * i), "10:00", ZONE);
        return { lessonId: lesson.id, startsAt: start, endsAt: new Date(start.getTime() + HOUR), instructorId: teacher.id, roomId: room.id };
      }),
    });
    const studentIds: string[] = [];
    const parentIds: string[] = [];
    for (let i = 0; i < 20; i++) {
      const parent = await tx.user.create({ data: { email: `parent${i}@${slug}.test`, firstName: `Parent${i}`, lastName: `Family${i}`, role: "PARENT" }, select: { id: true } });
      const family = await tx.familyGroup.create({ data: { name: `Family${i}`, adminId: parent.id }, select: { id: true } });
      await tx.user.update({ where: { id: parent.id }, data: { familyGroupId: family.id } });
      const child = await tx.user.create({
        data: { email: `child${i}@students.${slug}.invalid`, firstName: `Child${i}`, lastName: `Family${i}`, role: "STUDENT", familyGroupId: family.id },
        select: { id: true },
      });
      const student = await tx.student.create({ data: { userId: child.id, instrument: "Piano" }, select: { id: true } });
      await tx.enrollment.create({ data: { lessonId: lesson.id, studentId: student.id, status: "ACTIVE" } });
      studentIds.push(student.id);
      parentIds.push(parent.id);
    }
    return { lessonId: lesson.id, teacherId: teacher.id, termId: term.id, studentIds, parentIds, configId: "" };
  });
});

afterAll(() => services.close());

const groupMeetings = () =>
  run((tx) => tx.lessonOccurrence.findMany({ where: { lessonId: f.lessonId, kind: "LESSON" }, orderBy: { startsAt: "asc" }, select: { id: true, startsAt: true } }));

describe("the term pattern", () => {
  it("takes the group meetings off the 1-on-1 weeks (and only future ones)", async () => {
    expect(await groupMeetings()).toHaveLength(10);
    const saved = await run((tx) =>
      saveHybridPattern(
        tx,
        ZONE,
        {
          lessonId: f.lessonId,
          termId: f.termId,
          individualWeeks: [4, 8],
          individualDurationMinutes: 30,
          groupPrice: "20.00",
          individualPrice: "40.00",
          notifyDaysAhead: 7,
          bookingReminderDays: 3,
        },
        BEFORE_TERM,
      ),
    );
    f.configId = saved.config.id;
    expect(saved.removed).toBe(2);
    expect(saved.added).toBe(0);
    const left = (await groupMeetings()).map((m) => m.startsAt.getTime());
    expect(left).toHaveLength(8);
    for (const week of [4, 8]) {
      const saturday = addDays(FIRST_SATURDAY, 7 * (week - 1));
      expect(left).not.toContain(localDateTimeToUtc(saturday, "10:00", ZONE).getTime());
    }
    const kinds = saved.weeks.map((w) => w.kind);
    expect(kinds.filter((k) => k === "INDIVIDUAL")).toHaveLength(2);
    expect(kinds.filter((k) => k === "GROUP")).toHaveLength(8);
  });

  it("puts a group meeting back when a 1-on-1 week becomes a group week again", async () => {
    const input = {
      lessonId: f.lessonId,
      termId: f.termId,
      individualWeeks: [4, 6, 8],
      individualDurationMinutes: 30,
      groupPrice: "20.00",
      individualPrice: "40.00",
      notifyDaysAhead: 7,
      bookingReminderDays: 3,
    };
    const withSix = await run((tx) => saveHybridPattern(tx, ZONE, input, BEFORE_TERM));
    expect(withSix.removed).toBe(1);
    expect(await groupMeetings()).toHaveLength(7);
    const back = await run((tx) => saveHybridPattern(tx, ZONE, { ...input, individualWeeks: [4, 8] }, BEFORE_TERM));
    expect(back.added).toBe(1);
    expect(back.config.id).toBe(f.configId);
    expect(await groupMeetings()).toHaveLength(8);
  });

  it("refuses a pattern without any 1-on-1 week or with weeks outside the term, and keeps the saved one", async () => {
    const base = { lessonId: f.lessonId, termId: f.termId, individualDurationMinutes: 30, groupPrice: null, individualPrice: null, notifyDaysAhead: 7, bookingReminderDays: 3 };
    await expect(run((tx) => saveHybridPattern(tx, ZONE, { ...base, individualWeeks: [] }, BEFORE_TERM))).rejects.toThrow(/at least one individual week/);
    await expect(run((tx) => saveHybridPattern(tx, ZONE, { ...base, individualWeeks: [4, 11] }, BEFORE_TERM))).rejects.toThrow(/11 is outside the term \(weeks 1–10\)/);
    const config = await run((tx) => tx.hybridLessonConfig.findUniqueOrThrow({ where: { id: f.configId }, select: { oneOnOneWeeks: true, groupPricePerStudent: true } }));
    expect(config.oneOnOneWeeks).toEqual([4, 8]);
    expect(config.groupPricePerStudent?.toFixed(2)).toBe("20.00");
    expect(await groupMeetings()).toHaveLength(8);
  });
});

describe("booking 1-on-1 sessions", () => {
  it("is refused before bookings are open", async () => {
    const [slot] = await run((tx) => freeSlotsForWeek(tx, ZONE, { configId: f.configId, week: 4, now: NOW }));
    await expect(run((tx) => bookSession(tx, ZONE, { configId: f.configId, week: 4, studentId: f.studentIds[0]!, start: slot!.start, now: NOW }))).rejects.toThrow(
      "Bookings for this term are not open yet.",
    );
  });

  it("opens bookings and emails every enrolled family once, naming the child and only the weeks still ahead, as dates a person reads", async () => {
    // Opened during week 5: week 4 is over, week 8 is ahead.
    const { notified } = await run((tx) => openBookings(tx, services.mailer, { configId: f.configId, origin: "http://school.test", timeZone: ZONE, now: new Date("2027-10-05T14:00:00Z") }));
    expect(notified).toBe(20);
    const emails = await run((tx) => tx.emailMessage.findMany({ where: { subject: { startsWith: "Book your 1-on-1 sessions" } }, select: { to: true, text: true } }));
    expect(emails).toHaveLength(20);
    expect(emails[0]!.text).toContain(`http://school.test/family/hybrid/${f.configId}`);
    expect(emails[0]!.text).toMatch(/- Week 8: Mon, Oct 25 to Sun, Oct 31/); // the school writes en-US dates
    expect(emails[0]!.text).not.toMatch(/Week 4|\d{4}-\d{2}-\d{2}/);
    const names = await run((tx) => tx.student.findMany({ where: { id: { in: f.studentIds } }, select: { user: { select: { firstName: true } } } }));
    expect(emails.every((e) => names.some((n) => e.text.startsWith(`Hello,\n\n${n.user.firstName} can now book a 1-on-1 session`)))).toBe(true);
    await expect(run((tx) => openBookings(tx, services.mailer, { configId: f.configId, origin: "http://school.test", timeZone: ZONE, now: new Date("2027-10-05T15:00:00Z") }))).rejects.toThrow(
      "Bookings are already open for this term.",
    );
  });

  it("lets 20 families race for 5 slots: exactly 5 sessions, the others are told the time was just taken", async () => {
    const slots = await run((tx) => freeSlotsForWeek(tx, ZONE, { configId: f.configId, week: 4, now: NOW }));
    expect(slots.map((s) => s.start.toISOString())).toEqual(
      ["15:00", "15:30", "16:00", "16:30", "17:00"].map((t) => localDateTimeToUtc("2027-09-29", t, ZONE).toISOString()),
    );
    const attempts = await Promise.allSettled(
      f.studentIds.map((studentId, i) => run((tx) => bookSession(tx, ZONE, { configId: f.configId, week: 4, studentId, start: slots[i % 5]!.start, now: NOW }))),
    );
    const won = attempts.filter((a) => a.status === "fulfilled");
    const lost = attempts.filter((a): a is PromiseRejectedResult => a.status === "rejected");
    expect(won).toHaveLength(5);
    expect(lost).toHaveLength(15);
    for (const l of lost) {
      expect(l.reason).toBeInstanceOf(HybridError);
      expect((l.reason as Error).message).toBe(TAKEN);
    }
    const sessions = await run((tx) =>
      tx.lessonOccurrence.findMany({ where: { hybridConfigId: f.configId, hybridWeek: 4, status: "SCHEDULED" }, select: { startsAt: true, studentId: true, kind: true } }),
    );
    expect(sessions).toHaveLength(5);
    expect(new Set(sessions.map((s) => s.startsAt.getTime())).size).toBe(5);
    expect(new Set(sessions.map((s) => s.studentId)).size).toBe(5);
    expect(sessions.every((s) => s.kind === "INDIVIDUAL_SESSION")).toBe(true);
    // Nothing is left in that week, and the overview agrees.
    expect(await run((tx) => freeSlotsForWeek(tx, ZONE, { configId: f.configId, week: 4, now: NOW }))).toEqual([]);
    const overview = await run((tx) => hybridOverview(tx, ZONE, f.configId));
    expect(overview.students.filter((s) => !s.unbookedWeeks.includes(4))).toHaveLength(5);
    expect(overview.students.filter((s) => s.unbookedWeeks.includes(4))).toHaveLength(15);
  });

  it("holds one session per student per week, also when two bookings of the same student race", async () => {
    const booked = await run((tx) => tx.lessonOccurrence.findFirstOrThrow({ where: { hybridConfigId: f.configId, hybridWeek: 4 }, select: { studentId: true } }));
    const [slot] = await run((tx) => freeSlotsForWeek(tx, ZONE, { configId: f.configId, week: 8, now: NOW }));
    await run((tx) => bookSession(tx, ZONE, { configId: f.configId, week: 8, studentId: booked.studentId!, start: slot!.start, now: NOW }));
    const [other] = await run((tx) => freeSlotsForWeek(tx, ZONE, { configId: f.configId, week: 8, now: NOW }));
    await expect(run((tx) => bookSession(tx, ZONE, { configId: f.configId, week: 8, studentId: booked.studentId!, start: other!.start, now: NOW }))).rejects.toThrow(
      /Week 8 is already booked for this student/,
    );

    // Two different times for one student at the same moment: the unique index decides.
    const student = f.studentIds.find((id) => id !== booked.studentId)!;
    const free = await run((tx) => freeSlotsForWeek(tx, ZONE, { configId: f.configId, week: 8, now: NOW }));
    const race = await Promise.allSettled([free[0]!, free[1]!].map((s) => run((tx) => bookSession(tx, ZONE, { configId: f.configId, week: 8, studentId: student, start: s.start, now: NOW }))));
    expect(race.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = race.find((r): r is PromiseRejectedResult => r.status === "rejected")!;
    expect(refused.reason).toBeInstanceOf(HybridError);
    expect((refused.reason as Error).message).toMatch(/Week 8 is already booked for this student/);
    const mine = await run((tx) => tx.lessonOccurrence.count({ where: { hybridConfigId: f.configId, hybridWeek: 8, studentId: student, status: "SCHEDULED" } }));
    expect(mine).toBe(1);
  });

  it("never books a group week", async () => {
    const slots = await run((tx) => freeSlotsForWeek(tx, ZONE, { configId: f.configId, week: 5, now: NOW }));
    expect(slots).toEqual([]);
    const wednesday = localDateTimeToUtc("2027-10-06", "15:00", ZONE);
    await expect(run((tx) => bookSession(tx, ZONE, { configId: f.configId, week: 5, studentId: f.studentIds[19]!, start: wednesday, now: NOW }))).rejects.toThrow(HybridError);
  });
});

describe("moving a session", () => {
  const policy = { allowMoves: true, noticeHours: 24 };

  it("moves to another free time of the same week with enough notice", async () => {
    const session = await run((tx) =>
      tx.lessonOccurrence.findFirstOrThrow({ where: { hybridConfigId: f.configId, hybridWeek: 8, status: "SCHEDULED" }, orderBy: { startsAt: "asc" }, select: { id: true, startsAt: true } }),
    );
    const now = new Date(session.startsAt.getTime() - 3 * 24 * HOUR);
    const target = (await run((tx) => freeSlotsForWeek(tx, ZONE, { configId: f.configId, week: 8, now, ignoreOccurrenceId: session.id }))).find(
      (s) => s.start.getTime() !== session.startsAt.getTime(),
    )!;
    const moved = await run((tx) => moveSession(tx, ZONE, { sessionId: session.id, start: target.start, now, policy }));
    expect(moved.startsAt.getTime()).toBe(target.start.getTime());
  });

  it("is refused inside the notice, when the school does not allow moves, and to a taken time", async () => {
    const sessions = await run((tx) =>
      tx.lessonOccurrence.findMany({ where: { hybridConfigId: f.configId, hybridWeek: 8, status: "SCHEDULED" }, orderBy: { startsAt: "asc" }, select: { id: true, startsAt: true } }),
    );
    const session = sessions[0]!;
    const later = (await run((tx) => freeSlotsForWeek(tx, ZONE, { configId: f.configId, week: 8, now: BEFORE_TERM })))[0]!;
    const tooLate = new Date(session.startsAt.getTime() - 2 * HOUR);
    await expect(run((tx) => moveSession(tx, ZONE, { sessionId: session.id, start: later.start, now: tooLate, policy }))).rejects.toThrow(
      "Sessions can be moved up to 24 hours before they start.",
    );
    await expect(run((tx) => moveSession(tx, ZONE, { sessionId: session.id, start: later.start, now: BEFORE_TERM, policy: { allowMoves: false, noticeHours: 24 } }))).rejects.toThrow(
      /doesn't allow sessions to be moved/,
    );
    // Onto the other student's session: taken.
    await expect(run((tx) => moveSession(tx, ZONE, { sessionId: session.id, start: sessions[1]!.startsAt, now: BEFORE_TERM, policy }))).rejects.toThrow(TAKEN);
    const unchanged = await run((tx) => tx.lessonOccurrence.findUniqueOrThrow({ where: { id: session.id }, select: { startsAt: true } }));
    expect(unchanged.startsAt.getTime()).toBe(session.startsAt.getTime());
  });

  it("never moves a group class", async () => {
    const [meeting] = await groupMeetings();
    await expect(run((tx) => moveSession(tx, ZONE, { sessionId: meeting!.id, start: new Date(meeting!.startsAt.getTime() + HOUR), now: BEFORE_TERM, policy }))).rejects.toThrow(
      "Group classes can't be moved. Only individual sessions can be rescheduled.",
    );
  });
});

describe("family access", () => {
  it("lets a parent act for their own family's students only, and a student for themself only", async () => {
    const mine = await run((tx) => studentsOfAccount(tx, f.parentIds[0]!));
    expect(mine).toEqual([f.studentIds[0]]);
    await run((tx) => assertMayActFor(tx, f.parentIds[0]!, f.studentIds[0]!));
    await expect(run((tx) => assertMayActFor(tx, f.parentIds[0]!, f.studentIds[1]!))).rejects.toBeInstanceOf(FamilyAccessError);
    const child = await run((tx) => tx.student.findUniqueOrThrow({ where: { id: f.studentIds[2]! }, select: { userId: true } }));
    expect(await run((tx) => studentsOfAccount(tx, child.userId))).toEqual([f.studentIds[2]]);
    expect(await run((tx) => studentsOfAccount(tx, f.teacherId))).toEqual([]);
  });
});

describe("fixed gaps (regressions)", () => {
  // saveHybridPattern deletes a future group meeting in a new 1-on-1 week when it has
  // no attendance, but a make-up guest's booking is deleted with it (cascade) while
  // the guest's credit stays used: the family silently loses the credit.
  it("keeps a make-up guest's booking (or gives the credit back) when a group week becomes a 1-on-1 week", async () => {
    const base = { lessonId: f.lessonId, termId: f.termId, individualDurationMinutes: 30, groupPrice: "20.00", individualPrice: "40.00", notifyDaysAhead: 7, bookingReminderDays: 3 };
    const meeting = (await groupMeetings()).find((m) => m.startsAt.getTime() === localDateTimeToUtc(addDays(FIRST_SATURDAY, 7 * 5), "10:00", ZONE).getTime())!;
    const credit = await run(async (tx) => {
      const user = await tx.user.create({ data: { email: `guest-${randomUUID().slice(0, 8)}@students.test.invalid`, firstName: "Guest", lastName: "Student", role: "STUDENT" }, select: { id: true } });
      const student = await tx.student.create({ data: { userId: user.id, instrument: "Piano" }, select: { id: true } });
      const c = await tx.makeUpCredit.create({ data: { studentId: student.id, expiresAt: new Date("2027-12-31T00:00:00Z"), usedAt: BEFORE_TERM, reason: "test" }, select: { id: true } });
      await tx.occurrenceGuest.create({ data: { occurrenceId: meeting.id, studentId: student.id, creditId: c.id } });
      return c;
    });
    try {
      await run((tx) => saveHybridPattern(tx, ZONE, { ...base, individualWeeks: [4, 6, 8] }, BEFORE_TERM));
      const after = await run(async (tx) => ({
        guests: await tx.occurrenceGuest.count({ where: { creditId: credit.id } }),
        credit: await tx.makeUpCredit.findUniqueOrThrow({ where: { id: credit.id }, select: { usedAt: true } }),
      }));
      expect(after.guests === 1 || after.credit.usedAt === null).toBe(true);
    } finally {
      await run((tx) => saveHybridPattern(tx, ZONE, { ...base, individualWeeks: [4, 8] }, BEFORE_TERM));
    }
  });
});
