// The signed-in page cache against the real database and the whole app: the database
// notifies every committed write (a statement trigger on every school-owned table,
// checked from the catalog so a new table is covered), and a kept page is served
// only until its school's data changes, whoever changed it.
//
// The school here is made for this file, so no other test's writes move its version.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schoolLucia } from "../../app/utils/sessions.server";
import { SCHOOL_CHANGED_CHANNEL } from "../../server/db/rls";
import { schoolOwnedModels } from "../../server/db/schema-models";
import { connectOwner, newId } from "../support/db";
import { startTestApp, type TestApp } from "../support/app";
import { testServices } from "../support/services";
import type pg from "pg";

const services = testServices({ PAGE_CACHE_SECONDS: "30" });
let testApp: TestApp;
let owner: pg.Client;
let schoolId = "";
let slug = "";
let adminCookie = "";
let teacherCookie = "";

/** Waits (up to 5 s) for `check` to hold: a notification arrives when it arrives. */
async function until(check: () => boolean, what: string) {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  owner = await connectOwner();
  testApp = await startTestApp(services);
  slug = newId("cache").toLowerCase().replace(/[^a-z0-9]/g, "").slice(0, 20);
  const school = await services.platform.createSchool(null, { name: "Cache Academy", slug, email: `office@${slug}.test`, timezone: "America/New_York", currency: "USD" });
  schoolId = school.id;
  [adminCookie, teacherCookie] = await services.platform.schoolDb(schoolId).run(async (tx) => {
    const admin = await tx.user.create({ data: { email: `admin@${slug}.test`, firstName: "Ada", lastName: "Admin", role: "ADMIN" }, select: { id: true } });
    const teacher = await tx.user.create({ data: { email: `t@${slug}.test`, firstName: "Tom", lastName: "Teacher", role: "TEACHER" }, select: { id: true } });
    const lucia = schoolLucia(tx, false);
    return [(await lucia.createSession(admin.id, {})).id, (await lucia.createSession(teacher.id, {})).id];
  });
  await services.schoolChanges.listen();
  await until(() => services.schoolChanges.listening, "the listener");
});

afterAll(async () => {
  await testApp?.close();
  await owner?.end();
  await services.close();
});

const get = (path: string, session: string) =>
  testApp.app.request(`http://${slug}.localhost:3000${path}`, { headers: { host: `${slug}.localhost:3000`, cookie: `encore_session=${session}` } });

describe("the database's change notifications", () => {
  it("come from every school-owned table and the School row", async () => {
    const { rows } = await owner.query<{ table: string }>(
      `SELECT c.relname::text AS "table" FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE t.tgname = 'school_changed' AND NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace`,
    );
    const tables = rows.map((r) => r.table).sort();
    expect(tables).toEqual(["School", ...schoolOwnedModels()].sort());
  });

  it("name the school a committed write changed, and say nothing of a rolled-back one", async () => {
    const listener = await connectOwner();
    const heard: string[] = [];
    listener.on("notification", (m) => heard.push(m.payload ?? ""));
    await listener.query(`LISTEN ${SCHOOL_CHANGED_CHANNEL}`);
    try {
      const db = services.platform.schoolDb(schoolId);
      await db
        .run(async (tx) => {
          await tx.location.create({ data: { name: "Rolled back" } });
          throw new Error("roll back");
        })
        .catch(() => {});
      await db.run((tx) => tx.location.create({ data: { name: "Main hall" } }));
      await until(() => heard.includes(schoolId), "the notification");
      // Postgres folds the equal notifications of one transaction; the rolled-back one sent none.
      await new Promise((r) => setTimeout(r, 50));
      expect(heard.filter((p) => p === schoolId)).toHaveLength(1);
    } finally {
      await listener.end();
    }
  });
});

describe("a signed-in page from the cache", () => {
  it("is served again until the school's data changes, through the app or not", async () => {
    const first = await get("/admin/calendar?view=week", adminCookie);
    expect(first.status).toBe(200);
    expect(first.headers.get("x-encore-cache")).toBeNull();
    const second = await get("/admin/calendar?view=week", adminCookie);
    expect(second.headers.get("x-encore-cache")).toBe("hit");
    expect(await second.text()).toContain("Main hall");

    // Another person's page is their own render.
    expect((await get("/teach/today", teacherCookie)).headers.get("x-encore-cache")).toBeNull();

    // A write from outside this request path (a job, another server): the database says so.
    const before = services.schoolChanges.versions.of(schoolId);
    await services.platform.schoolDb(schoolId).run((tx) => tx.location.create({ data: { name: "East wing" } }));
    await until(() => services.schoolChanges.versions.of(schoolId) !== before, "the change notification");
    const after = await get("/admin/calendar?view=week", adminCookie);
    expect(after.headers.get("x-encore-cache")).toBeNull();
    expect(await after.text()).toContain("East wing");
    expect((await get("/admin/calendar?view=week", adminCookie)).headers.get("x-encore-cache")).toBe("hit");

    // Signing out ends the session: its page is not served again.
    const out = await testApp.app.request(`http://${slug}.localhost:3000/logout`, {
      method: "POST",
      body: "",
      headers: { "content-type": "application/x-www-form-urlencoded", host: `${slug}.localhost:3000`, cookie: `encore_session=${adminCookie}`, origin: `http://${slug}.localhost:3000` },
    });
    expect(out.status).toBeLessThan(400);
    const signedOut = await get("/admin/calendar?view=week", adminCookie);
    expect(signedOut.headers.get("x-encore-cache")).toBeNull();
    expect(signedOut.status).toBe(302);
  });
});
