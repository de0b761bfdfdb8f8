import { describe, expect, it } from "vitest";
import { safeRedirectTo } from "./redirect";

const origin = "http://harmony.localhost:3000";

/** Where a browser lands when it follows `Location: <to>` from `origin`. */
const landsOn = (to: string) => new URL(to, origin);

describe("safeRedirectTo", () => {
  it("keeps a path on this origin, with its query and fragment", () => {
    expect(safeRedirectTo("/admin/students?q=ada#list", origin)).toBe("/admin/students?q=ada#list");
    expect(safeRedirectTo("/family", origin)).toBe("/family");
  });

  it("falls back when nothing usable was given", () => {
    expect(safeRedirectTo(null, origin)).toBe("/dashboard");
    expect(safeRedirectTo(undefined, origin, "/operator")).toBe("/operator");
    expect(safeRedirectTo("", origin)).toBe("/dashboard");
    expect(safeRedirectTo("admin", origin)).toBe("/dashboard");
  });

  // Each of these is read by a browser as another site. `/%09/evil.example` arrives
  // form-decoded as "/\t/evil.example"; browsers drop the tab and see "//evil.example".
  it.each([
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    " //evil.example",
    "https://evil.example/login",
    "http://harmony.localhost:3000.evil.example/",
    "javascript:alert(1)",
    "/\t\\evil.example",
  ])("never leaves the origin for %j", (to) => {
    const result = safeRedirectTo(to, origin);
    expect(landsOn(result).origin).toBe(origin);
    // Nothing a browser would strip or reinterpret is passed on.
    expect(result).toMatch(/^\/[^/\\]/);
    expect(result).not.toMatch(/[\u0000-\u001f\u007f]/);
  });

  it("accepts a full URL of this very origin, as its path", () => {
    expect(safeRedirectTo(`${origin}/teach?week=2026-12-01`, origin)).toBe("/teach?week=2026-12-01");
  });
});
