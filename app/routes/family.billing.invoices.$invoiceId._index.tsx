// /family/billing/invoices/:invoiceId — an issued invoice of the parent's family, as the
// school prints it, with "Pay" while something is owed. Another family's invoice, or a
// draft, is answered exactly like a missing one (404).
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { InvoiceDocument } from "~/components/invoice-document";
import { invoiceDocument } from "~/models/billing.server";
import { familyOfParent } from "~/models/family-billing.server";
import billingCss from "~/styles/billing.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";
import { pageTitle } from "~/utils/meta";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: billingCss }];
export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data ? `Invoice ${data.doc.invoice.number}` : "Invoice");

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { role: "PARENT" });
  const { db } = requireSchool(context);
  const doc = await db.run(async (tx) => {
    const family = await familyOfParent(tx, user.id);
    const doc = family ? await invoiceDocument(tx, params.invoiceId ?? "") : null;
    return doc && doc.family.id === family?.id && doc.invoice.status !== "DRAFT" ? doc : null;
  });
  if (!doc) throw new Response("There is no such invoice on your family's account.", { status: 404 });
  return { doc };
}

export default function FamilyInvoice() {
  const { doc } = useLoaderData<typeof loader>();
  const fmt = useFormat();
  const owed = doc.invoice.status === "ISSUED" ? doc.invoice.dueMinor : 0;
  return (
    <div className="stack">
      <div className="row no-print invoice-actions">
        <Link to="/family/billing">← Billing</Link>
        {owed > 0 ? (
          <Form method="post" action={`/family/billing/invoices/${doc.invoice.id}/pay`}>
            <button type="submit" className="button">
              Pay {fmt.moneyMinor(owed, doc.invoice.currency)}
            </button>
          </Form>
        ) : null}
        <button type="button" className="button secondary" onClick={() => window.print()}>
          Print
        </button>
      </div>
      <InvoiceDocument doc={doc} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
