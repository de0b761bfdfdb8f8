// The printable invoice, for the admin's print page and the family's: the school (logo,
// name, address, contact), the family and its paying guardian, the number and dates, the
// lines per child, net / tax / total with the tax label, what was paid or credited so far,
// what is due, and how to pay. Data from `invoiceDocument` (app/models/billing.server.ts);
// styles in app/styles/billing.css (print rules hide the site's header and footer).
import type { InvoiceDocument as Doc } from "~/models/billing.server";
import { DATE_WITH_YEAR as DAY } from "~/domain/locale";
import { useFormat } from "~/utils/format";


export function InvoiceDocument({ doc, payOnline }: { doc: Doc; /** Where a family can pay online, if anywhere. */ payOnline?: string | null }) {
  const fmt = useFormat();
  const { invoice, school, family } = doc;
  const m = (minor: number) => fmt.moneyMinor(minor, invoice.currency);
  const title = invoice.status === "DRAFT" ? "Draft invoice" : "Invoice";
  return (
    <article className="invoice-doc" aria-label={`${title} ${invoice.number ?? ""}`.trim()}>
      <header>
        <div className="doc-school">
          {school.logoUrl ? <img src={school.logoUrl} alt="" /> : null}
          <div>
            <strong>{school.name}</strong>
            {school.address ? <div className="doc-address">{school.address}</div> : null}
            <div>{[school.email, school.phone].filter(Boolean).join(" · ")}</div>
            {school.website ? <div>{school.website}</div> : null}
          </div>
        </div>
        <div className="doc-meta">
          <h1>{title}</h1>
          {invoice.status === "VOID" ? <p className="doc-stamp">VOID</p> : null}
          <dl>
            <dt>Number</dt>
            <dd>{invoice.number ?? "not yet issued"}</dd>
            {invoice.issueDate ? (
              <>
                <dt>Issued</dt>
                <dd>{fmt.day(invoice.issueDate, DAY)}</dd>
              </>
            ) : null}
            {invoice.dueDate ? (
              <>
                <dt>Due</dt>
                <dd>{fmt.day(invoice.dueDate, DAY)}</dd>
              </>
            ) : null}
            {invoice.term ? (
              <>
                <dt>Term</dt>
                <dd>{invoice.term}</dd>
              </>
            ) : null}
          </dl>
        </div>
      </header>

      <section className="doc-parties" aria-label="Billed to">
        <div>
          <p className="muted" style={{ margin: 0 }}>
            Billed to
          </p>
          <strong>{family.guardian}</strong>
          <div>{family.name}</div>
          {family.address ? <div className="doc-address">{family.address}</div> : null}
          <div>{family.email}</div>
        </div>
      </section>

      {doc.groups.map((g) => (
        <section key={g.studentId ?? "family"} aria-label={g.name ?? "For the family"}>
          <h2>{g.name ?? "For the family"}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Description</th>
                <th scope="col" className="num">
                  Qty
                </th>
                <th scope="col" className="num unit">
                  Unit price
                </th>
                <th scope="col" className="num">
                  Amount
                </th>
              </tr>
            </thead>
            <tbody>
              {g.lines.map((l) => (
                <tr key={l.id}>
                  <td>{l.description}</td>
                  <td className="num">{l.quantity}</td>
                  <td className="num unit">{l.unitAmountMinor !== null ? m(l.unitAmountMinor) : ""}</td>
                  <td className="num">{m(l.amountMinor)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}

      <table className="bill-totals" style={{ marginTop: "1.25rem" }}>
        <tbody>
          <tr>
            <th scope="row">{invoice.taxLabel && invoice.taxInclusive ? `Net (before ${invoice.taxLabel})` : "Subtotal"}</th>
            <td className="num">{m(invoice.netMinor)}</td>
          </tr>
          {invoice.taxLabel ? (
            <tr>
              <th scope="row">
                {invoice.taxLabel}
                {invoice.taxRateBasisPoints > 0 ? ` ${fmt.number(invoice.taxRateBasisPoints / 10_000, { style: "percent", maximumFractionDigits: 2 })}` : ""}
                {invoice.taxInclusive ? " included" : ""}
              </th>
              <td className="num">{m(invoice.taxMinor)}</td>
            </tr>
          ) : null}
          <tr className="grand">
            <th scope="row">Total</th>
            <td className="num">{m(invoice.totalMinor)}</td>
          </tr>
          {invoice.lateFeesMinor > 0 ? (
            <tr>
              <th scope="row">Late fees</th>
              <td className="num">{m(invoice.lateFeesMinor)}</td>
            </tr>
          ) : null}
          {invoice.paidMinor !== 0 ? (
            <tr>
              <th scope="row">Paid so far</th>
              <td className="num">−{m(invoice.paidMinor)}</td>
            </tr>
          ) : null}
          {invoice.creditedMinor !== 0 && invoice.status !== "VOID" ? (
            <tr>
              <th scope="row">Credited</th>
              <td className="num">−{m(invoice.creditedMinor)}</td>
            </tr>
          ) : null}
          <tr className="grand doc-due">
            <th scope="row">Amount due</th>
            <td className="num">{m(invoice.dueMinor)}</td>
          </tr>
        </tbody>
      </table>

      <footer>
        {invoice.status === "VOID" ? (
          <p>This invoice was voided{invoice.voidReason ? `: ${invoice.voidReason}` : "."} Nothing is owed on it.</p>
        ) : invoice.dueMinor > 0 ? (
          <p>
            Please pay {m(invoice.dueMinor)}
            {invoice.dueDate ? ` by ${fmt.day(invoice.dueDate, DAY)}` : ` within ${doc.paymentTermsDays} days of issue`}
            {payOnline ? (
              <>
                {" "}
                online at <a href={payOnline}>{payOnline}</a>, or
              </>
            ) : null}{" "}
            by bank transfer, cash or check at the school, quoting the invoice number {invoice.number ?? ""}.
          </p>
        ) : (
          <p>Paid in full. Thank you.</p>
        )}
        <p>
          Questions? Write to {school.email}
          {school.phone ? ` or call ${school.phone}` : ""}.
        </p>
      </footer>
    </article>
  );
}
