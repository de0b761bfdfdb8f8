// /admin/students.csv — the roster as a spreadsheet (the same filters as the list).
// The first columns are the import's, so an exported file imports back unchanged.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { writeCsv } from "~/domain/csv";
import { EXPORT_HEADER, exportRosterRows, rosterFilters } from "~/models/roster.server";
import { requireSchool, requireUser } from "~/utils/auth.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const filters = rosterFilters(new URL(request.url).searchParams);
  const rows = await db.run((tx) => exportRosterRows(tx, filters));
  const body = writeCsv([[...EXPORT_HEADER], ...rows], { bom: true });
  const date = context.clock.now().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${school.slug}-students-${date}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
