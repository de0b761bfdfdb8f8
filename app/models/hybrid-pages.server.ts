// The hybrid lesson's pages, as use cases over hybrid.server.ts: the admin's term
// pattern page, the teacher's read-only overview, and the family's booking page.
import type { Tx } from "../../server/db/school-db.server";
import type { Mailer } from "../../server/services/email.server";
import { termWeekCount } from "../domain/hybrid";
import { canMoveIndividualSession } from "../domain/notice";
import { toLocalDate } from "../domain/time";
import { FamilyAccessError, studentsOfAccount } from "./family-access.server";
import { freeSlotsForWeek, HybridError, hybridOverview, moveSession, openBookings, saveHybridPattern, type PatternInput } from "./hybrid.server";
import { loadCalendarRules } from "./scheduling.server";
import { movePolicy, oneOnOneWeekLabel } from "./school-settings.server";

// ---- admin ---------------------------------------------------------------------------------

/**
 * The admin's pattern page of one lesson: its terms, the chosen term (asked for, else
 * the next configured one, the lesson's own, the next one, the last one), that term's
 * pattern and bookings. Null when the lesson does not exist.
 */
export async function adminHybridPage(tx: Tx, input: { lessonId: string; timeZone: string; askedTermId: string | null; now: Date }) {
  const lesson = await tx.lesson.findUnique({
    where: { id: input.lessonId },
    select: {
      id: true,
      title: true,
      type: true,
      startTime: true,
      duration: true,
      locationId: true,
      termId: true,
      instructor: { select: { firstName: true, lastName: true } },
      room: { select: { name: true } },
      location: { select: { name: true } },
      hybridConfigs: {
        select: {
          id: true,
          termId: true,
          oneOnOneWeeks: true,
          individualDurationMinutes: true,
          groupPricePerStudent: true,
          oneOnOnePricePerStudent: true,
          notifyParentsInAdvance: true,
          bookingReminderDays: true,
          bookingsOpenedAt: true,
        },
      },
    },
  });
  if (!lesson) return null;
  const label = await oneOnOneWeekLabel(tx);
  const { terms, closures } = await loadCalendarRules(tx);
  const today = toLocalDate(input.now, input.timeZone);
  const configuredTerms = new Set(lesson.hybridConfigs.map((c) => c.termId));
  const term =
    terms.find((t) => t.id === input.askedTermId) ??
    terms.find((t) => configuredTerms.has(t.id) && t.endDate >= today) ??
    terms.find((t) => t.id === lesson.termId && t.endDate >= today) ??
    terms.find((t) => t.endDate >= today) ??
    terms.at(-1) ??
    null;
  const config = term ? (lesson.hybridConfigs.find((c) => c.termId === term.id) ?? null) : null;
  const overview = config ? await hybridOverview(tx, input.timeZone, config.id) : null;
  return { lesson, label, terms, closures, configuredTerms, term, config, overview, today };
}

/** Opens the bookings of this lesson's pattern `configId` and emails the families the link. */
export async function openLessonBookings(tx: Tx, mailer: Mailer, input: { lessonId: string; configId: string; origin: string; timeZone: string; now: Date }) {
  const config = await tx.hybridLessonConfig.findFirst({ where: { id: input.configId, lessonId: input.lessonId }, select: { id: true } });
  if (!config) throw new HybridError("Save the term's pattern before opening bookings.");
  return openBookings(tx, mailer, { configId: config.id, origin: input.origin, timeZone: input.timeZone, now: input.now });
}

/** The pattern form's fields: saveHybridPattern's input, for the lesson of the page. */
export type LessonPatternInput = Omit<PatternInput, "lessonId">;

/**
 * Saves a lesson's pattern for a term, after checking the weeks against the term:
 * `problem` names the field to correct, else the calendar changes made.
 */
export async function saveLessonPattern(tx: Tx, timeZone: string, lessonId: string, input: LessonPatternInput, now: Date) {
  const term = await tx.term.findFirst({ where: { id: input.termId, archivedAt: null }, select: { id: true, name: true, startDate: true, endDate: true } });
  if (!term) return { problem: { termId: "Choose a term of this school." } as Record<string, string> };
  const count = termWeekCount(term.startDate, term.endDate);
  const outside = input.individualWeeks.filter((w) => w > count);
  if (outside.length) {
    const list = outside.join(", ");
    return {
      problem: { individualWeeks: `${outside.length > 1 ? "Weeks" : "Week"} ${list} ${outside.length > 1 ? "are" : "is"} outside ${term.name}, which has weeks 1–${count}.` },
    };
  }
  if (input.individualWeeks.length === 0) {
    return { problem: { individualWeeks: "Choose at least one 1-on-1 week (otherwise this is a plain group lesson)." } };
  }
  if (input.individualWeeks.length >= count) {
    return { problem: { individualWeeks: `At least one of the ${count} weeks must be a group week.` } };
  }
  const result = await saveHybridPattern(tx, timeZone, { lessonId, ...input, termId: term.id }, now);
  return { result, termName: term.name };
}

// ---- teacher -------------------------------------------------------------------------------

/** The pattern and bookings of a hybrid lesson the teacher teaches; null for any other. */
export async function teacherHybridPage(tx: Tx, input: { configId: string; teacherId: string; timeZone: string }) {
  const owner = await tx.hybridLessonConfig.findUnique({ where: { id: input.configId }, select: { lesson: { select: { instructorId: true } } } });
  if (!owner || owner.lesson.instructorId !== input.teacherId) return null;
  try {
    const overview = await hybridOverview(tx, input.timeZone, input.configId);
    return { overview, label: await oneOnOneWeekLabel(tx) };
  } catch (error) {
    if (error instanceof HybridError) return null;
    throw error;
  }
}

// ---- family --------------------------------------------------------------------------------

/**
 * A family's booking page of one hybrid lesson: every 1-on-1 week with the teacher's
 * free times, each of the account's enrolled children with their sessions and where
 * each may move to. HybridError when there is no such page; FamilyAccessError when
 * none of the account's students is enrolled.
 */
export async function familyHybridPage(tx: Tx, input: { accountId: string; configId: string; timeZone: string; now: Date }) {
  const { configId, timeZone, now } = input;
  const today = toLocalDate(now, timeZone);
  const mine = await studentsOfAccount(tx, input.accountId);
  const overview = await hybridOverview(tx, timeZone, configId, mine).catch((error: unknown) => {
    if (error instanceof HybridError) throw new HybridError("There is no such booking page.");
    throw error;
  });
  if (overview.students.length === 0) {
    throw new FamilyAccessError(mine.length ? "None of your children is enrolled in this lesson." : "No student is linked to your account.");
  }
  const policy = await movePolicy(tx);
  const label = await oneOnOneWeekLabel(tx);
  const { config } = overview;
  const open = Boolean(config.bookingsOpenedAt);
  const weeks = [];
  for (const w of overview.weeks.filter((x) => x.kind === "INDIVIDUAL")) {
    const past = w.weekEnd < today;
    const slots = open && !past ? await freeSlotsForWeek(tx, timeZone, { configId, week: w.weekNumber, now }) : [];
    weeks.push({ weekNumber: w.weekNumber, weekStart: w.weekStart, weekEnd: w.weekEnd, past, slots });
  }
  const children = [];
  for (const s of overview.students) {
    const sessions = [];
    for (const x of s.sessions) {
      const decision = canMoveIndividualSession({
        sessionStart: x.startsAt,
        now,
        noticeHours: policy.moveNoticeHours,
        schoolAllowsMoves: policy.allowIndividualMoves,
        kind: "INDIVIDUAL",
      });
      const others =
        decision.ok && x.hybridWeek !== null
          ? (await freeSlotsForWeek(tx, timeZone, { configId, week: x.hybridWeek, now, ignoreOccurrenceId: x.id })).filter((slot) => slot.start.getTime() !== x.startsAt.getTime())
          : [];
      sessions.push({ session: x, decision, others });
    }
    children.push({ id: s.id, name: s.name, sessions });
  }
  return { config, label, policy, open, weeks, children };
}

/** A booked 1-on-1 session: whose it is, of which pattern and week (null when it does not exist). */
export function hybridSession(tx: Tx, sessionId: string) {
  return tx.lessonOccurrence.findUnique({ where: { id: sessionId }, select: { studentId: true, hybridConfigId: true, hybridWeek: true } });
}

/** Moves a family's session to another free time of its week, under the school's move policy. */
export async function moveFamilySession(tx: Tx, timeZone: string, input: { sessionId: string; start: Date; now: Date }) {
  const policy = await movePolicy(tx);
  return moveSession(tx, timeZone, { ...input, policy: { allowMoves: policy.allowIndividualMoves, noticeHours: policy.moveNoticeHours } });
}

/** The 1-on-1 week numbers of a pattern, or null when it does not exist. */
export async function individualWeeksOf(tx: Tx, configId: string): Promise<number[] | null> {
  const config = await tx.hybridLessonConfig.findUnique({ where: { id: configId }, select: { oneOnOneWeeks: true } });
  return config ? config.oneOnOneWeeks : null;
}
