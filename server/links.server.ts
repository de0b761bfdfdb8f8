// Absolute addresses built from configuration, never from the request's Host.
import type { Env } from "./env.server";

/** https://encore.example/path (the platform's own domain). */
export function platformUrl(env: Pick<Env, "protocol" | "PLATFORM_DOMAIN" | "PORT" | "isProduction">, path = "/"): string {
  const port = env.isProduction || [80, 443].includes(env.PORT) ? "" : `:${env.PORT}`;
  return `${env.protocol}://${env.PLATFORM_DOMAIN}${port}${path}`;
}
