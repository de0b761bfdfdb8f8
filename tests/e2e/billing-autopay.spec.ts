// A parent saves a card and turns autopay on, in the browser: the family's billing page, "Save a
// card", the local Stripe stand-in's page to save a card (setup-mode Checkout), back to the
// school with the card shown (brand, last 4, expiry), "Turn autopay on". Then the autopay job
// runs on the invoice's due date (the test process calls the job's function against the server's
// own stand-in, whose address the browser was sent to) and the invoice is paid with a receipt.
// The school is this spec's own copy of harmony. Screens go to test-results/billing-autopay/.
import path from "node:path";
import Stripe from "stripe";
import { familyBalance, issueInvoice, recordManualPayment } from "../../app/models/billing.server";
import { runSchoolAutopay } from "../../app/models/autopay.server";
import { localDateTimeToUtc } from "../../app/domain/time";
import { STANDIN_SECRET_KEY } from "../../server/stripe-standin/standin.server";
import { expect, test } from "./fixtures";
import { databaseServices } from "./own-school";
import { CLOCK_START, DEMO, schoolUrl } from "./support";

const SHOTS = path.join("test-results", "billing-autopay");

test("a parent saves a card on the stand-in, turns autopay on, and the invoice due is charged on its due date", async ({ page, ownSchool, signIn }) => {
  const services = databaseServices();
  const school = await services.platform.findSchool({ slug: ownSchool.slug });
  const db = services.platform.schoolDb(school!.id);
  const now = new Date(CLOCK_START);
  const invoice = await db.run(async (tx) => {
    const parent = await tx.user.findFirstOrThrow({ where: { email: DEMO.harmony.parent }, select: { familyGroupId: true } });
    const familyGroupId = parent.familyGroupId!;
    // Paid up first (at the desk), so the new invoice is all the family owes.
    const owed = await familyBalance(tx, familyGroupId);
    if (owed.amountMinor > 0) await recordManualPayment(tx, { familyGroupId, amountMinor: owed.amountMinor, method: "CASH", reference: "e2e: paid up", now });
    const draft = await tx.invoice.create({
      data: {
        familyGroupId,
        currency: "USD",
        netMinor: 12_000,
        totalMinor: 12_000,
        lines: { create: [{ kind: "CUSTOM", description: "Ensemble fee", quantity: 1, unitAmountMinor: 12_000, amountMinor: 12_000, netMinor: 12_000, taxMinor: 0, grossMinor: 12_000 }] },
      },
      select: { id: true },
    });
    return issueInvoice(tx, { invoiceId: draft.id, now });
  });

  await signIn(page, ownSchool.slug, DEMO.harmony.parent);
  await page.goto(schoolUrl(ownSchool.slug, "/family/billing"));
  const section = page.getByRole("region", { name: "Saved card and autopay" });
  await expect(section).toContainText("No card saved");
  await section.getByRole("button", { name: "Save a card" }).click();

  // The stand-in's page to save a card: nothing is charged.
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/checkout\/cs_test_/);
  const standin = new URL(page.url());
  await expect(page.getByRole("heading", { level: 1, name: /^Save a card with / })).toContainText(school!.name);
  await page.getByLabel(/Visa ending 4242/).check();
  await page.getByRole("button", { name: "Save card" }).click();

  await expect(page).toHaveURL(new RegExp(`^${schoolUrl(ownSchool.slug, "/family/billing").replace(/[.?]/g, "\\$&")}\\?card=saved`));
  await expect(page.getByRole("status")).toHaveText("Your card is saved.");
  await expect(section.getByTestId("saved-card")).toContainText("Visa ending 4242");
  await expect(section.getByTestId("saved-card")).toContainText("expires 12/2034");
  await expect(section.getByTestId("autopay-state")).toContainText("Autopay is off");
  await section.getByRole("button", { name: "Turn autopay on" }).click();
  await expect(page.getByRole("status")).toHaveText("Autopay is on.");
  await expect(section.getByTestId("autopay-state")).toContainText("Autopay is on");
  await expect(section.getByRole("button", { name: "Turn autopay off" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Open invoices" })).toContainText(`Autopay charges $120.00 to your Visa ending 4242 on`);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(page.viewportSize()!.width);
  await page.screenshot({ path: path.join(SHOTS, "family-billing-saved-card.png"), fullPage: true });
  // A phone: nothing scrolls sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await section.screenshot({ path: path.join(SHOTS, "saved-card-390.png") });
  await page.setViewportSize({ width: 1280, height: 900 });

  // The job on the invoice's due date (09:00 there), against the server's stand-in: charged once.
  const stripe = new Stripe(STANDIN_SECRET_KEY, { host: standin.hostname, port: Number(standin.port), protocol: "http", telemetry: false });
  const due = localDateTimeToUtc(invoice.dueDate!, "09:00", school!.timezone);
  expect(await runSchoolAutopay(db, stripe, services.mailer, { now: due })).toEqual({ charged: 1, failed: 0, interrupted: 0 });
  expect(await runSchoolAutopay(db, stripe, services.mailer, { now: new Date(due.getTime() + 3_600_000) })).toEqual({ charged: 0, failed: 0, interrupted: 0 });

  await page.reload();
  await expect(page.getByTestId("family-balance")).toHaveText("$0.00");
  const payments = page.getByRole("region", { name: "Payments" });
  await expect(payments.getByRole("row").filter({ hasText: "$120.00" })).toContainText("Card");
});
