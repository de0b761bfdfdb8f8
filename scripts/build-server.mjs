// Bundles the Hono server (server/index.ts and what it imports from this repo) into
// build/server.js, and the command-line tasks of server/cli into build/<task>.js;
// npm packages stay external and load from node_modules.
import { readdirSync } from "node:fs";
import { build } from "esbuild";

const tasks = readdirSync("server/cli").filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
await build({
  entryPoints: [{ in: "server/index.ts", out: "server" }, ...tasks.map((f) => ({ in: `server/cli/${f}`, out: f.replace(/\.ts$/, "") }))],
  outdir: "build",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
console.log(`built build/server.js and ${tasks.map((f) => `build/${f.replace(/\.ts$/, ".js")}`).join(", ")}`);
