// How families pay online besides a card (ARCHITECTURE.md, "Payments: Stripe Connect"): the
// bank debit Stripe offers for the school's currency in Checkout, and what autopay charges on
// a due date. Bank debits settle days later (the session completes "unpaid", then
// `checkout.session.async_payment_succeeded` or `…_failed` arrives). No framework imports;
// unit-tested in bank-debits.test.ts.

/**
 * Stripe's bank debit for each currency a school can bill in (docs.stripe.com/payments/bank-debits):
 * ACH in the US, SEPA in the euro area, Bacs in the UK, BECS in Australia, pre-authorized debits
 * in Canada. Each works only in its own currency (and the connected account's country), so the
 * school's currency chooses it; other currencies get card only.
 */
const BANK_DEBIT_BY_CURRENCY = {
  USD: "us_bank_account",
  EUR: "sepa_debit",
  GBP: "bacs_debit",
  AUD: "au_becs_debit",
  CAD: "acss_debit",
} as const;

export type BankDebitType = (typeof BANK_DEBIT_BY_CURRENCY)[keyof typeof BANK_DEBIT_BY_CURRENCY];

/** The bank debit Stripe offers in `currency`, or null (card only). */
export function bankDebitFor(currency: string): BankDebitType | null {
  return (BANK_DEBIT_BY_CURRENCY as Record<string, BankDebitType>)[currency.toUpperCase()] ?? null;
}

/** The labels families see for a bank debit. */
export const BANK_DEBIT_LABELS: Record<BankDebitType, string> = {
  us_bank_account: "US bank account (ACH)",
  sepa_debit: "SEPA Direct Debit",
  bacs_debit: "Bacs Direct Debit",
  au_becs_debit: "BECS Direct Debit",
  acss_debit: "Canadian pre-authorized debit",
};

/**
 * A Checkout Session's `allowed_payment_method_types` and `payment_method_options` for a payment in
 * `currency`: card, plus the currency's bank debit. Canadian pre-authorized debits need a
 * mandate: one-off ("sporadic") debits of a person ("personal").
 */
export function checkoutPaymentMethods(currency: string): { types: string[]; options: Record<string, unknown> } {
  const debit = bankDebitFor(currency);
  if (!debit) return { types: ["card"], options: {} };
  const options: Record<string, unknown> = debit === "acss_debit" ? { acss_debit: { mandate_options: { payment_schedule: "sporadic", transaction_type: "personal" } } } : {};
  return { types: ["card", debit], options };
}

/**
 * What a Checkout Session and its payment intent, re-read from Stripe, say about a payment:
 * paid; processing (a bank debit submitted, not settled yet); failed (the debit was refused, or
 * the session expired unpaid); or still open.
 */
export type CheckoutOutcome = "paid" | "processing" | "failed" | "open";

export function checkoutOutcome(session: { status: string | null; payment_status: string }, intentStatus: string | null): CheckoutOutcome {
  if (session.payment_status === "paid" || session.payment_status === "no_payment_required") return "paid";
  if (session.status === "expired") return "failed";
  if (session.status !== "complete") return "open";
  // Completed but unpaid: a bank debit under way, or one that failed (the intent wants a new method).
  if (intentStatus === "succeeded") return "paid";
  if (intentStatus === "requires_payment_method" || intentStatus === "canceled") return "failed";
  return "processing";
}

// ---- autopay -------------------------------------------------------------------------------

/**
 * The one autopay attempt of an invoice on a local date: its Payment id, which is also the
 * PaymentIntent's idempotency key's root. A second run that day finds it and charges nothing;
 * a failed attempt is not retried under a new key the same day.
 */
export function autopayPaymentId(invoiceId: string, localDate: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(localDate)) throw new Error(`Not a local date: ${localDate}`);
  return `${invoiceId}-autopay-${localDate}`;
}

/** Stripe's error codes for an off-session charge the card holder must act on (a decline, or a bank asking for authentication). */
export function autopayFailureMessage(error: { code?: string | null; decline_code?: string | null; message?: string | null }): string {
  if (error.code === "authentication_required") return "Your bank asked to confirm this payment, which cannot be done automatically. Please pay it online.";
  if (error.code === "expired_card") return "Your saved card has expired. Please pay online and save a new card.";
  if (error.code === "card_declined" || error.decline_code) return "Your card was declined. Please pay online with another card.";
  return `The payment did not go through${error.message ? ` (${error.message})` : ""}. Please pay online.`;
}

/** A card's expiry, as families read it: "12/2030". Expired when its month is before `today`'s. */
export function cardExpiry(expMonth: number, expYear: number, today: string): { label: string; expired: boolean } {
  const [y, m] = today.split("-").map(Number) as [number, number];
  return { label: `${String(expMonth).padStart(2, "0")}/${expYear}`, expired: expYear < y || (expYear === y && expMonth < m) };
}
