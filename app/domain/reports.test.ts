import { describe, expect, it } from "vitest";
import { barChartLayout, missingByTeacher, niceMax, percent, retention, termFlows, termFor, type EnrollmentSpan, type TermSpan } from "./reports";

const terms: TermSpan[] = [
  { id: "t2", name: "Spring", startDate: "2027-01-10", endDate: "2027-03-20" },
  { id: "t1", name: "Autumn", startDate: "2026-09-01", endDate: "2026-12-15" },
];
const span = (studentId: string, start: string, end: string | null = null, withdrawn = false): EnrollmentSpan => ({ studentId, start, end, withdrawn });

describe("enrollments per term", () => {
  it("counts an enrollment for the term it begins in, or the next one when it begins between terms", () => {
    expect(termFor(terms, "2026-08-15")?.id).toBe("t1");
    expect(termFor(terms, "2026-12-20")?.id).toBe("t2");
    expect(termFor(terms, "2027-04-01")).toBeNull();
  });

  it("counts enrollments, withdrawals and students per term, in term order", () => {
    const flows = termFlows(terms, [
      span("a", "2026-08-20"),
      span("b", "2026-09-05", "2026-10-01", true),
      span("c", "2026-12-20"),
      span("a", "2027-01-12", "2027-02-01", true),
      span("d", "2026-09-01", "2026-12-15", false),
    ]);
    expect(flows).toEqual([
      { termId: "t1", term: "Autumn", enrolled: 3, withdrawn: 1, students: 3 },
      { termId: "t2", term: "Spring", enrolled: 2, withdrawn: 1, students: 2 },
    ]);
  });
});

describe("retention", () => {
  it("is the share of one term's students who still have a seat in the next", () => {
    const spans = [span("a", "2026-08-20"), span("b", "2026-09-05", "2026-10-01", true), span("c", "2026-09-01", "2026-12-15"), span("d", "2027-01-10")];
    expect(retention(terms, spans, "2027-02-01")).toEqual([{ from: "Autumn", to: "Spring", base: 3, retained: 1, rate: 1 / 3 }]);
  });

  it("waits until the next term has begun, and has no rate without students", () => {
    expect(retention(terms, [span("a", "2026-09-01")], "2026-12-01")).toEqual([]);
    expect(retention(terms, [], "2027-02-01")).toEqual([{ from: "Autumn", to: "Spring", base: 0, retained: 0, rate: null }]);
  });
});

describe("missing attendance by teacher", () => {
  it("groups per teacher, the most overdue first", () => {
    const row = (teacherId: string, teacher: string, overdue: boolean, missingAttendance = true) => ({ teacherId, teacher, overdue, missingAttendance });
    const groups = missingByTeacher([row("x", "Xena", false), row("y", "Yuri", true), row("x", "Xena", false, false), row("z", "Ada", false)]);
    expect(groups.map((g) => [g.teacher, g.total, g.overdue, g.withoutAttendance])).toEqual([
      ["Yuri", 1, 1, 1],
      ["Xena", 2, 0, 1],
      ["Ada", 1, 0, 1],
    ]);
  });
});

describe("bar charts", () => {
  it("rounds the axis up to 1, 2 or 5 times a power of ten", () => {
    expect([0, 0.3, 1, 3, 7, 10, 11, 180].map(niceMax)).toEqual([1, 0.5, 1, 5, 10, 10, 20, 200]);
  });

  it("places each bar in its group, its height in proportion, inside the plot", () => {
    const layout = barChartLayout({ categories: ["A", "B"], series: [{ name: "s", values: [5, 10] }, { name: "t", values: [0, 2] }], width: 250, height: 140 });
    expect(layout.max).toBe(10);
    expect(layout.plot).toEqual({ x: 40, y: 10, width: 200, height: 100 });
    const [a, b] = layout.groups;
    expect(a!.bars[0]!.height).toBeCloseTo(50);
    expect(b!.bars[0]!.height).toBeCloseTo(100);
    expect(b!.bars[0]!.y).toBeCloseTo(10);
    expect(a!.bars[1]!.height).toBe(0);
    expect(b!.bars[1]!.x).toBeGreaterThan(b!.bars[0]!.x);
    expect(a!.x + a!.width).toBeLessThanOrEqual(b!.x);
    expect(layout.ticks.map((t) => t.value)).toEqual([0, 2.5, 5, 7.5, 10]);
  });

  it("clamps rates to the fixed axis", () => {
    const layout = barChartLayout({ categories: ["A"], series: [{ name: "rate", values: [1.2] }], width: 250, height: 140, max: 1 });
    expect(layout.groups[0]!.bars[0]!.height).toBeCloseTo(100);
  });

  it("writes rates as whole percentages", () => {
    expect(percent(0.834)).toBe("83%");
    expect(percent(null)).toBe("—");
  });
});
