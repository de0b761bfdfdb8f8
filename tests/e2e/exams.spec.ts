// Exam entries and awards (issue 13), in a school of this spec's own (a copy of harmony):
// the teacher recommends Lily for an exam, her parent accepts it on the family's progress
// page, the admin books it and records a merit, and the merit's badge appears on the
// family's page. Screens of the new pages at phone and desktop widths go to
// test-results/progress/ (each also checked for horizontal overflow).
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { DEMO, fitsEachSize, schoolUrl } from "./support";

const SHOTS = path.join("test-results", "progress");
const SIZES = [
  { name: "390", viewport: { width: 390, height: 844 } },
  { name: "1440", viewport: { width: 1440, height: 900 } },
] as const;

/** Fits a phone and a desktop (nothing scrolls sideways), photographed at both. */
const screens = (page: Page, name: string) => fitsEachSize(page, SIZES, { dir: SHOTS, name });

test("a teacher recommends an exam, the parent accepts, the admin records a merit and the badge appears on the family page", async ({ browser, ownSchool, signIn }) => {
  test.setTimeout(180_000);
  const { slug } = ownSchool;
  const entryName = "ABRSM Grade 1 Piano, Summer 2027";

  // The teacher recommends Lily from her progress page.
  const teacherContext = await browser.newContext();
  const teacher = await teacherContext.newPage();
  await signIn(teacher, slug, DEMO.harmony.teacher);
  await teacher.getByRole("link", { name: "Students", exact: true }).first().click();
  await expect(teacher.getByRole("heading", { level: 1, name: "My students" })).toBeVisible();
  await screens(teacher, "teacher-students");
  await teacher.getByRole("link", { name: "Lily Smith" }).click();
  await expect(teacher.getByRole("heading", { level: 1, name: "Lily Smith" })).toBeVisible();
  const recommend = teacher.getByRole("form", { name: "Recommend an exam" });
  await recommend.getByLabel("Board").selectOption("ABRSM");
  await recommend.getByLabel("Instrument").selectOption("Piano");
  await recommend.getByLabel("Grade").selectOption("Grade 1");
  await recommend.getByLabel("Session").fill("Summer 2027");
  await recommend.getByLabel("Entry deadline").fill("2027-03-01");
  await recommend.getByRole("button", { name: "Recommend" }).click();
  await expect(teacher.getByRole("status")).toHaveText("Recommended. The family has been asked by email to accept or decline.");
  await expect(teacher.getByRole("article", { name: entryName })).toContainText("Waiting for the family");
  await screens(teacher, "teacher-student");
  await teacherContext.close();

  // The parent accepts on the family's progress page.
  const parentContext = await browser.newContext();
  const parent = await parentContext.newPage();
  await signIn(parent, slug, DEMO.harmony.parent);
  await parent.getByRole("link", { name: "Progress", exact: true }).first().click();
  await expect(parent.getByRole("heading", { level: 1, name: "Progress" })).toBeVisible();
  const lily = parent.getByRole("region", { name: "Lily Smith" });
  const entry = lily.getByRole("article", { name: entryName });
  await expect(entry).toContainText("Waiting for the family");
  await entry.getByRole("button", { name: "Accept the entry" }).click();
  await expect(lily.getByRole("status")).toContainText("Accepted.");
  await expect(lily.getByRole("article", { name: entryName })).toContainText("Accepted, to book");

  // The admin books it and records a merit (125 of 150).
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, slug, DEMO.harmony.admin);
  await admin.getByRole("link", { name: "Exams", exact: true }).first().click();
  await expect(admin.getByRole("heading", { level: 1, name: "Exam entries" })).toBeVisible();
  const group = admin.getByRole("region", { name: "ABRSM, Summer 2027" });
  await expect(group).toContainText("Entry deadline");
  const booking = group.getByRole("form", { name: "Book for Lily Smith" });
  await booking.getByLabel("Date").fill("2027-06-15");
  await booking.getByLabel("Time").fill("14:30");
  await booking.getByLabel("Place").fill("Main Campus, Recital Hall");
  await booking.getByRole("button", { name: "Book" }).click();
  await expect(admin.getByRole("status")).toContainText("Booked;");
  const result = admin.getByRole("region", { name: "ABRSM, Summer 2027" }).getByRole("form", { name: "Result for Lily Smith" });
  await result.getByLabel("Mark out of 150").fill("151");
  await result.getByRole("button", { name: "Record the result" }).click();
  await expect(admin.getByRole("alert")).toHaveText("ABRSM marks are out of 150: 151 is too high.");
  await expect(result.getByLabel("Mark out of 150")).toHaveValue("151");
  await result.getByLabel("Mark out of 150").fill("125");
  await result.getByRole("button", { name: "Record the result" }).click();
  await expect(admin.getByRole("status")).toHaveText("Recorded: Merit (125/150). The student has a new award. The family has been told.");
  await screens(admin, "admin-exams");
  await admin.goto(schoolUrl(slug, "/admin/syllabi"));
  await expect(admin.getByRole("heading", { level: 1, name: "Syllabi and practice awards" })).toBeVisible();
  await screens(admin, "admin-syllabi");
  await adminContext.close();

  // The family sees the result and the merit's badge in Lily's awards.
  await parent.reload();
  const awards = parent.getByRole("region", { name: "Lily Smith" }).getByRole("region", { name: "Awards" });
  await expect(awards.getByText("ABRSM Grade 1 Piano: Merit")).toBeVisible();
  await expect(parent.getByRole("region", { name: "Lily Smith" }).getByRole("article", { name: entryName }).getByTestId("exam-result")).toHaveText("Merit (125/150)");
  await screens(parent, "family-progress");
  await parentContext.close();
});
