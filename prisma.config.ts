// Prisma CLI configuration: the schema engine runs as WebAssembly over a driver
// adapter, so the CLI needs no downloaded engine binary (see ARCHITECTURE.md).
// The 7.x adapter is used here only because it can describe the `name` column type
// that the WASM schema engine reads from the catalog; the app uses adapter-pg 6.19.
import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg-7";
import { defineConfig } from "prisma/config";

function pgConfig(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: u.pathname.slice(1),
  };
}

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  experimental: { adapter: true },
  engine: "js",
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set (scripts/db-migration.ts sets it)");
    const config = pgConfig(url);
    const factory = new PrismaPg(config);
    // The stock shadow database is dropped while its own pool still holds a
    // connection ("being accessed by other users"): close the pool first, then drop.
    factory.connectToShadowDb = async () => {
      const admin = await factory.connect();
      const database = `prisma_migrate_shadow_db_${randomUUID()}`;
      await admin.executeScript(`CREATE DATABASE "${database}"`);
      const shadow = await new PrismaPg({ ...config, database }).connect();
      const dispose = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await dispose();
        await admin.executeScript(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
        await admin.dispose();
      };
      return shadow;
    };
    return factory;
  },
});
