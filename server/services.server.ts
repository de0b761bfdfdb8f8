import type { Services } from "./context";
import { createPrismaClient, sessionUrl, type PrismaClient } from "./db/clients.server";
import { Platform } from "./db/privileged.server";
import type { DatabaseUrls } from "./db/setup.server";
import type { Env } from "./env.server";
import { createClock } from "./services/clock.server";
import { Mailer } from "./services/email.server";
import { createRateLimiter } from "./services/rate-limit.server";
import { createStorage } from "./services/storage.server";
import { createFileSigner } from "./services/file-urls.server";
import { createPayments } from "./services/payments.server";
import { PLATFORM_ROLE } from "./db/rls";
import { createSchoolChanges } from "./db/school-changes.server";

export interface RunningServices extends Services {
  /** `platform`: the owner's credentials as the platform role (privileged module only); `app`: RLS-bound. */
  clients: { platform: PrismaClient; app: PrismaClient };
  close(): Promise<void>;
}

export function createServices(env: Env, db: Pick<DatabaseUrls, "ownerUrl" | "appUrl">): RunningServices {
  // The app role serves every school request; the privileged module's pool (host
  // lookups, which are cached, operators, jobs' cross-school reads) needs a quarter of that.
  const poolTimeoutMs = env.DATABASE_POOL_TIMEOUT_MS;
  const owner = createPrismaClient(db.ownerUrl, Math.max(2, Math.ceil(env.DATABASE_POOL_SIZE / 4)), { role: PLATFORM_ROLE, poolTimeoutMs });
  const app = createPrismaClient(db.appUrl, env.DATABASE_POOL_SIZE, { poolTimeoutMs });
  const payments = createPayments(env);
  // Listens (one connection of its own) only once the server's page cache starts it.
  const schoolChanges = createSchoolChanges(sessionUrl(db.appUrl));
  return {
    env,
    platform: new Platform(owner, app, { dnsServers: env.DNS_RESOLVER }),
    clock: createClock(env.CLOCK_START),
    mailer: new Mailer({ from: env.EMAIL_FROM, resendApiKey: env.RESEND_API_KEY, resendBaseUrl: env.RESEND_BASE_URL }),
    limiter: createRateLimiter({
      tokens: env.RATE_LIMIT_SIGNIN,
      windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS,
      upstashUrl: env.UPSTASH_REDIS_REST_URL,
      upstashToken: env.UPSTASH_REDIS_REST_TOKEN,
    }),
    storage: createStorage({
      dataDir: env.DATA_DIR,
      uploadthingToken: env.UPLOADTHING_TOKEN,
      // Not in Env (optional, for tests against a local stand-in); UTApi reads the same names.
      uploadthingApiUrl: process.env.UPLOADTHING_API_URL || undefined,
      uploadthingIngestUrl: process.env.UPLOADTHING_INGEST_URL || undefined,
      uploadthingUfsHost: process.env.UPLOADTHING_UFS_HOST || undefined,
    }),
    payments,
    fileSigner: createFileSigner(env.FILE_URL_SECRET),
    schoolChanges,
    clients: { platform: owner, app },
    async close() {
      await Promise.all([owner.$disconnect(), app.$disconnect(), payments.close(), schoolChanges.close()]);
    },
  };
}
