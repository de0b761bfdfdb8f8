// /family/billing — the family's account, for each guardian of the family: the balance
// (owed, or credit held), open invoices with their due dates and a "Pay" button, settled
// invoices, payments with their receipts, and the statement with its running balance.
// Students with their own login see no money (403). The saved card and autopay
// (app/models/autopay.server.ts) are managed here, through /family/billing/card.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { StatementTable } from "~/components/statement-table";
import { toLocalDate } from "~/domain/time";
import { savedCard } from "~/models/autopay.server";
import { familyBilling, familyOfParent } from "~/models/family-billing.server";
import receiptsCss from "~/styles/receipts.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";
import { pageTitle } from "~/utils/meta";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: receiptsCss }];
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Billing");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { role: "PARENT" });
  const { db, school } = requireSchool(context);
  const today = toLocalDate(context.clock.now(), school.timezone);
  const url = new URL(request.url);
  const session = url.searchParams.get("session");
  const family = await db.run((tx) => familyOfParent(tx, user.id));
  if (!family) return { family: null, today, account: null, card: null };
  // Back from saving a card: record it now if Stripe's event has not arrived yet (in a
  // transaction of its own, not the page's).
  if (url.searchParams.get("card") === "saved" && session && /^cs_[\w]{1,200}$/.test(session) && context.payments) {
    await context.payments.confirmCardSetup({ familyGroupId: family.id, sessionId: session }).catch(() => undefined);
  }
  return db.run(async (tx) => ({
    family,
    today,
    account: await familyBilling(tx, family.id, today),
    card: { ...(await savedCard(tx, family.id, today)), online: Boolean(context.payments && context.payments.mode !== "off") },
  }));
}

type Amount = { amountMinor: number; currency: string };

export default function FamilyBilling() {
  const fmt = useFormat();
  const { family, account, card, today } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const paying = navigation.state !== "idle" ? navigation.formAction : null;
  const m = (a: Amount) => fmt.moneyMinor(a.amountMinor, a.currency);
  const due = (d: string | null) => (d ? fmt.day(d, { year: "numeric" }) : "—");

  if (!family || !account || !card) {
    return (
      <div className="stack">
        <h1>Billing</h1>
        <section className="card">
          <p className="muted" style={{ margin: 0 }}>
            Your account is not part of a family yet, so there are no invoices to show.
          </p>
        </section>
      </div>
    );
  }
  const owed = account.balance.amountMinor;
  return (
    <div className="stack">
      <div>
        <p className="eyebrow">{family.name}</p>
        <h1>Billing</h1>
      </div>

      {params.get("paid") === "1" ? (
        <p className="notice" role="status">
          Thank you — your payment is being confirmed; the receipt will arrive by email. A bank debit takes a few working days.
        </p>
      ) : null}
      {params.get("card") === "saved" ? (
        <p className="notice" role="status">
          {card.card ? "Your card is saved." : "Your card is being saved; it will show here in a moment."}
        </p>
      ) : null}
      {params.get("card") === "removed" ? (
        <p className="notice" role="status">
          The card was removed{card.autopay ? "" : " and autopay is off"}.
        </p>
      ) : null}
      {params.get("autopay") ? (
        <p className="notice" role="status">
          Autopay is {card.autopay ? "on" : "off"}.
        </p>
      ) : null}

      <section className="card bill-balance" aria-labelledby="balance">
        <div>
          <h2 id="balance" style={{ margin: 0 }}>
            {owed > 0 ? "To pay" : owed < 0 ? "Credit on your account" : "Balance"}
          </h2>
          <p className="muted" style={{ margin: "0.25rem 0 0" }}>
            {owed > 0
              ? `${account.open.length} open ${account.open.length === 1 ? "invoice" : "invoices"}${account.open.some((i) => i.overdue) ? ", some overdue" : ""}.`
              : owed < 0
                ? "It will be used for your next invoice."
                : "You are all paid up. Thank you!"}
          </p>
        </div>
        <p className="stat" data-testid="family-balance">
          {m({ amountMinor: Math.abs(owed), currency: account.balance.currency })}
        </p>
      </section>

      <section className="card" aria-labelledby="open-invoices">
        <h2 id="open-invoices">Open invoices</h2>
        {account.open.length === 0 ? (
          <p className="muted" style={{ margin: 0 }}>
            Nothing to pay.
          </p>
        ) : (
          <ul className="bill-open">
            {account.open.map((inv) => {
              const action = `/family/billing/invoices/${inv.id}/pay`;
              return (
                <li key={inv.id}>
                  <div>
                    <strong>
                      <Link to={`/family/billing/invoices/${inv.id}`}>{inv.number}</Link>
                    </strong>
                    {inv.term ? <span className="muted"> · {inv.term}</span> : null}
                    <div>
                      <span className="amount">{m(inv.outstanding)}</span>{" "}
                      <span className="muted">
                        of {m(inv.total)} · {inv.instalment ? `instalment ${inv.instalment.sequence} of ${inv.instalment.of} due` : "due"} {due(inv.dueDate)}
                      </span>{" "}
                      {inv.overdue ? (
                        <span className="badge danger">
                          Overdue {inv.daysOverdue} {inv.daysOverdue === 1 ? "day" : "days"}
                        </span>
                      ) : null}
                    </div>
                    {card.autopay && card.card && !inv.processing && !inv.lastFailure && inv.dueDate && inv.dueDate >= today ? (
                      <p className="bill-autopay-note muted">
                        Autopay charges {m(inv.payNow)} to your {brandName(card.card.brand)} ending {card.card.last4} on {due(inv.dueDate)}.
                      </p>
                    ) : null}
                    {inv.lastFailure && !inv.processing ? (
                      <p className="bill-failure" data-testid={`payment-failed-${inv.number}`}>
                        Your last payment did not go through. {inv.lastFailure}
                      </p>
                    ) : null}
                  </div>
                  {inv.processing ? (
                    <p className="badge" data-testid={`payment-processing-${inv.number}`}>
                      {m(inv.processing)} processing
                    </p>
                  ) : (
                    <Form method="post" action={action}>
                      <button className="button" disabled={paying === action}>
                        Pay {m(inv.payNow)}
                        <span className="sr-only"> for invoice {inv.number}</span>
                      </button>
                    </Form>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </section>

      {card.online || card.card ? (
        <section className="card bill-saved-card" aria-labelledby="saved-card-heading" id="saved-card">
          <h2 id="saved-card-heading" style={{ margin: 0 }}>
            Saved card and autopay
          </h2>
          {card.card ? (
            <>
              <p className="bill-card" data-testid="saved-card">
                <strong>
                  {brandName(card.card.brand)} ending {card.card.last4}
                </strong>{" "}
                <span className="muted">expires {card.card.label}</span> {card.card.expired ? <span className="badge danger">Expired</span> : null}
              </p>
              <p data-testid="autopay-state">
                {card.autopay
                  ? "Autopay is on: each invoice and instalment is charged to this card on its due date, and you get a receipt by email."
                  : "Autopay is off: you pay each invoice yourself."}
              </p>
              <div className="row bill-card-actions">
                <Form method="post" action="/family/billing/card">
                  <input type="hidden" name="intent" value={card.autopay ? "autopay-off" : "autopay-on"} />
                  <button className={card.autopay ? "button secondary" : "button"}>{card.autopay ? "Turn autopay off" : "Turn autopay on"}</button>
                </Form>
                <Form method="post" action="/family/billing/card">
                  <input type="hidden" name="intent" value="save" />
                  <button className="button secondary">Use another card</button>
                </Form>
                <Form method="post" action="/family/billing/card">
                  <input type="hidden" name="intent" value="remove" />
                  <button className="button secondary">Remove card</button>
                </Form>
              </div>
            </>
          ) : (
            <>
              <p className="muted">
                No card saved. Save a card to have invoices paid automatically on their due date. Nothing is charged when you save it.
              </p>
              <Form method="post" action="/family/billing/card">
                <input type="hidden" name="intent" value="save" />
                <button className="button">Save a card</button>
              </Form>
            </>
          )}
        </section>
      ) : null}

      {account.payments.length ? (
        <section className="card table-wrap" aria-labelledby="payments">
          <h2 id="payments">Payments</h2>
          <table className="stack-table bill-table">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Method</th>
                <th scope="col">Reference</th>
                <th scope="col" className="num">
                  Amount
                </th>
                <th scope="col">Receipt</th>
              </tr>
            </thead>
            <tbody>
              {account.payments.map((p) => (
                <tr key={p.id}>
                  <td>{fmt.date(p.paidAt, { year: "numeric" })}</td>
                  <td data-label="Method">{p.method}</td>
                  <td data-label="Reference">{p.reference ?? ""}</td>
                  <td data-label="Amount" className="num">
                    {m(p.amount)}
                    {p.refunded && p.refunded.amountMinor > 0 ? <div className="muted">{m(p.refunded)} refunded</div> : null}
                  </td>
                  <td data-label="Receipt">
                    <Link to={`/family/billing/receipts/${p.id}`}>
                      Receipt<span className="sr-only"> for the payment of {fmt.date(p.paidAt, { year: "numeric" })}</span>
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}

      {account.settled.length ? (
        <section className="card table-wrap" aria-labelledby="settled-invoices">
          <h2 id="settled-invoices">Paid and closed invoices</h2>
          <table className="stack-table bill-table">
            <thead>
              <tr>
                <th scope="col">Invoice</th>
                <th scope="col">Issued</th>
                <th scope="col" className="num">
                  Total
                </th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {account.settled.map((inv) => (
                <tr key={inv.id}>
                  <td>
                    <Link to={`/family/billing/invoices/${inv.id}`}>{inv.number}</Link>
                    {inv.term ? <span className="muted"> · {inv.term}</span> : null}
                  </td>
                  <td data-label="Issued">{due(inv.issueDate)}</td>
                  <td data-label="Total" className="num">
                    {m(inv.total)}
                  </td>
                  <td data-label="Status">{inv.status === "VOID" ? <span className="badge muted">Void</span> : <span className="badge ok">Paid</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}

      <section className="card stack" aria-labelledby="statement">
        <h2 id="statement">Statement</h2>
        <StatementTable
          lines={account.statement.lines}
          empty="Nothing on your account yet."
          footnote="A positive balance is what you owe; a negative one is credit on your account."
        />
      </section>
    </div>
  );
}

const BRANDS: Record<string, string> = { visa: "Visa", mastercard: "Mastercard", amex: "American Express", discover: "Discover", jcb: "JCB", diners: "Diners Club", unionpay: "UnionPay", cartes_bancaires: "Cartes Bancaires" };
function brandName(brand: string) {
  return BRANDS[brand] ?? "Card";
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
