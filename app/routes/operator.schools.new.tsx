import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormError, SelectField } from "~/components/form";
import { newSchoolSchema, onboardSchool, SlugTakenError, timeZones } from "~/models/schools.server";
import { LOCALE_INFO, SCHOOL_LOCALES } from "~/domain/locale";
import { CURRENCIES } from "~/utils/currencies";
import { requireOperator } from "~/utils/auth.server";
import { noErrors, parseForm, type FieldErrors } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Onboard a school");

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireOperator(request, context);
  return { timeZones: timeZones(), platformDomain: context.links.platformDomain };
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireOperator(request, context);
  const parsed = parseForm(await request.formData(), newSchoolSchema);
  if (!parsed.ok) return data({ created: null, errors: parsed.errors, values: parsed.values }, { status: 400 });
  try {
    const { school, origin } = await onboardSchool(context, request, parsed.data);
    return { created: { name: school.name, origin, adminEmail: parsed.data.adminEmail }, errors: noErrors, values: {} };
  } catch (error) {
    if (error instanceof SlugTakenError) return data({ created: null, errors: { slug: error.message } as FieldErrors, values: parsed.values }, { status: 409 });
    throw error;
  }
}

export default function NewSchool() {
  const { timeZones, platformDomain } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (actionData?.created) {
    const { name, origin, adminEmail } = actionData.created;
    return (
      <section className="card narrow">
        <h1>{name} is ready</h1>
        <p className="notice" role="status">
          We have emailed an invitation to {adminEmail}. The school lives at <a href={origin}>{origin.replace(/^https?:\/\//, "")}</a>.
        </p>
        <div className="row">
          <Link className="button" to="/operator">
            Back to schools
          </Link>
          <Link className="button secondary" to="/operator/outbox">
            See the invitation
          </Link>
        </div>
      </section>
    );
  }
  const v: Record<string, string> = actionData?.values ?? {};
  const e: Record<string, string> = actionData?.errors ?? {};
  return (
    <section className="card" style={{ maxWidth: "40rem", marginInline: "auto" }}>
      <h1>Onboard a school</h1>
      <Form method="post" noValidate>
        <FormError message={Object.keys(e).length ? "Please correct the fields marked below." : null} />
        <h2>The school</h2>
        <Field label="Name" name="name" required defaultValue={v.name} error={e.name} />
        <Field
          label="Web address (slug)"
          name="slug"
          required
          defaultValue={v.slug}
          error={e.slug}
          hint={<>Letters, digits and hyphens: the school will live at <code>your-slug.{platformDomain}</code></>}
          pattern="[a-z0-9-]+"
          autoCapitalize="off"
        />
        <div className="grid">
          <SelectField
            label="Time zone"
            name="timezone"
            defaultValue={v.timezone ?? "America/New_York"}
            error={e.timezone}
            options={timeZones.map((tz) => ({ value: tz, label: tz.replaceAll("_", " ") }))}
          />
          <SelectField label="Currency" name="currency" defaultValue={v.currency ?? "USD"} error={e.currency} options={CURRENCIES.map((c) => ({ value: c, label: c }))} />
          <SelectField
            label="Dates and amounts"
            name="locale"
            defaultValue={v.locale ?? "en-US"}
            error={e.locale}
            hint="How the school's dates, times and amounts are written: 12- or 24-hour clock, day or month first."
            options={SCHOOL_LOCALES.map((l) => ({ value: l, label: LOCALE_INFO[l].label }))}
          />
        </div>
        <h2>Its first admin</h2>
        <div className="grid">
          <Field label="First name" name="adminFirstName" required defaultValue={v.adminFirstName} error={e.adminFirstName} />
          <Field label="Last name" name="adminLastName" required defaultValue={v.adminLastName} error={e.adminLastName} />
        </div>
        <Field label="Email" name="adminEmail" type="email" required defaultValue={v.adminEmail} error={e.adminEmail} hint="They receive an invitation to set their password." />
        <button className="button" disabled={busy}>
          {busy ? "Creating…" : "Create the school and invite the admin"}
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
