import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { type EditableOccurrence, type PlanEditInput, isCancelledStatus, planOccurrenceEdit } from "./occurrence-edit";
import { expandSeries } from "./recurrence";
import { localDateTimeToUtc } from "./time";

const NY = "America/New_York";
const SYDNEY = "Australia/Sydney";
const local = (d: Date, zone = NY) => DateTime.fromJSDate(d, { zone }).toFormat("ccc yyyy-MM-dd HH:mm");

/** Weekly Tuesday 17:00–17:45 New York, 24 Feb – 31 Mar 2026 (crosses 8 Mar): o1…o6. */
function series(zone = NY, firstDate = "2026-02-24", until = "2026-03-31"): EditableOccurrence[] {
  return expandSeries({
    timeZone: zone,
    firstStart: localDateTimeToUtc(firstDate, "17:00", zone),
    durationMinutes: 45,
    recurrence: "WEEKLY",
    until,
  }).map((o, i) => ({ id: `o${i + 1}`, start: o.start, end: o.end, status: "SCHEDULED", roomId: "studio-a", teacherId: null }));
}

const longAgo = new Date("2026-01-01T00:00:00Z");

function plan(overrides: Partial<PlanEditInput>) {
  return planOccurrenceEdit({
    timeZone: NY,
    occurrences: series(),
    scope: "THIS",
    targetId: "o3",
    change: {},
    now: longAgo,
    ...overrides,
  });
}

describe("scope THIS", () => {
  it("moves only the target, to the new local time", () => {
    const p = plan({ change: { startTime: "17:30" } });
    expect(p.updates).toHaveLength(1);
    const [u] = p.updates;
    expect(u!.id).toBe("o3");
    expect(local(u!.start)).toBe("Tue 2026-03-10 17:30");
    expect(local(u!.end)).toBe("Tue 2026-03-10 18:15"); // keeps its 45 minutes
    expect(u!.localDate).toBe("2026-03-10");
    expect(u!.previousStart).toEqual(series()[2]!.start);
    expect(p.skipped).toEqual([]);
    expect(p.collisions).toEqual([]);
  });

  it("may correct a past occurrence", () => {
    const p = plan({ change: { durationMinutes: 60 }, now: new Date("2026-06-01T00:00:00Z") });
    expect(p.updates.map((u) => u.id)).toEqual(["o3"]);
    expect(p.updates[0]!.end.getTime() - p.updates[0]!.start.getTime()).toBe(60 * 60_000);
  });

  it("never moves a cancelled occurrence", () => {
    const occurrences = series().map((o) => (o.id === "o3" ? { ...o, status: "CANCELLED_BY_TEACHER" } : o));
    expect(plan({ occurrences, change: { startTime: "18:00" } })).toEqual({
      updates: [],
      skipped: [{ id: "o3", reason: "CANCELLED" }],
      collisions: [],
    });
  });

  it("moves to another day with shiftDays, keeping the wall time", () => {
    // o2 is Tue 3 Mar (EST); Sunday 8 Mar is the change; moving it +6 days lands on Mon 9 Mar (EDT).
    const p = plan({ targetId: "o2", change: { shiftDays: 6 } });
    expect(local(p.updates[0]!.start)).toBe("Mon 2026-03-09 17:00");
    expect(p.updates[0]!.start.getTime() - series()[1]!.start.getTime()).toBe((6 * 24 - 1) * 3_600_000);
  });

  it("reports a collision with another occurrence of the series", () => {
    const p = plan({ targetId: "o2", change: { shiftDays: 7 } });
    expect(p.collisions).toEqual([{ id: "o3", otherId: "o2", start: series()[2]!.start }]);
  });
});

describe("scope FOLLOWING", () => {
  it("moves the target and later ones; each stays at the new local time across DST", () => {
    const before = series();
    const p = plan({ scope: "FOLLOWING", targetId: "o2", change: { startTime: "16:15" } });
    expect(p.updates.map((u) => u.id)).toEqual(["o2", "o3", "o4", "o5", "o6"]);
    for (const u of p.updates) expect(local(u.start).slice(-5)).toBe("16:15");
    // o2 is before the change (EST, UTC-5), o3 after (EDT, UTC-4).
    expect(p.updates[0]!.start.toISOString()).toBe("2026-03-03T21:15:00.000Z");
    expect(p.updates[1]!.start.toISOString()).toBe("2026-03-10T20:15:00.000Z");
    // Each moved exactly 45 minutes earlier in elapsed time, keeping its length.
    for (const u of p.updates) {
      const old = before.find((o) => o.id === u.id)!;
      expect(old.start.getTime() - u.start.getTime()).toBe(45 * 60_000);
      expect(u.end.getTime() - u.start.getTime()).toBe(45 * 60_000);
    }
  });

  it("skips cancelled and past occurrences, even the target", () => {
    const occurrences = series().map((o) => (o.id === "o5" ? { ...o, status: "CANCELLED" } : o));
    const now = localDateTimeToUtc("2026-03-10", "17:10", NY); // o3 has started
    const p = plan({ occurrences, scope: "FOLLOWING", targetId: "o3", change: { startTime: "18:00" }, now });
    expect(p.updates.map((u) => u.id)).toEqual(["o4", "o6"]);
    expect(p.skipped).toEqual([
      { id: "o3", reason: "PAST" },
      { id: "o5", reason: "CANCELLED" },
    ]);
  });

  it("finds following occurrences by time, not by list order", () => {
    const shuffled = [...series()].reverse();
    const p = plan({ occurrences: shuffled, scope: "FOLLOWING", targetId: "o4", change: { durationMinutes: 30 } });
    expect(p.updates.map((u) => u.id)).toEqual(["o4", "o5", "o6"]);
  });
});

describe("scope ALL", () => {
  it("changes every future, active occurrence and leaves the past alone", () => {
    const now = localDateTimeToUtc("2026-03-05", "12:00", NY); // after o1, o2
    const p = plan({ scope: "ALL", targetId: "o5", change: { startTime: "17:30", durationMinutes: 60 }, now });
    expect(p.updates.map((u) => u.id)).toEqual(["o3", "o4", "o5", "o6"]);
    expect(p.skipped).toEqual([
      { id: "o1", reason: "PAST" },
      { id: "o2", reason: "PAST" },
    ]);
    for (const u of p.updates) {
      expect(local(u.start).slice(-5)).toBe("17:30");
      expect(local(u.end).slice(-5)).toBe("18:30");
    }
  });

  it("a room change keeps the times and only lists real changes", () => {
    const occurrences = series().map((o) => (o.id === "o4" ? { ...o, roomId: "studio-b" } : o));
    const p = plan({ occurrences, scope: "ALL", change: { roomId: "studio-b" } });
    expect(p.updates.map((u) => u.id)).toEqual(["o1", "o2", "o3", "o5", "o6"]);
    expect(p.skipped).toEqual([{ id: "o4", reason: "UNCHANGED" }]);
    for (const u of p.updates) {
      expect(u.start).toEqual(u.previousStart);
      expect(u.end).toEqual(u.previousEnd);
      expect(u.roomId).toBe("studio-b");
      expect(u).not.toHaveProperty("teacherId");
    }
  });

  it("a teacher change is a change even when the time is not", () => {
    const p = plan({ scope: "ALL", change: { startTime: "17:00", teacherId: "lee" } });
    expect(p.updates).toHaveLength(6);
    expect(p.updates.every((u) => u.teacherId === "lee" && u.start.getTime() === u.previousStart.getTime())).toBe(true);
  });

  it("setting the current time changes nothing", () => {
    const p = plan({ scope: "ALL", change: { startTime: "17:00" } });
    expect(p.updates).toEqual([]);
    expect(p.skipped.map((s) => s.reason)).toEqual(Array(6).fill("UNCHANGED"));
  });

  it("keeps an individually moved occurrence's own time when only the duration changes", () => {
    const occurrences = series();
    const moved = localDateTimeToUtc("2026-03-17", "18:00", NY);
    occurrences[3] = { ...occurrences[3]!, start: moved, end: new Date(moved.getTime() + 45 * 60_000) };
    const p = plan({ occurrences, scope: "ALL", change: { durationMinutes: 50 } });
    const o4 = p.updates.find((u) => u.id === "o4")!;
    expect(local(o4.start)).toBe("Tue 2026-03-17 18:00");
    expect(local(o4.end)).toBe("Tue 2026-03-17 18:50");
  });

  it("works in the southern hemisphere (Sydney, DST ends 5 Apr 2026)", () => {
    const occurrences = series(SYDNEY, "2026-03-24", "2026-04-07"); // 24 Mar, 31 Mar (AEDT), 7 Apr (AEST)
    const p = planOccurrenceEdit({
      timeZone: SYDNEY,
      occurrences,
      scope: "ALL",
      targetId: "o1",
      change: { startTime: "09:00" },
      now: longAgo,
    });
    expect(p.updates.map((u) => local(u.start, SYDNEY))).toEqual([
      "Tue 2026-03-24 09:00",
      "Tue 2026-03-31 09:00",
      "Tue 2026-04-07 09:00",
    ]);
    expect(p.updates.map((u) => u.start.getUTCHours())).toEqual([22, 22, 23]);
  });
});

describe("validation", () => {
  it("rejects an unknown target and invalid changes", () => {
    expect(() => plan({ targetId: "nope" })).toThrow(/not part of this series/);
    expect(() => plan({ change: { startTime: "25:00" } })).toThrow(RangeError);
    expect(() => plan({ change: { startTime: "24:00" } })).toThrow(RangeError);
    expect(() => plan({ change: { durationMinutes: 0 } })).toThrow(RangeError);
    expect(() => plan({ change: { shiftDays: 1.5 } })).toThrow(RangeError);
    expect(() => plan({ timeZone: "Not/AZone" })).toThrow(RangeError);
  });

  it("knows the cancelled statuses", () => {
    expect(isCancelledStatus("CANCELLED")).toBe(true);
    expect(isCancelledStatus("CANCELLED_BY_TEACHER")).toBe(true);
    expect(isCancelledStatus("SCHEDULED")).toBe(false);
    expect(isCancelledStatus("COMPLETED")).toBe(false);
  });
});
