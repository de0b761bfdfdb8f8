// The fields of a child (and the small inputs around them) shared by the public
// enrollment form (/enroll) and the family page's "add a child" (/family/children).
// Plain form controls named like `children.0.firstName`: everything works without
// JavaScript, and what was typed comes back through `values` after a round trip.
import { useId, type ComponentProps, type ReactNode } from "react";
import { describedByIds, Field, FieldFrame } from "~/components/form";
import { entry, entryList, MAX_CHILDREN, SKILL_LEVELS, SKILL_LEVEL_LABEL, type FormEntries } from "~/models/online-enrollment-form";
import { LessonPreferenceFields } from "~/components/lesson-preference-fields";

export type Errors = Record<string, string>;

export interface ProgramChoice {
  value: string;
  label: string;
}

export interface ProgramGroups {
  classes: ProgramChoice[];
  individual: ProgramChoice[];
}

/** A text input bound to the form's values and errors by name. */
export function TextInput({
  name,
  label,
  values,
  errors,
  ...rest
}: { name: string; label: string; values: FormEntries; errors: Errors } & Omit<ComponentProps<typeof Field>, "name" | "label" | "error" | "defaultValue">) {
  return <Field name={name} label={label} defaultValue={entry(values, name)} error={errors[name]} {...rest} />;
}

export function TextArea({ name, label, values, errors, hint, rows = 3, maxLength }: { name: string; label: string; values: FormEntries; errors: Errors; hint?: ReactNode; rows?: number; maxLength?: number }) {
  const id = `${name}-${useId()}`;
  const error = errors[name];
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <textarea id={id} name={name} rows={rows} maxLength={maxLength} defaultValue={entry(values, name)} aria-invalid={error ? true : undefined} aria-describedby={describedByIds(id, hint, error)} />
    </FieldFrame>
  );
}

export function Checkbox({ name, label, values, errors, hint, defaultChecked }: { name: string; label: ReactNode; values: FormEntries; errors: Errors; hint?: ReactNode; defaultChecked?: boolean }) {
  const id = `${name}-${useId()}`;
  const error = errors[name];
  const checked = name in values ? ["on", "true", "1"].includes(entry(values, name)) : Boolean(defaultChecked);
  return (
    <div>
      <label className="check" htmlFor={id}>
        <input type="checkbox" id={id} name={name} defaultChecked={checked} aria-invalid={error ? true : undefined} aria-describedby={[hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined} />
        <span>
          {label}
          {hint ? (
            <span className="hint muted" id={`${id}-hint`} style={{ display: "block", fontSize: "0.9rem" }}>
              {hint}
            </span>
          ) : null}
        </span>
      </label>
      {error ? (
        <p className="field-error-inline" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

function ProgramSelect({ name, values, errors, programs, optional }: { name: string; values: FormEntries; errors: Errors; programs: ProgramGroups; optional?: boolean }) {
  const id = `${name}-${useId()}`;
  const error = errors[name];
  return (
    <FieldFrame id={id} label={optional ? "Enroll in a class (optional)" : "Class or lessons"} error={error}>
      <select id={id} name={name} defaultValue={entry(values, name)} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined}>
        <option value="">{optional ? "Not now" : "Choose…"}</option>
        {programs.classes.length ? (
          <optgroup label="Classes">
            {programs.classes.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </optgroup>
        ) : null}
        {programs.individual.length ? (
          <optgroup label="Individual lessons">
            {programs.individual.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </optgroup>
        ) : null}
      </select>
    </FieldFrame>
  );
}

/**
 * One child's block. `onRemove`: a submit button (name="intent") that takes this
 * child out of the form on the server, so it works without JavaScript too.
 */
export function ChildFields({
  index,
  count,
  values,
  errors,
  instruments,
  programs,
  programOptional,
  lastNameLabel = "Last name (if not yours)",
  headingLevel = 2,
  autoFocusName,
  consentBy = "parent",
  lessonDurations,
}: {
  index: number;
  count: number;
  values: FormEntries;
  errors: Errors;
  instruments: string[];
  programs: ProgramGroups;
  programOptional?: boolean;
  /** Blank last names take the family's: say so in the label. */
  lastNameLabel?: string;
  headingLevel?: 2 | 3;
  /** Focus (and scroll to) the first name: a block just added, with or without JavaScript. */
  autoFocusName?: boolean;
  /** Who ticks the consents: the parent on their own form, or the school recording what a parent agreed to. */
  consentBy?: "parent" | "school";
  /** Individual lessons are offered: ask for preferences (with these lengths) while they are chosen. */
  lessonDurations?: readonly number[];
}) {
  const p = (field: string) => `children.${index}.${field}`;
  const first = entry(values, p("firstName")).trim();
  const title = count > 1 ? `Child ${index + 1}${first ? `: ${first}` : ""}` : first ? `About ${first}` : consentBy === "school" ? "Child" : "About your child";
  const others = new Set(entryList(values, p("otherInstruments")));
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const skillId = `${p("skillLevel")}-${useId()}`;
  const instrumentId = `${p("instrument")}-${useId()}`;
  return (
    <fieldset className="ef-child" id={`child-${index + 1}`} aria-labelledby={`child-${index + 1}-title`}>
      <div className="ef-child-head">
        <Heading id={`child-${index + 1}-title`} style={{ margin: 0, fontSize: "1.15rem" }}>
          {title}
        </Heading>
        {count > 1 ? (
          <button type="submit" name="intent" value={`remove-child-${index}`} className="button danger small" formNoValidate>
            Remove {first || `child ${index + 1}`}
          </button>
        ) : null}
      </div>
      <input type="hidden" name={p("uid")} value={entry(values, p("uid"))} />
      <div className="grid">
        <TextInput name={p("firstName")} label="First name" values={values} errors={errors} required autoComplete="off" maxLength={100} autoFocus={autoFocusName} />
        <TextInput name={p("lastName")} label={lastNameLabel} values={values} errors={errors} autoComplete="off" maxLength={100} />
        <TextInput name={p("dateOfBirth")} label="Date of birth" type="date" values={values} errors={errors} required />
      </div>
      <ProgramSelect name={p("program")} values={values} errors={errors} programs={programs} optional={programOptional} />
      {lessonDurations && programs.individual.length ? <LessonPreferenceFields index={index} values={values} errors={errors} durations={lessonDurations} /> : null}
      <div className="grid">
        <FieldFrame id={instrumentId} label="Main instrument" error={errors[p("instrument")]}>
          <select id={instrumentId} name={p("instrument")} defaultValue={entry(values, p("instrument"))} aria-invalid={errors[p("instrument")] ? true : undefined} aria-describedby={errors[p("instrument")] ? `${instrumentId}-error` : undefined}>
            <option value="">Not sure yet</option>
            {instruments.map((i) => (
              <option key={i} value={i}>
                {i}
              </option>
            ))}
          </select>
        </FieldFrame>
        <div className="field">
          <label htmlFor={skillId}>Level</label>
          <select id={skillId} name={p("skillLevel")} defaultValue={entry(values, p("skillLevel")) || "BEGINNER"}>
            {SKILL_LEVELS.map((l) => (
              <option key={l} value={l}>
                {SKILL_LEVEL_LABEL[l]}
              </option>
            ))}
          </select>
        </div>
      </div>
      {instruments.length > 1 ? (
        <fieldset className="ef-choices">
          <legend>Other instruments (optional)</legend>
          <div className="ef-checks">
            {instruments.map((i) => (
              <label key={i} className="check inline">
                <input type="checkbox" name={p("otherInstruments")} value={i} defaultChecked={others.has(i)} /> {i}
              </label>
            ))}
          </div>
          {errors[p("otherInstruments")] ? <p className="field-error-inline">{errors[p("otherInstruments")]}</p> : null}
        </fieldset>
      ) : null}
      <div className="ef-consent">
        <Checkbox
          name={p("parentalConsent")}
          values={values}
          errors={errors}
          label={
            consentBy === "parent" ? (
              <>
                <strong>I am {first || "this child"}&rsquo;s parent or legal guardian</strong> and agree to {first || "them"} taking part in lessons (required).
              </>
            ) : (
              <>
                <strong>A parent or legal guardian has agreed</strong> to {first || "this child"} taking part in lessons (required).
              </>
            )
          }
        />
        <Checkbox
          name={p("socialMediaConsent")}
          values={values}
          errors={errors}
          label={
            consentBy === "parent" ? (
              <>The school may share photos or videos of {first || "my child"} on its website and social media (optional).</>
            ) : (
              <>The parent agreed to photos or videos of {first || "this child"} on the school&rsquo;s website and social media (optional).</>
            )
          }
        />
      </div>
    </fieldset>
  );
}

/** "Add another child" as a submit button: the server adds a block; no JavaScript needed. */
export function AddChildButton({ count }: { count: number }) {
  if (count >= MAX_CHILDREN) return <p className="muted">You can add up to {MAX_CHILDREN} children on one form; add more later from your family page.</p>;
  return (
    <div>
      <button type="submit" name="intent" value="add-child" className="button secondary" formNoValidate>
        + Add another child
      </button>
    </div>
  );
}
