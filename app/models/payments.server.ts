// Online payments through Stripe Connect (ARCHITECTURE.md, "Payments: Stripe Connect"):
// checkout for an invoice, its completion from webhooks, refunds and disputes. Every
// function runs in the school's RLS-bound transaction; every Stripe call carries an
// idempotency key made from our own row ids; every ledger entry an idempotency key made
// from Stripe's ids, so an event processed twice or out of order changes nothing.
import type Stripe from "stripe";
import { deallocationsForRefund, sourceStates, invoiceStates } from "../domain/ledger";
import { type Money, MoneyError, money } from "../domain/money";
import { checkoutOutcome, checkoutPaymentMethods } from "../domain/bank-debits";
import { fromStripeAmount, platformFee, platformFeeKept, toStripeAmount, transferReversal } from "../domain/payments";
import { toLocalDate } from "../domain/time";
import { formatterFor } from "../utils/format";
import type { Tx } from "../../server/db/school-db.server";
import type { Mailer } from "../../server/services/email.server";
import { BillingModelError, allocateFreeCredit, familyEntries, toDecimal, writeEntries } from "./billing.server";
import { instalmentPlan } from "./instalments.server";
import { heldFunding, paySettings, writeHeldEntry } from "./teacher-pay.server";

export class PaymentError extends Error {
  constructor(
    message: string,
    readonly status = 409,
  ) {
    super(message);
    this.name = "PaymentError";
  }
}

/** A Stripe SDK error (refused request, or Stripe not reached) as a refusal in words. */
export function fromStripeError(error: unknown): PaymentError | null {
  const e = error as { type?: unknown; message?: unknown; statusCode?: unknown };
  if (typeof e?.type !== "string" || !e.type.startsWith("Stripe")) return null;
  if (e.type === "StripeConnectionError" || e.type === "StripeAPIError" || (typeof e.statusCode === "number" && e.statusCode >= 500)) {
    return new PaymentError("Stripe did not answer. Nothing was charged or refunded; please try again in a moment.", 503);
  }
  return new PaymentError(`Stripe refused this: ${String(e.message ?? "no reason given")}`, 409);
}

/**
 * A refusal in words for the person (4xx). By name, not `instanceof`: the load context's
 * capabilities (server bundle) and the routes (Remix bundle) hold two copies of the class.
 */
export function isPaymentError(error: unknown): error is PaymentError {
  return error instanceof Error && error.name === "PaymentError" && typeof (error as PaymentError).status === "number";
}

async function schoolOf(tx: Tx) {
  return tx.school.findFirstOrThrow({
    select: { id: true, name: true, currency: true, locale: true, timezone: true, stripeAccountId: true, stripeChargesEnabled: true, platformFeeBasisPoints: true },
  });
}

async function lockPayment(tx: Tx, paymentId: string) {
  await tx.$queryRaw`SELECT id FROM "Payment" WHERE id = ${paymentId} FOR UPDATE`;
  return tx.payment.findUnique({ where: { id: paymentId } });
}

// ---- paying an invoice ------------------------------------------------------------------------

export interface CheckoutInput {
  invoiceId: string;
  /** The family the signed-in guardian belongs to: the invoice must be theirs. */
  familyGroupId: string;
  payerId: string;
  payerEmail: string;
  /** Where Stripe sends the payer back. */
  successUrl: string;
  cancelUrl: string;
  now: Date;
}

/**
 * A Checkout Session for what is still open on an issued invoice. The invoice row is locked
 * first, so two "pay" clicks run one after the other: the second finds the first's open
 * checkout (a PENDING payment with its session) and sends the payer there instead of making
 * another. The payment's id, and with it every idempotency key, comes from the invoice and
 * the attempt's number, so even a retry after a failure mid-way reaches the same session.
 */
export async function startCheckout(tx: Tx, stripe: Stripe, input: CheckoutInput): Promise<{ url: string; paymentId: string; reused: boolean }> {
  const sch = await schoolOf(tx);
  if (!sch.stripeAccountId || !sch.stripeChargesEnabled) throw new PaymentError("This school does not take online payments yet. Please pay the school another way.", 409);
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Invoice" WHERE id = ${input.invoiceId} FOR UPDATE`;
  const invoice = locked.length ? await tx.invoice.findUnique({ where: { id: input.invoiceId } }) : null;
  if (!invoice || invoice.familyGroupId !== input.familyGroupId) throw new PaymentError("There is no such invoice for your family.", 404);
  if (invoice.status === "VOID") throw new PaymentError("This invoice was cancelled: there is nothing to pay.", 409);
  if (invoice.status !== "ISSUED") throw new PaymentError("This invoice has not been issued yet.", 409);
  const state = invoiceStates(await familyEntries(tx, invoice.familyGroupId)).get(invoice.id);
  const outstanding = state?.outstanding ?? money(0, invoice.currency);
  if (outstanding.amountMinor <= 0) throw new PaymentError("This invoice is already paid.", 409);
  // Paid in instalments: what is due now (or the next one, paid ahead), else all that is open.
  const plan = await instalmentPlan(tx, invoice.id, toLocalDate(input.now, sch.timezone));
  const open = plan ? plan.payable : outstanding;
  const part = plan?.instalments.find((i) => i.remaining.amountMinor > 0);
  const what = part && plan ? `Invoice ${invoice.number}, instalment ${part.sequence} of ${plan.instalments.length}` : `Invoice ${invoice.number}`;

  // A bank debit (or an autopay charge) under way: paying again now could take the money twice.
  const processing = await tx.payment.findFirst({ where: { invoiceId: invoice.id, method: "STRIPE", status: "PROCESSING" }, select: { id: true } });
  if (processing) throw new PaymentError("A payment for this invoice is being processed (a bank debit takes a few working days). You will get an email when it is done.", 409);
  const pending = await tx.payment.findFirst({ where: { invoiceId: invoice.id, method: "STRIPE", status: "PENDING" } });
  if (pending?.stripeCheckoutSessionId) {
    const session = await stripe.checkout.sessions.retrieve(pending.stripeCheckoutSessionId);
    if (session.status === "open" && session.url && pending.amountMinor === open.amountMinor) return { url: session.url, paymentId: pending.id, reused: true };
    if (session.status === "complete") throw new PaymentError("Your payment for this invoice is being processed. It will show here in a moment.", 409);
    // Expired, or for another amount (a payment came in meanwhile): close it and start afresh.
    if (session.status === "open") {
      const expired = await stripe.checkout.sessions.expire(session.id, {}, { idempotencyKey: `expire:${pending.id}` }).catch(() => null);
      // Paid a moment ago (it can no longer be expired): the webhook completes it.
      if (!expired) throw new PaymentError("Your payment for this invoice is being processed. It will show here in a moment.", 409);
    }
    await tx.payment.update({ where: { id: pending.id }, data: { status: "FAILED", checkoutUrl: null } });
  } else if (pending) {
    await tx.payment.update({ where: { id: pending.id }, data: { status: "FAILED" } });
  }

  const attempt = (await tx.payment.count({ where: { invoiceId: invoice.id, method: "STRIPE" } })) + 1;
  const paymentId = `${invoice.id}-checkout-${attempt}`;
  const fee = platformFee(open, sch.platformFeeBasisPoints);
  await tx.payment.create({
    data: {
      id: paymentId,
      familyGroupId: invoice.familyGroupId,
      invoiceId: invoice.id,
      payerId: input.payerId,
      amount: toDecimal(open.amountMinor, open.currency),
      amountMinor: open.amountMinor,
      currency: open.currency,
      status: "PENDING",
      method: "STRIPE",
      description: what,
      platformFeeMinor: fee.amountMinor,
    },
  });
  const metadata = { schoolId: sch.id, paymentId, invoiceId: invoice.id };
  // Card, and the bank debit Stripe offers in the school's currency (it settles days later).
  const methods = checkoutPaymentMethods(open.currency);
  const session = await stripe.checkout.sessions.create(
    {
      mode: "payment",
      allowed_payment_method_types: methods.types as Stripe.Checkout.SessionCreateParams.AllowedPaymentMethodType[],
      ...(Object.keys(methods.options).length ? { payment_method_options: methods.options as Stripe.Checkout.SessionCreateParams.PaymentMethodOptions } : {}),
      line_items: [{ quantity: 1, price_data: { currency: open.currency.toLowerCase(), unit_amount: toStripeAmount(open), product_data: { name: `${sch.name}: ${what.charAt(0).toLowerCase()}${what.slice(1)}` } } }],
      customer_email: input.payerEmail,
      client_reference_id: paymentId,
      metadata,
      payment_intent_data: {
        // The school is the business the family pays (its name and statement descriptor),
        // while the charge stays on the platform so its money can be split by transfers.
        on_behalf_of: sch.stripeAccountId,
        transfer_group: `payment:${paymentId}`,
        description: what,
        metadata,
      },
      success_url: input.successUrl,
      cancel_url: input.cancelUrl,
      // (Stripe's default expiry, 24 hours, on Stripe's clock: the school's clock may differ in tests)
    },
    { idempotencyKey: `checkout:${paymentId}` },
  );
  if (!session.url) throw new PaymentError("Stripe did not open a checkout. Please try again.", 502);
  await tx.payment.update({ where: { id: paymentId }, data: { stripeCheckoutSessionId: session.id, checkoutUrl: session.url, checkoutExpiresAt: new Date(session.expires_at * 1000) } });
  return { url: session.url, paymentId, reused: false };
}

// ---- completion (webhook processing) --------------------------------------------------------------

async function paymentEntry(tx: Tx, paymentId: string) {
  return tx.ledgerEntry.findFirst({ where: { paymentId, kind: "PAYMENT" }, select: { id: true } });
}

/**
 * Brings an online payment to what Stripe says (the session, re-read): when paid, the payment
 * is COMPLETED with its PAYMENT entry (key from the payment intent), allocated to its invoice
 * first and then oldest first (what is left is credit), the school's share is held by Encore
 * (CHARGE and PLATFORM_FEE entries of the school's ledger, ARCHITECTURE.md "Teacher pay": it funds
 * teacher pay and is swept to the school's account), and the payer gets a receipt, all once. An
 * expired session fails the payment.
 */
export async function settleCheckout(tx: Tx, stripe: Stripe, mailer: Mailer, input: { paymentId: string; now: Date; origin?: string }): Promise<"completed" | "already" | "failed" | "open" | "processing"> {
  const payment = await lockPayment(tx, input.paymentId);
  if (!payment || payment.method !== "STRIPE") throw new Error(`No online payment ${input.paymentId} in this school.`);
  if (payment.status !== "PENDING" && payment.status !== "FAILED" && payment.status !== "PROCESSING") return "already";
  if (!payment.stripeCheckoutSessionId) return "open";
  const session = await stripe.checkout.sessions.retrieve(payment.stripeCheckoutSessionId);
  const sessionIntentId = typeof session.payment_intent === "string" ? session.payment_intent : (session.payment_intent?.id ?? null);
  // A bank debit completes the session unpaid; its intent says whether it is still under way.
  const unpaidIntent = session.payment_status !== "paid" && session.status === "complete" && sessionIntentId ? await stripe.paymentIntents.retrieve(sessionIntentId) : null;
  const outcome = checkoutOutcome(session, unpaidIntent?.status ?? null);
  if (outcome === "open") return "open";
  if (outcome === "processing") {
    // Not paid yet: nothing reaches the family's balance until the debit succeeds.
    if (payment.status === "PENDING") await tx.payment.update({ where: { id: payment.id }, data: { status: "PROCESSING", checkoutUrl: null } });
    return "processing";
  }
  if (outcome === "failed") {
    if (payment.status === "FAILED") return "failed";
    const bankDebitFailed = session.status === "complete";
    await tx.payment.update({
      where: { id: payment.id },
      data: { status: "FAILED", checkoutUrl: null, ...(bankDebitFailed ? { failureMessage: "The bank debit did not go through: your bank refused it." } : {}) },
    });
    if (bankDebitFailed) await sendPaymentFailed(tx, mailer, { paymentId: payment.id, origin: input.origin, reason: "Your bank did not make the debit (for example, the account details were wrong or the money was not there)." });
    return "failed";
  }
  const intentId = sessionIntentId;
  if (!intentId) throw new Error(`Checkout ${session.id} is paid but has no payment intent.`);
  const intent = unpaidIntent ?? (await stripe.paymentIntents.retrieve(intentId));
  return completeOnlinePayment(tx, stripe, mailer, { payment, intent, now: input.now, origin: input.origin });
}

/**
 * A succeeded payment intent (a checkout's, or an autopay charge's) lands once: the payment is
 * COMPLETED with its PAYMENT entry (key from the intent), allocated to its invoice first, the
 * school's share held, and the payer gets a receipt.
 */
export async function completeOnlinePayment(
  tx: Tx,
  stripe: Stripe,
  mailer: Mailer,
  input: { payment: { id: string; familyGroupId: string | null; invoiceId: string | null; amountMinor: number | null; platformFeeMinor: number | null }; intent: Stripe.PaymentIntent; now: Date; origin?: string },
): Promise<"completed"> {
  const { payment, intent } = input;
  const chargeId = typeof intent.latest_charge === "string" ? intent.latest_charge : (intent.latest_charge?.id ?? null);
  const amount = fromStripeAmount(intent.amount_received, intent.currency);
  const sch = await schoolOf(tx);
  // A bank debit or a card (the receipt and the ledger say which).
  const methodType = chargeId ? ((await stripe.charges.retrieve(chargeId)).payment_method_details?.type ?? "card") : "card";
  const what = methodType === "card" ? "Card payment" : "Bank debit";
  // The fee was fixed when the checkout was made; the amount is what Stripe received.
  const fee = payment.platformFeeMinor !== null && amount.amountMinor === payment.amountMinor ? money(payment.platformFeeMinor, amount.currency) : platformFee(amount, sch.platformFeeBasisPoints);
  await tx.payment.update({
    where: { id: payment.id },
    data: {
      status: "COMPLETED",
      paidAt: input.now,
      amountMinor: amount.amountMinor,
      amount: toDecimal(amount.amountMinor, amount.currency),
      stripePaymentIntentId: intent.id,
      stripeChargeId: chargeId,
      platformFeeMinor: fee.amountMinor,
      checkoutUrl: null,
      failureMessage: null,
    },
  });
  const key = `stripe:${intent.id}`;
  const exists = await tx.ledgerEntry.findFirst({ where: { idempotencyKey: key }, select: { id: true } });
  if (!exists) {
    await tx.ledgerEntry.create({
      data: {
        familyGroupId: payment.familyGroupId!,
        kind: "PAYMENT",
        amountMinor: amount.amountMinor,
        currency: amount.currency,
        postedAt: input.now,
        paymentId: payment.id,
        memo: `${what} ${intent.id}`,
        idempotencyKey: key,
      },
    });
    await allocateFreeCredit(tx, payment.familyGroupId!, input.now, { firstInvoiceIds: payment.invoiceId ? [payment.invoiceId] : [] });
  }
  // The school's share stays with Encore, held for the school (teacher pay, then sweeps to its
  // account): the charge and the platform's fee are entries of the school's ledger.
  await writeHeldEntry(tx, { kind: "CHARGE", amountMinor: amount.amountMinor, currency: amount.currency, postedAt: input.now, paymentId: payment.id, stripeObjectId: chargeId ?? intent.id, memo: `${what} ${intent.id}`, idempotencyKey: `charge:${intent.id}` });
  await writeHeldEntry(tx, { kind: "PLATFORM_FEE", amountMinor: fee.amountMinor, currency: amount.currency, postedAt: input.now, paymentId: payment.id, stripeObjectId: intent.id, memo: `Platform fee on ${intent.id}`, idempotencyKey: `fee:${intent.id}` });
  await sendReceipt(tx, mailer, { paymentId: payment.id, origin: input.origin, method: methodType === "card" ? "card (online)" : "bank debit (online)" });
  return "completed";
}

/** Who hears about a payment: whoever paid, else the family's billing address, else its account holder. */
const RECIPIENT = {
  payer: { select: { email: true, firstName: true } },
  familyGroup: { select: { billingEmail: true, admin: { select: { email: true, firstName: true } } } },
} as const;

function recipientOf(p: { payer: { email: string; firstName: string } | null; familyGroup: { billingEmail: string | null; admin: { email: string; firstName: string } } | null }) {
  return { to: p.payer?.email ?? p.familyGroup?.billingEmail ?? p.familyGroup?.admin.email ?? null, name: p.payer?.firstName ?? p.familyGroup?.admin.firstName ?? "" };
}

async function sendReceipt(tx: Tx, mailer: Mailer, input: { paymentId: string; origin?: string; method: string }) {
  const p = await tx.payment.findUniqueOrThrow({
    where: { id: input.paymentId },
    select: {
      id: true,
      amountMinor: true,
      currency: true,
      paidAt: true,
      stripePaymentIntentId: true,
      invoice: { select: { number: true } },
      ...RECIPIENT,
    },
  });
  const { to, name } = recipientOf(p);
  if (!to) return;
  const sch = await schoolOf(tx);
  const fmt = formatterFor(sch);
  const amount = fmt.moneyMinor(p.amountMinor ?? 0, p.currency);
  const text = [
    `Hello${name ? ` ${name}` : ""},`,
    "",
    `Thank you: ${sch.name} received your payment of ${amount}${p.invoice?.number ? ` for invoice ${p.invoice.number}` : ""}.`,
    "",
    `Receipt number: ${p.id}`,
    `Paid: ${p.paidAt ? fmt.dateTime(p.paidAt, { year: "numeric" }) : ""}`,
    `Method: ${input.method}`,
    ...(p.stripePaymentIntentId ? [`Payment reference: ${p.stripePaymentIntentId}`] : []),
    "",
    ...(input.origin ? [`Your invoices and receipts: ${input.origin}/family/billing`, ""] : []),
    sch.name,
  ].join("\n");
  await mailer.send(tx, { to, subject: `Receipt: ${amount} paid to ${sch.name}`, text });
}

/**
 * An online payment that did not go through (a bank debit refused, an autopay charge declined):
 * the payer (or the family's billing address) is told, with a link to pay. The invoice stays owed.
 */
export async function sendPaymentFailed(tx: Tx, mailer: Mailer, input: { paymentId: string; origin?: string; reason: string }) {
  const p = await tx.payment.findUniqueOrThrow({
    where: { id: input.paymentId },
    select: {
      amountMinor: true,
      currency: true,
      invoiceId: true,
      invoice: { select: { number: true } },
      ...RECIPIENT,
    },
  });
  const { to, name } = recipientOf(p);
  if (!to) return;
  const sch = await schoolOf(tx);
  const amount = formatterFor(sch).moneyMinor(p.amountMinor ?? 0, p.currency);
  const link = input.origin ? `${input.origin}/family/billing${p.invoiceId ? `/invoices/${p.invoiceId}` : ""}` : null;
  const text = [
    `Hello${name ? ` ${name}` : ""},`,
    "",
    `Your payment of ${amount}${p.invoice?.number ? ` for invoice ${p.invoice.number}` : ""} to ${sch.name} did not go through. ${input.reason}`,
    "",
    `Nothing was taken, and the invoice is still open.${link ? ` You can pay it here: ${link}` : " Please sign in to pay it."}`,
    "",
    sch.name,
  ].join("\n");
  await mailer.send(tx, { to, subject: `Payment not made: ${amount}${p.invoice?.number ? ` for invoice ${p.invoice.number}` : ""}`, text });
}

// ---- refunds ---------------------------------------------------------------------------------------

export interface RefundInput {
  paymentId: string;
  amountMinor: number;
  reason: string;
  createdById: string | null;
  now: Date;
}

/**
 * A full or partial refund with its reason. Online payments are refunded through Stripe
 * (idempotency key from our refund's id) and the school's share of the transfer is taken
 * back in proportion; cash, transfer and check refunds are recorded only. In the ledger: a
 * REFUND entry and the DEALLOCATIONs the core says are needed first (newest allocations undone).
 */
export async function refundPayment(tx: Tx, stripe: Stripe | null, input: RefundInput) {
  const payment = await lockPayment(tx, input.paymentId);
  if (!payment) throw new PaymentError("There is no such payment.", 404);
  if (payment.status === "DISPUTED") throw new PaymentError("This payment is disputed with the card holder's bank: it cannot be refunded until the dispute is closed.", 409);
  if (payment.status !== "COMPLETED") throw new PaymentError(payment.status === "REFUNDED" ? "This payment was already refunded in full." : "Only a completed payment can be refunded.", 409);
  const amount = money(input.amountMinor, payment.currency);
  if (amount.amountMinor <= 0) throw new PaymentError("A refund must be more than zero.", 400);
  const refunded = await tx.refund.aggregate({ where: { paymentId: payment.id, status: { not: "FAILED" } }, _sum: { amountMinor: true } });
  const left = (payment.amountMinor ?? 0) - (refunded._sum.amountMinor ?? 0);
  if (amount.amountMinor > left) throw new PaymentError(`A refund cannot be more than what is left of the payment (${formatterFor(await schoolOf(tx)).moneyMinor(left, payment.currency)}).`, 400);
  const online = payment.method === "STRIPE";
  if (online && !stripe) throw new PaymentError("Online payments are switched off on this server, so this card payment cannot be refunded here.", 409);
  if (online && !payment.stripePaymentIntentId) throw new PaymentError("This online payment has no charge to refund.", 409);

  if (online && !payment.stripeTransferId) {
    // A held card payment's refund leaves what Encore holds for the school: never what approved
    // pay runs or a sweep under way were promised (the pay settings' lock orders it with them).
    await paySettings(tx, { lock: true });
    const f = await heldFunding(tx);
    const charged = money(payment.amountMinor ?? 0, payment.currency);
    const fee = money(payment.platformFeeMinor ?? 0, payment.currency);
    const refundedBefore = (payment.amountMinor ?? 0) - left;
    const kept = (refunded: number) => platformFeeKept({ charged, fee, refunded: money(Math.min(refunded, charged.amountMinor), payment.currency) }).amountMinor;
    const out = amount.amountMinor - (kept(refundedBefore) - kept(refundedBefore + amount.amountMinor));
    if (out > f.available.amountMinor) {
      const fmt = formatterFor(await schoolOf(tx));
      throw new PaymentError(
        `This refund would take ${fmt.moneyMinor(out, payment.currency)} from what Encore holds for the school, but only ${fmt.moneyMinor(Math.max(0, f.available.amountMinor), payment.currency)} is not already promised to approved teacher pay or a sweep. Nothing was refunded.`,
        409,
      );
    }
  }
  const refund = await tx.refund.create({
    data: { paymentId: payment.id, amountMinor: amount.amountMinor, currency: amount.currency, reason: input.reason, createdById: input.createdById, status: online ? "PENDING" : "SUCCEEDED" },
  });
  if (online && stripe) {
    const stripeRefund = await stripe.refunds.create(
      { payment_intent: payment.stripePaymentIntentId!, amount: toStripeAmount(amount), reason: "requested_by_customer", metadata: { schoolId: payment.schoolId, paymentId: payment.id, refundId: refund.id } },
      { idempotencyKey: `refund:${refund.id}` },
    );
    await tx.refund.update({ where: { id: refund.id }, data: { stripeRefundId: stripeRefund.id, status: stripeRefund.status === "failed" ? "FAILED" : "SUCCEEDED" } });
    if (stripeRefund.status === "failed") throw new PaymentError("Stripe could not make this refund.", 502);
    await reverseShare(tx, stripe, { payment, refundId: refund.id, amount, refundedBefore: money(payment.amountMinor! - left, amount.currency) });
  }
  await landRefund(tx, { refundId: refund.id, now: input.now });
  return refund;
}

async function reverseShare(tx: Tx, stripe: Stripe, input: { payment: { id: string; amountMinor: number | null; currency: string; stripeTransferId: string | null; platformFeeMinor: number | null }; refundId: string; amount: Money; refundedBefore: Money }) {
  const { payment } = input;
  if (!payment.stripeTransferId) return;
  const transfer = await stripe.transfers.retrieve(payment.stripeTransferId);
  const reversal = transferReversal({
    charged: money(payment.amountMinor!, payment.currency),
    transferred: fromStripeAmount(transfer.amount, transfer.currency),
    refundedBefore: input.refundedBefore,
    refund: input.amount,
    reversedBefore: fromStripeAmount(transfer.amount_reversed, transfer.currency),
  });
  if (reversal.amountMinor <= 0) return;
  await stripe.transfers.createReversal(payment.stripeTransferId, { amount: toStripeAmount(reversal), metadata: { refundId: input.refundId } }, { idempotencyKey: `reversal:${input.refundId}` });
}

/** The refund's REFUND and DEALLOCATION entries, once (keys from the refund's id). */
async function landRefund(tx: Tx, input: { refundId: string; now: Date }) {
  const refund = await tx.refund.findUniqueOrThrow({ where: { id: input.refundId }, include: { payment: true } });
  const key = `refund:${refund.id}`;
  if (await tx.ledgerEntry.findFirst({ where: { idempotencyKey: key }, select: { id: true } })) return;
  const familyGroupId = refund.payment.familyGroupId!;
  const source = await paymentEntry(tx, refund.paymentId);
  if (!source) throw new Error(`Payment ${refund.paymentId} has no ledger entry to refund.`);
  await tx.$queryRaw`SELECT id FROM "FamilyGroup" WHERE id = ${familyGroupId} FOR UPDATE`;
  const entries = await familyEntries(tx, familyGroupId);
  const amount = money(refund.amountMinor, refund.currency);
  let deallocations;
  try {
    deallocations = deallocationsForRefund(entries, source.id, amount);
  } catch (error) {
    if (error instanceof MoneyError) throw new PaymentError(error.message, 400);
    throw error;
  }
  await writeEntries(tx, familyGroupId, deallocations, input.now, (_e, i) => `${key}:deallocation:${i}`);
  await tx.ledgerEntry.create({
    data: { familyGroupId, kind: "REFUND", amountMinor: amount.amountMinor, currency: amount.currency, postedAt: input.now, paymentId: refund.paymentId, sourceId: source.id, memo: refund.reason, idempotencyKey: key },
  });
  const total = await tx.refund.aggregate({ where: { paymentId: refund.paymentId, status: { not: "FAILED" } }, _sum: { amountMinor: true } });
  await holdRefund(tx, { refund, refundedAfter: total._sum.amountMinor ?? 0, now: input.now });
  if ((total._sum.amountMinor ?? 0) >= (refund.payment.amountMinor ?? 0) && refund.payment.status === "COMPLETED") {
    await tx.payment.update({ where: { id: refund.paymentId }, data: { status: "REFUNDED" } });
  }
}

/**
 * A held card payment's refund in the school's ledger: the refund leaves what Encore holds, and
 * the platform's fee is given back in proportion (what `platformFeeKept` keeps). Older payments
 * whose share was transferred at once are reversed on their transfer instead (reverseShare).
 */
async function holdRefund(tx: Tx, input: { refund: { id: string; amountMinor: number; currency: string; paymentId: string; payment: { method: string; amountMinor: number | null; platformFeeMinor: number | null; stripeTransferId: string | null } }; refundedAfter: number; now: Date }) {
  const { refund } = input;
  const p = refund.payment;
  if (p.method !== "STRIPE" || p.stripeTransferId || p.amountMinor === null) return;
  const charged = money(p.amountMinor, refund.currency);
  const fee = money(p.platformFeeMinor ?? 0, refund.currency);
  const kept = (refunded: number) => platformFeeKept({ charged, fee, refunded: money(Math.min(refunded, charged.amountMinor), refund.currency) }).amountMinor;
  const feeBack = kept(input.refundedAfter - refund.amountMinor) - kept(input.refundedAfter);
  await writeHeldEntry(tx, { kind: "REFUND", amountMinor: refund.amountMinor, currency: refund.currency, postedAt: input.now, paymentId: refund.paymentId, memo: `Refund ${refund.id}`, idempotencyKey: `refund:${refund.id}` });
  await writeHeldEntry(tx, { kind: "FEE_REFUND", amountMinor: feeBack, currency: refund.currency, postedAt: input.now, paymentId: refund.paymentId, memo: `Platform fee returned with refund ${refund.id}`, idempotencyKey: `fee-refund:${refund.id}` });
}

/**
 * `charge.refunded`: every refund Stripe lists on the charge lands once. One made here is
 * already in the ledger; one made in Stripe's dashboard gets its Refund row now.
 */
export async function syncChargeRefunds(tx: Tx, stripe: Stripe, mailer: Mailer, input: { paymentId: string; now: Date }) {
  await settleCheckout(tx, stripe, mailer, { paymentId: input.paymentId, now: input.now });
  const payment = await lockPayment(tx, input.paymentId);
  if (!payment?.stripePaymentIntentId) return 0;
  const list = await stripe.refunds.list({ payment_intent: payment.stripePaymentIntentId, limit: 100 });
  let landed = 0;
  for (const r of list.data) {
    if (r.status === "failed" || r.status === "canceled") continue;
    const known = await tx.refund.findFirst({ where: { stripeRefundId: r.id } });
    // A refund of ours is written, with its Stripe id, in the transaction that made it.
    const mine = r.metadata?.refundId ? await tx.refund.findUnique({ where: { id: r.metadata.refundId } }) : null;
    const row =
      known ??
      mine ??
      (await tx.refund.create({
        data: { paymentId: payment.id, amountMinor: fromStripeAmount(r.amount, r.currency).amountMinor, currency: payment.currency, reason: r.reason ? `Refunded in Stripe (${r.reason})` : "Refunded in Stripe", stripeRefundId: r.id, status: "SUCCEEDED" },
      }));
    if (!known && mine) await tx.refund.update({ where: { id: mine.id }, data: { stripeRefundId: r.id, status: "SUCCEEDED" } });
    await landRefund(tx, { refundId: row.id, now: input.now });
    landed++;
  }
  return landed;
}

// ---- disputes --------------------------------------------------------------------------------------

/**
 * A dispute, as Stripe says now: opened, the payment is DISPUTED with a DISPUTE entry (its
 * allocations undone first, as for a refund); won, a DISPUTE_WON entry gives the money back
 * to the family's account and it is allocated again; lost, the DISPUTE stays (the invoice is owed
 * again) and, for a payment transferred to the school at completion, the school's share is taken
 * back by a transfer reversal. Closed either way, Stripe's dispute fee is a DISPUTE_FEE entry of
 * the school's held ledger.
 */
export async function syncDispute(tx: Tx, stripe: Stripe, mailer: Mailer, input: { paymentId: string; disputeId: string; now: Date }) {
  await settleCheckout(tx, stripe, mailer, { paymentId: input.paymentId, now: input.now });
  const payment = await lockPayment(tx, input.paymentId);
  if (!payment) return;
  const dispute = await stripe.disputes.retrieve(input.disputeId);
  const source = await paymentEntry(tx, payment.id);
  if (!source) throw new Error(`Payment ${payment.id} has no ledger entry yet.`);
  const familyGroupId = payment.familyGroupId!;
  const amount = fromStripeAmount(dispute.amount, dispute.currency);
  const openKey = `dispute:${dispute.id}`;
  await tx.$queryRaw`SELECT id FROM "FamilyGroup" WHERE id = ${familyGroupId} FOR UPDATE`;
  if (!(await tx.ledgerEntry.findFirst({ where: { idempotencyKey: openKey }, select: { id: true } }))) {
    const entries = await familyEntries(tx, familyGroupId);
    const left = sourceStates(entries).get(source.id)!;
    const disputed = amount.amountMinor > left.amount.amountMinor - left.refunded.amountMinor - left.disputed.amountMinor ? money(left.amount.amountMinor - left.refunded.amountMinor - left.disputed.amountMinor, amount.currency) : amount;
    if (disputed.amountMinor > 0) {
      await writeEntries(tx, familyGroupId, deallocationsForRefund(entries, source.id, disputed), input.now, (_e, i) => `${openKey}:deallocation:${i}`);
      await tx.ledgerEntry.create({
        data: { familyGroupId, kind: "DISPUTE", amountMinor: disputed.amountMinor, currency: disputed.currency, postedAt: input.now, paymentId: payment.id, sourceId: source.id, memo: `Dispute ${dispute.id} (${dispute.reason})`, idempotencyKey: openKey },
      });
      // Held for the school: the disputed money leaves what Encore holds (until won).
      if (!payment.stripeTransferId) await writeHeldEntry(tx, { kind: "DISPUTE", amountMinor: disputed.amountMinor, currency: disputed.currency, postedAt: input.now, paymentId: payment.id, stripeObjectId: dispute.id, memo: `Dispute ${dispute.id}`, idempotencyKey: openKey });
    }
  }
  const won = dispute.status === "won";
  const closed = won || dispute.status === "lost" || dispute.status === "warning_closed";
  const wonKey = `dispute-won:${dispute.id}`;
  if (won && !(await tx.ledgerEntry.findFirst({ where: { idempotencyKey: wonKey }, select: { id: true } }))) {
    const opened = await tx.ledgerEntry.findFirst({ where: { idempotencyKey: openKey }, select: { amountMinor: true, currency: true } });
    if (opened) {
      await tx.ledgerEntry.create({
        data: { familyGroupId, kind: "DISPUTE_WON", amountMinor: opened.amountMinor, currency: opened.currency, postedAt: input.now, paymentId: payment.id, sourceId: source.id, memo: `Dispute ${dispute.id} won`, idempotencyKey: wonKey },
      });
      if (!payment.stripeTransferId) await writeHeldEntry(tx, { kind: "DISPUTE_WON", amountMinor: opened.amountMinor, currency: opened.currency, postedAt: input.now, paymentId: payment.id, stripeObjectId: dispute.id, memo: `Dispute ${dispute.id} won`, idempotencyKey: wonKey });
      await allocateFreeCredit(tx, familyGroupId, input.now, { firstInvoiceIds: payment.invoiceId ? [payment.invoiceId] : [] });
    }
  }
  const refunded = await tx.refund.aggregate({ where: { paymentId: payment.id, status: { not: "FAILED" } }, _sum: { amountMinor: true } });
  if (closed) {
    // Stripe's dispute fee (less any it gave back), re-read from the dispute's balance transactions:
    // the school's, like the disputed money. Once, keyed by the dispute.
    const fee = disputeFeeMinor(dispute, payment.currency);
    await writeHeldEntry(tx, { kind: "DISPUTE_FEE", amountMinor: fee, currency: payment.currency, postedAt: input.now, paymentId: payment.id, stripeObjectId: dispute.id, memo: `Stripe's fee on dispute ${dispute.id} (${dispute.status})`, idempotencyKey: `dispute-fee:${dispute.id}` });
  }
  if (dispute.status === "lost" && payment.stripeTransferId) {
    // Lost, on a payment whose share was transferred to the school at completion (before money was
    // held): the family's invoice stays owed (the DISPUTE entry stays), and the school's share of
    // the lost amount is taken back by a reversal of that transfer, once.
    const opened = await tx.ledgerEntry.findFirst({ where: { idempotencyKey: openKey }, select: { amountMinor: true } });
    if (opened) await reverseDisputedShare(tx, stripe, { payment, disputeId: dispute.id, disputed: money(opened.amountMinor, payment.currency), refundedBefore: money(refunded._sum.amountMinor ?? 0, payment.currency) });
  }
  const afterDispute = (refunded._sum.amountMinor ?? 0) >= (payment.amountMinor ?? 0) ? "REFUNDED" : "COMPLETED";
  await tx.payment.update({
    where: { id: payment.id },
    data: { stripeDisputeId: dispute.id, disputeStatus: dispute.status, status: closed && won ? afterDispute : "DISPUTED" },
  });
}

/** Stripe's fee on a dispute, net of any fee returned, from its balance transactions (those in the payment's currency). */
function disputeFeeMinor(dispute: Stripe.Dispute, currency: string): number {
  let fee = 0;
  for (const t of dispute.balance_transactions ?? []) {
    if (t.currency.toUpperCase() !== currency.toUpperCase()) continue;
    fee += fromStripeAmount(t.fee, t.currency).amountMinor;
  }
  return Math.max(0, fee);
}

/**
 * The reversal that takes a lost dispute's share back from the school's account, for a payment
 * transferred at completion: the share of the lost amount (as a refund of it would reverse),
 * capped by what is left of the transfer. Once: the key is the dispute's, and a reversal already
 * made for it (its metadata, re-read from Stripe) is not made again.
 */
async function reverseDisputedShare(tx: Tx, stripe: Stripe, input: { payment: { id: string; amountMinor: number | null; currency: string; stripeTransferId: string | null }; disputeId: string; disputed: Money; refundedBefore: Money }) {
  const { payment } = input;
  if (!payment.stripeTransferId || payment.amountMinor === null) return;
  const transfer = await stripe.transfers.retrieve(payment.stripeTransferId);
  if ((transfer.reversals?.data ?? []).some((r) => r.metadata?.disputeId === input.disputeId)) return;
  const reversal = transferReversal({
    charged: money(payment.amountMinor, payment.currency),
    transferred: fromStripeAmount(transfer.amount, transfer.currency),
    refundedBefore: input.refundedBefore,
    refund: input.disputed,
    reversedBefore: fromStripeAmount(transfer.amount_reversed, transfer.currency),
  });
  if (reversal.amountMinor <= 0) return;
  await stripe.transfers.createReversal(payment.stripeTransferId, { amount: toStripeAmount(reversal), metadata: { disputeId: input.disputeId, paymentId: payment.id } }, { idempotencyKey: `dispute-reversal:${input.disputeId}` });
}

// ---- reading ---------------------------------------------------------------------------------------

/** One payment for the admin: its allocations, refunds and dispute, from the ledger. */
export async function paymentDetail(tx: Tx, paymentId: string) {
  const payment = await tx.payment.findUnique({
    where: { id: paymentId },
    select: {
      id: true,
      status: true,
      method: true,
      amountMinor: true,
      currency: true,
      reference: true,
      description: true,
      paidAt: true,
      createdAt: true,
      platformFeeMinor: true,
      stripePaymentIntentId: true,
      stripeChargeId: true,
      stripeDisputeId: true,
      disputeStatus: true,
      invoice: { select: { id: true, number: true } },
      familyGroup: { select: { id: true, name: true } },
      payer: { select: { firstName: true, lastName: true, email: true } },
      refunds: { orderBy: { createdAt: "asc" }, select: { id: true, amountMinor: true, currency: true, reason: true, status: true, createdAt: true, stripeRefundId: true, createdBy: { select: { firstName: true, lastName: true } } } },
    },
  });
  if (!payment) return null;
  const entries = await tx.ledgerEntry.findMany({
    where: { OR: [{ paymentId }, { source: { paymentId } }] },
    orderBy: [{ postedAt: "asc" }, { id: "asc" }],
    select: { id: true, kind: true, amountMinor: true, currency: true, postedAt: true, memo: true, invoice: { select: { id: true, number: true } } },
  });
  const refundedMinor = payment.refunds.filter((r) => r.status !== "FAILED").reduce((s, r) => s + r.amountMinor, 0);
  const refundable = payment.status === "COMPLETED" ? Math.max(0, (payment.amountMinor ?? 0) - refundedMinor) : 0;
  return { payment, entries, refundedMinor, refundableMinor: refundable };
}

/** The school's Stripe state, as `account.updated` last wrote it. */
export async function connectState(tx: Tx) {
  const s = await tx.school.findFirstOrThrow({ select: { stripeAccountId: true, stripeChargesEnabled: true, stripePayoutsEnabled: true, stripeDetailsSubmitted: true, platformFeeBasisPoints: true } });
  const state = !s.stripeAccountId ? "not-connected" : s.stripeChargesEnabled ? "connected" : s.stripeDetailsSubmitted ? "pending" : "incomplete";
  return { ...s, state } as const;
}

export { BillingModelError };

/** The family a signed-in guardian pays for, or null. */
export async function familyOfUser(tx: Tx, userId: string) {
  const me = await tx.user.findUnique({ where: { id: userId }, select: { familyGroupId: true, role: true } });
  return me?.role === "PARENT" ? (me.familyGroupId ?? null) : null;
}
