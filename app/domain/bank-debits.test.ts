import { describe, expect, it } from "vitest";
import { autopayFailureMessage, autopayPaymentId, bankDebitFor, cardExpiry, checkoutOutcome, checkoutPaymentMethods } from "./bank-debits";

describe("the bank debit Stripe offers for a school's currency", () => {
  it("maps each currency with a Stripe bank debit, in any case", () => {
    expect(bankDebitFor("USD")).toBe("us_bank_account");
    expect(bankDebitFor("eur")).toBe("sepa_debit");
    expect(bankDebitFor("GBP")).toBe("bacs_debit");
    expect(bankDebitFor("AUD")).toBe("au_becs_debit");
    expect(bankDebitFor("CAD")).toBe("acss_debit");
  });
  it("offers card only elsewhere", () => {
    expect(bankDebitFor("JPY")).toBeNull();
    expect(checkoutPaymentMethods("JPY")).toEqual({ types: ["card"], options: {} });
  });
  it("puts card first, and gives Canadian debits their mandate", () => {
    expect(checkoutPaymentMethods("USD")).toEqual({ types: ["card", "us_bank_account"], options: {} });
    expect(checkoutPaymentMethods("CAD")).toEqual({
      types: ["card", "acss_debit"],
      options: { acss_debit: { mandate_options: { payment_schedule: "sporadic", transaction_type: "personal" } } },
    });
  });
});

describe("what a checkout says, re-read from Stripe", () => {
  it("paid when the session is paid", () => {
    expect(checkoutOutcome({ status: "complete", payment_status: "paid" }, "succeeded")).toBe("paid");
  });
  it("processing while a bank debit is under way; failed when it was refused", () => {
    expect(checkoutOutcome({ status: "complete", payment_status: "unpaid" }, "processing")).toBe("processing");
    expect(checkoutOutcome({ status: "complete", payment_status: "unpaid" }, "requires_payment_method")).toBe("failed");
    expect(checkoutOutcome({ status: "complete", payment_status: "unpaid" }, "succeeded")).toBe("paid");
  });
  it("open while the payer has not finished; failed when it expired", () => {
    expect(checkoutOutcome({ status: "open", payment_status: "unpaid" }, null)).toBe("open");
    expect(checkoutOutcome({ status: "expired", payment_status: "unpaid" }, null)).toBe("failed");
  });
});

describe("autopay", () => {
  it("has one attempt per invoice and local date", () => {
    expect(autopayPaymentId("inv1", "2031-09-10")).toBe("inv1-autopay-2031-09-10");
    expect(() => autopayPaymentId("inv1", "10/09/2031")).toThrow(/local date/);
  });
  it("tells the family why a charge failed, in words", () => {
    expect(autopayFailureMessage({ code: "card_declined", decline_code: "insufficient_funds" })).toMatch(/declined/);
    expect(autopayFailureMessage({ code: "authentication_required" })).toMatch(/confirm/);
    expect(autopayFailureMessage({ code: "expired_card" })).toMatch(/expired/);
    expect(autopayFailureMessage({ message: "Something" })).toMatch(/Something/);
  });
  it("reads a card's expiry, expired after its month", () => {
    expect(cardExpiry(3, 2031, "2031-03-31")).toEqual({ label: "03/2031", expired: false });
    expect(cardExpiry(3, 2031, "2031-04-01")).toEqual({ label: "03/2031", expired: true });
    expect(cardExpiry(12, 2030, "2031-01-15").expired).toBe(true);
  });
});
