// /admin/lessons/:lessonId/hybrid — the term pattern of a hybrid lesson: which weeks
// are 1-on-1 weeks, how long a session is, the prices, when families are told; a
// preview of the term's weeks as the admin types; "Open bookings"; and who has
// booked which 1-on-1 week.
//
// The file name ends the `$lessonId_` segment with an underscore so this page is not
// nested inside the lesson page (admin.lessons.$lessonId.tsx has no <Outlet />); the
// address is still /admin/lessons/:lessonId/hybrid.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { useMemo, useState } from "react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormError } from "~/components/form";
import { HybridBookingsTable } from "~/components/hybrid-bookings";
import { formatWeekList, hybridWeeks, termWeekCount, toCents, tryParseWeekList, type HybridWeek } from "~/domain/hybrid";
import { formatLocalTime, toLocalParts } from "~/domain/time";
import { HybridError } from "~/models/hybrid.server";
import { adminHybridPage, openLessonBookings, saveLessonPattern } from "~/models/hybrid-pages.server";
import hybridCss from "~/styles/hybrid.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";
import { noErrors, parseForm, type FieldErrors, type FormValues } from "~/utils/forms";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.lesson ? `1-on-1 weeks · ${data.lesson.title}` : "1-on-1 weeks" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: hybridCss }];

const WEEKDAYS = ["Sundays", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays"];

// ---- server -------------------------------------------------------------------------

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const timeZone = school.timezone;
  const url = new URL(request.url);
  const page = await db.run((tx) => adminHybridPage(tx, { lessonId: params.lessonId ?? "", timeZone, askedTermId: url.searchParams.get("term"), now: context.clock.now() }));
  if (!page) throw new Response("There is no such lesson at this school.", { status: 404 });
  const { lesson, label, terms, closures, configuredTerms, term, config, overview, today } = page;
  const local = toLocalParts(lesson.startTime, timeZone);
  return {
    timeZone,
    label,
    lesson: {
      id: lesson.id,
      title: lesson.title,
      type: lesson.type,
      duration: lesson.duration,
      locationId: lesson.locationId,
      teacher: `${lesson.instructor.firstName} ${lesson.instructor.lastName}`,
      place: lesson.room ? `${lesson.room.name}${lesson.location ? `, ${lesson.location.name}` : ""}` : (lesson.location?.name ?? "Online"),
      weekday: local.weekday,
      time: formatLocalTime(lesson.startTime, timeZone),
    },
    terms: terms.map((t) => ({ id: t.id, name: t.name, startDate: t.startDate, endDate: t.endDate, configured: configuredTerms.has(t.id) })),
    term: term ? { id: term.id, name: term.name, startDate: term.startDate, endDate: term.endDate } : null,
    closures: closures.map((c) => ({ startDate: String(c.startDate), endDate: String(c.endDate), locationId: c.locationId ?? null, name: c.name })),
    config: config
      ? {
          id: config.id,
          individualWeeks: formatWeekList(config.oneOnOneWeeks).replaceAll("–", "-"),
          individualDurationMinutes: String(config.individualDurationMinutes),
          groupPrice: config.groupPricePerStudent?.toFixed(2) ?? "",
          individualPrice: config.oneOnOnePricePerStudent?.toFixed(2) ?? "",
          notifyDaysAhead: String(config.notifyParentsInAdvance ?? 7),
          bookingReminderDays: String(config.bookingReminderDays),
          bookingsOpenedAt: config.bookingsOpenedAt,
        }
      : null,
    overview: overview
      ? {
          weeks: overview.weeks.filter((w) => w.kind === "INDIVIDUAL").map((w) => ({ weekNumber: w.weekNumber, weekStart: w.weekStart, weekEnd: w.weekEnd })),
          students: overview.students.map((s) => ({
            id: s.id,
            name: s.name,
            unbookedWeeks: s.unbookedWeeks,
            sessions: s.sessions.map((x) => ({ id: x.id, week: x.hybridWeek, startsAt: x.startsAt, endsAt: x.endsAt })),
          })),
        }
      : null,
    today,
  };
}

const wholeNumber = (message: string, min: number, max: number) =>
  z
    .string({ required_error: message })
    .trim()
    .regex(/^\d{1,4}$/, message)
    .transform(Number)
    .refine((n) => n >= min && n <= max, message);

const money = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (!value) return null;
      try {
        toCents(value.replace(/^\$/, ""), label);
        return value.replace(/^\$/, "");
      } catch (error) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
        return z.NEVER;
      }
    });

const patternSchema = z.object({
  termId: z.string({ required_error: "Choose a term." }).min(1, "Choose a term."),
  individualWeeks: z
    .string()
    .optional()
    .transform((value, ctx) => {
      const parsed = tryParseWeekList(value ?? "");
      if (!parsed.ok) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: parsed.error });
        return z.NEVER;
      }
      return parsed.weeks;
    }),
  individualDurationMinutes: wholeNumber("Enter how long a 1-on-1 session lasts, in minutes (5 to 240).", 5, 240),
  groupPrice: money("Group week price"),
  individualPrice: money("1-on-1 week price"),
  notifyDaysAhead: wholeNumber("Enter how many days ahead families are told, from 0 to 60.", 0, 60),
  bookingReminderDays: wholeNumber("Enter how many days before a 1-on-1 week families who have not booked are reminded, from 0 to 60.", 0, 60),
});

type ActionResult = { ok: boolean; intent: "save" | "open"; message: string | null; formError: string | null; errors: FieldErrors; values: FormValues };

export async function action({ request, context, params }: ActionFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const timeZone = school.timezone;
  const lessonId = params.lessonId ?? "";
  const formData = await request.formData();
  const intent = formData.get("intent");

  if (intent === "open") {
    const configId = String(formData.get("configId") ?? "");
    try {
      const { notified } = await db.run((tx) => openLessonBookings(tx, context.mailer, { lessonId, configId, origin: context.links.origin, timeZone, now: context.clock.now() }));
      const result: ActionResult = {
        ok: true,
        intent: "open",
        message: `Bookings are open. The booking link was emailed to ${notified === 1 ? "1 family address" : `${notified} family addresses`}.`,
        formError: null,
        errors: noErrors,
        values: {},
      };
      return result;
    } catch (error) {
      if (error instanceof HybridError) {
        return data<ActionResult>({ ok: false, intent: "open", message: null, formError: error.message, errors: noErrors, values: {} }, { status: 409 });
      }
      throw error;
    }
  }

  if (intent !== "save") {
    return data<ActionResult>({ ok: false, intent: "save", message: null, formError: "Unknown action.", errors: noErrors, values: {} }, { status: 400 });
  }

  const parsed = parseForm(formData, patternSchema);
  if (!parsed.ok) {
    return data<ActionResult>(
      { ok: false, intent: "save", message: null, formError: "Please correct the fields marked below.", errors: parsed.errors, values: parsed.values },
      { status: 400 },
    );
  }
  const input = parsed.data;
  const fail = (status: number, errors: FieldErrors, formError: string) =>
    data<ActionResult>({ ok: false, intent: "save", message: null, formError, errors, values: parsed.values }, { status });
  try {
    const saved = await db.run((tx) => saveLessonPattern(tx, timeZone, lessonId, input, context.clock.now()));
    if ("problem" in saved) return fail(400, saved.problem ?? noErrors, "Please correct the fields marked below.");
    const { removed, added } = saved.result;
    const changes = [
      removed ? `${removed} group ${removed === 1 ? "meeting was" : "meetings were"} taken off the calendar in 1-on-1 weeks` : null,
      added ? `${added} group ${added === 1 ? "meeting was" : "meetings were"} added in group weeks` : null,
    ].filter(Boolean);
    const result: ActionResult = {
      ok: true,
      intent: "save",
      message: `Saved the pattern for ${saved.termName}.${changes.length ? ` ${changes.join("; ")}.` : ""}`,
      formError: null,
      errors: noErrors,
      values: {},
    };
    return result;
  } catch (error) {
    if (error instanceof HybridError) return fail(409, noErrors, error.message);
    throw error;
  }
}

// ---- page -----------------------------------------------------------------------------


export default function HybridPatternPage() {
  const fmt = useFormat();
  const loaderData = useLoaderData<typeof loader>();
  const { lesson, terms, term, config, overview, timeZone, label } = loaderData;
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const busyIntent = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;

  if (lesson.type !== "HYBRID") {
    return (
      <div className="stack">
        <p className="eyebrow">1-on-1 weeks</p>
        <h1>{lesson.title}</h1>
        <section className="card">
          <p>Only hybrid lessons have group weeks and 1-on-1 weeks. This lesson is not a hybrid lesson.</p>
          <Link to={`/admin/lessons/${lesson.id}`}>Back to the lesson</Link>
        </section>
      </div>
    );
  }

  return (
    <div className="stack">
      <div>
        <p className="eyebrow">Hybrid lesson · 1-on-1 weeks</p>
        <div className="hy-head">
          <h1>{lesson.title}</h1>
          <Link to={`/admin/lessons/${lesson.id}`}>Back to the lesson</Link>
        </div>
        <ul className="hy-facts">
          <li>{lesson.teacher}</li>
          <li>
            Group: {WEEKDAYS[lesson.weekday]} {fmt.wallTime(lesson.time)}, {lesson.duration} min
          </li>
          <li>{lesson.place}</li>
        </ul>
      </div>

      {terms.length === 0 ? (
        <section className="card">
          <p>
            The school has no terms yet. <Link to="/admin/terms">Add a term</Link> first: a pattern belongs to one term.
          </p>
        </section>
      ) : (
        <section className="card">
          <Form method="get" className="hy-term" onChange={(e) => submit(e.currentTarget, { preventScrollReset: true })}>
            <div className="field">
              <label htmlFor="term-select">Term</label>
              <select id="term-select" name="term" defaultValue={term?.id}>
                {terms.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name} ({fmt.day(t.startDate, { month: "short", day: "numeric", year: "numeric" })} – {fmt.day(t.endDate, { month: "short", day: "numeric", year: "numeric" })})
                    {t.configured ? " · pattern set" : ""}
                  </option>
                ))}
              </select>
            </div>
            <noscript>
              <button className="button secondary">Show</button>
            </noscript>
          </Form>
        </section>
      )}

      {term ? (
        <PatternEditor
          key={`${term.id}:${JSON.stringify(config && { ...config, bookingsOpenedAt: null })}:${actionData && !actionData.ok ? JSON.stringify(actionData.values) : ""}`}
          data={loaderData}
          actionData={actionData ?? null}
          busyIntent={typeof busyIntent === "string" ? busyIntent : null}
        />
      ) : null}

      {config ? (
        <section className="card" aria-labelledby="bookings-heading">
          <h2 id="bookings-heading">Bookings</h2>
          {actionData?.intent === "open" && actionData.message ? (
            <p className="notice" role="status">
              {actionData.message}
            </p>
          ) : null}
          {actionData?.intent === "open" && actionData.formError ? <FormError message={actionData.formError} /> : null}
          {config.bookingsOpenedAt ? (
            <p>
              <span className="badge ok">Open</span> Bookings opened on {fmt.dateTime(config.bookingsOpenedAt, { year: "numeric" })}.
            </p>
          ) : (
            <Form method="post" className="hy-actions" preventScrollReset>
              <input type="hidden" name="configId" value={config.id} />
              <p className="muted" style={{ margin: 0, flex: "1 1 18rem" }}>
                Bookings are not open yet. Opening them emails every enrolled family a link to choose a time for each {label.toLowerCase()}.
              </p>
              <button className="button" name="intent" value="open" disabled={busyIntent === "open"}>
                {busyIntent === "open" ? "Opening…" : "Open bookings"}
              </button>
            </Form>
          )}
          <div className="hy-links">
            <span>
              Families book at <Link className="hy-code" to={`/family/hybrid/${config.id}`}>/family/hybrid/{config.id}</Link>
            </span>
            <span>
              {lesson.teacher} sees who has booked at <span className="hy-code">/teach/hybrid/{config.id}</span>
            </span>
          </div>
          {overview ? <BookingOverview overview={overview} timeZone={timeZone} /> : null}
        </section>
      ) : null}
    </div>
  );
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function PatternEditor({ data: d, actionData, busyIntent }: { data: LoaderData; actionData: ActionResult | null; busyIntent: string | null }) {
  const fmt = useFormat();
  const { term, config, lesson, closures, timeZone, label, today } = d;
  const failed = actionData && !actionData.ok && actionData.intent === "save";
  const values: Record<string, string> = failed
    ? actionData.values
    : {
        individualWeeks: config?.individualWeeks ?? "",
        individualDurationMinutes: config?.individualDurationMinutes ?? "30",
        groupPrice: config?.groupPrice ?? "",
        individualPrice: config?.individualPrice ?? "",
        notifyDaysAhead: config?.notifyDaysAhead ?? "7",
        bookingReminderDays: config?.bookingReminderDays ?? "3",
      };
  const errors: FieldErrors = failed ? actionData.errors : {};
  const [weeksText, setWeeksText] = useState(values.individualWeeks ?? "");
  const [duration, setDuration] = useState(values.individualDurationMinutes ?? "30");
  const [notify, setNotify] = useState(values.notifyDaysAhead ?? "7");

  const weekCount = term ? termWeekCount(term.startDate, term.endDate) : 0;
  const parsedWeeks = tryParseWeekList(weeksText);
  const preview = useMemo((): { weeks: HybridWeek[]; problem: string | null } => {
    if (!term) return { weeks: [], problem: null };
    try {
      const weeks = hybridWeeks(
        {
          termId: term.id,
          termStartDate: term.startDate,
          termEndDate: term.endDate,
          individualWeeks: parsedWeeks.ok ? parsedWeeks.weeks : [],
          groupWeekday: lesson.weekday,
          groupStartTime: lesson.time,
          groupDurationMinutes: lesson.duration,
          individualDurationMinutes: Number(duration) > 0 ? Number(duration) : 30,
          notifyDaysAhead: Number(notify) >= 0 ? Number(notify) : 7,
          locationId: lesson.locationId,
        },
        closures,
        timeZone,
      );
      const outside = parsedWeeks.ok ? parsedWeeks.weeks.filter((w) => w > weekCount) : [];
      return { weeks, problem: outside.length ? `Week ${outside.join(", ")} is not in this term (weeks 1–${weekCount}).` : null };
    } catch (error) {
      return { weeks: [], problem: (error as Error).message };
    }
  }, [term, parsedWeeks.ok, parsedWeeks.ok ? parsedWeeks.weeks.join(",") : "", duration, notify, lesson, closures, timeZone, weekCount]);

  if (!term) return null;
  const closureName = (date: string) => closures.find((c) => c.startDate <= date && date <= c.endDate)?.name ?? "Closed";
  const individualCount = preview.weeks.filter((w) => w.kind === "INDIVIDUAL").length;
  const groupCount = preview.weeks.filter((w) => w.kind === "GROUP").length;

  return (
    <>
      <section className="card" aria-labelledby="pattern-heading">
        <h2 id="pattern-heading">Pattern for {term.name}</h2>
        <p className="muted">
          {term.name} has {weekCount} weeks. Week 1 starts on {fmt.day(term.startDate)}. In a {label.toLowerCase()} the group does not meet; each student books a session with {lesson.teacher} instead.
        </p>
        {actionData?.intent === "save" && actionData.message ? (
          <p className="notice" role="status">
            {actionData.message}
          </p>
        ) : null}
        <FormError message={failed ? actionData.formError : null} />
        <Form method="post" noValidate preventScrollReset>
          <input type="hidden" name="termId" value={term.id} />
          <Field
            label="1-on-1 weeks"
            name="individualWeeks"
            hint={`Week numbers and ranges, e.g. "4, 8, 10" or "4, 8-9". Every other week is a group week.`}
            value={weeksText}
            onChange={(e) => setWeeksText(e.currentTarget.value)}
            error={errors.individualWeeks ?? (!parsedWeeks.ok && weeksText.trim() ? parsedWeeks.error : undefined)}
            autoComplete="off"
            inputMode="text"
          />
          <div className="hy-grid">
            <Field
              label="1-on-1 session (minutes)"
              name="individualDurationMinutes"
              inputMode="numeric"
              value={duration}
              onChange={(e) => setDuration(e.currentTarget.value)}
              error={errors.individualDurationMinutes}
            />
            <Field label="Price per group week" name="groupPrice" inputMode="decimal" placeholder="e.g. 25.00" defaultValue={values.groupPrice} error={errors.groupPrice} />
            <Field label="Price per 1-on-1 week" name="individualPrice" inputMode="decimal" placeholder="e.g. 45.00" defaultValue={values.individualPrice} error={errors.individualPrice} />
          </div>
          <div className="hy-grid">
            <Field
              label="Tell families (days ahead)"
              name="notifyDaysAhead"
              inputMode="numeric"
              value={notify}
              onChange={(e) => setNotify(e.currentTarget.value)}
              hint="Before a 1-on-1 week, families are asked to book."
              error={errors.notifyDaysAhead}
            />
            <Field
              label="Reminder (days ahead)"
              name="bookingReminderDays"
              inputMode="numeric"
              defaultValue={values.bookingReminderDays}
              hint="Families who have not booked get a reminder."
              error={errors.bookingReminderDays}
            />
          </div>
          <div className="hy-actions">
            <button className="button" name="intent" value="save" disabled={busyIntent === "save"}>
              {busyIntent === "save" ? "Saving…" : "Save pattern"}
            </button>
            <span className="muted">
              {groupCount} group {groupCount === 1 ? "week" : "weeks"} · {individualCount} {label.toLowerCase()}
              {individualCount === 1 ? "" : "s"}
            </span>
          </div>
        </Form>
      </section>

      <section className="card" aria-labelledby="preview-heading">
        <h2 id="preview-heading">Weeks of {term.name}</h2>
        {preview.problem ? <p className="field-error">{preview.problem}</p> : null}
        <p className="muted">This preview follows what you type above; nothing changes until you save.</p>
        <div className="table-wrap">
          <table className="stack-table hy-preview">
            <thead>
              <tr>
                <th scope="col">Week</th>
                <th scope="col">Dates</th>
                <th scope="col">Kind</th>
                <th scope="col">On the calendar</th>
              </tr>
            </thead>
            <tbody>
              {preview.weeks.map((w) => (
                <tr key={w.weekNumber} className={`${w.kind === "INDIVIDUAL" ? "hy-individual" : ""} ${w.weekEnd < today ? "hy-past" : ""}`}>
                  <td data-label="Week">{w.weekNumber}</td>
                  <td data-label="Dates" className="hy-when">{fmt.dayRange(w.weekStart, w.weekEnd)}</td>
                  <td data-label="Kind">
                    {w.kind === "GROUP" ? (
                      <span className="hy-kind group">GROUP</span>
                    ) : w.kind === "INDIVIDUAL" ? (
                      <span className="hy-kind individual">INDIVIDUAL</span>
                    ) : (
                      <span className="hy-kind closed">CLOSED</span>
                    )}
                  </td>
                  <td data-label="On the calendar">
                    {w.kind === "GROUP" && w.groupStart ? (
                      <>Group class {fmt.dateTime(w.groupStart)}</>
                    ) : w.kind === "INDIVIDUAL" ? (
                      <>
                        “{label}” at the group&apos;s time{w.groupStart ? ` (${fmt.dateTime(w.groupStart)})` : ""}; families book {duration || "?"}-minute sessions
                        {w.notifyOn ? <span className="muted"> · told on {fmt.day(w.notifyOn)}</span> : null}
                      </>
                    ) : (
                      <>
                        {closureName(w.meetingDate ?? w.closedDates[0] ?? w.weekStart)}
                        {w.patternKind === "INDIVIDUAL" ? " (would be a 1-on-1 week)" : " — no class"}
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

function BookingOverview({ overview, timeZone }: { overview: NonNullable<LoaderData["overview"]>; timeZone: string }) {
  const { weeks, students } = overview;
  if (students.length === 0) return <p className="muted">No student is enrolled in this lesson yet.</p>;
  const complete = students.filter((s) => s.unbookedWeeks.length === 0).length;
  return (
    <>
      <h3 style={{ marginTop: "1.25rem" }}>Who has booked</h3>
      <p>
        <span className="hy-count">
          {complete} of {students.length}
        </span>{" "}
        students have booked every 1-on-1 week.
      </p>
      <HybridBookingsTable weeks={weeks} students={students} timeZone={timeZone} showTotals />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
