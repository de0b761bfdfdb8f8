import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fields, parseForm } from "./forms";

const schema = z.object({ firstName: fields.personName("a first name") });
const check = (firstName: string) => {
  const fd = new FormData();
  fd.set("firstName", firstName);
  return parseForm(fd, schema);
};

describe("fields.personName", () => {
  it.each(["Ada", "Zoë", "Jean-Luc", "O'Brien", "D’Angelo", "María de los Ángeles", "J.R.R.", "Nguyễn Thị", "김민준", "Ólafur", "Mary Ann", "  Robin  "])("accepts %j", (name) => {
    const parsed = check(name);
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && parsed.data.firstName).toBe(name.trim());
  });

  // Regression: a name field carried a phishing sentence into the school's invitation emails.
  it.each([
    "Visit https://evil.example to verify your account",
    "http://evil.example",
    "evil.example",
    "www.evil",
    "Robin (call +1 212 555 0100)",
    "Robin <script>",
    "R2D2",
    "Your account is locked please verify now",
    "@robin",
    "---",
    "Robin\nSecond line",
  ])("refuses %j with a sentence saying what a name may hold", (name) => {
    const parsed = check(name);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.errors.firstName).toMatch(/first name/);
  });

  it("still asks for a name when there is none, and keeps it short", () => {
    expect(!check("").ok && (check("") as { errors: Record<string, string> }).errors.firstName).toBe("Enter a first name.");
    const long = check("A".repeat(61));
    expect(!long.ok && long.errors.firstName).toMatch(/under 60 characters/);
  });
});
