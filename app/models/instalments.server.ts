// Paying an invoice in instalments (the rules: app/domain/instalments.ts). A guardian of the
// invoice's family chooses the number of parts on the invoice's page, up to what the school
// allows (BillingSettings.maxInstalments); the schedule is stored once and never changed
// (the app role may only read and add InvoiceInstalment rows). Payments settle it in order,
// the online checkout charges what is due (startCheckout, payments.server.ts), and the
// overdue run and list count from the first instalment not paid (overdue.server.ts).
import type { Tx } from "../../server/db/school-db.server";
import { effectiveDueDate, type InstalmentState, instalmentChoiceProblem, instalmentSchedule, instalmentStates, payableNow } from "../domain/instalments";
import { invoiceStates, type InvoiceState } from "../domain/ledger";
import { type Money, money } from "../domain/money";
import type { LocalDate } from "../domain/time";
import { BillingModelError, billingSettings, familyEntries } from "./billing.server";

export interface InstalmentPlan {
  instalments: InstalmentState[];
  /** What the checkout charges today (zero when all is paid). */
  payable: Money;
  /** The due date the invoice is overdue from: its first instalment not paid. */
  dueDate: LocalDate | null;
}

type Row = { invoiceId: string; sequence: number; amountMinor: number; currency: string; dueDate: string };

function planOf(rows: readonly Row[], state: InvoiceState | undefined, today: LocalDate): InstalmentPlan | null {
  if (rows.length === 0) return null;
  const currency = rows[0]!.currency;
  const schedule = [...rows].sort((a, b) => a.sequence - b.sequence).map((r) => ({ sequence: r.sequence, amount: money(r.amountMinor, r.currency), dueDate: r.dueDate }));
  const states = instalmentStates(schedule, state?.settled ?? money(0, currency), today);
  return { instalments: states, payable: payableNow(states, state?.outstanding ?? money(0, currency), today), dueDate: effectiveDueDate(states) };
}

/** The plans of some invoices (those with one), given their ledger states, on `today`. */
export async function instalmentPlans(tx: Tx, states: ReadonlyMap<string, InvoiceState>, invoiceIds: readonly string[], today: LocalDate): Promise<Map<string, InstalmentPlan>> {
  if (invoiceIds.length === 0) return new Map();
  const rows = await tx.invoiceInstalment.findMany({ where: { invoiceId: { in: [...invoiceIds] } }, select: { invoiceId: true, sequence: true, amountMinor: true, currency: true, dueDate: true } });
  const byInvoice = new Map<string, Row[]>();
  for (const r of rows) byInvoice.set(r.invoiceId, [...(byInvoice.get(r.invoiceId) ?? []), r]);
  const plans = new Map<string, InstalmentPlan>();
  for (const [invoiceId, list] of byInvoice) plans.set(invoiceId, planOf(list, states.get(invoiceId), today)!);
  return plans;
}

/** One invoice's plan on `today`, or null when it is paid in one go. */
export async function instalmentPlan(tx: Tx, invoiceId: string, today: LocalDate): Promise<InstalmentPlan | null> {
  const invoice = await tx.invoice.findUnique({ where: { id: invoiceId }, select: { familyGroupId: true } });
  if (!invoice) return null;
  const states = invoiceStates(await familyEntries(tx, invoice.familyGroupId));
  return (await instalmentPlans(tx, states, [invoiceId], today)).get(invoiceId) ?? null;
}

/** What a family may choose for an invoice: up to `max` parts, or nothing (`max` < 2). */
export async function instalmentOffer(tx: Tx): Promise<{ max: number }> {
  return { max: (await billingSettings(tx)).maxInstalments };
}

/**
 * A guardian splits an issued, unpaid invoice of their family into `count` instalments, the
 * first due today. The invoice row is locked, so two choices at once make one plan (the
 * second is refused in words).
 */
export async function chooseInstalments(tx: Tx, input: { invoiceId: string; familyGroupId: string; count: number; chosenById: string; today: LocalDate }) {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Invoice" WHERE id = ${input.invoiceId} FOR UPDATE`;
  const invoice = locked.length ? await tx.invoice.findUnique({ where: { id: input.invoiceId }, select: { id: true, status: true, familyGroupId: true, currency: true } }) : null;
  if (!invoice || invoice.familyGroupId !== input.familyGroupId) throw new BillingModelError("There is no such invoice for your family.");
  const state = invoiceStates(await familyEntries(tx, invoice.familyGroupId)).get(invoice.id);
  const open = state?.outstanding ?? money(0, invoice.currency);
  const problem = instalmentChoiceProblem({
    count: input.count,
    maxInstalments: (await billingSettings(tx)).maxInstalments,
    open,
    total: state?.total ?? open,
    hasPlan: (await tx.invoiceInstalment.count({ where: { invoiceId: invoice.id } })) > 0,
    status: invoice.status,
  });
  if (problem) throw new BillingModelError(problem);
  const schedule = instalmentSchedule(open, input.count, input.today);
  await tx.invoiceInstalment.createMany({
    data: schedule.map((i) => ({ invoiceId: invoice.id, sequence: i.sequence, amountMinor: i.amount.amountMinor, currency: i.amount.currency, dueDate: i.dueDate, chosenById: input.chosenById })),
  });
  return schedule;
}
