// POST /family/billing/invoices/:invoiceId/pay — "Pay online" on an invoice: a Stripe
// Checkout for what is still open on it, and the payer is sent there. Two clicks share one
// checkout (app/models/payments.server.ts, startCheckout). Only a guardian of the invoice's
// family may pay it; a paid, void or unknown invoice is refused in words.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { familyOfUser, isPaymentError } from "~/models/payments.server";
import { requireSchool, requireUser } from "~/utils/auth.server";

const refusal = (message: string, status: number) => new Response(message, { status, headers: { "content-type": "text/plain; charset=utf-8" } });

export async function loader({ params }: LoaderFunctionArgs) {
  // A bookmarked or reloaded address: back to the family's invoices.
  return redirect(`/family/billing${params.invoiceId ? `#invoice-${encodeURIComponent(params.invoiceId)}` : ""}`);
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { role: "PARENT" });
  const { db } = requireSchool(context);
  const familyGroupId = await db.run((tx) => familyOfUser(tx, user.id));
  if (!familyGroupId) return refusal("Only a guardian of the family can pay its invoices.", 403);
  const invoiceId = params.invoiceId ?? "";
  if (!/^[\w-]{1,64}$/.test(invoiceId)) return refusal("There is no such invoice for your family.", 404);
  const origin = context.links.origin;
  try {
    const { url } = await context.payments!.startCheckout({
      invoiceId,
      familyGroupId,
      payerId: user.id,
      payerEmail: user.email,
      successUrl: `${origin}/family/billing?paid=1`,
      cancelUrl: `${origin}/family/billing?cancelled=1`,
    });
    return redirect(url);
  } catch (error) {
    if (isPaymentError(error)) return refusal(error.message, error.status);
    throw error;
  }
}
