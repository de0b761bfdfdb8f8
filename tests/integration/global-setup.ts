// One real PostgreSQL for the integration tests: embedded in a temporary folder
// (or the database at TEST_DATABASE_URL), migrated, with the app role and the demo
// schools seeded through the same code as `npm run dev`.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { seedDemo } from "../../prisma/seed/demo";
import { prepareDatabase } from "../../server/db/setup.server";
import { loadEnv } from "../../server/env.server";
import { createServices } from "../../server/services.server";
import { TEST_CLOCK_START } from "../support/clock";

declare module "vitest" {
  export interface ProvidedContext {
    ownerUrl: string;
    appUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "encore-it-"));
  const env = loadEnv({ ...process.env, NODE_ENV: "test", DATA_DIR: dataDir, DATABASE_URL: process.env.TEST_DATABASE_URL ?? "", APP_DATABASE_URL: "", CLOCK_START: TEST_CLOCK_START });
  const db = await prepareDatabase(env, { ephemeral: true });
  const services = createServices(env, db);
  await seedDemo(services, { ifEmpty: true });
  await services.close();
  project.provide("ownerUrl", db.ownerUrl);
  project.provide("appUrl", db.appUrl);
  return async () => {
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
