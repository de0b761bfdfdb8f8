// npm run db:migration -- <name>
// Writes prisma/migrations/<stamp>_<name>/migration.sql: the difference between the
// committed migrations and prisma/schema.prisma (computed offline by Prisma's WASM
// schema engine against a throwaway embedded Postgres), plus row-level security for
// every new school-owned table. Review the file, then commit it.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../server/db/embedded.server";
import { applyMigrations, listMigrations, MIGRATIONS_DIR } from "../server/db/migrate.server";
import { ensureDevAppRole } from "../server/db/roles.server";
import { appGrantStatement, PLATFORM_ACCESS, platformAccessStatements, rlsStatements, schoolChangedTrigger, schoolTableRls } from "../server/db/rls";
import { schoolOwnedModels } from "../server/db/schema-models";

const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]/gi, "_").toLowerCase();
if (!name) {
  console.error("usage: npm run db:migration -- <name>");
  process.exit(2);
}

const previousSnapshot = listMigrations()
  .map((m) => path.join(MIGRATIONS_DIR, m.name, "schema.prisma"))
  .filter((p) => existsSync(p))
  .at(-1);
if (listMigrations().length && !previousSnapshot) {
  console.error("The latest migrations have no schema.prisma snapshot to diff from.");
  process.exit(1);
}

const dir = mkdtempSync(path.join(os.tmpdir(), "encore-migration-"));
const pgServer = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), ephemeral: true });
try {
  await ensureDevAppRole(pgServer.url, "encore_app");
  await applyMigrations(pgServer.url);
  const diff = execFileSync(
    process.execPath,
    [
      "scripts/prisma-cli.mjs",
      "migrate",
      "diff",
      // Datamodel to datamodel: the WASM engine cannot introspect a database with
      // row-level security policies ("char" catalog columns), so each migration
      // keeps a snapshot of the schema it was made from.
      ...(previousSnapshot ? ["--from-schema-datamodel", previousSnapshot] : ["--from-empty"]),
      "--to-schema-datamodel",
      "prisma/schema.prisma",
      "--script",
    ],
    { env: { ...process.env, DATABASE_URL: pgServer.url }, encoding: "utf8" },
  );
  const created = [...diff.matchAll(/^CREATE TABLE "(\w+)"/gm)].map((m) => m[1]!);
  const owned = new Set(schoolOwnedModels());
  // A new school-owned table gets row-level security and the app role's grant; a new
  // table the privileged module needs gets the platform role's grant (server/db/rls.ts).
  // Any other new table is reachable by neither role until a migration grants it.
  // Each also tells the servers when a school's rows change (the page cache).
  const rls = created.filter((t) => owned.has(t)).map((t) => `${rlsStatements(t)}\n${appGrantStatement(t)}\n${schoolChangedTrigger(t)}`);
  if (created.includes("School")) rls.unshift(`${schoolTableRls()}\n${schoolChangedTrigger("School")}`);
  rls.push(...created.filter((t) => PLATFORM_ACCESS[t]).map(platformAccessStatements));
  if (!diff.trim() || /^-- This is an empty migration/m.test(diff)) {
    console.log("No schema changes.");
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const out = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    mkdirSync(out, { recursive: true });
    const body = diff + (rls.length ? `\n-- Row-level security and grants (scripts/db-migration.ts)\n${rls.join("\n\n")}\n` : "");
    writeFileSync(path.join(out, "migration.sql"), body);
    copyFileSync("prisma/schema.prisma", path.join(out, "schema.prisma"));
    writeFileSync(path.join(MIGRATIONS_DIR, "migration_lock.toml"), 'provider = "postgresql"\n');
    console.log(`Wrote ${path.relative(process.cwd(), out)}/migration.sql`);
  }
} finally {
  await pgServer.stop();
  rmSync(dir, { recursive: true, force: true });
}
