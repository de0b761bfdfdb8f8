/**
 * Notice rules for moving individual sessions and for cancellations that earn
 * a make-up credit. Pure: pass `now` explicitly.
 *
 * Boundaries: being exactly `noticeHours` before the start is enough notice.
 */

export type SessionKind = "GROUP" | "INDIVIDUAL";

export type NoticeDecision = { ok: true } | { ok: false; reason: string };

export interface CanMoveInput {
  sessionStart: Date;
  now: Date;
  /** Minimum notice in hours. Default 24. */
  noticeHours?: number;
  /** School setting: may students/parents move their individual sessions themselves? */
  schoolAllowsMoves: boolean;
  kind: SessionKind;
}

const HOUR = 3_600_000;

/** "1 hour", "24 hours", "1.5 hours". */
export function formatHours(hours: number): string {
  return `${hours} ${hours === 1 ? "hour" : "hours"}`;
}

function assertNoticeHours(hours: number): void {
  if (!Number.isFinite(hours) || hours < 0) throw new RangeError("Notice hours must be zero or more.");
}

/**
 * May this session be moved now? Group classes are never movable; individual
 * sessions only if the school allows it, the session has not started, and at
 * least `noticeHours` remain before it starts.
 */
export function canMoveIndividualSession(input: CanMoveInput): NoticeDecision {
  const noticeHours = input.noticeHours ?? 24;
  assertNoticeHours(noticeHours);
  if (input.kind !== "INDIVIDUAL") {
    return { ok: false, reason: "Group classes can't be moved. Only individual sessions can be rescheduled." };
  }
  if (!input.schoolAllowsMoves) {
    return { ok: false, reason: "Your school doesn't allow sessions to be moved online. Please contact the school." };
  }
  const msLeft = input.sessionStart.getTime() - input.now.getTime();
  if (msLeft <= 0) {
    return { ok: false, reason: "This session has already started or is over, so it can't be moved." };
  }
  if (msLeft < noticeHours * HOUR) {
    return {
      ok: false,
      reason: `Sessions can be moved up to ${formatHours(noticeHours)} before they start.`,
    };
  }
  return { ok: true };
}

export interface CancellationCreditInput {
  occurrenceStart: Date;
  now: Date;
  requiredNoticeHours: number;
}

/**
 * True if cancelling (reporting an absence) at `now` gives at least
 * `requiredNoticeHours` of notice before the lesson starts. Cancelling after
 * the start never earns a credit.
 */
export function cancellationEarnsCredit(input: CancellationCreditInput): boolean {
  assertNoticeHours(input.requiredNoticeHours);
  const msLeft = input.occurrenceStart.getTime() - input.now.getTime();
  return msLeft > 0 && msLeft >= input.requiredNoticeHours * HOUR;
}
