// Shared by playwright.config.ts, the e2e specs and scripts/screenshots.ts: where
// the app under test listens, and how to reach the platform and a school there.
// Chromium resolves every *.localhost name to loopback, so schools are real hosts.
import path from "node:path";
import { expect, type Page } from "@playwright/test";

/** The port of the production server the e2e suite starts (E2E_PORT, default 3210). */
export const PORT = Number(process.env.E2E_PORT ?? 3210);

/**
 * The school's "now" when the e2e server starts (CLOCK_START; it advances with real
 * time from there). A Tuesday of harmony's Fall 2026 term, 03:30 in New York and
 * 08:30 in London: no demo lesson has started that day, Piano Foundation 1 (16:00)
 * is still to come with the seeded make-up guest, Thanksgiving is two days ahead,
 * and the calendar journeys' weeks (30 Nov, 7 Dec) lie in the future.
 */
export const CLOCK_START = "2026-11-24T08:30:00Z";

/** The password of every demo account (prisma/seed/demo.ts). */
export const DEMO_PASSWORD = "encore-demo";

export const DEMO = {
  operator: "operator@encore.test",
  harmony: {
    admin: "admin@harmony.test",
    teacher: "sarah.johnson@harmony.test",
    parent: "parent@harmony.test",
  },
  riverside: {
    admin: "admin@riverside.test",
    teacher: "eleanor.wright@riverside.test",
    parent: "parent@riverside.test",
  },
} as const;

/** The flags Debian's Chromium needs here (see /work/shared/toolchain.md). */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** The operator console's origin: http://localhost:PORT */
export function platformUrl(path = "", port: number = PORT): string {
  return `http://localhost:${port}${path}`;
}

/** A school's address: schoolUrl("harmony", "/login") -> http://harmony.localhost:PORT/login */
export function schoolUrl(slug: string, path = "", port: number = PORT): string {
  return `http://${slug}.localhost:${port}${path}`;
}

/** A slug nobody else has: unique per run and per call. */
export function uniqueSlug(prefix = "e2e"): string {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Escapes a string for use inside a RegExp. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A screen size a page is checked and photographed at; `name` ends the screenshot's file name. */
export interface ScreenSize {
  name: string;
  viewport: { width: number; height: number };
}

/**
 * The page at each size in turn: nothing scrolls sideways (the document is no wider than
 * the viewport), and a full-page screenshot goes to `dir`/`name`-`size.name`.png. Then the
 * page is given back its own viewport.
 */
export async function fitsEachSize(page: Page, sizes: readonly ScreenSize[], shot: { dir: string; name: string }): Promise<void> {
  const original = page.viewportSize();
  for (const size of sizes) {
    await page.setViewportSize(size.viewport);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `${shot.name} at ${size.name}: the document's width`).toBeLessThanOrEqual(size.viewport.width);
    await page.screenshot({ path: path.join(shot.dir, `${shot.name}-${size.name}.png`), fullPage: true });
  }
  if (original) await page.setViewportSize(original);
}
