import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { requireOperator } from "~/utils/auth.server";
import { schoolOrigin } from "../../tenants/host";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Schools");

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireOperator(request, context);
  const schools = await context.platform.listSchools();
  const port = Number(new URL(context.origin).port) || null;
  return {
    schools: schools.map((s) => ({
      ...s,
      url: schoolOrigin({ slug: s.slug, platformDomain: context.env.PLATFORM_DOMAIN, protocol: context.env.protocol, port }),
    })),
  };
}

export default function OperatorSchools() {
  const { schools } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <div className="spread">
        <h1>Schools</h1>
        <Link className="button" to="/operator/schools/new">
          Onboard a school
        </Link>
      </div>
      <section className="card table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">School</th>
              <th scope="col">Address</th>
              <th scope="col">Students</th>
              <th scope="col">Teachers</th>
              <th scope="col">Active enrollments</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {schools.map((s) => (
              <tr key={s.id}>
                <td>
                  <strong>{s.name}</strong>
                  <div className="muted">
                    {s.timezone} · {s.currency}
                  </div>
                </td>
                <td>
                  <a href={s.url}>{s.url.replace(/^https?:\/\//, "")}</a>
                </td>
                <td>{s.students}</td>
                <td>{s.teachers}</td>
                <td>{s.activeEnrollments}</td>
                <td>{s.status === "ACTIVE" ? <span className="badge">Active</span> : <span className="badge danger">Suspended</span>}</td>
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
