// An admin's roster import and branding, end to end against the production build.
// Both run on a copy of riverside of this spec's own (ownSchool), so the brand color
// and the new students stay here.
import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./fixtures";
import { DEMO, schoolUrl, uniqueSlug } from "./support";

test.use({ ownSchoolBase: "riverside" });

async function brandVariable(page: Page): Promise<string> {
  return page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue("--brand").trim());
}

test("an admin imports a CSV with two bad rows, sees why, and importing it again changes nothing", async ({ page, ownSchool: { slug } }) => {
  const run = uniqueSlug("csv");
  const csv = [
    "Parent First Name,Parent Last Name,Parent Email,Parent Phone,Student First Name,Student Last Name,Date of Birth,Instrument,Skill Level,Emergency Contact Name,Emergency Contact Phone",
    `Nadia,Quill,nadia@${run}.test,(020) 7946 0101,Rosa,Quill,2014-03-02,Cello,beginner,Tom Quill,555-0199`,
    `Nadia,Quill,NADIA@${run}.test,(020) 7946 0101,Iris,Quill,2016-07-09,Violin,,Tom Quill,555-0199`,
    `Omar,Vale,omar@${run}.test,,Sami,Vale,31/02/2015,Viola,,,`,
    `Pia,Wren,pia@${run}.test,,Tess,Wren,2013-11-30,Double bass,Intermediate,,`,
    `Quin,Xu,not-an-email,,Uma,Xu,2015-05-05,Cello,expert,,`,
  ].join("\r\n");

  await signIn(page, slug, DEMO.riverside.admin);
  await page.goto(schoolUrl(slug, "/admin/import"));
  await expect(page.getByRole("heading", { level: 1, name: "Import students" })).toBeVisible();
  await page.getByLabel("CSV file").setInputFiles({ name: "roster.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("button", { name: "Preview the import" }).click();

  // The preview: counts, and every rejected row with its reason.
  await expect(page.getByRole("heading", { name: "2. Check what would change" })).toBeVisible();
  const rejected = page.getByRole("list", { name: "Rejected rows" }).getByRole("listitem");
  await expect(rejected).toHaveText([
    "Row 4: date_of_birth '31/02/2015' is not a date (use yyyy-mm-dd)",
    "Row 6: parent_email 'not-an-email' is not an email address; skill_level 'expert' is not one of beginner, elementary, intermediate, advanced, professional",
  ]);
  await expect(page.getByText("From roster.csv.")).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "Rosa Quill" })).toContainText("Quill family");

  await page.getByRole("button", { name: "Import 2 families and 3 students" }).click();
  await expect(page.getByRole("status")).toContainText("Imported 2 families and 3 students. 2 rows skipped.");

  // The students are on the roster, found by their parent's email.
  await page.goto(schoolUrl(slug, `/admin/students?q=${encodeURIComponent(`nadia@${run}.test`)}`));
  await expect(page.getByRole("status")).toHaveText("Showing 1–2 of 2 students");
  await expect(page.getByRole("link", { name: "Iris Quill" })).toBeVisible();
  await page.getByRole("link", { name: "Rosa Quill" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Rosa Quill" })).toBeVisible();
  await expect(page.getByLabel("Date of birth")).toHaveValue("2014-03-02");
  await expect(page.getByRole("link", { name: "Iris Quill" })).toBeVisible(); // her sibling

  // The same file again: nothing to import, every valid row already there.
  await page.goto(schoolUrl(slug, "/admin/import"));
  await page.getByLabel("Paste the rows").fill(csv);
  await page.getByRole("button", { name: "Preview the import" }).click();
  await expect(page.getByText("Nothing to import: every valid row is already at the school.")).toBeVisible();
  await expect(page.getByRole("button", { name: /^Import \d/ })).toHaveCount(0);
});

test("an admin sets a brand color, is warned about a hard-to-read one before saving, and the landing page shows it", async ({ page, ownSchool: { slug } }) => {
  await signIn(page, slug, DEMO.riverside.admin);
  await page.goto(schoolUrl(slug, "/admin/settings/branding"));
  await expect(page.getByRole("heading", { level: 1, name: "Branding" })).toBeVisible();
  const colorField = page.getByLabel("Brand color", { exact: true });

  // A mid grey: the live preview warns before anything is saved.
  await colorField.fill("#787878");
  await expect(page.getByText(/Text on this color is hard to read/)).toBeVisible();

  await colorField.fill("#1D4ED8");
  await expect(page.getByText(/Text on this color is hard to read/)).toHaveCount(0);
  await expect(page.getByTestId("brand-preview").locator(".preview-bar")).toHaveCSS("background-color", "rgb(29, 78, 216)");
  await page.getByRole("button", { name: "Save branding" }).click();
  await expect(page.getByRole("status")).toContainText("Saved.");
  // The whole app follows at once (the host cache was dropped).
  await expect.poll(() => brandVariable(page)).toBe("#1d4ed8");

  await page.goto(schoolUrl(slug, "/"));
  expect(await brandVariable(page)).toBe("#1d4ed8");
});
