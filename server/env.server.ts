// Environment, checked once at boot. Every external service is optional: without
// its variables an embedded stand-in is used, so a fresh clone needs no .env.
import { z } from "zod";

const optional = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() ? v.trim() : undefined));

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().default("0.0.0.0"),
    /** Schools live at <slug>.<PLATFORM_DOMAIN>; the operator at PLATFORM_DOMAIN itself. */
    PLATFORM_DOMAIN: z.string().default("localhost").transform((v) => v.toLowerCase()),
    /** Public scheme for links in emails. */
    PUBLIC_PROTOCOL: z.enum(["http", "https"]).optional(),
    /** Owner connection (migrations, privileged module). Unset: embedded PostgreSQL. */
    DATABASE_URL: optional,
    /** The app role's connection (RLS applies). Unset: derived from DATABASE_URL. */
    APP_DATABASE_URL: optional,
    APP_DATABASE_ROLE: z.string().default("encore_app"),
    APP_DATABASE_PASSWORD: z.string().default("encore_app"),
    DATA_DIR: z.string().default(".data"),
    /** "demo" seeds the demo schools into an empty database; "none" leaves it empty. */
    SEED: z.enum(["demo", "none"]).default("demo"),
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
    /** Tests only: UploadThing's API and ingest servers (a local stand-in). */
    UPLOADTHING_API_URL: optional,
    UPLOADTHING_INGEST_URL: optional,
    /** Tests only: send custom-domain verification requests to this "host:port". */
    DOMAIN_VERIFY_ADDRESS: optional,
    STRIPE_SECRET_KEY: optional,
    STRIPE_WEBHOOK_SECRET: optional,
    /** Rate limits (attempts per window) — tests raise or lower them. */
    RATE_LIMIT_SIGNIN: z.coerce.number().int().positive().default(10),
    RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && env.DATABASE_URL && !env.APP_DATABASE_URL) {
      ctx.addIssue({ code: "custom", path: ["APP_DATABASE_URL"], message: "required in production with DATABASE_URL" });
    }
    if (env.UPSTASH_REDIS_REST_URL && !env.UPSTASH_REDIS_REST_TOKEN) {
      ctx.addIssue({ code: "custom", path: ["UPSTASH_REDIS_REST_TOKEN"], message: "required with UPSTASH_REDIS_REST_URL" });
    }
  });

export type Env = z.infer<typeof schema> & {
  protocol: "http" | "https";
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
  const devMailbox = !parsed.data.RESEND_API_KEY && (parsed.data.DEV_MAILBOX ?? (isProduction ? "off" : "on")) === "on";
  return { ...parsed.data, isProduction, devMailbox, protocol: parsed.data.PUBLIC_PROTOCOL ?? (isProduction ? "https" : "http") };
}
