import { afterAll, describe, expect, it } from "vitest";
import { calendarOccurrences } from "../../app/models/calendar.server";
import { hybridWeekMarkers } from "../../app/models/hybrid.server";
import { schoolId, testServices } from "../support/services";

const services = testServices();
afterAll(() => services.close());

describe("the calendar's 1-on-1 week marker", () => {
  it("stands at the group's usual time in an individual week, when the group does not meet", async () => {
    const db = services.platform.schoolDb(await schoolId(services, "harmony"));
    // Week 8 of the demo's Fall 2026 term: Tue 27 Oct – Mon 2 Nov; the Keys Hybrid Course meets Saturdays 10:00 New York.
    const from = new Date("2026-10-26T04:00:00Z");
    const to = new Date("2026-11-02T05:00:00Z");
    const [markers, occurrences] = await db.run(async (tx) => [
      await hybridWeekMarkers(tx, "America/New_York", from, to),
      await calendarOccurrences(tx, from, to),
    ] as const);
    const keys = markers.filter((m) => m.title === "Keys Hybrid Course");
    expect(keys).toHaveLength(1);
    expect(keys[0]!.start.toISOString()).toBe("2026-10-31T14:00:00.000Z");
    expect(keys[0]!.weekNumber).toBe(8);
    expect(occurrences.some((o) => o.lesson.title === "Keys Hybrid Course" && o.kind === "LESSON")).toBe(false);

    // The week before is a group week: a meeting, no marker.
    const before = await db.run((tx) => hybridWeekMarkers(tx, "America/New_York", new Date("2026-10-19T04:00:00Z"), from));
    expect(before.filter((m) => m.title === "Keys Hybrid Course")).toHaveLength(0);
  });
});
