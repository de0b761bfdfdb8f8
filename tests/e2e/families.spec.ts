// A new family's journey, end to end against the production build: from harmony's
// public page to the enrollment form (two children, "add another child"), the
// confirmation email's set-password link, the family page, and an admin approving
// the enrollments from the approval queue. Screens of the landing page and the form at phone and desktop
// sizes go to test-results/families/. Also: the landing page and the form's
// "add another child" without JavaScript.
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { escapeRegExp, fitsEachSize, schoolUrl } from "./support";

const SHOTS = path.join("test-results", "families");
/** The school's own address (a copy of harmony keeps it). */
const HARMONY_EMAIL = "hello@harmony.test";
const SIZES = [
  { name: "390x844", viewport: { width: 390, height: 844 } },
  { name: "1280x800", viewport: { width: 1280, height: 800 } },
] as const;

/** Fits a phone and a desktop (nothing scrolls sideways), photographed at both. */
const screens = (page: Page, name: string) => fitsEachSize(page, SIZES, { dir: SHOTS, name });

/** The admin's enrollment settings page: approval on/off and the registration fee. */
async function setEnrollmentSettings(admin: Page, slug: string, opts: { approval: boolean; fee: string }) {
  await admin.goto(schoolUrl(slug, "/admin/settings/enrollment"));
  await expect(admin.getByRole("heading", { level: 1, name: "Enrollment and public page" })).toBeVisible();
  await admin.getByLabel("Approve each new enrollment").setChecked(opts.approval);
  await admin.getByLabel(/^Registration fee/).fill(opts.fee);
  await admin.getByRole("button", { name: "Save settings" }).click();
  await expect(admin.getByRole("status")).toContainText("Saved.");
}

test("a new family enrolls two children from the landing page, sets its password, and an admin approves them", async ({ page, ownSchool, ownAdminPage: admin }) => {
  test.setTimeout(120_000);
  // A copy of harmony of this spec's own: its enrollment settings change here.
  const { slug } = ownSchool;
  const tag = Date.now().toString(36);
  // A name is letters only: the run's tag, its digits spelled as letters.
  const parent = { firstName: "Robin", lastName: `Okafor${tag.slice(-4).replace(/\d/g, (d) => "abcdefghij"[Number(d)]!)}`, email: `robin.${tag}@families.test` };

  // The landing page: the school's name, its own meta tags, classes with open seats.
  await page.goto(schoolUrl(slug, "/"));
  await expect(page).toHaveTitle("Harmony Music Academy");
  await expect(page.getByRole("heading", { level: 1, name: "Harmony Music Academy" })).toBeVisible();
  await expect(page.locator('meta[property="og:title"]')).toHaveAttribute("content", "Harmony Music Academy");
  await expect(page.locator('meta[property="og:url"]')).toHaveAttribute("content", schoolUrl(slug, "/"));
  await expect(page.locator('meta[name="description"]')).toHaveAttribute("content", /.+/);
  const programs = page.getByRole("region", { name: "Classes and lessons" });
  await expect(programs.getByText(/seats? left/).first()).toBeVisible();
  await expect(programs.getByRole("link", { name: "Enroll for individual lessons in Piano" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Our teachers" })).toContainText("Sarah Johnson");
  await expect(page.getByRole("region", { name: "Our locations" })).toContainText("120 West 72nd Street");
  await screens(page, "landing");

  // The school approves each new place and charges a registration fee.
  await setEnrollmentSettings(admin, slug, { approval: true, fee: "25" });
  let classTitle = "";
  {
    // The first class with open seats; its Enroll button preselects it on the form.
    await page.reload();
    const enroll = programs.getByRole("link", { name: /^Enroll in / }).first();
    classTitle = ((await enroll.getAttribute("aria-label")) ?? "").replace(/^Enroll in /, "");
    await enroll.click();
    await expect(page).toHaveURL(/\/enroll\?program=lesson%3A/);
    const program = decodeURIComponent(new URL(page.url()).searchParams.get("program") ?? "");
    await expect(page.getByRole("heading", { level: 1, name: "Enroll" })).toBeVisible();
    await expect(page).toHaveTitle("Enroll · Harmony Music Academy");
    await expect(page.getByText(`You chose ${classTitle}`)).toBeVisible();
    await expect(page.getByText("A one-time registration fee of $25.00")).toBeVisible();
    await screens(page, "enroll-form");

    const you = page.getByRole("group", { name: "Your details" });
    await you.getByLabel("First name").fill(parent.firstName);
    await you.getByLabel("Last name").fill(parent.lastName);
    await you.getByLabel("Email").fill(parent.email);
    await you.getByLabel("Phone").fill("(212) 555-0101");
    const emergency = page.getByRole("group", { name: "Emergency contact" });
    await emergency.getByLabel("Name").fill("Pat Okafor");
    await emergency.getByLabel("Phone").fill("(212) 555-0199");
    await emergency.getByLabel("Relation to the child").fill("Grandparent");

    const first = page.getByRole("group", { name: "About your child" });
    await first.getByLabel("First name").fill("Ada");
    await first.getByLabel("Date of birth").fill("2016-09-02");
    await expect(first.getByLabel("Class or lessons")).toHaveValue(program);
    await first.getByLabel("Main instrument").selectOption("Piano");
    await first.getByLabel(/parent or legal guardian/).check();

    // Another child: the server adds a block, keeping everything typed.
    await page.getByRole("button", { name: "+ Add another child" }).click();
    const second = page.getByRole("group", { name: /^Child 2/ });
    await expect(second).toBeVisible();
    await expect(second.getByLabel("First name")).toBeFocused();
    await expect(page.getByRole("group", { name: "Child 1: Ada" }).getByLabel("First name")).toHaveValue("Ada");
    await expect(you.getByLabel("Email")).toHaveValue(parent.email);
    await expect(second.getByLabel("Class or lessons")).toHaveValue(program);
    await second.getByLabel("First name").fill("Ben");
    await second.getByLabel("Date of birth").fill("2014-01-20");
    await second.getByLabel("Main instrument").selectOption("Guitar");

    // Forgetting the second child's consent: said next to the field, nothing lost.
    await page.getByRole("button", { name: "Enroll 2 children" }).click();
    await expect(page.getByRole("alert")).toHaveText("Please correct the fields marked below.");
    const consent = page.getByRole("group", { name: "Child 2: Ben" }).getByLabel(/parent or legal guardian/);
    await expect(consent).toHaveAttribute("aria-invalid", "true");
    await expect(consent).toHaveAccessibleDescription("A parent or guardian's consent is needed to enroll a child.");
    await expect(consent).toBeFocused();
    await expect(page.getByRole("group", { name: "Child 1: Ada" }).getByLabel("Date of birth")).toHaveValue("2016-09-02");
    await consent.check();
    await page.getByRole("button", { name: "Enroll 2 children" }).click();

    // The page repeats what was asked for; what happens next is in the email (the
    // page is the same whether or not the address already had an account).
    await expect(page.getByRole("heading", { level: 1, name: "Thank you — we have your enrollment" })).toBeVisible();
    await expect(page.getByRole("status")).toContainText(`We have emailed ${parent.email}`);
    const asked = page.getByRole("list").filter({ hasText: classTitle });
    await expect(asked.getByRole("listitem")).toHaveCount(2);
    await expect(asked).toContainText(`Ada ${parent.lastName}`);
    await expect(asked).toContainText(`Ben ${parent.lastName}`);
  }

  // The school's outbox lists the confirmation, without its private link.
  await admin.goto(schoolUrl(slug, "/admin/outbox"));
  const listed = admin.getByRole("listitem", { name: `Email to ${parent.email}: Welcome to Harmony Music Academy: your enrollment` });
  await expect(listed).toContainText("[private link: only the recipient can see it]");
  await expect(listed.getByRole("link")).toHaveCount(0);
  await expect(admin.getByRole("listitem", { name: `Email to ${HARMONY_EMAIL}: New online enrollment: ${parent.lastName} family` })).toBeVisible();

  // The parent's copy (the development mailbox: no email service here) says what
  // happens next per child, and carries the set-password link.
  await admin.goto(schoolUrl(slug, "/dev/mailbox"));
  const email = admin.getByRole("listitem", { name: `Email to ${parent.email}: Welcome to Harmony Music Academy: your enrollment` });
  await expect(email).toContainText(`Ada's place in ${classTitle} is waiting for the school's approval.`);
  await expect(email).toContainText(`Ben's place in ${classTitle} is waiting for the school's approval.`);
  await expect(email).toContainText("A registration fee of $25.00 is due");
  const link = email.getByRole("link", { name: /\/set-password\?token=/ });
  await expect(link).toHaveAttribute("href", new RegExp(`^${escapeRegExp(schoolUrl(slug, "/set-password?token="))}[\\w-]+$`));
  const setPassword = (await link.getAttribute("href")) ?? "";

  // The parent sets a password from the link and lands on the family page.
  await page.goto(setPassword);
  await expect(page.getByRole("heading", { level: 1, name: "Welcome to Harmony Music Academy" })).toBeVisible();
  await page.getByLabel("New password").fill("a-long-family-password");
  await page.getByLabel("Repeat the password").fill("a-long-family-password");
  await page.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(page).toHaveURL(schoolUrl(slug, "/family"));
  await expect(page.getByRole("heading", { level: 1, name: "Hello, Robin" })).toBeVisible();
  const ada = page.getByRole("region", { name: `Ada ${parent.lastName}` });
  const ben = page.getByRole("region", { name: `Ben ${parent.lastName}` });
  await expect(ada).toContainText(classTitle);
  await expect(ada).toContainText("Waiting for approval");
  await expect(ben).toContainText("Waiting for approval");
  // The registration fee is an issued invoice: owed on the home page, payable on the billing page.
  await expect(page.getByRole("region", { name: /^To pay/ })).toContainText("$25.00");
  await page.getByRole("link", { name: "See and pay" }).click();
  await expect(page.getByRole("button", { name: /^Pay \$25\.00/ })).toBeVisible();
  await page.goto(schoolUrl(slug, "/family"));

  // An admin approves both from the approval queue.
  await admin.goto(schoolUrl(slug, "/admin/enrollments"));
  await expect(admin.getByRole("heading", { level: 1, name: "Waiting for approval" })).toBeVisible();
  for (const name of [`Ada ${parent.lastName}`, `Ben ${parent.lastName}`]) {
    const request = admin.getByRole("listitem", { name: `${name} — ${classTitle}` });
    await expect(request).toContainText("Online enrollment");
    await request.getByRole("button", { name: "Approve" }).click();
    await expect(admin.getByRole("status")).toContainText(name);
    await expect(request).toHaveCount(0);
  }

  // The family sees the places confirmed.
  await page.reload();
  await expect(ada.getByText("Enrolled", { exact: true })).toBeVisible();
  await expect(ben.getByText(/Enrolled|On the waitlist/)).toBeVisible();
  await expect(page.getByText("Waiting for approval")).toHaveCount(0);
});

test("the landing page and the form's 'add another child' work without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  try {
    await page.goto(schoolUrl("harmony", "/"));
    await expect(page.getByRole("heading", { level: 1, name: "Harmony Music Academy" })).toBeVisible();
    await page.getByRole("link", { name: "Enroll for individual lessons in Guitar" }).click();
    await expect(page).toHaveURL(/\/enroll\?program=individual%3AGuitar/);
    const first = page.getByRole("group", { name: "About your child" });
    await expect(first.getByLabel("Class or lessons")).toHaveValue("individual:Guitar");
    await first.getByLabel("First name").fill("Cleo");
    await page.getByRole("group", { name: "Your details" }).getByLabel("Email").fill("no-js@families.test");
    await page.getByRole("button", { name: "+ Add another child" }).click();
    await expect(page.getByRole("group", { name: /^Child 2/ })).toBeVisible();
    await expect(page.getByRole("group", { name: "Child 1: Cleo" }).getByLabel("First name")).toHaveValue("Cleo");
    await expect(page.getByRole("group", { name: "Your details" }).getByLabel("Email")).toHaveValue("no-js@families.test");
    // And back to one child.
    await page.getByRole("button", { name: "Remove child 2" }).click();
    await expect(page.getByRole("group", { name: /^Child 2/ })).toHaveCount(0);
    await expect(page.getByRole("group", { name: "About Cleo" }).getByLabel("First name")).toHaveValue("Cleo");
  } finally {
    await context.close();
  }
});
