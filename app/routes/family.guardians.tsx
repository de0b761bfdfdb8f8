// The family's guardians: the account holder adds another parent or guardian, who
// gets their own sign-in (an emailed invitation to set a password).
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { TextInput } from "~/components/enrollment-fields";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError } from "~/components/form";
import { addGuardian, FamilyError, familyGuardians } from "~/models/family.server";
import { phoneField } from "~/models/online-enrollment-form";
import familiesCss from "~/styles/families.css?url";
import { pageTitle } from "~/utils/meta";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { fields, formValues, parseForm } from "~/utils/forms";
import { limitInvitation } from "~/utils/rate-limit.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: familiesCss }];
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Guardians");

const schema = z.object({
  firstName: fields.personName("a first name"),
  lastName: fields.personName("a last name"),
  email: fields.email,
  phone: z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim())
    .pipe(z.union([z.literal(""), phoneField()]))
    .transform((v) => v || null),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { role: "PARENT" });
  const { db } = requireSchool(context);
  return db.run((tx) => familyGuardians(tx, user.id));
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { role: "PARENT" });
  const { db, school } = requireSchool(context);
  const formData = await request.formData();
  const parsed = parseForm(formData, schema);
  if (!parsed.ok) return data({ ok: false as const, errors: parsed.errors, values: parsed.values, message: null }, { status: 400 });
  // Each guardian added is an email the school sends: limited per account, per
  // recipient and across the school's families.
  const limited = await limitInvitation(context, { accountId: user.id, recipients: [parsed.data.email] });
  if (limited) return data({ ok: false as const, errors: { form: limited }, values: parsed.values, message: null }, { status: 429 });
  try {
    await db.run((tx) => addGuardian(tx, { mailer: context.mailer, origin: context.links.origin, schoolName: school.name }, user.id, parsed.data));
  } catch (error) {
    if (error instanceof FamilyError) {
      const errors: Record<string, string> = error.field ? { [error.field]: error.message } : { form: error.message };
      return data({ ok: false as const, errors, values: formValues(formData), message: null }, { status: error.status });
    }
    throw error;
  }
  return { ok: true as const, errors: {} as Record<string, string>, values: {} as Record<string, string>, message: `We have emailed ${parsed.data.email} an invitation to set a password.` };
}

export default function Guardians() {
  const { familyName, isAdmin, guardians } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = actionData?.errors ?? {};
  const values = actionData?.values ?? {};
  return (
    <div className="stack" style={{ maxWidth: "46rem" }}>
      <div>
        <p className="eyebrow">
          <Link to="/family">{familyName ?? "My family"}</Link>
        </p>
        <h1>Guardians</h1>
        <p className="muted">Parents and guardians who can sign in to the family page and receive the school&rsquo;s emails.</p>
      </div>
      {actionData?.message ? (
        <p className="notice" role="status">
          {actionData.message}
        </p>
      ) : null}
      <section className="card">
        <ul className="fam-list">
          {guardians.map((g) => (
            <li key={g.id}>
              <strong>
                {g.firstName} {g.lastName}
              </strong>
              <span className="muted">{g.email}</span>
              {g.isAdmin ? <span className="badge">Account holder</span> : null}
              {g.invited ? <span className="badge warn">Invited</span> : null}
            </li>
          ))}
          {guardians.length === 0 ? <li className="muted">Only you, so far.</li> : null}
        </ul>
      </section>
      {isAdmin ? (
        <section className="card" aria-labelledby="add-guardian">
          <h2 id="add-guardian">Add a guardian</h2>
          <p className="muted">They will get an email with a link to set their own password.</p>
          {/* A new key after each success empties the form. */}
          <Form method="post" noValidate key={actionData?.ok ? actionData.message : "form"}>
            <FormError message={errors.form ?? (actionData && !actionData.ok ? "Please correct the fields marked below." : null)} />
            <div className="grid">
              <TextInput name="firstName" label="First name" values={values} errors={errors} required autoComplete="off" maxLength={100} />
              <TextInput name="lastName" label="Last name" values={values} errors={errors} required autoComplete="off" maxLength={100} />
              <TextInput name="email" label="Email" type="email" values={values} errors={errors} required autoComplete="off" maxLength={254} />
              <TextInput name="phone" label="Phone (optional)" type="tel" values={values} errors={errors} autoComplete="off" maxLength={30} />
            </div>
            <button className="button" disabled={busy}>
              {busy ? "Sending…" : "Send invitation"}
            </button>
          </Form>
        </section>
      ) : (
        <p className="card muted">Only the family&rsquo;s account holder can add a guardian.</p>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
