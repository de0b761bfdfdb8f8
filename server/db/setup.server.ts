// Brings the database to a usable state: an embedded server when DATABASE_URL is
// unset (development and tests only), the app role (development only; an
// administrator makes it in production), migrations applied as the owner (they grant
// each role its rights), and a check that the app's connection is bound by RLS.
import path from "node:path";
import type { Env } from "../env.server";
import { applyMigrations } from "./migrate.server";
import { APP_ROLE } from "./rls";
import { checkAppConnection, ensureDevAppRole, roleUrl } from "./roles.server";

export interface DatabaseUrls {
  ownerUrl: string;
  appUrl: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export async function prepareDatabase(
  env: Pick<Env, "DATABASE_URL" | "APP_DATABASE_URL" | "APP_DATABASE_PASSWORD" | "DATA_DIR" | "isProduction">,
  opts: { log?: (m: string) => void; ephemeral?: boolean; migrate?: boolean } = {},
): Promise<DatabaseUrls> {
  let ownerUrl = env.DATABASE_URL;
  let stop = async () => {};
  const embedded = !ownerUrl;
  if (!ownerUrl) {
    // loadEnv refuses production without DATABASE_URL; this is a second lock.
    if (env.isProduction) throw new Error("DATABASE_URL is required in production: the embedded database is for development only.");
    const dataDir = path.resolve(env.DATA_DIR, "postgres");
    opts.log?.(`starting embedded PostgreSQL in ${path.relative(process.cwd(), dataDir) || dataDir}`);
    // Imported only here: production images do not ship the embedded server.
    const { startEmbeddedPostgres } = await import("./embedded.server");
    const server = await startEmbeddedPostgres({ dataDir, ephemeral: opts.ephemeral });
    ownerUrl = server.url;
    stop = server.stop;
  }
  let appUrl = env.APP_DATABASE_URL;
  if (!appUrl) {
    if (env.isProduction) throw new Error("APP_DATABASE_URL is required in production.");
    await ensureDevAppRole(ownerUrl, env.APP_DATABASE_PASSWORD);
    appUrl = roleUrl(ownerUrl, APP_ROLE, env.APP_DATABASE_PASSWORD);
  }
  if (opts.migrate !== false) {
    const ran = await applyMigrations(ownerUrl, { log: opts.log });
    if (ran.length) opts.log?.(`applied ${ran.length} migration(s)`);
  }
  const check = await checkAppConnection(appUrl);
  if (!check.ok) {
    await stop();
    throw new Error(`APP_DATABASE_URL cannot be used: ${check.problems.join("; ")}. See docs/deploy.md.`);
  }
  return { ownerUrl, appUrl, embedded, stop };
}
