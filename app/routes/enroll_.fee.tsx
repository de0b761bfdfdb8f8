// /enroll/fee?t=<pay link> — the registration fee of an online enrollment, for a visitor who is
// not signed in (ARCHITECTURE.md, "Online enrollment: the registration fee by card"). POST starts
// (or resumes) the Stripe Checkout for it; Stripe sends the payer back here (`back=paid` or
// `back=cancelled`), on the school's own host, and the page shows the fee paid once our webhook
// has landed ("processing" until then, looking again every few seconds). The pay link is the
// only authority: signed, expiring, bound to the form's fee invoice (server/services/fee-links.server.ts).
import type { ActionFunctionArgs, HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { isPaymentError } from "~/models/payments.server";
import { requireSchool } from "~/utils/auth.server";
import { formatterFor } from "~/utils/format";
import familiesCss from "~/styles/families.css?url";
import { pageTitle } from "~/utils/meta";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: familiesCss }];

export const meta: MetaFunction = ({ matches }) => [...pageTitle(matches, "Registration fee"), { name: "robots", content: "noindex" }];

// The address holds the pay link: never cached, never sent on as a referrer.
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" });

const TOKEN_MAX = 300;

type View =
  | { ok: true; state: "paid" | "processing" | "due"; amount: string; invoiceNumber: string | null; schoolName: string; payable: boolean; token: string; back: "paid" | "cancelled" | null; error: string | null }
  | { ok: false; message: string; schoolName: string };

async function view(context: LoaderFunctionArgs["context"], token: string, back: string | null, error: string | null = null, status = 200) {
  const { school } = requireSchool(context);
  if (!context.payments || !token || token.length > TOKEN_MAX) {
    return data<View>({ ok: false, message: "This payment link is not valid. You can pay the registration fee from your family's billing page once you have signed in.", schoolName: school.name }, { status: 400 });
  }
  try {
    const fee = await context.payments.enrollmentFee(token);
    return data<View>(
      {
        ok: true,
        state: fee.state,
        amount: formatterFor(school).moneyMinor(fee.amountMinor, fee.currency),
        invoiceNumber: fee.invoiceNumber,
        schoolName: school.name,
        payable: fee.payable,
        token,
        back: back === "paid" || back === "cancelled" ? back : null,
        error,
      },
      { status },
    );
  } catch (e) {
    if (isPaymentError(e)) return data<View>({ ok: false, message: e.message, schoolName: school.name }, { status: e.status });
    throw e;
  }
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  return view(context, url.searchParams.get("t") ?? "", url.searchParams.get("back"));
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const raw = form.get("t");
  const token = typeof raw === "string" ? raw : "";
  const here = `/enroll/fee?t=${encodeURIComponent(token)}`;
  if (!context.payments || !token || token.length > TOKEN_MAX) return view(context, "", null);
  const origin = context.links.origin;
  try {
    // Paid already (or Stripe took the card a moment ago): show it, never a second checkout.
    const fee = await context.payments.enrollmentFee(token);
    if (fee.state !== "due") return redirect(here);
    const { url } = await context.payments.payEnrollmentFee(token, { successUrl: `${origin}${here}&back=paid`, cancelUrl: `${origin}${here}&back=cancelled` });
    return redirect(url);
  } catch (e) {
    if (!isPaymentError(e)) throw e;
    // A link that is not valid (or expired) has no fee to show; otherwise the fee, with the refusal.
    if (e.status === 400 || e.status === 404 || e.status === 410) return view(context, token, null);
    return view(context, token, null, e.message, e.status);
  }
}

export default function EnrollmentFee() {
  // A refused "Pay" answers with the fee and the refusal (the action's data).
  const loaded = useLoaderData<typeof loader>();
  const v = useActionData<typeof action>() ?? loaded;
  const revalidator = useRevalidator();
  const processing = v.ok && (v.state === "processing" || (v.state === "due" && v.back === "paid"));
  // Waiting for Stripe's webhook: look again every few seconds (a minute at most).
  const polls = useRef(0);
  useEffect(() => {
    if (!processing || polls.current >= 20) return;
    const t = setTimeout(() => {
      polls.current += 1;
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 3000);
    return () => clearTimeout(t);
  }, [processing, revalidator]);

  if (!v.ok) {
    return (
      <section className="card narrow" aria-labelledby="fee-title">
        <p className="eyebrow">{v.schoolName}</p>
        <h1 id="fee-title">
          Registration fee
        </h1>
        <p className="form-error" role="alert">
          {v.message}
        </p>
        <Link to="/login">Sign in</Link>
      </section>
    );
  }
  const title = v.state === "paid" ? "Thank you — the registration fee is paid" : processing ? "Thank you — your payment is being confirmed" : "Registration fee";
  return (
    <section className="card narrow stack" aria-labelledby="fee-title">
      <div>
        <p className="eyebrow">{v.schoolName}</p>
        <h1 id="fee-title">
          {title}
        </h1>
      </div>
      {v.error ? (
        <p className="form-error" role="alert">
          {v.error}
        </p>
      ) : null}
      <dl className="kv">
        <dt>Registration fee</dt>
        <dd>
          <strong>{v.amount}</strong>
        </dd>
        {v.invoiceNumber ? (
          <>
            <dt>Invoice</dt>
            <dd>{v.invoiceNumber}</dd>
          </>
        ) : null}
        <dt>Status</dt>
        <dd>
          {/* (a live region inside the <dd>: a role on the <dd> itself would take it out of the list) */}
          <strong role="status">{v.state === "paid" ? "Paid" : processing ? "Processing" : "Not paid yet"}</strong>
        </dd>
      </dl>
      {v.state === "paid" ? (
        <p>A receipt is on its way by email. Set your password from the link in our welcome email to see your invoices and receipts on your family&rsquo;s billing page.</p>
      ) : processing ? (
        <p>Your card was accepted and the payment is being confirmed; this page updates by itself. You can also close it: the receipt will arrive by email.</p>
      ) : (
        <>
          {v.back === "cancelled" ? <p>The payment was cancelled; nothing was charged.</p> : null}
          {v.payable ? (
            <Form method="post" action={`/enroll/fee?t=${encodeURIComponent(v.token)}`} reloadDocument className="ef-submit">
              <input type="hidden" name="t" value={v.token} />
              <button type="submit" className="button">
                Pay {v.amount} now
              </button>
              <span className="muted">or pay later from your billing page</span>
            </Form>
          ) : (
            <p>You can pay it from your family&rsquo;s billing page once you have set your password.</p>
          )}
        </>
      )}
      <Link to="/">Back to {v.schoolName}</Link>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
