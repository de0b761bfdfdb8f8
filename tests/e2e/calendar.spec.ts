// The calendar, end to end: an admin drags a lesson onto a clash and is refused
// with the clash named, then drags it onto a free slot and it moves; the keyboard
// edit form moves a date (keeping what was typed after a refusal); the filter form
// narrows the calendar without JavaScript; teachers and families see only their own.
// Demo data: harmony (America/New_York); the Fall 2026 term runs to 18 Dec 2026.
import type { Locator, Page } from "@playwright/test";
import { expect, signIn, test } from "./fixtures";
import { DEMO, schoolUrl } from "./support";

// This spec changes its school: it works on a copy of harmony of its own (ownSchool).
let slug = "";
// This journey reads 24-hour, day-month times: its school copy writes en-GB.
test.use({ ownSchoolLocale: "en-GB" });

test.beforeEach(({ ownSchool }) => {
  slug = ownSchool.slug;
});

// Tall enough for the whole time grid (08:00–21:00) to be on screen while dragging.
test.use({ viewport: { width: 1280, height: 1600 } });

const WEEK_OF_1_DEC = "Week: 30 Nov – 6 Dec 2026";

/** Drags `item` onto `column` so that its top lands at local `time` ("HH:mm"). */
async function dragTo(item: Locator, column: Locator, time: string) {
  await column.scrollIntoViewIfNeeded();
  const box = await column.boundingBox();
  if (!box) throw new Error("the day column is not visible");
  const start = Number(await column.getAttribute("data-grid-start"));
  const end = Number(await column.getAttribute("data-grid-end"));
  const [h, m] = time.split(":").map(Number) as [number, number];
  const y = ((h * 60 + m - start) / (end - start)) * box.height;
  // Grab the item 3px below its top edge, and drop 3px below the target line.
  await item.dragTo(column, { sourcePosition: { x: 12, y: 3 }, targetPosition: { x: 30, y: y + 3 } });
}

/** The week of 9 Dec: en-GB writes a week within one month as "7–13 Dec 2026" (Intl.DateTimeFormat#formatRange). */
const DEC_7_TO_13 = /^Week: 7\s*–\s*13 Dec 2026$/;

function week(page: Page, name: string | RegExp = WEEK_OF_1_DEC) {
  return page.getByRole("region", { name });
}

test("an admin drags a lesson onto a clash and is refused, then onto a free slot and it moves", async ({ page }) => {
  await signIn(page, slug, DEMO.harmony.admin);
  await page.goto(schoolUrl(slug, "/admin/calendar?view=week&date=2026-12-01"));
  await expect(page.getByRole("heading", { level: 1, name: "Calendar" })).toBeVisible();
  const grid = week(page);
  const tuesday = grid.getByRole("region", { name: "Tue 1 Dec" });
  const thursday = grid.getByRole("region", { name: "Thu 3 Dec" });
  const graceKim = grid.getByRole("link", { name: /Piano — Grace Kim/ });
  await expect(graceKim).toHaveCount(1);
  // Sarah Johnson teaches Piano Foundation 1 on Tuesday at 16:00.
  await expect(tuesday.getByRole("link", { name: /^16:00–16:45 Piano Foundation 1, Group, Sarah Johnson/ })).toBeVisible();
  // (On a retry the lesson may already be on Tuesday at 17:00: then the free slot is 18:00.)
  const alreadyMoved = (await tuesday.getByRole("link", { name: /Piano — Grace Kim/ }).count()) > 0;
  const freeTime = alreadyMoved ? "18:00" : "17:00";
  const homeColumn = alreadyMoved ? tuesday : thursday;
  const homeName = (await graceKim.getAttribute("aria-label")) ?? "";

  // 1. Onto Tuesday 16:00, where Sarah is already teaching: refused, with the clash named.
  await dragTo(graceKim, tuesday, "16:00");
  const dialog = page.getByRole("dialog", { name: "Move Piano — Grace Kim?" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("Tue 1 Dec, 16:00–16:30");
  await expect(dialog.getByLabel("Room")).toHaveValue(/.+/);
  await dialog.getByRole("button", { name: "Move" }).click();
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("This move was refused");
  await expect(alert).toContainText("Sarah Johnson is already teaching Piano Foundation 1 in Studio A at 16:00 on Tue 1 Dec");
  await expect(alert).toContainText("The lesson stays where it was.");
  // It has not moved.
  await expect(homeColumn.getByRole("link", { name: homeName })).toBeVisible();
  await expect(page.getByRole("dialog")).toHaveCount(0);

  // 2. Onto a free slot: it moves, families are emailed, the calendar reloads.
  await dragTo(graceKim, tuesday, freeTime);
  await expect(dialog).toContainText(`Tue 1 Dec, ${freeTime}–`);
  await dialog.getByRole("button", { name: "Move" }).click();
  await expect(page.getByRole("status").filter({ hasText: "moved to" })).toContainText(
    new RegExp(`Piano — Grace Kim moved to Tue 1 Dec, ${freeTime}–\\d\\d:\\d\\d in Studio B\\. \\d+ emails? sent to families\\.`),
  );
  await expect(page.getByRole("alert")).toHaveCount(0);
  await expect(tuesday.getByRole("link", { name: new RegExp(`^${freeTime}–\\d\\d:\\d\\d Piano — Grace Kim`) })).toBeVisible();
  await expect(thursday.getByRole("link", { name: /Piano — Grace Kim/ })).toHaveCount(0);

  // The family's email is in the outbox.
  await page.goto(schoolUrl(slug, "/admin/outbox"));
  await expect(page.getByText("Piano — Grace Kim has moved to Tue 1 Dec").first()).toBeVisible();
});

test("the keyboard edit form refuses a clash keeping what was typed, then moves the date", async ({ page }) => {
  await signIn(page, slug, DEMO.harmony.admin);
  await page.goto(schoolUrl(slug, "/admin/calendar?view=week&date=2026-12-09"));
  const wednesday = week(page, DEC_7_TO_13).getByRole("region", { name: "Wed 9 Dec" });
  const link = wednesday.getByRole("link", { name: /Guitar Group/ });
  await link.focus();
  await page.keyboard.press("Enter");

  await expect(page).toHaveURL(/\/admin\/occurrences\/[^/?]+\?back=/);
  await expect(page.getByRole("heading", { level: 1, name: "Guitar Group" })).toBeVisible();
  await expect(page.getByText(/Roster: \d+ of 6 places taken/)).toBeVisible();
  const date = page.getByLabel("Date", { exact: true });
  const time = page.getByLabel("Start time");
  await expect(date).toHaveValue("2026-12-09");
  const target = (await time.inputValue()) === "18:30" ? "18:45" : "18:30";

  // Friday 18:00 clashes with David Chen's band rehearsal.
  await date.fill("2026-12-11");
  await time.fill("18:00");
  await page.getByLabel("Length (minutes)").fill("60");
  await expect(page.getByRole("radio", { name: "Only this date" })).toBeChecked();
  await page.getByRole("button", { name: "Save changes" }).click();
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("nothing was saved");
  await expect(alert).toContainText("David Chen is already teaching Junior Band Rehearsal in Recital Hall at 18:00 on Fri 11 Dec");
  await expect(date).toHaveValue("2026-12-11");
  await expect(time).toHaveValue("18:00");

  // Back to Wednesday, later that evening: saved, back on the calendar week of the new date.
  await date.fill("2026-12-09");
  await time.fill(target);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page).toHaveURL(/\/admin\/calendar\?.*view=week.*date=2026-12-09/);
  const endHour = target === "18:30" ? "19:30" : "19:45";
  await expect(page.getByRole("status")).toContainText(`Guitar Group now meets Wed 9 Dec, ${target}–${endHour} in Studio B.`);
  await expect(week(page, DEC_7_TO_13).getByRole("region", { name: "Wed 9 Dec" }).getByRole("link", { name: new RegExp(`^${target}–${endHour} Guitar Group`) })).toBeVisible();
});

test("the filter form narrows the calendar, without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 1200 } });
  const page = await context.newPage();
  try {
    await signIn(page, slug, DEMO.harmony.admin);
    await page.goto(schoolUrl(slug, "/admin/calendar?view=week&date=2026-12-01"));
    const grid = week(page);
    await expect(grid.getByRole("link", { name: /Piano Foundation 1/ })).toBeVisible();
    await expect(grid.getByRole("link", { name: /String Ensemble/ })).toBeVisible();

    await page.getByLabel("Teacher", { exact: true }).selectOption({ label: "Maria Garcia" });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/[?&]teacher=[^&]+/);
    await expect(page.getByLabel("Teacher", { exact: true })).toHaveValue(/.+/);
    await expect(grid.getByRole("link", { name: /String Ensemble/ })).toBeVisible();
    await expect(grid.getByRole("link", { name: /Violin — Sofia Lopez/ })).toBeVisible();
    await expect(grid.getByRole("link", { name: /Piano Foundation 1/ })).toHaveCount(0);
    await expect(grid.getByRole("link", { name: /Guitar Group/ })).toHaveCount(0);
    // Every lesson left is Maria's.
    const labels = await grid.getByRole("link", { name: /\d\d:\d\d–\d\d:\d\d / }).evaluateAll((els) => els.map((e) => e.getAttribute("aria-label") ?? ""));
    expect(labels.length).toBeGreaterThan(0);
    for (const label of labels) expect(label).toContain("Maria Garcia");

    // Narrower still: her ensembles only.
    await page.getByLabel("Lesson type", { exact: true }).selectOption({ label: "Ensemble" });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/[?&]type=ENSEMBLE/);
    await expect(grid.getByRole("link", { name: /String Ensemble/ })).toBeVisible();
    await expect(grid.getByRole("link", { name: /Violin — Sofia Lopez/ })).toHaveCount(0);

    // The view switch and the week navigation keep the filters.
    await page.getByRole("navigation", { name: "View" }).getByRole("link", { name: "Month" }).click();
    await expect(page).toHaveURL(/view=month/);
    await expect(page).toHaveURL(/type=ENSEMBLE/);
    await expect(page.getByRole("link", { name: /String Ensemble/ }).first()).toBeVisible();
    await expect(page.getByRole("link", { name: /Piano Foundation 1/ })).toHaveCount(0);

    await page.getByRole("link", { name: /Clear filters/ }).click();
    await expect(page).not.toHaveURL(/teacher=|type=/);
    await expect(page.getByRole("link", { name: /Piano Foundation 1/ }).first()).toBeVisible();
  } finally {
    await context.close();
  }
});

test("a teacher sees only their own week, read-only, and not the school calendar", async ({ page }) => {
  await signIn(page, slug, DEMO.harmony.teacher);
  await page.goto(schoolUrl(slug, "/teach/week?date=2026-12-01"));
  await expect(page.getByRole("heading", { level: 1, name: "My week" })).toBeVisible();
  const grid = week(page);
  await expect(grid.getByRole("button", { name: /Piano — Arjun Patel/ })).toBeVisible();
  await expect(grid.getByRole("button", { name: /Piano Foundation 1/ })).toBeVisible();
  await expect(grid.getByText(/Guitar Group|String Ensemble|Junior Band Rehearsal/)).toHaveCount(0);
  await expect(grid.getByRole("link", { name: /Piano/ })).toHaveCount(0);
  await expect(page.getByText("$")).toHaveCount(0);

  await grid.getByRole("button", { name: /Piano — Arjun Patel/ }).click();
  const details = page.getByRole("dialog", { name: "Piano — Arjun Patel" });
  await expect(details).toContainText("Sarah Johnson");
  await details.getByRole("button", { name: "Close" }).click();
  await expect(details).toHaveCount(0);

  const response = await page.goto(schoolUrl(slug, "/admin/calendar"));
  expect(response?.status()).toBe(403);
});

test("a parent sees every child's lessons, and whose they are", async ({ page }) => {
  await signIn(page, slug, DEMO.harmony.parent);
  await page.goto(schoolUrl(slug, "/family/schedule?date=2026-12-01"));
  await expect(page.getByRole("heading", { level: 1, name: "Schedule" })).toBeVisible();
  const grid = week(page);
  // Lily's group class and Emma's hybrid course; nobody else's lessons.
  await expect(grid.getByRole("button", { name: /Piano Foundation 1.*For Lily/ })).toBeVisible();
  await expect(grid.getByRole("button", { name: /Keys Hybrid Course.*For Emma/ })).toBeVisible();
  await expect(grid.getByText(/Guitar Group|String Ensemble|Arjun Patel/)).toHaveCount(0);
  await expect(grid.getByText(/\d+\/\d+/)).toHaveCount(0);
});

test("a make-up class shows on the schedule of the family whose child joins it as a guest", async ({ page }) => {
  // The demo seeds Hana Tanaka as a make-up guest of the next Piano Foundation 1 class.
  await signIn(page, slug, "yuki.tanaka@harmony.test");
  await page.goto(schoolUrl(slug, "/family/schedule"));
  const makeUp = page.getByRole("button", { name: /Piano Foundation 1.*Make-up class for Hana/ });
  for (let weeks = 0; weeks < 4 && (await makeUp.count()) === 0; weeks++) {
    await page.getByRole("navigation", { name: "Weeks" }).getByRole("link", { name: /Next/ }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Schedule" })).toBeVisible();
  }
  await expect(makeUp).toBeVisible();
  // The same class is Ren's own: the entry says so too.
  await expect(makeUp).toHaveAccessibleName(/For Ren · Make-up class for Hana/);
  // Hana's own ensemble meets on Thursdays (not in Thanksgiving week): the next week shows it, as hers.
  await page.getByRole("navigation", { name: "Weeks" }).getByRole("link", { name: /Next/ }).click();
  await expect(page.getByRole("button", { name: /String Ensemble.*For Hana/ }).first()).toBeVisible();
});
