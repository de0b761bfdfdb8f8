// The link that lets a visitor who just enrolled online pay the registration fee, with no
// account signed in (ARCHITECTURE.md, "Online enrollment: the registration fee by card").
// A token is `<form key, base64url>.<expiry>.<signature>`: an HMAC-SHA256 under FILE_URL_SECRET (as the
// signed file addresses, with its own purpose label) over the purpose, the school, the form's
// one-time key, the fee invoice the form issued ("none" when it issued none) and the expiry.
// So a token works only
// - for that school, that form and that invoice (the invoice is found from the form's stored
//   result, never from anything the visitor sends; another invoice's key fails the signature),
// - until it expires (FEE_LINK_SECONDS, on the real clock, as every security timestamp),
// - for this one purpose (a file signature never checks here, nor the reverse).
// It carries no invoice id: a form answered for an address that already had an account gets a
// token of the same shape (see enroll.tsx).
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** How long the pay link of the enrollment's confirmation works. */
export const FEE_LINK_SECONDS = 2 * 60 * 60;

export type FeeLinkCheck = { status: "ok"; key: string } | { status: "expired" | "bad" };

export interface FeeLinkSigner {
  sign(input: { schoolId: string; key: string; invoiceId: string | null }, now?: Date): string;
  /** Parses and checks a token; `invoiceOf` finds the fee invoice the form with that key issued. */
  verify(schoolId: string, token: string, invoiceOf: (key: string) => Promise<string | null>, now?: Date): Promise<FeeLinkCheck>;
}

const TOKEN = /^([A-Za-z0-9_-]{1,140})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

export function createFeeLinkSigner(secret: string | undefined): FeeLinkSigner {
  // Without a configured secret (development, tests), one per process: links end at a restart.
  const key = secret ? Buffer.from(secret, "utf8") : randomBytes(32);
  const mac = (schoolId: string, formKey: string, invoiceId: string | null, exp: number) =>
    createHmac("sha256", key).update(["encore-enrollment-fee-v1", schoolId, formKey, invoiceId ?? "none", String(exp)].join("\n")).digest();
  return {
    sign(input, now = new Date()) {
      const exp = Math.floor(now.getTime() / 1000) + FEE_LINK_SECONDS;
      return `${Buffer.from(input.key, "utf8").toString("base64url")}.${exp}.${mac(input.schoolId, input.key, input.invoiceId, exp).toString("base64url")}`;
    },
    async verify(schoolId, token, invoiceOf, now = new Date()) {
      const m = TOKEN.exec(token);
      if (!m) return { status: "bad" };
      const [, encodedKey, exp, sig] = m as unknown as [string, string, string, string];
      const formKey = Buffer.from(encodedKey, "base64url").toString("utf8");
      const expected = mac(schoolId, formKey, await invoiceOf(formKey), Number(exp));
      const given = Buffer.from(sig, "base64url");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { status: "bad" };
      return Number(exp) * 1000 <= now.getTime() ? { status: "expired" } : { status: "ok", key: formKey };
    },
  };
}
