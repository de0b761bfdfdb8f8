// /admin/reports — the school at a glance: enrollments and withdrawals per term,
// retention, waitlists, attendance by teacher and by lesson, and teacher load. Each
// chart has its numbers in a table beside it, and each report exports as CSV.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
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

/**
 * One report: its heading with the CSV export, then a bar chart of its rows and the
 * same numbers in a table (or a sentence when there are no rows yet).
 */
function ReportSection<T>({
  id,
  title,
  csv,
  rows,
  empty,
  chart,
  table,
}: {
  id: string;
  title: string;
  csv: CsvReport;
  rows: T[];
  /** Said instead of the chart and the table when there are no rows. */
  empty: string;
  /** The chart's title is the report's unless given; a bar per row and series. */
  chart: { title?: string; category: (row: T) => string; describe: (row: T) => string; series: { name: string; value: (row: T) => number }[]; percent?: boolean };
  table: { head: string[]; cells: (row: T) => (string | number)[] };
}) {
  return (
    <section className="card" aria-labelledby={id}>
      <div className="report-head">
        <h2 id={id}>{title}</h2>
        <a className="button secondary small" href={`/admin/reports/csv/${csv}`} download aria-label={`Export ${title.toLowerCase()} as CSV`}>
          Export CSV
        </a>
      </div>
      {rows.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <>
          <BarChart
            title={chart.title ?? title}
            description={rows.map(chart.describe).join("; ")}
            categories={rows.map(chart.category)}
            series={chart.series.map((s) => ({ name: s.name, values: rows.map(s.value) }))}
            percent={chart.percent}
          />
          <Table head={table.head} rows={rows.map(table.cells)} />
        </>
      )}
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

      <ReportSection
        id="enrollments"
        title="Enrollments and withdrawals per term"
        csv="enrollments"
        rows={flows}
        empty="No terms yet."
        chart={{
          category: (f) => f.term,
          describe: (f) => `${f.term}: ${f.enrolled} enrollments, ${f.withdrawn} withdrawals`,
          series: [
            { name: "Enrollments", value: (f) => f.enrolled },
            { name: "Withdrawals", value: (f) => f.withdrawn },
          ],
        }}
        table={{ head: ["Term", "Enrollments", "Withdrawals", "Students"], cells: (f) => [f.term, f.enrolled, f.withdrawn, f.students] }}
      />

      <ReportSection
        id="retention"
        title="Retention from term to term"
        csv="retention"
        rows={retention}
        empty="Retention shows once a second term has begun."
        chart={{
          category: (r) => r.to,
          describe: (r) => `${r.from} to ${r.to}: ${percent(r.rate)} stayed`,
          series: [{ name: "Stayed", value: (r) => r.rate ?? 0 }],
          percent: true,
        }}
        table={{ head: ["From → to", "Students", "Stayed", "Retention"], cells: (r) => [`${r.from} → ${r.to}`, r.base, r.retained, percent(r.rate)] }}
      />

      <ReportSection
        id="waitlists"
        title="Waitlists"
        csv="waitlists"
        rows={waitlists}
        empty="Nobody is waiting for a place."
        chart={{
          title: "Families waiting per lesson",
          category: (w) => w.title,
          describe: (w) => `${w.title}: ${w.waitlisted} waitlisted, ${w.pending} waiting for approval`,
          series: [
            { name: "Waitlisted", value: (w) => w.waitlisted },
            { name: "Waiting for approval", value: (w) => w.pending },
          ],
        }}
        table={{
          head: ["Lesson", "Teacher", "Waitlisted", "Waiting for approval", "Waiting since"],
          cells: (w) => [w.title, w.teacher, w.waitlisted, w.pending, fmt.date(w.oldest)],
        }}
      />

      <ReportSection
        id="attendance-teachers"
        title="Attendance by teacher"
        csv="attendance-teachers"
        rows={byTeacher}
        empty="No attendance has been recorded yet."
        chart={{
          title: "Attendance rate by teacher",
          category: (t) => t.teacher,
          describe: (t) => `${t.teacher}: ${percent(t.rate)}`,
          series: [{ name: "Present", value: (t) => t.rate ?? 0 }],
          percent: true,
        }}
        table={{ head: ["Teacher", "Recorded", "Present", "Attendance"], cells: (t) => [t.teacher, t.total, t.present, percent(t.rate)] }}
      />

      <ReportSection
        id="attendance-lessons"
        title="Attendance by lesson"
        csv="attendance-lessons"
        rows={byLesson}
        empty="No attendance has been recorded yet."
        chart={{
          title: "Attendance rate by lesson",
          category: (l) => l.title,
          describe: (l) => `${l.title}: ${percent(l.rate)}`,
          series: [{ name: "Present", value: (l) => l.rate ?? 0 }],
          percent: true,
        }}
        table={{ head: ["Lesson", "Recorded", "Present", "Attendance"], cells: (l) => [l.title, l.total, l.present, percent(l.rate)] }}
      />

      <ReportSection
        id="teacher-load"
        title="Teacher load"
        csv="teacher-load"
        rows={load}
        empty="No teachers yet."
        chart={{
          title: "Teaching hours in the next four weeks",
          category: (t) => t.teacher,
          describe: (t) => `${t.teacher}: ${t.hours} hours, ${t.students} students`,
          series: [{ name: "Hours in the next 4 weeks", value: (t) => t.hours }],
        }}
        table={{ head: ["Teacher", "Lessons", "Students", "Dates (4 weeks)", "Hours (4 weeks)"], cells: (t) => [t.teacher, t.lessons, t.students, t.dates, t.hours] }}
      />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
