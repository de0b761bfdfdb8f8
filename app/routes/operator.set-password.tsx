import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormError } from "~/components/form";
import { findOperatorLink, requirePlatform, setOperatorPasswordWithLink } from "~/utils/auth.server";
import { noErrors, parseForm, setPasswordForm } from "~/utils/forms";
import { checkRateLimit } from "~/utils/rate-limit.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Set your operator password");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePlatform(context);
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const operator = await findOperatorLink(context, token);
  return { token, valid: Boolean(operator), email: operator?.email ?? null, name: operator?.name ?? null };
}

export async function action({ request, context }: ActionFunctionArgs) {
  requirePlatform(context);
  const parsed = parseForm(await request.formData(), setPasswordForm);
  if (!parsed.ok) return data({ errors: parsed.errors, formError: null }, { status: 400 });
  const limited = await checkRateLimit(context, "reset", [`ip:${context.clientIp}`]);
  if (limited) return data({ errors: noErrors, formError: limited }, { status: 429 });
  const cookie = await setOperatorPasswordWithLink(context, parsed.data.token, parsed.data.password);
  if (!cookie) {
    return data({ errors: noErrors, formError: "This link has expired or was already used. Ask for a new one with npm run create-operator." }, { status: 400 });
  }
  throw redirect("/operator", { headers: { "Set-Cookie": cookie } });
}

export default function OperatorSetPassword() {
  const { token, valid, email, name } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (!valid) {
    return (
      <section className="card narrow">
        <p className="eyebrow">Encore platform</p>
        <h1>This link no longer works</h1>
        <p>Links to set an operator password work once, for one day. Whoever runs the platform can make a new one with <code>npm run create-operator -- your@email</code>.</p>
      </section>
    );
  }
  return (
    <section className="card narrow">
      <p className="eyebrow">Encore platform</p>
      <h1>Set your operator password</h1>
      <p className="muted">
        Hello {name}, choose a password for <strong>{email}</strong>.
      </p>
      <Form method="post" noValidate>
        <FormError message={actionData?.formError} />
        <input type="hidden" name="token" value={token} />
        <input type="hidden" name="username" value={email ?? ""} autoComplete="username" />
        <Field label="New password" name="password" type="password" autoComplete="new-password" required minLength={10} hint="At least 10 characters." error={actionData?.errors.password} />
        <Field label="Repeat the password" name="confirm" type="password" autoComplete="new-password" required error={actionData?.errors.confirm} />
        <button className="button full" disabled={busy}>
          {busy ? "Saving…" : "Save and sign in"}
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
