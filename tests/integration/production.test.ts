// The production path as a new operator deploys it: the production build against a
// PostgreSQL where the owner is an ordinary role that owns the database (no superuser,
// no CREATEROLE, no BYPASSRLS, as managed databases give), with the app and platform
// roles made by hand by an administrator (docs/deploy.md). Needs `npm run build`.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startEmbeddedPostgres, type EmbeddedServer } from "../../server/db/embedded.server";

const root = path.resolve(import.meta.dirname, "../..");
const serverJs = path.join(root, "build", "server.js");

let cluster: EmbeddedServer;
let dataDir: string;
let port: number;
let server: ChildProcess | null = null;
let serverLog = "";
const urls = { owner: "", app: "", superuser: "" };

function dbUrl(base: string, user: string, password: string, database: string) {
  const u = new URL(base);
  u.username = user;
  u.password = password;
  u.pathname = `/${database}`;
  return u.toString();
}

/** A clean environment: nothing from the developer's shell reaches the server. */
function prodEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production", PUBLIC_PROTOCOL: "http", FILE_URL_SECRET: "production-test-file-url-secret-0123456789", ...extra };
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file, ...args], { cwd: root, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

function request(pathname: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, path: pathname, method: init.method ?? "GET", headers: { host: `localhost:${port}`, ...init.headers } },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(init.body);
  });
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const serverEnv = () => prodEnv({ PORT: String(port), DATABASE_URL: urls.owner, APP_DATABASE_URL: urls.app, DATA_DIR: dataDir });

beforeAll(async () => {
  if (!existsSync(serverJs)) throw new Error("This test runs the production build: run `npm run build` first.");
  dataDir = mkdtempSync(path.join(os.tmpdir(), "encore-prod-"));
  cluster = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "postgres"), ephemeral: true });
  urls.superuser = cluster.url;
  // The administrator's part (docs/deploy.md).
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query(`CREATE ROLE encore_owner LOGIN PASSWORD 'owner-secret' NOSUPERUSER NOCREATEROLE NOCREATEDB NOBYPASSRLS`);
  await admin.query(`CREATE DATABASE encore OWNER encore_owner`);
  await admin.query(`CREATE ROLE encore_app LOGIN PASSWORD 'app-secret' NOSUPERUSER NOBYPASSRLS`);
  await admin.query(`CREATE ROLE encore_platform NOLOGIN NOSUPERUSER NOBYPASSRLS`);
  await admin.query(`GRANT encore_platform TO encore_owner`);
  await admin.end();
  urls.owner = dbUrl(cluster.url, "encore_owner", "owner-secret", "encore");
  urls.app = dbUrl(cluster.url, "encore_app", "app-secret", "encore");
  urls.superuser = dbUrl(cluster.url, "postgres", "postgres", "encore");

  port = await freePort();
  server = spawn(process.execPath, [serverJs], { cwd: root, env: serverEnv() });
  server.stdout!.on("data", (d) => (serverLog += d));
  server.stderr!.on("data", (d) => (serverLog += d));
  const started = Date.now();
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode}):\n${serverLog}`);
    const res = await request("/healthz").catch(() => null);
    if (res?.status === 200) break;
    if (Date.now() - started > 60_000) throw new Error(`the server did not become healthy:\n${serverLog}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}, 120_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once("exit", r));
    server.kill("SIGTERM");
    await exited;
  }
  await cluster?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("a production deployment on a managed-style PostgreSQL", () => {
  it("starts with an owner that is not a superuser and answers /healthz", async () => {
    const owner = await query<{ rolsuper: boolean; rolcreaterole: boolean; rolbypassrls: boolean }>(
      urls.owner,
      `SELECT rolsuper, rolcreaterole, rolbypassrls FROM pg_roles WHERE rolname = current_user`,
    );
    expect(owner).toEqual([{ rolsuper: false, rolcreaterole: false, rolbypassrls: false }]);
    const res = await request("/healthz");
    expect(res.status).toBe(200);
  });

  it("seeds nothing: no school and no operator exist", async () => {
    const rows = await query<{ schools: number; operators: number }>(
      urls.superuser,
      `SELECT (SELECT count(*)::int FROM "School") AS schools, (SELECT count(*)::int FROM "Operator") AS operators`,
    );
    expect(rows).toEqual([{ schools: 0, operators: 0 }]);
  });

  it("gave the hand-made app role its grants: it reads Lesson and cannot read Operator", async () => {
    expect(await query(urls.app, `SELECT count(*)::int AS n FROM "Lesson"`)).toEqual([{ n: 0 }]);
    await expect(query(urls.app, `SELECT count(*) FROM "Operator"`)).rejects.toMatchObject({ code: "42501" });
  });

  it("create-operator prints a one-time link that shows a password form and signs the operator in", async () => {
    const made = await run(path.join(root, "build", "create-operator.js"), ["first@ops.example", "--name", "First Operator"], serverEnv());
    expect(made.code, made.stderr).toBe(0);
    const link = new URL(made.stdout.trim());
    expect(link.pathname).toBe("/operator/set-password");
    const token = link.searchParams.get("token")!;

    const form = await request(`${link.pathname}${link.search}`);
    expect(form.status).toBe(200);
    expect(form.body).toContain("Set your operator password");
    expect(form.body).toMatch(/<input[^>]+type="password"/);

    const body = new URLSearchParams({ token, password: "a long operator password", confirm: "a long operator password" }).toString();
    const headers = { "content-type": "application/x-www-form-urlencoded", origin: `http://localhost:${port}` };
    const set = await request(link.pathname, { method: "POST", headers, body });
    expect(set.status).toBe(302);
    expect(set.headers.location).toBe("/operator");
    expect(String(set.headers["set-cookie"])).toContain("encore_operator=");

    // The link works once.
    const again = await request(`${link.pathname}${link.search}`);
    expect(again.body).toContain("This link no longer works");
  });

  it("refuses to start in production without DATABASE_URL or APP_DATABASE_URL, naming the variable", async () => {
    const noDb = await run(serverJs, [], prodEnv({ PORT: String(await freePort()), APP_DATABASE_URL: urls.app }));
    expect(noDb.code).not.toBe(0);
    expect(noDb.stdout + noDb.stderr).toContain("DATABASE_URL: required in production");
    const noApp = await run(serverJs, [], prodEnv({ PORT: String(await freePort()), DATABASE_URL: urls.owner }));
    expect(noApp.code).not.toBe(0);
    expect(noApp.stdout + noApp.stderr).toContain("APP_DATABASE_URL: required in production");
  });

  it("refuses an app connection that is not bound by row-level security", async () => {
    const bad = await run(serverJs, [], prodEnv({ PORT: String(await freePort()), DATABASE_URL: urls.owner, APP_DATABASE_URL: urls.owner }));
    expect(bad.code).not.toBe(0);
    expect(bad.stdout + bad.stderr).toContain("APP_DATABASE_URL cannot be used");
  });
});
