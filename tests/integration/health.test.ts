import { afterAll, describe, expect, inject, it } from "vitest";
import { createApp } from "../../server/app";
import { loadEnv } from "../../server/env.server";
import { createServices } from "../../server/services.server";
import { testServices } from "../support/services";

const services = testServices();
afterAll(() => services.close());

// The Remix build is not needed for these requests: they are answered before it.
const app = createApp({ services, build: async () => { throw new Error("not used"); } });

describe("health and host resolution", () => {
  it("answers /healthz on any host with the database state", async () => {
    for (const host of ["localhost", "harmony.localhost", "unknown.localhost"]) {
      const res = await app.request(`http://${host}:3000/healthz`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { status: string; database: { owner: { ok: boolean }; app: { ok: boolean } } };
      expect(body).toMatchObject({ status: "ok", database: { owner: { ok: true }, app: { ok: true } } });
    }
  });

  it("answers 503 naming the database role whose connection fails", async () => {
    const appUrl = new URL(inject("appUrl"));
    appUrl.password = "not-the-password";
    const broken = createServices(loadEnv({ NODE_ENV: "test" }), { ownerUrl: inject("ownerUrl"), appUrl: appUrl.toString() });
    try {
      const res = await createApp({ services: broken, build: async () => { throw new Error("not used"); } }).request("http://localhost:3000/healthz");
      expect(res.status).toBe(503);
      const body = (await res.json()) as { status: string; database: { owner: { ok: boolean }; app: { ok: boolean; error?: string } } };
      expect(body).toMatchObject({ status: "degraded", database: { owner: { ok: true }, app: { ok: false } } });
      expect(body.database.app.error).toMatch(/password authentication failed/);
    } finally {
      await broken.close();
    }
  });

  it("gives an unknown school's address a plain 404 that names no school", async () => {
    const res = await app.request("http://nosuchschool.localhost:3000/");
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain("No school uses this address");
    expect(html).not.toMatch(/Harmony|Riverside/);
  });

  it("sets security headers on every response", async () => {
    const res = await app.request("http://nosuchschool.localhost:3000/");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("refuses a cross-site form post", async () => {
    const res = await app.request("http://harmony.localhost:3000/login", {
      method: "POST",
      headers: { origin: "http://evil.example", "content-type": "application/x-www-form-urlencoded" },
      body: "email=a@b.c&password=x",
    });
    expect(res.status).toBe(403);
  });
});
