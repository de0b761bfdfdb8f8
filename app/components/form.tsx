import { Link } from "@remix-run/react";
import type { CSSProperties, InputHTMLAttributes, ReactNode } from "react";
import { useEffect, useId, type RefObject } from "react";

/** After a refused submission (`errors` not empty), takes the person to the first field to fix. */
export function useFocusFirstInvalid(formRef: RefObject<HTMLFormElement | null>, errors: Record<string, string> | null | undefined) {
  useEffect(() => {
    if (errors && Object.keys(errors).length) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors, formRef]);
}

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  name: string;
  error?: string;
  hint?: ReactNode;
}

/** `aria-describedby` for a control framed by FieldFrame with this id. */
export function describedByIds(id: string, hint: ReactNode, error: string | undefined): string | undefined {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}

/**
 * A form control's frame: its label, an optional hint and its error, tied to the
 * control by id (`${id}-hint`, `${id}-error`; see describedByIds).
 */
export function FieldFrame({ id, label, hint, error, children }: { id: string; label: ReactNode; hint?: ReactNode; error?: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      {children}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled input whose error is announced and tied to it (aria-describedby). */
export function Field({ label, name, error, hint, id, ...input }: FieldProps) {
  const autoId = useId();
  const inputId = id ?? `${name}-${autoId}`;
  return (
    <FieldFrame id={inputId} label={label} hint={hint} error={error}>
      <input id={inputId} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedByIds(inputId, hint, error)} {...input} />
    </FieldFrame>
  );
}

interface SelectProps {
  label: string;
  name: string;
  error?: string;
  hint?: ReactNode;
  defaultValue?: string;
  options: { value: string; label: string }[];
  required?: boolean;
}

export function SelectField({ label, name, error, hint, options, ...rest }: SelectProps) {
  const id = `${name}-${useId()}`;
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <select id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedByIds(id, hint, error)} {...rest}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export function FormError({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <div className="form-error" role="alert">
      {message}
    </div>
  );
}

interface FormActionsProps {
  /** The form is being sent: the button is disabled and says "Saving…". */
  busy: boolean;
  /** Changing an existing record: the button says `saveLabel` and a Cancel link shows. */
  editing: boolean;
  saveLabel: string;
  addLabel: string;
  /** Where Cancel goes (the page without the record being edited). */
  cancelTo: string;
  style?: CSSProperties;
}

/** The submit + Cancel row at the end of an add/change form. */
export function FormActions({ busy, editing, saveLabel, addLabel, cancelTo, style }: FormActionsProps) {
  return (
    <div className="row" style={style}>
      <button className="button" disabled={busy}>
        {busy ? "Saving…" : editing ? saveLabel : addLabel}
      </button>
      {editing ? (
        <Link className="button secondary" to={cancelTo}>
          Cancel
        </Link>
      ) : null}
    </div>
  );
}
