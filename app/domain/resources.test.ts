import { describe, expect, it } from "vitest";
import {
  checkResourceFile,
  decideAccess,
  isInAudience,
  mayManage,
  parseLinkUrl,
  parseWindow,
  resolveAudience,
  sniffResourceFile,
  windowFormValues,
  windowState,
  type ResourceRules,
} from "./resources";

const at = (iso: string) => new Date(iso);
const bytes = (...parts: (string | number[])[]) => new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...p].map((c) => c.charCodeAt(0)) : p)));

describe("windowState", () => {
  const r = { releasedAt: at("2026-12-01T21:00:00Z"), expiresAt: at("2026-12-08T05:00:00Z") };
  it("is scheduled until the release instant, open from it", () => {
    expect(windowState(r, at("2026-12-01T20:59:59.999Z"))).toBe("scheduled");
    expect(windowState(r, at("2026-12-01T21:00:00Z"))).toBe("open");
  });
  it("is expired from the expiry instant on", () => {
    expect(windowState(r, at("2026-12-08T04:59:59.999Z"))).toBe("open");
    expect(windowState(r, at("2026-12-08T05:00:00Z"))).toBe("expired");
  });
  it("stays open forever without an expiry", () => {
    expect(windowState({ releasedAt: r.releasedAt, expiresAt: null }, at("2099-01-01T00:00:00Z"))).toBe("open");
  });
});

describe("parseWindow", () => {
  const now = at("2026-11-24T13:30:00Z");
  it("reads the release in the school's time zone (New York, EST)", () => {
    const w = parseWindow({ releaseDate: "2026-12-01", releaseTime: "16:00", expiryDate: "" }, "America/New_York", now);
    expect(w).toEqual({ ok: true, releasedAt: at("2026-12-01T21:00:00Z"), expiresAt: null });
  });
  it("reads the same wall time differently in Sydney (AEDT)", () => {
    const w = parseWindow({ releaseDate: "2026-12-01", releaseTime: "16:00", expiryDate: "" }, "Australia/Sydney", now);
    expect(w.ok && w.releasedAt?.toISOString()).toBe("2026-12-01T05:00:00.000Z");
  });
  it("closes at the end of the last day, local time, across a DST change", () => {
    // London moves to BST on 2027-03-28: the end of that day is 23:00 UTC.
    const w = parseWindow({ releaseDate: "", releaseTime: "", expiryDate: "2027-03-28" }, "Europe/London", now);
    expect(w).toEqual({ ok: true, releasedAt: null, expiresAt: at("2027-03-28T23:00:00Z") });
  });
  it("refuses an expiry before the release, and before now when released at once", () => {
    const late = parseWindow({ releaseDate: "2026-12-10", releaseTime: "", expiryDate: "2026-12-09" }, "America/New_York", now);
    expect(late).toEqual({ ok: false, errors: { expiryDate: "The last day must come after the release." } });
    const past = parseWindow({ releaseDate: "", releaseTime: "", expiryDate: "2026-11-01" }, "America/New_York", now);
    expect(past.ok).toBe(false);
  });
  it("explains bad dates and a time without a date", () => {
    const w = parseWindow({ releaseDate: "", releaseTime: "16:00", expiryDate: "31/12/2026" }, "America/New_York", now);
    expect(w.ok).toBe(false);
    if (!w.ok) {
      expect(w.errors.releaseDate).toMatch(/Choose the day/);
      expect(w.errors.expiryDate).toMatch(/as a date/);
    }
  });
  it("gives back the form's values of a stored window", () => {
    expect(windowFormValues({ releasedAt: at("2026-12-01T21:00:00Z"), expiresAt: at("2026-12-08T05:00:00Z") }, "America/New_York")).toEqual({
      releaseDate: "2026-12-01",
      releaseTime: "16:00",
      expiryDate: "2026-12-07",
    });
  });
});

describe("visibility", () => {
  const emma = { id: "emma", lessonIds: ["piano-1"] };
  const leo = { id: "leo", lessonIds: ["violin-2"] };
  it("PUBLIC_SCHOOL reaches every student", () => {
    expect(resolveAudience({ visibility: "PUBLIC_SCHOOL", lessonId: null, audienceStudentIds: [] }, [emma, leo])).toEqual(["emma", "leo"]);
  });
  it("LESSON_GROUP reaches the students enrolled in its lesson only", () => {
    expect(resolveAudience({ visibility: "LESSON_GROUP", lessonId: "piano-1", audienceStudentIds: [] }, [emma, leo])).toEqual(["emma"]);
    expect(isInAudience({ visibility: "LESSON_GROUP", lessonId: null, audienceStudentIds: [] }, emma)).toBe(false);
  });
  it("PRIVATE reaches the chosen students, and nobody when none are chosen", () => {
    expect(resolveAudience({ visibility: "PRIVATE", lessonId: "piano-1", audienceStudentIds: ["leo"] }, [emma, leo])).toEqual(["leo"]);
    expect(resolveAudience({ visibility: "PRIVATE", lessonId: null, audienceStudentIds: [] }, [emma, leo])).toEqual([]);
  });
});

describe("decideAccess", () => {
  const now = at("2026-12-02T12:00:00Z");
  const base: ResourceRules = {
    visibility: "LESSON_GROUP",
    lessonId: "piano-1",
    uploadedById: "sarah",
    releasedAt: at("2026-12-01T21:00:00Z"),
    expiresAt: at("2026-12-08T05:00:00Z"),
    audienceStudentIds: [],
  };
  const parent = { role: "FAMILY" as const, userId: "mum", students: [{ id: "emma", lessonIds: ["piano-1"] }, { id: "leo", lessonIds: [] }] };
  it("lets a guardian in for the children in the audience only", () => {
    expect(decideAccess(base, parent, now)).toEqual({ ok: true, staff: false, studentIds: ["emma"] });
  });
  it("refuses a family outside the audience", () => {
    const other = { role: "FAMILY" as const, userId: "leo", students: [{ id: "leo", lessonIds: ["violin-2"] }] };
    expect(decideAccess(base, other, now)).toEqual({ ok: false, reason: "not-for-you" });
  });
  it("refuses a family before the release and after the expiry", () => {
    expect(decideAccess(base, parent, at("2026-12-01T20:00:00Z"))).toEqual({ ok: false, reason: "scheduled" });
    expect(decideAccess(base, parent, at("2026-12-08T05:00:00Z"))).toEqual({ ok: false, reason: "expired" });
  });
  it("lets staff in at any time: admins, the sharer, the lesson's teacher", () => {
    const early = at("2026-11-01T00:00:00Z");
    expect(decideAccess(base, { role: "ADMIN", userId: "a" }, early)).toEqual({ ok: true, staff: true });
    expect(decideAccess(base, { role: "TEACHER", userId: "sarah", lessonIds: [] }, early)).toEqual({ ok: true, staff: true });
    expect(decideAccess(base, { role: "TEACHER", userId: "david", lessonIds: ["piano-1"] }, early)).toEqual({ ok: true, staff: true });
  });
  it("refuses another teacher a lesson resource, but not a whole-school one", () => {
    const maria = { role: "TEACHER" as const, userId: "maria", lessonIds: ["violin-2"] };
    expect(decideAccess(base, maria, now)).toEqual({ ok: false, reason: "not-for-you" });
    expect(decideAccess({ ...base, visibility: "PUBLIC_SCHOOL" }, maria, now).ok).toBe(true);
    expect(mayManage({ ...base }, maria)).toBe(false);
    expect(mayManage({ ...base }, { role: "TEACHER", userId: "sarah", lessonIds: [] })).toBe(true);
  });
});

describe("files", () => {
  it("reads the type from the bytes", () => {
    expect(sniffResourceFile(bytes("%PDF-1.7\n"))).toBe("application/pdf");
    expect(sniffResourceFile(bytes("RIFF", [0, 0, 0, 0], "WAVEfmt "))).toBe("audio/wav");
    expect(sniffResourceFile(bytes("OggS", [0]))).toBe("audio/ogg");
    expect(sniffResourceFile(bytes("ID3", [4, 0]))).toBe("audio/mpeg");
    expect(sniffResourceFile(bytes([0xff, 0xfb, 0x90, 0x64]))).toBe("audio/mpeg");
    expect(sniffResourceFile(bytes([0, 0, 0, 0x20], "ftypM4A ", [0, 0, 0, 0]))).toBe("audio/mp4");
    expect(sniffResourceFile(bytes([0, 0, 0, 0x20], "ftypisom", [0, 0, 0, 0]))).toBe("video/mp4");
    expect(sniffResourceFile(bytes("<svg xmlns=..."))).toBeNull();
  });
  it("refuses the wrong kind of file for the type, in words", () => {
    const r = checkResourceFile("BACKING_TRACK", bytes("%PDF-1.7\n"));
    expect(r).toEqual({ ok: false, reason: "wrong-type", message: "This file is a PDF; a backing track must be an audio file (MP3, M4A, WAV or OGG)." });
    expect(checkResourceFile("MUSIC_SCORE", bytes("MZ\x90\x00")).ok).toBe(false);
  });
  it("refuses a file past the type's limit, naming both sizes", () => {
    const big = new Uint8Array(12_500_000);
    big.set(bytes("%PDF-1.4"));
    expect(checkResourceFile("MUSIC_SCORE", big)).toEqual({
      ok: false,
      reason: "too-large",
      message: "A score may be at most 10 MB; this file is 12.5 MB. Use a smaller file, or share a link instead.",
    });
    expect(checkResourceFile("MUSIC_SCORE", new Uint8Array(0)).ok).toBe(false);
  });
  it("accepts what fits", () => {
    expect(checkResourceFile("BACKING_TRACK", bytes("RIFF", [0, 0, 0, 0], "WAVE"))).toEqual({ ok: true, mime: "audio/wav", ext: "wav", kind: "audio" });
    expect(checkResourceFile("EXAMPLE_RECORDING", bytes([0, 0, 0, 0x20], "ftypisom")).ok).toBe(true);
  });
  it("takes http(s) links only", () => {
    expect(parseLinkUrl("youtube.com/watch?v=1")).toBe("https://youtube.com/watch?v=1");
    expect(parseLinkUrl("javascript:alert(1)")).toBeNull();
    expect(parseLinkUrl("data:text/html,hi")).toBeNull();
    expect(parseLinkUrl("")).toBeNull();
  });
});
