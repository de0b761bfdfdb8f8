// Progress and awards (issue 13): awards given by teachers and admins, syllabi and a
// student's progress through them, and the practice log with its streaks. The rules are in
// app/domain/progress.ts. An automatic award carries a key unique per student
// (ProgressionAward_schoolId_studentId_awardKey_key) and is inserted with ON CONFLICT DO
// NOTHING, so a rule that fires twice, or in two transactions at once, gives it once.
import type { ProgressionType } from "../../prisma/generated/client";
import type { Tx } from "../../server/db/school-db.server";
import {
  AWARD_DEFAULTS,
  type AutomaticAward,
  BADGE_COLORS,
  BADGE_ICONS,
  levelProgress,
  practiceEntryRefusal,
  practiceStreak,
  runContaining,
  streakAwardKey,
  streakAwardTitle,
  streakAwardsDue,
  syllabusAwards,
  type SyllabusShape,
} from "../domain/progress";
import { addDays, type LocalDate } from "../domain/time";
import { FormRefusal } from "../utils/forms";

export class ProgressError extends FormRefusal {}

// ---- who may act for a student ------------------------------------------------------------

/** Students a teacher teaches: enrolled (active, pending or finished) in one of their lessons. */
export async function teacherStudentIds(tx: Tx, teacherId: string): Promise<string[]> {
  const rows = await tx.enrollment.findMany({
    where: { lesson: { instructorId: teacherId }, status: { in: ["ACTIVE", "COMPLETED", "PENDING"] } },
    select: { studentId: true },
    distinct: ["studentId"],
  });
  return rows.map((r) => r.studentId);
}

/** Throws a 403 refusal unless this teacher teaches the student (admins may act for anyone). */
export async function assertTeacherOf(tx: Tx, actor: { id: string; role: string }, studentId: string): Promise<void> {
  if (actor.role === "ADMIN") {
    const exists = await tx.student.count({ where: { id: studentId } });
    if (!exists) throw new ProgressError("That student does not exist.", null, 404);
    return;
  }
  if (actor.role !== "TEACHER" || !(await teacherStudentIds(tx, actor.id)).includes(studentId)) {
    throw new ProgressError("You can only do this for students you teach.", null, 403);
  }
}

/** A teacher's students with their names, for the teacher's list. */
export async function teacherStudents(tx: Tx, teacherId: string) {
  const ids = await teacherStudentIds(tx, teacherId);
  const students = await tx.student.findMany({
    where: { id: { in: ids } },
    orderBy: [{ user: { firstName: "asc" } }, { user: { lastName: "asc" } }, { id: "asc" }],
    select: {
      id: true,
      instrument: true,
      user: { select: { firstName: true, lastName: true } },
      _count: { select: { progressionAwards: true, examRequests: true } },
    },
  });
  return students.map((s) => ({ id: s.id, name: `${s.user.firstName} ${s.user.lastName}`, instrument: s.instrument, awards: s._count.progressionAwards, exams: s._count.examRequests }));
}

// ---- awards -------------------------------------------------------------------------------

export interface AwardInput {
  studentId: string;
  title: string;
  description: string | null;
  awardType: ProgressionType;
  badgeIcon: string;
  badgeColor: string;
}

/** A teacher's or admin's award (any type). The icon and colour must be the offered ones. */
export async function giveAward(tx: Tx, input: AwardInput & { actorId: string; now: Date }) {
  if (!(BADGE_ICONS as readonly string[]).includes(input.badgeIcon)) throw new ProgressError("Choose one of the badge icons.", "badgeIcon", 400);
  if (!(BADGE_COLORS as readonly string[]).includes(input.badgeColor)) throw new ProgressError("Choose one of the badge colours.", "badgeColor", 400);
  return tx.progressionAward.create({
    data: {
      studentId: input.studentId,
      title: input.title,
      description: input.description,
      awardType: input.awardType,
      badgeIcon: input.badgeIcon,
      badgeColor: input.badgeColor,
      awardedById: input.actorId,
      earnedAt: input.now,
    },
    select: { id: true, title: true },
  });
}

interface AutoAward {
  studentId: string;
  key: string;
  type: ProgressionType;
  title: string;
  description: string;
  awardedById: string | null;
  sectionId?: string | null;
  levelId?: string | null;
  examRequestId?: string | null;
  now: Date;
}

/**
 * Gives an automatic award unless the student holds its key; true when this call gave it.
 * ON CONFLICT DO NOTHING: a concurrent transaction giving the same key waits for the other
 * to commit and then inserts nothing.
 */
export async function giveAutomaticAward(tx: Tx, a: AutoAward): Promise<boolean> {
  const style = AWARD_DEFAULTS[a.type] ?? AWARD_DEFAULTS.CUSTOM!;
  const { count } = await tx.progressionAward.createMany({
    data: [
      {
        studentId: a.studentId,
        awardKey: a.key,
        awardType: a.type,
        title: a.title,
        description: a.description,
        badgeIcon: style.icon,
        badgeColor: style.color,
        awardedById: a.awardedById,
        sectionId: a.sectionId ?? null,
        levelId: a.levelId ?? null,
        examRequestId: a.examRequestId ?? null,
        earnedAt: a.now,
      },
    ],
    skipDuplicates: true,
  });
  return count === 1;
}

/** A student's awards, newest first (the timeline). */
export async function studentAwards(tx: Tx, studentId: string) {
  return tx.progressionAward.findMany({
    where: { studentId },
    orderBy: [{ earnedAt: "desc" }, { id: "asc" }],
    select: {
      id: true,
      title: true,
      description: true,
      awardType: true,
      badgeIcon: true,
      badgeColor: true,
      earnedAt: true,
      awardKey: true,
      awardedBy: { select: { firstName: true, lastName: true } },
    },
  });
}

// ---- syllabi ------------------------------------------------------------------------------

export interface SyllabusInput {
  name: string;
  instrument: string;
  /** Levels in order, each with its sections in order. */
  levels: { name: string; sections: string[] }[];
}

/** Creates a syllabus with its levels and sections (the admin's page). */
export async function createSyllabus(tx: Tx, input: SyllabusInput) {
  const instrument = await tx.instrument.findFirst({ where: { name: input.instrument }, select: { name: true } });
  if (!instrument) throw new ProgressError("Choose one of the school's instruments.", "instrument", 400);
  if (await tx.syllabus.count({ where: { name: input.name } })) throw new ProgressError("A syllabus of that name exists already.", "name", 409);
  if (input.levels.length === 0) throw new ProgressError("Add at least one level with its sections.", "levels", 400);
  const syllabus = await tx.syllabus.create({ data: { name: input.name, instrument: input.instrument }, select: { id: true } });
  for (const [i, level] of input.levels.entries()) {
    const created = await tx.syllabusLevel.create({ data: { syllabusId: syllabus.id, name: level.name, position: i + 1 }, select: { id: true } });
    await tx.syllabusSection.createMany({ data: level.sections.map((name, j) => ({ levelId: created.id, name, position: j + 1 })) });
  }
  return syllabus;
}

/**
 * Reads the levels as an admin types them: one level a line, "Level: section, section".
 * ("Grade 1: Scales, Pieces, Aural")
 */
export function parseLevels(text: string): { ok: true; levels: SyllabusInput["levels"] } | { ok: false; error: string } {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (!lines.length) return { ok: false, error: "Add at least one level: “Grade 1: Scales, Pieces, Aural”." };
  if (lines.length > 20) return { ok: false, error: "A syllabus has at most 20 levels." };
  const levels: SyllabusInput["levels"] = [];
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon < 1) return { ok: false, error: `Write “${line.slice(0, 40)}” as a level, a colon and its sections: “Grade 1: Scales, Pieces”.` };
    const name = line.slice(0, colon).trim();
    const sections = line
      .slice(colon + 1)
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    if (!sections.length) return { ok: false, error: `Give ${name} at least one section after the colon.` };
    if (name.length > 60 || sections.some((s) => s.length > 80)) return { ok: false, error: `Keep level names under 60 and section names under 80 characters (${name}).` };
    if (sections.length > 30) return { ok: false, error: `${name} has more than 30 sections.` };
    levels.push({ name, sections });
  }
  return { ok: true, levels };
}

async function syllabusShape(tx: Tx, syllabusId: string): Promise<SyllabusShape | null> {
  const s = await tx.syllabus.findUnique({
    where: { id: syllabusId },
    select: {
      id: true,
      name: true,
      levels: { orderBy: { position: "asc" }, select: { id: true, name: true, sections: { orderBy: { position: "asc" }, select: { id: true, name: true } } } },
    },
  });
  return s;
}

export async function listSyllabi(tx: Tx) {
  const rows = await tx.syllabus.findMany({
    where: { archivedAt: null },
    orderBy: [{ instrument: "asc" }, { name: "asc" }],
    select: {
      id: true,
      name: true,
      instrument: true,
      levels: { orderBy: { position: "asc" }, select: { id: true, name: true, sections: { orderBy: { position: "asc" }, select: { id: true, name: true } } } },
    },
  });
  return rows;
}

/**
 * Records that a student completed a section, and gives the section's award and, when it
 * was the level's last, the level's ("reaching a grade"). The student's row is locked first,
 * so two teachers completing the level's last two sections at once are serialized and the
 * second sees the first: the level's award is given exactly once.
 */
export async function completeSection(tx: Tx, input: { studentId: string; sectionId: string; actorId: string; now: Date; note?: string | null }) {
  await tx.$queryRaw`SELECT 1 FROM "Student" WHERE "id" = ${input.studentId} FOR NO KEY UPDATE`;
  const section = await tx.syllabusSection.findUnique({ where: { id: input.sectionId }, select: { level: { select: { syllabusId: true } } } });
  if (!section) throw new ProgressError("That section does not exist any more. Reload the page.", null, 404);
  const { count } = await tx.studentSectionProgress.createMany({
    data: [{ studentId: input.studentId, sectionId: input.sectionId, recordedById: input.actorId, completedAt: input.now, note: input.note ?? null }],
    skipDuplicates: true,
  });
  const shape = (await syllabusShape(tx, section.level.syllabusId))!;
  const sectionIds = shape.levels.flatMap((l) => l.sections.map((s) => s.id));
  const done = await tx.studentSectionProgress.findMany({ where: { studentId: input.studentId, sectionId: { in: sectionIds } }, select: { sectionId: true } });
  const completed = new Set(done.map((d) => d.sectionId));
  // Only the awards this completion can give: its section's, and its level's.
  const levelId = shape.levels.find((l) => l.sections.some((s) => s.id === input.sectionId))!.id;
  const due = syllabusAwards(shape, completed).filter((a: AutomaticAward) => a.sectionId === input.sectionId || (a.type === "GRADE_MILESTONE" && a.levelId === levelId));
  const given: string[] = [];
  for (const a of due) {
    const created = await giveAutomaticAward(tx, {
      studentId: input.studentId,
      key: a.key,
      type: a.type,
      title: a.title,
      description: a.description,
      awardedById: input.actorId,
      sectionId: a.sectionId,
      levelId: a.levelId,
      now: input.now,
    });
    if (created) given.push(a.title);
  }
  return { recorded: count === 1, awards: given };
}

/** Each syllabus of the school with the student's progress through it. */
export async function studentSyllabi(tx: Tx, studentId: string) {
  const [syllabi, done] = await Promise.all([
    listSyllabi(tx),
    tx.studentSectionProgress.findMany({ where: { studentId }, select: { sectionId: true, completedAt: true } }),
  ]);
  const completed = new Set(done.map((d) => d.sectionId));
  return syllabi.map((s) => ({ ...s, completed: [...completed].filter((id) => s.levels.some((l) => l.sections.some((x) => x.id === id))), levels: s.levels, progress: levelProgress(s, completed) }));
}

// ---- practice -----------------------------------------------------------------------------

export async function streakSetting(tx: Tx): Promise<number[]> {
  const school = await tx.school.findFirstOrThrow({ select: { practiceStreakDays: true } });
  return school.practiceStreakDays;
}

export async function saveStreakSetting(tx: Tx, days: number[]) {
  await tx.school.updateMany({ data: { practiceStreakDays: days } });
}

/**
 * Adds minutes to a student's day (one row a day; a second entry adds to it) and gives the
 * PRACTICE_STREAK awards the run through that day now reaches, once per threshold. `today`
 * is the school's local date. A day filled in later can join two runs: the award follows the
 * joined run.
 */
export async function logPractice(tx: Tx, input: { studentId: string; date: LocalDate; minutes: number; actorId: string; today: LocalDate; now: Date }) {
  await tx.$queryRaw`SELECT 1 FROM "Student" WHERE "id" = ${input.studentId} FOR NO KEY UPDATE`;
  const day = { schoolId_studentId_date: { schoolId: await schoolIdOf(tx), studentId: input.studentId, date: input.date } };
  const existing = await tx.practiceLog.findUnique({ where: day, select: { minutes: true } });
  const refusal = practiceEntryRefusal({ date: input.date, minutes: input.minutes, today: input.today, alreadyLogged: existing?.minutes ?? 0 });
  if (refusal) throw new ProgressError(refusal, refusal.includes("minutes") ? "minutes" : "date", 400);
  await tx.practiceLog.upsert({
    where: day,
    create: { studentId: input.studentId, date: input.date, minutes: input.minutes, loggedById: input.actorId },
    update: { minutes: { increment: input.minutes }, loggedById: input.actorId },
  });
  const days = await tx.practiceLog.findMany({ where: { studentId: input.studentId }, select: { date: true, minutes: true } });
  const run = runContaining(days, input.date);
  const thresholds = await streakSetting(tx);
  const held = await tx.progressionAward.findMany({ where: { studentId: input.studentId, awardType: "PRACTICE_STREAK", awardKey: { startsWith: "streak:" } }, select: { awardKey: true } });
  const already = held.map((h) => Number(h.awardKey!.slice("streak:".length)));
  const awards: number[] = [];
  for (const n of streakAwardsDue(run, thresholds, already)) {
    const created = await giveAutomaticAward(tx, {
      studentId: input.studentId,
      key: streakAwardKey(n),
      type: "PRACTICE_STREAK",
      title: streakAwardTitle(n),
      description: `Practised ${n} days in a row.`,
      awardedById: null,
      now: input.now,
    });
    if (created) awards.push(n);
  }
  return { run, awards, dayMinutes: (existing?.minutes ?? 0) + input.minutes };
}

async function schoolIdOf(tx: Tx): Promise<string> {
  const s = await tx.school.findFirstOrThrow({ select: { id: true } });
  return s.id;
}

/** The student's practice over the last `days` days up to `today`, with the streaks. */
export async function practiceSummary(tx: Tx, studentId: string, today: LocalDate, days = 28) {
  const log = await tx.practiceLog.findMany({ where: { studentId }, orderBy: { date: "desc" }, select: { date: true, minutes: true } });
  const streak = practiceStreak(log, today);
  const from = addDays(today, -(days - 1));
  const recent = log.filter((d) => d.date >= from && d.date <= today);
  const byDate = new Map(recent.map((d) => [d.date, d.minutes]));
  const calendar = Array.from({ length: days }, (_, i) => {
    const date = addDays(from, i);
    return { date, minutes: byDate.get(date) ?? 0 };
  });
  const weekFrom = addDays(today, -6);
  return {
    streak,
    calendar,
    recent: recent.slice(0, 10),
    weekMinutes: recent.filter((d) => d.date >= weekFrom).reduce((n, d) => n + d.minutes, 0),
  };
}
