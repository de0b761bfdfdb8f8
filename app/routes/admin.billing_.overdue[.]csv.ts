// /admin/billing/overdue.csv — the overdue list (app/routes/admin.billing_.overdue.tsx) as a spreadsheet.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { writeCsv } from "~/domain/csv";
import { toLocalDate } from "~/domain/time";
import { overdueCsvRows } from "~/models/overdue.server";
import { requireSchool, requireUser } from "~/utils/auth.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const today = toLocalDate(context.clock.now(), school.timezone);
  const rows = await db.run((tx) => overdueCsvRows(tx, today));
  return new Response(writeCsv(rows, { bom: true }), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${school.slug}-overdue-${today}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
