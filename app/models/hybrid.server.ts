// Hybrid lessons: a term pattern of group and individual (1-on-1) weeks, the
// booking of individual sessions by parents, and moves with notice. The week and
// slot rules are pure (app/domain/hybrid.ts, slots.ts, notice.ts); this module
// loads what they need and writes through the school-bound `tx`. Two parents can
// never hold the same slot: the teacher-overlap exclusion constraint and the
// one-session-per-week unique index decide races in the database.
import { countWeeksPerStudent, hybridWeeks, priceBreakdown, validatePattern, termWeekCount, type HybridPattern, type HybridWeek } from "../domain/hybrid";
import { canMoveIndividualSession } from "../domain/notice";
import { computeFreeSlots, type FreeSlot } from "../domain/slots";
import type { Formatter } from "../domain/locale";
import { addDays, formatLocalTime, localDateTimeToUtc, toLocalDate, toLocalParts } from "../domain/time";
import { schoolFormatter } from "./school-settings.server";
import type { Tx } from "../../server/db/school-db.server";
import type { Mailer } from "../../server/services/email.server";
import { familyAddresses } from "./notify.server";
import { isOverlapViolation, loadCalendarRules, loadTeacherRules } from "./scheduling.server";

export class HybridError extends Error {}

const configSelect = {
  id: true,
  lessonId: true,
  termId: true,
  oneOnOneWeeks: true,
  individualDurationMinutes: true,
  groupPricePerStudent: true,
  oneOnOnePricePerStudent: true,
  notifyParentsInAdvance: true,
  bookingsOpenedAt: true,
  bookingReminderDays: true,
  term: { select: { id: true, name: true, startDate: true, endDate: true } },
  lesson: {
    select: { id: true, title: true, type: true, startTime: true, duration: true, instructorId: true, roomId: true, locationId: true, instructor: { select: { firstName: true, lastName: true } } },
  },
} as const;

type ConfigRow = Awaited<ReturnType<typeof loadConfig>>;

async function loadConfig(tx: Tx, configId: string) {
  const config = await tx.hybridLessonConfig.findUnique({ where: { id: configId }, select: configSelect });
  if (!config) throw new HybridError("That hybrid term pattern does not exist.");
  return config;
}

/** The pure pattern of a config: group weekday/time come from the series in the school's zone. */
export function patternOf(config: ConfigRow, timeZone: string): HybridPattern {
  const local = toLocalParts(config.lesson.startTime, timeZone);
  return {
    termId: config.termId,
    termStartDate: config.term.startDate,
    termEndDate: config.term.endDate,
    individualWeeks: config.oneOnOneWeeks,
    groupWeekday: local.weekday,
    groupStartTime: formatLocalTime(config.lesson.startTime, timeZone),
    groupDurationMinutes: config.lesson.duration,
    individualDurationMinutes: config.individualDurationMinutes,
    groupPrice: config.groupPricePerStudent?.toString() ?? null,
    individualPrice: config.oneOnOnePricePerStudent?.toString() ?? null,
    notifyDaysAhead: config.notifyParentsInAdvance ?? 7,
    locationId: config.lesson.locationId,
  };
}

export async function weeksOf(tx: Tx, config: ConfigRow, timeZone: string): Promise<HybridWeek[]> {
  const { closures } = await loadCalendarRules(tx);
  return hybridWeeks(patternOf(config, timeZone), closures, timeZone);
}

// ---- the admin's pattern ----------------------------------------------------------

export interface PatternInput {
  lessonId: string;
  termId: string;
  individualWeeks: number[];
  individualDurationMinutes: number;
  groupPrice: string | null;
  individualPrice: string | null;
  notifyDaysAhead: number;
  bookingReminderDays: number;
}

/**
 * Saves a term's pattern and makes the series follow it: the group meets in group
 * weeks only, so future group meetings in individual weeks are removed (freeing the
 * teacher and room for 1-on-1s) and group weeks get their meeting back if missing.
 */
export async function saveHybridPattern(tx: Tx, timeZone: string, input: PatternInput, now: Date) {
  const lesson = await tx.lesson.findUnique({ where: { id: input.lessonId }, select: { id: true, schoolId: true, type: true, startTime: true, duration: true, instructorId: true, roomId: true } });
  if (!lesson || lesson.type !== "HYBRID") throw new HybridError("Only hybrid lessons have a week pattern.");
  const term = await tx.term.findFirst({ where: { id: input.termId, archivedAt: null }, select: { id: true, startDate: true, endDate: true } });
  if (!term) throw new HybridError("Choose a term of this school.");
  const config = await tx.hybridLessonConfig.upsert({
    where: { schoolId_lessonId_termId: { schoolId: lesson.schoolId, lessonId: lesson.id, termId: term.id } },
    create: {
      lessonId: lesson.id,
      termId: term.id,
      cycleLength: termWeekCount(term.startDate, term.endDate),
      oneOnOneWeeks: input.individualWeeks,
      cycleStartDate: new Date(`${term.startDate}T00:00:00Z`),
      individualDurationMinutes: input.individualDurationMinutes,
      groupPricePerStudent: input.groupPrice,
      oneOnOnePricePerStudent: input.individualPrice,
      notifyParentsInAdvance: input.notifyDaysAhead,
      bookingReminderDays: input.bookingReminderDays,
    },
    update: {
      oneOnOneWeeks: input.individualWeeks,
      individualDurationMinutes: input.individualDurationMinutes,
      groupPricePerStudent: input.groupPrice,
      oneOnOnePricePerStudent: input.individualPrice,
      notifyParentsInAdvance: input.notifyDaysAhead,
      bookingReminderDays: input.bookingReminderDays,
    },
    select: configSelect,
  });
  const pattern = patternOf(config, timeZone);
  const problems = validatePattern(pattern, termWeekCount(term.startDate, term.endDate));
  if (problems.length) throw new HybridError(problems.join(" "));
  const weeks = await weeksOf(tx, config, timeZone);

  // Make the group meetings follow the pattern (future dates only).
  const meetings = await tx.lessonOccurrence.findMany({
    where: { lessonId: lesson.id, kind: "LESSON", startsAt: { gte: now } },
    select: { id: true, startsAt: true, status: true, _count: { select: { attendance: true } } },
  });
  const byStart = new Map(meetings.map((m) => [m.startsAt.getTime(), m]));
  let removed = 0;
  let added = 0;
  for (const w of weeks) {
    if (!w.groupStart || !w.groupEnd || w.groupStart < now) continue;
    const existing = byStart.get(w.groupStart.getTime());
    if (w.kind === "INDIVIDUAL" && existing && existing._count.attendance === 0) {
      // Make-up guests of that meeting get their credits back (their seat goes with it).
      await tx.makeUpCredit.updateMany({ where: { guests: { some: { occurrenceId: existing.id } } }, data: { usedAt: null } });
      // Their seats are bookings of a date that will not happen, not history: they go first
      // (the database keeps guests of an occurrence from vanishing with it).
      await tx.occurrenceGuest.deleteMany({ where: { occurrenceId: existing.id } });
      await tx.lessonOccurrence.delete({ where: { id: existing.id } });
      removed++;
    } else if (w.kind === "GROUP" && !existing) {
      try {
        // A clash aborts the whole save (the caller's transaction rolls back).
        await tx.lessonOccurrence.create({
          data: { lessonId: lesson.id, startsAt: w.groupStart, endsAt: w.groupEnd, instructorId: lesson.instructorId, roomId: lesson.roomId },
        });
        added++;
      } catch (error) {
        if (isOverlapViolation(error)) {
          const fmt = await schoolFormatter(tx);
          throw new HybridError(`Week ${w.weekNumber} cannot become a group week again: the teacher or room is booked at ${fmt.dateTime(w.groupStart)}.`);
        }
        throw error;
      }
    }
  }
  return { config, weeks, removed, added };
}

/**
 * Opens 1-on-1 bookings and emails every enrolled family once: the weeks still ahead
 * (never one already over), as dates a person reads, naming their children.
 */
export async function openBookings(tx: Tx, mailer: Mailer, input: { configId: string; origin: string; timeZone: string; now: Date }) {
  const config = await loadConfig(tx, input.configId);
  if (config.bookingsOpenedAt) throw new HybridError("Bookings are already open for this term.");
  const now = input.now;
  await tx.hybridLessonConfig.update({ where: { id: config.id }, data: { bookingsOpenedAt: now } });
  const today = toLocalDate(now, input.timeZone);
  const weeks = (await weeksOf(tx, config, input.timeZone)).filter((w) => w.kind === "INDIVIDUAL" && w.weekEnd >= today);
  const enrolled = await tx.enrollment.findMany({
    where: { lessonId: config.lessonId, status: "ACTIVE" },
    select: { studentId: true, student: { select: { user: { select: { firstName: true } } } } },
  });
  const addresses = await familyAddresses(tx, enrolled.map((e) => e.studentId));
  const fmt = await schoolFormatter(tx);
  // One email per address, naming every child of theirs in the lesson.
  const childrenOf = new Map<string, string[]>();
  for (const e of enrolled) {
    for (const to of addresses.get(e.studentId) ?? []) childrenOf.set(to, [...(childrenOf.get(to) ?? []), e.student.user.firstName]);
  }
  for (const [to, children] of childrenOf) {
    await mailer.send(tx, {
      to,
      subject: `Book your 1-on-1 sessions for ${config.lesson.title}`,
      text: bookingsOpenText(fmt, { lessonTitle: config.lesson.title, termName: config.term.name, children, weeks, link: `${input.origin}/family/hybrid/${config.id}` }),
    });
  }
  return { notified: childrenOf.size };
}

/** The "bookings are open" email's words (its weeks are the ones still ahead). */
export function bookingsOpenText(fmt: Formatter, input: { lessonTitle: string; termName: string; children: string[]; weeks: readonly { weekNumber: number; weekStart: string; weekEnd: string }[]; link: string }) {
  const who = input.children.length > 1 ? `${input.children.slice(0, -1).join(", ")} and ${input.children.at(-1)}` : (input.children[0] ?? "your child");
  const lines = input.weeks.map((w) => `- Week ${w.weekNumber}: ${fmt.day(w.weekStart)} to ${fmt.day(w.weekEnd)}`);
  return [
    `Hello,`,
    "",
    `${who} can now book ${input.weeks.length === 1 ? "a 1-on-1 session" : "1-on-1 sessions"} for ${input.lessonTitle} (${input.termName}). In ${input.weeks.length === 1 ? "this week" : "these weeks"} the lesson is one-to-one instead of the group:`,
    ...lines,
    "",
    `Choose a time for each week here:`,
    input.link,
    "",
  ].join("\n");
}

// ---- who booked what ---------------------------------------------------------------

/** Weeks, enrolled students and their sessions, for teachers, admins and the family page. */
export async function hybridOverview(tx: Tx, timeZone: string, configId: string, studentIds?: string[]) {
  const config = await loadConfig(tx, configId);
  const weeks = await weeksOf(tx, config, timeZone);
  const enrollments = await tx.enrollment.findMany({
    where: { lessonId: config.lessonId, status: "ACTIVE", ...(studentIds ? { studentId: { in: studentIds } } : {}) },
    orderBy: { student: { user: { lastName: "asc" } } },
    select: { studentId: true, student: { select: { user: { select: { firstName: true, lastName: true } } } } },
  });
  const sessions = await tx.lessonOccurrence.findMany({
    where: { hybridConfigId: config.id, kind: "INDIVIDUAL_SESSION", status: "SCHEDULED", ...(studentIds ? { studentId: { in: studentIds } } : {}) },
    orderBy: { startsAt: "asc" },
    select: { id: true, startsAt: true, endsAt: true, studentId: true, hybridWeek: true },
  });
  const individualWeeks = weeks.filter((w) => w.kind === "INDIVIDUAL");
  const students = enrollments.map((e) => {
    const mine = sessions.filter((s) => s.studentId === e.studentId);
    return {
      id: e.studentId,
      name: `${e.student.user.firstName} ${e.student.user.lastName}`,
      sessions: mine,
      unbookedWeeks: individualWeeks.filter((w) => !mine.some((s) => s.hybridWeek === w.weekNumber)).map((w) => w.weekNumber),
    };
  });
  return { config, weeks, students, pattern: patternOf(config, timeZone) };
}

/**
 * Group and individual weeks of one student for one term, and their price — the
 * one place billing asks (individual weeks counted as booked sessions when asked).
 */
export async function studentWeekCounts(tx: Tx, timeZone: string, input: { configId: string; studentId: string; onlyBooked?: boolean }) {
  const config = await loadConfig(tx, input.configId);
  const enrollment = await tx.enrollment.findFirst({ where: { lessonId: config.lessonId, studentId: input.studentId }, select: { enrolledAt: true, unenrolledAt: true, droppedAt: true } });
  const sessions = await tx.lessonOccurrence.findMany({ where: { hybridConfigId: config.id, studentId: input.studentId, status: { in: ["SCHEDULED", "COMPLETED"] } }, select: { hybridWeek: true } });
  const { closures } = await loadCalendarRules(tx);
  if (!enrollment) throw new HybridError("This student is not enrolled in the lesson.");
  const ended = enrollment.unenrolledAt ?? enrollment.droppedAt;
  const pattern = patternOf(config, timeZone);
  const counts = countWeeksPerStudent({
    pattern,
    closures,
    timeZone,
    enrolledFrom: toLocalDate(enrollment.enrolledAt, timeZone) > config.term.startDate ? toLocalDate(enrollment.enrolledAt, timeZone) : null,
    enrolledUntil: ended ? toLocalDate(ended, timeZone) : null,
    onlyBookedIndividualWeeks: input.onlyBooked ?? false,
    bookedIndividualWeeks: sessions.map((s) => s.hybridWeek!).filter((n) => n !== null),
  });
  return { counts, price: priceBreakdown(counts, pattern) };
}

// ---- slots and booking -------------------------------------------------------------

export async function freeSlotsForWeek(tx: Tx, timeZone: string, input: { configId: string; week: number; now: Date; ignoreOccurrenceId?: string }): Promise<FreeSlot[]> {
  const config = await loadConfig(tx, input.configId);
  const now = input.now;
  const weeks = await weeksOf(tx, config, timeZone);
  const week = weeks.find((w) => w.weekNumber === input.week);
  if (!week || week.kind !== "INDIVIDUAL") return [];
  const { closures } = await loadCalendarRules(tx);
  const from = localDateTimeToUtc(week.weekStart, "00:00", timeZone);
  const to = localDateTimeToUtc(addDays(week.weekEnd, 1), "00:00", timeZone);
  const teacherId = config.lesson.instructorId;
  const rules = await loadTeacherRules(tx, [teacherId], from, to);
  const busyRows = await tx.lessonOccurrence.findMany({
    where: {
      status: "SCHEDULED",
      startsAt: { lt: to },
      endsAt: { gt: from },
      OR: [{ instructorId: teacherId }, ...(config.lesson.roomId ? [{ roomId: config.lesson.roomId }] : [])],
      ...(input.ignoreOccurrenceId ? { id: { not: input.ignoreOccurrenceId } } : {}),
    },
    select: { startsAt: true, endsAt: true },
  });
  const windows = rules.availability.filter((a) => !a.locationId || !config.lesson.locationId || a.locationId === config.lesson.locationId);
  return computeFreeSlots({
    timeZone,
    weekStart: week.weekStart,
    weekEnd: week.weekEnd,
    durationMinutes: config.individualDurationMinutes,
    stepMinutes: Math.min(30, config.individualDurationMinutes),
    availability: windows.map((a) => ({ ...a, validFrom: a.validFrom ?? null, validUntil: a.validUntil ?? null })),
    busy: [...busyRows.map((b) => ({ start: b.startsAt, end: b.endsAt })), ...rules.timeOff],
    closures,
    now,
    minNoticeMinutes: 60,
  });
}

const TAKEN = "That time was just taken by another family. Please choose another time.";

/** Books one individual week for one student at a free slot. */
export async function bookSession(tx: Tx, timeZone: string, input: { configId: string; week: number; studentId: string; start: Date; now: Date }) {
  const config = await loadConfig(tx, input.configId);
  if (!config.bookingsOpenedAt) throw new HybridError("Bookings for this term are not open yet.");
  const enrolled = await tx.enrollment.findFirst({ where: { lessonId: config.lessonId, studentId: input.studentId, status: "ACTIVE" }, select: { id: true } });
  if (!enrolled) throw new HybridError("This student is not enrolled in the lesson.");
  const already = await tx.lessonOccurrence.findFirst({
    where: { hybridConfigId: config.id, studentId: input.studentId, hybridWeek: input.week, status: "SCHEDULED" },
    select: { id: true },
  });
  if (already) throw new HybridError(`Week ${input.week} is already booked for this student. Move that session instead.`);
  const week = (await weeksOf(tx, config, timeZone)).find((w) => w.weekNumber === input.week);
  if (!week) throw new HybridError(`The term has no week ${input.week}.`);
  if (week.kind !== "INDIVIDUAL") throw new HybridError(`Week ${input.week} is ${week.kind === "GROUP" ? "a group week" : "closed"}: there is no 1-on-1 session to book.`);
  const slots = await freeSlotsForWeek(tx, timeZone, { configId: config.id, week: input.week, now: input.now });
  const slot = slots.find((s) => s.start.getTime() === input.start.getTime());
  if (!slot) throw new HybridError(TAKEN);
  try {
    return await tx.lessonOccurrence.create({
      data: {
        lessonId: config.lessonId,
        kind: "INDIVIDUAL_SESSION",
        startsAt: slot.start,
        endsAt: slot.end,
        instructorId: config.lesson.instructorId,
        roomId: config.lesson.roomId,
        studentId: input.studentId,
        hybridConfigId: config.id,
        hybridWeek: input.week,
      },
      select: { id: true, startsAt: true, endsAt: true },
    });
  } catch (error) {
    if (isOverlapViolation(error)) throw new HybridError(TAKEN);
    if (/one_session_per_week|Unique constraint/i.test(String((error as Error).message))) {
      throw new HybridError(`Week ${input.week} is already booked for this student.`);
    }
    throw error;
  }
}

/** Moves a booked individual session to another free slot of the same week, with notice. */
export async function moveSession(
  tx: Tx,
  timeZone: string,
  input: { sessionId: string; start: Date; now: Date; policy: { allowMoves: boolean; noticeHours: number } },
) {
  const now = input.now;
  const session = await tx.lessonOccurrence.findUnique({
    where: { id: input.sessionId },
    select: { id: true, kind: true, status: true, startsAt: true, hybridConfigId: true, hybridWeek: true },
  });
  if (!session || session.status !== "SCHEDULED") throw new HybridError("That session is not booked any more.");
  const decision = canMoveIndividualSession({
    sessionStart: session.startsAt,
    now,
    noticeHours: input.policy.noticeHours,
    schoolAllowsMoves: input.policy.allowMoves,
    kind: session.kind === "INDIVIDUAL_SESSION" ? "INDIVIDUAL" : "GROUP",
  });
  if (!decision.ok) throw new HybridError(decision.reason);
  if (!session.hybridConfigId || session.hybridWeek === null) throw new HybridError("Only 1-on-1 sessions of hybrid lessons can be moved here.");
  const slots = await freeSlotsForWeek(tx, timeZone, { configId: session.hybridConfigId, week: session.hybridWeek, now, ignoreOccurrenceId: session.id });
  const slot = slots.find((s) => s.start.getTime() === input.start.getTime());
  if (!slot) throw new HybridError(TAKEN);
  try {
    return await tx.lessonOccurrence.update({ where: { id: session.id }, data: { startsAt: slot.start, endsAt: slot.end }, select: { id: true, startsAt: true, endsAt: true } });
  } catch (error) {
    if (isOverlapViolation(error)) throw new HybridError(TAKEN);
    throw error;
  }
}

/** Families with individual weeks still unbooked, starting `bookingReminderDays` from `today`. */
export async function remindUnbooked(tx: Tx, mailer: Mailer, input: { timeZone: string; origin: string; now: Date }) {
  const now = input.now;
  const today = toLocalDate(now, input.timeZone);
  const configs = await tx.hybridLessonConfig.findMany({ where: { bookingsOpenedAt: { not: null } }, select: { id: true } });
  let sent = 0;
  for (const { id } of configs) {
    const overview = await hybridOverview(tx, input.timeZone, id);
    const dueWeeks = overview.weeks.filter((w) => w.kind === "INDIVIDUAL" && addDays(w.weekStart, -overview.config.bookingReminderDays) === today);
    for (const w of dueWeeks) {
      const missing = overview.students.filter((s) => s.unbookedWeeks.includes(w.weekNumber));
      const addresses = await familyAddresses(tx, missing.map((s) => s.id));
      for (const s of missing) {
        for (const to of addresses.get(s.id) ?? []) {
          await mailer.send(tx, {
            to,
            subject: `Please book ${s.name}'s 1-on-1 session for week ${w.weekNumber}`,
            text: `${s.name} has no 1-on-1 session booked yet for week ${w.weekNumber} (${w.weekStart} to ${w.weekEnd}) of ${overview.config.lesson.title}.\nBook a time here: ${input.origin}/family/hybrid/${id}\n`,
          });
          sent++;
        }
      }
    }
  }
  return { sent };
}

// ---- the calendar's "1-on-1 week" markers -------------------------------------------

export interface WeekMarker {
  lessonId: string;
  configId: string;
  title: string;
  weekNumber: number;
  start: Date;
  end: Date;
  teacherId: string;
  teacherName: string;
  roomId: string | null;
  roomName: string | null;
  locationName: string | null;
}

/**
 * In an individual week the group does not meet; the calendar shows a marker at the
 * group's usual time instead. Markers of the hybrid lessons whose term overlaps the
 * window, optionally for one teacher or only the lessons these students attend.
 */
export async function hybridWeekMarkers(tx: Tx, timeZone: string, from: Date, to: Date, f: { teacherId?: string | null; roomId?: string | null; studentIds?: string[] | null } = {}): Promise<WeekMarker[]> {
  const fromDate = toLocalDate(from, timeZone);
  const toDate = toLocalDate(to, timeZone);
  const configs = await tx.hybridLessonConfig.findMany({
    where: {
      term: { startDate: { lte: toDate }, endDate: { gte: fromDate } },
      lesson: {
        status: "SCHEDULED",
        ...(f.teacherId ? { instructorId: f.teacherId } : {}),
        ...(f.roomId ? { roomId: f.roomId } : {}),
        ...(f.studentIds ? { enrollments: { some: { studentId: { in: f.studentIds }, status: "ACTIVE" } } } : {}),
      },
    },
    select: { ...configSelect, lesson: { select: { ...configSelect.lesson.select, room: { select: { name: true, location: { select: { name: true } } } } } } },
  });
  if (configs.length === 0) return [];
  const { closures } = await loadCalendarRules(tx);
  const markers: WeekMarker[] = [];
  for (const config of configs) {
    for (const w of hybridWeeks(patternOf(config, timeZone), closures, timeZone)) {
      if (w.kind !== "INDIVIDUAL" || !w.groupStart || !w.groupEnd || w.groupStart < from || w.groupStart >= to) continue;
      markers.push({
        lessonId: config.lessonId,
        configId: config.id,
        title: config.lesson.title,
        weekNumber: w.weekNumber,
        start: w.groupStart,
        end: w.groupEnd,
        teacherId: config.lesson.instructorId,
        teacherName: `${config.lesson.instructor.firstName} ${config.lesson.instructor.lastName}`,
        roomId: config.lesson.roomId,
        roomName: config.lesson.room?.name ?? null,
        locationName: config.lesson.room?.location.name ?? null,
      });
    }
  }
  return markers;
}
