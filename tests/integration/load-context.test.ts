// The load context a route receives carries no owner connection and no way to open
// another school: the context server/app.ts really hands to Remix (captured by a
// one-route build) is walked object by object — own properties, getters, prototypes,
// Map and Set entries — and nothing on the way is a database client, a pg pool or
// client, the Platform, a SchoolDb, anything with `schoolDb`, or a connection string.
// (Closures cannot be walked: the context is built so that nothing needs hiding.)
// Its privileged capabilities check their caller themselves.
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD, OPERATOR_EMAIL } from "../../prisma/seed/demo";
import { createApp } from "../../server/app";
import { tenantContext } from "../../server/capabilities.server";
import { PrismaClient } from "../../server/db/clients.server";
import { Platform } from "../../server/db/privileged.server";
import { SchoolDb } from "../../server/db/school-db.server";
import { createAdminSession } from "../support/db";
import { schoolId, testServices } from "../support/services";

const services = testServices();
afterAll(() => services.close());

// A Remix build of one route whose document render hands back the load context it got.
let captured: AppLoadContext | null = null;
const build = {
  mode: "production",
  entry: {
    module: {
      default: (_request: Request, status: number, _headers: Headers, _entry: unknown, loadContext: AppLoadContext) => {
        captured = loadContext;
        return new Response("captured", { status });
      },
    },
  },
  routes: {
    root: { id: "root", path: "", module: { default: () => null } },
    "routes/probe": { id: "routes/probe", parentId: "root", path: "probe", module: { default: () => null, loader: () => null } },
  },
  assets: { entry: { module: "/entry.js", imports: [] }, routes: {}, url: "/manifest.js", version: "test" },
  publicPath: "/",
  assetsBuildDirectory: "build/client",
  future: {},
  isSpaMode: false,
} as unknown as ServerBuild;
const app = createApp({ services, build });

async function contextAt(host: string): Promise<AppLoadContext> {
  captured = null;
  const res = await app.request(`http://${host}/probe`);
  expect(await res.text()).toBe("captured");
  if (!captured) throw new Error(`no load context captured for ${host}`);
  return captured;
}

const BUILTIN_PROTOTYPES = new Set<unknown>([Object.prototype, Function.prototype, Array.prototype, Map.prototype, Set.prototype, Promise.prototype, Date.prototype, RegExp.prototype, Error.prototype]);

/** Everything reachable from `root` without calling a closure: objects, functions and strings. */
function walk(root: unknown): { objects: object[]; strings: string[] } {
  const seen = new Set<object>();
  const strings: string[] = [];
  const stack: unknown[] = [root];
  while (stack.length) {
    const value = stack.pop();
    if (typeof value === "string") {
      strings.push(value);
      continue;
    }
    if ((typeof value !== "object" && typeof value !== "function") || value === null || seen.has(value)) continue;
    seen.add(value);
    if (seen.size > 200_000) throw new Error("the walk does not end");
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Reflect.getOwnPropertyDescriptor(value, key);
      if (!descriptor) continue;
      if ("value" in descriptor) stack.push(descriptor.value);
      if (descriptor.get) {
        try {
          stack.push(Reflect.apply(descriptor.get, value, []));
        } catch {
          // a getter that needs its real receiver (walked from the instance as well)
        }
      }
    }
    const proto = Reflect.getPrototypeOf(value);
    if (proto && !BUILTIN_PROTOTYPES.has(proto)) stack.push(proto);
    if (value instanceof Map) for (const [k, v] of value) stack.push(k, v);
    if (value instanceof Set) for (const v of value) stack.push(v);
  }
  return { objects: [...seen], strings };
}

/** What must not be reachable from a route: each finding named. */
function forbiddenIn(root: unknown): string[] {
  const { objects, strings } = walk(root);
  const found: string[] = [];
  const { platform: owner, app: appClient } = services.clients;
  for (const o of objects) {
    if (o === owner) found.push("the privileged (platform) PrismaClient");
    else if (o === appClient) found.push("the app PrismaClient");
    else if (o instanceof PrismaClient) found.push("a PrismaClient");
    if (o instanceof pg.Pool) found.push("a pg Pool");
    if (o instanceof pg.Client) found.push("a pg Client");
    if (o instanceof Platform) found.push("the Platform");
    if (o instanceof SchoolDb) found.push("a SchoolDb");
    if ("schoolDb" in o) found.push(`an object with schoolDb (${o.constructor?.name ?? "?"})`);
  }
  const urls = [inject("ownerUrl"), inject("appUrl")];
  for (const s of strings) if (urls.some((url) => s.includes(url))) found.push("a connection string");
  return [...new Set(found)];
}

let harmonyId = "";
let adminSession = "";
let operatorCookie = "";

beforeAll(async () => {
  harmonyId = await schoolId(services, "harmony");
  adminSession = await createAdminSession(services, harmonyId);
  const platformContext = tenantContext(services, { kind: "platform" });
  operatorCookie = (await platformContext.auth.signInOperator(OPERATOR_EMAIL, DEMO_PASSWORD))!.split(";")[0]!;
});

const requestWith = (url: string, cookie?: string) => new Request(url, cookie ? { headers: { cookie } } : {});

describe("the load context", () => {
  it("the walk finds the owner connection where it is (the server's own services)", () => {
    expect(forbiddenIn(services)).toEqual(expect.arrayContaining(["the privileged (platform) PrismaClient", "the Platform", expect.stringContaining("schoolDb")]));
    expect(forbiddenIn(services.platform.schoolDb(harmonyId))).toContain("the app PrismaClient");
  });

  it("on a school's address carries no database client, Platform, SchoolDb or connection string", async () => {
    const context = await contextAt("harmony.localhost:3000");
    expect(context.tenant).toMatchObject({ kind: "school", school: { slug: "harmony" } });
    expect(Object.keys(context)).not.toEqual(expect.arrayContaining(["platform"]));
    expect(Object.keys(context)).not.toContain("env");
    expect(forbiddenIn(context)).toEqual([]);
    // Control: the SchoolDb itself in place of the bound `db` would be found (it holds the client).
    expect(forbiddenIn({ ...context, db: services.platform.schoolDb(harmonyId) })).toEqual(expect.arrayContaining(["a SchoolDb", "the app PrismaClient"]));
    // What it has instead: a database bound to this school only.
    const visible = await context.db!.run((tx) => tx.school.findMany({ select: { id: true } }));
    expect(visible).toEqual([{ id: harmonyId }]);
  });

  it("on the platform's address carries none either, and no database at all", async () => {
    const context = await contextAt("localhost:3000");
    expect(context.tenant).toEqual({ kind: "platform" });
    expect(context.db).toBeNull();
    expect(context.schoolPlatform).toBeNull();
    expect(forbiddenIn(context)).toEqual([]);
  });
});

describe("operator capabilities", () => {
  const attempts = (context: AppLoadContext, request: Request) => ({
    listSchools: () => context.operator.listSchools(request),
    listAuditLog: () => context.operator.listAuditLog(request),
    listRecentEmails: () => context.operator.listRecentEmails(request),
    setSchoolStatus: () => context.operator.setSchoolStatus(request, harmonyId, "SUSPENDED"),
    releaseCustomDomain: () => context.operator.releaseCustomDomain(request, harmonyId),
    isSlugTaken: () => context.operator.isSlugTaken(request, "harmony"),
    createSchool: () =>
      context.operator.createSchool(request, { name: "Never", slug: `never-${crypto.randomUUID().slice(0, 8)}`, email: "never@x.test", timezone: "UTC", currency: "USD" }, async () => null),
  });

  async function statusOf(work: () => Promise<unknown>): Promise<number | "allowed"> {
    try {
      await work();
      return "allowed";
    } catch (error) {
      if (error instanceof Response) return error.status;
      throw error;
    }
  }

  it("refuse without an operator session (no cookie, a made-up one, a school user's)", async () => {
    const context = await contextAt("localhost:3000");
    for (const cookie of [undefined, "encore_operator=madeup", `encore_session=${adminSession}`, `encore_operator=${adminSession}`]) {
      for (const [name, attempt] of Object.entries(attempts(context, requestWith("http://localhost:3000/operator", cookie)))) {
        expect(await statusOf(attempt), `${name} with ${cookie ?? "no cookie"}`).toBe(401);
      }
    }
    const harmony = await services.platform.findSchool({ slug: "harmony" });
    expect(harmony?.status, "nothing was suspended").toBe("ACTIVE");
  });

  it("refuse on a school's address, even with a valid operator session", async () => {
    const context = await contextAt("harmony.localhost:3000");
    for (const [name, attempt] of Object.entries(attempts(context, requestWith("http://harmony.localhost:3000/", operatorCookie)))) {
      expect(await statusOf(attempt), name).toBe(404);
    }
  });

  it("work after operator sign-in", async () => {
    const context = await contextAt("localhost:3000");
    const request = requestWith("http://localhost:3000/operator", operatorCookie);
    const schools = await context.operator.listSchools(request);
    expect(schools.map((s) => s.slug)).toEqual(expect.arrayContaining(["harmony", "riverside"]));
    expect(await context.operator.isSlugTaken(request, "harmony")).toBe(true);
  });
});

describe("school capabilities", () => {
  it("change the custom domain only for this school's admins", async () => {
    const context = await contextAt("harmony.localhost:3000");
    const teacherSession = await services.platform.schoolDb(harmonyId).run(async (tx) => {
      const teacher = await tx.user.findFirstOrThrow({ where: { role: "TEACHER" }, select: { id: true } });
      const { schoolLucia } = await import("../../app/utils/sessions.server");
      return (await schoolLucia(tx, false).createSession(teacher.id, {})).id;
    });
    for (const cookie of [undefined, `encore_session=${teacherSession}`, operatorCookie]) {
      const request = requestWith("http://harmony.localhost:3000/admin/settings/domain", cookie);
      await expect(context.schoolPlatform!.claimCustomDomain(request, "music.example.com"), cookie ?? "no cookie").rejects.toMatchObject({ status: 403 });
      await expect(context.schoolPlatform!.removeCustomDomain(request)).rejects.toMatchObject({ status: 403 });
      await expect(context.schoolPlatform!.verifyCustomDomain(request)).rejects.toMatchObject({ status: 403 });
    }
    const asAdmin = requestWith("http://harmony.localhost:3000/admin/settings/domain", `encore_session=${adminSession}`);
    const free = `free-${crypto.randomUUID().slice(0, 8)}.example.com`;
    expect(await context.schoolPlatform!.claimCustomDomain(asAdmin, free)).toMatchObject({ ok: true, unchanged: false });
    await context.schoolPlatform!.removeCustomDomain(asAdmin);
  });
});
