// A micro-cache for public pages seen by visitors who are not signed in (a school's
// landing page): the first request renders, the next ones within `ttlMs` get the
// same page and headers. It sits outside every other middleware, so a cached page
// keeps the security headers it was rendered with, except its CSP nonce: each
// response served from the cache gets a fresh one, written into the header and the
// page alike (a nonce is only worth anything if no two responses share it).
// Anything signed in, any Set-Cookie, anything but a 200 HTML page is never cached.
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

export interface PageCache {
  middleware: MiddlewareHandler;
  clear(): void;
}

export function anonymousPageCache(opts: { ttlMs: number; paths: string[]; sessionCookies: string[]; maxEntries?: number }): PageCache {
  const entries = new Map<string, Entry>();
  const paths = new Set(opts.paths);
  const max = opts.maxEntries ?? 1000;
  const middleware: MiddlewareHandler = async (c, next) => {
    if (c.req.method !== "GET" || !paths.has(c.req.path)) return next();
    const cookie = c.req.header("cookie") ?? "";
    if (opts.sessionCookies.some((name) => cookie.includes(`${name}=`))) return next();
    const url = new URL(c.req.url);
    const key = `${url.host.toLowerCase()}${url.pathname}${url.search}`;
    const hit = entries.get(key);
    if (hit && Date.now() - hit.at < opts.ttlMs) {
      const headers = new Headers(hit.headers);
      headers.set("x-encore-cache", "hit");
      let body = hit.body;
      if (hit.nonce) {
        const nonce = freshNonce();
        body = body.replaceAll(hit.nonce, nonce);
        for (const name of CSP_HEADERS) {
          const value = headers.get(name);
          if (value) headers.set(name, value.replaceAll(`'nonce-${hit.nonce}'`, `'nonce-${nonce}'`));
        }
      }
      return new Response(body, { status: hit.status, headers });
    }
    await next();
    const res = c.res;
    if (res.status === 200 && !res.headers.has("set-cookie") && (res.headers.get("content-type") ?? "").startsWith("text/html")) {
      const body = await res.clone().text();
      const nonce = (c.var as { secureHeadersNonce?: string }).secureHeadersNonce || null;
      if (entries.size >= max) entries.clear();
      entries.set(key, { at: Date.now(), status: res.status, headers: [...res.headers].filter(([name]) => name !== "content-length"), body, nonce });
    }
  };
  return { middleware, clear: () => entries.clear() };
}
