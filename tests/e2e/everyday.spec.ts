// A school's everyday work (issue 10), in a school of this spec's own: an admin adds a
// family with two children by hand and enrolls one; a teacher's profile shows on the
// public page once they agree; a new school's checklist ticks as it is set up.
import { expect, signIn, test } from "./fixtures";
import { DEMO, schoolUrl } from "./support";

test("an admin adds a family with two children by hand and enrolls one", async ({ ownSchool, ownAdminPage: page }) => {
  test.setTimeout(90_000);
  const email = `robin.okafor.${Date.now().toString(36)}@example.test`;
  await page.goto(schoolUrl(ownSchool.slug, "/admin/students"));
  await page.getByRole("link", { name: "Add students" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Add students" })).toBeVisible();

  const contact = page.getByRole("group", { name: "Parent or guardian" });
  await contact.getByLabel("First name").fill("Robin");
  await contact.getByLabel("Last name").fill("Okafor");
  await contact.getByLabel("Email").fill(email);

  const first = page.locator("#child-1");
  await first.getByLabel("First name").fill("Ife");
  await first.getByLabel("Date of birth").fill("2016-02-03");
  const classes = first.getByLabel("Enroll in a class (optional)");
  const option = classes.locator("option").nth(1);
  const classTitle = ((await option.textContent()) ?? "").replace(/ \(.*\)$/, "");
  await classes.selectOption({ index: 1 });
  await first.getByLabel(/A parent or legal guardian has agreed/).check();

  // A second child: the first child's class stays chosen.
  await page.getByRole("button", { name: "+ Add another child" }).click();
  const second = page.locator("#child-2");
  await expect(second.getByLabel("First name")).toBeFocused();
  await expect(page.locator("#child-1").getByLabel("Enroll in a class (optional)")).toHaveValue(/^lesson:/);
  await second.getByLabel("First name").fill("Tunde");
  await second.getByLabel("Date of birth").fill("2018-05-06");
  await second.getByLabel(/A parent or legal guardian has agreed/).check();
  await page.getByRole("button", { name: "Add 2 students" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Added to the Okafor family" })).toBeVisible();
  const outcome = page.getByRole("status");
  await expect(outcome).toContainText(`Ife Okafor is enrolled in ${classTitle}.`);
  await expect(outcome).toContainText("Tunde Okafor is registered with the school.");

  // Both are on the roster, and the contact got an invitation to set a password.
  await page.goto(schoolUrl(ownSchool.slug, "/admin/students?q=Okafor"));
  await expect(page.getByRole("link", { name: "Ife Okafor" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Tunde Okafor" })).toBeVisible();
  await page.goto(schoolUrl(ownSchool.slug, "/dev/mailbox"));
  await expect(page.getByRole("listitem", { name: new RegExp(`Email to ${email.replaceAll(".", "\\.")}: Your invitation to`) })).toBeVisible();
});

test("a teacher's profile shows on the public page once they agree to be shown", async ({ ownSchool, page }) => {
  await signIn(page, ownSchool.slug, DEMO.harmony.teacher);
  await page.getByRole("link", { name: "Profile" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "My profile" })).toBeVisible();
  const bio = "Twenty years at the piano; I teach reading music from the first lesson.";
  await page.getByRole("textbox", { name: "Bio" }).fill(bio);
  const shown = page.getByRole("checkbox", { name: /Show me on the school/ });
  await shown.uncheck();
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByRole("status")).toContainText("The profile is not shown on the school's public page.");
  await page.goto(schoolUrl(ownSchool.slug, "/"));
  await expect(page.getByText(bio)).toHaveCount(0);

  await page.goto(schoolUrl(ownSchool.slug, "/teach/profile"));
  await page.getByRole("checkbox", { name: /Show me on the school/ }).check();
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByRole("status")).toContainText("The profile shows on the school's public page.");
  await page.goto(schoolUrl(ownSchool.slug, "/"));
  const teachers = page.getByRole("region", { name: "Our teachers" });
  await expect(teachers.getByRole("listitem").filter({ hasText: "Sarah Johnson" })).toContainText(bio);
});
