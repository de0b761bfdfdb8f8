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
