// The walking skeleton, end to end against the production build: an operator
// onboards a school, its first admin accepts the emailed invitation on the school's
// own address and lands on its dashboard; schools stay apart (credentials, roles,
// cookies); a wrong form keeps what was typed.
import type { Page } from "@playwright/test";
import { expect, signIn, signInOperator, submitSchoolLogin, test } from "./fixtures";
import { DEMO, DEMO_PASSWORD, escapeRegExp, platformUrl, schoolUrl, uniqueSlug } from "./support";

async function brandColor(page: Page): Promise<string> {
  return page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue("--brand").trim());
}

test("an operator onboards a school and its first admin signs in on the school's own address", async ({ page }) => {
  const slug = uniqueSlug();
  const schoolName = `E2E Conservatory ${slug.slice(4)}`;
  const admin = { firstName: "Robin", lastName: "Okafor", email: `robin@${slug}.test` };

  // The operator signs in on the root domain and opens the onboarding form.
  await signInOperator(page);
  await page.getByRole("link", { name: "Onboard a school" }).click();
  await expect(page).toHaveURL(platformUrl("/operator/schools/new"));
  await expect(page.getByRole("heading", { level: 1, name: "Onboard a school" })).toBeVisible();

  await page.getByLabel("Name", { exact: true }).fill(schoolName);
  await page.getByLabel("Web address (slug)", { exact: true }).fill(slug);
  await page.getByLabel("Time zone").selectOption("Europe/London");
  await page.getByLabel("Currency").selectOption("GBP");
  await page.getByLabel("Dates and amounts").selectOption("en-GB");
  await page.getByLabel("First name").fill(admin.firstName);
  await page.getByLabel("Last name").fill(admin.lastName);
  await page.getByLabel("Email", { exact: true }).fill(admin.email);
  await page.getByRole("button", { name: "Create the school and invite the admin" }).click();

  await expect(page.getByRole("heading", { level: 1, name: `${schoolName} is ready` })).toBeVisible();
  await expect(page.getByRole("status")).toContainText(`We have emailed an invitation to ${admin.email}`);
  await expect(page.getByRole("link", { name: `${slug}.localhost` })).toHaveAttribute("href", schoolUrl(slug));

  // The new school is on the operator's list, with its time zone and currency.
  await page.getByRole("link", { name: "Back to schools" }).click();
  const row = page.getByRole("row").filter({ hasText: schoolName });
  await expect(row).toContainText("Europe/London · GBP");
  await expect(row.getByRole("link", { name: `${slug}.localhost` })).toBeVisible();

  // The invitation is listed in the operator's outbox, but its link is the admin's alone.
  await page.getByRole("navigation", { name: "Operator" }).getByRole("link", { name: "Outbox" }).click();
  await expect(page).toHaveURL(platformUrl("/operator/outbox"));
  const listed = page.getByRole("listitem", { name: `Email to ${admin.email}: Your invitation to ${schoolName}` });
  await expect(listed).toContainText("[private link: only the recipient can see it]");
  await expect(listed.getByRole("link")).toHaveCount(0);

  // The admin's copy, in the school's development mailbox (no email service here),
  // carries a link to the school's own host.
  await page.goto(schoolUrl(slug, "/dev/mailbox"));
  const email = page.getByRole("listitem", { name: `Email to ${admin.email}: Your invitation to ${schoolName}` });
  await expect(email).toBeVisible();
  const link = email.getByRole("link", { name: /\/set-password\?token=/ });
  await expect(link).toHaveAttribute("href", new RegExp(`^${escapeRegExp(schoolUrl(slug, "/set-password?token="))}[\\w-]+$`));
  const invitation = (await link.getAttribute("href")) ?? "";

  // Following it lands on the school's address, where the admin chooses a password.
  await link.click();
  await expect(page).toHaveURL(new RegExp(`^${escapeRegExp(schoolUrl(slug, "/set-password?token="))}`));
  await expect(page.getByRole("heading", { level: 1, name: `Welcome to ${schoolName}` })).toBeVisible();
  await expect(page.getByText(admin.email)).toBeVisible();
  await page.getByLabel("New password").fill("a-long-e2e-password");
  await page.getByLabel("Repeat the password").fill("a-long-e2e-password");
  await page.getByRole("button", { name: "Set password and sign in" }).click();

  // Signed in, on the school's admin dashboard, in the school's colors and name.
  await expect(page).toHaveURL(schoolUrl(slug, "/admin"));
  await expect(page.getByRole("heading", { level: 1, name: `Good to see you, ${admin.firstName}` })).toBeVisible();
  await expect(page.getByRole("banner").getByRole("link", { name: schoolName })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" })).toContainText(`Signed in as ${admin.firstName}`);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await expect(page.getByRole("contentinfo")).toContainText(`${schoolName} · powered by Encore`);
  const brand = await brandColor(page);
  expect(brand).toMatch(/^#[0-9a-f]{6}$/i);

  // The school's public page is titled with its name.
  await page.goto(schoolUrl(slug, "/"));
  await expect(page).toHaveTitle(schoolName);
  await expect(page.getByRole("heading", { level: 1, name: schoolName })).toBeVisible();

  // Another school's pages carry that school's brand and name, not this one's.
  await page.goto(schoolUrl("harmony", "/"));
  await expect(page).toHaveTitle("Harmony Music Academy");
  expect(await brandColor(page)).toBe("#6d28d9");
  expect(await brandColor(page)).not.toBe(brand);

  // The invitation link works once.
  await page.goto(invitation);
  await expect(page.getByRole("heading", { level: 1, name: "This link no longer works" })).toBeVisible();
});

test("harmony's admin credentials typed on riverside's address are refused clearly", async ({ page }) => {
  await submitSchoolLogin(page, "riverside", DEMO.harmony.admin, DEMO_PASSWORD);
  await expect(page.getByRole("alert")).toHaveText("That email and password do not match an account at this school.");
  await expect(page).toHaveURL(schoolUrl("riverside", "/login"));
  // What was typed is kept.
  await expect(page.getByLabel("Email")).toHaveValue(DEMO.harmony.admin);
  // The same credentials do work at harmony.
  await signIn(page, "harmony", DEMO.harmony.admin);
  await expect(page).toHaveURL(schoolUrl("harmony", "/admin"));
});

test("a teacher who opens /admin gets the 403 page", async ({ page }) => {
  await signIn(page, "harmony", DEMO.harmony.teacher);
  await expect(page).toHaveURL(schoolUrl("harmony", "/teach"));
  await expect(page.getByRole("heading", { level: 1, name: "Hello, Sarah" })).toBeVisible();

  const response = await page.goto(schoolUrl("harmony", "/admin"));
  expect(response?.status()).toBe(403);
  const alert = page.getByRole("alert");
  await expect(alert.getByRole("heading", { level: 1, name: "Not for your account" })).toBeVisible();
  await expect(alert).toContainText(/do(es)? not have access/);
  // Still signed in, still at harmony.
  await expect(page.getByRole("navigation", { name: "Main" })).toContainText("Signed in as Sarah");
});

test("a session cookie from harmony signs nobody in on riverside", async ({ harmonyAdminPage: page }) => {
  const context = page.context();

  // The browser keeps the cookie to harmony's host: riverside asks to sign in.
  await page.goto(schoolUrl("riverside", "/dashboard"));
  await expect(page).toHaveURL(schoolUrl("riverside", "/login?redirectTo=%2Fdashboard"));
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();

  // Even when harmony's session cookie is handed to riverside on purpose, riverside
  // does not recognise it: sessions belong to their school.
  const harmonyCookies = await context.cookies(schoolUrl("harmony"));
  expect(harmonyCookies.length).toBeGreaterThan(0);
  await context.addCookies(
    harmonyCookies.map(({ name, value }) => ({ name, value, url: schoolUrl("riverside") })),
  );
  const sent = await context.cookies(schoolUrl("riverside"));
  expect(sent.map((c) => c.value).sort()).toEqual(harmonyCookies.map((c) => c.value).sort());
  await page.goto(schoolUrl("riverside", "/dashboard"));
  await expect(page).toHaveURL(schoolUrl("riverside", "/login?redirectTo=%2Fdashboard"));
  await page.goto(schoolUrl("riverside", "/admin"));
  await expect(page).toHaveURL(schoolUrl("riverside", "/login?redirectTo=%2Fadmin"));

  // Harmony itself still knows its admin.
  await page.goto(schoolUrl("harmony", "/dashboard"));
  await expect(page).toHaveURL(schoolUrl("harmony", "/admin"));
});

test("a wrong onboarding form keeps what was typed and says what to fix", async ({ operatorPage: page }) => {
  await page.goto(platformUrl("/operator/schools/new"));
  await page.getByLabel("Name", { exact: true }).fill("Keeps What I Typed");
  await page.getByLabel("Web address (slug)", { exact: true }).fill("Bad Slug!");
  await page.getByLabel("Time zone").selectOption("Asia/Tokyo");
  await page.getByLabel("Currency").selectOption("JPY");
  await page.getByLabel("First name").fill("Kenji");
  await page.getByLabel("Last name").fill("Sato");
  await page.getByLabel("Email", { exact: true }).fill("kenji@example.test");
  await page.getByRole("button", { name: "Create the school and invite the admin" }).click();

  await expect(page.getByRole("alert")).toHaveText("Please correct the fields marked below.");
  const slug = page.getByLabel("Web address (slug)", { exact: true });
  await expect(slug).toHaveValue("Bad Slug!");
  await expect(slug).toHaveAttribute("aria-invalid", "true");
  await expect(slug).toHaveAccessibleDescription(/lower-case letters, digits or hyphens/);
  await expect(page.getByText("Use 1–40 lower-case letters, digits or hyphens, not starting or ending with a hyphen.")).toBeVisible();
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Keeps What I Typed");
  await expect(page.getByLabel("Time zone")).toHaveValue("Asia/Tokyo");
  await expect(page.getByLabel("Currency")).toHaveValue("JPY");
  await expect(page.getByLabel("First name")).toHaveValue("Kenji");
  await expect(page.getByLabel("Last name")).toHaveValue("Sato");
  await expect(page.getByLabel("Email", { exact: true })).toHaveValue("kenji@example.test");
  // Only the slug is marked.
  await expect(page.locator('[aria-invalid="true"]')).toHaveCount(1);
});

test("a school's landing, sign-in and enrollment pages and its dashboard name the school in their <title>", async ({ page }) => {
  // Regression: a route's `meta` replaces the root's; titles are built by pageTitle().
  await page.goto(schoolUrl("harmony", "/"));
  await expect(page).toHaveTitle("Harmony Music Academy");
  await page.goto(schoolUrl("harmony", "/login"));
  await expect(page).toHaveTitle("Sign in · Harmony Music Academy");
  await page.goto(schoolUrl("harmony", "/enroll"));
  await expect(page).toHaveTitle("Enroll · Harmony Music Academy");
  await signIn(page, "harmony", DEMO.harmony.admin);
  await expect(page).toHaveTitle("Dashboard · Harmony Music Academy");
});
