// Scheduling journeys against the production build: an admin sets up a term,
// creates a weekly group lesson until the end of it (a clash is listed and the form
// keeps what was typed), and enrolls students; a teacher takes attendance on
// /teach/today for a lesson the admin has just put in their day, and the absent
// student's family gets an email.
import type { Browser, Page } from "@playwright/test";
import { expect, signIn, test } from "./fixtures";
import { CLOCK_START, DEMO, escapeRegExp, schoolUrl } from "./support";

// This spec changes its school: it works on a copy of harmony of its own (ownSchool).
let slug = "";
// This journey reads 24-hour, day-month times: its school copy writes en-GB.
test.use({ ownSchoolLocale: "en-GB" });

test.beforeEach(({ ownSchool }) => {
  slug = ownSchool.slug;
});

const SCHOOL_TZ = "America/New_York"; // harmony's zone (prisma/seed/demo.ts)
const url = (path: string) => schoolUrl(slug, path);
const suffix = () => `${Date.now().toString(36).slice(-5)}${Math.random().toString(36).slice(2, 5)}`;

/** Local date, weekday (0 = Sunday) and minutes after midnight in the school's zone. */
function schoolNow(now = new Date()) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone: SCHOOL_TZ, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", weekday: "short", hourCycle: "h23" })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  const weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(parts.weekday!);
  return { date: `${parts.year}-${parts.month}-${parts.day}`, weekday, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

async function adminPage(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, slug, DEMO.harmony.admin);
  return page;
}

/** Enrolls a student through the searchable picker on a lesson page. */
async function enroll(page: Page, search: string, fullName: string, lessonTitle: string) {
  const box = page.getByRole("form", { name: "Enroll a student" });
  await box.getByLabel("Find a student").fill(search);
  await expect(box.getByLabel("Student", { exact: true })).toHaveValue(/.+/);
  await box.getByRole("button", { name: /^Enroll/ }).click();
  await expect(page.getByRole("region", { name: "Students" }).getByRole("status")).toHaveText(`${fullName} is enrolled in ${lessonTitle}.`);
  await expect(page.getByRole("listitem", { name: fullName })).toBeVisible();
}

test("an admin sets a term, creates a weekly group lesson until its end, and enrolls students", async ({ page }) => {
  const id = suffix();
  // A term far enough ahead that it meets no other term (terms may not overlap).
  const year = 2040 + Math.floor(Math.random() * 50);
  const term = { name: `E2E Spring ${id}`, start: `${year}-04-02`, end: `${year}-06-18` };
  const title = `E2E Guitar Circle ${id}`;
  await signIn(page, slug, DEMO.harmony.admin);

  // The term (the terms page belongs to the school's setup).
  await page.goto(url("/admin/terms"));
  const termForm = page.locator("#term-form");
  await termForm.getByLabel("Name").fill(term.name);
  await termForm.getByLabel("First day").fill(term.start);
  await termForm.getByLabel("Last day").fill(term.end);
  await termForm.getByRole("button", { name: "Add term" }).click();
  await expect(page.getByRole("list", { name: "Terms" })).toContainText(term.name);

  // The first Wednesday of the term, 15:00, David Chen (who teaches Wednesdays 15–20).
  let first = new Date(`${term.start}T12:00:00Z`);
  while (first.getUTCDay() !== 3) first = new Date(first.getTime() + 86_400_000);
  const firstDate = first.toISOString().slice(0, 10);

  const fillSeries = async (room: string) => {
    await page.goto(url("/admin/lessons/new"));
    await expect(page.getByRole("heading", { level: 1, name: "New lesson series" })).toBeVisible();
    await page.getByLabel("Title").fill(title);
    await page.getByLabel("Type").selectOption("GROUP");
    await page.getByLabel("Instrument").selectOption("Guitar");
    await page.getByLabel("Teacher").selectOption({ label: "David Chen" });
    await page.getByLabel("Where").selectOption({ label: room });
    await page.getByLabel("First date").fill(firstDate);
    await page.getByLabel("Start time").fill("15:00");
    await page.getByLabel("Length", { exact: true }).selectOption("45");
    await page.getByLabel("Repeats").selectOption("WEEKLY");
    await page.getByLabel("At the end of a term").check();
    const termOption = page.getByLabel("Term", { exact: true }).locator("option", { hasText: term.name });
    await page.getByLabel("Term", { exact: true }).selectOption((await termOption.getAttribute("value")) ?? "");
    await page.getByLabel("Maximum students").fill("8");
    await page.getByLabel("Price per student").fill("150");
    await page.getByRole("button", { name: "Create the series" }).click();
  };

  await fillSeries("Recital Hall (holds 30) — Main Studio");
  await expect(page).toHaveURL(new RegExp(`^${escapeRegExp(url("/admin/lessons/"))}[\\w-]+\\?created=1$`));
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Created" })).toHaveText(/^Created \d+ lessons from Wed, \d+ Apr \d{4} to Wed, \d+ Jun \d{4}\.$/);
  await expect(page.getByText("Wednesdays 15:00, 45 min").first()).toBeVisible();
  const lessonUrl = page.url().replace("?created=1", "");

  // The same teacher at the same time in another room: refused, clashes named, form kept.
  await fillSeries("Studio A (holds 8) — Main Studio");
  const clashes = page.getByRole("alert").filter({ hasText: "nothing was created" });
  await expect(clashes).toContainText(new RegExp(`David Chen is already teaching ${escapeRegExp(title)} in Recital Hall at 15:00 on Wed \\d+ Apr`));
  await expect(page.getByLabel("Title")).toHaveValue(title);
  await expect(page.getByLabel("Start time")).toHaveValue("15:00");

  // Enroll two students; the roster and the list show them.
  await page.goto(lessonUrl);
  await enroll(page, "Noah", "Noah Brown", title);
  await enroll(page, "Maya", "Maya Patel", title);
  await expect(page.getByRole("heading", { name: /Enrolled \(2 of 8\)/ })).toBeVisible();
  await page.goto(url("/admin/lessons"));
  const row = page.getByRole("row").filter({ hasText: title });
  await expect(row).toContainText("David Chen");
  await expect(row).toContainText("2/8");
});

test("a teacher takes attendance on /teach/today, and the absent student's family is emailed", async ({ page, browser }) => {
  const title = `E2E Today ${suffix()}`;
  // The school's "now": the e2e server's clock starts at CLOCK_START (a Tuesday of
  // the term, 03:30 in New York) and has moved on by the minutes the run has taken.
  const now = schoolNow(new Date(CLOCK_START));
  const admin = await adminPage(browser);

  // Sarah may teach online all of today (her usual hours are at the Main Studio).
  await admin.goto(url("/admin/availability"));
  const sarahOption = admin.getByLabel("Teacher").locator("option", { hasText: "Sarah Johnson" });
  await admin.goto(url(`/admin/availability?teacher=${encodeURIComponent((await sarahOption.getAttribute("value")) ?? "")}`));
  const hours = admin.locator("#hours-form");
  await hours.getByLabel("Day").selectOption(String(now.weekday));
  await hours.getByLabel("From").fill("00:00");
  await hours.getByLabel("Until").fill("23:59");
  await hours.getByLabel("Location").selectOption({ label: "Any location" });
  await hours.getByLabel("Starting on (optional)").fill(now.date);
  await hours.getByLabel("Ending on (optional)").fill(now.date);
  await hours.getByRole("button", { name: "Add hours" }).click();
  // (On a retry the same hours already exist: that is fine too.)
  await expect(admin.getByText(/Added \w+day 00:00–23:59\.|This overlaps the \w+day hours 00:00–23:59/)).toBeVisible();

  // A 10-minute online lesson for Sarah 40 minutes after the clock's start: its
  // register is open (an hour before the start), and the students enrolled now are
  // enrolled before it begins however long the run has taken so far (the school's
  // clock moves on with the run). If she is teaching then, try the next slot.
  const base = Math.ceil((now.minutes + 40) / 5) * 5;
  const starts = [0, 15, 30, 45, 55].map((d) => base + d).filter((m) => m + 10 <= 23 * 60 + 59);
  let created = false;
  for (const start of starts) {
    await admin.goto(url("/admin/lessons/new"));
    await admin.getByLabel("Title").fill(title);
    await admin.getByLabel("Instrument").selectOption("Piano");
    await admin.getByLabel("Teacher").selectOption({ label: "Sarah Johnson" });
    await admin.getByLabel("Where").selectOption({ label: "Online" });
    await admin.getByLabel("Link to join").fill("https://meet.example.test/e2e");
    await admin.getByLabel("First date").fill(now.date);
    await admin.getByLabel("Start time").fill(hhmm(start));
    await admin.getByLabel("Length", { exact: true }).selectOption("custom");
    await admin.getByLabel("Length in minutes").fill("10");
    await admin.getByLabel("Repeats").selectOption("ONCE");
    await admin.getByLabel("Maximum students").fill("6");
    await admin.getByRole("button", { name: "Create the series" }).click();
    await expect(admin.getByRole("status").filter({ hasText: "Created" }).or(admin.getByRole("alert").filter({ hasText: "nothing was created" }))).toBeVisible();
    if (/\?created=1$/.test(admin.url())) {
      created = true;
      break;
    }
  }
  expect(created, "no free 10-minute slot for Sarah in the next hour").toBe(true);
  await expect(admin.getByRole("status").filter({ hasText: "Created" })).toHaveText(new RegExp(`^Created 1 lesson on \\w{3}, \\d+ \\w{3} \\d{4}\\.$`));
  await enroll(admin, "Emma", "Emma Smith", title);
  await enroll(admin, "Lily", "Lily Smith", title);

  // Sarah signs in and takes the register: everyone is present until changed.
  await signIn(page, slug, DEMO.harmony.teacher);
  await page.goto(url("/teach/today"));
  const lesson = page.getByRole("region", { name: title });
  await expect(lesson).toBeVisible();
  const emma = lesson.getByRole("radiogroup", { name: "Emma Smith" });
  const lily = lesson.getByRole("radiogroup", { name: "Lily Smith" });
  await expect(emma.getByRole("radio", { name: "Present" })).toBeChecked();
  await expect(lily.getByRole("radio", { name: "Present" })).toBeChecked();
  await emma.getByText("Absent", { exact: true }).click();
  await expect(emma.getByRole("radio", { name: "Absent" })).toBeChecked();
  await lesson.getByLabel("Reason Emma Smith was absent (optional)").fill("Dentist");
  await lesson.getByLabel("Lesson notes").fill("C major scale, hands together.");
  await lesson.getByRole("button", { name: "Save attendance" }).click();
  await expect(lesson.getByRole("status")).toHaveText("Saved: 1 present, 1 absent. The family of the absent student was emailed.");

  // It is kept: a reload shows the same register, and the lesson is marked as taken.
  await page.reload();
  const again = page.getByRole("region", { name: title });
  await expect(again.getByRole("radiogroup", { name: "Emma Smith" }).getByRole("radio", { name: "Absent" })).toBeChecked();
  await expect(again.getByLabel("Reason Emma Smith was absent (optional)")).toHaveValue("Dentist");
  await expect(again.getByLabel("Lesson notes")).toHaveValue("C major scale, hands together.");
  await expect(again).toContainText("Taken: 1/2 present");

  // The parent's email is in the school's outbox.
  await admin.goto(url("/admin/outbox"));
  await expect(admin.getByRole("listitem", { name: `Email to ${DEMO.harmony.parent}: Emma Smith was absent from ${title}` })).toBeVisible();
  await admin.context().close();
});

test("an admin removes a term: it leaves the list and the lesson form's term picker", async ({ page }) => {
  const id = suffix();
  const year = 2100 + Math.floor(Math.random() * 50);
  const name = `E2E Removed ${id}`;
  await signIn(page, slug, DEMO.harmony.admin);
  await page.goto(url("/admin/terms"));
  const termForm = page.locator("#term-form");
  await termForm.getByLabel("Name").fill(name);
  await termForm.getByLabel("First day").fill(`${year}-01-06`);
  await termForm.getByLabel("Last day").fill(`${year}-03-20`);
  await termForm.getByRole("button", { name: "Add term" }).click();
  const terms = page.getByRole("list", { name: "Terms" });
  await expect(terms).toContainText(name);

  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: `Remove ${name}` }).click();
  await expect(page.getByText(`Removed ${name}.`)).toBeVisible();
  await expect(terms).not.toContainText(name);

  await page.goto(url("/admin/lessons/new"));
  await expect(page.getByLabel("Term", { exact: true }).locator("option", { hasText: name })).toHaveCount(0);
});
