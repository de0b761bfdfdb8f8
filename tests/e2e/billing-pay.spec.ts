// A parent pays an invoice online, the whole journey in the browser: the family's billing
// page, "Pay", the local Stripe stand-in's checkout page, back to the school, the payment
// confirmed by the webhook, a zero balance and the receipt. The school is this spec's own
// copy of harmony; the test process only prepares the family's account (paid up, then one
// new invoice) through the database the launcher wrote down (tests/e2e/own-school.ts).
import { familyBalance, issueInvoice, recordManualPayment } from "../../app/models/billing.server";
import { expect, test } from "./fixtures";
import { databaseServices } from "./own-school";
import { CLOCK_START, DEMO, schoolUrl } from "./support";

test("a parent pays an invoice online on the checkout page and sees a receipt and a zero balance", async ({ page, ownSchool, signIn }) => {
  const services = databaseServices();
  const school = await services.platform.findSchool({ slug: ownSchool.slug });
  const db = services.platform.schoolDb(school!.id);
  const now = new Date(CLOCK_START);
  const number = await db.run(async (tx) => {
    const parent = await tx.user.findFirstOrThrow({ where: { email: DEMO.harmony.parent }, select: { familyGroupId: true } });
    const familyGroupId = parent.familyGroupId!;
    // Paid up first (at the desk), so the new invoice is all the family owes.
    const owed = await familyBalance(tx, familyGroupId);
    if (owed.amountMinor > 0) await recordManualPayment(tx, { familyGroupId, amountMinor: owed.amountMinor, method: "CASH", reference: "e2e: paid up", now });
    const invoice = await tx.invoice.create({
      data: {
        familyGroupId,
        currency: "USD",
        netMinor: 9_500,
        totalMinor: 9_500,
        lines: { create: [{ kind: "CUSTOM", description: "Recital entry", quantity: 1, unitAmountMinor: 9_500, amountMinor: 9_500, netMinor: 9_500, taxMinor: 0, grossMinor: 9_500 }] },
      },
      select: { id: true },
    });
    return (await issueInvoice(tx, { invoiceId: invoice.id, now })).number;
  });

  await signIn(page, ownSchool.slug, DEMO.harmony.parent);
  await page.getByRole("link", { name: "Billing", exact: true }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Billing" })).toBeVisible();
  await expect(page.getByTestId("family-balance")).toHaveText("$95.00");

  // The invoice as printed, then pay from it.
  await page.getByRole("link", { name: number }).click();
  await expect(page.getByRole("article", { name: `Invoice ${number}` })).toContainText("Recital entry");
  await page.getByRole("button", { name: "Pay $95.00" }).click();

  // The stand-in's checkout page: the school is the business the family pays.
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/checkout\/cs_test_/);
  await expect(page.getByRole("heading", { level: 1, name: /^Pay / })).toContainText(school!.name);
  await expect(page.getByLabel("Amount to pay")).toHaveText("$95.00");
  await page.getByRole("button", { name: "Pay" }).click();

  await expect(page).toHaveURL(schoolUrl(ownSchool.slug, "/family/billing?paid=1"));
  await expect(page.getByRole("status")).toContainText("your payment is being confirmed");
  // checkout.session.completed arrives by webhook; the balance is what the ledger then says.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("family-balance")).toHaveText("$0.00", { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByText("You are all paid up. Thank you!")).toBeVisible();

  const payments = page.getByRole("region", { name: "Payments" });
  await payments.getByRole("row").filter({ hasText: "$95.00" }).getByRole("link", { name: /^Receipt/ }).click();
  const receipt = page.getByRole("article", { name: "Receipt" });
  await expect(receipt).toContainText("$95.00");
  await expect(receipt).toContainText(number);
});
