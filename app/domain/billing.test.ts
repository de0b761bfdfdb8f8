import { describe, expect, it } from "vitest";
import {
  type BillableChild,
  type BillableEnrollment,
  type BillableLesson,
  BillingError,
  type FamilyTermInput,
  type PriceListLine,
  type TaxRule,
  generateEnrollmentInvoice,
  generateTermInvoice,
  lineKeys,
  matchPrice,
  orderChildren,
  siblingRuleFor,
  taxLine,
  validateSiblingRules,
} from "./billing";
import type { HybridPattern } from "./hybrid";
import { money } from "./money";
import type { Closure, Term } from "./terms";
import { localDateTimeToUtc } from "./time";

const ZONE = "America/New_York"; // DST starts 8 March 2026, inside the term
const usd = (n: number) => money(n, "USD");
const jpy = (n: number) => money(n, "JPY");

/** Mon 12 Jan – Sun 22 Mar 2026: ten weeks, ten Tuesdays (13 Jan … 17 Mar). */
const TERM: Term = { id: "t1", name: "Term 1", startDate: "2026-01-12", endDate: "2026-03-22" };
/** Mid-term break: closes Tuesday 17 Feb (week 6) for the whole school. */
const BREAK: Closure = { id: "c1", name: "Mid-term break", startDate: "2026-02-16", endDate: "2026-02-20", locationId: null };
/** A closure at another location: must not touch lessons at loc-1. */
const OTHER_SITE: Closure = { id: "c2", name: "Flood", startDate: "2026-01-19", endDate: "2026-01-31", locationId: "loc-2" };

const at = (date: string, time = "10:00") => localDateTimeToUtc(date, time, ZONE);

function lesson(overrides: Partial<BillableLesson> = {}): BillableLesson {
  return {
    id: "L1",
    title: "Piano — individual",
    type: "INDIVIDUAL",
    instrument: "Piano",
    durationMinutes: 45,
    firstStart: at("2026-01-13", "16:00"),
    recurrence: "WEEKLY",
    until: null,
    locationId: "loc-1",
    pricePerStudent: usd(54000),
    hybrid: null,
    ...overrides,
  };
}

function enrollment(id: string, l: BillableLesson, overrides: Partial<BillableEnrollment> = {}): BillableEnrollment {
  return { id, status: "ACTIVE", enrolledAt: at("2025-12-01"), endedAt: null, lesson: l, ...overrides };
}

function child(studentId: string, dateOfBirth: string | null, enrollments: BillableEnrollment[], name = studentId): BillableChild {
  return { studentId, name, dateOfBirth, enrollments };
}

function family(children: BillableChild[], overrides: Partial<FamilyTermInput> = {}): FamilyTermInput {
  return {
    familyId: "fam",
    currency: "USD",
    timeZone: ZONE,
    term: TERM,
    closures: [BREAK, OTHER_SITE],
    children,
    priceList: [],
    siblingDiscounts: [],
    tax: null,
    ...overrides,
  };
}

const one = (e: BillableEnrollment, overrides: Partial<FamilyTermInput> = {}) => family([child("s1", "2015-05-01", [e])], overrides);

describe("lesson lines: occurrences after closures", () => {
  it("bills a full term at exactly the term price, whatever the closures", () => {
    const inv = generateTermInvoice(one(enrollment("e1", lesson())));
    expect(inv.lines).toHaveLength(1);
    const [line] = inv.lines;
    expect(line).toMatchObject({ lineKey: "enrollment:e1:term:t1", kind: "LESSON", quantity: 9, basis: "PER_TERM", proration: null, unitAmount: null });
    expect(line!.amount).toEqual(usd(54000));
    expect(inv.total).toEqual(usd(54000));
  });

  it("multiplies a per-lesson rate by the lessons left after closures", () => {
    const priceList: PriceListLine[] = [{ id: "p1", lessonType: "INDIVIDUAL", durationMinutes: 45, instrument: null, amount: usd(6000), basis: "PER_LESSON" }];
    const inv = generateTermInvoice(one(enrollment("e1", lesson({ pricePerStudent: null })), { priceList }));
    expect(inv.lines[0]).toMatchObject({ quantity: 9, unitAmount: usd(6000), amount: usd(54000) });

    // Without the school-wide break, ten lessons; the other site's closure never counts.
    const open = generateTermInvoice(one(enrollment("e1", lesson({ pricePerStudent: null })), { priceList, closures: [OTHER_SITE] }));
    expect(open.lines[0]).toMatchObject({ quantity: 10, amount: usd(60000) });
  });

  it("a location closure removes lessons at that location only", () => {
    const priceList: PriceListLine[] = [{ id: "p1", lessonType: null, durationMinutes: null, instrument: null, amount: usd(6000), basis: "PER_LESSON" }];
    const atSite2 = lesson({ pricePerStudent: null, locationId: "loc-2" });
    const inv = generateTermInvoice(one(enrollment("e1", atSite2), { priceList }));
    // Break (17 Feb) plus the flood (20 and 27 Jan).
    expect(inv.lines[0]!.quantity).toBe(7);
    const online = generateTermInvoice(one(enrollment("e1", lesson({ pricePerStudent: null, locationId: null })), { priceList }));
    expect(online.lines[0]!.quantity).toBe(9);
  });

  it("respects the series' own end and a biweekly rule", () => {
    const short = generateTermInvoice(one(enrollment("e1", lesson({ until: "2026-02-03" }))));
    // The series has four lessons in the term, all billed: the full term price for that series.
    expect(short.lines[0]).toMatchObject({ quantity: 4, amount: usd(54000) });
    const biweekly = generateTermInvoice(one(enrollment("e1", lesson({ recurrence: "BIWEEKLY" }))));
    // 13, 27 Jan, 10, 24 Feb, 10 Mar (the break misses 17 Feb anyway).
    expect(biweekly.lines[0]!.quantity).toBe(5);
  });
});

describe("mid-term starts and early ends", () => {
  it("prorates a term price by lessons remaining over lessons in the term", () => {
    // Starts Wed 4 Feb: 10, 24 Feb, 3, 10, 17 Mar = 5 of 9. 680.00 × 5/9 = 377.777… → 377.78
    const e = enrollment("e1", lesson({ pricePerStudent: usd(68000) }), { enrolledAt: at("2026-02-04") });
    const line = generateTermInvoice(one(e)).lines[0]!;
    expect(line.amount).toEqual(usd(37778));
    expect(line.quantity).toBe(5);
    expect(line.proration).toEqual({ billed: 5, total: 9, from: "2026-02-10" });
  });

  it("counts a lesson on the day of enrolment (local date), even after DST", () => {
    // Enrolled at 20:00 local on Tue 10 Mar (after that day's lesson, still that local date; 00:00 UTC next day).
    const e = enrollment("e1", lesson(), { enrolledAt: at("2026-03-10", "20:00") });
    expect(e.enrolledAt.toISOString()).toBe("2026-03-11T00:00:00.000Z");
    const line = generateTermInvoice(one(e)).lines[0]!;
    expect(line.quantity).toBe(2);
    expect(line.amount).toEqual(usd(12000)); // 540.00 × 2/9
  });

  it("stops at the local date an enrollment ended", () => {
    const e = enrollment("e1", lesson(), { status: "UNENROLLED", endedAt: at("2026-02-04") });
    const line = generateTermInvoice(one(e)).lines[0]!;
    expect(line).toMatchObject({ quantity: 4, amount: usd(24000), proration: { billed: 4, total: 9, from: "2026-01-13" } });
  });

  it("bills nothing after the last lesson or for enrollments not taken", () => {
    expect(generateTermInvoice(one(enrollment("e1", lesson(), { enrolledAt: at("2026-03-18") }))).lines).toEqual([]);
    for (const status of ["PENDING", "WAITLISTED", "REJECTED"] as const) {
      expect(generateTermInvoice(one(enrollment("e1", lesson(), { status }))).lines).toEqual([]);
    }
    expect(generateTermInvoice(one(enrollment("e1", lesson(), { status: "DROPPED", endedAt: at("2026-01-05") }))).lines).toEqual([]);
  });

  it("never bills more than the full term, and later starts never cost more (generated)", () => {
    let previous = Infinity;
    for (let day = 0; day < 80; day++) {
      const date = new Date(Date.UTC(2026, 0, 5 + day)).toISOString().slice(0, 10);
      const inv = generateTermInvoice(one(enrollment("e1", lesson({ pricePerStudent: usd(68001) }), { enrolledAt: at(date) })));
      const amount = inv.total.amountMinor;
      expect(amount).toBeLessThanOrEqual(68001);
      expect(amount).toBeLessThanOrEqual(previous);
      previous = amount;
      const billed = inv.lines[0]?.quantity ?? 0;
      expect(amount).toBe(Math.round((68001 * billed) / 9)); // positive, so Math.round is half-up
    }
    expect(previous).toBe(0);
  });
});

describe("hybrid lessons", () => {
  const pattern: HybridPattern = {
    termId: "t1",
    termStartDate: TERM.startDate,
    termEndDate: TERM.endDate,
    individualWeeks: [4, 8],
    groupWeekday: 2,
    groupStartTime: "17:00",
    groupDurationMinutes: 60,
    individualDurationMinutes: 30,
    notifyDaysAhead: 7,
    locationId: "loc-1",
  };
  const hybrid = (groupPrice = usd(2500), individualPrice = usd(4500)) =>
    lesson({ id: "H1", title: "Keys Hybrid", type: "HYBRID", pricePerStudent: usd(99999), hybrid: { pattern, groupPrice, individualPrice } });

  it("splits group weeks × group price and 1-on-1 weeks × 1-on-1 price", () => {
    // 10 weeks: 2 individual (4, 8), week 6's Tuesday closed → 7 group weeks.
    const inv = generateTermInvoice(one(enrollment("e1", hybrid())));
    expect(inv.lines.map((l) => [l.lineKey, l.kind, l.quantity, l.unitAmount?.amountMinor, l.amount.amountMinor])).toEqual([
      ["enrollment:e1:term:t1:group", "HYBRID_GROUP", 7, 2500, 17500],
      ["enrollment:e1:term:t1:one-on-one", "HYBRID_INDIVIDUAL", 2, 4500, 9000],
    ]);
    expect(inv.total).toEqual(usd(26500));
  });

  it("counts only the weeks from a mid-term start", () => {
    // From Wed 4 Feb: group meetings 10 Feb, 24 Feb, 10, 17 Mar (4); individual weeks 4 (2–8 Feb) and 8 (2).
    const inv = generateTermInvoice(one(enrollment("e1", hybrid(), { enrolledAt: at("2026-02-04") })));
    expect(inv.lines.map((l) => l.quantity)).toEqual([4, 2]);
    expect(inv.total).toEqual(usd(4 * 2500 + 2 * 4500));
  });

  it("warns instead of billing a hybrid lesson without its week price", () => {
    const l = lesson({ type: "HYBRID", hybrid: { pattern, groupPrice: usd(2500), individualPrice: null } });
    const inv = generateTermInvoice(one(enrollment("e1", l)));
    expect(inv.lines).toEqual([]);
    expect(inv.warnings).toEqual([expect.objectContaining({ code: "HYBRID_PRICE_MISSING", enrollmentId: "e1" })]);
  });
});

describe("prices", () => {
  const list: PriceListLine[] = [
    { id: "any", lessonType: null, durationMinutes: null, instrument: null, amount: usd(3000), basis: "PER_LESSON" },
    { id: "ind", lessonType: "INDIVIDUAL", durationMinutes: null, instrument: null, amount: usd(5000), basis: "PER_LESSON" },
    { id: "ind45", lessonType: "INDIVIDUAL", durationMinutes: 45, instrument: null, amount: usd(6000), basis: "PER_LESSON" },
    { id: "ind45vn", lessonType: "INDIVIDUAL", durationMinutes: 45, instrument: "violin", amount: usd(65000), basis: "PER_TERM" },
  ];

  it("takes the most specific matching price-list line", () => {
    const m = (l: Partial<BillableLesson>) => matchPrice({ type: "INDIVIDUAL", durationMinutes: 45, instrument: "Piano", ...l }, list);
    expect(m({})).toEqual({ line: list[2] });
    expect(m({ instrument: "Violin" })).toEqual({ line: list[3] });
    expect(m({ durationMinutes: 30 })).toEqual({ line: list[1] });
    expect(m({ type: "GROUP" })).toEqual({ line: list[0] });
    expect(matchPrice({ type: "GROUP", durationMinutes: 45, instrument: null }, list.slice(1))).toBeNull();
  });

  it("reports two equally specific lines with different prices", () => {
    const twin: PriceListLine = { ...list[2]!, id: "dup", amount: usd(6100) };
    expect(matchPrice({ type: "INDIVIDUAL", durationMinutes: 45, instrument: "Piano" }, [...list, twin])).toEqual({ ambiguous: [list[2], twin] });
    const inv = generateTermInvoice(one(enrollment("e1", lesson({ pricePerStudent: null })), { priceList: [...list, twin] }));
    expect(inv.lines).toEqual([]);
    expect(inv.warnings[0]).toMatchObject({ code: "AMBIGUOUS_PRICE", enrollmentId: "e1" });
  });

  it("uses the lesson's own term price before the list, and warns when there is none", () => {
    expect(generateTermInvoice(one(enrollment("e1", lesson()), { priceList: list })).lines[0]!.amount).toEqual(usd(54000));
    const violin = lesson({ pricePerStudent: null, instrument: "Violin" });
    expect(generateTermInvoice(one(enrollment("e1", violin), { priceList: list })).lines[0]).toMatchObject({ basis: "PER_TERM", amount: usd(65000) });
    const none = generateTermInvoice(one(enrollment("e1", lesson({ pricePerStudent: null }))));
    expect(none.lines).toEqual([]);
    expect(none.warnings[0]).toMatchObject({ code: "NO_PRICE", studentId: "s1", enrollmentId: "e1" });
  });

  it("refuses amounts in another currency", () => {
    expect(() => generateTermInvoice(one(enrollment("e1", lesson({ pricePerStudent: jpy(500) }))))).toThrow(BillingError);
    expect(() => generateTermInvoice(one(enrollment("e1", lesson()), { tax: { label: "GST", rateBasisPoints: 10_001, inclusive: false } }))).toThrow(/tax rate/);
  });
});

describe("sibling discounts", () => {
  const rules = [
    { fromPosition: 2, kind: "PERCENT" as const, basisPoints: 1000 },
    { fromPosition: 3, kind: "PERCENT" as const, basisPoints: 1500 },
  ];
  const piano = lesson();
  const kids = () => [
    child("c-young", "2018-06-01", [enrollment("e-young", piano)]),
    child("c-old", "2012-02-01", [enrollment("e-old", piano)]),
    child("c-mid", "2015-09-01", [enrollment("e-mid", piano)]),
    // Older than everyone, but only waitlisted: does not count.
    child("c-wait", "2010-01-01", [enrollment("e-wait", piano, { status: "WAITLISTED" })]),
  ];

  it("orders children by date of birth then id, counting only those billed", () => {
    const inv = generateTermInvoice(family(kids(), { siblingDiscounts: rules }));
    expect(inv.childOrder).toEqual(["c-old", "c-mid", "c-young"]);
    expect(generateTermInvoice(family(kids().reverse(), { siblingDiscounts: rules })).lines).toEqual(inv.lines);
    expect(orderChildren([
      { studentId: "b", dateOfBirth: null },
      { studentId: "z", dateOfBirth: "2014-01-01" },
      { studentId: "a", dateOfBirth: "2014-01-01" },
      { studentId: "a0", dateOfBirth: null },
    ]).map((c) => c.studentId)).toEqual(["a", "z", "a0", "b"]);
  });

  it("gives the 2nd child 10 % and the 3rd and later 15 %, one line per lesson line", () => {
    const inv = generateTermInvoice(family(kids(), { siblingDiscounts: rules }));
    const discounts = inv.lines.filter((l) => l.kind === "SIBLING_DISCOUNT");
    expect(discounts.map((d) => [d.lineKey, d.amount.amountMinor])).toEqual([
      ["enrollment:e-mid:term:t1:sibling-discount", -5400],
      ["enrollment:e-young:term:t1:sibling-discount", -8100],
    ]);
    expect(inv.total).toEqual(usd(3 * 54000 - 5400 - 8100));
    expect(siblingRuleFor(1, rules)).toBeNull();
    expect(siblingRuleFor(7, rules)).toEqual(rules[1]);
  });

  it("gives a fixed discount once per child per term, never more than the child's lessons", () => {
    const fixed = [{ fromPosition: 2, kind: "FIXED" as const, amount: usd(60000) }];
    const inv = generateTermInvoice(family(kids().slice(0, 2), { siblingDiscounts: fixed }));
    const d = inv.lines.filter((l) => l.kind === "SIBLING_DISCOUNT");
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ lineKey: lineKeys.fixedDiscount("c-young", "t1"), studentId: "c-young", amount: usd(-54000) });
  });

  it("validates rules", () => {
    expect(validateSiblingRules(rules, "USD")).toEqual([]);
    expect(validateSiblingRules([{ fromPosition: 1, kind: "PERCENT", basisPoints: 500 }], "USD")[0]).toMatch(/2nd child/);
    expect(validateSiblingRules([...rules, { fromPosition: 3, kind: "FIXED", amount: usd(5) }], "USD")[0]).toMatch(/Two sibling discounts/);
    expect(validateSiblingRules([{ fromPosition: 2, kind: "FIXED", amount: jpy(5) }], "USD")[0]).toMatch(/in USD/);
    expect(() => generateTermInvoice(family(kids(), { siblingDiscounts: [{ fromPosition: 0, kind: "PERCENT", basisPoints: 5 }] }))).toThrow(BillingError);
  });
});

describe("tax, rounded per line", () => {
  const gst: TaxRule = { label: "GST", rateBasisPoints: 1000, inclusive: false };
  const vat: TaxRule = { label: "VAT", rateBasisPoints: 2000, inclusive: true };

  it("adds exclusive tax per line", () => {
    expect(taxLine(usd(37778), gst)).toEqual({ net: usd(37778), tax: usd(3778), gross: usd(41556) });
    expect(taxLine(usd(-5400), gst)).toEqual({ net: usd(-5400), tax: usd(-540), gross: usd(-5940) });
    expect(taxLine(usd(5), gst)).toEqual({ net: usd(5), tax: usd(1), gross: usd(6) }); // 0.5 → 1
  });

  it("extracts inclusive tax from the gross per line", () => {
    expect(taxLine(usd(54000), vat)).toEqual({ net: usd(45000), tax: usd(9000), gross: usd(54000) });
    expect(taxLine(usd(1001), vat)).toEqual({ net: usd(834), tax: usd(167), gross: usd(1001) }); // 166.83 → 167
    expect(taxLine(usd(1000), null)).toEqual({ net: usd(1000), tax: usd(0), gross: usd(1000) });
  });

  it("totals are sums of rounded lines (not tax on the subtotal)", () => {
    // Two lines of 0.05 at 10 %: 0.005 → 0.01 each, 0.02 in all (0.10 × 10 % would be 0.01).
    const priceList: PriceListLine[] = [{ id: "p", lessonType: null, durationMinutes: null, instrument: null, amount: usd(5), basis: "PER_TERM" }];
    const l = lesson({ pricePerStudent: null });
    const inv = generateTermInvoice(family([child("a", "2014-01-01", [enrollment("e1", l), enrollment("e2", { ...l, id: "L2" })])], { priceList, tax: gst }));
    expect(inv.lines.map((x) => x.tax.amountMinor)).toEqual([1, 1]);
    expect(inv).toMatchObject({ net: usd(10), tax: usd(2), total: usd(12), taxLabel: "GST", taxInclusive: false });
  });

  it("taxes discount lines like any other, and the invoice still adds up", () => {
    const rules = [{ fromPosition: 2, kind: "PERCENT" as const, basisPoints: 1000 }];
    const e = (id: string, s: string) => enrollment(id, lesson({ pricePerStudent: usd(68000) }), { enrolledAt: at(s) });
    for (const tax of [gst, vat]) {
      const inv = generateTermInvoice(family([child("a", "2012-01-01", [e("e1", "2026-01-01")]), child("b", "2014-01-01", [e("e2", "2026-02-04")])], { siblingDiscounts: rules, tax }));
      for (const line of inv.lines) expect(line.net.amountMinor + line.tax.amountMinor).toBe(line.gross.amountMinor);
      expect(inv.net.amountMinor + inv.tax.amountMinor).toBe(inv.total.amountMinor);
      // b: 377.78 less 10 % (37.78)
      expect(inv.lines.find((l) => l.kind === "SIBLING_DISCOUNT")!.amount).toEqual(usd(-3778));
    }
  });
});

describe("a zero-decimal currency (JPY)", () => {
  it("prorates, discounts and taxes in whole yen", () => {
    const l = lesson({ pricePerStudent: jpy(20000) });
    const input = family(
      [
        child("a", "2012-01-01", [enrollment("e1", l)]),
        child("b", "2014-01-01", [enrollment("e2", l, { enrolledAt: at("2026-02-04") })]),
      ],
      { currency: "JPY", siblingDiscounts: [{ fromPosition: 2, kind: "PERCENT", basisPoints: 1500 }], tax: { label: "消費税", rateBasisPoints: 1000, inclusive: false } },
    );
    const inv = generateTermInvoice(input);
    expect(inv.lines.map((x) => [x.kind, x.amount.amountMinor, x.tax.amountMinor, x.gross.amountMinor])).toEqual([
      ["LESSON", 20000, 2000, 22000],
      ["LESSON", 11111, 1111, 12222], // 20000 × 5/9 = 11111.1; tax 1111.1
      ["SIBLING_DISCOUNT", -1667, -167, -1834], // 15 % of 11111 = 1666.65 → 1667; tax 166.7 → 167
    ]);
    expect(inv.total).toEqual(jpy(22000 + 12222 - 1834));
    expect(inv.lines.every((x) => x.amount.currency === "JPY" && Number.isInteger(x.gross.amountMinor))).toBe(true);
  });
});

describe("line keys: generation never duplicates a line", () => {
  const rules = [{ fromPosition: 2, kind: "PERCENT" as const, basisPoints: 1000 }];
  const input = () =>
    family(
      [
        child("a", "2012-01-01", [enrollment("e1", lesson())]),
        child("b", "2014-01-01", [enrollment("e2", lesson()), enrollment("e3", lesson({ id: "L3" }), { status: "PENDING" })]),
      ],
      { siblingDiscounts: rules },
    );

  it("gives the same keys on every run and nothing new the second time", () => {
    const first = generateTermInvoice(input());
    expect(generateTermInvoice(input())).toEqual(first);
    expect(new Set(first.lines.map((l) => l.lineKey)).size).toBe(first.lines.length);
    const again = generateTermInvoice(input(), { existingLineKeys: first.lines.map((l) => l.lineKey) });
    expect(again.lines).toEqual([]);
    expect(again.total).toEqual(usd(0));
    expect(first.invoiceKey).toBe("family:fam:term:t1");
  });

  it("an enrollment approved mid-term gets its own prorated invoice, skipped by the term run", () => {
    const base = input();
    const first = generateTermInvoice(base);
    // e3 is approved on 4 Feb.
    const approved = structuredClone(base);
    approved.children[1]!.enrollments[1]!.status = "ACTIVE";
    (approved.children[1]!.enrollments[1] as { enrolledAt: Date }).enrolledAt = at("2026-02-04");
    const existing = new Set(first.lines.map((l) => l.lineKey));
    const mid = generateEnrollmentInvoice(approved, "e3", { existingLineKeys: existing });
    expect(mid.invoiceKey).toBe("enrollment:e3:term:t1");
    expect(mid.lines.map((l) => [l.lineKey, l.amount.amountMinor])).toEqual([
      ["enrollment:e3:term:t1", 30000], // 540.00 × 5/9
      ["enrollment:e3:term:t1:sibling-discount", -3000], // b is the 2nd child
    ]);
    for (const k of mid.lines) existing.add(k.lineKey);
    expect(generateTermInvoice(approved, { existingLineKeys: existing }).lines).toEqual([]);
    expect(() => generateEnrollmentInvoice(approved, "nope")).toThrow(/not one of this family's/);
  });
});
