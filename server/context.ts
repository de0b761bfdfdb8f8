// What Hono hands to every Remix loader and action (getLoadContext). The school
// is resolved once, from the host, by tenants/resolve.server.ts; loaders never look
// it up again and never take it from anything the client sends.
import type { Brand } from "../tenants/branding";
import type { Env } from "./env.server";
import type { Logger } from "./log.server";
import type { Platform, SchoolSummary } from "./db/privileged.server";
import type { SchoolDb } from "./db/school-db.server";
import type { Mailer } from "./services/email.server";
import type { RateLimiter } from "./services/rate-limit.server";
import type { Storage } from "./services/storage.server";

export type Tenant = { kind: "platform" } | { kind: "school"; school: SchoolSummary; brand: Brand };

export interface Services {
  env: Env;
  platform: Platform;
  mailer: Mailer;
  limiter: RateLimiter;
  /** Images (school logos): UploadThing, or a local folder served at /uploads. */
  storage: Storage;
}

export interface EncoreContext extends Services {
  tenant: Tenant;
  /** Bound to the host's school; null on the platform's own domain. */
  db: SchoolDb | null;
  cspNonce: string;
  /** The origin the request came to, e.g. http://harmony.localhost:3000 */
  origin: string;
  clientIp: string;
  /** This request's logger: JSON lines carrying its requestId. */
  log: Logger;
  /** This request's id, also in the X-Request-Id response header. */
  requestId: string;
}

declare module "@remix-run/server-runtime" {
  interface AppLoadContext extends EncoreContext {}
}
