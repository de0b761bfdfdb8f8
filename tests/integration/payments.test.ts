// Online payments against the local Stripe stand-in (the real `stripe` SDK over HTTP) and
// the real database (RLS on), in schools of their own: Connect onboarding lands through
// `account.updated`; a bad signature is refused; an event delivered 10 times makes one
// payment; two concurrent "pay" clicks make one checkout; refunds (ours and Stripe's) and a
// dispute land in the ledger once; events out of order change nothing; a stored event that
// was never processed is processed on the next run; the reconciliation holds throughout.
import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { familyBalance, issueInvoice, reconcileSchool } from "../../app/models/billing.server";
import { PaymentError, refundPayment, startCheckout } from "../../app/models/payments.server";
import { heldReconciliation } from "../../app/models/teacher-pay.server";
import type { Tx } from "../../server/db/school-db.server";
import { processStripeEvents } from "../../server/jobs/stripe-events.server";
import { createLogger } from "../../server/log.server";
import { startConnectOnboarding } from "../../server/payments/connect.server";
import { stripeWebhook } from "../../server/payments/webhook.server";
import { DECLINED_CARD, type StripeStandin } from "../../server/stripe-standin/standin.server";
import { testServices } from "../support/services";

const services = testServices();
const NOW = new Date("2031-09-10T15:00:00Z");
const webhookApp = new Hono();
webhookApp.post("/webhooks/stripe", stripeWebhook(services, createLogger({ level: "silent" })));
const post = (body: string, signature: string) =>
  webhookApp.request("/webhooks/stripe", { method: "POST", body, headers: { "content-type": "application/json", "stripe-signature": signature } });

let standin: StripeStandin;
let stripe: Stripe;

interface Fixture {
  schoolId: string;
  familyId: string;
  parentId: string;
  invoiceIds: string[];
}
const runIn = <T>(f: Fixture, work: (tx: Tx) => Promise<T>) => services.platform.schoolDb(f.schoolId).run(work, { timeout: 30_000 });

/** A school connected through the stand-in's onboarding page, with a family and `amounts` issued invoices. */
async function makeSchool(label: string, amounts: number[], feeBasisPoints = 250): Promise<Fixture> {
  const slug = `pay-${label}-${randomUUID().slice(0, 8)}`;
  const school = await services.platform.createSchool(null, { name: `Pay ${label}`, slug, email: `office@${slug}.test`, timezone: "America/New_York", currency: "USD" });
  const fixture = await services.platform.schoolDb(school.id).run(async (tx) => {
    const parent = await tx.user.create({ data: { email: `parent@${slug}.test`, firstName: "Pat", lastName: "Parent", role: "PARENT" }, select: { id: true } });
    const family = await tx.familyGroup.create({ data: { name: "Parent family", adminId: parent.id }, select: { id: true } });
    await tx.user.update({ where: { id: parent.id }, data: { familyGroupId: family.id } });
    const invoiceIds: string[] = [];
    for (const amount of amounts) {
      const inv = await tx.invoice.create({ data: { familyGroupId: family.id, currency: "USD", totalMinor: amount, netMinor: amount }, select: { id: true } });
      await issueInvoice(tx, { invoiceId: inv.id, now: NOW });
      invoiceIds.push(inv.id);
    }
    return { familyId: family.id, parentId: parent.id, invoiceIds };
  });
  const owner = await connectOwnerSql();
  await owner(`UPDATE "School" SET "platformFeeBasisPoints" = ${feeBasisPoints} WHERE id = '${school.id}'`);
  // Onboarding as an admin would: the account, the link, the stand-in's page, account.updated.
  const { url } = await startConnectOnboarding(services.platform, stripe, { schoolId: school.id, returnUrl: "http://x.test/back", refreshUrl: "http://x.test/again" });
  const done = await fetch(url, { method: "POST", redirect: "manual" });
  expect(done.headers.get("location")).toBe("http://x.test/back");
  await standin.idle();
  return { schoolId: school.id, ...fixture };
}

async function connectOwnerSql() {
  const { connectOwner } = await import("../support/db");
  return async (sql: string) => {
    const client = await connectOwner();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
}

const checkout = (f: Fixture, invoiceId: string) =>
  runIn(f, (tx) => startCheckout(tx, stripe, { invoiceId, familyGroupId: f.familyId, payerId: f.parentId, payerEmail: "parent@pay.test", successUrl: "http://x.test/paid", cancelUrl: "http://x.test/cancel", now: NOW }));

const sessionIdOf = async (f: Fixture, paymentId: string) => (await runIn(f, (tx) => tx.payment.findUniqueOrThrow({ where: { id: paymentId } }))).stripeCheckoutSessionId!;

const entriesOf = (f: Fixture) => runIn(f, (tx) => tx.ledgerEntry.findMany({ orderBy: [{ postedAt: "asc" }, { id: "asc" }], select: { kind: true, amountMinor: true, invoiceId: true, idempotencyKey: true } }));

beforeAll(async () => {
  standin = await services.payments.standin();
  stripe = await services.payments.stripe();
  standin.setWebhook(async (payload, signature) => (await post(payload, signature)).status);
});
afterAll(async () => {
  await standin.idle();
  await services.close();
});

describe("Connect onboarding", () => {
  it("account.updated (and only it) marks the school connected", async () => {
    const slug = `pay-connect-${randomUUID().slice(0, 8)}`;
    const school = await services.platform.createSchool(null, { name: "Connect me", slug, email: `o@${slug}.test`, timezone: "UTC", currency: "USD" });
    const first = await startConnectOnboarding(services.platform, stripe, { schoolId: school.id, returnUrl: "http://x.test/back", refreshUrl: "http://x.test/again" });
    const again = await startConnectOnboarding(services.platform, stripe, { schoolId: school.id, returnUrl: "http://x.test/back", refreshUrl: "http://x.test/again" });
    expect(again.accountId).toBe(first.accountId);
    expect(await services.platform.schoolStripeState(school.id)).toMatchObject({ stripeAccountId: first.accountId, stripeChargesEnabled: false });
    await fetch(first.url, { method: "POST", redirect: "manual" });
    await standin.idle();
    expect(await services.platform.schoolStripeState(school.id)).toMatchObject({ stripeChargesEnabled: true, stripePayoutsEnabled: true, stripeDetailsSubmitted: true });
  });
});

describe("the webhook route", () => {
  it("refuses a bad signature with 400 and stores nothing", async () => {
    const payload = JSON.stringify({ id: `evt_forged_${randomUUID()}`, object: "event", type: "checkout.session.completed", data: { object: { id: "cs_x" } } });
    const forged = stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_not_ours" });
    expect((await post(payload, forged)).status).toBe(400);
    expect((await post(payload, "")).status).toBe(400);
    const good = stripe.webhooks.generateTestHeaderString({ payload, secret: services.payments.webhookSecrets[0]! });
    expect((await post(`${payload} `, good)).status).toBe(400); // the body changed after signing
    const stored = await services.clients.platform.stripeEvent.count({ where: { id: JSON.parse(payload).id } });
    expect(stored).toBe(0);
  });

  it("answers an event type it does not take with 200, and does not store it", async () => {
    const payload = JSON.stringify({ id: `evt_other_${randomUUID()}`, object: "event", type: "customer.created", data: { object: { id: "cus_1" } } });
    const res = await post(payload, stripe.webhooks.generateTestHeaderString({ payload, secret: services.payments.webhookSecrets[0]! }));
    expect(res.status).toBe(200);
    expect(await services.clients.platform.stripeEvent.count({ where: { id: JSON.parse(payload).id } })).toBe(0);
  });
});

describe("paying an invoice", () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await makeSchool("a", [40_000, 10_000]);
  });

  it("two concurrent pay clicks share one checkout; paying it and the event delivered 10 times make one payment", async () => {
    const invoiceId = f.invoiceIds[1]!;
    const [one, two] = await Promise.all([checkout(f, invoiceId), checkout(f, invoiceId)]);
    expect(one.url).toBe(two.url);
    expect(one.paymentId).toBe(two.paymentId);
    expect([one.reused, two.reused].sort()).toEqual([false, true]);
    expect(await runIn(f, (tx) => tx.payment.count({ where: { invoiceId } }))).toBe(1);

    // A declined card changes nothing; the succeeding card pays.
    const sessionId = await sessionIdOf(f, one.paymentId);
    const declined = await fetch(one.url, { method: "POST", body: new URLSearchParams({ card: DECLINED_CARD }), redirect: "manual" });
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain("Your card was declined");
    await standin.payCheckout(sessionId);
    await standin.idle();
    const completed = standin.events().filter((e) => e.type === "checkout.session.completed" && (e.data as { object: { id: string } }).object.id === sessionId);
    expect(completed).toHaveLength(1);
    const statuses = await Promise.all(Array.from({ length: 9 }, () => standin.redeliver(completed[0]!.id)));
    expect(statuses.every((s) => s === 200)).toBe(true);

    const payment = await runIn(f, (tx) => tx.payment.findUniqueOrThrow({ where: { id: one.paymentId } }));
    expect(payment).toMatchObject({ status: "COMPLETED", amountMinor: 10_000, platformFeeMinor: 250 });
    // Issue 12: the school's share is held by Encore (no transfer at completion).
    expect(payment.stripeTransferId).toBeNull();
    const entries = await entriesOf(f);
    expect(entries.filter((e) => e.kind === "PAYMENT")).toEqual([expect.objectContaining({ amountMinor: 10_000, idempotencyKey: `stripe:${payment.stripePaymentIntentId}` })]);
    // Allocated to the invoice paid, not the older one.
    expect(entries.filter((e) => e.kind === "ALLOCATION")).toEqual([expect.objectContaining({ amountMinor: 10_000, invoiceId })]);
    expect(await services.clients.platform.stripeEvent.count({ where: { id: completed[0]!.id } })).toBe(1);
    const receipts = await runIn(f, (tx) => tx.emailMessage.findMany({ where: { subject: { startsWith: "Receipt:" } } }));
    expect(receipts).toHaveLength(1);
    expect(receipts[0]!.to).toBe(`parent@${(await services.platform.schoolStripeState(f.schoolId))!.email.split("@")[1]}`);
    expect(receipts[0]!.text).toContain("$100.00");
    // The school's share is held for it: the charge less the platform's fee, each entry once.
    expect(standin.transfers().filter((t) => (t.metadata as Record<string, string>).paymentId === payment.id)).toEqual([]);
    const held = await runIn(f, (tx) => tx.schoolLedgerEntry.findMany({ where: { paymentId: payment.id }, orderBy: { kind: "asc" }, select: { kind: true, amountMinor: true } }));
    expect(held).toEqual([
      { kind: "CHARGE", amountMinor: 10_000 },
      { kind: "PLATFORM_FEE", amountMinor: 250 },
    ]);
    expect((await runIn(f, heldReconciliation)).problems).toEqual([]);
    expect(await runIn(f, reconcileSchool)).toEqual([]);
    // Paid: a new click is refused in words.
    await expect(checkout(f, invoiceId)).rejects.toThrow(PaymentError);
    await expect(checkout(f, invoiceId)).rejects.toThrow("already paid");
  });

  it("a checkout of another family's invoice is refused", async () => {
    const other = await makeSchool("b", [5_000]);
    await expect(runIn(f, (tx) => startCheckout(tx, stripe, { invoiceId: other.invoiceIds[0]!, familyGroupId: f.familyId, payerId: f.parentId, payerEmail: "p@x.test", successUrl: "http://x/s", cancelUrl: "http://x/c", now: NOW }))).rejects.toMatchObject({ status: 404 });
  });

  it("a partial refund through Stripe lands once: REFUND and DEALLOCATION entries, the held share reduced in proportion", async () => {
    const invoiceId = f.invoiceIds[0]!;
    const started = await checkout(f, invoiceId);
    await standin.payCheckout(await sessionIdOf(f, started.paymentId));
    await standin.idle();
    const refund = await runIn(f, (tx) => refundPayment(tx, stripe, { paymentId: started.paymentId, amountMinor: 15_000, reason: "Lessons missed", createdById: null, now: NOW }));
    await standin.idle();
    // charge.refunded arrived (and again): nothing more lands.
    const refunded = standin.events().filter((e) => e.type === "charge.refunded");
    await standin.redeliver(refunded.at(-1)!.id);
    const entries = await entriesOf(f);
    expect(entries.filter((e) => e.kind === "REFUND")).toEqual([expect.objectContaining({ amountMinor: 15_000, idempotencyKey: `refund:${refund.id}` })]);
    expect(entries.filter((e) => e.kind === "DEALLOCATION")).toEqual([expect.objectContaining({ amountMinor: 15_000, invoiceId })]);
    const payment = await runIn(f, (tx) => tx.payment.findUniqueOrThrow({ where: { id: started.paymentId }, include: { refunds: true } }));
    expect(payment.status).toBe("COMPLETED");
    expect(payment.refunds).toEqual([expect.objectContaining({ status: "SUCCEEDED", stripeRefundId: expect.stringMatching(/^re_/) })]);
    // The school's held share drops by 97.5 % of 150.00: the refund leaves, the fee on it comes back.
    const held = await runIn(f, (tx) => tx.schoolLedgerEntry.findMany({ where: { paymentId: payment.id, kind: { in: ["REFUND", "FEE_REFUND"] } }, orderBy: { kind: "asc" }, select: { kind: true, amountMinor: true } }));
    expect(held).toEqual([
      { kind: "REFUND", amountMinor: 15_000 },
      { kind: "FEE_REFUND", amountMinor: 375 },
    ]);
    expect((await runIn(f, heldReconciliation)).problems).toEqual([]);
    expect((await runIn(f, (tx) => familyBalance(tx, f.familyId))).amountMinor).toBe(15_000);
    expect(await runIn(f, reconcileSchool)).toEqual([]);
    // More than is left is refused in words, and nothing is written.
    await expect(runIn(f, (tx) => refundPayment(tx, stripe, { paymentId: started.paymentId, amountMinor: 25_001, reason: "x", createdById: null, now: NOW }))).rejects.toThrow(/more than what is left/);
  });

  it("a dispute opens (DISPUTE, payment flagged) and is won (DISPUTE_WON, allocated again); twice changes nothing", async () => {
    const payment = await runIn(f, (tx) => tx.payment.findFirstOrThrow({ where: { invoiceId: f.invoiceIds[0]!, status: "COMPLETED" } }));
    const dispute = await standin.openDispute(payment.stripeChargeId!);
    await standin.idle();
    const flagged = await runIn(f, (tx) => tx.payment.findUniqueOrThrow({ where: { id: payment.id } }));
    expect(flagged).toMatchObject({ status: "DISPUTED", stripeDisputeId: dispute.id, disputeStatus: "needs_response" });
    await expect(runIn(f, (tx) => refundPayment(tx, stripe, { paymentId: payment.id, amountMinor: 100, reason: "x", createdById: null, now: NOW }))).rejects.toThrow(/disputed/);
    let entries = await entriesOf(f);
    expect(entries.filter((e) => e.kind === "DISPUTE")).toEqual([expect.objectContaining({ amountMinor: 25_000 })]);
    expect(await runIn(f, reconcileSchool)).toEqual([]);
    await standin.closeDispute(dispute.id, "won");
    await standin.idle();
    for (const e of standin.events().filter((e) => (e.type as string).startsWith("charge.dispute."))) await standin.redeliver(e.id);
    entries = await entriesOf(f);
    expect(entries.filter((e) => e.kind === "DISPUTE")).toHaveLength(1);
    expect(entries.filter((e) => e.kind === "DISPUTE_WON")).toEqual([expect.objectContaining({ amountMinor: 25_000 })]);
    expect(await runIn(f, (tx) => tx.payment.findUniqueOrThrow({ where: { id: payment.id } }))).toMatchObject({ status: "COMPLETED", disputeStatus: "won" });
    expect((await runIn(f, (tx) => familyBalance(tx, f.familyId))).amountMinor).toBe(15_000);
    expect(await runIn(f, reconcileSchool)).toEqual([]);
  });
});

describe("events out of order, and after a crash", () => {
  it("a refund made in Stripe's dashboard, delivered before the checkout's completion, lands once in order", async () => {
    const f = await makeSchool("c", [20_000]);
    const started = await checkout(f, f.invoiceIds[0]!);
    standin.setWebhook(undefined); // Stripe cannot reach us for a while
    const before = standin.events().length;
    try {
      const session = await standin.payCheckout(await sessionIdOf(f, started.paymentId));
      await stripe.refunds.create({ payment_intent: session.payment_intent as string, amount: 5_000 }, { idempotencyKey: `dashboard-${started.paymentId}` });
    } finally {
      standin.setWebhook(async (payload, signature) => (await post(payload, signature)).status);
    }
    const missed = standin.events().slice(before).filter((e) => ["checkout.session.completed", "charge.refunded"].includes(e.type as string));
    expect(missed.map((e) => e.type)).toEqual(["checkout.session.completed", "charge.refunded"]);
    for (const e of [...missed].reverse()) expect(await standin.redeliver(e.id)).toBe(200);
    for (const e of missed) expect(await standin.redeliver(e.id)).toBe(200);
    const entries = await entriesOf(f);
    expect(entries.filter((e) => e.kind === "PAYMENT").map((e) => e.amountMinor)).toEqual([20_000]);
    expect(entries.filter((e) => e.kind === "REFUND").map((e) => e.amountMinor)).toEqual([5_000]);
    const refunds = await runIn(f, (tx) => tx.refund.findMany());
    expect(refunds).toEqual([expect.objectContaining({ amountMinor: 5_000, reason: "Refunded in Stripe" })]);
    expect((await runIn(f, (tx) => familyBalance(tx, f.familyId))).amountMinor).toBe(5_000);
    expect(await runIn(f, reconcileSchool)).toEqual([]);
  });

  it("an event stored but never processed (a crash) is processed on the next run", async () => {
    const f = await makeSchool("d", [7_000]);
    const started = await checkout(f, f.invoiceIds[0]!);
    standin.setWebhook(undefined);
    const before = standin.events().length;
    try {
      await standin.payCheckout(await sessionIdOf(f, started.paymentId));
    } finally {
      standin.setWebhook(async (payload, signature) => (await post(payload, signature)).status);
    }
    const event = standin.events().slice(before).find((e) => e.type === "checkout.session.completed")!;
    // Stored as the route does, then the process died before processing it.
    expect(await services.platform.storeStripeEvent({ id: event.id, type: event.type as string, account: null, payload: event })).toBe(true);
    expect(await runIn(f, (tx) => tx.payment.findUniqueOrThrow({ where: { id: started.paymentId } }))).toMatchObject({ status: "PENDING" });
    const report = await processStripeEvents(services, { ids: [event.id] });
    expect(report).toMatchObject({ claimed: 1, processed: 1, failed: [] });
    expect(await runIn(f, (tx) => tx.payment.findUniqueOrThrow({ where: { id: started.paymentId } }))).toMatchObject({ status: "COMPLETED" });
    expect(await processStripeEvents(services, { ids: [event.id] })).toMatchObject({ claimed: 0 });
    expect(await runIn(f, reconcileSchool)).toEqual([]);
  });
});

describe("a lost dispute", () => {
  const pay = async (f: Fixture, invoiceId: string) => {
    const started = await checkout(f, invoiceId);
    await standin.payCheckout(await sessionIdOf(f, started.paymentId));
    await standin.idle();
    return runIn(f, (tx) => tx.payment.findUniqueOrThrow({ where: { id: started.paymentId } }));
  };
  /** Opens and loses a dispute with Stripe unreachable, then delivers its events last first, and all of them again. */
  const loseDispute = async (chargeId: string) => {
    standin.setWebhook(undefined);
    const before = standin.events().length;
    let dispute;
    try {
      dispute = await standin.openDispute(chargeId);
      await standin.closeDispute(dispute.id, "lost");
    } finally {
      standin.setWebhook(async (payload, signature) => (await post(payload, signature)).status);
    }
    const missed = standin.events().slice(before).filter((e) => (e.type as string).startsWith("charge.dispute."));
    expect(missed.map((e) => e.type)).toEqual(["charge.dispute.created", "charge.dispute.closed"]);
    for (const e of [...missed].reverse()) expect(await standin.redeliver(e.id)).toBe(200);
    for (const e of missed) expect(await standin.redeliver(e.id)).toBe(200);
    return dispute;
  };
  const heldOf = (f: Fixture, paymentId: string) =>
    runIn(f, (tx) => tx.schoolLedgerEntry.findMany({ where: { paymentId }, orderBy: { kind: "asc" }, select: { kind: true, amountMinor: true, idempotencyKey: true } }));

  it("on held money: the invoice is owed again, the held ledger keeps the loss and takes Stripe's fee, once, in any order", async () => {
    const f = await makeSchool("lost", [30_000, 50_000]);
    await pay(f, f.invoiceIds[1]!); // other money held for the school
    const payment = await pay(f, f.invoiceIds[0]!);
    const dispute = await loseDispute(payment.stripeChargeId!);

    expect(await runIn(f, (tx) => tx.payment.findUniqueOrThrow({ where: { id: payment.id } }))).toMatchObject({ status: "DISPUTED", disputeStatus: "lost", stripeDisputeId: dispute.id });
    const entries = await entriesOf(f);
    expect(entries.filter((e) => e.kind === "DISPUTE")).toEqual([expect.objectContaining({ amountMinor: 30_000, idempotencyKey: `dispute:${dispute.id}` })]);
    expect(entries.filter((e) => e.kind === "DISPUTE_WON")).toEqual([]);
    // The family owes the disputed invoice again; the other stays paid.
    const { invoiceStates } = await import("../../app/domain/ledger");
    const { familyEntries } = await import("../../app/models/billing.server");
    const states = invoiceStates(await runIn(f, (tx) => familyEntries(tx, f.familyId)));
    expect(states.get(f.invoiceIds[0]!)?.outstanding.amountMinor).toBe(30_000);
    expect(states.get(f.invoiceIds[1]!)?.outstanding.amountMinor).toBe(0);
    expect((await runIn(f, (tx) => familyBalance(tx, f.familyId))).amountMinor).toBe(30_000);
    // The school's held ledger: the charge, the platform fee, the loss and Stripe's dispute fee (from the dispute's balance transactions).
    expect(await heldOf(f, payment.id)).toEqual([
      { kind: "CHARGE", amountMinor: 30_000, idempotencyKey: `charge:${payment.stripePaymentIntentId}` },
      { kind: "PLATFORM_FEE", amountMinor: 750, idempotencyKey: `fee:${payment.stripePaymentIntentId}` },
      { kind: "DISPUTE", amountMinor: 30_000, idempotencyKey: `dispute:${dispute.id}` },
      { kind: "DISPUTE_FEE", amountMinor: 1_500, idempotencyKey: `dispute-fee:${dispute.id}` },
    ]);
    const held = await runIn(f, heldReconciliation);
    expect(held.heldMinor).toBe(50_000 - 1_250 - 750 - 1_500);
    expect(held.problems).toEqual([]);
    expect(await runIn(f, reconcileSchool)).toEqual([]);
  });

  it("when the school's held money cannot cover it, the reconciliation says so in words", async () => {
    const f = await makeSchool("lost-short", [10_000]);
    const payment = await pay(f, f.invoiceIds[0]!);
    await loseDispute(payment.stripeChargeId!);
    const held = await runIn(f, heldReconciliation);
    expect(held.heldMinor).toBe(10_000 - 250 - 10_000 - 1_500);
    expect(held.problems).toEqual([expect.stringMatching(/^Encore holds less than nothing for the school \(-\$17\.50\)/)]);
    expect(await runIn(f, reconcileSchool)).toEqual([]);
  });

  it("on a payment transferred to the school at completion: its share is reversed once, keyed by the dispute", async () => {
    const f = await makeSchool("lost-legacy", [20_000, 40_000]);
    await pay(f, f.invoiceIds[1]!);
    const payment = await pay(f, f.invoiceIds[0]!);
    // As a payment completed before issue 12: its share (less the 2.5 % fee) went to the school's account at once.
    const account = (await services.platform.schoolStripeState(f.schoolId))!.stripeAccountId!;
    const transfer = await stripe.transfers.create(
      { amount: 19_500, currency: "usd", destination: account, source_transaction: payment.stripeChargeId!, transfer_group: `payment:${payment.id}`, metadata: { schoolId: f.schoolId, paymentId: payment.id } },
      { idempotencyKey: `transfer:${payment.id}` },
    );
    await standin.idle();
    const owner = await (await import("../support/db")).connectOwner();
    try {
      await owner.query("SELECT set_config('app.school_id', $1, false)", [f.schoolId]);
      await owner.query(`DELETE FROM "SchoolLedgerEntry" WHERE "paymentId" = $1`, [payment.id]);
      await owner.query(`UPDATE "Payment" SET "stripeTransferId" = $1 WHERE id = $2`, [transfer.id, payment.id]);
    } finally {
      await owner.end();
    }
    expect((await runIn(f, heldReconciliation)).problems).toEqual([]);

    const dispute = await loseDispute(payment.stripeChargeId!);
    const after = await stripe.transfers.retrieve(transfer.id);
    expect(after.reversals.data).toEqual([expect.objectContaining({ amount: 19_500, metadata: { disputeId: dispute.id, paymentId: payment.id } })]);
    expect(after.amount_reversed).toBe(19_500);
    // The money was never held: no DISPUTE entry there, only Stripe's fee, which the school bears.
    expect(await heldOf(f, payment.id)).toEqual([{ kind: "DISPUTE_FEE", amountMinor: 1_500, idempotencyKey: `dispute-fee:${dispute.id}` }]);
    expect((await runIn(f, (tx) => familyBalance(tx, f.familyId))).amountMinor).toBe(20_000);
    expect((await runIn(f, heldReconciliation)).problems).toEqual([]);
    expect(await runIn(f, reconcileSchool)).toEqual([]);
  });
});
