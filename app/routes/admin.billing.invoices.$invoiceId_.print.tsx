// /admin/billing/invoices/:invoiceId/print — the invoice as the family receives it, ready
// to print or save as PDF from the browser (print CSS in billing.css hides the site's
// header and footer and this page's buttons).
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { InvoiceDocument } from "~/components/invoice-document";
import { invoiceDocument } from "~/models/billing.server";
import billingCss from "~/styles/billing.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data ? `Invoice ${data.doc.invoice.number ?? "(draft)"}` : "Invoice");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: billingCss }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db } = requireSchool(context);
  const doc = await db.run((tx) => invoiceDocument(tx, params.invoiceId ?? ""));
  if (!doc) throw new Response("No such invoice", { status: 404 });
  return { doc };
}

export default function PrintInvoice() {
  const { doc } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <div className="row no-print invoice-actions">
        <Link to={`/admin/billing/invoices/${doc.invoice.id}`}>← Back to the invoice</Link>
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
