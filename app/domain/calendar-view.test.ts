import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { contrastRatio } from "../../tenants/branding";
import {
  blockText,
  CANCELLED_STYLE,
  LESSON_TYPES,
  LESSON_TYPE_STYLE,
  addMonths,
  assignLanes,
  dropTime,
  gridHours,
  groupByLocalDate,
  layoutTimeGrid,
  parseAnchorDate,
  parseCalendarView,
  startOfWeek,
  visibleRange,
} from "./calendar-view";
import { makeFormatter } from "./locale";
import { localDateTimeToUtc } from "./time";

const NY = "America/New_York";
const LONDON = "Europe/London";
const HOUR = 3_600_000;
/** A school in New York that writes the British way (weeks from Monday, day before month). */
const NY_GB = makeFormatter({ locale: "en-GB", timeZone: NY, currency: "USD" });
const NY_US = makeFormatter({ locale: "en-US", timeZone: NY, currency: "USD" });
const LONDON_GB = makeFormatter({ locale: "en-GB", timeZone: LONDON, currency: "GBP" });

const iso = (d: Date) => d.toISOString();
/** An occurrence at a local date and time, `minutes` long. */
const occ = (id: string, date: string, time: string, minutes: number, zone = NY) => {
  const start = localDateTimeToUtc(date, time, zone);
  return { id, start, end: new Date(start.getTime() + minutes * 60_000) };
};

describe("parsing the URL", () => {
  it("accepts known views and valid dates only", () => {
    expect(parseCalendarView("month")).toBe("month");
    expect(parseCalendarView("year")).toBe("week");
    expect(parseCalendarView(null, "day")).toBe("day");
    expect(parseAnchorDate("2026-12-01", "2026-11-25")).toBe("2026-12-01");
    expect(parseAnchorDate("2026-02-30", "2026-11-25")).toBe("2026-11-25");
    expect(parseAnchorDate("next week", "2026-11-25")).toBe("2026-11-25");
    expect(parseAnchorDate(undefined, "2026-11-25")).toBe("2026-11-25");
  });
});

describe("visible dates", () => {
  it("starts weeks on Monday", () => {
    expect(startOfWeek("2026-12-01")).toBe("2026-11-30"); // Tuesday
    expect(startOfWeek("2026-11-30")).toBe("2026-11-30"); // Monday
    expect(startOfWeek("2026-12-06")).toBe("2026-11-30"); // Sunday
    expect(startOfWeek("2027-01-01")).toBe("2026-12-28"); // across the year
  });

  it("adds months, clamping to shorter months", () => {
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonths("2028-01-31", 1)).toBe("2028-02-29");
    expect(addMonths("2026-12-15", 1)).toBe("2027-01-15");
    expect(addMonths("2026-01-15", -1)).toBe("2025-12-15");
  });

  it("shows a week Monday to Sunday with prev/next a week apart", () => {
    const r = visibleRange("week", "2026-12-01", NY_GB, "2026-11-25");
    expect(r.start).toBe("2026-11-30");
    expect(r.end).toBe("2026-12-06");
    expect(r.days).toHaveLength(7);
    expect(r.weeks).toEqual([r.days]);
    expect(r.prev).toBe("2026-11-24");
    expect(r.next).toBe("2026-12-08");
    expect(r.today).toBe("2026-11-25");
    expect(r.title.replace(/\u2009/g, " ")).toBe("30 Nov – 6 Dec 2026");
    expect(iso(r.from)).toBe("2026-11-30T05:00:00.000Z");
    expect(iso(r.to)).toBe("2026-12-07T05:00:00.000Z");
  });

  it("starts the week on Sunday and writes month before day where the locale does", () => {
    const r = visibleRange("week", "2026-12-01", NY_US, "2026-11-25");
    expect([r.start, r.end]).toEqual(["2026-11-29", "2026-12-05"]);
    expect(r.title.replace(/\u2009/g, " ")).toBe("Nov 29 – Dec 5, 2026");
    expect(visibleRange("day", "2026-12-01", NY_US, "2026-11-25").title).toBe("Tue, Dec 1, 2026");
    const month = visibleRange("month", "2026-12-17", NY_US, "2026-11-25");
    expect([month.start, month.end]).toEqual(["2026-11-29", "2027-01-02"]);
    expect(startOfWeek("2026-12-05", 0)).toBe("2026-11-29"); // Saturday
    expect(startOfWeek("2026-12-06", 0)).toBe("2026-12-06"); // Sunday
  });

  it("names both years of a week that spans new year", () => {
    expect(visibleRange("week", "2026-12-31", NY_GB, "2026-11-25").title.replace(/\u2009/g, " ")).toBe("28 Dec 2026 – 3 Jan 2027");
  });

  it("shows one day with prev/next a day apart", () => {
    const r = visibleRange("day", "2026-12-01", NY_GB, "2026-11-25");
    expect(r.days).toEqual(["2026-12-01"]);
    expect(r.weeks).toEqual([["2026-12-01"]]);
    expect([r.prev, r.next]).toEqual(["2026-11-30", "2026-12-02"]);
    expect(r.title).toBe("Tue, 1 Dec 2026");
    expect(iso(r.from)).toBe("2026-12-01T05:00:00.000Z");
    expect(iso(r.to)).toBe("2026-12-02T05:00:00.000Z");
  });

  it("shows a month as whole Monday-first weeks, prev/next on the 1st", () => {
    const r = visibleRange("month", "2026-12-17", NY_GB, "2026-11-25");
    expect(r.start).toBe("2026-11-30");
    expect(r.end).toBe("2027-01-03");
    expect(r.weeks).toHaveLength(5);
    expect(r.weeks.every((w) => w.length === 7)).toBe(true);
    expect(r.month).toBe("2026-12");
    expect([r.prev, r.next]).toEqual(["2026-11-01", "2027-01-01"]);
    expect(r.title).toBe("December 2026");
    // February 2027 starts on a Monday and ends on a Sunday: exactly four weeks.
    const feb = visibleRange("month", "2027-02-10", NY_GB, "2026-11-25");
    expect([feb.start, feb.end, feb.weeks.length]).toEqual(["2027-02-01", "2027-02-28", 4]);
    // March 2026 spans six rows.
    expect(visibleRange("month", "2026-03-31", NY_GB, "2026-11-25").weeks).toHaveLength(6);
  });
});

describe("DST weeks", () => {
  it("New York: the week the clocks go back is 169 hours long", () => {
    // Sunday 1 Nov 2026 02:00 EDT → 01:00 EST; weeks start Monday, so it is in the week of 26 Oct.
    const r = visibleRange("week", "2026-11-01", NY_GB, "2026-11-25");
    expect([r.start, r.end]).toEqual(["2026-10-26", "2026-11-01"]);
    expect(iso(r.from)).toBe("2026-10-26T04:00:00.000Z"); // midnight EDT
    expect(iso(r.to)).toBe("2026-11-02T05:00:00.000Z"); // midnight EST
    expect((r.to.getTime() - r.from.getTime()) / HOUR).toBe(169);
  });

  it("New York: the week of 2026-11-02 starts where the DST week ends", () => {
    const r = visibleRange("week", "2026-11-02", NY_GB, "2026-11-25");
    expect([r.start, r.end]).toEqual(["2026-11-02", "2026-11-08"]);
    expect(iso(r.from)).toBe("2026-11-02T05:00:00.000Z");
    expect((r.to.getTime() - r.from.getTime()) / HOUR).toBe(168);
    expect(iso(visibleRange("week", r.prev, NY_GB, r.today).to)).toBe(iso(r.from));
  });

  it("New York: a 17:00 lesson sits at 17:00 on both sides of the change", () => {
    const before = occ("fri", "2026-10-30", "17:00", 60); // EDT: 21:00Z
    const after = occ("mon", "2026-11-02", "17:00", 60); // EST: 22:00Z
    expect(iso(before.start)).toBe("2026-10-30T21:00:00.000Z");
    expect(iso(after.start)).toBe("2026-11-02T22:00:00.000Z");
    const days = ["2026-10-30", "2026-10-31", "2026-11-01", "2026-11-02"];
    const layout = layoutTimeGrid([before, after], days, NY);
    const fri = layout.columns[0]!.items[0]!;
    const mon = layout.columns[3]!.items[0]!;
    expect(fri.startMinute).toBe(17 * 60);
    expect(mon.startMinute).toBe(17 * 60);
    expect(fri.top).toBe(mon.top);
    expect(fri.top).toBe(9 * 60); // 17:00 − 08:00
    expect(fri.height).toBe(60);
    expect(mon.height).toBe(60);
    // The week of 2026-11-02 loads the Monday lesson.
    const week = visibleRange("week", "2026-11-02", NY_GB, "2026-11-25");
    expect(after.start >= week.from && after.start < week.to).toBe(true);
    expect(before.start < week.from).toBe(true);
  });

  it("New York: a lesson in the repeated hour is placed by its wall-clock time", () => {
    // 01:30 happens twice on 1 Nov; the first (EDT) is 05:30Z, the second (EST) 06:30Z.
    const first = { id: "a", start: new Date("2026-11-01T05:30:00Z"), end: new Date("2026-11-01T06:00:00Z") };
    const second = { id: "b", start: new Date("2026-11-01T06:30:00Z"), end: new Date("2026-11-01T07:00:00Z") };
    const layout = layoutTimeGrid([first, second], ["2026-11-01"], NY);
    expect(layout.hours.startMinute).toBe(60); // widened to 01:00
    const [a, b] = layout.columns[0]!.items;
    expect(a!.startMinute).toBe(90);
    expect(b!.startMinute).toBe(90);
    // Same wall-clock slot: drawn side by side.
    expect([a!.lanes, b!.lanes]).toEqual([2, 2]);
    expect(new Set([a!.lane, b!.lane])).toEqual(new Set([0, 1]));
  });

  it("London: the week the clocks go forward is 167 hours long", () => {
    // Sunday 29 Mar 2026 01:00 GMT → 02:00 BST, in the week of 23 Mar.
    const r = visibleRange("week", "2026-03-29", LONDON_GB, "2026-03-25");
    expect([r.start, r.end]).toEqual(["2026-03-23", "2026-03-29"]);
    expect(iso(r.from)).toBe("2026-03-23T00:00:00.000Z");
    expect(iso(r.to)).toBe("2026-03-29T23:00:00.000Z");
    expect((r.to.getTime() - r.from.getTime()) / HOUR).toBe(167);
  });

  it("London: the week of 2026-03-30 is in summer time, and 17:00 stays 17:00", () => {
    const r = visibleRange("week", "2026-03-30", LONDON_GB, "2026-03-25");
    expect([r.start, r.end]).toEqual(["2026-03-30", "2026-04-05"]);
    expect(iso(r.from)).toBe("2026-03-29T23:00:00.000Z");
    expect(iso(r.to)).toBe("2026-04-05T23:00:00.000Z");
    const winter = occ("w", "2026-03-27", "17:00", 45, LONDON); // 17:00Z
    const dstDay = occ("d", "2026-03-29", "17:00", 45, LONDON); // 16:00Z
    const summer = occ("s", "2026-03-30", "17:00", 45, LONDON); // 16:00Z
    expect(iso(winter.start)).toBe("2026-03-27T17:00:00.000Z");
    expect(iso(summer.start)).toBe("2026-03-30T16:00:00.000Z");
    const layout = layoutTimeGrid([winter, dstDay, summer], ["2026-03-27", "2026-03-28", "2026-03-29", "2026-03-30"], LONDON);
    const tops = layout.columns.flatMap((c) => c.items.map((i) => [i.date, i.top, i.height]));
    expect(tops).toEqual([
      ["2026-03-27", 540, 45],
      ["2026-03-29", 540, 45],
      ["2026-03-30", 540, 45],
    ]);
    // Every occurrence of the summer week is inside its window; the one on the DST day is not.
    expect(summer.start >= r.from && summer.start < r.to).toBe(true);
    expect(dstDay.start < r.from).toBe(true);
  });
});

describe("hour rows", () => {
  it("are 08:00–21:00 by default", () => {
    const h = gridHours([]);
    expect(h.startMinute).toBe(480);
    expect(h.endMinute).toBe(1260);
    expect(h.hours).toEqual([8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
  });

  it("widen to whole hours around the earliest and latest occurrence", () => {
    const h = gridHours([
      { startMinute: 7 * 60 + 30, endMinute: 8 * 60 + 15 },
      { startMinute: 20 * 60 + 30, endMinute: 21 * 60 + 15 },
    ]);
    expect(h.hours[0]).toBe(7);
    expect(h.hours.at(-1)).toBe(21);
    expect([h.startMinute, h.endMinute]).toEqual([420, 1320]);
    expect(gridHours([{ startMinute: 23 * 60, endMinute: 1440 }]).endMinute).toBe(1440);
  });

  it("take options", () => {
    expect(gridHours([], { startHour: 9, endHour: 17 }).hours).toEqual([9, 10, 11, 12, 13, 14, 15, 16]);
  });
});

describe("layout", () => {
  const days = ["2026-11-30", "2026-12-01", "2026-12-02"];

  it("puts occurrences in the column of their local date, top and height in minutes", () => {
    const a = occ("a", "2026-12-01", "16:00", 45);
    const b = occ("b", "2026-11-30", "15:00", 45);
    const layout = layoutTimeGrid([a, b], days, NY);
    expect(layout.columns.map((c) => c.items.map((i) => i.item.id))).toEqual([["b"], ["a"], []]);
    const placedA = layout.columns[1]!.items[0]!;
    expect(placedA).toMatchObject({ date: "2026-12-01", startMinute: 960, endMinute: 1005, top: 480, height: 45, lane: 0, lanes: 1 });
  });

  it("leaves out occurrences of other dates", () => {
    const layout = layoutTimeGrid([occ("x", "2026-12-09", "16:00", 45)], days, NY);
    expect(layout.columns.every((c) => c.items.length === 0)).toBe(true);
  });

  it("sets overlapping occurrences side by side, and touching ones in one lane", () => {
    const items = [
      occ("a", "2026-12-01", "16:00", 60),
      occ("b", "2026-12-01", "16:30", 60),
      occ("c", "2026-12-01", "17:00", 30), // touches a, overlaps b
      occ("d", "2026-12-01", "19:00", 30), // alone
    ];
    const col = layoutTimeGrid(items, days, NY).columns[1]!;
    const byId = Object.fromEntries(col.items.map((i) => [i.item.id, [i.lane, i.lanes]]));
    expect(byId).toEqual({ a: [0, 2], b: [1, 2], c: [0, 2], d: [0, 1] });
  });

  it("gives a chain of overlaps one lane count", () => {
    // a overlaps b, b overlaps c, a and c do not touch: one cluster with two lanes.
    const lanes = assignLanes([
      { startMinute: 0, endMinute: 60 },
      { startMinute: 30, endMinute: 90 },
      { startMinute: 70, endMinute: 100 },
    ]);
    expect(lanes).toEqual([
      { lane: 0, lanes: 2 },
      { lane: 1, lanes: 2 },
      { lane: 0, lanes: 2 },
    ]);
    // Three at once need three lanes.
    expect(assignLanes([{ startMinute: 0, endMinute: 60 }, { startMinute: 0, endMinute: 30 }, { startMinute: 10, endMinute: 20 }]).map((l) => l.lanes)).toEqual([3, 3, 3]);
  });

  it("draws very short occurrences at a minimum height and lays them out as drawn", () => {
    const items = [occ("a", "2026-12-01", "16:00", 5), occ("b", "2026-12-01", "16:10", 5)];
    const col = layoutTimeGrid(items, days, NY, { minMinutes: 20 }).columns[1]!;
    expect(col.items.map((i) => i.height)).toEqual([20, 20]);
    expect(col.items.map((i) => i.lanes)).toEqual([2, 2]);
  });

  it("widens the grid for an early lesson and clips one running past midnight", () => {
    const early = occ("early", "2026-12-01", "06:45", 60);
    const late = occ("late", "2026-12-02", "23:30", 60);
    const layout = layoutTimeGrid([early, late], days, NY);
    expect(layout.hours.startMinute).toBe(360);
    expect(layout.hours.endMinute).toBe(1440);
    expect(layout.columns[1]!.items[0]!.top).toBe(45);
    const lateItem = layout.columns[2]!.items[0]!;
    expect(lateItem.endMinute).toBe(1440);
    expect(lateItem.height).toBe(30);
  });

  it("accepts ISO strings (loader data) as well as Dates", () => {
    const a = occ("a", "2026-12-01", "16:00", 45);
    const layout = layoutTimeGrid([{ id: "a", start: iso(a.start), end: iso(a.end) }], days, NY);
    expect(layout.columns[1]!.items[0]!.startMinute).toBe(960);
  });

  it("groups by local date for the month view", () => {
    // 23:30 local on 30 Nov is already 1 Dec in UTC.
    const late = occ("late", "2026-11-30", "23:30", 30);
    expect(iso(late.start)).toBe("2026-12-01T04:30:00.000Z");
    const groups = groupByLocalDate([late, occ("b", "2026-12-01", "16:00", 45)], NY);
    expect([...groups.entries()].map(([d, list]) => [d, list.map((i) => i.id)])).toEqual([
      ["2026-11-30", ["late"]],
      ["2026-12-01", ["b"]],
    ]);
  });
});

describe("dropping", () => {
  const hours = gridHours([]);

  it("snaps to 15 minutes from the top of the grid", () => {
    expect(dropTime(0, hours)).toBe("08:00");
    expect(dropTime(7, hours)).toBe("08:00");
    expect(dropTime(8, hours)).toBe("08:15");
    expect(dropTime(9 * 60 + 2, hours)).toBe("17:00");
    expect(dropTime(9 * 60 + 40, hours)).toBe("17:45");
  });

  it("stays inside the grid", () => {
    expect(dropTime(-30, hours)).toBe("08:00");
    expect(dropTime(10_000, hours)).toBe("20:45");
    expect(dropTime(10_000, gridHours([{ startMinute: 1380, endMinute: 1440 }]))).toBe("23:45");
  });
});

describe("colors", () => {
  it("keep text readable on every lesson type (≥ 4.5:1)", () => {
    for (const type of LESSON_TYPES) {
      const s = LESSON_TYPE_STYLE[type];
      expect(contrastRatio(s.text, s.background), type).toBeGreaterThanOrEqual(4.5);
    }
    expect(contrastRatio(CANCELLED_STYLE.text, CANCELLED_STYLE.background)).toBeGreaterThanOrEqual(4.5);
  });

  it("are distinct per type", () => {
    const backgrounds = LESSON_TYPES.map((t) => LESSON_TYPE_STYLE[t].background);
    expect(new Set(backgrounds).size).toBe(LESSON_TYPES.length);
  });

  it("are the ones the stylesheet's type classes set", () => {
    const css = readFileSync(fileURLToPath(new URL("../styles/calendar.css", import.meta.url)), "utf8");
    const rule = (selector: string) => new RegExp(`${selector.replace(".", "\\.")}[ ,][^{]*\\{([^}]*)\\}`).exec(css)?.[1] ?? "";
    const vars = (body: string) => Object.fromEntries([...body.matchAll(/--cal-(bg|fg|accent):\s*(#[0-9a-f]{6})/g)].map((m) => [m[1], m[2]]));
    for (const type of LESSON_TYPES) {
      const s = LESSON_TYPE_STYLE[type];
      expect(vars(rule(`.cal-t-${type.toLowerCase()}`)), type).toEqual({ bg: s.background, fg: s.text, accent: s.accent });
    }
    expect(vars(rule(".cal-t-cancelled"))).toEqual({ bg: CANCELLED_STYLE.background, fg: CANCELLED_STYLE.text, accent: CANCELLED_STYLE.accent });
  });
});

describe("what a block says", () => {
  const marker = { kind: "WEEK_MARKER" as const, title: "Guitar group", studentName: null, note: "1-on-1 week" };

  it("writes a 1-on-1 week's label once: in the headline, with no extra line repeating it", () => {
    const text = blockText(marker);
    expect(text.headline).toBe("1-on-1 week: Guitar group");
    expect(text.note).toBeNull();
    expect([text.headline, text.note].join(" ").match(/1-on-1 week/g)).toHaveLength(1);
  });

  it("uses the school's own label for the week, once", () => {
    const text = blockText({ ...marker, note: "Private week" });
    expect(text).toEqual({ headline: "Private week: Guitar group", note: null });
  });

  it("keeps the extra line of a lesson (whose children it is for) and names a session's student", () => {
    expect(blockText({ kind: "LESSON", title: "Piano", studentName: null, note: "For Emma and Lily" })).toEqual({ headline: "Piano", note: "For Emma and Lily" });
    expect(blockText({ kind: "INDIVIDUAL_SESSION", title: "Guitar group", studentName: "Emma Stone", note: null })).toEqual({ headline: "Emma Stone — 1-on-1", note: null });
  });
});
