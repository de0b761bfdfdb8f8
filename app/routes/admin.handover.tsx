import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormError, SelectField } from "~/components/form";
import { DATE_WITH_YEAR } from "~/domain/locale";
import { isValidLocalDate, toLocalDate } from "~/domain/time";
import { handOverAndTell, handoverCandidates } from "~/models/lessons.server";
import { SchedulingConflictError, SchedulingInputError } from "~/models/scheduling.server";
import lessonsCss from "~/styles/lessons.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { formatterFor, useFormat } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Hand over lessons" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: lessonsCss }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const tz = school.timezone;
  const url = new URL(request.url);
  const today = toLocalDate(context.clock.now(), tz);
  const fromParam = url.searchParams.get("fromDate") ?? "";
  const fromDate = isValidLocalDate(fromParam) ? fromParam : today;
  const fromTeacherId = url.searchParams.get("teacher") ?? "";
  const { teachers, lessons } = await db.run((tx) => handoverCandidates(tx, { fromTeacherId, fromDate, timeZone: tz }));
  return { teachers, lessons, fromDate, fromTeacherId, today, timeZone: tz };
}

type Result = { ok: boolean; message: string; conflicts: string[]; errors: Record<string, string> };

export async function action({ request, context }: ActionFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const fmt = formatterFor(school);
  const tz = school.timezone;
  const form = await request.formData();
  const fromTeacherId = String(form.get("fromTeacherId") ?? "");
  const toTeacherId = String(form.get("toTeacherId") ?? "");
  const fromDate = String(form.get("fromDate") ?? "").trim();
  const lessonIds = form.getAll("lessonId").map(String).filter(Boolean);
  const errors: Record<string, string> = {};
  if (!fromTeacherId) errors.fromTeacherId = "Choose the teacher who is leaving.";
  if (!toTeacherId) errors.toTeacherId = "Choose the teacher who takes over.";
  else if (toTeacherId === fromTeacherId) errors.toTeacherId = "Choose a different teacher to hand the lessons to.";
  if (!isValidLocalDate(fromDate)) errors.fromDate = "Enter the first date the new teacher teaches (yyyy-mm-dd).";
  if (lessonIds.length === 0) errors.lessonId = "Choose at least one lesson to hand over.";
  const reply = (status: number, r: Partial<Result>) => data<Result>({ ok: false, message: "", conflicts: [], errors: {}, ...r }, { status });
  if (Object.keys(errors).length) return reply(400, { errors, message: "Please correct the fields marked below." });
  try {
    const result = await db.run((tx) => handOverAndTell(tx, context.mailer, { fromTeacherId, toTeacherId, fromDate, lessonIds, timeZone: tz, schoolName: school.name }));
    if (result.moved === 0) return reply(409, { message: "There were no scheduled lessons to hand over from that date." });
    return data<Result>({
      ok: true,
      conflicts: [],
      errors: {},
      message: `${result.moved} ${result.moved === 1 ? "lesson" : "lessons"} of ${result.lessonIds.length} ${result.lessonIds.length === 1 ? "series" : "series"} handed from ${result.fromName} to ${result.toName} from ${fmt.day(fromDate, DATE_WITH_YEAR)}. ${result.emailed} ${result.emailed === 1 ? "family address was" : "family addresses were"} emailed.`,
    });
  } catch (error) {
    if (error instanceof SchedulingConflictError) {
      const unique = [...new Set(error.conflicts.map((c) => c.message))];
      return reply(409, { conflicts: unique, message: "The new teacher is not free for every lesson, so nothing was handed over." });
    }
    if (error instanceof SchedulingInputError) return reply(400, { message: error.message });
    throw error;
  }
}

export default function Handover() {
  const fmt = useFormat();
  const { teachers, lessons, fromDate, fromTeacherId, timeZone } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const submit = useSubmit();
  const busy = useNavigation().state === "submitting";
  const from = teachers.find((t) => t.id === fromTeacherId);
  const teacherOptions = teachers.map((t) => ({
    value: t.id,
    label: `${t.firstName} ${t.lastName}${t.deactivatedAt ? " (deactivated)" : t.role === "ADMIN" ? " (admin)" : ""}`,
    active: !t.deactivatedAt,
  }));
  return (
    <div className="stack">
      <div>
        <p className="eyebrow">Lessons</p>
        <h1>Hand over lessons</h1>
        <p className="muted" style={{ margin: 0 }}>
          When a teacher leaves or stops a class, give their lessons to another teacher from a date on. The new teacher’s hours, time off and other lessons are
          checked; families are emailed.
        </p>
      </div>
      <div role="status" aria-live="polite">
        {result?.ok ? <p className="notice">{result.message}</p> : null}
      </div>
      {result && !result.ok ? (
        <div className="form-error" role="alert">
          <strong>{result.message}</strong>
          {result.conflicts.length ? (
            <ul className="conflict-list">
              {result.conflicts.slice(0, 25).map((c) => (
                <li key={c}>{c}</li>
              ))}
              {result.conflicts.length > 25 ? <li>…and {result.conflicts.length - 25} more.</li> : null}
            </ul>
          ) : null}
        </div>
      ) : null}

      <section className="card" aria-labelledby="step1">
        <h2 id="step1">1. Whose lessons, from when</h2>
        <Form method="get" className="filters" onChange={(e) => submit(e.currentTarget, { replace: true, preventScrollReset: true })}>
          <SelectField label="Teacher who is leaving" name="teacher" defaultValue={fromTeacherId} options={[{ value: "", label: "Choose a teacher…" }, ...teacherOptions]} />
          <Field label="From (first date with the new teacher)" name="fromDate" type="date" defaultValue={fromDate} />
          <button className="button secondary">Show their lessons</button>
        </Form>
      </section>

      {from ? (
        <Form method="post" className="card" aria-labelledby="step2">
          <h2 id="step2">
            2. {from.firstName}’s lessons from {fmt.day(fromDate, DATE_WITH_YEAR)}
          </h2>
          <input type="hidden" name="fromTeacherId" value={from.id} />
          <input type="hidden" name="fromDate" value={fromDate} />
          {lessons.length === 0 ? (
            <p className="muted">
              {from.firstName} {from.lastName} has no scheduled lessons from {fmt.day(fromDate, DATE_WITH_YEAR)}.
            </p>
          ) : (
            <>
              <fieldset className="group">
                <legend>Lessons to hand over</legend>
                <ul className="roster-list">
                  {lessons.map((l) => (
                    <li key={l.id}>
                      <label style={{ display: "flex", gap: "0.6rem", alignItems: "flex-start", fontWeight: 400 }}>
                        <input type="checkbox" name="lessonId" value={l.id} defaultChecked style={{ width: "1.2rem", height: "1.2rem", marginTop: "0.2rem" }} />
                        <span>
                          <strong>{l.title}</strong> <span className="muted">· {l.schedule}</span>
                          <br />
                          <span className="muted">
                            {l.dates} {l.dates === 1 ? "date" : "dates"}
                            {l.first ? `, ${fmt.dateTime(l.first)}` : ""}
                            {l.last && l.dates > 1 ? ` to ${fmt.dateTime(l.last, { year: "numeric" })}` : ""} · {l.students}{" "}
                            {l.students === 1 ? "student" : "students"}
                          </span>
                        </span>
                      </label>
                    </li>
                  ))}
                </ul>
                {result?.errors.lessonId ? <p className="field-error">{result.errors.lessonId}</p> : null}
              </fieldset>
              <SelectField
                label="Hand them to"
                name="toTeacherId"
                defaultValue=""
                error={result?.errors.toTeacherId}
                options={[{ value: "", label: "Choose a teacher…" }, ...teacherOptions.filter((t) => t.value !== from.id && t.active)]}
              />
              <FormError message={result?.errors.fromDate} />
              <button className="button" disabled={busy}>
                {busy ? "Checking the new teacher’s calendar…" : "Hand over and email the families"}
              </button>
            </>
          )}
        </Form>
      ) : (
        <p className="muted">
          Choose a teacher to see their lessons. To change one lesson date only, open it from its <Link to="/admin/lessons">lesson page</Link>.
        </p>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
