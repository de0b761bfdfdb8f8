import { describe, expect, it } from "vitest";
import { audienceLabel, honoursMessagePreference, messageEmail, uniqueRecipients } from "./messages";

const input = {
  school: { name: "Harmony & Co", brandColor: "#fde047", logoUrl: "https://cdn.example/logo.png", email: "office@harmony.test" },
  senderName: "Clara Admin",
  audienceLabel: "Families of Piano Basics",
  subject: "Room <change>",
  body: "Hello,\nwe move to Room B.\n\nSee you <soon>.",
  preferencesUrl: "http://harmony.localhost:3000/account/notifications",
};

describe("school messages", () => {
  it("only a message about one lesson is sent whatever the family chose", () => {
    expect(honoursMessagePreference("LESSON")).toBe(false);
    expect(["TEACHER", "LOCATION", "SCHOOL"].every((k) => honoursMessagePreference(k as "TEACHER"))).toBe(true);
  });

  it("names the audience", () => {
    expect(audienceLabel("LESSON", "Piano Basics")).toBe("Families of Piano Basics");
    expect(audienceLabel("TEACHER", "Sarah Johnson")).toBe("Families taught by Sarah Johnson");
    expect(audienceLabel("LOCATION", "Main Campus")).toBe("Families at Main Campus");
    expect(audienceLabel("SCHOOL", null)).toBe("The whole school");
  });

  it("keeps each address once, lower-case, and drops addresses that cannot receive mail", () => {
    expect(uniqueRecipients(["A@x.test", "a@x.test ", "kid@students.h.invalid", "", "b@x.test"])).toEqual(["a@x.test", "b@x.test"]);
  });

  it("escapes the sender's text, keeps its paragraphs and line breaks, and wears the school's colour with readable text", () => {
    const email = messageEmail(input);
    expect(email.subject).toBe("Room <change> — Harmony & Co");
    expect(email.html).toContain("Room &lt;change&gt;");
    expect(email.html).toContain("Harmony &amp; Co");
    expect(email.html).toContain("<p style=\"margin:0 0 1em\">Hello,<br>we move to Room B.</p>");
    expect(email.html).toContain("See you &lt;soon&gt;.");
    expect(email.html).not.toContain("<soon>");
    // A pale yellow brand gets near-black text on it.
    expect(email.html).toContain("background:#fde047;color:#111111");
    expect(email.html).toContain('<img src="https://cdn.example/logo.png"');
    expect(email.text).toContain("Hello,\nwe move to Room B.\n\nSee you <soon>.");
    expect(email.text).toContain("Sent by Clara Admin of Harmony & Co to: Families of Piano Basics.");
    expect(email.text).toContain(input.preferencesUrl);
  });

  it("has no opt-out line where the preference does not apply", () => {
    const email = messageEmail({ ...input, preferencesUrl: null });
    expect(email.text).not.toContain("notifications");
    expect(email.html).not.toContain("Change your email settings");
  });
});
