// The admin's settings for online enrollment and the public page: whether each new
// place waits for approval, the registration fee for new families, and what the
// landing page says and shows.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Checkbox, TextArea, TextInput } from "~/components/enrollment-fields";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError } from "~/components/form";
import { loadEnrollmentSettings, saveEnrollmentSettings, type EnrollmentSettings } from "~/models/landing.server";
import { formEntries, type FormEntries } from "~/models/online-enrollment-form";
import { trialSettingForm } from "~/models/lesson-request-form";
import familiesCss from "~/styles/families.css?url";
import { pageTitle } from "~/utils/meta";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { parseForm } from "~/utils/forms";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: familiesCss }];
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Enrollment and public page");

const text = (max: number, label: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim())
    .refine((v) => v.length <= max, `Keep ${label} under ${max} characters.`)
    .transform((v) => v || null);
const box = z
  .string()
  .optional()
  .transform((v) => v === "on");

const schema = z.object({
  requireEnrollmentApproval: box,
  registrationFee: z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim().replace(/^[$£€]/, ""))
    .refine((v) => v === "" || /^\d{1,6}(\.\d{1,2})?$/.test(v), "Enter an amount like 25 or 25.00, or leave it empty for no fee.")
    .transform((v) => (v === "" || Number(v) === 0 ? null : Number(v).toFixed(2))),
  tagline: text(160, "the tagline"),
  about: text(4000, "the text"),
  contactAddress: text(300, "the address"),
  landingShowPrograms: box,
  landingShowTeachers: box,
  landingShowLocations: box,
  trialEnabled: z.string().optional(),
  trialMinutes: z.string().optional(),
}).and(trialSettingForm);

function asValues(s: EnrollmentSettings): FormEntries {
  const on = (b: boolean) => (b ? "on" : "");
  return {
    requireEnrollmentApproval: on(s.requireEnrollmentApproval),
    registrationFee: s.registrationFee ?? "",
    tagline: s.tagline ?? "",
    about: s.about ?? "",
    contactAddress: s.contactAddress ?? "",
    landingShowPrograms: on(s.landingShowPrograms),
    landingShowTeachers: on(s.landingShowTeachers),
    landingShowLocations: on(s.landingShowLocations),
    trialEnabled: on(s.trialLessonMinutes !== null),
    trialMinutes: String(s.trialLessonMinutes ?? 30),
  };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const settings = await db.run((tx) => loadEnrollmentSettings(tx, school.id));
  return { values: asValues(settings), currency: school.currency };
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school, schoolPlatform } = requireSchool(context);
  const formData = await request.formData();
  const values = formEntries(formData);
  const parsed = parseForm(formData, schema);
  if (!parsed.ok) return data({ ok: false as const, values, errors: parsed.errors, message: null }, { status: 400 });
  const { trialEnabled: _on, trialMinutes: _minutes, ...settings } = parsed.data;
  await db.run((tx) => saveEnrollmentSettings(tx, school.id, settings));
  schoolPlatform.forgetCachedSchool(); // the public page shows the new texts at once
  return { ok: true as const, values, errors: {} as Record<string, string>, message: "Saved. The public page and the enrollment form use these settings now." };
}

export default function EnrollmentSettingsPage() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const values = actionData?.values ?? loaderData.values;
  const errors = actionData?.errors ?? {};
  // Unchecked boxes are not sent: after a save, missing means off.
  const checkboxValues: FormEntries = { ...values };
  for (const k of ["requireEnrollmentApproval", "trialEnabled", "landingShowPrograms", "landingShowTeachers", "landingShowLocations"]) checkboxValues[k] = values[k] ?? "";
  return (
    <div className="stack" style={{ maxWidth: "46rem" }}>
      <div>
        <p className="eyebrow">
          <Link to="/admin/setup">Setup</Link>
        </p>
        <h1>Enrollment and public page</h1>
        <p className="muted">
          How families enroll online from <Link to="/">your public page</Link>, and what that page shows.
        </p>
      </div>
      {actionData?.message ? (
        <p className="notice" role="status">
          {actionData.message}
        </p>
      ) : null}
      <Form method="post" noValidate className="ef">
        <FormError message={actionData && !actionData.ok ? "Please correct the fields marked below." : null} />
        <fieldset>
          <legend>Online enrollment</legend>
          <Checkbox
            name="requireEnrollmentApproval"
            label={<strong>Approve each new enrollment</strong>}
            hint="New enrollments wait for an admin's approval before they take a seat."
            values={checkboxValues}
            errors={errors}
          />
          <TextInput
            name="registrationFee"
            label={`Registration fee (${loaderData.currency})`}
            inputMode="decimal"
            hint="Charged once to each new family that enrolls online; recorded as an amount owed. Leave empty for none."
            values={values}
            errors={errors}
            style={{ maxWidth: "12rem" }}
          />
        </fieldset>
        <fieldset>
          <legend>Trial lessons</legend>
          <Checkbox
            name="trialEnabled"
            label={<strong>New families may book a first trial lesson</strong>}
            hint="The public page offers “Book a trial lesson”: a family picks an instrument and one of its teachers' free times in the next two weeks."
            values={checkboxValues}
            errors={errors}
          />
          <TextInput name="trialMinutes" label="Length of a trial lesson (minutes)" inputMode="numeric" values={values} errors={errors} style={{ maxWidth: "8rem" }} />
        </fieldset>
        <fieldset>
          <legend>Public page</legend>
          <TextInput name="tagline" label="Tagline" hint="One line under the school's name, also used by search engines and link previews." maxLength={160} values={values} errors={errors} />
          <TextArea name="about" label="About the school" hint="A few paragraphs; leave an empty line between paragraphs." rows={6} maxLength={4000} values={values} errors={errors} />
          <TextArea name="contactAddress" label="Contact address" rows={3} maxLength={300} values={values} errors={errors} />
          <fieldset className="ef-choices">
            <legend>Sections to show</legend>
            <Checkbox name="landingShowPrograms" label="Classes and individual lessons" values={checkboxValues} errors={errors} />
            <Checkbox name="landingShowTeachers" label="Teachers (those who agreed to be shown)" values={checkboxValues} errors={errors} />
            <Checkbox name="landingShowLocations" label="Locations" values={checkboxValues} errors={errors} />
          </fieldset>
        </fieldset>
        <div>
          <button className="button" disabled={busy}>
            {busy ? "Saving…" : "Save settings"}
          </button>
        </div>
      </Form>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
