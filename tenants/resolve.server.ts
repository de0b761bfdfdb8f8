// Hono middleware: the one place a request's school is decided, from its host.
import type { MiddlewareHandler } from "hono";
import type { Services, Tenant } from "../server/context";
import { brandFor } from "./branding";
import { classifyHost } from "./host";
import { notFoundPage } from "./pages";

export type TenantVariables = { tenant: Tenant };

export function resolveTenant(services: Services): MiddlewareHandler<{ Variables: TenantVariables }> {
  return async (c, next) => {
    const url = new URL(c.req.url);
    const match = classifyHost(url.host, services.env.PLATFORM_DOMAIN);
    if (match.kind === "platform") {
      c.set("tenant", { kind: "platform" });
      return next();
    }
    const school =
      match.kind === "subdomain"
        ? await services.platform.findSchool({ slug: match.slug })
        : match.kind === "custom"
          ? await services.platform.findSchool({ customDomain: match.domain })
          : null;
    if (!school) return c.html(notFoundPage(), 404);
    c.set("tenant", { kind: "school", school, brand: brandFor(school.brandColor) });
    return next();
  };
}
