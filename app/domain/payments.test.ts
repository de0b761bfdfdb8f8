import { describe, expect, it } from "vitest";
import { money } from "./money";
import { fromStripeAmount, isAcceptedEventType, platformFee, platformFeeKept, schoolShare, toStripeAmount, transferReversal } from "./payments";

const usd = (n: number) => money(n, "USD");

describe("platform fee and the school's share", () => {
  it("takes basis points rounded half up, the rest goes to the school", () => {
    expect(platformFee(usd(10_000), 250)).toEqual(usd(250));
    expect(platformFee(usd(1_001), 250)).toEqual(usd(25)); // 25.025 → 25
    expect(platformFee(usd(1_002), 250)).toEqual(usd(25)); // 25.05 → 25
    expect(platformFee(usd(1_020), 250)).toEqual(usd(26)); // 25.5 → 26
    expect(schoolShare(usd(1_020), usd(26))).toEqual(usd(994));
    expect(platformFee(money(1200, "JPY"), 300)).toEqual(money(36, "JPY"));
    expect(platformFee(usd(500), 0)).toEqual(usd(0));
  });
  it("refuses a fee outside 0–100 %", () => {
    expect(() => platformFee(usd(100), -1)).toThrow(/between 0 and 100/);
    expect(() => platformFee(usd(100), 10_001)).toThrow(/between 0 and 100/);
  });
});

describe("transfer reversals for refunds", () => {
  it("reverses the school's proportional share; parts add up to a whole refund exactly", () => {
    const charged = usd(10_001);
    const transferred = usd(9_751); // fee 250
    const parts = [3_333, 3_333, 3_335];
    let refundedBefore = 0;
    let reversedBefore = 0;
    for (const part of parts) {
      const r = transferReversal({ charged, transferred, refundedBefore: usd(refundedBefore), refund: usd(part), reversedBefore: usd(reversedBefore) });
      refundedBefore += part;
      reversedBefore += r.amountMinor;
    }
    expect(refundedBefore).toBe(10_001);
    expect(reversedBefore).toBe(9_751);
  });
  it("a partial refund reverses its share only", () => {
    expect(transferReversal({ charged: usd(10_000), transferred: usd(9_750), refundedBefore: usd(0), refund: usd(4_000), reversedBefore: usd(0) })).toEqual(usd(3_900));
  });
  it("refuses more than the charge", () => {
    expect(() => transferReversal({ charged: usd(100), transferred: usd(97), refundedBefore: usd(60), refund: usd(41), reversedBefore: usd(58) })).toThrow(/more than what is left/);
  });
});

describe("Stripe's minor units", () => {
  it("are ours for USD, JPY and BHD", () => {
    expect(toStripeAmount(usd(1250))).toBe(1250);
    expect(toStripeAmount(money(1200, "JPY"))).toBe(1200);
    expect(toStripeAmount(money(1250, "BHD"))).toBe(1250);
    expect(fromStripeAmount(1250, "usd")).toEqual(usd(1250));
  });
  it("convert where CLDR and Stripe differ, both ways", () => {
    // ISK: 0 digits in CLDR, two-decimal in Stripe's API.
    expect(toStripeAmount(money(500, "ISK"))).toBe(50_000);
    expect(fromStripeAmount(50_000, "isk")).toEqual(money(500, "ISK"));
    expect(() => fromStripeAmount(50_050, "isk")).toThrow(/not a whole/);
  });
});

describe("accepted webhook events", () => {
  it("accepts the payment events and refuses others", () => {
    expect(isAcceptedEventType("checkout.session.completed")).toBe(true);
    expect(isAcceptedEventType("charge.dispute.closed")).toBe(true);
    expect(isAcceptedEventType("customer.created")).toBe(false);
  });
});

describe("platformFeeKept", () => {
  const usd = (n: number) => ({ amountMinor: n, currency: "USD" });
  it("is the fee without refunds, and shrinks with the school's share of each refund", () => {
    expect(platformFeeKept({ charged: usd(12_000), fee: usd(300), refunded: usd(0) })).toEqual(usd(300));
    // 45.00 of 120.00 back: the school returns 45 × 117/120 = 43.875 → 43.88 of its transfer, the platform 1.12 of its fee.
    expect(platformFeeKept({ charged: usd(12_000), fee: usd(300), refunded: usd(4_500) })).toEqual(usd(188));
    expect(platformFeeKept({ charged: usd(12_000), fee: usd(300), refunded: usd(12_000) })).toEqual(usd(0));
  });
  it("agrees with the transfer reversals made refund by refund", () => {
    const charged = usd(10_001);
    const fee = platformFee(charged, 250);
    const transferred = schoolShare(charged, fee);
    let refunded = usd(0);
    let reversed = usd(0);
    for (const part of [1_234, 3_333, 5_434]) {
      const r = transferReversal({ charged, transferred, refundedBefore: refunded, refund: usd(part), reversedBefore: reversed });
      refunded = usd(refunded.amountMinor + part);
      reversed = usd(reversed.amountMinor + r.amountMinor);
      const kept = charged.amountMinor - refunded.amountMinor - (transferred.amountMinor - reversed.amountMinor);
      expect(platformFeeKept({ charged, fee, refunded })).toEqual(usd(kept));
    }
  });
});
