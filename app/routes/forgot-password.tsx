import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormError } from "~/components/form";
import { sendPasswordReset } from "~/models/people.server";
import { requireSchool } from "~/utils/auth.server";
import { fields, noErrors, parseForm } from "~/utils/forms";
import { checkRateLimit } from "~/utils/rate-limit.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Reset your password");

export async function loader({ context }: LoaderFunctionArgs) {
  requireSchool(context);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { db, school } = requireSchool(context);
  const parsed = parseForm(await request.formData(), z.object({ email: fields.email }));
  if (!parsed.ok) return data({ sent: false, errors: parsed.errors, values: parsed.values, formError: null }, { status: 400 });
  const limited = await checkRateLimit(context, "reset", [`ip:${context.clientIp}`, `account:${parsed.data.email}`]);
  if (limited) return data({ sent: false, errors: noErrors, values: parsed.values, formError: limited }, { status: 429 });
  await db.run((tx) => sendPasswordReset(tx, { mailer: context.mailer, origin: context.links.origin, schoolName: school.name }, parsed.data.email));
  return { sent: true, errors: noErrors, values: parsed.values, formError: null };
}

export default function ForgotPassword() {
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (actionData?.sent) {
    return (
      <section className="card narrow">
        <h1>Check your email</h1>
        <p className="notice" role="status">
          If {actionData.values.email} has an account here, we have sent it a link to choose a new password. The link works for one hour.
        </p>
        <Link to="/login">Back to sign in</Link>
      </section>
    );
  }
  return (
    <section className="card narrow">
      <h1>Reset your password</h1>
      <p className="muted">Enter the email you sign in with. We will send you a link to choose a new password.</p>
      <Form method="post" noValidate>
        <FormError message={actionData?.formError} />
        <Field label="Email" name="email" type="email" autoComplete="email" required defaultValue={actionData?.values.email} error={actionData?.errors.email} />
        <button className="button full" disabled={busy}>
          {busy ? "Sending…" : "Send the link"}
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
