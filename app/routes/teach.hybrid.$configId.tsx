// /teach/hybrid/:configId — the teacher of a hybrid lesson sees its term pattern
// (group weeks, 1-on-1 weeks, closed weeks) and who has booked which 1-on-1 week.
// Read-only; only the lesson's own teacher may open it (404 for anyone else).
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { HybridBookingsTable } from "~/components/hybrid-bookings";
import { formatWeekList } from "~/domain/hybrid";
import { toLocalDate } from "~/domain/time";
import { teacherHybridPage } from "~/models/hybrid-pages.server";
import hybridCss from "~/styles/hybrid.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `1-on-1 weeks · ${data.lesson.title}` : "1-on-1 weeks" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: hybridCss }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { role: ["TEACHER", "ADMIN"] });
  const { db, school } = requireSchool(context);
  const timeZone = school.timezone;
  const page = await db.run((tx) => teacherHybridPage(tx, { configId: params.configId ?? "", teacherId: user.id, timeZone }));
  if (!page) throw new Response("There is no such hybrid lesson among yours.", { status: 404 });
  const { label, overview } = page;
  const { config, weeks, students } = overview;
  return {
    timeZone,
    label,
    today: toLocalDate(context.clock.now(), timeZone),
    lesson: { title: config.lesson.title },
    term: config.term.name,
    individualWeeks: formatWeekList(config.oneOnOneWeeks),
    duration: config.individualDurationMinutes,
    open: config.bookingsOpenedAt,
    weeks: weeks.map((w) => ({ weekNumber: w.weekNumber, kind: w.kind, weekStart: w.weekStart, weekEnd: w.weekEnd, groupStart: w.groupStart ?? null })),
    students: students.map((s) => ({
      id: s.id,
      name: s.name,
      unbookedWeeks: s.unbookedWeeks,
      sessions: s.sessions.map((x) => ({ week: x.hybridWeek, startsAt: x.startsAt, endsAt: x.endsAt })),
    })),
  };
}

export default function TeacherHybridOverview() {
  const fmt = useFormat();
  const d = useLoaderData<typeof loader>();
  const individual = d.weeks.filter((w) => w.kind === "INDIVIDUAL");
  const complete = d.students.filter((s) => s.unbookedWeeks.length === 0).length;
  return (
    <div className="stack">
      <div>
        <p className="eyebrow">Hybrid lesson · {d.term}</p>
        <h1>{d.lesson.title}</h1>
        <p className="muted" style={{ margin: 0 }}>
          {d.label}s {d.individualWeeks} · {d.duration}-minute sessions ·{" "}
          {d.open ? `bookings open since ${fmt.dateTime(d.open, { hour: undefined, minute: undefined })}` : "bookings not open yet"}
        </p>
      </div>

      <section className="card" aria-labelledby="weeks-heading">
        <h2 id="weeks-heading">Weeks of {d.term}</h2>
        <ul className="hy-weeks">
          {d.weeks.map((w) => (
            <li key={w.weekNumber} className={w.weekEnd < d.today ? "past" : ""}>
              <strong>{w.weekNumber}</strong>
              <span className={`hy-kind ${w.kind.toLowerCase()}`}>{w.kind === "INDIVIDUAL" ? "1-ON-1" : w.kind}</span> <span className="muted">{fmt.dayRange(w.weekStart, w.weekEnd)}</span>
            </li>
          ))}
        </ul>
      </section>

      <section className="card" aria-labelledby="who-heading">
        <h2 id="who-heading">Who has booked</h2>
        {d.students.length === 0 ? (
          <p className="muted">No student is enrolled yet.</p>
        ) : (
          <>
            <p>
              <strong>
                {complete} of {d.students.length}
              </strong>{" "}
              students have booked every 1-on-1 week.
            </p>
            <HybridBookingsTable weeks={individual} students={d.students} timeZone={d.timeZone} />
          </>
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
