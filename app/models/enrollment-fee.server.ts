// Paying the registration fee at the end of the online enrollment form, before the family has
// signed in (ARCHITECTURE.md, "Online enrollment: the registration fee by card"). The visitor
// holds a signed, expiring link (server/services/fee-links.server.ts) bound to the form's key;
// the fee invoice is always found here, from what that form stored, never from the request.
import type Stripe from "stripe";
import { invoiceStates } from "../domain/ledger";
import { money } from "../domain/money";
import type { SchoolDb, Tx } from "../../server/db/school-db.server";
import { familyEntries } from "./billing.server";
import { FORM_KIND } from "./online-enrollment.server";
import { PaymentError, startCheckout } from "./payments.server";

/** The fee invoice the enrollment form with this key issued, or null (none, or an address that had an account). */
export async function feeInvoiceOfForm(tx: Tx, key: string): Promise<string | null> {
  const row = await tx.formSubmission.findFirst({ where: { key, kind: FORM_KIND }, select: { result: true } });
  const fee = (row?.result as { registrationFee?: { invoiceId?: unknown } | null } | null)?.registrationFee;
  return typeof fee?.invoiceId === "string" ? fee.invoiceId : null;
}

export interface EnrollmentFeeView {
  /** paid: nothing is open; processing: Stripe took the card, our webhook has not landed yet; due: not paid. */
  state: "paid" | "processing" | "due";
  invoiceNumber: string | null;
  amountMinor: number;
  currency: string;
  schoolName: string;
  /** Whether "Pay now" can be offered (the school takes card payments). */
  payable: boolean;
}

/**
 * The fee invoice's state for the thank-you page. Stripe is asked only while a checkout is open,
 * and only after the transaction that read the invoice has ended (no network call with a
 * transaction open).
 */
export async function enrollmentFeeStatus(db: Pick<SchoolDb, "run">, stripe: Stripe | null, invoiceId: string): Promise<EnrollmentFeeView> {
  const found = await db.run(async (tx) => {
    const invoice = await tx.invoice.findUnique({ where: { id: invoiceId }, select: { id: true, number: true, status: true, familyGroupId: true, totalMinor: true, currency: true } });
    if (!invoice || invoice.status === "VOID") throw new PaymentError("There is no registration fee to pay with this link. The email we sent you says what happens next.", 404);
    const school = await tx.school.findFirstOrThrow({ select: { name: true, stripeAccountId: true, stripeChargesEnabled: true } });
    const state = invoiceStates(await familyEntries(tx, invoice.familyGroupId)).get(invoice.id);
    const outstanding = state?.outstanding ?? money(invoice.totalMinor ?? 0, invoice.currency);
    const base = { invoiceNumber: invoice.number, amountMinor: invoice.totalMinor ?? 0, currency: invoice.currency, schoolName: school.name, payable: Boolean(stripe && school.stripeAccountId && school.stripeChargesEnabled) };
    if (outstanding.amountMinor <= 0) return { base, paid: true, checkoutSessionId: null };
    const pending = await tx.payment.findFirst({ where: { invoiceId, method: "STRIPE", status: "PENDING", stripeCheckoutSessionId: { not: null } }, select: { stripeCheckoutSessionId: true } });
    return { base, paid: false, checkoutSessionId: pending?.stripeCheckoutSessionId ?? null };
  });
  const { base } = found;
  if (found.paid) return { ...base, state: "paid", payable: false };
  if (found.checkoutSessionId && stripe) {
    const session = await stripe.checkout.sessions.retrieve(found.checkoutSessionId);
    if (session.payment_status === "paid") return { ...base, state: "processing", payable: false };
  }
  return { ...base, state: "due" };
}

/**
 * A Checkout for the fee invoice (startCheckout: the invoice row's lock makes two clicks share
 * one checkout, and a paid invoice is refused), paid for the family by its account holder.
 */
export async function startEnrollmentFeeCheckout(tx: Tx, stripe: Stripe, input: { invoiceId: string; successUrl: string; cancelUrl: string; now: Date }) {
  const invoice = await tx.invoice.findUnique({ where: { id: input.invoiceId }, select: { familyGroup: { select: { id: true, adminId: true, billingEmail: true, admin: { select: { email: true } } } } } });
  if (!invoice) throw new PaymentError("There is no registration fee to pay with this link. The email we sent you says what happens next.", 404);
  const family = invoice.familyGroup;
  return startCheckout(tx, stripe, {
    invoiceId: input.invoiceId,
    familyGroupId: family.id,
    payerId: family.adminId,
    payerEmail: family.billingEmail ?? family.admin.email,
    successUrl: input.successUrl,
    cancelUrl: input.cancelUrl,
    now: input.now,
  });
}
