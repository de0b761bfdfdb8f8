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
import type { Context, MiddlewareHandler } from "hono";

interface Entry {
  at: number;
  status: number;
  headers: [string, string][];
  /**
   * The page as UTF-8 bytes, cut where its CSP nonce was (hono/secure-headers): served
   * again, the pieces are joined around the response's own nonce. Bytes, not a string:
   * a hit is one copy, with no re-encoding and nothing on the JavaScript heap.
   */
  parts: Buffer[];
  /** The CSP nonce the page was rendered with, if any (null: one part). */
  nonce: string | null;
}

/** The kept page's bytes with `nonce` where its own was. */
function bodyWith(entry: Entry, nonce: string | null): Uint8Array<ArrayBuffer> {
  const glue = Buffer.from(nonce ?? entry.nonce ?? "");
  const bytes = entry.parts.length === 1 ? entry.parts[0]! : Buffer.concat(entry.parts.flatMap((part, i) => (i === 0 ? [part] : [glue, part])));
  // (Buffer.from and Buffer.concat allocate from ArrayBuffers, never shared memory)
  return bytes as Uint8Array<ArrayBuffer>;
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
  const nonce = entry.nonce ? freshNonce() : null;
  if (entry.nonce && nonce) {
    for (const name of CSP_HEADERS) {
      const value = headers.get(name);
      if (value) headers.set(name, value.replaceAll(`'nonce-${entry.nonce}'`, `'nonce-${nonce}'`));
    }
  }
  return new Response(bodyWith(entry, nonce), { status: entry.status, headers });
}

export interface PageCache {
  middleware: MiddlewareHandler;
  clear(): void;
}

/** A rendered response worth keeping: a 200 page (or single-fetch data) that sets no cookie. */
async function keepable(res: Response, nonce: string | null, types: readonly string[]): Promise<Omit<Entry, "at"> | null> {
  const type = res.headers.get("content-type") ?? "";
  if (res.status !== 200 || res.headers.has("set-cookie") || !types.some((t) => type.startsWith(t))) return null;
  const body = await res.clone().text();
  const parts = (nonce ? body.split(nonce) : [body]).map((part) => Buffer.from(part));
  return { status: res.status, headers: [...res.headers].filter(([name]) => name !== "content-length"), parts, nonce };
}

/**
 * One render per key at a time: requests that miss while a page is being rendered
 * wait for it and get its result. `render` returns the entry to share (null: not
 * cacheable, the waiters render their own).
 */
function singleFlight() {
  const rendering = new Map<string, Promise<Entry | null>>();
  return {
    waitFor: (key: string) => rendering.get(key),
    async run(key: string, render: () => Promise<Entry | null>): Promise<void> {
      let settle: (entry: Entry | null) => void = () => {};
      const mine = new Promise<Entry | null>((resolve) => (settle = resolve));
      rendering.set(key, mine);
      let entry: Entry | null = null;
      try {
        entry = await render();
      } finally {
        if (rendering.get(key) === mine) rendering.delete(key);
        settle(entry);
      }
    },
    clear: () => rendering.clear(),
  };
}

/**
 * `paths`: pages that are the same for every visitor who is not signed in and do
 * not depend on the query string (it is not part of the key).
 */
export function anonymousPageCache(opts: { ttlMs: number; paths: string[]; sessionCookies: string[]; maxEntries?: number }): PageCache {
  const entries = new Map<string, Entry>();
  const flights = singleFlight();
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

    const inFlight = flights.waitFor(key);
    if (inFlight) {
      const entry = await inFlight;
      // The render was not cacheable (an error page, a cookie): render our own.
      return entry ? replay(entry) : next();
    }
    const startedIn = generation;
    await flights.run(key, async () => {
      await next();
      const nonce = (c.var as { secureHeadersNonce?: string }).secureHeadersNonce || null;
      const kept = await keepable(c.res, nonce, ["text/html"]);
      if (!kept) return null;
      const entry = { ...kept, at: Date.now() };
      // A page rendered before a clear() may show what the school just changed: serve it to
      // this request and its waiters, but do not keep it.
      if (generation === startedIn) {
        if (entries.size >= max) entries.clear();
        entries.set(key, entry);
      }
      return entry;
    });
  };
  return {
    middleware,
    clear: () => {
      generation++;
      entries.clear();
      // Requests from now on wait for no render that started before the change.
      flights.clear();
    },
  };
}

// ---- signed-in pages --------------------------------------------------------------

/** What the signed-in cache needs of server/db/school-changes.server.ts. */
export interface ChangeFeed {
  readonly listening: boolean;
  readonly versions: { of(schoolId: string): string; changed(schoolId: string): void };
}

interface SignedInEntry extends Entry {
  version: string;
  bytes: number;
}

/**
 * Pages people reopen all day (the admin's calendar, a teacher's day, a family's
 * page), kept per signed-in visitor: the key is the school, the address with its
 * query string, and the whole Cookie header (so the session, and anything else a
 * cookie changes, is part of it). A kept page is served only while nothing of its
 * school has changed since its render began (`changes`: the database notifies every
 * committed write, and every request of the school other than GET/HEAD counts as a
 * change as soon as it is answered), for at most `ttlMs` (the pages show "today" and
 * what comes next, and a session that ended by its own expiry is not seen here), and
 * only while the database's notifications reach us. Anything else: rendered as ever.
 *
 * It sits inside secureHeaders: a page from the cache gets this request's CSP nonce,
 * written where the kept page had its own, and this request's security headers. A
 * hard reload (`Cache-Control: no-cache`) renders afresh.
 */
export function signedInPageCache(opts: {
  ttlMs: number;
  /** Pages (their single-fetch data, `<path>.data`, too). */
  paths: string[];
  sessionCookie: string;
  changes: ChangeFeed;
  /** The request's school (resolved from the host before this middleware), or null. */
  schoolOf: (c: Context) => string | null;
  /** Bytes of pages kept at most; the oldest go first. */
  maxBytes?: number;
}): PageCache {
  const entries = new Map<string, SignedInEntry>();
  const flights = singleFlight();
  const paths = new Set(opts.paths.flatMap((p) => [p, `${p === "/" ? "/_root" : p}.data`]));
  const maxBytes = opts.maxBytes ?? 32 * 1024 * 1024;
  let bytes = 0;
  const drop = (key: string) => {
    const old = entries.get(key);
    if (!old) return;
    bytes -= old.bytes;
    entries.delete(key);
  };
  const keep = (key: string, entry: SignedInEntry) => {
    drop(key);
    if (entry.bytes > maxBytes) return;
    while (bytes + entry.bytes > maxBytes) drop(entries.keys().next().value as string);
    entries.set(key, entry);
    bytes += entry.bytes;
  };
  const nonceOf = (c: Context) => (c.var as { secureHeadersNonce?: string }).secureHeadersNonce || null;
  /** The kept page with this request's nonce (its security headers are set around us). */
  const serve = (c: Context, entry: Entry) => {
    const headers = new Headers(entry.headers);
    headers.set("x-encore-cache", "hit");
    return new Response(bodyWith(entry, nonceOf(c)), { status: entry.status, headers });
  };

  const middleware: MiddlewareHandler = async (c, next) => {
    const school = opts.schoolOf(c);
    if (!school) return next();
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      // A form, an upload, a webhook: whatever it wrote is visible once it is answered.
      try {
        await next();
      } finally {
        opts.changes.versions.changed(school);
      }
      return;
    }
    if (c.req.method !== "GET" || !paths.has(c.req.path) || !opts.changes.listening) return next();
    const cookie = c.req.header("cookie") ?? "";
    if (!cookie.includes(`${opts.sessionCookie}=`)) return next();
    const url = new URL(c.req.url);
    const key = `${school}\n${url.pathname}${url.search}\n${cookie}`;
    const version = opts.changes.versions.of(school);
    const fresh = (entry: SignedInEntry | null | undefined): entry is SignedInEntry =>
      !!entry && entry.version === opts.changes.versions.of(school) && Date.now() - entry.at < opts.ttlMs;

    if (!/no-cache/i.test(c.req.header("cache-control") ?? "")) {
      const hit = entries.get(key);
      if (fresh(hit)) return serve(c, hit);
      drop(key);
      const inFlight = flights.waitFor(key);
      if (inFlight) {
        const entry = (await inFlight) as SignedInEntry | null;
        if (fresh(entry)) return serve(c, entry);
        return next();
      }
    }
    await flights.run(key, async () => {
      await next();
      const kept = await keepable(c.res, nonceOf(c), ["text/html", "text/x-script"]);
      if (!kept) return null;
      // The version the render began at: a change during the render makes it stale at once.
      const entry: SignedInEntry = { ...kept, at: Date.now(), version, bytes: kept.parts.reduce((n, part) => n + part.length, 0) };
      if (opts.changes.listening) keep(key, entry);
      return entry;
    });
  };
  return {
    middleware,
    clear: () => {
      entries.clear();
      bytes = 0;
      flights.clear();
    },
  };
}
