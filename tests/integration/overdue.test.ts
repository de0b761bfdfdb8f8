// Overdue invoices against the real database (RLS on), in schools of their own: the daily
// run (the job's task, as the worker calls it) sends each reminder once per invoice and day
// and adds the late fee once, however often and however concurrently it runs; it runs at
// 09:00 in the school's zone; the admin's list ages what is owed into its buckets.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { familyBalance, reconcileSchool, recordManualPayment } from "../../app/models/billing.server";
import { overdueCsvRows, overdueReport } from "../../app/models/overdue.server";
import { localDateTimeToUtc } from "../../app/domain/time";
import { runOverdueInvoices } from "../../server/jobs/tasks.server";
import { type BillingSchool, makeBillingSchool } from "../support/billing";
import { testServices } from "../support/services";

const services = testServices();
const ZONE = "America/New_York";
const at = (day: string, time = "09:00") => localDateTimeToUtc(day, time, ZONE);

let s: BillingSchool;
let invA: { id: string; number: string; dueDate: string };
let invB: { id: string; number: string; dueDate: string };

const reminderEmails = (school: BillingSchool) =>
  school.run((tx) => tx.emailMessage.findMany({ where: { subject: { startsWith: "Reminder: invoice" } }, orderBy: { createdAt: "asc" }, select: { to: true, subject: true, text: true } }));

beforeAll(async () => {
  s = await makeBillingSchool(services, "overdue", { timezone: ZONE, reminderDays: [7, 21], lateFeeBasisPoints: 500, lateFeeAfterDays: 10 });
  invA = await s.issue(s.a.familyId, 50_000, at("2031-03-01", "10:00"));
  invB = await s.issue(s.b.familyId, 20_000, at("2031-03-01", "10:00"));
});
afterAll(async () => {
  await services.close();
});

describe("the daily overdue run", () => {
  it("works at 09:00 in the school's zone only", async () => {
    expect(invA.dueDate).toBe("2031-03-15");
    const early = await runOverdueInvoices(services, at("2031-03-22", "08:00"), { schoolIds: [s.school.id] });
    expect(early).toMatchObject({ schools: 0, reminders: 0 });
    expect(await s.run((tx) => tx.invoiceReminder.count())).toBe(0);
  });

  it("sends a reminder on its day once per invoice, even when runs overlap or repeat", async () => {
    const tick = at("2031-03-22"); // 7 days after the due date
    const runs = await Promise.all([1, 2, 3, 4].map(() => runOverdueInvoices(services, tick, { schoolIds: [s.school.id] })));
    expect(runs.flatMap((r) => r.errors)).toEqual([]);
    expect(runs.reduce((n, r) => n + r.reminders, 0)).toBe(2);
    const again = await runOverdueInvoices(services, new Date(tick.getTime() + 20 * 60_000), { schoolIds: [s.school.id] });
    expect(again.reminders).toBe(0);
    const rows = await s.run((tx) => tx.invoiceReminder.findMany({ orderBy: { sentTo: "asc" }, select: { invoiceId: true, day: true, sentTo: true } }));
    expect(rows).toEqual([
      { invoiceId: invA.id, day: 7, sentTo: s.a.guardianEmails[0] },
      { invoiceId: invB.id, day: 7, sentTo: s.b.parentEmail },
    ]);
    const emails = await reminderEmails(s);
    expect(emails.map((e) => e.to).sort()).toEqual([s.a.guardianEmails[0], s.b.parentEmail].sort());
    expect(emails.find((e) => e.to === s.b.parentEmail)!.text).toContain("$200.00 is still to pay");
    // The next days send nothing new until the next reminder day.
    expect((await runOverdueInvoices(services, at("2031-03-23"), { schoolIds: [s.school.id] })).reminders).toBe(0);
  });

  it("adds the late fee once per invoice, a percentage of what is still owed, after the set days", async () => {
    await s.run((tx) => recordManualPayment(tx, { familyGroupId: s.a.familyId, amountMinor: 10_000, method: "CASH", reference: null, now: at("2031-03-20", "12:00") }));
    // Day 9: not yet.
    expect((await runOverdueInvoices(services, at("2031-03-24"), { schoolIds: [s.school.id] })).lateFees).toBe(0);
    const runs = await Promise.all([1, 2, 3].map(() => runOverdueInvoices(services, at("2031-03-25"), { schoolIds: [s.school.id] })));
    expect(runs.flatMap((r) => r.errors)).toEqual([]);
    expect(runs.reduce((n, r) => n + r.lateFees, 0)).toBe(2);
    expect((await runOverdueInvoices(services, at("2031-03-26"), { schoolIds: [s.school.id] })).lateFees).toBe(0);
    const fees = await s.run((tx) => tx.ledgerEntry.findMany({ where: { kind: "LATE_FEE" }, orderBy: { amountMinor: "desc" }, select: { invoiceId: true, amountMinor: true, idempotencyKey: true } }));
    // 5 % of 400.00 (500.00 less the 100.00 paid) and of 200.00.
    expect(fees).toEqual([
      { invoiceId: invA.id, amountMinor: 2000, idempotencyKey: `late-fee:${invA.id}` },
      { invoiceId: invB.id, amountMinor: 1000, idempotencyKey: `late-fee:${invB.id}` },
    ]);
    expect((await s.run((tx) => familyBalance(tx, s.a.familyId))).amountMinor).toBe(42_000);
    expect(await s.run((tx) => reconcileSchool(tx))).toEqual([]);
  });

  it("sends the next reminder on its day with what is owed, fee included", async () => {
    const r = await runOverdueInvoices(services, at("2031-04-05"), { schoolIds: [s.school.id] });
    expect(r.reminders).toBe(2);
    const days = await s.run((tx) => tx.invoiceReminder.findMany({ where: { invoiceId: invA.id }, orderBy: { day: "asc" }, select: { day: true } }));
    expect(days.map((d) => d.day)).toEqual([7, 21]);
    const last = (await reminderEmails(s)).filter((e) => e.to === s.a.guardianEmails[0]).at(-1)!;
    expect(last.text).toContain("$420.00 is still to pay");
    expect((await runOverdueInvoices(services, at("2031-04-05"), { schoolIds: [s.school.id] })).reminders).toBe(0);
  });

  it("leaves a paid invoice alone", async () => {
    await s.run((tx) => recordManualPayment(tx, { familyGroupId: s.b.familyId, amountMinor: 21_000, method: "BANK_TRANSFER", reference: "TRF 1", now: at("2031-04-06", "12:00") }));
    const r = await runOverdueInvoices(services, at("2031-04-07"), { schoolIds: [s.school.id] });
    expect(r.overdueInvoices).toBe(1);
    expect(await s.run((tx) => reconcileSchool(tx))).toEqual([]);
  });
});

describe("the admin's list of what is owed", () => {
  let c: BillingSchool;
  beforeAll(async () => {
    c = await makeBillingSchool(services, "ageing", { timezone: ZONE, paymentTermsDays: 14 });
    // Due dates (issue + 14 days) against today 2031-06-30.
    await c.issue(c.a.familyId, 10_000, at("2031-06-20", "12:00")); // due 07-04: not yet due
    await c.issue(c.a.familyId, 20_000, at("2031-06-01", "12:00")); // due 06-15: 15 days → 0-30
    await c.issue(c.a.familyId, 30_000, at("2031-04-17", "12:00")); // due 05-01: 60 days → 31-60
    await c.issue(c.b.familyId, 40_000, at("2031-03-18", "12:00")); // due 04-01: 90 days → 61-90
    await c.issue(c.b.familyId, 50_000, at("2031-03-17", "12:00")); // due 03-31: 91 days → 90+
    await c.issue(c.b.familyId, 5_000, at("2031-06-01", "12:00"));
    await c.run((tx) => recordManualPayment(tx, { familyGroupId: c.b.familyId, amountMinor: 5_000, method: "CASH", reference: null, now: at("2031-06-29", "12:00") }));
  });

  it("ages every open invoice into its bucket, by family, with the totals", async () => {
    const r = await c.run((tx) => overdueReport(tx, "2031-06-30"));
    const minor = (m: { amountMinor: number }) => m.amountMinor;
    expect(Object.fromEntries(Object.entries(r.totals).map(([k, v]) => [k, minor(v)]))).toEqual({ current: 10_000, "0-30": 25_000, "31-60": 30_000, "61-90": 40_000, "90+": 45_000 });
    expect(minor(r.total)).toBe(150_000);
    expect(minor(r.overdueTotal)).toBe(140_000);
    // The payment went to Baker's oldest invoice (due 03-31): 45,000 of its 50,000 left in 90+.
    expect(r.families.map((f) => [f.name, f.mostDaysOverdue, minor(f.total)])).toEqual([
      ["Baker family", 91, 90_000],
      ["Abbott family", 60, 60_000],
    ]);
    const abbott = r.families[1]!;
    expect(Object.fromEntries(Object.entries(abbott.buckets).map(([k, v]) => [k, minor(v)]))).toEqual({ current: 10_000, "0-30": 20_000, "31-60": 30_000, "61-90": 0, "90+": 0 });
  });

  it("exports the same as CSV, one row per family and the totals", async () => {
    const rows = await c.run((tx) => overdueCsvRows(tx, "2031-06-30"));
    expect(rows[0]).toEqual(["Family", "Billing email", "Oldest due date", "Days overdue", "Not yet due", "1–30 days", "31–60 days", "61–90 days", "90+ days", "Total owed", "Currency", "Invoices"]);
    expect(rows[1]!.slice(0, 11)).toEqual(["Baker family", c.b.parentEmail, "2031-03-31", 91, "0.00", "50.00", "0.00", "400.00", "450.00", "900.00", "USD"]);
    expect(rows.at(-1)!.slice(0, 11)).toEqual(["Total", "", "", "", "100.00", "250.00", "300.00", "400.00", "450.00", "1500.00", "USD"]);
  });
});
