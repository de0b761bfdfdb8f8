// Accessibility journeys: sign-in pages have labelled fields, one h1, a language, a
// skip link, and the keyboard reaches the form in a sensible order; and axe finds
// no serious or critical violation on any page of any role.
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { onRolePage, rolePages } from "./role-pages";
import { platformUrl, schoolUrl } from "./support";

/** Presses Tab until `target` has focus; fails if it takes more than `max` presses. */
async function tabUntilFocused(page: Page, target: ReturnType<Page["locator"]>, max = 10): Promise<number> {
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press("Tab");
    if (await target.evaluate((el) => el === document.activeElement)) return presses;
  }
  throw new Error(`Focus did not reach the field within ${max} presses of Tab`);
}

const LOGIN_PAGES = [
  { name: "a school's sign-in page", url: schoolUrl("harmony", "/login"), h1: "Sign in" },
  { name: "the operator's sign-in page", url: platformUrl("/operator/login"), h1: "Operator sign in" },
];

for (const { name, url, h1 } of LOGIN_PAGES) {
  test(`${name} has labelled fields, one h1, and a keyboard path through the form`, async ({ page }) => {
    await page.goto(url);
    await expect(page.locator("html")).toHaveAttribute("lang", /^en(-[A-Z]{2})?$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveCount(1);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(h1);

    const email = page.getByLabel("Email", { exact: true });
    const password = page.getByLabel("Password", { exact: true });
    await expect(email).toHaveAttribute("type", "email");
    await expect(email).toHaveAttribute("autocomplete", "email");
    await expect(password).toHaveAttribute("type", "password");
    await expect(password).toHaveAttribute("autocomplete", "current-password");

    // The first Tab reveals the skip link, which leads to the main content.
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await expect(skip).toHaveAttribute("href", "#main");

    // Tab reaches the email field, then the password, then the submit button.
    await tabUntilFocused(page, email);
    await page.keyboard.press("Tab");
    await expect(password).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(page.getByRole("button", { name: "Sign in" })).toBeFocused();
  });
}

test("a sign-in error is announced and tied to the form", async ({ page }) => {
  await page.goto(schoolUrl("harmony", "/login"));
  await page.getByRole("button", { name: "Sign in" }).click();
  const email = page.getByLabel("Email", { exact: true });
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(email).toHaveAccessibleDescription("Enter an email address.");
  await expect(page.getByLabel("Password", { exact: true })).toHaveAccessibleDescription("Enter your password.");
});

// ---- axe on every page of each role -----------------------------------------------
// Each page is checked against WCAG 2.1 A and AA by axe-core; a serious or critical
// violation fails the journey, named with the elements it was found on. Only pages
// are read here (harmony's demo data is not changed).

/** The serious and critical violations axe finds on the page as it is now, one line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(", ")}`);
}

/** Visits `url` and expects axe to find no serious or critical violation there. */
async function expectNoSeriousViolations(page: Page, url: string) {
  const response = await page.goto(url);
  expect(response?.status(), `${url} answers`).toBeLessThan(400);
  await expect(page.locator("main")).toBeVisible();
  expect(await seriousViolations(page), `axe on ${url}`).toEqual([]);
}

for (const { role, email, pages } of rolePages("harmony")) {
  for (const [name, spec] of Object.entries(pages)) {
    test(`axe: ${role} — ${name} has no serious or critical violations`, async ({ browser }) => {
      await onRolePage(browser, "harmony", email, spec, (page, url) => expectNoSeriousViolations(page, url));
    });
  }
}
