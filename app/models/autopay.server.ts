// Saved cards and autopay (issue 11; ARCHITECTURE.md "Saved cards and autopay"). A family has
// one Stripe Customer (made once, idempotency key from the family's id) and at most one saved
// card, saved through a setup-mode Checkout whose completion (the webhook, re-read from Stripe)
// records its brand, last 4 and expiry. With autopay on, the autopay job charges each invoice
// (or instalment) due today, in the school's time zone, off-session: the Payment is recorded
// first (its id, `<invoiceId>-autopay-<date>`, gives the idempotency key), Stripe is called with
// no transaction open, and the result is recorded after. A decline fails that attempt and
// emails the guardian; it is not tried again that day.
import type Stripe from "stripe";
import { autopayFailureMessage, autopayPaymentId, cardExpiry } from "../domain/bank-debits";
import { invoiceStates } from "../domain/ledger";
import { money } from "../domain/money";
import { platformFee, toStripeAmount } from "../domain/payments";
import { toLocalDate } from "../domain/time";
import type { SchoolDb as FullSchoolDb, Tx } from "../../server/db/school-db.server";
import type { Mailer } from "../../server/services/email.server";
import { familyEntries, toDecimal } from "./billing.server";
import { instalmentPlans } from "./instalments.server";
import { PaymentError, completeOnlinePayment, sendPaymentFailed } from "./payments.server";

type SchoolDb = Pick<FullSchoolDb, "run">;

async function schoolOf(tx: Tx) {
  return tx.school.findFirstOrThrow({ select: { id: true, name: true, currency: true, timezone: true, stripeAccountId: true, stripeChargesEnabled: true, platformFeeBasisPoints: true } });
}

// ---- the saved card --------------------------------------------------------------------------

/** What the family's billing page shows: the saved card (if any) and autopay. */
export async function savedCard(tx: Tx, familyGroupId: string, today: string) {
  const p = await tx.familyPaymentProfile.findUnique({ where: { schoolId_familyGroupId: { schoolId: (await schoolOf(tx)).id, familyGroupId } } });
  const card =
    p?.paymentMethodId && p.cardLast4
      ? { brand: p.cardBrand ?? "card", last4: p.cardLast4, ...(p.cardExpMonth && p.cardExpYear ? cardExpiry(p.cardExpMonth, p.cardExpYear, today) : { label: "", expired: false }) }
      : null;
  return { card, autopay: Boolean(card && p?.autopay) };
}

async function profileOf(tx: Tx, familyGroupId: string) {
  const sch = await schoolOf(tx);
  await tx.familyPaymentProfile.upsert({ where: { schoolId_familyGroupId: { schoolId: sch.id, familyGroupId } }, create: { familyGroupId }, update: {} });
  await tx.$queryRaw`SELECT id FROM "FamilyPaymentProfile" WHERE "familyGroupId" = ${familyGroupId} FOR UPDATE`;
  return { sch, profile: await tx.familyPaymentProfile.findUniqueOrThrow({ where: { schoolId_familyGroupId: { schoolId: sch.id, familyGroupId } } }) };
}

/**
 * A setup-mode Checkout to save a card for the family (a guardian's click). The family's
 * Stripe Customer is made first, once: its idempotency key is the family's id and it is stored
 * on the family's profile. Nothing is charged; the card is recorded when Stripe says the
 * session completed (saveCardFromSession).
 */
export async function startCardSetup(tx: Tx, stripe: Stripe, input: { familyGroupId: string; userId: string; email: string; successUrl: string; cancelUrl: string; now: Date }): Promise<{ url: string }> {
  const { sch, profile } = await profileOf(tx, input.familyGroupId);
  if (!sch.stripeAccountId || !sch.stripeChargesEnabled) throw new PaymentError("This school does not take online payments yet, so a card cannot be saved.", 409);
  let customerId = profile.stripeCustomerId;
  if (!customerId) {
    const family = await tx.familyGroup.findUniqueOrThrow({ where: { id: input.familyGroupId }, select: { name: true } });
    const customer = await stripe.customers.create(
      { email: input.email, name: family.name, metadata: { schoolId: sch.id, familyGroupId: input.familyGroupId } },
      { idempotencyKey: `customer:${input.familyGroupId}` },
    );
    customerId = customer.id;
    await tx.familyPaymentProfile.update({ where: { id: profile.id }, data: { stripeCustomerId: customerId } });
  }
  const metadata = { schoolId: sch.id, familyGroupId: input.familyGroupId, userId: input.userId, kind: "save-card" };
  const session = await stripe.checkout.sessions.create(
    {
      mode: "setup",
      customer: customerId,
      currency: sch.currency.toLowerCase(),
      allowed_payment_method_types: ["card"],
      metadata,
      setup_intent_data: { metadata, on_behalf_of: sch.stripeAccountId, description: `${sch.name}: card saved for later payments` },
      success_url: input.successUrl,
      cancel_url: input.cancelUrl,
    },
    // A new session per click (nothing is charged, a spare session costs nothing); a retried request reaches the same one.
    { idempotencyKey: `card-setup:${profile.id}:${input.now.getTime()}` },
  );
  if (!session.url) throw new PaymentError("Stripe did not open the page to save a card. Please try again.", 502);
  return { url: session.url };
}

/**
 * A completed setup-mode session, re-read from Stripe: its card becomes the family's saved card
 * (a card saved before is detached from the customer). Saving the same card again changes nothing.
 */
export async function saveCardFromSession(tx: Tx, stripe: Stripe, input: { sessionId: string; familyGroupId?: string }): Promise<"saved" | "already" | "open"> {
  const session = await stripe.checkout.sessions.retrieve(input.sessionId);
  const familyGroupId = session.metadata?.familyGroupId;
  if (session.mode !== "setup" || !familyGroupId || session.metadata?.schoolId !== (await schoolOf(tx)).id) return "open";
  // The page a guardian comes back to confirms only their own family's session.
  if (input.familyGroupId !== undefined && input.familyGroupId !== familyGroupId) return "open";
  if (session.status !== "complete" || !session.setup_intent) return "open";
  const setupIntentId = typeof session.setup_intent === "string" ? session.setup_intent : session.setup_intent.id;
  const setupIntent = await stripe.setupIntents.retrieve(setupIntentId);
  const pmId = typeof setupIntent.payment_method === "string" ? setupIntent.payment_method : (setupIntent.payment_method?.id ?? null);
  if (setupIntent.status !== "succeeded" || !pmId) return "open";
  const { profile } = await profileOf(tx, familyGroupId);
  if (profile.paymentMethodId === pmId) return "already";
  const pm = await stripe.paymentMethods.retrieve(pmId);
  const customerId = typeof pm.customer === "string" ? pm.customer : (pm.customer?.id ?? null);
  // Removed since (detached), or not this family's customer: nothing to save.
  if (!customerId || customerId !== profile.stripeCustomerId) return "open";
  if (profile.paymentMethodId) await detachQuietly(stripe, profile.paymentMethodId);
  const savedBy = session.metadata?.userId ? await tx.user.findUnique({ where: { id: session.metadata.userId }, select: { id: true, role: true, familyGroupId: true } }) : null;
  await tx.familyPaymentProfile.update({
    where: { id: profile.id },
    data: {
      paymentMethodId: pm.id,
      cardBrand: pm.card?.brand ?? null,
      cardLast4: pm.card?.last4 ?? null,
      cardExpMonth: pm.card?.exp_month ?? null,
      cardExpYear: pm.card?.exp_year ?? null,
      savedById: savedBy?.role === "PARENT" && savedBy.familyGroupId === familyGroupId ? savedBy.id : profile.savedById,
    },
  });
  return "saved";
}

async function detachQuietly(stripe: Stripe, paymentMethodId: string) {
  try {
    await stripe.paymentMethods.detach(paymentMethodId);
  } catch (error) {
    // Already detached (a repeated click or event): what we wanted.
    if ((error as { code?: string }).code !== "payment_method_unexpected_state" && (error as { statusCode?: number }).statusCode !== 404) throw error;
  }
}

/** Removes the family's saved card: detached from its Stripe Customer, forgotten here, autopay off. */
export async function removeCard(tx: Tx, stripe: Stripe, input: { familyGroupId: string }): Promise<boolean> {
  const { profile } = await profileOf(tx, input.familyGroupId);
  if (!profile.paymentMethodId) return false;
  await detachQuietly(stripe, profile.paymentMethodId);
  await tx.familyPaymentProfile.update({ where: { id: profile.id }, data: { paymentMethodId: null, cardBrand: null, cardLast4: null, cardExpMonth: null, cardExpYear: null, autopay: false } });
  return true;
}

/** Autopay on or off; on needs a saved card. */
export async function setAutopay(tx: Tx, input: { familyGroupId: string; on: boolean }) {
  const { profile } = await profileOf(tx, input.familyGroupId);
  if (input.on && !profile.paymentMethodId) throw new PaymentError("Save a card first: autopay charges the saved card.", 400);
  await tx.familyPaymentProfile.update({ where: { id: profile.id }, data: { autopay: input.on } });
}

// ---- the autopay run -------------------------------------------------------------------------

export interface AutopayReport {
  charged: number;
  failed: number;
  /** Attempts Stripe did not answer: retried with the same key on the next run. */
  interrupted: number;
}

interface Charge {
  paymentId: string;
  amountMinor: number;
  currency: string;
  customer: string;
  paymentMethod: string;
  invoiceId: string;
  description: string;
  schoolId: string;
  onBehalfOf: string;
}

/**
 * One school's autopay on `now`: each issued invoice of a family with autopay on and a saved
 * card that has something due today (its due date, or an instalment's, in the school's time
 * zone) is charged what is due. Running it again charges nothing twice: the attempt's Payment
 * (`<invoiceId>-autopay-<date>`) exists, and an attempt Stripe did not answer is sent again with
 * the same idempotency key.
 */
export async function runSchoolAutopay(db: SchoolDb, stripe: Stripe, mailer: Mailer, input: { now: Date; origin?: string }): Promise<AutopayReport> {
  const report: AutopayReport = { charged: 0, failed: 0, interrupted: 0 };
  const charges = await db.run((tx) => recordAttempts(tx, input.now), { timeout: 60_000 });
  for (const c of charges) {
    let intent: Stripe.PaymentIntent;
    try {
      intent = await stripe.paymentIntents.create(
        {
          amount: toStripeAmount(money(c.amountMinor, c.currency)),
          currency: c.currency.toLowerCase(),
          customer: c.customer,
          payment_method: c.paymentMethod,
          off_session: true,
          confirm: true,
          description: c.description,
          // As a checkout: on behalf of the school, the money held by the platform (ARCHITECTURE.md).
          on_behalf_of: c.onBehalfOf,
          transfer_group: `payment:${c.paymentId}`,
          metadata: { schoolId: c.schoolId, paymentId: c.paymentId, invoiceId: c.invoiceId },
        },
        { idempotencyKey: `autopay:${c.paymentId}` },
      );
    } catch (error) {
      const e = error as { type?: string; code?: string; decline_code?: string; message?: string; statusCode?: number; raw?: { payment_intent?: { id?: string } } };
      if (e.type === "StripeCardError" || (e.statusCode === 402 && e.code)) {
        const message = autopayFailureMessage({ code: e.code, decline_code: e.decline_code, message: e.message });
        await db.run(async (tx) => {
          const updated = await tx.payment.updateMany({ where: { id: c.paymentId, status: "PROCESSING" }, data: { status: "FAILED", failureMessage: message, stripePaymentIntentId: e.raw?.payment_intent?.id ?? null } });
          if (updated.count) await sendPaymentFailed(tx, mailer, { paymentId: c.paymentId, origin: input.origin, reason: message });
        });
        report.failed++;
        continue;
      }
      // Stripe not reached, or busy: the same key next run (the attempt stays PROCESSING).
      report.interrupted++;
      continue;
    }
    await db.run(
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM "Payment" WHERE id = ${c.paymentId} FOR UPDATE`;
        const payment = await tx.payment.findUniqueOrThrow({ where: { id: c.paymentId } });
        if (payment.status !== "PROCESSING") return;
        if (intent.status === "succeeded") await completeOnlinePayment(tx, stripe, mailer, { payment, intent, now: input.now, origin: input.origin });
        else await tx.payment.update({ where: { id: payment.id }, data: { stripePaymentIntentId: intent.id } });
      },
      { timeout: 60_000 },
    );
    if (intent.status === "succeeded") report.charged++;
  }
  return report;
}

/** Records today's attempts (PROCESSING payments) and returns what to send to Stripe: new ones, and earlier ones Stripe did not answer. */
async function recordAttempts(tx: Tx, now: Date): Promise<Charge[]> {
  const sch = await schoolOf(tx);
  if (!sch.stripeAccountId || !sch.stripeChargesEnabled) return [];
  const today = toLocalDate(now, sch.timezone);
  const profiles = await tx.familyPaymentProfile.findMany({ where: { autopay: true, paymentMethodId: { not: null }, stripeCustomerId: { not: null } } });
  const out: Charge[] = [];
  for (const profile of profiles) {
    const card = { customer: profile.stripeCustomerId!, paymentMethod: profile.paymentMethodId!, schoolId: sch.id, onBehalfOf: sch.stripeAccountId };
    // Attempts recorded but never answered by Stripe (a crash, an outage): again, same key.
    const unanswered = await tx.payment.findMany({ where: { familyGroupId: profile.familyGroupId, status: "PROCESSING", id: { contains: "-autopay-" }, stripePaymentIntentId: null } });
    for (const p of unanswered) out.push({ paymentId: p.id, amountMinor: p.amountMinor ?? 0, currency: p.currency, invoiceId: p.invoiceId!, description: p.description ?? "Autopay", ...card });

    await tx.$queryRaw`SELECT id FROM "FamilyGroup" WHERE id = ${profile.familyGroupId} FOR UPDATE`;
    const invoices = await tx.invoice.findMany({ where: { familyGroupId: profile.familyGroupId, status: "ISSUED" }, select: { id: true, number: true, dueDate: true, currency: true } });
    if (invoices.length === 0) continue;
    const states = invoiceStates(await familyEntries(tx, profile.familyGroupId));
    const plans = await instalmentPlans(tx, states, invoices.map((i) => i.id), today);
    for (const inv of invoices) {
      const outstanding = states.get(inv.id)?.outstanding ?? money(0, inv.currency);
      if (outstanding.amountMinor <= 0) continue;
      const plan = plans.get(inv.id);
      const dueToday = plan ? plan.instalments.find((i) => i.dueDate === today && i.remaining.amountMinor > 0) : inv.dueDate === today ? true : null;
      if (!dueToday) continue;
      const amount = plan ? plan.payable : outstanding;
      if (amount.amountMinor <= 0) continue;
      const paymentId = autopayPaymentId(inv.id, today);
      if (await tx.payment.findUnique({ where: { id: paymentId }, select: { id: true } })) continue; // this day's attempt was made
      // A bank debit or another charge under way for it: not a second one.
      if (await tx.payment.findFirst({ where: { invoiceId: inv.id, method: "STRIPE", status: "PROCESSING" }, select: { id: true } })) continue;
      const part = plan && dueToday !== true ? `, instalment ${dueToday.sequence} of ${plan.instalments.length}` : "";
      const description = `Autopay: invoice ${inv.number ?? inv.id}${part}`;
      await tx.payment.create({
        data: {
          id: paymentId,
          familyGroupId: profile.familyGroupId,
          invoiceId: inv.id,
          payerId: profile.savedById,
          amount: toDecimal(amount.amountMinor, amount.currency),
          amountMinor: amount.amountMinor,
          currency: amount.currency,
          status: "PROCESSING",
          method: "STRIPE",
          description,
          platformFeeMinor: platformFee(amount, sch.platformFeeBasisPoints).amountMinor,
        },
      });
      out.push({ paymentId, amountMinor: amount.amountMinor, currency: amount.currency, invoiceId: inv.id, description, ...card });
    }
  }
  return out;
}
