// The integration tests' "now": the demo seed is made at this instant and every
// service's clock starts here (CLOCK_START), so a test that depends on the day sees
// the same day on every run, whatever the real date is.
export const TEST_CLOCK_START = "2026-11-24T08:30:00Z";

/** The seed's "now" (the test services' clock starts here and then advances). */
export const SEED_NOW = new Date(TEST_CLOCK_START);
