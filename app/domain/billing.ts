/**
 * Term invoices for a family, as pure functions over plain data (no Prisma, no framework).
 *
 * The model layer loads a family's children, their enrollments and lessons, the term, its
 * closures, the price list, sibling-discount rules and the tax rule, and passes them here;
 * what comes back is a draft invoice whose lines it writes (upserting on `lineKey`).
 *
 * Rules (ARCHITECTURE.md, "Billing: the pure core"):
 * - Occurrences come from `expandSeries` (recurrence.ts) restricted to the term with the
 *   term's closures; hybrid weeks from `countWeeksPerStudent` (hybrid.ts). No second rule.
 * - Price semantics. `Lesson.pricePerStudent` is the price of the lesson for one student for
 *   a whole term (the lesson form says "Price per student — for the whole series", and the
 *   demo prices are term fees: 540.00 for a weekly 45-minute individual lesson). A full term
 *   costs exactly that price whatever the closures; a mid-term start pays
 *   price × lessons remaining / lessons in the term (both after closures), half-up.
 *   A price-list line says which it is (`PER_TERM` or `PER_LESSON`); a per-lesson rate is
 *   multiplied by the lessons billed. The lesson's own price, when set, wins over the list
 *   (it was set for that lesson). Hybrid prices are per week ("Price per group week"):
 *   group weeks × group price + 1-on-1 weeks × 1-on-1 price.
 * - An enrollment is billed from the local date of `enrolledAt` (if inside the term) to the
 *   local date of `endedAt` (unenrolled/dropped), inclusive. PENDING, WAITLISTED and
 *   REJECTED enrollments are not billed.
 * - Sibling discounts: children are ordered by date of birth (oldest first; unknown dates
 *   last), then student id. Only children with at least one billable lesson line in the
 *   term count. The rule with the largest `fromPosition` not above a child's position
 *   applies (2nd child 10 %, 3rd and later 15 %). A percentage gives one discount line per
 *   lesson line of that child; a fixed amount gives one line per child per term, capped at
 *   the child's lessons on the invoice.
 * - Tax is computed and rounded per line (half-up). Exclusive: tax = net × rate. Inclusive:
 *   the price is the gross and tax = gross × rate / (1 + rate), net = gross − tax.
 *   Invoice totals are sums of the lines, never recomputed from a subtotal.
 * - Every line has a stable `lineKey`; lines whose key was already invoiced are left out,
 *   so re-running generation (or generating a term after a mid-term invoice) never
 *   charges a lesson twice.
 */
import { type HybridPattern, countWeeksPerStudent } from "./hybrid";
import {
  type Money,
  add,
  currencyExponent,
  min,
  multiply,
  negate,
  percentOf,
  ratio,
  subtract,
  sum,
  zero,
} from "./money";
import { type RecurrenceRule, expandSeries } from "./recurrence";
import type { Closure, Term } from "./terms";
import { type LocalDate, toLocalDate } from "./time";

// ---------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------

export type PriceBasis = "PER_TERM" | "PER_LESSON";

/** A line of the term's price list. A null criterion matches any lesson. */
export interface PriceListLine {
  id: string;
  lessonType: string | null;
  durationMinutes: number | null;
  instrument: string | null;
  amount: Money;
  basis: PriceBasis;
}

export interface HybridBilling {
  /** As built by `patternOf` in app/models/hybrid.server.ts (its price fields are ignored here). */
  pattern: HybridPattern;
  /** Per group week. */
  groupPrice: Money | null;
  /** Per 1-on-1 week. */
  individualPrice: Money | null;
}

export interface BillableLesson {
  id: string;
  title: string;
  /** LessonType: INDIVIDUAL, GROUP, HYBRID, BAND_REHEARSAL, ENSEMBLE. */
  type: string;
  instrument: string | null;
  durationMinutes: number;
  firstStart: Date;
  recurrence: RecurrenceRule;
  customDates?: readonly LocalDate[];
  /** Last local date of the series (from `recurrenceEndDate`), inclusive. */
  until?: LocalDate | null;
  locationId: string | null;
  /** `Lesson.pricePerStudent`: the price for one student for the whole term (PER_TERM). */
  pricePerStudent: Money | null;
  hybrid?: HybridBilling | null;
}

export type EnrollmentStatus = "ACTIVE" | "COMPLETED" | "UNENROLLED" | "DROPPED" | "PENDING" | "WAITLISTED" | "REJECTED";

export interface BillableEnrollment {
  id: string;
  status: EnrollmentStatus;
  enrolledAt: Date;
  /** `unenrolledAt ?? droppedAt`: lessons after its local date are not billed. */
  endedAt?: Date | null;
  lesson: BillableLesson;
}

export interface BillableChild {
  studentId: string;
  name: string;
  /** Local date; null when unknown (ordered last). */
  dateOfBirth: LocalDate | null;
  enrollments: readonly BillableEnrollment[];
}

export type SiblingDiscountRule =
  | { fromPosition: number; kind: "PERCENT"; basisPoints: number }
  | { fromPosition: number; kind: "FIXED"; amount: Money };

export interface TaxRule {
  /** "GST", "VAT", "Sales tax". */
  label: string;
  /** 10 % = 1000. */
  rateBasisPoints: number;
  /** True: prices include the tax (extracted per line). False: added per line. */
  inclusive: boolean;
}

export interface FamilyTermInput {
  familyId: string;
  currency: string;
  /** The school's IANA zone. */
  timeZone: string;
  term: Term;
  closures: readonly Closure[];
  children: readonly BillableChild[];
  priceList: readonly PriceListLine[];
  siblingDiscounts: readonly SiblingDiscountRule[];
  tax: TaxRule | null;
}

// ---------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------

export type InvoiceLineKind = "LESSON" | "HYBRID_GROUP" | "HYBRID_INDIVIDUAL" | "SIBLING_DISCOUNT";

export interface Proration {
  /** Lessons (or weeks) billed. */
  billed: number;
  /** Lessons in the whole term after closures (PER_TERM proration base). */
  total: number;
  /** First local date billed. */
  from: LocalDate;
}

export interface InvoiceLineDraft {
  lineKey: string;
  kind: InvoiceLineKind;
  studentId: string;
  enrollmentId: string | null;
  lessonId: string | null;
  /** Plain description for the admin's draft view; pages may render their own from the fields. */
  description: string;
  /** Lessons or weeks billed (1 for a discount). */
  quantity: number;
  /** The per-lesson or per-week price; null for a term price (see `proration`). */
  unitAmount: Money | null;
  basis: PriceBasis | "PER_WEEK" | null;
  /** As priced: the gross when tax is inclusive, the net when exclusive. Negative for discounts. */
  amount: Money;
  net: Money;
  tax: Money;
  gross: Money;
  /** Set when a PER_TERM price was prorated for a mid-term start or an early end. */
  proration: Proration | null;
}

export type BillingWarningCode = "NO_PRICE" | "AMBIGUOUS_PRICE" | "HYBRID_PRICE_MISSING";

export interface BillingWarning {
  code: BillingWarningCode;
  studentId: string;
  enrollmentId: string;
  message: string;
}

export interface DraftInvoice {
  /** `family:<id>:term:<id>` for the term run, `enrollment:<id>:term:<id>` for a mid-term one. */
  invoiceKey: string;
  familyId: string;
  termId: string;
  currency: string;
  lines: InvoiceLineDraft[];
  /** Sums of the lines' net, tax and gross. */
  net: Money;
  tax: Money;
  total: Money;
  taxLabel: string | null;
  taxInclusive: boolean;
  taxRateBasisPoints: number;
  /** Child order used for sibling discounts: studentIds, 1st child first. */
  childOrder: string[];
  /** Enrollments left unbilled and why (the admin must fix the price list). */
  warnings: BillingWarning[];
}

export class BillingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BillingError";
  }
}

// ---------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------

export const lineKeys = {
  lesson: (enrollmentId: string, termId: string) => `enrollment:${enrollmentId}:term:${termId}`,
  hybridGroup: (enrollmentId: string, termId: string) => `enrollment:${enrollmentId}:term:${termId}:group`,
  hybridIndividual: (enrollmentId: string, termId: string) => `enrollment:${enrollmentId}:term:${termId}:one-on-one`,
  percentDiscount: (lessonLineKey: string) => `${lessonLineKey}:sibling-discount`,
  fixedDiscount: (studentId: string, termId: string) => `sibling-discount:student:${studentId}:term:${termId}`,
};

export const invoiceKeys = {
  familyTerm: (familyId: string, termId: string) => `family:${familyId}:term:${termId}`,
  enrollment: (enrollmentId: string, termId: string) => `enrollment:${enrollmentId}:term:${termId}`,
};

// ---------------------------------------------------------------------------
// Pieces
// ---------------------------------------------------------------------------

const BILLED_STATUSES: ReadonlySet<EnrollmentStatus> = new Set(["ACTIVE", "COMPLETED", "UNENROLLED", "DROPPED"]);

/** Tax of one line, rounded half-up on that line alone. */
export function taxLine(amount: Money, tax: TaxRule | null): { net: Money; tax: Money; gross: Money } {
  if (!tax || tax.rateBasisPoints === 0) return { net: amount, tax: zero(amount.currency), gross: amount };
  if (tax.inclusive) {
    const t = ratio(amount, tax.rateBasisPoints, 10_000 + tax.rateBasisPoints);
    return { net: subtract(amount, t), tax: t, gross: amount };
  }
  const t = percentOf(amount, tax.rateBasisPoints);
  return { net: amount, tax: t, gross: add(amount, t) };
}

/**
 * The most specific price-list line for a lesson (most criteria set, all matching;
 * instrument compared case-insensitively). Ambiguous when two equally specific lines
 * with different prices match.
 */
export function matchPrice(
  lesson: Pick<BillableLesson, "type" | "durationMinutes" | "instrument">,
  priceList: readonly PriceListLine[],
): { line: PriceListLine } | { ambiguous: PriceListLine[] } | null {
  const instrument = lesson.instrument?.trim().toLowerCase() ?? null;
  let best: PriceListLine[] = [];
  let bestScore = -1;
  for (const line of priceList) {
    if (line.lessonType !== null && line.lessonType !== lesson.type) continue;
    if (line.durationMinutes !== null && line.durationMinutes !== lesson.durationMinutes) continue;
    if (line.instrument !== null && line.instrument.trim().toLowerCase() !== instrument) continue;
    const score = Number(line.lessonType !== null) + Number(line.durationMinutes !== null) + Number(line.instrument !== null);
    if (score > bestScore) {
      best = [line];
      bestScore = score;
    } else if (score === bestScore) best.push(line);
  }
  if (best.length === 0) return null;
  const first = best[0]!;
  const differ = best.filter((l) => l.basis !== first.basis || l.amount.amountMinor !== first.amount.amountMinor || l.amount.currency !== first.amount.currency);
  return differ.length > 0 ? { ambiguous: best } : { line: first };
}

/** Which rule applies at a position (1 = first child): the largest `fromPosition` ≤ position. */
export function siblingRuleFor(position: number, rules: readonly SiblingDiscountRule[]): SiblingDiscountRule | null {
  let found: SiblingDiscountRule | null = null;
  for (const r of rules) if (r.fromPosition <= position && (!found || r.fromPosition > found.fromPosition)) found = r;
  return found;
}

/** Readable problems with sibling-discount rules; empty when fine. */
export function validateSiblingRules(rules: readonly SiblingDiscountRule[], currency: string): string[] {
  const errors: string[] = [];
  const seen = new Set<number>();
  for (const r of rules) {
    if (!Number.isInteger(r.fromPosition) || r.fromPosition < 2) errors.push("A sibling discount starts at the 2nd child or later.");
    else if (seen.has(r.fromPosition)) errors.push(`Two sibling discounts start at child ${r.fromPosition}.`);
    seen.add(r.fromPosition);
    if (r.kind === "PERCENT" && (!Number.isInteger(r.basisPoints) || r.basisPoints <= 0 || r.basisPoints > 10_000)) {
      errors.push("A sibling discount percentage is between 0.01 and 100.");
    }
    if (r.kind === "FIXED") {
      if (r.amount.currency !== currency) errors.push(`A fixed sibling discount must be in ${currency}.`);
      else if (r.amount.amountMinor <= 0) errors.push("A fixed sibling discount must be more than zero.");
    }
  }
  return errors;
}

/** Child order for sibling discounts: date of birth (oldest first, unknown last), then student id. */
export function orderChildren<C extends Pick<BillableChild, "studentId" | "dateOfBirth">>(children: readonly C[]): C[] {
  return [...children].sort((a, b) => {
    if (a.dateOfBirth !== b.dateOfBirth) {
      if (a.dateOfBirth === null) return 1;
      if (b.dateOfBirth === null) return -1;
      return a.dateOfBirth < b.dateOfBirth ? -1 : 1;
    }
    return a.studentId < b.studentId ? -1 : a.studentId > b.studentId ? 1 : 0;
  });
}

interface Window {
  from: LocalDate;
  until: LocalDate;
}

function enrollmentWindow(e: BillableEnrollment, term: Term, timeZone: string): Window | null {
  const start = toLocalDate(e.enrolledAt, timeZone);
  const from = start > term.startDate ? start : term.startDate;
  const end = e.endedAt ? toLocalDate(e.endedAt, timeZone) : null;
  const until = end !== null && end < term.endDate ? end : term.endDate;
  return from <= until ? { from, until } : null;
}

type Unpriced = Omit<InvoiceLineDraft, "net" | "tax" | "gross">;

/** Lesson lines (before discounts and tax) of one enrollment, and any warning. */
function enrollmentLines(input: FamilyTermInput, child: BillableChild, e: BillableEnrollment): { lines: Unpriced[]; warning: BillingWarning | null } {
  const { term, timeZone, closures } = input;
  const lesson = e.lesson;
  const none = { lines: [], warning: null };
  if (!BILLED_STATUSES.has(e.status)) return none;
  const window = enrollmentWindow(e, term, timeZone);
  if (!window) return none;
  const base = { studentId: child.studentId, enrollmentId: e.id, lessonId: lesson.id };
  const warn = (code: BillingWarningCode, message: string) => ({
    lines: [],
    warning: { code, studentId: child.studentId, enrollmentId: e.id, message },
  });

  if (lesson.hybrid) {
    const counts = countWeeksPerStudent({
      pattern: lesson.hybrid.pattern,
      closures,
      timeZone,
      enrolledFrom: window.from > term.startDate ? window.from : null,
      enrolledUntil: window.until < term.endDate ? window.until : null,
    });
    const lines: Unpriced[] = [];
    const parts = [
      { kind: "HYBRID_GROUP" as const, count: counts.groupWeeks, price: lesson.hybrid.groupPrice, key: lineKeys.hybridGroup(e.id, term.id), what: "group weeks" },
      { kind: "HYBRID_INDIVIDUAL" as const, count: counts.individualWeeks, price: lesson.hybrid.individualPrice, key: lineKeys.hybridIndividual(e.id, term.id), what: "1-on-1 weeks" },
    ];
    for (const p of parts) {
      if (p.count === 0) continue;
      if (!p.price) return warn("HYBRID_PRICE_MISSING", `${lesson.title} has no price for its ${p.what}, so ${child.name}'s ${p.count} ${p.what} cannot be billed.`);
      lines.push({
        ...base,
        lineKey: p.key,
        kind: p.kind,
        description: `${lesson.title} — ${child.name}, ${p.what}`,
        quantity: p.count,
        unitAmount: p.price,
        basis: "PER_WEEK",
        amount: multiply(p.price, p.count),
        proration: null,
      });
    }
    return { lines, warning: null };
  }

  const all = expandSeries({
    timeZone,
    firstStart: lesson.firstStart,
    durationMinutes: lesson.durationMinutes,
    recurrence: lesson.recurrence,
    customDates: lesson.customDates,
    until: lesson.until ?? null,
    terms: [term],
    closures,
    locationId: lesson.locationId,
  });
  const billed = all.filter((o) => window.from <= o.localDate && o.localDate <= window.until);
  if (billed.length === 0) return none;

  let price: { amount: Money; basis: PriceBasis };
  if (lesson.pricePerStudent) price = { amount: lesson.pricePerStudent, basis: "PER_TERM" };
  else {
    const match = matchPrice(lesson, input.priceList);
    if (match === null) return warn("NO_PRICE", `${lesson.title} has no price and no price-list line matches it, so ${child.name} cannot be billed for it.`);
    if ("ambiguous" in match) {
      return warn("AMBIGUOUS_PRICE", `${match.ambiguous.length} price-list lines with different prices match ${lesson.title}; make one more specific.`);
    }
    price = { amount: match.line.amount, basis: match.line.basis };
  }

  const description = `${lesson.title} — ${child.name}`;
  const line = { ...base, lineKey: lineKeys.lesson(e.id, term.id), kind: "LESSON" as const, description, quantity: billed.length, basis: price.basis };
  if (price.basis === "PER_LESSON") {
    return { lines: [{ ...line, unitAmount: price.amount, amount: multiply(price.amount, billed.length), proration: null }], warning: null };
  }
  const full = billed.length === all.length;
  return {
    lines: [
      {
        ...line,
        unitAmount: null,
        amount: full ? price.amount : ratio(price.amount, billed.length, all.length),
        proration: full ? null : { billed: billed.length, total: all.length, from: billed[0]!.localDate },
      },
    ],
    warning: null,
  };
}

function checkCurrencies(input: FamilyTermInput): void {
  const { currency } = input;
  currencyExponent(currency);
  const bad = (m: Money | null | undefined, what: string) => {
    if (m && m.currency !== currency) throw new BillingError(`${what} is in ${m.currency}, but this school bills in ${currency}.`);
  };
  for (const l of input.priceList) bad(l.amount, "A price-list line");
  for (const r of input.siblingDiscounts) if (r.kind === "FIXED") bad(r.amount, "A sibling discount");
  for (const c of input.children) {
    for (const e of c.enrollments) {
      bad(e.lesson.pricePerStudent, `The price of ${e.lesson.title}`);
      bad(e.lesson.hybrid?.groupPrice, `The group price of ${e.lesson.title}`);
      bad(e.lesson.hybrid?.individualPrice, `The 1-on-1 price of ${e.lesson.title}`);
    }
  }
  if (input.tax && (!Number.isInteger(input.tax.rateBasisPoints) || input.tax.rateBasisPoints < 0 || input.tax.rateBasisPoints > 10_000)) {
    throw new BillingError("The tax rate must be between 0 and 100 %.");
  }
  const ruleErrors = validateSiblingRules(input.siblingDiscounts, currency);
  if (ruleErrors.length > 0) throw new BillingError(ruleErrors.join(" "));
}

// ---------------------------------------------------------------------------
// Invoices
// ---------------------------------------------------------------------------

export interface GenerateOptions {
  /** Line keys already on an invoice (draft or issued, not void): these are left out. */
  existingLineKeys?: ReadonlySet<string> | readonly string[];
}

function build(input: FamilyTermInput, invoiceKey: string, onlyEnrollmentId: string | null, options: GenerateOptions): DraftInvoice {
  checkCurrencies(input);
  const existing = new Set(options.existingLineKeys ?? []);
  const { term, currency } = input;

  // 1. Every lesson line of the term (the whole family, for the child order).
  const perChild = new Map<string, Unpriced[]>();
  const warnings: BillingWarning[] = [];
  for (const child of input.children) {
    const lines: Unpriced[] = [];
    for (const e of child.enrollments) {
      const r = enrollmentLines(input, child, e);
      lines.push(...r.lines);
      if (r.warning && (onlyEnrollmentId === null || e.id === onlyEnrollmentId)) warnings.push(r.warning);
    }
    perChild.set(child.studentId, lines);
  }
  const billable = input.children.filter((c) => perChild.get(c.studentId)!.some((l) => l.amount.amountMinor > 0));
  const childOrder = orderChildren(billable).map((c) => c.studentId);

  // 2. Lines of this invoice, with their sibling discounts.
  const out: Unpriced[] = [];
  for (const child of orderChildren(input.children)) {
    const selected = perChild
      .get(child.studentId)!
      .filter((l) => !existing.has(l.lineKey) && (onlyEnrollmentId === null || l.enrollmentId === onlyEnrollmentId));
    if (selected.length === 0) continue;
    out.push(...selected);

    const position = childOrder.indexOf(child.studentId) + 1;
    const rule = position > 0 ? siblingRuleFor(position, input.siblingDiscounts) : null;
    if (!rule) continue;
    const label = `Sibling discount (${ordinal(position)} child)`;
    const discount = (lineKey: string, amount: Money, enrollmentId: string | null, lessonId: string | null, what: string): Unpriced => ({
      lineKey,
      kind: "SIBLING_DISCOUNT",
      studentId: child.studentId,
      enrollmentId,
      lessonId,
      description: `${label} — ${what}`,
      quantity: 1,
      unitAmount: null,
      basis: null,
      amount: negate(amount),
      proration: null,
    });
    if (rule.kind === "PERCENT") {
      for (const l of selected) {
        const key = lineKeys.percentDiscount(l.lineKey);
        const off = percentOf(l.amount, rule.basisPoints);
        if (off.amountMinor > 0 && !existing.has(key)) out.push(discount(key, off, l.enrollmentId, l.lessonId, l.description));
      }
    } else {
      const key = lineKeys.fixedDiscount(child.studentId, term.id);
      const off = min(rule.amount, sum(currency, selected.map((l) => l.amount)));
      if (off.amountMinor > 0 && !existing.has(key)) out.push(discount(key, off, null, null, child.name));
    }
  }

  // 3. Tax per line, totals as sums of lines.
  const lines: InvoiceLineDraft[] = out.map((l) => ({ ...l, ...taxLine(l.amount, input.tax) }));
  return {
    invoiceKey,
    familyId: input.familyId,
    termId: term.id,
    currency,
    lines,
    net: sum(currency, lines.map((l) => l.net)),
    tax: sum(currency, lines.map((l) => l.tax)),
    total: sum(currency, lines.map((l) => l.gross)),
    taxLabel: input.tax?.label ?? null,
    taxInclusive: input.tax?.inclusive ?? false,
    taxRateBasisPoints: input.tax?.rateBasisPoints ?? 0,
    childOrder,
    warnings,
  };
}

/** The family's draft invoice for the term: every lesson line not yet invoiced, discounts, tax. */
export function generateTermInvoice(input: FamilyTermInput, options: GenerateOptions = {}): DraftInvoice {
  return build(input, invoiceKeys.familyTerm(input.familyId, input.term.id), null, options);
}

/**
 * The prorated invoice for one enrollment approved mid-term: its lesson lines (lessons
 * from the approval date on), its sibling discount at the child's current position, tax.
 * Its lines carry the same keys the term run would use, so a later term run skips them.
 */
export function generateEnrollmentInvoice(input: FamilyTermInput, enrollmentId: string, options: GenerateOptions = {}): DraftInvoice {
  const known = input.children.some((c) => c.enrollments.some((e) => e.id === enrollmentId));
  if (!known) throw new BillingError(`Enrollment ${enrollmentId} is not one of this family's.`);
  return build(input, invoiceKeys.enrollment(enrollmentId, input.term.id), enrollmentId, options);
}

function ordinal(n: number): string {
  const rem100 = n % 100;
  const suffix = rem100 >= 11 && rem100 <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}
