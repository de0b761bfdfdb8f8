// Every form of every role, posted wrong on purpose: the whole app (Hono + Remix)
// must answer a 4xx with a message, never a 5xx.
//
// In a school of its own (the demo school's data under another address, so nothing
// here can disturb another test), each role — a visitor, a student, a parent, a
// teacher, an admin, and at the end the operator — walks its pages from its home
// page, following its links. Every POST form found (once per submit button, e.g.
// each `intent`) is then sent as rendered, empty, without fields, oversized, with
// junk of several kinds, duplicated, with a NUL byte, with ids of another school
// or of nothing, as JSON and as plain text, to its own address and to addresses
// whose ids were swapped. The test fails listing every request that got a 5xx (or
// a 4xx without a message), and every route with an action that no form reached.
import type { ServerBuild } from "@remix-run/node";
import { matchRoutes, type AgnosticRouteObject } from "@remix-run/router";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUserToken } from "../../app/utils/auth.server";
import { hashPassword } from "../../app/utils/password.server";
import { hashToken, randomToken } from "../../app/utils/tokens.server";
import { DEMO_PASSWORD, HARMONY, seedSchool } from "../../prisma/seed/demo";
import { Client, OPERATOR, startTestApp, type TestApp } from "../support/app";
import { connectOwner } from "../support/db";
import { pageForms, pageLinks, type PageForm } from "../support/forms";
import { testServices } from "../support/services";

const services = testServices({ RATE_LIMIT_SIGNIN: "100000" });
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const slug = `fuzz-${run}`;
const schoolHost = `${slug}.localhost:3000`;
let t: TestApp;
let schoolId: string;
/** Ids of riverside's rows: another school's, which no form here may reach. */
let foreignIds: string[] = [];
let inviteToken = "";

const CUID = /\bc[a-z0-9]{24}\b/g;
const IS_CUID = /\bc[a-z0-9]{24}\b/;
const NOWHERE = "cnowherenowherenowhere000";
let operatorToken = "";

beforeAll(async () => {
  t = await startTestApp(services);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const school = await seedSchool(services, { ...HARMONY, slug, name: `Fuzz ${run}` }, { passwordHash, now: new Date() });
  schoolId = school.id;
  // A fresh invitation, so /set-password shows its form.
  inviteToken = await services.platform.schoolDb(schoolId).run(async (tx) => {
    const user = await tx.user.create({ data: { email: `invited-${run}@fuzz.test`, firstName: "Ina", lastName: "Vited", role: "TEACHER" }, select: { id: true } });
    return createUserToken(tx, user.id, "INVITATION");
  });
  // A fresh operator link (npm run create-operator), so /operator/set-password shows its form.
  operatorToken = randomToken();
  await services.platform.issueOperatorToken({ email: `ops-${run}@fuzz.test`, name: "Fuzz Operator", tokenHash: hashToken(operatorToken), expiresAt: new Date(Date.now() + 86_400_000) });
  await services.platform.schoolDb(schoolId).run(async (tx) => {
    // Something in the approval queue, hybrid bookings open, and a lesson today for
    // the teacher, so those pages show their forms.
    const enrollment = await tx.enrollment.findFirstOrThrow({ where: { status: "ACTIVE", lesson: { type: "GROUP" } }, select: { id: true } });
    await tx.enrollment.update({ where: { id: enrollment.id }, data: { status: "PENDING" } });
    await tx.hybridLessonConfig.updateMany({ data: { bookingsOpenedAt: services.clock.now() } });
    const teacher = await tx.user.findFirstOrThrow({ where: { email: "sarah.johnson@harmony.test" }, select: { id: true } });
    const lesson = await tx.lesson.findFirstOrThrow({ where: { instructorId: teacher.id, type: "GROUP", enrollments: { some: { status: "ACTIVE" } } }, select: { id: true, roomId: true } });
    const now = services.clock.now().getTime();
    for (const minutes of [-5, -60, -180, 30]) {
      const startsAt = new Date(now + minutes * 60_000);
      const clash = await tx.lessonOccurrence.count({ where: { OR: [{ instructorId: teacher.id }, { roomId: lesson.roomId }], startsAt: { lt: new Date(startsAt.getTime() + 1_800_000) }, endsAt: { gt: startsAt } } });
      if (clash) continue;
      await tx.lessonOccurrence.create({ data: { lessonId: lesson.id, instructorId: teacher.id, roomId: lesson.roomId, startsAt, endsAt: new Date(startsAt.getTime() + 1_800_000) } });
      break;
    }
  });
  const owner = await connectOwner();
  try {
    const riverside = await owner.query<{ id: string }>(`SELECT id FROM "School" WHERE slug = 'riverside'`);
    const rid = riverside.rows[0]!.id;
    for (const table of ["Lesson", "LessonOccurrence", "Student", "User", "Location", "Room", "Term", "Enrollment", "HybridLessonConfig", "MakeUpCredit", "Closure", "Instrument", "LessonDuration", "TeacherAvailability", "TeacherTimeOff", "CalendarFeed", "FamilyGroup"]) {
      const r = await owner.query<{ id: string }>(`SELECT id FROM "${table}" WHERE "schoolId" = $1 ORDER BY id LIMIT 1`, [rid]);
      if (r.rows[0]) foreignIds.push(r.rows[0].id);
    }
  } finally {
    await owner.end();
  }
}, 240_000);

afterAll(async () => {
  await t?.close();
  await services.close();
});

// ---- walking a role's pages -------------------------------------------------------

const SKIP = /^\/(logout|operator\/logout)\b|\.(csv|ics)(\?|$)|^\/calendar\/|^\/uploads\//;

/** `/admin/lessons/c…` and `/admin/lessons/c…?x=1` are the same page for walking purposes. */
const pagePattern = (href: string) => href.split("?")[0]!.replace(CUID, ":id");

async function walk(client: Client, starts: string[], maxPages = 120): Promise<{ forms: PageForm[]; pages: string[] }> {
  const queue = [...starts];
  const seenPatterns = new Map<string, number>();
  const visited = new Set<string>();
  const forms: PageForm[] = [];
  while (queue.length && visited.size < maxPages) {
    const href = queue.shift()!;
    if (visited.has(href) || SKIP.test(href)) continue;
    const pattern = pagePattern(href);
    const count = seenPatterns.get(pattern) ?? 0;
    if (count >= 2) continue;
    seenPatterns.set(pattern, count + 1);
    visited.add(href);
    const res = await client.get(href);
    if (res.status !== 200 || !(res.headers.get("content-type") ?? "").includes("text/html")) {
      await res.arrayBuffer();
      continue;
    }
    const html = await res.text();
    forms.push(...pageForms(html, href));
    for (const link of pageLinks(html)) if (!visited.has(link)) queue.push(link);
  }
  return { forms, pages: [...visited] };
}

/** A page's address with a NUL in its query, and with each id in its path swapped for another school's, none, garbage or a NUL. */
function mutatedAddresses(page: string, foreignId: string): string[] {
  const withQuery = `${page}${page.includes("?") ? "&" : "?"}q=a%00b`;
  const path = page.split("?")[0]!;
  if (!IS_CUID.test(path)) return [withQuery];
  return [withQuery, ...[foreignId, NOWHERE, "a%00b", "y".repeat(3000)].map((id) => path.replace(CUID, id))];
}

/** One form per action, field names and submit button (the same form on many pages is posted once). */
function distinct(forms: PageForm[]): PageForm[] {
  const seen = new Set<string>();
  return forms.filter((f) => {
    const key = `${pagePattern(f.action)}?${f.action.includes("?index") ? "index" : ""}|${f.fields.map(([n]) => n).sort().join(",")}|${f.submit?.join("=") ?? ""}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ---- what is sent -------------------------------------------------------------------

interface Attempt {
  label: string;
  action: string;
  fields: [string, string][];
  /** Sent as this content type with this raw body instead of a form. */
  raw?: { type: string; body: string };
}

const JUNK = ["-1", "99999999999999999999", "2026-02-30", "<script>alert(1)</script>' OR 1=1 --", "😀".repeat(60)];

function attempts(form: PageForm, opts: { operator: boolean }): Attempt[] {
  const submit = form.submit ? [form.submit] : [];
  const own = form.fields.filter(([n]) => !form.submit || n !== form.submit[0]);
  const withFields = (label: string, fields: [string, string][], action = form.action): Attempt => ({ label, action, fields: [...fields, ...submit] });
  const everyField = (value: (name: string, current: string) => string) => own.map(([n, v]) => [n, value(n, v)] as [string, string]);
  const ids = opts.operator ? [NOWHERE] : [foreignIds[0]!, NOWHERE];
  const list: Attempt[] = [
    withFields("as rendered", own),
    withFields("empty", everyField(() => "")),
    withFields("no fields", []),
    withFields("oversized", everyField(() => "x".repeat(100_000))),
    withFields("duplicated", [...own, ...own]),
    withFields("NUL", everyField((_n, v) => `${v}\u0000`)),
    withFields("escape", everyField((_n, v) => `${v}\u001b[2J`)),
    ...JUNK.map((junk) => withFields(`junk ${JSON.stringify(junk)}`, everyField(() => junk))),
    ...ids.map((id) => withFields(`ids → ${id === NOWHERE ? "nowhere" : "another school"}`, everyField((_n, v) => (IS_CUID.test(v) ? v.replace(CUID, id) : /id$/i.test(_n) ? id : v)))),
    { label: "JSON", action: form.action, fields: [], raw: { type: "application/json", body: JSON.stringify(Object.fromEntries(form.fields)) } },
    { label: "text/plain", action: form.action, fields: [], raw: { type: "text/plain", body: form.fields.map(([n, v]) => `${n}=${v}`).join("\r\n") } },
  ];
  if (form.submit) list.push({ label: "unknown intent", action: form.action, fields: [...own, [form.submit[0], "no-such-intent"]] });
  // Ids in the address: another school's, none, garbage, NUL, very long.
  if (IS_CUID.test(form.action.split("?")[0]!)) {
    const swapped = (id: string) => form.action.replace(CUID, id);
    for (const id of [foreignIds[0]!, NOWHERE, "%00", "y".repeat(3000)]) list.push(withFields(`address id → ${id.slice(0, 12)}`, own, swapped(id)));
  }
  return list;
}

async function send(client: Client, form: PageForm, attempt: Attempt): Promise<Response> {
  if (attempt.raw) return client.fetch(attempt.action, { method: "POST", body: attempt.raw.body, headers: { "content-type": attempt.raw.type } });
  if (!form.multipart) return client.post(attempt.action, attempt.fields);
  const body = new FormData();
  for (const [n, v] of attempt.fields) body.append(n, v);
  for (const f of form.files) body.append(f, new File([attempt.label === "as rendered" ? "" : "not an image\u0000"], "fuzz.png", { type: "image/png" }));
  return client.fetch(attempt.action, { method: "POST", body });
}

/** A 4xx must say something a person can read. */
function hasMessage(status: number, type: string, body: string): boolean {
  if (type.includes("text/html")) return /role="alert"|aria-invalid="true"|<h1[\s>]/.test(body);
  return body.trim().length > 0 || status === 405;
}

// ---- which route a post reached -------------------------------------------------------

function routeTree(build: ServerBuild): AgnosticRouteObject[] {
  const byParent = new Map<string | undefined, ServerBuild["routes"][string][]>();
  for (const r of Object.values(build.routes)) byParent.set(r.parentId, [...(byParent.get(r.parentId) ?? []), r]);
  const children = (parent: string | undefined): AgnosticRouteObject[] =>
    (byParent.get(parent) ?? []).map((r) =>
      r.index ? { id: r.id, path: r.path, index: true } : { id: r.id, path: r.path, children: children(r.id) },
    );
  return children(undefined);
}

function routeOf(build: ServerBuild, tree: AgnosticRouteObject[], action: string): string | null {
  const url = new URL(action, "http://x");
  const matches = matchRoutes(tree, url.pathname) ?? [];
  let leaf = matches.at(-1)?.route;
  if (leaf?.index && !url.searchParams.has("index")) leaf = matches.at(-2)?.route;
  return leaf?.id && build.routes[leaf.id] ? leaf.id : null;
}

/** Route ids (`routes/admin.places`) of every route file that exports an action. */
function routesWithActions(): string[] {
  const dir = path.resolve("app/routes");
  return readdirSync(dir)
    .filter((f) => /\.tsx?$/.test(f) && /export (async )?function action|export const action/.test(readFileSync(path.join(dir, f), "utf8")))
    .map((f) => `routes/${f.replace(/\.tsx?$/, "")}`);
}

// ---- the test -------------------------------------------------------------------------

describe("form fuzzing", () => {
  it("answers every mutated post of every form of every role with a 4xx and a message, never a 5xx", async () => {
    const failures: string[] = [];
    const reached = new Set<string>();
    const tree = routeTree(t.build);
    let posts = 0;

    const roles: { name: string; client: () => Promise<Client>; starts: string[]; forms?: () => Promise<PageForm[]> }[] = [
      {
        name: "visitor",
        client: async () => new Client(t.app, schoolHost, "10.0.0.1"),
        starts: ["/", "/enroll", "/login", "/forgot-password", `/set-password?token=${inviteToken}`],
        // "Pay the registration fee now" on the enrollment's confirmation (shown after a form is sent).
        forms: async () => [{ page: "/enroll", action: "/enroll/fee?t=x", multipart: false, files: [], submit: null, fields: [["t", "eA.1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]] }],
      },
      { name: "platform visitor", client: async () => new Client(t.app, "localhost:3000", "10.0.0.7"), starts: ["/operator/login", `/operator/set-password?token=${operatorToken}`] },
      { name: "student", client: () => new Client(t.app, schoolHost, "10.0.0.2").signIn("emma@harmony.test"), starts: ["/dashboard", "/family", "/account/calendar", "/account/notifications"] },
      {
        name: "parent",
        client: () => new Client(t.app, schoolHost, "10.0.0.3").signIn("parent@harmony.test"),
        starts: ["/family", "/account/calendar", "/account/notifications"],
        // "Pay online" on each of the family's issued invoices (its button is on the family billing page).
        forms: () =>
          services.platform.schoolDb(schoolId).run(async (tx) => {
            const parent = await tx.user.findFirstOrThrow({ where: { email: "parent@harmony.test" }, select: { familyGroupId: true } });
            const invoices = await tx.invoice.findMany({ where: { familyGroupId: parent.familyGroupId!, status: "ISSUED" }, select: { id: true } });
            return invoices.map((i): PageForm => ({ page: "/family", action: `/family/billing/invoices/${i.id}/pay`, multipart: false, files: [], submit: null, fields: [] }));
          }),
      },
      {
        name: "teacher",
        client: () => new Client(t.app, schoolHost, "10.0.0.4").signIn("sarah.johnson@harmony.test"),
        starts: ["/teach", "/teach/today", "/account/calendar"],
        // "Connect with Stripe" on /teach/pay is shown only until the teacher is connected (the seed connects her).
        forms: async () => [{ page: "/teach/pay", action: "/teach/pay", multipart: false, files: [], submit: null, fields: [] }],
      },
      {
        name: "admin",
        client: () => new Client(t.app, schoolHost, "10.0.0.5").signIn("admin@harmony.test"),
        starts: ["/admin", "/admin/setup", "/admin/enrollments", "/account/calendar"],
        // Pages whose forms appear after a choice: the handover of a teacher's lessons,
        // and the calendar's drag-and-drop move (sent by script, not by a <form>).
        forms: () =>
          services.platform.schoolDb(schoolId).run(async (tx) => {
            const teacher = await tx.user.findFirstOrThrow({ where: { email: "sarah.johnson@harmony.test" }, select: { id: true } });
            const occurrence = await tx.lessonOccurrence.findFirstOrThrow({ where: { kind: "LESSON", status: "SCHEDULED", startsAt: { gt: new Date() } }, select: { id: true, roomId: true } });
            const admin = new Client(t.app, schoolHost, "10.0.0.5");
            await admin.signIn("admin@harmony.test");
            const handover = pageForms(await (await admin.get(`/admin/handover?teacher=${teacher.id}`)).text(), "/admin/handover");
            const move: PageForm = { page: "/admin/calendar", action: "/admin/calendar", multipart: false, files: [], submit: null, fields: [["occurrenceId", occurrence.id], ["date", "2030-01-08"], ["time", "16:00"], ["roomId", occurrence.roomId ?? "none"]] };
            // The payment page's refund form (a payment with something left to refund), and
            // "Connect with Stripe" (shown only while the school is not connected).
            const payment = await tx.payment.findFirstOrThrow({ where: { status: "COMPLETED", method: "CHECK" }, select: { id: true } });
            const refund = pageForms(await (await admin.get(`/admin/billing/payments/${payment.id}`)).text(), `/admin/billing/payments/${payment.id}`);
            const connect: PageForm = { page: "/admin/settings/payments", action: "/admin/settings/payments", multipart: false, files: [], submit: null, fields: [] };
            return [...handover, move, ...refund, connect];
          }),
      },
      { name: "operator", client: () => new Client(t.app, "localhost:3000", "10.0.0.6").signIn(OPERATOR), starts: ["/operator"] },
    ];
    const stats = new Map<string, number>();
    const started = Date.now();

    for (const role of roles) {
      let client = await role.client();
      const walked = await walk(client, role.starts);
      for (const page of walked.pages) {
        for (const address of mutatedAddresses(page, foreignIds[0]!)) {
          const res = await client.get(address);
          const body = await res.text();
          if (res.status >= 500) failures.push(`${role.name}: GET ${address.slice(0, 120)} → ${res.status}: ${body.replace(/\s+/g, " ").slice(0, 200)}`);
        }
      }
      let found = [...walked.forms, ...((await role.forms?.()) ?? [])];
      // The operator acts on schools: only on this test's own, never on another test's.
      if (role.name === "operator") found = found.filter((f) => f.fields.every(([, v]) => !IS_CUID.test(v) || v.includes(schoolId)));
      const forms = distinct(found);
      for (const form of forms) {
        for (const attempt of attempts(form, { operator: role.name === "operator" })) {
          posts++;
          const res = await send(client, form, attempt);
          const body = await res.text();
          const type = res.headers.get("content-type") ?? "";
          const what = `${role.name}: POST ${attempt.action.slice(0, 120)} [${form.submit?.join("=") ?? "submit"}] ${attempt.label} → ${res.status}`;
          if (res.status >= 500) failures.push(`${what}: ${body.replace(/\s+/g, " ").slice(0, 200)}`);
          else if (res.status >= 400 && !hasMessage(res.status, type, body)) failures.push(`${what} without a message`);
          const statKey = `${role.name} ${attempt.label.startsWith("junk") ? "junk" : attempt.label} ${res.status}`;
          stats.set(statKey, (stats.get(statKey) ?? 0) + 1);
          const route = routeOf(t.build, tree, attempt.action);
          if (route) reached.add(route);
        }
        // A post that signed this person out (or ended the session) must not hide the rest.
        if (role.name !== "visitor" && (await client.get(role.starts[0]!)).status === 302) client = await role.client();
      }
    }

    console.log(`${posts} posts in ${Math.round((Date.now() - started) / 1000)} s`);
    console.log([...stats].sort().map(([k, v]) => `${k}: ${v}`).join("\n"));
    const unreached = routesWithActions().filter((id) => !reached.has(id) && !["routes/logout", "routes/operator.logout"].includes(id));
    expect({ posts: posts > 1000, failures, unreached }).toEqual({ posts: true, failures: [], unreached: [] });
  }, 900_000);
});
