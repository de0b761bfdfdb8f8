// /operator/billing — per school: the platform's fee on online payments (set here, audited),
// what families paid (payments less refunds), what of it was paid online, and what the
// platform earned: the fee stored on each online payment when it was paid, less its share of refunds.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError } from "~/components/form";
import { parsePercent } from "~/domain/money";
import operatorCss from "~/styles/operator.css?url";
import { requireOperator } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";
import { parseForm } from "~/utils/forms";

export const meta: MetaFunction = () => [{ title: "Billing · Encore operator" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: operatorCss }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireOperator(request, context);
  const schools = await context.operator.billingTotals(request);
  // Totals per currency: schools in different currencies are never added together.
  const totals = new Map<string, { currency: string; collectedMinor: number; onlineMinor: number; earnedMinor: number }>();
  for (const s of schools) {
    const t = totals.get(s.currency) ?? { currency: s.currency, collectedMinor: 0, onlineMinor: 0, earnedMinor: 0 };
    t.collectedMinor += s.collectedMinor;
    t.onlineMinor += s.onlineMinor;
    t.earnedMinor += s.earnedMinor;
    totals.set(s.currency, t);
  }
  return { schools, totals: [...totals.values()] };
}

const feeSchema = z.object({
  schoolId: z.string({ required_error: "Choose a school." }).min(1, "Choose a school.").max(100),
  fee: z.string({ required_error: "Enter the fee as a percentage, for example 2.5." }).max(20, "Write the fee like 2.5."),
});

export async function action({ request, context }: ActionFunctionArgs) {
  await requireOperator(request, context);
  const formData = await request.formData();
  const parsed = parseForm(formData, feeSchema);
  const schoolId = String(formData.get("schoolId") ?? "");
  const typed = String(formData.get("fee") ?? "");
  if (!parsed.ok) return data({ ok: false as const, schoolId, fee: typed, message: Object.values(parsed.errors)[0] ?? "Check the fee." }, { status: 400 });
  const percent = parsePercent(parsed.data.fee);
  if (!percent.ok) return data({ ok: false as const, schoolId, fee: typed, message: percent.error }, { status: 400 });
  const school = (await context.operator.listSchools(request)).find((s) => s.id === parsed.data.schoolId);
  if (!school) return data({ ok: false as const, schoolId, fee: typed, message: "That school does not exist." }, { status: 404 });
  await context.operator.setPlatformFee(request, school.id, percent.basisPoints);
  return data({ ok: true as const, schoolId, fee: typed, message: `${school.name}'s platform fee is now ${percent.basisPoints / 100} % of what its families pay online.` });
}

const percentText = (bp: number) => String(bp / 100);

export default function OperatorBilling() {
  const fmt = useFormat();
  const { schools, totals } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busySchool = navigation.state === "submitting" ? navigation.formData?.get("schoolId") : null;
  const m = (minor: number, currency: string) => fmt.moneyMinor(minor, currency);
  return (
    <div className="stack">
      <h1>Billing</h1>
      <p className="muted" style={{ margin: 0 }}>
        Collected is what families paid (every payment, online or recorded by the school, less refunds). The platform earns its fee on online (card) payments
        only: earned is the fee taken on each online payment when it was paid, less the platform&rsquo;s share of refunds.
      </p>
      {result ? (
        result.ok ? (
          <p className="notice" role="status">
            {result.message}
          </p>
        ) : schools.some((s) => s.id === result.schoolId) ? null : (
          <FormError message={result.message} />
        )
      ) : null}
      {totals.length ? (
        <section className="grid stats" aria-label="Totals">
          {totals.map((t) => (
            <div className="card" key={t.currency}>
              <p className="eyebrow">All schools in {t.currency}</p>
              <p className="stat">{m(t.earnedMinor, t.currency)}</p>
              <p className="muted" style={{ margin: 0 }}>
                earned of {m(t.collectedMinor, t.currency)} collected ({m(t.onlineMinor, t.currency)} online)
              </p>
            </div>
          ))}
        </section>
      ) : null}
      <section className="card table-wrap">
        <table className="stack-table schools-table">
          <thead>
            <tr>
              <th scope="col">School</th>
              <th scope="col">Collected</th>
              <th scope="col">Online</th>
              <th scope="col">Platform fee</th>
              <th scope="col">Earned</th>
            </tr>
          </thead>
          <tbody>
            {schools.map((s) => {
              const mine = result && result.schoolId === s.id ? result : null;
              const inputId = `fee-${s.id}`;
              return (
                <tr key={s.id}>
                  <td>
                    <strong>{s.name}</strong>
                    <div className="muted">
                      {s.slug} · {s.currency}
                      {s.status === "SUSPENDED" ? " · suspended" : ""}
                    </div>
                  </td>
                  <td data-label="Collected">
                    {m(s.collectedMinor, s.currency)}
                    <div className="muted">
                      {s.payments} {s.payments === 1 ? "payment" : "payments"}
                      {s.refundsMinor ? `, ${m(s.refundsMinor, s.currency)} refunded` : ""}
                    </div>
                  </td>
                  <td data-label="Online">{m(s.onlineMinor, s.currency)}</td>
                  <td data-label="Fee">
                    <Form method="post" className="fee-form" style={{ display: "flex", flexWrap: "wrap", gap: "0.4rem", alignItems: "center", margin: 0 }}>
                      <input type="hidden" name="schoolId" value={s.id} />
                      <label htmlFor={inputId} className="sr-only">
                        Platform fee for {s.name}, in percent
                      </label>
                      <input
                        id={inputId}
                        name="fee"
                        inputMode="decimal"
                        defaultValue={mine && !mine.ok ? mine.fee : percentText(s.platformFeeBasisPoints)}
                        key={`${s.id}-${s.platformFeeBasisPoints}-${mine?.fee ?? ""}`}
                        aria-invalid={mine && !mine.ok ? true : undefined}
                        aria-describedby={mine && !mine.ok ? `${inputId}-error` : undefined}
                        style={{ width: "5.5rem" }}
                      />
                      <span aria-hidden="true">%</span>
                      <button className="button small secondary" disabled={busySchool === s.id}>
                        Save<span className="sr-only"> the fee for {s.name}</span>
                      </button>
                      {mine && !mine.ok ? (
                        <p id={`${inputId}-error`} className="field-error" style={{ flexBasis: "100%" }}>
                          {mine.message}
                        </p>
                      ) : null}
                    </Form>
                  </td>
                  <td data-label="Earned">
                    <strong>{m(s.earnedMinor, s.currency)}</strong>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
