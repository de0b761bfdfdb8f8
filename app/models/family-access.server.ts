// Who may act for which student: a parent for the students of their own family
// group, a student (with a login of their own) for themself only. Admins and
// teachers act through their own pages, never through the family portal. This is
// the one place the rule is written; the family routes call it before every change.
import type { Tx } from "../../server/db/school-db.server";

/** Thrown when an account tries to act for a student it may not; routes answer 403. */
export class FamilyAccessError extends Error {
  readonly status = 403;
  constructor(message = "You can only do this for the students of your own family.") {
    super(message);
    this.name = "FamilyAccessError";
  }
}

/** The student ids this account may act for (ordered by first name). */
export async function studentsOfAccount(tx: Tx, userId: string): Promise<string[]> {
  const me = await tx.user.findUnique({
    where: { id: userId },
    select: { role: true, familyGroupId: true, studentProfile: { select: { id: true } } },
  });
  if (!me) return [];
  const own = me.studentProfile ? [me.studentProfile.id] : [];
  if (me.role === "STUDENT") return own;
  if (me.role !== "PARENT") return [];
  if (!me.familyGroupId) return own;
  const students = await tx.student.findMany({
    where: { user: { familyGroupId: me.familyGroupId } },
    orderBy: [{ user: { firstName: "asc" } }, { id: "asc" }],
    select: { id: true },
  });
  return students.map((s) => s.id);
}

/** Throws FamilyAccessError unless this account may act for `studentId`. */
export async function assertMayActFor(tx: Tx, userId: string, studentId: string): Promise<void> {
  const mine = await studentsOfAccount(tx, userId);
  if (!mine.includes(studentId)) throw new FamilyAccessError();
}

/** Turns a FamilyAccessError into the 403 response a route throws; anything else is rethrown. */
export function forbiddenOr(error: unknown): never {
  if (error instanceof FamilyAccessError) throw new Response(error.message, { status: 403 });
  throw error;
}
