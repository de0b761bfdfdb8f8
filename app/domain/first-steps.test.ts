import { describe, expect, it } from "vitest";
import { firstSteps, stepsDone, type SetupFacts } from "./first-steps";

const empty: SetupFacts = { terms: 0, locations: 0, rooms: 0, instruments: 8, lessonLengths: 3, teachers: 0, lessons: 0, branded: false, landingWritten: false, paymentsSet: false };

describe("a new school's first steps", () => {
  it("start with only the starter catalog ticked", () => {
    const steps = firstSteps(empty);
    expect(steps.map((s) => [s.id, s.done])).toEqual([
      ["term", false],
      ["places", false],
      ["catalog", true],
      ["teachers", false],
      ["lesson", false],
      ["branding", false],
      ["landing", false],
      ["payments", false],
    ]);
    expect(stepsDone(steps)).toBe(1);
  });

  it("tick themselves from what the school has: a location needs a room too", () => {
    expect(firstSteps({ ...empty, locations: 1 }).find((s) => s.id === "places")?.done).toBe(false);
    expect(firstSteps({ ...empty, locations: 1, rooms: 2 }).find((s) => s.id === "places")?.done).toBe(true);
    const all = firstSteps({ terms: 1, locations: 1, rooms: 1, instruments: 1, lessonLengths: 1, teachers: 1, lessons: 1, branded: true, landingWritten: true, paymentsSet: true });
    expect(stepsDone(all)).toBe(all.length);
  });

  it("untick the catalog when a school removes every instrument", () => {
    expect(firstSteps({ ...empty, instruments: 0 }).find((s) => s.id === "catalog")?.done).toBe(false);
  });
});
