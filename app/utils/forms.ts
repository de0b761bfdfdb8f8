// Form input at the boundary: zod schemas, messages a person understands, and
// everything typed handed back so a mistake never loses it.
import { z } from "zod";

export type FieldErrors = Record<string, string>;
export type FormValues = Record<string, string>;

/** For action results without field errors (keeps the type of `errors` uniform). */
export const noErrors: FieldErrors = {};

/**
 * A refusal a form shows: its message, the field it is about (a form field name) if
 * any, and the HTTP status to answer with. Domain modules extend it with their own name.
 */
export class FormRefusal extends Error {
  constructor(
    message: string,
    readonly field: string | null = null,
    readonly status = 409,
  ) {
    super(message);
  }
}

export type Parsed<T> = { ok: true; data: T; values: FormValues } | { ok: false; errors: FieldErrors; values: FormValues };

/** Entries of a form as plain strings (files and passwords are not echoed back). */
export function formValues(formData: FormData): FormValues {
  const values: FormValues = {};
  for (const [key, value] of formData) {
    if (typeof value === "string" && !/password/i.test(key)) values[key] = value;
  }
  return values;
}

export function parseForm<S extends z.ZodTypeAny>(formData: FormData, schema: S): Parsed<z.infer<S>> {
  const raw: Record<string, unknown> = {};
  for (const key of new Set(formData.keys())) {
    const all = formData.getAll(key).filter((v): v is string => typeof v === "string");
    raw[key] = all.length > 1 ? all : all[0];
  }
  const values = formValues(formData);
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data, values };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join(".") || "form";
    errors[key] ??= issue.message;
  }
  return { ok: false, errors, values };
}

// A person's name: letters of any script with the marks, spaces, apostrophes,
// hyphens and periods names are written with; at most five words; nothing that
// reads as a web address. Names are repeated in the school's emails (invitations
// greet people by name), so a name field must not carry a sentence or a link.
const NAME_CHARS = /^[\p{L}\p{M}][\p{L}\p{M}'’ʼ.\- ]*$/u;
const MAX_NAME_WORDS = 5;

/** Why `name` (trimmed, not empty) is not a person's name, or null. */
export function personNameProblem(name: string, label: string): string | null {
  if (!NAME_CHARS.test(name) || /\.\p{L}{2}/u.test(name) || /[.'’ʼ\-]{2}/u.test(name)) {
    return `Enter ${label} using letters (with spaces, hyphens, apostrophes or periods where the name has them).`;
  }
  if (name.split(/\s+/).length > MAX_NAME_WORDS) return `Enter just ${label}: at most ${MAX_NAME_WORDS} words.`;
  return null;
}

// Reusable field schemas with human messages.
export const fields = {
  email: z
    .string({ required_error: "Enter an email address." })
    .trim()
    .min(1, "Enter an email address.")
    .max(254, "That email address is too long.")
    .email("Enter an email address like name@example.com.")
    .transform((v) => v.toLowerCase()),
  password: z.string({ required_error: "Enter your password." }).min(1, "Enter your password."),
  newPassword: z
    .string({ required_error: "Choose a password." })
    .min(10, "Use at least 10 characters.")
    .max(200, "Use at most 200 characters."),
  name: (label: string) =>
    z.string({ required_error: `Enter ${label}.` }).trim().min(1, `Enter ${label}.`).max(100, `Keep ${label} under 100 characters.`),
  /** A person's first or last name (see personNameProblem). */
  personName: (label: string) =>
    z
      .string({ required_error: `Enter ${label}.` })
      .trim()
      .min(1, `Enter ${label}.`)
      .max(60, `Keep ${label} under 60 characters.`)
      .superRefine((v, ctx) => {
        const problem = personNameProblem(v, label);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
};

/** A set-password form from a one-time link: the token, a new password, and the same again. */
export const setPasswordForm = z
  .object({ token: z.string().min(1), password: fields.newPassword, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The two passwords do not match." });
