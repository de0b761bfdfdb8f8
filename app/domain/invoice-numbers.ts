/**
 * Invoice numbers: gapless per school, written with the school's prefix ("HMA-000123").
 *
 * This module only formats, parses and checks numbers. Allocating the next one is the
 * database's job, inside the transaction that issues the invoice (planned for the model
 * layer; not built yet):
 *
 *   -- one counter row per school, created with the school (RLS like every school table)
 *   UPDATE "InvoiceCounter" SET "next" = "next" + 1
 *    WHERE "schoolId" = $1
 *   RETURNING "next" - 1 AS number;
 *
 * The UPDATE takes the row lock, so concurrent "issue" actions queue on it and each gets
 * the following number; the lock is held until the issuing transaction commits, so a
 * transaction that fails (e-mail validation, a constraint) rolls its number back with
 * it and the next issuer reuses it: no gaps, no duplicates. A PostgreSQL SEQUENCE would
 * not do: `nextval` is never rolled back, so failed transactions leave gaps. A unique
 * index on (schoolId, number) is the backstop. Drafts have no number; only issuing takes
 * one, and a voided invoice keeps its number (it is shown as void, never reused).
 */

export const DEFAULT_INVOICE_PREFIX = "INV";
export const DEFAULT_NUMBER_WIDTH = 6;

/** Readable problems with a prefix the school typed; empty when fine. */
export function validateInvoicePrefix(prefix: string): string[] {
  const p = prefix.trim();
  if (p === "") return ["Enter an invoice number prefix, for example INV or your school's initials."];
  const errors: string[] = [];
  if (p.length > 12) errors.push("The invoice prefix can be at most 12 characters.");
  if (!/^[A-Za-z0-9][A-Za-z0-9/_-]*$/.test(p)) errors.push("The invoice prefix can use letters, digits, - / and _, starting with a letter or digit.");
  return errors;
}

/** 123 → "HMA-000123" (zero-padded to `width`; longer numbers simply grow: "HMA-1234567"). */
export function formatInvoiceNumber(prefix: string, number: number, width = DEFAULT_NUMBER_WIDTH): string {
  if (!Number.isSafeInteger(number) || number < 1) throw new RangeError(`An invoice number is a whole number from 1 (got ${number}).`);
  const p = prefix.trim();
  const errors = validateInvoicePrefix(p);
  if (errors.length > 0) throw new RangeError(errors.join(" "));
  return `${p}-${String(number).padStart(width, "0")}`;
}

/** "HMA-000123" → { prefix: "HMA", number: 123 }; null when it is not an invoice number. */
export function parseInvoiceNumber(value: string): { prefix: string; number: number } | null {
  const m = /^(.+)-(\d+)$/.exec(value.trim());
  if (!m || validateInvoicePrefix(m[1]!).length > 0) return null;
  const number = Number(m[2]);
  return Number.isSafeInteger(number) && number >= 1 ? { prefix: m[1]!, number } : null;
}

/**
 * Checks issued numbers are exactly 1…n: returns the missing and the duplicated ones.
 * (For the concurrency test and the admin's reconciliation report.)
 */
export function checkGapless(numbers: readonly number[]): { missing: number[]; duplicates: number[] } {
  const seen = new Map<number, number>();
  for (const n of numbers) seen.set(n, (seen.get(n) ?? 0) + 1);
  const max = numbers.reduce((m, n) => Math.max(m, n), 0);
  const missing: number[] = [];
  for (let n = 1; n <= max; n++) if (!seen.has(n)) missing.push(n);
  const duplicates = [...seen].filter(([, c]) => c > 1).map(([n]) => n).sort((a, b) => a - b);
  return { missing, duplicates };
}
