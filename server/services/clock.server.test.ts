import { describe, expect, it } from "vitest";
import { clockStartingAt, createClock, systemClock } from "./clock.server";

describe("the clock", () => {
  it("started at an instant shows it, then advances with real elapsed time", () => {
    let real = 1_000_000;
    const clock = clockStartingAt(new Date("2026-11-24T08:30:00Z"), () => real);
    expect(clock.now().toISOString()).toBe("2026-11-24T08:30:00.000Z");
    real += 90_000;
    expect(clock.now().toISOString()).toBe("2026-11-24T08:31:30.000Z");
  });

  it("without a start instant is the real clock", () => {
    expect(createClock(undefined)).toBe(systemClock);
    expect(createClock(new Date("2026-11-24T08:30:00Z"))).not.toBe(systemClock);
  });
});
