import { expect, signIn, test } from "./fixtures";
import { schoolUrl } from "./support";

test("a teacher cancels one of their upcoming lessons and its families are told", async ({ page }) => {
  await signIn(page, "harmony", "maria.garcia@harmony.test");
  await page.goto(schoolUrl("harmony", "/teach"));
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
});

test("a parent turns lesson reminders off and on", async ({ page }) => {
  await signIn(page, "harmony", "michael.brown@harmony.test");
  await page.goto(schoolUrl("harmony", "/account/notifications"));
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
