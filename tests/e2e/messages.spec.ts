// School messages and reports, against the production build: an admin emails the
// families of one lesson (a mistake first, which keeps what was typed), the message
// is in the history, each family of the lesson receives it (the development mailbox)
// and a family of another lesson does not. A teacher shares a note about a lesson
// date and the family reads it on their page. The messages, reports and attendance
// pages are photographed at phone and desktop widths (test-results/messages/).
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./fixtures";
import { DEMO, schoolUrl } from "./support";

const SHOTS = path.join("test-results", "messages");
const SIZES = [
  { name: "390", viewport: { width: 390, height: 844 } },
  { name: "1440", viewport: { width: 1440, height: 900 } },
] as const;

async function screens(page: Page, name: string) {
  const original = page.viewportSize();
  for (const size of SIZES) {
    await page.setViewportSize(size.viewport);
    // The page's own content never scrolls sideways (wide tables scroll in their frame).
    const overflow = await page.evaluate(() => {
      const main = document.querySelector("main");
      return main ? main.scrollWidth - main.clientWidth : 0;
    });
    expect(overflow, `${name} at ${size.name} px`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(SHOTS, `${name}-${size.name}.png`), fullPage: true });
    await page.screenshot({ path: path.join(SHOTS, `${name}-${size.name}-first-screen.png`) });
  }
  if (original) await page.setViewportSize(original);
}

test("an admin messages a lesson's families and each family receives it", async ({ harmonyAdminPage: admin }) => {
  test.setTimeout(90_000);
  const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const subject = `Guitar Group moves to Studio C ${tag}`;

  await admin.goto(schoolUrl("harmony", "/admin"));
  await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Messages" }).click();
  await expect(admin.getByRole("heading", { level: 1, name: "Message families" })).toBeVisible();

  // A message without an audience or a text is refused in words, and what was typed stays.
  await admin.getByLabel("Subject").fill(subject);
  await admin.getByRole("button", { name: "Send message" }).click();
  await expect(admin.getByText("Choose who the message is for.")).toBeVisible();
  await expect(admin.getByText("Write the message.")).toBeVisible();
  await expect(admin.getByLabel("Subject")).toHaveValue(subject);

  const option = admin.locator("option", { hasText: /^Guitar Group \(/ });
  await admin.getByLabel("To").selectOption((await option.getAttribute("value")) ?? "");
  await admin.getByRole("textbox", { name: "Message", exact: true }).fill("Hello families,\n\nNext week we meet in Studio C. Bring your tuner.");
  await admin.getByRole("button", { name: "Send message" }).click();
  await expect(admin.getByRole("status")).toContainText(`Sent “${subject}” to 4 addresses (Families of Guitar Group).`);
  await expect(admin.getByRole("region", { name: "Sent" }).getByText(subject)).toBeVisible();
  await screens(admin, "admin-messages");

  // Every family of the lesson got it, in the school's name; a family of other lessons did not.
  await admin.goto(schoolUrl("harmony", "/dev/mailbox"));
  for (const to of ["michael.brown@harmony.test", "priya.patel@harmony.test", "aisha.okafor@harmony.test", "rachel.cohen@harmony.test"]) {
    const email = admin.getByRole("listitem", { name: `Email to ${to}: ${subject} — Harmony Music Academy` });
    await expect(email).toHaveCount(1);
    await expect(email).toContainText("Next week we meet in Studio C. Bring your tuner.");
    await expect(email).toContainText("Sent by");
  }
  await expect(admin.getByRole("listitem", { name: `Email to ${DEMO.harmony.parent}: ${subject} — Harmony Music Academy` })).toHaveCount(0);

  // The reports and the attendance page, as the admin sees them.
  await admin.goto(schoolUrl("harmony", "/admin/reports"));
  await expect(admin.getByRole("heading", { level: 1, name: "How the school is doing" })).toBeVisible();
  await expect(admin.getByRole("img", { name: /Enrollments and withdrawals per term/ })).toBeVisible();
  // Each report downloads as a spreadsheet.
  const [download] = await Promise.all([admin.waitForEvent("download"), admin.getByRole("link", { name: "Export teacher load as CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^harmony-teacher-load-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(await readFile(await download.path(), "utf8")).toContain("Teacher,Lessons,Students");
  await screens(admin, "admin-reports");
  await admin.goto(schoolUrl("harmony", "/admin/attendance"));
  await screens(admin, "admin-attendance");
});

test("a teacher shares a note about a lesson date and the family reads it on their page", async ({ browser }) => {
  test.setTimeout(90_000);
  const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const note = `We learned the C major scale. Practise it slowly ${tag}.`;
  const teacher = await (await browser.newContext()).newPage();
  await signIn(teacher, "harmony", DEMO.harmony.teacher);
  await teacher.goto(schoolUrl("harmony", "/teach/messages"));
  await expect(teacher.getByRole("heading", { level: 1, name: "Message families" })).toBeVisible();
  // Only the teacher's own lessons are offered, and no wider audience.
  await expect(teacher.locator("option", { hasText: /^Guitar Group \(/ })).toHaveCount(0);
  await expect(teacher.locator("option", { hasText: "The whole school" })).toHaveCount(0);
  await screens(teacher, "teacher-messages");

  // A past date of Piano Foundation (the Smith family's lesson), from the teacher's list of what is missing or done.
  await teacher.goto(schoolUrl("harmony", "/teach/today"));
  const occurrence = teacher.locator('a[href^="/teach/occurrences/"]', { hasText: "Piano Foundation" }).first();
  await occurrence.click();
  await teacher.getByRole("textbox", { name: "Note for the families" }).fill(note);
  await teacher.getByRole("button", { name: "Share with the families" }).click();
  await expect(teacher.getByRole("status").filter({ hasText: "The note is on the families’ page." })).toBeVisible();

  const parent = await (await browser.newContext()).newPage();
  await signIn(parent, "harmony", DEMO.harmony.parent);
  await parent.goto(schoolUrl("harmony", "/family"));
  await expect(parent.getByRole("region", { name: "Notes from teachers" })).toContainText(note);
  await screens(parent, "family-notes");
});
