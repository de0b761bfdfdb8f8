// Attempt limits for sign-in and password reset, through @upstash/ratelimit.
// With UPSTASH_REDIS_REST_URL the counts live in Upstash Redis (shared by every
// server); without it, an in-process fixed window does the counting.
import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";

export interface LimitResult {
  success: boolean;
  remaining: number;
  /** Unix ms when the window resets. */
  reset: number;
}

export interface RateLimiter {
  /** Counts one attempt for `key` in the named bucket. */
  limit(bucket: string, key: string): Promise<LimitResult>;
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
  const bucket = (name: string) => {
    let l = limiters.get(name);
    if (!l) {
      l = new Ratelimit({
        redis,
        prefix: `encore:${name}`,
        limiter: opts.upstashUrl
          ? Ratelimit.fixedWindow(opts.tokens, `${opts.windowSeconds} s`)
          : inProcessFixedWindow(opts.tokens, opts.windowSeconds * 1000),
        analytics: false,
        ephemeralCache: false,
      });
      limiters.set(name, l);
    }
    return l;
  };
  return {
    async limit(name, key) {
      const r = await bucket(name).limit(key);
      return { success: r.success, remaining: r.remaining, reset: r.reset };
    },
  };
}
