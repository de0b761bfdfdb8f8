// What a family sees of its account (/family/billing) and the receipt of a payment, for the
// family and the school's admins alike. Everything is read from the ledger (balances,
// what each invoice still owes, what each payment paid): app/domain/ledger.ts.
import type { Tx } from "../../server/db/school-db.server";
import { balance, invoiceStates, sourceStates, type Statement, statement } from "../domain/ledger";
import type { Money } from "../domain/money";
import { daysBetween, type LocalDate } from "../domain/time";
import { LEDGER_KIND_LABEL, METHOD_LABEL, paymentMemo } from "./billing-form";
import { instalmentPlans } from "./instalments.server";
import { ledgerEntries } from "./overdue.server";

export const paymentMethodLabel = (method: string) => METHOD_LABEL[method] ?? method;

/** The family account of a parent; null for anyone else (a student, a parent without a family). */
export async function familyOfParent(tx: Tx, userId: string): Promise<{ id: string; name: string } | null> {
  const user = await tx.user.findUnique({ where: { id: userId }, select: { role: true, familyGroup: { select: { id: true, name: true } } } });
  if (!user || user.role !== "PARENT") return null;
  return user.familyGroup ?? null;
}

const amount = (m: Money) => ({ amountMinor: m.amountMinor, currency: m.currency });

/**
 * A statement's lines as its table shows them (app/components/statement-table.tsx), for the
 * school's staff or for the family. Each line is named by its kind, with the invoice's number
 * and, for staff, the entry's memo (a credit note's reason, a dispute's id); the family sees
 * how a payment was made and what a late fee was for, not the school's notes.
 */
export function statementView(st: Statement, opts: { audience: "staff" | "family"; invoiceNumbers?: ReadonlyMap<string, string | null> }) {
  return {
    lines: st.lines.map((l) => {
      const e = l.entry;
      const number = e.invoiceNumber ?? (e.invoiceId ? (opts.invoiceNumbers?.get(e.invoiceId) ?? null) : null);
      // A late fee's memo ("Late fee on HMA-000011") only repeats its label and number when it has one.
      const memo = e.kind === "PAYMENT" ? paymentMemo(e.memo ?? null) : e.kind === "LATE_FEE" ? (number ? null : (e.memo ?? null)) : opts.audience === "staff" ? (e.memo ?? null) : null;
      return {
        id: e.id,
        postedAt: e.postedAt,
        kind: e.kind,
        label: LEDGER_KIND_LABEL[e.kind] ?? e.kind,
        detail: [number, memo].filter((x, i, all) => x && all.indexOf(x) === i).join(" · ") || null,
        signed: amount(l.signed),
        balance: amount(l.balance),
      };
    }),
    closing: amount(st.closing),
  };
}

/**
 * The family's account on the school's local date `today`: the balance (owed, or credit
 * held), open invoices (overdue flagged), settled and void invoices, payments (each with
 * its receipt) and the statement with its running balance.
 */
export async function familyBilling(tx: Tx, familyGroupId: string, today: LocalDate) {
  const school = await tx.school.findFirstOrThrow({ select: { currency: true } });
  const entries = await ledgerEntries(tx, [familyGroupId]);
  const states = invoiceStates(entries);
  const sources = sourceStates(entries);
  const invoices = await tx.invoice.findMany({
    where: { familyGroupId, status: { in: ["ISSUED", "VOID"] } },
    orderBy: [{ dueDate: "asc" }, { sequence: "asc" }],
    select: { id: true, number: true, status: true, issueDate: true, dueDate: true, totalMinor: true, currency: true, term: { select: { name: true } } },
  });
  const plans = await instalmentPlans(tx, states, invoices.filter((i) => i.status === "ISSUED").map((i) => i.id), today);
  // Online payments not settled (a bank debit under way) or that did not go through (the latest per invoice).
  const online = await tx.payment.findMany({
    where: { familyGroupId, method: "STRIPE", invoiceId: { not: null }, OR: [{ status: { in: ["PROCESSING", "COMPLETED"] } }, { status: "FAILED", failureMessage: { not: null } }] },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { invoiceId: true, status: true, failureMessage: true, amountMinor: true, currency: true, createdAt: true },
  });
  const lastOnline = new Map(online.map((p) => [p.invoiceId!, p]));
  const rows = invoices.map((inv) => {
    const s = states.get(inv.id);
    const outstanding = s?.outstanding.amountMinor ?? 0;
    // Paid in instalments: due (and overdue) from the first instalment not paid, and "Pay" charges what is due now.
    const plan = plans.get(inv.id);
    const dueDate = plan ? (plan.dueDate ?? inv.dueDate) : inv.dueDate;
    const next = plan?.instalments.find((i) => i.remaining.amountMinor > 0);
    const daysOverdue = dueDate ? daysBetween(dueDate, today) : 0;
    return {
      id: inv.id,
      number: inv.number,
      term: inv.term?.name ?? null,
      status: inv.status,
      issueDate: inv.issueDate,
      dueDate,
      payNow: { amountMinor: plan ? plan.payable.amountMinor : outstanding, currency: inv.currency },
      instalment: next && plan ? { sequence: next.sequence, of: plan.instalments.length } : null,
      total: s ? amount(s.total) : { amountMinor: inv.totalMinor, currency: inv.currency },
      paid: s ? amount(s.settled) : { amountMinor: 0, currency: inv.currency },
      outstanding: { amountMinor: outstanding, currency: inv.currency },
      overdue: inv.status === "ISSUED" && outstanding > 0 && daysOverdue > 0,
      // Not credited until the bank says it is paid; a failure is shown until a payment succeeds.
      processing: lastOnline.get(inv.id)?.status === "PROCESSING" ? { amountMinor: lastOnline.get(inv.id)!.amountMinor ?? 0, currency: inv.currency } : null,
      lastFailure: lastOnline.get(inv.id)?.status === "FAILED" ? lastOnline.get(inv.id)!.failureMessage : null,
      daysOverdue: Math.max(0, daysOverdue),
    };
  });
  const payments = await tx.payment.findMany({
    where: { familyGroupId, ledgerEntries: { some: { kind: "PAYMENT" } } },
    orderBy: [{ paidAt: "desc" }, { id: "desc" }],
    select: { id: true, amountMinor: true, currency: true, method: true, reference: true, paidAt: true, createdAt: true, ledgerEntries: { where: { kind: "PAYMENT" }, select: { id: true, memo: true } } },
  });
  const st = statement(entries, familyGroupId, school.currency);
  const bal = balance(entries, familyGroupId, school.currency);
  return {
    balance: amount(bal),
    open: rows.filter((r) => r.status === "ISSUED" && r.outstanding.amountMinor > 0),
    settled: rows.filter((r) => !(r.status === "ISSUED" && r.outstanding.amountMinor > 0)),
    payments: payments.map((p) => {
      const source = p.ledgerEntries[0] ? sources.get(p.ledgerEntries[0].id) : undefined;
      return {
        id: p.id,
        amount: { amountMinor: p.amountMinor ?? source?.amount.amountMinor ?? 0, currency: p.currency },
        // An online payment by bank debit (its ledger entry says so) is not a card payment.
        method: p.method === "STRIPE" && p.ledgerEntries[0]?.memo?.startsWith("Bank debit") ? "Bank debit (online)" : paymentMethodLabel(p.method),
        reference: p.reference,
        paidAt: p.paidAt ?? p.createdAt,
        refunded: source ? amount(source.refunded) : null,
      };
    }),
    statement: statementView(st, { audience: "family" }),
  };
}

/** The family's balance alone (the family home shows it when something is owed). */
export async function familyBalanceOf(tx: Tx, familyGroupId: string) {
  const school = await tx.school.findFirstOrThrow({ select: { currency: true } });
  const entries = await ledgerEntries(tx, [familyGroupId]);
  const open = [...invoiceStates(entries).values()].filter((i) => i.outstanding.amountMinor > 0);
  return { balance: amount(balance(entries, familyGroupId, school.currency)), openInvoices: open.length };
}

export type Receipt = NonNullable<Awaited<ReturnType<typeof paymentReceipt>>>;

/**
 * A payment's receipt: the school, the family, the amount, method, reference and date, what
 * invoices it paid (net of any allocation undone), what was refunded, and the credit it
 * left. Null when there is no such recorded payment, or it is not `familyGroupId`'s (a
 * family asking for another family's receipt gets the same answer as for none).
 */
export async function paymentReceipt(tx: Tx, paymentId: string, opts: { familyGroupId?: string } = {}) {
  const payment = await tx.payment.findUnique({
    where: { id: paymentId },
    select: {
      id: true,
      familyGroupId: true,
      amountMinor: true,
      currency: true,
      method: true,
      reference: true,
      paidAt: true,
      createdAt: true,
      ledgerEntries: { where: { kind: "PAYMENT" }, select: { id: true } },
    },
  });
  if (!payment || !payment.familyGroupId || payment.ledgerEntries.length === 0) return null;
  if (opts.familyGroupId !== undefined && payment.familyGroupId !== opts.familyGroupId) return null;
  const school = await tx.school.findFirstOrThrow({
    select: { name: true, email: true, phone: true, website: true, contactAddress: true, logoUrl: true, brandColor: true },
  });
  const family = await tx.familyGroup.findUniqueOrThrow({
    where: { id: payment.familyGroupId },
    select: { id: true, name: true, billingEmail: true, billingAddress: true, admin: { select: { firstName: true, lastName: true, email: true } } },
  });
  const entries = await ledgerEntries(tx, [family.id]);
  const sourceId = payment.ledgerEntries[0]!.id;
  const source = sourceStates(entries).get(sourceId)!;
  const perInvoice = new Map<string, number>();
  for (const e of entries) {
    if (e.sourceId !== sourceId || !e.invoiceId) continue;
    if (e.kind === "ALLOCATION") perInvoice.set(e.invoiceId, (perInvoice.get(e.invoiceId) ?? 0) + e.amount.amountMinor);
    if (e.kind === "DEALLOCATION") perInvoice.set(e.invoiceId, (perInvoice.get(e.invoiceId) ?? 0) - e.amount.amountMinor);
  }
  const states = invoiceStates(entries);
  const invoiceIds = [...perInvoice.keys()].filter((id) => perInvoice.get(id)! > 0);
  const invoices = invoiceIds.length
    ? await tx.invoice.findMany({ where: { id: { in: invoiceIds } }, orderBy: [{ dueDate: "asc" }, { sequence: "asc" }], select: { id: true, number: true, dueDate: true, term: { select: { name: true } } } })
    : [];
  return {
    id: payment.id,
    school,
    family: {
      id: family.id,
      name: family.name,
      contact: `${family.admin.firstName} ${family.admin.lastName}`.trim(),
      email: family.billingEmail ?? family.admin.email,
      address: family.billingAddress,
    },
    amount: amount(source.amount),
    method: paymentMethodLabel(payment.method),
    reference: payment.reference,
    paidAt: payment.paidAt ?? payment.createdAt,
    paid: invoices.map((inv) => ({
      id: inv.id,
      number: inv.number,
      term: inv.term?.name ?? null,
      dueDate: inv.dueDate,
      amount: { amountMinor: perInvoice.get(inv.id)!, currency: source.amount.currency },
      stillOwed: amount(states.get(inv.id)!.outstanding),
    })),
    refunded: amount(source.refunded),
    creditLeft: amount(source.unallocated),
  };
}
