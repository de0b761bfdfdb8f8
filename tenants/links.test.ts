import { describe, expect, it } from "vitest";
import { loadEnv } from "../server/env.server";
import { publicAddressOf, publicLinks } from "./links";

const linksFor = (vars: { NODE_ENV: "development" | "production" } & Record<string, string>) => publicLinks(
    // Production requires both database addresses (never connected to here) and the file-address secret.
    publicAddressOf(loadEnv({ SEED: "none", DATABASE_URL: "postgresql://owner@db/encore", APP_DATABASE_URL: "postgresql://encore_app@db/encore", FILE_URL_SECRET: "links-test-file-url-secret-0123456789", ...vars })),
  );

describe("public links", () => {
  it("lead to the school's subdomain on the configured port in development", () => {
    const links = linksFor({ NODE_ENV: "development", PORT: "4000" });
    expect(links.school({ slug: "harmony" }, "/set-password?token=abc")).toBe("http://harmony.localhost:4000/set-password?token=abc");
    expect(links.platform("/operator")).toBe("http://localhost:4000/operator");
    expect(links.platform()).toBe("http://localhost:4000");
  });

  it("carry no port and https in production unless told otherwise", () => {
    const links = linksFor({ NODE_ENV: "production", PORT: "3000", PLATFORM_DOMAIN: "Encore.Example" });
    expect(links.school({ slug: "harmony" })).toBe("https://harmony.encore.example");
    expect(linksFor({ NODE_ENV: "production", PUBLIC_PORT: "8443" }).school({ slug: "harmony" })).toBe("https://harmony.localhost:8443");
    expect(linksFor({ NODE_ENV: "production", PUBLIC_PROTOCOL: "http", PUBLIC_PORT: "3000" }).platform()).toBe("http://localhost:3000");
  });

  it("follow PUBLIC_PROTOCOL and leave out the protocol's default port", () => {
    expect(linksFor({ NODE_ENV: "development", PUBLIC_PROTOCOL: "https", PORT: "3000" }).school({ slug: "harmony" })).toBe("https://harmony.localhost:3000");
    expect(linksFor({ NODE_ENV: "development", PUBLIC_PROTOCOL: "https", PUBLIC_PORT: "443" }).school({ slug: "harmony" })).toBe("https://harmony.localhost");
    expect(linksFor({ NODE_ENV: "development", PORT: "80" }).school({ slug: "harmony" })).toBe("http://harmony.localhost");
    expect(linksFor({ NODE_ENV: "development", PUBLIC_PORT: "443" }).school({ slug: "harmony" })).toBe("http://harmony.localhost:443");
  });

  it("use a school's custom domain only once it is verified", () => {
    const links = linksFor({ NODE_ENV: "production" });
    expect(links.school({ slug: "harmony", customDomain: "music.example.com", customDomainVerifiedAt: null })).toBe("https://harmony.localhost");
    expect(links.school({ slug: "harmony", customDomain: "music.example.com", customDomainVerifiedAt: new Date(0) }, "/family")).toBe("https://music.example.com/family");
  });

  it("refuse a PUBLIC_PORT that is not a port", () => {
    expect(() => loadEnv({ NODE_ENV: "development", PUBLIC_PORT: "eighty" })).toThrow(/PUBLIC_PORT/);
    expect(() => loadEnv({ NODE_ENV: "development", PUBLIC_PORT: "70000" })).toThrow(/PUBLIC_PORT/);
  });
});
