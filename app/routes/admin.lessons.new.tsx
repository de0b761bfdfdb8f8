import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { describedByIds, Field, FieldFrame, FormError } from "~/components/form";
import { expandSeriesDetailed } from "~/domain/recurrence";
import { localDateTimeToUtc, toLocalDate } from "~/domain/time";
import { describeSkippedDates, LESSON_TYPE_LABEL, LESSON_TYPES, lessonFormSchema, RECURRENCE_LABEL, RECURRENCES, type LessonForm } from "~/models/lesson-form";
import { instrumentNames } from "~/models/landing.server";
import { createLessonFromForm, lessonFormOptions } from "~/models/lessons.server";
import { SchedulingConflictError, SchedulingInputError } from "~/models/scheduling.server";
import lessonsCss from "~/styles/lessons.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { parseForm, type FieldErrors, type FormValues } from "~/utils/forms";
import { useFormat } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "New lesson series" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: lessonsCss }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const today = toLocalDate(context.clock.now(), school.timezone);
  return { ...(await db.run((tx) => lessonFormOptions(tx, today))), today, timeZone: school.timezone };
}

type ActionResult = { ok: false; errors: FieldErrors; values: FormValues; conflicts: string[]; message: string | null };

/** Distinct clash messages, most useful first; a long series can repeat one clash every week. */
function summariseConflicts(messages: string[]): string[] {
  const counts = new Map<string, number>();
  for (const m of messages) counts.set(m, (counts.get(m) ?? 0) + 1);
  return [...counts.entries()].map(([m, n]) => (n > 1 ? `${m} (${n} dates)` : m));
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const formData = await request.formData();
  const instruments = await db.run(instrumentNames);
  const parsed = parseForm(formData, lessonFormSchema({ instruments }));
  const fail = (status: number, result: Omit<ActionResult, "ok" | "values">) => data<ActionResult>({ ok: false, values: parsed.values, ...result }, { status });
  if (!parsed.ok) return fail(400, { errors: parsed.errors, conflicts: [], message: null });
  const f = parsed.data;
  let created;
  try {
    created = await db.run((tx) => createLessonFromForm(tx, school.timezone, f, context.clock.now()));
  } catch (error) {
    if (error instanceof SchedulingConflictError) {
      return fail(409, { errors: {}, conflicts: summariseConflicts(error.conflicts.map((c) => c.message)), message: `${error.conflicts.length === 1 ? "1 clash" : `${error.conflicts.length} clashes`} with the calendar — nothing was created:` });
    }
    if (error instanceof SchedulingInputError) {
      return fail(400, { errors: {}, conflicts: [], message: error.message });
    }
    throw error;
  }
  return redirect(`/admin/lessons/${created.lesson.id}?created=1`);
}

function Select({
  label,
  name,
  value,
  defaultValue,
  onChange,
  error,
  hint,
  children,
}: {
  label: string;
  name: string;
  value?: string;
  defaultValue?: string;
  onChange?: (value: string) => void;
  error?: string;
  hint?: ReactNode;
  children: ReactNode;
}) {
  const id = `${name}-${useId()}`;
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <select
        id={id}
        name={name}
        {...(value !== undefined ? { value, onChange: (e) => onChange?.(e.target.value) } : { defaultValue })}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedByIds(id, hint, error)}
      >
        {children}
      </select>
    </FieldFrame>
  );
}

export default function NewLesson() {
  const fmt = useFormat();
  const { teachers, locations, instruments, durations, terms, today, timeZone } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const v: FormValues = actionData?.values ?? {};
  const e: FieldErrors = actionData?.errors ?? {};
  const defaultDuration = durations.includes(45) ? "45" : String(durations[0] ?? "custom");
  const [recurrence, setRecurrence] = useState(v.recurrence ?? "WEEKLY");
  const [place, setPlace] = useState(v.place ?? "");
  const [duration, setDuration] = useState(v.duration ?? defaultDuration);
  const [end, setEnd] = useState(v.end ?? (terms.length ? "term" : "date"));
  const [type, setType] = useState(v.type ?? "GROUP");
  const hasFieldErrors = Object.keys(e).length > 0;
  // After a refused submission, bring the explanation into view (the button is far below it).
  const problemsRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (actionData && !actionData.ok) {
      problemsRef.current?.scrollIntoView({ block: "start" });
      problemsRef.current?.focus({ preventScroll: true });
    }
  }, [actionData]);

  return (
    <div className="stack">
      <div>
        <p className="eyebrow">
          <Link to="/admin/lessons">Lessons</Link>
        </p>
        <h1>New lesson series</h1>
        <p className="muted">Dates and times are in the school’s time zone ({timeZone}). Every date is checked against teachers’ hours, time off, rooms and closures.</p>
      </div>

      <Form method="post" noValidate className="card">
        <div ref={problemsRef} tabIndex={-1} style={{ outline: "none" }}>
        <FormError message={hasFieldErrors ? "Please correct the fields marked below." : actionData?.conflicts.length ? null : actionData?.message} />
        {actionData?.conflicts.length ? (
          <div className="form-error" role="alert" aria-labelledby="conflicts-heading">
            <strong id="conflicts-heading">{actionData.message}</strong>
            <ul className="conflict-list">
              {actionData.conflicts.slice(0, 20).map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
            {actionData.conflicts.length > 20 ? <p style={{ margin: "0.5rem 0 0" }}>…and {actionData.conflicts.length - 20} more.</p> : null}
            <p style={{ margin: "0.5rem 0 0" }}>Change the time, room, teacher or dates below and try again.</p>
          </div>
        ) : null}
        </div>

        <fieldset className="group">
          <legend>The lesson</legend>
          <div className="grid">
            <Field label="Title" name="title" required defaultValue={v.title} error={e.title} placeholder="Piano Foundation 1" />
            <Select label="Type" name="type" value={type} onChange={setType} error={e.type}>
              {LESSON_TYPES.map((t) => (
                <option key={t} value={t}>
                  {LESSON_TYPE_LABEL[t]}
                </option>
              ))}
            </Select>
            <Select label="Instrument" name="instrument" defaultValue={v.instrument ?? ""} error={e.instrument}>
              <option value="">No particular instrument</option>
              {instruments.map((i) => (
                <option key={i} value={i}>
                  {i}
                </option>
              ))}
            </Select>
          </div>
          <div className="field">
            <label htmlFor="description">Description (optional)</label>
            <textarea id="description" name="description" rows={2} defaultValue={v.description} aria-invalid={e.description ? true : undefined} />
            {e.description ? <p className="field-error">{e.description}</p> : null}
          </div>
        </fieldset>

        <fieldset className="group">
          <legend>Who and where</legend>
          <div className="grid">
            <Select label="Teacher" name="instructorId" defaultValue={v.instructorId ?? ""} error={e.instructorId}>
              <option value="">Choose a teacher…</option>
              {teachers.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.firstName} {t.lastName}
                </option>
              ))}
            </Select>
            <Select label="Where" name="place" value={place} onChange={setPlace} error={e.place}>
              <option value="">Choose a room, or Online…</option>
              {locations.map((l) => (
                <optgroup key={l.id} label={l.name}>
                  {l.rooms.map((r) => (
                    <option key={r.id} value={`room:${r.id}`}>
                      {r.name}
                      {r.capacity ? ` (holds ${r.capacity})` : ""} — {l.name}
                    </option>
                  ))}
                  <option value={`location:${l.id}`}>{l.name}, no particular room</option>
                </optgroup>
              ))}
              <option value="online">Online</option>
            </Select>
          </div>
          {place === "online" ? (
            <Field label="Link to join" name="onlineUrl" type="url" inputMode="url" placeholder="https://" defaultValue={v.onlineUrl} error={e.onlineUrl} />
          ) : null}
        </fieldset>

        <fieldset className="group">
          <legend>When</legend>
          <div className="grid">
            <Field label="First date" name="firstDate" type="date" required defaultValue={v.firstDate ?? today} error={e.firstDate} />
            <Field label="Start time" name="startTime" type="time" required defaultValue={v.startTime ?? "16:00"} error={e.startTime} />
            <Select label="Length" name="duration" value={duration} onChange={setDuration} error={e.duration}>
              {durations.map((m) => (
                <option key={m} value={String(m)}>
                  {m} minutes
                </option>
              ))}
              <option value="custom">Other length…</option>
            </Select>
            {duration === "custom" ? (
              <Field label="Length in minutes" name="customMinutes" type="number" min={5} max={600} inputMode="numeric" defaultValue={v.customMinutes} error={e.customMinutes} />
            ) : null}
          </div>
          <Select label="Repeats" name="recurrence" value={recurrence} onChange={setRecurrence} error={e.recurrence}>
            {RECURRENCES.map((r) => (
              <option key={r} value={r}>
                {RECURRENCE_LABEL[r]}
              </option>
            ))}
          </Select>
          {recurrence === "CUSTOM" ? (
            <div className="field">
              <label htmlFor="customDates">Other dates</label>
              <span className="hint" id="customDates-hint">
                One date per line (yyyy-mm-dd), after the first date. All at the same time.
              </span>
              <textarea
                id="customDates"
                name="customDates"
                rows={4}
                defaultValue={v.customDates}
                placeholder={"2027-05-11\n2027-05-25"}
                aria-invalid={e.customDates ? true : undefined}
                aria-describedby={e.customDates ? "customDates-hint customDates-error" : "customDates-hint"}
              />
              {e.customDates ? (
                <p className="field-error" id="customDates-error">
                  {e.customDates}
                </p>
              ) : null}
            </div>
          ) : null}
          {recurrence !== "ONCE" ? (
            <fieldset className="group" style={{ marginTop: "0.25rem" }}>
              <legend>Ends</legend>
              <div className="choice-row">
                <label>
                  <input type="radio" name="end" value="date" checked={end === "date"} onChange={() => setEnd("date")} /> On a date
                </label>
                <label>
                  <input type="radio" name="end" value="term" checked={end === "term"} onChange={() => setEnd("term")} disabled={terms.length === 0} /> At the end of a term
                </label>
                <label>
                  <input type="radio" name="end" value="none" checked={end === "none"} onChange={() => setEnd("none")} /> No end (keeps going)
                </label>
              </div>
              {end === "date" ? <Field label="Last date" name="endDate" type="date" defaultValue={v.endDate} error={e.endDate} /> : null}
              {end === "term" ? (
                <Select label="Term" name="termId" defaultValue={v.termId ?? terms[0]?.id ?? ""} error={e.termId} hint="Lessons fall only inside the school’s terms.">
                  <option value="">Choose a term…</option>
                  {terms.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.name} ({fmt.dayRange(t.startDate, t.endDate, { day: "numeric", month: "short", year: "numeric" })})
                    </option>
                  ))}
                </Select>
              ) : null}
              {end === "none" ? <p className="muted">Lessons are planned about a year ahead and extended automatically.</p> : null}
              {terms.length === 0 ? (
                <p className="muted">
                  No current or future term yet — <Link to="/admin/terms">set up terms</Link> to end a series with one.
                </p>
              ) : null}
            </fieldset>
          ) : null}
        </fieldset>

        <fieldset className="group">
          <legend>Students and price</legend>
          <div className="grid">
            <Field
              label="Maximum students"
              name="maxStudents"
              type="number"
              min={1}
              inputMode="numeric"
              defaultValue={v.maxStudents ?? (type === "INDIVIDUAL" ? "1" : "")}
              key={type === "INDIVIDUAL" ? "individual" : "group"}
              error={e.maxStudents}
              hint="Empty = no limit. Beyond it, students go on the waitlist."
            />
            <Field label="Price per student" name="price" inputMode="decimal" placeholder="240.00" defaultValue={v.price} error={e.price} hint="For the whole series (optional)." />
          </div>
        </fieldset>

        <div className="row">
          <button className="button" disabled={busy}>
            {busy ? "Checking the calendar…" : "Create the series"}
          </button>
          <Link to="/admin/lessons">Cancel</Link>
        </div>
      </Form>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
