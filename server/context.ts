// What Hono hands to every Remix loader and action (getLoadContext). The school
// is resolved once, from the host, by tenants/resolve.server.ts; loaders never look
// it up again and never take it from anything the client sends.
//
// The context is narrow on purpose: the school-bound database, the tenant, and a few
// capabilities built by server/capabilities.server.ts, each bound to this request's
// school or checking its own caller. No database client, no Platform, no environment
// (it holds the owner's connection string) and no way to open another school is
// reachable from it: tests/integration/load-context.test.ts walks it to prove so.
import type { Brand } from "../tenants/branding";
import type { PublicLinks } from "../tenants/links";
import type { Env } from "./env.server";
import type { Logger } from "./log.server";
import type { Platform, SchoolSummary } from "./db/privileged.server";
import type { SchoolDb } from "./db/school-db.server";
import type { Clock } from "./services/clock.server";
import type { SchoolChanges } from "./db/school-changes.server";
import type { Mailer } from "./services/email.server";
import type { RateLimiter } from "./services/rate-limit.server";
import type { Storage } from "./services/storage.server";
import type { Payments } from "./services/payments.server";
import type { FileSigner, SignatureCheck } from "./services/file-urls.server";
import type { OperatorAuth, OperatorCapabilities, SchoolPayments, SchoolPlatform } from "./capabilities.server";

export type Tenant = { kind: "platform" } | { kind: "school"; school: SchoolSummary; brand: Brand };

/** What the server process holds (app.ts, jobs, seed). Never handed to a route as such. */
export interface Services {
  env: Env;
  platform: Platform;
  /** The school's "now" (server/services/clock.server.ts): the real clock, or a test's fixed start. */
  clock: Clock;
  mailer: Mailer;
  limiter: RateLimiter;
  /** Images (school logos): UploadThing, or a local folder served at /uploads. */
  storage: Storage;
  /** Online payments: the Stripe SDK (Stripe, or the local stand-in), or off. */
  payments: Payments;
  /** Signs and checks the short-lived addresses of private files. */
  fileSigner: FileSigner;
  /** Which schools' data changed (the database's notifications): the signed-in page cache's truth. */
  schoolChanges: SchoolChanges;
}

/** Signed addresses of THIS school's private files (server/services/file-urls.server.ts). */
export interface SchoolFiles {
  /** The address of a resource's file for `viewerId`, valid for a few minutes. */
  signedPath(resourceId: string, viewerId: string): string;
  check(resourceId: string, viewerId: string, exp: string | null, sig: string | null): SignatureCheck;
}

/** The school-bound database as routes see it: run work in this school's RLS-bound transaction. */
export type SchoolBoundDb = Pick<SchoolDb, "schoolId" | "run">;

/** Everything of the context that depends on the tenant, built by `tenantContext` (server/capabilities.server.ts). */
export interface TenantContext {
  tenant: Tenant;
  /** Bound to the host's school; null on the platform's own domain. */
  db: SchoolBoundDb | null;
  /**
   * Absolute addresses from configuration (PUBLIC_PROTOCOL, PUBLIC_PORT, PLATFORM_DOMAIN),
   * never from the request's Host; also the public protocol and the platform's domain.
   */
  links: RequestLinks;
  /** The school's "now": pass `clock.now()` to every model that depends on the day. */
  clock: Clock;
  mailer: Mailer;
  limiter: RateLimiter;
  storage: Storage;
  /** Operator sign-in, sign-out and the current operator (platform domain only). */
  auth: OperatorAuth;
  /** The operator's cross-school work; every function checks the operator's session itself. */
  operator: OperatorCapabilities;
  /** Privileged work for THIS school only (host cache, custom domain); null on the platform's domain. */
  schoolPlatform: SchoolPlatform | null;
  /** Online payments for THIS school (Stripe Connect); null on the platform's domain. */
  payments: SchoolPayments | null;
  /** Signed addresses of this school's private files; null on the platform's domain. */
  files: SchoolFiles | null;
  /** The few settings routes act on (never the whole environment: it holds database addresses). */
  settings: RequestSettings;
}

export interface RequestSettings {
  /** Sign-in and email limits (server/env.server.ts). */
  readonly RATE_LIMIT_SIGNIN: number;
  readonly RATE_LIMIT_WINDOW_SECONDS: number;
  /** The development mailbox is open (no email service, DEV_MAILBOX on). */
  readonly devMailbox: boolean;
}

export interface RequestLinks extends PublicLinks {
  /** This request's own public origin: its school's address, or the platform's. */
  readonly origin: string;
}

export interface EncoreContext extends TenantContext {
  cspNonce: string;
  clientIp: string;
  /** This request's logger: JSON lines carrying its requestId. */
  log: Logger;
  /** This request's id, also in the X-Request-Id response header. */
  requestId: string;
}

declare module "@remix-run/server-runtime" {
  interface AppLoadContext extends EncoreContext {}
}
