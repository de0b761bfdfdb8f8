// Billing's database layer: thin over the pure core (app/domain/billing.ts, ledger.ts,
// money.ts, invoice-numbers.ts). Reads rows, hands them to the core, writes what it
// returns. Balances and statements are sums of LedgerEntry rows, never stored.
import {
  type BillableChild,
  type DraftInvoice,
  type FamilyTermInput,
  type PriceListLine,
  type SiblingDiscountRule,
  type TaxRule,
  generateTermInvoice,
} from "../domain/billing";
import { formatInvoiceNumber } from "../domain/invoice-numbers";
import { type LedgerEntry, type NewEntry, type ReconciliationProblem, autoAllocate, balance, invoiceStates, reconcile, statement } from "../domain/ledger";
import { type Money, fromDecimalString, money } from "../domain/money";
import type { Closure, Term } from "../domain/terms";
import { addDays, toLocalDate } from "../domain/time";
import type { Prisma } from "../../server/db/clients.server";
import type { Tx } from "../../server/db/school-db.server";
import { patternOf } from "./hybrid.server";
import { loadCalendarRules } from "./scheduling.server";

export class BillingModelError extends Error {}

export async function school(tx: Tx) {
  return tx.school.findFirstOrThrow({ select: { id: true, timezone: true, currency: true } });
}

/** The school's billing settings (defaults when none were saved). */
export async function billingSettings(tx: Tx) {
  const row = await tx.billingSettings.findFirst();
  return {
    taxRateBasisPoints: row?.taxRateBasisPoints ?? 0,
    taxLabel: row?.taxLabel ?? null,
    taxInclusive: row?.taxInclusive ?? false,
    invoicePrefix: row?.invoicePrefix ?? "INV",
    paymentTermsDays: row?.paymentTermsDays ?? 14,
    lateFeeMinor: row?.lateFeeMinor ?? null,
    lateFeeBasisPoints: row?.lateFeeBasisPoints ?? null,
    lateFeeAfterDays: row?.lateFeeAfterDays ?? null,
    reminderDays: row?.reminderDays ?? [7, 21],
    maxInstalments: row?.maxInstalments ?? 1,
    autopayAllowed: row?.autopayAllowed ?? true,
    siblingDiscounts: (row?.siblingDiscounts ?? []) as unknown[],
  };
}

export function taxRule(s: { taxRateBasisPoints: number; taxLabel: string | null; taxInclusive: boolean }): TaxRule | null {
  return s.taxRateBasisPoints > 0 ? { label: s.taxLabel ?? "Tax", rateBasisPoints: s.taxRateBasisPoints, inclusive: s.taxInclusive } : null;
}

/** Sibling rules as stored (JSON): amounts in minor units of the school's currency. */
export function siblingRulesOf(stored: readonly unknown[], currency: string): SiblingDiscountRule[] {
  const out: SiblingDiscountRule[] = [];
  for (const r of stored) {
    const rule = r as { fromPosition?: unknown; kind?: unknown; basisPoints?: unknown; amountMinor?: unknown };
    if (typeof rule.fromPosition !== "number") continue;
    if (rule.kind === "PERCENT" && typeof rule.basisPoints === "number") out.push({ fromPosition: rule.fromPosition, kind: "PERCENT", basisPoints: rule.basisPoints });
    if (rule.kind === "FIXED" && typeof rule.amountMinor === "number") out.push({ fromPosition: rule.fromPosition, kind: "FIXED", amount: money(rule.amountMinor, currency) });
  }
  return out;
}

const decimal = (value: Prisma.Decimal | null, currency: string): Money | null => (value === null ? null : fromDecimalString(value.toString(), currency));

/** The core's input for every family with enrollments in the term (or for one family). */
export async function familyInputs(tx: Tx, termId: string, onlyFamilyId?: string): Promise<FamilyTermInput[]> {
  const sch = await school(tx);
  const settings = await billingSettings(tx);
  const { terms, closures } = await loadCalendarRules(tx);
  const term = terms.find((t) => t.id === termId);
  if (!term) throw new BillingModelError("Choose a term of this school.");
  const priceRows = await tx.priceListLine.findMany({ where: { termId } });
  const priceList: PriceListLine[] = priceRows.map((p) => ({
    id: p.id,
    lessonType: p.lessonType,
    durationMinutes: p.durationMinutes,
    instrument: p.instrument,
    amount: money(p.amountMinor, p.currency),
    basis: p.basis,
  }));
  const termStart = new Date(`${addDays(term.startDate, -1)}T00:00:00Z`);
  const termEnd = new Date(`${addDays(term.endDate, 2)}T00:00:00Z`);
  const enrollments = await tx.enrollment.findMany({
    where: {
      status: { in: ["ACTIVE", "COMPLETED", "UNENROLLED", "DROPPED"] },
      enrolledAt: { lt: termEnd },
      student: { user: { familyGroupId: onlyFamilyId ?? { not: null } } },
      lesson: { startTime: { lt: termEnd }, OR: [{ recurrenceEndDate: null }, { recurrenceEndDate: { gte: termStart } }] },
    },
    orderBy: { id: "asc" },
    select: {
      id: true,
      status: true,
      enrolledAt: true,
      unenrolledAt: true,
      droppedAt: true,
      student: { select: { id: true, dateOfBirth: true, user: { select: { firstName: true, lastName: true, familyGroupId: true } } } },
      lesson: {
        select: {
          id: true,
          title: true,
          type: true,
          instrument: true,
          duration: true,
          startTime: true,
          recurrence: true,
          recurrenceEndDate: true,
          customDates: true,
          locationId: true,
          pricePerStudent: true,
          instructorId: true,
          roomId: true,
          instructor: { select: { firstName: true, lastName: true } },
          hybridConfigs: {
            where: { termId },
            select: {
              id: true,
              lessonId: true,
              termId: true,
              oneOnOneWeeks: true,
              individualDurationMinutes: true,
              groupPricePerStudent: true,
              oneOnOnePricePerStudent: true,
              notifyParentsInAdvance: true,
              bookingsOpenedAt: true,
              bookingReminderDays: true,
            },
          },
        },
      },
    },
  });
  const families = new Map<string, Map<string, BillableChild & { enrollments: BillableChild["enrollments"][number][] }>>();
  for (const e of enrollments) {
    const familyId = e.student.user.familyGroupId!;
    const children = families.get(familyId) ?? new Map();
    families.set(familyId, children);
    const child = children.get(e.student.id) ?? {
      studentId: e.student.id,
      name: `${e.student.user.firstName} ${e.student.user.lastName}`.trim(),
      dateOfBirth: e.student.dateOfBirth ? e.student.dateOfBirth.toISOString().slice(0, 10) : null,
      enrollments: [],
    };
    children.set(e.student.id, child);
    const l = e.lesson;
    const config = l.hybridConfigs[0];
    child.enrollments.push({
      id: e.id,
      status: e.status,
      enrolledAt: e.enrolledAt,
      endedAt: e.unenrolledAt ?? e.droppedAt,
      lesson: {
        id: l.id,
        title: l.title,
        type: l.type,
        instrument: l.instrument,
        durationMinutes: l.duration,
        firstStart: l.startTime,
        recurrence: l.recurrence,
        customDates: l.customDates,
        until: l.recurrenceEndDate ? toLocalDate(l.recurrenceEndDate, sch.timezone) : null,
        locationId: l.locationId,
        pricePerStudent: decimal(l.pricePerStudent, sch.currency),
        hybrid:
          l.type === "HYBRID" && config
            ? {
                pattern: patternOf({ ...config, term, lesson: l } as Parameters<typeof patternOf>[0], sch.timezone),
                groupPrice: decimal(config.groupPricePerStudent, sch.currency),
                individualPrice: decimal(config.oneOnOnePricePerStudent, sch.currency),
              }
            : null,
      },
    });
  }
  const siblingDiscounts = siblingRulesOf(settings.siblingDiscounts, sch.currency);
  return [...families].map(([familyId, children]) => ({
    familyId,
    currency: sch.currency,
    timeZone: sch.timezone,
    term: term as Term,
    closures: closures as Closure[],
    children: [...children.values()],
    priceList,
    siblingDiscounts,
    tax: taxRule(settings),
  }));
}

export async function writeDraft(tx: Tx, draft: DraftInvoice) {
  if (draft.lines.length === 0) return null;
  const existing = await tx.invoice.findFirst({ where: { invoiceKey: draft.invoiceKey, status: "DRAFT" }, select: { id: true } });
  const invoice =
    existing ??
    (await tx.invoice.create({
      data: {
        familyGroupId: draft.familyId,
        termId: draft.termId,
        invoiceKey: draft.invoiceKey,
        currency: draft.currency,
        taxLabel: draft.taxLabel,
        taxInclusive: draft.taxInclusive,
        taxRateBasisPoints: draft.taxRateBasisPoints,
      },
      select: { id: true },
    }));
  const position = await tx.invoiceLine.count({ where: { invoiceId: invoice.id } });
  await tx.invoiceLine.createMany({
    data: draft.lines.map((l, i) => ({
      invoiceId: invoice.id,
      lineKey: l.lineKey,
      kind: l.kind,
      description: l.description,
      quantity: l.quantity,
      unitAmountMinor: l.unitAmount?.amountMinor ?? null,
      basis: l.basis,
      amountMinor: l.amount.amountMinor,
      netMinor: l.net.amountMinor,
      taxMinor: l.tax.amountMinor,
      grossMinor: l.gross.amountMinor,
      position: position + i,
      studentId: l.studentId,
      enrollmentId: l.enrollmentId,
      lessonId: l.lessonId,
    })),
  });
  await refreshTotals(tx, invoice.id);
  return invoice.id;
}

/** An invoice's totals are sums of its lines (removed lines, `voided`, left out). */
export async function refreshTotals(tx: Tx, invoiceId: string) {
  const sums = await tx.invoiceLine.aggregate({ where: { invoiceId, voided: false }, _sum: { netMinor: true, taxMinor: true, grossMinor: true } });
  await tx.invoice.update({
    where: { id: invoiceId },
    data: { netMinor: sums._sum.netMinor ?? 0, taxMinor: sums._sum.taxMinor ?? 0, totalMinor: sums._sum.grossMinor ?? 0 },
  });
}

/**
 * Line keys the term's generation must leave out: every keyed line of an invoice that is
 * not void, including lines an admin removed from a draft (`voided` on a live invoice), so
 * a removed line never comes back. Voiding a whole invoice frees its keys: the next run
 * bills those lessons again on a fresh draft.
 */
export async function takenLineKeys(tx: Tx, termId: string): Promise<Set<string>> {
  const taken = await tx.invoiceLine.findMany({ where: { lineKey: { not: null }, invoice: { termId, status: { not: "VOID" } } }, select: { lineKey: true } });
  return new Set(taken.map((t) => t.lineKey!));
}

/**
 * Draft invoices for every family with enrollments in the term. Line keys already on a
 * non-void invoice are left out, so running it again adds only what is new (and the
 * partial unique index on (schoolId, lineKey) refuses a duplicate from a concurrent run).
 */
/** Draft invoices for every family of the term, or for one (`familyGroupId`). */
export async function generateTermInvoices(tx: Tx, input: { termId: string; now: Date; familyGroupId?: string }) {
  // One generation per term at a time (the term row's lock, FOR NO KEY UPDATE so rows that merely
  // point at the term are not blocked): a line an admin removed from a
  // draft is `voided` and outside the partial unique index, so the index alone cannot stop a
  // concurrent run from adding it back.
  await tx.$queryRaw`SELECT id FROM "Term" WHERE id = ${input.termId} FOR NO KEY UPDATE`;
  const inputs = await familyInputs(tx, input.termId, input.familyGroupId);
  const existingLineKeys = await takenLineKeys(tx, input.termId);
  const invoiceIds: string[] = [];
  const warnings: DraftInvoice["warnings"] = [];
  for (const family of inputs) {
    const draft = generateTermInvoice(family, { existingLineKeys });
    warnings.push(...draft.warnings);
    const id = await writeDraft(tx, draft);
    if (id) invoiceIds.push(id);
  }
  return { invoiceIds, families: inputs.length, warnings };
}

/**
 * Issues a draft: the next gapless number from the school's InvoiceCounter (its row lock,
 * taken by the UPDATE, serializes concurrent issuers; a rollback returns the number), the
 * issue and due dates in the school's zone, and the INVOICE ledger entry.
 */
export async function issueInvoice(tx: Tx, input: { invoiceId: string; now: Date }) {
  const sch = await school(tx);
  const settings = await billingSettings(tx);
  // Lock the invoice first, so two issuers of the same draft cannot both take a number.
  const locked = await tx.$queryRaw<{ status: string }[]>`SELECT status::text FROM "Invoice" WHERE id = ${input.invoiceId} FOR UPDATE`;
  if (locked.length === 0) throw new BillingModelError("No such invoice.");
  if (locked[0]!.status !== "DRAFT") throw new BillingModelError("Only a draft invoice can be issued.");
  const invoice = await tx.invoice.findUniqueOrThrow({ where: { id: input.invoiceId } });
  if (invoice.totalMinor <= 0) throw new BillingModelError("An invoice with nothing to pay cannot be issued.");
  await tx.$executeRaw`INSERT INTO "InvoiceCounter" (id, "schoolId", "lastNumber", "updatedAt") VALUES (${`counter_${sch.id}`}, ${sch.id}, 0, now()) ON CONFLICT ("schoolId") DO NOTHING`;
  const [counter] = await tx.$queryRaw<{ lastNumber: number }[]>`UPDATE "InvoiceCounter" SET "lastNumber" = "lastNumber" + 1, "updatedAt" = now() WHERE "schoolId" = ${sch.id} RETURNING "lastNumber"`;
  const sequence = counter!.lastNumber;
  const number = formatInvoiceNumber(settings.invoicePrefix, sequence);
  const issueDate = toLocalDate(input.now, sch.timezone);
  const dueDate = addDays(issueDate, settings.paymentTermsDays);
  await tx.invoice.update({ where: { id: invoice.id }, data: { status: "ISSUED", sequence, number, issueDate, dueDate, issuedAt: input.now } });
  await tx.ledgerEntry.create({
    data: {
      familyGroupId: invoice.familyGroupId,
      kind: "INVOICE",
      amountMinor: invoice.totalMinor,
      currency: invoice.currency,
      postedAt: input.now,
      invoiceId: invoice.id,
      invoiceNumber: number,
      dueDate,
      idempotencyKey: `invoice:${invoice.id}`,
    },
  });
  // Credit the family already holds (an earlier overpayment) goes to the new invoice.
  await allocateFreeCredit(tx, invoice.familyGroupId, input.now);
  return { id: invoice.id, number, sequence, issueDate, dueDate };
}

const entrySelect = {
  id: true,
  familyGroupId: true,
  kind: true,
  amountMinor: true,
  currency: true,
  postedAt: true,
  invoiceId: true,
  invoiceNumber: true,
  dueDate: true,
  sourceId: true,
  memo: true,
} as const;

function toEntry(row: Prisma.LedgerEntryGetPayload<{ select: typeof entrySelect }>): LedgerEntry {
  return {
    id: row.id,
    accountId: row.familyGroupId,
    kind: row.kind,
    amount: money(row.amountMinor, row.currency),
    postedAt: row.postedAt,
    invoiceId: row.invoiceId,
    invoiceNumber: row.invoiceNumber,
    dueDate: row.dueDate,
    sourceId: row.sourceId,
    memo: row.memo,
  };
}

export async function familyEntries(tx: Tx, familyGroupId: string): Promise<LedgerEntry[]> {
  const rows = await tx.ledgerEntry.findMany({ where: { familyGroupId }, orderBy: [{ postedAt: "asc" }, { id: "asc" }], select: entrySelect });
  return rows.map(toEntry);
}

export async function writeEntries(tx: Tx, familyGroupId: string, entries: readonly NewEntry[], now: Date, keyOf: (e: NewEntry, i: number) => string) {
  for (const [i, e] of entries.entries()) {
    await tx.ledgerEntry.create({
      data: {
        familyGroupId,
        kind: e.kind,
        amountMinor: e.amount.amountMinor,
        currency: e.amount.currency,
        postedAt: now,
        invoiceId: e.invoiceId ?? null,
        sourceId: e.sourceId ?? null,
        memo: e.memo ?? null,
        idempotencyKey: keyOf(e, i),
      },
    });
  }
}

/**
 * Applies every free credit of the family to its open invoices, oldest first (the core's
 * autoAllocate); `firstInvoiceIds` (the invoice a family just paid online) come first.
 */
export async function allocateFreeCredit(tx: Tx, familyGroupId: string, now: Date, options: { firstInvoiceIds?: string[] } = {}) {
  // One allocator per family at a time: the family row's lock.
  await tx.$queryRaw`SELECT id FROM "FamilyGroup" WHERE id = ${familyGroupId} FOR UPDATE`;
  const entries = await familyEntries(tx, familyGroupId);
  const allocations = autoAllocate(entries, familyGroupId, options);
  const stamp = now.getTime();
  await writeEntries(tx, familyGroupId, allocations, now, (e, i) => `allocation:${e.sourceId}:${e.invoiceId}:${stamp}:${i}:${entries.length}`);
}

export type ManualMethod = "CASH" | "BANK_TRANSFER" | "CHECK";

/**
 * A cash, bank transfer or check payment with its reference: a Payment row, its PAYMENT
 * entry, and allocations to the family's open invoices oldest first. What is left over
 * stays as the family's credit for the next invoice. `requestKey` (a one-time key from the
 * form) makes a double submission record one payment: the second returns the first,
 * `repeated`.
 */
export async function recordManualPayment(
  tx: Tx,
  input: { familyGroupId: string; amountMinor: number; method: ManualMethod; reference: string | null; requestKey?: string; recordedById?: string | null; now: Date },
) {
  const sch = await school(tx);
  const amount = money(input.amountMinor, sch.currency);
  if (amount.amountMinor <= 0) throw new BillingModelError("A payment must be more than zero.");
  // The family's row lock: payments of one family are recorded one after the other, so a
  // repeated request key is seen by the second submission.
  const [family] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "FamilyGroup" WHERE id = ${input.familyGroupId} FOR UPDATE`;
  if (!family) throw new BillingModelError("No such family.");
  const key = input.requestKey ? `manual-payment:${input.requestKey}` : null;
  if (key) {
    const earlier = await tx.ledgerEntry.findFirst({ where: { idempotencyKey: key, familyGroupId: family.id }, select: { payment: true } });
    if (earlier?.payment) return { ...earlier.payment, repeated: true };
  }
  const payment = await tx.payment.create({
    data: {
      familyGroupId: family.id,
      amount: toDecimal(amount.amountMinor, sch.currency),
      amountMinor: amount.amountMinor,
      currency: sch.currency,
      status: "COMPLETED",
      method: input.method,
      reference: input.reference,
      recordedById: input.recordedById ?? null,
      paidAt: input.now,
    },
  });
  await tx.ledgerEntry.create({
    data: {
      familyGroupId: family.id,
      kind: "PAYMENT",
      amountMinor: amount.amountMinor,
      currency: sch.currency,
      postedAt: input.now,
      paymentId: payment.id,
      memo: input.reference ? `${input.method} ${input.reference}` : input.method,
      idempotencyKey: key ?? `payment:${payment.id}`,
    },
  });
  await allocateFreeCredit(tx, family.id, input.now);
  return { ...payment, repeated: false };
}

export function toDecimal(amountMinor: number, currency: string): string {
  // Payment.amount is Decimal(10, 2) for the older code; minor units are the truth.
  const digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  const sign = amountMinor < 0 ? "-" : "";
  const s = String(Math.abs(amountMinor)).padStart(digits + 1, "0");
  return digits === 0 ? `${sign}${s}` : `${sign}${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

/** What the family owes (positive) or holds in credit (negative): the sum of its entries. */
export async function familyBalance(tx: Tx, familyGroupId: string): Promise<Money> {
  const sch = await school(tx);
  return balance(await familyEntries(tx, familyGroupId), familyGroupId, sch.currency);
}

/** The family's statement: every entry with its running balance, from the core. */
export async function familyStatement(tx: Tx, familyGroupId: string) {
  const sch = await school(tx);
  return statement(await familyEntries(tx, familyGroupId), familyGroupId, sch.currency);
}

/** The reconciliation check over every family of the school: problems in words, none when it holds. */
export async function reconcileSchool(tx: Tx): Promise<ReconciliationProblem[]> {
  const rows = await tx.ledgerEntry.findMany({ orderBy: [{ postedAt: "asc" }, { id: "asc" }], select: entrySelect });
  const entries = rows.map(toEntry);
  const invoices = await tx.invoice.findMany({ where: { status: { not: "DRAFT" } }, select: { id: true, familyGroupId: true, totalMinor: true, currency: true, status: true } });
  const problems = reconcile(entries);
  // The database side: every issued invoice has exactly its INVOICE entry, for its total.
  const invoiceEntries = new Map(entries.filter((e) => e.kind === "INVOICE").map((e) => [e.invoiceId!, e]));
  for (const inv of invoices) {
    const e = invoiceEntries.get(inv.id);
    if (inv.status === "ISSUED" && (!e || e.amount.amountMinor !== inv.totalMinor || e.accountId !== inv.familyGroupId)) {
      problems.push({ accountId: inv.familyGroupId, message: `Invoice ${inv.id} is issued for ${inv.totalMinor} but its ledger entry says ${e?.amount.amountMinor ?? "nothing"}.` });
    }
  }
  return problems;
}

/**
 * Everything a printed invoice shows, for the admin's print page and the family's: the
 * school (name, logo, address, contact), the family and its paying guardian, the number
 * and dates, the live lines grouped per child, totals with the tax label, what was paid
 * or credited so far (the ledger's allocations) and what is still due. Null when there is
 * no such invoice. Amounts are minor units of `currency`.
 */
export async function invoiceDocument(tx: Tx, invoiceId: string) {
  const invoice = await tx.invoice.findUnique({
    where: { id: invoiceId },
    select: {
      id: true,
      status: true,
      number: true,
      issueDate: true,
      dueDate: true,
      currency: true,
      netMinor: true,
      taxMinor: true,
      totalMinor: true,
      taxLabel: true,
      taxInclusive: true,
      taxRateBasisPoints: true,
      voidReason: true,
      term: { select: { name: true } },
      familyGroup: {
        select: {
          id: true,
          name: true,
          billingEmail: true,
          billingAddress: true,
          admin: { select: { firstName: true, lastName: true, email: true, phone: true } },
        },
      },
      lines: {
        where: { voided: false },
        orderBy: [{ position: "asc" }, { id: "asc" }],
        select: {
          id: true,
          kind: true,
          description: true,
          quantity: true,
          unitAmountMinor: true,
          amountMinor: true,
          netMinor: true,
          taxMinor: true,
          grossMinor: true,
          student: { select: { id: true, user: { select: { firstName: true, lastName: true } } } },
        },
      },
    },
  });
  if (!invoice) return null;
  const sch = await tx.school.findFirstOrThrow({ select: { name: true, logoUrl: true, contactAddress: true, email: true, phone: true, website: true } });
  const settings = await billingSettings(tx);
  const entries = await familyEntries(tx, invoice.familyGroup.id);
  const state = invoiceStates(entries).get(invoice.id);
  // Lines per child, in the order the lines first name them; lines for no child last.
  const groups = new Map<string, { studentId: string | null; name: string | null; lines: typeof lines }>();
  const lines = invoice.lines.map((l) => ({
    id: l.id,
    kind: l.kind,
    description: l.description,
    quantity: l.quantity,
    unitAmountMinor: l.unitAmountMinor,
    amountMinor: l.amountMinor,
    netMinor: l.netMinor,
    taxMinor: l.taxMinor,
    grossMinor: l.grossMinor,
  }));
  invoice.lines.forEach((l, i) => {
    const key = l.student?.id ?? "";
    const group = groups.get(key) ?? { studentId: l.student?.id ?? null, name: l.student ? `${l.student.user.firstName} ${l.student.user.lastName}`.trim() : null, lines: [] };
    groups.set(key, group);
    group.lines.push(lines[i]!);
  });
  const ordered = [...groups.values()].sort((a, b) => (a.studentId === null ? 1 : 0) - (b.studentId === null ? 1 : 0));
  const guardian = invoice.familyGroup.admin;
  const lateFeesMinor = state ? state.total.amountMinor - invoice.totalMinor : 0;
  return {
    school: { name: sch.name, logoUrl: sch.logoUrl, address: sch.contactAddress, email: sch.email, phone: sch.phone, website: sch.website },
    family: {
      id: invoice.familyGroup.id,
      name: invoice.familyGroup.name,
      guardian: `${guardian.firstName} ${guardian.lastName}`.trim(),
      email: invoice.familyGroup.billingEmail ?? guardian.email,
      address: invoice.familyGroup.billingAddress,
    },
    invoice: {
      id: invoice.id,
      status: invoice.status,
      number: invoice.number,
      term: invoice.term?.name ?? null,
      issueDate: invoice.issueDate,
      dueDate: invoice.dueDate,
      currency: invoice.currency,
      netMinor: invoice.netMinor,
      taxMinor: invoice.taxMinor,
      totalMinor: invoice.totalMinor,
      taxLabel: invoice.taxLabel ?? (invoice.taxMinor !== 0 ? "Tax" : null),
      taxInclusive: invoice.taxInclusive,
      taxRateBasisPoints: invoice.taxRateBasisPoints,
      voidReason: invoice.voidReason,
      lateFeesMinor,
      paidMinor: state?.paid.amountMinor ?? 0,
      creditedMinor: state?.credited.amountMinor ?? 0,
      dueMinor: invoice.status === "ISSUED" ? (state?.outstanding.amountMinor ?? invoice.totalMinor) : invoice.status === "VOID" ? 0 : invoice.totalMinor,
    },
    groups: ordered,
    paymentTermsDays: settings.paymentTermsDays,
  };
}

export type InvoiceDocument = NonNullable<Awaited<ReturnType<typeof invoiceDocument>>>;
