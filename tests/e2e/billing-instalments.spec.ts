// A parent splits an invoice into the instalments the school allows and pays the first one
// online: the invoice page's choice, the schedule, "Pay … now" for the first instalment only
// on the stand-in's checkout, and the family's billing page naming the next instalment. The
// school is this spec's own copy of harmony, allowing up to three instalments.
import { familyBalance, issueInvoice, recordManualPayment } from "../../app/models/billing.server";
import { expect, test } from "./fixtures";
import { databaseServices } from "./own-school";
import { CLOCK_START, DEMO, schoolUrl } from "./support";

test("a parent pays an invoice in three instalments: the first online, the next one named on the billing page", async ({ page, ownSchool, signIn }, testInfo) => {
  const services = databaseServices();
  const school = await services.platform.findSchool({ slug: ownSchool.slug });
  const db = services.platform.schoolDb(school!.id);
  const now = new Date(CLOCK_START);
  const number = await db.run(async (tx) => {
    await tx.billingSettings.updateMany({ data: { maxInstalments: 3 } });
    const parent = await tx.user.findFirstOrThrow({ where: { email: DEMO.harmony.parent }, select: { familyGroupId: true } });
    const familyGroupId = parent.familyGroupId!;
    const owed = await familyBalance(tx, familyGroupId);
    if (owed.amountMinor > 0) await recordManualPayment(tx, { familyGroupId, amountMinor: owed.amountMinor, method: "CASH", reference: "e2e: paid up", now });
    const invoice = await tx.invoice.create({
      data: {
        familyGroupId,
        currency: "USD",
        netMinor: 30_000,
        totalMinor: 30_000,
        lines: { create: [{ kind: "CUSTOM", description: "Summer intensive", quantity: 1, unitAmountMinor: 30_000, amountMinor: 30_000, netMinor: 30_000, taxMinor: 0, grossMinor: 30_000 }] },
      },
      select: { id: true },
    });
    return (await issueInvoice(tx, { invoiceId: invoice.id, now })).number;
  });

  await signIn(page, ownSchool.slug, DEMO.harmony.parent);
  await page.goto(schoolUrl(ownSchool.slug, "/family/billing"));
  await page.getByRole("link", { name: number }).click();
  const split = page.getByRole("region", { name: "Pay in instalments" });
  await split.getByLabel("Number of instalments").selectOption("3");
  await split.getByRole("button", { name: "Pay in instalments" }).click();
  await expect(page.getByRole("status")).toHaveText("You pay this invoice in 3 instalments. The first is due today.");
  const schedule = page.getByRole("region", { name: "Instalments" });
  await expect(schedule.getByRole("row")).toHaveCount(4);
  await expect(schedule.getByRole("row").nth(1)).toContainText("Due today");
  await page.setViewportSize({ width: 390, height: 900 });
  await page.screenshot({ path: testInfo.outputPath("instalments-390.png"), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.getByRole("button", { name: "Pay $100.00 now" }).click();
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/checkout\/cs_test_/);
  await expect(page.getByLabel("Amount to pay")).toHaveText("$100.00");
  await page.getByRole("button", { name: "Pay" }).click();
  await expect(page).toHaveURL(schoolUrl(ownSchool.slug, "/family/billing?paid=1"));

  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("family-balance")).toHaveText("$200.00", { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  const open = page.getByRole("region", { name: "Open invoices" });
  await expect(open).toContainText("instalment 2 of 3 due");
  await expect(open.getByRole("button", { name: `Pay $100.00 for invoice ${number}` })).toBeVisible();

  await page.getByRole("link", { name: number }).first().click();
  await expect(schedule.getByRole("row").nth(1)).toContainText("Paid");
  await expect(schedule.getByRole("row").nth(2)).toContainText("Upcoming");
  await expect(page.getByRole("region", { name: "Pay in instalments" })).toHaveCount(0);
});
