// Overdue invoices: the daily run (reminder emails on the school's reminder days, the late
// fee once per invoice) and the admin's list of what is owed, by family, with ageing.
// The rules are pure (app/domain/overdue.ts, ledger.ts's `ageing`); what was done is
// recorded so a re-run, a retried job or two servers running at once never do it twice:
// - a reminder is an InvoiceReminder row, unique (invoiceId, day), inserted with ON
//   CONFLICT DO NOTHING before its email is filed in the same transaction;
// - a late fee is a LATE_FEE ledger entry with the idempotency key "late-fee:<invoiceId>".
import type { Tx } from "../../server/db/school-db.server";
import type { Mailer } from "../../server/services/email.server";
import { type AgeingBucket, AGEING_BUCKETS, ageing, invoiceStates, type LedgerEntry } from "../domain/ledger";
import { type Money, add, money, subtract, toDecimalString, zero } from "../domain/money";
import { BUCKET_LABEL, lateFeeAmount, normalizeReminderDays, OVERDUE_BUCKETS, reminderDayDue } from "../domain/overdue";
import { daysBetween, type LocalDate } from "../domain/time";
import { formatterFor } from "../utils/format";
import { instalmentPlans } from "./instalments.server";

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

/** Ledger entries (the core's shape), of some families or of the whole school. */
export async function ledgerEntries(tx: Tx, familyGroupIds?: readonly string[]): Promise<LedgerEntry[]> {
  const rows = await tx.ledgerEntry.findMany({
    where: familyGroupIds ? { familyGroupId: { in: [...familyGroupIds] } } : {},
    orderBy: [{ postedAt: "asc" }, { id: "asc" }],
    select: entrySelect,
  });
  return rows.map((r) => ({
    id: r.id,
    accountId: r.familyGroupId,
    kind: r.kind,
    amount: money(r.amountMinor, r.currency),
    postedAt: r.postedAt,
    invoiceId: r.invoiceId,
    invoiceNumber: r.invoiceNumber,
    dueDate: r.dueDate,
    sourceId: r.sourceId,
    memo: r.memo,
  }));
}

/** The family's billing address: its billing email, else its account holder's. */
async function billingAddresses(tx: Tx, familyGroupIds: string[]): Promise<Map<string, { name: string; to: string | null }>> {
  const families = await tx.familyGroup.findMany({
    where: { id: { in: familyGroupIds } },
    select: { id: true, name: true, billingEmail: true, admin: { select: { email: true, deactivatedAt: true } } },
  });
  return new Map(families.map((f) => [f.id, { name: f.name, to: f.billingEmail ?? (f.admin.deactivatedAt ? null : f.admin.email) }]));
}

export interface OverdueRunReport {
  overdueInvoices: number;
  reminders: number;
  lateFees: number;
}

/**
 * The daily overdue run for the school `tx` is bound to, on the school's local date `today`:
 * for every issued invoice past due with something still owed, the late fee (once) and the
 * reminder of the day (once per invoice and reminder day). Safe to run any number of times.
 */
export async function runOverdue(tx: Tx, mailer: Mailer, input: { now: Date; today: LocalDate; origin: string }): Promise<OverdueRunReport> {
  const school = await tx.school.findFirstOrThrow({ select: { name: true, email: true, locale: true, timezone: true, currency: true } });
  const settings = await tx.billingSettings.findFirst({ select: { reminderDays: true, lateFeeMinor: true, lateFeeBasisPoints: true, lateFeeAfterDays: true } });
  const report: OverdueRunReport = { overdueInvoices: 0, reminders: 0, lateFees: 0 };
  const reminderDays = normalizeReminderDays(settings?.reminderDays ?? []);
  const rule = { lateFeeMinor: settings?.lateFeeMinor ?? null, lateFeeBasisPoints: settings?.lateFeeBasisPoints ?? null, lateFeeAfterDays: settings?.lateFeeAfterDays ?? null };

  // Due dates are local "yyyy-MM-dd" strings: their order is the dates' order. An invoice paid
  // in instalments is overdue from its first instalment not paid, whatever its own due date.
  const candidates = await tx.invoice.findMany({
    where: { status: "ISSUED", OR: [{ dueDate: { lt: input.today } }, { instalments: { some: {} } }] },
    select: { id: true, familyGroupId: true, number: true, dueDate: true },
  });
  if (candidates.length === 0) return report;
  const familyIds = [...new Set(candidates.map((i) => i.familyGroupId))];
  const states = invoiceStates(await ledgerEntries(tx, familyIds));
  const plans = await instalmentPlans(tx, states, candidates.map((i) => i.id), input.today);
  let open = candidates
    .map((i) => {
      const plan = plans.get(i.id);
      const part = plan?.instalments.find((p) => p.remaining.amountMinor > 0);
      return { ...i, dueDate: plan ? plan.dueDate : i.dueDate, instalment: part ? { sequence: part.sequence, of: plan!.instalments.length, remaining: part.remaining } : null };
    })
    .filter((i) => i.dueDate !== null && i.dueDate < input.today && (states.get(i.id)?.outstanding.amountMinor ?? 0) > 0);
  // A payment under way (a bank debit not settled yet): no reminder or late fee meanwhile.
  const processing = new Set(
    (await tx.payment.findMany({ where: { invoiceId: { in: open.map((i) => i.id) }, method: "STRIPE", status: "PROCESSING" }, select: { invoiceId: true } })).map((p) => p.invoiceId),
  );
  open = open.filter((i) => !processing.has(i.id));
  report.overdueInvoices = open.length;
  if (open.length === 0) return report;
  const sent = await tx.invoiceReminder.findMany({ where: { invoiceId: { in: open.map((i) => i.id) } }, select: { invoiceId: true, instalment: true, day: true } });
  const addresses = await billingAddresses(tx, familyIds);
  const fmt = formatterFor(school);

  for (const invoice of open) {
    const state = states.get(invoice.id)!;
    const daysOverdue = daysBetween(invoice.dueDate!, input.today);
    const instalment = invoice.instalment?.sequence ?? 0;
    let outstanding = state.outstanding;
    const fee = lateFeeAmount(rule, daysOverdue, outstanding);
    let feeApplied: Money | null = null;
    if (fee) {
      const { count } = await tx.ledgerEntry.createMany({
        data: [
          {
            familyGroupId: invoice.familyGroupId,
            kind: "LATE_FEE",
            amountMinor: fee.amountMinor,
            currency: fee.currency,
            postedAt: input.now,
            invoiceId: invoice.id,
            memo: `Late fee on ${invoice.number ?? "invoice"}`,
            idempotencyKey: `late-fee:${invoice.id}`,
          },
        ],
        skipDuplicates: true,
      });
      if (count === 1) {
        report.lateFees++;
        feeApplied = fee;
        outstanding = add(outstanding, fee);
      }
    }
    const day = reminderDayDue(
      reminderDays,
      daysOverdue,
      sent.filter((s) => s.invoiceId === invoice.id && s.instalment === instalment).map((s) => s.day),
    );
    if (day === null) continue;
    const family = addresses.get(invoice.familyGroupId);
    const { count } = await tx.invoiceReminder.createMany({
      data: [{ invoiceId: invoice.id, instalment, day, sentTo: family?.to ?? null, sentAt: input.now }],
      skipDuplicates: true,
    });
    if (count !== 1) continue; // another run sent it
    report.reminders++;
    if (!family?.to) continue; // recorded, so the admin's list shows it; nobody to email
    const due = fmt.day(invoice.dueDate!, { weekday: undefined, year: "numeric" });
    await mailer.send(tx, {
      to: family.to,
      subject: invoice.instalment ? `Reminder: an instalment of invoice ${invoice.number} is overdue` : `Reminder: invoice ${invoice.number} is overdue`,
      text: [
        "Hello,",
        "",
        invoice.instalment
          ? `Instalment ${invoice.instalment.sequence} of ${invoice.instalment.of} of invoice ${invoice.number} for the ${family.name} was due on ${due}, ${daysOverdue} ${daysOverdue === 1 ? "day" : "days"} ago. ${fmt.moneyMinor(invoice.instalment.remaining.amountMinor, invoice.instalment.remaining.currency)} of it is still to pay (${fmt.moneyMinor(outstanding.amountMinor, outstanding.currency)} on the whole invoice).`
          : `Invoice ${invoice.number} for the ${family.name} was due on ${due}, ${daysOverdue} ${daysOverdue === 1 ? "day" : "days"} ago. ${fmt.moneyMinor(outstanding.amountMinor, outstanding.currency)} is still to pay.`,
        ...(feeApplied ? ["", `A late fee of ${fmt.moneyMinor(feeApplied.amountMinor, feeApplied.currency)} was added to it, as the school's payment terms say.`] : []),
        "",
        `You can see your invoices and pay online here: ${input.origin}/family/billing`,
        "",
        `If you have already paid, thank you, and please ignore this reminder. Questions: ${school.email}.`,
        "",
        school.name,
      ].join("\n"),
    });
  }
  return report;
}

// ---- the admin's list -------------------------------------------------------------------

export interface FamilyAgeing {
  familyGroupId: string;
  name: string;
  email: string | null;
  buckets: Record<AgeingBucket, Money>;
  total: Money;
  overdue: Money;
  oldestDueDate: LocalDate;
  mostDaysOverdue: number;
  invoices: { id: string; number: string | null; dueDate: LocalDate; daysOverdue: number; outstanding: Money; reminders: number[] }[];
}

/**
 * What every family owes on the school's local date `today`, by age past due (ledger.ts's
 * buckets), most overdue first; and the school's totals per bucket.
 */
export async function overdueReport(tx: Tx, today: LocalDate) {
  const school = await tx.school.findFirstOrThrow({ select: { currency: true } });
  const entries = await ledgerEntries(tx);
  const planned = await tx.invoiceInstalment.findMany({ where: { sequence: 1, invoice: { status: "ISSUED" } }, select: { invoiceId: true } });
  const plans = await instalmentPlans(tx, invoiceStates(entries), planned.map((p) => p.invoiceId), today);
  const dueDates = new Map([...plans].flatMap(([id, plan]) => (plan.dueDate ? [[id, plan.dueDate] as const] : [])));
  const report = ageing(entries, today, school.currency, dueDates);
  const familyIds = [...new Set(report.invoices.map((i) => i.accountId))];
  const families = familyIds.length ? await billingAddresses(tx, familyIds) : new Map<string, { name: string; to: string | null }>();
  const reminders = report.invoices.length
    ? await tx.invoiceReminder.findMany({ where: { invoiceId: { in: report.invoices.map((i) => i.invoiceId) } }, orderBy: { day: "asc" }, select: { invoiceId: true, day: true } })
    : [];
  const empty = () => Object.fromEntries(AGEING_BUCKETS.map((b) => [b, zero(school.currency)])) as Record<AgeingBucket, Money>;
  const byFamily = new Map<string, FamilyAgeing>();
  for (const inv of report.invoices) {
    const f =
      byFamily.get(inv.accountId) ??
      ({
        familyGroupId: inv.accountId,
        name: families.get(inv.accountId)?.name ?? "Family",
        email: families.get(inv.accountId)?.to ?? null,
        buckets: empty(),
        total: zero(school.currency),
        overdue: zero(school.currency),
        oldestDueDate: inv.dueDate,
        mostDaysOverdue: inv.daysOverdue,
        invoices: [],
      } satisfies FamilyAgeing);
    byFamily.set(inv.accountId, f);
    f.buckets[inv.bucket] = add(f.buckets[inv.bucket], inv.outstanding);
    f.total = add(f.total, inv.outstanding);
    if (inv.bucket !== "current") f.overdue = add(f.overdue, inv.outstanding);
    if (inv.dueDate < f.oldestDueDate) f.oldestDueDate = inv.dueDate;
    f.mostDaysOverdue = Math.max(f.mostDaysOverdue, inv.daysOverdue);
    f.invoices.push({
      id: inv.invoiceId,
      number: inv.invoiceNumber,
      dueDate: inv.dueDate,
      daysOverdue: inv.daysOverdue,
      outstanding: inv.outstanding,
      reminders: reminders.filter((r) => r.invoiceId === inv.invoiceId).map((r) => r.day),
    });
  }
  const rows = [...byFamily.values()].sort((a, b) => b.mostDaysOverdue - a.mostDaysOverdue || b.total.amountMinor - a.total.amountMinor || a.name.localeCompare(b.name));
  const overdueTotal = OVERDUE_BUCKETS.reduce((m, b) => add(m, report.totals[b]), zero(school.currency));
  return { currency: school.currency, families: rows, totals: report.totals, total: report.total, overdueTotal, notYetDue: subtract(report.total, overdueTotal) };
}

/** The list as CSV rows (header first): one row per family, amounts in major units. */
export async function overdueCsvRows(tx: Tx, today: LocalDate): Promise<(string | number)[][]> {
  const report = await overdueReport(tx, today);
  const major = toDecimalString;
  const header = ["Family", "Billing email", "Oldest due date", "Days overdue", ...AGEING_BUCKETS.map((b) => BUCKET_LABEL[b]), "Total owed", "Currency", "Invoices"];
  const rows: (string | number)[][] = [header];
  for (const f of report.families) {
    rows.push([
      f.name,
      f.email ?? "",
      f.oldestDueDate,
      Math.max(0, f.mostDaysOverdue),
      ...AGEING_BUCKETS.map((b) => major(f.buckets[b])),
      major(f.total),
      report.currency,
      f.invoices.map((i) => i.number ?? i.id).join(" "),
    ]);
  }
  rows.push(["Total", "", "", "", ...AGEING_BUCKETS.map((b) => major(report.totals[b])), major(report.total), report.currency, ""]);
  return rows;
}
