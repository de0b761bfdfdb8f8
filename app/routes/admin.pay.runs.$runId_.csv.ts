// /admin/pay/runs/:runId/csv — the teachers a run pays outside Encore, for the school's bank.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { isPayModelError, payRunCsv } from "~/models/teacher-pay.server";
import { requireSchool, requireUser } from "~/utils/auth.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  try {
    const csv = await db.run((tx) => payRunCsv(tx, params.runId ?? ""));
    return new Response(`\uFEFF${csv}`, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${school.slug}-pay-run.csv"`,
        "Cache-Control": "private, no-store",
      },
    });
  } catch (error) {
    if (isPayModelError(error)) throw new Response(error.message, { status: error.status });
    throw error;
  }
}
