// Screenshots of the main pages at desktop and phone sizes, for a visual review.
//
//   npm run dev                          # in another terminal (any running server will do)
//   npx tsx scripts/screenshots.ts       # BASE_URL=http://localhost:3000 by default
//
// Signs in as the demo accounts (password "encore-demo") and writes PNGs to
// screenshots/ (git-ignored). Each account signs in once; the session is
// reused for both sizes and kept in screenshots/.sessions/ for the next run, so
// repeated runs stay under the sign-in rate limit.
// Also prints a warning for any page that scrolls sideways or shows an error.
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH, DEMO, DEMO_PASSWORD } from "../tests/e2e/support";

const base = new URL(process.env.BASE_URL ?? "http://localhost:3000");
const outDir = path.resolve(process.env.SCREENSHOTS_DIR ?? "screenshots");
const platform = (p: string) => new URL(p, base).href;
const school = (slug: string, p: string) => {
  const u = new URL(p, base);
  u.hostname = `${slug}.${base.hostname}`;
  return u.href;
};

type Who = "anonymous" | "operator" | "harmonyAdmin" | "teacher" | "parent";
type StorageState = Awaited<ReturnType<BrowserContext["storageState"]>>;

const SHOTS: { name: string; who: Who; url: string; expectStatus?: number }[] = [
  { name: "operator-schools", who: "operator", url: platform("/operator") },
  { name: "operator-onboarding", who: "operator", url: platform("/operator/schools/new") },
  { name: "operator-outbox", who: "operator", url: platform("/operator/outbox") },
  { name: "harmony-landing", who: "anonymous", url: school("harmony", "/") },
  { name: "harmony-login", who: "anonymous", url: school("harmony", "/login") },
  { name: "harmony-admin-dashboard", who: "harmonyAdmin", url: school("harmony", "/admin") },
  { name: "harmony-people", who: "harmonyAdmin", url: school("harmony", "/admin/people") },
  { name: "harmony-audit-log", who: "harmonyAdmin", url: school("harmony", "/admin/audit") },
  { name: "harmony-outbox", who: "harmonyAdmin", url: school("harmony", "/admin/outbox") },
  { name: "teacher-home", who: "teacher", url: school("harmony", "/teach") },
  { name: "family-home", who: "parent", url: school("harmony", "/family") },
  { name: "riverside-landing", who: "anonymous", url: school("riverside", "/") },
  { name: "unknown-host-404", who: "anonymous", url: school("no-such-school", "/"), expectStatus: 404 },
];

const VIEWPORTS = [
  { name: "desktop", viewport: { width: 1280, height: 800 }, isMobile: false },
  { name: "phone", viewport: { width: 390, height: 844 }, isMobile: true },
] as const;

const HOMES: Record<Exclude<Who, "anonymous">, { login: string; email: string; home: string }> = {
  operator: { login: platform("/operator/login"), email: DEMO.operator, home: platform("/operator") },
  harmonyAdmin: { login: school("harmony", "/login"), email: DEMO.harmony.admin, home: school("harmony", "/admin") },
  teacher: { login: school("harmony", "/login"), email: DEMO.harmony.teacher, home: school("harmony", "/teach") },
  parent: { login: school("harmony", "/login"), email: DEMO.harmony.parent, home: school("harmony", "/family") },
};

/**
 * A signed-in session for a demo account. Sessions are kept in screenshots/.sessions/
 * and reused while the server still accepts them, so repeated runs do not sign in
 * again (sign-in is rate-limited per address).
 */
async function sessionFor(browser: Browser, who: Exclude<Who, "anonymous">): Promise<StorageState> {
  const { login, email, home } = HOMES[who];
  const cacheFile = path.join(outDir, ".sessions", `${base.host.replace(/[^\w.-]/g, "_")}-${who}.json`);
  const context = await browser.newContext(existsSync(cacheFile) ? { storageState: cacheFile } : {});
  const page = await context.newPage();
  try {
    if (existsSync(cacheFile)) {
      await page.goto(home);
      if (page.url() === home) return await context.storageState();
    }
    await page.goto(login);
    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    try {
      await page.waitForURL(home, { timeout: 15_000 });
    } catch {
      const alert = await page.getByRole("alert").allTextContents();
      throw new Error(`Could not sign in as ${email} at ${login} (now at ${page.url()}): ${alert.join(" ") || "no message"}`);
    }
    mkdirSync(path.dirname(cacheFile), { recursive: true });
    return await context.storageState({ path: cacheFile });
  } finally {
    await context.close();
  }
}

async function capture(page: Page, shot: (typeof SHOTS)[number], file: string): Promise<string[]> {
  const warnings: string[] = [];
  const response = await page.goto(shot.url, { waitUntil: "networkidle" });
  const status = response?.status() ?? 0;
  if (status !== (shot.expectStatus ?? 200)) warnings.push(`HTTP ${status} (expected ${shot.expectStatus ?? 200})`);
  if (page.url() !== shot.url) warnings.push(`redirected to ${page.url()}`);
  const overflow = await page.evaluate(() => {
    const doc = document.documentElement;
    const wide = [...document.querySelectorAll<HTMLElement>("body *")]
      .filter((el) => el.getBoundingClientRect().right > doc.clientWidth + 1 && getComputedStyle(el).position !== "absolute")
      .filter((el) => !el.closest(".table-wrap"))
      .slice(0, 3)
      .map((el) => `<${el.tagName.toLowerCase()}${el.className ? ` class="${el.className}"` : ""}>`);
    return { scroll: doc.scrollWidth, client: doc.clientWidth, wide };
  });
  if (overflow.scroll > overflow.client) {
    warnings.push(`scrolls sideways (${overflow.scroll}px content in ${overflow.client}px): ${overflow.wide.join(", ")}`);
  }
  // In development, Vite shows build errors in an overlay, sometimes on the page
  // after the one that caused them: report it, then look at the page underneath.
  const overlay = await page.evaluate(() => {
    const el = document.querySelector("vite-error-overlay");
    const message = el?.shadowRoot?.querySelector(".message")?.textContent ?? el?.shadowRoot?.textContent ?? null;
    el?.remove();
    return el ? (message ?? "").trim().split("\n")[0] : null;
  });
  if (overlay !== null) warnings.push(`Vite error overlay, possibly from the previous page (removed for the screenshot): ${overlay}`);
  await page.screenshot({ path: file, fullPage: true });
  return warnings;
}

mkdirSync(outDir, { recursive: true });
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
let problems = 0;
try {
  const health = await fetch(platform("/healthz")).catch((e: unknown) => e as Error);
  if (health instanceof Error || !health.ok) {
    throw new Error(`No healthy server at ${platform("/healthz")}: start one (npm run dev) or set BASE_URL.`);
  }

  const sessions = new Map<Who, StorageState | undefined>([["anonymous", undefined]]);
  for (const who of ["operator", "harmonyAdmin", "teacher", "parent"] as const) sessions.set(who, await sessionFor(browser, who));

  for (const vp of VIEWPORTS) {
    for (const who of sessions.keys()) {
      const shots = SHOTS.filter((s) => s.who === who);
      if (shots.length === 0) continue;
      const context = await browser.newContext({
        viewport: vp.viewport,
        isMobile: vp.isMobile,
        hasTouch: vp.isMobile,
        deviceScaleFactor: 1,
        storageState: sessions.get(who),
      });
      for (const shot of shots) {
        // A page of its own per shot: nothing (an error overlay, a toast) carries over.
        const page = await context.newPage();
        const errors: string[] = [];
        page.on("console", (m) => {
          // Resource failures are reported below, with their address.
          if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
        });
        page.on("pageerror", (e) => errors.push(e.message));
        page.on("response", (r) => {
          if (r.status() >= 400 && r.request().resourceType() !== "document") errors.push(`HTTP ${r.status()} ${r.url()}`);
        });
        const index = String(SHOTS.indexOf(shot) + 1).padStart(2, "0");
        const file = path.join(outDir, `${index}-${shot.name}-${vp.name}.png`);
        const warnings = await capture(page, shot, file);
        if (errors.length) warnings.push(`errors: ${errors.slice(0, 3).join(" | ")}`);
        problems += warnings.length;
        console.log(`${warnings.length ? "!" : "✓"} ${path.relative(process.cwd(), file)}${warnings.map((w) => `\n    ${w}`).join("")}`);
        await page.close();
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
}
console.log(problems ? `\n${problems} warning(s); look at the PNGs above.` : `\nAll pages captured to ${path.relative(process.cwd(), outDir)}/.`);
