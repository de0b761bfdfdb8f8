// Real services for an integration test, on the database the global setup made.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import type { AppLoadContext } from "@remix-run/node";
import { tenantContext } from "../../server/capabilities.server";
import type { Tenant } from "../../server/context";
import { loadEnv } from "../../server/env.server";
import { createLogger } from "../../server/log.server";
import { createServices, type RunningServices } from "../../server/services.server";
import { TEST_CLOCK_START } from "./clock";

export function testServices(overrides: Record<string, string> = {}): RunningServices {
  // The environment names the test database, as a deployment's would (production requires it).
  // Files (logos, seeded resources) go to a folder of the test's own, never the developer's .data.
  const dataDir = overrides.DATA_DIR ?? mkdtempSync(path.join(os.tmpdir(), "encore-test-files-"));
  // (NODE_ENV=test: the signed-in page cache is off unless a test turns it on, as
  // tests/integration/page-cache.test.ts does, so a test that writes through its own
  // connection and reads the page at once never races the database's notification.)
  const env = loadEnv({ NODE_ENV: "test", SEED: "none", DATABASE_URL: inject("ownerUrl"), APP_DATABASE_URL: inject("appUrl"), CLOCK_START: TEST_CLOCK_START, ...overrides, DATA_DIR: dataDir });
  return createServices(env, { ownerUrl: inject("ownerUrl"), appUrl: inject("appUrl") });
}

/** The id of a seeded demo school ("harmony" or "riverside"). */
export async function schoolId(services: RunningServices, slug: string): Promise<string> {
  const school = await services.platform.findSchool({ slug });
  if (!school) throw new Error(`no school ${slug}`);
  return school.id;
}

/** The load context the app hands a route on `tenant`'s address (as server/app.ts builds it). */
export function loadContextFor(services: RunningServices, tenant: Tenant): AppLoadContext {
  return { ...tenantContext(services, tenant), cspNonce: "", clientIp: "127.0.0.1", log: createLogger({ level: "silent" }), requestId: "test" };
}
