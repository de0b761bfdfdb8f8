// /admin/reports — the school at a glance: enrollments and withdrawals per term,
// retention, waitlists, attendance by teacher and by lesson, and teacher load. Each
// chart has its numbers in a table beside it, and each report exports as CSV.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { BarChart } from "~/components/charts";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { percent } from "~/domain/reports";
import { lessonAttendanceRates } from "~/models/attendance.server";
import { attendanceByTeacher, enrollmentReport, missingAttendanceCounts, teacherLoad, waitlistReport, type CsvReport } from "~/models/reports.server";
import lessonsCss from "~/styles/lessons.css?url";
import messagesCss from "~/styles/messages.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Reports");
// lessons.css: tables that stack into rows on a phone (.stack-table).
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: lessonsCss },
  { rel: "stylesheet", href: messagesCss },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const now = context.clock.now();
  const opts = { timeZone: school.timezone, now };
  return db.run(async (tx) => ({
    timeZone: school.timezone,
    enrollments: await enrollmentReport(tx, opts),
    waitlists: await waitlistReport(tx),
    byTeacher: await attendanceByTeacher(tx),
    byLesson: await lessonAttendanceRates(tx),
    load: await teacherLoad(tx, { now }),
    missing: await missingAttendanceCounts(tx, opts),
  }));
}

function Report({ id, title, csv, children }: { id: string; title: string; csv: CsvReport; children: ReactNode }) {
  return (
    <section className="card" aria-labelledby={id}>
      <div className="report-head">
        <h2 id={id}>{title}</h2>
        <a className="button secondary small" href={`/admin/reports/csv/${csv}`} download aria-label={`Export ${title.toLowerCase()} as CSV`}>
          Export CSV
        </a>
      </div>
      {children}
    </section>
  );
}

function Table({ head, rows }: { head: string[]; rows: (string | number)[][] }) {
  return (
    <div className="table-wrap" style={{ marginTop: "0.75rem" }}>
      <table className="stack-table">
        <thead>
          <tr>
            {head.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {r.map((c, j) => (
                <td key={j} data-label={j === 0 ? undefined : head[j]}>
                  {j === 0 ? <strong>{c}</strong> : c}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function Reports() {
  const fmt = useFormat();
  const { enrollments, waitlists, byTeacher, byLesson, load, missing, timeZone } = useLoaderData<typeof loader>();
  const { flows, retention } = enrollments;
  return (
    <div className="stack">
      <div>
        <p className="eyebrow">Reports</p>
        <h1>How the school is doing</h1>
        <p className="muted" style={{ margin: 0 }}>
          {missing.missing > 0 ? (
            <>
              {missing.missing} past {missing.missing === 1 ? "lesson is" : "lessons are"} missing attendance or notes ({missing.overdue} overdue):{" "}
              <Link to="/admin/attendance">see them by teacher</Link>.
            </>
          ) : (
            "Every past lesson has its attendance and notes."
          )}
        </p>
      </div>

      <Report id="enrollments" title="Enrollments and withdrawals per term" csv="enrollments">
        {flows.length === 0 ? (
          <p className="muted">No terms yet.</p>
        ) : (
          <>
            <BarChart
              title="Enrollments and withdrawals per term"
              description={flows.map((f) => `${f.term}: ${f.enrolled} enrollments, ${f.withdrawn} withdrawals`).join("; ")}
              categories={flows.map((f) => f.term)}
              series={[
                { name: "Enrollments", values: flows.map((f) => f.enrolled) },
                { name: "Withdrawals", values: flows.map((f) => f.withdrawn) },
              ]}
            />
            <Table head={["Term", "Enrollments", "Withdrawals", "Students"]} rows={flows.map((f) => [f.term, f.enrolled, f.withdrawn, f.students])} />
          </>
        )}
      </Report>

      <Report id="retention" title="Retention from term to term" csv="retention">
        {retention.length === 0 ? (
          <p className="muted">Retention shows once a second term has begun.</p>
        ) : (
          <>
            <BarChart
              title="Retention from term to term"
              description={retention.map((r) => `${r.from} to ${r.to}: ${percent(r.rate)} stayed`).join("; ")}
              categories={retention.map((r) => r.to)}
              series={[{ name: "Stayed", values: retention.map((r) => r.rate ?? 0) }]}
              percent
            />
            <Table head={["From → to", "Students", "Stayed", "Retention"]} rows={retention.map((r) => [`${r.from} → ${r.to}`, r.base, r.retained, percent(r.rate)])} />
          </>
        )}
      </Report>

      <Report id="waitlists" title="Waitlists" csv="waitlists">
        {waitlists.length === 0 ? (
          <p className="muted">Nobody is waiting for a place.</p>
        ) : (
          <>
            <BarChart
              title="Families waiting per lesson"
              description={waitlists.map((w) => `${w.title}: ${w.waitlisted} waitlisted, ${w.pending} waiting for approval`).join("; ")}
              categories={waitlists.map((w) => w.title)}
              series={[
                { name: "Waitlisted", values: waitlists.map((w) => w.waitlisted) },
                { name: "Waiting for approval", values: waitlists.map((w) => w.pending) },
              ]}
            />
            <Table
              head={["Lesson", "Teacher", "Waitlisted", "Waiting for approval", "Waiting since"]}
              rows={waitlists.map((w) => [w.title, w.teacher, w.waitlisted, w.pending, fmt.date(w.oldest)])}
            />
          </>
        )}
      </Report>

      <Report id="attendance-teachers" title="Attendance by teacher" csv="attendance-teachers">
        {byTeacher.length === 0 ? (
          <p className="muted">No attendance has been recorded yet.</p>
        ) : (
          <>
            <BarChart
              title="Attendance rate by teacher"
              description={byTeacher.map((t) => `${t.teacher}: ${percent(t.rate)}`).join("; ")}
              categories={byTeacher.map((t) => t.teacher)}
              series={[{ name: "Present", values: byTeacher.map((t) => t.rate ?? 0) }]}
              percent
            />
            <Table head={["Teacher", "Recorded", "Present", "Attendance"]} rows={byTeacher.map((t) => [t.teacher, t.total, t.present, percent(t.rate)])} />
          </>
        )}
      </Report>

      <Report id="attendance-lessons" title="Attendance by lesson" csv="attendance-lessons">
        {byLesson.length === 0 ? (
          <p className="muted">No attendance has been recorded yet.</p>
        ) : (
          <>
            <BarChart
              title="Attendance rate by lesson"
              description={byLesson.map((l) => `${l.title}: ${percent(l.rate)}`).join("; ")}
              categories={byLesson.map((l) => l.title)}
              series={[{ name: "Present", values: byLesson.map((l) => l.rate ?? 0) }]}
              percent
            />
            <Table head={["Lesson", "Recorded", "Present", "Attendance"]} rows={byLesson.map((l) => [l.title, l.total, l.present, percent(l.rate)])} />
          </>
        )}
      </Report>

      <Report id="teacher-load" title="Teacher load" csv="teacher-load">
        {load.length === 0 ? (
          <p className="muted">No teachers yet.</p>
        ) : (
          <>
            <BarChart
              title="Teaching hours in the next four weeks"
              description={load.map((t) => `${t.teacher}: ${t.hours} hours, ${t.students} students`).join("; ")}
              categories={load.map((t) => t.teacher)}
              series={[{ name: "Hours in the next 4 weeks", values: load.map((t) => t.hours) }]}
            />
            <Table head={["Teacher", "Lessons", "Students", "Dates (4 weeks)", "Hours (4 weeks)"]} rows={load.map((t) => [t.teacher, t.lessons, t.students, t.dates, t.hours])} />
          </>
        )}
      </Report>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
