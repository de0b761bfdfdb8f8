// Locale journeys: a London school (Riverside, en-GB) writes 24-hour times and puts the
// day before the month on every page of each role; no "5:00 PM", no "Dec 1". The
// operator's own pages belong to the platform (US English, UTC) and are not the
// school's, so they are left out. Only pages are read here (riverside's demo data is not
// changed).
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { onRolePage, rolePages } from "./role-pages";
import { DEMO, schoolUrl } from "./support";

const TWELVE_HOUR = /\b\d{1,2}(?::\d{2})?\s?[AaPp]\.?[Mm]\b\.?/g;
const MONTH_FIRST = /\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.? \d{1,2}\b(?!:)/g; // one space: table cells are tab-separated

/** The visible text of the page's main content, with the matches of `pattern` and a little context. */
async function matchesIn(page: Page, pattern: RegExp): Promise<string[]> {
  const text = (await page.locator("main").innerText()).replace(/[\u202f\u00a0\u2009]/g, " ");
  return [...text.matchAll(pattern)].map((m) => text.slice(Math.max(0, (m.index ?? 0) - 30), (m.index ?? 0) + m[0].length + 10).replace(/\s+/g, " "));
}

for (const { role, email, pages } of rolePages("riverside")) {
  if (role === "operator") continue;
  for (const [name, spec] of Object.entries(pages)) {
    if (name === "/operator/login") continue;
    test(`en-GB: ${role} — ${name} writes 24-hour times and day-month dates`, async ({ browser }) => {
      await onRolePage(browser, "riverside", email, spec, async (page, url) => {
        const response = await page.goto(url);
        expect(response?.status(), `${url} answers`).toBeLessThan(400);
        await expect(page.locator("html")).toHaveAttribute("lang", "en-GB");
        expect(await matchesIn(page, TWELVE_HOUR), `12-hour times on ${url}`).toEqual([]);
        expect(await matchesIn(page, MONTH_FIRST), `month-first dates on ${url}`).toEqual([]);
      });
    });
  }
}

test("a New York school writes 12-hour times and month-first dates on its week calendar", async ({ browser }) => {
  await onRolePage(browser, "harmony", DEMO.harmony.admin, schoolUrl("harmony", "/admin/calendar?view=week&date=2026-12-01"), async (page, url) => {
    await page.goto(url);
    await expect(page.locator("html")).toHaveAttribute("lang", "en-US");
    expect((await matchesIn(page, TWELVE_HOUR)).length, "12-hour times on the week calendar").toBeGreaterThan(0);
    // Weeks start on Sunday in the United States: 29 Nov – 5 Dec.
    await expect(page.getByText(/Nov 29\s*–\s*Dec 5, 2026/).first()).toBeVisible();
  });
});
