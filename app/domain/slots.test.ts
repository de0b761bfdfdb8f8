import { describe, it, expect } from "vitest";
import { type AvailabilityWindow, type FreeSlotsInput, computeFreeSlots } from "./slots";

const LONDON = "Europe/London";
const iso = (slots: { start: Date }[]): string[] => slots.map((s) => s.start.toISOString());

/** Week Mon 12 – Sun 18 Jan 2026 in London (UTC+0, so local == UTC). */
function input(overrides: Partial<FreeSlotsInput> = {}): FreeSlotsInput {
  return {
    timeZone: LONDON,
    weekStart: "2026-01-12",
    weekEnd: "2026-01-18",
    durationMinutes: 30,
    availability: [{ dayOfWeek: 1, startTime: "15:00", endTime: "17:00", locationId: "loc-a" }],
    busy: [],
    closures: [],
    now: new Date("2026-01-01T00:00:00Z"),
    ...overrides,
  };
}

describe("computeFreeSlots", () => {
  it("fills an availability window with back-to-back slots", () => {
    const slots = computeFreeSlots(input());
    expect(iso(slots)).toEqual([
      "2026-01-12T15:00:00.000Z",
      "2026-01-12T15:30:00.000Z",
      "2026-01-12T16:00:00.000Z",
      "2026-01-12T16:30:00.000Z",
    ]);
    expect(slots[3]?.end.toISOString()).toBe("2026-01-12T17:00:00.000Z");
    expect(slots[0]?.locationId).toBe("loc-a");
  });

  it("uses stepMinutes for overlapping candidates but keeps slots inside the window", () => {
    const slots = computeFreeSlots(input({ stepMinutes: 15 }));
    expect(iso(slots)).toEqual([
      "2026-01-12T15:00:00.000Z",
      "2026-01-12T15:15:00.000Z",
      "2026-01-12T15:30:00.000Z",
      "2026-01-12T15:45:00.000Z",
      "2026-01-12T16:00:00.000Z",
      "2026-01-12T16:15:00.000Z",
      "2026-01-12T16:30:00.000Z",
    ]);
  });

  it("drops slots that do not fit fully", () => {
    const slots = computeFreeSlots(input({ durationMinutes: 45 }));
    expect(iso(slots)).toEqual(["2026-01-12T15:00:00.000Z", "2026-01-12T15:45:00.000Z"]);
  });

  it("removes slots overlapping busy blocks; touching edges are fine", () => {
    const slots = computeFreeSlots(
      input({
        busy: [
          { start: new Date("2026-01-12T15:30:00Z"), end: new Date("2026-01-12T16:15:00Z") },
          { start: new Date("2026-01-12T14:00:00Z"), end: new Date("2026-01-12T15:00:00Z") }, // ends at 15:00
        ],
      }),
    );
    expect(iso(slots)).toEqual(["2026-01-12T15:00:00.000Z", "2026-01-12T16:30:00.000Z"]);
  });

  it("excludes past slots and slots inside the minimum notice", () => {
    const now = new Date("2026-01-12T14:50:00Z");
    expect(iso(computeFreeSlots(input({ now })))).toEqual([
      "2026-01-12T15:00:00.000Z",
      "2026-01-12T15:30:00.000Z",
      "2026-01-12T16:00:00.000Z",
      "2026-01-12T16:30:00.000Z",
    ]);
    expect(iso(computeFreeSlots(input({ now, minNoticeMinutes: 60 })))).toEqual([
      "2026-01-12T16:00:00.000Z",
      "2026-01-12T16:30:00.000Z",
    ]);
    expect(iso(computeFreeSlots(input({ now: new Date("2026-01-12T16:00:00Z") })))).toEqual([
      "2026-01-12T16:00:00.000Z",
      "2026-01-12T16:30:00.000Z",
    ]);
  });

  it("skips closed dates: school-wide always, location closures only for that location", () => {
    const availability: AvailabilityWindow[] = [
      { dayOfWeek: 1, startTime: "15:00", endTime: "16:00", locationId: "loc-a" },
      { dayOfWeek: 2, startTime: "15:00", endTime: "16:00", locationId: "loc-b" },
      { dayOfWeek: 3, startTime: "15:00", endTime: "16:00", locationId: null },
    ];
    const all = computeFreeSlots(input({ availability }));
    expect(all).toHaveLength(6);

    const locA = computeFreeSlots(
      input({ availability, closures: [{ startDate: "2026-01-12", endDate: "2026-01-14", locationId: "loc-a" }] }),
    );
    expect(iso(locA)).toEqual([
      "2026-01-13T15:00:00.000Z",
      "2026-01-13T15:30:00.000Z",
      "2026-01-14T15:00:00.000Z",
      "2026-01-14T15:30:00.000Z",
    ]);

    const school = computeFreeSlots(input({ availability, closures: [{ startDate: "2026-01-13", endDate: "2026-01-14" }] }));
    expect(iso(school)).toEqual(["2026-01-12T15:00:00.000Z", "2026-01-12T15:30:00.000Z"]);
  });

  it("honours validFrom / validUntil and ignores days outside the week", () => {
    const availability: AvailabilityWindow[] = [
      { dayOfWeek: 1, startTime: "15:00", endTime: "15:30", locationId: null, validFrom: "2026-01-13" },
      { dayOfWeek: 2, startTime: "15:00", endTime: "15:30", locationId: null, validUntil: "2026-01-12" },
      { dayOfWeek: 3, startTime: "15:00", endTime: "15:30", locationId: null, validFrom: "2026-01-01", validUntil: "2026-01-14" },
    ];
    expect(iso(computeFreeSlots(input({ availability })))).toEqual(["2026-01-14T15:00:00.000Z"]);
    expect(computeFreeSlots(input({ availability, weekStart: "2026-01-15", weekEnd: "2026-01-18" }))).toEqual([]);
  });

  it("sorts across windows and de-duplicates overlapping windows", () => {
    const availability: AvailabilityWindow[] = [
      { dayOfWeek: 5, startTime: "10:00", endTime: "11:00", locationId: "loc-a" },
      { dayOfWeek: 1, startTime: "16:00", endTime: "17:00", locationId: "loc-a" },
      { dayOfWeek: 1, startTime: "15:30", endTime: "16:30", locationId: "loc-b" },
    ];
    expect(iso(computeFreeSlots(input({ availability })))).toEqual([
      "2026-01-12T15:30:00.000Z",
      "2026-01-12T16:00:00.000Z",
      "2026-01-12T16:30:00.000Z",
      "2026-01-16T10:00:00.000Z",
      "2026-01-16T10:30:00.000Z",
    ]);
  });

  it("supports 24:00 as end of day and ignores inverted windows", () => {
    const availability: AvailabilityWindow[] = [
      { dayOfWeek: 1, startTime: "23:00", endTime: "24:00", locationId: null },
      { dayOfWeek: 2, startTime: "18:00", endTime: "17:00", locationId: null },
    ];
    expect(iso(computeFreeSlots(input({ availability })))).toEqual([
      "2026-01-12T23:00:00.000Z",
      "2026-01-12T23:30:00.000Z",
    ]);
  });

  it("keeps local times across the New York DST change (week of 8 March 2026)", () => {
    const availability: AvailabilityWindow[] = [
      { dayOfWeek: 6, startTime: "09:00", endTime: "10:00", locationId: null }, // Sat 7 Mar, EST
      { dayOfWeek: 0, startTime: "09:00", endTime: "10:00", locationId: null }, // Sun 8 Mar, EDT
      { dayOfWeek: 1, startTime: "09:00", endTime: "10:00", locationId: null }, // Mon 9 Mar, EDT
    ];
    const slots = computeFreeSlots(
      input({
        timeZone: "America/New_York",
        weekStart: "2026-03-05",
        weekEnd: "2026-03-11",
        durationMinutes: 60,
        availability,
      }),
    );
    expect(iso(slots)).toEqual([
      "2026-03-07T14:00:00.000Z",
      "2026-03-08T13:00:00.000Z",
      "2026-03-09T13:00:00.000Z",
    ]);
  });

  it("yields only real time in a window spanning the spring-forward gap", () => {
    // Sun 8 Mar 2026 01:00–04:00 local is only 2 real hours (02:00 → 03:00 skipped).
    const slots = computeFreeSlots(
      input({
        timeZone: "America/New_York",
        weekStart: "2026-03-08",
        weekEnd: "2026-03-08",
        durationMinutes: 60,
        availability: [{ dayOfWeek: 0, startTime: "01:00", endTime: "04:00", locationId: null }],
      }),
    );
    expect(slots.map((s) => [s.start.toISOString(), s.end.toISOString()])).toEqual([
      ["2026-03-08T06:00:00.000Z", "2026-03-08T07:00:00.000Z"], // 01:00 EST – 03:00 EDT
      ["2026-03-08T07:00:00.000Z", "2026-03-08T08:00:00.000Z"], // 03:00 – 04:00 EDT
    ]);
  });

  it("keeps local times across London (29 Mar 2026) and Sydney (5 Apr 2026) changes", () => {
    const sunday = [{ dayOfWeek: 0, startTime: "10:00", endTime: "10:30", locationId: null }];
    const london = computeFreeSlots(
      input({ weekStart: "2026-03-22", weekEnd: "2026-03-29", availability: sunday }),
    );
    expect(iso(london)).toEqual(["2026-03-22T10:00:00.000Z", "2026-03-29T09:00:00.000Z"]);

    const sydney = computeFreeSlots(
      input({ timeZone: "Australia/Sydney", weekStart: "2026-03-29", weekEnd: "2026-04-05", availability: sunday }),
    );
    expect(iso(sydney)).toEqual(["2026-03-28T23:00:00.000Z", "2026-04-05T00:00:00.000Z"]);
  });

  it("rejects invalid inputs", () => {
    expect(() => computeFreeSlots(input({ durationMinutes: 0 }))).toThrow(/Duration/);
    expect(() => computeFreeSlots(input({ stepMinutes: -5 }))).toThrow(/Step/);
    expect(() => computeFreeSlots(input({ timeZone: "Nowhere/Land" }))).toThrow(/time zone/);
    expect(() =>
      computeFreeSlots(input({ availability: [{ dayOfWeek: 1, startTime: "9am", endTime: "10:00", locationId: null }] })),
    ).toThrow(/not a valid time/);
  });
});
