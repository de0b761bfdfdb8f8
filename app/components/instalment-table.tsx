// An invoice's instalments (app/domain/instalments.ts): each one's due date, amount, what is
// still to pay and its status. The family's invoice page and the admin's show it alike.
import type { InstalmentState } from "~/domain/instalments";
import { useFormat } from "~/utils/format";

const STATUS_LABEL = { paid: "Paid", "part-paid": "Part paid", due: "Due today", overdue: "Overdue", upcoming: "Upcoming" } as const;
const STATUS_BADGE = { paid: "ok", "part-paid": "warn", due: "warn", overdue: "danger", upcoming: "muted" } as const;

type Row = Pick<InstalmentState, "sequence" | "dueDate" | "status"> & { amount: { amountMinor: number }; remaining: { amountMinor: number } };

export function InstalmentTable({ instalments, currency }: { instalments: readonly Row[]; currency: string }) {
  const fmt = useFormat();
  return (
    <div className="table-wrap">
      <table className="stack-table bill-table">
        <thead>
          <tr>
            <th scope="col">Instalment</th>
            <th scope="col">Due</th>
            <th scope="col" className="num">
              Amount
            </th>
            <th scope="col" className="num">
              Still to pay
            </th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {instalments.map((i) => (
            <tr key={i.sequence}>
              <td>
                {i.sequence} of {instalments.length}
              </td>
              <td data-label="Due">{fmt.day(i.dueDate, { weekday: undefined, year: "numeric" })}</td>
              <td data-label="Amount" className="num">
                {fmt.moneyMinor(i.amount.amountMinor, currency)}
              </td>
              <td data-label="Still to pay" className="num">
                {fmt.moneyMinor(i.remaining.amountMinor, currency)}
              </td>
              <td data-label="Status">
                <span className={`badge ${STATUS_BADGE[i.status]}`}>{STATUS_LABEL[i.status]}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
