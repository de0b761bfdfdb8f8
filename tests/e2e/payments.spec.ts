// Online payments on the local Stripe stand-in (the e2e server runs it: STRIPE_STANDIN=on):
// an admin connects the school through the stand-in's Connect onboarding page and sees it
// connected (the state comes from the account.updated webhook); a parent's online payment
// (paid on the stand-in's checkout page) is refunded in part by an admin.
// The school is this spec's own copy of harmony; the test process prepares it through the
// database the launcher wrote down (tests/e2e/own-school.ts), the journeys use the browser.
import { expect, signIn, test } from "./fixtures";
import { databaseServices } from "./own-school";
import { CLOCK_START, DEMO, schoolUrl } from "./support";
import { issueInvoice } from "../../app/models/billing.server";

async function schoolIdOf(slug: string) {
  const school = await databaseServices().platform.findSchool({ slug });
  if (!school) throw new Error(`no school ${slug}`);
  return school.id;
}

test("an admin connects the school to Stripe on the onboarding page and sees it connected", async ({ ownSchool, ownAdminPage: page }) => {
  // This copy starts connected (the seed's demo account): take that away first.
  await databaseServices().clients.platform.school.update({
    where: { slug: ownSchool.slug },
    data: { stripeAccountId: null, stripeChargesEnabled: false, stripePayoutsEnabled: false, stripeDetailsSubmitted: false },
  });
  await page.goto(schoolUrl(ownSchool.slug, "/admin/setup"));
  await page.getByRole("link", { name: "Online payments" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Online payments" })).toBeVisible();
  await expect(page.getByTestId("stripe-state")).toHaveText("Not connected");
  await page.getByRole("button", { name: "Connect with Stripe" }).click();

  await expect(page.getByRole("heading", { level: 1, name: /^Set up payments for / })).toBeVisible();
  await page.getByRole("button", { name: "Complete onboarding" }).click();
  await expect(page).toHaveURL(schoolUrl(ownSchool.slug, "/admin/settings/payments?returned=1"));
  // account.updated arrives by webhook; the page shows what it wrote.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("stripe-state")).toHaveText("Connected", { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByText("Families can pay their invoices online.")).toBeVisible();
});

test("a parent pays an invoice online and an admin refunds part of it through Stripe", async ({ ownSchool, ownAdminPage: admin, browser }) => {
  const schoolId = await schoolIdOf(ownSchool.slug);
  const db = databaseServices().platform.schoolDb(schoolId);
  // A fresh issued invoice of 120.00 for the parent's family.
  const invoiceId = await db.run(async (tx) => {
    const parent = await tx.user.findFirstOrThrow({ where: { email: DEMO.harmony.parent }, select: { familyGroupId: true } });
    const invoice = await tx.invoice.create({ data: { familyGroupId: parent.familyGroupId!, currency: "USD", totalMinor: 12_000, netMinor: 12_000 }, select: { id: true } });
    await issueInvoice(tx, { invoiceId: invoice.id, now: new Date(CLOCK_START) });
    return invoice.id;
  });

  const parentContext = await browser.newContext();
  const parent = await parentContext.newPage();
  try {
    await signIn(parent, ownSchool.slug, DEMO.harmony.parent);
    // The family's "Pay online" button (on the family billing page) is a plain form posting here;
    // the browser follows the redirect to the checkout page (CSP form-action allows it).
    await parent.evaluate((action) => {
      const form = document.createElement("form");
      form.method = "post";
      form.action = action;
      document.body.append(form);
      form.submit();
    }, `/family/billing/invoices/${invoiceId}/pay`);
    await expect(parent).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/checkout\/cs_test_/);
    await expect(parent.getByRole("heading", { level: 1, name: /^Pay / })).toBeVisible();
    await expect(parent.getByLabel("Amount to pay")).toHaveText("$120.00");
    await parent.getByRole("button", { name: "Pay" }).click();
    await expect(parent).toHaveURL(schoolUrl(ownSchool.slug, "/family/billing?paid=1"));
  } finally {
    await parentContext.close();
  }

  // checkout.session.completed arrives by webhook: the payment is completed.
  let paymentId = "";
  await expect(async () => {
    const payment = await db.run((tx) => tx.payment.findFirst({ where: { invoiceId, status: "COMPLETED" }, select: { id: true } }));
    expect(payment).not.toBeNull();
    paymentId = payment!.id;
  }).toPass({ timeout: 15_000 });

  await admin.goto(schoolUrl(ownSchool.slug, `/admin/billing/payments/${paymentId}`));
  await expect(admin.getByRole("heading", { level: 1, name: "Payment of $120.00" })).toBeVisible();
  await expect(admin.getByTestId("payment-status")).toHaveText("Paid");
  // A refund over what was paid is refused in words, and what was typed stays.
  await admin.getByRole("textbox", { name: "Amount" }).fill("500");
  await admin.getByRole("textbox", { name: "Reason" }).fill("Two lessons missed");
  await admin.getByRole("button", { name: "Refund through Stripe" }).click();
  await expect(admin.getByRole("alert")).toContainText("more than what is left");
  await expect(admin.getByRole("textbox", { name: "Reason" })).toHaveValue("Two lessons missed");

  await admin.getByRole("textbox", { name: "Amount" }).fill("45.00");
  await admin.getByRole("button", { name: "Refund through Stripe" }).click();
  await expect(admin.getByRole("status")).toContainText("The refund was made through Stripe");
  await expect(admin.getByTestId("refund-row")).toHaveCount(1);
  await expect(admin.getByTestId("refund-row")).toContainText("$45.00");
  await expect(admin.getByTestId("refund-row")).toContainText("Two lessons missed");
  await expect(admin.getByText("Refunded $45.00 of $120.00.")).toBeVisible();
});
