// A visitor enrolls on a school with a registration fee (a copy of harmony, connected to the
// Stripe stand-in) and pays the fee at the end of the form: "Pay the registration fee now" on the
// confirmation, the stand-in's checkout page, then the thank-you page on the school's own host,
// which shows the fee paid once the webhook has landed. The admin sees the fee invoice paid.
// Screens of the confirmation with the pay choice and of the thank-you page, at phone and
// desktop sizes, go to test-results/enrollment-fee/.
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { databaseServices } from "./own-school";
import { fitsEachSize, schoolUrl } from "./support";

const SHOTS = path.join("test-results", "enrollment-fee");
const SIZES = [
  { name: "390x844", viewport: { width: 390, height: 844 } },
  { name: "1280x800", viewport: { width: 1280, height: 800 } },
] as const;

/** WCAG 2.1 A/AA violations axe calls serious or critical, one line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Fits a phone and a desktop (nothing scrolls sideways), photographed at both. */
const screens = (page: Page, name: string) => fitsEachSize(page, SIZES, { dir: SHOTS, name });

test("a visitor enrolls, pays the registration fee on the stand-in's checkout, and sees it paid; the admin sees the invoice paid", async ({ page, ownSchool, ownAdminPage: admin }) => {
  test.setTimeout(120_000);
  const { slug } = ownSchool;
  const tag = Date.now().toString(36);
  const email = `fee.${tag}@families.test`;

  await admin.goto(schoolUrl(slug, "/admin/settings/enrollment"));
  await admin.getByLabel("Approve each new enrollment").setChecked(false);
  await admin.getByLabel(/^Registration fee/).fill("30");
  await admin.getByRole("button", { name: "Save settings" }).click();
  await expect(admin.getByRole("status")).toContainText("Saved.");

  await page.goto(schoolUrl(slug, "/enroll"));
  await expect(page.getByText("A one-time registration fee of $30.00 applies to new families. You can pay it by card when you have sent this form")).toBeVisible();
  const you = page.getByRole("group", { name: "Your details" });
  await you.getByLabel("First name").fill("Noor");
  await you.getByLabel("Last name").fill("Haddad");
  await you.getByLabel("Email").fill(email);
  await you.getByLabel("Phone").fill("(212) 555-0110");
  const emergency = page.getByRole("group", { name: "Emergency contact" });
  await emergency.getByLabel("Name").fill("Sami Haddad");
  await emergency.getByLabel("Phone").fill("(212) 555-0111");
  await emergency.getByLabel("Relation to the child").fill("Uncle");
  const child = page.getByRole("group", { name: "About your child" });
  await child.getByLabel("First name").fill("Lina");
  await child.getByLabel("Date of birth").fill("2015-04-12");
  await child.getByLabel("Class or lessons").selectOption({ label: "Individual lessons in Piano" });
  await child.getByLabel(/parent or legal guardian/).check();
  await page.getByRole("button", { name: "Enroll", exact: true }).click();

  // The confirmation: the fee, with the choice to pay it now or later.
  await expect(page.getByRole("heading", { level: 1, name: "Thank you — we have your enrollment" })).toBeVisible();
  const fee = page.getByRole("region", { name: "Registration fee: $30.00" });
  await expect(fee).toBeVisible();
  await expect(fee).toContainText("or pay later from your billing page");
  expect(await seriousViolations(page)).toEqual([]);
  await screens(page, "confirmation-pay-choice");
  await fee.getByRole("button", { name: "Pay the registration fee now" }).click();

  // The stand-in's checkout page, then back on the school's own host.
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/checkout\/cs_test_/);
  await expect(page.getByLabel("Amount to pay")).toHaveText("$30.00");
  await page.getByRole("button", { name: "Pay" }).click();
  await expect(page).toHaveURL(new RegExp(`^${schoolUrl(slug, "/enroll/fee").replace(/[.?]/g, "\\$&")}\\?t=.+&back=paid$`));
  // Processing until the webhook lands; the page looks again by itself.
  await expect(page.getByRole("heading", { level: 1, name: "Thank you — the registration fee is paid" })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole("status")).toHaveText("Paid");
  expect(await seriousViolations(page)).toEqual([]);
  await screens(page, "thank-you-paid");

  // The admin: the family's fee invoice, paid.
  const schoolId = (await databaseServices().platform.findSchool({ slug }))!.id;
  const invoiceId = await databaseServices()
    .platform.schoolDb(schoolId)
    .run(async (tx) => (await tx.invoice.findFirstOrThrow({ where: { familyGroup: { billingEmail: email } }, select: { id: true } })).id);
  await admin.goto(schoolUrl(slug, `/admin/billing/invoices/${invoiceId}`));
  await expect(admin.getByRole("row", { name: "Paid $30.00" })).toBeVisible();
  await expect(admin.getByRole("row", { name: "Still owed $0.00" })).toBeVisible();
});
