// /family/billing/invoices/:invoiceId — an issued invoice of the parent's family, as the
// school prints it, with "Pay" while something is owed. Where the school allows it, the
// family may split an unpaid invoice into instalments (app/models/instalments.server.ts);
// then "Pay" charges what is due now and the schedule shows what is paid and what is next.
// Another family's invoice, or a draft, is answered exactly like a missing one (404).
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError, SelectField } from "~/components/form";
import { InstalmentTable } from "~/components/instalment-table";
import { InvoiceDocument } from "~/components/invoice-document";
import { toLocalDate } from "~/domain/time";
import { BillingModelError, invoiceDocument } from "~/models/billing.server";
import { familyOfParent } from "~/models/family-billing.server";
import { chooseInstalments, instalmentOffer, instalmentPlan } from "~/models/instalments.server";
import billingCss from "~/styles/billing.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: billingCss }];
export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data ? `Invoice ${data.doc.invoice.number}` : "Invoice");

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { role: "PARENT" });
  const { db, school } = requireSchool(context);
  const today = toLocalDate(context.clock.now(), school.timezone);
  const found = await db.run(async (tx) => {
    const family = await familyOfParent(tx, user.id);
    const doc = family ? await invoiceDocument(tx, params.invoiceId ?? "") : null;
    if (!doc || doc.family.id !== family?.id || doc.invoice.status === "DRAFT") return null;
    return { doc, plan: await instalmentPlan(tx, doc.invoice.id, today), offer: await instalmentOffer(tx) };
  });
  if (!found) throw new Response("There is no such invoice on your family's account.", { status: 404 });
  const { doc, plan, offer } = found;
  const unpaid = doc.invoice.status === "ISSUED" && doc.invoice.dueMinor > 0 && doc.invoice.paidMinor === 0 && doc.invoice.creditedMinor === 0;
  return { doc, plan, instalmentsAllowed: !plan && unpaid && offer.max >= 2 ? offer.max : 0 };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { role: "PARENT" });
  const { db, school } = requireSchool(context);
  const parsed = parseForm(await request.formData(), z.object({ count: z.coerce.number({ invalid_type_error: "Choose how many instalments." }).int("Choose how many instalments.") }));
  if (!parsed.ok) return data({ ok: false as const, message: parsed.errors.count ?? "Choose how many instalments." }, { status: 400 });
  try {
    const schedule = await db.run(async (tx) => {
      const family = await familyOfParent(tx, user.id);
      if (!family) throw new BillingModelError("Only a guardian of the family can choose how to pay its invoices.");
      return chooseInstalments(tx, { invoiceId: params.invoiceId ?? "", familyGroupId: family.id, count: parsed.data.count, chosenById: user.id, today: toLocalDate(context.clock.now(), school.timezone) });
    });
    return { ok: true as const, message: `You pay this invoice in ${schedule.length} instalments. The first is due today.` };
  } catch (error) {
    if (error instanceof BillingModelError) return data({ ok: false as const, message: error.message }, { status: 409 });
    throw error;
  }
}

export default function FamilyInvoice() {
  const { doc, plan, instalmentsAllowed } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const fmt = useFormat();
  const currency = doc.invoice.currency;
  const owed = doc.invoice.status === "ISSUED" ? doc.invoice.dueMinor : 0;
  const payNow = plan ? plan.payable.amountMinor : owed;
  return (
    <div className="stack">
      <div className="row no-print invoice-actions">
        <Link to="/family/billing">← Billing</Link>
        {payNow > 0 ? (
          <Form method="post" action={`/family/billing/invoices/${doc.invoice.id}/pay`}>
            <button type="submit" className="button">
              Pay {fmt.moneyMinor(payNow, currency)}
              {plan && payNow < owed ? " now" : ""}
            </button>
          </Form>
        ) : null}
        <button type="button" className="button secondary" onClick={() => window.print()}>
          Print
        </button>
      </div>
      {actionData?.ok ? (
        <p className="notice no-print" role="status">
          {actionData.message}
        </p>
      ) : null}

      {plan ? (
        <section className="card stack no-print" aria-labelledby="instalments-heading">
          <h2 id="instalments-heading">Instalments</h2>
          <InstalmentTable instalments={plan.instalments} currency={currency} />
        </section>
      ) : instalmentsAllowed >= 2 ? (
        <section className="card stack no-print" aria-labelledby="split-heading">
          <h2 id="split-heading">Pay in instalments</h2>
          <p className="muted" style={{ margin: 0 }}>
            Split this invoice into equal monthly payments: the first today, the next on the same day of each following month.
          </p>
          <Form method="post" noValidate className="row" style={{ alignItems: "end" }}>
            <FormError message={actionData && !actionData.ok ? actionData.message : null} />
            <SelectField
              name="count"
              label="Number of instalments"
              defaultValue="2"
              options={Array.from({ length: instalmentsAllowed - 1 }, (_, i) => {
                const n = i + 2;
                return { value: String(n), label: `${n} payments of about ${fmt.moneyMinor(Math.ceil(owed / n), currency)}` };
              })}
            />
            <button type="submit" className="button secondary" disabled={busy}>
              {busy ? "Saving…" : "Pay in instalments"}
            </button>
          </Form>
        </section>
      ) : null}
      <InvoiceDocument doc={doc} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
