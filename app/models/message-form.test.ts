import { describe, expect, it } from "vitest";
import { parseForm } from "../utils/forms";
import { audienceValue, messageSchema, parseAudience } from "./message-form";

function form(entries: Record<string, string>) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(entries)) fd.append(k, v);
  return fd;
}

describe("the message form", () => {
  it("reads the audience choice", () => {
    expect(parseAudience("SCHOOL")).toEqual({ kind: "SCHOOL", id: null });
    expect(parseAudience("LESSON:abc_1")).toEqual({ kind: "LESSON", id: "abc_1" });
    expect(parseAudience(audienceValue("LOCATION", "loc"))).toEqual({ kind: "LOCATION", id: "loc" });
    expect(parseAudience("STUDENT:abc")).toBeNull();
    expect(parseAudience("LESSON:")).toBeNull();
    expect(parseAudience("LESSON:a b")).toBeNull();
  });

  it("answers each missing or wrong field in words and keeps what was typed", () => {
    const parsed = parseForm(form({ to: "nobody", subject: "Line\none", body: "   " }), messageSchema);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual({ to: "Choose who the message is for from the list.", subject: "Write the subject on one line.", body: "Write the message." });
    expect(parsed.values.subject).toBe("Line\none");
  });

  it("accepts a complete message", () => {
    const parsed = parseForm(form({ to: "LESSON:l1", subject: " Hello ", body: "Text" }), messageSchema);
    expect(parsed).toMatchObject({ ok: true, data: { to: { kind: "LESSON", id: "l1" }, subject: "Hello", body: "Text" } });
  });

  it("refuses a subject or body that is too long", () => {
    const parsed = parseForm(form({ to: "SCHOOL", subject: "x".repeat(151), body: "y".repeat(10_001) }), messageSchema);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(Object.keys(parsed.errors).sort()).toEqual(["body", "subject"]);
  });
});
