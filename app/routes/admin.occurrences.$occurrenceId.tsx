// One lesson date, for admins: the keyboard and phone alternative to dragging in
// the calendar. Change its date, time, length, room or teacher — for this date, this
// and the following ones, or the whole series — or cancel it. Families are emailed
// either way; a clash is shown next to the form with everything typed kept.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormError } from "~/components/form";
import { LESSON_TYPE_STYLE } from "~/domain/calendar-view";
import { formatLocalTime, isValidLocalDate, toLocalDate, tryParseTime } from "~/domain/time";
import { calendarFilterOptions } from "~/models/calendar.server";
import { cancelOccurrenceForSchool, editOccurrence, occurrenceDetails } from "~/models/occurrence-changes.server";
import { SchedulingConflictError, SchedulingInputError } from "~/models/scheduling.server";
import { requireSchool, requireUser } from "~/utils/auth.server";
import type { FieldErrors, FormValues } from "~/utils/forms";
import { parseForm } from "~/utils/forms";
import calendarCss from "~/styles/calendar.css?url";
import { formatterFor, useFormat } from "~/utils/format";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.occurrence.title} · ${data.occurrence.dateLabel}` : "Lesson date" }];

export const links: LinksFunction = () => [{ rel: "stylesheet", href: calendarCss }];

const CALENDAR_KEYS = ["location", "teacher", "room", "type"] as const;

/** The calendar's filters out of the `back` parameter (nothing else is trusted). */
function calendarFilters(back: string | null | undefined): URLSearchParams {
  const out = new URLSearchParams();
  if (!back) return out;
  const given = new URLSearchParams(back);
  for (const key of CALENDAR_KEYS) {
    const value = given.get(key);
    if (value && value.length <= 64) out.set(key, value);
  }
  return out;
}

function calendarUrl(back: string | null | undefined, date: string, extra: Record<string, string> = {}) {
  const params = calendarFilters(back);
  params.set("view", "week");
  params.set("date", date);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return `/admin/calendar?${params}`;
}

function backUrl(back: string | null | undefined, fallbackDate: string) {
  if (!back) return calendarUrl(null, fallbackDate);
  const given = new URLSearchParams(back);
  const params = calendarFilters(back);
  const view = given.get("view");
  params.set("view", view === "day" || view === "month" ? view : "week");
  const date = given.get("date");
  params.set("date", isValidLocalDate(date) ? date : fallbackDate);
  return `/admin/calendar?${params}`;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const timeZone = school.timezone;
  const { o, options } = await db.run(async (tx) => {
    const o = await occurrenceDetails(tx, params.occurrenceId ?? "");
    const options = await calendarFilterOptions(tx);
    return { o, options };
  });
  if (!o) throw new Response("This lesson date does not exist any more.", { status: 404 });
  const date = toLocalDate(o.startsAt, timeZone);
  const teachers = options.teachers.map((t) => ({ id: t.id, name: `${t.firstName} ${t.lastName}` }));
  if (!teachers.some((t) => t.id === o.instructorId)) teachers.unshift({ id: o.instructorId, name: `${o.instructor.firstName} ${o.instructor.lastName}` });
  const back = new URL(request.url).searchParams.get("back");
  return {
    occurrence: {
      id: o.id,
      kind: o.kind,
      status: o.status,
      title: o.lesson.title,
      typeLabel: LESSON_TYPE_STYLE[o.lesson.type].label,
      lessonId: o.lessonId,
      seriesDates: o.lesson._count.occurrences,
      enrolled: o.lesson._count.enrollments,
      capacity: o.lesson.maxStudents,
      guests: o._count.guests,
      studentName: o.student ? `${o.student.user.firstName} ${o.student.user.lastName}` : null,
      date,
      dateLabel: formatterFor(school).day(date),
      startTime: formatLocalTime(o.startsAt, timeZone),
      endTime: formatLocalTime(o.endsAt, timeZone),
      duration: Math.round((o.endsAt.getTime() - o.startsAt.getTime()) / 60_000),
      roomId: o.roomId,
      roomName: o.room?.name ?? null,
      teacherId: o.instructorId,
      teacherName: `${o.instructor.firstName} ${o.instructor.lastName}`,
      cancelReason: o.cancelReason,
    },
    teachers,
    locations: options.locations,
    back: calendarFilters(back).toString() || null,
    backHref: backUrl(back, date),
    timeZone,
  };
}

// ---------------------------------------------------------------------------

const localDate = z.string({ required_error: "Choose a date." }).refine(isValidLocalDate, "Choose a date.");
const localTime = z.string({ required_error: "Choose a start time." }).refine((t) => {
  const m = tryParseTime(t);
  return m !== null && m < 24 * 60;
}, "Choose a start time (HH:mm).");

const editSchema = z.object({
  intent: z.literal("edit"),
  date: localDate,
  startTime: localTime,
  durationMinutes: z.coerce
    .number({ invalid_type_error: "Enter the length in minutes." })
    .int("Enter whole minutes.")
    .min(5, "A lesson lasts at least 5 minutes.")
    .max(600, "A lesson lasts at most 10 hours."),
  roomId: z.string({ required_error: "Choose a room." }).min(1, "Choose a room.").max(64),
  teacherId: z.string({ required_error: "Choose a teacher." }).min(1, "Choose a teacher.").max(64),
  scope: z.enum(["THIS", "FOLLOWING", "ALL"], { errorMap: () => ({ message: "Choose which dates to change." }) }),
  back: z.string().max(500).optional(),
});

const cancelSchema = z.object({
  intent: z.literal("cancel"),
  by: z.enum(["SCHOOL", "TEACHER"], { errorMap: () => ({ message: "Say who is cancelling." }) }),
  reason: z
    .string()
    .trim()
    .max(500, "Keep the reason under 500 characters.")
    .optional()
    .transform((v) => v || null),
  back: z.string().max(500).optional(),
});

type ActionResult = {
  intent: "edit" | "cancel";
  errors: FieldErrors;
  values: FormValues;
  message: string | null;
  conflicts: string[];
};

function failure(intent: ActionResult["intent"], status: number, r: Partial<ActionResult>) {
  return data<ActionResult>({ intent, errors: {}, values: {}, message: null, conflicts: [], ...r }, { status });
}


export async function action({ request, params, context }: ActionFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const timeZone = school.timezone;
  const occurrenceId = params.occurrenceId ?? "";
  const form = await request.formData();

  if (form.get("intent") === "cancel") {
    const parsed = parseForm(form, cancelSchema);
    if (!parsed.ok) return failure("cancel", 400, { errors: parsed.errors, values: parsed.values });
    try {
      const { by, reason } = parsed.data;
      const result = await db.run((tx) => cancelOccurrenceForSchool(tx, context.mailer, { occurrenceId, by, reason, timeZone, schoolName: school.name, now: context.clock.now() }));
      return redirect(calendarUrl(parsed.data.back, result.date, { notice: "cancelled", occurrence: occurrenceId, emailed: String(result.emailed) }));
    } catch (error) {
      if (error instanceof SchedulingInputError) return failure("cancel", 409, { message: error.message, values: parsed.values });
      throw error;
    }
  }

  const parsed = parseForm(form, editSchema);
  if (!parsed.ok) {
    return failure("edit", 400, { errors: parsed.errors, values: parsed.values, message: "Please correct the fields marked below." });
  }
  const input = parsed.data;
  try {
    const result = await db.run((tx) => editOccurrence(tx, context.mailer, occurrenceId, { ...input, timeZone, schoolName: school.name, now: context.clock.now() }));
    return redirect(
      calendarUrl(input.back, result.date, { notice: "moved", occurrence: occurrenceId, changed: String(result.changed), emailed: String(result.emailed) }),
    );
  } catch (error) {
    if (error instanceof SchedulingConflictError) {
      const conflicts = [...new Set(error.conflicts.map((c) => c.message))];
      const shown = conflicts.slice(0, 8);
      if (conflicts.length > shown.length) shown.push(`…and ${conflicts.length - shown.length} more clashes.`);
      return failure("edit", 409, { values: parsed.values, message: "These changes clash with the calendar; nothing was saved.", conflicts: shown });
    }
    if (error instanceof SchedulingInputError || error instanceof RangeError) {
      return failure("edit", 400, { values: parsed.values, message: error.message });
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------

const SCOPES = [
  { value: "THIS", label: "Only this date", hint: (d: string) => `Just ${d}.` },
  { value: "FOLLOWING", label: "This and all following dates", hint: (d: string) => `${d} and every later date of the series.` },
  { value: "ALL", label: "Every date of the series", hint: () => "Dates already past are kept as they were." },
] as const;

export default function OccurrencePage() {
  const fmt = useFormat();
  const { occurrence: o, teachers, locations, back, backHref } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busyIntent = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const edit = actionData?.intent === "edit" ? actionData : null;
  const cancel = actionData?.intent === "cancel" ? actionData : null;
  const v = (key: string, fallback: string) => edit?.values[key] ?? fallback;
  const cancelled = o.status === "CANCELLED" || o.status === "CANCELLED_BY_TEACHER";
  const isSession = o.kind === "INDIVIDUAL_SESSION";
  const roomValue = v("roomId", o.roomId ?? "none");
  const scopeValue = v("scope", "THIS");
  const byValue = cancel?.values.by ?? "SCHOOL";
  const roster = o.capacity ? `${o.enrolled} of ${o.capacity} places taken` : `${o.enrolled} enrolled`;

  return (
    <div className="stack">
      <p>
        <Link to={backHref}>
          <span aria-hidden="true">←</span> Back to the calendar
        </Link>
      </p>
      <div>
        <p className="eyebrow">
          {o.typeLabel} · {isSession ? "1-on-1 session" : `one of ${o.seriesDates} ${o.seriesDates === 1 ? "date" : "dates"}`}
        </p>
        <h1 className={cancelled ? "cal-struck" : undefined}>{isSession && o.studentName ? `${o.title} — 1-on-1 with ${o.studentName}` : o.title}</h1>
        <p className="muted">
          {o.dateLabel}, {fmt.wallRange(o.startTime, o.endTime)} · {o.teacherName} · {o.roomName ?? "Online"}
        </p>
        <p>
          <strong>Roster:</strong> {roster}
          {o.guests ? ` · ${o.guests} make-up ${o.guests === 1 ? "guest" : "guests"} on this date` : ""}
          {" · "}
          <Link to={`/admin/lessons/${o.lessonId}`}>Open the series</Link>
        </p>
        {cancelled ? (
          <p className="badge danger">
            {o.status === "CANCELLED_BY_TEACHER" ? "Cancelled by the teacher" : "Cancelled by the school"}
            {o.cancelReason ? `: ${o.cancelReason}` : ""}
          </p>
        ) : null}
      </div>

      <section className="card" aria-labelledby="edit-title">
        <h2 id="edit-title">Move or change</h2>
        {cancelled ? (
          <p className="muted">This date is cancelled, so it cannot be changed.</p>
        ) : isSession ? (
          <p className="muted">This is a booked 1-on-1 session. Sessions are moved from the lesson's booking page; you can cancel it below.</p>
        ) : (
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="edit" />
            {back ? <input type="hidden" name="back" value={back} /> : null}
            {edit?.message || edit?.conflicts.length ? (
              <div className="form-error" role="alert">
                {edit.message}
                {edit.conflicts.length ? (
                  <ul>
                    {edit.conflicts.map((c) => (
                      <li key={c}>{c}</li>
                    ))}
                  </ul>
                ) : null}
              </div>
            ) : null}
            <div className="grid">
              <Field label="Date" name="date" type="date" required defaultValue={v("date", o.date)} error={edit?.errors.date} />
              <Field label="Start time" name="startTime" type="time" step={300} required defaultValue={v("startTime", o.startTime)} error={edit?.errors.startTime} />
              <Field
                label="Length (minutes)"
                name="durationMinutes"
                type="number"
                inputMode="numeric"
                min={5}
                max={600}
                step={5}
                required
                defaultValue={v("durationMinutes", String(o.duration))}
                error={edit?.errors.durationMinutes}
              />
              <div className="field">
                <label htmlFor="occ-room">Room</label>
                <select id="occ-room" name="roomId" defaultValue={roomValue} aria-invalid={edit?.errors.roomId ? true : undefined}>
                  {locations.map((l) => (
                    <optgroup key={l.id} label={l.name}>
                      {l.rooms.map((r) => (
                        <option key={r.id} value={r.id}>
                          {r.name}
                          {r.capacity ? ` (${r.capacity} places)` : ""}
                        </option>
                      ))}
                    </optgroup>
                  ))}
                  <option value="none">No room (online)</option>
                </select>
              </div>
              <div className="field">
                <label htmlFor="occ-teacher">Teacher</label>
                <select id="occ-teacher" name="teacherId" defaultValue={v("teacherId", o.teacherId)} aria-invalid={edit?.errors.teacherId ? true : undefined}>
                  {teachers.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.name}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            <fieldset className="field cal-fieldset" aria-describedby={edit?.errors.scope ? "scope-error" : undefined}>
              <legend>Which dates should change?</legend>
              {SCOPES.map((s) => (
                <div key={s.value} className="cal-choice">
                  <input type="radio" id={`scope-${s.value}`} name="scope" value={s.value} defaultChecked={scopeValue === s.value} aria-describedby={`scope-${s.value}-hint`} />
                  <span>
                    <label htmlFor={`scope-${s.value}`}>{s.label}</label>
                    <span className="hint" id={`scope-${s.value}-hint`}>
                      {" "}
                      — {s.hint(o.dateLabel)}
                    </span>
                  </span>
                </div>
              ))}
              {edit?.errors.scope ? (
                <p className="field-error" id="scope-error">
                  {edit.errors.scope}
                </p>
              ) : null}
              <p className="hint">Only the fields you change are applied to the other dates; a new date moves each of them by the same number of days. Cancelled dates never change.</p>
            </fieldset>
            <p className="muted">Families enrolled in {o.title} are emailed the new times.</p>
            <button className="button" disabled={busyIntent === "edit"}>
              {busyIntent === "edit" ? "Saving…" : "Save changes"}
            </button>
          </Form>
        )}
      </section>

      <section className="card" aria-labelledby="cancel-title">
        <h2 id="cancel-title">Cancel this date</h2>
        {cancelled ? (
          <p className="muted">Already cancelled.</p>
        ) : o.status !== "SCHEDULED" ? (
          <p className="muted">This date has been held; it cannot be cancelled.</p>
        ) : (
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="cancel" />
            {back ? <input type="hidden" name="back" value={back} /> : null}
            <FormError message={cancel?.message ?? (cancel && Object.keys(cancel.errors).length ? "Please correct the fields marked below." : null)} />
            <fieldset className="field cal-fieldset">
              <legend>Who is cancelling?</legend>
              <label className="cal-choice">
                <input type="radio" name="by" value="SCHOOL" defaultChecked={byValue === "SCHOOL"} />
                <span>Cancelled by the school</span>
              </label>
              <label className="cal-choice">
                <input type="radio" name="by" value="TEACHER" defaultChecked={byValue === "TEACHER"} />
                <span>Cancelled by the teacher</span>
              </label>
              {cancel?.errors.by ? <p className="field-error">{cancel.errors.by}</p> : null}
            </fieldset>
            <div className="field">
              <label htmlFor="cancel-reason">Reason</label>
              <span className="hint" id="cancel-reason-hint">
                Families see it in the email, e.g. "Teacher unwell".
              </span>
              <textarea
                id="cancel-reason"
                name="reason"
                rows={2}
                maxLength={500}
                defaultValue={cancel?.values.reason ?? ""}
                aria-describedby={cancel?.errors.reason ? "cancel-reason-hint cancel-reason-error" : "cancel-reason-hint"}
                aria-invalid={cancel?.errors.reason ? true : undefined}
              />
              {cancel?.errors.reason ? (
                <p className="field-error" id="cancel-reason-error">
                  {cancel.errors.reason}
                </p>
              ) : null}
            </div>
            <p className="muted">Only {o.dateLabel} is cancelled; {isSession ? "the student's family is" : "enrolled families are"} emailed.</p>
            <button className="button cal-danger" disabled={busyIntent === "cancel"}>
              {busyIntent === "cancel" ? "Cancelling…" : "Cancel this date"}
            </button>
          </Form>
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
