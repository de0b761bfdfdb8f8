// One pay run for the admin (ARCHITECTURE.md "Teacher pay"): its lines by teacher (each lesson,
// its outcome, the rate that applied), what is still to resolve (registers missing), adjustments
// with their reasons; recompute, approve (who and when), pay by Stripe transfer, retry a failed or
// reversed transfer, mark a teacher paid outside Encore with a reference, and the bank's CSV.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormError } from "~/components/form";
import { ADJUSTMENT_KINDS } from "~/domain/teacher-pay";
import { moneyField } from "~/models/billing-form";
import { addAdjustment, approvePayRun, heldFunding, isPayModelError, markPaidOutside, payRunDetail, recomputePayRun, removeAdjustment, retryTeacherPayment } from "~/models/teacher-pay.server";
import billingCss from "~/styles/billing.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";
import { type FieldErrors, type FormValues, parseForm } from "~/utils/forms";

export const meta: MetaFunction = () => [{ title: "Pay run · Teacher pay" }];
export const links = () => [{ rel: "stylesheet", href: billingCss }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db } = requireSchool(context);
  const found = await db.run(async (tx) => {
    const detail = await payRunDetail(tx, params.runId ?? "");
    return detail ? { ...detail, funding: await heldFunding(tx) } : null;
  });
  if (!found) throw new Response("There is no such pay run in this school.", { status: 404 });
  const url = new URL(request.url);
  return { ...found, done: url.searchParams.get("done"), mode: context.payments?.mode ?? "off" };
}

type ActionResult = { ok: false; intent: string; teacherId?: string; errors: FieldErrors; values: FormValues } | { ok: true; intent: "pay"; sent: number; failed: number; interrupted: string | null };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const runId = params.runId ?? "";
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const now = context.clock.now();
  const back = (done: string) => redirect(`/admin/pay/runs/${encodeURIComponent(runId)}?done=${done}`, 303);
  const refused = (error: unknown, values: FormValues, teacherId?: string) => {
    if (isPayModelError(error)) return data<ActionResult>({ ok: false, intent, teacherId, errors: { form: error.message }, values }, { status: error.status });
    throw error;
  };
  const teacherField = z.string().trim().min(1, "Choose a teacher.").max(64);
  try {
    if (intent === "adjust") {
      const parsed = parseForm(
        form,
        z.object({
          intent: z.literal("adjust"),
          teacherId: teacherField,
          kind: z.enum(ADJUSTMENT_KINDS, { errorMap: () => ({ message: "Choose bonus, reimbursement or deduction." }) }),
          amount: moneyField({ label: "Amount", currency: school.currency, locale: school.locale, allowZero: false }),
          reason: z.string().trim().min(1, "Give the reason (the teacher's statement shows it).").max(300, "Keep the reason under 300 characters."),
        }),
      );
      if (!parsed.ok) return data<ActionResult>({ ok: false, intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
      try {
        await db.run((tx) => addAdjustment(tx, { runId, teacherId: parsed.data.teacherId, kind: parsed.data.kind, amountMinor: parsed.data.amount, reason: parsed.data.reason, createdById: user.id, now }), { timeout: 60_000 });
      } catch (error) {
        return refused(error, parsed.values);
      }
      return back("adjusted");
    }
    if (intent === "remove-adjustment") {
      await db.run((tx) => removeAdjustment(tx, { runId, adjustmentId: String(form.get("adjustmentId") ?? ""), now }), { timeout: 60_000 });
      return back("adjusted");
    }
    if (intent === "recompute") {
      await db.run((tx) => recomputePayRun(tx, { runId, now }), { timeout: 60_000 });
      return back("recomputed");
    }
    if (intent === "approve") {
      const r = await db.run((tx) => approvePayRun(tx, { runId, approvedById: user.id, now }), { timeout: 60_000 });
      return back(r === "approved" ? "approved" : "already");
    }
    if (intent === "pay") {
      const report = await context.payments!.payRun(request, runId);
      return data<ActionResult>({ ok: true, intent: "pay", sent: report.sent, failed: report.failed.length, interrupted: report.interrupted });
    }
    if (intent === "retry") {
      const teacherId = String(form.get("teacherId") ?? "");
      try {
        await db.run((tx) => retryTeacherPayment(tx, { runId, teacherId, now }));
      } catch (error) {
        return refused(error, {}, teacherId);
      }
      const report = await context.payments!.payRun(request, runId);
      return data<ActionResult>({ ok: true, intent: "pay", sent: report.sent, failed: report.failed.length, interrupted: report.interrupted });
    }
    if (intent === "outside") {
      const parsed = parseForm(form, z.object({ intent: z.literal("outside"), teacherId: teacherField, reference: z.string().trim().min(1, "Give the payment's reference (bank transfer or cheque number).").max(120) }));
      if (!parsed.ok) return data<ActionResult>({ ok: false, intent, teacherId: parsed.values.teacherId, errors: parsed.errors, values: parsed.values }, { status: 400 });
      try {
        await db.run((tx) => markPaidOutside(tx, { runId, teacherId: parsed.data.teacherId, reference: parsed.data.reference, markedById: user.id, now }));
      } catch (error) {
        return refused(error, parsed.values, parsed.data.teacherId);
      }
      return back("marked");
    }
  } catch (error) {
    return refused(error, {});
  }
  return data<ActionResult>({ ok: false, intent, errors: { form: "Unknown action." }, values: {} }, { status: 400 });
}

const DONE: Record<string, string> = {
  adjusted: "The adjustment was saved and the run recomputed.",
  recomputed: "The run was recomputed from today's occurrences and registers.",
  approved: "The run is approved. Pay it to send the transfers.",
  already: "This run was already approved (by another session).",
  marked: "Marked as paid outside Encore.",
};
const UNRESOLVED: Record<string, string> = { MISSING_REGISTER: "Register missing", NOT_YET_TAUGHT: "Not taught yet", NO_RATE: "No pay rate applies" };
const PAYMENT: Record<string, string> = { PENDING: "To pay", SENT: "Paid by Stripe transfer", FAILED: "Transfer failed", REVERSED: "Transfer reversed", PAID_OUTSIDE: "Paid outside Encore" };
const KIND_LABEL: Record<string, string> = { BONUS: "Bonus", REIMBURSEMENT: "Reimbursement", DEDUCTION: "Deduction" };

export default function PayRunPage() {
  const fmt = useFormat();
  const { run, teachers, toResolve, allTeachers, funding, done, mode } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const m = (minor: number) => fmt.moneyMinor(minor, run.currency);
  const failure = result && !result.ok ? result : null;
  const draft = run.status === "DRAFT";
  const outsideLeft = teachers.some((t) => t.payment && (t.payment.status === "PENDING" || t.payment.status === "FAILED") && !t.payment.destination);
  return (
    <div className="stack">
      <div>
        <p style={{ margin: "0 0 0.25rem" }}>
          <Link to="/admin/pay">← Teacher pay</Link>
        </p>
        <h1>{run.label}</h1>
        <p className="muted" style={{ marginTop: 0 }}>
          {fmt.day(run.periodStart)} – {fmt.day(run.periodEnd)} · <span data-testid="run-status">{draft ? "Open (draft)" : run.status === "APPROVED" ? "Approved" : "Paid"}</span> · total <strong data-testid="run-total">{m(run.totalMinor)}</strong>
          {run.approvedAt ? ` · approved by ${run.approvedBy ? `${run.approvedBy.firstName} ${run.approvedBy.lastName}` : "an admin"} ${fmt.dateTime(run.approvedAt)}` : ""}
        </p>
      </div>
      {done && DONE[done] ? (
        <p className="notice" role="status">
          {DONE[done]}
        </p>
      ) : null}
      {result?.ok ? (
        <p className={result.failed || result.interrupted ? "form-error" : "notice"} role="status">
          {result.sent} transfer{result.sent === 1 ? "" : "s"} sent.{result.failed ? ` ${result.failed} failed: see below, then retry or pay outside Encore.` : ""} {result.interrupted ?? ""}
        </p>
      ) : null}
      <FormError message={failure && !failure.teacherId && failure.intent !== "adjust" ? failure.errors.form : undefined} />

      {toResolve.length ? (
        <section className="card" aria-labelledby="resolve-title">
          <h2 id="resolve-title" style={{ marginTop: 0 }}>
            To resolve
          </h2>
          <p className="muted">These lessons pay nothing until they are resolved; once resolved, they are paid in the next run (or here, when recomputed before approval).</p>
          <ul>
            {toResolve.map((r) => (
              <li key={`${r.occurrenceId}-${r.teacherId}`}>
                {r.teacher}: <Link to={`/admin/occurrences/${r.occurrenceId}`}>{r.lesson}</Link> on {fmt.day(r.date)} · {UNRESOLVED[r.reason] ?? r.reason}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <div className="spread">
        {draft ? (
          <>
            <Form method="post">
              <input type="hidden" name="intent" value="recompute" />
              <button className="button secondary" disabled={busy}>
                Recompute
              </button>
            </Form>
            <Form method="post">
              <input type="hidden" name="intent" value="approve" />
              <button className="button" disabled={busy}>
                Approve this run
              </button>
            </Form>
          </>
        ) : null}
        {run.status === "APPROVED" && mode !== "off" ? (
          <Form method="post">
            <input type="hidden" name="intent" value="pay" />
            <button className="button" disabled={busy}>
              Pay by Stripe transfer
            </button>
          </Form>
        ) : null}
        {!draft ? <a href={`/admin/pay/runs/${run.id}/csv`}>CSV for the bank</a> : null}
      </div>
      {draft ? (
        <p className="muted">
          Encore holds {m(funding.held.amountMinor)} for the school; {m(funding.available.amountMinor)} is not yet reserved. Approval reserves what this run transfers to connected teachers.
        </p>
      ) : null}
      {!draft && outsideLeft ? <p className="muted">Teachers without a connected Stripe account are paid outside Encore: pay them from the school's bank (the CSV lists them), then record the reference.</p> : null}

      {teachers.map((t) => (
        <section key={t.id} className="card" aria-labelledby={`t-${t.id}`}>
          <div className="spread">
            <h2 id={`t-${t.id}`} style={{ margin: 0 }}>
              {t.name}
            </h2>
            <strong data-testid={`total-${t.id}`}>{m(t.total.totalMinor)}</strong>
          </div>
          <p className="muted" style={{ marginTop: 0 }}>
            {t.connected ? "Stripe connected" : "No connected Stripe account"}
            {t.payment ? ` · ${PAYMENT[t.payment.status]}${t.payment.paidAt ? ` ${fmt.dateTime(t.payment.paidAt)}` : ""}${t.payment.reference ? ` (ref. ${t.payment.reference})` : ""}` : ""}
          </p>
          {t.payment?.failureMessage ? (
            <p className="form-error" role="alert">
              {t.payment.failureMessage}
            </p>
          ) : null}
          <div className="table-wrap">
            <table className="stack-table">
              <thead>
                <tr>
                  <th>Lesson</th>
                  <th>Outcome</th>
                  <th>Rate</th>
                  <th>Pay</th>
                </tr>
              </thead>
              <tbody>
                {t.lines.map((l) => (
                  <tr key={l.id}>
                    <td>
                      {l.lessonTitle}
                      <div className="muted">
                        {fmt.day(l.localDate)} · {l.durationMinutes} min{l.kind === "CORRECTION" ? ` · correction (paid before: ${m(l.previouslyPaidMinor)})` : ""}
                      </div>
                    </td>
                    <td data-label="Outcome">{l.unresolved ? UNRESOLVED[l.unresolved] : (l.outcomeLabel ?? "")}</td>
                    <td data-label="Rate">
                      {l.rateMinor ? m(l.rateMinor) : ""}
                      {l.rateMinor && l.shareBasisPoints !== 10_000 ? ` × ${l.shareBasisPoints / 100} %` : ""}
                    </td>
                    <td data-label="Pay">{m(l.amountMinor)}</td>
                  </tr>
                ))}
                {t.adjustments.map((a) => (
                  <tr key={a.id}>
                    <td>
                      {KIND_LABEL[a.kind]}: {a.reason}
                    </td>
                    <td data-label="Outcome">Adjustment</td>
                    <td data-label="Rate" />
                    <td data-label="Pay">
                      {m(a.kind === "DEDUCTION" ? -a.amountMinor : a.amountMinor)}
                      {draft ? (
                        <Form method="post" style={{ display: "inline", marginLeft: "0.5rem" }}>
                          <input type="hidden" name="intent" value="remove-adjustment" />
                          <input type="hidden" name="adjustmentId" value={a.id} />
                          <button className="link-button" disabled={busy} aria-label={`Remove ${KIND_LABEL[a.kind]?.toLowerCase()} ${a.reason}`}>
                            Remove
                          </button>
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {t.payment && (t.payment.status === "FAILED" || t.payment.status === "REVERSED") && t.connected && mode !== "off" ? (
            <Form method="post">
              <input type="hidden" name="intent" value="retry" />
              <input type="hidden" name="teacherId" value={t.id} />
              <button className="button" disabled={busy}>
                Retry the transfer
              </button>
            </Form>
          ) : null}
          {t.payment && t.payment.status !== "SENT" && t.payment.status !== "PAID_OUTSIDE" && (!t.payment.destination || t.payment.status !== "PENDING") ? (
            <Form method="post" aria-label={`Mark ${t.name} paid outside Encore`}>
              <input type="hidden" name="intent" value="outside" />
              <input type="hidden" name="teacherId" value={t.id} />
              <FormError message={failure?.teacherId === t.id ? failure.errors.form : undefined} />
              <Field label="Payment reference" name="reference" hint="The bank transfer's or cheque's reference." defaultValue={failure?.teacherId === t.id ? (failure.values.reference ?? "") : ""} error={failure?.teacherId === t.id ? failure.errors.reference : undefined} />
              <button className="button secondary" disabled={busy}>
                Mark paid outside Encore
              </button>
            </Form>
          ) : null}
        </section>
      ))}

      {draft ? (
        <section className="card" aria-labelledby="adjust-title">
          <h2 id="adjust-title" style={{ marginTop: 0 }}>
            Add an adjustment
          </h2>
          <Form method="post">
            <input type="hidden" name="intent" value="adjust" />
            <FormError message={failure?.intent === "adjust" ? failure.errors.form : undefined} />
            <div className="field">
              <label htmlFor="adj-teacher">Teacher</label>
              <select id="adj-teacher" name="teacherId" defaultValue={failure?.intent === "adjust" ? failure.values.teacherId : ""} required>
                <option value="">Choose…</option>
                {allTeachers.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.firstName} {t.lastName}
                  </option>
                ))}
              </select>
              {failure?.intent === "adjust" && failure.errors.teacherId ? <p className="field-error">{failure.errors.teacherId}</p> : null}
            </div>
            <div className="field">
              <label htmlFor="adj-kind">Kind</label>
              <select id="adj-kind" name="kind" defaultValue={failure?.intent === "adjust" ? failure.values.kind : "BONUS"}>
                {ADJUSTMENT_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {KIND_LABEL[k]}
                  </option>
                ))}
              </select>
            </div>
            <Field label="Amount" name="amount" inputMode="decimal" required defaultValue={failure?.intent === "adjust" ? failure.values.amount : ""} error={failure?.intent === "adjust" ? failure.errors.amount : undefined} />
            <Field label="Reason" name="reason" required defaultValue={failure?.intent === "adjust" ? failure.values.reason : ""} error={failure?.intent === "adjust" ? failure.errors.reason : undefined} />
            <button className="button" disabled={busy}>
              Add adjustment
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
