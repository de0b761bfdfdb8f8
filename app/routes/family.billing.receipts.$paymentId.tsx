// /family/billing/receipts/:paymentId — a payment's printable receipt, for the guardians
// of the family that paid. Another family's payment is answered exactly like a missing one (404).
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ReceiptDocument } from "~/components/receipt-document";
import { familyOfParent, paymentReceipt } from "~/models/family-billing.server";
import receiptsCss from "~/styles/receipts.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { pageTitle } from "~/utils/meta";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: receiptsCss }];
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Receipt");

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { role: "PARENT" });
  const { db } = requireSchool(context);
  const receipt = await db.run(async (tx) => {
    const family = await familyOfParent(tx, user.id);
    return family ? paymentReceipt(tx, params.paymentId ?? "", { familyGroupId: family.id }) : null;
  });
  if (!receipt) throw new Response("There is no such receipt on your family's account.", { status: 404 });
  return { receipt };
}

export default function FamilyReceipt() {
  const { receipt } = useLoaderData<typeof loader>();
  return (
    <div>
      <div className="receipt-actions no-print">
        <Link to="/family/billing">← Billing</Link>
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
