// The school's online payments: Stripe Connect onboarding and its state (ARCHITECTURE.md,
// "Payments: Stripe Connect"). The state shown is the School row's, which only Stripe's
// `account.updated` events write; "Connect" creates the school's account once and sends
// the admin to Stripe's onboarding (Account Link), which comes back here.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError } from "~/components/form";
import { connectState, isPaymentError } from "~/models/payments.server";
import settingsCss from "~/styles/settings.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Online payments · Settings" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: settingsCss }];

function onboardingUrls(origin: string) {
  return { returnUrl: `${origin}/admin/settings/payments?returned=1`, refreshUrl: `${origin}/admin/settings/payments?refresh=1` };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db } = requireSchool(context);
  const url = new URL(request.url);
  const mode = context.payments?.mode ?? "off";
  // Stripe sends the admin to the refresh address when a link expired or was used: a fresh one.
  if (url.searchParams.get("refresh") === "1" && mode !== "off") {
    const link = await context.payments!.connect(request, onboardingUrls(context.links.origin));
    return redirect(link.url);
  }
  const state = await db.run(connectState);
  return { mode, state: state.state, feeBasisPoints: state.platformFeeBasisPoints, returned: url.searchParams.get("returned") === "1" };
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  requireSchool(context);
  try {
    const link = await context.payments!.connect(request, onboardingUrls(context.links.origin));
    return redirect(link.url);
  } catch (error) {
    if (isPaymentError(error)) return data({ error: error.message }, { status: error.status });
    throw error;
  }
}

const STATE_TEXT = {
  connected: { badge: "Connected", cls: "ok", text: "Families can pay their invoices online. Payments reach the school's Stripe account, less the platform's fee." },
  pending: { badge: "Waiting for Stripe", cls: "warn", text: "Your details are with Stripe. Payments open as soon as Stripe enables charges on your account." },
  incomplete: { badge: "Onboarding not finished", cls: "warn", text: "Stripe still needs some details before families can pay online. Continue where you left off." },
  "not-connected": { badge: "Not connected", cls: "warn", text: "Connect the school to Stripe so families can pay invoices online by card." },
} as const;

export default function PaymentsSettings() {
  const { mode, state, feeBasisPoints, returned } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const shown = STATE_TEXT[state];
  const fee = `${(feeBasisPoints / 100).toLocaleString("en", { maximumFractionDigits: 2 })} %`;
  return (
    <div className="stack">
      <div>
        <p style={{ margin: "0 0 0.25rem" }}>
          <Link to="/admin/setup">← Setup</Link>
        </p>
        <h1>Online payments</h1>
        <p className="muted" style={{ marginTop: 0 }}>
          Families pay invoices by card through Stripe. Your school is the business they see on the payment page and on their card statement.
        </p>
      </div>
      {mode === "off" ? (
        <p className="form-error" role="alert">
          Online payments are switched off on this server: it has no Stripe key (STRIPE_SECRET_KEY). Payments in cash, by bank transfer or by check can still be recorded.
        </p>
      ) : (
        <>
          {returned && state !== "connected" ? (
            <p className="notice" role="status">
              Back from Stripe. Your account's state updates here as soon as Stripe tells us; reload in a moment.
            </p>
          ) : null}
          <FormError message={result && "error" in result ? result.error : null} />
          <section className="card" aria-labelledby="stripe-title">
            <div className="spread">
              <h2 id="stripe-title" style={{ margin: 0 }}>
                Stripe
              </h2>
              <span className={`badge ${shown.cls}`} data-testid="stripe-state">
                {shown.badge}
              </span>
            </div>
            <p>{shown.text}</p>
            <p className="muted">Platform fee on online payments: {fee}.{mode === "standin" ? " (Development: payments go to the local Stripe stand-in; no real money moves.)" : ""}</p>
            {state !== "connected" ? (
              <Form method="post">
                <button className="button" disabled={busy}>
                  {busy ? "Opening Stripe…" : state === "not-connected" ? "Connect with Stripe" : "Continue onboarding"}
                </button>
              </Form>
            ) : null}
          </section>
        </>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
