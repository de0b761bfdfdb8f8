// The storage service: what it accepts (sniffed from the bytes), the local folder
// and its /uploads route, and the UploadThing client against a local stand-in of
// UploadThing's ingest server (no network here).
import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkImage, createStorage, isStorageError, LocalStorage, MAX_UPLOAD_BYTES, parseRange, sniffType, StorageError, uploadsHandler, UploadThingStorage } from "./storage.server";

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);
const WEBP = new Uint8Array([0x52, 0x49, 0x46, 0x46, 0x24, 0, 0, 0, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x20]);
const GIF = new TextEncoder().encode("GIF89a....");
const SVG = new TextEncoder().encode('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

function refusal(work: () => unknown): StorageError {
  try {
    work();
  } catch (error) {
    if (error instanceof StorageError) return error;
    throw error;
  }
  throw new Error("expected a StorageError");
}

describe("what is accepted", () => {
  it("reads the type from the bytes", () => {
    expect(sniffType(PNG)).toBe("image/png");
    expect(sniffType(JPEG)).toBe("image/jpeg");
    expect(sniffType(WEBP)).toBe("image/webp");
    expect(sniffType(GIF)).toBe("image/gif");
    expect(sniffType(SVG)).toBe("image/svg+xml");
    expect(sniffType(new TextEncoder().encode("  <svg></svg>"))).toBe("image/svg+xml");
    expect(sniffType(new TextEncoder().encode("hello"))).toBeNull();
  });

  it("refuses SVG, other files, empty files and anything over 1 MB", () => {
    expect(checkImage(PNG)).toBe("image/png");
    expect(refusal(() => checkImage(SVG)).reason).toBe("svg");
    expect(refusal(() => checkImage(GIF)).reason).toBe("not-an-image");
    expect(refusal(() => checkImage(new TextEncoder().encode("<html><script>"))).reason).toBe("not-an-image");
    expect(refusal(() => checkImage(new Uint8Array())).reason).toBe("not-an-image");
    const big = new Uint8Array(MAX_UPLOAD_BYTES + 1);
    big.set(PNG);
    expect(refusal(() => checkImage(big)).reason).toBe("too-large");
  });
});

describe("isStorageError", () => {
  it("recognises the error from another bundle's copy of the class (server bundle vs Remix build)", () => {
    class ForeignStorageError extends Error {
      constructor(message: string, readonly reason: string) {
        super(message);
        this.name = "StorageError";
      }
    }
    expect(isStorageError(new StorageError("x", "svg"))).toBe(true);
    expect(isStorageError(new ForeignStorageError("x", "svg"))).toBe(true);
    expect(isStorageError(new Error("x"))).toBe(false);
    expect(isStorageError("StorageError")).toBe(false);
  });
});

describe("the local folder", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "encore-storage-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("is used without UPLOADTHING_TOKEN, under DATA_DIR/uploads", () => {
    const storage = createStorage({ dataDir: dir });
    expect(storage.kind).toBe("local");
    expect((storage as LocalStorage).root).toBe(path.join(dir, "uploads"));
  });

  it("stores under the school's folder with the sniffed extension (not the client's claim) and serves it", async () => {
    const storage = new LocalStorage(path.join(dir, "uploads"));
    const { url, contentType } = await storage.put("school_1/logo-abc.svg", JPEG, "image/svg+xml");
    expect(contentType).toBe("image/jpeg");
    expect(url).toBe("/uploads/school_1/logo-abc.jpg");

    const app = new Hono();
    app.on(["GET", "HEAD"], "/uploads/*", uploadsHandler(storage));
    const res = await app.request(`http://harmony.localhost${url}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/jpeg");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(JPEG);
    const head = await app.request(`http://harmony.localhost${url}`, { method: "HEAD" });
    expect(head.status).toBe(200);

    for (const bad of ["/uploads/school_1/missing.png", "/uploads/school_1/../../etc/passwd", "/uploads/school_1/%2e%2e%2fx.png", "/uploads/a/b/c.png", "/uploads/school_1/notes.txt", "/uploads/%E0%A4%A"]) {
      expect((await app.request(`http://harmony.localhost${bad}`)).status, bad).toBe(404);
    }
  });

  it("keeps private files outside the public folder, never served at /uploads, read back whole or by range", async () => {
    const storage = createStorage({ dataDir: dir }) as LocalStorage;
    const bytes = new TextEncoder().encode("RIFF....WAVEfmt 0123456789");
    const { key } = await storage.putPrivate("school_1/resource-abc", bytes, "audio/wav");
    expect(key).toBe("school_1/resource-abc.wav");
    expect(storage.privateRoot).toBe(path.join(dir, "private"));
    const app = new Hono();
    app.on(["GET", "HEAD"], "/uploads/*", uploadsHandler(storage));
    for (const probe of [`/uploads/${key}`, `/uploads/school_1/..%2f..%2fprivate%2f${key}`, `/uploads/../private/${key}`]) {
      expect((await app.request(`http://harmony.localhost${probe}`)).status, probe).toBe(404);
    }
    const whole = (await storage.readPrivate(key, "audio/wav"))!;
    expect([whole.size, whole.start, whole.end]).toEqual([bytes.byteLength, 0, bytes.byteLength - 1]);
    expect(new Uint8Array(await new Response(whole.body).arrayBuffer())).toEqual(bytes);
    const part = (await storage.readPrivate(key, "audio/wav", { start: 4, end: 7 }))!;
    expect(new TextDecoder().decode(await new Response(part.body).arrayBuffer())).toBe("....");
    expect(await storage.readPrivate("school_1/../x.wav", "audio/wav")).toBeNull();
    expect(await storage.readPrivate("school_1/missing.wav", "audio/wav")).toBeNull();
    await expect(storage.putPrivate("../school_1/x", bytes, "audio/wav")).rejects.toThrow(StorageError);
    await storage.deletePrivate(key);
    expect(await storage.readPrivate(key, "audio/wav")).toBeNull();
  });

  it("reads one Range header against the file's size", () => {
    expect(parseRange(null, 100)).toBeNull();
    expect(parseRange("bytes=0-9", 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange("bytes=90-", 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange("bytes=90-500", 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange("bytes=-10", 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange("bytes=100-", 100)).toBe("unsatisfiable");
    expect(parseRange("bytes=0-1,5-6", 100)).toBeNull();
    expect(parseRange("items=0-1", 100)).toBeNull();
  });

  it("refuses keys outside a school's folder", async () => {
    const storage = new LocalStorage(path.join(dir, "uploads"));
    await expect(storage.put("../x/logo", PNG)).rejects.toThrow(StorageError);
    await expect(storage.put("logo", PNG)).rejects.toThrow(StorageError);
    await expect(storage.put("school_1/../../logo", PNG)).rejects.toThrow(StorageError);
  });
});

describe("UploadThing", () => {
  let server: ServerType;
  let base = "";
  const received: { method: string; path: string; fileName: string | null; fileType: string | null; size: number; acl?: string | null }[] = [];
  const stored = new Map<string, Uint8Array<ArrayBuffer>>();
  const signedReads: string[] = [];

  beforeAll(async () => {
    // A stand-in for UploadThing's ingest server: takes the presigned PUT, answers the file's URLs.
    const ingest = new Hono();
    ingest.put("/:key", async (c) => {
      const form = await c.req.formData();
      const file = form.get("file") as File;
      const url = new URL(c.req.url);
      received.push({
        method: "PUT",
        path: url.pathname,
        fileName: url.searchParams.get("x-ut-file-name"),
        fileType: decodeURIComponent(url.searchParams.get("x-ut-file-type") ?? ""), // UploadThing encodes it twice
        size: file.size,
        acl: url.searchParams.get("x-ut-acl"),
      });
      const key = c.req.param("key");
      stored.set(key, new Uint8Array(await file.arrayBuffer()));
      return c.json({ url: `https://utfs.io/f/${key}`, appUrl: `https://utfs.io/a/app/${key}`, ufsUrl: `https://app.ufs.sh/f/${key}`, fileHash: "hash" });
    });
    // UFS serving a private file: only on a signed URL (the signature itself is UploadThing's to check).
    ingest.get("/a/app/:key", (c) => {
      const url = new URL(c.req.url);
      if (!url.searchParams.get("signature")) return c.text("Forbidden", 403);
      signedReads.push(url.pathname + url.search);
      const bytes = stored.get(c.req.param("key"));
      if (!bytes) return c.text("Not found", 404);
      const m = /bytes=(\d+)-(\d+)/.exec(c.req.header("range") ?? "");
      if (!m) return c.body(bytes, 200, { "Content-Length": String(bytes.byteLength) });
      const [start, end] = [Number(m[1]), Number(m[2])];
      return c.body(bytes.subarray(start, end + 1), 206, { "Content-Range": `bytes ${start}-${end}/${bytes.byteLength}` });
    });
    await new Promise<void>((resolve) => {
      server = serve({ fetch: ingest.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) => {
        base = `http://127.0.0.1:${info.port}`;
        resolve();
      });
    });
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const token = Buffer.from(JSON.stringify({ apiKey: "sk_test_123", appId: "app", regions: ["sea1"] })).toString("base64");

  it("is used with UPLOADTHING_TOKEN and uploads the sniffed type, returning the file's URL", async () => {
    const storage = createStorage({ dataDir: "/nonexistent", uploadthingToken: token, uploadthingApiUrl: base, uploadthingIngestUrl: base });
    expect(storage.kind).toBe("uploadthing");
    const { url, contentType } = await storage.put("school_1/logo-xyz.png", WEBP, "image/png");
    expect(contentType).toBe("image/webp");
    expect(url).toMatch(/^https:\/\/app\.ufs\.sh\/f\/[\w-]+$/);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: "PUT", fileName: "school_1-logo-xyz.webp", fileType: "image/webp", size: WEBP.byteLength });
    expect(await storage.read("school_1/logo-xyz.webp")).toBeNull();
  });

  it("still refuses SVG before anything is sent", async () => {
    const storage = new UploadThingStorage({ token, apiUrl: base, ingestUrl: base });
    await expect(storage.put("school_1/logo", SVG)).rejects.toMatchObject({ reason: "svg" });
    expect(received).toHaveLength(1);
  });

  it("reports a failed upload as a StorageError", async () => {
    const storage = new UploadThingStorage({ token, apiUrl: "http://127.0.0.1:1", ingestUrl: "http://127.0.0.1:1" });
    await expect(storage.put("school_1/logo", PNG)).rejects.toMatchObject({ reason: "upload-failed" });
  });
  it("uploads private files with the private ACL and reads them back on a signed URL, never handing one out", async () => {
    const storage = createStorage({ dataDir: "/nonexistent", uploadthingToken: token, uploadthingApiUrl: base, uploadthingIngestUrl: base, uploadthingUfsHost: base.replace("http://127.0.0.1", "localhost") });
    const bytes = new TextEncoder().encode("%PDF-1.4 private");
    const { key } = await storage.putPrivate("school_1/resource-xyz", bytes, "application/pdf");
    expect(received.at(-1)).toMatchObject({ method: "PUT", fileName: "school_1-resource-xyz.pdf", fileType: "application/pdf", acl: "private" });
    const read = (await storage.readPrivate(key, "application/pdf", { start: 0, end: 3 }))!;
    expect(new TextDecoder().decode(await new Response(read.body).arrayBuffer())).toBe("%PDF");
    expect(read).toMatchObject({ size: bytes.byteLength, start: 0, end: 3 });
    expect(signedReads.at(-1)).toMatch(new RegExp(`^/a/app/${key}\\?.*signature=`));
  });
});
