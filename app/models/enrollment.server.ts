// Enrollment: seats, the waitlist and approval. A class's capacity holds under
// concurrency because every change of seats locks the lesson row first, so two
// enrollments into the last seat are decided one after the other.
import type { Tx } from "../../server/db/school-db.server";
import type { Mailer } from "../../server/services/email.server";
import { invoiceApprovedEnrollment } from "./billing-admin.server";
import { familyAddresses } from "./notify.server";

export class EnrollmentError extends Error {}

export type EnrollOutcome = "ACTIVE" | "PENDING" | "WAITLISTED" | "FULL";

async function lockLesson(tx: Tx, lessonId: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Lesson" WHERE id = ${lessonId} FOR UPDATE`;
  if (rows.length === 0) throw new EnrollmentError("That lesson does not exist.");
  return tx.lesson.findUniqueOrThrow({ where: { id: lessonId }, select: { id: true, title: true, maxStudents: true, status: true } });
}

export async function seatsTaken(tx: Tx, lessonId: string) {
  return tx.enrollment.count({ where: { lessonId, status: "ACTIVE" } });
}

/**
 * Enrolls a student. Full class: WAITLISTED when `waitlist` is allowed, else FULL
 * (nothing written). With `requireApproval`, a seat is not taken until approved.
 */
export async function enrollStudent(
  tx: Tx,
  input: { lessonId: string; studentId: string; requireApproval: boolean; waitlist: boolean; notes?: string | null; /** The school's now: registers list a student from here on. */ now?: Date },
): Promise<{ outcome: EnrollOutcome; enrollmentId: string | null; lessonTitle: string }> {
  const lesson = await lockLesson(tx, input.lessonId);
  if (lesson.status === "CANCELLED" || lesson.status === "COMPLETED") throw new EnrollmentError(`${lesson.title} is not taking enrollments.`);
  const student = await tx.student.findUnique({ where: { id: input.studentId }, select: { id: true } });
  if (!student) throw new EnrollmentError("That student is not at this school.");
  const existing = await tx.enrollment.findFirst({ where: { lessonId: lesson.id, studentId: student.id }, select: { id: true, status: true } });
  if (existing && ["ACTIVE", "PENDING", "WAITLISTED"].includes(existing.status)) {
    throw new EnrollmentError(`This student is already ${existing.status === "ACTIVE" ? "enrolled in" : `${existing.status.toLowerCase()} for`} ${lesson.title}.`);
  }
  const full = lesson.maxStudents !== null && (await seatsTaken(tx, lesson.id)) >= lesson.maxStudents;
  let outcome: EnrollOutcome = input.requireApproval ? "PENDING" : "ACTIVE";
  if (full && outcome === "ACTIVE") outcome = input.waitlist ? "WAITLISTED" : "FULL";
  if (outcome === "FULL") return { outcome, enrollmentId: null, lessonTitle: lesson.title };
  const data = { status: outcome as "ACTIVE" | "PENDING" | "WAITLISTED", enrolledAt: input.now ?? new Date(), unenrolledAt: null, droppedAt: null, completedAt: null, decidedAt: null, notes: input.notes ?? null };
  const row = existing
    ? await tx.enrollment.update({ where: { id: existing.id }, data, select: { id: true } })
    : await tx.enrollment.create({ data: { lessonId: lesson.id, studentId: student.id, ...data }, select: { id: true } });
  return { outcome, enrollmentId: row.id, lessonTitle: lesson.title };
}

/** Approve (takes a seat, or the waitlist if the class filled meanwhile) or reject a pending enrollment. */
export async function decideEnrollment(tx: Tx, mailer: Mailer, enrollmentId: string, decision: "APPROVE" | "REJECT") {
  const enrollment = await tx.enrollment.findUnique({ where: { id: enrollmentId }, select: { id: true, status: true, lessonId: true, studentId: true } });
  if (!enrollment || enrollment.status !== "PENDING") throw new EnrollmentError("This enrollment is no longer waiting for a decision.");
  const lesson = await lockLesson(tx, enrollment.lessonId);
  let status: "ACTIVE" | "WAITLISTED" | "REJECTED" = "REJECTED";
  if (decision === "APPROVE") {
    const full = lesson.maxStudents !== null && (await seatsTaken(tx, lesson.id)) >= lesson.maxStudents;
    status = full ? "WAITLISTED" : "ACTIVE";
  }
  await tx.enrollment.update({ where: { id: enrollment.id }, data: { status, decidedAt: new Date() } });
  // Approved after the term's invoices were generated: its own prorated draft invoice.
  if (status === "ACTIVE") await invoiceApprovedEnrollment(tx, enrollment.id);
  const student = await tx.student.findUniqueOrThrow({ where: { id: enrollment.studentId }, select: { user: { select: { firstName: true } } } });
  const addresses = (await familyAddresses(tx, [enrollment.studentId])).get(enrollment.studentId) ?? [];
  const text =
    status === "ACTIVE"
      ? `Good news: ${student.user.firstName}'s enrollment in ${lesson.title} is confirmed.`
      : status === "WAITLISTED"
        ? `${student.user.firstName}'s enrollment in ${lesson.title} is approved, but the class is full: ${student.user.firstName} is on the waitlist and we will tell you when a seat frees up.`
        : `We are sorry: we cannot offer ${student.user.firstName} a place in ${lesson.title} this time. Please contact the school for other options.`;
  for (const to of addresses) {
    await mailer.send(tx, { to, subject: status === "REJECTED" ? `About your enrollment in ${lesson.title}` : `Enrollment in ${lesson.title}: ${status === "ACTIVE" ? "confirmed" : "waitlisted"}`, text });
  }
  return { status, lessonTitle: lesson.title };
}

/** Ends an enrollment, keeping the date: UNENROLLED (by the school), DROPPED (by the family), COMPLETED. */
export async function endEnrollment(tx: Tx, enrollmentId: string, how: "UNENROLLED" | "DROPPED" | "COMPLETED", at: Date) {
  const enrollment = await tx.enrollment.findUnique({ where: { id: enrollmentId }, select: { id: true, status: true, lessonId: true } });
  if (!enrollment || !["ACTIVE", "PENDING", "WAITLISTED"].includes(enrollment.status)) throw new EnrollmentError("This enrollment has already ended.");
  await lockLesson(tx, enrollment.lessonId);
  await tx.enrollment.update({
    where: { id: enrollment.id },
    data: { status: how, ...(how === "UNENROLLED" ? { unenrolledAt: at } : how === "DROPPED" ? { droppedAt: at } : { completedAt: at }) },
  });
  return { freedSeat: enrollment.status === "ACTIVE", lessonId: enrollment.lessonId };
}

/** The lesson's roster: active first, then pending, then the waitlist in order of arrival. */
export function lessonRoster(tx: Tx, lessonId: string) {
  return tx.enrollment.findMany({
    where: { lessonId, status: { in: ["ACTIVE", "PENDING", "WAITLISTED"] } },
    orderBy: [{ status: "asc" }, { enrolledAt: "asc" }],
    select: { id: true, status: true, enrolledAt: true, student: { select: { id: true, instrument: true, user: { select: { firstName: true, lastName: true } } } } },
  });
}
