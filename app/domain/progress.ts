/**
 * Progress: practice streaks over the school's local days, the streak awards a school
 * sets, and which awards completing a syllabus section gives. Pure; app/models/progress.server.ts
 * stores the log and the awards (each automatic award has a key, unique per student, so it
 * is given once however often or concurrently the rule fires).
 *
 * Days are the school's local dates ("yyyy-MM-dd", from `toLocalDate(now, zone)`), counted
 * as day numbers: a day is a day whatever the clocks did (a 23- or 25-hour day around a
 * daylight-saving change is still one day of a streak).
 */
import { addDays, isValidLocalDate, type LocalDate, toDayNumber } from "./time";

/** A day's practice: the minutes logged for it (a day with 0 minutes does not count). */
export interface PracticeDay {
  date: LocalDate;
  minutes: number;
}

export interface Streak {
  /** Consecutive days up to today, or up to yesterday while today is not logged yet. */
  current: number;
  /** The longest run of consecutive days ever logged. */
  longest: number;
  /** The last day of the current streak (null without one). */
  lastDay: LocalDate | null;
}

function practisedDayNumbers(days: readonly PracticeDay[]): number[] {
  return [...new Set(days.filter((d) => d.minutes > 0 && isValidLocalDate(d.date)).map((d) => toDayNumber(d.date)))].sort((a, b) => a - b);
}

/** The length of the run of consecutive practised days that contains `date` (0 when it was not practised). */
export function runContaining(days: readonly PracticeDay[], date: LocalDate): number {
  const set = new Set(practisedDayNumbers(days));
  const n = toDayNumber(date);
  if (!set.has(n)) return 0;
  let start = n;
  while (set.has(start - 1)) start -= 1;
  let end = n;
  while (set.has(end + 1)) end += 1;
  return end - start + 1;
}

/** The current and longest streaks on the school's `today`. */
export function practiceStreak(days: readonly PracticeDay[], today: LocalDate): Streak {
  const numbers = practisedDayNumbers(days);
  let longest = 0;
  let run = 0;
  let previous: number | null = null;
  for (const n of numbers) {
    run = previous !== null && n === previous + 1 ? run + 1 : 1;
    longest = Math.max(longest, run);
    previous = n;
  }
  const t = toDayNumber(today);
  const set = new Set(numbers);
  // Today not logged yet does not break the streak: it still counts up to yesterday.
  const end = set.has(t) ? t : set.has(t - 1) ? t - 1 : null;
  if (end === null) return { current: 0, longest, lastDay: null };
  let start = end;
  while (set.has(start - 1)) start -= 1;
  return { current: end - start + 1, longest, lastDay: end === t ? today : addDays(today, -1) };
}

/** The school's streak thresholds, cleaned: whole days from 2 to 365, unique, ascending. */
export function normalizeStreakThresholds(values: readonly number[]): number[] {
  return [...new Set(values.filter((v) => Number.isInteger(v) && v >= 2 && v <= 365))].sort((a, b) => a - b);
}

/** Reads "7, 30, 100" as typed by an admin; an empty field turns streak awards off. */
export function parseStreakThresholds(input: string): { ok: true; days: number[] } | { ok: false; error: string } {
  const parts = input
    .split(/[\s,;]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const days: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) < 2 || Number(p) > 365) return { ok: false, error: `“${p}” is not a number of days from 2 to 365.` };
    days.push(Number(p));
  }
  if (days.length > 10) return { ok: false, error: "Set at most 10 streak lengths." };
  return { ok: true, days: normalizeStreakThresholds(days) };
}

/** The streak thresholds a run of `runLength` days reaches that were not awarded yet. */
export function streakAwardsDue(runLength: number, thresholds: readonly number[], alreadyAwarded: readonly number[]): number[] {
  const done = new Set(alreadyAwarded);
  return normalizeStreakThresholds(thresholds).filter((t) => t <= runLength && !done.has(t));
}

export const streakAwardKey = (days: number) => `streak:${days}`;
export const sectionAwardKey = (sectionId: string) => `section:${sectionId}`;
export const levelAwardKey = (levelId: string) => `level:${levelId}`;
export const examAwardKey = (examRequestId: string) => `exam:${examRequestId}`;

export function streakAwardTitle(days: number): string {
  return `${days}-day practice streak`;
}

/** The most minutes one day may hold, and how far back a day may still be logged. */
export const MAX_DAY_MINUTES = 600;
export const PRACTICE_BACKFILL_DAYS = 14;

/**
 * Null when practice may be logged for `date` on the school's `today`, else why not: not a
 * day in the future, nor older than two weeks; minutes whole, from 1, and a day at most 10 hours
 * once added to what it already holds.
 */
export function practiceEntryRefusal(input: { date: string; minutes: number; today: LocalDate; alreadyLogged: number }): string | null {
  if (!isValidLocalDate(input.date)) return "Choose the day you practised.";
  const ago = toDayNumber(input.today) - toDayNumber(input.date);
  if (ago < 0) return "That day has not come yet: log practice on the day or after it.";
  if (ago > PRACTICE_BACKFILL_DAYS) return `Practice can be logged for the last ${PRACTICE_BACKFILL_DAYS} days only.`;
  if (!Number.isInteger(input.minutes) || input.minutes < 1) return "Enter the minutes practised, a whole number from 1.";
  if (input.alreadyLogged + input.minutes > MAX_DAY_MINUTES) {
    return `A day holds at most ${MAX_DAY_MINUTES} minutes; ${input.alreadyLogged} are already logged for it.`;
  }
  return null;
}

// ---- syllabi ---------------------------------------------------------------------------

export interface SyllabusShape {
  id: string;
  name: string;
  levels: { id: string; name: string; sections: { id: string; name: string }[] }[];
}

export interface AutomaticAward {
  key: string;
  type: "SECTION_COMPLETE" | "GRADE_MILESTONE";
  title: string;
  description: string;
  sectionId: string | null;
  levelId: string | null;
}

/**
 * The awards a student has earned once `completed` (section ids) are done in `syllabus`:
 * one per completed section, and one per level whose every section is done ("reaching a
 * grade"). The caller gives those whose keys the student does not hold yet.
 */
export function syllabusAwards(syllabus: SyllabusShape, completed: ReadonlySet<string>): AutomaticAward[] {
  const awards: AutomaticAward[] = [];
  for (const level of syllabus.levels) {
    for (const section of level.sections) {
      if (!completed.has(section.id)) continue;
      awards.push({
        key: sectionAwardKey(section.id),
        type: "SECTION_COMPLETE",
        title: `${level.name}: ${section.name}`,
        description: `Completed “${section.name}” of ${syllabus.name}, ${level.name}.`,
        sectionId: section.id,
        levelId: level.id,
      });
    }
    if (level.sections.length > 0 && level.sections.every((s) => completed.has(s.id))) {
      awards.push({
        key: levelAwardKey(level.id),
        type: "GRADE_MILESTONE",
        title: `Reached the end of ${level.name}`,
        description: `Every section of ${syllabus.name}, ${level.name}, is complete.`,
        sectionId: null,
        levelId: level.id,
      });
    }
  }
  return awards;
}

/** Per level: sections done of all, for the progress bars. */
export function levelProgress(syllabus: SyllabusShape, completed: ReadonlySet<string>) {
  return syllabus.levels.map((l) => {
    const done = l.sections.filter((s) => completed.has(s.id)).length;
    return { levelId: l.id, name: l.name, done, total: l.sections.length, complete: l.sections.length > 0 && done === l.sections.length };
  });
}

/** Badge colours an award may take (a teacher picks one; anything else is refused). */
export const BADGE_COLORS = ["#b45309", "#15803d", "#1d4ed8", "#7e22ce", "#be123c", "#0f766e", "#a16207"] as const;
export const BADGE_ICONS = ["star", "trophy", "medal", "music", "flame", "check"] as const;
export type BadgeIcon = (typeof BADGE_ICONS)[number];

export const AWARD_DEFAULTS: Record<string, { icon: BadgeIcon; color: string }> = {
  SECTION_COMPLETE: { icon: "check", color: "#15803d" },
  GRADE_MILESTONE: { icon: "medal", color: "#1d4ed8" },
  PRACTICE_STREAK: { icon: "flame", color: "#b45309" },
  PERFORMANCE: { icon: "music", color: "#7e22ce" },
  EXAMINATION_PASS: { icon: "trophy", color: "#a16207" },
  CUSTOM: { icon: "star", color: "#0f766e" },
};
