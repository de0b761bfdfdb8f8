// The billing forms' fields: amounts typed in the school's currency and locale (the core's
// parseMoney, exact, zero-decimal currencies included), percentages (parsePercent), and
// whole numbers, as zod schemas with messages a person understands. Pure, for the admin's
// billing routes.
import { z } from "zod";
import { money, parseMoney, parsePercent, toDecimalString } from "../domain/money";

export interface MoneyFieldOptions {
  currency: string;
  locale: string;
  label: string;
  allowZero?: boolean;
}

/** A typed amount → minor units; an empty field is "missing". */
export function moneyField(o: MoneyFieldOptions) {
  return z
    .string({ required_error: `${o.label} is missing: enter an amount.` })
    .transform((v, ctx) => {
      const r = parseMoney(v, o.currency, { locale: o.locale, label: o.label, allowZero: o.allowZero ?? true });
      if (!r.ok) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: r.error });
        return z.NEVER;
      }
      return r.money.amountMinor;
    });
}

/** Like moneyField, but empty is null. */
export function optionalMoneyField(o: MoneyFieldOptions) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v || v.trim() === "") return null;
      const r = parseMoney(v, o.currency, { locale: o.locale, label: o.label, allowZero: o.allowZero ?? true });
      if (!r.ok) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: r.error });
        return z.NEVER;
      }
      return r.money.amountMinor;
    });
}

/** A typed percentage → basis points (10 % = 1000); empty is null when `optional`. */
export function percentField(label: string) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v || v.trim() === "") return null;
      const r = parsePercent(v);
      if (!r.ok) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${label}: ${r.error}` });
        return z.NEVER;
      }
      return r.basisPoints;
    });
}

/** A whole number between min and max; empty is null unless `required`. */
export function wholeNumber(label: string, min: number, max: number) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      const s = (v ?? "").trim();
      if (s === "") return null;
      if (!/^\d{1,6}$/.test(s) || Number(s) < min || Number(s) > max) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${label} is a whole number from ${min} to ${max}.` });
        return z.NEVER;
      }
      return Number(s);
    });
}

/** "7, 21" → [7, 21]: days after the due date, each 1–365, at most 6, in order, no repeats. */
export function dayListField(label: string) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      const parts = (v ?? "")
        .split(/[\s,;]+/)
        .map((p) => p.trim())
        .filter(Boolean);
      const days: number[] = [];
      for (const p of parts) {
        if (!/^\d{1,3}$/.test(p) || Number(p) < 1 || Number(p) > 365) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${label}: "${p}" is not a number of days from 1 to 365. Write them like 7, 21.` });
          return z.NEVER;
        }
        days.push(Number(p));
      }
      const unique = [...new Set(days)].sort((a, b) => a - b);
      if (unique.length > 6) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${label}: at most 6 reminders.` });
        return z.NEVER;
      }
      return unique;
    });
}

/** Minor units as the person would type them in the school's locale ("12.50", "12,50", "1200"). */
export function amountInput(amountMinor: number, currency: string, locale: string): string {
  const plain = toDecimalString(money(amountMinor, currency));
  const decimal = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === "decimal")?.value ?? ".";
  return plain.replace(".", decimal);
}

/** Basis points as typed ("10", "12.5"). */
export function percentInput(basisPoints: number): string {
  const whole = Math.floor(basisPoints / 100);
  const rest = basisPoints % 100;
  return rest === 0 ? String(whole) : `${whole}.${String(rest).padStart(2, "0").replace(/0$/, "")}`;
}

/** How a payment was made, in words. */
export const METHOD_LABEL: Record<string, string> = { CASH: "Cash", BANK_TRANSFER: "Bank transfer", CHECK: "Check", STRIPE: "Card (online)", OTHER: "Other" };

/** A ledger entry's kind, as a statement line names it. */
export const LEDGER_KIND_LABEL: Record<string, string> = {
  INVOICE: "Invoice",
  LATE_FEE: "Late fee",
  REFUND: "Refund",
  DISPUTE: "Card payment disputed",
  CREDIT_NOTE: "Credit note",
  PAYMENT: "Payment",
  DISPUTE_WON: "Dispute won",
};

/** A payment entry's memo ("CHECK CHK 1042", "CASH") in words ("Check CHK 1042", "Cash"). */
export function paymentMemo(memo: string | null): string | null {
  if (!memo) return null;
  const [code, ...rest] = memo.split(" ");
  const label = METHOD_LABEL[code ?? ""];
  return label ? [label, ...rest].join(" ") : memo;
}
