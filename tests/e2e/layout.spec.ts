// Layout journeys: every page of each role fits a phone (390 px) and a desktop (1440 px)
// with no horizontal overflow (the document does not scroll sideways, no element in main
// reaches past the viewport's right edge, and no box in main, such as a table's, scrolls
// sideways inside its card). A full-page screenshot of each is written
// to test-results/screens/<role>-<page>-<width>.png for a person to look at. Only pages
// are read here (harmony's demo data is not changed).
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { onRolePage, rolePages } from "./role-pages";

const WIDTHS = [
  { width: 390, height: 844 },
  { width: 1440, height: 900 },
];

/** A file-name-safe form of a role's page name ("/admin/calendar?view=week" → "admin-calendar-view-week"). */
function fileName(s: string): string {
  return s.replace(/[^a-z0-9]+/gi, "-").replace(/^-+|-+$/g, "").toLowerCase() || "home";
}

/** The document's overflow, and each element in main whose right edge is past the viewport's or that scrolls sideways. */
async function overflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number; offenders: string[] }> {
  return page.evaluate(() => {
    const describe = (el: Element) => {
      const id = el.id ? `#${el.id}` : "";
      const cls = typeof el.className === "string" && el.className.trim() ? `.${el.className.trim().split(/\s+/).join(".")}` : "";
      const text = (el.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 40);
      return `${el.tagName.toLowerCase()}${id}${cls}${text ? ` "${text}"` : ""}`;
    };
    const innerWidth = window.innerWidth;
    const offenders: string[] = [];
    for (const el of document.querySelectorAll("main *")) {
      const box = el.getBoundingClientRect();
      // Visually hidden text (.sr-only) has a 1 px clipped box.
      if (box.width <= 1 && box.height <= 1) continue;
      if (box.right > innerWidth + 0.5) offenders.push(`${describe(el)} (right edge ${Math.round(box.right)} px)`);
      // A box that scrolls sideways (a table too wide for its card) hides what overflows it.
      const { overflowX } = getComputedStyle(el);
      if ((overflowX === "auto" || overflowX === "scroll") && el.scrollWidth > el.clientWidth + 1) {
        offenders.push(`${describe(el)} (scrolls sideways: ${el.scrollWidth} px of content in ${el.clientWidth} px)`);
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth, offenders: offenders.slice(0, 10) };
  });
}

for (const { role, email, pages } of rolePages("harmony")) {
  for (const [name, spec] of Object.entries(pages)) {
    test(`layout: ${role} — ${name} fits a phone and a desktop`, async ({ browser }) => {
      await onRolePage(browser, "harmony", email, spec, async (page, url) => {
        for (const size of WIDTHS) {
          await page.setViewportSize(size);
          const response = await page.goto(url);
          expect(response?.status(), `${url} answers`).toBeLessThan(400);
          await expect(page.locator("main")).toBeVisible();
          await page.screenshot({ path: `test-results/screens/${fileName(role)}-${fileName(name)}-${size.width}.png`, fullPage: true });
          const found = await overflow(page);
          expect(found.offenders, `elements past the right edge of a ${size.width} px viewport on ${url}`).toEqual([]);
          expect(found.scrollWidth, `the document's width at ${size.width} px on ${url}`).toBeLessThanOrEqual(found.innerWidth);
        }
      });
    });
  }
}
