// Pure host parsing: which school (if any) a request's host names. No I/O here;
// `tenants/resolve.server.ts` turns the answer into a school.

export type HostMatch =
  | { kind: "platform" }
  | { kind: "subdomain"; slug: string }
  | { kind: "custom"; domain: string }
  | { kind: "invalid" };

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
export const RESERVED_SLUGS = new Set(["www", "api", "app", "admin", "operator", "mail", "static", "assets", "status", "help"]);

/** Lower-cases, drops the port and a trailing dot: "Harmony.LocalHost:3000" -> "harmony.localhost". */
export function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith("[")) {
    const end = h.indexOf("]");
    return end > 0 ? h.slice(0, end + 1) : h;
  }
  const colon = h.indexOf(":");
  if (colon >= 0) h = h.slice(0, colon);
  return h.replace(/\.$/, "");
}

export function classifyHost(rawHost: string | null | undefined, platformDomain: string): HostMatch {
  if (!rawHost) return { kind: "invalid" };
  const host = normalizeHost(rawHost);
  const root = normalizeHost(platformDomain);
  if (!host || !/^[a-z0-9.\-[\]:]+$/.test(host)) return { kind: "invalid" };
  if (host === root || host === `www.${root}`) return { kind: "platform" };
  if (root === "localhost" && (host === "127.0.0.1" || host === "[::1]")) return { kind: "platform" };
  if (host.endsWith(`.${root}`)) {
    const label = host.slice(0, -(root.length + 1));
    if (SLUG_PATTERN.test(label) && !RESERVED_SLUGS.has(label)) return { kind: "subdomain", slug: label };
    return { kind: "invalid" };
  }
  return { kind: "custom", domain: host };
}

export function validateSlug(slug: string): string | null {
  if (!SLUG_PATTERN.test(slug)) return "Use 1–40 lower-case letters, digits or hyphens, not starting or ending with a hyphen.";
  if (RESERVED_SLUGS.has(slug)) return `"${slug}" is reserved. Choose another address.`;
  return null;
}
