// Online payments' arithmetic (ARCHITECTURE.md, "Payments: Stripe Connect"): the platform's
// fee, the school's share that is transferred to its connected account, how much of that
// transfer a refund takes back, and amounts in Stripe's own minor units. No framework
// imports; unit-tested in payments.test.ts.
import { type Money, MoneyError, currencyExponent, money, percentOf, ratio, subtract } from "./money";

/** The webhook events Encore accepts; any other type is answered 200 and not stored. */
export const STRIPE_EVENT_TYPES = [
  "account.updated",
  "checkout.session.completed",
  "checkout.session.async_payment_succeeded",
  "checkout.session.async_payment_failed",
  "checkout.session.expired",
  "charge.refunded",
  "charge.dispute.created",
  "charge.dispute.closed",
  // Teacher pay (issue 12): transfers to teachers and sweeps to the school.
  "transfer.created",
  "transfer.updated",
  "transfer.reversed",
] as const;
export type StripeEventType = (typeof STRIPE_EVENT_TYPES)[number];

export function isAcceptedEventType(type: string): type is StripeEventType {
  return (STRIPE_EVENT_TYPES as readonly string[]).includes(type);
}

/** The platform's fee on a payment: `basisPoints` of it, rounded half up, never more than the payment. */
export function platformFee(amount: Money, basisPoints: number): Money {
  if (!Number.isInteger(basisPoints) || basisPoints < 0 || basisPoints > 10_000) throw new MoneyError("A platform fee is between 0 and 100 %.");
  return percentOf(amount, basisPoints);
}

/**
 * What the platform keeps of an online payment after `refunded` of it went back: what is
 * left of the charge less what is left of the school's transfer (its share of the refunds
 * reversed, as `transferReversal` takes it back). Without refunds, the fee itself.
 */
export function platformFeeKept(input: { charged: Money; fee: Money; refunded: Money }): Money {
  const { charged, fee, refunded } = input;
  if (refunded.amountMinor > charged.amountMinor) throw new MoneyError("A refund cannot be more than what is left of the payment.");
  const transferred = schoolShare(charged, fee);
  const transferKept = subtract(transferred, refunded.amountMinor === 0 ? money(0, charged.currency) : ratio(transferred, refunded.amountMinor, charged.amountMinor));
  return subtract(subtract(charged, refunded), transferKept);
}

/** What is transferred to the school: the payment less the platform's fee. */
export function schoolShare(amount: Money, fee: Money): Money {
  return subtract(amount, fee);
}

/**
 * How much of the school's transfer a refund reverses: the school's share of everything
 * refunded so far (proportional, rounded half up) less what was already reversed, never
 * beyond the transfer. Computed on the running total, so a payment refunded in parts is
 * reversed exactly as if refunded at once, and the platform's fee is refunded in proportion.
 */
export function transferReversal(input: { charged: Money; transferred: Money; refundedBefore: Money; refund: Money; reversedBefore: Money }): Money {
  const { charged, transferred, refundedBefore, refund, reversedBefore } = input;
  if (charged.amountMinor <= 0) throw new MoneyError("A charge is more than zero.");
  const refundedAfter = refundedBefore.amountMinor + refund.amountMinor;
  if (refundedAfter > charged.amountMinor) throw new MoneyError("A refund cannot be more than what is left of the payment.");
  const dueAfter = ratio(transferred, refundedAfter, charged.amountMinor);
  const take = subtract(dueAfter, reversedBefore);
  const left = subtract(transferred, reversedBefore);
  if (take.amountMinor <= 0) return money(0, transferred.currency);
  return take.amountMinor > left.amountMinor ? left : take;
}

// Stripe's own minor units (docs.stripe.com/currencies): a few currencies differ from ISO 4217/CLDR.
const STRIPE_ZERO_DECIMAL = new Set(["BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"]);
const STRIPE_THREE_DECIMAL = new Set(["BHD", "JOD", "KWD", "OMR", "TND"]);

export function stripeExponent(currency: string): number {
  const c = currency.toUpperCase();
  if (STRIPE_ZERO_DECIMAL.has(c)) return 0;
  if (STRIPE_THREE_DECIMAL.has(c)) return 3;
  return 2;
}

/** An amount as Stripe wants it (`amount`, `unit_amount`): an integer in Stripe's minor unit. */
export function toStripeAmount(amount: Money): number {
  const shift = stripeExponent(amount.currency) - currencyExponent(amount.currency);
  if (shift >= 0) return amount.amountMinor * 10 ** shift;
  const factor = 10 ** -shift;
  if (amount.amountMinor % factor !== 0) throw new MoneyError(`${amount.currency} amounts go to Stripe in whole units of ${factor}.`);
  return amount.amountMinor / factor;
}

/** An amount from Stripe, back in our minor unit. */
export function fromStripeAmount(amount: number, currency: string): Money {
  const c = currency.toUpperCase();
  const shift = stripeExponent(c) - currencyExponent(c);
  if (shift <= 0) return money(amount * 10 ** -shift, c);
  const factor = 10 ** shift;
  if (amount % factor !== 0) throw new MoneyError(`Stripe's ${c} amount ${amount} is not a whole ${c} minor unit.`);
  return money(amount / factor, c);
}
