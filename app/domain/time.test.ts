import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import {
  addDays,
  daysBetween,
  formatLocalTime,
  formatLongDate,
  formatMinutes,
  formatShortDate,
  isValidLocalDate,
  isValidTimeZone,
  localDateTimeToUtc,
  localMinutesOfDay,
  localWeekday,
  normalizeLocalDate,
  overlaps,
  parseTime,
  toLocalDate,
  toLocalParts,
  tryParseTime,
  weekdayOfLocalDate,
  zoneOffsetMs,
} from "./time";

const NY = "America/New_York";
const LONDON = "Europe/London";
const SYDNEY = "Australia/Sydney";

const iso = (d: Date) => d.toISOString();

describe("HH:mm times", () => {
  it("parses and formats", () => {
    expect(parseTime("00:00")).toBe(0);
    expect(parseTime("09:05")).toBe(545);
    expect(parseTime("9:05")).toBe(545);
    expect(parseTime("23:59")).toBe(1439);
    expect(parseTime("24:00")).toBe(1440);
    expect(formatMinutes(545)).toBe("09:05");
    expect(formatMinutes(0)).toBe("00:00");
    expect(formatMinutes(1440)).toBe("24:00");
  });

  it("rejects invalid times", () => {
    for (const bad of ["24:01", "25:00", "12:60", "1200", "ab:cd", "", "12:5"]) {
      expect(tryParseTime(bad), bad).toBeNull();
      expect(() => parseTime(bad), bad).toThrow(RangeError);
    }
    expect(() => formatMinutes(-1)).toThrow(RangeError);
    expect(() => formatMinutes(1441)).toThrow(RangeError);
  });
});

describe("local dates", () => {
  it("validates calendar dates", () => {
    expect(isValidLocalDate("2026-02-28")).toBe(true);
    expect(isValidLocalDate("2026-02-29")).toBe(false);
    expect(isValidLocalDate("2028-02-29")).toBe(true);
    expect(isValidLocalDate("2100-02-29")).toBe(false);
    expect(isValidLocalDate("2000-02-29")).toBe(true);
    expect(isValidLocalDate("2026-13-01")).toBe(false);
    expect(isValidLocalDate("2026-1-01")).toBe(false);
    expect(isValidLocalDate(null)).toBe(false);
  });

  it("does day arithmetic across month, year and leap boundaries", () => {
    expect(addDays("2026-02-28", 1)).toBe("2026-03-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(daysBetween("2026-01-01", "2027-01-01")).toBe(365);
    expect(daysBetween("2027-01-01", "2026-01-01")).toBe(-365);
  });

  it("knows weekdays (0 = Sunday)", () => {
    expect(weekdayOfLocalDate("2026-03-03")).toBe(2); // Tuesday
    expect(weekdayOfLocalDate("2026-03-08")).toBe(0); // Sunday
    expect(weekdayOfLocalDate("1970-01-01")).toBe(4);
    expect(weekdayOfLocalDate("1969-12-31")).toBe(3);
  });

  it("formats for people", () => {
    expect(formatShortDate("2026-03-03")).toBe("Tue 3 Mar");
    expect(formatLongDate("2026-03-03")).toBe("3 Mar 2026");
    expect(formatShortDate("2026-09-13")).toBe("Sun 13 Sep");
  });

  it("normalises Prisma @db.Date values", () => {
    expect(normalizeLocalDate(new Date("2026-03-03T00:00:00Z"))).toBe("2026-03-03");
    expect(normalizeLocalDate("2026-03-03")).toBe("2026-03-03");
    expect(() => normalizeLocalDate("03/03/2026")).toThrow(RangeError);
  });
});

describe("time zones", () => {
  it("validates IANA names", () => {
    expect(isValidTimeZone("Europe/London")).toBe(true);
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
    expect(isValidTimeZone(42)).toBe(false);
    expect(() => localDateTimeToUtc("2026-01-01", "10:00", "Nowhere/Land")).toThrow(RangeError);
  });

  it("agrees with luxon for every day of 2026 at 17:00 (never ambiguous)", () => {
    for (const zone of [NY, LONDON, SYDNEY, "UTC", "Asia/Kolkata", "Australia/Lord_Howe"]) {
      for (let d = "2026-01-01"; d <= "2026-12-31"; d = addDays(d, 1)) {
        const expected = DateTime.fromISO(`${d}T17:00`, { zone }).toUTC().toISO();
        expect(localDateTimeToUtc(d, "17:00", zone).toISOString(), `${zone} ${d}`).toBe(expected);
      }
    }
  });

  it("shifts a nonexistent (spring-forward) time forward by the gap", () => {
    // New York 8 Mar 2026: 02:00 EST → 03:00 EDT. 02:30 becomes 03:30 EDT.
    expect(iso(localDateTimeToUtc("2026-03-08", "02:30", NY))).toBe("2026-03-08T07:30:00.000Z");
    // London 29 Mar 2026: 01:00 GMT → 02:00 BST. 01:30 becomes 02:30 BST.
    expect(iso(localDateTimeToUtc("2026-03-29", "01:30", LONDON))).toBe("2026-03-29T01:30:00.000Z");
    // Sydney 4 Oct 2026: 02:00 AEST → 03:00 AEDT. 02:30 becomes 03:30 AEDT.
    expect(iso(localDateTimeToUtc("2026-10-04", "02:30", SYDNEY))).toBe("2026-10-03T16:30:00.000Z");
    expect(formatLocalTime(localDateTimeToUtc("2026-10-04", "02:30", SYDNEY), SYDNEY)).toBe("03:30");
  });

  it("resolves a repeated (fall-back) time to the earlier instant", () => {
    // New York 1 Nov 2026: 01:30 happens at 05:30Z (EDT) and 06:30Z (EST).
    expect(iso(localDateTimeToUtc("2026-11-01", "01:30", NY))).toBe("2026-11-01T05:30:00.000Z");
    // London 25 Oct 2026: 01:30 BST (00:30Z) and 01:30 GMT (01:30Z).
    expect(iso(localDateTimeToUtc("2026-10-25", "01:30", LONDON))).toBe("2026-10-25T00:30:00.000Z");
    // Sydney 5 Apr 2026: 02:30 AEDT (15:30Z the day before) and 02:30 AEST (16:30Z).
    expect(iso(localDateTimeToUtc("2026-04-05", "02:30", SYDNEY))).toBe("2026-04-04T15:30:00.000Z");
  });

  it("reads local date, weekday and time of an instant", () => {
    // 2026-03-03T22:30Z is Tuesday 17:30 in New York, Wednesday 09:30 in Sydney.
    const t = new Date("2026-03-03T22:30:00Z");
    expect(toLocalDate(t, NY)).toBe("2026-03-03");
    expect(localWeekday(t, NY)).toBe(2);
    expect(localMinutesOfDay(t, NY)).toBe(17 * 60 + 30);
    expect(toLocalDate(t, SYDNEY)).toBe("2026-03-04");
    expect(localWeekday(t, SYDNEY)).toBe(3);
    expect(formatLocalTime(t, SYDNEY)).toBe("09:30");
    expect(toLocalParts(t, LONDON)).toMatchObject({ date: "2026-03-03", weekday: 2, minutes: 22 * 60 + 30 });
  });

  it("reports offsets that change at the transitions", () => {
    const h = 3_600_000;
    expect(zoneOffsetMs(NY, new Date("2026-03-08T06:59:59Z"))).toBe(-5 * h);
    expect(zoneOffsetMs(NY, new Date("2026-03-08T07:00:00Z"))).toBe(-4 * h);
    expect(zoneOffsetMs(LONDON, new Date("2026-10-25T00:59:59Z"))).toBe(1 * h);
    expect(zoneOffsetMs(LONDON, new Date("2026-10-25T01:00:00Z"))).toBe(0);
    expect(zoneOffsetMs(SYDNEY, new Date("2026-07-01T00:00:00Z"))).toBe(10 * h);
    expect(zoneOffsetMs(SYDNEY, new Date("2026-12-01T00:00:00Z"))).toBe(11 * h);
  });
});

describe("overlaps (half-open)", () => {
  const at = (h: number) => new Date(Date.UTC(2026, 2, 3, h));
  it("touching intervals do not overlap", () => {
    expect(overlaps(at(16), at(17), at(17), at(18))).toBe(false);
    expect(overlaps(at(17), at(18), at(16), at(17))).toBe(false);
  });
  it("detects partial and full overlap", () => {
    expect(overlaps(at(16), at(18), at(17), at(19))).toBe(true);
    expect(overlaps(at(16), at(19), at(17), at(18))).toBe(true);
    expect(overlaps(at(17), at(18), at(16), at(19))).toBe(true);
  });
  it("empty intervals never overlap", () => {
    expect(overlaps(at(17), at(17), at(16), at(19))).toBe(false);
  });
});
