import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSubmit } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { SelectField } from "~/components/form";
import { LESSON_STATUS_LABEL, LESSON_TYPE_LABEL, LESSON_TYPES, scheduleSummary, type LessonTypeValue } from "~/models/lesson-form";
import { listLessons } from "~/models/lessons.server";
import lessonsCss from "~/styles/lessons.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { formatterFor, useFormat } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Lessons" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: lessonsCss }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const fmt = formatterFor(school);
  const url = new URL(request.url);
  const typeParam = url.searchParams.get("type") ?? "";
  const type = (LESSON_TYPES as readonly string[]).includes(typeParam) ? (typeParam as LessonTypeValue) : null;
  const teacher = url.searchParams.get("teacher") || null;
  const now = context.clock.now();
  const { lessons, teachers } = await db.run((tx) => listLessons(tx, { type, teacherId: teacher, now }));
  return {
    timeZone: school.timezone,
    filters: { type: type ?? "", teacher: teacher ?? "" },
    teachers,
    lessons: lessons.map((l) => {
      const count = (s: string) => l.enrollments.filter((e) => e.status === s).length;
      return {
        id: l.id,
        title: l.title,
        type: l.type,
        instrument: l.instrument,
        teacher: `${l.instructor.firstName} ${l.instructor.lastName}`,
        where: l.room ? `${l.room.name}${l.location ? ` · ${l.location.name}` : ""}` : l.location ? l.location.name : "Online",
        schedule: scheduleSummary(l, fmt),
        active: count("ACTIVE"),
        pending: count("PENDING"),
        waitlisted: count("WAITLISTED"),
        maxStudents: l.maxStudents,
        status: l.status,
        next: l.occurrences[0]?.startsAt ?? null,
      };
    }),
  };
}

function StatusBadge({ status, next }: { status: string; next: string | Date | null }) {
  if (status === "CANCELLED" || status === "CANCELLED_BY_TEACHER") return <span className="badge danger">{LESSON_STATUS_LABEL[status]}</span>;
  if (status === "COMPLETED" || (!next && status === "SCHEDULED")) return <span className="badge muted">Finished</span>;
  return <span className="badge ok">{status === "IN_PROGRESS" ? "In progress" : "Running"}</span>;
}

export default function Lessons() {
  const fmt = useFormat();
  const { lessons, teachers, filters, timeZone } = useLoaderData<typeof loader>();
  const submit = useSubmit();
  const filtered = Boolean(filters.type || filters.teacher);
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <p className="eyebrow">Lessons</p>
          <h1>Lesson series</h1>
        </div>
        <Link to="/admin/lessons/new" className="button">
          New lesson series
        </Link>
      </div>

      <section className="card" aria-label="Filter lessons">
        <Form method="get" className="filters" onChange={(e) => submit(e.currentTarget, { preventScrollReset: true, replace: true })}>
          <SelectField label="Type" name="type" defaultValue={filters.type} options={[{ value: "", label: "All types" }, ...LESSON_TYPES.map((t) => ({ value: t, label: LESSON_TYPE_LABEL[t] }))]} />
          <SelectField
            label="Teacher"
            name="teacher"
            defaultValue={filters.teacher}
            options={[{ value: "", label: "All teachers" }, ...teachers.map((t) => ({ value: t.id, label: `${t.firstName} ${t.lastName}` }))]}
          />
          <button className="button secondary">Filter</button>
          {filtered ? (
            <Link to="/admin/lessons" style={{ marginBottom: "1.6rem" }}>
              Clear
            </Link>
          ) : null}
        </Form>
      </section>

      <section className="card" aria-labelledby="list-heading">
        <h2 id="list-heading">
          {lessons.length} series
          {filtered ? " matching" : ""}
        </h2>
        {lessons.length === 0 ? (
          <p className="muted">
            {filtered ? "No lesson matches these filters." : "No lessons yet."} <Link to="/admin/lessons/new">Create a lesson series</Link>.
          </p>
        ) : (
          <div className="table-wrap">
            <table className="stack-table">
              <thead>
                <tr>
                  <th scope="col">Lesson</th>
                  <th scope="col">Teacher</th>
                  <th scope="col">Where</th>
                  <th scope="col">Schedule</th>
                  <th scope="col">Students</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {lessons.map((l) => (
                  <tr key={l.id}>
                    <td>
                      <Link to={`/admin/lessons/${l.id}`}>
                        <strong>{l.title}</strong>
                      </Link>
                      <div className="muted">
                        {LESSON_TYPE_LABEL[l.type as LessonTypeValue] ?? l.type}
                        {l.instrument ? ` · ${l.instrument}` : ""}
                      </div>
                    </td>
                    <td data-label="Teacher">{l.teacher}</td>
                    <td data-label="Where">{l.where}</td>
                    <td data-label="Schedule">
                      {l.schedule}
                      {l.next ? <div className="muted">Next: {fmt.dateTime(l.next)}</div> : null}
                    </td>
                    <td data-label="Students">
                      {l.maxStudents === null ? `${l.active} (no limit)` : `${l.active}/${l.maxStudents}`}
                      {l.pending ? <div className="badge warn">{l.pending} pending</div> : null}
                      {l.waitlisted ? <div className="muted">{l.waitlisted} on waitlist</div> : null}
                    </td>
                    <td data-label="Status">
                      <StatusBadge status={l.status} next={l.next} />
                    </td>
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
