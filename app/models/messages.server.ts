// School messages: an admin emails the families of a lesson, of a teacher, of a
// location or of the whole school; a teacher the families of their own lessons.
// Sending files the Message (the history), its recipients, and one outbox email per
// address, all in the caller's transaction: the delivery job sends them (or, with
// no email service, the outbox row is the delivery).
import type { AppLoadContext } from "@remix-run/node";
import { data } from "@remix-run/node";
import type { Tx } from "../../server/db/school-db.server";
import type { Mailer } from "../../server/services/email.server";
import { audienceLabel, honoursMessagePreference, messageEmail, uniqueRecipients, type MessageAudienceKind } from "../domain/messages";
import { requireSchool } from "../utils/auth.server";
import { parseForm } from "../utils/forms";
import { checkRateLimit } from "../utils/rate-limit.server";
import { messageSchema, type ComposeResult } from "./message-form";
import { familyAddresses } from "./notify.server";

export class MessageError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 = 400,
  ) {
    super(message);
  }
}

export interface Audience {
  kind: MessageAudienceKind;
  /** The lesson, teacher or location; ignored for SCHOOL. */
  id: string | null;
}

const ENROLLED = { status: "ACTIVE" } as const;

/** What a sender may choose from: a teacher only their own lessons. */
export async function audienceChoices(tx: Tx, opts: { teacherId?: string } = {}) {
  const lessons = await tx.lesson.findMany({
    where: { status: { in: ["SCHEDULED", "IN_PROGRESS"] }, ...(opts.teacherId ? { instructorId: opts.teacherId } : {}) },
    orderBy: [{ title: "asc" }],
    select: { id: true, title: true, instructor: { select: { firstName: true, lastName: true } }, _count: { select: { enrollments: { where: ENROLLED } } } },
  });
  const lessonOptions = lessons.map((l) => ({
    value: l.id,
    label: `${l.title} (${l.instructor.firstName} ${l.instructor.lastName}, ${l._count.enrollments} ${l._count.enrollments === 1 ? "student" : "students"})`,
  }));
  if (opts.teacherId) return { lessons: lessonOptions, teachers: [], locations: [] };
  const teachers = await tx.user.findMany({
    where: { role: "TEACHER", deactivatedAt: null },
    orderBy: [{ lastName: "asc" }, { firstName: "asc" }],
    select: { id: true, firstName: true, lastName: true },
  });
  const locations = await tx.location.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } });
  return {
    lessons: lessonOptions,
    teachers: teachers.map((t) => ({ value: t.id, label: `${t.firstName} ${t.lastName}` })),
    locations: locations.map((l) => ({ value: l.id, label: l.name })),
  };
}

/** The audience's students (active enrollments, or every active student for the whole school) and its name. */
export async function resolveAudience(tx: Tx, audience: Audience, opts: { teacherId?: string } = {}): Promise<{ label: string; studentIds: string[] }> {
  const activeStudent = { user: { deactivatedAt: null } } as const;
  const studentsOf = async (lessonWhere: object) =>
    (
      await tx.student.findMany({
        where: { ...activeStudent, enrollments: { some: { ...ENROLLED, lesson: lessonWhere } } },
        select: { id: true },
      })
    ).map((s) => s.id);
  if (opts.teacherId && audience.kind !== "LESSON") throw new MessageError("Teachers can message the families of their own lessons only.", 400);
  switch (audience.kind) {
    case "LESSON": {
      const lesson = audience.id ? await tx.lesson.findUnique({ where: { id: audience.id }, select: { id: true, title: true, instructorId: true } }) : null;
      if (!lesson || (opts.teacherId && lesson.instructorId !== opts.teacherId)) throw new MessageError("That lesson was not found. Choose one from the list.", 404);
      return { label: audienceLabel("LESSON", lesson.title), studentIds: await studentsOf({ id: lesson.id }) };
    }
    case "TEACHER": {
      const teacher = audience.id ? await tx.user.findFirst({ where: { id: audience.id, role: "TEACHER" }, select: { id: true, firstName: true, lastName: true } }) : null;
      if (!teacher) throw new MessageError("That teacher was not found. Choose one from the list.", 404);
      return { label: audienceLabel("TEACHER", `${teacher.firstName} ${teacher.lastName}`), studentIds: await studentsOf({ instructorId: teacher.id }) };
    }
    case "LOCATION": {
      const location = audience.id ? await tx.location.findUnique({ where: { id: audience.id }, select: { id: true, name: true } }) : null;
      if (!location) throw new MessageError("That location was not found. Choose one from the list.", 404);
      return { label: audienceLabel("LOCATION", location.name), studentIds: await studentsOf({ locationId: location.id }) };
    }
    case "SCHOOL":
      return { label: audienceLabel("SCHOOL", null), studentIds: (await tx.student.findMany({ where: activeStudent, select: { id: true } })).map((s) => s.id) };
  }
}

/** The addresses a message to this audience goes to, once each, honouring the "school messages" choice where it applies. */
export async function audienceRecipients(tx: Tx, audience: Audience, opts: { teacherId?: string } = {}) {
  const { label, studentIds } = await resolveAudience(tx, audience, opts);
  const addresses = await familyAddresses(tx, studentIds, { schoolMessages: honoursMessagePreference(audience.kind) });
  return { label, recipients: uniqueRecipients([...addresses.values()].flat()) };
}

export interface SendMessageInput {
  sender: { id: string; name: string };
  /** Set when a teacher sends: only their own lessons. */
  teacherId?: string;
  audience: Audience;
  subject: string;
  body: string;
  school: { name: string; brandColor: string | null; logoUrl: string | null; email: string };
  preferencesUrl: string;
  now: Date;
}

/** Files the message, its recipients and one email each. Refuses an audience nobody would receive. */
export async function sendMessage(tx: Tx, mailer: Mailer, input: SendMessageInput) {
  const { label, recipients } = await audienceRecipients(tx, input.audience, { teacherId: input.teacherId });
  if (recipients.length === 0) {
    throw new MessageError(
      input.audience.kind === "LESSON"
        ? "Nobody would receive this message: the lesson has no enrolled students with a family email."
        : "Nobody would receive this message: no family in this audience has an email address that accepts school messages.",
    );
  }
  const message = await tx.message.create({
    data: {
      sentById: input.sender.id,
      audience: input.audience.kind,
      audienceId: input.audience.kind === "SCHOOL" ? null : input.audience.id,
      audienceLabel: label,
      subject: input.subject,
      body: input.body,
      recipientCount: recipients.length,
      createdAt: input.now,
    },
    select: { id: true },
  });
  await tx.messageRecipient.createMany({ data: recipients.map((email) => ({ messageId: message.id, email })) });
  const email = messageEmail({
    school: input.school,
    senderName: input.sender.name,
    audienceLabel: label,
    subject: input.subject,
    body: input.body,
    preferencesUrl: honoursMessagePreference(input.audience.kind) ? input.preferencesUrl : null,
  });
  for (const to of recipients) await mailer.send(tx, { to, ...email });
  return { id: message.id, label, recipientCount: recipients.length };
}

/**
 * The send action of /admin/messages and /teach/messages, for the signed-in `sender`
 * (a teacher passes `teacherId`: their own lessons only). Answers the compose form:
 * the sentence on success; else the errors with what was typed (400 bad input, 429
 * too many messages in the hour, a MessageError's status: 404 on the "To" field).
 */
export async function sendMessageAction(context: AppLoadContext, formData: FormData, sender: { id: string; firstName: string; lastName: string }, opts: { teacherId?: string } = {}) {
  const { db, school } = requireSchool(context);
  const parsed = parseForm(formData, messageSchema);
  if (!parsed.ok) return data<ComposeResult>({ ok: false, message: null, errors: parsed.errors, values: parsed.values }, { status: 400 });
  const limited = await checkRateLimit(context, "message:account", [sender.id]);
  if (limited) return data<ComposeResult>({ ok: false, message: null, errors: { form: limited }, values: parsed.values }, { status: 429 });
  try {
    const sent = await db.run((tx) =>
      sendMessage(tx, context.mailer, {
        sender: { id: sender.id, name: `${sender.firstName} ${sender.lastName}` },
        teacherId: opts.teacherId,
        audience: parsed.data.to,
        subject: parsed.data.subject,
        body: parsed.data.body,
        school: schoolForEmail(school, context.links.origin),
        preferencesUrl: `${context.links.origin}/account/notifications`,
        now: context.clock.now(),
      }),
    );
    return data<ComposeResult>({ ok: true, message: `Sent “${parsed.data.subject}” to ${sent.recipientCount} ${sent.recipientCount === 1 ? "address" : "addresses"} (${sent.label}).`, errors: {}, values: {} });
  } catch (error) {
    if (error instanceof MessageError) return data<ComposeResult>({ ok: false, message: null, errors: { [error.status === 404 ? "to" : "form"]: error.message }, values: parsed.values }, { status: error.status });
    throw error;
  }
}

/** Sent messages, newest first; a teacher sees only their own. */
export async function listMessages(tx: Tx, opts: { sentById?: string; take?: number } = {}) {
  return tx.message.findMany({
    where: opts.sentById ? { sentById: opts.sentById } : {},
    orderBy: { createdAt: "desc" },
    take: opts.take ?? 50,
    select: {
      id: true,
      audience: true,
      audienceLabel: true,
      subject: true,
      body: true,
      recipientCount: true,
      createdAt: true,
      sentBy: { select: { firstName: true, lastName: true } },
    },
  });
}

/** The signed-in person's email choices (/account/notifications). */
export function messagePreference(tx: Tx, userId: string) {
  return tx.user.findUniqueOrThrow({ where: { id: userId }, select: { schoolMessages: true } });
}

export async function setMessagePreference(tx: Tx, userId: string, schoolMessages: boolean) {
  await tx.user.update({ where: { id: userId }, data: { schoolMessages }, select: { id: true } });
}

// ---- notes shared with families ------------------------------------------------------

/** A teacher shares (or, with an empty note, withdraws) a note for the families of one of their lesson dates. */
export async function shareFamilyNote(tx: Tx, input: { occurrenceId: string; teacherId?: string; note: string | null; now: Date }) {
  const o = await tx.lessonOccurrence.findUnique({ where: { id: input.occurrenceId }, select: { id: true, instructorId: true } });
  if (!o || (input.teacherId && o.instructorId !== input.teacherId)) throw new MessageError("That lesson was not found among yours.", 404);
  await tx.lessonOccurrence.update({
    where: { id: o.id },
    data: { familyNote: input.note, familyNoteAt: input.note ? input.now : null },
    select: { id: true },
  });
}

/**
 * Notes teachers shared about the lessons of these students (enrolled or 1-on-1), newest
 * first: of a class, only the dates from a student's enrollment on (as on the calendar,
 * a meeting over before the student joined is not theirs).
 */
export async function sharedNotesFor(tx: Tx, studentIds: string[], take = 10) {
  if (studentIds.length === 0) return [];
  const enrollments = await tx.enrollment.findMany({
    where: { studentId: { in: studentIds }, status: { in: ["ACTIVE", "COMPLETED"] } },
    select: { lessonId: true, enrolledAt: true },
  });
  // The earliest enrollment of these students in each class.
  const joined = new Map<string, Date>();
  for (const e of enrollments) {
    const known = joined.get(e.lessonId);
    if (!known || e.enrolledAt < known) joined.set(e.lessonId, e.enrolledAt);
  }
  const rows = await tx.lessonOccurrence.findMany({
    where: {
      familyNote: { not: null },
      OR: [
        { studentId: { in: studentIds } },
        ...[...joined].map(([lessonId, enrolledAt]) => ({ kind: "LESSON" as const, lessonId, endsAt: { gt: enrolledAt } })),
        { guests: { some: { studentId: { in: studentIds } } } },
      ],
    },
    orderBy: { startsAt: "desc" },
    take,
    select: { id: true, startsAt: true, familyNote: true, familyNoteAt: true, lesson: { select: { title: true } }, instructor: { select: { firstName: true, lastName: true } } },
  });
  return rows.map((r) => ({ id: r.id, startsAt: r.startsAt, note: r.familyNote ?? "", lesson: r.lesson.title, teacher: `${r.instructor.firstName} ${r.instructor.lastName}` }));
}

/** The school as its messages show it: a logo kept at a path becomes an address on the school's origin. */
export function schoolForEmail(school: { name: string; brandColor: string | null; logoUrl: string | null; email: string }, origin: string) {
  const logoUrl = school.logoUrl ? (/^https?:\/\//.test(school.logoUrl) ? school.logoUrl : `${origin}${school.logoUrl.startsWith("/") ? "" : "/"}${school.logoUrl}`) : null;
  return { name: school.name, brandColor: school.brandColor, email: school.email, logoUrl };
}
