// /admin/billing/overdue — what each family owes, by how long past due (not yet due,
// 1–30, 31–60, 61–90, over 90 days) on the school's date, with the totals per bucket,
// the reminders already sent, and a CSV export. Reminders and late fees themselves go out
// by the daily job (server/jobs: overdue-invoices; app/models/overdue.server.ts).
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { AGEING_BUCKETS } from "~/domain/ledger";
import { toLocalDate } from "~/domain/time";
import { BUCKET_LABEL } from "~/domain/overdue";
import { overdueReport } from "~/models/overdue.server";
import receiptsCss from "~/styles/receipts.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Overdue invoices");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: receiptsCss }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const today = toLocalDate(context.clock.now(), school.timezone);
  const report = await db.run((tx) => overdueReport(tx, today));
  return { today, ...report };
}

type Amount = { amountMinor: number; currency: string };

export default function OverduePage() {
  const fmt = useFormat();
  const r = useLoaderData<typeof loader>();
  const m = (a: Amount) => fmt.moneyMinor(a.amountMinor, a.currency);
  const cell = (a: Amount) => (a.amountMinor === 0 ? <span className="muted">–</span> : m(a));
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <p className="eyebrow">
            <Link to="/admin/billing">Billing</Link>
          </p>
          <h1>Overdue invoices</h1>
        </div>
        <a className="button secondary" href="/admin/billing/overdue.csv" download>
          Download CSV
        </a>
      </div>
      <p className="muted" style={{ margin: 0 }}>
        What families owe on {fmt.day(r.today, { year: "numeric" })}, by how many days past the due date. Reminders go out by email on the days set in the billing
        settings, each once per invoice; a late fee, when the school charges one, is added once.
      </p>

      <section className="grid stats bill-stats" aria-label="Totals">
        <div className="card">
          <p className="eyebrow">Overdue</p>
          <p className="stat" data-testid="overdue-total">
            {m(r.overdueTotal)}
          </p>
        </div>
        {AGEING_BUCKETS.filter((b) => b !== "current").map((b) => (
          <div className="card" key={b}>
            <p className="eyebrow">{BUCKET_LABEL[b]}</p>
            <p className="stat">{m(r.totals[b])}</p>
          </div>
        ))}
        <div className="card">
          <p className="eyebrow">{BUCKET_LABEL.current}</p>
          <p className="stat">{m(r.totals.current)}</p>
        </div>
      </section>

      <section className="card table-wrap" aria-labelledby="by-family">
        <h2 id="by-family">By family</h2>
        {r.families.length === 0 ? (
          <p className="muted" style={{ margin: 0 }}>
            No family owes anything. Everything issued is paid.
          </p>
        ) : (
          <table className="stack-table bill-table">
            <thead>
              <tr>
                <th scope="col">Family and invoices</th>
                {AGEING_BUCKETS.map((b) => (
                  <th scope="col" className="num" key={b}>
                    {BUCKET_LABEL[b]}
                  </th>
                ))}
                <th scope="col" className="num">
                  Total
                </th>
              </tr>
            </thead>
            <tbody>
              {r.families.map((f) => (
                <tr key={f.familyGroupId}>
                  <td>
                    <Link to={`/admin/billing/families/${f.familyGroupId}`}>{f.name}</Link>
                    {f.email ? <div className="muted email">{f.email}</div> : null}
                    <ul className="bill-invoices">
                      {f.invoices.map((i) => (
                        <li key={i.id}>
                          <span className="nowrap">{i.number}</span>{" "}
                          <span className="muted">
                            {i.daysOverdue > 0 ? `${i.daysOverdue} ${i.daysOverdue === 1 ? "day" : "days"} late` : `due ${fmt.day(i.dueDate)}`}
                            {i.reminders.length ? ` · reminded day ${i.reminders.join(", ")}` : ""}
                          </span>
                        </li>
                      ))}
                    </ul>
                  </td>
                  {AGEING_BUCKETS.map((b) => (
                    <td key={b} data-label={BUCKET_LABEL[b]} className="num">
                      {cell(f.buckets[b])}
                    </td>
                  ))}
                  <td data-label="Total" className="num">
                    <strong>{m(f.total)}</strong>
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Total</th>
                {AGEING_BUCKETS.map((b) => (
                  <td key={b} data-label={BUCKET_LABEL[b]} className="num">
                    {m(r.totals[b])}
                  </td>
                ))}
                <td data-label="Total" className="num">
                  <strong>{m(r.total)}</strong>
                </td>
              </tr>
            </tfoot>
          </table>
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
