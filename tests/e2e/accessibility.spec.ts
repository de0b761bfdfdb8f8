// Accessibility smoke tests: sign-in pages have labelled fields, one h1, a
// language, a skip link, and the keyboard reaches the form in a sensible order.
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
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
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
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
