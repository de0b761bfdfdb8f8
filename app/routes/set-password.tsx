import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormError } from "~/components/form";
import { findUsableToken, requireSchool, setPasswordWithToken } from "~/utils/auth.server";
import { noErrors, parseForm, setPasswordForm } from "~/utils/forms";
import { checkRateLimit } from "~/utils/rate-limit.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Choose your password");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { db, school } = requireSchool(context);
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const row = token ? await db.run((tx) => findUsableToken(tx, token)) : null;
  return {
    token,
    valid: Boolean(row),
    invitation: row?.kind === "INVITATION",
    firstName: row?.user.firstName ?? null,
    email: row?.user.email ?? null,
    schoolName: school.name,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireSchool(context);
  const parsed = parseForm(await request.formData(), setPasswordForm);
  if (!parsed.ok) return data({ errors: parsed.errors, formError: null }, { status: 400 });
  const limited = await checkRateLimit(context, "reset", [`ip:${context.clientIp}`]);
  if (limited) return data({ errors: noErrors, formError: limited }, { status: 429 });
  const result = await setPasswordWithToken(context, parsed.data.token, parsed.data.password);
  if (!result) {
    return data({ errors: noErrors, formError: "This link has expired or was already used. Ask for a new one." }, { status: 400 });
  }
  // A recovered account's old calendar addresses were revoked: show where to make fresh ones.
  throw redirect(result.feedsRevoked ? `/account/calendar?renewed=${result.feedsRevoked}` : "/dashboard", { headers: { "Set-Cookie": result.cookie } });
}

export default function SetPassword() {
  const { token, valid, invitation, firstName, email, schoolName } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (!valid) {
    return (
      <section className="card narrow">
        <h1>This link no longer works</h1>
        <p>Links to set a password work once, for a limited time. You can ask for a new one.</p>
        <Link className="button" to="/forgot-password">
          Send me a new link
        </Link>
      </section>
    );
  }
  return (
    <section className="card narrow">
      <h1>{invitation ? `Welcome to ${schoolName}` : "Choose a new password"}</h1>
      <p className="muted">
        {invitation ? `Hello ${firstName}, choose a password to finish setting up your account` : "Choose a new password for"} <strong>{email}</strong>.
      </p>
      <Form method="post" noValidate>
        <FormError message={actionData?.formError} />
        <input type="hidden" name="token" value={token} />
        <input type="hidden" name="username" value={email ?? ""} autoComplete="username" />
        <Field label="New password" name="password" type="password" autoComplete="new-password" required minLength={10} hint="At least 10 characters." error={actionData?.errors.password} />
        <Field label="Repeat the password" name="confirm" type="password" autoComplete="new-password" required error={actionData?.errors.confirm} />
        <button className="button full" disabled={busy}>
          {busy ? "Saving…" : invitation ? "Set password and sign in" : "Save and sign in"}
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
