// /admin/billing/families/:familyGroupId — a family's account: the balance (the sum of its
// ledger), the statement with a running balance, its invoices, payments and credit notes,
// and "Record a payment" (cash, bank transfer or check with a reference; partial payments
// and overpayments work; the paying guardian is emailed a receipt).
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { randomUUID } from "node:crypto";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormError, SelectField } from "~/components/form";
import { StatementTable } from "~/components/statement-table";
import { familyAccount, recordPaymentWithReceipt } from "~/models/billing-admin.server";
import { BillingModelError } from "~/models/billing.server";
import { METHOD_LABEL, moneyField } from "~/models/billing-form";
import billingCss from "~/styles/billing.css?url";
import receiptsCss from "~/styles/receipts.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";
import { formValues, parseForm, type FieldErrors, type FormValues } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data ? `${data.account.family.name}: account` : "Family account");
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: billingCss },
  { rel: "stylesheet", href: receiptsCss },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db } = requireSchool(context);
  const account = await db.run((tx) => familyAccount(tx, params.familyGroupId ?? ""));
  if (!account) throw new Response("No such family", { status: 404 });
  return { account, requestKey: randomUUID() };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const formData = await request.formData();
  const values = formValues(formData);
  const parsed = parseForm(
    formData,
    z.object({
      amount: moneyField({ currency: school.currency, locale: school.locale, label: "The payment", allowZero: false }),
      method: z.enum(["CASH", "BANK_TRANSFER", "CHECK"], { errorMap: () => ({ message: "Choose how the family paid." }) }),
      reference: z
        .string()
        .optional()
        .transform((v) => v?.trim() || null)
        .refine((v) => v === null || v.length <= 80, "Keep the reference under 80 characters."),
      requestKey: z.string().min(1, "Reload the page and try again.").max(64, "Reload the page and try again."),
    }),
  );
  if (!parsed.ok) return data({ ok: false as const, message: null as string | null, errors: parsed.errors as FieldErrors, values: values as FormValues }, { status: 400 });
  const d = parsed.data;
  if (d.method !== "CASH" && !d.reference) {
    return data({ ok: false as const, message: null as string | null, errors: { reference: d.method === "CHECK" ? "Enter the check number." : "Enter the transfer's reference, as your bank statement shows it." } as FieldErrors, values: values as FormValues }, { status: 400 });
  }
  try {
    const r = await db.run((tx) =>
      recordPaymentWithReceipt(tx, context.mailer, { familyGroupId: params.familyGroupId ?? "", amountMinor: d.amount, method: d.method, reference: d.reference, requestKey: d.requestKey, actorId: user.id, now: context.clock.now() }),
    );
    const message = r.repeated ? "This payment was already recorded." : `The payment was recorded${r.emailed ? " and a receipt emailed to the family" : ""}.`;
    return { ok: true as const, message, errors: {} as FieldErrors, values: {} as FormValues };
  } catch (error) {
    if (error instanceof BillingModelError) return data({ ok: false as const, message: error.message, errors: {} as FieldErrors, values }, { status: 409 });
    throw error;
  }
}

const STATUS_LABEL: Record<string, string> = { DRAFT: "Draft", ISSUED: "Issued", VOID: "Void" };

export default function FamilyAccount() {
  const fmt = useFormat();
  const { account, requestKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const m = (minor: number) => fmt.moneyMinor(minor, account.currency);
  const errors = actionData?.errors ?? {};
  const typed = actionData && !actionData.ok ? actionData.values : null;
  const bal = account.balanceMinor;
  return (
    <div className="stack">
      <div>
        <p className="eyebrow">
          <Link to="/admin/billing">Billing</Link>
        </p>
        <h1>{account.family.name}</h1>
        <p className="muted">
          Paying guardian: {account.family.guardian} ({account.family.email})
          {account.children.length ? ` · ${account.children.map((c) => c.name).join(", ")}` : ""}
        </p>
      </div>
      {actionData?.message ? (
        <p className={actionData.ok ? "notice" : "form-error"} role={actionData.ok ? "status" : "alert"}>
          {actionData.message}
        </p>
      ) : null}

      <div className="grid bill-stats">
        <section className="card" aria-label="Balance">
          <p className="stat" data-testid="family-balance">
            {bal < 0 ? m(-bal) : m(bal)}
          </p>
          <p className="muted">{bal > 0 ? "owed" : bal < 0 ? "in credit (applied to the next invoice)" : "balance: nothing owed"}</p>
        </section>
      </div>

      <section className="card stack" aria-labelledby="pay-heading">
        <h2 id="pay-heading">Record a payment</h2>
        <p className="muted" style={{ marginTop: 0 }}>
          Cash, a bank transfer or a check. It pays the oldest open invoices first; anything more is kept as credit for the next invoice.
        </p>
        <Form method="post" noValidate className="stack" key={actionData?.ok ? requestKey : "pay"}>
          <input type="hidden" name="requestKey" value={requestKey} />
          <FormError message={Object.keys(errors).length ? "Please correct the fields marked below." : null} />
          <div className="bill-inline">
            <Field name="amount" label={`Amount (${account.currency})`} inputMode="decimal" defaultValue={typed?.amount ?? ""} error={errors.amount} style={{ maxWidth: "9rem" }} />
            <SelectField
              name="method"
              label="Paid by"
              defaultValue={typed?.method ?? "CASH"}
              error={errors.method}
              options={[
                { value: "CASH", label: "Cash" },
                { value: "BANK_TRANSFER", label: "Bank transfer" },
                { value: "CHECK", label: "Check" },
              ]}
            />
            <Field name="reference" label="Reference or check number" defaultValue={typed?.reference ?? ""} error={errors.reference} maxLength={80} />
          </div>
          <div>
            <button className="button" disabled={busy}>
              {busy ? "Recording…" : "Record payment"}
            </button>
          </div>
        </Form>
      </section>

      <section className="card stack" aria-labelledby="invoices-heading">
        <h2 id="invoices-heading">Invoices</h2>
        {account.invoices.length === 0 ? (
          <p className="muted">No invoices yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="stack-table">
              <thead>
                <tr>
                  <th scope="col">Invoice</th>
                  <th scope="col">Term</th>
                  <th scope="col">Status</th>
                  <th scope="col">Due</th>
                  <th scope="col" className="num">
                    Total
                  </th>
                  <th scope="col" className="num">
                    Still owed
                  </th>
                </tr>
              </thead>
              <tbody>
                {account.invoices.map((i) => (
                  <tr key={i.id}>
                    <td>
                      <Link to={`/admin/billing/invoices/${i.id}`}>{i.number ?? "Draft"}</Link>
                    </td>
                    <td data-label="Term">{i.term ?? "—"}</td>
                    <td data-label="Status">{STATUS_LABEL[i.status]}</td>
                    <td data-label="Due">{i.dueDate ? fmt.day(i.dueDate) : "—"}</td>
                    <td data-label="Total" className="num">
                      {m(i.totalMinor)}
                    </td>
                    <td data-label="Still owed" className="num">
                      {i.outstandingMinor === null ? "—" : m(i.outstandingMinor)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card stack" aria-labelledby="statement-heading">
        <h2 id="statement-heading">Statement</h2>
        <StatementTable lines={account.statement} empty="Nothing on the account yet." />
      </section>

      <section className="card stack" aria-labelledby="payments-heading">
        <h2 id="payments-heading">Payments and credit notes</h2>
        {account.payments.length === 0 && account.creditNotes.length === 0 ? (
          <p className="muted">No payments or credit notes yet.</p>
        ) : (
          <ul>
            {account.payments.map((p) => (
              <li key={p.id}>
                {p.paidAt ? fmt.dateTime(p.paidAt) : "—"}: {m(p.amountMinor)} by {METHOD_LABEL[p.method] ?? p.method}
                {p.reference ? ` (${p.reference})` : ""}
                {p.unallocatedMinor > 0 ? <span className="muted"> — {m(p.unallocatedMinor)} not yet applied</span> : null}
                {p.method === "STRIPE" ? (
                  <>
                    {" "}
                    <Link to={`/admin/billing/payments/${p.id}`}>Details</Link>
                  </>
                ) : null}
              </li>
            ))}
            {account.creditNotes.map((c) => (
              <li key={c.id}>
                {fmt.dateTime(c.postedAt)}: credit note {m(c.amountMinor)}
                {c.invoiceNumber ? ` on ${c.invoiceNumber}` : ""}
                {c.memo ? ` — ${c.memo}` : ""}
                {c.unallocatedMinor > 0 ? <span className="muted"> ({m(c.unallocatedMinor)} not yet applied)</span> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
