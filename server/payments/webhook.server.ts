// POST /webhooks/stripe (mounted in server/app.ts before the form-only input guard: Stripe
// sends JSON). The signature is checked on the raw body with the SDK; an accepted event is
// stored once by its id (a duplicate delivery is answered 200 and changes nothing) and
// processed by the `stripe-events` job, or right here when the server runs no jobs.
import type { Context } from "hono";
import { isAcceptedEventType } from "../../app/domain/payments";
import type { Services } from "../context";
import { processStripeEvents } from "../jobs/stripe-events.server";
import type { Logger } from "../log.server";

export function stripeWebhook(services: Pick<Services, "platform" | "mailer" | "payments" | "clock" | "env">, log: Logger) {
  return async (c: Context) => {
    const { payments } = services;
    if (!payments.enabled) return c.text("Online payments are switched off on this server.", 404);
    const raw = await c.req.text();
    const signature = c.req.header("stripe-signature") ?? "";
    const stripe = await payments.stripe();
    let event: { id: string; type: string; account?: string | null } | null = null;
    for (const secret of payments.webhookSecrets) {
      try {
        event = stripe.webhooks.constructEvent(raw, signature, secret);
        break;
      } catch {
        // try the next endpoint's secret
      }
    }
    if (!event) return c.text("The Stripe-Signature header does not match this body.", 400);
    if (!isAcceptedEventType(event.type)) return c.json({ received: true, ignored: event.type });
    const stored = await services.platform.storeStripeEvent({ id: event.id, type: event.type, account: event.account ?? null, payload: JSON.parse(raw) as object });
    if (stored) {
      if (payments.hasEventListener) payments.eventStored();
      else {
        // No jobs on this server: process now; a failure stays stored for the next delivery's run.
        const report = await processStripeEvents(services).catch((error: unknown) => {
          log.error({ err: error }, "stripe events failed");
          return null;
        });
        for (const f of report?.failed ?? []) log.error({ eventId: f.id, error: f.error }, "stripe event failed");
      }
    }
    return c.json({ received: true, duplicate: !stored });
  };
}
