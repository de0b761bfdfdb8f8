import { describe, expect, it } from "vitest";
import { levelProgress, parseStreakThresholds, practiceEntryRefusal, practiceStreak, runContaining, streakAwardsDue, syllabusAwards } from "./progress";
import { addDays, localDateTimeToUtc, toLocalDate } from "./time";

const days = (...dates: string[]) => dates.map((date) => ({ date, minutes: 20 }));

describe("practiceStreak", () => {
  it("counts consecutive local days up to today", () => {
    expect(practiceStreak(days("2026-11-27", "2026-11-28", "2026-11-29", "2026-11-30"), "2026-11-30")).toEqual({ current: 4, longest: 4, lastDay: "2026-11-30" });
  });
  it("keeps the streak alive while today is not logged yet, and ends it after a missed day", () => {
    const log = days("2026-11-28", "2026-11-29");
    expect(practiceStreak(log, "2026-11-30")).toEqual({ current: 2, longest: 2, lastDay: "2026-11-29" });
    expect(practiceStreak(log, "2026-12-01")).toEqual({ current: 0, longest: 2, lastDay: null });
  });
  it("remembers the longest run, ignores days with no minutes and duplicates", () => {
    const log = [...days("2026-11-01", "2026-11-02", "2026-11-03", "2026-11-03", "2026-11-10", "2026-11-11"), { date: "2026-11-12", minutes: 0 }];
    expect(practiceStreak(log, "2026-11-11")).toEqual({ current: 2, longest: 3, lastDay: "2026-11-11" });
  });
  it("crosses month and year ends and leap days", () => {
    expect(practiceStreak(days("2027-12-31", "2028-01-01", "2028-02-28", "2028-02-29", "2028-03-01"), "2028-03-01").current).toBe(3);
    expect(practiceStreak(days("2027-12-31", "2028-01-01"), "2028-01-01").current).toBe(2);
  });
  it("counts a daylight-saving day as one day: practice just after 00:00 local on each side of the change", () => {
    // New York springs forward on 2026-03-08 (a 23-hour day) and falls back on 2026-11-01 (25 hours).
    const zone = "America/New_York";
    const logged = (date: string) => toLocalDate(localDateTimeToUtc(date, "00:05", zone), zone);
    const spring = ["2026-03-07", "2026-03-08", "2026-03-09"].map((d) => ({ date: logged(d), minutes: 15 }));
    expect(spring.map((d) => d.date)).toEqual(["2026-03-07", "2026-03-08", "2026-03-09"]);
    expect(practiceStreak(spring, "2026-03-09").current).toBe(3);
    // 23:55 local on the 25-hour day and 00:05 the next day are two days, 10 minutes apart.
    const late = toLocalDate(localDateTimeToUtc("2026-11-01", "23:55", zone), zone);
    const early = toLocalDate(localDateTimeToUtc("2026-11-02", "00:05", zone), zone);
    expect(practiceStreak([{ date: late, minutes: 5 }, { date: early, minutes: 5 }], "2026-11-02").current).toBe(2);
    // In Sydney the same instants fall on other days: the school's zone decides.
    expect(toLocalDate(localDateTimeToUtc("2026-11-01", "23:55", zone), "Australia/Sydney")).toBe("2026-11-02");
  });
});

describe("runContaining", () => {
  it("measures the run through a day, also one filled in later", () => {
    const log = days("2026-11-01", "2026-11-02", "2026-11-04", "2026-11-05");
    expect(runContaining(log, "2026-11-02")).toBe(2);
    expect(runContaining(log, "2026-11-03")).toBe(0);
    expect(runContaining([...log, ...days("2026-11-03")], "2026-11-03")).toBe(5);
  });
});

describe("streak awards", () => {
  it("awards each threshold reached once", () => {
    expect(streakAwardsDue(6, [7, 30], [])).toEqual([]);
    expect(streakAwardsDue(7, [7, 30], [])).toEqual([7]);
    expect(streakAwardsDue(8, [7, 30], [7])).toEqual([]);
    expect(streakAwardsDue(31, [30, 7], [])).toEqual([7, 30]);
    expect(streakAwardsDue(100, [], [])).toEqual([]);
  });
  it("reads the school's thresholds as typed", () => {
    expect(parseStreakThresholds("30, 7 7;100")).toEqual({ ok: true, days: [7, 30, 100] });
    expect(parseStreakThresholds("  ")).toEqual({ ok: true, days: [] });
    expect(parseStreakThresholds("7, one")).toEqual({ ok: false, error: "“one” is not a number of days from 2 to 365." });
    expect(parseStreakThresholds("1")).toMatchObject({ ok: false });
  });
});

describe("practiceEntryRefusal", () => {
  const today = "2026-11-30";
  it("takes today and the last two weeks, not the future", () => {
    expect(practiceEntryRefusal({ date: today, minutes: 30, today, alreadyLogged: 0 })).toBeNull();
    expect(practiceEntryRefusal({ date: addDays(today, -14), minutes: 30, today, alreadyLogged: 0 })).toBeNull();
    expect(practiceEntryRefusal({ date: addDays(today, -15), minutes: 30, today, alreadyLogged: 0 })).toBe("Practice can be logged for the last 14 days only.");
    expect(practiceEntryRefusal({ date: addDays(today, 1), minutes: 30, today, alreadyLogged: 0 })).toBe("That day has not come yet: log practice on the day or after it.");
    expect(practiceEntryRefusal({ date: "2026-02-30", minutes: 30, today, alreadyLogged: 0 })).toBe("Choose the day you practised.");
  });
  it("takes whole minutes and at most 600 a day, counting what is logged", () => {
    expect(practiceEntryRefusal({ date: today, minutes: 0, today, alreadyLogged: 0 })).toBe("Enter the minutes practised, a whole number from 1.");
    expect(practiceEntryRefusal({ date: today, minutes: 600, today, alreadyLogged: 0 })).toBeNull();
    expect(practiceEntryRefusal({ date: today, minutes: 30, today, alreadyLogged: 580 })).toBe("A day holds at most 600 minutes; 580 are already logged for it.");
  });
});

describe("syllabusAwards", () => {
  const syllabus = {
    id: "s",
    name: "Piano",
    levels: [
      { id: "g1", name: "Grade 1", sections: [{ id: "a", name: "Scales" }, { id: "b", name: "Pieces" }] },
      { id: "g2", name: "Grade 2", sections: [{ id: "c", name: "Scales" }] },
      { id: "g3", name: "Grade 3", sections: [] },
    ],
  };
  it("gives one award per completed section", () => {
    expect(syllabusAwards(syllabus, new Set(["a"])).map((a) => [a.key, a.type, a.title])).toEqual([["section:a", "SECTION_COMPLETE", "Grade 1: Scales"]]);
  });
  it("adds the grade's milestone when its last section is done, never for an empty level", () => {
    expect(syllabusAwards(syllabus, new Set(["a", "b", "c"])).map((a) => a.key)).toEqual(["section:a", "section:b", "level:g1", "section:c", "level:g2"]);
  });
  it("reports progress per level", () => {
    expect(levelProgress(syllabus, new Set(["a"]))).toEqual([
      { levelId: "g1", name: "Grade 1", done: 1, total: 2, complete: false },
      { levelId: "g2", name: "Grade 2", done: 0, total: 1, complete: false },
      { levelId: "g3", name: "Grade 3", done: 0, total: 0, complete: false },
    ]);
  });
});
