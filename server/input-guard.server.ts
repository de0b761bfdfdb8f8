// Input at the boundary, in one place for every route: before anything of the app
// sees a request,
// - the path and the query string must decode to text without control characters
//   (a NUL byte reaches PostgreSQL, which refuses it; a tab or newline in a path is
//   never meant) — otherwise 400;
// - a body (POST, PUT, PATCH, DELETE) must be a form: urlencoded or multipart —
//   otherwise 415 (every action reads `request.formData()`, which throws on JSON or
//   text); it must be readable as that form — otherwise 400; it must fit the size
//   limit — otherwise 413;
// - no field name or text value may hold a control character other than tab, CR
//   and LF (which textareas send) — otherwise 400. Files are not inspected here:
//   the routes that take them check their contents.
// Each refusal carries a sentence a person can act on, as a small HTML page for a
// browser or plain text for anything else. The body is read once here and handed
// on, so the route reads exactly what was checked.
import type { Context, MiddlewareHandler } from "hono";

export interface InputGuardOptions {
  /** Largest body accepted, in bytes (uploads included). */
  maxBodyBytes: number;
  /** Larger limits for the few paths that take large files (matched on the path). */
  largeBodies?: readonly { path: RegExp; maxBodyBytes: number }[];
}

/** Default body limit: above every route's own limit (a 2 MB roster file, a 1 MB logo), so those routes explain themselves. */
export const MAX_BODY_BYTES = 8_000_000;

/**
 * Sharing a learning resource takes a file of up to 40 MB (app/domain/resources.ts,
 * FILE_RULES): its forms get a little more, so the route explains its own limits.
 */
export const LARGE_BODIES = [{ path: /^\/(?:teach|admin)\/resources\/(?:new|[A-Za-z0-9_-]+\/edit)$/, maxBodyBytes: 42_000_000 }] as const;

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

// eslint-disable-next-line no-control-regex
const CONTROL_IN_ADDRESS = /[\u0000-\u001F\u007F]/;
// eslint-disable-next-line no-control-regex
const CONTROL_IN_FORM = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export function inputGuard(opts: InputGuardOptions = { maxBodyBytes: MAX_BODY_BYTES, largeBodies: LARGE_BODIES }): MiddlewareHandler {
  return async (c, next) => {
    const addressProblem = checkAddress(c.req.url);
    if (addressProblem) return refuse(c, 400, "This address cannot be opened", addressProblem);

    const method = c.req.method;
    if (method === "GET" || method === "HEAD" || method === "OPTIONS") return next();

    const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (!FORM_TYPES.includes(type)) {
      return refuse(
        c,
        415,
        "This was not sent by a form",
        "This address only accepts what its forms send (application/x-www-form-urlencoded or multipart/form-data). Go back to the page and use its form.",
      );
    }

    const path = new URL(c.req.url).pathname;
    const maxBodyBytes = opts.largeBodies?.find((l) => l.path.test(path))?.maxBodyBytes ?? opts.maxBodyBytes;
    const body = await readLimited(c.req.raw, maxBodyBytes);
    if (body === "too-large") {
      return refuse(c, 413, "That is too much at once", `The form is too large (over ${formatBytes(maxBodyBytes)}). Send less at a time, or a smaller file.`);
    }

    let form: FormData;
    try {
      form = await new Response(body, { headers: { "content-type": c.req.header("content-type")! } }).formData();
    } catch {
      return refuse(c, 400, "The form could not be read", "The form could not be read. Reload the page and try again.");
    }
    for (const [name, value] of form) {
      const bad = CONTROL_IN_FORM.test(name) ? name : typeof value === "string" && CONTROL_IN_FORM.test(value) ? name : null;
      if (bad !== null) {
        return refuse(
          c,
          400,
          "Some of what was typed cannot be saved",
          `“${printable(bad)}” holds characters that cannot be typed or saved (such as a NUL byte or an escape code). Remove them and try again.`,
        );
      }
    }

    // Hand the route the very bytes that were checked.
    c.req.raw = new Request(c.req.raw, { body });
    return next();
  };
}

/** Why the URL's path or query cannot be used, or null. */
export function checkAddress(rawUrl: string): string | null {
  const url = new URL(rawUrl);
  for (const segment of url.pathname.split("/")) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return "The address has a broken %-escape. Check the link and try again.";
    }
    if (CONTROL_IN_ADDRESS.test(decoded)) return "The address holds characters that cannot be part of it (such as a NUL byte or a line break). Check the link and try again.";
  }
  for (const [key, value] of url.searchParams) {
    if (CONTROL_IN_ADDRESS.test(key) || CONTROL_IN_ADDRESS.test(value)) {
      return "The address holds characters that cannot be part of it (such as a NUL byte or a line break). Check the link and try again.";
    }
  }
  return null;
}

/** The whole body, or "too-large" as soon as it passes `max` bytes (declared or streamed). */
async function readLimited(request: Request, max: number): Promise<Uint8Array<ArrayBuffer> | "too-large"> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > max) return "too-large";
  if (!request.body) return new Uint8Array(new ArrayBuffer(0));
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return "too-large";
    }
    chunks.push(value);
  }
  const body = new Uint8Array(new ArrayBuffer(size));
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function refuse(c: Context, status: 400 | 413 | 415, title: string, message: string): Response {
  const headers = { "Cache-Control": "no-store" };
  if ((c.req.header("accept") ?? "").includes("text/html")) {
    const html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head><body><main role="alert"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="/">Back to the start page</a></p></main></body></html>`;
    return c.html(html, status, headers);
  }
  return c.text(`${message}\n`, status, headers);
}

/** A field name as it can be shown: controls as visible escapes, and never long. */
function printable(name: string): string {
  // eslint-disable-next-line no-control-regex
  const shown = name.replace(/[\u0000-\u001F\u007F]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return shown.length > 60 ? `${shown.slice(0, 57)}…` : shown;
}

function formatBytes(bytes: number): string {
  return bytes >= 1_000_000 ? `${Math.round(bytes / 100_000) / 10} MB` : `${Math.round(bytes / 1000)} kB`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
}
