import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { stepsDone } from "~/domain/first-steps";
import { adminOverview, schoolFirstSteps } from "~/models/dashboard.server";
import { pendingRequestCount } from "~/models/lesson-requests.server";
import { missingAttendanceCounts } from "~/models/reports.server";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Dashboard");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const { overview, steps, lessonRequests } = await db.run(async (tx) => ({ overview: await adminOverview(tx, context.clock.now()), steps: await schoolFirstSteps(tx), lessonRequests: await pendingRequestCount(tx) }));
  const attendance = await db.run((tx) => missingAttendanceCounts(tx, { timeZone: school.timezone, now: context.clock.now() }));
  return { overview, steps, attendance, lessonRequests, firstName: user.firstName, timeZone: school.timezone };
}

export default function AdminDashboard() {
  const fmt = useFormat();
  const { overview, steps, attendance, lessonRequests, firstName, timeZone } = useLoaderData<typeof loader>();
  const done = stepsDone(steps);
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
      {done < steps.length ? (
        <section className="card first-steps" aria-labelledby="first-steps-heading">
          <div className="page-head">
            <h2 id="first-steps-heading">Getting started</h2>
            <p className="muted" style={{ margin: 0 }}>
              {done} of {steps.length} done
            </p>
          </div>
          <progress max={steps.length} value={done} aria-label={`${done} of ${steps.length} first steps done`} />
          <ol className="checklist">
            {steps.map((s) => (
              <li key={s.id} className={s.done ? "done" : undefined}>
                <span className="check-mark" aria-hidden="true">
                  {s.done ? "✓" : ""}
                </span>
                <div>
                  <Link to={s.href}>{s.title}</Link>
                  <span className="sr-only">{s.done ? " (done)" : " (to do)"}</span>
                  <p className="muted">{s.hint}</p>
                </div>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      <div className="grid stats">
        {stats.map((s) => (
          <section key={s.label} className="card" aria-label={s.label}>
            <p className="stat">{s.value}</p>
            <p className="muted">{s.label}</p>
          </section>
        ))}
      </div>
      {overview.pendingEnrollments > 0 || overview.invited > 0 || attendance.missing > 0 || lessonRequests > 0 ? (
        <section className="card">
          <h2>Needs your attention</h2>
          <ul>
            {overview.pendingEnrollments > 0 ? <li>{overview.pendingEnrollments} {overview.pendingEnrollments === 1 ? "enrollment" : "enrollments"} waiting for approval</li> : null}
            {lessonRequests > 0 ? (
              <li>
                {lessonRequests === 1 ? "1 request" : `${lessonRequests} requests`} for individual lessons to schedule — <Link to="/admin/requests">see the requests</Link>
              </li>
            ) : null}
            {attendance.missing > 0 ? (
              <li>
                {attendance.missing === 1 ? "1 past lesson is" : `${attendance.missing} past lessons are`} missing attendance or notes
                {attendance.overdue > 0 ? ` (${attendance.overdue} overdue)` : ""} — <Link to="/admin/attendance">see them by teacher</Link>
              </li>
            ) : null}
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
            <table className="stack-table">
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
                    <td className="nowrap">{fmt.dateTime(o.startsAt)}</td>
                    <td data-label="Lesson">{o.lesson.title}</td>
                    <td data-label="Teacher">
                      {o.lesson.instructor.firstName} {o.lesson.instructor.lastName}
                    </td>
                    <td data-label="Room">{o.room?.name ?? o.lesson.room?.name ?? "Online"}</td>
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
