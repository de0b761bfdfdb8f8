// A teacher's pay (ARCHITECTURE.md "Teacher pay"): connecting their own Stripe account through
// Connect onboarding (Account Links), what Stripe still needs from them (from account.updated),
// and their statements per period: each lesson, the rate, adjustments, the total, and whether
// and when it was paid. Printable (the print style hides the site's header).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError } from "~/components/form";
import { isPayModelError, teacherStatements } from "~/models/teacher-pay.server";
import billingCss from "~/styles/billing.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "My pay" }];
export const links = () => [{ rel: "stylesheet", href: billingCss }];

function onboardingUrls(origin: string) {
  return { returnUrl: `${origin}/teach/pay?returned=1`, refreshUrl: `${origin}/teach/pay?refresh=1` };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { role: "TEACHER" });
  const { db } = requireSchool(context);
  const url = new URL(request.url);
  const mode = context.payments?.mode ?? "off";
  if (url.searchParams.get("refresh") === "1" && mode !== "off") {
    const link = await context.payments!.connectTeacher(request, onboardingUrls(context.links.origin));
    return redirect(link.url);
  }
  const found = await db.run((tx) => teacherStatements(tx, user.id));
  return { ...found, mode, returned: url.searchParams.get("returned") === "1", name: `${user.firstName} ${user.lastName}` };
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireUser(request, context, { role: "TEACHER" });
  requireSchool(context);
  try {
    const link = await context.payments!.connectTeacher(request, onboardingUrls(context.links.origin));
    return redirect(link.url);
  } catch (error) {
    if (isPayModelError(error) || (error instanceof Error && error.name === "PaymentError")) return data({ error: error.message }, { status: (error as { status?: number }).status ?? 409 });
    throw error;
  }
}

const PAYMENT: Record<string, string> = { PENDING: "Being paid", SENT: "Paid by transfer to your Stripe account", FAILED: "The transfer failed; the school will retry", REVERSED: "The transfer came back; the school will retry", PAID_OUTSIDE: "Paid by the school directly" };
const UNRESOLVED: Record<string, string> = { MISSING_REGISTER: "Register missing: take it to be paid", NOT_YET_TAUGHT: "Not taught yet", NO_RATE: "No pay rate applies: ask the school" };
const KIND_LABEL: Record<string, string> = { BONUS: "Bonus", REIMBURSEMENT: "Reimbursement", DEDUCTION: "Deduction" };
const REQUIREMENT: Record<string, string> = {
  "individual.verification.document": "an identity document",
  external_account: "a bank account for payouts",
  "tos_acceptance.date": "acceptance of Stripe's terms",
};

export default function TeacherPay() {
  const fmt = useFormat();
  const { statements, account, mode, returned, name } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const connected = Boolean(account?.transfersActive);
  return (
    <div className="stack">
      <div className="spread">
        <h1 style={{ margin: 0 }}>My pay</h1>
        <button type="button" className="button secondary no-print" onClick={() => window.print()}>
          Print
        </button>
      </div>
      <section className="card no-print" aria-labelledby="stripe-title">
        <div className="spread">
          <h2 id="stripe-title" style={{ margin: 0 }}>
            Stripe
          </h2>
          <span className={`badge ${connected ? "ok" : "warn"}`} data-testid="teacher-stripe-state">
            {connected ? "Connected" : account ? "Onboarding not finished" : "Not connected"}
          </span>
        </div>
        {returned && !connected ? <p role="status">Back from Stripe. Your account's state updates here as soon as Stripe tells us; reload in a moment.</p> : null}
        {connected ? (
          <p>The school pays you by transfer to your own Stripe account; Stripe pays it out to your bank.</p>
        ) : (
          <p>Connect your own Stripe account and the school pays you by transfer when it approves a pay run. Without one, the school pays you directly.</p>
        )}
        {account && account.currentlyDue.length ? (
          <div>
            <p style={{ marginBottom: 0 }}>Stripe still needs:</p>
            <ul data-testid="stripe-requirements">
              {account.currentlyDue.map((r) => (
                <li key={r}>{REQUIREMENT[r] ?? r.replaceAll("_", " ").replaceAll(".", ": ")}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <FormError message={result && "error" in result ? result.error : null} />
        {!connected && mode !== "off" ? (
          <Form method="post">
            <button className="button" disabled={busy}>
              {busy ? "Opening Stripe…" : account ? "Continue onboarding" : "Connect with Stripe"}
            </button>
          </Form>
        ) : null}
      </section>

      <section aria-labelledby="statements-title">
        <h2 id="statements-title">Statements</h2>
        <p className="muted" style={{ marginTop: 0 }}>
          {name}
        </p>
        {statements.length === 0 ? <p className="muted">No pay run includes your lessons yet.</p> : null}
        {statements.map((s) => (
          <article key={s.run.id} className="card invoice-doc" aria-labelledby={`st-${s.run.id}`} data-testid="statement">
            <div className="spread">
              <h3 id={`st-${s.run.id}`} style={{ margin: 0 }}>
                {s.run.label}
              </h3>
              <strong>{fmt.moneyMinor(s.totalMinor, s.run.currency)}</strong>
            </div>
            <p className="muted" style={{ marginTop: 0 }} data-testid="statement-status">
              {fmt.day(s.run.periodStart)} – {fmt.day(s.run.periodEnd)} ·{" "}
              {s.run.status === "DRAFT" ? "Not approved yet" : s.payment ? `${PAYMENT[s.payment.status]}${s.payment.paidAt ? ` on ${fmt.dateTime(s.payment.paidAt)}` : ""}${s.payment.reference ? ` (ref. ${s.payment.reference})` : ""}` : "Nothing to pay"}
            </p>
            <div className="table-wrap">
              <table className="stack-table">
                <thead>
                  <tr>
                    <th>Lesson</th>
                    <th>Outcome</th>
                    <th>Rate</th>
                    <th>Pay</th>
                  </tr>
                </thead>
                <tbody>
                  {s.lines.map((l) => (
                    <tr key={l.id}>
                      <td>
                        {l.lessonTitle}
                        <div className="muted">
                          {fmt.day(l.localDate)} · {l.durationMinutes} min{l.kind === "CORRECTION" ? " · correction of an earlier run" : ""}
                        </div>
                      </td>
                      <td data-label="Outcome">{l.unresolved ? UNRESOLVED[l.unresolved] : (l.outcomeLabel ?? "")}</td>
                      <td data-label="Rate">
                        {l.rateMinor ? fmt.moneyMinor(l.rateMinor, s.run.currency) : ""}
                        {l.rateMinor && l.shareBasisPoints !== 10_000 ? ` × ${l.shareBasisPoints / 100} %` : ""}
                      </td>
                      <td data-label="Pay">{fmt.moneyMinor(l.amountMinor, s.run.currency)}</td>
                    </tr>
                  ))}
                  {s.adjustments.map((a) => (
                    <tr key={a.id}>
                      <td>
                        {KIND_LABEL[a.kind]}: {a.reason}
                      </td>
                      <td data-label="Outcome">Adjustment</td>
                      <td data-label="Rate" />
                      <td data-label="Pay">{fmt.moneyMinor(a.kind === "DEDUCTION" ? -a.amountMinor : a.amountMinor, s.run.currency)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </article>
        ))}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
