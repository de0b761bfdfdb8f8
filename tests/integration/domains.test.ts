// Custom domains and suspension, through the real Hono app and database:
// - a school claims a domain; an unverified claim holds it for 72 hours, after which
//   another school may claim it (the expired claim is released, audited);
// - "verify" asks DNS (a real UDP server on loopback, tests/support/dns-server.ts, as
//   DNS_RESOLVER) for the TXT record _encore-challenge.<domain> holding the school's
//   token: a domain that merely points at the platform does not verify;
// - then the domain's A/AAAA addresses must all be public (a private, loopback or
//   mapped answer is refused without connecting), and the domain must reach the
//   platform: DOMAIN_VERIFY_ADDRESS routes that HTTP request to the app served here on
//   a loopback port, with the Host header set to the domain (tests never connect to a
//   non-loopback address);
// - a suspended school answers a 503 notice on every path, so nobody can sign in.
import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CLAIM_HOLD_HOURS } from "../../app/domain/custom-domain";
import { createApp } from "../../server/app";
import type { Tenant } from "../../server/context";
import { DOMAIN_VERIFICATION_PATH, validateCustomDomain } from "../../server/db/privileged.server";
import type { RunningServices } from "../../server/services.server";
import { resolveTenant, type TenantVariables } from "../../tenants/resolve.server";
import { startDnsStandIn, type DnsStandIn } from "../support/dns-server";
import { testServices } from "../support/services";

let dns: DnsStandIn;
let services: RunningServices;
let app: ReturnType<typeof createApp>;
// The tenant middleware alone, answering which school it decided on.
const probe = new Hono<{ Variables: TenantVariables }>();

const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const DOMAIN_A = `music-${run}.example.test`;
const DOMAIN_B = `strings-${run}.example.test`;
/** A public address the stand-in gives the domains: vetted, never connected to (DOMAIN_VERIFY_ADDRESS). */
const PUBLIC_IP = "93.184.215.14";
let schoolA: { id: string; slug: string; name: string };
let schoolB: { id: string; slug: string; name: string };
let schoolC: { id: string; slug: string; name: string };
let server: ServerType;
let wrongServer: ServerType;
let address = "";
let wrongAddress = "";
let wrongHits = 0;

/** What the domain settings page does when an admin enters a domain; the token. */
async function claim(schoolId: string, domain: string, now?: Date) {
  const checked = validateCustomDomain(domain, services.env.PLATFORM_DOMAIN);
  if (!checked.ok) throw new Error(checked.error);
  const claimed = await services.platform.claimCustomDomain(schoolId, checked.domain, { now });
  if (!claimed.ok) throw new Error(`${domain} is taken`);
  return claimed.token;
}

/** What the school's admin does at its DNS provider: the TXT record, and the domain pointing at a public address. */
function publish(domain: string, token: string) {
  dns.txt.set(`_encore-challenge.${domain}`, [`encore-verification=${token}`]);
  dns.a.set(domain, [PUBLIC_IP]);
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

const hours = (from: Date, h: number) => new Date(from.getTime() + h * 3_600_000);

beforeAll(async () => {
  dns = await startDnsStandIn();
  services = testServices({ DNS_RESOLVER: dns.address });
  app = createApp({ services, build: async () => { throw new Error("the Remix build is not used here"); } });
  probe.use("*", resolveTenant(services));
  probe.all("*", (c) => {
    const tenant: Tenant = c.get("tenant");
    return c.json(tenant.kind === "school" ? { kind: "school", id: tenant.school.id } : { kind: "platform" });
  });
  for (const [key, name] of [["a", "Domain School A"], ["b", "Domain School B"], ["c", "Domain School C"]] as const) {
    const slug = `dom${key}-${run}`;
    const school = await services.platform.createSchool(null, { name, slug, email: `admin@${slug}.test`, timezone: "UTC", currency: "USD" });
    if (key === "a") schoolA = school;
    else if (key === "b") schoolB = school;
    else schoolC = school;
  }
  ({ server, address } = await listen(app.fetch));
  ({ server: wrongServer, address: wrongAddress } = await listen(() => {
    wrongHits++;
    return new Response("someone-else's-token", { headers: { "content-type": "text/plain" } });
  }));
});

afterEach(() => {
  delete process.env.DOMAIN_VERIFY_ADDRESS;
});

afterAll(async () => {
  delete process.env.DOMAIN_VERIFY_ADDRESS;
  await new Promise((r) => server?.close(r));
  await new Promise((r) => wrongServer?.close(r));
  await dns?.close();
  await services?.close();
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

  it("does not let a second school claim a domain claimed within the hold", async () => {
    expect(await services.platform.claimCustomDomain(schoolB.id, DOMAIN_A)).toEqual({ ok: false, error: "taken" });
    // The same school claiming it again keeps its token.
    const before = await services.platform.findDomainClaim(DOMAIN_A);
    expect(await services.platform.claimCustomDomain(schoolA.id, DOMAIN_A)).toEqual({ ok: true, token: before!.customDomainToken, unchanged: true });
  });

  it("the app role cannot write the domain, its token or the claim's time (only the platform claims)", async () => {
    for (const data of [{ customDomain: `sneaky-${run}.example.test` }, { customDomainToken: "mine" }, { customDomainClaimedAt: new Date(Date.UTC(2999, 0, 1)) }]) {
      await expect(
        services.platform.schoolDb(schoolB.id).run((tx) => tx.school.update({ where: { id: schoolB.id }, data })),
        Object.keys(data)[0],
      ).rejects.toThrow(/permission denied|42501/i);
    }
  });

  it("lets another school claim a domain whose unverified claim is past the hold, and audits the release", async () => {
    const domain = `lapsed-${run}.example.test`;
    const claimedAt = new Date(Date.UTC(2026, 0, 10, 9, 0));
    await claim(schoolC.id, domain, claimedAt);
    // Just inside the hold: still taken.
    expect(await services.platform.claimCustomDomain(schoolB.id, domain, { now: hours(claimedAt, CLAIM_HOLD_HOURS - 0.01) })).toEqual({ ok: false, error: "taken" });
    // Past it: school B takes it (with a token of its own), school C's claim is gone.
    const takenAt = hours(claimedAt, CLAIM_HOLD_HOURS + 1);
    const claimed = await services.platform.claimCustomDomain(schoolB.id, domain, { now: takenAt });
    expect(claimed).toMatchObject({ ok: true, unchanged: false });
    const rows = await services.clients.platform.school.findMany({
      where: { id: { in: [schoolB.id, schoolC.id] } },
      select: { id: true, customDomain: true, customDomainToken: true, customDomainClaimedAt: true },
    });
    expect(rows.find((r) => r.id === schoolC.id)).toEqual({ id: schoolC.id, customDomain: null, customDomainToken: null, customDomainClaimedAt: null });
    expect(rows.find((r) => r.id === schoolB.id)).toEqual({ id: schoolB.id, customDomain: domain, customDomainToken: claimed.ok ? claimed.token : "", customDomainClaimedAt: takenAt });
    const audit = await services.platform.listAuditLog(500);
    expect(audit.find((e) => e.action === "school.domain.expire" && e.targetSchool?.slug === schoolC.slug)?.details).toEqual({
      domain,
      claimedAt: claimedAt.toISOString(),
      claimedBy: schoolB.id,
    });
    // School B goes back to its own domain for the tests below.
    await claim(schoolB.id, DOMAIN_B);
  });

  it("does not verify a domain that points at the platform but has no TXT record", async () => {
    dns.a.set(DOMAIN_A, [PUBLIC_IP]);
    dns.txt.delete(`_encore-challenge.${DOMAIN_A}`);
    process.env.DOMAIN_VERIFY_ADDRESS = address; // the domain reaches this platform, which answers the token
    const outcome = await services.platform.verifyCustomDomain(schoolA.id);
    expect(outcome).toEqual({ ok: false, error: expect.stringContaining(`No TXT record found at _encore-challenge.${DOMAIN_A}`) });
    expect(await resolvedAt(DOMAIN_A)).toMatchObject({ status: 404 });
  });

  it("does not verify with a TXT record holding another value, and says what it found", async () => {
    dns.txt.set(`_encore-challenge.${DOMAIN_A}`, ["v=spf1 -all", "encore-verification=not-this-schools-token"]);
    process.env.DOMAIN_VERIFY_ADDRESS = address;
    const outcome = await services.platform.verifyCustomDomain(schoolA.id);
    expect(outcome).toEqual({ ok: false, error: expect.stringMatching(/holds “encore-verification=not-this-schools-token”, not this school's value/) });
    expect(await resolvedAt(DOMAIN_A)).toMatchObject({ status: 404 });
  });

  it("tells a failed DNS lookup from a missing record", async () => {
    dns.fail.add(`_encore-challenge.${DOMAIN_A}`);
    try {
      expect(await services.platform.verifyCustomDomain(schoolA.id)).toEqual({ ok: false, error: expect.stringMatching(/DNS lookup of .* failed \(ESERVFAIL\)/) });
    } finally {
      dns.fail.delete(`_encore-challenge.${DOMAIN_A}`);
    }
  });

  it.each<[string, { a?: string[]; aaaa?: string[] }]>([
    ["a private IPv4 address", { a: ["10.0.0.1"] }],
    ["the cloud metadata address", { a: ["169.254.169.254"] }],
    ["loopback", { a: ["127.0.0.1"] }],
    ["a carrier-grade NAT address", { a: ["100.64.1.2"] }],
    ["an IPv4-mapped IPv6 address", { aaaa: ["::ffff:127.0.0.1"] }],
    ["a unique-local IPv6 address", { aaaa: ["fd00::1"] }],
    ["one private address among public ones", { a: [PUBLIC_IP, "192.168.1.10"] }],
  ])("refuses a domain whose DNS answers %s, without connecting", async (_what, answers) => {
    const token = (await services.platform.findDomainClaim(DOMAIN_A))!.customDomainToken!;
    publish(DOMAIN_A, token);
    dns.a.set(DOMAIN_A, answers.a ?? []);
    dns.aaaa.set(DOMAIN_A, answers.aaaa ?? []);
    // Were the address used, the request would land here (loopback) and be counted.
    process.env.DOMAIN_VERIFY_ADDRESS = wrongAddress;
    const hitsBefore = wrongHits;
    try {
      const outcome = await services.platform.verifyCustomDomain(schoolA.id);
      const refused = [...(answers.a ?? []), ...(answers.aaaa ?? [])].find((ip) => ip !== PUBLIC_IP)!;
      expect(outcome).toEqual({ ok: false, error: expect.stringContaining(`points at ${refused}, a private or reserved address`) });
      expect(wrongHits).toBe(hitsBefore);
    } finally {
      dns.aaaa.delete(DOMAIN_A);
      dns.a.set(DOMAIN_A, [PUBLIC_IP]);
    }
    expect(await resolvedAt(DOMAIN_A)).toMatchObject({ status: 404 });
  });

  it("refuses verification when the domain reaches another server, or none", async () => {
    publish(DOMAIN_A, (await services.platform.findDomainClaim(DOMAIN_A))!.customDomainToken!);
    process.env.DOMAIN_VERIFY_ADDRESS = wrongAddress;
    const wrong = await services.platform.verifyCustomDomain(schoolA.id);
    expect(wrong).toMatchObject({ ok: false, error: expect.stringContaining("reaches another server, not this platform") });

    const closed = await services.platform.verifyCustomDomain(schoolA.id, { address: "127.0.0.1:1", timeoutMs: 2000 });
    expect(closed).toMatchObject({ ok: false, error: expect.stringContaining("could not reach") });

    dns.a.delete(DOMAIN_A);
    process.env.DOMAIN_VERIFY_ADDRESS = address;
    expect(await services.platform.verifyCustomDomain(schoolA.id)).toMatchObject({ ok: false, error: expect.stringContaining("does not point anywhere yet") });
    expect(await resolvedAt(DOMAIN_A)).toMatchObject({ status: 404 });
  });

  it("verifies with the right TXT record (and the domain reaching the platform), then serves the school at its domain", async () => {
    publish(DOMAIN_A, (await services.platform.findDomainClaim(DOMAIN_A))!.customDomainToken!);
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

    // A verified domain holds for good: no hold to outlast.
    expect(await services.platform.claimCustomDomain(schoolB.id, DOMAIN_A, { now: new Date(Date.UTC(2999, 0, 1)) })).toEqual({ ok: false, error: "taken" });
  });

  it("the app role cannot mark a domain verified itself", async () => {
    await expect(
      services.platform.schoolDb(schoolB.id).run((tx) => tx.school.update({ where: { id: schoolB.id }, data: { customDomainVerifiedAt: new Date() } })),
    ).rejects.toThrow();
    expect(await resolvedAt(DOMAIN_B)).toMatchObject({ status: 404 });
  });

  it("a new domain needs verifying again, and removing it stops serving it", async () => {
    const other = `other-${run}.example.test`;
    const token = await claim(schoolA.id, other);
    expect(await resolvedAt(DOMAIN_A)).toMatchObject({ status: 404 });
    expect(await resolvedAt(other)).toMatchObject({ status: 404 });

    publish(other, token);
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
    publish(DOMAIN_B, await claim(schoolB.id, DOMAIN_B));
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
    expect(await services.platform.claimCustomDomain(schoolB.id, squatted)).toEqual({ ok: false, error: "taken" });
    await services.platform.removeCustomDomain(schoolA.id, { operatorId: operator!.id });
    expect(await services.platform.claimCustomDomain(schoolB.id, squatted)).toMatchObject({ ok: true });
    const entry = (await services.platform.listAuditLog(500)).find((e) => e.action === "school.domain.remove" && e.targetSchool?.slug === schoolA.slug && e.operator);
    expect(entry?.operator?.email).toBe("operator@encore.test");
    expect(entry?.details).toMatchObject({ domain: squatted, wasVerified: false });
  });

  it("a school name in the notice is escaped", async () => {
    const { suspendedPage } = await import("../../tenants/resolve.server");
    expect(suspendedPage(`<script>alert(1)</script> & Co`)).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co is currently unavailable");
  });
});
