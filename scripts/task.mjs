#!/usr/bin/env node
// Runs a command-line task of server/cli: from the production build (build/<task>.js)
// when NODE_ENV=production, as the Docker image has no TypeScript tooling; otherwise
// from source with tsx.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const [task, ...args] = process.argv.slice(2);
if (!task || !/^[a-z-]+$/.test(task)) {
  console.error("usage: node scripts/task.mjs <task> [args]");
  process.exit(2);
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const built = path.join(root, "build", `${task}.js`);
const source = path.join(root, "server", "cli", `${task}.ts`);
let cmd;
if (process.env.NODE_ENV === "production") {
  if (!existsSync(built)) {
    console.error(`${path.relative(process.cwd(), built)} is missing: run npm run build first.`);
    process.exit(1);
  }
  cmd = [process.execPath, [built, ...args]];
} else {
  cmd = [process.execPath, ["--import", "tsx", source, ...args]];
}
const result = spawnSync(cmd[0], cmd[1], { stdio: "inherit" });
process.exit(result.status ?? 1);
