/**
 * Make-up credits: when a student cancels a lesson with enough notice, they may
 * receive a credit to attend a make-up (a free seat in a fitting group class or
 * a free 1-on-1 slot) before the credit expires.
 *
 * Pure: no I/O, no clock (pass `now`).
 */
import { DateTime } from "luxon";
import { cancellationEarnsCredit, formatHours } from "./notice";

export interface MakeUpPolicy {
  /** Minimum hours of notice before the lesson for a cancellation to earn a credit. */
  noticeHours: number;
  /** Maximum credits a student can receive per term. 0 = make-ups are not offered. */
  maxCreditsPerTerm: number;
  /** Credit lifetime in calendar days, counted from the missed lesson's start. */
  expiryDays: number;
}

export type CreditDecision = { issue: true; expiresAt: Date } | { issue: false; reason: string };

export interface DecideCreditInput {
  policy: MakeUpPolicy;
  /** Start of the lesson being cancelled. */
  occurrenceStart: Date;
  /** When the cancellation is made. */
  now: Date;
  /** Credits already issued to this student in this term (void credits excluded by the caller). */
  creditsIssuedThisTerm: number;
  /**
   * School IANA zone, used to add `expiryDays` as calendar days (keeps local
   * time across DST). Defaults to UTC (24-hour days).
   */
  timeZone?: string;
}

export type CreditStatus = "AVAILABLE" | "USED" | "EXPIRED" | "VOID";

export interface MakeUpCredit {
  id: string;
  expiresAt: Date;
  /** Set when the credit was redeemed (booked into a make-up). */
  usedAt?: Date | null;
  /** Set when staff voided the credit. */
  voidedAt?: Date | null;
  /** Set when the expiry reminder was sent. */
  remindedAt?: Date | null;
}

/** Readable problems with a policy; empty means valid. */
export function validateMakeUpPolicy(policy: MakeUpPolicy): string[] {
  const errors: string[] = [];
  if (!Number.isFinite(policy.noticeHours) || policy.noticeHours < 0) {
    errors.push("Notice hours must be zero or more.");
  }
  if (!Number.isInteger(policy.maxCreditsPerTerm) || policy.maxCreditsPerTerm < 0) {
    errors.push("Maximum credits per term must be zero or a positive whole number.");
  }
  if (!Number.isInteger(policy.expiryDays) || policy.expiryDays < 1) {
    errors.push("Credits must be valid for at least one day.");
  }
  return errors;
}

/**
 * Decide whether a cancellation earns a credit. Checks, in order: policy offers
 * credits, lesson not started, enough notice, per-term cap. On success the
 * credit expires `expiryDays` calendar days after the missed lesson's start.
 */
export function decideCredit(input: DecideCreditInput): CreditDecision {
  const { policy } = input;
  const problems = validateMakeUpPolicy(policy);
  if (problems.length > 0) throw new RangeError(`Invalid make-up policy: ${problems.join(" ")}`);

  if (policy.maxCreditsPerTerm === 0) {
    return { issue: false, reason: "This school doesn't offer make-up credits." };
  }
  if (input.now.getTime() >= input.occurrenceStart.getTime()) {
    return { issue: false, reason: "The lesson has already started, so it can't earn a make-up credit." };
  }
  if (
    !cancellationEarnsCredit({
      occurrenceStart: input.occurrenceStart,
      now: input.now,
      requiredNoticeHours: policy.noticeHours,
    })
  ) {
    return {
      issue: false,
      reason: `Make-up credits are only given for cancellations at least ${formatHours(policy.noticeHours)} before the lesson.`,
    };
  }
  if (input.creditsIssuedThisTerm >= policy.maxCreditsPerTerm) {
    const n = policy.maxCreditsPerTerm;
    return {
      issue: false,
      reason: `You've already received the maximum of ${n} make-up credit${n === 1 ? "" : "s"} this term.`,
    };
  }
  const start = DateTime.fromJSDate(input.occurrenceStart, { zone: input.timeZone ?? "utc" });
  if (!start.isValid) throw new RangeError(`Unknown time zone "${input.timeZone ?? ""}".`);
  return { issue: true, expiresAt: start.plus({ days: policy.expiryDays }).toJSDate() };
}

/** VOID beats USED beats EXPIRED; a credit is expired from `expiresAt` on. */
export function creditStatus(credit: MakeUpCredit, now: Date): CreditStatus {
  if (credit.voidedAt) return "VOID";
  if (credit.usedAt) return "USED";
  if (now.getTime() >= credit.expiresAt.getTime()) return "EXPIRED";
  return "AVAILABLE";
}

/**
 * Available credits that expire within the next `daysBefore` days (24-hour
 * days, i.e. `now < expiresAt <= now + daysBefore*24h`) and have not yet been
 * reminded about. Sorted by expiry, soonest first.
 */
export function creditsDueForReminder<T extends MakeUpCredit>(
  credits: readonly T[],
  now: Date,
  daysBefore: number,
): T[] {
  if (!Number.isFinite(daysBefore) || daysBefore < 0) throw new RangeError("daysBefore must be zero or more.");
  const horizon = now.getTime() + daysBefore * 86_400_000;
  return credits
    .filter((c) => !c.remindedAt && creditStatus(c, now) === "AVAILABLE" && c.expiresAt.getTime() <= horizon)
    .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime());
}

// ---------------------------------------------------------------------------
// Make-up options
// ---------------------------------------------------------------------------

export interface GroupOccurrenceCandidate {
  occurrenceId: string;
  start: Date;
  end: Date;
  /** Maximum students; null = no limit. */
  capacity: number | null;
  /** Regularly enrolled students attending this occurrence. */
  enrolledCount: number;
  /** Make-up students already booked into this occurrence. Default 0. */
  makeUpCount?: number;
  /** null/undefined = any instrument. */
  instrument?: string | null;
  /** null/undefined = any level. */
  level?: string | null;
  /** Cancelled occurrences are never offered. */
  cancelled?: boolean;
}

export interface SlotOption {
  start: Date;
  end: Date;
}

export interface FittingMakeUpInput<G extends GroupOccurrenceCandidate, S extends SlotOption> {
  credit: MakeUpCredit;
  /** The student's instrument and level (from the missed lesson / enrollment). */
  student: { instrument?: string | null; level?: string | null };
  now: Date;
  groupOccurrences: readonly G[];
  /** Free 1-on-1 slots, e.g. from `computeFreeSlots` in ./slots. */
  individualSlots?: readonly S[];
  /** Occurrences the student already attends (never offered as a make-up). */
  excludeOccurrenceIds?: readonly string[];
}

export interface FittingMakeUpOptions<G, S> {
  groupOccurrences: G[];
  individualSlots: S[];
}

function sameTag(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a == null || b == null || a.trim() === "" || b.trim() === "") return true; // unspecified = any
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * Where can this credit be used?
 *
 * Only an AVAILABLE credit has options. A group occurrence fits when it is not
 * cancelled, not excluded, starts after `now` and before the credit expires,
 * has an open seat (`enrolledCount + makeUpCount < capacity`, or no capacity),
 * and its instrument and level match the student's (case-insensitive; a missing
 * value on either side matches anything). 1-on-1 slots fit when they start after
 * `now` and before expiry. Both lists are sorted by start.
 */
export function fittingMakeUpOptions<G extends GroupOccurrenceCandidate, S extends SlotOption>(
  input: FittingMakeUpInput<G, S>,
): FittingMakeUpOptions<G, S> {
  const { credit, now } = input;
  if (creditStatus(credit, now) !== "AVAILABLE") return { groupOccurrences: [], individualSlots: [] };
  const nowMs = now.getTime();
  const expiry = credit.expiresAt.getTime();
  const inWindow = (start: Date): boolean => start.getTime() > nowMs && start.getTime() < expiry;
  const excluded = new Set(input.excludeOccurrenceIds ?? []);

  const groupOccurrences = input.groupOccurrences
    .filter(
      (o) =>
        !o.cancelled &&
        !excluded.has(o.occurrenceId) &&
        inWindow(o.start) &&
        (o.capacity == null || o.enrolledCount + (o.makeUpCount ?? 0) < o.capacity) &&
        sameTag(o.instrument, input.student.instrument) &&
        sameTag(o.level, input.student.level),
    )
    .sort((a, b) => a.start.getTime() - b.start.getTime());

  const individualSlots = (input.individualSlots ?? [])
    .filter((s) => inWindow(s.start))
    .sort((a, b) => a.start.getTime() - b.start.getTime());

  return { groupOccurrences, individualSlots };
}
