// What one school collected, for the operator's billing page (/operator/billing). Run by the
// privileged module in each school's own RLS-bound transaction (Platform.billingTotals), so
// the platform role itself never reads a school's ledger or payments.
import type { Tx } from "../../server/db/school-db.server";
import { money } from "../domain/money";
import { platformFeeKept } from "../domain/payments";

export interface SchoolCollected {
  /** PAYMENT entries, any method. */
  paymentsMinor: number;
  /** REFUND entries (money given back). */
  refundsMinor: number;
  /** What families paid: payments less refunds. */
  collectedMinor: number;
  /** Of that, paid online (Stripe): online payments less their refunds. */
  onlineMinor: number;
  /** The platform's fees on the online payments (stored on each when it was paid), less its share of their refunds. */
  earnedMinor: number;
  payments: number;
}

export async function schoolCollected(tx: Tx): Promise<SchoolCollected> {
  const sum = async (where: Parameters<Tx["ledgerEntry"]["aggregate"]>[0]["where"]) => {
    const r = await tx.ledgerEntry.aggregate({ where, _sum: { amountMinor: true }, _count: { _all: true } });
    return { minor: r._sum.amountMinor ?? 0, count: r._count._all };
  };
  const payments = await sum({ kind: "PAYMENT" });
  const refunds = await sum({ kind: "REFUND" });
  const online = await sum({ kind: "PAYMENT", payment: { method: "STRIPE" } });
  const onlineRefunds = await sum({ kind: "REFUND", source: { payment: { method: "STRIPE" } } });
  const paidOnline = await tx.payment.findMany({
    where: { method: "STRIPE", platformFeeMinor: { not: null }, ledgerEntries: { some: { kind: "PAYMENT" } } },
    select: { amountMinor: true, currency: true, platformFeeMinor: true, ledgerEntries: { where: { kind: "PAYMENT" }, select: { derived: { where: { kind: "REFUND" }, select: { amountMinor: true } } } } },
  });
  let earnedMinor = 0;
  for (const p of paidOnline) {
    const refunded = p.ledgerEntries.flatMap((e) => e.derived).reduce((n, r) => n + r.amountMinor, 0);
    earnedMinor += platformFeeKept({ charged: money(p.amountMinor ?? 0, p.currency), fee: money(p.platformFeeMinor!, p.currency), refunded: money(refunded, p.currency) }).amountMinor;
  }
  return {
    earnedMinor,
    paymentsMinor: payments.minor,
    refundsMinor: refunds.minor,
    collectedMinor: payments.minor - refunds.minor,
    onlineMinor: online.minor - onlineRefunds.minor,
    payments: payments.count,
  };
}
