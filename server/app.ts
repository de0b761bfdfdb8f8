// The Hono application: security headers, health, static files, the school from
// the host, CSRF and rate limits, then Remix. Used as-is in dev, prod and tests.
import os from "node:os";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import { createRequestHandler } from "@remix-run/node";
import { Hono, type Context } from "hono";
import { getConnInfo } from "@hono/node-server/conninfo";
import { serveStatic } from "@hono/node-server/serve-static";
import { csrf } from "hono/csrf";
import { HTTPException } from "hono/http-exception";
import { NONCE, secureHeaders } from "hono/secure-headers";
import { OPERATOR_COOKIE, SCHOOL_COOKIE } from "../app/utils/sessions.server";
import { resolveTenant, type TenantVariables } from "../tenants/resolve.server";
import { databaseBusyResponse, isDatabaseBusy, wasDatabaseBusy } from "./busy.server";
import { chooseClientIp } from "./client-ip";
import { inputGuard } from "./input-guard.server";
import { createLogger, loggablePath, REQUEST_ID_HEADER, requestIdFor, type Logger } from "./log.server";
import { anonymousPageCache, signedInPageCache } from "./page-cache.server";
import { createGate, GateTimeout, releaseWhenProduced } from "./admission";
import { uploadsHandler } from "./services/storage.server";
import { tenantContext } from "./capabilities.server";
import { stripeWebhook } from "./payments/webhook.server";
import type { Services } from "./context";

type Variables = TenantVariables & { secureHeadersNonce?: string; log: Logger; requestId: string };

export interface AppOptions {
  services: Services;
  build: ServerBuild | (() => Promise<ServerBuild>);
  /** Production: serve build/client from here. */
  staticRoot?: string;
  /** The process's logger; one at LOG_LEVEL on stdout when not given. */
  log?: Logger;
}

/** The client's address: the socket's peer, or the one TRUST_PROXY picks from X-Forwarded-For. */
export function clientIp(c: Context<{ Variables: Variables }>, trustProxy: boolean | number): string {
  let socket: string | undefined;
  try {
    socket = getConnInfo(c).remote.address;
  } catch {
    socket = undefined;
  }
  return chooseClientIp(socket, c.req.header("x-forwarded-for"), trustProxy);
}

export function createApp({ services, build, staticRoot, log = createLogger({ level: services.env.LOG_LEVEL }) }: AppOptions) {
  const { env } = services;
  const app = new Hono<{ Variables: Variables }>();
  const remix = createRequestHandler(build, env.isProduction ? "production" : "development");

  // First of all: the request's id and logger, and one access line when it is answered.
  app.use("*", async (c, next) => {
    const started = performance.now();
    const requestId = requestIdFor(c.req.header(REQUEST_ID_HEADER), env.TRUST_PROXY);
    c.set("requestId", requestId);
    c.set("log", log.child({ requestId }));
    await next();
    try {
      c.res.headers.set(REQUEST_ID_HEADER, requestId);
    } catch {
      c.res = new Response(c.res.body, c.res); // immutable headers (a fetched response)
      c.res.headers.set(REQUEST_ID_HEADER, requestId);
    }
    const tenant = c.get("tenant");
    c.get("log").info(
      {
        method: c.req.method,
        path: loggablePath(c.req.path),
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        host: new URL(c.req.url).host,
        school: tenant?.kind === "school" ? tenant.school.slug : null,
        ip: clientIp(c, env.TRUST_PROXY),
      },
      "request",
    );
  });

  app.onError((error, c) => {
    // Deliberate refusals by middleware (CSRF's 403, …) are answers, not errors.
    if (error instanceof HTTPException) return error.getResponse();
    const requestLog = c.get("log") ?? log;
    if (isDatabaseBusy(error)) {
      requestLog.warn({ err: error }, "database busy");
      return databaseBusyResponse(c.req.raw);
    }
    requestLog.error({ err: error }, "unhandled error");
    return c.text("Internal Server Error", 500);
  });

  // Stripe's webhooks: JSON on any host, signature-checked (before the form-only input guard).
  app.post("/webhooks/stripe", stripeWebhook(services, log));

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
        // (and the checkout and onboarding pages a payments form redirects to)
        formAction: ["'self'", ...services.payments.formActionSources],
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

  // Both database connections, each with its own pool: the privileged module's (the
  // owner's credentials as the platform role) and the app role's (every school
  // request). Either failing makes the server unfit.
  app.get("/healthz", async (c) => {
    const [platformRole, appRole] = await Promise.all([services.platform.health(), services.platform.appHealth()]);
    const ok = platformRole.ok && appRole.ok;
    const database = { platform: platformRole, app: appRole };
    if (!ok) c.get("log").warn({ database }, "health check failed");
    return c.json({ status: ok ? "ok" : "degraded", database }, ok ? 200 : 503, { "Cache-Control": "no-store" });
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

  // Pages people reopen all day, kept per signed-in visitor until their school's data changes
  // (server/page-cache.server.ts); every other request of a school counts as a change.
  if (env.PAGE_CACHE_SECONDS > 0) {
    // (Until the listener is back, every page is rendered: slower, never stale. Say so.)
    void services.schoolChanges.listen((error) => log.warn({ err: error }, "page cache: the database's change notifications were lost; reconnecting"));
    const signedIn = signedInPageCache({
      ttlMs: env.PAGE_CACHE_SECONDS * 1000,
      paths: ["/admin/calendar", "/teach/today", "/teach/week", "/family", "/family/schedule"],
      sessionCookie: SCHOOL_COOKIE,
      changes: services.schoolChanges,
      schoolOf: (c) => {
        const tenant = (c as Context<{ Variables: Variables }>).get("tenant");
        return tenant?.kind === "school" ? tenant.school.id : null;
      },
    });
    services.platform.onForgetSchools(signedIn.clear);
    app.use("*", signedIn.middleware);
  }

  // Rendering is CPU work on one thread: a few requests at a time, the rest in line (server/admission.ts).
  const gate = createGate({ limit: env.REQUEST_CONCURRENCY ?? 2 * os.availableParallelism(), maxWaitMs: env.REQUEST_QUEUE_TIMEOUT_MS });
  app.all("*", async (c) => {
    let release: () => void;
    try {
      release = await gate.acquire();
    } catch (error) {
      if (!(error instanceof GateTimeout)) throw error;
      c.get("log").warn({ waiting: gate.waiting }, "request queue full");
      return databaseBusyResponse(c.req.raw);
    }
    try {
      const response = await renderWithRemix(c);
      // A page renders while its body streams: its turn ends when the render does. Anything
      // else (data, files, redirects) is ready now, and a file is never held in memory.
      if ((response.headers.get("content-type") ?? "").startsWith("text/html")) return releaseWhenProduced(response, release);
      release();
      return response;
    } catch (error) {
      release();
      throw error;
    }
  });

  async function renderWithRemix(c: Context<{ Variables: Variables }>): Promise<Response> {
    // Narrow on purpose: no Platform, database client or environment (server/capabilities.server.ts).
    const context: AppLoadContext = {
      ...tenantContext(services, c.get("tenant")),
      cspNonce: c.get("secureHeadersNonce") ?? "",
      clientIp: clientIp(c, env.TRUST_PROXY),
      log: c.get("log"),
      requestId: c.get("requestId"),
    };
    const response = await remix(c.req.raw, context);
    // A loader or action found the database saturated (marked by handleError).
    if (wasDatabaseBusy(context)) {
      await response.body?.cancel().catch(() => {});
      return databaseBusyResponse(c.req.raw);
    }
    return response;
  }

  return app;
}
