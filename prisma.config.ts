// Prisma CLI configuration: the schema engine runs as WebAssembly over a driver
// adapter, so the CLI needs no downloaded engine binary (see ARCHITECTURE.md).
// The 7.x adapter is used here only because it can describe the `name` column type
// that the WASM schema engine reads from the catalog; the app uses adapter-pg 6.19.
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
    if (!url) throw new Error("DATABASE_URL is not set (npm run db:url prints the embedded one)");
    return new PrismaPg(pgConfig(url));
  },
});
