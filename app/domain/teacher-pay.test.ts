import { describe, expect, it } from "vitest";
import { money } from "./money";
import {
  DEFAULT_OUTCOME_POLICY,
  type PayOccurrence,
  type PayRule,
  adjustmentSigned,
  approvalProblems,
  classify,
  computeRunLines,
  findRule,
  funding,
  heldBalance,
  lineKey,
  normalizePolicy,
  payForOccurrence,
  periodContaining,
  periodInstants,
  shortfall,
  sweepDue,
  teacherTotals,
  transferKey,
} from "./teacher-pay";
import { localDateTimeToUtc } from "./time";

const ZONE = "America/New_York";
const NOW = new Date("2026-12-15T12:00:00Z");
const at = (date: string, time = "16:00") => localDateTimeToUtc(date, time, ZONE);

const rule = (over: Partial<PayRule>): PayRule => ({ id: "r", teacherId: null, lessonType: null, durationMinutes: null, basis: "PER_LESSON", amountMinor: 3000, currency: "USD", effectiveFrom: "2026-01-01", ...over });

function occ(over: Partial<PayOccurrence> & { date?: string; minutes?: number } = {}): PayOccurrence {
  const startsAt = at(over.date ?? "2026-11-03");
  const { date: _d, minutes, ...rest } = over;
  return {
    id: "o1",
    lessonTitle: "Piano with Ana",
    teacherId: "t1",
    regularTeacherId: "t1",
    lessonType: "INDIVIDUAL",
    kind: "LESSON",
    hybrid: false,
    makeUp: false,
    status: "COMPLETED",
    startsAt,
    endsAt: new Date(startsAt.getTime() + (minutes ?? 45) * 60_000),
    register: { present: 1, absentNotified: 0, absentNoNotice: 0 },
    ...rest,
  };
}

const ctx = (rules: PayRule[], policy = DEFAULT_OUTCOME_POLICY) => ({ rules, policy, currency: "USD", timeZone: ZONE, now: NOW });

describe("findRule", () => {
  const rules = [
    rule({ id: "school", amountMinor: 3000 }),
    rule({ id: "school-group", lessonType: "GROUP", amountMinor: 4000 }),
    rule({ id: "school-group-60", lessonType: "GROUP", durationMinutes: 60, amountMinor: 5000 }),
    rule({ id: "ana", teacherId: "ana", amountMinor: 3500 }),
    rule({ id: "ana-raise", teacherId: "ana", amountMinor: 3800, effectiveFrom: "2026-11-16" }),
  ];
  const q = (over: Partial<Parameters<typeof findRule>[1]>) => findRule(rules, { teacherId: "bo", lessonType: "INDIVIDUAL", durationMinutes: 45, date: "2026-11-03", ...over })?.id;

  it("takes the school default for a teacher without rules", () => expect(q({})).toBe("school"));
  it("takes the most specific default by type and duration", () => {
    expect(q({ lessonType: "GROUP" })).toBe("school-group");
    expect(q({ lessonType: "GROUP", durationMinutes: 60 })).toBe("school-group-60");
  });
  it("prefers the teacher's own rule over the school's, even a more specific default", () => expect(q({ teacherId: "ana", lessonType: "GROUP", durationMinutes: 60 })).toBe("ana"));
  it("applies a raise from its date only", () => {
    expect(q({ teacherId: "ana", date: "2026-11-15" })).toBe("ana");
    expect(q({ teacherId: "ana", date: "2026-11-16" })).toBe("ana-raise");
  });
  it("has nothing before any rule starts", () => expect(q({ date: "2025-12-31" })).toBeUndefined());
});

describe("rates", () => {
  it("pays per lesson, per hour prorated half-up, and per student", () => {
    expect(payForOccurrence(occ(), ctx([rule({})])).amount.amountMinor).toBe(3000);
    // 45 minutes at 40.01/h = 30.0075 → 30.01
    expect(payForOccurrence(occ(), ctx([rule({ basis: "PER_HOUR", amountMinor: 4001 })])).amount.amountMinor).toBe(3001);
    expect(payForOccurrence(occ({ lessonType: "GROUP", register: { present: 3, absentNotified: 1, absentNoNotice: 1 } }), ctx([rule({ basis: "PER_STUDENT", amountMinor: 1000 })])).amount.amountMinor).toBe(3000);
  });
});

describe("outcomes", () => {
  const rules = [rule({ amountMinor: 3000 })];
  const policy = { ...DEFAULT_OUTCOME_POLICY, ABSENT_NO_NOTICE: 5000, SCHOOL_CANCELLED: 2500, FAMILY_CANCELLED_NOTICE: 0 };
  const pay = (o: PayOccurrence) => payForOccurrence(o, ctx(rules, policy));
  const cases: [string, PayOccurrence, string | null, number][] = [
    ["taught", occ(), "TAUGHT", 3000],
    ["absent without notice", occ({ register: { present: 0, absentNotified: 0, absentNoNotice: 1 } }), "ABSENT_NO_NOTICE", 1500],
    ["cancelled by the family with notice", occ({ register: { present: 0, absentNotified: 1, absentNoNotice: 0 } }), "FAMILY_CANCELLED_NOTICE", 0],
    ["cancelled by the school", occ({ status: "CANCELLED", register: null }), "SCHOOL_CANCELLED", 750],
    ["cancelled by the teacher", occ({ status: "CANCELLED_BY_TEACHER", register: null }), "TEACHER_CANCELLED", 0],
    ["make-up taught", occ({ kind: "INDIVIDUAL_SESSION", makeUp: true }), "MAKEUP_TAUGHT", 3000],
    ["hybrid 1-on-1 taught", occ({ kind: "INDIVIDUAL_SESSION", hybrid: true, lessonType: "HYBRID" }), "HYBRID_ONE_ON_ONE", 3000],
    ["taught by a substitute", occ({ teacherId: "sub", regularTeacherId: "t1" }), "SUBSTITUTE", 3000],
  ];
  it.each(cases)("%s", (_name, o, outcome, amount) => {
    const p = pay(o);
    expect(p.outcome).toBe(outcome);
    expect(p.amount.amountMinor).toBe(amount);
    expect(p.unresolved).toBeNull();
  });

  it("a teacher's own cancellation is never paid, whatever the stored policy says", () => {
    expect(normalizePolicy({ TEACHER_CANCELLED: 10_000, TAUGHT: 9000, SCHOOL_CANCELLED: "x" })).toMatchObject({ TEACHER_CANCELLED: 0, TAUGHT: 9000, SCHOOL_CANCELLED: 10_000 });
  });

  it("pays the substitute, not the regular teacher, at the substitute's rate", () => {
    const p = payForOccurrence(occ({ teacherId: "sub" }), ctx([rule({ amountMinor: 3000 }), rule({ id: "sub", teacherId: "sub", amountMinor: 2800 })]));
    expect(p).toMatchObject({ teacherId: "sub", outcome: "SUBSTITUTE", amount: money(2800, "USD") });
  });

  it("a missing register pays nothing and is to resolve; a future one is not yet taught", () => {
    expect(pay(occ({ register: null, status: "SCHEDULED" }))).toMatchObject({ unresolved: "MISSING_REGISTER", amount: money(0, "USD") });
    expect(classify(occ({ register: null, status: "SCHEDULED", date: "2026-12-20" }), NOW)).toEqual({ unresolved: "NOT_YET_TAUGHT" });
  });

  it("a paid outcome without any rate is to resolve", () => {
    expect(payForOccurrence(occ(), ctx([]))).toMatchObject({ unresolved: "NO_RATE", amount: money(0, "USD") });
    // an unpaid outcome needs no rate
    expect(payForOccurrence(occ({ status: "CANCELLED_BY_TEACHER", register: null }), ctx([])).unresolved).toBeNull();
  });
});

describe("periods in the school's time zone", () => {
  it("weeks run Monday to Sunday", () => expect(periodContaining("WEEKLY", "2026-11-05")).toMatchObject({ start: "2026-11-02", end: "2026-11-08" }));
  it("fortnights count from the anchor", () => {
    expect(periodContaining("FORTNIGHTLY", "2026-11-05", { anchor: "2026-10-26" })).toMatchObject({ start: "2026-10-26", end: "2026-11-08" });
    expect(periodContaining("FORTNIGHTLY", "2026-11-09", { anchor: "2026-10-26" })).toMatchObject({ start: "2026-11-09", end: "2026-11-22" });
  });
  it("months are calendar months", () => expect(periodContaining("MONTHLY", "2028-02-10")).toMatchObject({ start: "2028-02-01", end: "2028-02-29", label: "February 2028" }));
  it("a term period is the term", () => {
    const terms = [{ name: "Fall 2026", startDate: "2026-09-07", endDate: "2026-12-18" }];
    expect(periodContaining("TERM", "2026-11-05", { terms })).toMatchObject({ start: "2026-09-07", end: "2026-12-18", label: "Fall 2026" });
    expect(periodContaining("TERM", "2026-12-25", { terms })).toBeNull();
  });
  it("boundaries are local midnights (across the fall-back change)", () => {
    const { from, to } = periodInstants({ start: "2026-11-01", end: "2026-11-30" }, ZONE);
    expect(from.toISOString()).toBe("2026-11-01T04:00:00.000Z");
    expect(to.toISOString()).toBe("2026-12-01T05:00:00.000Z");
  });
});

describe("a pay run's lines", () => {
  const rules = [rule({ amountMinor: 3000 }), rule({ id: "raise", amountMinor: 3300, effectiveFrom: "2026-11-16" })];
  const base = { currency: "USD", timeZone: ZONE, now: NOW, rules, policy: DEFAULT_OUTCOME_POLICY };

  it("uses the rate in force on each date when it changes mid-period", () => {
    const lines = computeRunLines({ ...base, occurrences: [occ({ id: "a", date: "2026-11-09" }), occ({ id: "b", date: "2026-11-16" })], earlier: [], paid: new Map(), included: new Set() });
    expect(lines.map((l) => [l.occurrenceId, l.amountMinor, l.ruleId])).toEqual([
      ["a", 3000, "r"],
      ["b", 3300, "raise"],
    ]);
  });

  it("never pays an occurrence twice: one already in an approved run and unchanged makes no line", () => {
    const o = occ({ id: "a" });
    const lines = computeRunLines({ ...base, occurrences: [o], earlier: [], paid: new Map([[lineKey("a", "t1"), 3000]]), included: new Set(["a"]) });
    expect(lines).toEqual([]);
  });

  it("a late register on an occurrence left unresolved becomes a correction in the next run", () => {
    const lines = computeRunLines({ ...base, occurrences: [], earlier: [occ({ id: "a" })], paid: new Map([[lineKey("a", "t1"), 0]]), included: new Set(["a"]) });
    expect(lines).toMatchObject([{ kind: "CORRECTION", teacherId: "t1", amountMinor: 3000, previouslyPaidMinor: 0 }]);
  });

  it("a substitute recorded after the regular teacher was paid: taken back from one, paid to the other", () => {
    const lines = computeRunLines({ ...base, occurrences: [], earlier: [occ({ id: "a", teacherId: "sub" })], paid: new Map([[lineKey("a", "t1"), 3000]]), included: new Set(["a"]) });
    expect(lines.map((l) => [l.teacherId, l.kind, l.amountMinor])).toEqual([
      ["sub", "CORRECTION", 3000],
      ["t1", "CORRECTION", -3000],
    ]);
  });

  it("adds adjustments to totals and refuses a negative total", () => {
    const totals = teacherTotals("USD", [{ teacherId: "t1", amountMinor: 3000, unresolved: null }, { teacherId: "t2", amountMinor: 0, unresolved: "MISSING_REGISTER" }], [
      { teacherId: "t1", kind: "BONUS", amountMinor: 500 },
      { teacherId: "t1", kind: "DEDUCTION", amountMinor: 200 },
      { teacherId: "t2", kind: "DEDUCTION", amountMinor: 100 },
    ]);
    expect(totals).toEqual([
      { teacherId: "t1", linesMinor: 3000, adjustmentsMinor: 300, totalMinor: 3300, unresolved: 0 },
      { teacherId: "t2", linesMinor: 0, adjustmentsMinor: -100, totalMinor: -100, unresolved: 1 },
    ]);
    expect(approvalProblems(totals, new Map([["t2", "Bo"]]), (n) => String(n))).toEqual([expect.stringContaining("Bo's total is -100")]);
    expect(() => adjustmentSigned("BONUS", 0)).toThrow(/positive/);
  });
});

describe("the held balance", () => {
  it("is the signed sum of the school's entries, less what approved runs reserve", () => {
    const held = heldBalance("USD", [
      { kind: "CHARGE", amountMinor: 10000, currency: "USD" },
      { kind: "PLATFORM_FEE", amountMinor: 250, currency: "USD" },
      { kind: "REFUND", amountMinor: 1000, currency: "USD" },
      { kind: "FEE_REFUND", amountMinor: 25, currency: "USD" },
      { kind: "TEACHER_TRANSFER", amountMinor: 3000, currency: "USD" },
      { kind: "TRANSFER_REVERSAL", amountMinor: 3000, currency: "USD" },
      { kind: "SWEEP", amountMinor: 2000, currency: "USD" },
    ]);
    expect(held.amountMinor).toBe(6775);
    const f = funding(held, 5000);
    expect(f.available.amountMinor).toBe(1775);
    expect(shortfall(f, 1775)).toBeNull();
    expect(shortfall(f, 2000)).toEqual(money(225, "USD"));
  });
  it("keys each transfer by run and teacher", () => expect(transferKey("run1", "t1")).toBe("payrun:run1:teacher:t1"));
  it("sweeps on the school's schedule", () => {
    expect(sweepDue("MANUAL", "2026-11-02", null)).toBe(false);
    expect(sweepDue("DAILY", "2026-11-02", "2026-11-01")).toBe(true);
    expect(sweepDue("DAILY", "2026-11-02", "2026-11-02")).toBe(false);
    expect(sweepDue("WEEKLY", "2026-11-02", "2026-10-28")).toBe(true); // a Monday
    expect(sweepDue("WEEKLY", "2026-11-03", "2026-11-02")).toBe(false);
    expect(sweepDue("MONTHLY", "2026-12-01", "2026-11-20")).toBe(true);
    expect(sweepDue("MONTHLY", "2026-12-02", "2026-12-01")).toBe(false);
  });
});
