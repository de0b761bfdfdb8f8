// The Hono application: security headers, health, static files, the school from
// the host, CSRF and rate limits, then Remix. Used as-is in dev, prod and tests.
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import { createRequestHandler } from "@remix-run/node";
import { Hono, type Context } from "hono";
import { getConnInfo } from "@hono/node-server/conninfo";
import { serveStatic } from "@hono/node-server/serve-static";
import { csrf } from "hono/csrf";
import { NONCE, secureHeaders } from "hono/secure-headers";
import { OPERATOR_COOKIE, SCHOOL_COOKIE } from "../app/utils/sessions.server";
import { resolveTenant, type TenantVariables } from "../tenants/resolve.server";
import { inputGuard } from "./input-guard.server";
import { anonymousPageCache } from "./page-cache.server";
import { uploadsHandler } from "./services/storage.server";
import type { Services } from "./context";

type Variables = TenantVariables & { secureHeadersNonce?: string };

export interface AppOptions {
  services: Services;
  build: ServerBuild | (() => Promise<ServerBuild>);
  /** Production: serve build/client from here. */
  staticRoot?: string;
}

export function clientIp(c: Context<{ Variables: Variables }>): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}

export function createApp({ services, build, staticRoot }: AppOptions) {
  const { env } = services;
  const app = new Hono<{ Variables: Variables }>();
  const remix = createRequestHandler(build, env.isProduction ? "production" : "development");

  // Landing pages for visitors who are not signed in: rendered once per few seconds.
  const pageCache = anonymousPageCache({ ttlMs: 5_000, paths: ["/"], sessionCookies: [SCHOOL_COOKIE, OPERATOR_COOKIE] });
  services.platform.onForgetSchools(pageCache.clear);
  app.use("*", pageCache.middleware);

  app.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: env.isProduction ? ["'self'", NONCE] : ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:", "https:"],
        connectSrc: env.isProduction ? ["'self'"] : ["'self'", "ws:", "wss:"],
        fontSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
      },
      strictTransportSecurity: env.protocol === "https" ? "max-age=63072000; includeSubDomains" : false,
      xFrameOptions: "DENY",
      referrerPolicy: "strict-origin-when-cross-origin",
      crossOriginEmbedderPolicy: false,
    }),
  );

  app.use("*", inputGuard()); // 415/400/413 for bodies, paths and queries no form would send

  app.get("/healthz", async (c) => {
    const database = await services.platform.health();
    return c.json({ status: database.ok ? "ok" : "degraded", database }, database.ok ? 200 : 503);
  });

  if (staticRoot) {
    app.use("/assets/*", serveStatic({ root: staticRoot, onFound: (_p, c) => c.header("Cache-Control", "public, max-age=31536000, immutable") }));
    app.use("/icon.svg", serveStatic({ root: staticRoot }));
  }

  // Uploaded images (the local store; keys are namespaced by school), on any host.
  app.on(["GET", "HEAD"], "/uploads/*", uploadsHandler(services.storage));

  app.use("*", resolveTenant(services));

  // Cross-site form posts are refused: the Origin must be the host the form came to.
  app.use(
    "*",
    csrf({
      origin: (origin, c) => {
        try {
          return new URL(origin).host === new URL(c.req.url).host;
        } catch {
          return false;
        }
      },
    }),
  );

  app.all("*", async (c) => {
    const tenant = c.get("tenant");
    const url = new URL(c.req.url);
    const context: AppLoadContext = {
      ...services,
      tenant,
      db: tenant.kind === "school" ? services.platform.schoolDb(tenant.school.id) : null,
      cspNonce: c.get("secureHeadersNonce") ?? "",
      origin: url.origin,
      clientIp: clientIp(c),
    };
    return remix(c.req.raw, context);
  });

  return app;
}
