// Paying an invoice in instalments, against the real database (RLS on), in a school of its
// own: the family chooses up to the school's maximum (two choices at once make one plan);
// the schedule is fixed (the app role cannot change it); payments settle it in order; the
// overdue run and the admin's ageing count from the first instalment not paid, and a
// reminder goes out once per instalment and reminder day.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordManualPayment, reconcileSchool } from "../../app/models/billing.server";
import { familyBilling } from "../../app/models/family-billing.server";
import { chooseInstalments, instalmentPlan } from "../../app/models/instalments.server";
import { overdueReport } from "../../app/models/overdue.server";
import { localDateTimeToUtc } from "../../app/domain/time";
import { runOverdueInvoices } from "../../server/jobs/tasks.server";
import { type BillingSchool, makeBillingSchool } from "../support/billing";
import { refusal } from "../support/db";
import { testServices } from "../support/services";

const services = testServices();
const ZONE = "America/New_York";
const at = (day: string, time = "09:00") => localDateTimeToUtc(day, time, ZONE);

let s: BillingSchool;
let parentId: string;

beforeAll(async () => {
  s = await makeBillingSchool(services, "instalments", { timezone: ZONE, reminderDays: [3], paymentTermsDays: 14 });
  await s.run((tx) => tx.billingSettings.updateMany({ data: { maxInstalments: 3 } }));
  parentId = (await s.run((tx) => tx.familyGroup.findUniqueOrThrow({ where: { id: s.a.familyId }, select: { adminId: true } }))).adminId;
});
afterAll(() => services.close());

const choose = (invoiceId: string, count: number, today: string) => s.run((tx) => chooseInstalments(tx, { invoiceId, familyGroupId: s.a.familyId, count, chosenById: parentId, today }));

describe("choosing instalments", () => {
  it("refuses more than the school allows, another family's invoice, and a second plan; two choices at once make one", async () => {
    const inv = await s.issue(s.a.familyId, 300_00, at("2031-01-05", "10:00"));
    await expect(choose(inv.id, 4, "2031-01-06")).rejects.toThrow("Choose between 2 and 3 instalments.");
    await expect(s.run((tx) => chooseInstalments(tx, { invoiceId: inv.id, familyGroupId: s.b.familyId, count: 2, chosenById: parentId, today: "2031-01-06" }))).rejects.toThrow(/no such invoice/);
    const results = await Promise.allSettled([choose(inv.id, 3, "2031-01-06"), choose(inv.id, 2, "2031-01-06")]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")!.reason.message).toMatch(/already being paid in instalments/);
    const rows = await s.run((tx) => tx.invoiceInstalment.findMany({ where: { invoiceId: inv.id }, orderBy: { sequence: "asc" } }));
    expect(rows.reduce((n, r) => n + r.amountMinor, 0)).toBe(300_00);
    // Fixed once chosen: the app role may not change or remove an instalment.
    expect((await refusal(() => s.run((tx) => tx.invoiceInstalment.update({ where: { id: rows[0]!.id }, data: { amountMinor: 1 } })))).code).toBe("42501");
    expect((await refusal(() => s.run((tx) => tx.invoiceInstalment.deleteMany({ where: { invoiceId: inv.id } })))).code).toBe("42501");
  });

  it("refuses an invoice already partly paid", async () => {
    const other = await s.issue(s.b.familyId, 100_00, at("2031-01-05", "10:00"));
    await s.run((tx) => recordManualPayment(tx, { familyGroupId: s.b.familyId, amountMinor: 10_00, method: "CASH", reference: null, now: at("2031-01-06") }));
    await expect(s.run((tx) => chooseInstalments(tx, { invoiceId: other.id, familyGroupId: s.b.familyId, count: 2, chosenById: parentId, today: "2031-01-06" }))).rejects.toThrow(/already paid/);
  });
});

describe("a plan over time", () => {
  it("is paid in order, overdue from the first unpaid instalment, reminded once per instalment, and the ledger reconciles", async () => {
    const school = await makeBillingSchool(services, "plan", { timezone: ZONE, reminderDays: [3], paymentTermsDays: 14 });
    await school.run((tx) => tx.billingSettings.updateMany({ data: { maxInstalments: 3 } }));
    const guardian = (await school.run((tx) => tx.familyGroup.findUniqueOrThrow({ where: { id: school.a.familyId }, select: { adminId: true } }))).adminId;
    const inv = await school.issue(school.a.familyId, 300_00, at("2031-03-01", "10:00"));
    await school.run((tx) => chooseInstalments(tx, { invoiceId: inv.id, familyGroupId: school.a.familyId, count: 3, chosenById: guardian, today: "2031-03-02" }));
    const plan = (today: string) => school.run((tx) => instalmentPlan(tx, inv.id, today));

    expect((await plan("2031-03-02"))!.payable.amountMinor).toBe(100_00);
    await school.run((tx) => recordManualPayment(tx, { familyGroupId: school.a.familyId, amountMinor: 100_00, method: "CASH", reference: null, now: at("2031-03-02") }));
    const paidFirst = (await plan("2031-03-20"))!;
    expect(paidFirst.instalments.map((i) => i.status)).toEqual(["paid", "upcoming", "upcoming"]);
    expect(paidFirst.dueDate).toBe("2031-04-02");

    // The invoice's own due date (2031-03-15) passed, but no instalment is late: not overdue, no reminder.
    const quiet = await runOverdueInvoices(services, at("2031-03-20"), { schoolIds: [school.school.id] });
    expect(quiet.reminders).toBe(0);
    const report = await school.run((tx) => overdueReport(tx, "2031-03-20"));
    expect(report.overdueTotal.amountMinor).toBe(0);
    const account = await school.run((tx) => familyBilling(tx, school.a.familyId, "2031-03-20"));
    expect(account.open[0]).toMatchObject({ overdue: false, dueDate: "2031-04-02", instalment: { sequence: 2, of: 3 }, payNow: { amountMinor: 100_00 } });

    // The second instalment is missed: three days late, one reminder about it, however often the job runs.
    const runs = await Promise.all([1, 2, 3].map(() => runOverdueInvoices(services, at("2031-04-05"), { schoolIds: [school.school.id] })));
    expect(runs.reduce((n, r) => n + r.reminders, 0)).toBe(1);
    const reminders = await school.run((tx) => tx.emailMessage.findMany({ where: { subject: { startsWith: "Reminder" } }, select: { subject: true, text: true } }));
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.text).toMatch(/Instalment 2 of 3 of invoice .* was due on .*, 3 days ago\. \$100\.00 of it is still to pay \(\$200\.00 on the whole invoice\)/);
    const late = await school.run((tx) => overdueReport(tx, "2031-04-05"));
    expect(late.families[0]).toMatchObject({ oldestDueDate: "2031-04-02", mostDaysOverdue: 3 });

    // Paid; the third instalment missed later: a reminder about it too (another instalment, same reminder day).
    await school.run((tx) => recordManualPayment(tx, { familyGroupId: school.a.familyId, amountMinor: 100_00, method: "CASH", reference: null, now: at("2031-04-05", "12:00") }));
    await runOverdueInvoices(services, at("2031-05-05"), { schoolIds: [school.school.id] });
    expect(await school.run((tx) => tx.invoiceReminder.findMany({ where: { invoiceId: inv.id }, orderBy: { instalment: "asc" }, select: { instalment: true, day: true } }))).toEqual([
      { instalment: 2, day: 3 },
      { instalment: 3, day: 3 },
    ]);
    // The last payment clears it.
    await school.run((tx) => recordManualPayment(tx, { familyGroupId: school.a.familyId, amountMinor: 100_00, method: "CASH", reference: null, now: at("2031-05-06") }));
    const done = (await plan("2031-05-06"))!;
    expect(done.instalments.every((i) => i.status === "paid")).toBe(true);
    expect(done.payable.amountMinor).toBe(0);
    expect(await school.run((tx) => reconcileSchool(tx))).toEqual([]);
  });
});
