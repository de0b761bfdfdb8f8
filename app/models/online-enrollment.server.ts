// Online enrollment: a new family signs up from the public page. One transaction
// creates the family group, the account holder (a parent with no password yet),
// an optional second guardian, the children (student accounts and profiles), their
// enrollments (through enrollStudent, which locks each class's row), the
// registration fee as an amount owed, and the emails. The form's one-time key is
// inserted first, so a double click or a resubmission returns the first result
// instead of creating a second family.
import type { Tx } from "../../server/db/school-db.server";
import { FormRefusal } from "../utils/forms";
import type { Mailer } from "../../server/services/email.server";
import { createUserToken } from "../utils/auth.server";
import { randomToken } from "../utils/tokens.server";
import { enrollStudent, EnrollmentError } from "./enrollment.server";
import { enrollmentPolicy, forgetLandingPage, instrumentNames, publicClasses, type PublicClass } from "./landing.server";
import {
  OUTCOME_LABEL,
  outcomeSentence,
  programValue,
  studentPlaceholderEmail,
  type ChildInput,
  type ChildOutcome,
  type EnrollmentInput,
  type LessonRequestInput,
  type Program,
} from "./online-enrollment-form";
import { fromDecimalString } from "../domain/money";
import { issueFeeInvoice } from "./billing-admin.server";
import { createLessonRequest } from "./lesson-requests.server";
import { escapeHtml } from "./people.server";
import { isUniqueViolation } from "./sql.server";
import { formatterFor, type Formatter } from "../utils/format";

/** A refusal the form shows; `field` names the input it is about, if any. */
export class OnlineEnrollmentError extends FormRefusal {}

export const FORM_KIND = "online-enrollment";

export interface EnrollmentDeps {
  mailer: Mailer;
  /** The school's own address, where links must lead. */
  origin: string;
  school: { name: string; slug: string; email: string; locale: string; timezone: string; currency: string };
  now: Date;
}

export interface ChildResult {
  studentId: string;
  name: string;
  /** "Guitar Group" or "Individual lessons in Piano" (or null: not enrolling). */
  program: string | null;
  lessonId: string | null;
  enrollmentId: string | null;
  outcome: ChildOutcome;
}

export interface EnrollmentResult {
  familyGroupId: string;
  familyName: string;
  accountEmail: string;
  children: ChildResult[];
  /** The registration fee, issued as an invoice the family pays from its billing page. */
  registrationFee: { invoiceId: string; amount: string; currency: string } | null;
  /** True when this is the stored result of an earlier submission of the same form. */
  replayed?: boolean;
  existingAccount?: false;
}

/**
 * The form named an address that already has an account: nothing was created, and
 * the account's holder was emailed instead. The visitor is answered exactly as for
 * a new family, so the form tells nobody which addresses have accounts.
 */
export interface ExistingAccountResult {
  existingAccount: true;
  accountEmail: string;
  replayed?: boolean;
}

export type SubmissionResult = EnrollmentResult | ExistingAccountResult;

// ---- what the form offers -----------------------------------------------------------

export interface EnrollmentOptions {
  classes: PublicClass[];
  instruments: string[];
  /** Accepted program values for the schema. */
  programs: string[];
}

export async function enrollmentOptions(tx: Tx, fmt: Formatter, now: Date): Promise<EnrollmentOptions> {
  const classes = await publicClasses(tx, fmt, now);
  const instruments = await instrumentNames(tx);
  return {
    classes,
    instruments,
    programs: [
      ...classes.map((c) => programValue({ kind: "lesson", lessonId: c.id })),
      ...instruments.map((i) => programValue({ kind: "individual", instrument: i })),
    ],
  };
}

export function programLabel(program: Program, lessonTitle?: string | null): string {
  return program.kind === "individual" ? `Individual lessons in ${program.instrument}` : (lessonTitle ?? "the class");
}

// ---- a new family (shared with the admin's "Add students") ---------------------------

export interface NewGuardian {
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
}

/** A parent or guardian with no password yet: a PARENT user, in the family group once there is one. */
async function createGuardian(tx: Tx, familyGroupId: string | null, guardian: NewGuardian) {
  return tx.user.create({
    data: { email: guardian.email, firstName: guardian.firstName, lastName: guardian.lastName, phone: guardian.phone, role: "PARENT", familyGroupId },
    select: { id: true, email: true },
  });
}

/**
 * A new family: its account holder, the family group named after them, and the
 * second guardian if any, both without a password (the caller invites them). The
 * caller has checked that their addresses have no account yet.
 */
export async function createFamily(
  tx: Tx,
  input: { guardian: NewGuardian; guardian2: NewGuardian | null; emergency: { name: string | null; phone: string | null; relation: string | null } },
) {
  const { guardian, emergency } = input;
  const parent = await createGuardian(tx, null, guardian);
  const name = `${guardian.lastName} family`;
  const family = await tx.familyGroup.create({
    data: {
      name,
      adminId: parent.id,
      billingEmail: guardian.email,
      emergencyContactName: emergency.name,
      emergencyContactPhone: emergency.phone,
      emergencyContactRelation: emergency.relation,
    },
    select: { id: true },
  });
  await tx.user.update({ where: { id: parent.id }, data: { familyGroupId: family.id } });
  const second = input.guardian2 ? await createGuardian(tx, family.id, input.guardian2) : null;
  return { id: family.id, name, parent, second };
}

// ---- children (shared with the family pages) ----------------------------------------

export interface NewChild {
  familyGroupId: string;
  child: ChildInput;
  /** Used when the child's last name is blank. */
  familyLastName: string;
  parent: { name: string; email: string; phone: string | null };
  emergency: { name: string | null; phone: string | null; relation: string | null };
  slug: string;
}

/** A child without a login of their own: a STUDENT user (placeholder address) and their profile. */
export async function createChild(tx: Tx, input: NewChild) {
  const { child } = input;
  const lastName = child.lastName ?? input.familyLastName;
  const user = await tx.user.create({
    data: {
      email: studentPlaceholderEmail(child.firstName, lastName, input.slug, randomToken().slice(0, 8)),
      firstName: child.firstName,
      lastName,
      role: "STUDENT",
      familyGroupId: input.familyGroupId,
    },
    select: { id: true },
  });
  const [main, ...others] = child.instruments;
  const student = await tx.student.create({
    data: {
      userId: user.id,
      parentName: input.parent.name,
      parentEmail: input.parent.email,
      parentPhone: input.parent.phone,
      dateOfBirth: new Date(`${child.dateOfBirth}T00:00:00Z`),
      instrument: main ?? null,
      secondaryInstruments: others,
      skillLevel: child.skillLevel,
      emergencyContactName: input.emergency.name,
      emergencyContactPhone: input.emergency.phone,
      emergencyContactRelation: input.emergency.relation,
      parentalConsent: child.parentalConsent,
      socialMediaConsent: child.socialMediaConsent,
    },
    select: { id: true },
  });
  return { studentId: student.id, userId: user.id, name: `${child.firstName} ${lastName}` };
}

/**
 * Enrolls a new child in what was chosen. A class: through enrollStudent (PENDING
 * when the school approves each place, WAITLISTED when full, else ACTIVE), only
 * classes offered online. Individual lessons: no enrollment, the school arranges them.
 */
export async function enrollChild(
  tx: Tx,
  input: { studentId: string; program: Program | null; requireApproval: boolean; notes?: string | null; now: Date; request?: LessonRequestInput | null },
): Promise<{ outcome: ChildOutcome; lessonId: string | null; enrollmentId: string | null; program: string | null }> {
  const { program } = input;
  if (!program) return { outcome: "NONE", lessonId: null, enrollmentId: null, program: null };
  if (program.kind === "individual") {
    await createLessonRequest(tx, { studentId: input.studentId, instrument: program.instrument, preferences: input.request ?? null });
    return { outcome: "REQUESTED", lessonId: null, enrollmentId: null, program: programLabel(program) };
  }
  const now = input.now;
  const offered = await tx.lesson.findFirst({
    where: {
      id: program.lessonId,
      type: { in: ["GROUP", "ENSEMBLE", "BAND_REHEARSAL", "HYBRID"] },
      status: "SCHEDULED",
      occurrences: { some: { kind: "LESSON", status: "SCHEDULED", startsAt: { gte: now } } },
    },
    select: { id: true, title: true },
  });
  if (!offered) throw new OnlineEnrollmentError("That class is no longer taking enrollments. Please choose another.", null, 409);
  try {
    const r = await enrollStudent(tx, { lessonId: offered.id, studentId: input.studentId, requireApproval: input.requireApproval, waitlist: true, notes: input.notes ?? null, now: input.now });
    if (r.outcome === "FULL") throw new OnlineEnrollmentError(`${r.lessonTitle} is full.`);
    return { outcome: r.outcome, lessonId: offered.id, enrollmentId: r.enrollmentId, program: r.lessonTitle };
  } catch (error) {
    if (error instanceof EnrollmentError) throw new OnlineEnrollmentError(error.message);
    throw error;
  }
}

// ---- the enrollment itself ----------------------------------------------------------

async function storedResult(tx: Tx, key: string): Promise<SubmissionResult | null> {
  const row = await tx.formSubmission.findFirst({ where: { key }, select: { kind: true, result: true } });
  if (!row) return null;
  const existing = row.result as { existingAccount?: unknown; accountEmail?: unknown } | null;
  if (row.kind === FORM_KIND && existing?.existingAccount === true && typeof existing.accountEmail === "string") {
    return { existingAccount: true, accountEmail: existing.accountEmail, replayed: true };
  }
  const result = row.result as Partial<EnrollmentResult> | null;
  // A key used by another form (or one whose result was not kept) is spent.
  if (row.kind !== FORM_KIND || !result || !Array.isArray(result.children) || !result.familyGroupId) {
    throw new OnlineEnrollmentError("This form has already been sent. Reload the page to start a new one.", "key");
  }
  return { ...(result as EnrollmentResult), replayed: true };
}

/**
 * Creates the whole family in the caller's transaction. Resubmitting the same key
 * returns the stored result. Throws OnlineEnrollmentError for what the family can
 * fix (nothing is written then: the transaction rolls back).
 */
export async function enrollOnline(tx: Tx, deps: EnrollmentDeps, input: EnrollmentInput): Promise<SubmissionResult> {
  const earlier = await storedResult(tx, input.key);
  if (earlier) return earlier;
  // Claims the key; a concurrent submission of the same key waits here, then fails
  // on the unique index once this one commits (see submitOnlineEnrollment).
  const submission = await tx.formSubmission.create({ data: { key: input.key, kind: FORM_KIND }, select: { id: true } });

  const policy = await enrollmentPolicy(tx);
  if (policy.status !== "ACTIVE") throw new OnlineEnrollmentError("Online enrollment is closed at the moment. Please contact the school.", null, 403);

  const { guardian, emergency } = input;
  const taken = await tx.user.findMany({
    where: { email: { in: [guardian.email, ...(input.guardian2 ? [input.guardian2.email] : [])] } },
    select: { email: true, firstName: true, role: true },
  });
  // An address with an account is never told apart on the page: its holder is emailed instead.
  const holder = taken.find((u) => u.email === guardian.email);
  if (holder) {
    await deps.mailer.send(tx, existingAccountEmail(deps, holder));
    await deps.mailer.send(tx, schoolExistingAccountEmail(deps, guardian.email));
    const result: ExistingAccountResult = { existingAccount: true, accountEmail: guardian.email };
    await tx.formSubmission.update({ where: { id: submission.id }, data: { result: { ...result } } });
    return result;
  }
  // A second contact who has an account is not added (nor told apart): they are emailed.
  const secondHolder = input.guardian2 ? taken.find((u) => u.email === input.guardian2!.email) : undefined;
  const guardian2 = secondHolder ? null : input.guardian2;

  const family = await createFamily(tx, { guardian, guardian2, emergency });
  const { name: familyName, parent, second } = family;

  const children: ChildResult[] = [];
  for (const child of input.children) {
    const created = await createChild(tx, {
      familyGroupId: family.id,
      child,
      familyLastName: guardian.lastName,
      parent: { name: `${guardian.firstName} ${guardian.lastName}`, email: guardian.email, phone: guardian.phone },
      emergency,
      slug: deps.school.slug,
    });
    const enrolled = await enrollChild(tx, { studentId: created.studentId, program: child.program, requireApproval: policy.requireApproval, notes: "Online enrollment", now: deps.now, request: child.request });
    children.push({ studentId: created.studentId, name: created.name, ...enrolled });
  }

  const feeMinor = policy.registrationFee ? fromDecimalString(policy.registrationFee, policy.currency).amountMinor : 0;
  const fee =
    feeMinor > 0
      ? await issueFeeInvoice(tx, { familyGroupId: family.id, invoiceKey: `registration:${family.id}`, description: "Registration fee", amountMinor: feeMinor, now: deps.now })
      : null;

  const result: EnrollmentResult = {
    familyGroupId: family.id,
    familyName,
    accountEmail: guardian.email,
    children,
    registrationFee: fee && policy.registrationFee ? { invoiceId: fee, amount: policy.registrationFee, currency: policy.currency } : null,
  };

  // Emails (the outbox rows commit with everything else, or not at all).
  const token = await createUserToken(tx, parent.id, "INVITATION");
  await deps.mailer.send(tx, confirmationEmail(deps, result, guardian.firstName, `${deps.origin}/set-password?token=${token}`));
  if (second && guardian2) {
    const token2 = await createUserToken(tx, second.id, "INVITATION");
    await deps.mailer.send(tx, secondGuardianEmail(deps, { firstName: guardian2.firstName, email: guardian2.email, invitedBy: `${guardian.firstName} ${guardian.lastName}`, familyName }, `${deps.origin}/set-password?token=${token2}`));
  }
  if (secondHolder) await deps.mailer.send(tx, namedAsSecondContactEmail(deps, secondHolder, { invitedBy: `${guardian.firstName} ${guardian.lastName}`, familyName }));
  await deps.mailer.send(tx, schoolEmail(deps, result, input));

  await tx.formSubmission.update({ where: { id: submission.id }, data: { result: JSON.parse(JSON.stringify(result)) } });
  return result;
}

/**
 * Runs enrollOnline in a transaction of its own. When the same form was submitted
 * twice at once, the second transaction fails on the key's unique index after the
 * first commits: it then reads and returns the first result.
 */
export async function submitOnlineEnrollment(
  db: { readonly schoolId: string; run<T>(work: (tx: Tx) => Promise<T>, opts?: { timeout?: number }): Promise<T> },
  deps: EnrollmentDeps,
  input: EnrollmentInput,
): Promise<SubmissionResult> {
  try {
    const result = await db.run((tx) => enrollOnline(tx, deps, input), { timeout: 30_000 });
    forgetLandingPage(db.schoolId); // seats were taken
    return result;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const earlier = await db.run((tx) => storedResult(tx, input.key));
    if (earlier) return earlier;
    // Another form for the same address (or second contact) won the race: this
    // one now finds the account, and is answered as any such form is.
    return db.run((tx) => enrollOnline(tx, deps, input), { timeout: 30_000 });
  }
}

// ---- emails -----------------------------------------------------------------------------

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

function childLines(result: EnrollmentResult) {
  return result.children.map((c) => outcomeSentence(c.name.split(" ")[0]!, c.outcome, c.program ?? "the school"));
}

function confirmationEmail(deps: EnrollmentDeps, result: EnrollmentResult, firstName: string, link: string) {
  const lines = childLines(result);
  const fee = result.registrationFee
    ? `A registration fee of ${formatterFor(deps.school).money(result.registrationFee.amount, result.registrationFee.currency)} is due; once you have set your password, you can pay it by card on your family's billing page.`
    : null;
  const text = [
    `Hello ${firstName},`,
    "",
    `Thank you for enrolling with ${deps.school.name}. Here is what happens next:`,
    ...lines.map((l) => `- ${l}`),
    ...(fee ? ["", fee] : []),
    "",
    "Set a password for your family account here (the link works for 7 days):",
    link,
    "",
    `Your family page shows your children's lessons. Questions? Write to ${deps.school.email}.`,
  ].join("\n");
  const html =
    `<p>Hello ${escapeHtml(firstName)},</p><p>Thank you for enrolling with ${escapeHtml(deps.school.name)}. Here is what happens next:</p>` +
    `<ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join("")}</ul>` +
    (fee ? `<p>${escapeHtml(fee)}</p>` : "") +
    `<p><a href="${link}">Set a password for your family account</a> (the link works for 7 days).</p>`;
  return { to: result.accountEmail, subject: `Welcome to ${deps.school.name}: your enrollment`, text, html, secrets: [link] };
}

function secondGuardianEmail(deps: EnrollmentDeps, who: { firstName: string; email: string; invitedBy: string; familyName: string }, link: string) {
  const text = `Hello ${who.firstName},\n\n${who.invitedBy} has added you to the ${who.familyName} at ${deps.school.name} on Encore.\n\nSet your password here (the link works for 7 days):\n${link}\n`;
  const html = `<p>Hello ${escapeHtml(who.firstName)},</p><p>${escapeHtml(who.invitedBy)} has added you to the ${escapeHtml(who.familyName)} at ${escapeHtml(deps.school.name)} on Encore.</p><p><a href="${link}">Set your password</a> (the link works for 7 days).</p>`;
  return { to: who.email, subject: `Your invitation to ${deps.school.name}`, text, html, secrets: [link] };
}

/** To the holder of an account whose address a visitor typed into the form. */
function existingAccountEmail(deps: EnrollmentDeps, holder: { email: string; firstName: string; role: string }) {
  const next =
    holder.role === "PARENT"
      ? `If it was you: sign in at ${deps.origin}/login and add your children from your family page (${deps.origin}/family/children). Forgot your password? Choose a new one at ${deps.origin}/forgot-password.`
      : `If it was you and you meant to enroll children, please write to ${deps.school.email}: your account here is not a family account.`;
  const text = [
    `Hello ${holder.firstName},`,
    "",
    `Someone has just sent ${deps.school.name}'s online enrollment form with your email address. You already have an account here, so nothing was created or changed.`,
    "",
    next,
    "",
    "If it was not you, you can ignore this email.",
  ].join("\n");
  return { to: holder.email, subject: `About the enrollment form sent with your email at ${deps.school.name}`, text };
}

/** To the school's office: a form named an address that has an account. */
function schoolExistingAccountEmail(deps: EnrollmentDeps, email: string) {
  return {
    to: deps.school.email,
    subject: "Online enrollment form for an existing account",
    text: `The online enrollment form was sent with ${email}, which already has an account. Nothing was created; the account's holder was emailed how to add children from their family page.`,
  };
}

/** To the holder of an account named as a family's second contact: they are not added. */
function namedAsSecondContactEmail(deps: EnrollmentDeps, holder: { email: string; firstName: string }, family: { invitedBy: string; familyName: string }) {
  const text = `Hello ${holder.firstName},\n\n${family.invitedBy} has enrolled with ${deps.school.name} and named you as a second contact of the ${family.familyName}. You already have an account here, so it was not changed or added to that family.\n\nIf you should be part of it, please write to ${deps.school.email}. If you do not know about this, you can ignore this email.`;
  return { to: holder.email, subject: `You were named as a family contact at ${deps.school.name}`, text };
}

function schoolEmail(deps: EnrollmentDeps, result: EnrollmentResult, input: EnrollmentInput) {
  const g = input.guardian;
  const toArrange = result.children.filter((c) => c.outcome === "REQUESTED");
  const text = [
    `A new family enrolled online: the ${result.familyName}.`,
    "",
    `Contact: ${g.firstName} ${g.lastName}, ${g.email}, ${g.phone}`,
    ...(input.guardian2 ? [`Second contact: ${input.guardian2.firstName} ${input.guardian2.lastName}, ${input.guardian2.email}${input.guardian2.phone ? `, ${input.guardian2.phone}` : ""}`] : []),
    `Emergency contact: ${input.emergency.name} (${input.emergency.relation}), ${input.emergency.phone}`,
    "",
    ...result.children.map((c) => `- ${c.name}: ${c.program ?? "no class chosen"} — ${c.outcome === "REQUESTED" ? "to arrange" : OUTCOME_LABEL[c.outcome].toLowerCase()}`),
    ...(toArrange.length ? ["", `Please contact the family to arrange ${toArrange.map((c) => `${lowerFirst(c.program ?? "lessons")} for ${c.name}`).join(" and ")}.`] : []),
    ...(result.registrationFee ? ["", `Registration fee owed: ${formatterFor(deps.school).money(result.registrationFee.amount, result.registrationFee.currency)}.`] : []),
  ].join("\n");
  return { to: deps.school.email, subject: `New online enrollment: ${result.familyName}${toArrange.length ? " (individual lessons to arrange)" : ""}`, text };
}
