// Accessibility journeys: sign-in pages have labelled fields, one h1, a language, a
// skip link, and the keyboard reaches the form in a sensible order; and axe finds
// no serious or critical violation on any page of any role.
import AxeBuilder from "@axe-core/playwright";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { expect, signIn, signInOperator, test } from "./fixtures";
import { DEMO, platformUrl, schoolUrl } from "./support";

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

/** The first link on `listUrl` whose path matches `pattern` (a page of one lesson, student…). */
async function firstLink(page: Page, listUrl: string, pattern: RegExp): Promise<string> {
  await page.goto(listUrl);
  const hrefs = await page.locator("main a[href]").evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
  const href = hrefs.find((h) => pattern.test(new URL(h).pathname));
  if (!href) throw new Error(`no link matching ${pattern} on ${listUrl}`);
  return href;
}

const harmony = (path: string) => schoolUrl("harmony", path);
const LESSON_PAGE = /^\/admin\/lessons\/(?!new$)[\w-]+$/;

/** Each role's pages: a fixed address, or one found from a list page. */
type PageSpec = string | ((page: Page) => Promise<string>);
const ROLES: { role: string; email: string | null; pages: Record<string, PageSpec> }[] = [
  {
    role: "anonymous",
    email: null,
    pages: Object.fromEntries(["/", "/enroll", "/login", "/forgot-password"].map((p) => [p, harmony(p)]).concat([["/operator/login", platformUrl("/operator/login")]])),
  },
  { role: "operator", email: DEMO.operator, pages: Object.fromEntries(["/operator", "/operator/schools/new", "/operator/audit", "/operator/outbox"].map((p) => [p, platformUrl(p)])) },
  {
    role: "admin",
    email: DEMO.harmony.admin,
    pages: {
      ...Object.fromEntries(
        [
          "/admin",
          "/admin/setup",
          "/admin/places",
          "/admin/terms",
          "/admin/lists",
          "/admin/availability",
          "/admin/calendar",
          "/admin/calendar?view=week&date=2026-12-01",
          "/admin/lessons",
          "/admin/lessons/new",
          "/admin/enrollments",
          "/admin/students",
          "/admin/students/new",
          "/admin/import",
          "/admin/messages",
          "/admin/reports",
          "/admin/attendance",
          "/admin/credits",
          "/admin/handover",
          "/admin/people",
          "/admin/audit",
          "/admin/outbox",
          "/admin/settings/branding",
          "/admin/settings/domain",
          "/admin/settings/enrollment",
          "/admin/settings/makeups",
          "/account/calendar",
          "/account/notifications",
        ].map((p) => [p, harmony(p)]),
      ),
      "a lesson": (page) => firstLink(page, harmony("/admin/lessons"), LESSON_PAGE),
      "a lesson date": async (page) => firstLink(page, await firstLink(page, harmony("/admin/lessons"), LESSON_PAGE), /^\/admin\/occurrences\/[\w-]+$/),
      "a hybrid lesson's 1-on-1 weeks": async (page) => `${await firstLink(page, harmony("/admin/lessons?type=HYBRID"), LESSON_PAGE)}/hybrid`,
      "a student": (page) => firstLink(page, harmony("/admin/students"), /^\/admin\/students\/[\w-]+$/),
      "a person": (page) => firstLink(page, harmony("/admin/people"), /^\/admin\/people\/[\w-]+$/),
      "a teacher's hours": async (page) => {
        await page.goto(harmony("/admin/availability"));
        const id = await page.getByLabel("Teacher").locator("option", { hasText: "Sarah Johnson" }).getAttribute("value");
        return harmony(`/admin/availability?teacher=${id}`);
      },
    },
  },
  {
    role: "teacher",
    email: DEMO.harmony.teacher,
    pages: {
      ...Object.fromEntries(["/teach", "/teach/today", "/teach/week", "/teach/availability", "/teach/messages", "/teach/profile", "/account/calendar", "/account/notifications"].map((p) => [p, harmony(p)])),
      "cancelling a lesson": (page) => firstLink(page, harmony("/teach"), /^\/teach\/cancel\/[\w-]+$/),
    },
  },
  {
    role: "parent",
    email: DEMO.harmony.parent,
    pages: Object.fromEntries(["/family", "/family/schedule", "/family/makeups", "/family/children", "/family/guardians", "/account/calendar", "/account/notifications"].map((p) => [p, harmony(p)])),
  },
];

type StorageState = Awaited<ReturnType<BrowserContext["storageState"]>>;
/** Each person signs in once per worker (through the real form); their pages reuse the cookies. */
const signedInStates = new Map<string, Promise<StorageState>>();
function signedInState(browser: Browser, email: string): Promise<StorageState> {
  let state = signedInStates.get(email);
  if (!state) {
    state = (async () => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        if (email === DEMO.operator) await signInOperator(page);
        else await signIn(page, "harmony", email);
        return await context.storageState();
      } finally {
        await context.close();
      }
    })();
    signedInStates.set(email, state);
  }
  return state;
}

for (const { role, email, pages } of ROLES) {
  for (const [name, spec] of Object.entries(pages)) {
    test(`axe: ${role} — ${name} has no serious or critical violations`, async ({ browser }) => {
      const context = await browser.newContext(email ? { storageState: await signedInState(browser, email) } : {});
      try {
        const page = await context.newPage();
        await expectNoSeriousViolations(page, typeof spec === "string" ? spec : await spec(page));
      } finally {
        await context.close();
      }
    });
  }
}
