import { describe, expect, it } from "vitest";
import {
  BALANCE_SIGN,
  type LedgerEntry,
  type NewEntry,
  ageing,
  ageingBucket,
  autoAllocate,
  balance,
  deallocationsForRefund,
  invoiceStates,
  magnitude,
  reconcile,
  signedAmount,
  sourceStates,
  statement,
} from "./ledger";
import { money } from "./money";

const usd = (n: number) => money(n, "USD");

/** An append-only ledger for tests: ids and times assigned in order. */
function book() {
  const entries: LedgerEntry[] = [];
  let clock = Date.UTC(2026, 0, 1);
  const post = (e: NewEntry, at?: string): LedgerEntry => {
    clock = at ? Date.parse(`${at}T12:00:00Z`) : clock + 60_000;
    const entry = { ...e, id: `x${String(entries.length + 1).padStart(3, "0")}`, postedAt: new Date(clock) };
    entries.push(entry);
    return entry;
  };
  const A = "fam-a";
  return {
    entries,
    post,
    invoice: (invoiceId: string, minor: number, dueDate: string, at?: string, accountId = A) =>
      post({ accountId, kind: "INVOICE", amount: usd(minor), invoiceId, invoiceNumber: `HMA-${invoiceId}`, dueDate }, at),
    pay: (minor: number, at?: string, accountId = A) => post({ accountId, kind: "PAYMENT", amount: usd(minor) }, at),
    allocate: (accountId = A, firstInvoiceIds?: string[]) => autoAllocate(entries, accountId, { firstInvoiceIds }).map((e) => post(e)),
  };
}

describe("signs and balance", () => {
  it("gives each kind its effect on what the family owes", () => {
    expect(BALANCE_SIGN).toEqual({ INVOICE: 1, LATE_FEE: 1, REFUND: 1, DISPUTE: 1, CREDIT_NOTE: -1, PAYMENT: -1, DISPUTE_WON: -1, ALLOCATION: 0, DEALLOCATION: 0 });
    expect(signedAmount({ kind: "PAYMENT", amount: usd(500) })).toEqual(usd(-500));
    expect(signedAmount({ kind: "ALLOCATION", amount: usd(500) })).toEqual(usd(0));
    expect(() => magnitude(0, "USD")).toThrow(/more than zero/);
    expect(() => magnitude(-5, "USD")).toThrow(/more than zero/);
  });
});

describe("payments, overpayment and credit", () => {
  it("pays oldest first, keeps an overpayment as credit and applies it to the next invoice", () => {
    const b = book();
    b.invoice("i1", 10000, "2026-02-01", "2026-01-15");
    b.invoice("i2", 5000, "2026-03-01", "2026-01-16");
    b.pay(12000, "2026-02-05");
    expect(b.allocate().map((e) => [e.invoiceId, e.amount.amountMinor])).toEqual([["i1", 10000], ["i2", 2000]]);

    const p2 = b.pay(8000, "2026-02-20");
    expect(b.allocate().map((e) => [e.invoiceId, e.amount.amountMinor])).toEqual([["i2", 3000]]);
    expect(sourceStates(b.entries).get(p2.id)!.unallocated).toEqual(usd(5000));
    expect(balance(b.entries, "fam-a", "USD")).toEqual(usd(-5000)); // in credit

    b.invoice("i3", 7000, "2026-04-01", "2026-03-10");
    expect(b.allocate().map((e) => [e.invoiceId, e.sourceId, e.amount.amountMinor])).toEqual([["i3", p2.id, 5000]]);
    const inv = invoiceStates(b.entries);
    expect(inv.get("i1")!.outstanding).toEqual(usd(0));
    expect(inv.get("i2")!.outstanding).toEqual(usd(0));
    expect(inv.get("i3")).toMatchObject({ total: usd(7000), paid: usd(5000), outstanding: usd(2000) });
    expect(balance(b.entries, "fam-a", "USD")).toEqual(usd(2000));
    expect(reconcile(b.entries)).toEqual([]);
    expect(b.allocate()).toEqual([]); // nothing left to apply
  });

  it("applies a payment to the invoice the family chose first", () => {
    const b = book();
    b.invoice("old", 1000, "2026-01-10");
    b.invoice("new", 1000, "2026-03-10");
    b.pay(1000);
    expect(b.allocate("fam-a", ["new"]).map((e) => e.invoiceId)).toEqual(["new"]);
  });

  it("allocates a credit note like any other credit", () => {
    const b = book();
    b.invoice("i1", 10000, "2026-02-01");
    b.post({ accountId: "fam-a", kind: "CREDIT_NOTE", amount: usd(2500), memo: "Lesson cancelled by the teacher" });
    b.allocate();
    expect(invoiceStates(b.entries).get("i1")).toMatchObject({ credited: usd(2500), paid: usd(0), outstanding: usd(7500) });
    expect(balance(b.entries, "fam-a", "USD")).toEqual(usd(7500));
    expect(reconcile(b.entries)).toEqual([]);
  });

  it("adds late fees to the invoice they belong to", () => {
    const b = book();
    b.invoice("i1", 10000, "2026-02-01");
    b.post({ accountId: "fam-a", kind: "LATE_FEE", amount: usd(1500), invoiceId: "i1" });
    expect(invoiceStates(b.entries).get("i1")!.total).toEqual(usd(11500));
    b.pay(11500);
    b.allocate();
    expect(invoiceStates(b.entries).get("i1")!.outstanding).toEqual(usd(0));
    expect(balance(b.entries, "fam-a", "USD")).toEqual(usd(0));
    expect(reconcile(b.entries)).toEqual([]);
  });
});

describe("refunds and disputes", () => {
  it("undoes the newest allocations before a refund, re-opening that invoice", () => {
    const b = book();
    b.invoice("i1", 6000, "2026-02-01");
    b.invoice("i2", 4000, "2026-03-01");
    const p = b.pay(10000);
    b.allocate();
    expect(deallocationsForRefund(b.entries, p.id, usd(0 + 1))).toHaveLength(1);
    const undo = deallocationsForRefund(b.entries, p.id, usd(5000));
    expect(undo.map((e) => [e.kind, e.invoiceId, e.amount.amountMinor])).toEqual([["DEALLOCATION", "i2", 4000], ["DEALLOCATION", "i1", 1000]]);
    undo.forEach((e) => b.post(e));
    b.post({ accountId: "fam-a", kind: "REFUND", amount: usd(5000), sourceId: p.id, memo: "Lessons moved" });
    expect(invoiceStates(b.entries).get("i1")!.outstanding).toEqual(usd(1000));
    expect(invoiceStates(b.entries).get("i2")!.outstanding).toEqual(usd(4000));
    expect(balance(b.entries, "fam-a", "USD")).toEqual(usd(5000));
    expect(reconcile(b.entries)).toEqual([]);
    expect(() => deallocationsForRefund(b.entries, p.id, usd(5001))).toThrow(/more than what is left/);
    expect(() => deallocationsForRefund(b.entries, "nope", usd(1))).toThrow(/no payment/);
  });

  it("needs no deallocation when the refund comes from free credit", () => {
    const b = book();
    b.invoice("i1", 1000, "2026-02-01");
    const p = b.pay(3000);
    b.allocate();
    expect(deallocationsForRefund(b.entries, p.id, usd(2000))).toEqual([]);
  });

  it("a dispute re-opens what the payment paid; winning it pays again", () => {
    const b = book();
    b.invoice("i1", 8000, "2026-02-01");
    const p = b.pay(8000);
    b.allocate();
    deallocationsForRefund(b.entries, p.id, usd(8000)).forEach((e) => b.post(e));
    b.post({ accountId: "fam-a", kind: "DISPUTE", amount: usd(8000), sourceId: p.id });
    expect(balance(b.entries, "fam-a", "USD")).toEqual(usd(8000));
    expect(invoiceStates(b.entries).get("i1")!.outstanding).toEqual(usd(8000));
    expect(reconcile(b.entries)).toEqual([]);
    b.post({ accountId: "fam-a", kind: "DISPUTE_WON", amount: usd(8000), sourceId: p.id });
    b.allocate();
    expect(balance(b.entries, "fam-a", "USD")).toEqual(usd(0));
    expect(invoiceStates(b.entries).get("i1")!.outstanding).toEqual(usd(0));
    expect(reconcile(b.entries)).toEqual([]);
  });
});

describe("reconciliation finds what is wrong", () => {
  function clean() {
    const b = book();
    b.invoice("i1", 10000, "2026-02-01");
    b.pay(4000);
    b.allocate();
    b.invoice("j1", 3000, "2026-02-01", undefined, "fam-b");
    return b;
  }

  it("holds for a clean ledger and matching reports", () => {
    const b = clean();
    expect(
      reconcile(b.entries, {
        reportedBalances: new Map([["fam-a", usd(6000)], ["fam-b", usd(3000)], ["fam-empty", usd(0)]]),
        reportedInvoicePaid: new Map([["i1", usd(4000)], ["j1", usd(0)]]),
      }),
    ).toEqual([]);
  });

  it("catches a reported balance or paid amount that drifted", () => {
    const b = clean();
    const problems = reconcile(b.entries, {
      reportedBalances: new Map([["fam-a", usd(6001)], ["fam-c", usd(100)]]),
      reportedInvoicePaid: new Map([["i1", usd(4500)]]),
    });
    expect(problems.map((x) => x.message)).toEqual([
      expect.stringMatching(/records 4500 paid, its allocations 4000/),
      expect.stringMatching(/reported balance 6001 USD differs from the entries' 6000/),
      expect.stringMatching(/no entries/),
    ]);
  });

  it("catches over-allocation, overused payments and bad references", () => {
    const over = clean();
    const p = over.entries.find((e) => e.kind === "PAYMENT")!;
    over.post({ accountId: "fam-a", kind: "ALLOCATION", amount: usd(1000), invoiceId: "i1", sourceId: p.id });
    expect(reconcile(over.entries).map((x) => x.message)).toEqual([expect.stringMatching(/used beyond its amount/)]);

    const beyond = book();
    beyond.invoice("i1", 1000, "2026-02-01");
    const q = beyond.pay(5000);
    beyond.post({ accountId: "fam-a", kind: "ALLOCATION", amount: usd(2000), invoiceId: "i1", sourceId: q.id });
    expect(reconcile(beyond.entries).map((x) => x.message)).toEqual([expect.stringMatching(/settled beyond its total/)]);

    const cross = clean();
    cross.post({ accountId: "fam-b", kind: "ALLOCATION", amount: usd(100), invoiceId: "i1", sourceId: p.id });
    expect(reconcile(cross.entries).map((x) => x.message)).toEqual([
      expect.stringMatching(/another family's invoice/),
      expect.stringMatching(/another family's payment/),
    ]);

    const dangling = clean();
    dangling.post({ accountId: "fam-a", kind: "REFUND", amount: usd(100), sourceId: "missing" });
    dangling.post({ accountId: "fam-a", kind: "LATE_FEE", amount: usd(100), invoiceId: "missing" });
    expect(reconcile(dangling.entries)).toHaveLength(2);
  });

  it("catches malformed entries", () => {
    const b = clean();
    b.entries.push({ ...b.entries[0]!, invoiceId: "i9" }); // same id twice
    b.post({ accountId: "fam-a", kind: "PAYMENT", amount: money(-5, "USD") });
    b.post({ accountId: "fam-a", kind: "PAYMENT", amount: money(5, "EUR") });
    b.post({ accountId: "fam-a", kind: "INVOICE", amount: usd(5), invoiceId: "i1", dueDate: "2026-02-30" });
    expect(reconcile(b.entries).map((x) => x.message)).toEqual([
      expect.stringMatching(/appears twice/),
      expect.stringMatching(/positive whole amount/),
      expect.stringMatching(/in EUR, the account in USD/),
      expect.stringMatching(/posted twice/),
      expect.stringMatching(/no valid due date/),
    ]);
  });

  it("holds after any sequence of invoices, payments, credits, fees and refunds (generated)", () => {
    let seed = 20260101;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let run = 0; run < 60; run++) {
      const b = book();
      const accounts = ["fam-a", "fam-b", "fam-c"];
      let n = 0;
      for (let step = 0; step < 40; step++) {
        const acc = accounts[Math.floor(next() * accounts.length)]!;
        const r = next();
        const amt = 1 + Math.floor(next() * 20000);
        if (r < 0.3) b.invoice(`i${++n}`, amt, `2026-0${1 + Math.floor(next() * 9)}-15`, undefined, acc);
        else if (r < 0.6) b.pay(amt, undefined, acc);
        else if (r < 0.7) b.post({ accountId: acc, kind: "CREDIT_NOTE", amount: usd(amt) });
        else if (r < 0.8) {
          const inv = [...invoiceStates(b.entries).values()].find((i) => i.accountId === acc);
          if (inv) b.post({ accountId: acc, kind: "LATE_FEE", amount: usd(amt), invoiceId: inv.invoiceId });
        } else {
          const src = [...sourceStates(b.entries).values()].find((s) => s.accountId === acc && s.kind === "PAYMENT");
          if (src) {
            const left = src.amount.amountMinor - src.refunded.amountMinor - src.disputed.amountMinor;
            if (left > 0) {
              const refund = usd(1 + Math.floor(next() * left));
              deallocationsForRefund(b.entries, src.sourceId, refund).forEach((e) => b.post(e));
              b.post({ accountId: acc, kind: r < 0.9 ? "REFUND" : "DISPUTE", amount: refund, sourceId: src.sourceId });
            }
          }
        }
        if (next() < 0.5) b.allocate(acc);
        expect(reconcile(b.entries)).toEqual([]);
      }
      for (const acc of accounts) {
        const s = statement(b.entries, acc, "USD");
        expect(s.closing).toEqual(balance(b.entries, acc, "USD"));
        // After allocating everything, an account cannot both owe and hold credit.
        b.allocate(acc);
        const owed = [...invoiceStates(b.entries).values()].filter((i) => i.accountId === acc).reduce((t, i) => t + i.outstanding.amountMinor, 0);
        const free = [...sourceStates(b.entries).values()].filter((x) => x.accountId === acc).reduce((t, x) => t + x.unallocated.amountMinor, 0);
        expect(owed === 0 || free === 0).toBe(true);
        expect(owed - free).toBe(balance(b.entries, acc, "USD").amountMinor);
      }
      expect(reconcile(b.entries)).toEqual([]);
    }
  });
});

describe("statements", () => {
  it("lists entries with a running balance, allocations left out", () => {
    const b = book();
    b.invoice("i1", 10000, "2026-02-01", "2026-01-15");
    b.pay(4000, "2026-02-03");
    b.allocate();
    b.post({ accountId: "fam-a", kind: "LATE_FEE", amount: usd(500), invoiceId: "i1" }, "2026-03-01");
    b.pay(7000, "2026-03-05");
    const s = statement(b.entries, "fam-a", "USD");
    expect(s.lines.map((l) => [l.entry.kind, l.signed.amountMinor, l.balance.amountMinor])).toEqual([
      ["INVOICE", 10000, 10000],
      ["PAYMENT", -4000, 6000],
      ["LATE_FEE", 500, 6500],
      ["PAYMENT", -7000, -500],
    ]);
    expect(s).toMatchObject({ opening: usd(0), closing: usd(-500) });
    expect(statement(b.entries, "fam-a", "USD", { includeAllocations: true }).lines).toHaveLength(5);
  });

  it("starts from an opening balance for a period", () => {
    const b = book();
    b.invoice("i1", 10000, "2026-02-01", "2026-01-15");
    b.pay(4000, "2026-02-03");
    b.pay(1000, "2026-03-03");
    const feb = statement(b.entries, "fam-a", "USD", { from: new Date("2026-02-01T00:00:00Z"), to: new Date("2026-03-01T00:00:00Z") });
    expect(feb).toMatchObject({ opening: usd(10000), closing: usd(6000) });
    expect(feb.lines).toHaveLength(1);
    const empty = statement(b.entries, "fam-a", "USD", { from: new Date("2026-06-01T00:00:00Z") });
    expect(empty).toMatchObject({ opening: usd(5000), closing: usd(5000), lines: [] });
  });
});

describe("ageing", () => {
  it("buckets by days past the due date", () => {
    expect([-3, 0, 1, 30, 31, 60, 61, 90, 91, 400].map(ageingBucket)).toEqual(["current", "current", "0-30", "0-30", "31-60", "31-60", "61-90", "61-90", "90+", "90+"]);
  });

  it("reports what is owed per bucket against a given today", () => {
    const b = book();
    const due = { a: "2026-05-15", b: "2026-05-14", c: "2026-04-15", d: "2026-04-14", e: "2026-03-16", f: "2026-02-14", g: "2026-02-13" };
    Object.entries(due).forEach(([id, d], i) => b.invoice(id, 1000 * (i + 1), d));
    b.invoice("paid", 999, "2025-01-01");
    b.pay(999);
    b.allocate("fam-a", ["paid"]);
    const r = ageing(b.entries, "2026-05-15", "USD");
    expect(r.invoices.map((i) => [i.invoiceId, i.daysOverdue, i.bucket])).toEqual([
      ["g", 91, "90+"],
      ["f", 90, "61-90"],
      ["e", 60, "31-60"],
      ["d", 31, "31-60"],
      ["c", 30, "0-30"],
      ["b", 1, "0-30"],
      ["a", 0, "current"],
    ]);
    expect(Object.fromEntries(Object.entries(r.totals).map(([k, v]) => [k, v.amountMinor]))).toEqual({
      current: 1000,
      "0-30": 2000 + 3000,
      "31-60": 4000 + 5000,
      "61-90": 6000,
      "90+": 7000,
    });
    expect(r.total).toEqual(usd(28000));
    expect(() => ageing(b.entries, "2026-13-01", "USD")).toThrow(/Invalid date/);
  });

  it("ages only what is still owed", () => {
    const b = book();
    b.invoice("i1", 10000, "2026-01-01");
    b.pay(2500);
    b.allocate();
    expect(ageing(b.entries, "2026-03-01", "USD").invoices[0]).toMatchObject({ outstanding: usd(7500), bucket: "31-60", daysOverdue: 59 });
  });
});
