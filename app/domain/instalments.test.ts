import { describe, expect, it } from "vitest";
import { effectiveDueDate, instalmentChoiceProblem, instalmentSchedule, instalmentStates, payableNow } from "./instalments";
import { money } from "./money";

const usd = (minor: number) => money(minor, "USD");

describe("instalmentSchedule", () => {
  it("splits exactly, the odd cent first, one a month from the first day, clamped to short months", () => {
    const s = instalmentSchedule(usd(100_00), 3, "2027-01-31");
    expect(s.map((i) => [i.sequence, i.amount.amountMinor, i.dueDate])).toEqual([
      [1, 33_34, "2027-01-31"],
      [2, 33_33, "2027-02-28"],
      [3, 33_33, "2027-03-31"],
    ]);
    expect(s.reduce((n, i) => n + i.amount.amountMinor, 0)).toBe(100_00);
  });

  it("works in a zero-decimal currency", () => {
    expect(instalmentSchedule(money(10_000, "JPY"), 3, "2027-04-01").map((i) => i.amount.amountMinor)).toEqual([3334, 3333, 3333]);
  });

  it("refuses nothing to split", () => {
    expect(() => instalmentSchedule(usd(0), 2, "2027-01-01")).toThrow(/Nothing is open/);
  });
});

describe("instalmentChoiceProblem", () => {
  const ok = { count: 3, maxInstalments: 3, open: usd(300_00), total: usd(300_00), hasPlan: false, status: "ISSUED" };
  it("allows 2 up to the school's maximum on an unpaid issued invoice", () => {
    expect(instalmentChoiceProblem(ok)).toBeNull();
    expect(instalmentChoiceProblem({ ...ok, count: 2 })).toBeNull();
  });
  it("says why not, in words", () => {
    expect(instalmentChoiceProblem({ ...ok, count: 4 })).toBe("Choose between 2 and 3 instalments.");
    expect(instalmentChoiceProblem({ ...ok, count: 1 })).toBe("Choose between 2 and 3 instalments.");
    expect(instalmentChoiceProblem({ ...ok, maxInstalments: 1 })).toMatch(/one payment/);
    expect(instalmentChoiceProblem({ ...ok, hasPlan: true })).toMatch(/already being paid/);
    expect(instalmentChoiceProblem({ ...ok, open: usd(100_00) })).toMatch(/Part of this invoice is already paid/);
    expect(instalmentChoiceProblem({ ...ok, open: usd(0) })).toMatch(/already paid/);
    expect(instalmentChoiceProblem({ ...ok, status: "DRAFT" })).toMatch(/issued/);
    expect(instalmentChoiceProblem({ ...ok, open: usd(2), total: usd(2) })).toMatch(/too small/);
  });
});

describe("instalmentStates, payableNow and effectiveDueDate", () => {
  const schedule = instalmentSchedule(usd(300_00), 3, "2027-01-10");

  it("on the first day: the first is due, the invoice not overdue", () => {
    const s = instalmentStates(schedule, usd(0), "2027-01-10");
    expect(s.map((i) => i.status)).toEqual(["due", "upcoming", "upcoming"]);
    expect(payableNow(s, usd(300_00), "2027-01-10")).toEqual(usd(100_00));
    expect(effectiveDueDate(s)).toBe("2027-01-10");
  });

  it("payments cover the instalments in order; nothing due yet means the next may be paid ahead", () => {
    const s = instalmentStates(schedule, usd(100_00), "2027-01-20");
    expect(s.map((i) => i.status)).toEqual(["paid", "upcoming", "upcoming"]);
    expect(payableNow(s, usd(200_00), "2027-01-20")).toEqual(usd(100_00));
    expect(effectiveDueDate(s)).toBe("2027-02-10");
  });

  it("a part payment leaves the rest of an instalment; two missed instalments are both due", () => {
    const part = instalmentStates(schedule, usd(150_00), "2027-02-10");
    expect(part.map((i) => [i.status, i.remaining.amountMinor])).toEqual([
      ["paid", 0],
      ["part-paid", 50_00],
      ["upcoming", 100_00],
    ]);
    const missed = instalmentStates(schedule, usd(0), "2027-02-11");
    expect(missed.map((i) => i.status)).toEqual(["overdue", "overdue", "upcoming"]);
    expect(payableNow(missed, usd(300_00), "2027-02-11")).toEqual(usd(200_00));
    expect(effectiveDueDate(missed)).toBe("2027-01-10");
  });

  it("the last payment takes whatever the invoice still owes (a late fee on top); a credit note caps it", () => {
    const last = instalmentStates(schedule, usd(200_00), "2027-03-10");
    expect(payableNow(last, usd(125_00), "2027-03-10")).toEqual(usd(125_00));
    expect(payableNow(instalmentStates(schedule, usd(0), "2027-01-10"), usd(40_00), "2027-01-10")).toEqual(usd(40_00));
  });

  it("all paid: nothing to pay, no due date", () => {
    const s = instalmentStates(schedule, usd(300_00), "2027-06-01");
    expect(s.every((i) => i.status === "paid")).toBe(true);
    expect(payableNow(s, usd(0), "2027-06-01")).toEqual(usd(0));
    expect(effectiveDueDate(s)).toBeNull();
  });
});
