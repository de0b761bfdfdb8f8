// A new family's contacts: the parent or guardian who holds the family account, a
// second one (collapsed unless used), and the emergency contact. Shared by the public
// enrollment form (/enroll), filled in by the parent (their own details, required, the
// browser may fill them in), and the admin's "Add students" (/admin/students/new),
// filled in by the school (another person's details: phone and emergency contact
// optional, no autocomplete). Fields are named `guardian.*`, `guardian2.*` and
// `emergency.*`; what was typed comes back through `values` after a round trip.
import { TextInput, type Errors } from "~/components/enrollment-fields";
import { FormError } from "~/components/form";
import { entry, HONEYPOT_FIELD, type FormEntries } from "~/models/online-enrollment-form";

/**
 * The start of a public form (enrollment, trial lesson): a hidden default button, so
 * Enter in a field sends `submitLabel` and not another button of the form; the one-time
 * key that makes a double click harmless; the honeypot (hidden from people and assistive
 * technology, bots fill it in); and the form's error.
 */
export function PublicFormHead({ id, submitLabel, intent, values, formError }: { id: string; submitLabel: string; intent?: string; values: FormEntries; formError?: string | null }) {
  return (
    <>
      <button type="submit" name={intent ? "intent" : undefined} value={intent} className="hp" tabIndex={-1} aria-hidden="true">
        {submitLabel}
      </button>
      <input type="hidden" name="key" value={entry(values, "key")} />
      <div className="hp" aria-hidden="true">
        <label htmlFor={`${id}-homepage`}>Leave this empty</label>
        <input id={`${id}-homepage`} type="text" name={HONEYPOT_FIELD} tabIndex={-1} autoComplete="off" defaultValue="" />
      </div>
      <FormError message={formError} />
    </>
  );
}

const SECOND_FIELDS = ["firstName", "lastName", "email", "phone"] as const;

export function ContactFields({
  values,
  errors,
  filledBy,
  secondGuardian = true,
}: {
  values: FormEntries;
  errors: Errors;
  filledBy: "parent" | "school";
  /** Offer a second parent or guardian (not on the trial-lesson form). */
  secondGuardian?: boolean;
}) {
  const byParent = filledBy === "parent";
  const phoneLabel = byParent ? "Phone" : "Phone (optional)";
  const secondOpen = SECOND_FIELDS.some((f) => entry(values, `guardian2.${f}`).trim() || errors[`guardian2.${f}`]);
  return (
    <>
      <fieldset>
        <legend>{byParent ? "Your details" : "Parent or guardian"}</legend>
        <p className="muted">{byParent ? "You hold the family account: we email you a link to set your password." : "They hold the family account and sign in with this email."}</p>
        <div className="grid two">
          <TextInput name="guardian.firstName" label="First name" values={values} errors={errors} required={byParent} autoComplete={byParent ? "given-name" : "off"} maxLength={100} />
          <TextInput name="guardian.lastName" label="Last name" values={values} errors={errors} required={byParent} autoComplete={byParent ? "family-name" : "off"} maxLength={100} />
          <TextInput name="guardian.email" label="Email" type="email" values={values} errors={errors} required={byParent} autoComplete={byParent ? "email" : "off"} maxLength={254} />
          <TextInput name="guardian.phone" label={phoneLabel} type="tel" values={values} errors={errors} required={byParent} autoComplete={byParent ? "tel" : "off"} maxLength={30} />
        </div>
      </fieldset>

      {secondGuardian ? (
        <>
          {/* Collapsed unless used: a native <details>, so it opens without JavaScript too. */}
          <details className="ef-more" open={secondOpen}>
            <summary>Add a second parent or guardian (optional)</summary>
            <fieldset>
              <legend>Second contact (optional)</legend>
              {byParent ? <p className="muted">Another parent or guardian. They get their own sign-in to the family page.</p> : null}
              <div className="grid two">
                <TextInput name="guardian2.firstName" label="First name" values={values} errors={errors} autoComplete="off" maxLength={100} />
                <TextInput name="guardian2.lastName" label="Last name" values={values} errors={errors} autoComplete="off" maxLength={100} />
                <TextInput name="guardian2.email" label="Email" type="email" values={values} errors={errors} autoComplete="off" maxLength={254} />
                <TextInput name="guardian2.phone" label={phoneLabel} type="tel" values={values} errors={errors} autoComplete="off" maxLength={30} />
              </div>
            </fieldset>
          </details>
        </>
      ) : null}

      <fieldset>
        <legend>{byParent ? "Emergency contact" : "Emergency contact (optional)"}</legend>
        {byParent ? <p className="muted">Someone we can call if we cannot reach you.</p> : null}
        <div className="grid">
          <TextInput name="emergency.name" label="Name" values={values} errors={errors} required={byParent} autoComplete="off" maxLength={100} />
          <TextInput name="emergency.phone" label="Phone" type="tel" values={values} errors={errors} required={byParent} autoComplete="off" maxLength={30} />
          <TextInput name="emergency.relation" label="Relation to the child" values={values} errors={errors} required={byParent} autoComplete="off" maxLength={60} placeholder="e.g. grandparent" />
        </div>
      </fieldset>
    </>
  );
}
