import { describe, expect, it } from "vitest";
import {
  type Closure,
  type Term,
  TERM_PATTERNS,
  closureDates,
  createClosureLookup,
  createTermLookup,
  findClosure,
  findClosures,
  findTermForDate,
  generateTerms,
  isClosed,
  termWeekNumber,
  termWeeks,
  validateClosures,
  validateTerms,
} from "./terms";
import { makeFormatter } from "./locale";
import { addDays, daysBetween, weekdayOfLocalDate } from "./time";

/** Messages as an en-GB school writes them. */
const gb = makeFormatter({ locale: "en-GB", timeZone: "Europe/London", currency: "GBP" });

const terms: Term[] = [
  { id: "t2", name: "Term 2", startDate: "2026-04-20", endDate: "2026-06-26" },
  { id: "t1", name: "Term 1", startDate: "2026-01-27", endDate: "2026-04-02" },
  { id: "t3", name: "Term 3", startDate: "2026-07-13", endDate: "2026-09-18" },
];

const closures: Closure[] = [
  { id: "c1", name: "Spring holiday", startDate: "2026-03-03", endDate: "2026-03-03", locationId: null },
  { id: "c2", name: "Downtown refurbishment", startDate: "2026-03-02", endDate: "2026-03-06", locationId: "downtown" },
  { id: "c3", name: "Easter", startDate: "2026-04-03", endDate: "2026-04-06", locationId: null },
];

describe("findTermForDate", () => {
  it("finds the term, inclusive of both ends", () => {
    expect(findTermForDate(terms, "2026-01-27")?.id).toBe("t1");
    expect(findTermForDate(terms, "2026-04-02")?.id).toBe("t1");
    expect(findTermForDate(terms, "2026-05-01")?.id).toBe("t2");
    expect(findTermForDate(terms, "2026-09-18")?.id).toBe("t3");
  });

  it("returns null in the holidays and outside the year", () => {
    expect(findTermForDate(terms, "2026-01-26")).toBeNull();
    expect(findTermForDate(terms, "2026-04-03")).toBeNull();
    expect(findTermForDate(terms, "2026-07-01")).toBeNull();
    expect(findTermForDate(terms, "2026-09-19")).toBeNull();
    expect(findTermForDate([], "2026-05-01")).toBeNull();
  });

  it("the binary-search lookup agrees with the linear one on every day", () => {
    const lookup = createTermLookup(terms);
    for (let d = "2025-12-01"; d <= "2026-10-31"; d = addDays(d, 1)) {
      expect(lookup(d)?.id ?? null, d).toBe(findTermForDate(terms, d)?.id ?? null);
    }
    expect(createTermLookup([])("2026-05-01")).toBeNull();
  });
});

describe("closures", () => {
  it("school-wide closures apply to every location and to online lessons", () => {
    expect(findClosure(closures, "2026-04-04", "uptown")?.id).toBe("c3");
    expect(findClosure(closures, "2026-04-04", "downtown")?.id).toBe("c3");
    expect(findClosure(closures, "2026-04-04", null)?.id).toBe("c3");
    expect(isClosed(closures, "2026-04-04")).toBe(true);
  });

  it("location closures apply only to that location", () => {
    expect(isClosed(closures, "2026-03-04", "downtown")).toBe(true);
    expect(isClosed(closures, "2026-03-04", "uptown")).toBe(false);
    expect(isClosed(closures, "2026-03-04", null)).toBe(false);
    expect(isClosed(closures, "2026-03-07", "downtown")).toBe(false);
  });

  it("prefers the school-wide closure when both apply", () => {
    expect(findClosures(closures, "2026-03-03", "downtown").map((c) => c.id)).toEqual(["c1", "c2"]);
    expect(findClosure(closures, "2026-03-03", "downtown")?.id).toBe("c1");
  });

  it("the per-location lookup agrees with findClosure", () => {
    for (const loc of ["downtown", "uptown", null]) {
      const lookup = createClosureLookup(closures, loc);
      for (let d = "2026-02-25"; d <= "2026-04-10"; d = addDays(d, 1)) {
        expect(lookup(d)?.id ?? null, `${loc} ${d}`).toBe(findClosure(closures, d, loc)?.id ?? null);
      }
    }
  });

  it("lists the dates of a closure", () => {
    expect(closureDates(closures[2]!)).toEqual(["2026-04-03", "2026-04-04", "2026-04-05", "2026-04-06"]);
  });
});

describe("term weeks", () => {
  const t1 = terms[1]!; // Tue 27 Jan – Thu 2 Apr 2026

  it("counts 7-day blocks from the term start", () => {
    expect(termWeekNumber(t1, "2026-01-27")).toBe(1);
    expect(termWeekNumber(t1, "2026-02-02")).toBe(1); // Monday, still the first 7 days
    expect(termWeekNumber(t1, "2026-02-03")).toBe(2);
    expect(termWeekNumber(t1, "2026-04-02")).toBe(10);
    expect(termWeekNumber(t1, "2026-01-26")).toBeNull();
    expect(termWeekNumber(t1, "2026-04-03")).toBeNull();
  });

  it("lists the weeks, the last one cut at the term end", () => {
    const weeks = termWeeks(t1);
    expect(weeks).toHaveLength(10);
    expect(weeks[0]).toEqual({ weekNumber: 1, startDate: "2026-01-27", endDate: "2026-02-02" });
    expect(weeks[9]).toEqual({ weekNumber: 10, startDate: "2026-03-31", endDate: "2026-04-02" });
    for (const w of weeks) {
      expect(termWeekNumber(t1, w.startDate)).toBe(w.weekNumber);
      expect(termWeekNumber(t1, w.endDate)).toBe(w.weekNumber);
    }
  });
});

describe("generateTerms", () => {
  it("four terms of ten weeks with two-week breaks", () => {
    const generated = generateTerms({ firstStart: "2026-01-26", ...TERM_PATTERNS.FOUR_TERMS_OF_TEN_WEEKS, gapWeeks: 2 });
    expect(generated).toEqual([
      { name: "Term 1", startDate: "2026-01-26", endDate: "2026-04-05" },
      { name: "Term 2", startDate: "2026-04-20", endDate: "2026-06-28" },
      { name: "Term 3", startDate: "2026-07-13", endDate: "2026-09-20" },
      { name: "Term 4", startDate: "2026-10-05", endDate: "2026-12-13" },
    ]);
    for (const t of generated) {
      expect(daysBetween(t.startDate, t.endDate) + 1).toBe(70);
      expect(weekdayOfLocalDate(t.startDate)).toBe(1); // all start on a Monday
    }
    expect(validateTerms(generated, gb)).toEqual([]);
    expect(termWeeks(generated[0]!)).toHaveLength(10);
  });

  it("three terms of twelve weeks with different breaks and names", () => {
    const generated = generateTerms({
      firstStart: "2026-09-07",
      ...TERM_PATTERNS.THREE_TERMS_OF_TWELVE_WEEKS,
      gapWeeks: [3, 2],
      names: ["Autumn", "Spring", "Summer"],
    });
    expect(generated.map((t) => [t.name, t.startDate, t.endDate])).toEqual([
      ["Autumn", "2026-09-07", "2026-11-29"],
      ["Spring", "2026-12-21", "2027-03-14"],
      ["Summer", "2027-03-29", "2027-06-20"],
    ]);
  });

  it("rejects nonsense options", () => {
    expect(() => generateTerms({ firstStart: "2026-02-30", count: 4, weeks: 10, gapWeeks: 2 })).toThrow(RangeError);
    expect(() => generateTerms({ firstStart: "2026-01-26", count: 0, weeks: 10, gapWeeks: 2 })).toThrow(RangeError);
    expect(() => generateTerms({ firstStart: "2026-01-26", count: 4, weeks: 0, gapWeeks: 2 })).toThrow(RangeError);
    expect(() => generateTerms({ firstStart: "2026-01-26", count: 4, weeks: 10, gapWeeks: -1 })).toThrow(RangeError);
    expect(() => generateTerms({ firstStart: "2026-01-26", count: 3, weeks: 10, gapWeeks: [2] })).toThrow(RangeError);
  });
});

describe("validation", () => {
  it("accepts valid, touching terms", () => {
    expect(
      validateTerms([
        { name: "A", startDate: "2026-01-01", endDate: "2026-01-31" },
        { name: "B", startDate: "2026-02-01", endDate: "2026-02-28" },
      ], gb),
    ).toEqual([]);
  });

  it("reports overlapping terms readably", () => {
    expect(
      validateTerms([
        { name: "Term 1", startDate: "2026-01-27", endDate: "2026-04-10" },
        { name: "Term 2", startDate: "2026-04-06", endDate: "2026-06-26" },
      ], gb),
    ).toEqual(['Terms "Term 1" and "Term 2" overlap (6 Apr 2026 – 10 Apr 2026).']);
  });

  it("reports a term nested inside a long one, and a term sharing a single day", () => {
    const errors = validateTerms([
      { name: "Year", startDate: "2026-01-01", endDate: "2026-12-31" },
      { name: "Spring", startDate: "2026-03-01", endDate: "2026-03-31" },
      { name: "Autumn", startDate: "2026-09-01", endDate: "2026-09-30" },
      { name: "Next", startDate: "2026-12-31", endDate: "2027-02-01" },
    ], gb);
    expect(errors).toHaveLength(3);
    expect(errors[0]).toContain('"Year" and "Spring"');
    expect(errors[1]).toContain('"Year" and "Autumn"');
    expect(errors[2]).toBe('Terms "Year" and "Next" overlap (31 Dec 2026 – 31 Dec 2026).');
  });

  it("reports end before start, bad dates and missing names", () => {
    expect(validateTerms([{ name: "Term 1", startDate: "2026-04-10", endDate: "2026-04-01" }], gb)).toEqual([
      'Term "Term 1" ends (1 Apr 2026) before it starts (10 Apr 2026).',
    ]);
    expect(validateTerms([{ name: " ", startDate: "2026-04-31", endDate: "2026-05-01" }], gb)).toEqual([
      "Term 1 needs a name.",
      'Term 1 has an invalid start date "2026-04-31".',
    ]);
    expect(validateClosures([{ name: "Easter", startDate: "2026-04-06", endDate: "2026-04-03" }], gb)).toEqual([
      'Closure "Easter" ends (3 Apr 2026) before it starts (6 Apr 2026).',
    ]);
    expect(validateClosures(closures, gb)).toEqual([]);
  });
});
