import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError } from "~/components/form";
import { Roster, StudentPicker } from "~/components/roster";
import { toLocalDate } from "~/domain/time";
import { EnrollmentError } from "~/models/enrollment.server";
import { createdNotice, enrollmentOutcomeMessage, formatDuration, LESSON_STATUS_LABEL, LESSON_TYPE_LABEL, scheduleSummary, type LessonTypeValue } from "~/models/lesson-form";
import { decideEnrollmentRequest, endLessonEnrollment, enrollStudentAsAdmin, lessonPage, promoteLessonEnrollment } from "~/models/lessons.server";
import lessonsCss from "~/styles/lessons.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { formatterFor, useFormat } from "~/utils/format";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? data.lesson.title : "Lesson" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: lessonsCss }];

const PAGE = 12;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const url = new URL(request.url);
  const showAll = url.searchParams.get("all") === "1";
  const lessonId = params.lessonId ?? "";
  const now = context.clock.now();
  const result = await db.run((tx) => lessonPage(tx, { lessonId, showAll, pageSize: PAGE, withDateSpan: url.searchParams.get("created") === "1", now }));
  if (!result) throw new Response("That lesson was not found. It may have been deleted.", { status: 404 });
  const { allDates, requireApproval, students, ...rest } = result;
  const tz = school.timezone;
  const notice =
    allDates && allDates._count && allDates._min.startsAt && allDates._max.startsAt
      ? createdNotice(allDates._count, toLocalDate(allDates._min.startsAt, tz), toLocalDate(allDates._max.startsAt, tz), formatterFor(school))
      : null;
  const price = result.lesson.pricePerStudent === null ? null : formatterFor(school).money(result.lesson.pricePerStudent.toString());
  return {
    ...rest,
    lesson: { ...result.lesson, pricePerStudent: price },
    notice,
    showAll,
    timeZone: tz,
    schedule: scheduleSummary(result.lesson, formatterFor(school)),
    requireApproval,
    students: students.map((s) => ({
      id: s.id,
      name: `${s.user.firstName} ${s.user.lastName}`,
      detail: [s.instrument, s.skillLevel ? s.skillLevel.charAt(0) + s.skillLevel.slice(1).toLowerCase() : null].filter(Boolean).join(", ") || null,
    })),
  };
}

type Result = { ok: boolean; message: string; intent: string; field?: string };

export async function action({ request, context, params }: ActionFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const fmt = formatterFor(school);
  const lessonId = params.lessonId ?? "";
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const enrollmentId = String(form.get("enrollmentId") ?? "");
  const reply = (status: number, r: Omit<Result, "intent">) => data<Result>({ ...r, intent }, { status });

  try {
    if (intent === "enroll") {
      const studentId = String(form.get("studentId") ?? "");
      if (!studentId) return reply(400, { ok: false, message: "Choose a student to enroll.", field: "studentId" });
      const waitlist = form.get("waitlist") === "on";
      const r = await db.run((tx) => enrollStudentAsAdmin(tx, { lessonId, studentId, waitlist, now: context.clock.now() }));
      const message = { text: enrollmentOutcomeMessage(r.outcome, r.studentName, r.lessonTitle, r.position), ok: r.outcome !== "FULL" };
      return reply(message.ok ? 200 : 409, { ok: message.ok, message: message.text });
    }
    if (intent === "approve" || intent === "reject") {
      const decision = intent === "approve" ? "APPROVE" : "REJECT";
      const r = await db.run((tx) => decideEnrollmentRequest(tx, context.mailer, { enrollmentId, decision, lessonId }));
      const who = r.studentName;
      const message =
        r.status === "ACTIVE"
          ? `${who} is enrolled. The family was emailed.`
          : r.status === "WAITLISTED"
            ? `Approved, but the class is full: ${who} is on the waitlist. The family was emailed.`
            : `${who}’s enrollment was rejected. The family was emailed.`;
      return reply(200, { ok: true, message });
    }
    if (intent === "promote") {
      const r = await db.run((tx) => promoteLessonEnrollment(tx, context.mailer, { lessonId, enrollmentId }));
      const message = `${r.studentName} now has a seat in ${r.lessonTitle}. The family was emailed.`;
      return reply(200, { ok: true, message });
    }
    const end = /^end-(UNENROLLED|DROPPED|COMPLETED)$/.exec(intent);
    if (end) {
      const how = end[1] as "UNENROLLED" | "DROPPED" | "COMPLETED";
      const r = await db.run((tx) => endLessonEnrollment(tx, context.mailer, { lessonId, enrollmentId, how, schoolName: school.name, now: context.clock.now() }));
      const done = { UNENROLLED: "was unenrolled", DROPPED: "is marked as dropped out", COMPLETED: "is marked as completed" }[how];
      let message = `${r.studentName} ${done} (${fmt.dateTime(context.clock.now(), { hour: undefined, minute: undefined, year: "numeric" })}).`;
      if (r.told) message += ` A seat is free: we emailed the family of ${r.told.studentName}, first on the waitlist.`;
      return reply(200, { ok: true, message });
    }
    return reply(400, { ok: false, message: "That action is not known. Reload the page and try again." });
  } catch (error) {
    if (error instanceof EnrollmentError) return reply(409, { ok: false, message: error.message });
    throw error;
  }
}

type Occ = ReturnType<typeof useLoaderData<typeof loader>>["upcoming"][number];

function OccurrenceTable({ rows, timeZone, past, usual }: { rows: Occ[]; timeZone: string; past?: boolean; usual: { teacher: string; room: string } }) {
  const fmt = useFormat();
  return (
    <div className="table-wrap">
      <table className="stack-table">
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Status</th>
            {past ? <th scope="col">Register</th> : null}
            <th scope="col">
              <span className="sr-only">Edit</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((o) => {
            const cancelled = o.status === "CANCELLED" || o.status === "CANCELLED_BY_TEACHER";
            const teacher = `${o.instructor.firstName} ${o.instructor.lastName}`;
            const room = o.room?.name ?? "Online";
            const changes = [room !== usual.room ? room : null, teacher !== usual.teacher ? teacher : null].filter(Boolean);
            return (
              <tr key={o.id}>
                <td>
                  <strong>{fmt.dateTime(o.startsAt, { year: "numeric" })}</strong>–{fmt.time(o.endsAt)}
                  {o.kind === "INDIVIDUAL_SESSION" ? <div className="muted">1-on-1 session</div> : null}
                  {changes.length ? <div className="muted">This date: {changes.join(" · ")}</div> : null}
                </td>
                <td data-label="Status">
                  <span className={`badge ${cancelled ? "danger" : o.status === "COMPLETED" ? "ok" : ""}`}>{LESSON_STATUS_LABEL[o.status] ?? o.status}</span>
                  {cancelled && o.cancelReason ? <div className="muted">{o.cancelReason}</div> : null}
                </td>
                {past ? (
                  <td data-label="Register">
                    {cancelled ? (
                      <span className="muted">—</span>
                    ) : (
                      <>
                        {o._count.attendance ? `${o._count.attendance} recorded` : <span className="badge warn">No attendance</span>}
                        {!o.notes ? <span className="muted"> · no notes</span> : null}
                      </>
                    )}
                  </td>
                ) : null}
                <td>
                  <Link to={`/admin/occurrences/${o.id}`} aria-label={`Edit the lesson on ${fmt.dateTime(o.startsAt)}`}>
                    Edit
                  </Link>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export default function LessonPage() {
  const fmt = useFormat();
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const busy = nav.state === "submitting" && nav.formData?.get("intent") === "enroll";
  const [params] = useSearchParams();
  const enrollRef = useRef<HTMLFormElement>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (result?.ok && result.intent === "enroll") enrollRef.current?.reset();
    // The answer shows above the class list; bring it into view after a button far below.
    if (result) resultRef.current?.scrollIntoView({ block: "nearest" });
  }, [result]);
  const { lesson, timeZone } = d;
  const where = lesson.room ? `${lesson.room.name}${lesson.location ? `, ${lesson.location.name}` : ""}` : lesson.location ? lesson.location.name : "Online";
  const active = d.roster.filter((r) => r.status === "ACTIVE").length;
  const usual = { teacher: `${lesson.instructor.firstName} ${lesson.instructor.lastName}`, room: lesson.room?.name ?? "Online" };
  const full = lesson.maxStudents !== null && active >= lesson.maxStudents;
  const showAllHref = `?${new URLSearchParams({ ...Object.fromEntries(params), all: "1" }).toString()}`;
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <p className="eyebrow">
            <Link to="/admin/lessons">Lessons</Link> · {LESSON_TYPE_LABEL[lesson.type as LessonTypeValue] ?? lesson.type}
          </p>
          <h1>{lesson.title}</h1>
          <p className="muted" style={{ margin: "0.25rem 0 0" }}>
            {d.schedule} · {lesson.instructor.firstName} {lesson.instructor.lastName} · {where}
          </p>
        </div>
        <div className="row">
          {lesson.status !== "SCHEDULED" ? <span className="badge warn">{LESSON_STATUS_LABEL[lesson.status]}</span> : null}
          {lesson.type === "HYBRID" ? (
            <Link className="button secondary" to={`/admin/lessons/${lesson.id}/hybrid`}>
              1-on-1 weeks and bookings
            </Link>
          ) : null}
        </div>
      </div>

      {d.notice ? (
        <p className="notice" role="status">
          {d.notice}
        </p>
      ) : null}

      <section className="card" aria-labelledby="details-heading">
        <h2 id="details-heading">Details</h2>
        <dl className="facts">
          <div>
            <dt>Teacher</dt>
            <dd>
              {lesson.instructor.firstName} {lesson.instructor.lastName}
            </dd>
          </div>
          <div>
            <dt>Where</dt>
            <dd>
              {where}
              {lesson.room?.capacity ? <span className="muted"> (holds {lesson.room.capacity})</span> : null}
              {!lesson.room && lesson.onlineUrl ? (
                <div>
                  <a href={lesson.onlineUrl} rel="noreferrer noopener" target="_blank">
                    {lesson.onlineUrl}
                  </a>
                </div>
              ) : null}
            </dd>
          </div>
          <div>
            <dt>Schedule</dt>
            <dd>{d.schedule}</dd>
          </div>
          <div>
            <dt>Runs until</dt>
            <dd>
              {lesson.term
                ? `End of ${lesson.term.name}`
                : lesson.recurrenceEndDate
                  ? fmt.dateTime(lesson.recurrenceEndDate, { hour: undefined, minute: undefined, year: "numeric" })
                  : "No end date"}
            </dd>
          </div>
          <div>
            <dt>Length</dt>
            <dd>{formatDuration(lesson.duration)}</dd>
          </div>
          <div>
            <dt>Instrument</dt>
            <dd>{lesson.instrument ?? "—"}</dd>
          </div>
          <div>
            <dt>Students</dt>
            <dd>{lesson.maxStudents === null ? `${active} (no limit)` : `${active} of ${lesson.maxStudents}${full ? " — full" : ""}`}</dd>
          </div>
          <div>
            <dt>Price per student</dt>
            <dd>{lesson.pricePerStudent ?? "—"}</dd>
          </div>
        </dl>
        {lesson.description ? <p style={{ marginBottom: 0 }}>{lesson.description}</p> : null}
      </section>

      <section className="card" aria-labelledby="roster-heading">
        <h2 id="roster-heading">Students</h2>
        <div ref={resultRef} style={{ scrollMarginTop: "1rem" }}>
          <div role="status" aria-live="polite">
            {result?.ok ? <p className="notice">{result.message}</p> : null}
          </div>
          <FormError message={result && !result.ok && result.field !== "studentId" ? result.message : null} />
        </div>
        <Form method="post" ref={enrollRef} preventScrollReset aria-labelledby="enroll-heading" className="enroll-box">
          <h3 id="enroll-heading">Enroll a student</h3>
          <input type="hidden" name="intent" value="enroll" />
          {d.students.length === 0 ? (
            <p className="muted">Every student of the school is already in this class.</p>
          ) : (
            <>
              <StudentPicker key={result?.ok && result.intent === "enroll" ? result.message : "picker"} students={d.students} error={result && !result.ok && result.field === "studentId" ? result.message : undefined} />
              <div className="row">
                <button className="button" disabled={busy}>
                  {busy ? "Enrolling…" : d.requireApproval ? "Enroll (needs approval)" : "Enroll"}
                </button>
                <label style={{ display: "inline-flex", gap: "0.4rem", alignItems: "center" }}>
                  <input type="checkbox" name="waitlist" defaultChecked style={{ width: "1.1rem", height: "1.1rem" }} /> Waitlist if the class is full
                </label>
              </div>
              {d.requireApproval ? <p className="muted">The school requires approval: new enrollments wait for an admin’s decision.</p> : null}
            </>
          )}
        </Form>
        <Roster entries={d.roster} ended={d.ended} maxStudents={lesson.maxStudents} timeZone={timeZone} />
      </section>

      <section className="card" aria-labelledby="upcoming-heading">
        <h2 id="upcoming-heading">Upcoming lessons ({d.upcomingCount})</h2>
        <p className="muted">
          {usual.teacher} · {where}, unless a date says otherwise. Edit a date to move, cancel or change it.
        </p>
        {d.upcoming.length ? <OccurrenceTable rows={d.upcoming} timeZone={timeZone} usual={usual} /> : <p className="muted">No upcoming lessons.</p>}
        {!d.showAll && d.upcomingCount > d.upcoming.length ? (
          <p>
            <Link to={showAllHref} preventScrollReset>
              Show all {d.upcomingCount} upcoming lessons
            </Link>
          </p>
        ) : null}
      </section>

      <section className="card" aria-labelledby="past-heading">
        <h2 id="past-heading">Past lessons ({d.pastCount})</h2>
        {d.past.length ? <OccurrenceTable rows={d.past} timeZone={timeZone} past usual={usual} /> : <p className="muted">No past lessons yet.</p>}
        {!d.showAll && d.pastCount > d.past.length ? (
          <p>
            <Link to={showAllHref} preventScrollReset>
              Show all {d.pastCount} past lessons
            </Link>
          </p>
        ) : null}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
