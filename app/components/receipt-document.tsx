// The receipt of one payment, printable (app/styles/receipts.css hides the page around it
// when printed). The family's page and the admin's page render the same document from
// paymentReceipt (app/models/family-billing.server.ts).
import type { SerializeFrom } from "@remix-run/node";
import type { Receipt } from "~/models/family-billing.server";
import { useFormat } from "~/utils/format";

type Amount = { amountMinor: number; currency: string };

export function ReceiptDocument({ receipt }: { receipt: SerializeFrom<Receipt> | Receipt }) {
  const fmt = useFormat();
  const m = (a: Amount) => fmt.moneyMinor(a.amountMinor, a.currency);
  const r = receipt;
  return (
    <article className="receipt card" aria-labelledby="receipt-title">
      <header className="receipt-head">
        <div>
          <p className="receipt-school">{r.school.name}</p>
          <p className="muted receipt-contact">
            {[r.school.contactAddress, r.school.email, r.school.phone, r.school.website].filter(Boolean).map((line) => (
              <span key={line}>{line}</span>
            ))}
          </p>
        </div>
        <div className="receipt-title">
          <h1 id="receipt-title">Receipt</h1>
          <p className="muted">No. {r.id.slice(-8).toUpperCase()}</p>
        </div>
      </header>

      <div className="receipt-parties">
        <section aria-labelledby="receipt-from">
          <h2 id="receipt-from">Received from</h2>
          <p>
            <strong>{r.family.name}</strong>
            <br />
            {r.family.contact}
            <br />
            {r.family.email}
            {r.family.address ? (
              <>
                <br />
                {r.family.address}
              </>
            ) : null}
          </p>
        </section>
        <section aria-labelledby="receipt-payment">
          <h2 id="receipt-payment">Payment</h2>
          <dl className="receipt-facts">
            <dt>Amount</dt>
            <dd className="receipt-amount">{m(r.amount)}</dd>
            <dt>Date</dt>
            <dd>{fmt.date(r.paidAt, { year: "numeric" })}</dd>
            <dt>Method</dt>
            <dd>{r.method}</dd>
            {r.reference ? (
              <>
                <dt>Reference</dt>
                <dd>{r.reference}</dd>
              </>
            ) : null}
          </dl>
        </section>
      </div>

      <section aria-labelledby="receipt-applied">
        <h2 id="receipt-applied">Applied to</h2>
        {r.paid.length ? (
          <table className="stack-table receipt-lines">
            <thead>
              <tr>
                <th scope="col">Invoice</th>
                <th scope="col">Due</th>
                <th scope="col" className="num">
                  Paid
                </th>
                <th scope="col" className="num">
                  Still owed
                </th>
              </tr>
            </thead>
            <tbody>
              {r.paid.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <span className="nowrap">{p.number ?? "Invoice"}</span>
                    {p.term ? <span className="muted"> · {p.term}</span> : null}
                  </th>
                  <td data-label="Due">{p.dueDate ? fmt.day(p.dueDate, { year: "numeric" }) : "—"}</td>
                  <td data-label="Paid" className="num">
                    {m(p.amount)}
                  </td>
                  <td data-label="Still owed" className="num">
                    {p.stillOwed.amountMinor > 0 ? m(p.stillOwed) : "Paid in full"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">No invoice yet: the whole payment is credit on the account.</p>
        )}
        <dl className="receipt-totals">
          {r.refunded.amountMinor > 0 ? (
            <>
              <dt>Refunded</dt>
              <dd>{m(r.refunded)}</dd>
            </>
          ) : null}
          <dt>Credit left on the account from this payment</dt>
          <dd>{m(r.creditLeft)}</dd>
        </dl>
      </section>
      <p className="muted receipt-thanks">Thank you. Keep this receipt for your records.</p>
    </article>
  );
}
