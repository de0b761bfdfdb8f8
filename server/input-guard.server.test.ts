import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { inputGuard, LARGE_BODIES } from "./input-guard.server";

/** An app whose every route answers what it received, behind the guard. */
function guarded(maxBodyBytes = 1000) {
  const app = new Hono();
  app.use("*", inputGuard({ maxBodyBytes }));
  app.all("*", async (c) => {
    if (c.req.method === "GET") return c.json({ path: c.req.path, query: c.req.query() });
    const form = await c.req.raw.formData();
    const fields: Record<string, string> = {};
    for (const [k, v] of form) fields[k] = typeof v === "string" ? v : `file:${v.name}:${v.size}`;
    return c.json(fields);
  });
  return app;
}

const form = (fields: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});

describe("inputGuard", () => {
  it("lets ordinary forms, queries and paths through, with their bodies still readable", async () => {
    const app = guarded();
    const res = await app.request("http://h/admin/places", form({ name: "Studio A", notes: "Line one\r\nLine two\tindented", empty: "" }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ name: "Studio A", notes: "Line one\r\nLine two\tindented", empty: "" });

    const multipart = new FormData();
    multipart.set("title", "Zoë’s recital — 🎻");
    multipart.set("file", new File([new Uint8Array([0, 1, 2, 0])], "logo.png", { type: "image/png" }));
    const upload = await app.request("http://h/admin/settings/branding", { method: "POST", body: multipart });
    expect(upload.status).toBe(200);
    expect(await upload.json()).toEqual({ title: "Zoë’s recital — 🎻", file: "file:logo.png:4" });

    const get = await app.request("http://h/admin/students?q=Ad%C3%A1&page=2");
    expect(await get.json()).toEqual({ path: "/admin/students", query: { q: "Adá", page: "2" } });
  });

  it.each([
    ["application/json", '{"name":"x"}'],
    ["text/plain", "name=x"],
    ["application/xml", "<x/>"],
    [null, "name=x"],
  ])("answers 415 with a readable message to a body of type %s", async (type, body) => {
    const res = await guarded().request("http://h/admin/places", {
      method: "POST",
      body,
      headers: type ? { "content-type": type } : {},
    });
    expect(res.status).toBe(415);
    expect(await res.text()).toMatch(/form/i);
  });

  it("answers 400 to a control character in any field name or value", async () => {
    for (const fields of [{ name: "a\u0000b" } as Record<string, string>, { name: "a\u0007b" }, { name: "\u001b[31m" }, { name: "a\u007fb" }, { "na\u0000me": "x" }]) {
      const res = await guarded().request("http://h/admin/places", form(fields));
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(await res.text()).toMatch(/characters/);
    }
    const multipart = new FormData();
    multipart.set("title", "a\u0000b");
    const res = await guarded().request("http://h/admin/settings/branding", { method: "POST", body: multipart });
    expect(res.status).toBe(400);
  });

  it("answers 400 to a control character in the query or the path, and to a broken escape in the path", async () => {
    for (const url of ["http://h/admin/students?q=a%00b", "http://h/admin/students?q%00=x", "http://h/family/hybrid/a%00b", "http://h/family/hybrid/a%0Ab", "http://h/login?redirectTo=/%09/evil.example", "http://h/family/hybrid/%E0%A4%A"]) {
      const res = await guarded().request(url);
      expect(res.status, url).toBe(400);
      expect(await res.text()).toMatch(/address/);
    }
  });

  it("answers 400 to a body that claims to be a form but cannot be read as one", async () => {
    const res = await guarded().request("http://h/admin/places", {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=xyz" },
      body: "this is not multipart at all",
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/could not be read/);
  });

  it("lets the resource upload forms, and only them, take files past the general limit", async () => {
    const app = new Hono();
    app.use("*", inputGuard({ maxBodyBytes: 1000, largeBodies: [{ path: LARGE_BODIES[0].path, maxBodyBytes: 5000 }] }));
    app.all("*", (c) => c.text("ok"));
    const body = () => {
      const f = new FormData();
      f.set("file", new File([new Uint8Array(3000)], "track.wav"));
      return f;
    };
    for (const path of ["/teach/resources/new", "/admin/resources/new", "/teach/resources/cl0abc123/edit"]) {
      expect((await app.request(`http://h${path}`, { method: "POST", body: body() })).status, path).toBe(200);
    }
    for (const path of ["/admin/settings/branding", "/teach/resources", "/family/resources", "/teach/resources/new/x"]) {
      expect((await app.request(`http://h${path}`, { method: "POST", body: body() })).status, path).toBe(413);
    }
  });

  it("answers 413 to a body over the limit, declared or streamed", async () => {
    const big = "x".repeat(2000);
    const declared = await guarded(1000).request("http://h/admin/places", form({ name: big }));
    expect(declared.status).toBe(413);
    expect(await declared.text()).toMatch(/too large/);

    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 5; i++) controller.enqueue(new TextEncoder().encode(`name=${"y".repeat(400)}&`));
        controller.close();
      },
    });
    const streamed = await guarded(1000).request("http://h/admin/places", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it("answers HTML to a browser and plain text to anything else", async () => {
    const html = await guarded().request("http://h/admin/students?q=a%00b", { headers: { accept: "text/html,application/xhtml+xml" } });
    expect(html.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await html.text()).toMatch(/<h1>.+<\/h1>/);
    const text = await guarded().request("http://h/admin/students?q=a%00b");
    expect(text.headers.get("content-type")).toMatch(/^text\/plain/);
  });
});
