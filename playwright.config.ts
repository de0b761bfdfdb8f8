// End-to-end tests: Debian's Chromium against the PRODUCTION build (build/server.js),
// started on a fixed port with a fresh embedded PostgreSQL in a temporary folder and
// the demo schools seeded. Run `npm run build` first; then `npx playwright test`.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH, CLOCK_START, PORT, platformUrl } from "./tests/e2e/support";

const root = path.dirname(fileURLToPath(import.meta.url));
const serverEntry = path.join(root, "build", "server.js");
const remixBuild = path.join(root, "build", "server", "index.js");

const listingOnly = process.argv.includes("--list");

if (!listingOnly && (!existsSync(serverEntry) || !existsSync(remixBuild))) {
  const missing = path.relative(root, existsSync(serverEntry) ? remixBuild : serverEntry);
  console.error(`\nThe e2e tests run the production build, but ${missing} is missing.\nRun \`npm run build\` first, then \`npx playwright test\`.\n`);
  process.exit(1);
}

if (!listingOnly && !existsSync(CHROMIUM_PATH)) {
  console.error(`\nNo Chromium at ${CHROMIUM_PATH}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.\n`);
  process.exit(1);
}

// One fresh data folder per run. The config is also loaded by every worker process:
// the runner creates the folder and hands it on through the environment, so workers
// reuse it instead of making their own; only the runner removes it at exit (after the
// web server, and with it PostgreSQL, has been shut down).
let dataDir = process.env.E2E_DATA_DIR;
if (!dataDir) {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "encore-e2e-"));
  process.env.E2E_DATA_DIR = dataDir;
  const created = dataDir;
  if (!process.env.E2E_KEEP_DATA) process.on("exit", () => rmSync(created, { recursive: true, force: true }));
}

const isCI = Boolean(process.env.CI);

const chromium = {
  ...devices["Desktop Chrome"],
  launchOptions: { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS },
};
export default defineConfig({
  testDir: "./tests/e2e",
  fullyParallel: true,
  forbidOnly: isCI,
  // No retries anywhere: a journey that passes only on a second try is a failure to fix.
  retries: 0,
  workers: 2,
  reporter: "list",
  // Generous: journeys sign in and render server pages on a 2-core machine; no test asserts a duration.
  timeout: 60_000,
  expect: { timeout: 15_000 },
  use: {
    baseURL: platformUrl(),
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  // Specs that change a school work on a school of their own (the ownSchool fixture).
  projects: [{ name: "chromium", use: chromium }],
  webServer: {
    // tests/e2e/server.ts: a throwaway PostgreSQL, then build/server.js in production mode on it.
    command: "node --import tsx tests/e2e/server.ts",
    cwd: root,
    url: platformUrl("/healthz"),
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    // SIGTERM lets the server stop its embedded PostgreSQL cleanly.
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    env: {
      NODE_ENV: "production",
      PUBLIC_PROTOCOL: "http",
      PORT: String(PORT),
      // Links in emails (production has no port in them by default) lead back to this server.
      PUBLIC_PORT: String(PORT),
      DATA_DIR: dataDir,
      SEED: "demo",
      // The school's "now" starts at a fixed instant (the seed and every page see the same day on every run).
      CLOCK_START,
      // Every sign-in here comes from 127.0.0.1: keep the limiter out of the way.
      RATE_LIMIT_SIGNIN: "1000",
      // No background jobs during journeys: an hourly reminder must not land in an outbox a test reads.
      JOBS: "off",
      // Warnings and errors only: one access line per request would drown the report.
      LOG_LEVEL: "warn",
      // Never a real email service from the developer's environment (the database is
      // the launcher's own).
      RESEND_API_KEY: "",
      // Journeys follow invitation and reset links from the development mailbox.
      DEV_MAILBOX: "on",
      UPSTASH_REDIS_REST_URL: "",
      // Payments go to the local Stripe stand-in (never a key from the developer's environment).
      STRIPE_SECRET_KEY: "",
      STRIPE_WEBHOOK_SECRET: "",
      STRIPE_STANDIN: "on",
    },
  },
});
