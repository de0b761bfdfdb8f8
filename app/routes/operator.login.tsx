import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormError } from "~/components/form";
import { getOperator, requirePlatform, signInOperator } from "~/utils/auth.server";
import { fields, noErrors, parseForm } from "~/utils/forms";
import { limitedSignIn } from "~/utils/rate-limit.server";
import { safeRedirectTo } from "~/utils/redirect";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Operator sign in");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePlatform(context);
  if (await getOperator(request, context)) throw redirect("/operator");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  requirePlatform(context);
  const parsed = parseForm(await request.formData(), z.object({ email: fields.email, password: fields.password, redirectTo: z.string().optional() }));
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values, formError: null }, { status: 400 });
  const attempt = await limitedSignIn(context, parsed.data.email, () => signInOperator(context, parsed.data.email, parsed.data.password));
  if (attempt.limited !== null) return data({ errors: noErrors, values: parsed.values, formError: attempt.limited }, { status: 429 });
  const cookie = attempt.result;
  if (!cookie) return data({ errors: noErrors, values: parsed.values, formError: "That email and password do not match an operator account." }, { status: 400 });
  throw redirect(safeRedirectTo(parsed.data.redirectTo, new URL(request.url).origin, "/operator"), { headers: { "Set-Cookie": cookie } });
}

export default function OperatorLogin() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="card narrow">
      <p className="eyebrow">Encore platform</p>
      <h1>Operator sign in</h1>
      <Form method="post" noValidate>
        <FormError message={actionData?.formError} />
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <Field label="Email" name="email" type="email" autoComplete="email" required defaultValue={actionData?.values.email} error={actionData?.errors.email} />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required error={actionData?.errors.password} />
        <button className="button full" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
