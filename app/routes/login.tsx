import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormError } from "~/components/form";
import { AccountDeactivatedError, getUser, requireSchool, signIn } from "~/utils/auth.server";
import { fields, noErrors, parseForm } from "~/utils/forms";
import { limitedSignIn } from "~/utils/rate-limit.server";
import { safeRedirectTo } from "~/utils/redirect";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Sign in");

const schema = z.object({ email: fields.email, password: fields.password, redirectTo: z.string().optional() });

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireSchool(context);
  if (await getUser(request, context)) throw redirect("/dashboard");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { school } = requireSchool(context);
  const parsed = parseForm(await request.formData(), schema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values, formError: null }, { status: 400 });
  const { email, password, redirectTo } = parsed.data;
  const attempt = await limitedSignIn(context, email, () =>
    signIn(context, email, password).catch((error: unknown) => {
      if (!(error instanceof AccountDeactivatedError)) throw error;
      return "deactivated" as const;
    }),
  );
  if (attempt.limited !== null) return data({ errors: noErrors, values: parsed.values, formError: attempt.limited }, { status: 429 });
  const { result } = attempt;
  if (result === "deactivated") {
    const formError = `Your account at ${school.name} has been deactivated. If you think this is a mistake, contact the school at ${school.email}.`;
    return data({ errors: noErrors, values: parsed.values, formError }, { status: 403 });
  }
  if (!result) {
    return data({ errors: noErrors, values: parsed.values, formError: "That email and password do not match an account at this school." }, { status: 400 });
  }
  throw redirect(safeRedirectTo(redirectTo, new URL(request.url).origin), { headers: { "Set-Cookie": result.cookie } });
}

export default function Login() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const values = actionData?.values ?? {};
  return (
    <section className="card narrow">
      <h1>Sign in</h1>
      <Form method="post" noValidate>
        <FormError message={actionData?.formError} />
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? values.redirectTo ?? ""} />
        <Field label="Email" name="email" type="email" autoComplete="email" required defaultValue={values.email} error={actionData?.errors.email} />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required error={actionData?.errors.password} />
        <button className="button full" type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </Form>
      <p>
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
