import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSubmit } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { SelectField } from "~/components/form";
import { attendanceOverview } from "~/models/attendance.server";
import { formatRate } from "~/models/lesson-form";
import lessonsCss from "~/styles/lessons.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Attendance" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: lessonsCss }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const tz = school.timezone;
  const studentId = new URL(request.url).searchParams.get("student") || null;
  const overview = await db.run((tx) => attendanceOverview(tx, { timeZone: tz, studentId, now: context.clock.now() }));
  if (!overview) throw new Response("That student was not found. Choose one from the list.", { status: 404 });
  const { rule, missing, rates, students, student, history } = overview;
  return {
    timeZone: tz,
    rule,
    missing: missing.map((m) => ({
      id: m.id,
      startsAt: m.startsAt,
      title: m.lesson.title,
      teacher: `${m.instructor.firstName} ${m.instructor.lastName}`,
      missingAttendance: m.missingAttendance,
      missingNotes: m.missingNotes,
      overdue: m.overdue,
    })),
    rates,
    students,
    student,
    history,
  };
}

const RULE_LABEL = { END_OF_DAY: "by the end of the lesson’s day", END_OF_WEEK: "by the end of the lesson’s week" } as const;

export default function AttendanceOverview() {
  const { missing, rates, students, student, history, timeZone, rule } = useLoaderData<typeof loader>();
  const submit = useSubmit();
  const overdue = missing.filter((m) => m.overdue);
  const noAttendance = missing.filter((m) => m.missingAttendance).length;
  return (
    <div className="stack">
      <div>
        <p className="eyebrow">Attendance</p>
        <h1>Attendance and lesson notes</h1>
        <p className="muted" style={{ margin: 0 }}>
          Teachers take attendance and write notes {RULE_LABEL[rule]}. Past lessons of the last 60 days are checked.
        </p>
      </div>

      <section className="card" aria-labelledby="missing-heading">
        <div className="spread">
          <h2 id="missing-heading" style={{ margin: 0 }}>
            Missing attendance or notes
          </h2>
          <div className="stat-row">
            <span>
              <strong>{overdue.length}</strong> overdue
            </span>
            <span>
              <strong>{noAttendance}</strong> without attendance
            </span>
          </div>
        </div>
        {missing.length === 0 ? (
          <p className="muted">Every past lesson has its attendance and notes.</p>
        ) : (
          <div className="table-wrap" style={{ maxHeight: "32rem", overflowY: "auto", marginTop: "0.75rem" }}>
            <table className="stack-table">
              <thead>
                <tr>
                  <th scope="col">Lesson</th>
                  <th scope="col">Teacher</th>
                  <th scope="col">Missing</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {[...overdue, ...missing.filter((m) => !m.overdue)].map((m) => (
                  <tr key={m.id}>
                    <td>
                      <Link to={`/admin/occurrences/${m.id}`}>
                        <strong>{m.title}</strong>
                      </Link>
                      <div className="muted">{formatDateTime(m.startsAt, timeZone)}</div>
                    </td>
                    <td data-label="Teacher">{m.teacher}</td>
                    <td data-label="Missing">{[m.missingAttendance ? "Attendance" : null, m.missingNotes ? "Notes" : null].filter(Boolean).join(", ")}</td>
                    <td data-label="Status">{m.overdue ? <span className="badge danger">Overdue</span> : <span className="badge warn">Due soon</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="rates-heading">
        <h2 id="rates-heading">Attendance rate per lesson</h2>
        {rates.length === 0 ? (
          <p className="muted">No attendance has been recorded yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="stack-table">
              <thead>
                <tr>
                  <th scope="col">Lesson</th>
                  <th scope="col">Rate</th>
                  <th scope="col">Present / recorded</th>
                </tr>
              </thead>
              <tbody>
                {rates.map((r) => (
                  <tr key={r.lessonId}>
                    <td>
                      <Link to={`/admin/lessons/${r.lessonId}`}>{r.title}</Link>
                    </td>
                    <td data-label="Rate">
                      <strong className={r.rate !== null && r.rate < 0.8 ? "badge warn" : undefined}>{formatRate(r.rate)}</strong>
                    </td>
                    <td data-label="Present">
                      {r.present} / {r.total}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="student-heading">
        <h2 id="student-heading">A student’s attendance</h2>
        <Form method="get" className="filters" onChange={(e) => submit(e.currentTarget, { replace: true, preventScrollReset: true })}>
          <SelectField label="Student" name="student" defaultValue={student?.id ?? ""} options={[{ value: "", label: "Choose a student…" }, ...students.map((s) => ({ value: s.id, label: s.name }))]} />
          <button className="button secondary">Show</button>
        </Form>
        {student && history ? (
          <>
            <p>
              <strong>{student.name}</strong>:{" "}
              {history.rows.length === 0 ? (
                <span className="muted">no attendance recorded yet.</span>
              ) : (
                <>
                  attended <strong>{formatRate(history.rate)}</strong> of {history.rows.length} recorded {history.rows.length === 1 ? "lesson" : "lessons"}.
                </>
              )}
            </p>
            {history.rows.length ? (
              <div className="table-wrap">
                <table className="stack-table">
                  <thead>
                    <tr>
                      <th scope="col">Date</th>
                      <th scope="col">Lesson</th>
                      <th scope="col">Attendance</th>
                      <th scope="col">Notes</th>
                    </tr>
                  </thead>
                  <tbody>
                    {history.rows.map((r, i) => (
                      <tr key={i}>
                        <td>{formatDateTime(r.occurrence.startsAt, timeZone, { year: "numeric" })}</td>
                        <td data-label="Lesson">
                          <Link to={`/admin/lessons/${r.occurrence.lesson.id}`}>{r.occurrence.lesson.title}</Link>
                        </td>
                        <td data-label="Attendance">
                          {r.present ? (
                            <span className="badge ok">Present</span>
                          ) : (
                            <>
                              <span className="badge danger">Absent</span>
                              {r.absenceReason ? <span className="muted"> {r.absenceReason}</span> : null}
                              {r.absenceNotified ? <div className="muted">Told the school ahead</div> : null}
                            </>
                          )}
                        </td>
                        <td data-label="Notes">{r.notes ?? <span className="muted">—</span>}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
          </>
        ) : null}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
