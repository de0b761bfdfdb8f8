import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AttendanceForm, type AttendanceResult } from "~/components/attendance-form";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { addDays, localDateTimeToUtc, toLocalDate } from "~/domain/time";
import { AttendanceError, recordAttendance, teacherDay } from "~/models/attendance.server";
import { attendanceSavedMessage, parseAttendanceForm } from "~/models/lesson-form";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { formatterFor, useFormat } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Today" }];

/** Attendance opens an hour before the start (the rule recordAttendance applies). */
const OPENS_BEFORE_MS = 60 * 60_000;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { role: ["TEACHER", "ADMIN"] });
  const { db, school } = requireSchool(context);
  const fmt = formatterFor(school);
  const tz = school.timezone;
  const now = context.clock.now();
  const today = toLocalDate(now, tz);
  const from = localDateTimeToUtc(today, "00:00", tz);
  const to = localDateTimeToUtc(addDays(today, 1), "00:00", tz);
  const { registers, missing } = await db.run((tx) => teacherDay(tx, { teacherId: user.id, from, to, timeZone: tz, now }));
  const todayIds = new Set(registers.map((r) => r.occurrence.id));
  return {
    firstName: user.firstName,
    timeZone: tz,
    today,
    registers: registers.map((r) => {
      const cancelled = r.occurrence.status === "CANCELLED" || r.occurrence.status === "CANCELLED_BY_TEACHER";
      const opensAt = new Date(r.occurrence.startsAt.getTime() - OPENS_BEFORE_MS);
      const open = !cancelled && opensAt <= now;
      return {
        ...r,
        open,
        closedReason: cancelled
          ? `This lesson was cancelled${r.occurrence.status === "CANCELLED_BY_TEACHER" ? " by the teacher" : ""}; there is no attendance to take.`
          : open
            ? null
            : `Attendance opens at ${fmt.time(opensAt)}, an hour before the lesson.`,
      };
    }),
    missing: missing
      .filter((m) => !todayIds.has(m.id))
      .map((m) => ({ id: m.id, startsAt: m.startsAt, title: m.lesson.title, missingAttendance: m.missingAttendance, missingNotes: m.missingNotes, overdue: m.overdue })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { role: ["TEACHER", "ADMIN"] });
  const { db, school } = requireSchool(context);
  const parsed = parseAttendanceForm(await request.formData());
  if (!parsed.ok) return data<AttendanceResult>({ ok: false, message: parsed.message, occurrenceId: null }, { status: 400 });
  const { occurrenceId, entries, notes } = parsed.data;
  try {
    const r = await db.run((tx) =>
      recordAttendance(tx, context.mailer, { occurrenceId, recordedById: user.id, teacherId: user.id, entries, notes, timeZone: school.timezone, now: context.clock.now() }),
    );
    return data<AttendanceResult>({ ok: true, message: attendanceSavedMessage(entries, r.absentNotified), occurrenceId });
  } catch (error) {
    if (error instanceof AttendanceError) return data<AttendanceResult>({ ok: false, message: error.message, occurrenceId }, { status: 400 });
    throw error;
  }
}

const SHOWN = 8;

type Missing = ReturnType<typeof useLoaderData<typeof loader>>["missing"];

function MissingList({ items, timeZone }: { items: Missing; timeZone: string }) {
  const fmt = useFormat();
  return (
    <ul style={{ listStyle: "none", padding: 0, margin: 0 }}>
      {items.map((m) => (
        <li key={m.id} className="spread" style={{ padding: "0.6rem 0", borderBottom: "1px solid var(--line)" }}>
          <Link to={`/teach/occurrences/${m.id}`}>
            <strong>{m.title}</strong> · {fmt.dateTime(m.startsAt)}
          </Link>
          <span className="row" style={{ gap: "0.4rem" }}>
            {m.missingAttendance ? <span className="badge warn">No attendance</span> : null}
            {m.missingNotes ? <span className="badge">No notes</span> : null}
            {m.overdue ? <span className="badge danger">Overdue</span> : null}
          </span>
        </li>
      ))}
    </ul>
  );
}

export default function TeachToday() {
  const fmt = useFormat();
  const { registers, missing, timeZone, today, firstName } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <div>
        <p className="eyebrow">
          <Link to="/teach">My teaching</Link> · {fmt.day(today)}
        </p>
        <h1>Today, {firstName}</h1>
        <p className="muted" style={{ margin: 0 }}>
          {registers.length === 0
            ? "You have no lessons today."
            : `${registers.length} ${registers.length === 1 ? "lesson" : "lessons"} today. Everyone is marked present until you change it.`}
        </p>
      </div>
      {registers.map((r) => (
        <AttendanceForm key={r.occurrence.id} occurrence={r.occurrence} students={r.students} timeZone={timeZone} open={r.open} closedReason={r.closedReason} />
      ))}
      <section className="card" aria-labelledby="missing-heading">
        <h2 id="missing-heading">Still to complete</h2>
        {missing.length === 0 ? (
          <p className="muted">All your past lessons have attendance and notes. Thank you!</p>
        ) : (
          <>
            <p className="muted">Past lessons of the last 60 days without attendance or lesson notes.</p>
            <MissingList items={missing.slice(0, SHOWN)} timeZone={timeZone} />
            {missing.length > SHOWN ? (
              <details>
                <summary>Show {missing.length - SHOWN} more</summary>
                <MissingList items={missing.slice(SHOWN)} timeZone={timeZone} />
              </details>
            ) : null}
          </>
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
