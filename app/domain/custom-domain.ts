// A school's custom domain: how it proves control (a DNS TXT record holding its
// token) and how long an unverified claim holds the domain. Pure: no DNS, no clock.

/** An unverified claim holds the domain this long; after that another school may claim it. */
export const CLAIM_HOLD_HOURS = 72;

/** The TXT record a school creates to prove it controls `domain`. */
export function challengeRecord(domain: string, token: string): { type: "TXT"; name: string; value: string } {
  return { type: "TXT", name: `_encore-challenge.${domain}`, value: `encore-verification=${token}` };
}

/** When an unverified claim stops holding the domain (null: no claim, or verified). */
export function claimExpiresAt(claim: { claimedAt: Date | null; verifiedAt: Date | null }): Date | null {
  if (claim.verifiedAt || !claim.claimedAt) return null;
  return new Date(claim.claimedAt.getTime() + CLAIM_HOLD_HOURS * 3_600_000);
}

/**
 * Whether a school's hold on its domain keeps other schools from claiming it: a
 * verified domain always does; an unverified claim until it expires. A claim with no
 * time (made before claims expired) does not hold.
 */
export function claimHolds(claim: { claimedAt: Date | null; verifiedAt: Date | null }, now: Date): boolean {
  if (claim.verifiedAt) return true;
  const expires = claimExpiresAt(claim);
  return expires !== null && now.getTime() < expires.getTime();
}

export type TxtOutcome =
  | { ok: true }
  | { ok: false; reason: "no-record" | "wrong-value" | "lookup-failed"; error: string };

/**
 * Judges what the TXT lookup of the challenge name gave: the records (each joined
 * from its strings), or the resolver's error code.
 */
export function judgeChallenge(
  domain: string,
  token: string,
  answer: { records: string[] } | { errorCode: string },
): TxtOutcome {
  const { name, value } = challengeRecord(domain, token);
  if ("errorCode" in answer) {
    if (answer.errorCode === "ENOTFOUND" || answer.errorCode === "ENODATA") {
      return { ok: false, reason: "no-record", error: `No TXT record found at ${name}. Create it as shown, then try again (DNS changes can take a while to appear).` };
    }
    return { ok: false, reason: "lookup-failed", error: `The DNS lookup of ${name} failed (${answer.errorCode}). Try again in a few minutes.` };
  }
  const found = answer.records.map((r) => r.trim());
  if (found.includes(value)) return { ok: true };
  const ours = found.filter((r) => r.startsWith("encore-verification="));
  if (found.length === 0) {
    return { ok: false, reason: "no-record", error: `No TXT record found at ${name}. Create it as shown, then try again (DNS changes can take a while to appear).` };
  }
  const shown = (ours.length ? ours : found).slice(0, 3).map((r) => `“${r.length > 80 ? `${r.slice(0, 80)}…` : r}”`).join(", ");
  return { ok: false, reason: "wrong-value", error: `The TXT record at ${name} holds ${shown}, not this school's value. Set it to exactly ${value}.` };
}
