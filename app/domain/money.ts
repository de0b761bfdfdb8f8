/**
 * Money as integers in the currency's minor unit, with its ISO 4217 code.
 *
 * Rules (see ARCHITECTURE.md, "Billing: the pure core"):
 * - An amount is `{ amountMinor, currency }`: 12.50 USD is `{ amountMinor: 1250, currency: "USD" }`,
 *   ¥1200 is `{ amountMinor: 1200, currency: "JPY" }`. `amountMinor` is always a safe integer;
 *   every operation checks its result and throws rather than lose a unit.
 * - The minor-unit exponent comes from `Intl.NumberFormat(…).resolvedOptions()`, the same
 *   source the school's Formatter (locale.ts, `moneyMinor`) uses to print amounts, so what
 *   we compute and what we print can never disagree (JPY 0, USD 2, BHD 3).
 * - No floats anywhere: typed amounts and database decimals ("680.00") are parsed digit by
 *   digit; products and ratios go through BigInt before rounding.
 * - One rounding rule: half-up, away from zero (2.5 → 3, −2.5 → −3). It is what people do
 *   by hand and what tax authorities (GST, VAT) expect on invoices, and being symmetric
 *   around zero means a credit note rounds exactly like the invoice it reverses.
 * - Arithmetic only within one currency; mixing throws `MoneyError`.
 */

export interface Money {
  readonly amountMinor: number;
  /** ISO 4217 code, upper case ("USD", "JPY"). */
  readonly currency: string;
}

export class MoneyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MoneyError";
  }
}

// ---------------------------------------------------------------------------
// Currencies
// ---------------------------------------------------------------------------

const exponentCache = new Map<string, number>();
let knownCurrencies: Set<string> | null = null;

function supportedCurrencies(): Set<string> | null {
  if (knownCurrencies) return knownCurrencies;
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  if (typeof intl.supportedValuesOf !== "function") return null;
  knownCurrencies = new Set(intl.supportedValuesOf("currency"));
  return knownCurrencies;
}

/** True for a three-letter ISO 4217 code this runtime knows ("USD"; not "usd", not "XYZ"). */
export function isCurrencyCode(code: unknown): code is string {
  if (typeof code !== "string" || !/^[A-Z]{3}$/.test(code)) return false;
  const known = supportedCurrencies();
  return known ? known.has(code) : true;
}

export function assertCurrency(code: string): void {
  if (!isCurrencyCode(code)) throw new MoneyError(`"${code}" is not a currency code we know (use an ISO 4217 code such as USD, EUR or JPY).`);
}

/** Digits after the decimal point in the currency's minor unit: JPY 0, USD 2, BHD 3. */
export function currencyExponent(currency: string): number {
  const cached = exponentCache.get(currency);
  if (cached !== undefined) return cached;
  assertCurrency(currency);
  const digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  exponentCache.set(currency, digits);
  return digits;
}

// ---------------------------------------------------------------------------
// Construction and arithmetic
// ---------------------------------------------------------------------------

function checkMinor(amountMinor: number, what = "The amount"): number {
  if (!Number.isSafeInteger(amountMinor)) {
    if (Number.isNaN(amountMinor)) throw new MoneyError(`${what} is not a number.`);
    throw new MoneyError(
      Number.isInteger(amountMinor) || !Number.isFinite(amountMinor)
        ? `${what} is too large.`
        : `${what} must be a whole number of minor units (got ${amountMinor}).`,
    );
  }
  return amountMinor === 0 ? 0 : amountMinor; // no -0
}

/** An amount in minor units. Throws for a non-integer, unsafe integer or unknown currency. */
export function money(amountMinor: number, currency: string): Money {
  assertCurrency(currency);
  return { amountMinor: checkMinor(amountMinor), currency };
}

export function zero(currency: string): Money {
  return money(0, currency);
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new MoneyError(`Cannot combine ${a.currency} and ${b.currency} amounts.`);
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return { amountMinor: checkMinor(a.amountMinor + b.amountMinor, "The sum"), currency: a.currency };
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return { amountMinor: checkMinor(a.amountMinor - b.amountMinor, "The difference"), currency: a.currency };
}

export function negate(a: Money): Money {
  return { amountMinor: checkMinor(-a.amountMinor), currency: a.currency };
}

/** Sum of amounts, all in `currency` (an empty list sums to zero). */
export function sum(currency: string, amounts: readonly Money[]): Money {
  let total = zero(currency);
  for (const a of amounts) total = add(total, a);
  return total;
}

/** An amount times a whole quantity (e.g. a per-lesson rate × 9 lessons). */
export function multiply(a: Money, quantity: number): Money {
  if (!Number.isSafeInteger(quantity)) throw new MoneyError(`A quantity must be a whole number (got ${quantity}).`);
  return { amountMinor: checkMinor(a.amountMinor * quantity, "The product"), currency: a.currency };
}

export function compare(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  return a.amountMinor < b.amountMinor ? -1 : a.amountMinor > b.amountMinor ? 1 : 0;
}

export function isZero(a: Money): boolean {
  return a.amountMinor === 0;
}

export function min(a: Money, b: Money): Money {
  return compare(a, b) <= 0 ? a : b;
}

export function equals(a: Money, b: Money): boolean {
  return a.currency === b.currency && a.amountMinor === b.amountMinor;
}

// ---------------------------------------------------------------------------
// Rounding
// ---------------------------------------------------------------------------

/** n / d rounded half-up away from zero, exactly (BigInt). d must not be 0. */
export function divideHalfUp(n: bigint, d: bigint): bigint {
  if (d === 0n) throw new MoneyError("Division by zero.");
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const negative = n < 0n;
  const abs = negative ? -n : n;
  const q = (abs * 2n + d) / (2n * d); // floor((2|n| + d) / 2d) = round-half-up of |n|/d
  return negative ? -q : q;
}

function fromBig(value: bigint, currency: string, what: string): Money {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) throw new MoneyError(`${what} is too large.`);
  return { amountMinor: checkMinor(Number(value), what), currency };
}

/** The amount × numerator / denominator, rounded half-up (away from zero). For proration: price × 7 / 10 lessons. */
export function ratio(a: Money, numerator: number, denominator: number): Money {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator)) throw new MoneyError("A ratio needs whole numbers.");
  if (denominator === 0) throw new MoneyError("A ratio cannot have a denominator of zero.");
  return fromBig(divideHalfUp(BigInt(a.amountMinor) * BigInt(numerator), BigInt(denominator)), a.currency, "The prorated amount");
}

/** Basis points: 1 bp = 0.01 %, so 10 % = 1000 bp and 12.5 % = 1250 bp. */
export const BASIS_POINTS_PER_WHOLE = 10_000;

/** `basisPoints` of the amount, rounded half-up away from zero: 10 % of 12.35 is 1.24 (1.235 → 1.24). */
export function percentOf(a: Money, basisPoints: number): Money {
  if (!Number.isSafeInteger(basisPoints)) throw new MoneyError("A percentage must be a whole number of basis points.");
  return ratio(a, basisPoints, BASIS_POINTS_PER_WHOLE);
}

/**
 * Parses a typed percentage ("10", "12.5 %", "7.25%") into basis points, exactly.
 * At most two decimals (0.01 % = 1 bp); 0 to 100 %.
 */
export function parsePercent(input: string): { ok: true; basisPoints: number } | { ok: false; error: string } {
  const s = input.trim().replace(/\s*%$/, "");
  if (s === "") return { ok: false, error: "Enter a percentage, for example 10 or 12.5." };
  const m = /^(\d{1,3})(?:[.,](\d{1,2}))?$/.exec(s);
  if (!m) {
    if (/^\d+[.,]\d{3,}$/.test(s)) return { ok: false, error: `"${input.trim()}" has too many decimals: a percentage can have at most two (12.25).` };
    return { ok: false, error: `"${input.trim()}" is not a percentage. Write it like 10 or 12.5.` };
  }
  const bp = Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
  if (bp > BASIS_POINTS_PER_WHOLE) return { ok: false, error: "A percentage cannot be more than 100." };
  return { ok: true, basisPoints: bp };
}

// ---------------------------------------------------------------------------
// Splitting and allocation
// ---------------------------------------------------------------------------

/**
 * Splits an amount into `count` instalments that sum exactly to it. Every instalment is
 * `floor(amount / count)` and the remainder units go one each to the FIRST instalments
 * (default: a family pays the odd cent up front, and every later instalment is the same)
 * or to the LAST ones. 100.00 in 3 → 33.34, 33.33, 33.33.
 * Negative amounts split the same way mirrored (−100.00 → −33.34, −33.33, −33.33).
 */
export function splitInstalments(a: Money, count: number, remainderOn: "FIRST" | "LAST" = "FIRST"): Money[] {
  if (!Number.isSafeInteger(count) || count < 1) throw new MoneyError("The number of instalments must be a whole number of at least 1.");
  const sign = a.amountMinor < 0 ? -1 : 1;
  const abs = Math.abs(a.amountMinor);
  const base = Math.floor(abs / count);
  const remainder = abs - base * count;
  return Array.from({ length: count }, (_, i) => {
    const extra = remainderOn === "FIRST" ? i < remainder : i >= count - remainder;
    return { amountMinor: checkMinor(sign * (base + (extra ? 1 : 0))), currency: a.currency };
  });
}

export interface OpenInvoice {
  id: string;
  /** Local date the invoice is due; older due dates are paid first. */
  dueDate: string;
  /** Tie-breaker after the due date (issue order); defaults to the id. */
  number?: string | null;
  /** What is still owed on it (≥ 0). */
  outstanding: Money;
}

export interface PaymentAllocation {
  invoiceId: string;
  amount: Money;
}

/**
 * Allocates a payment across open invoices, oldest first: by due date, then invoice
 * number, then id. Each invoice gets at most what it still owes; what is left is
 * `unallocated` (account credit, applied to the next invoice). Invoices owing nothing are skipped.
 */
export function allocatePayment(
  payment: Money,
  invoices: readonly OpenInvoice[],
): { allocations: PaymentAllocation[]; unallocated: Money } {
  if (payment.amountMinor < 0) throw new MoneyError("A payment to allocate cannot be negative.");
  const order = [...invoices].sort(
    (a, b) => cmpStr(a.dueDate, b.dueDate) || cmpStr(a.number ?? a.id, b.number ?? b.id) || cmpStr(a.id, b.id),
  );
  let left = payment;
  const allocations: PaymentAllocation[] = [];
  for (const inv of order) {
    sameCurrency(payment, inv.outstanding);
    if (left.amountMinor === 0) break;
    if (inv.outstanding.amountMinor <= 0) continue;
    const amount = min(left, inv.outstanding);
    allocations.push({ invoiceId: inv.id, amount });
    left = subtract(left, amount);
  }
  return { allocations, unallocated: left };
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------
// Decimal strings (database values, CSV) and typed input
// ---------------------------------------------------------------------------

/**
 * A major-unit decimal string as stored by Prisma `Decimal` ("680.00", "-12.5", "1200.00")
 * → minor units, exactly. Digits beyond the currency's exponent must be zeros ("1200.00"
 * JPY is 1200; "12.345" USD throws).
 */
export function fromDecimalString(value: string, currency: string): Money {
  const exp = currencyExponent(currency);
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!m) throw new MoneyError(`"${value}" is not a decimal amount.`);
  const frac = m[3] ?? "";
  if (/[1-9]/.test(frac.slice(exp))) throw new MoneyError(`"${value}" has more decimals than ${currency} allows (${exp}).`);
  const digits = BigInt(m[2]! + frac.slice(0, exp).padEnd(exp, "0"));
  return fromBig(m[1] ? -digits : digits, currency, "The amount");
}

/** Minor units → a plain major-unit decimal string ("1234.50", "1200", "-0.05"), for the database and CSV. */
export function toDecimalString(a: Money): string {
  const exp = currencyExponent(a.currency);
  const sign = a.amountMinor < 0 ? "-" : "";
  const digits = String(Math.abs(a.amountMinor)).padStart(exp + 1, "0");
  return exp === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
}

export interface ParseMoneyOptions {
  /** Locale whose decimal and grouping marks the person types (default "en-US": "1,234.50"). */
  locale?: string;
  /** Accept a leading minus (refund adjustments). Default false. */
  allowNegative?: boolean;
  /** Accept zero. Default true. */
  allowZero?: boolean;
  /** Word for the amount in messages ("Price", "Payment"). Default "The amount". */
  label?: string;
}

export type ParseMoneyResult = { ok: true; money: Money } | { ok: false; error: string };

const symbolCache = new Map<string, string[]>();
const separatorCache = new Map<string, { decimal: string; group: string }>();

function symbolsFor(currency: string, locale: string): string[] {
  const key = `${currency}|${locale}`;
  const cached = symbolCache.get(key);
  if (cached) return cached;
  const out = new Set<string>([currency]);
  // The school's locale, plus en-US ("$", "¥") and en-GB ("US$", "A$") spellings.
  for (const loc of [locale, "en-US", "en-GB"]) {
    for (const display of ["symbol", "narrowSymbol"] as const) {
      const part = new Intl.NumberFormat(loc, { style: "currency", currency, currencyDisplay: display })
        .formatToParts(1)
        .find((p) => p.type === "currency");
      if (part) out.add(part.value);
    }
  }
  // Longest first, so "US$" is stripped before "$".
  const list = [...out].sort((a, b) => b.length - a.length);
  symbolCache.set(key, list);
  return list;
}

function separatorsOf(locale: string): { decimal: string; group: string } {
  const cached = separatorCache.get(locale);
  if (cached) return cached;
  const parts = new Intl.NumberFormat(locale, { useGrouping: true }).formatToParts(12345.6);
  const found = {
    decimal: parts.find((p) => p.type === "decimal")?.value ?? ".",
    group: parts.find((p) => p.type === "group")?.value ?? ",",
  };
  separatorCache.set(locale, found);
  return found;
}

const SPACES = /[\s\u00a0\u202f]/g;

/**
 * Parses an amount a person typed into minor units, exactly, with the error in words.
 *
 * Accepts: the locale's decimal mark ("12.50" in en, "12,50" in de/fr), grouping marks
 * between digits in groups of three (or the 2-2-3 Indian pattern: "1,23,456"), spaces
 * anywhere (the fr grouping space included), the currency's own symbol or code before or
 * after the digits ("$12", "US$12", "12 USD", "¥1200", "12,50 €"), and a leading minus
 * when `allowNegative`. Rejects: another currency's symbol, more decimals than the
 * currency has (JPY none, USD two), misplaced grouping marks ("1,23.45"), letters,
 * and amounts too large to hold exactly.
 */
export function parseMoney(input: string, currency: string, options: ParseMoneyOptions = {}): ParseMoneyResult {
  const exp = currencyExponent(currency);
  const label = options.label ?? "The amount";
  const locale = options.locale ?? "en-US";
  const typed = input.trim();
  const fail = (error: string): ParseMoneyResult => ({ ok: false, error });
  if (typed === "") return fail(`${label} is missing: enter an amount, for example ${exp === 0 ? "1200" : "25" + "." + "0".repeat(exp)}.`);

  let s = typed.replace(SPACES, "");
  let negative = false;
  if (/^[-−]/.test(s)) {
    negative = true;
    s = s.slice(1);
  }
  for (const sym of symbolsFor(currency, locale)) {
    const bare = sym.replace(SPACES, "");
    if (s.startsWith(bare)) {
      s = s.slice(bare.length);
      break;
    }
    if (s.endsWith(bare)) {
      s = s.slice(0, -bare.length);
      break;
    }
  }
  if (!negative && /^[-−]/.test(s)) {
    negative = true;
    s = s.slice(1);
  }
  if (s === "") return fail(`${label} "${typed}" has no digits.`);
  if (/[^\d.,'’]/.test(s)) {
    const stray = /[^\d.,'’]+/.exec(s)![0];
    return /^[A-Z]{3}$/.test(stray) || /^\p{Sc}+$/u.test(stray)
      ? fail(`${label} "${typed}" is in another currency (${stray}); this school charges in ${currency}.`)
      : fail(`${label} "${typed}" is not an amount: use digits only, for example ${exp === 0 ? "1200" : "25." + "0".repeat(exp)}.`);
  }
  if (negative && !options.allowNegative) return fail(`${label} cannot be negative.`);

  const { decimal, group } = separatorsOf(locale);
  const groupMarks = new Set([group, "'", "’"].filter((g) => g !== decimal && !/^[\s\u00a0\u202f]$/.test(g)));
  const decimalAt = s.lastIndexOf(decimal);
  if (s.indexOf(decimal) !== decimalAt) return fail(`${label} "${typed}" has more than one decimal mark "${decimal}".`);
  let intPart = decimalAt >= 0 ? s.slice(0, decimalAt) : s;
  const fracPart = decimalAt >= 0 ? s.slice(decimalAt + 1) : "";
  if (/[^\d]/.test(fracPart)) return fail(`${label} "${typed}" has a grouping mark after the decimal mark.`);
  if (decimalAt >= 0 && fracPart === "") return fail(`${label} "${typed}" ends with a decimal mark: add the digits after it or remove it.`);
  if (fracPart.length > exp) {
    return fail(exp === 0 ? `${currency} amounts have no decimals: enter whole ${currency} only (for example 1200).` : `${currency} amounts have at most ${exp} decimal${exp > 1 ? "s" : ""}.`);
  }

  // Grouping: every mark sits between digits; groups after the first are 3 digits (or 2-2-…-3).
  const marks = [...intPart].filter((c) => !/\d/.test(c));
  if (marks.length > 0) {
    if (marks.some((c) => !groupMarks.has(c))) {
      return fail(`${label} "${typed}" uses "${marks.find((c) => !groupMarks.has(c))}" where this school's format expects "${decimal}" for decimals and "${group}" between thousands.`);
    }
    const groups = intPart.split(/[^\d]/);
    const [first, ...rest] = groups;
    const last = rest[rest.length - 1]!;
    const middle = rest.slice(0, -1);
    const western = rest.every((g) => g.length === 3);
    const indian = last.length === 3 && middle.length > 0 && middle.every((g) => g.length === 2);
    if (!first || first.length > 3 || !(western || indian)) return fail(`${label} "${typed}" has a thousands separator in the wrong place.`);
    intPart = groups.join("");
  }
  if (intPart === "" && fracPart === "") return fail(`${label} "${typed}" has no digits.`);

  const digits = (intPart || "0").replace(/^0+(?=\d)/, "") + fracPart.padEnd(exp, "0");
  const big = BigInt(digits);
  if (big > BigInt(Number.MAX_SAFE_INTEGER)) return fail(`${label} "${typed}" is too large.`);
  const amountMinor = Number(negative ? -big : big);
  if (amountMinor === 0 && options.allowZero === false) return fail(`${label} must be more than zero.`);
  return { ok: true, money: { amountMinor: amountMinor === 0 ? 0 : amountMinor, currency } };
}
