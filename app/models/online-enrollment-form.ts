// The public enrollment form and the family pages' "add a child" form, kept pure
// (no database, no Remix) so they can be unit-tested: the zod schema, the flat
// field names (`children.0.firstName`) and their nesting, adding and removing a
// child block without JavaScript, and the sentences the pages and emails show.
import { z } from "zod";
import type { Formatter } from "../domain/locale";
import { isValidLocalDate } from "../domain/time";
import { scheduleSummary } from "./lesson-form";
import { fields, personNameProblem, type FieldErrors } from "../utils/forms";
import { isTimeOfDay, type TimeOfDay } from "../domain/lesson-requests";

// ---------------------------------------------------------------------------
// Lists and labels
// ---------------------------------------------------------------------------

export const SKILL_LEVELS = ["BEGINNER", "ELEMENTARY", "INTERMEDIATE", "ADVANCED", "PROFESSIONAL"] as const;
export type SkillLevelValue = (typeof SKILL_LEVELS)[number];
export const SKILL_LEVEL_LABEL: Record<SkillLevelValue, string> = {
  BEGINNER: "Beginner",
  ELEMENTARY: "Elementary",
  INTERMEDIATE: "Intermediate",
  ADVANCED: "Advanced",
  PROFESSIONAL: "Professional",
};

/** Lesson types a family can join from the public page (everything but 1-on-1 series). */
export const PUBLIC_CLASS_TYPES = ["GROUP", "ENSEMBLE", "BAND_REHEARSAL", "HYBRID"] as const;
export const CLASS_TYPE_LABEL: Record<string, string> = {
  GROUP: "Group class",
  ENSEMBLE: "Ensemble",
  BAND_REHEARSAL: "Band",
  HYBRID: "Group + 1-on-1 weeks",
};

/** How many children one form takes. */
export const MAX_CHILDREN = 8;

/** The honeypot's field name: people never see it, simple bots fill it in. */
export const HONEYPOT_FIELD = "homepage";

// ---------------------------------------------------------------------------
// Programs: "a class" or "individual lessons in <instrument>", one form value each
// ---------------------------------------------------------------------------

export type Program = { kind: "lesson"; lessonId: string } | { kind: "individual"; instrument: string };

export function programValue(program: Program): string {
  return program.kind === "lesson" ? `lesson:${program.lessonId}` : `individual:${program.instrument}`;
}

export function parseProgram(value: string | null | undefined): Program | null {
  if (!value) return null;
  const m = /^(lesson|individual):(.+)$/.exec(value);
  if (!m || !m[2]!.trim()) return null;
  return m[1] === "lesson" ? { kind: "lesson", lessonId: m[2]! } : { kind: "individual", instrument: m[2]! };
}

// ---------------------------------------------------------------------------
// Form values: what was typed, kept as strings (several for multi-valued fields)
// ---------------------------------------------------------------------------

export type FormEntries = Record<string, string | string[]>;

/** Every text entry of a form; a name sent several times (checkboxes) becomes a list. */
export function formEntries(formData: FormData): FormEntries {
  const out: FormEntries = {};
  for (const [key, value] of formData) {
    if (typeof value !== "string") continue;
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/** One value of a field (the first, if it was sent several times). */
export function entry(values: FormEntries, name: string): string {
  const v = values[name];
  return (Array.isArray(v) ? v[0] : v) ?? "";
}

/** Every value of a multi-valued field. */
export function entryList(values: FormEntries, name: string): string[] {
  const v = values[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

const CHILD_KEY = /^children\.(\d+)\.([A-Za-z]+)$/;

/** How many child blocks the values describe (at least one, at most MAX_CHILDREN). */
export function childCount(values: FormEntries): number {
  let max = 0;
  for (const key of Object.keys(values)) {
    const m = CHILD_KEY.exec(key);
    if (m) max = Math.max(max, Number(m[1]) + 1);
  }
  return Math.min(MAX_CHILDREN, Math.max(1, max));
}

/** The values with child `index` taken out and the children after it moved up one place. */
export function removeChild(values: FormEntries, index: number): FormEntries {
  const out: FormEntries = {};
  for (const [key, value] of Object.entries(values)) {
    const m = CHILD_KEY.exec(key);
    if (!m) {
      out[key] = value;
      continue;
    }
    const i = Number(m[1]);
    if (i === index) continue;
    out[i > index ? `children.${i - 1}.${m[2]}` : key] = value;
  }
  return out;
}

/** The values with one more (empty) child block, whose stable id is `uid`. */
export function addChild(values: FormEntries, uid: string, defaults: { program?: string } = {}): FormEntries {
  const n = childCount(values);
  const hasAny = Object.keys(values).some((k) => CHILD_KEY.test(k));
  const index = hasAny ? n : 0;
  if (index >= MAX_CHILDREN) return values;
  return { ...values, [`children.${index}.uid`]: uid, ...(defaults.program ? { [`children.${index}.program`]: defaults.program } : {}) };
}

/** What the intent buttons ask for: submit, add a child block, or remove child n. */
export function parseIntent(value: string | null | undefined): { kind: "submit" } | { kind: "add-child" } | { kind: "remove-child"; index: number } {
  if (value === "add-child") return { kind: "add-child" };
  const m = /^remove-child-(\d+)$/.exec(value ?? "");
  if (m) return { kind: "remove-child", index: Number(m[1]) };
  return { kind: "submit" };
}

/** "Add another child" or "Remove": the form's values after it and the block to focus; null for a submit. */
export function changeChildBlocks(
  values: FormEntries,
  intent: ReturnType<typeof parseIntent>,
  uid: string,
  defaults: { program?: string } = {},
): { values: FormEntries; focusChild?: number } | null {
  if (intent.kind === "add-child") {
    const next = addChild(values, uid, defaults);
    return { values: next, focusChild: childCount(next) - 1 };
  }
  if (intent.kind === "remove-child") return { values: childCount(values) > 1 ? removeChild(values, intent.index) : values };
  return null;
}

/** Flat names (`guardian.email`, `children.1.firstName`) into the nested shape the schema reads. */
export function nestEntries(values: FormEntries): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const children: Record<string, unknown>[] = [];
  for (const [key, value] of Object.entries(values)) {
    const child = CHILD_KEY.exec(key);
    if (child) {
      const i = Number(child[1]);
      if (i >= MAX_CHILDREN) {
        out.tooManyChildren = true;
        continue;
      }
      while (children.length <= i) children.push({});
      children[i]![child[2]!] = value;
      continue;
    }
    const dot = key.indexOf(".");
    if (dot > 0) {
      const group = key.slice(0, dot);
      const field = key.slice(dot + 1);
      const target = (out[group] ??= {}) as Record<string, unknown>;
      if (typeof target === "object") target[field] = value;
    } else {
      out[key] = value;
    }
  }
  out.children = children;
  return out;
}

// ---------------------------------------------------------------------------
// The schema
// ---------------------------------------------------------------------------

const optionalText = (max: number, label: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (Array.isArray(v) ? (v[0] ?? "") : (v ?? "")).trim())
    .refine((v) => v.length <= max, `Keep ${label} under ${max} characters.`);

const single = <T extends z.ZodTypeAny>(schema: T) => z.preprocess((v) => (Array.isArray(v) ? v[0] : v), schema);

/** An optional person's name: empty, or a name (see personNameProblem). */
const optionalName = (label: string) =>
  optionalText(60, label).superRefine((v, ctx) => {
    const problem = v ? personNameProblem(v, label) : null;
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const PHONE = /^\+?[\d\s().\-/]{6,30}$/;
export const phoneField = (label = "a phone number") =>
  z
    .string({ required_error: `Enter ${label}.` })
    .trim()
    .min(1, `Enter ${label}.`)
    .refine((v) => PHONE.test(v) && (v.match(/\d/g)?.length ?? 0) >= 6, "Enter a phone number like (212) 555-0142.");

const checkbox = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => v !== undefined && v !== "" && v !== "off");

export interface ChildOptions {
  /** The school's instruments, in the order shown. */
  instruments: readonly string[];
  /** Accepted program values (programValue(...)); "" allowed when `programOptional`. */
  programs: readonly string[];
  /** The school's local date today ("yyyy-MM-dd"): a date of birth must be before it. */
  today: string;
  /** On the family page, enrolling is optional. */
  programOptional?: boolean;
  /** The school's lesson lengths (minutes) a request for individual lessons may ask for. */
  durations?: readonly number[];
}

/** What a family asks for with individual lessons: preferred days and times (empty = any), a length, a note. */
export interface LessonRequestInput {
  days: number[];
  times: TimeOfDay[];
  durationMinutes: number | null;
  notes: string | null;
}

const stringList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => [...new Set((v === undefined ? [] : Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter(Boolean))]);

export interface ChildInput {
  firstName: string;
  /** Blank: the account holder's last name. */
  lastName: string | null;
  dateOfBirth: string;
  program: Program | null;
  /** The first is the main instrument. */
  instruments: string[];
  skillLevel: SkillLevelValue;
  parentalConsent: true;
  socialMediaConsent: boolean;
  /** Individual lessons: the family's preferences (null or absent for anything else). */
  request?: LessonRequestInput | null;
}

export function childSchema(opts: ChildOptions) {
  const instruments = new Set(opts.instruments);
  const programs = new Set(opts.programs);
  const earliest = `${Number(opts.today.slice(0, 4)) - 100}${opts.today.slice(4)}`;
  return z
    .object({
      uid: z.unknown().optional(),
      firstName: single(fields.personName("the child's first name")),
      lastName: optionalName("the last name"),
      dateOfBirth: single(
        z
          .string({ required_error: "Enter the date of birth." })
          .trim()
          .min(1, "Enter the date of birth.")
          .refine((v) => isValidLocalDate(v), "Enter the date of birth as a date, like 2016-09-02.")
          .refine((v) => !isValidLocalDate(v) || v < opts.today, "The date of birth must be in the past.")
          .refine((v) => !isValidLocalDate(v) || v >= earliest, "Check the year of the date of birth."),
      ),
      program: optionalText(300, "the choice").refine(
        (v) => (v === "" ? Boolean(opts.programOptional) : programs.has(v)),
        opts.programOptional ? "Choose a class from the list." : "Choose a class or individual lessons.",
      ),
      instrument: optionalText(100, "the instrument").refine((v) => v === "" || instruments.has(v), "Choose an instrument from the list."),
      otherInstruments: z
        .union([z.string(), z.array(z.string())])
        .optional()
        .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter(Boolean))
        .refine((list) => list.every((i) => instruments.has(i)), "Choose instruments from the list."),
      skillLevel: single(z.enum(SKILL_LEVELS, { errorMap: () => ({ message: "Choose a level." }) }).optional().default("BEGINNER")),
      parentalConsent: checkbox.refine((v) => v, "A parent or guardian's consent is needed to enroll a child."),
      socialMediaConsent: checkbox,
      days: stringList.refine((list) => list.every((d) => /^[0-6]$/.test(d)), "Choose days from the list."),
      times: stringList.refine((list) => list.every(isTimeOfDay), "Choose times of day from the list."),
      duration: optionalText(10, "the lesson length").refine((v) => v === "" || (opts.durations ?? []).some((d) => String(d) === v), "Choose a lesson length from the list."),
      requestNotes: optionalText(500, "the note"),
    })
    .transform((c): ChildInput => {
      const program = parseProgram(c.program);
      const list = [c.instrument, ...c.otherInstruments].filter(Boolean);
      // Individual lessons in X: X is the child's main instrument.
      if (program?.kind === "individual") list.unshift(program.instrument);
      return {
        firstName: c.firstName,
        lastName: c.lastName || null,
        dateOfBirth: c.dateOfBirth,
        program,
        instruments: [...new Set(list)],
        skillLevel: c.skillLevel,
        parentalConsent: true,
        socialMediaConsent: c.socialMediaConsent,
        // Only individual lessons carry preferences (the key is absent otherwise).
        ...(program?.kind === "individual"
          ? { request: { days: c.days.map(Number).sort((a, b) => a - b), times: c.times.filter(isTimeOfDay), durationMinutes: c.duration ? Number(c.duration) : null, notes: c.requestNotes || null } }
          : {}),
      };
    });
}

const contact = z.object({
  firstName: single(fields.personName("a first name")),
  lastName: single(fields.personName("a last name")),
  email: single(fields.email),
  phone: single(phoneField()),
});

export interface ContactInput {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
}

export interface EnrollmentInput {
  key: string;
  guardian: ContactInput;
  guardian2: (Omit<ContactInput, "phone"> & { phone: string | null }) | null;
  emergency: { name: string; phone: string; relation: string };
  children: ChildInput[];
}

/** The public enrollment form. */
export function enrollmentFormSchema(opts: ChildOptions) {
  return z
    .object({
      key: single(z.string({ required_error: "This form has expired. Reload the page and try again." }).min(16, "This form has expired. Reload the page and try again.").max(100)),
      guardian: z.object({}).passthrough().optional().default({}).pipe(contact),
      guardian2: z
        .object({ firstName: optionalName("the first name"), lastName: optionalName("the last name"), email: optionalText(254, "the email"), phone: optionalText(30, "the phone number") })
        .optional()
        .default({}),
      emergency: z
        .object({})
        .passthrough()
        .optional()
        .default({})
        .pipe(
          z.object({
            name: single(fields.personName("the emergency contact's name")),
            phone: single(phoneField("the emergency contact's phone number")),
            relation: single(
              z.string({ required_error: "Say who they are to the child, e.g. grandparent." }).trim().min(1, "Say who they are to the child, e.g. grandparent.").max(60, "Keep this under 60 characters."),
            ),
          }),
        ),
      children: z.array(childSchema(opts)).min(1, "Add at least one child.").max(MAX_CHILDREN, `At most ${MAX_CHILDREN} children per form.`),
      tooManyChildren: z.unknown().optional(),
    })
    .superRefine((v, ctx) => {
      if (v.tooManyChildren) ctx.addIssue({ code: "custom", path: ["children"], message: `At most ${MAX_CHILDREN} children per form.` });
      const g2 = v.guardian2;
      const any = g2.firstName || g2.lastName || g2.email || g2.phone;
      if (!any) return;
      if (!g2.firstName) ctx.addIssue({ code: "custom", path: ["guardian2", "firstName"], message: "Enter the second contact's first name, or leave all of their fields empty." });
      if (!g2.lastName) ctx.addIssue({ code: "custom", path: ["guardian2", "lastName"], message: "Enter the second contact's last name, or leave all of their fields empty." });
      const email = fields.email.safeParse(g2.email);
      if (!g2.email) ctx.addIssue({ code: "custom", path: ["guardian2", "email"], message: "Enter the second contact's email, so they can sign in too." });
      else if (!email.success) ctx.addIssue({ code: "custom", path: ["guardian2", "email"], message: email.error.issues[0]!.message });
      else if (email.data === v.guardian.email) ctx.addIssue({ code: "custom", path: ["guardian2", "email"], message: "Use a different email from the first contact's." });
      if (g2.phone && !phoneField().safeParse(g2.phone).success) ctx.addIssue({ code: "custom", path: ["guardian2", "phone"], message: "Enter a phone number like (212) 555-0142." });
    })
    .transform(
      (v): EnrollmentInput => ({
        key: v.key,
        guardian: v.guardian,
        guardian2:
          v.guardian2.firstName || v.guardian2.email
            ? { firstName: v.guardian2.firstName, lastName: v.guardian2.lastName, email: v.guardian2.email.toLowerCase(), phone: v.guardian2.phone || null }
            : null,
        emergency: v.emergency,
        children: v.children,
      }),
    );
}

export type Parsed<T> = { ok: true; data: T; values: FormEntries } | { ok: false; errors: FieldErrors; values: FormEntries };

/** Reads flat form entries with a schema over their nested shape; errors are keyed by field name. */
export function parseNested<S extends z.ZodTypeAny>(values: FormEntries, schema: S): Parsed<z.output<S>> {
  const result = schema.safeParse(nestEntries(values));
  if (result.success) return { ok: true, data: result.data, values };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join(".") || "form";
    errors[key] ??= issue.message;
  }
  return { ok: false, errors, values };
}

export function parseEnrollmentForm(values: FormEntries, opts: ChildOptions) {
  return parseNested(values, enrollmentFormSchema(opts));
}

/** The family page's "add a child" form: one child, enrolling optional. */
export function parseAddChildForm(values: FormEntries, opts: Omit<ChildOptions, "programOptional">) {
  const schema = z.object({ children: z.array(childSchema({ ...opts, programOptional: true })).length(1) });
  const parsed = parseNested(values, schema);
  return parsed.ok ? { ...parsed, data: parsed.data.children[0]! } : parsed;
}

// ---------------------------------------------------------------------------
// Sentences
// ---------------------------------------------------------------------------

/** A placeholder address for a child with no login of their own (can never receive mail). */
export function studentPlaceholderEmail(firstName: string, lastName: string, slug: string, random: string): string {
  const part = (s: string, fallback: string) =>
    s
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "")
      .slice(0, 30) || fallback;
  return `${part(firstName, "student")}.${part(lastName, "family")}.${random.toLowerCase()}@students.${slug}.invalid`;
}

/** "3 seats left", "1 seat left", "Full", or null when the class has no limit. */
export function seatsText(seatsLeft: number | null): string | null {
  if (seatsLeft === null) return null;
  if (seatsLeft <= 0) return "Full";
  return `${seatsLeft} seat${seatsLeft === 1 ? "" : "s"} left`;
}

/** "Tuesdays 4:00 PM · Studio A · 3 seats left" */
export function scheduleLine(
  lesson: { recurrence: string; startTime: Date | string; customDates?: readonly string[]; place: string | null; seatsLeft: number | null },
  fmt: Formatter,
): string {
  return [scheduleSummary(lesson, fmt, { length: false }), lesson.place, seatsText(lesson.seatsLeft)].filter(Boolean).join(" · ");
}

/** Where a class meets: "Studio A" (one location), "Studio A, Brooklyn Branch" (several), "Online". */
export function placeText(room: string | null | undefined, location: string | null | undefined, severalLocations: boolean): string {
  if (!room && !location) return "Online";
  if (room && location && severalLocations) return `${room}, ${location}`;
  return room ?? location ?? "Online";
}

export type ChildOutcome = "ACTIVE" | "PENDING" | "WAITLISTED" | "REQUESTED" | "NONE";

/** What happens next for one child, as the success page and the email say it. */
export function outcomeSentence(name: string, outcome: ChildOutcome, program: string): string {
  switch (outcome) {
    case "ACTIVE":
      return `${name} is enrolled in ${program}.`;
    case "PENDING":
      return `${name}'s place in ${program} is waiting for the school's approval. We will email you when it is confirmed.`;
    case "WAITLISTED":
      return `${program} is full, so ${name} is on the waitlist. We will email you as soon as a seat frees up.`;
    case "REQUESTED":
      return `The school will contact you to arrange ${program.charAt(0).toLowerCase()}${program.slice(1)} for ${name}.`;
    case "NONE":
      return `${name} is registered with the school.`;
  }
}

export const OUTCOME_LABEL: Record<ChildOutcome, string> = {
  ACTIVE: "Enrolled",
  PENDING: "Waiting for approval",
  WAITLISTED: "On the waitlist",
  REQUESTED: "Request sent",
  NONE: "Registered",
};

// ---------------------------------------------------------------------------
// The admin's "add a family" form (/admin/students/new)
// ---------------------------------------------------------------------------

/** A family an admin adds by hand: a new one (contacts typed in) or children for an existing one. */
export type AdminFamilyInput =
  | {
      mode: "new";
      guardian: Omit<ContactInput, "phone"> & { phone: string | null };
      guardian2: (Omit<ContactInput, "phone"> & { phone: string | null }) | null;
      emergency: { name: string; phone: string; relation: string } | null;
      /** Email the contacts an invitation to set a password now (else later, from People). */
      invite: boolean;
      children: ChildInput[];
    }
  | { mode: "existing"; familyId: string; children: ChildInput[] };

const optionalPhone = (label: string) =>
  optionalText(30, label).refine((v) => v === "" || phoneField().safeParse(v).success, "Enter a phone number like (212) 555-0142.");

type AdminFamilyOptions = Omit<ChildOptions, "programOptional"> & { familyIds: readonly string[] };
type AdminFamilyContacts = Omit<Extract<AdminFamilyInput, { mode: "new" }>, "children">;

/**
 * The family part of the admin's form. The office knows less than a family typing its
 * own form: phones and the emergency contact are optional (all of the emergency
 * contact or none). `familyIds`: the families an existing-family entry may name.
 */
function adminFamilyContactsSchema(opts: AdminFamilyOptions) {
  const families = new Set(opts.familyIds);
  const person = (who: string) =>
    z.object({ firstName: optionalName(`${who}'s first name`), lastName: optionalName(`${who}'s last name`), email: optionalText(254, `${who}'s email`), phone: optionalPhone(`${who}'s phone number`) });
  return z
    .object({
      mode: single(z.enum(["new", "existing"], { errorMap: () => ({ message: "Choose a new or an existing family." }) }).optional().default("new")),
      familyId: optionalText(100, "the family"),
      guardian: person("the contact").optional().default({}),
      guardian2: person("the second contact").optional().default({}),
      emergency: z.object({ name: optionalName("the emergency contact's name"), phone: optionalPhone("the emergency contact's phone number"), relation: optionalText(60, "the relation") }).optional().default({}),
      invite: checkbox,
    })
    .superRefine((v, ctx) => {
      if (v.mode === "existing") {
        if (!v.familyId) ctx.addIssue({ code: "custom", path: ["familyId"], message: "Choose the family." });
        else if (!families.has(v.familyId)) ctx.addIssue({ code: "custom", path: ["familyId"], message: "Choose a family from the list." });
        return;
      }
      const required = (group: "guardian" | "guardian2", field: "firstName" | "lastName" | "email", message: string) => {
        if (!v[group][field]) ctx.addIssue({ code: "custom", path: [group, field], message });
      };
      required("guardian", "firstName", "Enter the contact's first name.");
      required("guardian", "lastName", "Enter the contact's last name.");
      required("guardian", "email", "Enter the contact's email: it is how they sign in.");
      const emailOf = (group: "guardian" | "guardian2") => {
        if (!v[group].email) return;
        const email = fields.email.safeParse(v[group].email);
        if (!email.success) ctx.addIssue({ code: "custom", path: [group, "email"], message: email.error.issues[0]!.message });
      };
      emailOf("guardian");
      const g2 = v.guardian2;
      if (g2.firstName || g2.lastName || g2.email || g2.phone) {
        required("guardian2", "firstName", "Enter the second contact's first name, or leave all of their fields empty.");
        required("guardian2", "lastName", "Enter the second contact's last name, or leave all of their fields empty.");
        required("guardian2", "email", "Enter the second contact's email, or leave all of their fields empty.");
        emailOf("guardian2");
        if (g2.email && g2.email.toLowerCase() === v.guardian.email.toLowerCase()) ctx.addIssue({ code: "custom", path: ["guardian2", "email"], message: "Use a different email from the first contact's." });
      }
      const e = v.emergency;
      if (e.name || e.phone || e.relation) {
        if (!e.name) ctx.addIssue({ code: "custom", path: ["emergency", "name"], message: "Enter the emergency contact's name, or leave all three empty." });
        if (!e.phone) ctx.addIssue({ code: "custom", path: ["emergency", "phone"], message: "Enter the emergency contact's phone number, or leave all three empty." });
        if (!e.relation) ctx.addIssue({ code: "custom", path: ["emergency", "relation"], message: "Say who they are to the child, or leave all three empty." });
      }
    })
    .transform((v): { mode: "existing"; familyId: string } | AdminFamilyContacts => {
      if (v.mode === "existing") return { mode: "existing", familyId: v.familyId };
      const contact = (c: { firstName: string; lastName: string; email: string; phone: string }) => ({ firstName: c.firstName, lastName: c.lastName, email: c.email.toLowerCase(), phone: c.phone || null });
      return {
        mode: "new",
        guardian: contact(v.guardian),
        guardian2: v.guardian2.email ? contact(v.guardian2) : null,
        emergency: v.emergency.name ? v.emergency : null,
        invite: v.invite,
      };
    });
}

function adminChildrenSchema(opts: AdminFamilyOptions) {
  return z
    .object({
      children: z.array(childSchema({ ...opts, programOptional: true })).min(1, "Add at least one child.").max(MAX_CHILDREN, `At most ${MAX_CHILDREN} children per form.`),
      tooManyChildren: z.unknown().optional(),
    })
    .superRefine((v, ctx) => {
      if (v.tooManyChildren) ctx.addIssue({ code: "custom", path: ["children"], message: `At most ${MAX_CHILDREN} children per form.` });
    });
}

/**
 * The admin's "add students" form. The family part and the children are checked
 * apart, so one wrong part never hides the other's messages.
 */
export function parseAdminFamilyForm(values: FormEntries, opts: AdminFamilyOptions): Parsed<AdminFamilyInput> {
  const family = parseNested(values, adminFamilyContactsSchema(opts));
  const children = parseNested(values, adminChildrenSchema(opts));
  if (!family.ok || !children.ok) return { ok: false, errors: { ...(family.ok ? {} : family.errors), ...(children.ok ? {} : children.errors) }, values };
  return { ok: true, data: { ...family.data, children: children.data.children } as AdminFamilyInput, values };
}
