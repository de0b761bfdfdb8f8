import { describe, expect, it } from "vitest";
import { challengeRecord, claimExpiresAt, claimHolds, judgeChallenge } from "./custom-domain";

const claimedAt = new Date("2026-03-01T10:00:00Z");
const hours = (h: number) => new Date(claimedAt.getTime() + h * 3_600_000);

describe("custom-domain claims", () => {
  it("name the TXT record under the domain, holding the token", () => {
    expect(challengeRecord("music.example.com", "abc123")).toEqual({ type: "TXT", name: "_encore-challenge.music.example.com", value: "encore-verification=abc123" });
  });

  it("hold an unverified domain for 72 hours, a verified one for good", () => {
    expect(claimExpiresAt({ claimedAt, verifiedAt: null })).toEqual(hours(72));
    expect(claimHolds({ claimedAt, verifiedAt: null }, hours(71.99))).toBe(true);
    expect(claimHolds({ claimedAt, verifiedAt: null }, hours(72))).toBe(false);
    expect(claimHolds({ claimedAt, verifiedAt: hours(1) }, hours(10_000))).toBe(true);
    expect(claimExpiresAt({ claimedAt, verifiedAt: hours(1) })).toBeNull();
    // A claim with no time (from before claims expired) holds nothing.
    expect(claimHolds({ claimedAt: null, verifiedAt: null }, claimedAt)).toBe(false);
  });
});

describe("judging the TXT answer", () => {
  const judge = (answer: { records: string[] } | { errorCode: string }) => judgeChallenge("music.example.com", "tok", answer);

  it("accepts the exact value among other records", () => {
    expect(judge({ records: ["v=spf1 -all", " encore-verification=tok "] })).toEqual({ ok: true });
  });

  it("tells a missing record from a wrong one and from a failed lookup", () => {
    expect(judge({ errorCode: "ENOTFOUND" })).toMatchObject({ ok: false, reason: "no-record", error: expect.stringContaining("_encore-challenge.music.example.com") });
    expect(judge({ errorCode: "ENODATA" })).toMatchObject({ reason: "no-record" });
    expect(judge({ records: [] })).toMatchObject({ reason: "no-record" });
    expect(judge({ records: ["encore-verification=other"] })).toMatchObject({
      reason: "wrong-value",
      error: expect.stringMatching(/holds “encore-verification=other”.*exactly encore-verification=tok/),
    });
    expect(judge({ records: ["encore-verification=TOK"] })).toMatchObject({ reason: "wrong-value" });
    expect(judge({ errorCode: "ETIMEOUT" })).toMatchObject({ reason: "lookup-failed", error: expect.stringContaining("ETIMEOUT") });
    expect(judge({ errorCode: "ESERVFAIL" })).toMatchObject({ reason: "lookup-failed" });
  });
});
