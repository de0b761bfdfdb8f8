// Paying an invoice in instalments: the schedule a family chooses (up to the school's
// BillingSettings.maxInstalments), and what it means on a given day — which instalments
// are paid, what is due now, and from when the invoice counts as overdue. Pure: amounts
// are Money in minor units (money.ts), dates are the school's local dates (time.ts).
//
// The schedule splits what was open on the invoice when the plan was made into `count`
// parts that sum to it exactly (splitInstalments: the odd cent goes to the first), the
// first due on the day the plan is made, then one a month on the same day (clamped to a
// shorter month's end). Payments settle the instalments in order: whatever was paid on
// the invoice since the plan covers the first instalment first.
import { addMonths } from "./calendar-view";
import { type Money, MoneyError, money, splitInstalments } from "./money";
import type { LocalDate } from "./time";

export interface Instalment {
  /** 1 for the first. */
  sequence: number;
  amount: Money;
  dueDate: LocalDate;
}

export class InstalmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InstalmentError";
  }
}

/** Whether a family may split an invoice into `count` parts, in words when not. */
export function instalmentChoiceProblem(input: { count: number; maxInstalments: number; open: Money; total: Money; hasPlan: boolean; status: string }): string | null {
  if (input.status !== "ISSUED") return "Only an issued invoice can be paid in instalments.";
  if (input.maxInstalments < 2) return "This school takes each invoice in one payment.";
  if (input.hasPlan) return "This invoice is already being paid in instalments.";
  if (input.open.amountMinor <= 0) return "This invoice is already paid.";
  if (input.open.amountMinor !== input.total.amountMinor) return "Part of this invoice is already paid: please pay the rest in one payment.";
  if (!Number.isSafeInteger(input.count) || input.count < 2 || input.count > input.maxInstalments)
    return `Choose between 2 and ${input.maxInstalments} instalments.`;
  if (input.open.amountMinor < input.count) return "This invoice is too small to split.";
  return null;
}

/** The instalments of `open` in `count` monthly parts, the first due on `firstDue`. */
export function instalmentSchedule(open: Money, count: number, firstDue: LocalDate): Instalment[] {
  if (open.amountMinor <= 0) throw new InstalmentError("Nothing is open to split.");
  let parts: Money[];
  try {
    parts = splitInstalments(open, count);
  } catch (error) {
    if (error instanceof MoneyError) throw new InstalmentError(error.message);
    throw error;
  }
  return parts.map((amount, i) => ({ sequence: i + 1, amount, dueDate: addMonths(firstDue, i) }));
}

export interface InstalmentState extends Instalment {
  /** What of this instalment the payments so far cover. */
  paid: Money;
  /** What of it is still to pay. */
  remaining: Money;
  status: "paid" | "part-paid" | "due" | "overdue" | "upcoming";
}

/**
 * The schedule on `today`, given `settled` (what was paid or credited on the invoice since
 * the plan was made): payments cover the instalments in order. An instalment is due on its
 * date and overdue the day after.
 */
export function instalmentStates(schedule: readonly Instalment[], settled: Money, today: LocalDate): InstalmentState[] {
  let left = Math.max(0, settled.amountMinor);
  return schedule.map((i) => {
    const covered = Math.min(left, i.amount.amountMinor);
    left -= covered;
    const remaining = i.amount.amountMinor - covered;
    const status = remaining === 0 ? "paid" : i.dueDate < today ? "overdue" : covered > 0 ? "part-paid" : i.dueDate === today ? "due" : "upcoming";
    return { ...i, paid: money(covered, i.amount.currency), remaining: money(remaining, i.amount.currency), status };
  });
}

/**
 * What to pay now: everything due up to `today` that is not paid, or, when nothing is due
 * yet, the next instalment (a family may pay ahead). Never more than `open`, what the
 * invoice still owes (a late fee or a credit note changes that). Zero when all is paid.
 */
export function payableNow(states: readonly InstalmentState[], open: Money, today: LocalDate): Money {
  const due = states.filter((s) => s.dueDate <= today).reduce((n, s) => n + s.remaining.amountMinor, 0);
  const next = states.find((s) => s.remaining.amountMinor > 0);
  const amount = due > 0 ? due : (next?.remaining.amountMinor ?? 0);
  // What the plan has covered, the invoice may still owe (a late fee on top): the rest with the last payment.
  const lastOpen = states.every((s) => s.remaining.amountMinor === 0 || s === next) && next !== undefined;
  const wanted = lastOpen ? open.amountMinor : amount;
  return money(Math.max(0, Math.min(wanted, open.amountMinor)), open.currency);
}

/**
 * The date from which the invoice counts as overdue: the due date of its first instalment
 * not fully paid (null when every instalment is paid).
 */
export function effectiveDueDate(states: readonly InstalmentState[]): LocalDate | null {
  return states.find((s) => s.remaining.amountMinor > 0)?.dueDate ?? null;
}
