import { describe, expect, it } from "vitest";
import { z } from "zod";
import { amountInput, dayListField, moneyField, paymentMemo, percentField, percentInput } from "./billing-form";

describe("billing form fields", () => {
  it("reads amounts in the school's currency and locale, zero-decimal included, and writes them back the same way", () => {
    expect(moneyField({ currency: "USD", locale: "en-US", label: "Price" }).parse("1,234.5")).toBe(123450);
    expect(moneyField({ currency: "EUR", locale: "de-DE", label: "Price" }).parse("12,50 €")).toBe(1250);
    expect(moneyField({ currency: "JPY", locale: "ja-JP", label: "Price" }).parse("¥1200")).toBe(1200);
    const refused = moneyField({ currency: "JPY", locale: "ja-JP", label: "Price" }).safeParse("12.50");
    expect(refused.success).toBe(false);
    expect(amountInput(1250, "EUR", "de-DE")).toBe("12,50");
    expect(amountInput(1200, "JPY", "ja-JP")).toBe("1200");
    expect(amountInput(123450, "USD", "en-US")).toBe("1234.50");
  });

  it("reads percentages and reminder days, with the reason when they do not fit", () => {
    expect(percentField("Tax rate").parse("12.5 %")).toBe(1250);
    expect(percentField("Tax rate").parse("")).toBeNull();
    expect(percentField("Tax rate").safeParse("150").error?.issues[0]?.message).toMatch(/more than 100/);
    expect(percentInput(1250)).toBe("12.5");
    expect(percentInput(1000)).toBe("10");
    expect(percentInput(725)).toBe("7.25");
    expect(dayListField("Reminders").parse("21, 7 7")).toEqual([7, 21]);
    expect(dayListField("Reminders").parse("")).toEqual([]);
    const bad = z.object({ d: dayListField("Reminders") }).safeParse({ d: "7, soon" });
    expect(bad.error?.issues[0]?.message).toMatch(/"soon" is not a number of days/);
    expect(paymentMemo("CHECK CHK 1042")).toBe("Check CHK 1042");
    expect(paymentMemo("BANK_TRANSFER")).toBe("Bank transfer");
    expect(paymentMemo("Refund of overpayment")).toBe("Refund of overpayment");
  });
});
