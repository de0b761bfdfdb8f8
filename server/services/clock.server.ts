// The school's "now": one clock for everything that depends on the day (what is
// today, what is upcoming, when a lesson has started, the jobs' runs, the seed).
// In production it is the real clock. A test server (tests/e2e/server.ts) starts it
// at a fixed instant (CLOCK_START) from which it advances with real elapsed time, so
// journeys see the same day on every run and the order of events still holds.
// Security timestamps (sessions, link expiry, rate limits, caches) keep the real
// clock on purpose: see ARCHITECTURE.md, "Time".

export interface Clock {
  now(): Date;
}

/** The real clock. */
export const systemClock: Clock = Object.freeze({ now: () => new Date() });

/** A clock that shows `start` now and then advances with real time (`realNow`, for tests). */
export function clockStartingAt(start: Date, realNow: () => number = Date.now): Clock {
  const offset = start.getTime() - realNow();
  return Object.freeze({ now: () => new Date(realNow() + offset) });
}

/** The server's clock: the real one, or one started at `start` (the CLOCK_START test setting). */
export function createClock(start: Date | undefined): Clock {
  return start ? clockStartingAt(start) : systemClock;
}
