// What one school collected, for the operator's billing page (/operator/billing). Run by the
// privileged module in each school's own RLS-bound transaction (Platform.billingTotals), so
// the platform role itself never reads a school's ledger or payments.
import type { Tx } from "../../server/db/school-db.server";

export interface SchoolCollected {
  /** PAYMENT entries, any method. */
  paymentsMinor: number;
  /** REFUND entries (money given back). */
  refundsMinor: number;
  /** What families paid: payments less refunds. */
  collectedMinor: number;
  /** Of that, paid online (Stripe): online payments less their refunds. */
  onlineMinor: number;
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
  return {
    paymentsMinor: payments.minor,
    refundsMinor: refunds.minor,
    collectedMinor: payments.minor - refunds.minor,
    onlineMinor: online.minor - onlineRefunds.minor,
    payments: payments.count,
  };
}
