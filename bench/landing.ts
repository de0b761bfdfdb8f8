// `npx tsx bench/landing.ts`: HTTP throughput of the PRODUCTION server on a school's
// public pages. Builds the app (skip with BENCH_SKIP_BUILD=1), starts
// `node build/server.js` as a child process (NODE_ENV=production, a fresh embedded
// PostgreSQL in a temporary folder, the demo schools, no background jobs) on a free
// loopback port, then loads it from this process with autocannon:
//   - GET /healthz — the ceiling: Hono alone, one `SELECT 1`;
//   - GET / — harmony's landing page (tenant resolution, root + page loaders, SSR);
//   - POST /enroll — the public enrollment form, each request a new family (unique
//     key and email), i.e. the whole write path; GET /login instead if the app has
//     no /enroll page.
// Prints requests/s, p50 and p95 latency (from every response time, not autocannon's
// p97.5 buckets) as a markdown table. Numbers depend on the machine; nothing asserts.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

// autocannon ships no types: the part of its API used here.
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: AutocannonRequest) => AutocannonRequest;
}
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p97_5: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodeStats?: Record<string, { count: number }>;
}
interface AutocannonInstance {
  on(event: "response", fn: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): void;
}
type Autocannon = ((opts: Record<string, unknown>, cb: (err: Error | null, result: AutocannonResult) => void) => AutocannonInstance) & {
  track?: unknown;
};
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const log = (m: string) => console.log(`[bench:landing] ${m}`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** GET over loopback with a Host header (Node's fetch ignores Host). */
function get(port: number, host: string, urlPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: urlPath, method: "GET", headers: { host } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.setTimeout(5_000, () => req.destroy(new Error("timeout")));
    req.end();
  });
}

async function waitForHealth(port: number, child: ChildProcess, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the server exited (code ${child.exitCode}) before it was ready`);
    try {
      const res = await get(port, `localhost:${port}`, "/healthz");
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("the server did not answer /healthz in time");
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

interface Target {
  name: string;
  method: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  /** A new body for every request (POST). */
  body?: () => string;
}

interface Row {
  name: string;
  rps: number;
  p50: number;
  p95: number;
  total: number;
  non2xx: number;
  errors: number;
}

function load(port: number, host: string, target: Target, duration: number, record: boolean): Promise<Row> {
  return new Promise((resolve, reject) => {
    const times: number[] = [];
    const request: AutocannonRequest = { method: target.method, path: target.path, headers: { host, ...(target.headers ?? {}) } };
    if (target.body) {
      const make = target.body;
      request.setupRequest = (req) => ({ ...req, body: make() });
    }
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections: CONNECTIONS,
        duration,
        headers: { host, ...(target.headers ?? {}) },
        requests: [request],
      },
      (err, result) => {
        if (err) return reject(err);
        times.sort((a, b) => a - b);
        resolve({
          name: target.name,
          rps: result.requests.average,
          p50: percentile(times, 50),
          p95: percentile(times, 95),
          total: result.requests.total,
          non2xx: result.non2xx,
          errors: result.errors + result.timeouts,
        });
      },
    );
    if (record) instance.on("response", (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });
}

// ---- the enrollment form's body, from the live page -------------------------------

function enrollmentBody(page: string): (() => string) | null {
  const program = /<option[^>]*value="(individual:[^"]+)"/.exec(page)?.[1] ?? /<option[^>]*value="(lesson:[^"]+)"/.exec(page)?.[1];
  if (!program || !/name="guardian\.email"/.test(page)) return null;
  let n = 0;
  const stamp = Date.now().toString(36);
  return () => {
    n += 1;
    const id = `${stamp}-${n}`;
    return new URLSearchParams({
      key: `bench-${id}-${Math.random().toString(36).slice(2)}`.padEnd(20, "x"),
      "guardian.firstName": "Bench",
      "guardian.lastName": `Family${n}`,
      "guardian.email": `bench.${id}@example.test`,
      "guardian.phone": "(212) 555-0142",
      "emergency.name": "Pat Bench",
      "emergency.phone": "(212) 555-0199",
      "emergency.relation": "Grandparent",
      "children.0.uid": `c${n}`,
      "children.0.firstName": "Kid",
      "children.0.dateOfBirth": "2015-05-05",
      "children.0.program": program.replaceAll("&amp;", "&"),
      "children.0.skillLevel": "BEGINNER",
      "children.0.parentalConsent": "on",
    }).toString();
  };
}

// ---- main -----------------------------------------------------------------------------

if (!process.env.BENCH_SKIP_BUILD) {
  log("building (npm run build)…");
  const built = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
  if (built.status !== 0) {
    console.error("[bench:landing] the build failed; nothing was measured.");
    process.exit(1);
  }
}

const port = await freePort();
const dataDir = mkdtempSync(path.join(os.tmpdir(), "encore-bench-landing-"));
const host = `harmony.localhost:${port}`;
log(`starting the production server on 127.0.0.1:${port} (data in ${dataDir})`);
// tests/e2e/server.ts: a throwaway PostgreSQL, then build/server.js in production mode on it.
const child = spawn(process.execPath, ["--import", "tsx", "tests/e2e/server.ts"], {
  cwd: root,
  stdio: ["ignore", "pipe", "pipe"],
  env: {
    ...process.env,
    NODE_ENV: "production",
    PUBLIC_PROTOCOL: "http",
    HOST: "127.0.0.1",
    PORT: String(port),
    DATA_DIR: dataDir,
    SEED: "demo",
    JOBS: "off",
    // Every request comes from 127.0.0.1: the per-address limits would only measure 429s.
    RATE_LIMIT_SIGNIN: "100000000",
    RESEND_API_KEY: "",
    UPSTASH_REDIS_REST_URL: "",
    UPLOADTHING_TOKEN: "",
  },
});
let serverLog = "";
child.stdout?.on("data", (d: Buffer) => (serverLog += d.toString()));
child.stderr?.on("data", (d: Buffer) => (serverLog += d.toString()));

async function stopServer() {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM"); // lets it stop its embedded PostgreSQL cleanly
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  await exited;
  clearTimeout(timer);
}

let failed = false;
try {
  await waitForHealth(port, child);
  log("server ready");

  const targets: Target[] = [
    { name: "GET /healthz (ceiling)", method: "GET", path: "/healthz" },
    { name: "GET / (landing page)", method: "GET", path: "/" },
  ];
  const enrollPage = await get(port, host, "/enroll");
  const makeBody = enrollPage.status === 200 ? enrollmentBody(enrollPage.body) : null;
  let note = "";
  if (makeBody) {
    // Check one submission is accepted before measuring many.
    const probe = await new Promise<{ status: number; accepted: boolean }>((resolve, reject) => {
      const body = makeBody();
      const email = new URLSearchParams(body).get("guardian.email") ?? "";
      const req = http.request(
        {
          host: "127.0.0.1",
          port,
          path: "/enroll",
          method: "POST",
          headers: { host, origin: `http://${host}`, "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          let html = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => (html += c));
          // Accepted: the confirmation names the new account's email; refused: the form again.
          res.on("end", () => resolve({ status: res.statusCode ?? 0, accepted: html.includes(email) && !html.includes('aria-invalid="true"') }));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
    if (probe.status === 200 && probe.accepted) {
      targets.push({
        name: "POST /enroll (new family each)",
        method: "POST",
        path: "/enroll",
        headers: { origin: `http://${host}`, "content-type": "application/x-www-form-urlencoded" },
        body: makeBody,
      });
    } else {
      note = `POST /enroll did not accept a valid-looking form (status ${probe.status}), so GET /login is measured instead.`;
    }
  } else {
    note = `There is no usable /enroll page (GET answered ${enrollPage.status}), so GET /login is measured instead.`;
  }
  if (note) targets.push({ name: "GET /login (instead of POST /enroll)", method: "GET", path: "/login" });
  // For reference: a small server-rendered page of the same school (root loader + a form).
  else targets.push({ name: "GET /login (small SSR page, reference)", method: "GET", path: "/login" });

  const rows: Row[] = [];
  for (const target of targets) {
    if (WARMUP > 0) await load(port, host, target, WARMUP, false);
    log(`${target.name}: ${CONNECTIONS} connections, ${DURATION} s…`);
    rows.push(await load(port, host, target, DURATION, true));
  }

  const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "—");
  console.log("");
  console.log(`Production server (node build/server.js), harmony.localhost, ${CONNECTIONS} connections, ${DURATION} s each after a ${WARMUP} s warm-up, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}).`);
  console.log("");
  console.log("| Target | Requests/s | p50 (ms) | p95 (ms) | Requests | Non-2xx | Errors |");
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) console.log(`| ${r.name} | ${fmt(r.rps, 0)} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${r.total} | ${r.non2xx} | ${r.errors} |`);
  console.log("");
  console.log("p50 and p95 are computed from every response time autocannon reported (not its p97.5 buckets).");
  if (note) console.log(note);
} catch (error) {
  failed = true;
  console.error(`[bench:landing] ${(error as Error).message}`);
  console.error(serverLog.split("\n").slice(-30).join("\n"));
} finally {
  await stopServer();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
