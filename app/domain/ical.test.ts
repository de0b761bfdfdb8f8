import { describe, expect, it } from "vitest";
import { buildCalendar, escapeText, foldLine, formatUtc, unfold, type IcalEvent } from "./ical";

const now = new Date("2026-11-25T08:00:00.000Z");
const lesson: IcalEvent = {
  id: "occ1",
  start: new Date("2026-12-01T21:00:00.000Z"),
  end: new Date("2026-12-01T21:45:00.000Z"),
  summary: "Piano Foundation 1",
  location: "Studio A, Main Studio",
  updatedAt: new Date("2026-11-20T10:30:15.123Z"),
};

const octets = (s: string) => new TextEncoder().encode(s).length;

/** The unfolded content lines of a feed. */
const contentLines = (ics: string) => unfold(ics).split("\r\n").filter(Boolean);

describe("buildCalendar", () => {
  it("wraps events in a VCALENDAR with CRLF line endings", () => {
    const ics = buildCalendar({ name: "Harmony Music Academy", events: [lesson], now });
    expect(ics.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")).toBe(true);
    expect(ics.endsWith("END:VCALENDAR\r\n")).toBe(true);
    // No bare LF anywhere: every LF is part of a CRLF.
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    const lines = contentLines(ics);
    expect(lines).toContain("X-WR-CALNAME:Harmony Music Academy");
    expect(lines.filter((l) => l === "BEGIN:VEVENT")).toHaveLength(1);
    expect(lines.filter((l) => l === "END:VEVENT")).toHaveLength(1);
  });

  it("writes times in UTC form, a stable UID and DTSTAMP from the last change", () => {
    const lines = contentLines(buildCalendar({ name: "S", events: [lesson], now }));
    expect(lines).toContain("UID:occ1@encore");
    expect(lines).toContain("DTSTART:20261201T210000Z");
    expect(lines).toContain("DTEND:20261201T214500Z");
    expect(lines).toContain("DTSTAMP:20261120T103015Z");
    expect(lines).toContain("LAST-MODIFIED:20261120T103015Z");
    expect(lines).toContain("SUMMARY:Piano Foundation 1");
    expect(lines).toContain("LOCATION:Studio A\\, Main Studio");
    expect(lines).toContain("STATUS:CONFIRMED");
  });

  it("is identical on every refresh while nothing changed", () => {
    const a = buildCalendar({ name: "S", events: [lesson], now });
    const b = buildCalendar({ name: "S", events: [lesson], now: new Date("2026-11-26T09:00:00Z") });
    expect(a).toBe(b);
  });

  it("stamps events without a last change with `now`", () => {
    const { updatedAt: _, ...bare } = lesson;
    const lines = contentLines(buildCalendar({ name: "S", events: [bare], now }));
    expect(lines).toContain("DTSTAMP:20261125T080000Z");
    expect(lines.some((l) => l.startsWith("LAST-MODIFIED"))).toBe(false);
  });

  it("marks cancelled occurrences STATUS:CANCELLED", () => {
    const lines = contentLines(buildCalendar({ name: "S", events: [{ ...lesson, cancelled: true }], now }));
    expect(lines).toContain("STATUS:CANCELLED");
    expect(lines).not.toContain("STATUS:CONFIRMED");
  });

  it("lists every event and an empty calendar is still valid", () => {
    const two = contentLines(buildCalendar({ name: "S", events: [lesson, { ...lesson, id: "occ2" }], now }));
    expect(two.filter((l) => l.startsWith("UID:"))).toEqual(["UID:occ1@encore", "UID:occ2@encore"]);
    const empty = contentLines(buildCalendar({ name: "S", events: [], now }));
    expect(empty[0]).toBe("BEGIN:VCALENDAR");
    expect(empty.at(-1)).toBe("END:VCALENDAR");
    expect(empty).not.toContain("BEGIN:VEVENT");
  });

  // Regression: an online lesson's link with a newline wrote raw lines (an alarm, an
  // attachment) into every teacher's and family's feed.
  it("never lets a value start a line of its own, whatever it holds", () => {
    const payload = "\r\nBEGIN:VALARM\r\nTRIGGER:-PT5M\r\nACTION:DISPLAY\r\nEND:VALARM\r\nATTACH:https://evil.example/x.exe";
    const hostile: IcalEvent = {
      ...lesson,
      id: `occ2${payload}`,
      summary: `Piano${payload}`,
      location: `Studio A${payload}`,
      description: `Teacher${payload}\nJoin: https://meet.example.com/a${payload}`,
      url: `https://meet.example.com/a${payload}`,
    };
    for (const ics of [
      buildCalendar({ name: `Harmony${payload}`, description: `Lessons${payload}`, events: [hostile], now }),
      buildCalendar({ name: "S", events: [{ ...lesson, url: "https://meet.example.com/a\nBEGIN:VALARM" }], now }),
      buildCalendar({ name: "S", events: [{ ...lesson, url: "https://meet.example.com/a\rATTACH:https://evil.example" }], now }),
    ]) {
      expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
      const lines = contentLines(ics);
      expect(lines.filter((l) => /^(BEGIN|END):VALARM|^ATTACH|^TRIGGER|^ACTION/.test(l))).toEqual([]);
      expect(lines.filter((l) => l.startsWith("BEGIN:"))).toEqual(["BEGIN:VCALENDAR", "BEGIN:VEVENT"]);
      // Every line is one of the properties the feed writes.
      for (const line of lines) {
        expect(line).toMatch(/^(BEGIN|END|VERSION|PRODID|CALSCALE|X-WR-CALNAME|X-WR-CALDESC|REFRESH-INTERVAL|X-PUBLISHED-TTL|UID|DTSTAMP|LAST-MODIFIED|DTSTART|DTEND|SUMMARY|LOCATION|DESCRIPTION|URL|STATUS|TRANSP)[;:]/);
      }
    }
  });

  it("writes a link as a URI (no spaces or controls) and drops one that is not http(s)", () => {
    const lines = (url: string) => contentLines(buildCalendar({ name: "S", events: [{ ...lesson, url }], now }));
    expect(lines("https://meet.example.com/a b")).toContain("URL:https://meet.example.com/a%20b");
    expect(lines("javascript:alert(1)").some((l) => l.startsWith("URL"))).toBe(false);
    expect(lines("not a link").some((l) => l.startsWith("URL"))).toBe(false);
  });

  it("escapes the school name and texts, and keeps every physical line within 75 octets", () => {
    const ics = buildCalendar({
      name: "Do, Re; Mi \\ Fa",
      events: [{ ...lesson, summary: "Cello — Ünïcödé ensemble with a rather long title that must be folded, surely; yes", description: "Line one\nLine two\r\nLine three" }],
      now,
    });
    for (const physical of ics.split("\r\n")) expect(octets(physical)).toBeLessThanOrEqual(75);
    const lines = contentLines(ics);
    expect(lines).toContain("X-WR-CALNAME:Do\\, Re\\; Mi \\\\ Fa");
    expect(lines).toContain("SUMMARY:Cello — Ünïcödé ensemble with a rather long title that must be folded\\, surely\\; yes");
    expect(lines).toContain("DESCRIPTION:Line one\\nLine two\\nLine three");
  });
});

describe("escapeText", () => {
  it("escapes backslash first, then ; , and newlines", () => {
    expect(escapeText("a\\b;c,d\ne")).toBe("a\\\\b\\;c\\,d\\ne");
    expect(escapeText("one\r\ntwo\rthree")).toBe("one\\ntwo\\nthree");
  });

  it("drops control characters but keeps tabs", () => {
    expect(escapeText("a\u0000b\u0007c\td")).toBe("abc\td");
  });
});

describe("foldLine", () => {
  it("leaves a line of 75 octets alone and folds one of 76", () => {
    const exact = "X".repeat(75);
    expect(foldLine(exact)).toBe(exact);
    const over = "X".repeat(76);
    expect(foldLine(over)).toBe(`${"X".repeat(75)}\r\n X`);
  });

  it("counts the continuation's leading space and round-trips through unfolding", () => {
    const long = `DESCRIPTION:${"abcdefghij".repeat(30)}`;
    const folded = foldLine(long);
    const physical = folded.split("\r\n");
    expect(physical.length).toBeGreaterThan(4);
    for (const p of physical) expect(octets(p)).toBeLessThanOrEqual(75);
    for (const p of physical.slice(1)) expect(p.startsWith(" ")).toBe(true);
    expect(unfold(folded)).toBe(long);
  });

  it("never splits a multi-byte UTF-8 character", () => {
    const long = `SUMMARY:${"é".repeat(100)}🎻${"ü".repeat(50)}`;
    const folded = foldLine(long);
    for (const p of folded.split("\r\n")) {
      expect(octets(p)).toBeLessThanOrEqual(75);
      // Each physical line is valid UTF-8 on its own (no replacement characters).
      expect(new TextDecoder("utf-8", { fatal: true }).decode(new TextEncoder().encode(p))).toBe(p);
    }
    expect(unfold(folded)).toBe(long);
  });
});

describe("formatUtc", () => {
  it("drops milliseconds and separators", () => {
    expect(formatUtc(new Date("2027-01-02T03:04:05.678Z"))).toBe("20270102T030405Z");
  });

  it("refuses an invalid date", () => {
    expect(() => formatUtc(new Date("nope"))).toThrow(RangeError);
  });
});
