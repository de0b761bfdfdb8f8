import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { teacherUpcoming } from "~/models/dashboard.server";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "My teaching");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { role: "TEACHER" });
  const { db, school } = requireSchool(context);
  const upcoming = await db.run((tx) => teacherUpcoming(tx, user.id, context.clock.now()));
  return { upcoming, firstName: user.firstName, timeZone: school.timezone };
}

export default function TeacherHome() {
  const fmt = useFormat();
  const { upcoming, firstName, timeZone } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <div>
        <p className="eyebrow">My teaching</p>
        <h1>Hello, {firstName}</h1>
      </div>
      <section className="card">
        <h2>Your next seven days</h2>
        {upcoming.length === 0 ? (
          <p className="muted">No lessons in the next seven days.</p>
        ) : (
          <ul>
            {upcoming.map((o) => (
              <li key={o.id}>
                <strong>{fmt.dateTime(o.startsAt)}</strong>–{fmt.time(o.endsAt)} · {o.lesson.title} ·{" "}
                {o.room?.name ?? o.lesson.room?.name ?? "Online"} · {o.lesson._count.enrollments} enrolled
                {o.status !== "SCHEDULED" ? (
                  <span className="badge warn"> {o.status.toLowerCase().replaceAll("_", " ")}</span>
                ) : (
                  <>
                    {" "}
                    · <Link to={`/teach/cancel/${o.id}`}>Cancel…</Link>
                  </>
                )}
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
