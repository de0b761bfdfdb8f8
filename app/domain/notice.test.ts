import { describe, it, expect } from "vitest";
import { canMoveIndividualSession, cancellationEarnsCredit, formatHours } from "./notice";

const start = new Date("2026-03-10T17:00:00Z");
const hoursBefore = (h: number): Date => new Date(start.getTime() - h * 3_600_000);

describe("canMoveIndividualSession", () => {
  const base = { sessionStart: start, schoolAllowsMoves: true, kind: "INDIVIDUAL" as const };

  it("allows a move with at least 24 hours notice by default (boundary inclusive)", () => {
    expect(canMoveIndividualSession({ ...base, now: hoursBefore(48) })).toEqual({ ok: true });
    expect(canMoveIndividualSession({ ...base, now: hoursBefore(24) })).toEqual({ ok: true });
  });

  it("refuses with a readable reason inside the notice period", () => {
    const justLate = new Date(hoursBefore(24).getTime() + 60_000);
    expect(canMoveIndividualSession({ ...base, now: justLate })).toEqual({
      ok: false,
      reason: "Sessions can be moved up to 24 hours before they start.",
    });
  });

  it("uses a custom notice period", () => {
    expect(canMoveIndividualSession({ ...base, now: hoursBefore(30), noticeHours: 48 })).toEqual({
      ok: false,
      reason: "Sessions can be moved up to 48 hours before they start.",
    });
    expect(canMoveIndividualSession({ ...base, now: hoursBefore(2), noticeHours: 1 })).toEqual({ ok: true });
    const r = canMoveIndividualSession({ ...base, now: hoursBefore(0.5), noticeHours: 1 });
    expect(r).toEqual({ ok: false, reason: "Sessions can be moved up to 1 hour before they start." });
  });

  it("never moves a group class", () => {
    const r = canMoveIndividualSession({ ...base, kind: "GROUP", now: hoursBefore(100) });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/Group classes can't be moved/);
  });

  it("respects the school setting", () => {
    const r = canMoveIndividualSession({ ...base, schoolAllowsMoves: false, now: hoursBefore(100) });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/doesn't allow sessions to be moved/);
  });

  it("refuses started or past sessions, even with zero notice required", () => {
    for (const now of [start, new Date(start.getTime() + 3_600_000)]) {
      const r = canMoveIndividualSession({ ...base, now, noticeHours: 0 });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(/already started/);
    }
    expect(canMoveIndividualSession({ ...base, now: hoursBefore(0.01), noticeHours: 0 })).toEqual({ ok: true });
  });

  it("rejects a negative notice setting", () => {
    expect(() => canMoveIndividualSession({ ...base, now: hoursBefore(1), noticeHours: -1 })).toThrow();
  });
});

describe("cancellationEarnsCredit", () => {
  it("requires the notice (inclusive boundary)", () => {
    expect(cancellationEarnsCredit({ occurrenceStart: start, now: hoursBefore(24), requiredNoticeHours: 24 })).toBe(true);
    expect(cancellationEarnsCredit({ occurrenceStart: start, now: hoursBefore(23.99), requiredNoticeHours: 24 })).toBe(false);
    expect(cancellationEarnsCredit({ occurrenceStart: start, now: hoursBefore(72), requiredNoticeHours: 48 })).toBe(true);
  });

  it("never earns a credit once the lesson started", () => {
    expect(cancellationEarnsCredit({ occurrenceStart: start, now: start, requiredNoticeHours: 0 })).toBe(false);
    expect(cancellationEarnsCredit({ occurrenceStart: start, now: hoursBefore(0.1), requiredNoticeHours: 0 })).toBe(true);
  });
});

describe("formatHours", () => {
  it("pluralises", () => {
    expect(formatHours(1)).toBe("1 hour");
    expect(formatHours(24)).toBe("24 hours");
    expect(formatHours(1.5)).toBe("1.5 hours");
  });
});
