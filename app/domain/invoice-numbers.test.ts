import { describe, expect, it } from "vitest";
import { checkGapless, formatInvoiceNumber, parseInvoiceNumber, validateInvoicePrefix } from "./invoice-numbers";

describe("invoice numbers", () => {
  it("formats with the school's prefix, zero-padded", () => {
    expect(formatInvoiceNumber("HMA", 123)).toBe("HMA-000123");
    expect(formatInvoiceNumber(" HMA ", 1)).toBe("HMA-000001");
    expect(formatInvoiceNumber("HMA", 1234567)).toBe("HMA-1234567");
    expect(formatInvoiceNumber("2026/T1", 42, 4)).toBe("2026/T1-0042");
    expect(() => formatInvoiceNumber("HMA", 0)).toThrow(/from 1/);
    expect(() => formatInvoiceNumber("HMA", 1.5)).toThrow(/whole number/);
    expect(() => formatInvoiceNumber("", 1)).toThrow(/Enter an invoice number prefix/);
  });

  it("parses what it formats", () => {
    for (const n of [1, 9, 10, 999999, 1000000]) expect(parseInvoiceNumber(formatInvoiceNumber("HMA-NY", n))).toEqual({ prefix: "HMA-NY", number: n });
    expect(parseInvoiceNumber("HMA123")).toBeNull();
    expect(parseInvoiceNumber("HMA-000000")).toBeNull();
    expect(parseInvoiceNumber("-000001")).toBeNull();
  });

  it("validates prefixes in words", () => {
    expect(validateInvoicePrefix("HMA")).toEqual([]);
    expect(validateInvoicePrefix("   ")[0]).toMatch(/Enter/);
    expect(validateInvoicePrefix("ABCDEFGHIJKLM")[0]).toMatch(/at most 12/);
    expect(validateInvoicePrefix("H M")[0]).toMatch(/letters, digits/);
  });

  it("finds gaps and duplicates", () => {
    expect(checkGapless([3, 1, 2])).toEqual({ missing: [], duplicates: [] });
    expect(checkGapless([1, 2, 4, 4, 6])).toEqual({ missing: [3, 5], duplicates: [4] });
    expect(checkGapless([])).toEqual({ missing: [], duplicates: [] });
  });
});
