import { describe, expect, it } from "vitest";
import { registerCrumb } from "./register";

const TZ = "Europe/London";
// The school's "now": Monday 30 November 2026, 10:00 in London.
const NOW = new Date("2026-11-30T10:00:00Z");

describe("registerCrumb", () => {
  it("says Today only for today's register, and leads to the teacher's day", () => {
    expect(registerCrumb(new Date("2026-11-30T16:00:00Z"), NOW, TZ)).toEqual({ label: "Today", href: "/teach/today" });
  });

  it("does not say Today for a past register (24 November), and leads to its week", () => {
    const crumb = registerCrumb(new Date("2026-11-24T16:00:00Z"), NOW, TZ);
    expect(crumb.label).not.toMatch(/today/i);
    expect(crumb).toEqual({ label: "Your week", href: "/teach/week?date=2026-11-24" });
  });

  it("does not say Today for tomorrow's register", () => {
    expect(registerCrumb("2026-12-01T09:00:00Z", NOW, TZ).label).not.toMatch(/today/i);
  });

  it("decides the day in the school's time zone, not in UTC", () => {
    // 23:30 on the 29th in Los Angeles is already the 30th in UTC: not today there.
    const la = "America/Los_Angeles";
    const now = new Date("2026-11-30T18:00:00Z"); // 10:00 on the 30th in Los Angeles
    expect(registerCrumb(new Date("2026-11-30T07:30:00Z"), now, la).label).toBe("Your week");
    expect(registerCrumb(new Date("2026-11-30T17:00:00Z"), now, la).label).toBe("Today");
  });
});
