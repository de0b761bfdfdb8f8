// A family's statement: every ledger entry with its running balance, for the admin's family
// account and the family's own billing page alike (the lines come from statementView in
// app/models/family-billing.server.ts).
import type { ReactNode } from "react";
import { useFormat } from "~/utils/format";

type Amount = { amountMinor: number; currency: string };

export interface StatementTableLine {
  id: string;
  postedAt: string | Date;
  label: string;
  detail: string | null;
  signed: Amount;
  balance: Amount;
}

export function StatementTable({ lines, empty, footnote }: { lines: readonly StatementTableLine[]; empty: string; footnote?: ReactNode }) {
  const fmt = useFormat();
  // A typographic minus for amounts below zero, the same in both columns.
  const money = (a: Amount) => (a.amountMinor < 0 ? `−${fmt.moneyMinor(-a.amountMinor, a.currency)}` : fmt.moneyMinor(a.amountMinor, a.currency));
  if (lines.length === 0) return <p className="muted">{empty}</p>;
  return (
    <>
      <div className="table-wrap">
        <table className="stack-table bill-table">
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">What</th>
              <th scope="col" className="num">
                Amount
              </th>
              <th scope="col" className="num">
                Balance
              </th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => (
              <tr key={l.id}>
                <td className="nowrap">{fmt.date(l.postedAt, { weekday: undefined, year: "numeric" })}</td>
                <td data-label="What">
                  {l.label}
                  {l.detail ? <span className="muted"> · {l.detail}</span> : null}
                </td>
                <td data-label="Amount" className={`num${l.signed.amountMinor < 0 ? " signed-neg" : ""}`}>
                  {money(l.signed)}
                </td>
                <td data-label="Balance" className="num">
                  {money(l.balance)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {footnote ? <p className="muted" style={{ marginBottom: 0 }}>{footnote}</p> : null}
    </>
  );
}
