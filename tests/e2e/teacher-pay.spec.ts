// Teacher pay on the local Stripe stand-in (the e2e server runs it), in this spec's own copy of
// harmony (its seed holds a paid October run and an open November run, and money held from a
// family's card payment): a teacher connects Stripe on the stand-in's onboarding page; an admin
// computes November's run, adds a reimbursement, approves it and pays it by Stripe transfer; the
// teacher sees the paid statement. Screenshots of the pages, desktop and 390 px wide.
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./fixtures";
import { databaseServices } from "./own-school";
import { DEMO, schoolUrl } from "./support";

const SHOTS = path.join("test-results", "teacher-pay");

async function shots(page: Page, name: string) {
  for (const [label, size] of [["desktop", { width: 1280, height: 900 }], ["390", { width: 390, height: 844 }]] as const) {
    await page.setViewportSize(size);
    // Nothing may scroll sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
    await page.screenshot({ path: path.join(SHOTS, `${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("a teacher connects Stripe; an admin computes, adjusts, approves and pays November; the teacher sees the paid statement", async ({ ownSchool, ownAdminPage: admin, browser }) => {
  test.setTimeout(180_000);
  const at = (p: string) => schoolUrl(ownSchool.slug, p);
  // The copy's first teacher starts connected to a demo account: take that away first.
  const school = await databaseServices().platform.findSchool({ slug: ownSchool.slug });
  await databaseServices()
    .platform.schoolDb(school!.id)
    .run(async (tx) => {
      const sarah = await tx.user.findFirstOrThrow({ where: { email: DEMO.harmony.teacher }, select: { id: true } });
      await tx.teacherStripeAccount.deleteMany({ where: { userId: sarah.id } });
    });

  // 1. The teacher connects on the stand-in's onboarding page.
  const teacherContext = await browser.newContext();
  const teacher = await teacherContext.newPage();
  try {
    await signIn(teacher, ownSchool.slug, DEMO.harmony.teacher);
    await teacher.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Pay" }).click();
    await expect(teacher.getByRole("heading", { level: 1, name: "My pay" })).toBeVisible();
    await expect(teacher.getByTestId("teacher-stripe-state")).toHaveText("Not connected");
    // October's run, paid outside Encore before she connected, is already on her page.
    await expect(teacher.getByTestId("statement").filter({ hasText: "October 2026" })).toBeVisible();
    await teacher.getByRole("button", { name: "Connect with Stripe" }).click();
    await expect(teacher.getByRole("heading", { level: 1, name: /^Set up payments for / })).toBeVisible();
    await teacher.getByRole("button", { name: "Complete onboarding" }).click();
    await expect(teacher).toHaveURL(at("/teach/pay?returned=1"));
    await expect(async () => {
      await teacher.reload();
      await expect(teacher.getByTestId("teacher-stripe-state")).toHaveText("Connected", { timeout: 1_000 });
    }).toPass({ timeout: 15_000 });

    // 2. The admin computes November, adds a reimbursement, approves and pays.
    await admin.goto(at("/admin"));
    await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Pay" }).click();
    await expect(admin.getByRole("heading", { level: 1, name: "Teacher pay" })).toBeVisible();
    await shots(admin, "admin-pay");
    await expect(admin.getByLabel("First day")).toHaveValue("2026-11-01");
    await expect(admin.getByLabel("Last day")).toHaveValue("2026-11-30");
    await admin.getByRole("button", { name: "Compute" }).click();
    await expect(admin.getByRole("heading", { level: 1, name: "November 2026" })).toBeVisible();
    await expect(admin.getByTestId("run-status")).toHaveText("Open (draft)");
    // Lessons after the clock's day are not taught yet: to resolve, paid nothing.
    await expect(admin.getByRole("heading", { name: "To resolve" })).toBeVisible();
    const sarahCard = admin.getByRole("region", { name: "Sarah Johnson" });
    const before = await sarahCard.getByTestId(/^total-/).innerText();

    const adjust = admin.getByRole("region", { name: "Add an adjustment" });
    await adjust.getByLabel("Teacher").selectOption({ label: "Sarah Johnson" });
    await adjust.getByLabel("Kind").selectOption("REIMBURSEMENT");
    await adjust.getByLabel("Amount").fill("abc");
    await adjust.getByLabel("Reason").fill("Sheet music for the recital");
    await adjust.getByRole("button", { name: "Add adjustment" }).click();
    // A bad amount is refused in words, keeping what was typed.
    await expect(adjust.locator(".field-error")).toBeVisible();
    await expect(adjust.getByLabel("Reason")).toHaveValue("Sheet music for the recital");
    await adjust.getByLabel("Amount").fill("24.50");
    await adjust.getByRole("button", { name: "Add adjustment" }).click();
    await expect(admin.getByRole("status").filter({ hasText: "The adjustment was saved" })).toBeVisible();
    await expect(sarahCard.getByText("Reimbursement: Sheet music for the recital")).toBeVisible();
    const cents = (t: string) => Math.round(Number(t.replace(/[^\d.-]/g, "")) * 100);
    await expect(async () => expect(cents(await sarahCard.getByTestId(/^total-/).innerText())).toBe(cents(before) + 2450)).toPass();
    await shots(admin, "admin-pay-run-draft");

    await admin.getByRole("button", { name: "Approve this run" }).click();
    await expect(admin.getByRole("status").filter({ hasText: "The run is approved" })).toBeVisible();
    await expect(admin.getByTestId("run-status")).toHaveText("Approved");
    await admin.getByRole("button", { name: "Pay by Stripe transfer" }).click();
    await expect(admin.getByRole("status").filter({ hasText: "1 transfer sent." })).toBeVisible();
    await admin.reload();
    await expect(sarahCard.getByText(/Paid by Stripe transfer/)).toBeVisible();
    // The others have no Stripe account: paid outside Encore, with a reference.
    const other = admin.getByRole("form", { name: /^Mark .* paid outside Encore$/ }).first();
    await other.getByLabel("Payment reference").fill("BACS 2026-11-01");
    await other.getByRole("button", { name: "Mark paid outside Encore" }).click();
    await expect(admin.getByRole("status").filter({ hasText: "Marked as paid outside Encore." })).toBeVisible();
    await shots(admin, "admin-pay-run-paid");
    await admin.goto(at("/admin/pay/rules"));
    await expect(admin.getByRole("heading", { level: 1, name: "Pay rates and policy" })).toBeVisible();
    await shots(admin, "admin-pay-rules");

    // 3. The teacher sees November paid.
    await teacher.goto(at("/teach/pay"));
    const november = teacher.getByTestId("statement").filter({ hasText: "November 2026" });
    await expect(november.getByTestId("statement-status")).toContainText("Paid by transfer to your Stripe account on");
    await expect(november.getByText("Reimbursement: Sheet music for the recital")).toBeVisible();
    await shots(teacher, "teach-pay");
  } finally {
    await teacherContext.close();
  }
});
