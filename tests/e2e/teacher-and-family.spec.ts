import { expect, signIn, test } from "./fixtures";
import { schoolUrl } from "./support";

// This spec changes its school: it works on a copy of harmony of its own (ownSchool).
let slug = "";
test.beforeEach(({ ownSchool }) => {
  slug = ownSchool.slug;
});

test("a teacher cancels one of their upcoming lessons and its families are told", async ({ page }) => {
  await signIn(page, slug, "maria.garcia@harmony.test");
  await page.goto(schoolUrl(slug, "/teach"));
  const cancelLink = page.getByRole("link", { name: "Cancel…" }).first();
  await expect(cancelLink).toBeVisible();
  await cancelLink.click();
  await expect(page.getByRole("heading", { level: 1, name: "Cancel a lesson" })).toBeVisible();
  // Too short a reason is refused with a message.
  await page.getByLabel("Why (the families see this)").fill("x");
  await page.getByRole("button", { name: "Cancel the lesson and tell the families" }).click();
  await expect(page.getByRole("alert")).toContainText("Tell the families why");
  await page.getByLabel("Why (the families see this)").fill("Orchestra rehearsal moved");
  await page.getByRole("button", { name: "Cancel the lesson and tell the families" }).click();
  await expect(page).toHaveURL(/\/teach$/);
  await expect(page.getByText(/cancelled by teacher/i).first()).toBeVisible();

  // The families are told: the email with the reason is in the development mailbox.
  await page.goto(schoolUrl(slug, "/dev/mailbox"));
  const told = page.getByRole("listitem", { name: /^Email to \S+@\S+: Cancelled: / }).filter({ hasText: "Reason: Orchestra rehearsal moved" });
  await expect(told.first()).toBeVisible();
  await expect(told.first()).toContainText("Maria Garcia has had to cancel");
});

test("a parent turns lesson reminders off and on", async ({ page }) => {
  await signIn(page, slug, "michael.brown@harmony.test");
  await page.goto(schoolUrl(slug, "/account/notifications"));
  const box = page.getByLabel(/reminder the day before each lesson/);
  await expect(box).toBeChecked();
  await box.uncheck();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toContainText("no longer get lesson reminders");
  await page.reload();
  await expect(page.getByLabel(/reminder the day before each lesson/)).not.toBeChecked();
  await page.getByLabel(/reminder the day before each lesson/).check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toContainText("You will get a reminder");
});
