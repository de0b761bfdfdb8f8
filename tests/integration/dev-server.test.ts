// `npm run dev` itself (server/index.ts under tsx, Vite in middleware mode), on the
// test database: what it listens on, which hosts and files it serves, and how it
// stops. The files that must never be served are made here, inside the project.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freePort } from "../../server/db/embedded.server";

const root = path.resolve(import.meta.dirname, "../..");
const secretDir = path.join(root, ".data", `dev-server-test-${process.pid}`);
const SECRET = "SECRET-FROM-THE-DATA-DIRECTORY";

type Line = Record<string, unknown> & { msg: string; level: string };

interface DevServer {
  child: ChildProcessWithoutNullStreams;
  port: number;
  lines: Line[];
  exited: Promise<number | null>;
}

let dev: DevServer;
let dataDir: string;

async function startDevServer(): Promise<DevServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "development",
      PORT: String(port),
      HOST: "",
      HMR_PORT: String(await freePort()),
      DATABASE_URL: inject("ownerUrl"),
      APP_DATABASE_URL: inject("appUrl"),
      DATA_DIR: dataDir,
      SEED: "none",
      JOBS: "off",
      LOG_LEVEL: "info",
      RESEND_API_KEY: "",
      UPSTASH_REDIS_REST_URL: "",
      UPLOADTHING_TOKEN: "",
    },
  });
  const lines: Line[] = [];
  let buffered = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const text = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        try {
          const line = JSON.parse(text) as Line;
          lines.push(line);
          if (line.msg.startsWith("ready")) resolve();
        } catch {
          // Vite's own messages are not JSON; they are not ours to check.
        }
      }
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    void exited.then((code) => reject(new Error(`dev server exited (${code}) before it was ready:\n${stderr}`)));
  });
  await ready;
  return { child, port, lines, exited };
}

interface Answer {
  status: number;
  body: string;
}

function get(port: number, target: string, host = `harmony.localhost:${port}`): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: target, headers: { host, accept: "*/*" } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "encore-dev-test-"));
  mkdirSync(path.join(secretDir, "base"), { recursive: true });
  writeFileSync(path.join(secretDir, "base", "1234"), SECRET);
  dev = await startDevServer();
}, 120_000);

afterAll(async () => {
  if (dev && dev.child.exitCode === null) {
    dev.child.kill("SIGKILL");
    await dev.exited;
  }
  rmSync(secretDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the development server", () => {
  it("listens on loopback unless HOST says otherwise", () => {
    expect(dev.lines.find((l) => l.msg.startsWith("ready"))).toMatchObject({ host: "127.0.0.1", env: "development" });
  });

  it("serves a school's pages and the app's own modules", async () => {
    const page = await get(dev.port, "/");
    expect(page.status).toBe(200);
    expect(page.body).toContain("Harmony");
    const module = await get(dev.port, "/app/root.tsx");
    expect(module.status).toBe(200);
  }, 60_000);

  it("serves no file of the data directory, .env, the server's sources or anything outside the project", async () => {
    const data = `/.data/${path.basename(secretDir)}/base/1234`;
    const refused = [
      data,
      `${data}?raw`,
      `${data}?import&raw`,
      `${data}?url`,
      `/@fs${path.join(secretDir, "base", "1234")}?raw`,
      "/.env",
      "/.env?raw",
      "/@fs/etc/passwd",
      "/@fs/etc/passwd?raw",
      "/server/env.server.ts",
      "/server/env.server.ts?raw",
      "/app/utils/sessions.server.ts?raw",
      "/package.json?raw",
      "/prisma/schema.prisma?raw",
    ];
    for (const target of refused) {
      const res = await get(dev.port, target);
      expect([403, 404], `${target} answered ${res.status}`).toContain(res.status);
      expect(res.body).not.toContain(SECRET);
      expect(res.body).not.toContain("root:x:0:0");
      expect(res.body).not.toContain("APP_DATABASE_URL");
    }
  }, 60_000);

  it("answers no host the platform does not serve", async () => {
    for (const target of ["/", "/app/root.tsx", "/@vite/client"]) {
      const res = await get(dev.port, target, `attacker.example:${dev.port}`);
      expect({ target, status: res.status }).toEqual({ target, status: 403 });
    }
    expect((await get(dev.port, "/app/root.tsx", `localhost:${dev.port}`)).status).toBe(200);
  });

  it("on SIGTERM, refuses new connections but finishes the request in flight", async () => {
    const body = "email=nobody%40harmony.test&password=wrong";
    const host = `harmony.localhost:${dev.port}`;
    let signalled!: () => void;
    const stopped = new Promise<void>((resolve) => (signalled = resolve));
    let headersSent!: () => void;
    const sent = new Promise<void>((resolve) => (headersSent = resolve));
    const answer = new Promise<Answer>((resolve, reject) => {
      const req = http.request(
        {
          host: "127.0.0.1",
          port: dev.port,
          method: "POST",
          path: "/login",
          headers: {
            host,
            origin: `http://${host}`,
            "content-type": "application/x-www-form-urlencoded",
            "content-length": Buffer.byteLength(body),
          },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (text += chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on("error", reject);
      req.flushHeaders();
      req.write(body.slice(0, 10), () => headersSent());
      // The rest of the body comes only after the signal: the request is in flight meanwhile.
      void stopped.then(() => req.end(body.slice(10)));
    });

    await sent;
    await new Promise((resolve) => setTimeout(resolve, 300)); // the server has the request
    dev.child.kill("SIGTERM");
    // The listener closes at once: a new connection is refused.
    let refused: unknown = null;
    for (let i = 0; i < 50 && !refused; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      refused = await get(dev.port, "/healthz").then(
        () => null,
        (error: NodeJS.ErrnoException) => error,
      );
    }
    expect((refused as NodeJS.ErrnoException | null)?.code).toBe("ECONNREFUSED");
    signalled();

    const res = await answer;
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(500);
    expect(await dev.exited).toBe(0);
    const messages = dev.lines.map((l) => l.msg);
    expect(messages).toContain("stopped");
    // The login request was logged as answered before the server stopped.
    const login = dev.lines.findIndex((l) => l.msg === "request" && l.path === "/login" && l.method === "POST");
    expect(login).toBeGreaterThan(messages.findIndex((m) => m.startsWith("shutting down")));
    expect(login).toBeLessThan(messages.indexOf("stopped"));
  }, 60_000);
});
