import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { familyOverview } from "~/models/dashboard.server";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "My family" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { role: ["PARENT", "STUDENT"] });
  const { db, school } = requireSchool(context);
  const students = await db.run((tx) => familyOverview(tx, user.id));
  return { students, role: user.role, firstName: user.firstName, timeZone: school.timezone };
}

export default function FamilyHome() {
  const { students, role, firstName, timeZone } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <div>
        <p className="eyebrow">{role === "PARENT" ? "My family" : "My lessons"}</p>
        <h1>Hello, {firstName}</h1>
      </div>
      {students.length === 0 ? <p className="card muted">No students are linked to your account yet.</p> : null}
      {students.map((s) => (
        <section key={s.id} className="card">
          <h2>
            {s.user.firstName} {s.user.lastName}
          </h2>
          {s.instrument ? <p className="muted">{s.instrument}</p> : null}
          {s.enrollments.length === 0 ? (
            <p className="muted">Not enrolled in any lesson.</p>
          ) : (
            <ul>
              {s.enrollments.map((e) => (
                <li key={e.lesson.id}>
                  <strong>{e.lesson.title}</strong>
                  {e.status !== "ACTIVE" ? <span className="badge warn"> {e.status.toLowerCase()}</span> : null}
                  {e.lesson.occurrences[0] ? <> — next: {formatDateTime(e.lesson.occurrences[0].startsAt, timeZone)}</> : null}
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
