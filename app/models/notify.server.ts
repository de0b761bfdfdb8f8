// Who to tell about a student's lessons, and telling them.
import type { Tx } from "../../server/db/school-db.server";
import type { Mailer } from "../../server/services/email.server";

/**
 * Real addresses for each student: the family admin and parents of the student's
 * family, the student's own login, and the student's `parentEmail` contact.
 * With `reminders`, only people who keep `lessonReminders` on: a parentEmail that is
 * some user's login follows that user's choice; one with no account follows the
 * family admin's choice (it has no setting of its own), or is kept without a family.
 * With `schoolMessages`, the same for the "school messages" choice instead; with
 * `resources`, for the "new learning resources" choice.
 */
export async function familyAddresses(tx: Tx, studentIds: string[], opts: { reminders?: boolean; schoolMessages?: boolean; resources?: boolean } = {}): Promise<Map<string, string[]>> {
  const choice = opts.resources ? "resourceEmails" : opts.schoolMessages ? "schoolMessages" : opts.reminders ? "lessonReminders" : null;
  const students = await tx.student.findMany({
    where: { id: { in: studentIds } },
    select: {
      id: true,
      parentEmail: true,
      user: {
        select: {
          email: true,
          passwordHash: true,
          lessonReminders: true,
          schoolMessages: true,
          resourceEmails: true,
          familyGroup: {
            select: {
              admin: { select: { email: true, lessonReminders: true, schoolMessages: true, resourceEmails: true } },
              members: { where: { role: "PARENT" }, select: { email: true, lessonReminders: true, schoolMessages: true, resourceEmails: true } },
            },
          },
        },
      },
    },
  });
  const wants = (person: { lessonReminders: boolean; schoolMessages: boolean; resourceEmails: boolean }) => !choice || person[choice];
  let contactChoice = new Map<string, boolean>();
  if (choice) {
    const contacts = [...new Set(students.map((s) => s.parentEmail?.toLowerCase()).filter((e): e is string => Boolean(e)))];
    const users = contacts.length ? await tx.user.findMany({ where: { email: { in: contacts } }, select: { email: true, lessonReminders: true, schoolMessages: true, resourceEmails: true } }) : [];
    contactChoice = new Map(users.map((u) => [u.email, u[choice]]));
  }
  const out = new Map<string, string[]>();
  for (const s of students) {
    const emails = new Set<string>();
    const family = s.user.familyGroup;
    if (family) {
      if (wants(family.admin)) emails.add(family.admin.email);
      for (const m of family.members) if (wants(m)) emails.add(m.email);
    }
    if (s.user.passwordHash && wants(s.user)) emails.add(s.user.email);
    const contact = s.parentEmail?.toLowerCase();
    if (contact && (!choice || (contactChoice.get(contact) ?? (family ? family.admin[choice] : true)))) emails.add(contact);
    out.set(s.id, [...emails].filter((e) => !e.endsWith(".invalid")));
  }
  return out;
}

/** Emails every family with an active (or pending/waitlisted, if asked) enrollment in a lesson, once per address. */
export async function notifyEnrolledFamilies(
  tx: Tx,
  mailer: Mailer,
  lessonId: string,
  message: { subject: string; text: string },
  statuses: ("ACTIVE" | "PENDING" | "WAITLISTED")[] = ["ACTIVE"],
) {
  const enrollments = await tx.enrollment.findMany({ where: { lessonId, status: { in: statuses } }, select: { studentId: true } });
  const addresses = await familyAddresses(tx, enrollments.map((e) => e.studentId));
  const unique = new Set([...addresses.values()].flat());
  for (const to of unique) await mailer.send(tx, { to, ...message });
  return unique.size;
}

/**
 * Emails the people of one date, once per address: a 1-on-1 session's own student,
 * or the families enrolled in the lesson plus that date's make-up guests.
 */
export async function notifyOccurrenceFamilies(tx: Tx, mailer: Mailer, occurrenceId: string, message: { subject: string; text: string }) {
  const o = await tx.lessonOccurrence.findUniqueOrThrow({
    where: { id: occurrenceId },
    select: { kind: true, studentId: true, lessonId: true, guests: { select: { studentId: true } } },
  });
  const studentIds =
    o.kind === "INDIVIDUAL_SESSION" && o.studentId
      ? [o.studentId]
      : [
          ...(await tx.enrollment.findMany({ where: { lessonId: o.lessonId, status: "ACTIVE" }, select: { studentId: true } })).map((e) => e.studentId),
          ...o.guests.map((g) => g.studentId),
        ];
  const unique = new Set([...(await familyAddresses(tx, studentIds)).values()].flat());
  for (const to of unique) await mailer.send(tx, { to, ...message });
  return unique.size;
}
