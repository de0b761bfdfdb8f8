// Requests for individual lessons (issue 10, "People"), in a school of this spec's own:
// a family asks for individual piano lessons on /enroll with preferred days and times,
// the admin schedules the request from the queue (prefilled with a teacher's free time
// that fits), and the family's schedule shows the lesson. Also a trial lesson booked
// from the public page. Screens of the new pages at phone and desktop widths go to
// test-results/requests/.
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { escapeRegExp, fitsEachSize, schoolUrl } from "./support";

const SHOTS = path.join("test-results", "requests");
const SIZES = [
  { name: "390", viewport: { width: 390, height: 844 } },
  { name: "1440", viewport: { width: 1440, height: 900 } },
] as const;

/** Fits a phone and a desktop (nothing scrolls sideways), photographed at both. */
const screens = (page: Page, name: string) => fitsEachSize(page, SIZES, { dir: SHOTS, name });

/** Letters only (names are letters): the run's tag with its digits spelled out. */
const lettersTag = () => Date.now().toString(36).slice(-5).replace(/\d/g, (d) => "abcdefghij"[Number(d)]!);

test("a family's individual-lesson request becomes a series", async ({ page, ownSchool, ownAdminPage: admin }) => {
  test.setTimeout(120_000);
  const { slug } = ownSchool;
  const tag = lettersTag();
  const parent = { firstName: "Robin", lastName: `Okafor${tag}`, email: `robin.${tag}@requests.test` };
  const childName = `Ada Okafor${tag}`;

  // The family asks for individual piano lessons, Thursday evenings, 30 minutes.
  await page.goto(schoolUrl(slug, "/enroll?program=individual%3APiano"));
  await expect(page.getByRole("heading", { level: 1, name: "Enroll" })).toBeVisible();
  const you = page.getByRole("group", { name: "Your details" });
  await you.getByLabel("First name").fill(parent.firstName);
  await you.getByLabel("Last name").fill(parent.lastName);
  await you.getByLabel("Email").fill(parent.email);
  await you.getByLabel("Phone").fill("(212) 555-0101");
  const emergency = page.getByRole("group", { name: "Emergency contact" });
  await emergency.getByLabel("Name").fill("Pat Okafor");
  await emergency.getByLabel("Phone").fill("(212) 555-0199");
  await emergency.getByLabel("Relation to the child").fill("Grandparent");
  // The child's block (its heading takes the child's name once the server has it).
  const child = page.locator("#child-1");
  await child.getByLabel("First name").fill("Ada");
  await expect(child.getByLabel("Class or lessons")).toHaveValue("individual:Piano");
  const prefs = child.getByRole("group", { name: /When would individual lessons suit you/ });
  await expect(prefs).toBeVisible();
  await prefs.getByRole("checkbox", { name: "Thursday" }).check();
  await prefs.getByRole("checkbox", { name: /^Evenings/ }).check();
  await prefs.getByLabel("Lesson length").selectOption("30");
  await prefs.getByLabel("Anything else the school should know").fill("She has played for a year.");
  await child.getByLabel(/parent or legal guardian/).check();
  await screens(page, "enroll-preferences");

  // Forgetting the date of birth: said in words, the preferences kept.
  await page.getByRole("button", { name: "Enroll", exact: true }).click();
  await expect(child.getByText("Enter the date of birth.")).toBeVisible();
  await expect(prefs.getByRole("checkbox", { name: "Thursday" })).toBeChecked();
  await expect(prefs.getByRole("checkbox", { name: /^Evenings/ })).toBeChecked();
  await expect(prefs.getByLabel("Lesson length")).toHaveValue("30");
  await child.getByLabel("Date of birth").fill("2016-09-02");
  await page.getByRole("button", { name: "Enroll", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Thank you — we have your enrollment" })).toBeVisible();

  // The admin sees it in the queue (and on the dashboard), and schedules it.
  await admin.goto(schoolUrl(slug, "/admin"));
  await expect(admin.getByRole("link", { name: "see the requests" })).toBeVisible();
  await admin.goto(schoolUrl(slug, "/admin/requests"));
  await expect(admin.getByRole("heading", { level: 1, name: "Requests for individual lessons" })).toBeVisible();
  const item = admin.getByRole("listitem", { name: `${childName} — Piano` });
  await expect(item).toContainText("Thursdays, evenings");
  await expect(item).toContainText("30 minutes");
  await expect(item).toContainText(parent.email);
  await expect(item).toContainText("10 years old");
  await screens(admin, "queue");
  await item.getByRole("link", { name: `Schedule ${childName}'s Piano lessons` }).click();
  await expect(admin.getByRole("heading", { level: 1, name: `Schedule ${childName}’s Piano lessons` })).toBeVisible();
  const suggested = admin.getByRole("region", { name: "Free times in the next two weeks" });
  await expect(suggested.locator("[aria-current]")).toContainText(/Thursdays at \d+:\d\d PM with Sarah Johnson/);
  const form = admin.getByRole("form", { name: "Weekly lessons" });
  await expect(form.getByLabel("Teacher")).toHaveText(/Sarah Johnson/);
  await expect(form.getByLabel("Length")).toHaveValue("30");
  const time = await form.getByLabel("Time").inputValue();
  expect(time >= "17:00").toBe(true);
  const firstDate = await form.getByLabel("First lesson").inputValue();
  await screens(admin, "schedule");
  await form.getByRole("button", { name: "Schedule the lessons" }).click();
  await expect(admin.getByRole("status")).toContainText("The lessons are scheduled");
  await expect(admin.getByRole("region", { name: "Recently decided" }).getByRole("link", { name: `Piano — ${childName}` })).toBeVisible();

  // The family sets its password from the email and finds the lesson on its schedule.
  await admin.goto(schoolUrl(slug, "/dev/mailbox"));
  await expect(admin.getByRole("listitem", { name: `Email to ${parent.email}: Ada's Piano lessons are scheduled` })).toContainText("Sarah Johnson");
  const welcome = admin.getByRole("listitem", { name: `Email to ${parent.email}: Welcome to Harmony Music Academy: your enrollment` });
  const link = welcome.getByRole("link", { name: /\/set-password\?token=/ });
  await expect(link).toHaveAttribute("href", new RegExp(`^${escapeRegExp(schoolUrl(slug, "/set-password?token="))}`));
  await page.goto((await link.getAttribute("href")) ?? "");
  await page.getByLabel("New password").fill("a-long-family-password");
  await page.getByLabel("Repeat the password").fill("a-long-family-password");
  await page.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(page).toHaveURL(schoolUrl(slug, "/family"));
  await page.goto(schoolUrl(slug, `/family/schedule?date=${firstDate}`));
  await expect(page.getByText(`Piano — ${childName}`).first()).toBeVisible();
});

test("a new family books a trial lesson from a teacher's free times", async ({ page, ownSchool }) => {
  test.setTimeout(90_000);
  const { slug } = ownSchool;
  const tag = lettersTag();
  const email = `sam.${tag}@trial.test`;
  await page.goto(schoolUrl(slug, "/"));
  await page.getByRole("link", { name: "Book a trial lesson" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Book a trial lesson" })).toBeVisible();
  await page.getByRole("link", { name: "Piano", exact: true }).click();
  const times = page.getByRole("group", { name: "Choose a time for Piano" });
  const first = times.getByRole("radio").first();
  const value = (await first.getAttribute("value")) ?? "";
  await expect(times.locator("label").first()).toContainText("with Sarah Johnson");

  // Sent without a time: said in words.
  const you = page.getByRole("group", { name: "Your details" });
  await you.getByLabel("First name").fill("Sam");
  await you.getByLabel("Last name").fill(`Lee${tag}`);
  await you.getByLabel("Email").fill(email);
  await you.getByLabel("Phone").fill("(212) 555-0111");
  const emergency = page.getByRole("group", { name: "Emergency contact" });
  await emergency.getByLabel("Name").fill("Kim Lee");
  await emergency.getByLabel("Phone").fill("(212) 555-0112");
  await emergency.getByLabel("Relation to the child").fill("Aunt");
  const kid = page.getByRole("group", { name: "Your child" });
  await kid.getByLabel("First name").fill("Mo");
  await kid.getByLabel("Date of birth").fill("2015-03-04");
  await kid.getByLabel(/parent or legal guardian/).check();
  await page.getByRole("button", { name: "Book the trial lesson" }).click();
  await expect(page.getByText("Choose a time for the trial lesson.").first()).toBeVisible();
  await expect(you.getByLabel("Email")).toHaveValue(email);
  await screens(page, "trial");

  await times.getByRole("radio").first().check();
  await expect(first).toBeChecked();
  await page.getByRole("button", { name: "Book the trial lesson" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /your trial lesson request is in/ })).toBeVisible();
  // The time is no longer offered to the next family.
  await page.goto(schoolUrl(slug, "/trial?instrument=Piano"));
  await expect(page.getByRole("group", { name: "Choose a time for Piano" }).getByRole("radio").first()).toBeVisible();
  await expect(page.locator(`input[type="radio"][value="${value}"]`)).toHaveCount(0);
});
