import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { SelectField } from "~/components/form";
import { Pager } from "~/components/pager";
import { attendanceOverview, attendanceQuery } from "~/models/attendance.server";
import { formatRate } from "~/models/lesson-form";
import { nudgeTeacher, NudgeError } from "~/models/reports.server";
import { parseForm } from "~/utils/forms";
import { parseListQuery } from "~/utils/list-query";
import { checkRateLimit } from "~/utils/rate-limit.server";
import lessonsCss from "~/styles/lessons.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Attendance" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: lessonsCss }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const tz = school.timezone;
  const filters = parseListQuery(request.url, attendanceQuery);
  const overview = await db.run((tx) => attendanceOverview(tx, { timeZone: tz, now: context.clock.now(), filters }));
  if (!overview) throw new Response("That student was not found. Choose one from the list.", { status: 404 });
  const { rule, counts, teachers, list, rates, students, student, history } = overview;
  return { timeZone: tz, rule, counts, teachers, list, filters, rates, students, student, history };
}

const nudgeSchema = z.object({ intent: z.literal("nudge"), teacherId: z.string({ required_error: "Choose a teacher." }).min(1, "Choose a teacher.").max(64) });

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const parsed = parseForm(await request.formData(), nudgeSchema);
  if (!parsed.ok) return data({ ok: false, message: parsed.errors.teacherId ?? "Use the Remind button of a teacher." }, { status: 400 });
  const limited = await checkRateLimit(context, "message:account", [user.id]);
  if (limited) return data({ ok: false, message: limited }, { status: 429 });
  try {
    const r = await db.run((tx) =>
      nudgeTeacher(tx, context.mailer, { teacherId: parsed.data.teacherId, timeZone: school.timezone, now: context.clock.now(), origin: context.links.origin, schoolName: school.name, fromName: `${user.firstName} ${user.lastName}` }),
    );
    return data({ ok: true, message: `Reminded ${r.email} of ${r.lessons} ${r.lessons === 1 ? "lesson" : "lessons"}.` });
  } catch (error) {
    if (error instanceof NudgeError) return data({ ok: false, message: error.message }, { status: 400 });
    throw error;
  }
}

const RULE_LABEL = { END_OF_DAY: "by the end of the lesson’s day", END_OF_WEEK: "by the end of the lesson’s week" } as const;

/** The page's address with these filters (each list's page kept unless changed). */
function attendanceHref(f: { teacher: string; overdue: boolean; page: number; student: string; history: number }, change: Partial<typeof f>) {
  const n = { ...f, ...change };
  const p = new URLSearchParams();
  if (n.teacher) p.set("teacher", n.teacher);
  if (n.overdue) p.set("overdue", "on");
  if (n.page > 1) p.set("page", String(n.page));
  if (n.student) p.set("student", n.student);
  if (n.history > 1) p.set("history", String(n.history));
  const q = p.toString();
  return q ? `/admin/attendance?${q}` : "/admin/attendance";
}

export default function AttendanceOverview() {
  const fmt = useFormat();
  const { counts, list, teachers, filters, rates, students, student, history, timeZone, rule } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const submit = useSubmit();
  const groups = list.groups;
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
              <strong>{counts.overdue}</strong> overdue
            </span>
            <span>
              <strong>{counts.withoutAttendance}</strong> without attendance
            </span>
          </div>
        </div>
        {result ? (
          <p className={result.ok ? "notice" : "form-error"} role={result.ok ? "status" : "alert"}>
            {result.message}
          </p>
        ) : null}
        <Form method="get" className="filters" onChange={(e) => submit(e.currentTarget, { replace: true, preventScrollReset: true })}>
          <SelectField label="Teacher" name="teacher" defaultValue={filters.teacher} options={[{ value: "", label: "Every teacher" }, ...teachers]} />
          <div className="row" style={{ marginBottom: "1rem" }}>
            <input type="checkbox" id="overdue-only" name="overdue" defaultChecked={filters.overdue} style={{ width: "auto" }} />
            <label htmlFor="overdue-only">Overdue only</label>
          </div>
          {student ? <input type="hidden" name="student" value={student.id} /> : null}
          <button className="button secondary">Filter</button>
          <a className="button secondary" href="/admin/reports/csv/missing-attendance" download>
            Export CSV
          </a>
        </Form>
        {counts.missing === 0 ? (
          <p className="muted">Every past lesson has its attendance and notes.</p>
        ) : groups.length === 0 ? (
          <p className="muted">Nothing matches these filters.</p>
        ) : (
          <>
          <p className="muted" style={{ margin: "0.75rem 0 0" }}>
            Showing {list.skip + 1}–{Math.min(list.total, list.skip + list.pageSize)} of {list.total} missing {list.total === 1 ? "lesson" : "lessons"}
          </p>
          {groups.map((g) => (
            <section key={g.teacherId} aria-labelledby={`missing-${g.teacherId}`} style={{ marginTop: "1rem", borderTop: "1px solid var(--line)", paddingTop: "0.75rem" }}>
              <div className="spread">
                <h3 id={`missing-${g.teacherId}`} style={{ margin: 0 }}>
                  {g.teacher}{" "}
                  <span className="muted" style={{ fontWeight: 400 }}>
                    · {g.total} missing{g.overdue ? `, ${g.overdue} overdue` : ""}
                  </span>
                </h3>
                <Form method="post">
                  <input type="hidden" name="intent" value="nudge" />
                  <input type="hidden" name="teacherId" value={g.teacherId} />
                  <button className="button secondary small" disabled={busy} aria-label={`Remind ${g.teacher} by email`}>
                    Remind by email
                  </button>
                </Form>
              </div>
              <details open={groups.length === 1 || g.rows.length <= 5}>
                <summary>{g.rows.length === 1 ? "Show the lesson" : `Show the ${g.rows.length} lessons${g.rows.length < g.total ? " on this page" : ""}`}</summary>
                <div className="table-wrap" style={{ marginTop: "0.5rem" }}>
                <table className="stack-table">
                  <thead>
                    <tr>
                      <th scope="col">Lesson</th>
                      <th scope="col">Missing</th>
                      <th scope="col">Status</th>
                    </tr>
                  </thead>
                  <tbody>
                    {g.rows.map((m) => (
                      <tr key={m.id}>
                        <td>
                          <Link to={`/admin/occurrences/${m.id}`}>
                            <strong>{m.title}</strong>
                          </Link>
                          <div className="muted">{fmt.dateTime(m.startsAt)}</div>
                        </td>
                        <td data-label="Missing">{[m.missingAttendance ? "Attendance" : null, m.missingNotes ? "Notes" : null].filter(Boolean).join(", ")}</td>
                        <td data-label="Status">{m.overdue ? <span className="badge danger">Overdue</span> : <span className="badge warn">Due soon</span>}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                </div>
              </details>
            </section>
          ))}
          <Pager page={list.page} pages={list.pages} href={(p) => attendanceHref(filters, { page: p })} label="Pages of missing lessons" />
          </>
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
          {filters.teacher ? <input type="hidden" name="teacher" value={filters.teacher} /> : null}
          {filters.overdue ? <input type="hidden" name="overdue" value="on" /> : null}
          <SelectField label="Student" name="student" defaultValue={student?.id ?? ""} options={[{ value: "", label: "Choose a student…" }, ...students.map((s) => ({ value: s.id, label: s.name }))]} />
          <button className="button secondary">Show</button>
        </Form>
        {student && history ? (
          <>
            <p>
              <strong>{student.name}</strong>:{" "}
              {history.total === 0 ? (
                <span className="muted">no attendance recorded yet.</span>
              ) : (
                <>
                  attended <strong>{formatRate(history.rate)}</strong> of {history.total} recorded {history.total === 1 ? "lesson" : "lessons"}.
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
                        <td>{fmt.dateTime(r.occurrence.startsAt, { year: "numeric" })}</td>
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
            <Pager page={history.page} pages={history.pages} href={(p) => attendanceHref(filters, { history: p })} label={`Pages of ${student.name}’s attendance`} previous="Newer" next="Older" />
          </>
        ) : null}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
