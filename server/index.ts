// Entry point, development and production alike: one node:http server whose
// requests go to Hono (and, in development, first to Vite for modules and HMR).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { getRequestListener } from "@hono/node-server";
import type { ServerBuild } from "@remix-run/node";
import { seedDemo } from "../prisma/seed/demo";
import { createApp } from "./app";
import { prepareDatabase } from "./db/setup.server";
import { loadEnv } from "./env.server";
import { JOB_NAMES, startJobs, type Jobs } from "./jobs/worker.server";
import { createServices } from "./services.server";
import { publicAddressOf, publicLinks } from "../tenants/links";

const log = (m: string) => console.log(`[encore] ${m}`);
const env = loadEnv();
const db = await prepareDatabase(env, { log });
const services = createServices(env, db);

if (env.SEED === "demo") {
  const seeded = await seedDemo(services, { ifEmpty: true });
  if (seeded) log("seeded the demo schools");
}

let jobs: Jobs | null = null;
if (env.JOBS === "on") {
  jobs = await startJobs(services, { connectionString: db.ownerUrl, log });
  log(`background jobs started (${JOB_NAMES.join(", ")})`);
}

let build: ServerBuild | (() => Promise<ServerBuild>);
let handle: (req: IncomingMessage, res: ServerResponse, next: () => void) => void = (_q, _s, next) => next();
let staticRoot: string | undefined;
let closeVite = async () => {};

if (env.isProduction) {
  const buildDir = path.resolve("build");
  build = (await import(pathToFileURL(path.join(buildDir, "server/index.js")).href)) as ServerBuild;
  staticRoot = path.relative(process.cwd(), path.join(buildDir, "client"));
} else {
  const { createServer: createViteServer } = await import("vite");
  const vite = await createViteServer({ server: { middlewareMode: true }, appType: "custom" });
  build = () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
  handle = vite.middlewares;
  closeVite = () => vite.close();
}

const app = createApp({ services, build, staticRoot });
const listener = getRequestListener(app.fetch);
const server = createServer((req, res) => handle(req, res, () => void listener(req, res)));

server.listen(env.PORT, env.HOST, () => {
  const links = publicLinks(publicAddressOf(env));
  log(`ready (${env.NODE_ENV}, email: ${services.mailer.transport.toLowerCase()}, database: ${db.embedded ? "embedded" : "DATABASE_URL"})`);
  log(`operator console  ${links.platform()}`);
  log(`demo school       ${links.school({ slug: "harmony" })}`);
});

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  log(`${signal}: shutting down`);
  server.close();
  server.closeAllConnections?.();
  await closeVite();
  await jobs?.stop().catch((error: Error) => log(`stopping jobs: ${error.message}`));
  await services.close();
  await db.stop();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
