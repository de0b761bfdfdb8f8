import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { type SeriesInput, expandSeries, expandSeriesDetailed } from "./recurrence";
import type { Closure, Term } from "./terms";
import { daysBetween, localDateTimeToUtc } from "./time";

const NY = "America/New_York";
const LONDON = "Europe/London";
const SYDNEY = "Australia/Sydney";

/** Local "yyyy-MM-dd HH:mm" via luxon, an independent check of our own conversion. */
const local = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).toFormat("yyyy-MM-dd HH:mm");
const utcHour = (d: Date) => d.getUTCHours();

function weekly(zone: string, firstDate: string, until: string, extra: Partial<SeriesInput> = {}) {
  return expandSeries({
    timeZone: zone,
    firstStart: localDateTimeToUtc(firstDate, "17:00", zone),
    durationMinutes: 45,
    recurrence: "WEEKLY",
    until,
    ...extra,
  });
}

describe("weekly lessons keep their local time across DST", () => {
  const cases = [
    // zone, first date, until, [UTC hour before, after] for each transition
    { zone: NY, name: "New York spring (8 Mar 2026)", first: "2026-03-03", until: "2026-03-10", utc: [22, 21] },
    { zone: NY, name: "New York autumn (1 Nov 2026)", first: "2026-10-27", until: "2026-11-03", utc: [21, 22] },
    { zone: LONDON, name: "London spring (29 Mar 2026)", first: "2026-03-26", until: "2026-04-02", utc: [17, 16] },
    { zone: LONDON, name: "London autumn (25 Oct 2026)", first: "2026-10-22", until: "2026-10-29", utc: [16, 17] },
    { zone: SYDNEY, name: "Sydney DST ends (5 Apr 2026)", first: "2026-04-01", until: "2026-04-08", utc: [6, 7] },
    { zone: SYDNEY, name: "Sydney DST starts (4 Oct 2026)", first: "2026-09-30", until: "2026-10-07", utc: [7, 6] },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const occ = weekly(c.zone, c.first, c.until);
      expect(occ).toHaveLength(2);
      expect(occ.map((o) => local(o.start, c.zone))).toEqual([`${c.first} 17:00`, `${c.until} 17:00`]);
      expect(occ.map((o) => o.localDate)).toEqual([c.first, c.until]);
      expect(occ.map((o) => utcHour(o.start))).toEqual(c.utc);
      // 7 days apart on the calendar, but 7 days ± 1 hour in elapsed time.
      const elapsedHours = (occ[1]!.start.getTime() - occ[0]!.start.getTime()) / 3_600_000;
      expect(Math.abs(elapsedHours - 168)).toBe(1);
      for (const o of occ) expect(o.end.getTime() - o.start.getTime()).toBe(45 * 60_000);
    });
  }

  it("a whole year of weekly lessons is always 17:00 local in all three zones", () => {
    for (const zone of [NY, LONDON, SYDNEY]) {
      const occ = weekly(zone, "2026-01-06", "2026-12-31");
      expect(occ).toHaveLength(52);
      expect(new Set(occ.map((o) => local(o.start, zone).slice(11)))).toEqual(new Set(["17:00"]));
      expect(new Set(occ.map((o) => utcHour(o.start))).size).toBe(2); // two UTC hours over the year
      for (let i = 1; i < occ.length; i++) expect(daysBetween(occ[i - 1]!.localDate, occ[i]!.localDate)).toBe(7);
    }
  });

  it("a wall time inside the spring-forward gap shifts forward on that day only", () => {
    // Weekly Sunday 02:30 in New York: on 8 Mar 2026 02:30 does not exist.
    const occ = expandSeries({
      timeZone: NY,
      firstStart: localDateTimeToUtc("2026-03-01", "02:30", NY),
      durationMinutes: 30,
      recurrence: "WEEKLY",
      until: "2026-03-15",
    });
    expect(occ.map((o) => local(o.start, NY))).toEqual([
      "2026-03-01 02:30",
      "2026-03-08 03:30",
      "2026-03-15 02:30",
    ]);
  });
});

describe("biweekly", () => {
  it("every 14 days, keeping 17:00 local across the New York change", () => {
    const occ = expandSeries({
      timeZone: NY,
      firstStart: localDateTimeToUtc("2026-02-24", "17:00", NY),
      durationMinutes: 60,
      recurrence: "BIWEEKLY",
      until: "2026-03-31",
    });
    expect(occ.map((o) => o.localDate)).toEqual(["2026-02-24", "2026-03-10", "2026-03-24"]);
    expect(occ.map((o) => local(o.start, NY).slice(11))).toEqual(["17:00", "17:00", "17:00"]);
    expect(occ.map((o) => utcHour(o.start))).toEqual([22, 21, 21]);
  });

  it("keeps its fortnightly phase when the window starts much later", () => {
    const occ = expandSeries({
      timeZone: LONDON,
      firstStart: localDateTimeToUtc("2026-01-06", "17:00", LONDON),
      durationMinutes: 60,
      recurrence: "BIWEEKLY",
      from: new Date("2026-06-01T00:00:00Z"),
      to: new Date("2026-07-01T00:00:00Z"),
    });
    expect(occ.map((o) => o.localDate)).toEqual(["2026-06-09", "2026-06-23"]);
    for (const o of occ) expect(daysBetween("2026-01-06", o.localDate) % 14).toBe(0);
  });
});

describe("monthly", () => {
  it("on the 31st skips months without a 31st", () => {
    const occ = expandSeries({
      timeZone: NY,
      firstStart: localDateTimeToUtc("2026-01-31", "17:00", NY),
      durationMinutes: 60,
      recurrence: "MONTHLY",
      until: "2026-12-31",
    });
    expect(occ.map((o) => o.localDate)).toEqual([
      "2026-01-31",
      "2026-03-31",
      "2026-05-31",
      "2026-07-31",
      "2026-08-31",
      "2026-10-31",
      "2026-12-31",
    ]);
    // Wall time kept on both sides of both New York transitions.
    expect(new Set(occ.map((o) => local(o.start, NY).slice(11)))).toEqual(new Set(["17:00"]));
    expect(occ.map((o) => utcHour(o.start))).toEqual([22, 21, 21, 21, 21, 21, 22]);
  });

  it("on the 29th skips February outside leap years", () => {
    const occ = expandSeries({
      timeZone: SYDNEY,
      firstStart: localDateTimeToUtc("2027-12-29", "10:00", SYDNEY),
      durationMinutes: 30,
      recurrence: "MONTHLY",
      until: "2029-03-31",
    });
    const dates = occ.map((o) => o.localDate);
    expect(dates).toContain("2028-02-29");
    expect(dates).not.toContain("2029-02-28");
    expect(dates.filter((d) => d.startsWith("2029-0"))).toEqual(["2029-01-29", "2029-03-29"]);
  });

  it("jumps to the window without losing the day of month", () => {
    const occ = expandSeries({
      timeZone: LONDON,
      firstStart: localDateTimeToUtc("2020-01-31", "09:00", LONDON),
      durationMinutes: 60,
      recurrence: "MONTHLY",
      from: new Date("2030-06-01T00:00:00Z"),
      to: new Date("2030-09-01T00:00:00Z"),
    });
    expect(occ.map((o) => local(o.start, LONDON))).toEqual(["2030-07-31 09:00", "2030-08-31 09:00"]);
  });
});

describe("once and custom", () => {
  it("ONCE yields exactly the first occurrence", () => {
    const firstStart = new Date("2026-03-03T21:00:00Z");
    expect(
      expandSeries({ timeZone: NY, firstStart, durationMinutes: 90, recurrence: "ONCE", until: "2027-01-01" }),
    ).toEqual([{ start: firstStart, end: new Date("2026-03-03T22:30:00Z"), localDate: "2026-03-03" }]);
  });

  it("CUSTOM uses the first date plus the custom dates, sorted and deduplicated, at the same wall time", () => {
    const occ = expandSeries({
      timeZone: LONDON,
      firstStart: localDateTimeToUtc("2026-03-19", "16:15", LONDON),
      durationMinutes: 30,
      recurrence: "CUSTOM",
      customDates: ["2026-04-09", "2026-03-26", "2026-04-09", "2026-03-19"],
    });
    expect(occ.map((o) => local(o.start, LONDON))).toEqual([
      "2026-03-19 16:15",
      "2026-03-26 16:15",
      "2026-04-09 16:15", // after the 29 Mar change: still 16:15 local
    ]);
    expect(occ.map((o) => utcHour(o.start))).toEqual([16, 16, 15]);
  });

  it("CUSTOM respects until and the window", () => {
    const base: SeriesInput = {
      timeZone: NY,
      firstStart: localDateTimeToUtc("2026-03-01", "10:00", NY),
      durationMinutes: 30,
      recurrence: "CUSTOM",
      customDates: ["2026-03-05", "2026-03-20", "2026-04-02"],
    };
    expect(expandSeries({ ...base, until: "2026-03-20" }).map((o) => o.localDate)).toEqual([
      "2026-03-01",
      "2026-03-05",
      "2026-03-20",
    ]);
    expect(
      expandSeries({ ...base, from: localDateTimeToUtc("2026-03-05", "10:00", NY), to: new Date("2026-03-21T00:00:00Z") }).map(
        (o) => o.localDate,
      ),
    ).toEqual(["2026-03-05", "2026-03-20"]);
  });

  it("rejects invalid custom dates", () => {
    expect(() =>
      expandSeries({
        timeZone: NY,
        firstStart: new Date("2026-03-01T15:00:00Z"),
        durationMinutes: 30,
        recurrence: "CUSTOM",
        customDates: ["2026-02-30"],
      }),
    ).toThrow(/Invalid custom date/);
  });
});

describe("bounds and window", () => {
  const base: SeriesInput = {
    timeZone: NY,
    firstStart: localDateTimeToUtc("2026-03-03", "17:00", NY),
    durationMinutes: 60,
    recurrence: "WEEKLY",
  };

  it("until is an inclusive local date", () => {
    expect(expandSeries({ ...base, until: "2026-03-17" }).map((o) => o.localDate)).toEqual([
      "2026-03-03",
      "2026-03-10",
      "2026-03-17",
    ]);
    expect(expandSeries({ ...base, until: "2026-03-16" })).toHaveLength(2);
    expect(expandSeries({ ...base, until: "2026-03-01" })).toEqual([]);
  });

  it("the window is half-open on start instants", () => {
    const from = localDateTimeToUtc("2026-03-10", "17:00", NY); // exactly an occurrence
    const to = localDateTimeToUtc("2026-03-24", "17:00", NY); // exactly an occurrence
    expect(expandSeries({ ...base, from, to }).map((o) => o.localDate)).toEqual(["2026-03-10", "2026-03-17"]);
  });

  it("a window before the series yields nothing", () => {
    expect(expandSeries({ ...base, from: new Date("2025-01-01T00:00:00Z"), to: new Date("2026-03-01T00:00:00Z") })).toEqual(
      [],
    );
  });

  it("refuses an unbounded repeating series, and validates input", () => {
    expect(() => expandSeries(base)).toThrow(/needs an end/);
    expect(() => expandSeries({ ...base, until: "2026-04-01", durationMinutes: 0 })).toThrow(RangeError);
    expect(() => expandSeries({ ...base, until: "2026-04-01", timeZone: "Bad/Zone" })).toThrow(RangeError);
    expect(() => expandSeries({ ...base, until: "2026-04-31" })).toThrow(RangeError);
  });

  it("caps the number of occurrences and says so", () => {
    const r = expandSeriesDetailed({ ...base, until: "2027-12-31", maxOccurrences: 5 });
    expect(r.occurrences).toHaveLength(5);
    expect(r.truncated).toBe(true);
    expect(expandSeriesDetailed({ ...base, until: "2026-03-31" }).truncated).toBe(false);
  });
});

describe("terms and closures", () => {
  const terms: Term[] = [
    { id: "t1", name: "Term 1", startDate: "2026-01-27", endDate: "2026-04-02" },
    { id: "t2", name: "Term 2", startDate: "2026-04-20", endDate: "2026-06-26" },
  ];
  const closures: Closure[] = [
    { id: "c1", name: "Easter Monday", startDate: "2026-04-06", endDate: "2026-04-06", locationId: null },
    { id: "c2", name: "Mid-term break", startDate: "2026-05-25", endDate: "2026-05-29", locationId: null },
    { id: "c3", name: "Downtown boiler repair", startDate: "2026-03-16", endDate: "2026-03-20", locationId: "downtown" },
  ];
  // Monday lessons at 16:00 London from 26 Jan (the day before term 1) to 6 Jul.
  const mondays: SeriesInput = {
    timeZone: LONDON,
    firstStart: localDateTimeToUtc("2026-01-26", "16:00", LONDON),
    durationMinutes: 30,
    recurrence: "WEEKLY",
    until: "2026-07-06",
  };

  it("keeps only dates inside a term, term start and end inclusive", () => {
    const thursdays = expandSeries({
      ...mondays,
      firstStart: localDateTimeToUtc("2026-01-22", "16:00", LONDON),
      terms,
    }).map((o) => o.localDate);
    // 22 Jan is before term 1; 2 Apr (term 1's last day) is kept; 23 Apr is the first in term 2.
    expect(thursdays[0]).toBe("2026-01-29");
    expect(thursdays).toContain("2026-04-02");
    expect(thursdays).not.toContain("2026-04-09");
    expect(thursdays).not.toContain("2026-04-16");
    expect(thursdays[thursdays.indexOf("2026-04-02") + 1]).toBe("2026-04-23");
    expect(thursdays[thursdays.length - 1]).toBe("2026-06-25");
  });

  it("a term starting on a lesson day includes that day", () => {
    const tuesdays = expandSeries({
      ...mondays,
      firstStart: localDateTimeToUtc("2026-01-20", "16:00", LONDON),
      terms,
    }).map((o) => o.localDate);
    expect(tuesdays[0]).toBe("2026-01-27");
  });

  it("skips school-wide closures for every location, and location closures only there", () => {
    const downtown = expandSeries({ ...mondays, terms, closures, locationId: "downtown" }).map((o) => o.localDate);
    const uptown = expandSeries({ ...mondays, terms, closures, locationId: "uptown" }).map((o) => o.localDate);
    const online = expandSeries({ ...mondays, terms, closures, locationId: null }).map((o) => o.localDate);

    for (const dates of [downtown, uptown, online]) {
      expect(dates).not.toContain("2026-05-25"); // mid-term break, whole school
      expect(dates).toContain("2026-04-20"); // first day of term 2
      expect(dates).not.toContain("2026-04-06"); // Easter Monday: also outside term
    }
    expect(downtown).not.toContain("2026-03-16");
    expect(uptown).toContain("2026-03-16");
    expect(online).toContain("2026-03-16");
    expect(uptown.length - downtown.length).toBe(1);
  });

  it("reports skipped dates with the reason", () => {
    const r = expandSeriesDetailed({ ...mondays, terms, closures, locationId: "downtown" });
    expect(r.skipped.find((s) => s.localDate === "2026-03-16")).toMatchObject({
      reason: "CLOSURE",
      closure: { id: "c3" },
    });
    expect(r.skipped.find((s) => s.localDate === "2026-05-25")).toMatchObject({ reason: "CLOSURE", closure: { id: "c2" } });
    expect(r.skipped.find((s) => s.localDate === "2026-04-13")).toEqual({ localDate: "2026-04-13", reason: "OUTSIDE_TERM" });
    expect(r.skipped.find((s) => s.localDate === "2026-01-26")).toEqual({ localDate: "2026-01-26", reason: "OUTSIDE_TERM" });
    // Nothing is both kept and skipped, and together they are all the Mondays in range.
    const kept = new Set(r.occurrences.map((o) => o.localDate));
    for (const s of r.skipped) expect(kept.has(s.localDate)).toBe(false);
    expect(kept.size + r.skipped.length).toBe(daysBetween("2026-01-26", "2026-06-22") / 7 + 1);
  });

  it("terms bound an otherwise open-ended series", () => {
    const { until: _until, ...open } = mondays;
    const occ = expandSeries({ ...open, terms });
    expect(occ[occ.length - 1]!.localDate).toBe("2026-06-22");
  });

  it("an empty term list means no restriction", () => {
    expect(expandSeries({ ...mondays, terms: [] })).toHaveLength(expandSeries(mondays).length);
  });
});

describe("long-running series", () => {
  // How fast this is lives in bench/ (tests never assert wall-clock time).
  it("expands a year for 1,000 weekly series that started decades ago", () => {
    const zones = [NY, LONDON, SYDNEY];
    const from = new Date("2026-01-01T00:00:00Z");
    const to = new Date("2027-01-01T00:00:00Z");
    let total = 0;
    for (let i = 0; i < 1000; i++) {
      const zone = zones[i % 3]!;
      const minute = 8 * 60 + ((i * 5) % (12 * 60)); // 08:00–19:55, many distinct times
      const occ = expandSeries({
        timeZone: zone,
        firstStart: localDateTimeToUtc(`19${50 + (i % 50)}-01-0${1 + (i % 7)}`, minute, zone),
        durationMinutes: 30,
        recurrence: i % 2 ? "WEEKLY" : "BIWEEKLY",
        from,
        to,
      });
      total += occ.length;
      if (i === 0) expect(occ.every((o) => o.start >= from && o.start < to)).toBe(true);
    }
    expect(total).toBeGreaterThan(500 * 52 + 500 * 26 - 1000);
  });
});
