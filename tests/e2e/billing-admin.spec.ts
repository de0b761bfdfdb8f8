// The admin's billing journeys against the production build, in a copy of harmony of this
// spec's own (its demo seed has issued the Fall 2026 invoices, some paid):
// - an unpaid invoice is voided; generating the term's invoices again makes a fresh draft
//   for that family (and nothing else); the admin reviews it, adds a line, and issues
//   every draft of the term, which takes the next invoice number and emails the family;
// - an admin records a cash payment for a family and sees its balance drop.
// Screens of every billing page go to test-results/billing-admin/.
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { schoolUrl } from "./support";

const SHOTS = path.join("test-results", "billing-admin");

async function shot(page: Page, name: string) {
  // Nothing may scroll sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(page.viewportSize()!.width);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** "$1,234.50" → 123450 */
function cents(text: string): number {
  const m = /(-?)\$([\d,]+)\.(\d{2})/.exec(text);
  if (!m) throw new Error(`no amount in "${text}"`);
  return (m[1] ? -1 : 1) * (Number(m[2]!.replace(/,/g, "")) * 100 + Number(m[3]));
}

test("an admin voids an unpaid invoice, generates the term's invoices again and issues the new draft", async ({ ownSchool, ownAdminPage: page }) => {
  test.setTimeout(120_000);
  const at = (p: string) => schoolUrl(ownSchool.slug, p);

  await page.goto(at("/admin"));
  await page.getByRole("navigation").getByRole("link", { name: "Billing" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Billing" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Drafts waiting" })).toContainText("0");
  await shot(page, "billing");

  // Nothing new to bill: every family of Fall 2026 is invoiced.
  await page.getByLabel("Term", { exact: true }).first().selectOption({ label: "Fall 2026" });
  await page.getByRole("button", { name: "Generate draft invoices" }).click();
  await expect(page.getByRole("status").filter({ hasText: "already invoiced" })).toBeVisible();

  // An issued term invoice with nothing paid: "Still owed" equals its total.
  await page.getByLabel("Status").selectOption("ISSUED");
  await page.locator("#inv-term").selectOption({ label: "Fall 2026" });
  await page.getByRole("button", { name: "Show" }).click();
  const rows = page.locator("table tbody tr");
  await expect(rows.first()).toBeVisible();
  let unpaid: string | null = null;
  for (const row of await rows.all()) {
    const cells = await row.locator("td").allInnerTexts();
    if (cells[5] === cells[6]) {
      unpaid = (await row.locator("td").first().innerText()).trim();
      break;
    }
  }
  expect(unpaid).toMatch(/^HMA-\d{6}$/);
  const numbers = (await rows.locator("td:first-child").allInnerTexts()).map((n) => Number(n.trim().slice(4)));
  const lastNumber = Math.max(...numbers);
  await page.getByRole("link", { name: unpaid! }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`Invoice ${unpaid}`);
  await shot(page, "invoice-issued");

  // The printable invoice.
  await page.getByRole("link", { name: "Printable invoice" }).click();
  await expect(page.getByRole("article", { name: `Invoice ${unpaid}` })).toContainText("Amount due");
  await shot(page, "invoice-print");
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".site-header")).toBeHidden();
  await page.screenshot({ path: path.join(SHOTS, "invoice-print-media.png"), fullPage: true });
  await page.emulateMedia({ media: "screen" });
  await page.getByRole("link", { name: "Back to the invoice" }).click();

  // Void it, with a reason.
  await page.getByRole("button", { name: "Void invoice" }).click();
  await expect(page.getByText("Enter the reason.")).toBeVisible();
  await page.getByRole("region", { name: "Void this invoice" }).getByLabel("Reason").fill("Sent to the wrong family");
  await page.getByRole("button", { name: "Void invoice" }).click();
  await expect(page.getByRole("status")).toContainText("The invoice is void");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Void");

  // Generating again bills that family's lessons on a fresh draft.
  await page.getByRole("link", { name: "Billing", exact: true }).first().click();
  await page.getByLabel("Term", { exact: true }).first().selectOption({ label: "Fall 2026" });
  await page.getByRole("button", { name: "Generate draft invoices" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Draft invoices ready for 1 of" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Drafts waiting" })).toContainText("1");

  // Review the draft: add an exam fee.
  await page.getByLabel("Status").selectOption("DRAFT");
  await page.getByRole("button", { name: "Show" }).click();
  await page.getByRole("link", { name: "Draft", exact: true }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Draft invoice");
  const totalBefore = cents(await page.locator(".bill-totals tr.grand td").first().innerText());
  await page.getByRole("button", { name: "Add line" }).click();
  await expect(page.getByText("Enter a description.")).toBeVisible();
  await page.getByRole("region", { name: "Add a line" }).getByLabel("Description").fill("ABRSM exam fee");
  await page.getByRole("region", { name: "Add a line" }).getByLabel(/Unit price/).fill("45");
  await page.getByRole("button", { name: "Add line" }).click();
  await expect(page.getByRole("status")).toContainText("“ABRSM exam fee” was added.");
  const total = async () => cents(await page.locator(".bill-totals tr.grand td").first().innerText());
  await expect.poll(total).toBe(totalBefore + 4500);
  await shot(page, "invoice-draft");

  // Change the fee's price: 50.00; a price with three decimals is refused first.
  await page.getByRole("link", { name: "Change ABRSM exam fee" }).click();
  const change = page.getByRole("form", { name: "Change ABRSM exam fee" });
  await change.getByLabel(/Unit price/).fill("50.001");
  await change.getByRole("button", { name: "Save line" }).click();
  await expect(page.getByRole("form", { name: "Change ABRSM exam fee" }).getByText(/decimals/)).toBeVisible();
  await shot(page, "invoice-draft-line");
  await page.getByRole("form", { name: "Change ABRSM exam fee" }).getByLabel(/Unit price/).fill("50");
  await page.getByRole("form", { name: "Change ABRSM exam fee" }).getByRole("button", { name: "Save line" }).click();
  await expect(page.getByRole("status")).toContainText("The line was changed");
  await expect.poll(total).toBe(totalBefore + 5000);

  // Issue every draft of the term from the billing page: the next number, no gap.
  await page.getByRole("link", { name: "Billing", exact: true }).first().click();
  await page.getByLabel("Term", { exact: true }).first().selectOption({ label: "Fall 2026" });
  await page.getByRole("button", { name: "Issue all drafts of this term" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Issued 1 invoice" })).toBeVisible();
  const next = `HMA-${String(lastNumber + 1).padStart(6, "0")}`;
  await page.getByLabel("Family or number").fill(next);
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByRole("link", { name: next })).toBeVisible();
  await expect(page.getByRole("region", { name: "Drafts waiting" })).toContainText("0");

  // The ledger check holds after all of it.
  await page.getByRole("button", { name: "Run the ledger check" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Every family's balance equals its entries." })).toBeVisible();

  // The settings and price list pages.
  await page.goto(at("/admin/billing/settings"));
  await expect(page.getByLabel("Invoice number prefix")).toHaveValue("HMA");
  await shot(page, "settings");
  await page.goto(at("/admin/billing/prices"));
  await expect(page.getByRole("heading", { level: 2, name: "Prices for Fall 2026" })).toBeVisible();
  await shot(page, "prices");
});

test("an admin records a cash payment for a family and sees the balance drop", async ({ ownSchool, ownAdminPage: page }) => {
  const at = (p: string) => schoolUrl(ownSchool.slug, p);
  await page.goto(at("/admin/billing?status=ISSUED"));
  const familyLink = page.locator("table tbody tr td:nth-child(2) a").first();
  const family = (await familyLink.innerText()).trim();
  await familyLink.click();
  await expect(page.getByRole("heading", { level: 1, name: family })).toBeVisible();
  const balance = page.getByTestId("family-balance");
  const before = cents(await balance.innerText());
  const owed = (await page.getByRole("region", { name: "Balance" }).innerText()).includes("owed");
  const signedBefore = owed ? before : -before;

  // A bad amount is refused in words, and what was typed stays.
  await page.getByLabel(/^Amount/).fill("12.345");
  await page.getByRole("button", { name: "Record payment" }).click();
  await expect(page.getByText(/too many decimals|decimals/)).toBeVisible();
  await expect(page.getByLabel(/^Amount/)).toHaveValue("12.345");

  await page.getByLabel(/^Amount/).fill("50.00");
  await page.getByLabel("Paid by").selectOption("CASH");
  await page.getByRole("button", { name: "Record payment" }).click();
  await expect(page.getByRole("status")).toContainText("The payment was recorded");
  const signedBalance = async () => {
    const amount = cents(await balance.innerText());
    return (await page.getByRole("region", { name: "Balance" }).innerText()).includes("in credit") ? -amount : amount;
  };
  await expect.poll(signedBalance).toBe(signedBefore - 5000);
  await expect(page.getByRole("region", { name: "Statement" })).toContainText("Payment · Cash");
  await shot(page, "family-account");
});
