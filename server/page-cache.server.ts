// A micro-cache for public pages seen by visitors who are not signed in (a school's
// landing page): the first request renders, the next ones within `ttlMs` get the
// same page and headers. It sits outside every other middleware, so a cached page
// keeps the security headers it was rendered with, except its CSP nonce: each
// response served from the cache gets a fresh one, written into the header and the
// page alike (a nonce is only worth anything if no two responses share it).
// Anything signed in, any Set-Cookie, anything but a 200 HTML page is never cached.
//
// One render per page and expiry: requests that miss while the page is being
// rendered wait for that render and are served its result (single flight), so a
// crowd arriving on an expired page costs one render, not one each. The key is the
// host and the path only: the cached paths' pages do not read the query string, so
// `/?utm_source=…`, `/?gclid=…` and the like are the same page (and no query string
// can be used to force a render per request).
import type { MiddlewareHandler } from "hono";

interface Entry {
  at: number;
  status: number;
  headers: [string, string][];
  body: string;
  /** The CSP nonce the page was rendered with (hono/secure-headers), if any. */
  nonce: string | null;
}

const CSP_HEADERS = ["content-security-policy", "content-security-policy-report-only"];

/** 128 random bits, base64: the same form as hono/secure-headers' nonces. */
function freshNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

/** A response from a cached page, with a nonce of its own. */
function replay(entry: Entry): Response {
  const headers = new Headers(entry.headers);
  headers.set("x-encore-cache", "hit");
  let body = entry.body;
  if (entry.nonce) {
    const nonce = freshNonce();
    body = body.replaceAll(entry.nonce, nonce);
    for (const name of CSP_HEADERS) {
      const value = headers.get(name);
      if (value) headers.set(name, value.replaceAll(`'nonce-${entry.nonce}'`, `'nonce-${nonce}'`));
    }
  }
  return new Response(body, { status: entry.status, headers });
}

export interface PageCache {
  middleware: MiddlewareHandler;
  clear(): void;
}

/**
 * `paths`: pages that are the same for every visitor who is not signed in and do
 * not depend on the query string (it is not part of the key).
 */
export function anonymousPageCache(opts: { ttlMs: number; paths: string[]; sessionCookies: string[]; maxEntries?: number }): PageCache {
  const entries = new Map<string, Entry>();
  /** Renders in progress: the entry they will leave (null: not cacheable). */
  const rendering = new Map<string, Promise<Entry | null>>();
  let generation = 0;
  const paths = new Set(opts.paths);
  const max = opts.maxEntries ?? 1000;
  const middleware: MiddlewareHandler = async (c, next) => {
    if (c.req.method !== "GET" || !paths.has(c.req.path)) return next();
    const cookie = c.req.header("cookie") ?? "";
    if (opts.sessionCookies.some((name) => cookie.includes(`${name}=`))) return next();
    const url = new URL(c.req.url);
    const key = `${url.host.toLowerCase()}${url.pathname}`;
    const hit = entries.get(key);
    if (hit && Date.now() - hit.at < opts.ttlMs) return replay(hit);

    const inFlight = rendering.get(key);
    if (inFlight) {
      const entry = await inFlight;
      // The render was not cacheable (an error page, a cookie): render our own.
      return entry ? replay(entry) : next();
    }

    let settle: (entry: Entry | null) => void = () => {};
    const mine = new Promise<Entry | null>((resolve) => (settle = resolve));
    rendering.set(key, mine);
    const startedIn = generation;
    let entry: Entry | null = null;
    try {
      await next();
      const res = c.res;
      if (res.status === 200 && !res.headers.has("set-cookie") && (res.headers.get("content-type") ?? "").startsWith("text/html")) {
        const body = await res.clone().text();
        const nonce = (c.var as { secureHeadersNonce?: string }).secureHeadersNonce || null;
        entry = { at: Date.now(), status: res.status, headers: [...res.headers].filter(([name]) => name !== "content-length"), body, nonce };
        // A page rendered before a clear() may show what the school just changed: serve it to
        // this request and its waiters, but do not keep it.
        if (generation === startedIn) {
          if (entries.size >= max) entries.clear();
          entries.set(key, entry);
        }
      }
    } finally {
      if (rendering.get(key) === mine) rendering.delete(key);
      settle(entry);
    }
  };
  return {
    middleware,
    clear: () => {
      generation++;
      entries.clear();
      // Requests from now on wait for no render that started before the change.
      rendering.clear();
    },
  };
}
