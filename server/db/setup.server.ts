// Brings the database to a usable state: an embedded server when DATABASE_URL is
// unset, migrations applied as the owner, and the app role (RLS-bound) ready.
import path from "node:path";
import type { Env } from "../env.server";
import { startEmbeddedPostgres } from "./embedded.server";
import { applyMigrations } from "./migrate.server";
import { ensureAppRole, roleUrl } from "./roles.server";

export interface DatabaseUrls {
  ownerUrl: string;
  appUrl: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export async function prepareDatabase(
  env: Pick<Env, "DATABASE_URL" | "APP_DATABASE_URL" | "APP_DATABASE_ROLE" | "APP_DATABASE_PASSWORD" | "DATA_DIR">,
  opts: { log?: (m: string) => void; ephemeral?: boolean } = {},
): Promise<DatabaseUrls> {
  let ownerUrl = env.DATABASE_URL;
  let stop = async () => {};
  const embedded = !ownerUrl;
  if (!ownerUrl) {
    const dataDir = path.resolve(env.DATA_DIR, "postgres");
    opts.log?.(`starting embedded PostgreSQL in ${path.relative(process.cwd(), dataDir) || dataDir}`);
    const server = await startEmbeddedPostgres({ dataDir, ephemeral: opts.ephemeral });
    ownerUrl = server.url;
    stop = server.stop;
  }
  const ran = await applyMigrations(ownerUrl, { log: opts.log });
  if (ran.length) opts.log?.(`applied ${ran.length} migration(s)`);
  let appUrl = env.APP_DATABASE_URL;
  if (!appUrl) {
    await ensureAppRole(ownerUrl, env.APP_DATABASE_ROLE, env.APP_DATABASE_PASSWORD);
    appUrl = roleUrl(ownerUrl, env.APP_DATABASE_ROLE, env.APP_DATABASE_PASSWORD);
  }
  return { ownerUrl, appUrl, embedded, stop };
}
