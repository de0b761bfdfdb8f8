// Who to tell about a student's lessons, and telling them.
import type { Tx } from "../../server/db/school-db.server";
import type { Mailer } from "../../server/services/email.server";

/** Real addresses for a student: their parents (family admin, parentEmail) and their own login. */
export async function familyAddresses(tx: Tx, studentIds: string[]): Promise<Map<string, string[]>> {
  const students = await tx.student.findMany({
    where: { id: { in: studentIds } },
    select: {
      id: true,
      parentEmail: true,
      user: {
        select: {
          email: true,
          passwordHash: true,
          familyGroup: { select: { billingEmail: true, admin: { select: { email: true } }, members: { where: { role: "PARENT" }, select: { email: true } } } },
        },
      },
    },
  });
  const out = new Map<string, string[]>();
  for (const s of students) {
    const emails = new Set<string>();
    if (s.parentEmail) emails.add(s.parentEmail.toLowerCase());
    const fam = s.user.familyGroup;
    if (fam) {
      emails.add(fam.admin.email);
      for (const m of fam.members) emails.add(m.email);
    }
    if (s.user.passwordHash) emails.add(s.user.email);
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
