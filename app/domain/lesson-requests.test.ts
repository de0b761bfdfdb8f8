import { describe, expect, it } from "vitest";
import { ageOn, describePreferences, fitsPreferences, suggestWeeklyTimes } from "./lesson-requests";
import { localDateTimeToUtc } from "./time";

const zone = "America/New_York";
const at = (date: string, time: string, minutes = 30) => {
  const start = localDateTimeToUtc(date, time, zone);
  return { start, end: new Date(start.getTime() + minutes * 60_000) };
};

describe("fitsPreferences", () => {
  // 2026-12-07 is a Monday.
  it("accepts any slot when nothing was chosen", () => {
    expect(fitsPreferences(at("2026-12-06", "08:00"), { days: [], times: [] }, zone)).toBe(true);
  });

  it("reads the weekday in the school's zone, not in UTC", () => {
    // 21:00 on Monday in New York is already Tuesday in UTC.
    expect(fitsPreferences(at("2026-12-07", "21:00"), { days: [1], times: [] }, zone)).toBe(true);
    expect(fitsPreferences(at("2026-12-07", "21:00"), { days: [2], times: [] }, zone)).toBe(false);
  });

  it("needs the whole lesson inside a preferred time of day", () => {
    expect(fitsPreferences(at("2026-12-07", "16:30", 30), { days: [], times: ["AFTERNOON"] }, zone)).toBe(true);
    expect(fitsPreferences(at("2026-12-07", "16:45", 30), { days: [], times: ["AFTERNOON"] }, zone)).toBe(false);
    expect(fitsPreferences(at("2026-12-07", "16:45", 30), { days: [], times: ["AFTERNOON", "EVENING"] }, zone)).toBe(false);
    expect(fitsPreferences(at("2026-12-07", "17:00", 30), { days: [], times: ["EVENING"] }, zone)).toBe(true);
  });

  it("ignores time values it does not know", () => {
    expect(fitsPreferences(at("2026-12-07", "09:00"), { days: [], times: ["NIGHT"] }, zone)).toBe(true);
  });
});

describe("suggestWeeklyTimes", () => {
  const slot = (teacherId: string, date: string, time: string) => ({ teacherId, locationId: null, ...at(date, time) });

  it("offers each weekly time once, fitting ones first by date", () => {
    const slots = [
      slot("t1", "2026-12-14", "16:00"), // the same weekly time a week later
      slot("t1", "2026-12-07", "16:00"),
      slot("t1", "2026-12-08", "10:00"), // a Tuesday morning: does not fit
      slot("t2", "2026-12-09", "15:00"),
    ];
    const suggestions = suggestWeeklyTimes(slots, { days: [1, 3], times: ["AFTERNOON"] }, zone);
    expect(suggestions.map((s) => [s.teacherId, s.date, s.time])).toEqual([
      ["t1", "2026-12-07", "16:00"],
      ["t2", "2026-12-09", "15:00"],
    ]);
    expect(suggestions.every((s) => s.fits)).toBe(true);
  });

  it("offers the earliest free times, marked as not fitting, when none fits", () => {
    const suggestions = suggestWeeklyTimes([slot("t1", "2026-12-08", "10:00"), slot("t1", "2026-12-08", "09:00")], { days: [5], times: [] }, zone, 1);
    expect(suggestions).toHaveLength(1);
    expect(suggestions[0]).toMatchObject({ time: "09:00", fits: false });
  });
});

describe("describePreferences", () => {
  it("says what was chosen, weekdays from Monday", () => {
    expect(describePreferences({ days: [3, 1], times: ["AFTERNOON"] })).toBe("Mondays or Wednesdays, afternoons");
    expect(describePreferences({ days: [0, 6, 2], times: ["MORNING", "EVENING"] })).toBe("Tuesdays, Saturdays or Sundays, mornings or evenings");
    expect(describePreferences({ days: [], times: [] })).toBe("Any day, any time");
  });
});

describe("ageOn", () => {
  it("counts whole years, the birthday included", () => {
    expect(ageOn("2016-12-07", "2026-12-06")).toBe(9);
    expect(ageOn("2016-12-07", "2026-12-07")).toBe(10);
  });
});
