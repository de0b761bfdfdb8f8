/**
 * Where to send someone after signing in: only a path on `origin` (the address the
 * request came to). The value is parsed as a URL against the origin, exactly as a
 * browser reads a Location header (it drops tabs and newlines, turns `\` into `/`,
 * and takes `//host` as another site), and refused unless it stays on the origin.
 * What is returned is the parsed path, query and fragment, so nothing a browser
 * would reinterpret is passed on.
 */
export function safeRedirectTo(to: FormDataEntryValue | string | null | undefined, origin: string, fallback = "/dashboard"): string {
  if (typeof to !== "string" || !to.startsWith("/")) {
    // A full URL of this very origin is fine; anything else that is not a path is not.
    if (typeof to !== "string" || !to.startsWith(`${origin}/`)) return fallback;
  }
  let url: URL;
  let base: URL;
  try {
    base = new URL(origin);
    url = new URL(to, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base.origin) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // The parser percent-encodes what it keeps, but a path must still start with one slash.
  if (!/^\/(?![/\\])/.test(path)) return fallback;
  return path;
}
