// File storage for school images (logos). One interface, two stores:
// - UploadThing (UTApi from "uploadthing/server") when UPLOADTHING_TOKEN is set;
//   UPLOADTHING_API_URL / UPLOADTHING_INGEST_URL point it elsewhere (tests);
// - otherwise a local folder, `${DATA_DIR}/uploads`, served by the Hono app at
//   /uploads/<schoolId>/<file>.
// Keys are namespaced by school ("<schoolId>/<name>"). Only PNG, JPEG and WebP
// images up to 1 MB are stored; the type is read from the bytes themselves (the
// client's claim is ignored), and SVG is refused (it can carry scripts).
//
// Private files (learning resources: PDFs, audio, MP4) are a second namespace that no
// public route serves: `${DATA_DIR}/private/<schoolId>/…` locally (outside the
// /uploads folder), or UploadThing files with the "private" ACL. They are read back
// only by the server (`readPrivate`, with a byte range), which streams them to a
// viewer whose signed URL and session it has checked (app/routes/files.resources.*).
import { createReadStream } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import type { Context } from "hono";
import { UTApi, UTFile } from "uploadthing/server";
import { FILE_TYPES, type FileMime } from "../../app/domain/resources";

export const MAX_UPLOAD_BYTES = 1_000_000;

export const IMAGE_TYPES = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
} as const;

export type ImageType = keyof typeof IMAGE_TYPES;

const CONTENT_TYPE_BY_EXTENSION: Record<string, ImageType> = { png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", webp: "image/webp" };

/** A refusal to show the person (wrong type, too large, bad key). */
export class StorageError extends Error {
  constructor(
    message: string,
    readonly reason: "too-large" | "not-an-image" | "svg" | "bad-key" | "upload-failed",
  ) {
    super(message);
    this.name = "StorageError";
  }
}

/**
 * Whether `error` is a StorageError. Use this, not `instanceof`: the storage object
 * is created by the server bundle, while routes live in the Remix build, and each
 * has its own copy of the class.
 */
export function isStorageError(error: unknown): error is StorageError {
  return error instanceof StorageError || (error instanceof Error && error.name === "StorageError" && typeof (error as StorageError).reason === "string");
}

export interface Storage {
  readonly kind: "uploadthing" | "local";
  /**
   * Stores `bytes` under `key` ("<schoolId>/<name>"; the extension is set from the
   * sniffed type). `contentType` is the client's claim: recorded nowhere, trusted
   * for nothing. Returns the public URL.
   */
  put(key: string, bytes: Uint8Array, contentType?: string): Promise<{ url: string; contentType: ImageType }>;
  /** Local store only: a stored file by key, for serving it. */
  read(key: string): Promise<{ bytes: Uint8Array<ArrayBuffer>; contentType: ImageType } | null>;
  /**
   * Stores a private file (its type already checked: app/domain/resources.ts) under
   * "<schoolId>/<name>"; returns the key to read it back with. Never a public URL.
   */
  putPrivate(key: string, bytes: Uint8Array, mime: FileMime): Promise<{ key: string }>;
  /** A private file's bytes (the whole file, or `range`), or null when it is not there. */
  readPrivate(key: string, mime: FileMime, range?: ByteRange | null): Promise<PrivateFile | null>;
  deletePrivate(key: string): Promise<void>;
}

/** Inclusive byte offsets, as in an HTTP Range header; `end` null: to the end. */
export interface ByteRange {
  start: number;
  end: number | null;
}

export interface PrivateFile {
  /** The whole file's size. */
  size: number;
  /** The bytes sent: [start, end] inclusive (the whole file when no range was asked). */
  start: number;
  end: number;
  body: ReadableStream<Uint8Array>;
}

/**
 * The one range of a `Range: bytes=…` header, resolved against `size`; null for no
 * header or one we do not serve (several ranges: the whole file is sent instead);
 * "unsatisfiable" for a range past the end (416).
 */
export function parseRange(header: string | null, size: number): ByteRange | null | "unsatisfiable" {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (!m[1] && !m[2])) return null;
  if (!m[1]) {
    // The last N bytes.
    const n = Number(m[2]);
    if (n === 0) return "unsatisfiable";
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
  if (start >= size || end < start) return "unsatisfiable";
  return { start, end };
}

const PRIVATE_KEY = /^([A-Za-z0-9_-]{1,64})\/([A-Za-z0-9_-][A-Za-z0-9_-]{0,99})\.([a-z0-9]{2,4})$/;

/** "<schoolId>/<name>.<ext of mime>" from "<schoolId>/<name>". */
export function privateKey(key: string, mime: FileMime): string {
  const m = /^([A-Za-z0-9_-]{1,64})\/([A-Za-z0-9_-]{1,100})$/.exec(key);
  if (!m) throw new StorageError("That file name cannot be used.", "bad-key");
  return `${m[1]}/${m[2]}.${FILE_TYPES[mime].ext}`;
}

/** What the first bytes say the file is. */
export function sniffType(bytes: Uint8Array): ImageType | "image/svg+xml" | "image/gif" | null {
  const b = bytes;
  const starts = (...sig: number[]) => sig.every((v, i) => b[i] === v);
  if (b.length >= 8 && starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (b.length >= 3 && starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (b.length >= 12 && starts(0x52, 0x49, 0x46, 0x46) && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50) return "image/webp";
  if (b.length >= 6 && starts(0x47, 0x49, 0x46, 0x38)) return "image/gif";
  // SVG is text: look for an <svg element near the start (after an XML prolog, comments, BOM).
  const head = new TextDecoder("utf-8", { fatal: false }).decode(b.subarray(0, 1024)).replace(/^\ufeff/, "").trimStart().toLowerCase();
  if (head.startsWith("<svg") || ((head.startsWith("<?xml") || head.startsWith("<!--") || head.startsWith("<!doctype")) && head.includes("<svg"))) return "image/svg+xml";
  return null;
}

/** Checks an upload and decides its type; throws StorageError with a message for people. */
export function checkImage(bytes: Uint8Array): ImageType {
  if (bytes.byteLength === 0) throw new StorageError("The file is empty.", "not-an-image");
  if (bytes.byteLength > MAX_UPLOAD_BYTES) throw new StorageError(`The image is larger than 1 MB (${(bytes.byteLength / 1_000_000).toFixed(1)} MB). Use a smaller one.`, "too-large");
  const type = sniffType(bytes);
  if (type === "image/svg+xml") throw new StorageError("SVG images are not accepted (they can contain scripts). Use a PNG, JPEG or WebP image.", "svg");
  if (type === null || type === "image/gif") throw new StorageError("That file is not a PNG, JPEG or WebP image.", "not-an-image");
  return type;
}

const KEY = /^([A-Za-z0-9_-]{1,64})\/([A-Za-z0-9_-][A-Za-z0-9._-]{0,99})$/;

/** "<schoolId>/<name>[.ext]" with the extension of `type`. */
export function normalizeKey(key: string, type: ImageType): { schoolId: string; file: string } {
  const m = KEY.exec(key);
  if (!m || key.includes("..")) throw new StorageError("That file name cannot be used.", "bad-key");
  const base = m[2]!.replace(/\.[A-Za-z0-9]{1,5}$/, "");
  return { schoolId: m[1]!, file: `${base}.${IMAGE_TYPES[type]}` };
}

export class LocalStorage implements Storage {
  readonly kind = "local" as const;
  /** `root`: public images (served at /uploads); `privateRoot`: private files, never served as such. */
  constructor(
    readonly root: string,
    readonly privateRoot: string = path.join(path.dirname(root), "private"),
  ) {}

  async putPrivate(key: string, bytes: Uint8Array, mime: FileMime): Promise<{ key: string }> {
    const full = privateKey(key, mime);
    const [schoolId, file] = full.split("/") as [string, string];
    const dir = path.join(this.privateRoot, schoolId);
    await mkdir(dir, { recursive: true });
    const tmp = path.join(dir, `.${file}.${process.pid}.tmp`);
    await writeFile(tmp, bytes);
    await rename(tmp, path.join(dir, file));
    return { key: full };
  }

  private privatePath(key: string): string | null {
    const m = PRIVATE_KEY.exec(key);
    return m ? path.join(this.privateRoot, m[1]!, `${m[2]}.${m[3]}`) : null;
  }

  async readPrivate(key: string, _mime: FileMime, range?: ByteRange | null): Promise<PrivateFile | null> {
    const file = this.privatePath(key);
    if (!file) return null;
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch {
      return null;
    }
    const start = range?.start ?? 0;
    const end = range ? (range.end ?? size - 1) : size - 1;
    const stream = createReadStream(file, { start, end });
    return { size, start, end, body: Readable.toWeb(stream) as ReadableStream<Uint8Array> };
  }

  async deletePrivate(key: string): Promise<void> {
    const file = this.privatePath(key);
    if (file) await rm(file, { force: true });
  }

  async put(key: string, bytes: Uint8Array, _claimedType?: string): Promise<{ url: string; contentType: ImageType }> {
    const contentType = checkImage(bytes);
    const { schoolId, file } = normalizeKey(key, contentType);
    const dir = path.join(this.root, schoolId);
    await mkdir(dir, { recursive: true });
    // Written aside, then renamed: a reader never sees half a file.
    const tmp = path.join(dir, `.${file}.${process.pid}.tmp`);
    await writeFile(tmp, bytes);
    await rename(tmp, path.join(dir, file));
    return { url: `/uploads/${schoolId}/${file}`, contentType };
  }

  async read(key: string): Promise<{ bytes: Uint8Array<ArrayBuffer>; contentType: ImageType } | null> {
    const m = KEY.exec(key);
    if (!m || key.includes("..")) return null;
    const ext = /\.([a-z]+)$/.exec(m[2]!)?.[1] ?? "";
    const contentType = CONTENT_TYPE_BY_EXTENSION[ext];
    if (!contentType) return null;
    try {
      const bytes = await readFile(path.join(this.root, m[1]!, m[2]!));
      return { bytes: new Uint8Array(bytes), contentType };
    } catch {
      return null;
    }
  }
}

export class UploadThingStorage implements Storage {
  readonly kind = "uploadthing" as const;
  private readonly api: UTApi;

  private readonly fetchFn: typeof fetch;

  constructor(opts: { token: string; apiUrl?: string; ingestUrl?: string; ufsHost?: string; fetch?: typeof fetch }) {
    this.fetchFn = opts.fetch ?? fetch;
    this.api = new UTApi({
      token: opts.token,
      ...(opts.apiUrl ? { apiUrl: opts.apiUrl } : {}),
      ...(opts.ingestUrl ? { ingestUrl: opts.ingestUrl } : {}),
      ...(opts.ufsHost ? { ufsHost: opts.ufsHost, ufsAppIdLocation: "path" as const } : {}),
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
      logLevel: "Error",
    });
  }

  /** Uploaded with the "private" ACL: UploadThing serves it only on a URL signed with our API key. */
  async putPrivate(key: string, bytes: Uint8Array, mime: FileMime): Promise<{ key: string }> {
    const full = privateKey(key, mime);
    const upload = new UTFile([new Uint8Array(bytes)], full.replace("/", "-"), { type: mime, customId: full });
    let result: { data: { key: string } | null; error: { message?: string } | null };
    try {
      result = await this.api.uploadFiles(upload, { acl: "private", contentDisposition: "inline" });
    } catch (error) {
      throw new StorageError(`The file could not be stored: ${(error as Error).message}`, "upload-failed");
    }
    if (result.error || !result.data) throw new StorageError(`The file could not be stored${result.error?.message ? `: ${result.error.message}` : "."}`, "upload-failed");
    return { key: result.data.key };
  }

  /** Fetched by the server on a one-minute signed URL, never handed to the browser. */
  async readPrivate(key: string, _mime: FileMime, range?: ByteRange | null): Promise<PrivateFile | null> {
    const { ufsUrl } = await this.api.generateSignedURL(key, { expiresIn: 60 });
    const response = await this.fetchFn(ufsUrl, { headers: range ? { Range: `bytes=${range.start}-${range.end ?? ""}` } : {} });
    if (response.status === 404 || !response.body) return null;
    if (!response.ok) throw new StorageError(`The file could not be read (${response.status}).`, "upload-failed");
    const total = /\/(\d+)$/.exec(response.headers.get("content-range") ?? "")?.[1];
    const length = Number(response.headers.get("content-length") ?? "0");
    if (response.status === 206 && total) {
      const m = /bytes (\d+)-(\d+)/.exec(response.headers.get("content-range")!)!;
      return { size: Number(total), start: Number(m[1]), end: Number(m[2]), body: response.body };
    }
    return { size: length, start: 0, end: length - 1, body: response.body };
  }

  async deletePrivate(key: string): Promise<void> {
    await this.api.deleteFiles(key).catch(() => {});
  }

  async put(key: string, bytes: Uint8Array, _claimedType?: string): Promise<{ url: string; contentType: ImageType }> {
    const contentType = checkImage(bytes);
    const { schoolId, file } = normalizeKey(key, contentType);
    const upload = new UTFile([new Uint8Array(bytes)], `${schoolId}-${file}`, { type: contentType, customId: `${schoolId}/${file}` });
    let result: { data: { ufsUrl: string } | null; error: { message?: string } | null };
    try {
      result = await this.api.uploadFiles(upload);
    } catch (error) {
      throw new StorageError(`The image could not be stored: ${(error as Error).message}`, "upload-failed");
    }
    if (result.error || !result.data) {
      throw new StorageError(`The image could not be stored${result.error?.message ? `: ${result.error.message}` : "."}`, "upload-failed");
    }
    return { url: result.data.ufsUrl, contentType };
  }

  async read(_key: string): Promise<null> {
    return null; // UploadThing serves its files itself.
  }
}

export function createStorage(opts: { dataDir: string; uploadthingToken?: string; uploadthingApiUrl?: string; uploadthingIngestUrl?: string; uploadthingUfsHost?: string }): Storage {
  if (opts.uploadthingToken) {
    return new UploadThingStorage({ token: opts.uploadthingToken, apiUrl: opts.uploadthingApiUrl, ingestUrl: opts.uploadthingIngestUrl, ufsHost: opts.uploadthingUfsHost });
  }
  return new LocalStorage(path.resolve(opts.dataDir, "uploads"), path.resolve(opts.dataDir, "private"));
}

/** Hono handler for GET/HEAD /uploads/<schoolId>/<file> (the local store). */
export function uploadsHandler(storage: Storage) {
  return async (c: Context) => {
    let key: string;
    try {
      key = decodeURIComponent(c.req.path.replace(/^\/uploads\//, ""));
    } catch {
      return c.text("Not found", 404);
    }
    const found = await storage.read(key);
    if (!found) return c.text("Not found", 404);
    const headers = {
      "Content-Type": found.contentType,
      "Content-Length": String(found.bytes.byteLength),
      // Names are never reused (each upload gets a new one).
      "Cache-Control": "public, max-age=31536000, immutable",
    };
    return c.req.method === "HEAD" ? c.body(null, 200, headers) : c.body(found.bytes, 200, headers);
  };
}
