// Teacher pay (issue 12; ARCHITECTURE.md "Teacher pay"): pay settings and rules, computing a
// pay run from occurrences and attendance, adjustments, approval, paying teachers by Stripe
// Connect transfers (or outside Encore), the school's held balance and its sweeps. The
// arithmetic is app/domain/teacher-pay.ts.
//
// Locks: every change to a school's runs first locks its PaySettings row, so computing,
// approving and sweeping run one after another per school (what one approval reserves is seen
// by the next). No Stripe call is made while a transaction holds a row lock: paying records
// the intent (a PENDING TeacherPayment with its idempotency key) and commits, calls Stripe,
// then records the result in a new transaction. A crash between the two leaves the intent;
// the retry (or the transfer's event) reaches the same transfer through the same key.
import { randomUUID } from "node:crypto";
import type Stripe from "stripe";
import type { LessonType } from "../../prisma/generated/client";
import { writeCsv } from "../domain/csv";
import { money, toDecimalString } from "../domain/money";
import { fromStripeAmount, toStripeAmount } from "../domain/payments";
import {
  type AdjustmentKind,
  type HeldKind,
  type OutcomePolicy,
  type PayOccurrence,
  type PayPeriodKind,
  type PayRule,
  type SweepSchedule,
  type Outcome,
  HELD_SIGN,
  OUTCOME_LABELS,
  approvalProblems,
  checkPeriod,
  computeRunLines,
  funding,
  heldBalance,
  normalizePolicy,
  periodContaining,
  periodInstants,
  shortfall,
  sweepDue,
  teacherTotals,
  transferKey,
} from "../domain/teacher-pay";
import { toLocalDate } from "../domain/time";
import { formatterFor } from "../utils/format";
import type { SchoolDb as FullSchoolDb, Tx } from "../../server/db/school-db.server";

/** The school-bound database (its `run` is all this needs). */
type SchoolDb = Pick<FullSchoolDb, "run">;

export class PayModelError extends Error {
  constructor(
    message: string,
    readonly status = 409,
  ) {
    super(message);
    this.name = "PayModelError";
  }
}

/** By name, not instanceof (two bundles hold two copies of the class). */
export function isPayModelError(error: unknown): error is PayModelError {
  return error instanceof Error && error.name === "PayModelError" && typeof (error as PayModelError).status === "number";
}

async function schoolOf(tx: Tx) {
  return tx.school.findFirstOrThrow({ select: { id: true, name: true, currency: true, locale: true, timezone: true, stripeAccountId: true } });
}

// ---- settings and rules ------------------------------------------------------------------------

export interface PaySettingsView {
  id: string;
  period: PayPeriodKind;
  fortnightAnchor: string | null;
  policy: OutcomePolicy;
  sweepSchedule: SweepSchedule;
  lastSweepDate: string | null;
}

/** The school's pay settings (made with the defaults the first time), locked when `lock`. */
export async function paySettings(tx: Tx, opts: { lock?: boolean } = {}): Promise<PaySettingsView> {
  await tx.$executeRaw`INSERT INTO "PaySettings" ("id", "updatedAt") VALUES (${randomUUID()}, now()) ON CONFLICT ("schoolId") DO NOTHING`;
  if (opts.lock) await tx.$queryRaw`SELECT id FROM "PaySettings" FOR UPDATE`;
  const s = await tx.paySettings.findFirstOrThrow();
  return { id: s.id, period: s.period, fortnightAnchor: s.fortnightAnchor, policy: normalizePolicy(s.outcomePolicy), sweepSchedule: s.sweepSchedule, lastSweepDate: s.lastSweepDate };
}

export async function savePaySettings(tx: Tx, input: { period: PayPeriodKind; fortnightAnchor: string | null; policy: Partial<Record<Outcome, number>>; sweepSchedule: SweepSchedule }) {
  const current = await paySettings(tx, { lock: true });
  await tx.paySettings.update({
    where: { id: current.id },
    data: { period: input.period, fortnightAnchor: input.fortnightAnchor, outcomePolicy: normalizePolicy({ ...current.policy, ...input.policy }), sweepSchedule: input.sweepSchedule },
  });
}

export async function payRules(tx: Tx) {
  return tx.payRule.findMany({
    orderBy: [{ teacherId: { sort: "asc", nulls: "first" } }, { lessonType: "asc" }, { durationMinutes: "asc" }, { effectiveFrom: "asc" }],
    select: { id: true, teacherId: true, lessonType: true, durationMinutes: true, basis: true, amountMinor: true, currency: true, effectiveFrom: true, teacher: { select: { firstName: true, lastName: true } } },
  });
}

export async function addPayRule(tx: Tx, input: Omit<PayRule, "id" | "currency">) {
  const sch = await schoolOf(tx);
  if (input.teacherId) {
    const t = await tx.user.findFirst({ where: { id: input.teacherId, role: { in: ["TEACHER", "ADMIN"] } }, select: { id: true } });
    if (!t) throw new PayModelError("That teacher is not one of this school's.", 400);
  }
  return tx.payRule.create({
    data: {
      teacherId: input.teacherId,
      lessonType: input.lessonType as LessonType | null,
      durationMinutes: input.durationMinutes,
      basis: input.basis,
      amountMinor: input.amountMinor,
      currency: sch.currency,
      effectiveFrom: input.effectiveFrom,
    },
    select: { id: true },
  });
}

/** Removes a rate. Runs already computed keep the rate they copied; a draft recomputed uses what is left. */
export async function removePayRule(tx: Tx, ruleId: string) {
  await tx.payRule.deleteMany({ where: { id: ruleId } });
}

/** The period holding a local date, by the school's setting (null outside every term for TERM). */
export async function periodFor(tx: Tx, date: string) {
  const settings = await paySettings(tx);
  const terms = settings.period === "TERM" ? await tx.term.findMany({ where: { archivedAt: null }, select: { name: true, startDate: true, endDate: true } }) : [];
  return periodContaining(settings.period, date, { anchor: settings.fortnightAnchor ?? undefined, terms });
}

// ---- computing a run -----------------------------------------------------------------------------

const occurrenceSelect = {
  id: true,
  startsAt: true,
  endsAt: true,
  status: true,
  kind: true,
  instructorId: true,
  hybridConfigId: true,
  makeUpCreditId: true,
  lesson: { select: { title: true, type: true, instructorId: true, isHybrid: true } },
  attendance: { select: { present: true, absenceNotified: true } },
} as const;

type OccurrenceRow = {
  id: string;
  startsAt: Date;
  endsAt: Date;
  status: PayOccurrence["status"];
  kind: PayOccurrence["kind"];
  instructorId: string;
  hybridConfigId: string | null;
  makeUpCreditId: string | null;
  lesson: { title: string; type: string; instructorId: string; isHybrid: boolean };
  attendance: { present: boolean; absenceNotified: boolean }[];
};

function toPayOccurrence(o: OccurrenceRow): PayOccurrence {
  const register = o.attendance.length
    ? {
        present: o.attendance.filter((a) => a.present).length,
        absentNotified: o.attendance.filter((a) => !a.present && a.absenceNotified).length,
        absentNoNotice: o.attendance.filter((a) => !a.present && !a.absenceNotified).length,
      }
    : null;
  return {
    id: o.id,
    lessonTitle: o.lesson.title,
    teacherId: o.instructorId,
    regularTeacherId: o.lesson.instructorId,
    lessonType: o.lesson.type,
    kind: o.kind,
    hybrid: o.lesson.isHybrid || o.hybridConfigId !== null,
    makeUp: o.makeUpCreditId !== null,
    status: o.status,
    startsAt: o.startsAt,
    endsAt: o.endsAt,
    register,
  };
}

async function lockRun(tx: Tx, runId: string) {
  await tx.$queryRaw`SELECT id FROM "PayRun" WHERE id = ${runId} FOR UPDATE`;
  return tx.payRun.findUnique({ where: { id: runId } });
}

/** Writes a draft run's lines afresh from today's occurrences and attendance. The caller holds the settings lock. */
async function recompute(tx: Tx, run: { id: string; periodStart: string; periodEnd: string }, now: Date) {
  const sch = await schoolOf(tx);
  const settings = await paySettings(tx);
  const rules: PayRule[] = (await tx.payRule.findMany()).map((r) => ({ ...r, lessonType: r.lessonType as string | null }));
  const { from, to } = periodInstants({ start: run.periodStart, end: run.periodEnd }, sch.timezone);
  const occurrences = (await tx.lessonOccurrence.findMany({ where: { startsAt: { gte: from, lt: to } }, select: occurrenceSelect })) as OccurrenceRow[];
  // What approved runs already hold: every key paid once, every occurrence included once.
  const approvedLines = await tx.payRunLine.findMany({
    where: { run: { status: { in: ["APPROVED", "PAID"] } }, runId: { not: run.id } },
    select: { key: true, occurrenceId: true, amountMinor: true },
  });
  const paid = new Map<string, number>();
  const included = new Set<string>();
  for (const l of approvedLines) {
    paid.set(l.key, (paid.get(l.key) ?? 0) + l.amountMinor);
    included.add(l.occurrenceId);
  }
  // Lessons of an earlier period that no run holds (a make-up booked into a period after
  // its run was approved): paid now, as lines of this run. Only from the first approved period
  // on: lessons before it predate paying teachers through Encore.
  const first = await tx.payRun.findFirst({ where: { status: { in: ["APPROVED", "PAID"] }, id: { not: run.id } }, orderBy: { periodStart: "asc" }, select: { periodStart: true } });
  if (first && first.periodStart < run.periodStart) {
    const since = periodInstants({ start: first.periodStart, end: first.periodStart }, sch.timezone).from;
    const late = (await tx.lessonOccurrence.findMany({
      // (none in any other run: an earlier period's draft run pays its own)
      where: { startsAt: { gte: since, lt: from }, payLines: { none: { runId: { not: run.id } } } },
      select: occurrenceSelect,
    })) as OccurrenceRow[];
    occurrences.push(...late);
  }
  const inPeriod = new Set(occurrences.map((o) => o.id));
  const earlierIds = [...included].filter((id) => !inPeriod.has(id));
  const earlier = earlierIds.length ? ((await tx.lessonOccurrence.findMany({ where: { id: { in: earlierIds }, startsAt: { lt: to } }, select: occurrenceSelect })) as OccurrenceRow[]) : [];
  const lines = computeRunLines({
    currency: sch.currency,
    timeZone: sch.timezone,
    now,
    rules,
    policy: settings.policy,
    occurrences: occurrences.map(toPayOccurrence),
    earlier: earlier.map(toPayOccurrence),
    paid,
    included,
  });
  await tx.payRunLine.deleteMany({ where: { runId: run.id } });
  if (lines.length) {
    await tx.payRunLine.createMany({
      data: lines.map((l) => ({
        runId: run.id,
        teacherId: l.teacherId,
        occurrenceId: l.occurrenceId,
        kind: l.kind,
        key: l.key,
        lessonTitle: l.lessonTitle,
        localDate: l.localDate,
        durationMinutes: l.durationMinutes,
        outcome: l.outcome,
        unresolved: l.unresolved,
        ruleId: l.ruleId,
        rateMinor: l.rateMinor,
        shareBasisPoints: l.shareBasisPoints,
        students: l.students,
        amountMinor: l.amountMinor,
        previouslyPaidMinor: l.previouslyPaidMinor,
      })),
    });
  }
  const adjustments = await tx.payAdjustment.findMany({ where: { runId: run.id }, select: { teacherId: true, kind: true, amountMinor: true } });
  const totals = teacherTotals(sch.currency, lines, adjustments);
  const totalMinor = totals.reduce((s, t) => s + t.totalMinor, 0);
  await tx.payRun.update({ where: { id: run.id }, data: { totalMinor, computedAt: now } });
  return totals;
}

/**
 * Computes (or recomputes) the run of a period: made the first time, its lines written afresh
 * while it is a draft. An approved run is never recomputed (later changes go to the next run).
 */
export async function computePayRun(tx: Tx, input: { periodStart: string; periodEnd: string; label?: string; now: Date }) {
  const problem = checkPeriod(input.periodStart, input.periodEnd);
  if (problem) throw new PayModelError(problem, 400);
  const sch = await schoolOf(tx);
  await paySettings(tx, { lock: true });
  const overlapping = await tx.payRun.findFirst({
    where: { periodStart: { lte: input.periodEnd }, periodEnd: { gte: input.periodStart }, NOT: { periodStart: input.periodStart, periodEnd: input.periodEnd } },
    select: { label: true },
  });
  if (overlapping) throw new PayModelError(`This period overlaps the run "${overlapping.label}". Pick a period that does not.`, 400);
  let run = await tx.payRun.findFirst({ where: { periodStart: input.periodStart, periodEnd: input.periodEnd } });
  if (!run) {
    run = await tx.payRun.create({
      data: { periodStart: input.periodStart, periodEnd: input.periodEnd, label: input.label ?? `${input.periodStart} – ${input.periodEnd}`, currency: sch.currency },
    });
  }
  const locked = (await lockRun(tx, run.id))!;
  if (locked.status !== "DRAFT") throw new PayModelError(`The run "${locked.label}" is already approved; changes since then go into the next run.`);
  await recompute(tx, locked, input.now);
  return { runId: run.id };
}

export async function recomputePayRun(tx: Tx, input: { runId: string; now: Date }) {
  await paySettings(tx, { lock: true });
  const run = await lockRun(tx, input.runId);
  if (!run) throw new PayModelError("No such pay run.", 404);
  if (run.status !== "DRAFT") throw new PayModelError(`The run "${run.label}" is already approved; changes since then go into the next run.`);
  await recompute(tx, run, input.now);
}

export async function addAdjustment(tx: Tx, input: { runId: string; teacherId: string; kind: AdjustmentKind; amountMinor: number; reason: string; createdById: string | null; now: Date }) {
  if (!input.reason.trim()) throw new PayModelError("Give a reason for the adjustment.", 400);
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0) throw new PayModelError("An adjustment is an amount above zero.", 400);
  await paySettings(tx, { lock: true });
  const run = await lockRun(tx, input.runId);
  if (!run) throw new PayModelError("No such pay run.", 404);
  if (run.status !== "DRAFT") throw new PayModelError("This run is approved; add the adjustment to the next run.");
  const teacher = await tx.user.findFirst({ where: { id: input.teacherId, role: { in: ["TEACHER", "ADMIN"] } }, select: { id: true } });
  if (!teacher) throw new PayModelError("That teacher is not one of this school's.", 400);
  await tx.payAdjustment.create({ data: { runId: run.id, teacherId: input.teacherId, kind: input.kind, amountMinor: input.amountMinor, reason: input.reason.trim(), createdById: input.createdById } });
  await recompute(tx, run, input.now);
}

export async function removeAdjustment(tx: Tx, input: { runId: string; adjustmentId: string; now: Date }) {
  await paySettings(tx, { lock: true });
  const run = await lockRun(tx, input.runId);
  if (!run) throw new PayModelError("No such pay run.", 404);
  if (run.status !== "DRAFT") throw new PayModelError("This run is approved; its adjustments are final.");
  await tx.payAdjustment.deleteMany({ where: { id: input.adjustmentId, runId: run.id } });
  await recompute(tx, run, input.now);
}

// ---- the held balance ------------------------------------------------------------------------------

/**
 * What is promised but not yet out of the held balance: approved runs' transfers not yet made,
 * and sweeps begun whose transfer Stripe has not confirmed (their SWEEP entry is written only
 * then; counting them here keeps their money from being promised to a run meanwhile).
 */
async function reservedMinor(tx: Tx) {
  const r = await tx.teacherPayment.aggregate({ where: { destination: { not: null }, status: { in: ["PENDING", "FAILED", "REVERSED"] } }, _sum: { amountMinor: true } });
  const sweeping = await tx.sweep.aggregate({ where: { status: "PENDING" }, _sum: { amountMinor: true } });
  return (r._sum.amountMinor ?? 0) + (sweeping._sum.amountMinor ?? 0);
}

export async function heldFunding(tx: Tx) {
  const sch = await schoolOf(tx);
  const entries = await tx.schoolLedgerEntry.findMany({ select: { kind: true, amountMinor: true, currency: true } });
  const held = heldBalance(sch.currency, entries);
  const swept = entries.filter((e) => e.kind === "SWEEP").reduce((s, e) => s + e.amountMinor, 0) - entries.filter((e) => e.kind === "SWEEP_REVERSAL").reduce((s, e) => s + e.amountMinor, 0);
  return { ...funding(held, await reservedMinor(tx)), swept: money(swept, sch.currency) };
}

/** Writes one entry of the school's ledger once (its key). */
export async function writeHeldEntry(tx: Tx, e: { kind: HeldKind; amountMinor: number; currency: string; postedAt: Date; memo?: string; paymentId?: string; teacherPaymentId?: string; sweepId?: string; stripeObjectId?: string; idempotencyKey: string }) {
  if (e.amountMinor <= 0) return;
  await tx.schoolLedgerEntry.createMany({ data: [e], skipDuplicates: true });
}

/**
 * The reconciliation report: the held balance is the sum of the entries, and each kind of entry
 * agrees with the records it comes from (teacher transfers sent, sweeps sent, card payments
 * completed and their fees). Problems are in words; an empty list means it reconciles.
 */
export async function heldReconciliation(tx: Tx) {
  const sch = await schoolOf(tx);
  const entries = await tx.schoolLedgerEntry.findMany({ orderBy: [{ postedAt: "asc" }, { id: "asc" }] });
  const byKind = (k: HeldKind) => entries.filter((e) => e.kind === k).reduce((s, e) => s + e.amountMinor, 0);
  const fmt = formatterFor(sch);
  const m = (n: number) => fmt.moneyMinor(n, sch.currency);
  const problems: string[] = [];
  // Teacher transfers: what is with teachers now (SENT; a reversed transfer came back whole) is
  // what the ledger sent less what came back.
  const sent = await tx.teacherPayment.aggregate({ where: { stripeTransferId: { not: null }, status: "SENT" }, _sum: { amountMinor: true } });
  const transferred = sent._sum.amountMinor ?? 0;
  const netTransfers = byKind("TEACHER_TRANSFER") - byKind("TRANSFER_REVERSAL");
  if (transferred !== netTransfers) problems.push(`Teacher transfers sent total ${m(transferred)} but the ledger's transfers less reversals are ${m(netTransfers)}.`);
  const sweeps = await tx.sweep.aggregate({ where: { status: "SENT" }, _sum: { amountMinor: true } });
  if ((sweeps._sum.amountMinor ?? 0) !== byKind("SWEEP")) problems.push(`Sweeps sent total ${m(sweeps._sum.amountMinor ?? 0)} but the ledger holds ${m(byKind("SWEEP"))}.`);
  const cards = await tx.payment.findMany({ where: { method: "STRIPE", status: { in: ["COMPLETED", "REFUNDED", "DISPUTED"] }, stripeTransferId: null }, select: { amountMinor: true, platformFeeMinor: true } });
  const charged = cards.reduce((s, p) => s + (p.amountMinor ?? 0), 0);
  if (charged !== byKind("CHARGE")) problems.push(`Card payments held total ${m(charged)} but the ledger's charges are ${m(byKind("CHARGE"))}.`);
  const fees = cards.reduce((s, p) => s + (p.platformFeeMinor ?? 0), 0);
  if (fees !== byKind("PLATFORM_FEE")) problems.push(`Platform fees total ${m(fees)} but the ledger holds ${m(byKind("PLATFORM_FEE"))}.`);
  // Refunds of held card payments: each refund Stripe made (not FAILED) is one REFUND entry.
  const refunds = await tx.refund.aggregate({ where: { status: { not: "FAILED" }, payment: { method: "STRIPE", stripeTransferId: null } }, _sum: { amountMinor: true } });
  if ((refunds._sum.amountMinor ?? 0) !== byKind("REFUND")) problems.push(`Refunds of card payments total ${m(refunds._sum.amountMinor ?? 0)} but the ledger's refunds are ${m(byKind("REFUND"))}.`);
  const held = heldBalance(sch.currency, entries);
  const f = await heldFunding(tx);
  if (held.amountMinor < 0) problems.push(`Encore holds less than nothing for the school (${m(held.amountMinor)}): more went out than came in.`);
  else if (f.available.amountMinor < 0) problems.push(`Encore holds ${m(held.amountMinor)} for the school but ${m(f.reserved.amountMinor)} is promised to approved pay runs and sweeps under way.`);
  return {
    currency: sch.currency,
    heldMinor: held.amountMinor,
    totals: Object.fromEntries((["CHARGE", "PLATFORM_FEE", "REFUND", "FEE_REFUND", "DISPUTE", "DISPUTE_WON", "DISPUTE_FEE", "TEACHER_TRANSFER", "TRANSFER_REVERSAL", "SWEEP", "SWEEP_REVERSAL"] as const).map((k) => [k, byKind(k)])) as Record<HeldKind, number>,
    entries: entries.map((e) => ({ id: e.id, kind: e.kind, amountMinor: e.amountMinor, signedMinor: HELD_SIGN[e.kind] * e.amountMinor, postedAt: e.postedAt, memo: e.memo })),
    problems,
  };
}

// ---- approval --------------------------------------------------------------------------------------

/**
 * Approves a draft run (who and when): recomputed first, so what is approved is current; refused
 * when a teacher's total is negative or when what Encore holds for the school, less what approved
 * runs already reserve, cannot cover what this run transfers (saying how much is missing); then one
 * TeacherPayment per teacher owed something: by transfer to their connected account, or to be paid
 * outside Encore. Two sessions approving at once: the second waits on the locks and finds the run
 * approved ("already").
 */
export async function approvePayRun(tx: Tx, input: { runId: string; approvedById: string; now: Date }): Promise<"approved" | "already"> {
  await paySettings(tx, { lock: true });
  const run = await lockRun(tx, input.runId);
  if (!run) throw new PayModelError("No such pay run.", 404);
  if (run.status !== "DRAFT") return "already";
  const totals = await recompute(tx, run, input.now);
  const sch = await schoolOf(tx);
  const fmt = formatterFor(sch);
  const m = (n: number) => fmt.moneyMinor(n, sch.currency);
  const teachers = await tx.user.findMany({ where: { id: { in: totals.map((t) => t.teacherId) } }, select: { id: true, firstName: true, lastName: true, stripeAccount: { select: { stripeAccountId: true, transfersActive: true } } } });
  const byId = new Map(teachers.map((t) => [t.id, t]));
  const problems = approvalProblems(totals, new Map(teachers.map((t) => [t.id, `${t.firstName} ${t.lastName}`])), m);
  if (problems.length) throw new PayModelError(problems.join(" "));
  const owed = totals.filter((t) => t.totalMinor > 0);
  const destinationOf = (teacherId: string) => {
    const a = byId.get(teacherId)?.stripeAccount;
    return a && a.transfersActive ? a.stripeAccountId : null;
  };
  const needed = owed.filter((t) => destinationOf(t.teacherId)).reduce((s, t) => s + t.totalMinor, 0);
  const f = await heldFunding(tx);
  const missing = shortfall(f, needed);
  if (missing) {
    throw new PayModelError(
      `Encore holds ${m(f.held.amountMinor)} for the school, of which ${m(f.reserved.amountMinor)} is reserved for approved runs; this run transfers ${m(needed)}, so ${m(missing.amountMinor)} is missing. Nothing was approved.`,
    );
  }
  for (const t of owed) {
    await tx.teacherPayment.create({
      data: { runId: run.id, teacherId: t.teacherId, amountMinor: t.totalMinor, currency: sch.currency, destination: destinationOf(t.teacherId), idempotencyKey: transferKey(run.id, t.teacherId) },
    });
  }
  const totalMinor = totals.reduce((s, t) => s + t.totalMinor, 0);
  await tx.payRun.update({ where: { id: run.id }, data: { status: owed.length ? "APPROVED" : "PAID", approvedById: input.approvedById, approvedAt: input.now, totalMinor, ...(owed.length ? {} : { paidAt: input.now }) } });
  return "approved";
}

// ---- paying -------------------------------------------------------------------------------------

export interface PayReport {
  /** Transfers Stripe confirmed to this call (two concurrent calls each hear of the same transfer). */
  sent: number;
  failed: { teacherId: string; message: string }[];
  /** Stripe did not answer: the intents stay, a retry reaches the same transfers. */
  interrupted: string | null;
}

const stripeMessage = (error: unknown) => String((error as { message?: unknown })?.message ?? error);
/**
 * Whether Stripe answered "no" for good. A 409 (the same idempotency key in flight from another
 * call) and a 429 (rate limited) are not answers: the transfer may still be made under that key,
 * so the payment stays PENDING and the next "Pay" reaches the same transfer.
 */
const isStripeRefusal = (error: unknown) => {
  const e = error as { type?: unknown; statusCode?: unknown };
  if (e?.type === "StripeIdempotencyError" || e?.type === "StripeRateLimitError" || e?.statusCode === 409 || e?.statusCode === 429) return false;
  return e?.type === "StripeInvalidRequestError" || e?.type === "StripeCardError" || (typeof e?.statusCode === "number" && e.statusCode >= 400 && e.statusCode < 500);
};

async function settleRun(tx: Tx, runId: string, now: Date) {
  const open = await tx.teacherPayment.count({ where: { runId, status: { notIn: ["SENT", "PAID_OUTSIDE"] } } });
  if (open === 0) await tx.payRun.updateMany({ where: { id: runId, status: "APPROVED" }, data: { status: "PAID", paidAt: now } });
}

/** Records a transfer Stripe made for a teacher payment (from the answer, a retry, or an event); once. */
export async function recordTransfer(tx: Tx, teacherPaymentId: string, transfer: { id: string; amount: number; currency: string; amount_reversed: number; reversals?: { data: { id: string; amount: number }[] } }, now: Date): Promise<boolean> {
  await tx.$queryRaw`SELECT id FROM "TeacherPayment" WHERE id = ${teacherPaymentId} FOR UPDATE`;
  const p = await tx.teacherPayment.findUnique({ where: { id: teacherPaymentId } });
  if (!p) return false;
  let changed = false;
  const amount = fromStripeAmount(transfer.amount, transfer.currency);
  // An earlier attempt's transfer (reversed, then retried): only its reversal entries are new.
  const earlier = Boolean(p.stripeTransferId && p.stripeTransferId !== transfer.id) || (p.status === "PENDING" && transfer.amount_reversed > 0);
  // Only a transfer reversed in full is REVERSED (a retry pays the whole amount again). A partial
  // reversal leaves the payment SENT with a note, and the reconciliation reports the difference:
  // a retry would overpay, so the rest is for the admin to settle.
  const reversed = transfer.amount_reversed > 0 && transfer.amount_reversed >= transfer.amount;
  const partlyReversed = transfer.amount_reversed > 0 && !reversed;
  if (!earlier && (p.status === "PENDING" || p.status === "FAILED" || (p.status === "SENT" && transfer.amount_reversed > 0))) {
    changed = !reversed && p.status !== "SENT";
    const back = formatterFor(await schoolOf(tx)).moneyMinor(fromStripeAmount(transfer.amount_reversed, transfer.currency).amountMinor, amount.currency);
    await tx.teacherPayment.update({
      where: { id: p.id },
      data: {
        status: reversed ? "REVERSED" : "SENT",
        stripeTransferId: transfer.id,
        paidAt: reversed ? null : (p.paidAt ?? now),
        failureMessage: reversed ? "The transfer was reversed. Retry to pay again." : partlyReversed ? `Part of this transfer (${back}) was reversed in Stripe; settle the difference with the teacher outside Encore.` : null,
      },
    });
  }
  await writeHeldEntry(tx, { kind: "TEACHER_TRANSFER", amountMinor: amount.amountMinor, currency: amount.currency, postedAt: now, teacherPaymentId: p.id, stripeObjectId: transfer.id, memo: `Transfer to teacher (${p.idempotencyKey})`, idempotencyKey: `transfer:${transfer.id}` });
  for (const r of transfer.reversals?.data ?? []) {
    await writeHeldEntry(tx, { kind: "TRANSFER_REVERSAL", amountMinor: fromStripeAmount(r.amount, transfer.currency).amountMinor, currency: amount.currency, postedAt: now, teacherPaymentId: p.id, stripeObjectId: r.id, memo: `Transfer ${transfer.id} reversed`, idempotencyKey: `transfer-reversal:${r.id}` });
  }
  await settleRun(tx, p.runId, now);
  return changed;
}

/**
 * Pays an approved run: for each teacher payment with a connected account not yet sent, records
 * the attempt, calls Stripe (no transaction open), records the result. Stops at the first
 * unanswered call (the intent stays PENDING); a refusal marks that payment FAILED and goes on.
 */
export async function payPayRun(db: SchoolDb, stripe: Stripe, input: { runId: string; now: Date }): Promise<PayReport> {
  const report: PayReport = { sent: 0, failed: [], interrupted: null };
  const todo = await db.run(async (tx) => {
    const run = await tx.payRun.findUnique({ where: { id: input.runId }, select: { status: true } });
    if (!run) throw new PayModelError("No such pay run.", 404);
    if (run.status === "DRAFT") throw new PayModelError("Approve the run before paying it.");
    return tx.teacherPayment.findMany({ where: { runId: input.runId, destination: { not: null }, status: "PENDING" }, orderBy: { id: "asc" }, select: { id: true } });
  });
  for (const { id } of todo) {
    // 1. The intent: one more attempt, recorded and committed before Stripe is called.
    const intent = await db.run(async (tx) => {
      const claimed = await tx.teacherPayment.updateMany({ where: { id, status: "PENDING" }, data: { attempts: { increment: 1 } } });
      if (!claimed.count) return null;
      const sch = await schoolOf(tx);
      const p = await tx.teacherPayment.findUniqueOrThrow({ where: { id } });
      return { p, schoolId: sch.id };
    });
    if (!intent) continue;
    const { p } = intent;
    // 2. Stripe, with no row locked. The key is the run and teacher (and the retry's generation).
    let transfer: Stripe.Transfer;
    try {
      transfer = await stripe.transfers.create(
        {
          amount: toStripeAmount(money(p.amountMinor, p.currency)),
          currency: p.currency.toLowerCase(),
          destination: p.destination!,
          transfer_group: `payrun:${p.runId}`,
          metadata: { schoolId: intent.schoolId, runId: p.runId, teacherId: p.teacherId, teacherPaymentId: p.id },
        },
        { idempotencyKey: p.idempotencyKey },
      );
    } catch (error) {
      if (isStripeRefusal(error)) {
        const message = `Stripe refused the transfer: ${stripeMessage(error)}`;
        await db.run((tx) => tx.teacherPayment.updateMany({ where: { id, status: "PENDING" }, data: { status: "FAILED", failureMessage: message } }));
        report.failed.push({ teacherId: p.teacherId, message });
        continue;
      }
      report.interrupted = "Stripe did not answer. The transfers not yet confirmed will be retried with the same keys, so nobody is paid twice.";
      await db.run((tx) => tx.teacherPayment.updateMany({ where: { id, status: "PENDING" }, data: { failureMessage: report.interrupted } }));
      break;
    }
    // 3. The result.
    // (recorded once, whether by this call, a concurrent one or the transfer's own event)
    await db.run((tx) => recordTransfer(tx, p.id, transfer as never, input.now));
    report.sent += 1;
  }
  return report;
}

/** A failed or reversed transfer, tried again: a fresh key (the old one would replay the refusal or the reversed transfer). */
export async function retryTeacherPayment(tx: Tx, input: { runId: string; teacherId: string; now: Date }) {
  await paySettings(tx, { lock: true });
  const p = await tx.teacherPayment.findFirst({ where: { runId: input.runId, teacherId: input.teacherId } });
  if (!p) throw new PayModelError("This teacher has no payment in this run.", 404);
  if (p.status !== "FAILED" && p.status !== "REVERSED") throw new PayModelError("Only a failed or reversed transfer can be retried.");
  const account = await tx.teacherStripeAccount.findFirst({ where: { userId: input.teacherId, transfersActive: true }, select: { stripeAccountId: true } });
  if (!account) throw new PayModelError("This teacher has no connected Stripe account that takes transfers; mark the payment as paid outside Encore instead.");
  const generation = p.attempts;
  await tx.teacherPayment.update({ where: { id: p.id }, data: { status: "PENDING", destination: account.stripeAccountId, stripeTransferId: null, idempotencyKey: `${transferKey(input.runId, input.teacherId)}:retry:${generation}`, failureMessage: null } });
}

/** A teacher paid outside Encore (bank transfer, cheque), with its reference. */
export async function markPaidOutside(tx: Tx, input: { runId: string; teacherId: string; reference: string; markedById: string; now: Date }) {
  if (!input.reference.trim()) throw new PayModelError("Give the payment's reference (bank transfer or cheque number).", 400);
  const p = await tx.teacherPayment.findFirst({ where: { runId: input.runId, teacherId: input.teacherId } });
  if (!p) throw new PayModelError("This teacher has no payment in this run.", 404);
  await tx.$queryRaw`SELECT id FROM "TeacherPayment" WHERE id = ${p.id} FOR UPDATE`;
  const fresh = await tx.teacherPayment.findUniqueOrThrow({ where: { id: p.id } });
  if (fresh.status === "SENT") throw new PayModelError("This teacher was already paid by Stripe transfer.");
  if (fresh.status === "PENDING" && fresh.destination && fresh.attempts > 0) throw new PayModelError("A transfer to this teacher may be on its way; pay the run again to confirm it first.");
  await tx.teacherPayment.update({ where: { id: p.id }, data: { status: "PAID_OUTSIDE", reference: input.reference.trim(), markedById: input.markedById, paidAt: input.now, failureMessage: null } });
  await settleRun(tx, input.runId, input.now);
}

/** The bank's CSV: one row per teacher still to be paid outside Encore (or already marked so). */
export async function payRunCsv(tx: Tx, runId: string) {
  const run = await tx.payRun.findUnique({ where: { id: runId }, select: { label: true } });
  if (!run) throw new PayModelError("No such pay run.", 404);
  const rows = await tx.teacherPayment.findMany({
    where: { runId, OR: [{ destination: null }, { status: { in: ["FAILED", "PAID_OUTSIDE"] } }] },
    orderBy: { teacher: { lastName: "asc" } },
    select: { amountMinor: true, currency: true, status: true, reference: true, teacher: { select: { firstName: true, lastName: true, email: true } } },
  });
  return writeCsv([
    ["Teacher", "Email", "Amount", "Currency", "Payment reference", "Status", "Reference"],
    ...rows.map((r) => [`${r.teacher.firstName} ${r.teacher.lastName}`, r.teacher.email, toDecimalString(money(r.amountMinor, r.currency)), r.currency, `Pay ${run.label}`, r.status === "PAID_OUTSIDE" ? "Paid" : "To pay", r.reference ?? ""]),
  ]);
}

// ---- events ----------------------------------------------------------------------------------------

/**
 * A transfer event (created, updated, reversed), with the transfer as re-read from Stripe (by the
 * caller, before this transaction): brings our record to it. Twice changes nothing more.
 */
export async function syncTransfer(tx: Tx, transfer: Stripe.Transfer, input: { now: Date }) {
  const meta = transfer.metadata ?? {};
  if (meta.teacherPaymentId) {
    const p = await tx.teacherPayment.findUnique({ where: { id: meta.teacherPaymentId }, select: { id: true } });
    if (p) await recordTransfer(tx, p.id, transfer as never, input.now);
    return;
  }
  if (meta.sweepId) await recordSweep(tx, meta.sweepId, transfer as never, input.now);
}

/** `account.updated` for a teacher's account: what Stripe still needs, and whether it takes transfers. */
export async function syncTeacherAccount(tx: Tx, account: Stripe.Account) {
  await tx.teacherStripeAccount.updateMany({
    where: { stripeAccountId: account.id },
    data: {
      detailsSubmitted: Boolean(account.details_submitted),
      payoutsEnabled: Boolean(account.payouts_enabled),
      transfersActive: account.capabilities?.transfers === "active",
      currentlyDue: account.requirements?.currently_due ?? [],
    },
  });
}

// ---- teacher Connect -------------------------------------------------------------------------------

/** Makes the teacher's Express account once (key `connect-teacher:<userId>`), then an Account Link. */
export async function startTeacherOnboarding(db: SchoolDb, stripe: Stripe, input: { userId: string; returnUrl: string; refreshUrl: string }) {
  const found = await db.run(async (tx) => {
    const user = await tx.user.findFirst({ where: { id: input.userId, role: { in: ["TEACHER", "ADMIN"] } }, select: { id: true, email: true, firstName: true, lastName: true, stripeAccount: { select: { stripeAccountId: true } } } });
    const sch = await schoolOf(tx);
    return { user, schoolId: sch.id };
  });
  if (!found.user) throw new PayModelError("Only a teacher of this school can connect a Stripe account for pay.", 403);
  let accountId = found.user.stripeAccount?.stripeAccountId ?? null;
  if (!accountId) {
    const account = await stripe.accounts.create(
      {
        type: "express",
        email: found.user.email,
        business_type: "individual",
        business_profile: { name: `${found.user.firstName} ${found.user.lastName}` },
        capabilities: { transfers: { requested: true } },
        metadata: { schoolId: found.schoolId, userId: found.user.id, kind: "teacher" },
      },
      { idempotencyKey: `connect-teacher:${found.user.id}` },
    );
    accountId = await db.run(async (tx) => {
      await tx.teacherStripeAccount.createMany({ data: [{ userId: input.userId, stripeAccountId: account.id, currentlyDue: account.requirements?.currently_due ?? [] }], skipDuplicates: true });
      return (await tx.teacherStripeAccount.findFirstOrThrow({ where: { userId: input.userId } })).stripeAccountId;
    });
  }
  const minute = Math.floor(Date.now() / 60_000);
  const link = await stripe.accountLinks.create({ account: accountId, type: "account_onboarding", return_url: input.returnUrl, refresh_url: input.refreshUrl }, { idempotencyKey: `account-link:${accountId}:${minute}` });
  return { url: link.url, accountId };
}

// ---- sweeps --------------------------------------------------------------------------------------

export async function recordSweep(tx: Tx, sweepId: string, transfer: { id: string; amount: number; currency: string; amount_reversed: number; reversals?: { data: { id: string; amount: number }[] } }, now: Date) {
  const s = await tx.sweep.findUnique({ where: { id: sweepId } });
  if (!s) return;
  if (s.status !== "SENT") await tx.sweep.update({ where: { id: s.id }, data: { status: "SENT", stripeTransferId: transfer.id, sentAt: now, failureMessage: null } });
  const amount = fromStripeAmount(transfer.amount, transfer.currency);
  await writeHeldEntry(tx, { kind: "SWEEP", amountMinor: amount.amountMinor, currency: amount.currency, postedAt: now, sweepId: s.id, stripeObjectId: transfer.id, memo: s.automatic ? "Automatic sweep to the school's Stripe account" : "Sweep to the school's Stripe account", idempotencyKey: `sweep:${s.id}` });
  for (const r of transfer.reversals?.data ?? []) {
    await writeHeldEntry(tx, { kind: "SWEEP_REVERSAL", amountMinor: fromStripeAmount(r.amount, transfer.currency).amountMinor, currency: amount.currency, postedAt: now, sweepId: s.id, stripeObjectId: r.id, memo: `Sweep ${transfer.id} reversed`, idempotencyKey: `sweep-reversal:${r.id}` });
  }
}

/**
 * Sends what Encore holds for the school beyond what approved runs reserve (or `amountMinor` of
 * it) to the school's own connected account. The sweep is recorded (PENDING) first, Stripe is
 * called with the key `sweep:<id>`, then the result and its SWEEP entry are recorded.
 */
export async function sweepHeld(db: SchoolDb, stripe: Stripe, input: { amountMinor?: number; requestedById: string | null; automatic: boolean; now: Date }) {
  const pending = await db.run(async (tx) => {
    const settings = await paySettings(tx, { lock: true });
    const sch = await schoolOf(tx);
    if (!sch.stripeAccountId) throw new PayModelError("Connect the school's Stripe account first (Settings → Payments).");
    const unfinished = await tx.sweep.findFirst({ where: { status: "PENDING" } });
    if (unfinished) return { sweep: unfinished, destination: sch.stripeAccountId, schoolId: sch.id };
    const f = await heldFunding(tx);
    const amount = input.amountMinor ?? f.available.amountMinor;
    if (!Number.isSafeInteger(amount) || amount <= 0) throw new PayModelError("There is nothing to sweep: everything Encore holds is reserved for approved pay runs.", 409);
    if (amount > f.available.amountMinor) throw new PayModelError(`At most ${formatterFor(sch).moneyMinor(f.available.amountMinor, sch.currency)} can be swept; the rest is reserved for approved pay runs.`, 400);
    const sweep = await tx.sweep.create({ data: { amountMinor: amount, currency: sch.currency, automatic: input.automatic, requestedById: input.requestedById } });
    if (input.automatic) await tx.paySettings.update({ where: { id: settings.id }, data: { lastSweepDate: toLocalDate(input.now, sch.timezone) } });
    return { sweep, destination: sch.stripeAccountId, schoolId: sch.id };
  });
  const s = pending.sweep;
  try {
    const transfer = await stripe.transfers.create(
      { amount: toStripeAmount(money(s.amountMinor, s.currency)), currency: s.currency.toLowerCase(), destination: pending.destination, transfer_group: `sweep:${s.id}`, metadata: { schoolId: pending.schoolId, sweepId: s.id } },
      { idempotencyKey: `sweep:${s.id}` },
    );
    await db.run((tx) => recordSweep(tx, s.id, transfer as never, input.now));
    return { sweepId: s.id, status: "SENT" as const };
  } catch (error) {
    if (isStripeRefusal(error)) {
      await db.run((tx) => tx.sweep.update({ where: { id: s.id }, data: { status: "FAILED", failureMessage: `Stripe refused the sweep: ${stripeMessage(error)}` } }));
      throw new PayModelError(`Stripe refused the sweep: ${stripeMessage(error)}`);
    }
    throw new PayModelError("Stripe did not answer; the sweep will be completed on the next try with the same key.", 503);
  }
}

/** The automatic sweep of one school, when its schedule says today (school's local date). */
export async function autoSweepIfDue(db: SchoolDb, stripe: Stripe, now: Date): Promise<boolean> {
  const due = await db.run(async (tx) => {
    const s = await paySettings(tx);
    const sch = await schoolOf(tx);
    if (!sch.stripeAccountId) return false;
    if (!sweepDue(s.sweepSchedule, toLocalDate(now, sch.timezone), s.lastSweepDate)) return false;
    return (await heldFunding(tx)).available.amountMinor > 0;
  });
  if (!due) return false;
  await sweepHeld(db, stripe, { requestedById: null, automatic: true, now });
  return true;
}

// ---- pages -----------------------------------------------------------------------------------------

export async function payOverview(tx: Tx) {
  const runs = await tx.payRun.findMany({ orderBy: { periodStart: "desc" }, take: 50, select: { id: true, label: true, periodStart: true, periodEnd: true, status: true, totalMinor: true, currency: true, approvedAt: true, paidAt: true } });
  const sweeps = await tx.sweep.findMany({ orderBy: { createdAt: "desc" }, take: 10, select: { id: true, amountMinor: true, currency: true, status: true, automatic: true, createdAt: true, sentAt: true, failureMessage: true } });
  return { runs, sweeps, funding: await heldFunding(tx), settings: await paySettings(tx) };
}

export async function payRunDetail(tx: Tx, runId: string) {
  const run = await tx.payRun.findUnique({ where: { id: runId }, include: { approvedBy: { select: { firstName: true, lastName: true } } } });
  if (!run) return null;
  const lines = await tx.payRunLine.findMany({ where: { runId }, orderBy: [{ localDate: "asc" }, { key: "asc" }], select: { id: true, teacherId: true, occurrenceId: true, kind: true, lessonTitle: true, localDate: true, durationMinutes: true, outcome: true, unresolved: true, rateMinor: true, shareBasisPoints: true, students: true, amountMinor: true, previouslyPaidMinor: true } });
  const adjustments = await tx.payAdjustment.findMany({ where: { runId }, orderBy: { createdAt: "asc" }, select: { id: true, teacherId: true, kind: true, amountMinor: true, reason: true, createdAt: true, createdBy: { select: { firstName: true, lastName: true } } } });
  const payments = await tx.teacherPayment.findMany({ where: { runId }, select: { teacherId: true, amountMinor: true, status: true, destination: true, stripeTransferId: true, failureMessage: true, reference: true, paidAt: true, attempts: true } });
  const teacherIds = [...new Set([...lines.map((l) => l.teacherId), ...adjustments.map((a) => a.teacherId), ...payments.map((p) => p.teacherId)])];
  const people = await tx.user.findMany({ where: { id: { in: teacherIds } }, select: { id: true, firstName: true, lastName: true, stripeAccount: { select: { transfersActive: true } } } });
  const totals = teacherTotals(run.currency, lines, adjustments);
  const teachers = people
    .map((p) => ({
      id: p.id,
      name: `${p.firstName} ${p.lastName}`,
      connected: Boolean(p.stripeAccount?.transfersActive),
      total: totals.find((t) => t.teacherId === p.id) ?? { teacherId: p.id, linesMinor: 0, adjustmentsMinor: 0, totalMinor: 0, unresolved: 0 },
      lines: lines.filter((l) => l.teacherId === p.id).map((l) => ({ ...l, outcomeLabel: l.outcome ? OUTCOME_LABELS[l.outcome as Outcome] : null })),
      adjustments: adjustments.filter((a) => a.teacherId === p.id),
      payment: payments.find((x) => x.teacherId === p.id) ?? null,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const toResolve = teachers.flatMap((t) => t.lines.filter((l) => l.unresolved).map((l) => ({ teacher: t.name, teacherId: t.id, occurrenceId: l.occurrenceId, lesson: l.lessonTitle, date: l.localDate, reason: l.unresolved! })));
  const allTeachers = await tx.user.findMany({ where: { role: "TEACHER", deactivatedAt: null }, orderBy: [{ lastName: "asc" }, { firstName: "asc" }], select: { id: true, firstName: true, lastName: true } });
  return { run, teachers, toResolve, allTeachers };
}

/** A teacher's statements: each run with their lines, adjustments, total, and whether and when it was paid. */
export async function teacherStatements(tx: Tx, teacherId: string) {
  const runs = await tx.payRun.findMany({
    where: { OR: [{ lines: { some: { teacherId } } }, { adjustments: { some: { teacherId } } }] },
    orderBy: { periodStart: "desc" },
    select: { id: true, label: true, periodStart: true, periodEnd: true, status: true, currency: true, approvedAt: true },
  });
  const out = [];
  for (const run of runs) {
    const lines = await tx.payRunLine.findMany({ where: { runId: run.id, teacherId }, orderBy: [{ localDate: "asc" }, { key: "asc" }], select: { id: true, kind: true, lessonTitle: true, localDate: true, durationMinutes: true, outcome: true, unresolved: true, rateMinor: true, shareBasisPoints: true, students: true, amountMinor: true } });
    const adjustments = await tx.payAdjustment.findMany({ where: { runId: run.id, teacherId }, orderBy: { createdAt: "asc" }, select: { id: true, kind: true, amountMinor: true, reason: true } });
    const payment = await tx.teacherPayment.findFirst({ where: { runId: run.id, teacherId }, select: { status: true, paidAt: true, reference: true, stripeTransferId: true } });
    const [total] = teacherTotals(run.currency, lines.map((l) => ({ ...l, teacherId })), adjustments.map((a) => ({ ...a, teacherId })));
    out.push({ run, lines: lines.map((l) => ({ ...l, outcomeLabel: l.outcome ? OUTCOME_LABELS[l.outcome as Outcome] : null })), adjustments, payment, totalMinor: total?.totalMinor ?? 0 });
  }
  const account = await tx.teacherStripeAccount.findFirst({ where: { userId: teacherId }, select: { stripeAccountId: true, detailsSubmitted: true, payoutsEnabled: true, transfersActive: true, currentlyDue: true } });
  return { statements: out, account };
}
