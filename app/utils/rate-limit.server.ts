// Attempt limits, in one place. One knob scales them all: RATE_LIMIT_SIGNIN (N,
// default 10) per RATE_LIMIT_WINDOW_SECONDS (W, default 900); tests lower it,
// the end-to-end journeys raise it.
//
// Sign-in follows OWASP's advice against lock-out: attempts are counted per client
// address and per address-and-account, never per account alone, so an attacker is
// slowed down wherever they try from, while the owner's right password from
// another address is never refused. Attempts are counted before the password is
// checked (atomically, so a burst of parallel guesses cannot slip through); a
// successful sign-in clears its address-and-account count.
import type { AppLoadContext } from "@remix-run/node";
import type { LimitPolicy, LimitResult } from "../../server/services/rate-limit.server";

/** The limits, as numbers of attempts per window. */
export function attemptLimits(env: { RATE_LIMIT_SIGNIN: number; RATE_LIMIT_WINDOW_SECONDS: number }) {
  const n = env.RATE_LIMIT_SIGNIN;
  const w = env.RATE_LIMIT_WINDOW_SECONDS;
  const day = 86_400;
  const hour = 3_600;
  return {
    /** Sign-ins from one address for one account, until one succeeds. */
    "signin:address-account": { tokens: n, windowSeconds: w },
    /** Sign-ins from one address, whatever the account (password spraying); a school office signs many people in. */
    "signin:address": { tokens: 10 * n, windowSeconds: w },
    /** Password-reset requests and link uses, per address and per account. */
    reset: { tokens: n, windowSeconds: w },
    /** Online enrollment forms sent from one address. */
    "enroll:address": { tokens: n, windowSeconds: w },
    /** Online enrollment forms a school accepts in an hour (each sends invitations). */
    "enroll:school": { tokens: 5 * n, windowSeconds: hour },
    /** Invitations one account may have the school send in a day (a parent adding guardians). */
    "invite:account": { tokens: Math.max(1, Math.ceil(n / 2)), windowSeconds: day },
    /** Invitations and enrollment emails to one address in a day, whoever asks. */
    "invite:recipient": { tokens: Math.max(1, Math.ceil(n / 3)), windowSeconds: day },
    /** Invitations asked for by families (guardians page) across a school, per hour. */
    "invite:school": { tokens: 5 * n, windowSeconds: hour },
    /** School messages one person sends in an hour (each emails a whole audience). */
    "message:account": { tokens: n, windowSeconds: hour },
  } satisfies Record<string, LimitPolicy>;
}

export type LimitName = keyof ReturnType<typeof attemptLimits>;

function scope(context: AppLoadContext) {
  return context.tenant.kind === "school" ? context.tenant.school.id : "platform";
}

export function tooManyMessage(results: LimitResult[]): string | null {
  const blocked = results.filter((r) => !r.success);
  if (blocked.length === 0) return null;
  const reset = Math.max(...blocked.map((r) => r.reset));
  const minutes = Math.max(1, Math.ceil((reset - Date.now()) / 60_000));
  return `Too many attempts. For your security, please wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`;
}

/**
 * Counts one attempt against each key (per client address, per account, ...) of the
 * bucket — named limits use their own policy, other buckets the default one.
 * Returns null when allowed, or the message to show when any key is over its limit.
 */
export async function checkRateLimit(context: AppLoadContext, bucket: LimitName | string, keys: string[]): Promise<string | null> {
  const limits = attemptLimits(context.settings) as Record<string, LimitPolicy>;
  const policy = limits[bucket];
  const results = await Promise.all(keys.map((k) => context.limiter.limit(bucket, `${scope(context)}:${k}`, policy)));
  return tooManyMessage(results);
}

/**
 * One sign-in attempt under the limits: refused (with the message) once this
 * address, or this address for this account, has used its attempts; otherwise
 * `attempt` runs, and a success (not null) clears the address-and-account count.
 */
export async function limitedSignIn<T>(
  context: AppLoadContext,
  account: string,
  attempt: () => Promise<T | null>,
): Promise<{ limited: string } | { limited: null; result: T | null }> {
  const limits = attemptLimits(context.settings);
  const address = { bucket: "signin:address", key: `${scope(context)}:${context.clientIp}`, policy: limits["signin:address"] };
  const pair = { bucket: "signin:address-account", key: `${scope(context)}:${context.clientIp}:${account.toLowerCase()}`, policy: limits["signin:address-account"] };
  const limited = tooManyMessage(await Promise.all([address, pair].map((k) => context.limiter.limit(k.bucket, k.key, k.policy))));
  if (limited) return { limited };
  const result = await attempt();
  if (result !== null) await context.limiter.reset(pair.bucket, pair.key, pair.policy);
  return { limited: null, result };
}

/**
 * An email the school is asked to send to someone else (an invitation, an
 * enrollment form's emails): limited per asking account (or, for a visitor, per
 * address), per recipient, and per school. Null when allowed, else the message.
 */
export async function limitInvitation(
  context: AppLoadContext,
  who: { accountId: string; recipients: string[] } | { visitor: true; recipients: string[] },
): Promise<string | null> {
  const recipients = [...new Set(who.recipients.map((r) => r.toLowerCase()))];
  const first =
    "accountId" in who
      ? await checkRateLimit(context, "invite:account", [who.accountId])
      : await checkRateLimit(context, "enroll:address", [`ip:${context.clientIp}`]);
  if (first) return first;
  const school = await checkRateLimit(context, "accountId" in who ? "invite:school" : "enroll:school", ["school"]);
  if (school) return school;
  return recipients.length ? checkRateLimit(context, "invite:recipient", recipients) : null;
}
