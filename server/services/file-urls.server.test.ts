import { describe, expect, it } from "vitest";
import { createFileSigner, SIGNED_URL_SECONDS } from "./file-urls.server";

const file = { schoolId: "school_a", resourceId: "res_1", viewerId: "user_1" };
const now = new Date("2026-12-02T12:00:00Z");

describe("signed file addresses", () => {
  const signer = createFileSigner("a-test-secret-that-is-long-enough-to-use");
  it("verifies its own signature until it expires", () => {
    const { exp, sig } = signer.sign(file, now);
    expect(exp).toBe(now.getTime() / 1000 + SIGNED_URL_SECONDS);
    expect(signer.verify(file, String(exp), sig, now)).toBe("ok");
    expect(signer.verify(file, String(exp), sig, new Date(exp * 1000 - 1))).toBe("ok");
    expect(signer.verify(file, String(exp), sig, new Date(exp * 1000))).toBe("expired");
  });
  it("refuses the signature for another school, resource or viewer, or a changed expiry", () => {
    const { exp, sig } = signer.sign(file, now);
    expect(signer.verify({ ...file, schoolId: "school_b" }, String(exp), sig, now)).toBe("bad");
    expect(signer.verify({ ...file, resourceId: "res_2" }, String(exp), sig, now)).toBe("bad");
    expect(signer.verify({ ...file, viewerId: "user_2" }, String(exp), sig, now)).toBe("bad");
    expect(signer.verify(file, String(exp + 3600), sig, now)).toBe("bad");
    expect(signer.verify(file, null, sig, now)).toBe("bad");
    expect(signer.verify(file, String(exp), "x".repeat(43), now)).toBe("bad");
  });
  it("refuses a signature made with another secret", () => {
    const other = createFileSigner("another-secret-entirely-different-xxxxxx");
    const { exp, sig } = other.sign(file, now);
    expect(signer.verify(file, String(exp), sig, now)).toBe("bad");
  });
});
