// Teacher pay for the admin (ARCHITECTURE.md "Teacher pay"): what Encore holds for the school,
// what approved pay runs reserve and what was swept to the school's Stripe account; computing a
// period's pay run; the runs; a sweep by hand; and whether the held ledger reconciles.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormError } from "~/components/form";
import { isValidLocalDate, toLocalDate } from "~/domain/time";
import { optionalMoneyField } from "~/models/billing-form";
import { computePayRun, heldReconciliation, isPayModelError, payOverview, periodFor } from "~/models/teacher-pay.server";
import billingCss from "~/styles/billing.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";
import { type FieldErrors, type FormValues, parseForm } from "~/utils/forms";

export const meta: MetaFunction = () => [{ title: "Teacher pay" }];
export const links = () => [{ rel: "stylesheet", href: billingCss }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const today = toLocalDate(context.clock.now(), school.timezone);
  const { overview, reconciliation, current } = await db.run(async (tx) => ({
    overview: await payOverview(tx),
    reconciliation: await heldReconciliation(tx),
    current: await periodFor(tx, today),
  }));
  const url = new URL(request.url);
  return { ...overview, problems: reconciliation.problems, current, today, swept: url.searchParams.get("swept") === "1", mode: context.payments?.mode ?? "off" };
}

const localDate = (label: string) => z.string().trim().refine(isValidLocalDate, `${label}: enter a date as yyyy-mm-dd.`);
const computeSchema = z.object({ intent: z.literal("compute"), periodStart: localDate("First day"), periodEnd: localDate("Last day"), label: z.string().trim().max(80).optional() });

type ActionResult = { ok: false; intent: string; errors: FieldErrors; values: FormValues };

export async function action({ request, context }: ActionFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (intent === "sweep") {
    const parsed = parseForm(form, z.object({ intent: z.literal("sweep"), amount: optionalMoneyField({ label: "Amount", currency: school.currency, locale: school.locale, allowZero: false }) }));
    if (!parsed.ok) return data<ActionResult>({ ok: false, intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    try {
      await context.payments!.sweep(request, parsed.data.amount ?? undefined);
    } catch (error) {
      if (isPayModelError(error) || (error instanceof Error && error.name === "PaymentError")) return data<ActionResult>({ ok: false, intent, errors: { form: error.message }, values: parsed.values }, { status: (error as { status?: number }).status ?? 409 });
      throw error;
    }
    return redirect("/admin/pay?swept=1", 303);
  }
  const parsed = parseForm(form, computeSchema);
  if (!parsed.ok) return data<ActionResult>({ ok: false, intent: "compute", errors: parsed.errors, values: parsed.values }, { status: 400 });
  try {
    const { runId } = await db.run((tx) => computePayRun(tx, { periodStart: parsed.data.periodStart, periodEnd: parsed.data.periodEnd, label: parsed.data.label || undefined, now: context.clock.now() }), { timeout: 60_000 });
    return redirect(`/admin/pay/runs/${encodeURIComponent(runId)}`, 303);
  } catch (error) {
    if (isPayModelError(error)) return data<ActionResult>({ ok: false, intent: "compute", errors: { form: error.message }, values: parsed.values }, { status: error.status });
    throw error;
  }
}

const STATUS = { DRAFT: "Open (draft)", APPROVED: "Approved, paying", PAID: "Paid" } as const;

export default function PayOverview() {
  const fmt = useFormat();
  const { runs, sweeps, funding, settings, problems, current, swept, mode } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const m = (minor: number, currency = funding.held.currency) => fmt.moneyMinor(minor, currency);
  const err = (intent: string) => (result && !result.ok && result.intent === intent ? result : null);
  return (
    <div className="stack">
      <div className="spread">
        <h1 style={{ margin: 0 }}>Teacher pay</h1>
        <Link to="/admin/pay/rules">Pay rates and policy</Link>
      </div>
      {swept ? (
        <p className="notice" role="status">
          The sweep was sent to the school's Stripe account.
        </p>
      ) : null}
      <section aria-labelledby="held-title">
        <h2 id="held-title">What Encore holds for the school</h2>
        <div className="grid stats">
          <div className="card">
            <div className="muted">Held</div>
            <strong data-testid="held">{m(funding.held.amountMinor)}</strong>
          </div>
          <div className="card">
            <div className="muted">Reserved for approved pay runs</div>
            <strong data-testid="reserved">{m(funding.reserved.amountMinor)}</strong>
          </div>
          <div className="card">
            <div className="muted">Available to sweep</div>
            <strong data-testid="available">{m(funding.available.amountMinor)}</strong>
          </div>
          <div className="card">
            <div className="muted">Sent to the school's Stripe account</div>
            <strong data-testid="swept">{m(funding.swept.amountMinor)}</strong>
          </div>
        </div>
        <p className="muted">
          Families' card payments are held here, less the platform's fee; teachers are paid from it, and the rest is swept to the school's own Stripe account{" "}
          {settings.sweepSchedule === "MANUAL" ? "by hand" : `automatically (${settings.sweepSchedule.toLowerCase()})`}.
        </p>
        {problems.length ? (
          <div className="form-error" role="alert">
            <p style={{ margin: 0 }}>The held ledger does not reconcile:</p>
            <ul>
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </div>
        ) : (
          <p role="status" className="muted">
            The held balance equals its ledger entries (card payments, fees, refunds, transfers to teachers and sweeps).
          </p>
        )}
        {mode !== "off" ? (
          <Form method="post" className="card" aria-label="Sweep">
            <input type="hidden" name="intent" value="sweep" />
            <FormError message={err("sweep")?.errors.form} />
            <Field label="Amount to sweep" name="amount" hint="Leave empty to sweep everything available." inputMode="decimal" defaultValue={err("sweep")?.values.amount ?? ""} error={err("sweep")?.errors.amount} />
            <button className="button" disabled={busy}>
              Sweep to the school's Stripe account
            </button>
          </Form>
        ) : null}
      </section>

      <section aria-labelledby="compute-title" className="card">
        <h2 id="compute-title" style={{ marginTop: 0 }}>
          Compute a pay run
        </h2>
        <p className="muted">
          From occurrences and their registers. A draft can be recomputed until it is approved; nothing already paid is paid twice.
        </p>
        <Form method="post">
          <input type="hidden" name="intent" value="compute" />
          <FormError message={err("compute")?.errors.form} />
          <div className="grid" style={{ gridTemplateColumns: "repeat(auto-fit, minmax(12rem, 1fr))", gap: "0 1rem" }}>
            <Field label="First day" name="periodStart" type="date" required defaultValue={err("compute")?.values.periodStart ?? current?.start ?? ""} error={err("compute")?.errors.periodStart} />
            <Field label="Last day" name="periodEnd" type="date" required defaultValue={err("compute")?.values.periodEnd ?? current?.end ?? ""} error={err("compute")?.errors.periodEnd} />
            <Field label="Name" name="label" defaultValue={err("compute")?.values.label ?? current?.label ?? ""} error={err("compute")?.errors.label} />
          </div>
          <button className="button" disabled={busy}>
            Compute
          </button>
        </Form>
      </section>

      <section aria-labelledby="runs-title">
        <h2 id="runs-title">Pay runs</h2>
        {runs.length === 0 ? (
          <p className="muted">No pay run yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="stack-table">
              <thead>
                <tr>
                  <th>Period</th>
                  <th>Status</th>
                  <th>Total</th>
                  <th>Approved</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <Link to={`/admin/pay/runs/${r.id}`}>{r.label}</Link>
                      <div className="muted">
                        {fmt.day(r.periodStart)} – {fmt.day(r.periodEnd)}
                      </div>
                    </td>
                    <td data-label="Status">{STATUS[r.status]}</td>
                    <td data-label="Total">{m(r.totalMinor, r.currency)}</td>
                    <td data-label="Approved">{r.approvedAt ? fmt.dateTime(r.approvedAt) : ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {sweeps.length ? (
        <section aria-labelledby="sweeps-title">
          <h2 id="sweeps-title">Sweeps</h2>
          <ul>
            {sweeps.map((s) => (
              <li key={s.id}>
                {m(s.amountMinor, s.currency)} · {s.status === "SENT" ? `sent ${fmt.dateTime(s.sentAt ?? s.createdAt)}` : s.status === "FAILED" ? `failed: ${s.failureMessage ?? ""}` : "on its way"}
                {s.automatic ? " · automatic" : ""}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
