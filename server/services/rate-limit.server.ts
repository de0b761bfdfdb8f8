// Attempt limits (sign-in, password reset, enrollment, invitations), through
// @upstash/ratelimit. With UPSTASH_REDIS_REST_URL the counts live in Upstash Redis
// (shared by every server); without it, an in-process fixed window does the
// counting. Each bucket has the default policy (RATE_LIMIT_SIGNIN attempts per
// RATE_LIMIT_WINDOW_SECONDS) unless the caller names its own.
import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";

export interface LimitResult {
  success: boolean;
  remaining: number;
  /** Unix ms when the window resets. */
  reset: number;
}

/** How many attempts per window a bucket allows. */
export interface LimitPolicy {
  tokens: number;
  windowSeconds: number;
}

export interface RateLimiter {
  /** Counts one attempt for `key` in the named bucket. */
  limit(bucket: string, key: string, policy?: LimitPolicy): Promise<LimitResult>;
  /** Forgets the attempts counted for `key` in the named bucket. */
  reset(bucket: string, key: string, policy?: LimitPolicy): Promise<void>;
}

type Algorithm = ConstructorParameters<typeof Ratelimit>[0]["limiter"];

/** A fixed-window limiter kept in this process's memory, in Ratelimit's algorithm shape. */
export function inProcessFixedWindow(tokens: number, windowMs: number): Algorithm {
  const windows = new Map<string, { start: number; count: number }>();
  const current = (identifier: string, now: number) => {
    const start = Math.floor(now / windowMs) * windowMs;
    let w = windows.get(identifier);
    if (!w || w.start !== start) {
      w = { start, count: 0 };
      windows.set(identifier, w);
      if (windows.size > 50_000) {
        for (const [k, v] of windows) if (v.start < start) windows.delete(k);
      }
    }
    return w;
  };
  return () => ({
    async limit(_ctx, identifier, rate = 1) {
      const now = Date.now();
      const w = current(identifier, now);
      w.count += rate;
      const success = w.count <= tokens;
      return { success, limit: tokens, remaining: Math.max(0, tokens - w.count), reset: w.start + windowMs, pending: Promise.resolve() };
    },
    async getRemaining(_ctx, identifier) {
      const now = Date.now();
      const w = current(identifier, now);
      return { remaining: Math.max(0, tokens - w.count), reset: w.start + windowMs, limit: tokens };
    },
    async resetTokens(_ctx, identifier) {
      windows.delete(identifier);
    },
  });
}

export function createRateLimiter(opts: {
  tokens: number;
  windowSeconds: number;
  upstashUrl?: string;
  upstashToken?: string;
}): RateLimiter {
  const limiters = new Map<string, Ratelimit>();
  const redis = opts.upstashUrl
    ? new Redis({ url: opts.upstashUrl, token: opts.upstashToken ?? "" })
    : // Never called: the in-process algorithm keeps its own counts.
      (Object.create(null) as Redis);
  const bucket = (name: string, policy: LimitPolicy) => {
    const id = `${name}:${policy.tokens}/${policy.windowSeconds}`;
    let l = limiters.get(id);
    if (!l) {
      l = new Ratelimit({
        redis,
        prefix: `encore:${name}`,
        limiter: opts.upstashUrl
          ? Ratelimit.fixedWindow(policy.tokens, `${policy.windowSeconds} s`)
          : inProcessFixedWindow(policy.tokens, policy.windowSeconds * 1000),
        analytics: false,
        ephemeralCache: false,
      });
      limiters.set(id, l);
    }
    return l;
  };
  const fallback: LimitPolicy = { tokens: opts.tokens, windowSeconds: opts.windowSeconds };
  return {
    async limit(name, key, policy = fallback) {
      const r = await bucket(name, policy).limit(key);
      return { success: r.success, remaining: r.remaining, reset: r.reset };
    },
    async reset(name, key, policy = fallback) {
      await bucket(name, policy).resetUsedTokens(key);
    },
  };
}
