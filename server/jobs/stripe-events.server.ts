// Stripe webhook events, processed as a durable job (ARCHITECTURE.md, "Payments: Stripe
// Connect"). The webhook route only checks the signature and stores the event once
// (StripeEvent, by Stripe's id); this reads the truth back from Stripe (the account, the
// session, the charge, the dispute), finds the school from the connected account or the
// metadata we set, and writes in that school's RLS-bound transaction. Every write is keyed
// by Stripe's ids, so an event processed twice, or events in any order, change nothing more.
import type Stripe from "stripe";
import { saveCardFromSession } from "../../app/models/autopay.server";
import { settleCheckout, syncChargeRefunds, syncDispute } from "../../app/models/payments.server";
import { syncTeacherAccount, syncTransfer } from "../../app/models/teacher-pay.server";
import { publicAddressOf, publicLinks } from "../../tenants/links";
import type { Services } from "../context";

type EventServices = Pick<Services, "platform" | "mailer" | "payments" | "clock" | "env">;

export interface StripeEventReport {
  claimed: number;
  processed: number;
  failed: { id: string; error: string }[];
}

/** Processes stored events not yet processed (all, or only `ids`), oldest first. */
export async function processStripeEvents(services: EventServices, opts: { ids?: string[]; batch?: number } = {}): Promise<StripeEventReport> {
  const report: StripeEventReport = { claimed: 0, processed: 0, failed: [] };
  if (!services.payments.enabled) return report;
  const stripe = await services.payments.stripe();
  for (let i = 0; i < 20; i++) {
    const r = await services.platform.processStripeEvents({ batch: opts.batch ?? 25, ids: opts.ids }, (event) => processOne(services, stripe, event));
    report.claimed += r.claimed;
    report.processed += r.processed;
    report.failed.push(...r.failed);
    if (r.claimed < (opts.batch ?? 25) || r.processed === 0) break;
  }
  return report;
}

const idOf = (v: string | { id: string } | null | undefined) => (typeof v === "string" ? v : (v?.id ?? null));

async function processOne(services: EventServices, stripe: Stripe, event: { id: string; type: string; account: string | null; payload: unknown }) {
  const object = (event.payload as { data?: { object?: { id?: string } } }).data?.object;
  const objectId = object?.id;
  if (!objectId) throw new Error(`Event ${event.id} has no object.`);
  const now = services.clock.now();

  if (event.type === "account.updated") {
    const account = await stripe.accounts.retrieve(event.account ?? objectId);
    // A teacher's account (teacher pay): its school is in the metadata we set when making it.
    if (account.metadata?.kind === "teacher" && account.metadata.schoolId) {
      if (!(await services.platform.schoolStripeState(account.metadata.schoolId))) return;
      await services.platform.schoolDb(account.metadata.schoolId).run((tx) => syncTeacherAccount(tx, account));
      return;
    }
    await services.platform.updateSchoolStripeState(account.id, {
      chargesEnabled: Boolean(account.charges_enabled),
      payoutsEnabled: Boolean(account.payouts_enabled),
      detailsSubmitted: Boolean(account.details_submitted),
    });
    return;
  }

  // A transfer to a teacher or a sweep to the school: re-read, its school is in our metadata.
  if (event.type.startsWith("transfer.")) {
    const transfer = await stripe.transfers.retrieve(objectId);
    const schoolId = transfer.metadata?.schoolId;
    if (!schoolId || !(transfer.metadata.teacherPaymentId || transfer.metadata.sweepId)) return; // a school share of older payments, or not ours
    if (!(await services.platform.schoolStripeState(schoolId))) return;
    await services.platform.schoolDb(schoolId).run((tx) => syncTransfer(tx, transfer, { now }), { timeout: 60_000 });
    return;
  }

  // Everything else concerns one payment of one school: its ids are in the metadata we set.
  let metadata: Stripe.Metadata | null = null;
  let disputeId: string | null = null;
  if (event.type.startsWith("checkout.session.")) {
    const session = await stripe.checkout.sessions.retrieve(objectId);
    metadata = session.metadata;
    // A card saved for autopay (a setup-mode session): the family's profile records it.
    if (session.mode === "setup" && metadata?.kind === "save-card" && metadata.schoolId) {
      if (!(await services.platform.schoolStripeState(metadata.schoolId))) return;
      await services.platform.schoolDb(metadata.schoolId).run((tx) => saveCardFromSession(tx, stripe, { sessionId: session.id }), { timeout: 60_000 });
      return;
    }
  } else if (event.type === "charge.refunded") {
    const charge = await stripe.charges.retrieve(objectId);
    const intentId = idOf(charge.payment_intent);
    metadata = intentId ? (await stripe.paymentIntents.retrieve(intentId)).metadata : charge.metadata;
  } else if (event.type.startsWith("charge.dispute.")) {
    const dispute = await stripe.disputes.retrieve(objectId);
    disputeId = dispute.id;
    const intentId = idOf(dispute.payment_intent);
    metadata = intentId ? (await stripe.paymentIntents.retrieve(intentId)).metadata : null;
  } else {
    return; // accepted for the record, nothing to do
  }
  const schoolId = metadata?.schoolId;
  const paymentId = metadata?.paymentId;
  if (!schoolId || !paymentId) return; // not one of ours (another integration on the same account)
  const [school] = await services.platform.listActiveSchools({ schoolIds: [schoolId] });
  const state = await services.platform.schoolStripeState(schoolId);
  if (!state) return;
  const origin = school ? publicLinks(publicAddressOf(services.env)).school(school) : undefined;
  await services.platform.schoolDb(schoolId).run(
    async (tx) => {
      if (event.type.startsWith("checkout.session.")) await settleCheckout(tx, stripe, services.mailer, { paymentId, now, origin });
      else if (event.type === "charge.refunded") await syncChargeRefunds(tx, stripe, services.mailer, { paymentId, now });
      else if (disputeId) await syncDispute(tx, stripe, services.mailer, { paymentId, disputeId, now });
    },
    { timeout: 60_000 },
  );
}
