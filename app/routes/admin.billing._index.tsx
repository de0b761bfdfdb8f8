// /admin/billing — what is owed and collected, the term's drafts, generating and issuing a
// term's invoices, the ledger check, and every invoice (filtered by status, term and family,
// paged), each linked to its page.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Pager } from "~/components/pager";
import { toLocalDate } from "~/domain/time";
import { billingOverview, billingTerms, currentTerm, invoiceFilters, issueTermDrafts, listInvoices, type InvoiceFilters } from "~/models/billing-admin.server";
import { BillingModelError, generateTermInvoices, reconcileSchool } from "~/models/billing.server";
import billingCss from "~/styles/billing.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Billing");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: billingCss }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const filters = invoiceFilters(request.url);
  const today = toLocalDate(context.clock.now(), school.timezone);
  return db.run(async (tx) => {
    const terms = await billingTerms(tx);
    const term = terms.find((t) => t.id === filters.term) ?? currentTerm(terms, today);
    return {
      filters,
      terms: terms.map((t) => ({ id: t.id, name: t.name })),
      term: term ? { id: term.id, name: term.name } : null,
      overview: await billingOverview(tx, { termId: term?.id ?? null, today }),
      list: await listInvoices(tx, filters),
    };
  });
}

const WARNING_WORDS: Record<string, string> = {
  NO_PRICE: "No price",
  AMBIGUOUS_PRICE: "Two prices match",
  HYBRID_PRICE_MISSING: "Hybrid prices missing",
};

export async function action({ request, context }: ActionFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db } = requireSchool(context);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const termId = String(form.get("termId") ?? "");
  const now = context.clock.now();
  try {
    if (intent === "generate") {
      if (!termId) return data({ intent, ok: false as const, message: "Choose a term to generate its invoices.", warnings: [], problems: [] }, { status: 400 });
      const r = await db.run((tx) => generateTermInvoices(tx, { termId, now }));
      const made = r.invoiceIds.length;
      const message =
        r.families === 0
          ? "No family has lessons in this term yet, so there is nothing to invoice."
          : made === 0
            ? `All ${r.families} ${r.families === 1 ? "family is" : "families are"} already invoiced for this term: nothing new to add.`
            : `Draft invoices ready for ${made} of ${r.families} ${r.families === 1 ? "family" : "families"}. Review them below, then issue them.`;
      return { intent, ok: true as const, message, warnings: r.warnings.map((w) => ({ code: WARNING_WORDS[w.code] ?? w.code, message: w.message })), problems: [] };
    }
    if (intent === "issue-all") {
      if (!termId) return data({ intent, ok: false as const, message: "Choose a term whose drafts to issue.", warnings: [], problems: [] }, { status: 400 });
      const r = await db.run((tx) => issueTermDrafts(tx, context.mailer, { termId, now, origin: context.links.origin }));
      const message =
        r.issued === 0
          ? "There were no drafts with something to pay in this term."
          : `Issued ${r.issued} ${r.issued === 1 ? "invoice" : "invoices"}; each paying guardian was emailed.${r.skipped ? ` ${r.skipped} ${r.skipped === 1 ? "draft has" : "drafts have"} nothing to pay and stayed a draft.` : ""}`;
      return { intent, ok: true as const, message, warnings: [], problems: [] };
    }
    if (intent === "reconcile") {
      const problems = await db.run((tx) => reconcileSchool(tx));
      return {
        intent,
        ok: problems.length === 0,
        message: problems.length === 0 ? "Every family's balance equals its entries." : `The ledger check found ${problems.length} ${problems.length === 1 ? "problem" : "problems"}:`,
        warnings: [],
        problems: problems.map((p) => p.message),
      };
    }
  } catch (error) {
    if (error instanceof BillingModelError) return data({ intent, ok: false as const, message: error.message, warnings: [], problems: [] }, { status: 409 });
    throw error;
  }
  return data({ intent, ok: false as const, message: "That action is not known. Reload the page and try again.", warnings: [], problems: [] }, { status: 400 });
}

function listHref(f: InvoiceFilters, page?: number): string {
  const p = new URLSearchParams();
  if (f.status) p.set("status", f.status);
  if (f.term) p.set("term", f.term);
  if (f.q) p.set("q", f.q);
  if (page && page > 1) p.set("page", String(page));
  const s = p.toString();
  return `/admin/billing${s ? `?${s}` : ""}`;
}

const STATUS_LABEL: Record<string, string> = { DRAFT: "Draft", ISSUED: "Issued", VOID: "Void" };
const STATUS_BADGE: Record<string, string> = { DRAFT: "badge warn", ISSUED: "badge ok", VOID: "badge muted" };

export default function Billing() {
  const fmt = useFormat();
  const { filters, terms, term, overview, list } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" ? String(navigation.formData?.get("intent") ?? "") : null;
  const m = (minor: number) => fmt.moneyMinor(minor, overview.currency);
  const filtered = Boolean(filters.status || filters.term || filters.q);
  const from = list.total === 0 ? 0 : list.skip + 1;
  const to = Math.min(list.total, list.skip + list.pageSize);
  return (
    <div className="stack">
      <div className="page-head spread">
        <h1>Billing</h1>
        <div className="row">
          <Link className="button secondary" to="/admin/billing/prices">
            Price lists
          </Link>
          <Link className="button secondary" to="/admin/billing/settings">
            Billing settings
          </Link>
        </div>
      </div>

      {actionData ? (
        <div className={actionData.ok ? "notice" : "form-error"} role={actionData.ok ? "status" : "alert"}>
          <p style={{ margin: 0 }}>{actionData.message}</p>
          {actionData.warnings.length > 0 ? (
            <>
              <p style={{ marginBottom: 0 }}>
                {actionData.warnings.length} {actionData.warnings.length === 1 ? "lesson was" : "lessons were"} left out. Add their prices on the <Link to="/admin/billing/prices">price list</Link>, then generate again:
              </p>
              <ul className="bill-warnings">
                {actionData.warnings.slice(0, 20).map((w, i) => (
                  <li key={i}>
                    <strong>{w.code}:</strong> {w.message}
                  </li>
                ))}
              </ul>
              {actionData.warnings.length > 20 ? <p>…and {actionData.warnings.length - 20} more.</p> : null}
            </>
          ) : null}
          {actionData.problems.length > 0 ? (
            <ul>
              {actionData.problems.map((p, i) => (
                <li key={i}>{p}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}

      <div className="grid bill-stats">
        <section className="card" aria-label="Owed">
          <p className="stat">{m(overview.owedMinor)}</p>
          <p className="muted">
            owed on {overview.openCount} open {overview.openCount === 1 ? "invoice" : "invoices"}
          </p>
        </section>
        <section className="card" aria-label="Overdue">
          <p className="stat">{m(overview.overdueMinor)}</p>
          <p className="muted">
            of it overdue · <Link to="/admin/billing/overdue">who owes what, by age</Link>
          </p>
        </section>
        <section className="card" aria-label="Collected this term">
          <p className="stat">{m(overview.collectedMinor)}</p>
          <p className="muted">collected {term ? `in ${term.name}` : "this term"}</p>
        </section>
        <section className="card" aria-label="Drafts waiting">
          <p className="stat">{overview.draftCount}</p>
          <p className="muted">
            {overview.draftCount === 1 ? "draft" : "drafts"} waiting{overview.draftCount ? ` (${m(overview.draftMinor)})` : ""}
          </p>
        </section>
      </div>

      <section className="card stack" aria-labelledby="term-invoicing">
        <h2 id="term-invoicing">Term invoices</h2>
        {terms.length === 0 ? (
          <p className="muted">
            Add a <Link to="/admin/terms">term</Link> first: invoices are made per term.
          </p>
        ) : (
          <>
            <p className="muted" style={{ marginTop: 0 }}>
              One draft per family: a line per child and lesson, prorated for a late start, with sibling discounts and tax. Running it again adds only what is new. Drafts are
              yours to review and change before they are issued and emailed.
            </p>
            <Form method="post" className="bill-inline">
              <div className="field">
                <label htmlFor="gen-term">Term</label>
                <select id="gen-term" name="termId" defaultValue={term?.id ?? ""}>
                  {terms.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.name}
                    </option>
                  ))}
                </select>
              </div>
              <button className="button" name="intent" value="generate" disabled={busy !== null}>
                {busy === "generate" ? "Generating…" : "Generate draft invoices"}
              </button>
              <button className="button secondary" name="intent" value="issue-all" disabled={busy !== null}>
                {busy === "issue-all" ? "Issuing…" : "Issue all drafts of this term"}
              </button>
            </Form>
          </>
        )}
      </section>

      <section className="card stack" aria-labelledby="invoices-heading">
        <h2 id="invoices-heading">Invoices</h2>
        <Form method="get" className="bill-filters" role="search">
          <div className="field search">
            <label htmlFor="inv-q">Family or number</label>
            <input id="inv-q" type="search" name="q" defaultValue={filters.q} placeholder="Smith, HMA-000012" />
          </div>
          <div className="field">
            <label htmlFor="inv-status">Status</label>
            <select id="inv-status" name="status" defaultValue={filters.status}>
              <option value="">Any</option>
              <option value="DRAFT">Draft</option>
              <option value="ISSUED">Issued</option>
              <option value="VOID">Void</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="inv-term">Term</label>
            <select id="inv-term" name="term" defaultValue={filters.term}>
              <option value="">Any</option>
              {terms.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </div>
          <div className="row">
            <button className="button">Show</button>
            {filtered ? <Link to="/admin/billing">Clear filters</Link> : null}
          </div>
        </Form>
        <p className="muted" role="status" aria-live="polite">
          {list.total === 0 ? (filtered ? "No invoice matches these filters." : "No invoices yet. Generate a term's drafts above.") : `Showing ${from}–${to} of ${list.total} ${list.total === 1 ? "invoice" : "invoices"}`}
        </p>
        {list.invoices.length > 0 ? (
          <div className="table-wrap">
            <table className="stack-table">
              <thead>
                <tr>
                  <th scope="col">Invoice</th>
                  <th scope="col">Family</th>
                  <th scope="col">Term</th>
                  <th scope="col">Status</th>
                  <th scope="col">Due</th>
                  <th scope="col" className="num">
                    Total
                  </th>
                  <th scope="col" className="num">
                    Still owed
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.invoices.map((i) => (
                  <tr key={i.id}>
                    <td>
                      <Link to={`/admin/billing/invoices/${i.id}`}>{i.number ?? (i.midTerm ? "Draft (new enrollment)" : "Draft")}</Link>
                    </td>
                    <td data-label="Family">
                      <Link to={`/admin/billing/families/${i.familyGroupId}`}>{i.family}</Link>
                    </td>
                    <td data-label="Term">{i.term ?? <span className="muted">—</span>}</td>
                    <td data-label="Status">
                      <span className={STATUS_BADGE[i.status]}>{STATUS_LABEL[i.status]}</span>
                    </td>
                    <td data-label="Due" className="nowrap">
                      {i.dueDate ? fmt.day(i.dueDate) : <span className="muted">—</span>}
                    </td>
                    <td data-label="Total" className="num">
                      {fmt.moneyMinor(i.totalMinor, i.currency)}
                    </td>
                    <td data-label="Still owed" className="num">
                      {i.outstandingMinor === null ? <span className="muted">—</span> : fmt.moneyMinor(i.outstandingMinor, i.currency)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        <Pager page={list.page} pages={list.pages} href={(p) => listHref(filters, p)} label="Invoice pages" />
      </section>

      <section className="card stack" aria-labelledby="ledger-check">
        <h2 id="ledger-check">Ledger check</h2>
        <p className="muted" style={{ marginTop: 0 }}>
          Proves that every family's balance is exactly the sum of its entries, that nothing is paid beyond what it was for, and that every issued invoice is in the ledger for its total.
        </p>
        <Form method="post">
          <button className="button secondary" name="intent" value="reconcile" disabled={busy !== null}>
            {busy === "reconcile" ? "Checking…" : "Run the ledger check"}
          </button>
        </Form>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
