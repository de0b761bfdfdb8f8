import { describe, it, expect } from "vitest";
import { DateTime } from "luxon";
import {
  type HybridPattern,
  WeekListError,
  countWeeksPerStudent,
  formatCents,
  formatWeekList,
  hybridWeeks,
  parseWeekList,
  priceBreakdown,
  priceFor,
  termWeekCount,
  toCents,
  tryParseWeekList,
  validatePattern,
} from "./hybrid";

/** Term Mon 12 Jan – Sun 22 Mar 2026 (10 weeks); group on Tuesdays 17:00. */
function tenWeekPattern(overrides: Partial<HybridPattern> = {}): HybridPattern {
  return {
    termId: "term-spring-2026",
    termStartDate: "2026-01-12",
    termEndDate: "2026-03-22",
    individualWeeks: [4, 8, 10],
    groupWeekday: 2,
    groupStartTime: "17:00",
    groupDurationMinutes: 60,
    individualDurationMinutes: 30,
    groupPrice: "20.00",
    individualPrice: "35.50",
    notifyDaysAhead: 7,
    locationId: "loc-main",
    ...overrides,
  };
}

const local = (d: Date | undefined, zone: string): string =>
  d ? DateTime.fromJSDate(d, { zone }).toFormat("yyyy-MM-dd HH:mm ZZ") : "none";

describe("parseWeekList", () => {
  it("parses ranges and single weeks into sorted unique numbers", () => {
    expect(parseWeekList("1-3, 5-7, 9")).toEqual([1, 2, 3, 5, 6, 7, 9]);
    expect(parseWeekList("9, 1-3, 2, 3")).toEqual([1, 2, 3, 9]);
    expect(parseWeekList(" 4 – 6 ;8  10")).toEqual([4, 5, 6, 8, 10]);
    expect(parseWeekList("3-3")).toEqual([3]);
  });

  it("returns [] for blank input", () => {
    expect(parseWeekList("")).toEqual([]);
    expect(parseWeekList("   ")).toEqual([]);
  });

  it("rejects bad tokens, zero, backwards ranges and huge weeks with readable errors", () => {
    expect(() => parseWeekList("1-3, abc")).toThrow(WeekListError);
    expect(() => parseWeekList("1-3, abc")).toThrow(/"abc" is not a week number or range/);
    expect(() => parseWeekList("0-2")).toThrow(/start at 1/);
    expect(() => parseWeekList("5-3")).toThrow(/runs backwards.*"3-5"/);
    expect(() => parseWeekList("1.5")).toThrow(/not a week number/);
    expect(() => parseWeekList("1-3-5")).toThrow(/not a week number/);
    expect(() => parseWeekList("1-999999999")).toThrow(/too large/);
    expect(() => parseWeekList("11", { maxWeek: 10 })).toThrow(/at most 10/);
  });

  it("has a non-throwing variant", () => {
    expect(tryParseWeekList("4, 8, 10")).toEqual({ ok: true, weeks: [4, 8, 10] });
    const bad = tryParseWeekList("x");
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/"x"/);
  });
});

describe("formatWeekList", () => {
  it("collapses runs with an en dash", () => {
    expect(formatWeekList([1, 2, 3, 5])).toBe("1–3, 5");
    expect(formatWeekList([9, 1, 2, 3, 5, 6, 7])).toBe("1–3, 5–7, 9");
    expect(formatWeekList([4, 4, 8, 10])).toBe("4, 8, 10");
    expect(formatWeekList([1, 2])).toBe("1–2");
    expect(formatWeekList([])).toBe("");
  });

  it("round-trips with parseWeekList", () => {
    const weeks = [1, 2, 3, 5, 6, 7, 9];
    expect(parseWeekList(formatWeekList(weeks))).toEqual(weeks);
  });
});

describe("termWeekCount", () => {
  it("counts 7-day blocks from the start date, including a partial last week", () => {
    expect(termWeekCount("2026-01-12", "2026-03-22")).toBe(10);
    expect(termWeekCount("2026-01-12", "2026-03-23")).toBe(11);
    expect(termWeekCount("2026-01-12", "2026-01-12")).toBe(1);
    expect(() => termWeekCount("2026-01-12", "2026-01-11")).toThrow(/ends before it starts/);
  });
});

describe("validatePattern", () => {
  it("accepts the 10-week example", () => {
    expect(validatePattern(tenWeekPattern(), 10)).toEqual([]);
  });

  it("reports weeks outside the term", () => {
    const errors = validatePattern(tenWeekPattern({ individualWeeks: [4, 11, 12] }), 10);
    expect(errors).toContain("Individual weeks 11, 12 are outside the term (weeks 1–10).");
  });

  it("requires at least one group week and one individual week", () => {
    const all = Array.from({ length: 10 }, (_, i) => i + 1);
    expect(validatePattern(tenWeekPattern({ individualWeeks: all }), 10)).toContain(
      "At least one week must be a group week.",
    );
    expect(validatePattern(tenWeekPattern({ individualWeeks: [] }), 10).join(" ")).toMatch(
      /at least one individual week/,
    );
  });

  it("reports bad fields", () => {
    const errors = validatePattern(
      tenWeekPattern({
        groupWeekday: 7,
        groupStartTime: "25:00",
        groupDurationMinutes: 0,
        individualPrice: "12.345",
        notifyDaysAhead: -1,
        individualWeeks: [4, 4, 2.5],
        termEndDate: "2026-02-30",
      }),
      10,
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        'Term end date "2026-02-30" is not a valid date.',
        "Group weekday must be 0 (Sunday) to 6 (Saturday).",
        'Group start time "25:00" is not a valid time (HH:mm).',
        "Group duration must be a positive number of minutes.",
        'Individual price "12.345" is not a valid amount (e.g. 25 or 25.50).',
        "Notify days ahead must be zero or a positive whole number.",
        "Individual weeks contain duplicates.",
        "Week numbers must be whole numbers (got 2.5).",
      ]),
    );
  });
});

describe("hybridWeeks", () => {
  it("expands the 10-week example: 1-3 group, 4 individual, 5-7 group, 8 individual, 9 group, 10 individual", () => {
    const weeks = hybridWeeks(tenWeekPattern(), [], "Europe/London");
    expect(weeks.map((w) => w.kind)).toEqual([
      "GROUP", "GROUP", "GROUP", "INDIVIDUAL",
      "GROUP", "GROUP", "GROUP", "INDIVIDUAL",
      "GROUP", "INDIVIDUAL",
    ]);
    expect(weeks.map((w) => w.weekNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(weeks[0]).toMatchObject({ weekStart: "2026-01-12", weekEnd: "2026-01-18", meetingDate: "2026-01-13" });
    expect(weeks[0]?.groupStart?.toISOString()).toBe("2026-01-13T17:00:00.000Z");
    expect(weeks[0]?.groupEnd?.toISOString()).toBe("2026-01-13T18:00:00.000Z");
    expect(weeks[9]).toMatchObject({ weekStart: "2026-03-16", weekEnd: "2026-03-22" });
  });

  it("gives individual weeks a marker at the group's usual time and a notify date", () => {
    const week4 = hybridWeeks(tenWeekPattern(), [], "Europe/London")[3];
    expect(week4?.kind).toBe("INDIVIDUAL");
    expect(week4?.groupStart?.toISOString()).toBe("2026-02-03T17:00:00.000Z");
    expect(week4?.notifyOn).toBe("2026-01-26"); // weekStart 2 Feb − 7 days
  });

  it("turns a group week CLOSED when the meeting day is closed", () => {
    const closures = [{ startDate: "2026-01-20", endDate: "2026-01-20" }]; // Tue of week 2
    const weeks = hybridWeeks(tenWeekPattern(), closures, "Europe/London");
    expect(weeks[1]?.kind).toBe("CLOSED");
    expect(weeks[1]?.patternKind).toBe("GROUP");
    expect(weeks[1]?.closedDates).toEqual(["2026-01-20"]);
    expect(weeks[0]?.kind).toBe("GROUP");
    expect(weeks[2]?.kind).toBe("GROUP");
  });

  it("does not close a group week for a closure on another day", () => {
    const closures = [{ startDate: "2026-01-21", endDate: "2026-01-23" }];
    expect(hybridWeeks(tenWeekPattern(), closures, "Europe/London")[1]?.kind).toBe("GROUP");
  });

  it("applies location closures only to the pattern's location; accepts Date closures", () => {
    const other = [{ startDate: "2026-01-20", endDate: "2026-01-20", locationId: "loc-other" }];
    const same = [{ startDate: new Date("2026-01-20T00:00:00Z"), endDate: new Date("2026-01-20T00:00:00Z"), locationId: "loc-main" }];
    expect(hybridWeeks(tenWeekPattern(), other, "Europe/London")[1]?.kind).toBe("GROUP");
    expect(hybridWeeks(tenWeekPattern(), same, "Europe/London")[1]?.kind).toBe("CLOSED");
  });

  it("closes an individual week only when every day is closed", () => {
    const partial = [{ startDate: "2026-02-03", endDate: "2026-02-03" }]; // Tue of week 4
    const wk4 = hybridWeeks(tenWeekPattern(), partial, "Europe/London")[3];
    expect(wk4?.kind).toBe("INDIVIDUAL");
    expect(wk4?.closedDates).toEqual(["2026-02-03"]);

    const whole = [{ startDate: "2026-01-31", endDate: "2026-02-09" }]; // covers 2–8 Feb
    const closed = hybridWeeks(tenWeekPattern(), whole, "Europe/London")[3];
    expect(closed?.kind).toBe("CLOSED");
    expect(closed?.notifyOn).toBeUndefined();
  });

  it("clips the last partial week and omits the meeting when its weekday is outside", () => {
    // 9 days: week 1 = Mon 12–Sun 18, week 2 = Mon 19–Tue 20 (clipped); group on Thursdays.
    const weeks = hybridWeeks(
      tenWeekPattern({ termEndDate: "2026-01-20", individualWeeks: [1], groupWeekday: 4 }),
      [],
      "Europe/London",
    );
    expect(weeks).toHaveLength(2);
    expect(weeks[1]).toMatchObject({ weekStart: "2026-01-19", weekEnd: "2026-01-20", kind: "GROUP" });
    expect(weeks[1]?.groupStart).toBeUndefined();
  });

  it("keeps 17:00 local across the New York DST change (8 March 2026)", () => {
    const pattern = tenWeekPattern({
      termStartDate: "2026-02-23",
      termEndDate: "2026-03-22",
      individualWeeks: [3],
      groupWeekday: 1,
    });
    const weeks = hybridWeeks(pattern, [], "America/New_York");
    expect(weeks.map((w) => w.groupStart?.toISOString())).toEqual([
      "2026-02-23T22:00:00.000Z", // EST (−5)
      "2026-03-02T22:00:00.000Z",
      "2026-03-09T21:00:00.000Z", // EDT (−4), individual-week marker
      "2026-03-16T21:00:00.000Z",
    ]);
    for (const w of weeks) expect(local(w.groupStart, "America/New_York").slice(11, 16)).toBe("17:00");
    expect(weeks[3]?.groupEnd?.toISOString()).toBe("2026-03-16T22:00:00.000Z");
  });

  it("handles a meeting on the New York DST day itself", () => {
    const pattern = tenWeekPattern({
      termStartDate: "2026-03-02",
      termEndDate: "2026-03-15",
      individualWeeks: [2],
      groupWeekday: 0,
      groupStartTime: "10:00",
    });
    const [w1] = hybridWeeks(pattern, [], "America/New_York");
    expect(w1?.meetingDate).toBe("2026-03-08");
    expect(w1?.groupStart?.toISOString()).toBe("2026-03-08T14:00:00.000Z");
  });

  it("keeps local time across the London change (29 March 2026)", () => {
    const pattern = tenWeekPattern({
      termStartDate: "2026-03-16",
      termEndDate: "2026-04-12",
      individualWeeks: [4],
      groupWeekday: 1,
      groupStartTime: "16:00",
    });
    const weeks = hybridWeeks(pattern, [], "Europe/London");
    expect(local(weeks[1]?.groupStart, "Europe/London")).toBe("2026-03-23 16:00 +00:00");
    expect(local(weeks[2]?.groupStart, "Europe/London")).toBe("2026-03-30 16:00 +01:00");
    expect(weeks[1]?.groupStart?.toISOString()).toBe("2026-03-23T16:00:00.000Z");
    expect(weeks[2]?.groupStart?.toISOString()).toBe("2026-03-30T15:00:00.000Z");
  });

  it("keeps local time across the Sydney change (5 April 2026)", () => {
    const pattern = tenWeekPattern({
      termStartDate: "2026-03-23",
      termEndDate: "2026-04-19",
      individualWeeks: [4],
      groupWeekday: 1,
      groupStartTime: "16:00",
    });
    const weeks = hybridWeeks(pattern, [], "Australia/Sydney");
    expect(weeks[1]?.groupStart?.toISOString()).toBe("2026-03-30T05:00:00.000Z"); // AEDT +11
    expect(weeks[2]?.groupStart?.toISOString()).toBe("2026-04-06T06:00:00.000Z"); // AEST +10
    for (const w of weeks) expect(local(w.groupStart, "Australia/Sydney").slice(11, 16)).toBe("16:00");
  });

  it("rejects unknown time zones", () => {
    expect(() => hybridWeeks(tenWeekPattern(), [], "Mars/Olympus")).toThrow(/Unknown time zone/);
  });
});

describe("countWeeksPerStudent", () => {
  const base = { pattern: tenWeekPattern(), closures: [], timeZone: "Europe/London" };

  it("counts the 10-week example: 7 group, 3 individual", () => {
    expect(countWeeksPerStudent(base)).toEqual({ groupWeeks: 7, individualWeeks: 3 });
  });

  it("excludes closed group weeks", () => {
    const closures = [{ startDate: "2026-01-20", endDate: "2026-01-20" }];
    expect(countWeeksPerStudent({ ...base, closures })).toEqual({ groupWeeks: 6, individualWeeks: 3 });
  });

  it("counts only booked individual weeks when asked", () => {
    expect(
      countWeeksPerStudent({ ...base, onlyBookedIndividualWeeks: true, bookedIndividualWeeks: [4, 10] }),
    ).toEqual({ groupWeeks: 7, individualWeeks: 2 });
    // Without the flag, bookings do not matter.
    expect(countWeeksPerStudent({ ...base, bookedIndividualWeeks: [] })).toEqual({ groupWeeks: 7, individualWeeks: 3 });
  });

  it("respects a mid-term enrollment", () => {
    // From Wed 4 Feb (week 4, after its Tuesday) to Sun 8 Mar (end of week 8).
    expect(
      countWeeksPerStudent({ ...base, enrolledFrom: "2026-02-04", enrolledUntil: "2026-03-08" }),
    ).toEqual({ groupWeeks: 3, individualWeeks: 2 });
  });
});

describe("pricing (integer cents)", () => {
  it("avoids float errors", () => {
    const pattern = tenWeekPattern({ groupPrice: 19.99, individualPrice: "0.1" });
    // 19.99 * 7 = 139.92999999999998 and 0.1 * 3 = 0.30000000000000004 in floats.
    expect(priceFor({ groupWeeks: 7, individualWeeks: 3 }, pattern)).toBe("140.23");
    expect(priceBreakdown({ groupWeeks: 7, individualWeeks: 3 }, pattern)).toMatchObject({
      groupCents: 13993,
      individualCents: 30,
      totalCents: 14023,
      group: "139.93",
      individual: "0.30",
    });
  });

  it("prices the 10-week example", () => {
    const pattern = tenWeekPattern();
    const counts = countWeeksPerStudent({ pattern, closures: [], timeZone: "Europe/London" });
    expect(priceFor(counts, pattern)).toBe("246.50"); // 7 × 20.00 + 3 × 35.50
  });

  it("requires a price only for billed weeks", () => {
    const pattern = tenWeekPattern({ individualPrice: undefined });
    expect(priceFor({ groupWeeks: 2, individualWeeks: 0 }, pattern)).toBe("40.00");
    expect(() => priceFor({ groupWeeks: 2, individualWeeks: 1 }, pattern)).toThrow(/Individual price is not set/);
    expect(priceFor({ groupWeeks: 0, individualWeeks: 0 }, pattern)).toBe("0.00");
  });

  it("parses and formats money strictly", () => {
    expect(toCents("12")).toBe(1200);
    expect(toCents("12.5")).toBe(1250);
    expect(toCents(" 0.07 ")).toBe(7);
    expect(toCents(1.1)).toBe(110);
    expect(() => toCents("12.345")).toThrow();
    expect(() => toCents("-1")).toThrow();
    expect(() => toCents("1,5")).toThrow();
    expect(() => toCents(1.005)).toThrow(/2 decimal/);
    expect(() => toCents(Number.NaN)).toThrow();
    expect(formatCents(5)).toBe("0.05");
    expect(formatCents(123456)).toBe("1234.56");
    expect(formatCents(-250)).toBe("-2.50");
  });
});
