// /admin/billing/receipts/:paymentId — the receipt of any payment of this school, as the
// family sees it (app/components/receipt-document.tsx), to print or send on.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ReceiptDocument } from "~/components/receipt-document";
import { paymentReceipt } from "~/models/family-billing.server";
import receiptsCss from "~/styles/receipts.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { pageTitle } from "~/utils/meta";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: receiptsCss }];
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Receipt");

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db } = requireSchool(context);
  const receipt = await db.run((tx) => paymentReceipt(tx, params.paymentId ?? ""));
  if (!receipt) throw new Response("There is no such payment.", { status: 404 });
  return { receipt };
}

export default function AdminReceipt() {
  const { receipt } = useLoaderData<typeof loader>();
  return (
    <div>
      <div className="receipt-actions no-print">
        <Link to={`/admin/billing/families/${receipt.family.id}`}>← {receipt.family.name}</Link>
        <button type="button" className="button secondary" onClick={() => window.print()}>
          Print
        </button>
      </div>
      <ReceiptDocument receipt={receipt} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
