// /admin/billing/invoices/:invoiceId — one invoice. A draft is reviewed and changed here
// (a line's description, quantity or price; a line removed or put back; lines of the
// admin's own such as books or exam fees) and issued (numbered, emailed to the paying
// guardian). An issued invoice is read-only: what paid it, credit notes, and "Void" while
// nothing is paid or credited.
import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Fragment } from "react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormError, SelectField } from "~/components/form";
import { addCustomLine, invoiceForAdmin, issueAndSend, issueCreditNote, removeDraftLine, restoreDraftLine, updateDraftLine, voidInvoice } from "~/models/billing-admin.server";
import { BillingModelError } from "~/models/billing.server";
import { amountInput, METHOD_LABEL, moneyField, optionalMoneyField } from "~/models/billing-form";
import billingCss from "~/styles/billing.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";
import { formValues, parseForm, type FieldErrors, type FormValues } from "~/utils/forms";
import { InstalmentTable } from "~/components/instalment-table";
import { toLocalDate } from "~/domain/time";
import { instalmentPlan } from "~/models/instalments.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data ? `Invoice ${data.invoice.number ?? "(draft)"}` : "Invoice");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: billingCss }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const today = toLocalDate(context.clock.now(), school.timezone);
  const found = await db.run(async (tx) => {
    const invoice = await invoiceForAdmin(tx, params.invoiceId ?? "");
    return invoice ? { invoice, plan: await instalmentPlan(tx, invoice.id, today) } : null;
  });
  if (!found) throw new Response("No such invoice", { status: 404 });
  const { invoice, plan } = found;
  return {
    plan,
    invoice: {
      ...invoice,
      lines: invoice.lines.map((l) => ({
        ...l,
        unitInput: l.unitAmountMinor !== null ? amountInput(l.unitAmountMinor, invoice.currency, school.locale) : "",
        amountInput: amountInput(Math.abs(l.amountMinor), invoice.currency, school.locale),
      })),
    },
    requestKey: randomUUID(),
  };
}

const text = (label: string, max: number) => z.string({ required_error: `Enter ${label}.` }).trim().min(1, `Enter ${label}.`).max(max, `Keep ${label} under ${max} characters.`);
const quantity = z
  .string({ required_error: "Enter a quantity." })
  .trim()
  .regex(/^\d{1,4}$/, "The quantity is a whole number from 1 to 9999.")
  .transform(Number)
  .refine((n) => n >= 1, "The quantity is a whole number from 1 to 9999.");

type Reply = { ok: boolean; intent: string; lineId: string | null; message: string | null; errors: FieldErrors; values: FormValues };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const invoiceId = params.invoiceId ?? "";
  const formData = await request.formData();
  const values = formValues(formData);
  const intent = String(formData.get("intent") ?? "");
  const lineId = String(formData.get("lineId") ?? "") || null;
  const now = context.clock.now();
  const reply = (r: Partial<Reply>, status = 200) => data<Reply>({ ok: true, intent, lineId, message: null, errors: {}, values, ...r }, { status });
  const refuse = (errors: FieldErrors) => reply({ ok: false, errors }, 400);
  const money = (label: string) => moneyField({ currency: school.currency, locale: school.locale, label, allowZero: false });
  try {
    switch (intent) {
      case "update-line": {
        const parsed = parseForm(
          formData,
          z.object({
            description: text("a description", 300),
            quantity,
            unitPrice: optionalMoneyField({ currency: school.currency, locale: school.locale, label: "The unit price" }),
            amount: optionalMoneyField({ currency: school.currency, locale: school.locale, label: "The amount" }),
          }),
        );
        if (!parsed.ok) return refuse(parsed.errors);
        const d = parsed.data;
        if (d.unitPrice === null && d.amount === null) return refuse({ amount: "Enter the line's price." });
        await db.run((tx) => updateDraftLine(tx, { invoiceId, lineId: lineId ?? "", change: { description: d.description, quantity: d.quantity, unitAmountMinor: d.unitPrice, amountMinor: d.amount } }));
        return reply({ message: "The line was changed; its tax and the totals follow." });
      }
      case "remove-line":
        await db.run((tx) => removeDraftLine(tx, { invoiceId, lineId: lineId ?? "" }));
        return reply({ message: "The line was removed. Generating the term again will not add it back." });
      case "restore-line":
        await db.run((tx) => restoreDraftLine(tx, { invoiceId, lineId: lineId ?? "" }));
        return reply({ message: "The line is back on the draft." });
      case "add-line": {
        const parsed = parseForm(formData, z.object({ description: text("a description", 300), quantity, unitPrice: money("The unit price"), studentId: z.string().optional() }));
        if (!parsed.ok) return refuse(parsed.errors);
        const d = parsed.data;
        await db.run((tx) => addCustomLine(tx, { invoiceId, description: d.description, quantity: d.quantity, unitAmountMinor: d.unitPrice, studentId: d.studentId || null }));
        return reply({ message: `“${d.description}” was added.`, values: {} });
      }
      case "issue": {
        const r = await db.run((tx) => issueAndSend(tx, context.mailer, { invoiceId, now, origin: context.links.origin }));
        return reply({ message: `Issued as ${r.number}${r.emailed ? "; the paying guardian was emailed." : ". The family has no email address, so nobody was emailed."}` });
      }
      case "void": {
        const parsed = parseForm(formData, z.object({ reason: text("the reason", 300) }));
        if (!parsed.ok) return refuse(parsed.errors);
        await db.run((tx) => voidInvoice(tx, { invoiceId, reason: parsed.data.reason, actorId: user.id, now }));
        return reply({ message: "The invoice is void. The family no longer owes it." });
      }
      case "credit": {
        const parsed = parseForm(formData, z.object({ amount: money("The credit"), reason: text("the reason", 300), requestKey: z.string().min(1).max(64) }));
        if (!parsed.ok) return refuse(parsed.errors);
        const d = parsed.data;
        await db.run((tx) => issueCreditNote(tx, { invoiceId, amountMinor: d.amount, reason: d.reason, requestKey: d.requestKey, actorId: user.id, now }));
        return reply({ message: "The credit note was recorded and applied.", values: {} });
      }
      default:
        return reply({ ok: false, message: "That action is not known. Reload the page and try again." }, 400);
    }
  } catch (error) {
    if (error instanceof BillingModelError) return reply({ ok: false, message: error.message }, 409);
    throw error;
  }
}

const STATUS_LABEL: Record<string, string> = { DRAFT: "Draft", ISSUED: "Issued", VOID: "Void" };
const STATUS_BADGE: Record<string, string> = { DRAFT: "badge warn", ISSUED: "badge ok", VOID: "badge muted" };

export default function InvoicePage() {
  const fmt = useFormat();
  const { invoice, plan, requestKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const busy = navigation.state === "submitting";
  const m = (minor: number) => fmt.moneyMinor(minor, invoice.currency);
  const draft = invoice.status === "DRAFT";
  // The line being changed: ?line=<id>, or the one whose change was just refused.
  const editingLine = actionData && !actionData.ok && actionData.intent === "update-line" ? actionData.lineId : actionData?.ok ? null : params.get("line");
  const showTax = invoice.taxMinor !== 0 || Boolean(invoice.taxLabel);
  const columns = 5 + (showTax ? 1 : 0) + (draft ? 1 : 0);
  const errorsFor = (intent: string, lineId: string | null = null): FieldErrors => (actionData && !actionData.ok && actionData.intent === intent && actionData.lineId === lineId ? actionData.errors : {});
  const typed = (intent: string, lineId: string | null = null): FormValues | null => (actionData && !actionData.ok && actionData.intent === intent && actionData.lineId === lineId ? actionData.values : null);
  const live = invoice.lines.filter((l) => !l.voided);
  const removed = invoice.lines.filter((l) => l.voided && invoice.status !== "VOID");
  const addErrors = errorsFor("add-line");
  const addTyped = typed("add-line");
  const creditErrors = errorsFor("credit");
  const creditTyped = typed("credit");
  const voidErrors = errorsFor("void");
  return (
    <div className="stack">
      <div>
        <p className="eyebrow">
          <Link to="/admin/billing">Billing</Link> · <Link to={`/admin/billing/families/${invoice.familyGroup.id}`}>{invoice.familyGroup.name}</Link>
        </p>
        <div className="spread">
          <h1>
            {invoice.number ? `Invoice ${invoice.number}` : "Draft invoice"} <span className={STATUS_BADGE[invoice.status]}>{STATUS_LABEL[invoice.status]}</span>
          </h1>
          <Link className="button secondary" to={`/admin/billing/invoices/${invoice.id}/print`}>
            Printable invoice
          </Link>
        </div>
        <p className="muted">
          {invoice.familyGroup.admin.firstName} {invoice.familyGroup.admin.lastName} ({invoice.familyGroup.billingEmail ?? invoice.familyGroup.admin.email})
          {invoice.term ? ` · ${invoice.term.name}` : ""}
          {invoice.invoiceKey?.startsWith("enrollment:") ? " · for an enrollment approved during the term" : ""}
          {invoice.issueDate ? ` · issued ${fmt.day(invoice.issueDate)}` : ""}
          {invoice.dueDate ? ` · due ${fmt.day(invoice.dueDate)}` : ""}
        </p>
      </div>

      {actionData?.message ? (
        <p className={actionData.ok ? "notice" : "form-error"} role={actionData.ok ? "status" : "alert"}>
          {actionData.message}
        </p>
      ) : null}
      {invoice.status === "VOID" ? (
        <p className="notice">
          Voided{invoice.voidedAt ? ` ${fmt.dateTime(invoice.voidedAt)}` : ""}: {invoice.voidReason}
        </p>
      ) : null}

      <section className="card stack" aria-labelledby="lines-heading">
        <h2 id="lines-heading">Lines</h2>
        {live.length === 0 ? <p className="muted">No lines{draft ? " yet: add one below" : ""}.</p> : null}
        {live.length > 0 ? (
          <div className="table-wrap">
            <table className="stack-table bill-lines">
              <thead>
                <tr>
                  <th scope="col">Description</th>
                  <th scope="col">Child</th>
                  <th scope="col" className="num">
                    Qty
                  </th>
                  <th scope="col" className="num">
                    Unit price
                  </th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                  {showTax ? (
                    <th scope="col" className="num">
                      {invoice.taxLabel ?? "Tax"}
                    </th>
                  ) : null}
                  {draft ? (
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {live.map((l) => {
                  const errs = errorsFor("update-line", l.id);
                  const t = typed("update-line", l.id);
                  return (
                    <Fragment key={l.id}>
                      <tr id={`line-${l.id}`}>
                        <td>{l.description}</td>
                        <td data-label="Child">{l.child ?? <span className="muted">—</span>}</td>
                        <td data-label="Qty" className="num">
                          {l.quantity}
                        </td>
                        <td data-label="Unit price" className="num">
                          {l.unitAmountMinor !== null ? m(l.unitAmountMinor) : <span className="muted">{l.kind === "SIBLING_DISCOUNT" || l.kind === "CUSTOM" ? "—" : "term price"}</span>}
                        </td>
                        <td data-label="Amount" className="num">
                          {m(l.amountMinor)}
                        </td>
                        {showTax ? (
                          <td data-label={invoice.taxLabel ?? "Tax"} className="num">
                            {m(l.taxMinor)}
                          </td>
                        ) : null}
                        {draft ? (
                          <td className="actions nowrap">
                            <div className="row">
                              <Link to={`?line=${l.id}#line-${l.id}`} preventScrollReset aria-label={`Change ${l.description}`}>
                                Change
                              </Link>
                              <Form method="post">
                                <input type="hidden" name="lineId" value={l.id} />
                                <button className="link-button" name="intent" value="remove-line" disabled={busy} aria-label={`Remove ${l.description}`}>
                                  Remove
                                </button>
                              </Form>
                            </div>
                          </td>
                        ) : null}
                      </tr>
                      {draft && editingLine === l.id ? (
                        <tr className="bill-edit-row">
                          <td colSpan={columns}>
                            <Form method="post" noValidate className="bill-inline" aria-label={`Change ${l.description}`}>
                              <input type="hidden" name="lineId" value={l.id} />
                              <div className="field" style={{ flex: "1 1 18rem" }}>
                                <label htmlFor={`desc-${l.id}`}>Description</label>
                                <input id={`desc-${l.id}`} name="description" defaultValue={t?.description ?? l.description} maxLength={300} aria-invalid={errs.description ? true : undefined} aria-describedby={errs.description ? `desc-${l.id}-error` : undefined} />
                                {errs.description ? <p className="field-error" id={`desc-${l.id}-error`}>{errs.description}</p> : null}
                              </div>
                              <Field name="quantity" label={l.unitAmountMinor !== null ? "Quantity" : "Lessons billed"} inputMode="numeric" defaultValue={t?.quantity ?? String(l.quantity)} error={errs.quantity} style={{ maxWidth: "6rem" }} />
                              {l.unitAmountMinor !== null ? (
                                <Field name="unitPrice" label={`Unit price (${invoice.currency})`} inputMode="decimal" defaultValue={t?.unitPrice ?? l.unitInput} error={errs.unitPrice} style={{ maxWidth: "8rem" }} />
                              ) : (
                                <Field name="amount" label={`${l.kind === "SIBLING_DISCOUNT" ? "Discount" : "Amount"} (${invoice.currency})`} inputMode="decimal" defaultValue={t?.amount ?? l.amountInput} error={errs.amount} style={{ maxWidth: "8rem" }} />
                              )}
                              <div className="row">
                                <button className="button small" name="intent" value="update-line" disabled={busy}>
                                  Save line
                                </button>
                                <Link to="?" preventScrollReset>
                                  Cancel
                                </Link>
                              </div>
                            </Form>
                          </td>
                        </tr>
                      ) : null}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : null}
        {removed.length > 0 ? (
          <details>
            <summary>
              {removed.length} removed {removed.length === 1 ? "line" : "lines"} (kept so generating again does not add {removed.length === 1 ? "it" : "them"} back)
            </summary>
            <ul>
              {removed.map((l) => (
                <li key={l.id}>
                  {l.description} ({m(l.amountMinor)}){" "}
                  {draft ? (
                    <Form method="post" style={{ display: "inline" }}>
                      <input type="hidden" name="lineId" value={l.id} />
                      <button className="link-button" name="intent" value="restore-line" disabled={busy}>
                        Put back
                      </button>
                    </Form>
                  ) : null}
                </li>
              ))}
            </ul>
          </details>
        ) : null}

        <table className="bill-totals">
          <tbody>
            <tr>
              <th scope="row">{invoice.taxInclusive ? "Net" : "Subtotal"}</th>
              <td className="num">{m(invoice.netMinor)}</td>
            </tr>
            {showTax ? (
              <tr>
                <th scope="row">{invoice.taxLabel ? `${invoice.taxLabel}${invoice.taxInclusive ? " (included)" : ""}` : "Tax"}</th>
                <td className="num">{m(invoice.taxMinor)}</td>
              </tr>
            ) : null}
            <tr className="grand">
              <th scope="row">Total</th>
              <td className="num">{m(invoice.totalMinor)}</td>
            </tr>
            {invoice.status === "ISSUED" ? (
              <>
                {invoice.totalWithFeesMinor !== invoice.totalMinor ? (
                  <tr>
                    <th scope="row">Late fees</th>
                    <td className="num">{m(invoice.totalWithFeesMinor - invoice.totalMinor)}</td>
                  </tr>
                ) : null}
                <tr>
                  <th scope="row">Paid</th>
                  <td className="num">{m(invoice.paidMinor)}</td>
                </tr>
                {invoice.creditedMinor ? (
                  <tr>
                    <th scope="row">Credited</th>
                    <td className="num">{m(invoice.creditedMinor)}</td>
                  </tr>
                ) : null}
                <tr className="grand">
                  <th scope="row">Still owed</th>
                  <td className="num">{m(invoice.outstandingMinor)}</td>
                </tr>
              </>
            ) : null}
          </tbody>
        </table>
      </section>

      {draft ? (
        <>
          <section className="card stack" aria-labelledby="add-heading">
            <h2 id="add-heading">Add a line</h2>
            <p className="muted" style={{ marginTop: 0 }}>
              Books, exam fees, an instrument rental: taxed as your billing settings say.
            </p>
            <Form method="post" noValidate className="stack" key={actionData?.ok && actionData.intent === "add-line" ? actionData.message : "add"}>
              <FormError message={Object.keys(addErrors).length ? "Please correct the fields marked below." : null} />
              <Field name="description" label="Description" defaultValue={addTyped?.description ?? ""} error={addErrors.description} maxLength={300} />
              <div className="bill-inline">
                <Field name="quantity" label="Quantity" inputMode="numeric" defaultValue={addTyped?.quantity ?? "1"} error={addErrors.quantity} style={{ maxWidth: "6rem" }} />
                <Field name="unitPrice" label={`Unit price (${invoice.currency})`} inputMode="decimal" defaultValue={addTyped?.unitPrice ?? ""} error={addErrors.unitPrice} style={{ maxWidth: "9rem" }} />
                <SelectField name="studentId" label="For" defaultValue={addTyped?.studentId ?? ""} options={[{ value: "", label: "The family" }, ...invoice.children.map((c) => ({ value: c.studentId, label: c.name }))]} />
              </div>
              <div>
                <button className="button secondary" name="intent" value="add-line" disabled={busy}>
                  Add line
                </button>
              </div>
            </Form>
          </section>
          <section className="card stack" aria-labelledby="issue-heading">
            <h2 id="issue-heading">Issue</h2>
            <p className="muted" style={{ marginTop: 0 }}>
              Gives the invoice its number, makes it due, and emails it to {invoice.familyGroup.billingEmail ?? invoice.familyGroup.admin.email}. It can no longer be changed after that.
            </p>
            <Form method="post">
              <button className="button" name="intent" value="issue" disabled={busy || invoice.totalMinor <= 0}>
                {busy && navigation.formData?.get("intent") === "issue" ? "Issuing…" : `Issue and email (${m(invoice.totalMinor)})`}
              </button>
            </Form>
          </section>
        </>
      ) : null}

      {plan ? (
        <section className="card stack" aria-labelledby="instalments-heading">
          <h2 id="instalments-heading">Instalments</h2>
          <p className="muted" style={{ margin: 0 }}>
            The family chose to pay this invoice in {plan.instalments.length} instalments. It is overdue only when an instalment is.
          </p>
          <InstalmentTable instalments={plan.instalments} currency={invoice.currency} />
        </section>
      ) : null}

      {invoice.status !== "DRAFT" ? (
        <section className="card stack" aria-labelledby="paid-heading">
          <h2 id="paid-heading">Payments and credits applied</h2>
          {invoice.allocations.length === 0 ? (
            <p className="muted">Nothing has been paid or credited on this invoice yet.</p>
          ) : (
            <div className="table-wrap">
              <table className="stack-table">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">From</th>
                    <th scope="col" className="num">
                      Amount
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {invoice.allocations.map((a) => (
                    <tr key={a.id}>
                      <td>{fmt.dateTime(a.postedAt)}</td>
                      <td data-label="From">
                        {a.source === "CREDIT_NOTE" ? `Credit note${a.sourceMemo ? `: ${a.sourceMemo}` : ""}` : `${METHOD_LABEL[a.method ?? "OTHER"] ?? "Payment"}${a.reference ? ` (${a.reference})` : ""}`}
                        {a.kind === "DEALLOCATION" ? " — taken back" : ""}
                      </td>
                      <td data-label="Amount" className="num">
                        {a.kind === "DEALLOCATION" ? "−" : ""}
                        {m(a.amountMinor)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ) : null}

      {invoice.status === "ISSUED" ? (
        <>
          <section className="card stack" aria-labelledby="credit-heading">
            <h2 id="credit-heading">Credit note</h2>
            <p className="muted" style={{ marginTop: 0 }}>
              Takes all or part of this invoice off what the family owes, with the reason kept. Anything beyond what it still owes becomes credit for their next invoice.
            </p>
            <Form method="post" noValidate className="stack" key={actionData?.ok && actionData.intent === "credit" ? requestKey : "credit"}>
              <input type="hidden" name="requestKey" value={requestKey} />
              <div className="bill-inline">
                <Field name="amount" label={`Amount (${invoice.currency})`} inputMode="decimal" defaultValue={creditTyped?.amount ?? ""} error={creditErrors.amount} style={{ maxWidth: "9rem" }} />
                <div style={{ flex: "1 1 18rem" }}>
                  <Field name="reason" label="Reason" defaultValue={creditTyped?.reason ?? ""} error={creditErrors.reason} maxLength={300} />
                </div>
              </div>
              <div>
                <button className="button secondary" name="intent" value="credit" disabled={busy}>
                  Issue credit note
                </button>
              </div>
            </Form>
          </section>
          {invoice.settledMinor === 0 ? (
            <section className="card stack" aria-labelledby="void-heading">
              <h2 id="void-heading">Void this invoice</h2>
              <p className="muted" style={{ marginTop: 0 }}>
                For an invoice that should never have been sent. Nothing is paid or credited on it, so it can be voided: it keeps its number, the family no longer owes it, and
                generating the term again bills its lessons on a new draft.
              </p>
              <Form method="post" noValidate className="stack">
                <Field name="reason" label="Reason" defaultValue={typed("void")?.reason ?? ""} error={voidErrors.reason} maxLength={300} />
                <div>
                  <button className="button danger" name="intent" value="void" disabled={busy}>
                    Void invoice
                  </button>
                </div>
              </Form>
            </section>
          ) : (
            <p className="muted">Payments or credits are applied to this invoice, so it cannot be voided; use a credit note for what should not be owed.</p>
          )}
        </>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
