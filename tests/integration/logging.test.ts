// Logs are JSON lines carrying the request's id, the same id the response names in
// X-Request-Id: the access line, lines written by a loader, and the error a loader
// ends in. Also: which client address and request id the server believes.
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app";
import { createLogger } from "../../server/log.server";
import { oneRouteBuild } from "../support/remix-build";
import { testServices } from "../support/services";

type Line = Record<string, unknown> & { level: string; msg: string; requestId?: string };

function capture() {
  const raw: string[] = [];
  const log = createLogger({ level: "info", destination: { write: (line: string) => void raw.push(line) } });
  return { log, raw, lines: () => raw.map((l) => JSON.parse(l) as Line) };
}

const services = testServices();
const proxied = testServices({ TRUST_PROXY: "1" });
afterAll(() => Promise.all([services.close(), proxied.close()]));

const build = oneRouteBuild("probe/:what", async ({ params, context }) => {
  context.log.info({ what: params.what }, "loader ran");
  if (params.what === "boom") throw new Error("boom in a loader");
  return Response.json({ clientIp: context.clientIp, requestId: context.requestId });
});

describe("logs", () => {
  it("are JSON lines with the request id of the response's X-Request-Id", async () => {
    const out = capture();
    const app = createApp({ services, build, log: out.log });
    const res = await app.request("http://Harmony.localhost:3000/probe/ok?token=s3cret-value");
    expect(res.status).toBe(200);
    const id = res.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.json()).toMatchObject({ requestId: id });

    expect(out.raw.length).toBeGreaterThanOrEqual(2);
    for (const line of out.raw) expect(() => JSON.parse(line)).not.toThrow();
    const lines = out.lines();
    expect(lines.every((l) => l.requestId === id)).toBe(true);
    expect(lines.find((l) => l.msg === "loader ran")).toMatchObject({ level: "info", what: "ok" });
    const access = lines.find((l) => l.msg === "request");
    expect(access).toMatchObject({ level: "info", method: "GET", path: "/probe/ok", status: 200, school: "harmony" });
    expect(typeof access!.ms).toBe("number");
    // The query string (tokens, emails) never reaches the logs.
    expect(out.raw.join("\n")).not.toContain("s3cret-value");
  });

  it("give each request its own id", async () => {
    const out = capture();
    const app = createApp({ services, build, log: out.log });
    const a = await app.request("http://harmony.localhost:3000/probe/a");
    const b = await app.request("http://harmony.localhost:3000/probe/b");
    expect(a.headers.get("x-request-id")).not.toBe(b.headers.get("x-request-id"));
    expect(out.lines().filter((l) => l.msg === "request").map((l) => l.requestId)).toEqual([
      a.headers.get("x-request-id"),
      b.headers.get("x-request-id"),
    ]);
  });

  it("report an error thrown in a loader with the request id", async () => {
    const out = capture();
    const app = createApp({ services, build, log: out.log });
    const res = await app.request("http://harmony.localhost:3000/probe/boom");
    expect(res.status).toBe(500);
    const id = res.headers.get("x-request-id");
    const error = out.lines().find((l) => l.level === "error");
    expect(error).toMatchObject({ requestId: id, msg: "unhandled error", err: { message: "boom in a loader" } });
    expect((error!.err as { stack?: string }).stack).toContain("boom in a loader");
    expect(out.lines().find((l) => l.msg === "request")).toMatchObject({ requestId: id, status: 500 });
  });

  it("hide the token of a private calendar feed", async () => {
    const out = capture();
    const feed = oneRouteBuild("calendar/:file", ({ context }) => {
      context.log.info("feed served");
      return new Response("BEGIN:VCALENDAR", { headers: { "Content-Type": "text/calendar" } });
    });
    const app = createApp({ services, build: feed, log: out.log });
    expect((await app.request("http://harmony.localhost:3000/calendar/feed-secret-123.ics")).status).toBe(200);
    expect(out.raw.join("\n")).not.toContain("feed-secret-123");
    expect(out.lines().find((l) => l.msg === "request")).toMatchObject({ path: "/calendar/:token.ics" });
  });
});

describe("behind a proxy (TRUST_PROXY)", () => {
  it("without it, the client can choose neither its address nor its request id", async () => {
    const out = capture();
    const app = createApp({ services, build, log: out.log });
    const res = await app.request("http://harmony.localhost:3000/probe/ok", {
      headers: { "x-forwarded-for": "198.51.100.7", "x-request-id": "chosen-by-client" },
    });
    expect(res.headers.get("x-request-id")).not.toBe("chosen-by-client");
    const body = (await res.json()) as { clientIp: string };
    expect(body.clientIp).not.toBe("198.51.100.7");
  });

  it("with it, the address comes from X-Forwarded-For and a sane X-Request-Id is kept", async () => {
    const out = capture();
    const app = createApp({ services: proxied, build, log: out.log });
    const res = await app.request("http://harmony.localhost:3000/probe/ok", {
      headers: { "x-forwarded-for": "1.1.1.1, 198.51.100.7", "x-request-id": "edge-4f2a9c" },
    });
    expect(res.headers.get("x-request-id")).toBe("edge-4f2a9c");
    expect(await res.json()).toEqual({ clientIp: "198.51.100.7", requestId: "edge-4f2a9c" });
    expect(out.lines().find((l) => l.msg === "request")).toMatchObject({ requestId: "edge-4f2a9c", ip: "198.51.100.7" });

    const odd = await app.request("http://harmony.localhost:3000/probe/ok", { headers: { "x-request-id": 'x" {"level":"fatal"}' } });
    expect(odd.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const long = await app.request("http://harmony.localhost:3000/probe/ok", { headers: { "x-request-id": "a".repeat(200) } });
    expect(long.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
