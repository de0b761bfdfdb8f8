// Every page of each role, in one list shared by the journeys that walk them all
// (axe, no horizontal overflow at phone and desktop widths, the school's locale).
// A page is a fixed address, or one found from a list page (a lesson, a student…).
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { signIn, signInOperator } from "./fixtures";
import { DEMO, platformUrl, schoolUrl } from "./support";

/** The first link on `listUrl` whose path matches `pattern` (a page of one lesson, student…). */
export async function firstLink(page: Page, listUrl: string, pattern: RegExp): Promise<string> {
  await page.goto(listUrl);
  const hrefs = await page.locator("main a[href]").evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
  const href = hrefs.find((h) => pattern.test(new URL(h).pathname));
  if (!href) throw new Error(`no link matching ${pattern} on ${listUrl}`);
  return href;
}

const LESSON_PAGE = /^\/admin\/lessons\/(?!new$)[\w-]+$/;

export type PageSpec = string | ((page: Page) => Promise<string>);
export type RolePages = { role: "anonymous" | "operator" | "admin" | "teacher" | "parent"; email: string | null; pages: Record<string, PageSpec> };

export type DemoSchool = "harmony" | "riverside";

/** The demo accounts of each demo school (prisma/seed/demo.ts). */
const PEOPLE: Record<DemoSchool, { admin: string; teacher: string; parent: string }> = {
  harmony: DEMO.harmony,
  riverside: DEMO.riverside,
};

/** Each role's pages in a demo school; the operator's pages are the platform's. */
export function rolePages(slug: DemoSchool = "harmony"): RolePages[] {
  const at = (path: string) => schoolUrl(slug, path);
  const people = PEOPLE[slug];
  const fixed = (paths: string[]) => Object.fromEntries(paths.map((p) => [p, at(p)]));
  return [
    {
      role: "anonymous",
      email: null,
      pages: { ...fixed(["/", "/enroll", "/trial", "/trial?instrument=Piano", "/login", "/forgot-password"]), "/operator/login": platformUrl("/operator/login") },
    },
    { role: "operator", email: DEMO.operator, pages: Object.fromEntries(["/operator", "/operator/schools/new", "/operator/billing", "/operator/audit", "/operator/outbox"].map((p) => [p, platformUrl(p)])) },
    {
      role: "admin",
      email: people.admin,
      pages: {
        ...fixed([
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
          "/admin/requests",
          "/admin/students",
          "/admin/students/new",
          "/admin/import",
          "/admin/messages",
          "/admin/resources",
          "/admin/resources/new",
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
          "/admin/billing/overdue",
          "/admin/billing",
          "/admin/billing/settings",
          "/admin/billing/prices",
          "/admin/exams",
          "/admin/syllabi",
          "/admin/pay",
          "/admin/pay/rules",
          "/account/calendar",
          "/account/notifications",
        ]),
        "a lesson": (page) => firstLink(page, at("/admin/lessons"), LESSON_PAGE),
        "a lesson date": async (page) => firstLink(page, await firstLink(page, at("/admin/lessons"), LESSON_PAGE), /^\/admin\/occurrences\/[\w-]+$/),
        "a hybrid lesson's 1-on-1 weeks": async (page) => `${await firstLink(page, at("/admin/lessons?type=HYBRID"), LESSON_PAGE)}/hybrid`,
        "a student": (page) => firstLink(page, at("/admin/students"), /^\/admin\/students\/(?!new$)[\w-]+$/),
        "a resource's edit page": (page) => firstLink(page, at("/admin/resources"), /^\/admin\/resources\/[\w-]+\/edit$/),
        "a lesson request": (page) => firstLink(page, at("/admin/requests"), /^\/admin\/requests\/[\w-]+$/),
        "a person": (page) => firstLink(page, at("/admin/people"), /^\/admin\/people\/[\w-]+$/),
        "an invoice": (page) => firstLink(page, at("/admin/billing"), /^\/admin\/billing\/invoices\/[\w-]+$/),
        "a printable invoice": async (page) => `${await firstLink(page, at("/admin/billing"), /^\/admin\/billing\/invoices\/[\w-]+$/)}/print`,
        "a family's account": (page) => firstLink(page, at("/admin/billing"), /^\/admin\/billing\/families\/[\w-]+$/),
        "a pay run": (page) => firstLink(page, at("/admin/pay"), /^\/admin\/pay\/runs\/[\w-]+$/),
        "a teacher's hours": async (page) => {
          await page.goto(at("/admin/availability"));
          const id = await page.getByLabel("Teacher").locator("option").first().getAttribute("value");
          return at(`/admin/availability?teacher=${id}`);
        },
      },
    },
    {
      role: "teacher",
      email: people.teacher,
      pages: {
        ...fixed(["/teach", "/teach/today", "/teach/week", "/teach/availability", "/teach/messages", "/teach/resources", "/teach/resources/new", "/teach/profile", "/teach/students", "/teach/pay", "/account/calendar", "/account/notifications"]),
        "cancelling a lesson": (page) => firstLink(page, at("/teach"), /^\/teach\/cancel\/[\w-]+$/),
        "a student's progress": (page) => firstLink(page, at("/teach/students"), /^\/teach\/students\/[\w-]+$/),
      },
    },
    {
      role: "parent",
      email: people.parent,
      pages: {
        ...fixed(["/family", "/family/schedule", "/family/makeups", "/family/resources", "/family/billing", "/family/progress", "/family/children", "/family/guardians", "/account/calendar", "/account/notifications"]),
        "a receipt": (page) => firstLink(page, at("/family/billing"), /^\/family\/billing\/receipts\/[\w-]+$/),
      },
    },
  ];
}

type StorageState = Awaited<ReturnType<BrowserContext["storageState"]>>;
/** Each person signs in once per worker (through the real form); their pages reuse the cookies. */
const signedInStates = new Map<string, Promise<StorageState>>();
function signedInState(browser: Browser, slug: DemoSchool, email: string): Promise<StorageState> {
  let state = signedInStates.get(email);
  if (!state) {
    state = (async () => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        if (email === DEMO.operator) await signInOperator(page);
        else await signIn(page, slug, email);
        return await context.storageState();
      } finally {
        await context.close();
      }
    })();
    signedInStates.set(email, state);
  }
  return state;
}

/**
 * Opens one page of a role (signed in as `email`, or anonymous when null) in a fresh
 * browser context of the given size, resolves its address and hands both to `check`.
 */
export async function onRolePage(
  browser: Browser,
  slug: DemoSchool,
  email: string | null,
  spec: PageSpec,
  check: (page: Page, url: string) => Promise<void>,
  viewport?: { width: number; height: number },
) {
  const context = await browser.newContext({
    ...(email ? { storageState: await signedInState(browser, slug, email) } : {}),
    ...(viewport ? { viewport } : {}),
  });
  try {
    const page = await context.newPage();
    await check(page, typeof spec === "string" ? spec : await spec(page));
  } finally {
    await context.close();
  }
}
