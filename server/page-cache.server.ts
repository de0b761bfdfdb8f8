// A micro-cache for public pages seen by visitors who are not signed in (a school's
// landing page): the first request renders, the next ones within `ttlMs` get the
// same bytes and headers. It sits outside every other middleware, so a cached page
// keeps the security headers (and CSP nonce) it was rendered with. Anything signed
// in, any Set-Cookie, anything but a 200 HTML page is never cached.
import type { MiddlewareHandler } from "hono";

interface Entry {
  at: number;
  status: number;
  headers: [string, string][];
  body: ArrayBuffer;
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
      return new Response(hit.body, { status: hit.status, headers });
    }
    await next();
    const res = c.res;
    if (res.status === 200 && !res.headers.has("set-cookie") && (res.headers.get("content-type") ?? "").startsWith("text/html")) {
      const body = await res.clone().arrayBuffer();
      if (entries.size >= max) entries.clear();
      entries.set(key, { at: Date.now(), status: res.status, headers: [...res.headers], body });
    }
  };
  return { middleware, clear: () => entries.clear() };
}
