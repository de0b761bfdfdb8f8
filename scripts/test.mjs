#!/usr/bin/env node
// `npm test`: type check, production build, unit + integration tests (Vitest, real
// PostgreSQL; one deploys the build), then end-to-end journeys (Playwright in Chromium).
// Ends with the summary line "N passed, N failed" alone (a CI reader parses it); a
// flaky journey (passed only on a retry) counts as failed.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const out = mkdtempSync(path.join(os.tmpdir(), "encore-test-"));
const vitestJson = path.join(out, "vitest.json");
const playwrightJson = path.join(out, "playwright.json");
const npx = process.platform === "win32" ? "npx.cmd" : "npx";

function run(label, cmd, args, env = {}) {
  console.log(`\n=== ${label}`);
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
  return r.status === 0;
}

const steps = [];
steps.push(["typecheck", run("Type check", npx, ["tsc", "--noEmit"])]);
// The build comes first: an integration test deploys it (tests/integration/production.test.ts).
const built = run("Production build", "npm", ["run", "build", "--silent"]);
steps.push(["build", built]);
steps.push([
  "vitest",
  run("Unit and integration tests (Vitest)", npx, ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`]),
]);
if (built) {
  steps.push([
    "playwright",
    run("End-to-end journeys (Playwright, Chromium)", npx, ["playwright", "test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson }),
  ]);
}

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(vitestJson)) {
  const v = JSON.parse(readFileSync(vitestJson, "utf8"));
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  skipped += v.numPendingTests + (v.numTodoTests ?? 0);
  // A file that failed outside any test (an error in a hook or while collecting) counts too:
  // its tests never ran, and Vitest's exit status alone has been seen to miss it.
  const brokenFiles = (v.testResults ?? []).filter((f) => f.status === "failed" && !(f.assertionResults ?? []).some((a) => a.status === "failed"));
  failed += brokenFiles.length;
  if (brokenFiles.length || v.success === false) steps.push(["vitest report", false]);
}
if (existsSync(playwrightJson)) {
  const p = JSON.parse(readFileSync(playwrightJson, "utf8"));
  passed += p.stats.expected;
  failed += p.stats.unexpected + p.stats.flaky;
  skipped += p.stats.skipped;
}
const failedSteps = steps.filter(([, ok]) => !ok).map(([name]) => name);
console.log("");
if (failedSteps.length) console.log(`Failed steps: ${failedSteps.join(", ")}`);
console.log(`Skipped: ${skipped}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failedSteps.length || failed ? 1 : 0);
