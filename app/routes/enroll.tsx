// The public enrollment form: a class or individual lessons per child, two
// contacts (the first holds the account), an emergency contact and one or more
// children. "Add another child" and "Remove" are submit buttons the server answers
// by re-rendering the form, so the page works the same with or without JavaScript.
// A hidden one-time key makes a double click harmless; a honeypot and a per-address
// rate limit keep spam out.
import type { ActionFunctionArgs, HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useRef } from "react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ContactFields, PublicFormHead } from "~/components/contact-fields";
import { AddChildButton, ChildFields, type ProgramGroups } from "~/components/enrollment-fields";
import { useFocusFirstInvalid } from "~/components/form";
import { toLocalDate } from "~/domain/time";
import { loadEnrollmentSettings } from "~/models/landing.server";
import { connectState } from "~/models/payments.server";
import { lessonLengths } from "~/models/lesson-requests.server";
import {
  changeChildBlocks,
  childCount,
  entry,
  formEntries,
  HONEYPOT_FIELD,
  parseEnrollmentForm,
  parseIntent,
  programValue,
  type FormEntries,
} from "~/models/online-enrollment-form";
import {
  enrollmentOptions,
  OnlineEnrollmentError,
  programLabel,
  submitOnlineEnrollment,
  type EnrollmentOptions,
} from "~/models/online-enrollment.server";
import familiesCss from "~/styles/families.css?url";
import { pageTitle } from "~/utils/meta";
import { getUser, requireSchool } from "~/utils/auth.server";
import { limitInvitation } from "~/utils/rate-limit.server";
import { randomToken } from "~/utils/tokens.server";
import { formatterFor } from "~/utils/format";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: familiesCss }];

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  ...pageTitle(matches, "Enroll"),
  { name: "description", content: data ? `Enroll your children at ${data.schoolName}: classes and individual lessons.` : "Enroll" },
  { name: "robots", content: "noindex" },
];

// Every load carries a fresh one-time key: never cache the form.
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

function programGroups(options: EnrollmentOptions): ProgramGroups {
  return {
    classes: options.classes.map((c) => ({
      value: programValue({ kind: "lesson", lessonId: c.id }),
      label: `${c.title} — ${c.summary}${c.seatsLeft === 0 ? " (join the waitlist)" : ""}`,
    })),
    individual: options.instruments.map((i) => ({ value: programValue({ kind: "individual", instrument: i }), label: `Individual lessons in ${i}` })),
  };
}

const newUid = () => randomToken().slice(0, 10);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { db, school } = requireSchool(context);
  const [user, { options, settings, durations, stripe }] = await Promise.all([
    getUser(request, context),
    db.run(async (tx) => ({ options: await enrollmentOptions(tx, formatterFor(school), context.clock.now()), settings: await loadEnrollmentSettings(tx, school.id), durations: await lessonLengths(tx), stripe: await connectState(tx) })),
  ]);
  const asked = new URL(request.url).searchParams.get("program") ?? "";
  const preselect = options.programs.includes(asked) ? asked : "";
  const chosen = options.classes.find((c) => programValue({ kind: "lesson", lessonId: c.id }) === preselect);
  return {
    schoolName: school.name,
    open: school.status === "ACTIVE",
    instruments: options.instruments,
    programs: programGroups(options),
    durations,
    chosen: chosen ? { title: chosen.title, summary: chosen.summary, full: chosen.seatsLeft === 0 } : preselect ? { title: preselect.replace(/^individual:/, "Individual lessons in "), summary: null, full: false } : null,
    requireApproval: settings.requireEnrollmentApproval,
    fee: settings.registrationFee && Number(settings.registrationFee) > 0 ? formatterFor(school).money(settings.registrationFee) : null,
    payOnline: stripe.state === "connected" && context.payments?.mode !== "off",
    signedIn: user ? { firstName: user.firstName, role: user.role } : null,
    initialValues: { key: randomToken(), "children.0.uid": newUid(), "children.0.program": preselect } as FormEntries,
  };
}

/** A child and what was asked for them, as typed (never what the school decided: that is in the email). */
interface RequestedChild {
  name: string;
  program: string | null;
}

type ActionResult =
  | { state: "form"; values: FormEntries; errors: Record<string, string>; formError: string | null; focusChild?: number }
  | { state: "done"; accountEmail: string; children: RequestedChild[]; fee: FeeOffer | null };

/**
 * "Pay the registration fee now": offered from the school's settings alone (a fee, and card
 * payments on), never from what the form found, with a token of the same shape whether or not
 * the address already had an account (then it is bound to no invoice).
 */
interface FeeOffer {
  amount: string;
  token: string;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { db, school, schoolPlatform } = requireSchool(context);
  const payments = context.payments;
  const feeOffer = async (key: string, invoiceId: string | null): Promise<FeeOffer | null> => {
    if (!payments || payments.mode === "off") return null;
    const { settings, stripe } = await db.run(async (tx) => ({ settings: await loadEnrollmentSettings(tx, school.id), stripe: await connectState(tx) }));
    if (!settings.registrationFee || Number(settings.registrationFee) <= 0 || stripe.state !== "connected") return null;
    return { amount: formatterFor(school).money(settings.registrationFee), token: payments.enrollmentFeeToken(key, invoiceId) };
  };
  const formData = await request.formData();
  const { intent: intentValue, ...values } = formEntries(formData);
  const intent = parseIntent(typeof intentValue === "string" ? intentValue : null);
  const form = (v: FormEntries, extra: Partial<Extract<ActionResult, { state: "form" }>> = {}, status = 200) =>
    data<ActionResult>({ state: "form", values: v, errors: {}, formError: null, ...extra }, { status });

  const changed = changeChildBlocks(values, intent, newUid(), { program: entry(values, "children.0.program") });
  if (changed) return form(changed.values, { focusChild: changed.focusChild });

  // A filled honeypot is a bot: answer as if it worked, write nothing.
  if (entry(values, HONEYPOT_FIELD).trim()) {
    const children = Array.from({ length: childCount(values) }, (_, i) => ({ name: entry(values, `children.${i}.firstName`) || "Your child", program: null }));
    return data<ActionResult>({ state: "done", accountEmail: entry(values, "guardian.email"), children, fee: await feeOffer(randomToken(), null) });
  }

  const { options, durations } = await db.run(async (tx) => ({ options: await enrollmentOptions(tx, formatterFor(school), context.clock.now()), durations: await lessonLengths(tx) }));
  const parsed = parseEnrollmentForm(values, { instruments: options.instruments, programs: options.programs, today: toLocalDate(context.clock.now(), school.timezone), durations });
  if (!parsed.ok) {
    return form(values, { errors: parsed.errors, formError: parsed.errors.key ?? "Please correct the fields marked below." }, 400);
  }

  // Every form makes the school email the addresses on it: limited per visitor's
  // address, per recipient and per school.
  const limited = await limitInvitation(context, { visitor: true, recipients: [parsed.data.guardian.email, ...(parsed.data.guardian2 ? [parsed.data.guardian2.email] : [])] });
  if (limited) return form(values, { formError: limited }, 429);

  try {
    const result = await submitOnlineEnrollment(db, { mailer: context.mailer, origin: context.links.origin, school, now: context.clock.now() }, parsed.data);
    if (!result.existingAccount) schoolPlatform.forgetCachedSchool(); // seats were taken: the public page counts again
    // The same answer whether the address was new or already had an account (its
    // holder was emailed instead): the page tells nobody which addresses have one.
    const { guardian, children } = parsed.data;
    return data<ActionResult>({
      state: "done",
      accountEmail: guardian.email,
      fee: await feeOffer(parsed.data.key, result.existingAccount ? null : (result.registrationFee?.invoiceId ?? null)),
      children: children.map((c) => ({
        name: `${c.firstName} ${c.lastName ?? guardian.lastName}`,
        program: c.program ? programLabel(c.program, options.classes.find((l) => c.program?.kind === "lesson" && l.id === c.program.lessonId)?.title) : null,
      })),
    });
  } catch (error) {
    if (error instanceof OnlineEnrollmentError) {
      return form(
        // A spent key: the next attempt gets a fresh one.
        error.field === "key" ? { ...values, key: randomToken() } : values,
        { errors: error.field ? { [error.field]: error.message } : {}, formError: error.message },
        error.status,
      );
    }
    throw error;
  }
}

export default function Enroll() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting" && navigation.formData?.get("intent") === "submit";
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, actionData?.state === "form" ? actionData.errors : null);

  if (actionData?.state === "done") return <Done {...actionData} schoolName={loaderData.schoolName} />;

  const { schoolName, instruments, programs, durations, chosen, requireApproval, fee, payOnline, signedIn, open } = loaderData;
  const form = actionData?.state === "form" ? actionData : null;
  const values = form?.values ?? loaderData.initialValues;
  const errors = form?.errors ?? {};
  const count = childCount(values);
  const uids = Array.from({ length: count }, (_, i) => entry(values, `children.${i}.uid`) || `child-${i}`);

  if (!open) {
    return (
      <section className="card narrow">
        <h1>Enrollment is closed</h1>
        <p>{schoolName} is not taking enrollments online at the moment. Please contact the school.</p>
        <Link to="/">Back to {schoolName}</Link>
      </section>
    );
  }

  return (
    <div className="stack" style={{ maxWidth: "52rem", marginInline: "auto" }}>
      <div>
        <p className="eyebrow">{schoolName}</p>
        <h1>Enroll</h1>
        <p className="muted" style={{ margin: 0 }}>
          {chosen ? (
            <>
              You chose <strong>{chosen.title}</strong>
              {chosen.summary ? <> ({chosen.summary})</> : null}
              {chosen.full ? " — it is full, so your child will join the waitlist" : ""}. You can choose something else for each child below.
            </>
          ) : (
            "Tell us about your family and what your children would like to join."
          )}{" "}
          {requireApproval ? "The school confirms each new place by email." : ""}
        </p>
      </div>

      {signedIn ? (
        <p className="notice" role="status">
          You are signed in as {signedIn.firstName}. To add a child to your family, use <Link to="/family/children">your family page</Link>.
        </p>
      ) : null}

      <Form method="post" noValidate className="ef" aria-label="Enrollment form" ref={formRef}>
        {/* Pressing Enter in a field submits the form: the first submit button is the
            default one, so it must be "Enroll", not "Remove" or "Add another child". */}
        <PublicFormHead id="enroll" submitLabel="Enroll" intent="submit" values={values} formError={form?.formError} />

        <ContactFields values={values} errors={errors} filledBy="parent" />

        {uids.map((uid, i) => (
          <ChildFields
            key={uid}
            index={i}
            count={count}
            values={values}
            errors={errors}
            instruments={instruments}
            programs={programs}
            lessonDurations={durations}
            autoFocusName={form?.focusChild === i}
          />
        ))}
        {errors.children ? <p className="field-error-inline">{errors.children}</p> : null}

        <AddChildButton count={count} />

        <div className="card ef-summary">
          {fee ? (
            <p style={{ margin: 0 }}>
              A one-time registration fee of <strong>{fee}</strong> applies to new families. {payOnline ? "You can pay it by card when you have sent this form, or later from your family page." : "You will be able to pay it from your family page."}
            </p>
          ) : null}
          <p className="muted" style={{ margin: 0 }}>
            We use these details only to run your children&rsquo;s lessons. You can change them later from your family page.
          </p>
          <div className="ef-submit" style={{ marginTop: "0.5rem" }}>
            <button type="submit" name="intent" value="submit" className="button" disabled={submitting}>
              {submitting ? "Sending…" : count > 1 ? `Enroll ${count} children` : "Enroll"}
            </button>
            <Link to="/">Cancel</Link>
          </div>
        </div>
      </Form>
    </div>
  );
}

function Done({ accountEmail, children, fee, schoolName }: Extract<ActionResult, { state: "done" }> & { schoolName: string }) {
  return (
    <section className="stack" style={{ maxWidth: "44rem", marginInline: "auto" }} aria-labelledby="done-title">
      <div className="card">
        <p className="eyebrow">{schoolName}</p>
        <h1 id="done-title">Thank you — we have your enrollment</h1>
        <p role="status">
          We have emailed <strong>{accountEmail}</strong>. The email says what happens next for each child, and how to sign in to your family page.
        </p>
      </div>
      {fee ? (
        <div className="card" role="region" aria-labelledby="fee-title">
          <h2 id="fee-title">Registration fee: {fee.amount}</h2>
          <p>You can pay the one-time registration fee by card now, on a secure payment page, or later from your family&rsquo;s billing page once you have set your password.</p>
          <Form method="post" action={`/enroll/fee?t=${encodeURIComponent(fee.token)}`} reloadDocument className="ef-submit">
            <input type="hidden" name="t" value={fee.token} />
            <button type="submit" className="button">
              Pay the registration fee now
            </button>
            <span className="muted">or pay later from your billing page</span>
          </Form>
        </div>
      ) : null}
      <div className="card">
        <h2>What you asked for</h2>
        <ul className="outcomes">
          {children.map((c, i) => (
            <li key={i}>
              <strong>{c.name}</strong>
              {c.program ?? "No class chosen yet"}
            </li>
          ))}
        </ul>
        <p>
          The email tells you whether each place is confirmed, waiting for the school&rsquo;s approval, or on the waitlist, and about any registration fee. No
          email within a few minutes? Look in your spam folder, or contact {schoolName}.
        </p>
        <Link className="button secondary" to="/">
          Back to {schoolName}
        </Link>
      </div>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
