// One payment for the admin: what was paid, how, to which invoices it went (the ledger's
// allocations), its refunds and any dispute, and a refund form (full or partial, with a
// reason; through Stripe when the payment was online).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormError } from "~/components/form";
import { parseMoney } from "~/domain/money";
import { isPaymentError, paymentDetail } from "~/models/payments.server";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";
import { parseForm, type FieldErrors, type FormValues } from "~/utils/forms";

export const meta: MetaFunction = () => [{ title: "Payment · Billing" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const detail = await db.run((tx) => paymentDetail(tx, params.paymentId ?? ""));
  if (!detail) throw new Response("There is no such payment in this school.", { status: 404 });
  return { ...detail, currency: school.currency, refunded: new URL(request.url).searchParams.get("refunded") === "1" };
}

const refundSchema = z.object({
  amount: z.string().trim().min(1, "Enter the amount to refund.").max(40),
  reason: z.string().trim().min(1, "Say why the money is refunded (the family's statement shows it).").max(500, "Keep the reason under 500 characters."),
});

type ActionResult = { ok: false; errors: FieldErrors; values: FormValues };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { role: "ADMIN" });
  const { school } = requireSchool(context);
  const parsed = parseForm(await request.formData(), refundSchema);
  if (!parsed.ok) return data<ActionResult>({ ok: false, errors: parsed.errors, values: parsed.values }, { status: 400 });
  const amount = parseMoney(parsed.data.amount, school.currency);
  if (!amount.ok) return data<ActionResult>({ ok: false, errors: { amount: amount.error }, values: parsed.values }, { status: 400 });
  try {
    await context.payments!.refund({ paymentId: params.paymentId ?? "", amountMinor: amount.money.amountMinor, reason: parsed.data.reason, createdById: user.id });
  } catch (error) {
    if (isPaymentError(error)) return data<ActionResult>({ ok: false, errors: { form: error.message }, values: parsed.values }, { status: error.status });
    throw error;
  }
  return new Response(null, { status: 303, headers: { Location: `/admin/billing/payments/${encodeURIComponent(params.paymentId ?? "")}?refunded=1` } });
}

const METHOD = { STRIPE: "Card (online)", BANK_TRANSFER: "Bank transfer", CASH: "Cash", CHECK: "Check", OTHER: "Other" } as const;
const STATUS = { PENDING: "Waiting for payment", PROCESSING: "Processing", COMPLETED: "Paid", FAILED: "Not completed", REFUNDED: "Refunded", DISPUTED: "Disputed" } as const;

export default function PaymentPage() {
  const fmt = useFormat();
  const { payment, entries, refundedMinor, refundableMinor, currency, refunded } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const m = (minor: number | null) => fmt.moneyMinor(minor ?? 0, payment.currency ?? currency);
  const allocations = entries.filter((e) => e.kind === "ALLOCATION" || e.kind === "DEALLOCATION");
  return (
    <div className="stack">
      <div>
        <p style={{ margin: "0 0 0.25rem" }}>
          <Link to="/admin/billing">← Billing</Link>
        </p>
        <h1>Payment of {m(payment.amountMinor)}</h1>
        <p className="muted" style={{ marginTop: 0 }}>
          {payment.familyGroup?.name ?? "No family"} · {METHOD[payment.method]} · <span data-testid="payment-status">{STATUS[payment.status]}</span>
        </p>
      </div>
      {refunded ? (
        <p className="notice" role="status">
          The refund was made{payment.method === "STRIPE" ? " through Stripe" : ""}.
        </p>
      ) : null}
      {payment.status === "DISPUTED" ? (
        <p className="form-error" role="alert">
          The card holder's bank opened a dispute on this payment ({payment.disputeStatus?.replaceAll("_", " ")}). Respond in Stripe's dashboard; until it is closed the money is held back and cannot be refunded.
        </p>
      ) : null}

      <section className="card" aria-labelledby="facts-title">
        <h2 id="facts-title">Details</h2>
        <dl className="facts">
          <dt>Paid</dt>
          <dd>{payment.paidAt ? fmt.dateTime(payment.paidAt, { year: "numeric" }) : "Not yet"}</dd>
          {payment.invoice ? (
            <>
              <dt>For invoice</dt>
              <dd>{payment.invoice.number}</dd>
            </>
          ) : null}
          {payment.payer ? (
            <>
              <dt>Paid by</dt>
              <dd>
                {payment.payer.firstName} {payment.payer.lastName} ({payment.payer.email})
              </dd>
            </>
          ) : null}
          {payment.reference ? (
            <>
              <dt>Reference</dt>
              <dd>{payment.reference}</dd>
            </>
          ) : null}
          {payment.stripePaymentIntentId ? (
            <>
              <dt>Stripe payment</dt>
              <dd>
                <code>{payment.stripePaymentIntentId}</code>
              </dd>
            </>
          ) : null}
          {payment.platformFeeMinor !== null && payment.method === "STRIPE" ? (
            <>
              <dt>Platform fee</dt>
              <dd>{m(payment.platformFeeMinor)}</dd>
            </>
          ) : null}
          {payment.stripeDisputeId ? (
            <>
              <dt>Dispute</dt>
              <dd>
                {payment.disputeStatus?.replaceAll("_", " ")} (<code>{payment.stripeDisputeId}</code>)
              </dd>
            </>
          ) : null}
        </dl>
      </section>

      <section className="card" aria-labelledby="alloc-title">
        <h2 id="alloc-title">Where the money went</h2>
        {allocations.length === 0 ? (
          <p className="muted">Not allocated to any invoice: it is the family's credit for the next one.</p>
        ) : (
          <table>
            <caption className="sr-only">Allocations to invoices</caption>
            <thead>
              <tr>
                <th scope="col">Invoice</th>
                <th scope="col">Allocated</th>
                <th scope="col">When</th>
              </tr>
            </thead>
            <tbody>
              {allocations.map((e) => (
                <tr key={e.id}>
                  <td>{e.invoice?.number ?? "—"}</td>
                  <td>{e.kind === "DEALLOCATION" ? `− ${m(e.amountMinor)}` : m(e.amountMinor)}</td>
                  <td>{fmt.dateTime(e.postedAt, { year: "numeric" })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="card" aria-labelledby="refunds-title">
        <h2 id="refunds-title">Refunds</h2>
        {payment.refunds.length === 0 ? (
          <p className="muted">No refunds.</p>
        ) : (
          <table>
            <caption className="sr-only">Refunds of this payment</caption>
            <thead>
              <tr>
                <th scope="col">Amount</th>
                <th scope="col">Reason</th>
                <th scope="col">When</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {payment.refunds.map((r) => (
                <tr key={r.id} data-testid="refund-row">
                  <td>{m(r.amountMinor)}</td>
                  <td>{r.reason}</td>
                  <td>{fmt.dateTime(r.createdAt, { year: "numeric" })}</td>
                  <td>{r.createdBy ? `${r.createdBy.firstName} ${r.createdBy.lastName}` : r.stripeRefundId ? "In Stripe" : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p className="muted">
          Refunded {m(refundedMinor)} of {m(payment.amountMinor)}.
        </p>
        {refundableMinor > 0 ? (
          <Form method="post" noValidate className="stack">
            <h3>Refund</h3>
            <FormError message={result?.errors.form} />
            <Field
              label="Amount"
              name="amount"
              inputMode="decimal"
              required
              defaultValue={result?.values.amount ?? ""}
              error={result?.errors.amount}
              hint={`Up to ${m(refundableMinor)}.`}
            />
            <Field label="Reason" name="reason" required defaultValue={result?.values.reason ?? ""} error={result?.errors.reason} hint="Shown on the family's statement." />
            <div className="row">
              <button className="button danger" disabled={busy}>
                {busy ? "Refunding…" : payment.method === "STRIPE" ? "Refund through Stripe" : "Record refund"}
              </button>
            </div>
          </Form>
        ) : null}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
