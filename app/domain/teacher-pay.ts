/**
 * Teacher pay (issue 12), the pure core: which rate applies to an occurrence, what each
 * outcome of an occurrence pays under the school's policy, pay periods in the school's
 * time zone, a pay run's lines (never paying an occurrence twice across runs, late changes
 * becoming corrections in the next run), and the school's held balance.
 * See ARCHITECTURE.md, "Teacher pay". Amounts are integer minor units (money.ts).
 */
import { type Money, MoneyError, add, money, percentOf, ratio, sum, zero } from "./money";
import { type LocalDate, addDays, daysBetween, daysInMonth, formatDateParts, localDateTimeToUtc, parseLocalDate, toDayNumber, toLocalDate, weekdayOfLocalDate } from "./time";

export class PayError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PayError";
  }
}

// ---- rules ---------------------------------------------------------------------------------

export const PAY_BASES = ["PER_LESSON", "PER_HOUR", "PER_STUDENT"] as const;
export type PayBasis = (typeof PAY_BASES)[number];

export interface PayRule {
  id: string;
  /** null: the school's default, for every teacher without a rule of their own. */
  teacherId: string | null;
  /** LessonType (INDIVIDUAL, GROUP, HYBRID…); null: any. */
  lessonType: string | null;
  /** Minutes; null: any length. */
  durationMinutes: number | null;
  basis: PayBasis;
  amountMinor: number;
  currency: string;
  /** The school's local date from which the rate applies (a raise does not rewrite the past). */
  effectiveFrom: LocalDate;
}

export interface RuleQuery {
  teacherId: string;
  lessonType: string;
  durationMinutes: number;
  date: LocalDate;
}

/**
 * The rule that applies: among rules in force on the date (effectiveFrom ≤ date) that match
 * the lesson type and duration (null matches any), the teacher's own rules come before the
 * school's default; then the most specific (type and duration named); then the latest
 * effectiveFrom. Null when none applies.
 */
export function findRule(rules: readonly PayRule[], q: RuleQuery): PayRule | null {
  let best: PayRule | null = null;
  let bestScore: [number, number, number] = [-1, -1, -1];
  for (const r of rules) {
    if (r.teacherId !== null && r.teacherId !== q.teacherId) continue;
    if (r.lessonType !== null && r.lessonType !== q.lessonType) continue;
    if (r.durationMinutes !== null && r.durationMinutes !== q.durationMinutes) continue;
    if (r.effectiveFrom > q.date) continue;
    const score: [number, number, number] = [r.teacherId ? 1 : 0, (r.lessonType ? 1 : 0) + (r.durationMinutes ? 1 : 0), toDayNumber(r.effectiveFrom)];
    if (score[0] > bestScore[0] || (score[0] === bestScore[0] && (score[1] > bestScore[1] || (score[1] === bestScore[1] && score[2] > bestScore[2])))) {
      best = r;
      bestScore = score;
    }
  }
  return best;
}

/** What one occurrence pays at full rate under a rule: the lesson, the hour prorated, or each student. */
export function baseAmount(rule: PayRule, input: { durationMinutes: number; students: number }): Money {
  const rate = money(rule.amountMinor, rule.currency);
  if (rule.basis === "PER_LESSON") return rate;
  if (rule.basis === "PER_HOUR") return ratio(rate, input.durationMinutes, 60);
  return ratio(rate, input.students, 1);
}

// ---- outcomes ------------------------------------------------------------------------------

export const OUTCOMES = [
  "TAUGHT",
  "ABSENT_NO_NOTICE",
  "FAMILY_CANCELLED_NOTICE",
  "SCHOOL_CANCELLED",
  "TEACHER_CANCELLED",
  "MAKEUP_TAUGHT",
  "HYBRID_ONE_ON_ONE",
  "SUBSTITUTE",
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const OUTCOME_LABELS: Readonly<Record<Outcome, string>> = {
  TAUGHT: "Taught",
  ABSENT_NO_NOTICE: "Student absent without notice",
  FAMILY_CANCELLED_NOTICE: "Cancelled by the family with notice",
  SCHOOL_CANCELLED: "Cancelled by the school",
  TEACHER_CANCELLED: "Cancelled by the teacher",
  MAKEUP_TAUGHT: "Make-up taught",
  HYBRID_ONE_ON_ONE: "Hybrid 1-on-1 session taught",
  SUBSTITUTE: "Taught by a substitute",
};

/** Share of the rate each outcome pays, in basis points (10000 = all of it). */
export type OutcomePolicy = Readonly<Record<Outcome, number>>;

export const DEFAULT_OUTCOME_POLICY: OutcomePolicy = {
  TAUGHT: 10_000,
  ABSENT_NO_NOTICE: 10_000,
  // A make-up follows, and the make-up is what is paid.
  FAMILY_CANCELLED_NOTICE: 0,
  SCHOOL_CANCELLED: 10_000,
  TEACHER_CANCELLED: 0,
  MAKEUP_TAUGHT: 10_000,
  HYBRID_ONE_ON_ONE: 10_000,
  SUBSTITUTE: 10_000,
};

/** Reads a stored policy (JSON), keeping the defaults for what it lacks; a teacher's own cancellation is never paid. */
export function normalizePolicy(value: unknown): OutcomePolicy {
  const out: Record<Outcome, number> = { ...DEFAULT_OUTCOME_POLICY };
  if (value && typeof value === "object") {
    for (const o of OUTCOMES) {
      const v = (value as Record<string, unknown>)[o];
      if (typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 10_000) out[o] = v;
    }
  }
  out.TEACHER_CANCELLED = 0;
  return out;
}

export interface PayOccurrence {
  id: string;
  lessonTitle: string;
  /** The effective teacher of this date (the substitute when the regular teacher was replaced). */
  teacherId: string;
  /** The series' teacher. */
  regularTeacherId: string;
  lessonType: string;
  kind: "LESSON" | "INDIVIDUAL_SESSION";
  /** A hybrid lesson's booked 1-on-1 session. */
  hybrid: boolean;
  /** Booked with a make-up credit (a make-up session). */
  makeUp: boolean;
  status: "SCHEDULED" | "COMPLETED" | "CANCELLED" | "CANCELLED_BY_TEACHER";
  startsAt: Date;
  endsAt: Date;
  /** What the register says; null when no attendance was recorded. */
  register: { present: number; absentNotified: number; absentNoNotice: number } | null;
}

export type Classified = { outcome: Outcome; students: number } | { unresolved: "MISSING_REGISTER" | "NOT_YET_TAUGHT" };

/** What happened to an occurrence, from its status and its register (attendance is the source of truth). */
export function classify(o: PayOccurrence, now: Date): Classified {
  if (o.status === "CANCELLED_BY_TEACHER") return { outcome: "TEACHER_CANCELLED", students: 0 };
  if (o.status === "CANCELLED") return { outcome: "SCHOOL_CANCELLED", students: 0 };
  const r = o.register;
  if (!r || r.present + r.absentNotified + r.absentNoNotice === 0) return { unresolved: o.endsAt > now ? "NOT_YET_TAUGHT" : "MISSING_REGISTER" };
  const substitute = o.teacherId !== o.regularTeacherId;
  if (r.present > 0) {
    const outcome: Outcome = substitute ? "SUBSTITUTE" : o.makeUp ? "MAKEUP_TAUGHT" : o.hybrid && o.kind === "INDIVIDUAL_SESSION" ? "HYBRID_ONE_ON_ONE" : "TAUGHT";
    return { outcome, students: r.present };
  }
  if (r.absentNoNotice > 0) return { outcome: "ABSENT_NO_NOTICE", students: r.absentNoNotice };
  return { outcome: "FAMILY_CANCELLED_NOTICE", students: 0 };
}

export function durationMinutes(o: Pick<PayOccurrence, "startsAt" | "endsAt">): number {
  return Math.round((o.endsAt.getTime() - o.startsAt.getTime()) / 60_000);
}

export interface OccurrencePay {
  occurrenceId: string;
  teacherId: string;
  outcome: Outcome | null;
  unresolved: "MISSING_REGISTER" | "NOT_YET_TAUGHT" | "NO_RATE" | null;
  rule: PayRule | null;
  /** The full rate before the outcome's share (for the statement). */
  rateMinor: number;
  shareBasisPoints: number;
  amount: Money;
  localDate: LocalDate;
  durationMinutes: number;
  students: number;
}

/** What one occurrence pays its (effective) teacher. Unresolved occurrences pay nothing until resolved. */
export function payForOccurrence(o: PayOccurrence, ctx: { rules: readonly PayRule[]; policy: OutcomePolicy; currency: string; timeZone: string; now: Date }): OccurrencePay {
  const localDate = toLocalDate(o.startsAt, ctx.timeZone);
  const minutes = durationMinutes(o);
  const base = { occurrenceId: o.id, teacherId: o.teacherId, localDate, durationMinutes: minutes };
  const c = classify(o, ctx.now);
  if ("unresolved" in c) return { ...base, outcome: null, unresolved: c.unresolved, rule: null, rateMinor: 0, shareBasisPoints: 0, amount: zero(ctx.currency), students: 0 };
  const share = ctx.policy[c.outcome];
  // Students a per-student rate counts: those taught, or, when nobody came, those expected.
  const students = c.students || (o.register ? o.register.present + o.register.absentNoNotice + o.register.absentNotified : 0);
  const rule = findRule(ctx.rules, { teacherId: o.teacherId, lessonType: o.lessonType, durationMinutes: minutes, date: localDate });
  if (!rule) {
    const unpaid = share === 0;
    return { ...base, outcome: c.outcome, unresolved: unpaid ? null : "NO_RATE", rule: null, rateMinor: 0, shareBasisPoints: share, amount: zero(ctx.currency), students };
  }
  if (rule.currency !== ctx.currency) throw new MoneyError(`A pay rate is in ${rule.currency} but the school pays in ${ctx.currency}.`);
  const full = baseAmount(rule, { durationMinutes: minutes, students });
  return { ...base, outcome: c.outcome, unresolved: null, rule, rateMinor: full.amountMinor, shareBasisPoints: share, amount: percentOf(full, share), students };
}

// ---- periods -------------------------------------------------------------------------------

export const PAY_PERIODS = ["WEEKLY", "FORTNIGHTLY", "MONTHLY", "TERM"] as const;
export type PayPeriodKind = (typeof PAY_PERIODS)[number];

export interface PayPeriod {
  /** First local day. */
  start: LocalDate;
  /** Last local day (inclusive). */
  end: LocalDate;
  label: string;
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/**
 * The period holding a local date. Weeks run Monday to Sunday; fortnights count from
 * `anchor` (a Monday; default 2024-01-01); months are calendar months; a term period is
 * the term holding the date (null outside every term).
 */
export function periodContaining(kind: PayPeriodKind, date: LocalDate, opts: { anchor?: LocalDate; terms?: readonly { name: string; startDate: LocalDate; endDate: LocalDate }[] } = {}): PayPeriod | null {
  if (kind === "MONTHLY") {
    const { year, month } = parseLocalDate(date);
    return { start: formatDateParts(year, month, 1), end: formatDateParts(year, month, daysInMonth(year, month)), label: `${MONTHS[month - 1]} ${year}` };
  }
  if (kind === "WEEKLY") {
    const start = addDays(date, -((weekdayOfLocalDate(date) + 6) % 7));
    return { start, end: addDays(start, 6), label: `Week of ${start}` };
  }
  if (kind === "FORTNIGHTLY") {
    const anchor = opts.anchor ?? "2024-01-01";
    const offset = daysBetween(anchor, date);
    const start = addDays(anchor, Math.floor(offset / 14) * 14);
    return { start, end: addDays(start, 13), label: `Fortnight from ${start}` };
  }
  const term = (opts.terms ?? []).find((t) => t.startDate <= date && date <= t.endDate);
  return term ? { start: term.startDate, end: term.endDate, label: term.name } : null;
}

/** A period's instants: from the start of its first local day to the start of the day after its last. */
export function periodInstants(p: Pick<PayPeriod, "start" | "end">, timeZone: string): { from: Date; to: Date } {
  return { from: localDateTimeToUtc(p.start, "00:00", timeZone), to: localDateTimeToUtc(addDays(p.end, 1), "00:00", timeZone) };
}

/** Validates a period typed by an admin (yyyy-mm-dd, end not before start, at most a year). */
export function checkPeriod(start: LocalDate, end: LocalDate): string | null {
  if (end < start) return "The period ends before it starts.";
  if (toDayNumber(end) - toDayNumber(start) > 366) return "A pay period is at most a year.";
  return null;
}

// ---- a pay run -----------------------------------------------------------------------------

/** The key of what an occurrence pays a teacher; each key is paid once across runs. */
export const lineKey = (occurrenceId: string, teacherId: string) => `occurrence:${occurrenceId}:teacher:${teacherId}`;

export interface RunLine {
  key: string;
  kind: "OCCURRENCE" | "CORRECTION";
  occurrenceId: string;
  teacherId: string;
  lessonTitle: string;
  localDate: LocalDate;
  durationMinutes: number;
  outcome: Outcome | null;
  unresolved: OccurrencePay["unresolved"];
  ruleId: string | null;
  rateMinor: number;
  shareBasisPoints: number;
  students: number;
  amountMinor: number;
  /** What earlier approved runs paid on this key (corrections only). */
  previouslyPaidMinor: number;
}

export interface RunInput {
  currency: string;
  timeZone: string;
  now: Date;
  rules: readonly PayRule[];
  policy: OutcomePolicy;
  /** Occurrences in the run's period. */
  occurrences: readonly PayOccurrence[];
  /** Occurrences of earlier periods already in an approved run, as they are today. */
  earlier: readonly PayOccurrence[];
  /** What approved runs hold per line key (sum of their lines, corrections included). */
  paid: ReadonlyMap<string, number>;
  /** Occurrence ids already in an approved run (its lines, paid or unresolved). */
  included: ReadonlySet<string>;
}

/**
 * A run's lines. An occurrence of the period that no approved run holds gets its line. An
 * occurrence already in an approved run (of this period or an earlier one) is recomputed:
 * when what it should pay a teacher differs from what was paid, the difference is a
 * CORRECTION line (a late register, a changed outcome, a substitute recorded afterwards).
 * So nothing is paid twice and nothing paid is rewritten.
 */
export function computeRunLines(input: RunInput): RunLine[] {
  const ctx = { rules: input.rules, policy: input.policy, currency: input.currency, timeZone: input.timeZone, now: input.now };
  const lines: RunLine[] = [];
  const seen = new Set<string>();
  const all = [...input.occurrences, ...input.earlier].filter((o) => (seen.has(o.id) ? false : (seen.add(o.id), true)));
  const paidKeysByOccurrence = new Map<string, string[]>();
  for (const key of input.paid.keys()) {
    const m = /^occurrence:(.+):teacher:(.+)$/.exec(key);
    if (!m) continue;
    paidKeysByOccurrence.set(m[1]!, [...(paidKeysByOccurrence.get(m[1]!) ?? []), m[2]!]);
  }
  for (const o of all) {
    const pay = payForOccurrence(o, ctx);
    const base = {
      occurrenceId: o.id,
      lessonTitle: o.lessonTitle,
      localDate: pay.localDate,
      durationMinutes: pay.durationMinutes,
    };
    if (!input.included.has(o.id)) {
      lines.push({ ...base, key: lineKey(o.id, o.teacherId), kind: "OCCURRENCE", teacherId: o.teacherId, outcome: pay.outcome, unresolved: pay.unresolved, ruleId: pay.rule?.id ?? null, rateMinor: pay.rateMinor, shareBasisPoints: pay.shareBasisPoints, students: pay.students, amountMinor: pay.amount.amountMinor, previouslyPaidMinor: 0 });
      continue;
    }
    // Already in an approved run: only a difference is paid (or taken back).
    const teachers = new Set([o.teacherId, ...(paidKeysByOccurrence.get(o.id) ?? [])]);
    for (const teacherId of [...teachers].sort()) {
      const key = lineKey(o.id, teacherId);
      const should = teacherId === o.teacherId ? pay.amount.amountMinor : 0;
      const was = input.paid.get(key) ?? 0;
      if (should === was) continue;
      const current = teacherId === o.teacherId;
      lines.push({
        ...base,
        key,
        kind: "CORRECTION",
        teacherId,
        outcome: current ? pay.outcome : null,
        unresolved: current ? pay.unresolved : null,
        ruleId: current ? (pay.rule?.id ?? null) : null,
        rateMinor: current ? pay.rateMinor : 0,
        shareBasisPoints: current ? pay.shareBasisPoints : 0,
        students: current ? pay.students : 0,
        amountMinor: should - was,
        previouslyPaidMinor: was,
      });
    }
  }
  return lines.sort((a, b) => a.teacherId.localeCompare(b.teacherId) || a.localDate.localeCompare(b.localDate) || a.key.localeCompare(b.key));
}

export const ADJUSTMENT_KINDS = ["BONUS", "REIMBURSEMENT", "DEDUCTION"] as const;
export type AdjustmentKind = (typeof ADJUSTMENT_KINDS)[number];

/** An adjustment's effect on the teacher's total: a deduction subtracts its (positive) amount. */
export function adjustmentSigned(kind: AdjustmentKind, amountMinor: number): number {
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) throw new PayError("An adjustment is a positive amount.");
  return kind === "DEDUCTION" ? -amountMinor : amountMinor;
}

export interface TeacherTotal {
  teacherId: string;
  linesMinor: number;
  adjustmentsMinor: number;
  totalMinor: number;
  unresolved: number;
}

/** Each teacher's total: their lines and adjustments. */
export function teacherTotals(currency: string, lines: readonly { teacherId: string; amountMinor: number; unresolved: string | null }[], adjustments: readonly { teacherId: string; kind: AdjustmentKind; amountMinor: number }[]): TeacherTotal[] {
  const by = new Map<string, TeacherTotal>();
  const get = (teacherId: string) => by.get(teacherId) ?? by.set(teacherId, { teacherId, linesMinor: 0, adjustmentsMinor: 0, totalMinor: 0, unresolved: 0 }).get(teacherId)!;
  for (const l of lines) {
    const t = get(l.teacherId);
    t.linesMinor = add(money(t.linesMinor, currency), money(l.amountMinor, currency)).amountMinor;
    if (l.unresolved) t.unresolved += 1;
  }
  for (const a of adjustments) {
    const t = get(a.teacherId);
    t.adjustmentsMinor = add(money(t.adjustmentsMinor, currency), money(adjustmentSigned(a.kind, a.amountMinor), currency)).amountMinor;
  }
  for (const t of by.values()) t.totalMinor = t.linesMinor + t.adjustmentsMinor;
  return [...by.values()].sort((a, b) => a.teacherId.localeCompare(b.teacherId));
}

/** Reasons a run cannot be approved, in words (a negative total cannot be transferred). */
export function approvalProblems(totals: readonly TeacherTotal[], names: ReadonlyMap<string, string>, fmt: (minor: number) => string): string[] {
  return totals.filter((t) => t.totalMinor < 0).map((t) => `${names.get(t.teacherId) ?? "A teacher"}'s total is ${fmt(t.totalMinor)}: a run cannot take money back. Remove a deduction, or carry it into the next run.`);
}

// ---- the school's held balance ---------------------------------------------------------------

/**
 * The school-level ledger (SchoolLedgerEntry): what Encore holds for a school. Magnitudes are
 * positive; the kind gives the sign.
 */
export const HELD_KINDS = ["CHARGE", "PLATFORM_FEE", "REFUND", "FEE_REFUND", "DISPUTE", "DISPUTE_WON", "DISPUTE_FEE", "TEACHER_TRANSFER", "TRANSFER_REVERSAL", "SWEEP", "SWEEP_REVERSAL"] as const;
export type HeldKind = (typeof HELD_KINDS)[number];

export const HELD_SIGN: Readonly<Record<HeldKind, 1 | -1>> = {
  CHARGE: 1,
  PLATFORM_FEE: -1,
  REFUND: -1,
  FEE_REFUND: 1,
  DISPUTE: -1,
  DISPUTE_WON: 1,
  // Stripe's fee on a dispute (net of any fee Stripe returned), borne by the school.
  DISPUTE_FEE: -1,
  TEACHER_TRANSFER: -1,
  TRANSFER_REVERSAL: 1,
  SWEEP: -1,
  SWEEP_REVERSAL: 1,
};

export function heldBalance(currency: string, entries: readonly { kind: HeldKind; amountMinor: number; currency: string }[]): Money {
  return sum(
    currency,
    entries.map((e) => money(HELD_SIGN[e.kind] * e.amountMinor, e.currency)),
  );
}

export interface Funding {
  held: Money;
  reserved: Money;
  available: Money;
}

/** Held less what approved, unpaid runs have reserved. */
export function funding(held: Money, reservedMinor: number): Funding {
  const reserved = money(reservedMinor, held.currency);
  return { held, reserved, available: money(held.amountMinor - reserved.amountMinor, held.currency) };
}

/** Null when the held money covers `needed` beyond what is reserved; otherwise the shortfall. */
export function shortfall(f: Funding, neededMinor: number): Money | null {
  const missing = neededMinor - f.available.amountMinor;
  return missing > 0 ? money(missing, f.held.currency) : null;
}

/** Idempotency key of a teacher's transfer for a run. */
export const transferKey = (runId: string, teacherId: string) => `payrun:${runId}:teacher:${teacherId}`;

/** Sweep schedules a school may pick. */
export const SWEEP_SCHEDULES = ["MANUAL", "DAILY", "WEEKLY", "MONTHLY"] as const;
export type SweepSchedule = (typeof SWEEP_SCHEDULES)[number];

/** Whether an automatic sweep is due on the school's local date, given the last sweep's local date. */
export function sweepDue(schedule: SweepSchedule, today: LocalDate, last: LocalDate | null): boolean {
  if (schedule === "MANUAL") return false;
  if (last === today) return false;
  if (schedule === "DAILY") return true;
  if (schedule === "WEEKLY") return weekdayOfLocalDate(today) === 1 || (last !== null && daysBetween(last, today) >= 7);
  return today.endsWith("-01") || (last !== null && daysBetween(last, today) >= 31);
}
