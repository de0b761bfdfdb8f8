// The admin's billing work, over billing.server.ts (the database layer) and the pure core:
// the overview and invoice list, settings and price lists, reviewing and editing drafts,
// issuing (with the email to the paying guardian), voiding, credit notes, a family's
// account and recorded payments (with a receipt), and the mid-term invoice of an
// approved enrollment. Refusals are BillingModelError with a sentence for the admin.
import { generateEnrollmentInvoice, generateTermInvoice, taxLine, type BillingWarning, type SiblingDiscountRule } from "../domain/billing";
import { invoiceStates, sourceStates } from "../domain/ledger";
import { makeFormatter } from "../domain/locale";
import { money } from "../domain/money";
import { pageOf } from "../domain/paging";
import { localDateTimeToUtc, addDays } from "../domain/time";
import type { Tx } from "../../server/db/school-db.server";
import type { Mailer } from "../../server/services/email.server";
import { choiceParam, idParam, pageParam, parseListQuery, searchParam } from "../utils/list-query";
import {
  BillingModelError,
  allocateFreeCredit,
  billingSettings,
  familyEntries,
  familyInputs,
  familyStatement,
  issueInvoice,
  recordManualPayment,
  refreshTotals,
  school as billingSchool,
  takenLineKeys,
  taxRule,
  writeDraft,
  type ManualMethod,
} from "./billing.server";
import { METHOD_LABEL } from "./billing-form";
import { statementView } from "./family-billing.server";
import { recordAuditEvent } from "./people.server";

const PAGE_SIZE = 25;

// ---- terms ---------------------------------------------------------------------------

export async function billingTerms(tx: Tx) {
  return tx.term.findMany({ where: { archivedAt: null }, orderBy: { startDate: "asc" }, select: { id: true, name: true, startDate: true, endDate: true } });
}

/** The term `today` falls in, else the next one, else the last one. */
export function currentTerm<T extends { startDate: string; endDate: string }>(terms: readonly T[], today: string): T | null {
  return terms.find((t) => t.startDate <= today && today <= t.endDate) ?? terms.find((t) => t.startDate > today) ?? terms.at(-1) ?? null;
}

// ---- the overview and the invoice list -------------------------------------------------

/** What is owed (and overdue) over every issued invoice, what came in during the term, and the term's drafts. */
export async function billingOverview(tx: Tx, input: { termId: string | null; today: string }) {
  const sch = await billingSchool(tx);
  const rows = await tx.ledgerEntry.findMany({
    where: { kind: { in: ["INVOICE", "LATE_FEE", "ALLOCATION", "DEALLOCATION"] } },
    select: { id: true, familyGroupId: true, kind: true, amountMinor: true, currency: true, postedAt: true, invoiceId: true, invoiceNumber: true, dueDate: true, sourceId: true },
  });
  const states = invoiceStates(rows.map((r) => ({ ...r, accountId: r.familyGroupId, amount: money(r.amountMinor, r.currency) })));
  let owedMinor = 0;
  let overdueMinor = 0;
  let openCount = 0;
  for (const s of states.values()) {
    if (s.outstanding.amountMinor <= 0) continue;
    owedMinor += s.outstanding.amountMinor;
    openCount += 1;
    if (s.dueDate < input.today) overdueMinor += s.outstanding.amountMinor;
  }
  let collectedMinor = 0;
  let draftCount = 0;
  let draftMinor = 0;
  if (input.termId) {
    const term = await tx.term.findUnique({ where: { id: input.termId }, select: { startDate: true, endDate: true } });
    if (term) {
      const from = localDateTimeToUtc(term.startDate, "00:00", sch.timezone);
      const to = localDateTimeToUtc(addDays(term.endDate, 1), "00:00", sch.timezone);
      const paid = await tx.ledgerEntry.aggregate({ where: { kind: "PAYMENT", postedAt: { gte: from, lt: to } }, _sum: { amountMinor: true } });
      const refunded = await tx.ledgerEntry.aggregate({ where: { kind: "REFUND", postedAt: { gte: from, lt: to } }, _sum: { amountMinor: true } });
      collectedMinor = (paid._sum.amountMinor ?? 0) - (refunded._sum.amountMinor ?? 0);
    }
    const drafts = await tx.invoice.aggregate({ where: { termId: input.termId, status: "DRAFT" }, _count: { _all: true }, _sum: { totalMinor: true } });
    draftCount = drafts._count._all;
    draftMinor = drafts._sum.totalMinor ?? 0;
  }
  return { currency: sch.currency, owedMinor, overdueMinor, openCount, collectedMinor, draftCount, draftMinor };
}

export const INVOICE_STATUSES = ["DRAFT", "ISSUED", "VOID"] as const;

/** The invoice list's filters from its query string; anything odd is ignored. */
export function invoiceFilters(url: string | URL) {
  return parseListQuery(url, { status: choiceParam(INVOICE_STATUSES), term: idParam, q: searchParam, page: pageParam });
}
export type InvoiceFilters = ReturnType<typeof invoiceFilters>;

export async function listInvoices(tx: Tx, f: InvoiceFilters) {
  const where = {
    ...(f.status ? { status: f.status } : {}),
    ...(f.term ? { termId: f.term } : {}),
    ...(f.q ? { OR: [{ familyGroup: { name: { contains: f.q, mode: "insensitive" as const } } }, { number: { contains: f.q, mode: "insensitive" as const } }] } : {}),
  };
  const info = pageOf(await tx.invoice.count({ where }), f.page, PAGE_SIZE);
  const rows = await tx.invoice.findMany({
    where,
    orderBy: [{ status: "asc" }, { sequence: "desc" }, { createdAt: "desc" }, { id: "asc" }],
    skip: info.skip,
    take: PAGE_SIZE,
    select: { id: true, status: true, number: true, issueDate: true, dueDate: true, totalMinor: true, currency: true, familyGroupId: true, familyGroup: { select: { name: true } }, term: { select: { name: true } }, invoiceKey: true },
  });
  const outstanding = await outstandingOf(tx, rows.map((r) => r.id));
  return {
    ...info,
    invoices: rows.map((r) => ({
      id: r.id,
      status: r.status,
      number: r.number,
      family: r.familyGroup.name,
      familyGroupId: r.familyGroupId,
      term: r.term?.name ?? null,
      midTerm: r.invoiceKey?.startsWith("enrollment:") ?? false,
      issueDate: r.issueDate,
      dueDate: r.dueDate,
      totalMinor: r.totalMinor,
      currency: r.currency,
      outstandingMinor: r.status === "ISSUED" ? (outstanding.get(r.id) ?? r.totalMinor) : null,
    })),
  };
}

/** What each of these issued invoices still owes (its INVOICE and LATE_FEE entries less net allocations). */
async function outstandingOf(tx: Tx, invoiceIds: string[]): Promise<Map<string, number>> {
  if (invoiceIds.length === 0) return new Map();
  const rows = await tx.ledgerEntry.findMany({
    where: { invoiceId: { in: invoiceIds } },
    select: { id: true, familyGroupId: true, kind: true, amountMinor: true, currency: true, postedAt: true, invoiceId: true, invoiceNumber: true, dueDate: true, sourceId: true },
  });
  const states = invoiceStates(rows.map((r) => ({ ...r, accountId: r.familyGroupId, amount: money(r.amountMinor, r.currency) })));
  return new Map([...states.values()].map((s) => [s.invoiceId, s.outstanding.amountMinor]));
}

// ---- settings --------------------------------------------------------------------------

export interface BillingSettingsInput {
  taxRateBasisPoints: number;
  taxLabel: string | null;
  taxInclusive: boolean;
  invoicePrefix: string;
  paymentTermsDays: number;
  lateFeeMinor: number | null;
  lateFeeBasisPoints: number | null;
  lateFeeAfterDays: number | null;
  reminderDays: number[];
  maxInstalments: number;
  autopayAllowed: boolean;
  siblingDiscounts: SiblingDiscountRule[];
}

/** The saved row as it is (with the defaults when none was saved). */
export async function loadBillingSettings(tx: Tx) {
  const sch = await billingSchool(tx);
  return { currency: sch.currency, ...(await billingSettings(tx)) };
}

export async function saveBillingSettings(tx: Tx, input: BillingSettingsInput, actorId: string) {
  const data = {
    ...input,
    siblingDiscounts: input.siblingDiscounts.map((r) => (r.kind === "PERCENT" ? { fromPosition: r.fromPosition, kind: r.kind, basisPoints: r.basisPoints } : { fromPosition: r.fromPosition, kind: r.kind, amountMinor: r.amount.amountMinor })),
  };
  const existing = await tx.billingSettings.findFirst({ select: { id: true } });
  if (existing) await tx.billingSettings.update({ where: { id: existing.id }, data });
  else await tx.billingSettings.create({ data });
  await recordAuditEvent(tx, { actedById: actorId, action: "billing.settings_changed", subjectId: null, details: { invoicePrefix: input.invoicePrefix, taxRateBasisPoints: input.taxRateBasisPoints } });
}

// ---- price lists -----------------------------------------------------------------------

export interface PriceLineInput {
  lessonType: "INDIVIDUAL" | "GROUP" | "HYBRID" | "BAND_REHEARSAL" | "ENSEMBLE" | null;
  durationMinutes: number | null;
  instrument: string | null;
  amountMinor: number;
  basis: "PER_TERM" | "PER_LESSON";
}

export async function priceList(tx: Tx, termId: string) {
  return tx.priceListLine.findMany({
    where: { termId },
    orderBy: [{ lessonType: "asc" }, { durationMinutes: "asc" }, { instrument: "asc" }, { id: "asc" }],
    select: { id: true, lessonType: true, durationMinutes: true, instrument: true, amountMinor: true, currency: true, basis: true },
  });
}

/**
 * Lessons of the term that would be billed nothing today, with the core's reasons (no
 * price, two equally specific prices, a hybrid lesson without its prices): a dry run of
 * the term's generation, nothing written.
 */
export async function priceWarnings(tx: Tx, termId: string): Promise<BillingWarning[]> {
  const inputs = await familyInputs(tx, termId);
  return inputs.flatMap((f) => generateTermInvoice(f).warnings);
}

async function termOf(tx: Tx, termId: string) {
  const term = await tx.term.findFirst({ where: { id: termId, archivedAt: null }, select: { id: true } });
  if (!term) throw new BillingModelError("Choose a term of this school.");
  return term;
}

export async function savePriceLine(tx: Tx, input: PriceLineInput & { termId: string; id?: string | null }) {
  await termOf(tx, input.termId);
  const sch = await billingSchool(tx);
  const data = { lessonType: input.lessonType, durationMinutes: input.durationMinutes, instrument: input.instrument, amountMinor: input.amountMinor, currency: sch.currency, basis: input.basis };
  const same = await tx.priceListLine.findFirst({
    where: { termId: input.termId, lessonType: input.lessonType, durationMinutes: input.durationMinutes, instrument: input.instrument === null ? null : { equals: input.instrument, mode: "insensitive" }, ...(input.id ? { id: { not: input.id } } : {}) },
    select: { id: true },
  });
  if (same) throw new BillingModelError("This term already has a price for exactly these lessons. Change that line instead.");
  if (input.id) {
    const found = await tx.priceListLine.findFirst({ where: { id: input.id, termId: input.termId }, select: { id: true } });
    if (!found) throw new BillingModelError("That price line no longer exists. Reload the page.");
    return tx.priceListLine.update({ where: { id: found.id }, data });
  }
  return tx.priceListLine.create({ data: { termId: input.termId, ...data } });
}

export async function removePriceLine(tx: Tx, input: { termId: string; id: string }) {
  const r = await tx.priceListLine.deleteMany({ where: { id: input.id, termId: input.termId } });
  if (r.count === 0) throw new BillingModelError("That price line no longer exists. Reload the page.");
}

// ---- one invoice -----------------------------------------------------------------------

export async function invoiceForAdmin(tx: Tx, invoiceId: string) {
  const invoice = await tx.invoice.findUnique({
    where: { id: invoiceId },
    select: {
      id: true,
      status: true,
      number: true,
      invoiceKey: true,
      issueDate: true,
      dueDate: true,
      issuedAt: true,
      currency: true,
      netMinor: true,
      taxMinor: true,
      totalMinor: true,
      taxLabel: true,
      taxInclusive: true,
      voidedAt: true,
      voidReason: true,
      term: { select: { id: true, name: true } },
      familyGroup: { select: { id: true, name: true, billingEmail: true, admin: { select: { firstName: true, lastName: true, email: true } }, members: { where: { studentProfile: { isNot: null } }, select: { firstName: true, lastName: true, studentProfile: { select: { id: true } } } } } },
      lines: {
        orderBy: [{ position: "asc" }, { id: "asc" }],
        select: { id: true, lineKey: true, kind: true, description: true, quantity: true, unitAmountMinor: true, basis: true, amountMinor: true, netMinor: true, taxMinor: true, grossMinor: true, voided: true, studentId: true, student: { select: { user: { select: { firstName: true, lastName: true } } } } },
      },
    },
  });
  if (!invoice) return null;
  const entries = await familyEntries(tx, invoice.familyGroup.id);
  const state = invoiceStates(entries).get(invoice.id) ?? null;
  const sources = sourceStates(entries);
  const byId = new Map(entries.map((e) => [e.id, e]));
  const payments = await tx.payment.findMany({ where: { ledgerEntries: { some: { id: { in: entries.filter((e) => e.kind === "PAYMENT").map((e) => e.id) } } } }, select: { id: true, method: true, reference: true, ledgerEntries: { where: { kind: "PAYMENT" }, select: { id: true } } } });
  const paymentOfEntry = new Map(payments.flatMap((p) => p.ledgerEntries.map((e) => [e.id, p] as const)));
  const allocations = entries
    .filter((e) => (e.kind === "ALLOCATION" || e.kind === "DEALLOCATION") && e.invoiceId === invoice.id)
    .map((e) => {
      const source = byId.get(e.sourceId ?? "");
      const payment = source ? paymentOfEntry.get(source.id) : undefined;
      return {
        id: e.id,
        kind: e.kind,
        amountMinor: e.amount.amountMinor,
        postedAt: e.postedAt.toISOString(),
        source: source?.kind === "CREDIT_NOTE" ? "CREDIT_NOTE" : "PAYMENT",
        sourceMemo: source?.memo ?? null,
        paymentId: payment?.id ?? null,
        method: payment?.method ?? null,
        reference: payment?.reference ?? null,
      };
    });
  const creditNotes = entries
    .filter((e) => e.kind === "CREDIT_NOTE" && entries.some((a) => a.kind === "ALLOCATION" && a.sourceId === e.id && a.invoiceId === invoice.id))
    .map((e) => ({ id: e.id, amountMinor: e.amount.amountMinor, memo: e.memo ?? null, postedAt: e.postedAt.toISOString(), unallocatedMinor: sources.get(e.id)?.unallocated.amountMinor ?? 0 }));
  return {
    ...invoice,
    issuedAt: invoice.issuedAt?.toISOString() ?? null,
    voidedAt: invoice.voidedAt?.toISOString() ?? null,
    children: invoice.familyGroup.members.filter((m) => m.studentProfile).map((m) => ({ studentId: m.studentProfile!.id, name: `${m.firstName} ${m.lastName}`.trim() })),
    lines: invoice.lines.map(({ student, ...l }) => ({ ...l, child: student ? `${student.user.firstName} ${student.user.lastName}`.trim() : null })),
    totalWithFeesMinor: state?.total.amountMinor ?? invoice.totalMinor,
    settledMinor: state?.settled.amountMinor ?? 0,
    paidMinor: state?.paid.amountMinor ?? 0,
    creditedMinor: state?.credited.amountMinor ?? 0,
    outstandingMinor: state?.outstanding.amountMinor ?? (invoice.status === "DRAFT" ? invoice.totalMinor : 0),
    allocations,
    creditNotes,
  };
}

async function draftOf(tx: Tx, invoiceId: string) {
  const locked = await tx.$queryRaw<{ status: string; familyGroupId: string }[]>`SELECT status::text, "familyGroupId" FROM "Invoice" WHERE id = ${invoiceId} FOR UPDATE`;
  if (locked.length === 0) throw new BillingModelError("No such invoice.");
  if (locked[0]!.status !== "DRAFT") throw new BillingModelError("This invoice was issued meanwhile: an issued invoice cannot be changed. Use a credit note instead.");
  return locked[0]!;
}

/** The tax of a line at its invoice's rate, fixed when the invoice was made (rounded on the line alone). */
async function taxed(tx: Tx, amountMinor: number, invoiceId: string) {
  const invoice = await tx.invoice.findUniqueOrThrow({ where: { id: invoiceId }, select: { currency: true, taxLabel: true, taxInclusive: true, taxRateBasisPoints: true } });
  const rule = taxRule({ taxLabel: invoice.taxLabel, taxInclusive: invoice.taxInclusive, taxRateBasisPoints: invoice.taxRateBasisPoints });
  const t = taxLine(money(amountMinor, invoice.currency), rule);
  return { amountMinor, netMinor: t.net.amountMinor, taxMinor: t.tax.amountMinor, grossMinor: t.gross.amountMinor };
}

export interface LineChange {
  description: string;
  quantity: number;
  /** The price of one (lesson, book…): the line is quantity × it. Null: `amountMinor` is the line's amount as it is (a term price). */
  unitAmountMinor: number | null;
  amountMinor: number | null;
}

function lineAmount(change: LineChange, kind: string): number {
  const amount = change.unitAmountMinor !== null ? change.unitAmountMinor * change.quantity : change.amountMinor;
  if (amount === null || !Number.isSafeInteger(amount)) throw new BillingModelError("Enter the line's price.");
  // A discount stays a discount: it is entered as a positive amount taken off.
  return kind === "SIBLING_DISCOUNT" ? -Math.abs(amount) : amount;
}

/** Changes a draft's line (description, quantity, price); its tax and the invoice's totals follow. */
export async function updateDraftLine(tx: Tx, input: { invoiceId: string; lineId: string; change: LineChange }) {
  await draftOf(tx, input.invoiceId);
  const line = await tx.invoiceLine.findFirst({ where: { id: input.lineId, invoiceId: input.invoiceId, voided: false }, select: { id: true, kind: true, invoice: { select: { currency: true } } } });
  if (!line) throw new BillingModelError("That line is no longer on this draft. Reload the page.");
  const amount = lineAmount(input.change, line.kind);
  await tx.invoiceLine.update({
    where: { id: line.id },
    data: { description: input.change.description, quantity: input.change.quantity, unitAmountMinor: input.change.unitAmountMinor, ...(await taxed(tx, amount, input.invoiceId)) },
  });
  await refreshTotals(tx, input.invoiceId);
}

/**
 * Takes a line off a draft. A generated line (it has a key) is kept, marked `voided`, so
 * the term's generation knows the lesson was billed and decided, and never adds it again;
 * a custom line is deleted.
 */
export async function removeDraftLine(tx: Tx, input: { invoiceId: string; lineId: string }) {
  await draftOf(tx, input.invoiceId);
  const line = await tx.invoiceLine.findFirst({ where: { id: input.lineId, invoiceId: input.invoiceId, voided: false }, select: { id: true, lineKey: true } });
  if (!line) throw new BillingModelError("That line is no longer on this draft. Reload the page.");
  if (line.lineKey) await tx.invoiceLine.update({ where: { id: line.id }, data: { voided: true } });
  else await tx.invoiceLine.delete({ where: { id: line.id } });
  await refreshTotals(tx, input.invoiceId);
}

/** Puts a removed generated line back on its draft (refused if the same lesson is billed live elsewhere). */
export async function restoreDraftLine(tx: Tx, input: { invoiceId: string; lineId: string }) {
  await draftOf(tx, input.invoiceId);
  const line = await tx.invoiceLine.findFirst({ where: { id: input.lineId, invoiceId: input.invoiceId, voided: true }, select: { id: true, lineKey: true } });
  if (!line) throw new BillingModelError("That line is not removed. Reload the page.");
  const live = line.lineKey ? await tx.invoiceLine.findFirst({ where: { lineKey: line.lineKey, voided: false }, select: { id: true } }) : null;
  if (live) throw new BillingModelError("That lesson is already billed on another invoice.");
  await tx.invoiceLine.update({ where: { id: line.id }, data: { voided: false } });
  await refreshTotals(tx, input.invoiceId);
}

/** A line of the admin's own (books, an exam fee) on a draft, taxed as the settings say. */
export async function addCustomLine(tx: Tx, input: { invoiceId: string; description: string; quantity: number; unitAmountMinor: number; studentId: string | null }) {
  const draft = await draftOf(tx, input.invoiceId);
  const invoice = await tx.invoice.findUniqueOrThrow({ where: { id: input.invoiceId }, select: { currency: true } });
  if (input.studentId) {
    const child = await tx.student.findFirst({ where: { id: input.studentId, user: { familyGroupId: draft.familyGroupId } }, select: { id: true } });
    if (!child) throw new BillingModelError("Choose a child of this family, or none.");
  }
  const amount = input.unitAmountMinor * input.quantity;
  if (!Number.isSafeInteger(amount)) throw new BillingModelError("That amount is too large.");
  const last = await tx.invoiceLine.aggregate({ where: { invoiceId: input.invoiceId }, _max: { position: true } });
  await tx.invoiceLine.create({
    data: {
      invoiceId: input.invoiceId,
      lineKey: null,
      kind: "CUSTOM",
      description: input.description,
      quantity: input.quantity,
      unitAmountMinor: input.unitAmountMinor,
      basis: null,
      position: (last._max.position ?? -1) + 1,
      studentId: input.studentId,
      ...(await taxed(tx, amount, input.invoiceId)),
    },
  });
  await refreshTotals(tx, input.invoiceId);
}

/**
 * A one-line invoice issued at once (the registration fee of a family enrolling online):
 * taxed per the settings, numbered and in the ledger like any other, so the family pays it
 * from its billing page. `invoiceKey` makes a second call for the same thing a no-op.
 */
export async function issueFeeInvoice(tx: Tx, input: { familyGroupId: string; invoiceKey: string; description: string; amountMinor: number; now: Date }) {
  const existing = await tx.invoice.findFirst({ where: { invoiceKey: input.invoiceKey, status: { not: "VOID" } }, select: { id: true } });
  if (existing) return existing.id;
  const settings = await billingSettings(tx);
  const { currency } = await billingSchool(tx);
  const invoice = await tx.invoice.create({
    data: { familyGroupId: input.familyGroupId, invoiceKey: input.invoiceKey, currency, taxLabel: settings.taxLabel, taxInclusive: settings.taxInclusive, taxRateBasisPoints: settings.taxRateBasisPoints },
    select: { id: true },
  });
  await addCustomLine(tx, { invoiceId: invoice.id, description: input.description, quantity: 1, unitAmountMinor: input.amountMinor, studentId: null });
  await issueInvoice(tx, { invoiceId: invoice.id, now: input.now });
  return invoice.id;
}

// ---- issuing ---------------------------------------------------------------------------

async function payingGuardian(tx: Tx, familyGroupId: string) {
  const family = await tx.familyGroup.findUniqueOrThrow({ where: { id: familyGroupId }, select: { name: true, billingEmail: true, adminId: true, admin: { select: { firstName: true, email: true } } } });
  const to = family.billingEmail ?? family.admin.email;
  return { to: to.endsWith(".invalid") ? null : to, firstName: family.admin.firstName, adminId: family.adminId, familyName: family.name };
}

async function formatter(tx: Tx) {
  const s = await tx.school.findFirstOrThrow({ select: { name: true, locale: true, timezone: true, currency: true } });
  return { name: s.name, fmt: makeFormatter({ locale: s.locale, timeZone: s.timezone, currency: s.currency }) };
}

/** Issues a draft (a gapless number, the INVOICE entry) and emails the paying guardian in the same transaction. */
export async function issueAndSend(tx: Tx, mailer: Mailer, input: { invoiceId: string; now: Date; origin: string }) {
  const issued = await issueInvoice(tx, { invoiceId: input.invoiceId, now: input.now });
  const invoice = await tx.invoice.findUniqueOrThrow({ where: { id: issued.id }, select: { familyGroupId: true, totalMinor: true, currency: true, term: { select: { name: true } } } });
  const guardian = await payingGuardian(tx, invoice.familyGroupId);
  if (guardian.to) {
    const { name, fmt } = await formatter(tx);
    const total = fmt.moneyMinor(invoice.totalMinor, invoice.currency);
    await mailer.send(tx, {
      to: guardian.to,
      subject: `Invoice ${issued.number} from ${name}: ${total}`,
      text: [
        `Dear ${guardian.firstName},`,
        "",
        `${name} has issued invoice ${issued.number}${invoice.term ? ` for ${invoice.term.name}` : ""}: ${total}, due by ${fmt.day(issued.dueDate, { weekday: undefined, year: "numeric" })}.`,
        "",
        `Read, print or pay it on your family's billing page: ${input.origin}/family/billing`,
        "",
        `Thank you,`,
        name,
      ].join("\n"),
    });
  }
  return { ...issued, emailed: guardian.to !== null };
}

/**
 * Issues every draft of the term with something to pay, one after another in this
 * transaction (each takes the next number), and emails each family. Drafts with a zero
 * or negative total are left as they are and counted.
 */
export async function issueTermDrafts(tx: Tx, mailer: Mailer, input: { termId: string; now: Date; origin: string }) {
  await termOf(tx, input.termId);
  const drafts = await tx.invoice.findMany({ where: { termId: input.termId, status: "DRAFT" }, orderBy: [{ familyGroup: { name: "asc" } }, { id: "asc" }], select: { id: true, totalMinor: true } });
  let issued = 0;
  let skipped = 0;
  for (const d of drafts) {
    if (d.totalMinor <= 0) {
      skipped += 1;
      continue;
    }
    await issueAndSend(tx, mailer, { invoiceId: d.id, now: input.now, origin: input.origin });
    issued += 1;
  }
  return { issued, skipped };
}

// ---- void and credit notes ---------------------------------------------------------------

async function issuedOf(tx: Tx, invoiceId: string) {
  const locked = await tx.$queryRaw<{ status: string; familyGroupId: string }[]>`SELECT status::text, "familyGroupId" FROM "Invoice" WHERE id = ${invoiceId} FOR UPDATE`;
  if (locked.length === 0) throw new BillingModelError("No such invoice.");
  return locked[0]!;
}

/**
 * Voids an issued invoice nothing was paid or credited on: status VOID with the reason,
 * its lines voided (their lessons may be billed again), and a CREDIT_NOTE entry for what
 * it charged, allocated to it, so the family's balance drops by exactly that and the
 * invoice owes nothing. Keys `void:<id>` and `void-allocation:<id>`: it happens once.
 */
export async function voidInvoice(tx: Tx, input: { invoiceId: string; reason: string; actorId: string; now: Date }) {
  const inv = await issuedOf(tx, input.invoiceId);
  if (inv.status === "VOID") throw new BillingModelError("This invoice is already void.");
  if (inv.status === "DRAFT") throw new BillingModelError("A draft is not owed: remove its lines or leave it unissued instead of voiding it.");
  await tx.$queryRaw`SELECT id FROM "FamilyGroup" WHERE id = ${inv.familyGroupId} FOR UPDATE`;
  const entries = await familyEntries(tx, inv.familyGroupId);
  const state = invoiceStates(entries).get(input.invoiceId);
  if (!state) throw new BillingModelError("This invoice has no ledger entry; run the ledger check.");
  if (state.settled.amountMinor !== 0) throw new BillingModelError("Payments or credit notes are applied to this invoice, so it cannot be voided. Issue a credit note for what is still owed instead.");
  const invoice = await tx.invoice.update({ where: { id: input.invoiceId }, data: { status: "VOID", voidedAt: input.now, voidReason: input.reason }, select: { number: true, currency: true, familyGroupId: true } });
  await tx.invoiceLine.updateMany({ where: { invoiceId: input.invoiceId }, data: { voided: true } });
  const credit = await tx.ledgerEntry.create({
    data: { familyGroupId: inv.familyGroupId, kind: "CREDIT_NOTE", amountMinor: state.total.amountMinor, currency: invoice.currency, postedAt: input.now, invoiceId: input.invoiceId, memo: `void: ${input.reason}`, idempotencyKey: `void:${input.invoiceId}` },
  });
  await tx.ledgerEntry.create({
    data: { familyGroupId: inv.familyGroupId, kind: "ALLOCATION", amountMinor: state.total.amountMinor, currency: invoice.currency, postedAt: input.now, invoiceId: input.invoiceId, sourceId: credit.id, idempotencyKey: `void-allocation:${input.invoiceId}` },
  });
  const guardian = await payingGuardian(tx, inv.familyGroupId);
  await recordAuditEvent(tx, { actedById: input.actorId, action: "billing.invoice_voided", subjectId: guardian.adminId, details: { invoice: invoice.number, amountMinor: state.total.amountMinor, reason: input.reason } });
  return { number: invoice.number, amountMinor: state.total.amountMinor };
}

/**
 * A credit note on an issued invoice, full or partial, with its reason: a CREDIT_NOTE entry
 * allocated to this invoice first (what it no longer owes), any rest to the family's other
 * open invoices or kept as credit. At most the invoice's total less what was already credited.
 * `requestKey` (from the form) makes a double submission land once.
 */
export async function issueCreditNote(tx: Tx, input: { invoiceId: string; amountMinor: number; reason: string; requestKey: string; actorId: string; now: Date }) {
  const inv = await issuedOf(tx, input.invoiceId);
  if (inv.status !== "ISSUED") throw new BillingModelError("Only an issued invoice can be credited.");
  const key = `credit-note:${input.invoiceId}:${input.requestKey}`;
  // The family's row lock first, then the key: a second submission waits for the first and sees its entry.
  await tx.$queryRaw`SELECT id FROM "FamilyGroup" WHERE id = ${inv.familyGroupId} FOR UPDATE`;
  if (await tx.ledgerEntry.findFirst({ where: { idempotencyKey: key }, select: { id: true } })) return { repeated: true };
  const entries = await familyEntries(tx, inv.familyGroupId);
  const state = invoiceStates(entries).get(input.invoiceId);
  if (!state) throw new BillingModelError("This invoice has no ledger entry; run the ledger check.");
  const creditable = state.total.amountMinor - state.credited.amountMinor;
  if (input.amountMinor <= 0) throw new BillingModelError("A credit note must be more than zero.");
  if (input.amountMinor > creditable) throw new BillingModelError("A credit note cannot be more than the invoice less what was already credited on it.");
  const invoice = await tx.invoice.findUniqueOrThrow({ where: { id: input.invoiceId }, select: { number: true, currency: true } });
  await tx.ledgerEntry.create({
    data: { familyGroupId: inv.familyGroupId, kind: "CREDIT_NOTE", amountMinor: input.amountMinor, currency: invoice.currency, postedAt: input.now, invoiceId: input.invoiceId, memo: input.reason, idempotencyKey: key },
  });
  await allocateFreeCredit(tx, inv.familyGroupId, input.now, { firstInvoiceIds: [input.invoiceId] });
  const guardian = await payingGuardian(tx, inv.familyGroupId);
  await recordAuditEvent(tx, { actedById: input.actorId, action: "billing.credit_note", subjectId: guardian.adminId, details: { invoice: invoice.number, amountMinor: input.amountMinor, reason: input.reason } });
  return { repeated: false };
}

// ---- a family's account ----------------------------------------------------------------

export async function familyAccount(tx: Tx, familyGroupId: string) {
  const family = await tx.familyGroup.findUnique({
    where: { id: familyGroupId },
    select: { id: true, name: true, billingEmail: true, admin: { select: { id: true, firstName: true, lastName: true, email: true } }, members: { where: { studentProfile: { isNot: null } }, select: { firstName: true, lastName: true, studentProfile: { select: { id: true } } } } },
  });
  if (!family) return null;
  const sch = await billingSchool(tx);
  const st = await familyStatement(tx, familyGroupId);
  const entries = await familyEntries(tx, familyGroupId);
  const states = invoiceStates(entries);
  const sources = sourceStates(entries);
  const invoices = await tx.invoice.findMany({ where: { familyGroupId }, orderBy: [{ status: "asc" }, { sequence: "desc" }, { createdAt: "desc" }], select: { id: true, number: true, status: true, dueDate: true, issueDate: true, totalMinor: true, term: { select: { name: true } } } });
  const payments = await tx.payment.findMany({
    where: { familyGroupId, amountMinor: { not: null } },
    orderBy: [{ paidAt: "desc" }, { id: "desc" }],
    select: { id: true, method: true, reference: true, amountMinor: true, currency: true, status: true, paidAt: true, ledgerEntries: { where: { kind: "PAYMENT" }, select: { id: true } } },
  });
  const invoiceNumbers = new Map(invoices.map((i) => [i.id, i.number]));
  return {
    family: { id: family.id, name: family.name, email: family.billingEmail ?? family.admin.email, guardian: `${family.admin.firstName} ${family.admin.lastName}`.trim() },
    children: family.members.map((m) => ({ studentId: m.studentProfile!.id, name: `${m.firstName} ${m.lastName}`.trim() })),
    currency: sch.currency,
    balanceMinor: st.closing.amountMinor,
    freeCreditMinor: [...sources.values()].reduce((n, s) => n + Math.max(0, s.unallocated.amountMinor), 0),
    statement: statementView(st, { audience: "staff", invoiceNumbers }).lines,
    invoices: invoices.map((i) => ({ ...i, term: i.term?.name ?? null, outstandingMinor: i.status === "ISSUED" ? (states.get(i.id)?.outstanding.amountMinor ?? i.totalMinor) : null })),
    payments: payments.map((p) => {
      const s = p.ledgerEntries[0] ? sources.get(p.ledgerEntries[0].id) : undefined;
      return { id: p.id, method: p.method, reference: p.reference, amountMinor: p.amountMinor!, currency: p.currency, status: p.status, paidAt: p.paidAt?.toISOString() ?? null, unallocatedMinor: s?.unallocated.amountMinor ?? 0 };
    }),
    creditNotes: [...sources.values()]
      .filter((s) => s.kind === "CREDIT_NOTE")
      .map((s) => {
        const e = entries.find((x) => x.id === s.sourceId)!;
        return { id: s.sourceId, amountMinor: s.amount.amountMinor, postedAt: s.postedAt.toISOString(), memo: e.memo ?? null, invoiceNumber: e.invoiceId ? (invoiceNumbers.get(e.invoiceId) ?? null) : null, unallocatedMinor: s.unallocated.amountMinor };
      }),
  };
}


/**
 * Records a cash, bank-transfer or check payment (the ledger and its allocations, in
 * billing.server.ts) and emails the paying guardian a receipt.
 */
export async function recordPaymentWithReceipt(
  tx: Tx,
  mailer: Mailer,
  input: { familyGroupId: string; amountMinor: number; method: ManualMethod; reference: string | null; requestKey: string; actorId: string; now: Date },
) {
  const family = await tx.familyGroup.findUnique({ where: { id: input.familyGroupId }, select: { id: true } });
  if (!family) throw new BillingModelError("No such family.");
  const payment = await recordManualPayment(tx, { familyGroupId: family.id, amountMinor: input.amountMinor, method: input.method, reference: input.reference, requestKey: input.requestKey, recordedById: input.actorId, now: input.now });
  if (payment.repeated) return { paymentId: payment.id, emailed: false, repeated: true };
  const guardian = await payingGuardian(tx, family.id);
  const { name, fmt } = await formatter(tx);
  const st = await familyStatement(tx, family.id);
  const amount = fmt.moneyMinor(input.amountMinor);
  const bal = st.closing.amountMinor;
  if (guardian.to) {
    await mailer.send(tx, {
      to: guardian.to,
      subject: `Receipt from ${name}: ${amount} received`,
      text: [
        `Dear ${guardian.firstName},`,
        "",
        `${name} received ${amount} from the ${guardian.familyName} on ${fmt.date(input.now)} (${METHOD_LABEL[input.method]}${input.reference ? `, reference ${input.reference}` : ""}). Receipt number: ${payment.id}.`,
        "",
        bal > 0 ? `Still owed: ${fmt.moneyMinor(bal)}.` : bal < 0 ? `Your account now holds ${fmt.moneyMinor(-bal)} of credit, applied to your next invoice.` : "Your account is settled: nothing is owed.",
        "",
        `Thank you,`,
        name,
      ].join("\n"),
    });
  }
  await recordAuditEvent(tx, { actedById: input.actorId, action: "billing.payment_recorded", subjectId: guardian.adminId, details: { amountMinor: input.amountMinor, method: input.method, reference: input.reference } });
  return { paymentId: payment.id, emailed: guardian.to !== null, repeated: false };
}

// ---- an enrollment approved mid-term -------------------------------------------------------

/**
 * The prorated invoice of an enrollment approved after its term's invoices were generated:
 * a DRAFT of its own (`enrollment:<id>:term:<id>`), for each such term the lesson runs in,
 * with the line keys the term run uses, so neither ever bills it twice. A term not yet
 * generated gets nothing here: its run will bill the enrollment with the family's others.
 * Returns the drafts made.
 */
export async function invoiceApprovedEnrollment(tx: Tx, enrollmentId: string) {
  const enrollment = await tx.enrollment.findUnique({ where: { id: enrollmentId }, select: { id: true, status: true, student: { select: { user: { select: { familyGroupId: true } } } } } });
  const familyId = enrollment?.student.user.familyGroupId;
  if (!enrollment || enrollment.status !== "ACTIVE" || !familyId) return [];
  const generated = await tx.invoice.findMany({ where: { invoiceKey: { startsWith: "family:" }, status: { not: "VOID" }, term: { archivedAt: null } }, distinct: ["termId"], select: { termId: true } });
  const made: string[] = [];
  for (const { termId } of generated) {
    if (!termId) continue;
    await tx.$queryRaw`SELECT id FROM "Term" WHERE id = ${termId} FOR NO KEY UPDATE`;
    const [family] = await familyInputs(tx, termId, familyId);
    if (!family || !family.children.some((c) => c.enrollments.some((e) => e.id === enrollment.id))) continue;
    const draft = generateEnrollmentInvoice(family, enrollment.id, { existingLineKeys: await takenLineKeys(tx, termId) });
    const id = await writeDraft(tx, draft);
    if (id) made.push(id);
  }
  return made;
}

/** The choices of a price line's form: the school's instruments and lesson lengths. */
export async function priceChoices(tx: Tx) {
  const [instruments, durations] = await Promise.all([
    tx.instrument.findMany({ orderBy: { name: "asc" }, select: { name: true } }),
    tx.lessonDuration.findMany({ orderBy: { minutes: "asc" }, select: { minutes: true } }),
  ]);
  return { instruments: instruments.map((i) => i.name), durations: durations.map((d) => d.minutes) };
}
