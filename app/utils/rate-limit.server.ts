import type { AppLoadContext } from "@remix-run/node";

/**
 * Counts one attempt against each key (per client address, per account, ...).
 * Returns null when allowed, or the message to show when any key is over its limit.
 */
export async function checkRateLimit(context: AppLoadContext, bucket: string, keys: string[]): Promise<string | null> {
  const scope = context.tenant.kind === "school" ? context.tenant.school.id : "platform";
  const results = await Promise.all(keys.map((k) => context.limiter.limit(bucket, `${scope}:${k}`)));
  const blocked = results.filter((r) => !r.success);
  if (blocked.length === 0) return null;
  const reset = Math.max(...blocked.map((r) => r.reset));
  const minutes = Math.max(1, Math.ceil((reset - Date.now()) / 60_000));
  return `Too many attempts. For your security, please wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`;
}
