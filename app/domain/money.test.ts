import { describe, expect, it } from "vitest";
import {
  MoneyError,
  add,
  allocatePayment,
  currencyExponent,
  divideHalfUp,
  fromDecimalString,
  money,
  multiply,
  negate,
  parseMoney,
  parsePercent,
  percentOf,
  ratio,
  splitInstalments,
  subtract,
  sum,
  toDecimalString,
} from "./money";

const usd = (n: number) => money(n, "USD");
const jpy = (n: number) => money(n, "JPY");

/** Small deterministic PRNG (mulberry32) for generated cases. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function parsed(input: string, currency = "USD", options = {}) {
  const r = parseMoney(input, currency, options);
  if (!r.ok) throw new Error(`expected "${input}" to parse, got: ${r.error}`);
  return r.money.amountMinor;
}

function parseError(input: string, currency = "USD", options = {}) {
  const r = parseMoney(input, currency, options);
  if (r.ok) throw new Error(`expected "${input}" to be refused, got ${r.money.amountMinor}`);
  return r.error;
}

describe("currencies", () => {
  it("knows the minor-unit exponent per currency", () => {
    expect(currencyExponent("USD")).toBe(2);
    expect(currencyExponent("EUR")).toBe(2);
    expect(currencyExponent("JPY")).toBe(0);
    expect(currencyExponent("KRW")).toBe(0);
    expect(currencyExponent("BHD")).toBe(3);
  });

  it("refuses unknown or lower-case codes", () => {
    expect(() => money(1, "usd")).toThrow(MoneyError);
    expect(() => money(1, "XYZ")).toThrow(/not a currency code/);
  });

  it("refuses fractional and unsafe minor amounts", () => {
    expect(() => usd(1.5)).toThrow(/whole number/);
    expect(() => usd(Number.MAX_SAFE_INTEGER + 1)).toThrow(/too large/);
    expect(() => usd(Number.NaN)).toThrow(/not a number/);
  });
});

describe("arithmetic", () => {
  it("adds and subtracts in one currency only", () => {
    expect(add(usd(1050), usd(25))).toEqual(usd(1075));
    expect(subtract(usd(100), usd(250))).toEqual(usd(-150));
    expect(() => add(usd(1), jpy(1))).toThrow(/USD and JPY/);
    expect(sum("USD", [])).toEqual(usd(0));
    expect(negate(usd(0)).amountMinor).toBe(0); // never -0
    expect(Object.is(negate(usd(0)).amountMinor, -0)).toBe(false);
  });

  it("throws instead of overflowing", () => {
    expect(() => add(usd(Number.MAX_SAFE_INTEGER), usd(1))).toThrow(/too large/);
    expect(() => multiply(usd(Number.MAX_SAFE_INTEGER), 2)).toThrow(/too large/);
    expect(() => multiply(usd(100), 1.5)).toThrow(/whole number/);
  });
});

describe("rounding: half-up, away from zero", () => {
  it("divides exactly with BigInt", () => {
    expect(divideHalfUp(5n, 2n)).toBe(3n);
    expect(divideHalfUp(-5n, 2n)).toBe(-3n);
    expect(divideHalfUp(7n, 3n)).toBe(2n);
    expect(divideHalfUp(8n, 3n)).toBe(3n);
    expect(divideHalfUp(5n, -2n)).toBe(-3n);
    expect(divideHalfUp(0n, 7n)).toBe(0n);
  });

  it("takes percentages in basis points", () => {
    expect(percentOf(usd(1235), 1000)).toEqual(usd(124)); // 123.5 → 124
    expect(percentOf(usd(-1235), 1000)).toEqual(usd(-124)); // symmetric
    expect(percentOf(usd(1234), 1000)).toEqual(usd(123));
    expect(percentOf(jpy(1005), 1000)).toEqual(jpy(101)); // 100.5 → 101
    expect(percentOf(usd(Number.MAX_SAFE_INTEGER), 10_000)).toEqual(usd(Number.MAX_SAFE_INTEGER)); // no float overflow
  });

  it("prorates with a ratio", () => {
    expect(ratio(usd(68000), 7, 10)).toEqual(usd(47600));
    expect(ratio(usd(10000), 1, 3)).toEqual(usd(3333));
    expect(ratio(usd(10000), 2, 3)).toEqual(usd(6667));
    expect(() => ratio(usd(1), 1, 0)).toThrow(/zero/);
  });

  it("parses percentages exactly", () => {
    expect(parsePercent("10")).toEqual({ ok: true, basisPoints: 1000 });
    expect(parsePercent("12.5 %")).toEqual({ ok: true, basisPoints: 1250 });
    expect(parsePercent("7,25%")).toEqual({ ok: true, basisPoints: 725 });
    expect(parsePercent("0.07")).toEqual({ ok: true, basisPoints: 7 });
    expect(parsePercent("101")).toMatchObject({ ok: false, error: expect.stringMatching(/more than 100/) });
    expect(parsePercent("1.234")).toMatchObject({ ok: false, error: expect.stringMatching(/too many decimals/) });
    expect(parsePercent("ten")).toMatchObject({ ok: false });
    expect(parsePercent("")).toMatchObject({ ok: false });
  });
});

describe("parseMoney", () => {
  it("reads what people type, exactly", () => {
    expect(parsed("12.50")).toBe(1250);
    expect(parsed("12.5")).toBe(1250);
    expect(parsed("12")).toBe(1200);
    expect(parsed(".5")).toBe(50);
    expect(parsed("0.07")).toBe(7);
    expect(parsed("1,234.5")).toBe(123450);
    expect(parsed("1,234,567.89")).toBe(123456789);
    expect(parsed(" $ 12.50 ")).toBe(1250);
    expect(parsed("US$12")).toBe(1200);
    expect(parsed("12.50 USD")).toBe(1250);
    expect(parsed("USD 12.50")).toBe(1250);
    expect(parsed("1,23,456.00", "USD")).toBe(12345600); // Indian grouping
    expect(parsed("0.10")).toBe(10); // 0.1 + 0.2 style float traps never happen
    expect(parsed("19.99")).toBe(1999);
    expect(parsed("4.35")).toBe(435); // 4.35 * 100 = 434.99999999999994 in floats
  });

  it("handles zero-decimal and three-decimal currencies", () => {
    expect(parsed("¥1200", "JPY")).toBe(1200);
    expect(parsed("¥1,200", "JPY")).toBe(1200);
    expect(parsed("1200 JPY", "JPY")).toBe(1200);
    expect(parseError("1200.50", "JPY")).toMatch(/JPY amounts have no decimals/);
    expect(parsed("1.234", "BHD")).toBe(1234);
    expect(parseError("1.2345", "BHD")).toMatch(/at most 3 decimals/);
  });

  it("follows the school's locale marks", () => {
    expect(parsed("1.234,50", "EUR", { locale: "de-DE" })).toBe(123450);
    expect(parsed("12,50 €", "EUR", { locale: "de-DE" })).toBe(1250);
    expect(parsed("1 234,50 €", "EUR", { locale: "fr-FR" })).toBe(123450);
    expect(parsed("1\u202f234,50", "EUR", { locale: "fr-FR" })).toBe(123450);
    expect(parsed("£1,234.50", "GBP", { locale: "en-GB" })).toBe(123450);
    expect(parseError("12.50", "EUR", { locale: "de-DE" })).toMatch(/wrong place/);
  });

  it("says what is wrong, in words", () => {
    expect(parseError("")).toMatch(/missing/);
    expect(parseError("abc")).toMatch(/not an amount/);
    expect(parseError("12.345")).toMatch(/at most 2 decimals/);
    expect(parseError("1.2.3")).toMatch(/more than one decimal mark/);
    expect(parseError("12.")).toMatch(/ends with a decimal mark/);
    expect(parseError("1,23.45")).toMatch(/wrong place/);
    expect(parseError("12,50")).toMatch(/wrong place/);
    expect(parseError("1234,567.00")).toMatch(/wrong place/);
    expect(parseError("€12", "USD")).toMatch(/another currency \(€\).*USD/);
    expect(parseError("12 EUR", "USD")).toMatch(/another currency \(EUR\)/);
    expect(parseError("-5")).toMatch(/cannot be negative/);
    expect(parseError("$")).toMatch(/no digits/);
    expect(parseError("99999999999999999")).toMatch(/too large/);
    expect(parseError("0", "USD", { allowZero: false })).toMatch(/more than zero/);
    expect(parseError("", "USD", { label: "Price" })).toMatch(/^Price is missing/);
  });

  it("accepts negatives when asked", () => {
    expect(parsed("-12.50", "USD", { allowNegative: true })).toBe(-1250);
    expect(parsed("-$12.50", "USD", { allowNegative: true })).toBe(-1250);
    expect(parsed("$-12.50", "USD", { allowNegative: true })).toBe(-1250);
  });

  it("round-trips every generated amount through its decimal string", () => {
    const next = rng(11);
    for (let i = 0; i < 2000; i++) {
      const currency = ["USD", "JPY", "BHD"][i % 3]!;
      const minor = Math.floor(next() * 1e12) * (next() < 0.2 ? -1 : 1);
      const m = money(minor, currency);
      const text = toDecimalString(m);
      expect(fromDecimalString(text, currency)).toEqual(m);
      expect(parsed(text, currency, { allowNegative: true })).toBe(m.amountMinor);
    }
  });
});

describe("decimal strings", () => {
  it("reads database decimals exactly", () => {
    expect(fromDecimalString("680.00", "USD")).toEqual(usd(68000));
    expect(fromDecimalString("1200.00", "JPY")).toEqual(jpy(1200));
    expect(fromDecimalString("0.5", "USD")).toEqual(usd(50));
    expect(() => fromDecimalString("1200.50", "JPY")).toThrow(/more decimals than JPY/);
    expect(() => fromDecimalString("12,00", "USD")).toThrow(MoneyError);
  });

  it("writes plain decimals", () => {
    expect(toDecimalString(usd(123450))).toBe("1234.50");
    expect(toDecimalString(usd(5))).toBe("0.05");
    expect(toDecimalString(usd(-5))).toBe("-0.05");
    expect(toDecimalString(jpy(1200))).toBe("1200");
    expect(toDecimalString(money(7, "BHD"))).toBe("0.007");
  });
});

describe("splitInstalments", () => {
  it("puts the remainder on the first instalments by default", () => {
    expect(splitInstalments(usd(10000), 3).map((m) => m.amountMinor)).toEqual([3334, 3333, 3333]);
    expect(splitInstalments(usd(10000), 3, "LAST").map((m) => m.amountMinor)).toEqual([3333, 3333, 3334]);
    expect(splitInstalments(usd(10001), 4).map((m) => m.amountMinor)).toEqual([2501, 2500, 2500, 2500]);
    expect(splitInstalments(jpy(1000), 3).map((m) => m.amountMinor)).toEqual([334, 333, 333]);
    expect(splitInstalments(usd(-10000), 3).map((m) => m.amountMinor)).toEqual([-3334, -3333, -3333]);
    expect(splitInstalments(usd(2), 5).map((m) => m.amountMinor)).toEqual([1, 1, 0, 0, 0]);
    expect(() => splitInstalments(usd(1), 0)).toThrow(/at least 1/);
  });

  it("always sums exactly and differs by at most one unit (generated)", () => {
    const next = rng(42);
    for (let i = 0; i < 3000; i++) {
      const amount = usd(Math.floor(next() * 1e9) - 1e8);
      const n = 1 + Math.floor(next() * 24);
      const parts = splitInstalments(amount, n, next() < 0.5 ? "FIRST" : "LAST");
      expect(parts).toHaveLength(n);
      expect(sum("USD", parts)).toEqual(amount);
      const values = parts.map((p) => p.amountMinor);
      expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
    }
  });
});

describe("allocatePayment", () => {
  const inv = (id: string, dueDate: string, owed: number, number?: string) => ({ id, dueDate, number, outstanding: usd(owed) });

  it("pays the oldest due date first and leaves the rest as credit", () => {
    const r = allocatePayment(usd(15000), [inv("b", "2026-03-01", 10000), inv("a", "2026-02-01", 8000), inv("c", "2026-04-01", 5000)]);
    expect(r.allocations).toEqual([
      { invoiceId: "a", amount: usd(8000) },
      { invoiceId: "b", amount: usd(7000) },
    ]);
    expect(r.unallocated).toEqual(usd(0));

    const over = allocatePayment(usd(30000), [inv("a", "2026-02-01", 8000), inv("z", "2026-02-01", 0)]);
    expect(over.allocations).toEqual([{ invoiceId: "a", amount: usd(8000) }]);
    expect(over.unallocated).toEqual(usd(22000));
  });

  it("breaks due-date ties by invoice number", () => {
    const r = allocatePayment(usd(100), [inv("x", "2026-02-01", 100, "HMA-000002"), inv("y", "2026-02-01", 100, "HMA-000001")]);
    expect(r.allocations.map((a) => a.invoiceId)).toEqual(["y"]);
  });

  it("refuses negative payments and mixed currencies", () => {
    expect(() => allocatePayment(usd(-1), [])).toThrow(/negative/);
    expect(() => allocatePayment(usd(1), [{ id: "j", dueDate: "2026-01-01", outstanding: jpy(5) }])).toThrow(/USD and JPY/);
  });

  it("never allocates more than paid or owed (generated)", () => {
    const next = rng(7);
    for (let i = 0; i < 1000; i++) {
      const invoices = Array.from({ length: Math.floor(next() * 6) }, (_, k) =>
        inv(`i${k}`, `2026-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 9)}`, Math.floor(next() * 50000)),
      );
      const paid = usd(Math.floor(next() * 120000));
      const { allocations, unallocated } = allocatePayment(paid, invoices);
      expect(add(sum("USD", allocations.map((a) => a.amount)), unallocated)).toEqual(paid);
      for (const a of allocations) {
        expect(a.amount.amountMinor).toBeGreaterThan(0);
        expect(a.amount.amountMinor).toBeLessThanOrEqual(invoices.find((x) => x.id === a.invoiceId)!.outstanding.amountMinor);
      }
      const owed = invoices.reduce((s, x) => s + x.outstanding.amountMinor, 0);
      expect(unallocated.amountMinor).toBe(Math.max(0, paid.amountMinor - owed));
    }
  });
});
