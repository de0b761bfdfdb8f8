// Logs: one JSON object per line on stdout (pino), in every environment. Each
// request gets an id and a child logger carrying it (server/app.ts), so every line a
// request writes, and the error it may end in, can be found by that id; the same id
// goes back to the client in the X-Request-Id header.
import { randomUUID } from "node:crypto";
import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger };

export const REQUEST_ID_HEADER = "X-Request-Id";

export interface LoggerOptions {
  level: string;
  /** Where lines go (tests); stdout otherwise. */
  destination?: DestinationStream;
}

export function createLogger({ level, destination }: LoggerOptions): Logger {
  return pino(
    {
      level,
      base: { service: "encore" },
      timestamp: pino.stdTimeFunctions.isoTime,
      // "level":"info" rather than pino's numbers: what log pipelines and people read.
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    // stdout, written synchronously (nothing is lost when the process exits).
    destination ?? pino.destination({ fd: 1, sync: true }),
  );
}

/** An id a proxy may hand us: short, and only characters that are safe in a log line and a header. */
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/**
 * The request's id: the proxy's X-Request-Id when proxies are trusted and it looks
 * sane, a fresh UUID otherwise (a client must not choose the id its lines are filed under).
 */
export function requestIdFor(header: string | null | undefined, trustProxy: boolean | number): string {
  const offered = header?.trim();
  if (trustProxy !== false && offered && SANE_REQUEST_ID.test(offered)) return offered;
  return randomUUID();
}

/**
 * The path as it may be logged: no query string (tokens, emails), and the secret
 * token of a private calendar feed replaced.
 */
export function loggablePath(pathname: string): string {
  return pathname.replace(/^\/calendar\/[^/]+\.ics$/i, "/calendar/:token.ics");
}
