// Environment, checked once at boot. Every external service is optional: without
// its variables an embedded stand-in is used, so a fresh clone needs no .env.
import { isIP } from "node:net";
import { z } from "zod";

const optional = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() ? v.trim() : undefined));

/** "1.2.3.4", "1.2.3.4:53", "::1" or "[::1]:53": what dns.Resolver#setServers takes. */
function isDnsServer(item: string): boolean {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(item);
  const v4 = /^([\d.]+)(?::(\d{1,5}))?$/.exec(item);
  const [ip, port] = bracketed ? [bracketed[1]!, bracketed[2]] : v4 ? [v4[1]!, v4[2]] : [item, undefined];
  const family = isIP(ip);
  if (bracketed ? family !== 6 : v4 ? family !== 4 : family !== 6) return false;
  return port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
}

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    /** The interface to listen on. Unset: loopback in development, every interface in production. */
    HOST: optional,
    /**
     * Proxies in front of the server: unset/false (none; the socket's address is the
     * client), a number of hops (take the client from X-Forwarded-For that many hops
     * from the right), or true (its left-most address). Also lets X-Request-Id in.
     */
    TRUST_PROXY: z
      .string()
      .optional()
      .transform((v, ctx): number | boolean => {
        const t = (v ?? "").trim().toLowerCase();
        if (t === "" || t === "false" || t === "0" || t === "off") return false;
        if (t === "true" || t === "on") return true;
        if (/^[1-9][0-9]?$/.test(t)) return Number(t);
        ctx.addIssue({ code: "custom", message: "use false, true or a number of proxy hops (1, 2, …)" });
        return z.NEVER;
      }),
    /** JSON log lines at this level and above ("silent" turns them off; tests default to it). */
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
    /** Connections of the app role's pool (the privileged module's gets a quarter, at least 2). */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
    /** How long a request may wait for a free connection before it is answered 503. */
    DATABASE_POOL_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(5_000),
    /** Requests rendered at once (server/admission.ts); the others wait their turn. Unset: twice the CPUs. */
    REQUEST_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).optional(),
    /** How long a request may wait for its turn before it is answered 503. */
    REQUEST_QUEUE_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
    /**
     * How long the signed-in page cache (server/page-cache.server.ts) may serve a page it
     * kept, at most: any change to the school's data ends it sooner. 0 turns it off.
     * Unset: 30 in production, 0 otherwise (a developer's edit shows on the next reload).
     */
    PAGE_CACHE_SECONDS: z.coerce.number().int().min(0).max(3_600).optional(),
    /** Schools live at <slug>.<PLATFORM_DOMAIN>; the operator at PLATFORM_DOMAIN itself. */
    PLATFORM_DOMAIN: z.string().default("localhost").transform((v) => v.toLowerCase()),
    /** Public scheme for links in emails. */
    PUBLIC_PROTOCOL: z.enum(["http", "https"]).optional(),
    /** Public port for links (emails, feeds, invitations); unset: PORT in development, none (80/443) in production. */
    PUBLIC_PORT: z
      .string()
      .optional()
      .transform((v) => (v && v.trim() ? v.trim() : undefined))
      .pipe(z.coerce.number().int().min(1).max(65535).optional()),
    /** Owner connection (migrations, privileged module). Unset: embedded PostgreSQL. */
    DATABASE_URL: optional,
    /** The app role's connection (RLS applies). Unset (development only): encore_app on DATABASE_URL's server. */
    APP_DATABASE_URL: optional,
    /** Development only: the password given to the encore_app role this server creates. */
    APP_DATABASE_PASSWORD: z.string().default("encore_app"),
    DATA_DIR: z.string().default(".data"),
    /** "demo" seeds the demo schools into an empty database; "none" leaves it empty. Default: demo in development, none in production. */
    SEED: z.enum(["demo", "none"]).optional(),
    /** Background jobs (email delivery, reminders, the horizon); "off" for a server that must not run them. */
    JOBS: z.enum(["on", "off"]).default("on"),
    EMAIL_FROM: z.string().default("Encore <no-reply@encore.localhost>"),
    RESEND_API_KEY: optional,
    /**
     * Without an email service: "on" opens the development mailbox (/dev/mailbox on
     * each school's address, no sign-in), where every email can be read with its
     * links. Default: on in development and tests, off in production.
     */
    DEV_MAILBOX: z.enum(["on", "off"]).optional(),
    RESEND_BASE_URL: optional,
    UPSTASH_REDIS_REST_URL: optional,
    UPSTASH_REDIS_REST_TOKEN: optional,
    UPLOADTHING_TOKEN: optional,
    /**
     * The key signing short-lived addresses of private files (learning resources), at
     * least 32 characters. Required in production (every server must share it);
     * elsewhere a random one per process.
     */
    FILE_URL_SECRET: optional,
    /** Tests only: UploadThing's API and ingest servers (a local stand-in). */
    UPLOADTHING_API_URL: optional,
    UPLOADTHING_INGEST_URL: optional,
    /** Tests only: send custom-domain verification requests to this "host:port" (refused in production). */
    DOMAIN_VERIFY_ADDRESS: optional,
    /**
     * DNS servers for custom-domain checks (the TXT record, the domain's addresses):
     * IP addresses with an optional port, comma-separated ("10.0.0.2", "127.0.0.1:5353",
     * "[2001:db8::53]:53"). Unset: the system's resolver.
     */
    DNS_RESOLVER: z
      .string()
      .optional()
      .transform((v, ctx): string[] | undefined => {
        const items = (v ?? "").split(",").map((s) => s.trim()).filter(Boolean);
        if (items.length === 0) return undefined;
        const bad = items.find((item) => !isDnsServer(item));
        if (bad) {
          ctx.addIssue({ code: "custom", message: `"${bad}" is not an IP address with an optional port (e.g. 127.0.0.1:5353 or [::1]:53)` });
          return z.NEVER;
        }
        return items;
      }),
    STRIPE_SECRET_KEY: optional,
    /** The webhook endpoints' signing secrets (whsec_…), comma-separated (the platform's and the Connect endpoint's). */
    STRIPE_WEBHOOK_SECRET: optional,
    /**
     * Without STRIPE_SECRET_KEY: "on" starts the local Stripe stand-in (server/stripe-standin),
     * "off" switches online payments off. Default: on in development and tests, off in production.
     */
    STRIPE_STANDIN: z.enum(["on", "off"]).optional(),
    /** Rate limits (attempts per window) — tests raise or lower them. */
    RATE_LIMIT_SIGNIN: z.coerce.number().int().positive().default(10),
    RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
    /**
     * Tests only: the school's clock starts at this instant (ISO 8601 with Z or an
     * offset, e.g. 2026-11-24T08:30:00Z) and advances with real time from there, so
     * journeys see the same day on every run. Unset: the real clock.
     */
    CLOCK_START: z
      .string()
      .optional()
      .transform((v, ctx): Date | undefined => {
        const t = (v ?? "").trim();
        if (!t) return undefined;
        const at = z.string().datetime({ offset: true }).safeParse(t);
        if (!at.success) {
          ctx.addIssue({ code: "custom", message: "use an ISO 8601 instant with its offset, e.g. 2026-11-24T08:30:00Z" });
          return z.NEVER;
        }
        return new Date(t);
      }),
  })
  .superRefine((env, ctx) => {
    // The embedded database and the derived app role are for development only.
    if (env.NODE_ENV === "production" && !env.DATABASE_URL) {
      ctx.addIssue({ code: "custom", path: ["DATABASE_URL"], message: "required in production (the owner role's connection; see docs/deploy.md)" });
    }
    if (env.NODE_ENV === "production" && !env.APP_DATABASE_URL) {
      ctx.addIssue({ code: "custom", path: ["APP_DATABASE_URL"], message: "required in production (the encore_app role's connection; see docs/deploy.md)" });
    }
    if (env.NODE_ENV === "production" && env.DOMAIN_VERIFY_ADDRESS) {
      ctx.addIssue({ code: "custom", path: ["DOMAIN_VERIFY_ADDRESS"], message: "tests only: custom-domain checks connect to the domain's own (public) address in production" });
    }
    if (env.STRIPE_SECRET_KEY && !env.STRIPE_WEBHOOK_SECRET) {
      ctx.addIssue({ code: "custom", path: ["STRIPE_WEBHOOK_SECRET"], message: "required with STRIPE_SECRET_KEY (the webhook endpoint's signing secret, whsec_…)" });
    }
    if (env.FILE_URL_SECRET !== undefined && env.FILE_URL_SECRET.length < 32) {
      ctx.addIssue({ code: "custom", path: ["FILE_URL_SECRET"], message: "use at least 32 random characters (e.g. `openssl rand -base64 32`)" });
    } else if (env.NODE_ENV === "production" && !env.FILE_URL_SECRET) {
      ctx.addIssue({ code: "custom", path: ["FILE_URL_SECRET"], message: "required in production: at least 32 random characters (e.g. `openssl rand -base64 32`), the same on every server" });
    }
    if (env.UPSTASH_REDIS_REST_URL && !env.UPSTASH_REDIS_REST_TOKEN) {
      ctx.addIssue({ code: "custom", path: ["UPSTASH_REDIS_REST_TOKEN"], message: "required with UPSTASH_REDIS_REST_URL" });
    }
  });

export type Env = Omit<z.infer<typeof schema>, "HOST" | "LOG_LEVEL" | "SEED" | "PAGE_CACHE_SECONDS"> & {
  HOST: string;
  PAGE_CACHE_SECONDS: number;
  LOG_LEVEL: NonNullable<z.infer<typeof schema>["LOG_LEVEL"]>;
  SEED: "demo" | "none";
  protocol: "http" | "https";
  /** The port in public links, or null for the protocol's default (443/80). */
  publicPort: number | null;
  isProduction: boolean;
  /** The development mailbox is open: no email service, and DEV_MAILBOX on (by default outside production). */
  devMailbox: boolean;
};

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  const isProduction = parsed.data.NODE_ENV === "production";
  const protocol = parsed.data.PUBLIC_PROTOCOL ?? (isProduction ? "https" : "http");
  const port = parsed.data.PUBLIC_PORT ?? (isProduction ? null : parsed.data.PORT);
  const publicPort = port === null || port === (protocol === "https" ? 443 : 80) ? null : port;
  const devMailbox = !parsed.data.RESEND_API_KEY && (parsed.data.DEV_MAILBOX ?? (isProduction ? "off" : "on")) === "on";
  return {
    ...parsed.data,
    HOST: parsed.data.HOST ?? (isProduction ? "0.0.0.0" : "127.0.0.1"),
    LOG_LEVEL: parsed.data.LOG_LEVEL ?? (parsed.data.NODE_ENV === "test" ? "silent" : "info"),
    SEED: parsed.data.SEED ?? (isProduction ? "none" : "demo"),
    PAGE_CACHE_SECONDS: parsed.data.PAGE_CACHE_SECONDS ?? (isProduction ? 30 : 0),
    isProduction,
    devMailbox,
    protocol,
    publicPort,
  };
}
