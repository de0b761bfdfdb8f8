import { describe, it, expect } from "vitest";
import {
  type GroupOccurrenceCandidate,
  type MakeUpCredit,
  type MakeUpPolicy,
  creditStatus,
  creditsDueForReminder,
  decideCredit,
  fittingMakeUpOptions,
  validateMakeUpPolicy,
} from "./makeup";

const policy: MakeUpPolicy = { noticeHours: 24, maxCreditsPerTerm: 2, expiryDays: 30 };
const lesson = new Date("2026-02-10T17:00:00Z");
const hoursBefore = (h: number): Date => new Date(lesson.getTime() - h * 3_600_000);
const DAY = 86_400_000;

describe("decideCredit", () => {
  it("issues a credit expiring expiryDays after the missed lesson", () => {
    const d = decideCredit({ policy, occurrenceStart: lesson, now: hoursBefore(48), creditsIssuedThisTerm: 0 });
    expect(d).toEqual({ issue: true, expiresAt: new Date("2026-03-12T17:00:00Z") });
  });

  it("adds calendar days in the school zone, keeping local time across DST", () => {
    const missed = new Date("2026-03-20T17:00:00Z"); // 17:00 GMT
    const d = decideCredit({
      policy: { ...policy, expiryDays: 14 },
      occurrenceStart: missed,
      now: new Date("2026-03-18T09:00:00Z"),
      creditsIssuedThisTerm: 0,
      timeZone: "Europe/London",
    });
    expect(d).toEqual({ issue: true, expiresAt: new Date("2026-04-03T16:00:00Z") }); // 17:00 BST
  });

  it("denies when notice is too short (boundary inclusive)", () => {
    expect(decideCredit({ policy, occurrenceStart: lesson, now: hoursBefore(24), creditsIssuedThisTerm: 0 }).issue).toBe(true);
    expect(decideCredit({ policy, occurrenceStart: lesson, now: hoursBefore(23), creditsIssuedThisTerm: 0 })).toEqual({
      issue: false,
      reason: "Make-up credits are only given for cancellations at least 24 hours before the lesson.",
    });
  });

  it("denies once the lesson started", () => {
    const d = decideCredit({ policy: { ...policy, noticeHours: 0 }, occurrenceStart: lesson, now: lesson, creditsIssuedThisTerm: 0 });
    expect(d.issue).toBe(false);
    if (!d.issue) expect(d.reason).toMatch(/already started/);
  });

  it("enforces the per-term cap", () => {
    expect(decideCredit({ policy, occurrenceStart: lesson, now: hoursBefore(48), creditsIssuedThisTerm: 1 }).issue).toBe(true);
    expect(decideCredit({ policy, occurrenceStart: lesson, now: hoursBefore(48), creditsIssuedThisTerm: 2 })).toEqual({
      issue: false,
      reason: "You've already received the maximum of 2 make-up credits this term.",
    });
    const one = decideCredit({
      policy: { ...policy, maxCreditsPerTerm: 1 },
      occurrenceStart: lesson,
      now: hoursBefore(48),
      creditsIssuedThisTerm: 1,
    });
    expect(one).toEqual({ issue: false, reason: "You've already received the maximum of 1 make-up credit this term." });
  });

  it("explains when the school offers no credits", () => {
    const d = decideCredit({ policy: { ...policy, maxCreditsPerTerm: 0 }, occurrenceStart: lesson, now: hoursBefore(48), creditsIssuedThisTerm: 0 });
    expect(d).toEqual({ issue: false, reason: "This school doesn't offer make-up credits." });
  });

  it("validates the policy", () => {
    expect(validateMakeUpPolicy(policy)).toEqual([]);
    expect(validateMakeUpPolicy({ noticeHours: -1, maxCreditsPerTerm: 1.5, expiryDays: 0 })).toHaveLength(3);
    expect(() =>
      decideCredit({ policy: { ...policy, expiryDays: 0 }, occurrenceStart: lesson, now: hoursBefore(48), creditsIssuedThisTerm: 0 }),
    ).toThrow(/Invalid make-up policy/);
  });
});

describe("creditStatus", () => {
  const credit: MakeUpCredit = { id: "c1", expiresAt: new Date("2026-03-12T17:00:00Z") };
  const now = new Date("2026-03-01T00:00:00Z");

  it("is AVAILABLE before expiry and EXPIRED from the expiry instant", () => {
    expect(creditStatus(credit, now)).toBe("AVAILABLE");
    expect(creditStatus(credit, new Date(credit.expiresAt.getTime() - 1))).toBe("AVAILABLE");
    expect(creditStatus(credit, credit.expiresAt)).toBe("EXPIRED");
  });

  it("USED and VOID take precedence over expiry; VOID over USED", () => {
    const later = new Date("2026-04-01T00:00:00Z");
    expect(creditStatus({ ...credit, usedAt: now }, later)).toBe("USED");
    expect(creditStatus({ ...credit, voidedAt: now }, now)).toBe("VOID");
    expect(creditStatus({ ...credit, usedAt: now, voidedAt: now }, now)).toBe("VOID");
    expect(creditStatus({ ...credit, usedAt: null, voidedAt: null }, now)).toBe("AVAILABLE");
  });
});

describe("creditsDueForReminder", () => {
  const now = new Date("2026-03-01T12:00:00Z");
  const at = (days: number): Date => new Date(now.getTime() + days * DAY);
  const credits: (MakeUpCredit & { studentId: string })[] = [
    { id: "in-5d", studentId: "s1", expiresAt: at(5) },
    { id: "in-2d", studentId: "s2", expiresAt: at(2) },
    { id: "exactly-7d", studentId: "s3", expiresAt: at(7) },
    { id: "in-8d", studentId: "s4", expiresAt: at(8) },
    { id: "expired", studentId: "s5", expiresAt: at(-1) },
    { id: "used", studentId: "s6", expiresAt: at(3), usedAt: now },
    { id: "void", studentId: "s7", expiresAt: at(3), voidedAt: now },
    { id: "reminded", studentId: "s8", expiresAt: at(3), remindedAt: now },
  ];

  it("returns available, un-reminded credits expiring within the window, soonest first", () => {
    expect(creditsDueForReminder(credits, now, 7).map((c) => c.id)).toEqual(["in-2d", "in-5d", "exactly-7d"]);
    expect(creditsDueForReminder(credits, now, 3).map((c) => c.id)).toEqual(["in-2d"]);
    expect(creditsDueForReminder(credits, now, 0)).toEqual([]);
  });

  it("keeps the caller's extra fields", () => {
    expect(creditsDueForReminder(credits, now, 3)[0]?.studentId).toBe("s2");
  });
});

describe("fittingMakeUpOptions", () => {
  const now = new Date("2026-03-01T12:00:00Z");
  const credit: MakeUpCredit = { id: "c1", expiresAt: new Date("2026-03-20T00:00:00Z") };
  const occ = (id: string, start: string, extra: Partial<GroupOccurrenceCandidate> = {}): GroupOccurrenceCandidate => ({
    occurrenceId: id,
    start: new Date(start),
    end: new Date(new Date(start).getTime() + 3_600_000),
    capacity: 6,
    enrolledCount: 4,
    instrument: "Piano",
    level: "Beginner",
    ...extra,
  });
  const student = { instrument: "piano", level: "beginner" };

  const candidates = [
    occ("later", "2026-03-12T17:00:00Z"),
    occ("sooner", "2026-03-05T17:00:00Z"),
    occ("full", "2026-03-06T17:00:00Z", { enrolledCount: 6 }),
    occ("full-with-makeups", "2026-03-06T18:00:00Z", { enrolledCount: 5, makeUpCount: 1 }),
    occ("past", "2026-02-28T17:00:00Z"),
    occ("after-expiry", "2026-03-21T17:00:00Z"),
    occ("guitar", "2026-03-07T17:00:00Z", { instrument: "Guitar" }),
    occ("advanced", "2026-03-07T18:00:00Z", { level: "Advanced" }),
    occ("any-level-unlimited", "2026-03-08T17:00:00Z", { level: null, capacity: null, enrolledCount: 40 }),
    occ("cancelled", "2026-03-09T17:00:00Z", { cancelled: true }),
    occ("own-class", "2026-03-10T17:00:00Z"),
  ];
  const slots = [
    { start: new Date("2026-03-19T10:00:00Z"), end: new Date("2026-03-19T10:30:00Z") },
    { start: new Date("2026-03-02T10:00:00Z"), end: new Date("2026-03-02T10:30:00Z") },
    { start: new Date("2026-03-20T10:00:00Z"), end: new Date("2026-03-20T10:30:00Z") }, // after expiry
    { start: new Date("2026-03-01T10:00:00Z"), end: new Date("2026-03-01T10:30:00Z") }, // past
  ];

  it("returns open, matching occurrences and slots before expiry, sorted by start", () => {
    const r = fittingMakeUpOptions({
      credit,
      student,
      now,
      groupOccurrences: candidates,
      individualSlots: slots,
      excludeOccurrenceIds: ["own-class"],
    });
    expect(r.groupOccurrences.map((o) => o.occurrenceId)).toEqual(["sooner", "any-level-unlimited", "later"]);
    expect(r.individualSlots.map((s) => s.start.toISOString())).toEqual([
      "2026-03-02T10:00:00.000Z",
      "2026-03-19T10:00:00.000Z",
    ]);
  });

  it("matches any instrument when the student has none recorded", () => {
    const r = fittingMakeUpOptions({ credit, student: {}, now, groupOccurrences: candidates });
    expect(r.groupOccurrences.map((o) => o.occurrenceId)).toContain("guitar");
    expect(r.individualSlots).toEqual([]);
  });

  it("offers nothing for a credit that is not available", () => {
    for (const c of [{ ...credit, usedAt: now }, { ...credit, voidedAt: now }, { ...credit, expiresAt: now }]) {
      const r = fittingMakeUpOptions({ credit: c, student, now, groupOccurrences: candidates, individualSlots: slots });
      expect(r).toEqual({ groupOccurrences: [], individualSlots: [] });
    }
  });
});
