// Short-lived signed addresses for private files (learning resources). A signature is
// an HMAC-SHA256, under a server secret (FILE_URL_SECRET), over the school, the
// resource, the viewer and the expiry, so an address works only
// - for that resource, on that school's host (another school's host checks with its own id),
// - for that viewer (the file route also requires that viewer's session),
// - until it expires (SIGNED_URL_SECONDS; the real clock, as for every security timestamp).
// The file route checks it on every fetch, then checks again that the viewer may see
// the resource now (release, expiry, audience), so an address alone never grants access.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** How long a signed address works: long enough to start a track and seek in it. */
export const SIGNED_URL_SECONDS = 10 * 60;

export interface SignedFile {
  schoolId: string;
  resourceId: string;
  viewerId: string;
}

export type SignatureCheck = "ok" | "expired" | "bad";

export interface FileSigner {
  /** The query string (`exp=…&sig=…`) of an address valid until `now` + SIGNED_URL_SECONDS. */
  sign(file: SignedFile, now?: Date): { exp: number; sig: string };
  verify(file: SignedFile, exp: string | null, sig: string | null, now?: Date): SignatureCheck;
}

export function createFileSigner(secret: string | undefined): FileSigner {
  // Without a configured secret (development, tests), one per process: addresses end at a restart.
  const key = secret ? Buffer.from(secret, "utf8") : randomBytes(32);
  const mac = (f: SignedFile, exp: number) => createHmac("sha256", key).update(["encore-file-v1", f.schoolId, f.resourceId, f.viewerId, String(exp)].join("\n")).digest();
  return {
    sign(file, now = new Date()) {
      const exp = Math.floor(now.getTime() / 1000) + SIGNED_URL_SECONDS;
      return { exp, sig: mac(file, exp).toString("base64url") };
    },
    verify(file, exp, sig, now = new Date()) {
      if (!exp || !sig || !/^\d{1,12}$/.test(exp) || !/^[A-Za-z0-9_-]{43}$/.test(sig)) return "bad";
      const expected = mac(file, Number(exp));
      const given = Buffer.from(sig, "base64url");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "bad";
      return Number(exp) * 1000 <= now.getTime() ? "expired" : "ok";
    },
  };
}
