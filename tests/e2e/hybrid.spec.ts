// Hybrid lessons and make-ups, end to end against the production build and the demo
// seed (harmony: "Keys Hybrid Course", Sarah Johnson, Saturdays 10:00; the Smith
// family — Emma takes the hybrid course, Lily "Piano Foundation 1"):
// - an admin sets the Spring 2027 pattern of the hybrid course and opens bookings;
// - a parent books Emma's three 1-on-1 weeks at once and moves one with notice;
//   the admin and the teacher see who has booked;
// - a parent cancels one of Lily's lessons with notice and books a make-up seat
//   with the credit.
// Each page is also captured at a phone size (390x844) into test-results/ (looked
// at by people, not compared by pixels).
import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./fixtures";
import { DEMO, escapeRegExp, schoolUrl } from "./support";

// This spec changes its school: it works on a copy of harmony of its own (ownSchool).
let slug = "";
test.beforeEach(({ ownSchool }) => {
  slug = ownSchool.slug;
});

const PHONE = { width: 390, height: 844 };
const TERM = "Spring 2027";

/** A full-page capture at phone size, then back to the desktop viewport. */
async function phoneShot(page: Page, name: string) {
  const desktop = page.viewportSize();
  await page.setViewportSize(PHONE);
  // Nothing may stick out sideways on a phone.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await page.screenshot({ path: `test-results/hybrid-phone-${name}.png`, fullPage: true });
  if (desktop) await page.setViewportSize(desktop);
  return overflow;
}

async function openHybridPage(page: Page) {
  await page.goto(schoolUrl(slug, "/admin/lessons"));
  await page.getByRole("link", { name: "Keys Hybrid Course", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`^${escapeRegExp(schoolUrl(slug, "/admin/lessons/"))}\\w+$`));
  await page.goto(`${page.url()}/hybrid`);
  await expect(page.getByRole("heading", { level: 1, name: "Keys Hybrid Course" })).toBeVisible();
}

async function chooseTerm(page: Page, name: string) {
  const select = page.getByLabel("Term");
  const value = await select.locator("option", { hasText: name }).getAttribute("value");
  await select.selectOption(value ?? "");
  await expect(page).toHaveURL(/\?term=/);
  await expect(page.getByRole("heading", { level: 2, name: `Pattern for ${name}` })).toBeVisible();
}

test.describe("hybrid 1-on-1 weeks", () => {
  test.describe.configure({ mode: "serial" });

  test("an admin sets the term pattern of a hybrid lesson and opens bookings", async ({ ownAdminPage: page }) => {
    await openHybridPage(page);
    await chooseTerm(page, TERM);

    // A mistake is explained as it is typed, and again by the server, keeping the text.
    const weeks = page.getByLabel("1-on-1 weeks");
    await weeks.fill("9-3");
    await expect(page.getByText('The range "9-3" runs backwards; did you mean "3-9"?')).toBeVisible();
    await page.getByRole("button", { name: "Save pattern" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Please correct the fields marked below." })).toBeVisible();
    await expect(weeks).toHaveValue("9-3");

    await weeks.fill("3, 6, 9");
    await page.getByLabel("1-on-1 session (minutes)").fill("30");
    await page.getByLabel("Price per group week").fill("22.50");
    await page.getByLabel("Price per 1-on-1 week").fill("40");
    // The preview follows the typing: week 3 is a 1-on-1 week, week 4 a group week.
    const preview = page.getByRole("table").filter({ has: page.getByRole("columnheader", { name: "On the calendar" }) });
    const week = (n: number) => preview.getByRole("row").filter({ has: page.getByRole("cell", { name: String(n), exact: true }) });
    await expect(week(3)).toContainText("INDIVIDUAL");
    await expect(week(4)).toContainText("GROUP");
    await expect(week(4)).toContainText("Group class Sat, Feb 6, 10:00 AM");

    await page.getByRole("button", { name: "Save pattern" }).click();
    await expect(page.getByRole("status").filter({ hasText: `Saved the pattern for ${TERM}.` })).toBeVisible();
    await expect(weeks).toHaveValue("3, 6, 9");
    await expect(page.getByLabel("Price per group week")).toHaveValue("22.50");

    await page.getByRole("button", { name: "Open bookings" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Bookings are open." })).toBeVisible();
    await expect(page.getByText(/Bookings opened on/)).toBeVisible();
    await expect(page.getByRole("button", { name: "Open bookings" })).toHaveCount(0);
    // Nobody has booked yet.
    const overview = page.getByRole("table").filter({ has: page.getByRole("columnheader", { name: "Week 6" }) });
    await expect(overview.getByRole("row", { name: /Emma Smith/ })).toContainText("Not booked");
    await expect(page.getByText("0 of 3", { exact: true })).toBeVisible();

    expect(await phoneShot(page, "admin-pattern")).toBeLessThanOrEqual(0);
  });

  test("a parent books three 1-on-1 weeks at once and moves one with notice", async ({ page }) => {
    await signIn(page, slug, DEMO.harmony.parent);
    await page.goto(schoolUrl(slug, "/family/makeups"));
    const toBook = page.getByRole("region", { name: "1-on-1 weeks to book" });
    await toBook.getByRole("listitem").filter({ hasText: TERM }).getByRole("link", { name: "Choose times" }).click();
    await expect(page).toHaveURL(new RegExp(escapeRegExp(schoolUrl(slug, "/family/hybrid/"))));
    await expect(page.getByRole("heading", { level: 1, name: "Keys Hybrid Course" })).toBeVisible();

    const emma = page.getByRole("region", { name: "Emma Smith" });
    await expect(emma.getByText("0 of 3 1-on-1 weeks booked")).toBeVisible();
    // Group weeks are never offered: only weeks 3, 6 and 9.
    await expect(emma.getByRole("group", { name: /^Week \d+/ })).toHaveCount(3);
    const chosen: Record<number, string> = {};
    for (const week of [3, 6, 9]) {
      const box = emma.getByRole("group", { name: new RegExp(`^Week ${week} `) });
      const first = box.locator("label.hy-slot").first();
      chosen[week] = (await first.innerText()).trim();
      await first.getByRole("radio").check();
    }
    expect(await phoneShot(page, "family-booking-choose")).toBeLessThanOrEqual(0);
    await emma.getByRole("button", { name: "Book all chosen weeks for Emma" }).click();
    for (const week of [3, 6, 9]) {
      const box = emma.getByRole("group", { name: new RegExp(`^Week ${week} `) });
      await expect(box.getByRole("status")).toContainText(`Booked: `);
      await expect(box.getByRole("status")).toContainText(chosen[week]!);
    }
    await expect(emma.getByText("3 of 3 1-on-1 weeks booked")).toBeVisible();

    // Move week 6 to another free time of that week.
    const six = emma.getByRole("group", { name: /^Week 6 / });
    await six.getByText("Move this session").click();
    const target = six.locator("label.hy-slot").nth(2);
    const targetTime = (await target.innerText()).trim();
    await target.getByRole("radio").check();
    await six.getByRole("button", { name: "Move to this time" }).click();
    await expect(six.getByRole("status")).toContainText(`Moved to `);
    await expect(six.getByRole("status")).toContainText(targetTime);
    await expect(six.getByText("Booked", { exact: true })).toBeVisible();

    expect(await phoneShot(page, "family-booking-booked")).toBeLessThanOrEqual(0);
  });

  test("the admin and the teacher see who has booked", async ({ ownAdminPage: page, browser }) => {
    await openHybridPage(page);
    await chooseTerm(page, TERM);
    const overview = page.getByRole("table").filter({ has: page.getByRole("columnheader", { name: "Week 6" }) });
    const emma = overview.getByRole("row", { name: /Emma Smith/ });
    await expect(emma).not.toContainText("Not booked");
    await expect(overview.getByRole("row", { name: /Grace Kim/ })).toContainText("Not booked");
    await expect(page.getByText("1 of 3", { exact: true })).toBeVisible();

    const familyLink = await page.getByRole("link", { name: /^\/family\/hybrid\// }).getAttribute("href");
    const configId = familyLink!.split("/").pop()!;
    const context = await browser.newContext();
    try {
      const teacher = await context.newPage();
      await signIn(teacher, slug, DEMO.harmony.teacher);
      await teacher.goto(schoolUrl(slug, `/teach/hybrid/${configId}`));
      await expect(teacher.getByRole("heading", { level: 1, name: "Keys Hybrid Course" })).toBeVisible();
      await expect(teacher.getByRole("row", { name: /Emma Smith/ })).not.toContainText("Not booked");
      await expect(teacher.getByRole("row", { name: /Arjun Patel/ })).toContainText("Not booked");
      expect(await phoneShot(teacher, "teacher-overview")).toBeLessThanOrEqual(0);
    } finally {
      await context.close();
    }
  });
});

test("a parent cancels a lesson with notice and books a make-up with the credit", async ({ page }) => {
  await signIn(page, slug, DEMO.harmony.parent);
  await page.goto(schoolUrl(slug, "/family/makeups"));
  await expect(page.getByRole("heading", { level: 1, name: "Can't make a lesson?" })).toBeVisible();
  const lily = page.getByRole("region", { name: "Lily Smith" });

  // Lily's furthest coming lesson: plenty of notice.
  const lesson = lily.locator("li[data-occurrence]").filter({ hasText: "Piano Foundation 1" }).last();
  const when = (await lesson.locator(".mk-when").innerText()).trim();
  await lesson.getByText("Can't make it").click();
  await expect(lesson.getByText(/enough notice for a make-up credit/)).toBeVisible();
  await lesson.getByLabel("Reason (optional)").fill("School trip");
  await lesson.getByRole("button", { name: "Cancel Lily's lesson" }).click();
  await expect(lily.getByRole("status")).toContainText("Cancelled. The teacher has been told, and a make-up credit was added");
  await expect(lily.locator("li[data-occurrence]").filter({ hasText: when })).toContainText("Cancelled · the teacher knows");

  // The new credit offers open seats in fitting group classes; take the first.
  const credit = lily.locator("[data-credit]").filter({ has: page.getByText("Available", { exact: true }) });
  await expect(credit).toHaveCount(1);
  await expect(credit).toContainText(`for Piano Foundation 1 on ${when.split("–")[0]}`);
  const book = credit.getByRole("button", { name: /^Book .+ on / }).first();
  const label = (await book.getAttribute("aria-label"))!;
  const [, title, at] = /^Book (.+) on (.+)$/.exec(label)!;
  expect(await phoneShot(page, "family-makeups-options")).toBeLessThanOrEqual(0);
  await book.click();
  await expect(lily.getByRole("status")).toContainText(`Booked: ${title} on ${at}. The credit has been used.`);
  await expect(lily.locator("[data-credit]").filter({ has: page.getByText("Available", { exact: true }) })).toHaveCount(0);
  // The make-up is among Lily's coming lessons.
  await expect(lily.locator("li[data-occurrence]").filter({ hasText: title! }).filter({ hasText: "Make-up" })).toHaveCount(1);

  expect(await phoneShot(page, "family-makeups-booked")).toBeLessThanOrEqual(0);
});
