// Custom domains and suspension, through the real Hono app and database:
// - a claimed domain answers its school's verification token at the well-known
//   path, on that domain only;
// - "verify" fetches the token over HTTP (DOMAIN_VERIFY_ADDRESS routes the request to
//   the app served here on a random port, with the Host header set to the domain),
//   and only then does the domain resolve to the school;
// - a suspended school answers a 503 notice on every path, so nobody can sign in.
import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app";
import type { Tenant } from "../../server/context";
import { DOMAIN_VERIFICATION_PATH, validateCustomDomain } from "../../server/db/privileged.server";
import { resolveTenant, type TenantVariables } from "../../tenants/resolve.server";
import { testServices } from "../support/services";

const services = testServices();
const app = createApp({ services, build: async () => { throw new Error("the Remix build is not used here"); } });

// The tenant middleware alone, answering which school it decided on.
const probe = new Hono<{ Variables: TenantVariables }>();
probe.use("*", resolveTenant(services));
probe.all("*", (c) => {
  const tenant: Tenant = c.get("tenant");
  return c.json(tenant.kind === "school" ? { kind: "school", id: tenant.school.id } : { kind: "platform" });
});

const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const DOMAIN_A = `music-${run}.example.test`;
const DOMAIN_B = `strings-${run}.example.test`;
let schoolA: { id: string; slug: string; name: string };
let schoolB: { id: string; slug: string; name: string };
let server: ServerType;
let wrongServer: ServerType;
let address = "";
let wrongAddress = "";

/** What the domain settings page does when an admin enters a domain. */
async function claim(schoolId: string, domain: string) {
  const checked = validateCustomDomain(domain, services.env.PLATFORM_DOMAIN);
  if (!checked.ok) throw new Error(checked.error);
  expect(await services.platform.isCustomDomainTaken(checked.domain, schoolId)).toBe(false);
  await services.platform.resetCustomDomainVerification(schoolId, checked.domain);
  const token = `encore-${crypto.randomUUID().replaceAll("-", "")}`;
  // Through the school-bound connection (the app role may set these columns).
  await services.platform.schoolDb(schoolId).run((tx) => tx.school.update({ where: { id: schoolId }, data: { customDomain: checked.domain, customDomainToken: token } }));
  services.platform.forgetCachedSchools();
  return token;
}

async function resolvedAt(host: string) {
  const res = await probe.request(`http://${host}/`);
  return { status: res.status, body: res.status === 200 ? ((await res.json()) as { kind: string; id?: string }) : await res.text() };
}

function listen(fetch: (req: Request) => Response | Promise<Response>): Promise<{ server: ServerType; address: string }> {
  return new Promise((resolve) => {
    const s = serve({ fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) => resolve({ server: s, address: `127.0.0.1:${info.port}` }));
  });
}

beforeAll(async () => {
  for (const [key, name] of [["a", "Domain School A"], ["b", "Domain School B"]] as const) {
    const slug = `dom${key}-${run}`;
    const school = await services.platform.createSchool(null, { name, slug, email: `admin@${slug}.test`, timezone: "UTC", currency: "USD" });
    if (key === "a") schoolA = school;
    else schoolB = school;
  }
  ({ server, address } = await listen(app.fetch));
  ({ server: wrongServer, address: wrongAddress } = await listen(() => new Response("someone-else's-token", { headers: { "content-type": "text/plain" } })));
});

afterAll(async () => {
  delete process.env.DOMAIN_VERIFY_ADDRESS;
  await new Promise((r) => server.close(r));
  await new Promise((r) => wrongServer.close(r));
  await services.close();
});

describe("custom domains", () => {
  it("validates the domain an admin enters", () => {
    expect(validateCustomDomain("  HTTPS://Music.Example.com/ ", "localhost")).toEqual({ ok: true, domain: "music.example.com" });
    expect(validateCustomDomain("musik-münchen.de", "localhost")).toEqual({ ok: true, domain: expect.stringMatching(/^xn--musik-mnchen-[a-z0-9]+\.de$/) });
    for (const bad of ["", "music", "10.0.0.1", "music.example.com:8080", "music..example.com", "-music.example.com", "music.example.com/path", "harmony.localhost", "localhost"]) {
      expect(validateCustomDomain(bad, "localhost").ok, bad).toBe(false);
    }
    expect(validateCustomDomain("school.encore.app", "encore.app").ok).toBe(false);
    expect(validateCustomDomain("encore.app", "encore.app").ok).toBe(false);
  });

  it("answers the right school's token at the well-known path, on the claimed domain only", async () => {
    const tokenA = await claim(schoolA.id, DOMAIN_A);
    const tokenB = await claim(schoolB.id, DOMAIN_B);

    const a = await app.request(`http://${DOMAIN_A}${DOMAIN_VERIFICATION_PATH}`);
    expect(a.status).toBe(200);
    expect(a.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await a.text()).toBe(tokenA);

    const b = await app.request(`http://${DOMAIN_B.toUpperCase()}:8080${DOMAIN_VERIFICATION_PATH}`);
    expect(await b.text()).toBe(tokenB);

    // Not on the school's platform address, not on another host, not on another path.
    // (on the platform address the path goes on to the app like any other)
    const onSlug = await probe.request(`http://${schoolA.slug}.localhost${DOMAIN_VERIFICATION_PATH}`);
    expect(await onSlug.json()).toEqual({ kind: "school", id: schoolA.id });
    const unknown = await app.request(`http://nobody-${run}.example.test${DOMAIN_VERIFICATION_PATH}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain("No school uses this address");
    const otherPath = await app.request(`http://${DOMAIN_A}/.well-known/other`);
    expect(otherPath.status).toBe(404);
    expect(await otherPath.text()).not.toContain(tokenA);

    // Claimed is not verified: the domain does not serve the school yet.
    expect(await resolvedAt(DOMAIN_A)).toMatchObject({ status: 404 });
  });

  it("does not let a second school claim a domain already claimed", async () => {
    expect(await services.platform.isCustomDomainTaken(DOMAIN_A, schoolB.id)).toBe(true);
    expect(await services.platform.isCustomDomainTaken(DOMAIN_A, schoolA.id)).toBe(false);
    // The database refuses it too (unique), whatever the page checked.
    await expect(
      services.platform.schoolDb(schoolB.id).run((tx) => tx.school.update({ where: { id: schoolB.id }, data: { customDomain: DOMAIN_A } })),
    ).rejects.toThrow();
  });

  it("refuses verification when the domain answers another token, or does not answer", async () => {
    process.env.DOMAIN_VERIFY_ADDRESS = wrongAddress;
    const wrong = await services.platform.verifyCustomDomain(schoolA.id);
    expect(wrong).toMatchObject({ ok: false, error: expect.stringContaining("not with this school's token") });

    const closed = await services.platform.verifyCustomDomain(schoolA.id, { address: "127.0.0.1:1", timeoutMs: 2000 });
    expect(closed).toMatchObject({ ok: false, error: expect.stringContaining("Could not reach") });
    expect(await resolvedAt(DOMAIN_A)).toMatchObject({ status: 404 });
  });

  it("verifies over HTTP (Host header = the domain) and then serves the school at its domain", async () => {
    process.env.DOMAIN_VERIFY_ADDRESS = address;
    const outcome = await services.platform.verifyCustomDomain(schoolA.id, { by: "admin@test" });
    expect(outcome).toEqual({ ok: true, domain: DOMAIN_A });

    const school = await services.platform.findSchool({ customDomain: DOMAIN_A });
    expect(school?.id).toBe(schoolA.id);
    expect(await resolvedAt(DOMAIN_A)).toEqual({ status: 200, body: { kind: "school", id: schoolA.id } });
    // School B's claim is still only a claim.
    expect(await resolvedAt(DOMAIN_B)).toMatchObject({ status: 404 });

    const audit = await services.platform.listAuditLog(500);
    expect(audit.find((e) => e.action === "school.domain.verify" && e.targetSchool?.slug === schoolA.slug)?.details).toMatchObject({ domain: DOMAIN_A, by: "admin@test" });
  });

  it("the app role cannot mark a domain verified itself", async () => {
    await expect(
      services.platform.schoolDb(schoolB.id).run((tx) => tx.school.update({ where: { id: schoolB.id }, data: { customDomainVerifiedAt: new Date() } })),
    ).rejects.toThrow();
    expect(await resolvedAt(DOMAIN_B)).toMatchObject({ status: 404 });
  });

  it("a new domain needs verifying again, and removing it stops serving it", async () => {
    const other = `other-${run}.example.test`;
    await claim(schoolA.id, other);
    expect(await resolvedAt(DOMAIN_A)).toMatchObject({ status: 404 });
    expect(await resolvedAt(other)).toMatchObject({ status: 404 });

    process.env.DOMAIN_VERIFY_ADDRESS = address;
    expect(await services.platform.verifyCustomDomain(schoolA.id)).toEqual({ ok: true, domain: other });
    expect(await resolvedAt(other)).toEqual({ status: 200, body: { kind: "school", id: schoolA.id } });

    await services.platform.removeCustomDomain(schoolA.id, { by: "admin@test" });
    expect(await resolvedAt(other)).toMatchObject({ status: 404 });
    const res = await app.request(`http://${other}${DOMAIN_VERIFICATION_PATH}`);
    expect(res.status).toBe(404);
  });
});

describe("suspended schools", () => {
  it("answer a 503 notice on every path, so nobody can sign in; reactivating restores them; both are audited", async () => {
    const operator = await services.platform.findOperatorByEmail("operator@encore.test");
    expect(operator).not.toBeNull();
    process.env.DOMAIN_VERIFY_ADDRESS = address;
    await claim(schoolB.id, DOMAIN_B);
    expect(await services.platform.verifyCustomDomain(schoolB.id)).toMatchObject({ ok: true });
    // Warm the host cache: suspension must not wait for it to expire.
    expect(await resolvedAt(`${schoolB.slug}.localhost`)).toMatchObject({ status: 200 });

    await services.platform.setSchoolStatus(operator!.id, schoolB.id, "SUSPENDED");
    for (const [method, path] of [["GET", "/"], ["GET", "/login"], ["POST", "/login"], ["GET", "/admin"], ["GET", "/family"]] as const) {
      for (const host of [`${schoolB.slug}.localhost:3000`, DOMAIN_B]) {
        const res = await app.request(`http://${host}${path}`, {
          method,
          ...(method === "POST"
            ? { headers: { origin: `http://${host}`, "content-type": "application/x-www-form-urlencoded" }, body: "email=admin%40x.test&password=encore-demo" }
            : {}),
        });
        expect(res.status, `${method} ${host}${path}`).toBe(503);
        const html = await res.text();
        expect(html).toContain("Domain School B is currently unavailable");
        expect(res.headers.get("set-cookie")).toBeNull();
      }
    }
    // The health check still answers on the school's host.
    expect((await app.request(`http://${schoolB.slug}.localhost/healthz`)).status).toBe(200);
    // Other schools are untouched.
    expect(await resolvedAt(`${schoolA.slug}.localhost`)).toEqual({ status: 200, body: { kind: "school", id: schoolA.id } });

    await services.platform.setSchoolStatus(operator!.id, schoolB.id, "ACTIVE");
    expect(await resolvedAt(`${schoolB.slug}.localhost`)).toEqual({ status: 200, body: { kind: "school", id: schoolB.id } });
    expect(await resolvedAt(DOMAIN_B)).toEqual({ status: 200, body: { kind: "school", id: schoolB.id } });

    const actions = (await services.platform.listAuditLog(500)).filter((e) => e.targetSchool?.slug === schoolB.slug).map((e) => `${e.action} by ${e.operator?.email ?? "system"}`);
    expect(actions).toEqual(expect.arrayContaining(["school.suspend by operator@encore.test", "school.reactivate by operator@encore.test"]));
  });

  it("an operator releasing a school's domain is audited under the operator's name", async () => {
    const operator = await services.platform.findOperatorByEmail("operator@encore.test");
    const squatted = `squatted-${run}.example.test`;
    await claim(schoolA.id, squatted);
    expect(await services.platform.isCustomDomainTaken(squatted, schoolB.id)).toBe(true);
    await services.platform.removeCustomDomain(schoolA.id, { operatorId: operator!.id });
    expect(await services.platform.isCustomDomainTaken(squatted, schoolB.id)).toBe(false);
    const entry = (await services.platform.listAuditLog(500)).find((e) => e.action === "school.domain.remove" && e.targetSchool?.slug === schoolA.slug && e.operator);
    expect(entry?.operator?.email).toBe("operator@encore.test");
    expect(entry?.details).toMatchObject({ domain: squatted, wasVerified: false });
  });

  it("a school name in the notice is escaped", async () => {
    const { suspendedPage } = await import("../../tenants/resolve.server");
    expect(suspendedPage(`<script>alert(1)</script> & Co`)).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co is currently unavailable");
  });
});
