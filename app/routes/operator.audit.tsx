import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { requireOperator } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Audit log");

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireOperator(request, context);
  return { entries: await context.operator.listAuditLog(request) };
}

export default function AuditLog() {
  const fmt = useFormat();
  const { entries } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <h1>Audit log</h1>
      <section className="card table-wrap">
        <table className="stack-table">
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">Operator</th>
              <th scope="col">Action</th>
              <th scope="col">School</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>{fmt.dateTime(e.createdAt)}</td>
                <td data-label="Operator">{e.operator?.email ?? "system"}</td>
                <td data-label="Action">
                  <code>{e.action}</code>
                </td>
                <td data-label="School">{e.targetSchool ? `${e.targetSchool.name} (${e.targetSchool.slug})` : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
