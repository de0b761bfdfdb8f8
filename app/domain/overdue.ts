/**
 * Overdue invoices: which reminder goes out today and what late fee an invoice takes.
 * Pure rules; app/models/overdue.server.ts applies them once a day per school, in the
 * school's time zone, and records what it did so that a re-run does nothing twice.
 */
import type { AgeingBucket } from "./ledger";
import { type Money, money, percentOf } from "./money";
import { localMinutesOfDay } from "./time";

/** The school's local hour at which the daily overdue run does its work (reminders arrive in the morning). */
export const OVERDUE_LOCAL_HOUR = 9;

/**
 * Whether the hourly job's tick (a whole UTC hour) is the school's overdue hour: exactly one
 * tick a local day is (zones offset by half or three quarters of an hour included).
 */
export function isOverdueHour(tick: Date, timeZone: string, hour = OVERDUE_LOCAL_HOUR): boolean {
  return Math.floor(localMinutesOfDay(tick, timeZone) / 60) === hour;
}

/** How late a missed reminder may still go out (the job did not run on its day: a server was down). */
export const REMINDER_CATCH_UP_DAYS = 3;

/**
 * The reminder day (one of `reminderDays`, days after the due date) to send for an invoice
 * `daysOverdue` days past due, or null. It is the latest reminder day reached, when that day
 * was at most `catchUpDays` ago and neither it nor a later one was sent. So a job that missed
 * a day catches up once, an invoice never gets an old reminder after a newer one, and a
 * school that adds a reminder day does not send it for invoices long past it.
 */
export function reminderDayDue(
  reminderDays: readonly number[],
  daysOverdue: number,
  sentDays: readonly number[],
  catchUpDays = REMINDER_CATCH_UP_DAYS,
): number | null {
  if (daysOverdue <= 0) return null;
  const reached = reminderDays.filter((d) => Number.isSafeInteger(d) && d > 0 && d <= daysOverdue);
  if (reached.length === 0) return null;
  const day = Math.max(...reached);
  if (daysOverdue - day > catchUpDays) return null;
  if (sentDays.some((s) => s >= day)) return null;
  return day;
}

export interface LateFeeRule {
  /** A fixed fee in minor units; takes precedence over a percentage. */
  lateFeeMinor: number | null;
  /** A percentage of what is overdue (basis points: 500 = 5 %). */
  lateFeeBasisPoints: number | null;
  /** The fee applies once the invoice is this many days past due (at least 1: the day after it was due). */
  lateFeeAfterDays: number | null;
}

/** Whether the school charges late fees at all. */
export function hasLateFee(rule: LateFeeRule): boolean {
  return (rule.lateFeeMinor ?? 0) > 0 || (rule.lateFeeBasisPoints ?? 0) > 0;
}

/**
 * The late fee for an invoice `daysOverdue` days past due with `overdue` still owed, or null
 * when none applies (no rule, not late enough, nothing owed, or a percentage that rounds to
 * nothing). A fixed fee is charged as set; a percentage is rounded half-up.
 */
export function lateFeeAmount(rule: LateFeeRule, daysOverdue: number, overdue: Money): Money | null {
  if (!hasLateFee(rule) || overdue.amountMinor <= 0) return null;
  if (daysOverdue < Math.max(1, rule.lateFeeAfterDays ?? 1)) return null;
  const fee = (rule.lateFeeMinor ?? 0) > 0 ? money(rule.lateFeeMinor!, overdue.currency) : percentOf(overdue, rule.lateFeeBasisPoints!);
  return fee.amountMinor > 0 ? fee : null;
}

/** Reminder days as the school set them: whole days after the due date, each once, in order. */
export function normalizeReminderDays(days: readonly number[]): number[] {
  return [...new Set(days.filter((d) => Number.isSafeInteger(d) && d > 0))].sort((a, b) => a - b);
}

/** The buckets that are past due (ledger.ts's AGEING_BUCKETS less "current"). */
export const OVERDUE_BUCKETS = ["0-30", "31-60", "61-90", "90+"] as const satisfies readonly AgeingBucket[];

/** How the admin's list and its CSV name each ageing bucket. */
export const BUCKET_LABEL: Record<AgeingBucket, string> = {
  current: "Not yet due",
  "0-30": "1–30 days",
  "31-60": "31–60 days",
  "61-90": "61–90 days",
  "90+": "90+ days",
};
