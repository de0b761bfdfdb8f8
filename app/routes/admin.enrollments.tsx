import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError, SelectField } from "~/components/form";
import { Pager } from "~/components/pager";
import { queryWithPage } from "~/domain/paging";
import { EnrollmentError } from "~/models/enrollment.server";
import { decideEnrollmentRequest, pendingEnrollments, pendingQuery } from "~/models/lessons.server";
import { scheduleSummary } from "~/models/lesson-form";
import lessonsCss from "~/styles/lessons.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { formatterFor, useFormat } from "~/utils/format";
import { parseListQuery } from "~/utils/list-query";

export const meta: MetaFunction = () => [{ title: "Enrollment requests" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: lessonsCss }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const fmt = formatterFor(school);
  const filters = parseListQuery(request.url, pendingQuery);
  const { pending, requireApproval, teachers, waiting, page, pages, total, skip, pageSize } = await db.run((tx) => pendingEnrollments(tx, filters));
  return {
    timeZone: school.timezone,
    requireApproval,
    filters,
    teachers: teachers.map((t) => ({ value: t.id, label: `${t.firstName} ${t.lastName}` })),
    waiting,
    page,
    pages,
    total,
    skip,
    pageSize,
    pending: pending.map((p) => ({
      id: p.id,
      enrolledAt: p.enrolledAt,
      notes: p.notes,
      student: `${p.student.user.firstName} ${p.student.user.lastName}`,
      parent: p.student.parentName,
      instrument: p.student.instrument,
      lessonId: p.lesson.id,
      lessonTitle: p.lesson.title,
      teacher: `${p.lesson.instructor.firstName} ${p.lesson.instructor.lastName}`,
      schedule: scheduleSummary(p.lesson, fmt),
      seats: p.lesson.maxStudents === null ? `${p.lesson._count.enrollments} enrolled, no limit` : `${p.lesson._count.enrollments} of ${p.lesson.maxStudents} seats taken`,
      full: p.lesson.maxStudents !== null && p.lesson._count.enrollments >= p.lesson.maxStudents,
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db } = requireSchool(context);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const enrollmentId = String(form.get("enrollmentId") ?? "");
  if (intent !== "approve" && intent !== "reject") return data({ ok: false, message: "That action is not known. Reload the page and try again." }, { status: 400 });
  try {
    const decision = intent === "approve" ? "APPROVE" : "REJECT";
    const r = await db.run((tx) => decideEnrollmentRequest(tx, context.mailer, { enrollmentId, decision }));
    const who = r.studentName;
    const message =
      r.status === "ACTIVE"
        ? `${who} is enrolled in ${r.lessonTitle}. The family was emailed.`
        : r.status === "WAITLISTED"
          ? `Approved, but ${r.lessonTitle} is full: ${who} is on the waitlist. The family was emailed.`
          : `${who}’s request for ${r.lessonTitle} was rejected. The family was emailed.`;
    return { ok: true, message };
  } catch (error) {
    if (error instanceof EnrollmentError) return data({ ok: false, message: error.message }, { status: 409 });
    throw error;
  }
}

export default function Enrollments() {
  const fmt = useFormat();
  const { pending, timeZone, requireApproval, filters, teachers, waiting, page, pages, total, skip, pageSize } = useLoaderData<typeof loader>();
  const filtered = Boolean(filters.q || filters.teacher);
  const query = { q: filters.q, teacher: filters.teacher };
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const deciding = nav.state === "submitting" ? String(nav.formData?.get("enrollmentId") ?? "") : null;
  return (
    <div className="stack">
      <div>
        <p className="eyebrow">Enrollments</p>
        <h1>Waiting for approval</h1>
        <p className="muted" style={{ margin: 0 }}>
          {requireApproval
            ? "The school approves every enrollment. Families are emailed when you decide."
            : "The school does not require approval at the moment; requests made before that still wait here."}
        </p>
      </div>
      <div role="status" aria-live="polite">
        {result?.ok ? <p className="notice">{result.message}</p> : null}
      </div>
      <FormError message={result && !result.ok ? result.message : null} />
      <section className="card" aria-labelledby="queue-heading">
        <h2 id="queue-heading">
          {waiting} {waiting === 1 ? "request" : "requests"}
        </h2>
        {waiting > 0 ? (
          <Form method="get" className="list-filters" role="search" aria-label="Search requests">
            <div className="field">
              <label htmlFor="requests-q">Search</label>
              <input id="requests-q" type="search" name="q" defaultValue={filters.q} placeholder="Student, parent or lesson" />
            </div>
            <SelectField label="Teacher" name="teacher" defaultValue={filters.teacher} options={[{ value: "", label: "Any" }, ...teachers]} />
            <div className="actions">
              <button className="button secondary">Search</button>
              {filtered ? <Link to="/admin/enrollments">Clear filters</Link> : null}
            </div>
          </Form>
        ) : null}
        {waiting > 0 && total > 0 ? (
          <p className="muted" style={{ marginTop: 0 }}>
            Showing {skip + 1}–{Math.min(total, skip + pageSize)} of {total}, oldest first
          </p>
        ) : null}
        {waiting === 0 ? (
          <p className="muted">Nothing is waiting. New requests appear here, oldest first.</p>
        ) : total === 0 ? (
          <p className="muted">No request matches these filters.</p>
        ) : (
          <ul className="roster-list">
            {pending.map((p) => (
              <li key={p.id} aria-label={`${p.student} — ${p.lessonTitle}`}>
                <div className="roster-who">
                  <strong>{p.student}</strong>
                  {p.instrument ? <span className="muted"> · {p.instrument}</span> : null}
                  <div>
                    <Link to={`/admin/lessons/${p.lessonId}`}>{p.lessonTitle}</Link> <span className="muted">· {p.schedule} · {p.teacher}</span>
                  </div>
                  <div className="muted">
                    Asked {fmt.dateTime(p.enrolledAt)}
                    {p.parent ? ` · parent ${p.parent}` : ""} · {p.seats}
                    {p.full ? <span className="badge warn" style={{ marginLeft: "0.4rem" }}>Full — approving puts them on the waitlist</span> : null}
                  </div>
                  {p.notes ? <div>“{p.notes}”</div> : null}
                </div>
                <div className="roster-actions">
                  <Form method="post" preventScrollReset>
                    <input type="hidden" name="enrollmentId" value={p.id} />
                    <button className="button small" name="intent" value="approve" disabled={deciding === p.id}>
                      Approve
                    </button>
                  </Form>
                  <Form
                    method="post"
                    preventScrollReset
                    onSubmit={(e) => {
                      if (!window.confirm(`Reject ${p.student}'s request for ${p.lessonTitle}? The family is emailed.`)) e.preventDefault();
                    }}
                  >
                    <input type="hidden" name="enrollmentId" value={p.id} />
                    <button className="button small danger" name="intent" value="reject" disabled={deciding === p.id}>
                      Reject
                    </button>
                  </Form>
                </div>
              </li>
            ))}
          </ul>
        )}
        <Pager page={page} pages={pages} href={(p) => `/admin/enrollments${queryWithPage(query, p)}`} />
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
