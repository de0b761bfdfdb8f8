// "Book a trial lesson" (when the school allows it): a new family picks an instrument,
// one of its teachers' free times in the next two weeks, and gives their details. The
// family, child, one-off lesson and emails are made in one transaction
// (app/models/trial-lessons.server.ts); a time someone else just took is refused with a
// message and the form keeps what was typed. Works without JavaScript.
import type { ActionFunctionArgs, HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useRef } from "react";
import { ContactFields, PublicFormHead } from "~/components/contact-fields";
import { Checkbox, TextInput } from "~/components/enrollment-fields";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useFocusFirstInvalid } from "~/components/form";
import { toLocalDate } from "~/domain/time";
import { parseTrialForm } from "~/models/lesson-request-form";
import { entry, formEntries, HONEYPOT_FIELD, type FormEntries } from "~/models/online-enrollment-form";
import { TrialError, trialInstruments, trialMinutes, trialTimes, type TrialTime } from "~/models/trial-lessons.server";
import { bookTrialLesson } from "~/models/trial-lessons.server";
import familiesCss from "~/styles/families.css?url";
import { requireSchool } from "~/utils/auth.server";
import { formatterFor, useFormat, type Formatter } from "~/utils/format";
import { pageTitle } from "~/utils/meta";
import { limitInvitation } from "~/utils/rate-limit.server";
import { randomToken } from "~/utils/tokens.server";
import { OnlineEnrollmentError } from "~/models/online-enrollment.server";
import { isUniqueViolation } from "~/models/sql.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: familiesCss }];
export const meta: MetaFunction = ({ matches }) => [...pageTitle(matches, "Book a trial lesson"), { name: "robots", content: "noindex" }];
// Every load carries a fresh one-time key and the times free right now.
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

function timeView(t: TrialTime, fmt: Formatter) {
  return { value: t.value, date: t.date, time: fmt.time(t.start), teacherName: t.teacherName };
}

async function load(context: LoaderFunctionArgs["context"], instrument: string) {
  const { db, school } = requireSchool(context);
  const now = context.clock.now();
  return db.run(async (tx) => {
    const minutes = await trialMinutes(tx);
    const instruments = minutes ? await trialInstruments(tx) : [];
    const chosen = instruments.includes(instrument) ? instrument : "";
    const times = minutes && chosen ? await trialTimes(tx, { instrument: chosen, timeZone: school.timezone, now, minutes }) : [];
    return { minutes, instruments, chosen, times };
  });
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { school } = requireSchool(context);
  const asked = new URL(request.url).searchParams.get("instrument") ?? "";
  const { minutes, instruments, chosen, times } = await load(context, asked);
  return {
    schoolName: school.name,
    minutes,
    instruments,
    chosen,
    times: times.map((t) => timeView(t, formatterFor(school))),
    initialValues: { key: randomToken(), instrument: chosen } as FormEntries,
  };
}

type ActionResult =
  | { state: "form"; values: FormEntries; errors: Record<string, string>; formError: string | null; times?: ReturnType<typeof timeView>[] }
  | { state: "done"; accountEmail: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const { db, school } = requireSchool(context);
  const values = formEntries(await request.formData());
  const form = (extra: Partial<Extract<ActionResult, { state: "form" }>>, status: number) => data<ActionResult>({ state: "form", values, errors: {}, formError: null, ...extra }, { status });
  // A filled honeypot is a bot: answer as if it worked, write nothing.
  if (entry(values, HONEYPOT_FIELD).trim()) return data<ActionResult>({ state: "done", accountEmail: entry(values, "guardian.email") });

  const { minutes, instruments, times } = await load(context, entry(values, "instrument"));
  if (!minutes) return form({ formError: "The school does not take trial lesson bookings online at the moment. Please contact the school." }, 403);
  const now = context.clock.now();
  const parsed = parseTrialForm(values, { instruments, today: toLocalDate(now, school.timezone), slots: times.map((t) => t.value) });
  if (!parsed.ok) {
    const taken = parsed.errors.slot && entry(values, "slot");
    return form({ errors: parsed.errors, formError: parsed.errors.key ?? (taken && Object.keys(parsed.errors).length === 1 ? parsed.errors.slot : "Please correct the fields marked below.") }, taken ? 409 : 400);
  }
  const limited = await limitInvitation(context, { visitor: true, recipients: [parsed.data.enrollment.guardian.email] });
  if (limited) return form({ formError: limited }, 429);
  try {
    await db.run(
      (tx) => bookTrialLesson(tx, { mailer: context.mailer, origin: context.links.origin, school, now, timeZone: school.timezone }, parsed.data),
      { timeout: 30_000 },
    );
  } catch (error) {
    if (error instanceof TrialError || error instanceof OnlineEnrollmentError) {
      const fresh = error.field === "key" ? { ...values, key: randomToken() } : values;
      return data<ActionResult>({ state: "form", values: fresh, errors: error.field ? { [error.field]: error.message } : {}, formError: error.message }, { status: error.status });
    }
    // The same form sent twice at once: the second finds the key taken.
    if (isUniqueViolation(error)) return form({ formError: "This form was just sent. Check your email, or reload the page to start again." }, 409);
    throw error;
  }
  // The same answer whether the address was new or already had an account (its holder was emailed).
  return data<ActionResult>({ state: "done", accountEmail: parsed.data.enrollment.guardian.email });
}

export default function Trial() {
  const fmt = useFormat();
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, actionData?.state === "form" ? actionData.errors : null);
  const { schoolName, minutes, instruments, chosen, times } = loaderData;

  if (actionData?.state === "done") {
    return (
      <section className="card narrow" aria-labelledby="done-title">
        <p className="eyebrow">{schoolName}</p>
        <h1 id="done-title">Thank you — your trial lesson request is in</h1>
        <p role="status">
          We have emailed <strong>{actionData.accountEmail}</strong>. The email confirms the day, time and teacher of the trial lesson, and how to sign in to your family page.
        </p>
        <Link className="button secondary" to="/">
          Back to {schoolName}
        </Link>
      </section>
    );
  }

  if (!minutes) {
    return (
      <section className="card narrow">
        <h1>Trial lessons</h1>
        <p>{schoolName} does not take trial lesson bookings online. You can <Link to="/enroll">enroll</Link> or contact the school.</p>
      </section>
    );
  }

  const form = actionData?.state === "form" ? actionData : null;
  const values = form?.values ?? loaderData.initialValues;
  const errors = form?.errors ?? {};
  const picked = entry(values, "slot");
  const byDate = new Map<string, typeof times>();
  for (const t of times) byDate.set(t.date, [...(byDate.get(t.date) ?? []), t]);

  return (
    <div className="stack" style={{ maxWidth: "52rem", marginInline: "auto" }}>
      <div>
        <p className="eyebrow">{schoolName}</p>
        <h1>Book a trial lesson</h1>
        <p className="muted" style={{ margin: 0 }}>
          A first {minutes}-minute lesson with one of our teachers, for a child new to the school. Choose an instrument, then a time in the next two weeks.
        </p>
      </div>

      <nav className="card" aria-labelledby="instrument-heading">
        <h2 id="instrument-heading">Instrument</h2>
        {instruments.length === 0 ? (
          <p className="muted">No teacher takes trial lessons at the moment. Please contact the school.</p>
        ) : (
          <ul className="trial-instruments">
            {instruments.map((i) => (
              <li key={i}>
                <Link to={`?instrument=${encodeURIComponent(i)}`} className={`button small${i === chosen ? "" : " secondary"}`} aria-current={i === chosen ? "true" : undefined}>
                  {i}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </nav>

      {chosen && times.length === 0 ? <p className="notice">No teacher of {chosen} has a free time in the next two weeks. Please choose another instrument, or contact the school.</p> : null}

      {chosen && times.length ? (
        <Form method="post" noValidate className="ef" aria-label="Trial lesson booking" ref={formRef}>
          <PublicFormHead id="trial" submitLabel="Book" values={values} formError={form?.formError} />
          <input type="hidden" name="instrument" value={chosen} />

          <fieldset aria-describedby={errors.slot ? "slot-error" : undefined}>
            <legend>Choose a time for {chosen}</legend>
            {errors.slot ? (
              <p className="field-error-inline" id="slot-error">
                {errors.slot}
              </p>
            ) : null}
            <div className="trial-days">
              {[...byDate.entries()].map(([date, list]) => (
                <fieldset key={date} className="ef-choices">
                  <legend>
                    {fmt.day(date, { weekday: "long", day: "numeric", month: "long", year: "numeric" })}
                  </legend>
                  <div className="ef-checks">
                    {list.map((t) => (
                      <label key={t.value} className="check inline">
                        <input type="radio" name="slot" value={t.value} defaultChecked={picked === t.value} aria-invalid={errors.slot ? true : undefined} /> {t.time} with {t.teacherName}
                      </label>
                    ))}
                  </div>
                </fieldset>
              ))}
            </div>
          </fieldset>

          <ContactFields values={values} errors={errors} filledBy="parent" secondGuardian={false} />

          <fieldset>
            <legend>Your child</legend>
            <div className="grid">
              <TextInput name="children.0.firstName" label="First name" values={values} errors={errors} required autoComplete="off" maxLength={100} />
              <TextInput name="children.0.lastName" label="Last name (if not yours)" values={values} errors={errors} autoComplete="off" maxLength={100} />
              <TextInput name="children.0.dateOfBirth" label="Date of birth" type="date" values={values} errors={errors} required />
            </div>
            <Checkbox
              name="children.0.parentalConsent"
              values={values}
              errors={errors}
              label={
                <>
                  <strong>I am this child&rsquo;s parent or legal guardian</strong> and agree to them taking part in the lesson (required).
                </>
              }
            />
          </fieldset>

          <div className="ef-submit">
            <button type="submit" className="button" disabled={submitting}>
              {submitting ? "Booking…" : "Book the trial lesson"}
            </button>
            <Link to="/">Cancel</Link>
          </div>
        </Form>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
