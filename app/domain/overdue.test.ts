import { describe, expect, it } from "vitest";
import { money } from "./money";
import { hasLateFee, isOverdueHour, lateFeeAmount, normalizeReminderDays, reminderDayDue } from "./overdue";

const usd = (n: number) => money(n, "USD");

describe("reminderDayDue", () => {
  const days = [7, 21];
  it("sends nothing before the first reminder day or for an invoice not yet due", () => {
    expect(reminderDayDue(days, 0, [])).toBeNull();
    expect(reminderDayDue(days, -3, [])).toBeNull();
    expect(reminderDayDue(days, 6, [])).toBeNull();
  });
  it("sends a reminder on its day, once", () => {
    expect(reminderDayDue(days, 7, [])).toBe(7);
    expect(reminderDayDue(days, 7, [7])).toBeNull();
    expect(reminderDayDue(days, 8, [7])).toBeNull();
    expect(reminderDayDue(days, 21, [7])).toBe(21);
    expect(reminderDayDue(days, 21, [7, 21])).toBeNull();
  });
  it("catches up a missed day for a few days, then lets it go", () => {
    expect(reminderDayDue(days, 10, [])).toBe(7);
    expect(reminderDayDue(days, 11, [])).toBeNull();
    expect(reminderDayDue(days, 10, [], 5)).toBe(7);
  });
  it("never sends an older reminder after a newer one", () => {
    expect(reminderDayDue(days, 22, [])).toBe(21);
    expect(reminderDayDue([7, 21], 8, [21])).toBeNull();
  });
  it("ignores days that are not whole positive numbers", () => {
    expect(reminderDayDue([0, -1, 2.5, 3], 3, [])).toBe(3);
    expect(reminderDayDue([], 30, [])).toBeNull();
  });
});

describe("lateFeeAmount", () => {
  it("charges a fixed fee once the invoice is late enough", () => {
    const rule = { lateFeeMinor: 1500, lateFeeBasisPoints: null, lateFeeAfterDays: 14 };
    expect(lateFeeAmount(rule, 13, usd(50_000))).toBeNull();
    expect(lateFeeAmount(rule, 14, usd(50_000))).toEqual(usd(1500));
    expect(lateFeeAmount(rule, 90, usd(100))).toEqual(usd(1500));
  });
  it("charges a percentage of what is overdue, rounded half-up", () => {
    const rule = { lateFeeMinor: null, lateFeeBasisPoints: 250, lateFeeAfterDays: 7 };
    expect(lateFeeAmount(rule, 7, usd(33_390))).toEqual(usd(835)); // 2.5 % of 333.90 = 8.3475
    expect(lateFeeAmount(rule, 7, usd(10))).toBeNull(); // 0.25 cents rounds to nothing
  });
  it("works in a zero-decimal currency", () => {
    expect(lateFeeAmount({ lateFeeMinor: null, lateFeeBasisPoints: 500, lateFeeAfterDays: 1 }, 3, money(12_345, "JPY"))).toEqual(money(617, "JPY"));
  });
  it("prefers the fixed fee when both are set, and applies the day after the due date at the earliest", () => {
    const rule = { lateFeeMinor: 1000, lateFeeBasisPoints: 500, lateFeeAfterDays: 0 };
    expect(lateFeeAmount(rule, 0, usd(50_000))).toBeNull();
    expect(lateFeeAmount(rule, 1, usd(50_000))).toEqual(usd(1000));
  });
  it("charges nothing without a rule or when nothing is owed", () => {
    const none = { lateFeeMinor: null, lateFeeBasisPoints: null, lateFeeAfterDays: 14 };
    expect(hasLateFee(none)).toBe(false);
    expect(lateFeeAmount(none, 60, usd(50_000))).toBeNull();
    expect(lateFeeAmount({ lateFeeMinor: 1500, lateFeeBasisPoints: null, lateFeeAfterDays: 14 }, 30, usd(0))).toBeNull();
  });
});

describe("normalizeReminderDays", () => {
  it("keeps whole positive days, once each, in order", () => {
    expect(normalizeReminderDays([21, 7, 7, 0, -2, 3.5])).toEqual([7, 21]);
  });
});

describe("isOverdueHour", () => {
  const ticks = (day: string) => Array.from({ length: 24 }, (_, h) => new Date(`${day}T${String(h).padStart(2, "0")}:00:00Z`));
  it("is one tick a day, at nine in the school's zone", () => {
    for (const zone of ["America/New_York", "Europe/London", "Australia/Sydney", "Asia/Kolkata", "Asia/Kathmandu"]) {
      expect(ticks("2026-11-24").filter((t) => isOverdueHour(t, zone))).toHaveLength(1);
    }
    expect(isOverdueHour(new Date("2026-11-24T14:00:00Z"), "America/New_York")).toBe(true); // 09:00 EST
    expect(isOverdueHour(new Date("2026-07-24T13:00:00Z"), "America/New_York")).toBe(true); // 09:00 EDT
    expect(isOverdueHour(new Date("2026-11-24T03:00:00Z"), "Asia/Kolkata")).toBe(false); // 08:30
    expect(isOverdueHour(new Date("2026-11-24T04:00:00Z"), "Asia/Kolkata")).toBe(true); // 09:30
  });
});
