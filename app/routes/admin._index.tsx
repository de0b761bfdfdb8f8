import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { adminOverview } from "~/models/dashboard.server";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/format";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Dashboard");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const overview = await db.run((tx) => adminOverview(tx, context.clock.now()));
  return { overview, firstName: user.firstName, timeZone: school.timezone };
}

export default function AdminDashboard() {
  const { overview, firstName, timeZone } = useLoaderData<typeof loader>();
  const stats = [
    { label: "Students", value: overview.students },
    { label: "Teachers", value: overview.teachers },
    { label: "Lessons running", value: overview.lessons },
    { label: "Active enrollments", value: overview.activeEnrollments },
  ];
  return (
    <div className="stack">
      <div>
        <p className="eyebrow">Dashboard</p>
        <h1>Good to see you, {firstName}</h1>
      </div>
      <div className="grid stats">
        {stats.map((s) => (
          <section key={s.label} className="card" aria-label={s.label}>
            <p className="stat">{s.value}</p>
            <p className="muted">{s.label}</p>
          </section>
        ))}
      </div>
      {overview.pendingEnrollments > 0 || overview.invited > 0 ? (
        <section className="card">
          <h2>Needs your attention</h2>
          <ul>
            {overview.pendingEnrollments > 0 ? <li>{overview.pendingEnrollments} enrollment(s) waiting for approval</li> : null}
            {overview.invited > 0 ? (
              <li>
                {overview.invited === 1 ? "1 invited person has" : `${overview.invited} invited people have`} not set a password yet —{" "}
                <Link to="/admin/people">see people</Link>
              </li>
            ) : null}
          </ul>
        </section>
      ) : null}
      <section className="card">
        <h2>The week ahead</h2>
        {overview.upcoming.length === 0 ? (
          <p className="muted">No lessons in the next seven days.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Lesson</th>
                  <th scope="col">Teacher</th>
                  <th scope="col">Room</th>
                </tr>
              </thead>
              <tbody>
                {overview.upcoming.map((o) => (
                  <tr key={o.id}>
                    <td className="nowrap">{formatDateTime(o.startsAt, timeZone)}</td>
                    <td>{o.lesson.title}</td>
                    <td>
                      {o.lesson.instructor.firstName} {o.lesson.instructor.lastName}
                    </td>
                    <td>{o.room?.name ?? o.lesson.room?.name ?? "Online"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
