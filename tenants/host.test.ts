import { describe, expect, it } from "vitest";
import { classifyHost, normalizeHost, validateSlug } from "./host";

describe("classifyHost", () => {
  it("recognises the platform's own domain, ignoring case and port", () => {
    expect(classifyHost("localhost:3000", "localhost")).toEqual({ kind: "platform" });
    expect(classifyHost("Encore.Example", "encore.example")).toEqual({ kind: "platform" });
    expect(classifyHost("www.encore.example", "encore.example")).toEqual({ kind: "platform" });
  });
  it("reads a school slug from a subdomain", () => {
    expect(classifyHost("Harmony.LocalHost:3000", "localhost")).toEqual({ kind: "subdomain", slug: "harmony" });
    expect(classifyHost("riverside.encore.example.", "encore.example")).toEqual({ kind: "subdomain", slug: "riverside" });
  });
  it("treats any other host as a custom domain", () => {
    expect(classifyHost("lessons.harmony-music.com", "encore.example")).toEqual({ kind: "custom", domain: "lessons.harmony-music.com" });
  });
  it("refuses nested or reserved subdomains and junk", () => {
    expect(classifyHost("a.b.localhost", "localhost")).toEqual({ kind: "invalid" });
    expect(classifyHost("admin.localhost", "localhost")).toEqual({ kind: "invalid" });
    expect(classifyHost("", "localhost")).toEqual({ kind: "invalid" });
    expect(classifyHost("evil host", "localhost")).toEqual({ kind: "invalid" });
  });
  it("normalises hosts", () => {
    expect(normalizeHost("[::1]:3000")).toBe("[::1]");
    expect(normalizeHost("EXAMPLE.com.")).toBe("example.com");
  });
});

describe("validateSlug", () => {
  it("accepts simple slugs and explains bad ones", () => {
    expect(validateSlug("harmony")).toBeNull();
    expect(validateSlug("-bad")).toMatch(/letters/);
    expect(validateSlug("www")).toMatch(/reserved/);
  });
});
