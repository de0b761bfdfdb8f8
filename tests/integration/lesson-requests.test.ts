// Requests for individual lessons and trial lessons against the real database (RLS
// on), in a school of its own: the enrollment form's request becomes a LessonRequest;
// the admin schedules it as a weekly series (the child enrolled, the request marked,
// audited, the family emailed) or declines it; and two families booking the same
// trial time at once: exactly one gets it, the other a clear message.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, toLocalDate } from "../../app/domain/time";
import { declineLessonRequest, LessonRequestError, scheduleFormData, scheduleLessonRequest } from "../../app/models/lesson-requests.server";
import type { ChildInput, EnrollmentInput } from "../../app/models/online-enrollment-form";
import { enrollOnline, type EnrollmentDeps } from "../../app/models/online-enrollment.server";
import { bookTrialLesson, TAKEN_MESSAGE, TrialError, trialTimes } from "../../app/models/trial-lessons.server";
import type { SchoolDb, Tx } from "../../server/db/school-db.server";
import { testServices } from "../support/services";

const NOW = new Date();
const ZONE = "America/New_York";
const services = testServices();
let db: SchoolDb;
let schoolId: string;
let slug: string;
let deps: EnrollmentDeps;
let adminId: string;
let pianoTeacherId: string;
let locationId: string;

const unique = () => randomUUID().slice(0, 8);
const run = <T>(work: (tx: Tx) => Promise<T>) => db.run(work);

beforeAll(async () => {
  slug = `requests-${unique()}`;
  const school = await services.platform.createSchool(null, { name: "Lesson Requests Test School", slug, email: `office@${slug}.test`, timezone: ZONE, currency: "USD" });
  schoolId = school.id;
  db = services.platform.schoolDb(schoolId);
  deps = { mailer: services.mailer, origin: `http://${slug}.localhost:3000`, school: { name: school.name, slug, email: school.email, locale: school.locale, timezone: school.timezone, currency: school.currency }, now: NOW };
  const today = toLocalDate(NOW, ZONE);
  await run(async (tx) => {
    await tx.instrument.createMany({ data: ["Piano", "Cello"].map((name) => ({ name })) });
    await tx.lessonDuration.createMany({ data: [30, 45].map((minutes) => ({ minutes })) });
    await tx.term.create({ data: { name: "This term", startDate: addDays(today, -7), endDate: addDays(today, 60) } });
    adminId = (await tx.user.create({ data: { email: `admin@${slug}.test`, firstName: "Ada", lastName: "Admin", role: "ADMIN", passwordHash: "x" }, select: { id: true } })).id;
    locationId = (await tx.location.create({ data: { name: "Main Hall" }, select: { id: true } })).id;
    const piano = await tx.user.create({ data: { email: `piano@${slug}.test`, firstName: "Pia", lastName: "Keys", role: "TEACHER", passwordHash: "x", teachingInstruments: ["Piano"] }, select: { id: true } });
    pianoTeacherId = piano.id;
    // Every weekday afternoon and evening, and Saturday mornings.
    await tx.teacherAvailability.createMany({
      data: [
        ...[1, 2, 3, 4, 5].map((dayOfWeek) => ({ teacherId: piano.id, dayOfWeek, startTime: "14:00", endTime: "20:00", locationId })),
        { teacherId: piano.id, dayOfWeek: 6, startTime: "09:00", endTime: "12:00", locationId },
      ],
    });
  });
});

afterAll(() => services.close());

function child(firstName: string, request: ChildInput["request"]): ChildInput {
  return {
    firstName,
    lastName: null,
    dateOfBirth: "2016-09-02",
    program: { kind: "individual", instrument: "Piano" },
    instruments: ["Piano"],
    skillLevel: "BEGINNER",
    parentalConsent: true,
    socialMediaConsent: false,
    request,
  };
}

function input(children: ChildInput[]): EnrollmentInput {
  const tag = unique();
  return {
    key: `key-${randomUUID()}`,
    guardian: { firstName: "Robin", lastName: `Okafor${tag}`, email: `robin.${tag}@example.test`, phone: "(212) 555-0101" },
    guardian2: null,
    emergency: { name: "Pat Okafor", phone: "(212) 555-0199", relation: "Grandparent" },
    children,
  };
}

async function requestFor(firstName: string, request: ChildInput["request"]) {
  const data = input([child(firstName, request)]);
  const result = await run((tx) => enrollOnline(tx, deps, data));
  if (result.existingAccount) throw new Error("expected a new family");
  const studentId = result.children[0]!.studentId;
  const row = await run((tx) => tx.lessonRequest.findFirstOrThrow({ where: { studentId } }));
  return { row, studentId, email: data.guardian.email };
}

describe("requests for individual lessons", () => {
  it("the enrollment form's request is recorded with the family's preferences", async () => {
    const { row } = await requestFor("Mina", { days: [2, 4], times: ["AFTERNOON"], durationMinutes: 45, notes: "She has ballet on Mondays." });
    expect(row).toMatchObject({ instrument: "Piano", preferredDays: [2, 4], preferredTimes: ["AFTERNOON"], durationMinutes: 45, notes: "She has ballet on Mondays.", status: "PENDING", lessonId: null });
  });

  it("scheduling creates the weekly series for the term, enrolls the child, marks, audits and emails", async () => {
    const { row, studentId, email } = await requestFor("Theo", { days: [3], times: ["AFTERNOON"], durationMinutes: 30, notes: null });
    const form = await run((tx) => scheduleFormData(tx, { requestId: row.id, timeZone: ZONE, now: NOW }));
    expect(form.teachers.map((t) => t.id)).toEqual([pianoTeacherId]);
    expect(form.suggestions.length).toBeGreaterThan(0);
    const first = form.suggestions[0]!;
    // Wednesday afternoon, as asked.
    expect(first).toMatchObject({ weekday: 3, fits: true, teacherId: pianoTeacherId });
    expect(first.time >= "14:00" && first.time <= "16:30").toBe(true);

    const done = await run((tx) =>
      scheduleLessonRequest(tx, services.mailer, {
        requestId: row.id,
        teacherId: first.teacherId,
        firstDate: first.date,
        startTime: first.time,
        durationMinutes: 30,
        place: { kind: "location", locationId },
        termId: form.defaultTermId,
        actorId: adminId,
        timeZone: ZONE,
        schoolName: "Lesson Requests Test School",
        now: NOW,
      }),
    );
    expect(done.occurrenceCount).toBeGreaterThan(1);
    const after = await run(async (tx) => ({
      request: await tx.lessonRequest.findUniqueOrThrow({ where: { id: row.id } }),
      lesson: await tx.lesson.findUniqueOrThrow({ where: { id: done.lessonId }, select: { type: true, recurrence: true, termId: true, instructorId: true, duration: true } }),
      enrollment: await tx.enrollment.findFirst({ where: { lessonId: done.lessonId, studentId } }),
      audit: await tx.schoolAuditEvent.findFirst({ where: { action: "lesson_request.scheduled", details: { path: ["lessonId"], equals: done.lessonId } } }),
      emails: await tx.emailMessage.findMany({ where: { to: email, subject: { contains: "scheduled" } } }),
    }));
    expect(after.request).toMatchObject({ status: "SCHEDULED", lessonId: done.lessonId, decidedById: adminId });
    expect(after.request.decidedAt).not.toBeNull();
    expect(after.lesson).toMatchObject({ type: "INDIVIDUAL", recurrence: "WEEKLY", termId: form.defaultTermId, instructorId: pianoTeacherId, duration: 30 });
    expect(after.enrollment?.status).toBe("ACTIVE");
    expect(after.audit?.actedById).toBe(adminId);
    expect(after.emails).toHaveLength(1);
    expect(after.emails[0]!.text).toContain("Pia Keys");

    // The time is now taken: it is no longer suggested, and the request cannot be decided again.
    const again = await run((tx) => scheduleFormData(tx, { requestId: row.id, timeZone: ZONE, now: NOW }));
    expect(again.suggestions.some((s) => s.date === first.date && s.time === first.time)).toBe(false);
    await expect(run((tx) => declineLessonRequest(tx, services.mailer, { requestId: row.id, message: "No.", actorId: adminId, schoolName: "x" }))).rejects.toThrow(LessonRequestError);
  });

  it("a time that clashes is refused by the scheduling rules and nothing changes", async () => {
    const { row } = await requestFor("Iris", { days: [], times: [], durationMinutes: null, notes: null });
    // Sunday: the teacher is not available.
    const sunday = (() => {
      let d = addDays(toLocalDate(NOW, ZONE), 1);
      while (new Date(`${d}T12:00:00Z`).getUTCDay() !== 0) d = addDays(d, 1);
      return d;
    })();
    await expect(
      run((tx) =>
        scheduleLessonRequest(tx, services.mailer, { requestId: row.id, teacherId: pianoTeacherId, firstDate: sunday, startTime: "10:00", durationMinutes: 30, place: { kind: "online" }, termId: null, actorId: adminId, timeZone: ZONE, schoolName: "x", now: NOW }),
      ),
    ).rejects.toThrow(/available|hours|availability/i);
    const after = await run((tx) => tx.lessonRequest.findUniqueOrThrow({ where: { id: row.id } }));
    expect(after.status).toBe("PENDING");
  });

  it("declining marks the request and emails the family the message", async () => {
    const { row, email } = await requestFor("Noor", { days: [6], times: ["MORNING"], durationMinutes: null, notes: null });
    await run((tx) => declineLessonRequest(tx, services.mailer, { requestId: row.id, message: "Our piano teachers are full until spring; we will write to you then.", actorId: adminId, schoolName: "x" }));
    const after = await run(async (tx) => ({
      request: await tx.lessonRequest.findUniqueOrThrow({ where: { id: row.id } }),
      emails: await tx.emailMessage.findMany({ where: { to: email, subject: { contains: "Piano lessons" } } }),
    }));
    expect(after.request).toMatchObject({ status: "DECLINED", declineMessage: "Our piano teachers are full until spring; we will write to you then.", decidedById: adminId, lessonId: null });
    expect(after.emails.map((e) => e.text).join("\n")).toContain("full until spring");
  });
});

describe("trial lessons", () => {
  it("two families booking the same time at once: exactly one gets it, the other is told", async () => {
    await run((tx) => tx.school.update({ where: { id: schoolId }, data: { trialLessonMinutes: 30 } }));
    const times = await run((tx) => trialTimes(tx, { instrument: "Piano", timeZone: ZONE, now: NOW, minutes: 30 }));
    expect(times.length).toBeGreaterThan(0);
    // A Saturday morning: no series of the tests above can take it.
    const slot = times.find((t) => new Date(`${t.date}T12:00:00Z`).getUTCDay() === 6) ?? times.at(-1)!;
    const booking = () => {
      const enrollment = input([{ ...child("Trial", null), program: null }]);
      return db.run((tx) => bookTrialLesson(tx, { ...deps, timeZone: ZONE }, { enrollment, instrument: "Piano", teacherId: slot.teacherId, start: slot.start }), { timeout: 30_000 });
    };
    const results = await Promise.allSettled([booking(), booking()]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(TrialError);
    expect((lost[0]!.reason as TrialError).message).toBe(TAKEN_MESSAGE);

    const winner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof booking>>>).value;
    expect(winner.trial).not.toBeNull();
    const after = await run(async (tx) => ({
      occurrences: await tx.lessonOccurrence.findMany({ where: { instructorId: slot.teacherId, startsAt: slot.start }, select: { lesson: { select: { type: true, recurrence: true } } } }),
      enrolled: await tx.enrollment.count({ where: { lessonId: winner.trial!.lessonId, status: "ACTIVE" } }),
      teacherEmails: await tx.emailMessage.count({ where: { to: `piano@${slug}.test`, subject: { startsWith: "Trial lesson booked" } } }),
      families: await tx.familyGroup.count({ where: { name: { startsWith: "Okafor" } } }),
    }));
    expect(after.occurrences).toEqual([{ lesson: { type: "INDIVIDUAL", recurrence: "ONCE" } }]);
    expect(after.enrolled).toBe(1);
    expect(after.teacherEmails).toBe(1);
    // The loser's family was rolled back with its booking: 4 request families + 1 trial family.
    expect(after.families).toBe(5);

    // The time is no longer offered.
    const later = await run((tx) => trialTimes(tx, { instrument: "Piano", timeZone: ZONE, now: NOW, minutes: 30 }));
    expect(later.some((t) => t.value === slot.value)).toBe(false);
  });

  it("is refused when the school does not offer trial lessons", async () => {
    await run((tx) => tx.school.update({ where: { id: schoolId }, data: { trialLessonMinutes: null } }));
    const enrollment = input([{ ...child("Nope", null), program: null }]);
    await expect(run((tx) => bookTrialLesson(tx, { ...deps, timeZone: ZONE }, { enrollment, instrument: "Piano", teacherId: pianoTeacherId, start: new Date(NOW.getTime() + 3 * 86_400_000) }))).rejects.toMatchObject({ status: 403 });
  });
});
