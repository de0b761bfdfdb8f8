// Autopay (issue 11; ARCHITECTURE.md "Saved cards and autopay"): hourly, each school's invoices
// (and instalments) due today in its own time zone are charged to the saved cards of families
// with autopay on (app/models/autopay.server.ts `runSchoolAutopay`). Each attempt's Payment is
// keyed by the invoice and the local date, so another tick (or server) the same day charges
// nothing twice, and an attempt Stripe did not answer is sent again with the same key.
import { runSchoolAutopay } from "../../app/models/autopay.server";
import { publicAddressOf, publicLinks } from "../../tenants/links";
import type { Services } from "../context";

export interface AutopayRunReport {
  charged: number;
  failed: number;
  interrupted: number;
  errors: { schoolId: string; error: string }[];
}

export async function runAutopay(services: Pick<Services, "platform" | "payments" | "clock" | "mailer" | "env">, opts: { schoolIds?: string[] } = {}): Promise<AutopayRunReport> {
  const report: AutopayRunReport = { charged: 0, failed: 0, interrupted: 0, errors: [] };
  if (!services.payments.enabled) return report;
  const stripe = await services.payments.stripe();
  const now = services.clock.now();
  const links = publicLinks(publicAddressOf(services.env));
  for (const school of await services.platform.listActiveSchools(opts)) {
    try {
      const r = await runSchoolAutopay(services.platform.schoolDb(school.id), stripe, services.mailer, { now, origin: links.school(school) });
      report.charged += r.charged;
      report.failed += r.failed;
      report.interrupted += r.interrupted;
    } catch (error) {
      report.errors.push({ schoolId: school.id, error: (error as Error).message });
    }
  }
  return report;
}
