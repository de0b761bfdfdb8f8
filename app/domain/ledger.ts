/**
 * The family account ledger, as pure functions over its entries.
 *
 * The ledger is append-only: nothing is edited or deleted; a mistake is undone by a new
 * entry (a credit note, a deallocation). Balances, what an invoice still owes, a payment's
 * unused credit and statements are all sums over the entries, computed here, never stored.
 *
 * Sign convention (from the school's side: a positive balance is what the family owes).
 * Every entry stores a positive magnitude; its kind gives its effect on the balance:
 *
 *   kind          balance  meaning
 *   INVOICE         +      an issued invoice (invoiceId, dueDate)
 *   LATE_FEE        +      a fee added to an overdue invoice (invoiceId)
 *   REFUND          +      money given back from a payment or credit (sourceId)
 *   DISPUTE         +      a card payment pulled back by the bank (sourceId)
 *   CREDIT_NOTE     −      a credit, full or partial, with a reason (a source of credit)
 *   PAYMENT         −      money received (a source of credit)
 *   DISPUTE_WON     −      a disputed payment's money returned to the school (sourceId)
 *   ALLOCATION      0      `amount` of a source (payment/credit note) settles an invoice
 *   DEALLOCATION    0      undoes (part of) an allocation, e.g. before a refund
 *
 * Storing magnitudes and deriving the sign from the kind means no entry can have the
 * wrong sign. Allocations do not move the balance; they say which credit paid which
 * invoice, so that: balance = Σ invoice outstanding − Σ unallocated credit (checked by
 * `reconcile`). An overpayment is simply credit not yet allocated; `autoAllocate` applies
 * it to the next invoice.
 */
import { type Money, MoneyError, add, allocatePayment, money, negate, subtract, sum, zero } from "./money";
import { type LocalDate, daysBetween, isValidLocalDate } from "./time";

export const LEDGER_KINDS = [
  "INVOICE",
  "LATE_FEE",
  "REFUND",
  "DISPUTE",
  "CREDIT_NOTE",
  "PAYMENT",
  "DISPUTE_WON",
  "ALLOCATION",
  "DEALLOCATION",
] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/** Effect of each kind on the balance (what the family owes). */
export const BALANCE_SIGN: Readonly<Record<LedgerKind, -1 | 0 | 1>> = {
  INVOICE: 1,
  LATE_FEE: 1,
  REFUND: 1,
  DISPUTE: 1,
  CREDIT_NOTE: -1,
  PAYMENT: -1,
  DISPUTE_WON: -1,
  ALLOCATION: 0,
  DEALLOCATION: 0,
};

/** Kinds whose entries are credit that can be allocated to invoices. */
const SOURCE_KINDS: ReadonlySet<LedgerKind> = new Set(["PAYMENT", "CREDIT_NOTE"]);

export interface LedgerEntry {
  id: string;
  /** The family account. */
  accountId: string;
  kind: LedgerKind;
  /** Magnitude, always > 0; the sign comes from `kind`. */
  amount: Money;
  /** When it was posted; statements order by (postedAt, id). */
  postedAt: Date;
  /** INVOICE: its invoice; LATE_FEE, ALLOCATION, DEALLOCATION: the invoice concerned. */
  invoiceId?: string | null;
  /** INVOICE only: its invoice number, for ordering and statements. */
  invoiceNumber?: string | null;
  /** INVOICE only: the local date it is due. */
  dueDate?: LocalDate | null;
  /** REFUND, DISPUTE, DISPUTE_WON, ALLOCATION, DEALLOCATION: the PAYMENT or CREDIT_NOTE entry concerned. */
  sourceId?: string | null;
  memo?: string | null;
}

export function signedAmount(entry: Pick<LedgerEntry, "kind" | "amount">): Money {
  const sign = BALANCE_SIGN[entry.kind];
  return sign === 1 ? entry.amount : sign === -1 ? negate(entry.amount) : zero(entry.amount.currency);
}

/** What the account owes (positive) or holds in credit (negative): the sum of its entries. */
export function balance(entries: readonly LedgerEntry[], accountId: string, currency: string): Money {
  return sum(
    currency,
    entries.filter((e) => e.accountId === accountId).map(signedAmount),
  );
}

// ---------------------------------------------------------------------------
// Invoices and credit
// ---------------------------------------------------------------------------

export interface InvoiceState {
  invoiceId: string;
  accountId: string;
  invoiceNumber: string | null;
  dueDate: LocalDate;
  postedAt: Date;
  /** Invoice plus its late fees. */
  total: Money;
  /** Net allocations (allocations − deallocations) from payments and credit notes. */
  settled: Money;
  /** Of `settled`, what came from payments. */
  paid: Money;
  /** Of `settled`, what came from credit notes. */
  credited: Money;
  outstanding: Money;
}

export interface SourceState {
  sourceId: string;
  accountId: string;
  kind: "PAYMENT" | "CREDIT_NOTE";
  postedAt: Date;
  amount: Money;
  refunded: Money;
  /** Disputed less disputes won. */
  disputed: Money;
  /** Net allocations to invoices. */
  allocated: Money;
  /** Credit still free to allocate (the overpayment part of a payment). */
  unallocated: Money;
}

/** Every invoice's state, in the entries' currency; entries referring to unknown invoices are ignored here (see `reconcile`). */
export function invoiceStates(entries: readonly LedgerEntry[]): Map<string, InvoiceState> {
  const out = new Map<string, InvoiceState>();
  const sourceKind = new Map(entries.filter((e) => SOURCE_KINDS.has(e.kind)).map((e) => [e.id, e.kind]));
  for (const e of entries) {
    if (e.kind !== "INVOICE" || !e.invoiceId) continue;
    const z = zero(e.amount.currency);
    out.set(e.invoiceId, {
      invoiceId: e.invoiceId,
      accountId: e.accountId,
      invoiceNumber: e.invoiceNumber ?? null,
      dueDate: e.dueDate ?? "",
      postedAt: e.postedAt,
      total: e.amount,
      settled: z,
      paid: z,
      credited: z,
      outstanding: e.amount,
    });
  }
  for (const e of entries) {
    const inv = e.invoiceId ? out.get(e.invoiceId) : undefined;
    if (!inv) continue;
    if (e.kind === "LATE_FEE") inv.total = add(inv.total, e.amount);
    if (e.kind === "ALLOCATION" || e.kind === "DEALLOCATION") {
      const delta = e.kind === "ALLOCATION" ? e.amount : negate(e.amount);
      inv.settled = add(inv.settled, delta);
      if (sourceKind.get(e.sourceId ?? "") === "CREDIT_NOTE") inv.credited = add(inv.credited, delta);
      else inv.paid = add(inv.paid, delta);
    }
  }
  for (const inv of out.values()) inv.outstanding = subtract(inv.total, inv.settled);
  return out;
}

/** Every payment's and credit note's state. */
export function sourceStates(entries: readonly LedgerEntry[]): Map<string, SourceState> {
  const out = new Map<string, SourceState>();
  for (const e of entries) {
    if (e.kind !== "PAYMENT" && e.kind !== "CREDIT_NOTE") continue;
    const z = zero(e.amount.currency);
    out.set(e.id, { sourceId: e.id, accountId: e.accountId, kind: e.kind, postedAt: e.postedAt, amount: e.amount, refunded: z, disputed: z, allocated: z, unallocated: e.amount });
  }
  for (const e of entries) {
    const s = e.sourceId ? out.get(e.sourceId) : undefined;
    if (!s) continue;
    if (e.kind === "REFUND") s.refunded = add(s.refunded, e.amount);
    else if (e.kind === "DISPUTE") s.disputed = add(s.disputed, e.amount);
    else if (e.kind === "DISPUTE_WON") s.disputed = subtract(s.disputed, e.amount);
    else if (e.kind === "ALLOCATION") s.allocated = add(s.allocated, e.amount);
    else if (e.kind === "DEALLOCATION") s.allocated = subtract(s.allocated, e.amount);
  }
  for (const s of out.values()) s.unallocated = subtract(subtract(subtract(s.amount, s.refunded), s.disputed), s.allocated);
  return out;
}

/** An entry to append, without the id and time the caller assigns. */
export type NewEntry = Omit<LedgerEntry, "id" | "postedAt">;

function byOldestInvoice(a: InvoiceState, b: InvoiceState): number {
  return cmp(a.dueDate, b.dueDate) || a.postedAt.getTime() - b.postedAt.getTime() || cmp(a.invoiceNumber ?? a.invoiceId, b.invoiceNumber ?? b.invoiceId) || cmp(a.invoiceId, b.invoiceId);
}

/**
 * Allocations that apply an account's free credit (overpayments, unused credit notes) to
 * its open invoices: oldest credit first (posted time, then id), each to the oldest
 * invoices first (due date, issue time, number). Invoices in `firstInvoiceIds` (the one a
 * family just paid online) come before the others. Returns the ALLOCATION entries to append.
 */
export function autoAllocate(
  entries: readonly LedgerEntry[],
  accountId: string,
  options: { firstInvoiceIds?: readonly string[] } = {},
): NewEntry[] {
  const first = options.firstInvoiceIds ?? [];
  const own = entries.filter((e) => e.accountId === accountId);
  const invoices = [...invoiceStates(own).values()]
    .filter((i) => i.outstanding.amountMinor > 0)
    .sort((a, b) => {
      const fa = first.indexOf(a.invoiceId);
      const fb = first.indexOf(b.invoiceId);
      if (fa !== fb) return (fa === -1 ? Infinity : fa) - (fb === -1 ? Infinity : fb);
      return byOldestInvoice(a, b);
    });
  const sources = [...sourceStates(own).values()]
    .filter((s) => s.unallocated.amountMinor > 0)
    .sort((a, b) => a.postedAt.getTime() - b.postedAt.getTime() || cmp(a.sourceId, b.sourceId));
  const owed = new Map(invoices.map((i) => [i.invoiceId, i.outstanding]));
  const out: NewEntry[] = [];
  for (const s of sources) {
    // Ordering is ours (above); allocatePayment keeps it when given equal due dates and rank numbers.
    const open = invoices.map((i, rank) => ({ id: i.invoiceId, dueDate: "", number: String(rank).padStart(10, "0"), outstanding: owed.get(i.invoiceId)! }));
    const { allocations } = allocatePayment(s.unallocated, open);
    for (const a of allocations) {
      out.push({ accountId, kind: "ALLOCATION", amount: a.amount, invoiceId: a.invoiceId, sourceId: s.sourceId });
      owed.set(a.invoiceId, subtract(owed.get(a.invoiceId)!, a.amount));
    }
  }
  return out;
}

/**
 * The deallocations needed before refunding `amount` from a payment or credit note whose
 * free credit is smaller: the most recent allocations are undone first. Empty when the
 * source's unallocated credit already covers the refund. Throws when the refund is more
 * than the source minus what was already refunded or disputed.
 */
export function deallocationsForRefund(entries: readonly LedgerEntry[], sourceId: string, amount: Money): NewEntry[] {
  const source = sourceStates(entries).get(sourceId);
  if (!source) throw new MoneyError(`There is no payment or credit note ${sourceId} to refund.`);
  const refundable = subtract(subtract(source.amount, source.refunded), source.disputed);
  if (amount.amountMinor <= 0) throw new MoneyError("A refund must be more than zero.");
  if (amount.amountMinor > refundable.amountMinor) throw new MoneyError("A refund cannot be more than what is left of the payment.");
  let missing = subtract(amount, source.unallocated);
  if (missing.amountMinor <= 0) return [];
  // Net allocation per invoice from this source, newest allocation first.
  const net = new Map<string, Money>();
  const lastAt = new Map<string, number>();
  for (const e of entries) {
    if (e.sourceId !== sourceId || !e.invoiceId) continue;
    if (e.kind === "ALLOCATION") {
      net.set(e.invoiceId, add(net.get(e.invoiceId) ?? zero(amount.currency), e.amount));
      lastAt.set(e.invoiceId, Math.max(lastAt.get(e.invoiceId) ?? -Infinity, e.postedAt.getTime()));
    } else if (e.kind === "DEALLOCATION") net.set(e.invoiceId, subtract(net.get(e.invoiceId) ?? zero(amount.currency), e.amount));
  }
  const order = [...net.entries()].filter(([, m]) => m.amountMinor > 0).sort(([a], [b]) => lastAt.get(b)! - lastAt.get(a)! || cmp(b, a));
  const out: NewEntry[] = [];
  for (const [invoiceId, allocated] of order) {
    if (missing.amountMinor <= 0) break;
    const take = allocated.amountMinor < missing.amountMinor ? allocated : missing;
    out.push({ accountId: source.accountId, kind: "DEALLOCATION", amount: take, invoiceId, sourceId });
    missing = subtract(missing, take);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------

export interface StatementLine {
  entry: LedgerEntry;
  /** The entry's effect on the balance. */
  signed: Money;
  /** Balance after this entry. */
  balance: Money;
}

export interface Statement {
  accountId: string;
  opening: Money;
  lines: StatementLine[];
  closing: Money;
}

/**
 * The account's statement: entries posted in [from, to) in order (postedAt, id) with a
 * running balance; everything before `from` is the opening balance. Allocations (no
 * effect on the balance) are left out unless `includeAllocations`.
 */
export function statement(
  entries: readonly LedgerEntry[],
  accountId: string,
  currency: string,
  options: { from?: Date | null; to?: Date | null; includeAllocations?: boolean } = {},
): Statement {
  const own = entries.filter((e) => e.accountId === accountId).sort((a, b) => a.postedAt.getTime() - b.postedAt.getTime() || cmp(a.id, b.id));
  const fromMs = options.from?.getTime() ?? -Infinity;
  const toMs = options.to?.getTime() ?? Infinity;
  let running = zero(currency);
  let opening: Money | null = null;
  const lines: StatementLine[] = [];
  for (const e of own) {
    const t = e.postedAt.getTime();
    if (t >= toMs) break;
    const signed = signedAmount(e);
    if (t < fromMs) {
      running = add(running, signed);
      continue;
    }
    opening ??= running;
    running = add(running, signed);
    if (BALANCE_SIGN[e.kind] !== 0 || options.includeAllocations) lines.push({ entry: e, signed, balance: running });
  }
  return { accountId, opening: opening ?? running, lines, closing: running };
}

// ---------------------------------------------------------------------------
// Reconciliation
// ---------------------------------------------------------------------------

export interface ReconciliationProblem {
  accountId: string | null;
  entryId?: string;
  invoiceId?: string;
  message: string;
}

export interface ReconcileOptions {
  /** Balances as another path reports them (an SQL SUM, a cached figure): each must equal the entries' sum. */
  reportedBalances?: ReadonlyMap<string, Money>;
  /** Invoices' paid amounts as recorded elsewhere (the invoice row): each must equal its net allocations. */
  reportedInvoicePaid?: ReadonlyMap<string, Money>;
}

/**
 * Proves the ledger consistent; returns its problems in words (empty when it holds):
 * - every entry is well formed (positive safe amount, one currency per account, unique id);
 * - every reference points at the right kind of entry in the same account;
 * - no invoice is settled beyond its total or below zero; no payment or credit note is
 *   used (allocated, refunded, disputed) beyond its amount;
 * - each account's balance (sum of entries) equals Σ invoices outstanding − Σ free credit;
 * - reported balances and invoices' paid amounts equal what the entries say.
 */
export function reconcile(entries: readonly LedgerEntry[], options: ReconcileOptions = {}): ReconciliationProblem[] {
  const problems: ReconciliationProblem[] = [];
  const p = (accountId: string | null, message: string, extra: Partial<ReconciliationProblem> = {}) => problems.push({ accountId, message, ...extra });

  const ids = new Set<string>();
  const currencyOf = new Map<string, string>();
  const byId = new Map(entries.map((e) => [e.id, e]));
  const invoiceEntry = new Map<string, LedgerEntry>();
  for (const e of entries) {
    if (ids.has(e.id)) p(e.accountId, `Entry ${e.id} appears twice.`, { entryId: e.id });
    ids.add(e.id);
    if (!(LEDGER_KINDS as readonly string[]).includes(e.kind)) p(e.accountId, `Entry ${e.id} has an unknown kind "${e.kind}".`, { entryId: e.id });
    if (!Number.isSafeInteger(e.amount.amountMinor) || e.amount.amountMinor <= 0) p(e.accountId, `Entry ${e.id} must have a positive whole amount.`, { entryId: e.id });
    const c = currencyOf.get(e.accountId);
    if (c === undefined) currencyOf.set(e.accountId, e.amount.currency);
    else if (c !== e.amount.currency) p(e.accountId, `Entry ${e.id} is in ${e.amount.currency}, the account in ${c}.`, { entryId: e.id });
    if (e.kind === "INVOICE") {
      if (!e.invoiceId) p(e.accountId, `Invoice entry ${e.id} has no invoice.`, { entryId: e.id });
      else if (invoiceEntry.has(e.invoiceId)) p(e.accountId, `Invoice ${e.invoiceId} is posted twice.`, { entryId: e.id, invoiceId: e.invoiceId });
      else invoiceEntry.set(e.invoiceId, e);
      if (!e.dueDate || !isValidLocalDate(e.dueDate)) p(e.accountId, `Invoice entry ${e.id} has no valid due date.`, { entryId: e.id });
    }
  }
  if (problems.length > 0) return problems; // the sums below assume well-formed entries

  for (const e of entries) {
    const needsInvoice = e.kind === "LATE_FEE" || e.kind === "ALLOCATION" || e.kind === "DEALLOCATION";
    const needsSource = e.kind === "REFUND" || e.kind === "DISPUTE" || e.kind === "DISPUTE_WON" || e.kind === "ALLOCATION" || e.kind === "DEALLOCATION";
    if (needsInvoice) {
      const inv = e.invoiceId ? invoiceEntry.get(e.invoiceId) : undefined;
      if (!inv) p(e.accountId, `${e.kind} ${e.id} refers to no invoice.`, { entryId: e.id });
      else if (inv.accountId !== e.accountId) p(e.accountId, `${e.kind} ${e.id} refers to another family's invoice.`, { entryId: e.id, invoiceId: inv.invoiceId! });
    }
    if (needsSource) {
      const src = e.sourceId ? byId.get(e.sourceId) : undefined;
      if (!src || !SOURCE_KINDS.has(src.kind)) p(e.accountId, `${e.kind} ${e.id} refers to no payment or credit note.`, { entryId: e.id });
      else if (src.accountId !== e.accountId) p(e.accountId, `${e.kind} ${e.id} refers to another family's payment.`, { entryId: e.id });
      else if ((e.kind === "DISPUTE" || e.kind === "DISPUTE_WON") && src.kind !== "PAYMENT") p(e.accountId, `${e.kind} ${e.id} must refer to a payment.`, { entryId: e.id });
    }
  }
  if (problems.length > 0) return problems;

  const invoices = invoiceStates(entries);
  const sources = sourceStates(entries);
  for (const inv of invoices.values()) {
    if (inv.settled.amountMinor < 0) p(inv.accountId, `Invoice ${inv.invoiceNumber ?? inv.invoiceId} has more deallocated than allocated.`, { invoiceId: inv.invoiceId });
    if (inv.outstanding.amountMinor < 0) p(inv.accountId, `Invoice ${inv.invoiceNumber ?? inv.invoiceId} is settled beyond its total.`, { invoiceId: inv.invoiceId });
    const reported = options.reportedInvoicePaid?.get(inv.invoiceId);
    if (reported && (reported.currency !== inv.settled.currency || reported.amountMinor !== inv.settled.amountMinor)) {
      p(inv.accountId, `Invoice ${inv.invoiceNumber ?? inv.invoiceId} records ${reported.amountMinor} paid, its allocations ${inv.settled.amountMinor}.`, { invoiceId: inv.invoiceId });
    }
  }
  for (const s of sources.values()) {
    if (s.unallocated.amountMinor < 0) p(s.accountId, `${s.kind === "PAYMENT" ? "Payment" : "Credit note"} ${s.sourceId} is used beyond its amount.`, { entryId: s.sourceId });
    if (s.allocated.amountMinor < 0) p(s.accountId, `${s.kind === "PAYMENT" ? "Payment" : "Credit note"} ${s.sourceId} has more deallocated than allocated.`, { entryId: s.sourceId });
  }
  for (const [accountId, currency] of currencyOf) {
    const bal = balance(entries, accountId, currency);
    const owed = sum(currency, [...invoices.values()].filter((i) => i.accountId === accountId).map((i) => i.outstanding));
    const free = sum(currency, [...sources.values()].filter((s) => s.accountId === accountId).map((s) => s.unallocated));
    if (bal.amountMinor !== owed.amountMinor - free.amountMinor) {
      p(accountId, `The balance ${bal.amountMinor} is not what the invoices owe (${owed.amountMinor}) less free credit (${free.amountMinor}).`);
    }
    const reported = options.reportedBalances?.get(accountId);
    if (reported && (reported.currency !== currency || reported.amountMinor !== bal.amountMinor)) {
      p(accountId, `The reported balance ${reported.amountMinor} ${reported.currency} differs from the entries' ${bal.amountMinor} ${currency}.`);
    }
  }
  for (const accountId of options.reportedBalances?.keys() ?? []) {
    if (!currencyOf.has(accountId) && options.reportedBalances!.get(accountId)!.amountMinor !== 0) {
      p(accountId, `The account reports a balance but has no entries.`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------
// Ageing
// ---------------------------------------------------------------------------

export const AGEING_BUCKETS = ["current", "0-30", "31-60", "61-90", "90+"] as const;
export type AgeingBucket = (typeof AGEING_BUCKETS)[number];

/**
 * Bucket for days past the due date: not yet due (due today or later) is "current";
 * 1–30 days overdue "0-30"; 31–60; 61–90; 91 and more "90+".
 */
export function ageingBucket(daysOverdue: number): AgeingBucket {
  if (daysOverdue <= 0) return "current";
  if (daysOverdue <= 30) return "0-30";
  if (daysOverdue <= 60) return "31-60";
  if (daysOverdue <= 90) return "61-90";
  return "90+";
}

export interface AgedInvoice {
  invoiceId: string;
  accountId: string;
  invoiceNumber: string | null;
  dueDate: LocalDate;
  daysOverdue: number;
  bucket: AgeingBucket;
  outstanding: Money;
}

export interface AgeingReport {
  /** Invoices still owing, most overdue first. */
  invoices: AgedInvoice[];
  totals: Record<AgeingBucket, Money>;
  total: Money;
}

/**
 * What is owed, by how long past due against `today` (the school's local date). `dueDates`
 * overrides an invoice's own due date (an invoice paid in instalments is due from its first
 * instalment not paid).
 */
export function ageing(entries: readonly LedgerEntry[], today: LocalDate, currency: string, dueDates?: ReadonlyMap<string, LocalDate>): AgeingReport {
  if (!isValidLocalDate(today)) throw new RangeError(`Invalid date "${today}"`);
  const totals = Object.fromEntries(AGEING_BUCKETS.map((b) => [b, zero(currency)])) as Record<AgeingBucket, Money>;
  const invoices: AgedInvoice[] = [];
  for (const inv of invoiceStates(entries).values()) {
    if (inv.outstanding.amountMinor <= 0) continue;
    const dueDate = dueDates?.get(inv.invoiceId) ?? inv.dueDate;
    const daysOverdue = daysBetween(dueDate, today);
    const bucket = ageingBucket(daysOverdue);
    invoices.push({ invoiceId: inv.invoiceId, accountId: inv.accountId, invoiceNumber: inv.invoiceNumber, dueDate, daysOverdue, bucket, outstanding: inv.outstanding });
    totals[bucket] = add(totals[bucket], inv.outstanding);
  }
  invoices.sort((a, b) => b.daysOverdue - a.daysOverdue || cmp(a.invoiceNumber ?? a.invoiceId, b.invoiceNumber ?? b.invoiceId));
  return { invoices, totals, total: sum(currency, Object.values(totals)) };
}

/** A helper for callers building entries: a positive magnitude in the currency. */
export function magnitude(amountMinor: number, currency: string): Money {
  const m = money(amountMinor, currency);
  if (m.amountMinor <= 0) throw new MoneyError("A ledger amount must be more than zero; the kind gives the sign.");
  return m;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
