// Automatic sweeps (teacher pay, ARCHITECTURE.md "Teacher pay"): each school whose schedule
// (PaySettings.sweepSchedule: daily, weekly on Monday, monthly on the 1st) says its local today is
// a sweep day gets what Encore holds for it beyond what approved pay runs reserve sent to its own
// Stripe account (app/models/teacher-pay.server.ts `autoSweepIfDue`). The school's local date is
// recorded with the sweep, so a second tick (or server) the same day sweeps nothing.
import { autoSweepIfDue } from "../../app/models/teacher-pay.server";
import type { Services } from "../context";

export interface SweepReport {
  swept: number;
  errors: { schoolId: string; error: string }[];
}

export async function runHeldSweeps(services: Pick<Services, "platform" | "payments" | "clock">, opts: { schoolIds?: string[] } = {}): Promise<SweepReport> {
  const report: SweepReport = { swept: 0, errors: [] };
  if (!services.payments.enabled) return report;
  const stripe = await services.payments.stripe();
  const now = services.clock.now();
  for (const school of await services.platform.listActiveSchools(opts)) {
    try {
      if (await autoSweepIfDue(services.platform.schoolDb(school.id), stripe, now)) report.swept += 1;
    } catch (error) {
      report.errors.push({ schoolId: school.id, error: (error as Error).message });
    }
  }
  return report;
}
