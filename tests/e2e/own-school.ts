// A school of a spec's own: a copy of a demo school (same people, passwords, lessons
// and term dates) under a fresh slug, seeded straight into the e2e database by the
// demo seed's own code, at the e2e clock's start. A spec that changes a school's
// settings or data uses one, so no journey depends on what another one changed.
// (The test process reaches the database the launcher wrote down in the data folder,
// tests/e2e/server.ts; the app itself is only ever driven through the browser.)
import { readFileSync } from "node:fs";
import path from "node:path";
import { HARMONY, RIVERSIDE, DEMO_PASSWORD, seedSchool } from "../../prisma/seed/demo";
import { hashPassword } from "../../app/utils/password.server";
import { loadEnv } from "../../server/env.server";
import { createServices, type RunningServices } from "../../server/services.server";
import { CLOCK_START, PORT, uniqueSlug } from "./support";

export type DemoBase = "harmony" | "riverside";

export interface OwnSchool {
  slug: string;
  /** The demo school it copies. */
  base: DemoBase;
}

let services: RunningServices | null = null;
let passwordHash: Promise<string> | null = null;

export function databaseServices(): RunningServices {
  if (services) return services;
  const dataDir = process.env.E2E_DATA_DIR;
  if (!dataDir) throw new Error("E2E_DATA_DIR is not set: run the journeys through playwright.config.ts");
  const { DATABASE_URL, APP_DATABASE_URL } = JSON.parse(readFileSync(path.join(dataDir, "databases.json"), "utf8")) as Record<string, string>;
  // The same public links as the server under test (tests/e2e playwright.config.ts).
  // DATA_DIR: the server's, so the seeded resources' files are where the server reads them.
  const env = loadEnv({ NODE_ENV: "test", SEED: "none", DATABASE_URL, APP_DATABASE_URL, PUBLIC_PROTOCOL: "http", PUBLIC_PORT: String(PORT), DATABASE_POOL_SIZE: "2", CLOCK_START, DATA_DIR: dataDir });
  services = createServices(env, { ownerUrl: DATABASE_URL!, appUrl: APP_DATABASE_URL! });
  return services;
}

/**
 * Seeds a copy of the demo school `base` under a new slug; its "now" is the e2e clock's start.
 * It writes dates in its base's locale, or in `locale` when a spec asks for one (the
 * calendar and scheduling journeys read 24-hour, day-month times: en-GB).
 */
export async function createOwnSchool(base: DemoBase, prefix: string, locale: string | null = null): Promise<OwnSchool> {
  const s = databaseServices();
  passwordHash ??= hashPassword(DEMO_PASSWORD);
  const spec = base === "harmony" ? HARMONY : RIVERSIDE;
  const slug = uniqueSlug(prefix);
  await seedSchool(s, { ...spec, slug, locale: locale ?? spec.locale }, { passwordHash: await passwordHash, now: new Date(CLOCK_START) });
  return { slug, base };
}

export async function closeOwnSchools() {
  const s = services;
  services = null;
  await s?.close();
}
