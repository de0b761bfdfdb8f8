// /admin/reports/csv/:report — each report of /admin/reports as a spreadsheet.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { writeCsv } from "~/domain/csv";
import { isCsvReport, reportCsvRows } from "~/models/reports.server";
import { requireSchool, requireUser } from "~/utils/auth.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const report = params.report ?? "";
  if (!isCsvReport(report)) throw new Response("There is no such report. Choose one on the Reports page.", { status: 404 });
  const now = context.clock.now();
  const rows = await db.run((tx) => reportCsvRows(tx, report, { timeZone: school.timezone, now }));
  const body = writeCsv(rows, { bom: true });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${school.slug}-${report}-${now.toISOString().slice(0, 10)}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
