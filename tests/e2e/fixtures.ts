// Playwright fixtures for Encore, in the Epic Stack spirit: tests ask for what they
// need (`signIn`, `operatorPage`, `adminPage`…) instead of repeating the steps.
// The test process has no way into the database but the app itself, so signing in
// goes through the real forms; each helper is one short, checked round trip.
import path from "node:path";
import { test as base, expect, type Browser, type Page } from "@playwright/test";
import { closeOwnSchools, createOwnSchool, type DemoBase, type OwnSchool } from "./own-school";
import { DEMO, DEMO_PASSWORD, escapeRegExp, platformUrl, schoolUrl } from "./support";

export { expect };

/** Fills a school's sign-in form and submits it; does not assert the outcome. */
export async function submitSchoolLogin(page: Page, slug: string, email: string, password: string) {
  await page.goto(schoolUrl(slug, "/login"));
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/**
 * Signs in at a school through its /login page and waits until the app has sent
 * the person on to their home page (/admin, /teach or /family).
 */
export async function signIn(page: Page, slug: string, email: string, password: string = DEMO_PASSWORD) {
  await submitSchoolLogin(page, slug, email, password);
  await expect(page).toHaveURL(new RegExp(`^${escapeRegExp(schoolUrl(slug))}/(admin|teach|family)(\\?|$)`));
}

/** Signs the platform operator in on the root domain (/operator/login). */
export async function signInOperator(page: Page, email: string = DEMO.operator, password: string = DEMO_PASSWORD) {
  await page.goto(platformUrl("/operator/login"));
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(platformUrl("/operator"));
  await expect(page.getByRole("heading", { level: 1, name: "Schools" })).toBeVisible();
}

/** A page in a context of its own (cookies are never shared with the test's `page`). */
async function freshPage(browser: Browser, use: (page: Page) => Promise<void>, setUp: (page: Page) => Promise<void>) {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await setUp(page);
    await use(page);
  } finally {
    await context.close();
  }
}

interface Options {
  /** The demo school an `ownSchool` copies (default harmony): `test.use({ ownSchoolBase: "riverside" })`. */
  ownSchoolBase: DemoBase;
  /** The locale the copy writes dates in (default: its base's, en-US for harmony): `test.use({ ownSchoolLocale: "en-GB" })`. */
  ownSchoolLocale: string | null;
}

interface WorkerFixtures {
  /** Per worker: the school of each spec file (made on first use). */
  ownSchools: Map<string, Promise<OwnSchool>>;
}

interface Fixtures {
  /**
   * A copy of a demo school (same accounts and lessons) for this spec file alone:
   * a spec that changes a school's settings or data uses it, never harmony or
   * riverside themselves. Seeded once per spec file and worker.
   */
  ownSchool: OwnSchool;
  /** A page whose context is signed in as the admin of `ownSchool`. */
  ownAdminPage: Page;
  /** `signIn(page, slug, email, password?)`, bound for convenience. */
  signIn: typeof signIn;
  /** A page whose context is signed in as the demo operator. */
  operatorPage: Page;
  /** A page whose context is signed in as harmony's demo admin. */
  harmonyAdminPage: Page;
}

export const test = base.extend<Fixtures & Options, WorkerFixtures>({
  ownSchoolBase: ["harmony", { option: true }],
  ownSchoolLocale: [null, { option: true }],
  ownSchools: [
    async ({}, use) => {
      await use(new Map());
      await closeOwnSchools();
    },
    { scope: "worker" },
  ],
  ownSchool: async ({ ownSchools, ownSchoolBase, ownSchoolLocale }, use, testInfo) => {
    const key = `${testInfo.file}\n${ownSchoolBase}\n${ownSchoolLocale ?? ""}`;
    let school = ownSchools.get(key);
    if (!school) {
      // Seeding a whole demo school takes a while on a busy machine: not the journey's time.
      testInfo.setTimeout(testInfo.timeout + 120_000);
      school = createOwnSchool(ownSchoolBase, path.basename(testInfo.file).replace(/\.spec\.ts$/, "").slice(0, 12), ownSchoolLocale);
      ownSchools.set(key, school);
    }
    await use(await school);
  },
  ownAdminPage: async ({ browser, ownSchool }, use) => {
    await freshPage(browser, use, (page) => signIn(page, ownSchool.slug, ownSchool.base === "harmony" ? DEMO.harmony.admin : DEMO.riverside.admin));
  },
  signIn: async ({}, use) => {
    await use(signIn);
  },
  operatorPage: async ({ browser }, use) => {
    await freshPage(browser, use, (page) => signInOperator(page));
  },
  harmonyAdminPage: async ({ browser }, use) => {
    await freshPage(browser, use, (page) => signIn(page, "harmony", DEMO.harmony.admin));
  },
});
