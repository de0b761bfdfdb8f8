// Billing seen by a family and by the admin, in a copy of harmony (the demo's accounts):
// the Smith family's parent sees what is owed on the home page, the account with the open
// exam-fee invoice and its Pay button, the statement, and the receipt of the paid term
// invoice; the admin reads the overdue list with its ageing and downloads it as CSV.
import { readFile } from "node:fs/promises";
import { expect, test } from "./fixtures";
import { DEMO, schoolUrl } from "./support";

test("a parent sees the balance, an open invoice and the receipt of a paid one", async ({ page, ownSchool, signIn }) => {
  await signIn(page, ownSchool.slug, DEMO.harmony.parent);
  await expect(page.getByRole("heading", { name: "To pay: $85.00" })).toBeVisible();

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Billing" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Billing" })).toBeVisible();
  await expect(page.getByTestId("family-balance")).toHaveText("$85.00");
  const open = page.getByRole("region", { name: "Open invoices" });
  await expect(open.getByText(/^HMA-\d{6}$/)).toBeVisible();
  await expect(open.getByRole("button", { name: /^Pay \$85\.00 for invoice HMA-\d{6}$/ })).toBeVisible();
  await expect(page.getByRole("region", { name: "Paid and closed invoices" }).getByText("Paid", { exact: true })).toBeVisible();
  // Header, the term invoice, its bank transfer, the cash paid twice by mistake and its refund, the exam-fee invoice.
  await expect(page.getByRole("region", { name: "Statement" }).getByRole("row")).toHaveCount(6);

  await page.getByRole("region", { name: "Payments" }).getByRole("row").filter({ hasText: "TRF 20931" }).getByRole("link", { name: /^Receipt/ }).click();
  await expect(page).toHaveURL(/\/family\/billing\/receipts\/[\w-]+$/);
  const receipt = page.getByRole("article", { name: "Receipt" });
  await expect(receipt.getByText("Harmony Music Academy")).toBeVisible();
  await expect(receipt.getByText("Smith family")).toBeVisible();
  await expect(receipt.getByText("Bank transfer")).toBeVisible();
  await expect(receipt.getByText("TRF 20931")).toBeVisible();
  await expect(receipt.getByRole("cell", { name: "Paid in full" })).toBeVisible();

  // Back from the checkout: the thank-you notice.
  await page.goto(schoolUrl(ownSchool.slug, "/family/billing?paid=1"));
  await expect(page.getByRole("status")).toHaveText("Thank you — your payment is being confirmed; the receipt will arrive by email. A bank debit takes a few working days.");
});

test("an admin sees what is owed by age and downloads it as CSV", async ({ ownAdminPage: admin, ownSchool }) => {
  await admin.goto(schoolUrl(ownSchool.slug, "/admin/billing/overdue"));
  await expect(admin.getByRole("heading", { level: 1, name: "Overdue invoices" })).toBeVisible();
  const table = admin.getByRole("region", { name: "By family" });
  // The demo's overdue families: a term invoice partly paid, one not paid, a workshop two months late.
  await expect(table.getByRole("link", { name: /family$/ })).not.toHaveCount(0);
  await expect(table.getByText(/reminded day 7, 21/).first()).toBeVisible();
  const [download] = await Promise.all([admin.waitForEvent("download"), admin.getByRole("link", { name: "Download CSV" }).click()]);
  expect(download.suggestedFilename()).toBe(`${ownSchool.slug}-overdue-2026-11-24.csv`);
  const csv = await readFile(await download.path(), "utf8");
  expect(csv).toContain("Family,Billing email,Oldest due date,Days overdue,Not yet due,1–30 days,31–60 days,61–90 days,90+ days,Total owed,Currency,Invoices");
  expect(csv).toMatch(/\nTotal,,,,/);
});
