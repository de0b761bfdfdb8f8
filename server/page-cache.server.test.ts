import { Hono } from "hono";
import { NONCE, secureHeaders } from "hono/secure-headers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SchoolVersions } from "./db/school-changes.server";
import { anonymousPageCache, signedInPageCache } from "./page-cache.server";

function appWithCache() {
  let renders = 0;
  const cache = anonymousPageCache({ ttlMs: 60_000, paths: ["/"], sessionCookies: ["encore_session"] });
  const app = new Hono();
  app.use("*", cache.middleware);
  app.get("/", (c) => {
    renders++;
    c.header("content-security-policy", `script-src 'nonce-${renders}'`);
    return c.html(`<p>render ${renders}</p>`);
  });
  app.get("/other", (c) => c.html(`<p>${++renders}</p>`));
  return { app, cache, renders: () => renders };
}

describe("the anonymous page cache", () => {
  it("serves the same page and headers to visitors who are not signed in", async () => {
    const { app, renders } = appWithCache();
    const first = await app.request("http://harmony.localhost/");
    const second = await app.request("http://harmony.localhost/");
    expect(await second.text()).toBe(await first.text());
    expect(second.headers.get("content-security-policy")).toBe(first.headers.get("content-security-policy"));
    expect(second.headers.get("x-encore-cache")).toBe("hit");
    expect(renders()).toBe(1);
  });

  it("keeps schools apart and never caches for signed-in visitors or other paths", async () => {
    const { app, renders } = appWithCache();
    await app.request("http://harmony.localhost/");
    expect(await (await app.request("http://riverside.localhost/")).text()).toContain("render 2");
    const signedIn = await app.request("http://harmony.localhost/", { headers: { cookie: "encore_session=abc" } });
    expect(signedIn.headers.get("x-encore-cache")).toBeNull();
    await app.request("http://harmony.localhost/other");
    await app.request("http://harmony.localhost/other");
    expect(renders()).toBe(5);
  });

  it("forgets everything when told (a school changed)", async () => {
    const { app, cache, renders } = appWithCache();
    await app.request("http://harmony.localhost/");
    cache.clear();
    const after = await app.request("http://harmony.localhost/");
    expect(after.headers.get("x-encore-cache")).toBeNull();
    expect(renders()).toBe(2);
  });

  // Regression: a cached page replayed the CSP nonce it was rendered with to every
  // visitor for five seconds, so a nonce seen once was good for other responses.
  it("gives every response, cached or not, a nonce of its own that matches its page", async () => {
    let renders = 0;
    const cache = anonymousPageCache({ ttlMs: 60_000, paths: ["/"], sessionCookies: ["encore_session"] });
    const app = new Hono<{ Variables: { secureHeadersNonce?: string } }>();
    app.use("*", cache.middleware);
    app.use("*", secureHeaders({ contentSecurityPolicy: { scriptSrc: ["'self'", NONCE] } }));
    app.get("/", (c) => {
      renders++;
      const nonce = c.get("secureHeadersNonce") ?? "";
      return c.html(`<script nonce="${nonce}">window.__x=1</script><script nonce="${nonce}" src="/a.js"></script>`);
    });
    const nonces: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await app.request("http://harmony.localhost/");
      const header = /'nonce-([^']+)'/.exec(res.headers.get("content-security-policy") ?? "")?.[1];
      const inPage = [...(await res.text()).matchAll(/nonce="([^"]+)"/g)].map((m) => m[1]);
      expect(header).toBeTruthy();
      expect(inPage).toEqual([header, header]);
      nonces.push(header!);
    }
    expect(renders, "the later requests were served from the cache").toBe(1);
    expect(new Set(nonces).size).toBe(3);
  });

  // Regression: 200 visitors arriving together on an expired landing page each
  // rendered it (0 of 200 served from the cache).
  it("renders a page once for visitors who arrive together while it renders", async () => {
    let renders = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const cache = anonymousPageCache({ ttlMs: 60_000, paths: ["/"], sessionCookies: ["encore_session"] });
    const app = new Hono<{ Variables: { secureHeadersNonce?: string } }>();
    app.use("*", cache.middleware);
    app.use("*", secureHeaders({ contentSecurityPolicy: { scriptSrc: ["'self'", NONCE] } }));
    app.get("/", async (c) => {
      renders++;
      await gate;
      const nonce = c.get("secureHeadersNonce") ?? "";
      return c.html(`<script nonce="${nonce}">window.__x=1</script><p>render ${renders}</p>`);
    });
    const crowd = Array.from({ length: 50 }, () => app.request("http://harmony.localhost/"));
    await new Promise((r) => setTimeout(r, 10));
    release();
    const responses = await Promise.all(crowd);
    expect(renders).toBe(1);
    const nonces = new Set<string>();
    for (const res of responses) {
      expect(res.status).toBe(200);
      const header = /'nonce-([^']+)'/.exec(res.headers.get("content-security-policy") ?? "")?.[1];
      const page = await res.text();
      expect(page).toContain("render 1");
      expect(page).toContain(`nonce="${header}"`);
      nonces.add(header!);
    }
    expect(nonces.size, "each response still has a nonce of its own").toBe(50);
  });

  it("lets waiters render their own page when the shared render is not cacheable", async () => {
    let renders = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const cache = anonymousPageCache({ ttlMs: 60_000, paths: ["/"], sessionCookies: ["encore_session"] });
    const app = new Hono();
    app.use("*", cache.middleware);
    app.get("/", async (c) => {
      renders++;
      if (renders === 1) {
        await gate;
        return c.html("<p>busy</p>", 503);
      }
      return c.html(`<p>render ${renders}</p>`);
    });
    const first = app.request("http://harmony.localhost/");
    const second = app.request("http://harmony.localhost/");
    await new Promise((r) => setTimeout(r, 10));
    release();
    expect((await first).status).toBe(503);
    expect((await second).status).toBe(200);
    expect(renders).toBe(2);
  });

  it("serves the same page whatever the query string (tracking parameters)", async () => {
    const { app, renders } = appWithCache();
    await app.request("http://harmony.localhost/");
    for (const query of ["?utm_source=newsletter&utm_medium=email", "?gclid=abc", "?fbclid=xyz", "?ref=flyer"]) {
      const res = await app.request(`http://harmony.localhost/${query}`);
      expect(res.headers.get("x-encore-cache"), query).toBe("hit");
    }
    expect(renders()).toBe(1);
  });

  it("does not keep a page whose render began before the school changed", async () => {
    let renders = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const cache = anonymousPageCache({ ttlMs: 60_000, paths: ["/"], sessionCookies: ["encore_session"] });
    const app = new Hono();
    app.use("*", cache.middleware);
    app.get("/", async (c) => {
      const n = ++renders;
      if (n === 1) await gate;
      return c.html(`<p>render ${n}</p>`);
    });
    const before = app.request("http://harmony.localhost/");
    await new Promise((r) => setTimeout(r, 10));
    cache.clear();
    const after = await app.request("http://harmony.localhost/");
    expect(await after.text()).toContain("render 2");
    release();
    expect(await (await before).text()).toContain("render 1");
    const later = await app.request("http://harmony.localhost/");
    expect(await later.text()).toContain("render 2");
  });
});


describe("the signed-in page cache", () => {
  afterEach(() => vi.useRealTimers());

  /** A school app with the cache inside secureHeaders, as server/app.ts has it; the school is the host's first label. */
  function signedInApp(opts: { ttlMs?: number } = {}) {
    const feed = { listening: true, versions: new SchoolVersions() };
    const cache = signedInPageCache({
      ttlMs: opts.ttlMs ?? 30_000,
      paths: ["/family"],
      sessionCookie: "encore_session",
      changes: feed,
      schoolOf: (c) => new URL(c.req.url).hostname.split(".")[0] ?? null,
    });
    let renders = 0;
    const app = new Hono<{ Variables: { secureHeadersNonce?: string } }>();
    app.use("*", secureHeaders({ contentSecurityPolicy: { scriptSrc: ["'self'", NONCE] } }));
    app.use("*", cache.middleware);
    app.get("/family", (c) => {
      renders++;
      if (c.req.query("cookie")) c.header("set-cookie", "flash=; Max-Age=0");
      const nonce = c.get("secureHeadersNonce") ?? "";
      return c.html(`<p>render ${renders} for ${c.req.header("cookie")}</p><script nonce="${nonce}">1</script>`);
    });
    app.get("/family.data", (c) => {
      renders++;
      return c.body(`data ${renders}`, 200, { "content-type": "text/x-script" });
    });
    app.get("/family/billing", (c) => c.html(`<p>${++renders}</p>`));
    app.post("/family", (c) => c.text("saved"));
    const get = (path: string, cookie = "encore_session=parent-1", host = "harmony.localhost", headers: Record<string, string> = {}) =>
      app.request(`http://${host}${path}`, { headers: { cookie, ...headers } });
    return { app, feed, cache, get, renders: () => renders };
  }

  it("serves a signed-in visitor's page again, with this response's own nonce", async () => {
    const { get, renders } = signedInApp();
    const first = await get("/family");
    const second = await get("/family");
    expect(second.headers.get("x-encore-cache")).toBe("hit");
    expect(renders()).toBe(1);
    const header = /'nonce-([^']+)'/.exec(second.headers.get("content-security-policy") ?? "")?.[1];
    const body = await second.text();
    expect(body).toContain("render 1");
    expect(body).toContain(`nonce="${header}"`);
    expect(header).not.toBe(/'nonce-([^']+)'/.exec(first.headers.get("content-security-policy") ?? "")?.[1]);
    // single-fetch data is kept the same way
    await get("/family.data");
    expect(await (await get("/family.data")).text()).toBe("data 2");
  });

  it("never serves one visitor's page to another, nor one school's to another", async () => {
    const { get, renders } = signedInApp();
    await get("/family", "encore_session=parent-1");
    expect(await (await get("/family", "encore_session=parent-2")).text()).toContain("render 2 for encore_session=parent-2");
    expect(await (await get("/family", "encore_session=parent-1", "riverside.localhost")).text()).toContain("render 3");
    expect(await (await get("/family", "encore_session=parent-1; theme=dark")).text()).toContain("render 4");
    expect(renders()).toBe(4);
  });

  it("renders again once anything of the school changed, and only of that school", async () => {
    const { app, feed, get, renders } = signedInApp();
    await get("/family");
    await get("/family", "encore_session=parent-1", "riverside.localhost");
    feed.versions.changed("harmony"); // the database said so
    expect(await (await get("/family")).text()).toContain("render 3");
    expect((await get("/family", "encore_session=parent-1", "riverside.localhost")).headers.get("x-encore-cache")).toBe("hit");
    // a form posted to the school counts as a change as soon as it is answered
    await app.request("http://harmony.localhost/family", { method: "POST", headers: { cookie: "encore_session=parent-1" } });
    expect(await (await get("/family")).text()).toContain("render 4");
    feed.versions.changed("*");
    expect(await (await get("/family", "encore_session=parent-1", "riverside.localhost")).text()).toContain("render 5");
    expect(renders()).toBe(5);
  });

  it("keeps nothing while the database's notifications do not reach it, for anyone signed out, or with a cookie set", async () => {
    const { feed, get, renders } = signedInApp();
    feed.listening = false;
    await get("/family");
    await get("/family");
    expect(renders()).toBe(2);
    feed.listening = true;
    await get("/family", "");
    await get("/family", "");
    await get("/family?cookie=1");
    await get("/family?cookie=1");
    await get("/family/billing");
    await get("/family/billing");
    expect(renders()).toBe(8);
  });

  it("renders afresh on a hard reload and after its time", async () => {
    vi.useFakeTimers({ now: new Date("2026-11-30T12:00:00Z"), toFake: ["Date"] });
    const { get, renders } = signedInApp({ ttlMs: 30_000 });
    await get("/family");
    expect(await (await get("/family", undefined, undefined, { "cache-control": "no-cache" })).text()).toContain("render 2");
    vi.setSystemTime(new Date("2026-11-30T12:00:29Z"));
    expect((await get("/family")).headers.get("x-encore-cache")).toBe("hit");
    vi.setSystemTime(new Date("2026-11-30T12:00:31Z"));
    expect(await (await get("/family")).text()).toContain("render 3");
    expect(renders()).toBe(3);
  });

  it("does not keep a page whose render began before the school changed", async () => {
    const feed = { listening: true, versions: new SchoolVersions() };
    let renders = 0;
    const cache = signedInPageCache({ ttlMs: 30_000, paths: ["/family"], sessionCookie: "s", changes: feed, schoolOf: () => "harmony" });
    const app = new Hono();
    app.use("*", cache.middleware);
    app.get("/family", async (c) => {
      renders++;
      if (renders === 1) feed.versions.changed("harmony"); // a write committed while this page rendered
      return c.html(`<p>${renders}</p>`);
    });
    await app.request("http://harmony.localhost/family", { headers: { cookie: "s=1" } });
    expect(await (await app.request("http://harmony.localhost/family", { headers: { cookie: "s=1" } })).text()).toBe("<p>2</p>");
  });
});
