// /admin/credits — make-up credits per student: grant one (a reason is required and
// kept, an expiry date is optional) or void an available one (with a reason).
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormError } from "~/components/form";
import { isValidLocalDate, toLocalDate } from "~/domain/time";
import { adminCredits, grantStudentCredit, MakeUpError, voidAvailableCredit } from "~/models/makeups.server";
import makeupsCss from "~/styles/makeups.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { formatterFor, useFormat } from "~/utils/format";
import { noErrors, parseForm, type FieldErrors, type FormValues } from "~/utils/forms";

export const meta: MetaFunction = () => [{ title: "Make-up credits" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: makeupsCss }];

const STATUSES = ["AVAILABLE", "USED", "EXPIRED", "VOID"] as const;
const STATUS_LABEL: Record<string, { label: string; tone: string }> = {
  AVAILABLE: { label: "Available", tone: "ok" },
  USED: { label: "Used", tone: "muted" },
  EXPIRED: { label: "Expired", tone: "warn" },
  VOID: { label: "Void", tone: "danger" },
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const url = new URL(request.url);
  const studentFilter = url.searchParams.get("student") || "";
  const statusParam = url.searchParams.get("status") || "";
  const status = (STATUSES as readonly string[]).includes(statusParam) ? statusParam : "";
  const { students, policy, ids, credits } = await db.run((tx) => adminCredits(tx, { studentFilter, status, now: context.clock.now() }));
  const names = new Map(students.map((s) => [s.id, s.name]));
  return {
    timeZone: school.timezone,
    today: toLocalDate(context.clock.now(), school.timezone),
    policy,
    filters: { student: ids.length === 1 ? studentFilter : "", status },
    students,
    credits: credits.map((c) => ({
      id: c.id,
      student: names.get(c.studentId) ?? "—",
      studentId: c.studentId,
      status: c.status,
      issuedAt: c.issuedAt,
      expiresAt: c.expiresAt,
      usedAt: c.usedAt,
      voidedAt: c.voidedAt,
      reason: c.reason,
      voidReason: c.voidReason,
      actor: c.actor,
      source: c.sourceOccurrence ? { title: c.sourceOccurrence.lesson.title, startsAt: c.sourceOccurrence.startsAt } : null,
    })),
  };
}

const reason = z
  .string({ required_error: "Give a reason; it is kept with the credit." })
  .trim()
  .min(3, "Give a reason; it is kept with the credit.")
  .max(300, "Keep the reason under 300 characters.");

const grantSchema = z.object({
  studentId: z.string({ required_error: "Choose a student." }).min(1, "Choose a student."),
  reason,
  expiresOn: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || null)
    .refine((v) => v === null || isValidLocalDate(v), "Enter the expiry as a date, e.g. 2027-03-31, or leave it empty."),
});

const voidSchema = z.object({ creditId: z.string().min(1), reason });

type ActionResult = { ok: boolean; intent: "grant" | "void"; target: string | null; message: string | null; errors: FieldErrors; values: FormValues };

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const fmt = formatterFor(school);
  const timeZone = school.timezone;
  const formData = await request.formData();
  const intent = formData.get("intent");
  const fail = (r: Omit<ActionResult, "ok" | "message">, status: number) => data<ActionResult>({ ok: false, message: null, ...r }, { status });

  if (intent === "grant") {
    const parsed = parseForm(formData, grantSchema);
    if (!parsed.ok) return fail({ intent: "grant", target: null, errors: parsed.errors, values: parsed.values }, 400);
    try {
      const { studentId, reason, expiresOn } = parsed.data;
      const credit = await db.run((tx) => grantStudentCredit(tx, timeZone, { studentId, reason, actedById: admin.id, expiresOn, now: context.clock.now() }));
      if (!credit) return fail({ intent: "grant", target: null, errors: { studentId: "Choose a student of this school." }, values: parsed.values }, 400);
      const result: ActionResult = {
        ok: true,
        intent: "grant",
        target: credit.id,
        message: `Granted a make-up credit to ${credit.name}, valid until ${fmt.dateTime(credit.expiresAt, { year: "numeric" })}.`,
        errors: noErrors,
        values: {},
      };
      return result;
    } catch (error) {
      if (error instanceof MakeUpError) return fail({ intent: "grant", target: null, errors: { expiresOn: error.message }, values: parsed.values }, 400);
      throw error;
    }
  }

  if (intent === "void") {
    const parsed = parseForm(formData, voidSchema);
    const target = String(formData.get("creditId") ?? "");
    if (!parsed.ok) return fail({ intent: "void", target, errors: parsed.errors, values: parsed.values }, 400);
    try {
      const outcome = await db.run((tx) => voidAvailableCredit(tx, { creditId: parsed.data.creditId, reason: parsed.data.reason, actedById: admin.id, now: context.clock.now() }));
      if ("problem" in outcome) return fail({ intent: "void", target, errors: { reason: outcome.problem ?? "" }, values: parsed.values }, 409);
      const result: ActionResult = { ok: true, intent: "void", target, message: `Voided ${outcome.name}'s credit. The reason is kept with it.`, errors: noErrors, values: {} };
      return result;
    } catch (error) {
      if (error instanceof MakeUpError) return fail({ intent: "void", target, errors: { reason: error.message }, values: parsed.values }, 409);
      throw error;
    }
  }

  return fail({ intent: "grant", target: null, errors: { form: "Unknown action." }, values: {} }, 400);
}

export default function AdminCredits() {
  const fmt = useFormat();
  const { credits, students, filters, timeZone, today, policy } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const pending = navigation.state === "submitting" ? navigation.formData : null;
  const grantRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (actionData?.ok && actionData.intent === "grant") grantRef.current?.reset();
  }, [actionData]);
  const grantFailed = actionData && !actionData.ok && actionData.intent === "grant" ? actionData : null;
  const gv: Record<string, string> = grantFailed?.values ?? {};

  return (
    <div className="stack">
      <div className="spread">
        <div>
          <p className="eyebrow">Make-ups</p>
          <h1>Make-up credits</h1>
        </div>
        <Link to="/admin/settings/makeups">Make-up policy</Link>
      </div>
      {actionData?.ok && actionData.message ? (
        <p className="notice" role="status">
          {actionData.message}
        </p>
      ) : null}

      {actionData && !actionData.ok && actionData.intent === "void" && !credits.some((c) => c.id === actionData.target) ? (
        <FormError message={actionData.errors.reason ?? "That credit could not be voided."} />
      ) : null}
      {actionData && !actionData.ok && actionData.errors.form ? <FormError message={actionData.errors.form} /> : null}
      <section className="card" aria-labelledby="grant-heading">
        <h2 id="grant-heading">Grant a credit</h2>
        <p className="muted">
          Families earn credits by cancelling at least {policy.makeUpNoticeHours} hours ahead (up to {policy.makeUpCreditsPerTerm} per term). Grant one by hand here — for a lesson the school cancelled, say.
        </p>
        <Form method="post" ref={grantRef} noValidate preventScrollReset>
          <FormError message={grantFailed ? "Please correct the fields marked below." : null} />
          <div className="cr-grid">
            <div className="field">
              <label htmlFor="grant-student">Student</label>
              <select
                id="grant-student"
                name="studentId"
                defaultValue={gv.studentId ?? filters.student}
                aria-invalid={grantFailed?.errors.studentId ? true : undefined}
                aria-describedby={grantFailed?.errors.studentId ? "grant-student-error" : undefined}
              >
                <option value="">Choose a student…</option>
                {students.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
              {grantFailed?.errors.studentId ? (
                <p className="field-error" id="grant-student-error">
                  {grantFailed.errors.studentId}
                </p>
              ) : null}
            </div>
            <Field label="Reason" name="reason" defaultValue={gv.reason} error={grantFailed?.errors.reason} placeholder="e.g. teacher was ill on Oct 3" maxLength={300} />
            <Field
              label="Expires on (optional)"
              name="expiresOn"
              type="date"
              min={today}
              defaultValue={gv.expiresOn}
              error={grantFailed?.errors.expiresOn}
              hint={`Empty: ${policy.makeUpExpiryDays} days from today.`}
            />
          </div>
          <button className="button" name="intent" value="grant" disabled={pending?.get("intent") === "grant"}>
            {pending?.get("intent") === "grant" ? "Granting…" : "Grant credit"}
          </button>
        </Form>
      </section>

      <section className="card" aria-labelledby="list-heading">
        <h2 id="list-heading">Credits</h2>
        <Form method="get" className="cr-filters" onChange={(e) => submit(e.currentTarget, { preventScrollReset: true })}>
          <div className="field">
            <label htmlFor="filter-student">Student</label>
            <select id="filter-student" name="student" defaultValue={filters.student}>
              <option value="">All students</option>
              {students.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="filter-status">Status</label>
            <select id="filter-status" name="status" defaultValue={filters.status}>
              <option value="">Any status</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABEL[s]!.label}
                </option>
              ))}
            </select>
          </div>
          <noscript>
            <button className="button secondary">Filter</button>
          </noscript>
        </Form>
        {credits.length === 0 ? (
          <p className="muted">No credits match.</p>
        ) : (
          <div className="table-wrap">
            <table className="stack-table cr-table">
              <thead>
                <tr>
                  <th scope="col">Student</th>
                  <th scope="col">Status</th>
                  <th scope="col">From</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Reason</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {credits.map((c) => {
                  const st = STATUS_LABEL[c.status] ?? { label: c.status, tone: "muted" };
                  const voidFailed = actionData && !actionData.ok && actionData.intent === "void" && actionData.target === c.id ? actionData : null;
                  return (
                    <tr key={c.id} data-credit={c.id}>
                      <td data-label="Student">
                        <strong>{c.student}</strong>
                      </td>
                      <td data-label="Status">
                        <span className={`badge ${st.tone}`}>{st.label}</span>
                      </td>
                      <td data-label="From">
                        {c.source ? (
                          <>
                            Cancelled {c.source.title}
                            <div className="cr-sub">{fmt.dateTime(c.source.startsAt)}</div>
                          </>
                        ) : (
                          <>
                            Granted
                            <div className="cr-sub">{fmt.dateTime(c.issuedAt, { year: "numeric", hour: undefined, minute: undefined })}</div>
                          </>
                        )}
                      </td>
                      <td data-label="Expires">{fmt.dateTime(c.expiresAt, { year: "numeric", hour: undefined, minute: undefined })}</td>
                      <td data-label="Reason" className="cr-reason">
                        {c.reason ? <div>{c.reason}</div> : null}
                        {c.voidReason ? <div>Voided: {c.voidReason}</div> : null}
                        {c.reason || c.voidReason ? (
                          c.actor ? <div className="cr-sub">by {c.actor}</div> : null
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                      <td>
                        {c.status === "AVAILABLE" ? (
                          <Form method="post" className="cr-void" preventScrollReset>
                            <input type="hidden" name="creditId" value={c.id} />
                            <label className="sr-only" htmlFor={`void-${c.id}`}>
                              Reason to void {c.student}&apos;s credit
                            </label>
                            <input
                              id={`void-${c.id}`}
                              name="reason"
                              placeholder="Reason to void"
                              defaultValue={voidFailed?.values.reason}
                              aria-invalid={voidFailed ? true : undefined}
                              aria-describedby={voidFailed ? `void-${c.id}-error` : undefined}
                              maxLength={300}
                            />
                            <button className="button danger small" name="intent" value="void" disabled={pending?.get("creditId") === c.id}>
                              Void
                            </button>
                            {voidFailed ? (
                              <p className="field-error" id={`void-${c.id}-error`}>
                                {voidFailed.errors.reason ?? "Please check the reason."}
                              </p>
                            ) : null}
                          </Form>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
