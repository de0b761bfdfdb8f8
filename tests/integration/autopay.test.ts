// Bank debits in Checkout, saved cards and autopay, against the local Stripe stand-in (the real
// `stripe` SDK over HTTP) and the real database (RLS on), in schools of their own:
// - a bank debit completes the session unpaid: the payment is processing and nothing reaches the
//   family's balance until `async_payment_succeeded`; `async_payment_failed` leaves the invoice
//   owed and emails the payer;
// - a guardian saves a card through a setup-mode Checkout (recorded from the webhook); the
//   autopay run charges what is due today once however often it runs; a card declined off-session
//   fails that attempt, emails the guardian, leaves the invoice owed and is not retried that day;
// - removing the card detaches it at Stripe and turns autopay off; a student cannot manage it.
import type { AppLoadContext } from "@remix-run/node";
import { Hono } from "hono";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reconcileSchool } from "../../app/models/billing.server";
import { removeCard, runSchoolAutopay, savedCard, setAutopay, startCardSetup } from "../../app/models/autopay.server";
import { familyBilling } from "../../app/models/family-billing.server";
import { chooseInstalments } from "../../app/models/instalments.server";
import { runOverdue } from "../../app/models/overdue.server";
import { localDateTimeToUtc } from "../../app/domain/time";
import { PaymentError, startCheckout } from "../../app/models/payments.server";
import { action as cardAction } from "../../app/routes/family.billing.card";
import { signIn } from "../../app/utils/auth.server";
import { runAutopay } from "../../server/jobs/autopay.server";
import { createLogger } from "../../server/log.server";
import { startConnectOnboarding } from "../../server/payments/connect.server";
import { stripeWebhook } from "../../server/payments/webhook.server";
import { AUTHENTICATION_CARD, BANK_DEBIT, DECLINED_LATER_CARD, SUCCEEDING_CARD, type StripeStandin } from "../../server/stripe-standin/standin.server";
import { brandFor } from "../../tenants/branding";
import { type BillingSchool, makeBillingSchool, PASSWORD } from "../support/billing";
import { loadContextFor, testServices } from "../support/services";

const services = testServices();
const NOW = new Date("2031-09-10T15:00:00Z");
const TODAY = "2031-09-10"; // NOW in America/New_York
const webhookApp = new Hono();
webhookApp.post("/webhooks/stripe", stripeWebhook(services, createLogger({ level: "silent" })));

let standin: StripeStandin;
let stripe: Stripe;

beforeAll(async () => {
  standin = await services.payments.standin();
  stripe = await services.payments.stripe();
  standin.setWebhook(async (payload, signature) => (await webhookApp.request("/webhooks/stripe", { method: "POST", body: payload, headers: { "content-type": "application/json", "stripe-signature": signature } })).status);
});
afterAll(async () => {
  await standin.idle();
  await services.close();
});

/** A billing school (invoices due the day they are issued), connected through the stand-in's onboarding. */
async function connectedSchool(label: string, currency = "USD"): Promise<BillingSchool> {
  const s = await makeBillingSchool(services, label, { paymentTermsDays: 0, currency });
  const { url } = await startConnectOnboarding(services.platform, stripe, { schoolId: s.school.id, returnUrl: "http://x.test/back", refreshUrl: "http://x.test/again" });
  await fetch(url, { method: "POST", redirect: "manual" });
  await standin.idle();
  return s;
}

const db = (s: BillingSchool) => services.platform.schoolDb(s.school.id);
const guardian = (s: BillingSchool) => s.a.guardians[0]!;
const payments = (s: BillingSchool, invoiceId: string) => s.run((tx) => tx.payment.findMany({ where: { invoiceId }, orderBy: { createdAt: "asc" } }));
const owed = async (s: BillingSchool, invoiceId: string) => (await s.run((tx) => familyBilling(tx, s.a.familyId, TODAY))).open.find((i) => i.id === invoiceId)?.outstanding.amountMinor ?? 0;
const emailsTo = (s: BillingSchool, to: string, subject: string) => s.run((tx) => tx.emailMessage.findMany({ where: { to, subject: { contains: subject } } }));
const reconciled = async (s: BillingSchool) => expect(await s.run((tx) => reconcileSchool(tx))).toEqual([]);

const checkout = (s: BillingSchool, invoiceId: string) =>
  s.run((tx) => startCheckout(tx, stripe, { invoiceId, familyGroupId: s.a.familyId, payerId: guardian(s), payerEmail: s.a.guardianEmails[0]!, successUrl: "http://x.test/paid", cancelUrl: "http://x.test/c", now: NOW }));
const sessionOf = async (s: BillingSchool, paymentId: string) => (await s.run((tx) => tx.payment.findUniqueOrThrow({ where: { id: paymentId } }))).stripeCheckoutSessionId!;

/** A guardian saves `card` as the stand-in's page would: the setup session, "Save card", the webhook. */
async function saveCard(s: BillingSchool, card: string) {
  const { url } = await s.run((tx) => startCardSetup(tx, stripe, { familyGroupId: s.a.familyId, userId: guardian(s), email: s.a.guardianEmails[0]!, successUrl: "http://x.test/saved", cancelUrl: "http://x.test/c", now: new Date() }));
  const done = await fetch(url, { method: "POST", body: new URLSearchParams({ card }), redirect: "manual" });
  expect(done.status).toBe(303);
  await standin.idle();
}

describe("bank debits in Checkout", () => {
  let s: BillingSchool;
  beforeAll(async () => {
    s = await connectedSchool("debit");
  });

  it("offers card and the currency's bank debit; the payment is processing (not credited) until the debit succeeds", async () => {
    const inv = await s.issue(s.a.familyId, 12_000, NOW);
    const started = await checkout(s, inv.id);
    const sessionId = await sessionOf(s, started.paymentId);
    expect(standin.sessions().find((x) => x.id === sessionId)?.payment_method_types).toEqual(["card", "us_bank_account"]);
    const page = await (await fetch(started.url)).text();
    expect(page).toContain("Bank debit (us_bank_account)");

    await standin.payCheckout(sessionId, BANK_DEBIT);
    await standin.idle();
    expect((await payments(s, inv.id)).map((p) => p.status)).toEqual(["PROCESSING"]);
    expect(await owed(s, inv.id)).toBe(12_000);
    const view = (await s.run((tx) => familyBilling(tx, s.a.familyId, TODAY))).open.find((i) => i.id === inv.id)!;
    expect(view.processing).toEqual({ amountMinor: 12_000, currency: "USD" });
    // Paying again while the debit is under way is refused in words.
    await expect(checkout(s, inv.id)).rejects.toThrow(PaymentError);
    await expect(checkout(s, inv.id)).rejects.toThrow(/being processed/);

    await standin.settleBankDebit(sessionId, "succeeded");
    await standin.idle();
    const [paid] = await payments(s, inv.id);
    expect(paid!.status).toBe("COMPLETED");
    expect(await owed(s, inv.id)).toBe(0);
    const entry = await s.run((tx) => tx.ledgerEntry.findFirstOrThrow({ where: { paymentId: paid!.id, kind: "PAYMENT" } }));
    expect(entry.memo).toMatch(/^Bank debit /);
    const receipts = await emailsTo(s, s.a.guardianEmails[0]!, "Receipt");
    expect(receipts.map((e) => e.text).join("\n")).toContain("Method: bank debit (online)");
    await reconciled(s);
  });

  it("an overdue invoice whose bank debit is under way gets no reminder or late fee until it is settled", async () => {
    const inv = await s.issue(s.a.familyId, 4_000, NOW);
    const started = await checkout(s, inv.id);
    const sessionId = await sessionOf(s, started.paymentId);
    await standin.payCheckout(sessionId, BANK_DEBIT);
    await standin.idle();
    await s.run((tx) => tx.billingSettings.updateMany({ data: { reminderDays: [1], lateFeeMinor: 500, lateFeeAfterDays: 1 } }));
    const later = new Date("2031-09-12T13:00:00Z");
    const report = await s.run((tx) => runOverdue(tx, services.mailer, { now: later, today: "2031-09-12", origin: "http://x.test" }));
    expect(await s.run((tx) => tx.invoiceReminder.count({ where: { invoiceId: inv.id } }))).toBe(0);
    expect(await owed(s, inv.id)).toBe(4_000);
    await standin.settleBankDebit(sessionId, "succeeded");
    await standin.idle();
    expect(await owed(s, inv.id)).toBe(0);
    expect(report.lateFees).toBe(0);
    await s.run((tx) => tx.billingSettings.updateMany({ data: { reminderDays: [7, 21], lateFeeMinor: null, lateFeeAfterDays: null } }));
  });

  it("a failed debit leaves the invoice owed, tells the payer, and a new payment can be made", async () => {
    const inv = await s.issue(s.a.familyId, 7_500, NOW);
    const started = await checkout(s, inv.id);
    const sessionId = await sessionOf(s, started.paymentId);
    await standin.payCheckout(sessionId, BANK_DEBIT);
    await standin.idle();
    await standin.settleBankDebit(sessionId, "failed");
    await standin.idle();
    // Delivered again: nothing more (one email).
    for (const e of standin.events().filter((e) => e.type === "checkout.session.async_payment_failed")) await standin.redeliver(e.id);
    await standin.idle();

    const [failed] = await payments(s, inv.id);
    expect(failed!.status).toBe("FAILED");
    expect(failed!.failureMessage).toMatch(/bank debit did not go through/);
    expect(await owed(s, inv.id)).toBe(7_500);
    const view = (await s.run((tx) => familyBilling(tx, s.a.familyId, TODAY))).open.find((i) => i.id === inv.id)!;
    expect(view.processing).toBeNull();
    expect(view.lastFailure).toMatch(/did not go through/);
    const told = await emailsTo(s, s.a.guardianEmails[0]!, `for invoice ${inv.number}`);
    expect(told.filter((e) => e.subject.startsWith("Payment not made"))).toHaveLength(1);
    expect(told[0]!.text).toContain(`/family/billing/invoices/${inv.id}`);

    const again = await checkout(s, inv.id);
    expect(again.paymentId).not.toBe(started.paymentId);
    await standin.payCheckout(await sessionOf(s, again.paymentId), SUCCEEDING_CARD);
    await standin.idle();
    expect(await owed(s, inv.id)).toBe(0);
    await reconciled(s);
  });

  it("offers a euro school SEPA Direct Debit", async () => {
    const eur = await connectedSchool("debit-eur", "EUR");
    const inv = await eur.issue(eur.a.familyId, 5_000, NOW);
    const started = await checkout(eur, inv.id);
    expect(standin.sessions().find((x) => x.id === started.url.split("/").at(-1))?.payment_method_types).toEqual(["card", "sepa_debit"]);
  });
});

describe("saved cards and autopay", () => {
  let s: BillingSchool;
  beforeAll(async () => {
    s = await connectedSchool("autopay");
  });

  it("a guardian saves a card (one Stripe customer per family); the page shows brand, last 4 and expiry", async () => {
    await saveCard(s, SUCCEEDING_CARD);
    const view = await s.run((tx) => savedCard(tx, s.a.familyId, TODAY));
    expect(view).toEqual({ card: { brand: "visa", last4: "4242", label: "12/2034", expired: false }, autopay: false });
    const customer = (await s.run((tx) => tx.familyPaymentProfile.findFirstOrThrow({ where: { familyGroupId: s.a.familyId } }))).stripeCustomerId;
    // Saving another card keeps the customer and detaches the first card.
    await saveCard(s, SUCCEEDING_CARD);
    const profile = await s.run((tx) => tx.familyPaymentProfile.findFirstOrThrow({ where: { familyGroupId: s.a.familyId } }));
    expect(profile.stripeCustomerId).toBe(customer);
    const attached = await stripe.customers.listPaymentMethods(customer!);
    expect(attached.data.map((pm) => pm.id)).toEqual([profile.paymentMethodId]);
  });

  it("autopay charges the invoice due today once, however often the job runs", async () => {
    await s.run((tx) => setAutopay(tx, { familyGroupId: s.a.familyId, on: true }));
    const due = await s.issue(s.a.familyId, 20_000, NOW);
    const later = await s.issue(s.a.familyId, 5_000, new Date("2031-09-20T15:00:00Z")); // due another day
    const before = standin.paymentIntents().length;
    const first = await runSchoolAutopay(db(s), stripe, services.mailer, { now: NOW });
    const second = await runSchoolAutopay(db(s), stripe, services.mailer, { now: new Date(NOW.getTime() + 3_600_000) });
    expect(first).toEqual({ charged: 1, failed: 0, interrupted: 0 });
    expect(second).toEqual({ charged: 0, failed: 0, interrupted: 0 });
    const intents = standin.paymentIntents().slice(before);
    expect(intents).toHaveLength(1);
    expect(intents[0]).toMatchObject({ amount: 20_000, status: "succeeded", metadata: { invoiceId: due.id, paymentId: `${due.id}-autopay-${TODAY}` } });
    expect(await owed(s, due.id)).toBe(0);
    expect(await owed(s, later.id)).toBe(5_000);
    expect((await payments(s, due.id)).map((p) => [p.status, p.payerId])).toEqual([["COMPLETED", guardian(s)]]);
    expect(await emailsTo(s, s.a.guardianEmails[0]!, "Receipt")).toHaveLength(1);
    await reconciled(s);
  });

  it("the job runs each school on its own local date", async () => {
    const due = await s.issue(s.a.familyId, 3_000, new Date("2031-09-12T15:00:00Z"));
    // 02:00 UTC on the 12th is still the 11th in New York: nothing is due yet.
    const early = await runSchoolAutopay(db(s), stripe, services.mailer, { now: new Date("2031-09-12T02:00:00Z") });
    expect(early.charged).toBe(0);
    const onTime = await runSchoolAutopay(db(s), stripe, services.mailer, { now: new Date("2031-09-12T05:00:00Z") });
    expect(onTime.charged).toBe(1);
    expect(await owed(s, due.id)).toBe(0);
  });

  it("an invoice paid in instalments is charged each instalment on its own due date", async () => {
    await s.run((tx) => tx.billingSettings.updateMany({ data: { maxInstalments: 3 } }));
    const day = new Date("2031-09-15T15:00:00Z");
    const inv = await s.issue(s.a.familyId, 30_000, day);
    await s.run((tx) => chooseInstalments(tx, { invoiceId: inv.id, familyGroupId: s.a.familyId, count: 3, chosenById: guardian(s), today: "2031-09-15" }));
    const plan = await s.run((tx) => tx.invoiceInstalment.findMany({ where: { invoiceId: inv.id }, orderBy: { sequence: "asc" } }));
    expect((await runSchoolAutopay(db(s), stripe, services.mailer, { now: day })).charged).toBe(1);
    expect(await owed(s, inv.id)).toBe(30_000 - plan[0]!.amountMinor);
    // Nothing is due the day after; the second instalment on its date.
    expect((await runSchoolAutopay(db(s), stripe, services.mailer, { now: new Date("2031-09-16T15:00:00Z") })).charged).toBe(0);
    const second = localDateTimeToUtc(plan[1]!.dueDate, "10:00", "America/New_York");
    expect((await runSchoolAutopay(db(s), stripe, services.mailer, { now: second })).charged).toBe(1);
    expect((await payments(s, inv.id)).map((p) => [p.amountMinor, p.description])).toEqual([
      [plan[0]!.amountMinor, `Autopay: invoice ${inv.number}, instalment 1 of 3`],
      [plan[1]!.amountMinor, `Autopay: invoice ${inv.number}, instalment 2 of 3`],
    ]);
    await reconciled(s);
  });

  it("a declined card fails that attempt, emails the guardian with a link, leaves the invoice owed, and is not retried that day", async () => {
    await saveCard(s, DECLINED_LATER_CARD);
    await s.run((tx) => setAutopay(tx, { familyGroupId: s.a.familyId, on: true }));
    const day = new Date("2031-10-01T15:00:00Z");
    const inv = await s.issue(s.a.familyId, 9_900, day);
    const before = standin.paymentIntents().length;
    expect(await runSchoolAutopay(db(s), stripe, services.mailer, { now: day, origin: "http://autopay.localhost" })).toEqual({ charged: 0, failed: 1, interrupted: 0 });
    expect(await runSchoolAutopay(db(s), stripe, services.mailer, { now: new Date(day.getTime() + 2 * 3_600_000) })).toEqual({ charged: 0, failed: 0, interrupted: 0 });
    expect(standin.paymentIntents().length - before).toBe(1);
    const [attempt] = await payments(s, inv.id);
    expect(attempt).toMatchObject({ status: "FAILED", id: `${inv.id}-autopay-2031-10-01` });
    expect(attempt!.failureMessage).toMatch(/declined/);
    expect(await s.run(async (tx) => (await familyBilling(tx, s.a.familyId, "2031-10-01")).open.find((i) => i.id === inv.id)?.outstanding.amountMinor)).toBe(9_900);
    const told = await emailsTo(s, s.a.guardianEmails[0]!, `Payment not made`);
    expect(told.filter((e) => e.subject.includes(inv.number))).toHaveLength(1);
    expect(told.find((e) => e.subject.includes(inv.number))!.text).toContain(`http://autopay.localhost/family/billing/invoices/${inv.id}`);
  });

  it("a card that asks for authentication fails the attempt in words", async () => {
    await saveCard(s, AUTHENTICATION_CARD);
    await s.run((tx) => setAutopay(tx, { familyGroupId: s.a.familyId, on: true }));
    const day = new Date("2031-10-05T15:00:00Z");
    const inv = await s.issue(s.a.familyId, 1_500, day);
    expect((await runSchoolAutopay(db(s), stripe, services.mailer, { now: day })).failed).toBe(1);
    expect((await payments(s, inv.id))[0]!.failureMessage).toMatch(/confirm this payment/);
  });

  it("removing the card detaches it at Stripe and turns autopay off; autopay then charges nothing", async () => {
    await saveCard(s, SUCCEEDING_CARD);
    await s.run((tx) => setAutopay(tx, { familyGroupId: s.a.familyId, on: true }));
    const profile = await s.run((tx) => tx.familyPaymentProfile.findFirstOrThrow({ where: { familyGroupId: s.a.familyId } }));
    expect(await s.run((tx) => removeCard(tx, stripe, { familyGroupId: s.a.familyId }))).toBe(true);
    expect((await stripe.paymentMethods.retrieve(profile.paymentMethodId!)).customer).toBeNull();
    expect(await s.run((tx) => savedCard(tx, s.a.familyId, TODAY))).toEqual({ card: null, autopay: false });
    await expect(s.run((tx) => setAutopay(tx, { familyGroupId: s.a.familyId, on: true }))).rejects.toThrow(/Save a card first/);
    const day = new Date("2031-10-09T15:00:00Z");
    const inv = await s.issue(s.a.familyId, 2_000, day);
    // Through the job, as the worker runs it (every school, the services' clock): nothing for this family.
    expect(await runAutopay(services, { schoolIds: [s.school.id] })).toEqual({ charged: 0, failed: 0, interrupted: 0, errors: [] });
    expect((await runSchoolAutopay(db(s), stripe, services.mailer, { now: day })).charged).toBe(0);
    expect(await payments(s, inv.id)).toHaveLength(0);
  });
});

describe("who manages the card", () => {
  let s: BillingSchool;
  beforeAll(async () => {
    s = await connectedSchool("card-roles");
  });

  const context = (): AppLoadContext => loadContextFor(services, { kind: "school", school: s.school, brand: brandFor(s.school.brandColor) });
  async function post(email: string, intent: string) {
    const signedIn = await signIn(context(), email, PASSWORD);
    const cookie = signedIn!.cookie.split(";")[0]!;
    const request = new Request(`http://${s.slug}.localhost/family/billing/card`, { method: "POST", headers: { cookie, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ intent }) });
    try {
      return (await cardAction({ request, params: {}, context: context() })) as Response;
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    }
  }

  it("a student can neither save a card nor turn autopay on", async () => {
    expect((await post(s.a.studentEmail, "save")).status).toBe(403);
    expect((await post(s.a.studentEmail, "autopay-on")).status).toBe(403);
    expect(await s.run((tx) => tx.familyPaymentProfile.count())).toBe(0);
  });

  it("a guardian is sent to Stripe's page; autopay without a card is refused in words; a bad intent is a 400", async () => {
    const save = await post(s.a.guardianEmails[1]!, "save");
    expect(save.status).toBe(302);
    expect(save.headers.get("location")).toMatch(/\/checkout\/cs_test_/);
    const on = await post(s.a.guardianEmails[1]!, "autopay-on");
    expect(on.status).toBe(400);
    expect(await on.text()).toMatch(/Save a card first/);
    expect((await post(s.a.guardianEmails[1]!, "steal")).status).toBe(400);
  });
});
