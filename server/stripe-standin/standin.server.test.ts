import { describe, expect, it } from "vitest";
import { parseForm } from "./standin.server";

describe("the stand-in reads Stripe's form encoding", () => {
  it("nests brackets, turns numbered keys into lists in order, keeps strings", () => {
    const body = new URLSearchParams([
      ["mode", "payment"],
      ["line_items[1][quantity]", "2"],
      ["line_items[0][quantity]", "1"],
      ["line_items[0][price_data][currency]", "usd"],
      ["line_items[0][price_data][unit_amount]", "1250"],
      ["payment_intent_data[metadata][schoolId]", "s1"],
      ["expand[0]", "refunds"],
    ]).toString();
    expect(parseForm(body)).toEqual({
      mode: "payment",
      line_items: [{ quantity: "1", price_data: { currency: "usd", unit_amount: "1250" } }, { quantity: "2" }],
      payment_intent_data: { metadata: { schoolId: "s1" } },
      expand: ["refunds"],
    });
  });
  it("reads an empty body as nothing", () => {
    expect(parseForm("")).toEqual({});
  });
});

describe("the stand-in's saved cards (autopay)", () => {
  it("honours idempotency keys for customers and off-session charges, and replays a decline without a second intent", async () => {
    const { default: Stripe } = await import("stripe");
    const { DECLINED_LATER_CARD, STANDIN_SECRET_KEY, SUCCEEDING_CARD, startStripeStandin } = await import("./standin.server");
    const standin = await startStripeStandin();
    try {
      const stripe = new Stripe(STANDIN_SECRET_KEY, { host: standin.host, port: standin.port, protocol: "http", telemetry: false, maxNetworkRetries: 0 });
      const one = await stripe.customers.create({ email: "a@x.test" }, { idempotencyKey: "customer:f1" });
      const two = await stripe.customers.create({ email: "a@x.test" }, { idempotencyKey: "customer:f1" });
      expect(two.id).toBe(one.id);

      const saveCard = async (card: string) => {
        const session = await stripe.checkout.sessions.create({ mode: "setup", customer: one.id, currency: "usd", success_url: "http://x.test/ok", cancel_url: "http://x.test/no" });
        await standin.payCheckout(session.id, card);
        const done = await stripe.checkout.sessions.retrieve(session.id);
        const seti = await stripe.setupIntents.retrieve(String(done.setup_intent));
        return stripe.paymentMethods.retrieve(String(seti.payment_method));
      };
      const good = await saveCard(SUCCEEDING_CARD);
      expect(good.card).toMatchObject({ brand: "visa", last4: "4242", exp_month: 12, exp_year: 2034 });
      const bad = await saveCard(DECLINED_LATER_CARD);
      expect((await stripe.customers.listPaymentMethods(one.id)).data.map((pm) => pm.id).sort()).toEqual([good.id, bad.id].sort());

      const charge = (pm: string, key: string) => stripe.paymentIntents.create({ amount: 1000, currency: "usd", customer: one.id, payment_method: pm, off_session: true, confirm: true }, { idempotencyKey: key });
      const paid = await charge(good.id, "autopay:p1");
      expect(paid.status).toBe("succeeded");
      expect((await charge(good.id, "autopay:p1")).id).toBe(paid.id);
      const before = standin.paymentIntents().length;
      await expect(charge(bad.id, "autopay:p2")).rejects.toMatchObject({ type: "StripeCardError", code: "card_declined" });
      await expect(charge(bad.id, "autopay:p2")).rejects.toMatchObject({ type: "StripeCardError", code: "card_declined" });
      expect(standin.paymentIntents().length - before).toBe(1);

      await stripe.paymentMethods.detach(bad.id);
      await expect(stripe.paymentMethods.detach(bad.id)).rejects.toMatchObject({ code: "payment_method_unexpected_state" });
      expect((await stripe.customers.listPaymentMethods(one.id)).data.map((pm) => pm.id)).toEqual([good.id]);
    } finally {
      await standin.close();
    }
  });
});
