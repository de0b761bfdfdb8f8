// /teach/students — the students a teacher teaches, each linking to their progress page.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { teacherStudents } from "~/models/progress.server";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "My students");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { role: "TEACHER" });
  const { db } = requireSchool(context);
  return { students: await db.run((tx) => teacherStudents(tx, user.id)) };
}

export default function TeacherStudents() {
  const { students } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <div>
        <p className="eyebrow">Teaching</p>
        <h1>My students</h1>
        <p className="muted">Give awards, record syllabus progress and recommend exams.</p>
      </div>
      <section className="card">
        {students.length === 0 ? (
          <p className="muted">No students are enrolled in your lessons yet.</p>
        ) : (
          <ul className="roster-list">
            {students.map((s) => (
              <li key={s.id} className="spread" style={{ padding: "0.6rem 0", borderBottom: "1px solid var(--line)" }}>
                <Link to={`/teach/students/${s.id}`}>{s.name}</Link>
                <span className="muted">
                  {s.instrument ?? ""}
                  {s.instrument ? " · " : ""}
                  {s.awards} {s.awards === 1 ? "award" : "awards"} · {s.exams} {s.exams === 1 ? "exam entry" : "exam entries"}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
