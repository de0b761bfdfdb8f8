// The admin's queue of requests for individual lessons (made on the online enrollment
// form): who, how old, which instrument, when the family would like lessons, and how
// to reach them. "Schedule" opens a prefilled form; "Decline" takes a message.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ageOn } from "~/domain/lesson-requests";
import { toLocalDate } from "~/domain/time";
import { describeRequest, listLessonRequests, type LessonRequestRow } from "~/models/lesson-requests.server";
import lessonsCss from "~/styles/lessons.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Lesson requests");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: lessonsCss }];

function rowView(r: LessonRequestRow, today: string) {
  const contact = r.familyGroup.admin;
  return {
    id: r.id,
    child: `${r.student.user.firstName} ${r.student.user.lastName}`,
    studentId: r.student.id,
    age: r.student.dateOfBirth ? ageOn(r.student.dateOfBirth.toISOString().slice(0, 10), today) : null,
    instrument: r.instrument,
    preferences: describeRequest(r),
    duration: r.durationMinutes,
    notes: r.notes,
    createdAt: r.createdAt,
    family: r.familyGroup.name,
    contact: { name: `${contact.firstName} ${contact.lastName}`, email: contact.email, phone: contact.phone },
    status: r.status,
    lesson: r.lesson ? { id: r.lesson.id, title: r.lesson.title } : null,
    declineMessage: r.declineMessage,
    decidedAt: r.decidedAt,
    decidedBy: r.decidedBy ? `${r.decidedBy.firstName} ${r.decidedBy.lastName}` : null,
  };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const today = toLocalDate(context.clock.now(), school.timezone);
  const { pending, decided } = await db.run((tx) => listLessonRequests(tx));
  const done = new URL(request.url).searchParams.get("done");
  return { timeZone: school.timezone, pending: pending.map((r) => rowView(r, today)), decided: decided.map((r) => rowView(r, today)), done };
}

const DONE_MESSAGE: Record<string, string> = {
  scheduled: "The lessons are scheduled, the child is enrolled and the family was emailed.",
  declined: "The request was declined and the family was emailed your message.",
};

export default function LessonRequests() {
  const fmt = useFormat();
  const { pending, decided, timeZone, done } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <div>
        <p className="eyebrow">Enrollments</p>
        <h1>Requests for individual lessons</h1>
        <p className="muted" style={{ margin: 0 }}>
          Families ask for individual lessons on the enrollment form. Schedule each as a weekly series, or decline it with a message; the family is emailed either way.
        </p>
      </div>
      <div role="status" aria-live="polite">
        {done && DONE_MESSAGE[done] ? <p className="notice">{DONE_MESSAGE[done]}</p> : null}
      </div>
      <section className="card" aria-labelledby="pending-heading">
        <h2 id="pending-heading">
          {pending.length} {pending.length === 1 ? "request" : "requests"} to schedule
        </h2>
        {pending.length === 0 ? (
          <p className="muted">Nothing is waiting. New requests appear here, oldest first.</p>
        ) : (
          <ul className="roster-list requests-list">
            {pending.map((r) => (
              <li key={r.id} aria-label={`${r.child} — ${r.instrument}`}>
                <div className="roster-who">
                  <strong>
                    <Link to={`/admin/students/${r.studentId}`}>{r.child}</Link>
                  </strong>
                  {r.age !== null ? <span className="muted"> · {r.age} years old</span> : null}
                  <div>
                    Individual <strong>{r.instrument}</strong> lessons{r.duration ? `, ${r.duration} minutes` : ""} · {r.preferences}
                  </div>
                  {r.notes ? <div>“{r.notes}”</div> : null}
                  <div className="muted">
                    {r.contact.name} · <a href={`mailto:${r.contact.email}`}>{r.contact.email}</a>
                    {r.contact.phone ? (
                      <>
                        {" "}
                        · <a href={`tel:${r.contact.phone.replace(/[^\d+]/g, "")}`}>{r.contact.phone}</a>
                      </>
                    ) : null}
                  </div>
                  <div className="muted">Asked {fmt.dateTime(r.createdAt)}</div>
                </div>
                <div className="roster-actions">
                  <Link className="button small" to={`/admin/requests/${r.id}`} aria-label={`Schedule ${r.child}'s ${r.instrument} lessons`}>
                    Schedule
                  </Link>
                  <Link className="button small secondary" to={`/admin/requests/${r.id}#decline`} aria-label={`Decline ${r.child}'s request`}>
                    Decline
                  </Link>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      {decided.length ? (
        <section className="card" aria-labelledby="decided-heading">
          <h2 id="decided-heading">Recently decided</h2>
          <ul className="roster-list">
            {decided.map((r) => (
              <li key={r.id}>
                <div className="roster-who">
                  <strong>{r.child}</strong> <span className="muted">· {r.instrument}</span>{" "}
                  {r.status === "SCHEDULED" ? <span className="badge ok">Scheduled</span> : <span className="badge muted">Declined</span>}
                  <div>
                    {r.lesson ? <Link to={`/admin/lessons/${r.lesson.id}`}>{r.lesson.title}</Link> : r.declineMessage ? <>“{r.declineMessage}”</> : null}
                  </div>
                  <div className="muted">
                    {r.decidedAt ? fmt.dateTime(r.decidedAt) : ""}
                    {r.decidedBy ? ` · ${r.decidedBy}` : ""}
                  </div>
                </div>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
