// Hono middleware: the one place a request's school is decided, from its host.
// Before the school itself:
// - a custom domain claimed by a school (verified or not) answers that school's
//   token at /.well-known/encore-domain-verification, so the platform can check
//   the domain points here;
// after it:
// - a suspended school answers every request with a plain 503 notice (nobody can
//   sign in); /healthz, /uploads and built assets are served before this middleware.
import type { MiddlewareHandler } from "hono";
import { DOMAIN_VERIFICATION_PATH } from "../server/db/privileged.server";
import type { Services, Tenant } from "../server/context";
import { brandFor } from "./branding";
import { classifyHost } from "./host";
import { notFoundPage } from "./pages";

export type TenantVariables = { tenant: Tenant };

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** The page a suspended school's address shows: its name, nothing else. */
export function suspendedPage(schoolName: string): string {
  const name = escapeHtml(schoolName);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${name} is currently unavailable</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;background:#f8fafc;color:#0f172a}
main{max-width:32rem;padding:2rem;text-align:center}h1{font-size:1.5rem}</style></head>
<body><main><h1>${name} is currently unavailable</h1><p>This school's pages and sign-in are paused. Please contact the school directly, or try again later.</p></main></body></html>`;
}

export function resolveTenant(services: Services): MiddlewareHandler<{ Variables: TenantVariables }> {
  return async (c, next) => {
    const url = new URL(c.req.url);
    const match = classifyHost(url.host, services.env.PLATFORM_DOMAIN);
    if (match.kind === "platform") {
      c.set("tenant", { kind: "platform" });
      return next();
    }
    if (match.kind === "custom" && url.pathname === DOMAIN_VERIFICATION_PATH && (c.req.method === "GET" || c.req.method === "HEAD")) {
      const claim = await services.platform.findDomainClaim(match.domain);
      if (claim?.customDomainToken) return c.text(claim.customDomainToken, 200, { "Cache-Control": "no-store" });
    }
    const school =
      match.kind === "subdomain"
        ? await services.platform.findSchool({ slug: match.slug })
        : match.kind === "custom"
          ? await services.platform.findSchool({ customDomain: match.domain })
          : null;
    if (!school) return c.html(notFoundPage(), 404);
    if (school.status === "SUSPENDED") {
      return c.html(suspendedPage(school.name), 503, { "Cache-Control": "no-store", "Retry-After": "3600" });
    }
    c.set("tenant", { kind: "school", school, brand: brandFor(school.brandColor) });
    return next();
  };
}
