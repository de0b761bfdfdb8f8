// Make-up lessons: a family cancels with notice and earns a credit at once, then
// books the make-up into an open seat of a fitting group class or a free slot of
// the teacher. The policy rules are pure (app/domain/makeup.ts, notice.ts).
import { cancellationEarnsCredit } from "../domain/notice";
import { creditsDueForReminder, creditStatus, decideCredit, fittingMakeUpOptions, type MakeUpPolicy } from "../domain/makeup";
import { computeFreeSlots } from "../domain/slots";
import { addDays, localDateTimeToUtc, toLocalDate } from "../domain/time";
import { findTermForDate } from "../domain/terms";
import { schoolFormatter } from "./school-settings.server";
import type { Tx } from "../../server/db/school-db.server";
import type { Mailer } from "../../server/services/email.server";
import { studentsOfAccount } from "./family-access.server";
import { studentOptions } from "./roster.server";
import { familyAddresses } from "./notify.server";
import { isOverlapViolation, loadCalendarRules, loadTeacherRules } from "./scheduling.server";

export class MakeUpError extends Error {}

export function policyOf(school: { makeUpNoticeHours: number; makeUpCreditsPerTerm: number; makeUpExpiryDays: number }): MakeUpPolicy {
  return { noticeHours: school.makeUpNoticeHours, maxCreditsPerTerm: school.makeUpCreditsPerTerm, expiryDays: school.makeUpExpiryDays };
}

async function schoolPolicy(tx: Tx) {
  const school = await tx.school.findFirstOrThrow({ select: { makeUpNoticeHours: true, makeUpCreditsPerTerm: true, makeUpExpiryDays: true } });
  return policyOf(school);
}

/** Free seats of one occurrence: capacity − active enrollments − guests + students who said they will not come. */
async function openSeats(tx: Tx, occurrenceId: string) {
  const o = await tx.lessonOccurrence.findUnique({
    where: { id: occurrenceId },
    select: {
      lesson: { select: { maxStudents: true, _count: { select: { enrollments: { where: { status: "ACTIVE" } } } } } },
      _count: { select: { guests: true, attendance: { where: { absenceNotified: true } } } },
    },
  });
  if (!o) return 0;
  if (o.lesson.maxStudents === null) return Number.POSITIVE_INFINITY;
  return o.lesson.maxStudents - o.lesson._count.enrollments - o._count.guests + o._count.attendance;
}

/**
 * A family cancels one of a child's lessons in the portal. The teacher's register
 * shows the absence as notified; with enough notice a credit is issued at once.
 */
export async function cancelForFamily(tx: Tx, mailer: Mailer, input: { occurrenceId: string; studentId: string; timeZone: string; now: Date; reason?: string | null }) {
  const now = input.now;
  const occurrence = await tx.lessonOccurrence.findUnique({
    where: { id: input.occurrenceId },
    select: { id: true, schoolId: true, startsAt: true, status: true, kind: true, studentId: true, lessonId: true, lesson: { select: { title: true } } },
  });
  if (!occurrence || occurrence.status !== "SCHEDULED") throw new MakeUpError("This lesson is not scheduled any more.");
  if (occurrence.startsAt <= now) throw new MakeUpError("This lesson has already started; it can no longer be cancelled here.");
  // A make-up guest cancelling: the seat is released and the credit comes back.
  const guest = await tx.occurrenceGuest.findFirst({ where: { occurrenceId: occurrence.id, studentId: input.studentId }, select: { id: true, creditId: true } });
  if (guest) {
    await tx.occurrenceGuest.delete({ where: { id: guest.id } });
    if (guest.creditId) await tx.makeUpCredit.update({ where: { id: guest.creditId }, data: { usedAt: null } });
    return { credit: null, reason: "The make-up is cancelled and the credit can be used again.", seatFreedOn: occurrence.id };
  }
  const takesPart =
    occurrence.kind === "INDIVIDUAL_SESSION"
      ? occurrence.studentId === input.studentId
      : Boolean(await tx.enrollment.findFirst({ where: { lessonId: occurrence.lessonId, studentId: input.studentId, status: "ACTIVE" }, select: { id: true } }));
  if (!takesPart) throw new MakeUpError("This student is not in that lesson.");
  const existing = await tx.attendance.findFirst({ where: { occurrenceId: occurrence.id, studentId: input.studentId }, select: { absenceNotified: true } });
  if (existing?.absenceNotified) throw new MakeUpError("You have already cancelled this lesson.");

  await tx.attendance.upsert({
    where: { schoolId_occurrenceId_studentId: { schoolId: occurrence.schoolId, occurrenceId: occurrence.id, studentId: input.studentId } },
    create: { occurrenceId: occurrence.id, studentId: input.studentId, present: false, absenceNotified: true, absenceReason: input.reason ?? "Cancelled by the family" },
    update: { present: false, absenceNotified: true, absenceReason: input.reason ?? "Cancelled by the family" },
  });
  // An individual session cancelled by its only student frees the teacher.
  if (occurrence.kind === "INDIVIDUAL_SESSION") {
    await tx.lessonOccurrence.update({ where: { id: occurrence.id }, data: { status: "CANCELLED", cancelReason: "Cancelled by the family", cancelledAt: now } });
  }

  const policy = await schoolPolicy(tx);
  const { terms } = await loadCalendarRules(tx);
  const term = findTermForDate(terms, toLocalDate(occurrence.startsAt, input.timeZone));
  const issuedThisTerm = await tx.makeUpCredit.count({ where: { studentId: input.studentId, sourceOccurrenceId: { not: null }, termId: term?.id ?? null, voidedAt: null } });
  const decision = decideCredit({ policy, occurrenceStart: occurrence.startsAt, now, creditsIssuedThisTerm: issuedThisTerm, timeZone: input.timeZone });
  const credit = decision.issue
    ? await tx.makeUpCredit.create({
        data: { studentId: input.studentId, sourceOccurrenceId: occurrence.id, termId: term?.id ?? null, expiresAt: decision.expiresAt },
        select: { id: true, expiresAt: true },
      })
    : null;

  const student = await tx.student.findUniqueOrThrow({ where: { id: input.studentId }, select: { user: { select: { firstName: true } } } });
  const fmt = await schoolFormatter(tx);
  const when = fmt.dateTime(occurrence.startsAt);
  const text = credit
    ? `${student.user.firstName}'s ${occurrence.lesson.title} on ${when} is cancelled. A make-up credit has been added; book the make-up before ${fmt.dateTime(credit.expiresAt)}.`
    : `${student.user.firstName}'s ${occurrence.lesson.title} on ${when} is cancelled. No make-up credit was issued: ${decision.issue ? "" : decision.reason}`;
  for (const to of (await familyAddresses(tx, [input.studentId])).get(input.studentId) ?? []) {
    await mailer.send(tx, { to, subject: `Cancelled: ${occurrence.lesson.title} on ${when}`, text });
  }
  return { credit, reason: decision.issue ? null : decision.reason, seatFreedOn: occurrence.kind === "LESSON" ? occurrence.id : null };
}

/** Where a credit can be used: open seats in fitting group classes and free slots of the teacher. */
export async function makeUpOptions(tx: Tx, timeZone: string, input: { creditId: string; now: Date; weeksAhead?: number }) {
  const now = input.now;
  const credit = await tx.makeUpCredit.findUnique({
    where: { id: input.creditId },
    select: {
      id: true,
      expiresAt: true,
      usedAt: true,
      voidedAt: true,
      studentId: true,
      student: { select: { instrument: true, skillLevel: true } },
      sourceOccurrence: { select: { lessonId: true, instructorId: true, lesson: { select: { duration: true, roomId: true, locationId: true } } } },
    },
  });
  if (!credit) throw new MakeUpError("That credit does not exist.");
  const until = new Date(Math.min(credit.expiresAt.getTime(), now.getTime() + (input.weeksAhead ?? 6) * 7 * 86_400_000));
  const groups = await tx.lessonOccurrence.findMany({
    where: {
      kind: "LESSON",
      status: "SCHEDULED",
      startsAt: { gt: now, lt: until },
      lesson: { type: { in: ["GROUP", "HYBRID", "ENSEMBLE"] }, enrollments: { none: { studentId: credit.studentId, status: "ACTIVE" } } },
      guests: { none: { studentId: credit.studentId } },
    },
    orderBy: { startsAt: "asc" },
    take: 200,
    select: {
      id: true,
      startsAt: true,
      endsAt: true,
      status: true,
      lesson: { select: { title: true, instrument: true, maxStudents: true, _count: { select: { enrollments: { where: { status: "ACTIVE" } } } } } },
      instructor: { select: { firstName: true, lastName: true } },
      room: { select: { name: true } },
      _count: { select: { guests: true, attendance: { where: { absenceNotified: true } } } },
    },
  });
  const candidates = groups.map((g) => ({
    occurrenceId: g.id,
    start: g.startsAt,
    end: g.endsAt,
    capacity: g.lesson.maxStudents,
    enrolledCount: g.lesson._count.enrollments - g._count.attendance,
    makeUpCount: g._count.guests,
    instrument: g.lesson.instrument,
    title: g.lesson.title,
    teacher: `${g.instructor.firstName} ${g.instructor.lastName}`,
    room: g.room?.name ?? "Online",
  }));

  let slots: { start: Date; end: Date }[] = [];
  const source = credit.sourceOccurrence;
  if (source) {
    const { closures } = await loadCalendarRules(tx);
    const rules = await loadTeacherRules(tx, [source.instructorId], now, until);
    const busy = await tx.lessonOccurrence.findMany({
      where: { status: "SCHEDULED", startsAt: { lt: until }, endsAt: { gt: now }, instructorId: source.instructorId },
      select: { startsAt: true, endsAt: true },
    });
    slots = computeFreeSlots({
      timeZone,
      weekStart: toLocalDate(now, timeZone),
      weekEnd: toLocalDate(until, timeZone),
      durationMinutes: source.lesson.duration,
      stepMinutes: 30,
      availability: rules.availability,
      busy: [...busy.map((b) => ({ start: b.startsAt, end: b.endsAt })), ...rules.timeOff],
      closures,
      now,
      minNoticeMinutes: 12 * 60,
    }).slice(0, 40);
  }
  const options = fittingMakeUpOptions({
    credit: { id: credit.id, expiresAt: credit.expiresAt, usedAt: credit.usedAt, voidedAt: credit.voidedAt },
    student: { instrument: credit.student.instrument, level: credit.student.skillLevel },
    now,
    groupOccurrences: candidates,
    individualSlots: slots,
  });
  return { status: creditStatus(credit, now), ...options };
}

async function lockCredit(tx: Tx, creditId: string, now: Date) {
  await tx.$queryRaw`SELECT id FROM "MakeUpCredit" WHERE id = ${creditId} FOR UPDATE`;
  const credit = await tx.makeUpCredit.findUnique({
    where: { id: creditId },
    select: { id: true, studentId: true, expiresAt: true, usedAt: true, voidedAt: true, sourceOccurrence: { select: { lessonId: true, instructorId: true, roomId: true, lesson: { select: { duration: true } } } } },
  });
  if (!credit) throw new MakeUpError("That credit does not exist.");
  const status = creditStatus(credit, now);
  if (status !== "AVAILABLE") throw new MakeUpError(`This credit is ${status.toLowerCase()} and cannot be used.`);
  return credit;
}

/** Uses a credit for a seat in a group occurrence. */
export async function bookMakeUpSeat(tx: Tx, input: { creditId: string; occurrenceId: string; now: Date }) {
  const now = input.now;
  const credit = await lockCredit(tx, input.creditId, now);
  const occurrence = await tx.lessonOccurrence.findUnique({ where: { id: input.occurrenceId }, select: { id: true, kind: true, lessonId: true, startsAt: true, status: true } });
  if (!occurrence || occurrence.kind !== "LESSON" || occurrence.status !== "SCHEDULED" || occurrence.startsAt <= now) throw new MakeUpError("That class is no longer open for make-ups.");
  const ownClass = await tx.enrollment.findFirst({ where: { lessonId: occurrence.lessonId, studentId: credit.studentId, status: "ACTIVE" }, select: { id: true } });
  if (ownClass) throw new MakeUpError("This is the student's own class: a make-up has to be another class or a free slot.");
  if (occurrence.startsAt > credit.expiresAt) throw new MakeUpError("That class is after the credit expires.");
  // Seats of a class change one at a time: lock its series row like enrollments do.
  await tx.$queryRaw`SELECT id FROM "Lesson" WHERE id = ${occurrence.lessonId} FOR UPDATE`;
  if ((await openSeats(tx, occurrence.id)) <= 0) throw new MakeUpError("That class just filled up. Please choose another.");
  await tx.occurrenceGuest.create({ data: { occurrenceId: occurrence.id, studentId: credit.studentId, creditId: credit.id } });
  await tx.makeUpCredit.update({ where: { id: credit.id }, data: { usedAt: now } });
  return { occurrenceId: occurrence.id };
}

/** Uses a credit for an individual make-up session at a free slot of the teacher. */
export async function bookMakeUpSlot(tx: Tx, timeZone: string, input: { creditId: string; start: Date; now: Date }) {
  const now = input.now;
  const credit = await lockCredit(tx, input.creditId, now);
  const source = credit.sourceOccurrence;
  if (!source) throw new MakeUpError("This credit can be used for a seat in a group class only.");
  const options = await makeUpOptions(tx, timeZone, { creditId: credit.id, now });
  const slot = options.individualSlots.find((s) => s.start.getTime() === input.start.getTime());
  if (!slot) throw new MakeUpError("That time is not free any more. Please choose another.");
  try {
    const session = await tx.lessonOccurrence.create({
      data: { lessonId: source.lessonId, kind: "INDIVIDUAL_SESSION", startsAt: slot.start, endsAt: slot.end, instructorId: source.instructorId, roomId: source.roomId, studentId: credit.studentId, makeUpCreditId: credit.id },
      select: { id: true },
    });
    await tx.makeUpCredit.update({ where: { id: credit.id }, data: { usedAt: now } });
    return { occurrenceId: session.id };
  } catch (error) {
    if (isOverlapViolation(error)) throw new MakeUpError("That time was just taken. Please choose another.");
    throw error;
  }
}

/** Admins grant a credit (with a kept reason) ... */
export async function grantCredit(tx: Tx, timeZone: string, input: { studentId: string; reason: string; actedById: string; expiresOn?: string | null; now: Date }) {
  const now = input.now;
  const policy = await schoolPolicy(tx);
  const expiresOn = input.expiresOn ?? addDays(toLocalDate(now, timeZone), policy.expiryDays);
  if (expiresOn < toLocalDate(now, timeZone)) throw new MakeUpError("The expiry date is in the past.");
  return tx.makeUpCredit.create({
    data: { studentId: input.studentId, expiresAt: localDateTimeToUtc(expiresOn, "23:59", timeZone), reason: input.reason, actedById: input.actedById },
    select: { id: true, expiresAt: true },
  });
}

/** ... or void one (the reason is kept). */
export async function voidCredit(tx: Tx, input: { creditId: string; reason: string; actedById: string; now: Date }) {
  const now = input.now;
  const credit = await lockCredit(tx, input.creditId, now);
  await tx.makeUpCredit.update({ where: { id: credit.id }, data: { voidedAt: now, voidReason: input.reason, voidedById: input.actedById } });
}

/** A student's credits with their state. */
export async function studentCredits(tx: Tx, studentIds: string[], now: Date) {
  const credits = await tx.makeUpCredit.findMany({
    where: { studentId: { in: studentIds } },
    orderBy: { issuedAt: "desc" },
    select: {
      id: true,
      studentId: true,
      issuedAt: true,
      expiresAt: true,
      usedAt: true,
      voidedAt: true,
      reason: true,
      voidReason: true,
      sourceOccurrence: { select: { startsAt: true, lesson: { select: { title: true } } } },
    },
  });
  return credits.map((c) => ({ ...c, status: creditStatus(c, now) }));
}

/** Reminders before credits expire (for the job); each credit is reminded once. */
export async function remindExpiringCredits(tx: Tx, mailer: Mailer, input: { timeZone: string; origin: string; daysBefore?: number; now: Date }) {
  const fmt = await schoolFormatter(tx);
  const now = input.now;
  const credits = await tx.makeUpCredit.findMany({
    where: { usedAt: null, voidedAt: null, remindedAt: null, expiresAt: { gt: now } },
    select: { id: true, expiresAt: true, usedAt: true, voidedAt: true, remindedAt: true, studentId: true, student: { select: { user: { select: { firstName: true } } } } },
  });
  const due = creditsDueForReminder(credits, now, input.daysBefore ?? 7);
  const addresses = await familyAddresses(tx, due.map((c) => c.studentId));
  for (const c of due) {
    for (const to of addresses.get(c.studentId) ?? []) {
      await mailer.send(tx, {
        to,
        subject: `${c.student.user.firstName}'s make-up credit expires soon`,
        text: `${c.student.user.firstName} has a make-up credit that expires on ${fmt.dateTime(c.expiresAt)}. Book the make-up here: ${input.origin}/family/makeups\n`,
      });
    }
    await tx.makeUpCredit.update({ where: { id: c.id }, data: { remindedAt: now } });
  }
  return { reminded: due.length };
}

/** When a seat frees up, families holding credits and the waitlist are told. */
export async function announceFreedSeat(tx: Tx, mailer: Mailer, input: { occurrenceId: string; timeZone: string; origin: string; now: Date }) {
  const now = input.now;
  const o = await tx.lessonOccurrence.findUnique({ where: { id: input.occurrenceId }, select: { startsAt: true, lessonId: true, lesson: { select: { title: true, instrument: true } } } });
  if (!o || o.startsAt <= now) return { told: 0 };
  const waitlisted = await tx.enrollment.findMany({ where: { lessonId: o.lessonId, status: "WAITLISTED" }, orderBy: { enrolledAt: "asc" }, take: 5, select: { studentId: true } });
  const holders = await tx.makeUpCredit.findMany({
    where: {
      usedAt: null,
      voidedAt: null,
      expiresAt: { gt: o.startsAt },
      // Not the class's own students: their class is never their make-up.
      student: { instrument: o.lesson.instrument ?? undefined, enrollments: { none: { lessonId: o.lessonId, status: "ACTIVE" } } },
    },
    take: 20,
    select: { studentId: true },
  });
  const studentIds = [...new Set([...waitlisted, ...holders].map((s) => s.studentId))];
  const addresses = await familyAddresses(tx, studentIds);
  const unique = new Set([...addresses.values()].flat());
  const fmt = await schoolFormatter(tx);
  const when = fmt.dateTime(o.startsAt);
  for (const to of unique) {
    await mailer.send(tx, {
      to,
      subject: `A seat is free in ${o.lesson.title} on ${when}`,
      text: `A seat has freed up in ${o.lesson.title} on ${when}. If you hold a make-up credit, you can book it here: ${input.origin}/family/makeups\n`,
    });
  }
  return { told: unique.size };
}

// ---- the family's page ---------------------------------------------------------------

/**
 * A family's make-up page: for each student the account may act for, the coming
 * lessons (and whether cancelling now earns a credit), the credits with where an
 * available one can be used, and the hybrid lessons open for booking.
 */
export async function familyMakeUpsPage(tx: Tx, input: { accountId: string; timeZone: string; now: Date; weeksAhead: number }) {
  const { timeZone, now } = input;
  const horizon = new Date(now.getTime() + input.weeksAhead * 7 * 86_400_000);
  const ids = await studentsOfAccount(tx, input.accountId);
  const policy = await tx.school.findFirstOrThrow({ select: { makeUpNoticeHours: true, makeUpCreditsPerTerm: true, makeUpExpiryDays: true } });
  const students = await tx.student.findMany({
    where: { id: { in: ids } },
    orderBy: [{ user: { firstName: "asc" } }, { id: "asc" }],
    select: { id: true, user: { select: { firstName: true, lastName: true } } },
  });
  const credits = await studentCredits(tx, ids, now);
  const children = [];
  for (const s of students) {
    const occurrences = await tx.lessonOccurrence.findMany({
      where: {
        status: "SCHEDULED",
        startsAt: { gt: now, lt: horizon },
        OR: [
          { kind: "LESSON", lesson: { enrollments: { some: { studentId: s.id, status: "ACTIVE" } } } },
          { kind: "INDIVIDUAL_SESSION", studentId: s.id },
          { guests: { some: { studentId: s.id } } },
        ],
      },
      orderBy: { startsAt: "asc" },
      take: 12,
      select: {
        id: true,
        startsAt: true,
        endsAt: true,
        kind: true,
        lesson: { select: { title: true } },
        room: { select: { name: true } },
        instructor: { select: { firstName: true, lastName: true } },
        attendance: { where: { studentId: s.id }, select: { absenceNotified: true } },
        guests: { where: { studentId: s.id }, select: { id: true } },
      },
    });
    const mine = credits.filter((c) => c.studentId === s.id);
    const withOptions = [];
    for (const c of mine) {
      if (c.status !== "AVAILABLE") {
        withOptions.push({ ...c, options: null });
        continue;
      }
      const options = await makeUpOptions(tx, timeZone, { creditId: c.id, now });
      withOptions.push({
        ...c,
        options: {
          groups: options.groupOccurrences.slice(0, 8).map((g) => ({
            occurrenceId: g.occurrenceId,
            start: g.start,
            end: g.end,
            title: g.title,
            teacher: g.teacher,
            room: g.room,
            seatsLeft: g.capacity === null ? null : g.capacity - g.enrolledCount - (g.makeUpCount ?? 0),
          })),
          slots: options.individualSlots.slice(0, 24).map((x) => ({ start: x.start.toISOString(), end: x.end.toISOString(), day: toLocalDate(x.start, timeZone) })),
        },
      });
    }
    children.push({
      id: s.id,
      name: `${s.user.firstName} ${s.user.lastName}`,
      firstName: s.user.firstName,
      upcoming: occurrences.map((o) => ({
        id: o.id,
        startsAt: o.startsAt,
        endsAt: o.endsAt,
        title: o.lesson.title,
        kind: o.kind,
        place: o.room?.name ?? "Online",
        teacher: `${o.instructor.firstName} ${o.instructor.lastName}`,
        cancelled: o.attendance.some((a) => a.absenceNotified),
        makeUp: o.guests.length > 0,
        earnsCredit: policy.makeUpCreditsPerTerm > 0 && cancellationEarnsCredit({ occurrenceStart: o.startsAt, now, requiredNoticeHours: policy.makeUpNoticeHours }),
      })),
      credits: withOptions,
    });
  }
  // Hybrid lessons whose 1-on-1 weeks are open for booking (this term or later).
  const today = toLocalDate(now, timeZone);
  const hybrid = await tx.hybridLessonConfig.findMany({
    where: {
      bookingsOpenedAt: { not: null },
      term: { endDate: { gte: today } },
      lesson: { enrollments: { some: { studentId: { in: ids }, status: "ACTIVE" } } },
    },
    orderBy: { term: { startDate: "asc" } },
    select: { id: true, term: { select: { name: true } }, lesson: { select: { title: true } } },
  });
  return { policy, children, hybrid: hybrid.map((h) => ({ id: h.id, title: h.lesson.title, term: h.term.name })) };
}

/** The student a credit belongs to, or null when it does not exist. */
export async function creditOwner(tx: Tx, creditId: string): Promise<string | null> {
  const credit = await tx.makeUpCredit.findUnique({ where: { id: creditId }, select: { studentId: true } });
  return credit?.studentId ?? null;
}

/** Books the credit on a group class it may be used for (fitting, open, before expiry); the class booked. */
export async function bookOfferedMakeUpSeat(tx: Tx, timeZone: string, input: { creditId: string; occurrenceId: string; now: Date }) {
  const options = await makeUpOptions(tx, timeZone, { creditId: input.creditId, now: input.now });
  const option = options.groupOccurrences.find((g) => g.occurrenceId === input.occurrenceId);
  if (!option) throw new MakeUpError("That class is no longer open for this make-up. Please choose another.");
  await bookMakeUpSeat(tx, { creditId: input.creditId, occurrenceId: option.occurrenceId, now: input.now });
  return option;
}

// ---- the admin's credits page -------------------------------------------------------

/** Credits of one student (or of all when `studentFilter` is none of them), in one state or all, with who granted or voided each. */
export async function adminCredits(tx: Tx, input: { studentFilter: string; status: string; now: Date }) {
  const students = await studentOptions(tx);
  const policy = await tx.school.findFirstOrThrow({ select: { makeUpExpiryDays: true, makeUpCreditsPerTerm: true, makeUpNoticeHours: true } });
  const ids = input.studentFilter && students.some((s) => s.id === input.studentFilter) ? [input.studentFilter] : students.map((s) => s.id);
  const credits = (await studentCredits(tx, ids, input.now)).filter((c) => !input.status || c.status === input.status);
  // Who granted or voided (studentCredits does not say).
  const acted = await tx.makeUpCredit.findMany({ where: { id: { in: credits.map((c) => c.id) }, actedById: { not: null } }, select: { id: true, actedById: true } });
  const actorIds = [...new Set(acted.map((a) => a.actedById!))];
  const actors = new Map(
    (await tx.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, firstName: true, lastName: true } })).map((u) => [u.id, `${u.firstName} ${u.lastName}`]),
  );
  const actorOf = new Map(acted.map((a) => [a.id, actors.get(a.actedById!) ?? null]));
  return { students, policy, ids, credits: credits.map((c) => ({ ...c, actor: actorOf.get(c.id) ?? null })) };
}

/** An admin grants a credit to a student of this school; null when there is no such student. */
export async function grantStudentCredit(tx: Tx, timeZone: string, input: { studentId: string; reason: string; actedById: string; expiresOn: string | null; now: Date }) {
  const student = await tx.student.findUnique({ where: { id: input.studentId }, select: { id: true, user: { select: { firstName: true, lastName: true } } } });
  if (!student) return null;
  const created = await grantCredit(tx, timeZone, { ...input, studentId: student.id });
  return { ...created, name: `${student.user.firstName} ${student.user.lastName}` };
}

/** An admin voids an available credit (the reason is kept); `problem` says why not. */
export async function voidAvailableCredit(tx: Tx, input: { creditId: string; reason: string; actedById: string; now: Date }) {
  const credit = await tx.makeUpCredit.findUnique({
    where: { id: input.creditId },
    select: { id: true, expiresAt: true, usedAt: true, voidedAt: true, student: { select: { user: { select: { firstName: true, lastName: true } } } } },
  });
  if (!credit) return { problem: "That credit does not exist any more." };
  const status = creditStatus(credit, input.now);
  if (status !== "AVAILABLE") return { problem: `Only an available credit can be voided; this one is ${status.toLowerCase()}.` };
  await voidCredit(tx, { creditId: credit.id, reason: input.reason, actedById: input.actedById, now: input.now });
  return { name: `${credit.student.user.firstName} ${credit.student.user.lastName}` };
}

