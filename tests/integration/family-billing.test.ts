// The family's account and receipts against the real database, through the routes'
// loaders with real sessions: both guardians see the family's account, a student sees no
// money, a family never reaches another family's receipt (404, as for none); the admin's
// receipt; the operator's platform fee (audited, not the school's to change) and totals.
import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordManualPayment } from "../../app/models/billing.server";
import { localDateTimeToUtc } from "../../app/domain/time";
import { loader as adminReceiptLoader } from "../../app/routes/admin.billing_.receipts.$paymentId";
import { loader as billingLoader } from "../../app/routes/family.billing._index";
import { loader as receiptLoader } from "../../app/routes/family.billing.receipts.$paymentId";
import { signIn } from "../../app/utils/auth.server";
import { brandFor } from "../../tenants/branding";
import { type BillingSchool, makeBillingSchool, PASSWORD } from "../support/billing";
import { refusal } from "../support/db";
import { loadContextFor, testServices } from "../support/services";

const services = testServices();
const ZONE = "America/New_York";
const at = (day: string, time = "12:00") => localDateTimeToUtc(day, time, ZONE);

let s: BillingSchool;
let paymentA: string;
let paymentB: string;

type Loader = (args: { request: Request; params: Record<string, string>; context: AppLoadContext }) => Promise<unknown>;

function contextFor(): AppLoadContext {
  return loadContextFor(services, { kind: "school", school: s.school, brand: brandFor(s.school.brandColor) });
}

async function as(email: string) {
  const signedIn = await signIn(contextFor(), email, PASSWORD);
  const cookie = signedIn!.cookie.split(";")[0]!;
  return async <T>(loader: Loader, path: string, params: Record<string, string> = {}): Promise<T> => {
    try {
      return (await loader({ request: new Request(`http://${s.slug}.localhost${path}`, { headers: { cookie } }), params, context: contextFor() })) as T;
    } catch (thrown) {
      if (thrown instanceof Response) return { status: thrown.status } as T;
      throw thrown;
    }
  };
}

beforeAll(async () => {
  s = await makeBillingSchool(services, "famb", { timezone: ZONE });
  // The e2e and app clocks are not used here: "today" is the real date, so dates are far past
  // (overdue) or far ahead (not yet due) of any real day the test may run on.
  await s.issue(s.a.familyId, 30_000, at("2020-01-06"));
  await s.issue(s.a.familyId, 12_000, at("2099-01-06"));
  await s.issue(s.b.familyId, 9_000, at("2020-01-06"));
  paymentA = (await s.run((tx) => recordManualPayment(tx, { familyGroupId: s.a.familyId, amountMinor: 35_000, method: "CHECK", reference: "CHK 77", now: at("2020-01-10") }))).id;
  paymentB = (await s.run((tx) => recordManualPayment(tx, { familyGroupId: s.b.familyId, amountMinor: 9_000, method: "CASH", reference: null, now: at("2020-01-11") }))).id;
});
afterAll(async () => {
  await services.close();
});

type Billing = {
  family: { name: string } | null;
  account: {
    balance: { amountMinor: number };
    open: { number: string; outstanding: { amountMinor: number }; overdue: boolean }[];
    settled: { number: string }[];
    payments: { id: string; amount: { amountMinor: number }; reference: string | null }[];
    statement: { lines: { kind: string; balance: { amountMinor: number } }[]; closing: { amountMinor: number } };
  } | null;
};

describe("the family's account", () => {
  it("shows each guardian the family's balance, invoices, payments and statement", async () => {
    for (const email of s.a.guardianEmails) {
      const page = await (await as(email))<Billing>(billingLoader, "/family/billing");
      expect(page.family?.name).toBe("Abbott family");
      const account = page.account!;
      // 300.00 + 120.00 invoiced, 350.00 paid: 300.00 settles the first, 50.00 goes to the second.
      expect(account.balance.amountMinor).toBe(7_000);
      expect(account.open.map((i) => [i.outstanding.amountMinor, i.overdue])).toEqual([[7_000, false]]);
      expect(account.settled).toHaveLength(1);
      expect(account.payments.map((p) => [p.id, p.amount.amountMinor, p.reference])).toEqual([[paymentA, 35_000, "CHK 77"]]);
      expect(account.statement.lines.map((l) => [l.kind, l.balance.amountMinor])).toEqual([
        ["INVOICE", 30_000],
        ["PAYMENT", -5_000],
        ["INVOICE", 7_000],
      ]);
    }
  });

  it("shows a student no money", async () => {
    const page = await (await as(s.a.studentEmail))<{ status: number }>(billingLoader, "/family/billing");
    expect(page.status).toBe(403);
  });
});

type ReceiptPage = { receipt: { amount: { amountMinor: number }; method: string; reference: string | null; family: { name: string }; paid: { number: string; amount: { amountMinor: number }; stillOwed: { amountMinor: number } }[]; creditLeft: { amountMinor: number } } };

describe("receipts", () => {
  it("shows the family its payment: what it paid, and what is left", async () => {
    const load = await as(s.a.guardianEmails[1]!);
    const { receipt } = await load<ReceiptPage>(receiptLoader, `/family/billing/receipts/${paymentA}`, { paymentId: paymentA });
    expect(receipt.family.name).toBe("Abbott family");
    expect([receipt.amount.amountMinor, receipt.method, receipt.reference]).toEqual([35_000, "Check", "CHK 77"]);
    expect(receipt.paid.map((p) => [p.amount.amountMinor, p.stillOwed.amountMinor])).toEqual([
      [30_000, 0],
      [5_000, 7_000],
    ]);
    expect(receipt.creditLeft.amountMinor).toBe(0);
  });

  it("answers another family's receipt exactly like a missing one", async () => {
    const load = await as(s.a.guardianEmails[0]!);
    expect(await load(receiptLoader, `/family/billing/receipts/${paymentB}`, { paymentId: paymentB })).toEqual({ status: 404 });
    expect(await load(receiptLoader, "/family/billing/receipts/nope", { paymentId: "nope" })).toEqual({ status: 404 });
    const own = await (await as(s.b.parentEmail))<ReceiptPage>(receiptLoader, `/family/billing/receipts/${paymentB}`, { paymentId: paymentB });
    expect(own.receipt.family.name).toBe("Baker family");
  });

  it("gives the admin every family's receipt, and a parent none of the admin's pages", async () => {
    const admin = await as(`admin@${s.slug}.test`);
    const page = await admin<ReceiptPage>(adminReceiptLoader, `/admin/billing/receipts/${paymentB}`, { paymentId: paymentB });
    expect(page.receipt.amount.amountMinor).toBe(9_000);
    const parent = await as(s.a.guardianEmails[0]!);
    expect(await parent(adminReceiptLoader, `/admin/billing/receipts/${paymentA}`, { paymentId: paymentA })).toEqual({ status: 403 });
  });
});

describe("the operator's platform fee", () => {
  it("is the operator's to set (audited), not the school's", async () => {
    const denied = await refusal(() => s.run((tx) => tx.school.updateMany({ data: { platformFeeBasisPoints: 0 } })));
    expect(denied.code).toBe("42501");
    await services.platform.setPlatformFee(null, s.school.id, 250);
    const audit = await services.platform.listAuditLog(20);
    expect(audit.find((e) => e.action === "school.platform_fee" && e.targetSchool?.slug === s.slug)?.details).toEqual({ from: 0, to: 250 });
    await expect(services.platform.setPlatformFee(null, s.school.id, 10_001)).rejects.toThrow(RangeError);
  });

  it("earns its fee on online payments less their refunds; collected counts every payment less refunds", async () => {
    // An online payment as the payment flow records it (2.5 % of 101.00 = 2.53 kept as the fee), then 21.00 refunded:
    // the school gives back 21 × 98.47/101 = 20.47 of its transfer, so the platform keeps 2.53 − 0.53 = 2.00.
    await s.run(async (tx) => {
      const p = await tx.payment.create({ data: { familyGroupId: s.b.familyId, amount: "101.00", amountMinor: 10_100, currency: "USD", status: "COMPLETED", method: "STRIPE", platformFeeMinor: 253, paidAt: at("2020-02-01") } });
      const entry = await tx.ledgerEntry.create({ data: { familyGroupId: s.b.familyId, kind: "PAYMENT", amountMinor: 10_100, currency: "USD", postedAt: at("2020-02-01"), paymentId: p.id, idempotencyKey: `payment:${p.id}` } });
      await tx.ledgerEntry.create({ data: { familyGroupId: s.b.familyId, kind: "REFUND", amountMinor: 2_100, currency: "USD", postedAt: at("2020-02-02"), sourceId: entry.id, idempotencyKey: `refund:${p.id}:1` } });
    });
    const totals = (await services.platform.billingTotals()).find((t) => t.id === s.school.id)!;
    expect(totals).toMatchObject({ platformFeeBasisPoints: 250, paymentsMinor: 35_000 + 9_000 + 10_100, refundsMinor: 2_100, collectedMinor: 52_000, onlineMinor: 8_000, earnedMinor: 200, payments: 3 });
  });
});
