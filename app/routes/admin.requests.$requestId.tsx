// One request for individual lessons: schedule it (a weekly INDIVIDUAL series for the
// term, prefilled with a teacher of the instrument and a free time that fits the
// family's preferences) or decline it with a message. Either way the family is emailed.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useId, type ReactNode } from "react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { describedByIds, Field, FieldFrame, FormError } from "~/components/form";
import { DATE_WITH_YEAR } from "~/domain/locale";
import { declineRequestForm, scheduleRequestForm } from "~/models/lesson-request-form";
import { declineLessonRequest, LessonRequestError, scheduleFormData, scheduleLessonRequest } from "~/models/lesson-requests.server";
import { SchedulingConflictError, SchedulingInputError } from "~/models/scheduling.server";
import { EnrollmentError } from "~/models/enrollment.server";
import lessonsCss from "~/styles/lessons.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { parseForm, type FieldErrors, type FormValues } from "~/utils/forms";
import { useFormat } from "~/utils/format";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Schedule a lesson request");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: lessonsCss }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const requestId = params.requestId ?? "";
  const form = await db.run((tx) => scheduleFormData(tx, { requestId, timeZone: school.timezone, now: context.clock.now() })).catch((error: unknown) => {
    if (error instanceof LessonRequestError) throw new Response(error.message, { status: error.status });
    throw error;
  });
  const r = form.request;
  const asked = Number(new URL(request.url).searchParams.get("suggestion") ?? "0");
  const chosen = form.suggestions[Number.isInteger(asked) && asked >= 0 ? asked : 0] ?? null;
  const prefill: FormValues = {
    teacherId: chosen?.teacherId ?? form.teachers[0]?.id ?? "",
    firstDate: chosen?.date ?? "",
    startTime: chosen?.time ?? "",
    duration: String(form.durationMinutes),
    place: chosen?.locationId ? `location:${chosen.locationId}` : "online",
    termId: form.defaultTermId,
  };
  return {
    timeZone: school.timezone,
    request: {
      id: r.id,
      status: r.status,
      child: `${r.student.user.firstName} ${r.student.user.lastName}`,
      childFirstName: r.student.user.firstName,
      instrument: r.instrument,
      notes: r.notes,
      duration: r.durationMinutes,
      contact: { name: `${r.familyGroup.admin.firstName} ${r.familyGroup.admin.lastName}`, email: r.familyGroup.admin.email, phone: r.familyGroup.admin.phone },
      lesson: r.lesson ? { id: r.lesson.id, title: r.lesson.title } : null,
      declineMessage: r.declineMessage,
    },
    preferences: form.preferences,
    teachers: form.teachers,
    teachesInstrument: form.teachesInstrument,
    durations: form.durations,
    locations: form.locations,
    terms: form.terms,
    suggestions: form.suggestions.map((s, i) => ({ index: i, teacherName: s.teacherName, weekday: s.weekday, date: s.date, start: s.start, fits: s.fits, chosen: s === chosen })),
    prefill,
  };
}

type ActionResult = { intent: "schedule" | "decline"; errors: FieldErrors; values: FormValues; message: string; conflicts: string[] };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const requestId = params.requestId ?? "";
  const formData = await request.formData();
  const intent = formData.get("intent") === "decline" ? "decline" : "schedule";
  const fail = (status: number, result: Partial<Omit<ActionResult, "intent" | "values">>, values: FormValues) =>
    data<ActionResult>({ intent, errors: {}, message: "", conflicts: [], values, ...result }, { status });

  try {
    if (intent === "decline") {
      const parsed = parseForm(formData, declineRequestForm);
      if (!parsed.ok) return fail(400, { errors: parsed.errors, message: "Please write the family a message." }, parsed.values);
      await db.run((tx) => declineLessonRequest(tx, context.mailer, { requestId, message: parsed.data.message, actorId: user.id, schoolName: school.name }));
      return redirect("/admin/requests?done=declined");
    }
    const parsed = parseForm(formData, scheduleRequestForm);
    if (!parsed.ok) return fail(400, { errors: parsed.errors, message: "Please correct the fields marked below." }, parsed.values);
    try {
      await db.run((tx) => scheduleLessonRequest(tx, context.mailer, { requestId, ...parsed.data, actorId: user.id, timeZone: school.timezone, schoolName: school.name, now: context.clock.now() }));
    } catch (error) {
      if (error instanceof SchedulingConflictError) {
        const conflicts = [...new Set(error.conflicts.map((c) => c.message))];
        return fail(409, { conflicts, message: "This time clashes with the calendar — nothing was scheduled:" }, parsed.values);
      }
      if (error instanceof SchedulingInputError || error instanceof EnrollmentError) return fail(400, { message: error.message }, parsed.values);
      throw error;
    }
    return redirect("/admin/requests?done=scheduled");
  } catch (error) {
    if (error instanceof LessonRequestError) return fail(error.status, { message: error.message, errors: error.field ? { [error.field]: error.message } : {} }, Object.fromEntries([...formData].filter((e): e is [string, string] => typeof e[1] === "string")));
    throw error;
  }
}

function Select({ label, name, defaultValue, error, hint, children }: { label: string; name: string; defaultValue?: string; error?: string; hint?: ReactNode; children: ReactNode }) {
  const id = `${name}-${useId()}`;
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <select id={id} name={name} defaultValue={defaultValue} aria-invalid={error ? true : undefined} aria-describedby={describedByIds(id, hint, error)}>
        {children}
      </select>
    </FieldFrame>
  );
}

export default function ScheduleRequest() {
  const fmt = useFormat();
  const { request: r, preferences, teachers, teachesInstrument, durations, locations, terms, suggestions, prefill, timeZone } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const scheduling = actionData?.intent === "schedule" ? actionData : null;
  const declining = actionData?.intent === "decline" ? actionData : null;
  const v = scheduling?.values ?? prefill;
  const e = scheduling?.errors ?? {};

  if (r.status !== "PENDING") {
    return (
      <div className="stack">
        <p className="eyebrow">
          <Link to="/admin/requests">Requests</Link>
        </p>
        <h1>
          {r.child}: {r.instrument}
        </h1>
        <p className="notice" role="status">
          This request was already {r.status === "SCHEDULED" ? "scheduled" : "declined"}.{" "}
          {r.lesson ? <Link to={`/admin/lessons/${r.lesson.id}`}>{r.lesson.title}</Link> : r.declineMessage ? `“${r.declineMessage}”` : null}
        </p>
      </div>
    );
  }

  return (
    <div className="stack" style={{ maxWidth: "52rem" }}>
      <div>
        <p className="eyebrow">
          <Link to="/admin/requests">Requests</Link>
        </p>
        <h1>
          Schedule {r.child}&rsquo;s {r.instrument} lessons
        </h1>
        <p className="muted" style={{ margin: 0 }}>
          The family would like: <strong>{preferences}</strong>
          {r.duration ? `, ${r.duration}-minute lessons` : ""}. Contact: {r.contact.name}, <a href={`mailto:${r.contact.email}`}>{r.contact.email}</a>
          {r.contact.phone ? `, ${r.contact.phone}` : ""}.
        </p>
        {r.notes ? <p style={{ margin: "0.5rem 0 0" }}>“{r.notes}”</p> : null}
      </div>

      <section className="card" aria-labelledby="suggestions-heading">
        <h2 id="suggestions-heading">Free times in the next two weeks</h2>
        {suggestions.length === 0 ? (
          <p className="muted">No teacher of {r.instrument} has a free time in the next two weeks. Pick a teacher and time below; every date is still checked.</p>
        ) : (
          <>
            {suggestions.some((s) => !s.fits) ? <p className="muted">None fits the family&rsquo;s preferences exactly; these are the earliest free times.</p> : null}
            <ul className="suggestions">
              {suggestions.map((s) => (
                <li key={s.index}>
                  {s.chosen ? (
                    <strong aria-current="true">
                      {fmt.weekday(s.weekday)}s at {fmt.time(s.start)} with {s.teacherName} (from {fmt.day(s.date, DATE_WITH_YEAR)}) — in the form below
                    </strong>
                  ) : (
                    <Link to={`?suggestion=${s.index}`} preventScrollReset>
                      {fmt.weekday(s.weekday)}s at {fmt.time(s.start)} with {s.teacherName} (from {fmt.day(s.date, DATE_WITH_YEAR)})
                    </Link>
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <Form method="post" noValidate className="card" key={JSON.stringify(prefill)} aria-labelledby="schedule-heading">
        <h2 id="schedule-heading">Weekly lessons</h2>
        <FormError message={scheduling && !scheduling.conflicts.length ? scheduling.message : null} />
        {scheduling?.conflicts.length ? (
          <div className="form-error" role="alert">
            <strong>{scheduling.message}</strong>
            <ul className="conflict-list">
              {scheduling.conflicts.slice(0, 10).map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <div className="grid two">
          <Select label="Teacher" name="teacherId" defaultValue={v.teacherId} error={e.teacherId} hint={teachesInstrument ? `Teachers of ${r.instrument}.` : `No teacher lists ${r.instrument}: every teacher is shown.`}>
            {teachers.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </Select>
          <Select label="Length" name="duration" defaultValue={v.duration} error={e.duration}>
            {durations.map((d) => (
              <option key={d} value={String(d)}>
                {d} minutes
              </option>
            ))}
          </Select>
          <Field label="First lesson" name="firstDate" type="date" defaultValue={v.firstDate} error={e.firstDate} required />
          <Field label="Time" name="startTime" type="time" defaultValue={v.startTime} error={e.startTime} hint={`In the school's time zone (${timeZone}).`} required />
          <Select label="Place" name="place" defaultValue={v.place} error={e.place}>
            <option value="online">Online</option>
            {locations.map((l) => (
              <optgroup key={l.id} label={l.name}>
                <option value={`location:${l.id}`}>{l.name} (any room)</option>
                {l.rooms.map((room) => (
                  <option key={room.id} value={`room:${room.id}`}>
                    {room.name}
                  </option>
                ))}
              </optgroup>
            ))}
          </Select>
          <Select label="Every week" name="termId" defaultValue={v.termId} error={e.termId}>
            {terms.map((t) => (
              <option key={t.id} value={t.id}>
                Until the end of {t.name}
              </option>
            ))}
            <option value="">No end date</option>
          </Select>
        </div>
        <p className="muted">
          {r.childFirstName} is enrolled in the new series, and the family is emailed its day, time and teacher.
        </p>
        <button className="button" name="intent" value="schedule" disabled={busy}>
          {busy ? "Scheduling…" : "Schedule the lessons"}
        </button>
      </Form>

      <Form method="post" noValidate className="card" id="decline" aria-labelledby="decline-heading">
        <h2 id="decline-heading">Decline</h2>
        <FormError message={declining ? declining.message : null} />
        <DeclineMessage defaultValue={declining?.values.message ?? ""} error={declining?.errors.message} />
        <button className="button danger" name="intent" value="decline" disabled={busy}>
          Decline and email the family
        </button>
      </Form>
    </div>
  );
}

function DeclineMessage({ defaultValue, error }: { defaultValue: string; error?: string }) {
  const id = `decline-message-${useId()}`;
  const hint = "Emailed to the family as you write it.";
  return (
    <FieldFrame id={id} label="Message to the family" hint={hint} error={error}>
      <textarea id={id} name="message" rows={4} maxLength={2000} defaultValue={defaultValue} aria-invalid={error ? true : undefined} aria-describedby={describedByIds(id, hint, error)} />
    </FieldFrame>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
