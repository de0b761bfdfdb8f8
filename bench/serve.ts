// `npx tsx bench/serve.ts`: the large school of the benchmark, kept, for profiling by
// hand. The first run generates it (BENCH_SCALE as in `npm run bench`) into
// BENCH_DATA_DIR (default /tmp/encore-bench-serve) and writes the sessions to
// `<dir>/sessions.json`; later runs reuse it. It then starts the production build
// (`node build/server.js`, NODE_ENV=production; run `npm run build` first) against it
// and prints the URLs with their cookies. Extra node flags (e.g. `--cpu-prof`) come from
// BENCH_NODE_FLAGS. Ctrl-C stops both.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { schoolLucia } from "../app/utils/sessions.server";
import { prepareDatabase } from "../server/db/setup.server";
import { loadEnv } from "../server/env.server";
import { createServices } from "../server/services.server";
import { generateSchool } from "./generate";
import { benchServerEnv } from "./server-env";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dataDir = process.env.BENCH_DATA_DIR ?? "/tmp/encore-bench-serve";
mkdirSync(dataDir, { recursive: true });
const env = loadEnv({ NODE_ENV: "test", DATA_DIR: dataDir, SEED: "none", JOBS: "off" });
const db = await prepareDatabase(env, { ephemeral: false });
const sessionsFile = path.join(dataDir, "sessions.json");
interface Sessions { slug: string; admin: string; teacher: string; parent: string }
let sessions: Sessions;
if (existsSync(sessionsFile)) sessions = JSON.parse(readFileSync(sessionsFile, "utf8")) as Sessions;
else {
  const services = createServices(env, db);
  const school = await generateSchool(services, (m) => console.log(m));
  const schoolDb = services.platform.schoolDb(school.schoolId);
  const cookie = async (userId: string) => (await schoolDb.run((tx) => schoolLucia(tx, false).createSession(userId, {}))).id;
  sessions = { slug: school.slug, admin: await cookie(school.adminId), teacher: await cookie(school.teacherIds[0]!), parent: await cookie(school.parentIds[0]!) };
  writeFileSync(sessionsFile, JSON.stringify(sessions));
}
const port = Number(process.env.PORT ?? 3450);
const server = spawn(process.execPath, [...(process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean), "build/server.js"], {
  cwd: root,
  stdio: "inherit",
  env: benchServerEnv({ port, ownerUrl: db.ownerUrl, appUrl: db.appUrl, dataDir }),
});
const host = `${sessions.slug}.localhost:${port}`;
console.log(`admin week:   curl -H 'cookie: encore_session=${sessions.admin}' http://${host}/admin/calendar?view=week`);
console.log(`teacher day:  curl -H 'cookie: encore_session=${sessions.teacher}' http://${host}/teach/today`);
console.log(`family:       curl -H 'cookie: encore_session=${sessions.parent}' http://${host}/family`);
const stop = () => server.kill("SIGTERM");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
server.on("exit", async (code) => {
  await db.stop();
  process.exit(code ?? 0);
});
