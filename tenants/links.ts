// Absolute addresses of the platform and of its schools, built from configuration
// only (the public protocol, the platform's domain, the public port), never from a
// request's Host: a link in an email, a calendar feed or an invitation must lead to
// the school's own address whatever a client sent. Pure; no I/O.

export interface PublicAddress {
  protocol: "http" | "https";
  /** Schools live at <slug>.<platformDomain>; the operator at the domain itself. */
  platformDomain: string;
  /** The public port, or null for the protocol's default (443 for https, 80 for http). */
  port: number | null;
}

/** What a link needs of a school: its subdomain, and its custom domain once verified. */
export interface SchoolAddress {
  slug: string;
  customDomain?: string | null;
  customDomainVerifiedAt?: Date | string | null;
}

export interface PublicLinks {
  readonly protocol: PublicAddress["protocol"];
  readonly platformDomain: string;
  /** The operator console's origin, or an absolute URL of `path` there. */
  platform(path?: string): string;
  /** A school's own origin (its verified custom domain, else its subdomain), or an absolute URL of `path` there. */
  school(school: SchoolAddress, path?: string): string;
}

/** The public address from the environment (see server/env.server.ts: PUBLIC_PROTOCOL, PUBLIC_PORT, PLATFORM_DOMAIN). */
export function publicAddressOf(env: { protocol: "http" | "https"; PLATFORM_DOMAIN: string; publicPort: number | null }): PublicAddress {
  return { protocol: env.protocol, platformDomain: env.PLATFORM_DOMAIN, port: env.publicPort };
}

function withPath(origin: string, path: string): string {
  if (!path) return origin;
  return `${origin}${path.startsWith("/") ? "" : "/"}${path}`;
}

export function publicLinks(address: PublicAddress): PublicLinks {
  const defaultPort = address.protocol === "https" ? 443 : 80;
  const portPart = address.port && address.port !== defaultPort ? `:${address.port}` : "";
  const domain = address.platformDomain.toLowerCase().replace(/:\d+$/, "");
  const origin = (host: string) => `${address.protocol}://${host}${portPart}`;
  return Object.freeze({
    protocol: address.protocol,
    platformDomain: domain,
    platform: (path = "") => withPath(origin(domain), path),
    school: (school: SchoolAddress, path = "") =>
      withPath(origin(school.customDomain && school.customDomainVerifiedAt ? school.customDomain : `${school.slug}.${domain}`), path),
  });
}
