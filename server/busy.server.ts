// A saturated database is a temporary condition, not a server error: a request that
// waited its turn for a pooled connection for DATABASE_POOL_TIMEOUT_MS, or that
// PostgreSQL itself turned away (too many connections, starting up), is answered
// 503 with Retry-After, never 500.
//
// Where such an error surfaces:
// - thrown out of a Hono middleware (the tenant lookup): app.onError answers 503;
// - thrown in a Remix loader or action: Remix renders its own 500, so handleError
//   (app/entry.server.tsx) marks the load context, and the Hono handler around
//   Remix replaces the response with the 503. The mark is a global symbol because
//   the Remix build and the server are two bundles.

export const RETRY_AFTER_SECONDS = 5;

const BUSY_MESSAGES = [
  // pg-pool: no connection became free within connectionTimeoutMillis.
  "timeout exceeded when trying to connect",
  // pg: the server did not accept a new connection within connectionTimeoutMillis.
  "Connection terminated due to connection timeout",
];
// too_many_connections, cannot_connect_now (starting up or shutting down)
const BUSY_SQLSTATES = new Set(["53300", "57P03"]);
// Prisma: a transaction that could not start in time; the pool timed out.
const BUSY_PRISMA_CODES = new Set(["P2024", "P2028"]);

export function isDatabaseBusy(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; kind?: unknown } } };
  };
  const message = typeof e.message === "string" ? e.message : "";
  if (BUSY_MESSAGES.some((m) => message.includes(m))) return true;
  if (typeof e.code === "string") {
    if (BUSY_SQLSTATES.has(e.code)) return true;
    // P2028 also reports a transaction that ran past its own timeout: that one is a bug, not load.
    if (BUSY_PRISMA_CODES.has(e.code) && (e.code === "P2024" || /unable to start a transaction/i.test(message))) return true;
  }
  const adapterCause = e.meta?.driverAdapterError?.cause;
  if (adapterCause) {
    if (typeof adapterCause.originalCode === "string" && BUSY_SQLSTATES.has(adapterCause.originalCode)) return true;
    if (adapterCause.kind === "TooManyConnections") return true;
  }
  return e.cause !== undefined && e.cause !== error ? isDatabaseBusy(e.cause) : false;
}

const BUSY = Symbol.for("encore.databaseBusy");

/** Remix's handleError: this request's response must become a 503. */
export function markDatabaseBusy(context: object) {
  (context as Record<symbol, unknown>)[BUSY] = true;
}

export function wasDatabaseBusy(context: object): boolean {
  return (context as Record<symbol, unknown>)[BUSY] === true;
}

const BUSY_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="refresh" content="${RETRY_AFTER_SECONDS}"><title>Busy — please try again</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;background:#f8fafc;color:#0f172a}
main{max-width:32rem;padding:2rem;text-align:center}h1{font-size:1.5rem}</style></head>
<body><main><h1>We are very busy right now</h1><p>Your request was not carried out. This page tries again in a few seconds.</p></main></body></html>`;

/** The 503 for a request that found the database saturated: a page for a browser, text otherwise. */
export function databaseBusyResponse(request: Request): Response {
  const wantsPage = request.method === "GET" && (request.headers.get("accept") ?? "").includes("text/html");
  const headers = {
    "Retry-After": String(RETRY_AFTER_SECONDS),
    "Cache-Control": "no-store",
    "Content-Type": wantsPage ? "text/html; charset=utf-8" : "text/plain; charset=utf-8",
  };
  return new Response(wantsPage ? BUSY_PAGE : "Service busy, retry shortly.\n", { status: 503, headers });
}
