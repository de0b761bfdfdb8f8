// What the progress pages read: a family's children (awards, practice, syllabi, exam
// entries), one student for their teacher, and the options of the forms. Thin over
// progress.server.ts and exams.server.ts.
import type { Tx } from "../../server/db/school-db.server";
import { EXAM_BOARDS, boardGrades, BOARD_NAMES } from "../domain/exams";
import type { LocalDate } from "../domain/time";
import { examEntriesOf } from "./exams.server";
import { studentsOfAccount } from "./family-access.server";
import { practiceSummary, streakSetting, studentAwards, studentSyllabi } from "./progress.server";

async function studentProgress(tx: Tx, studentId: string, today: LocalDate) {
  const student = await tx.student.findUniqueOrThrow({ where: { id: studentId }, select: { id: true, instrument: true, user: { select: { firstName: true, lastName: true } } } });
  return {
    id: student.id,
    firstName: student.user.firstName,
    name: `${student.user.firstName} ${student.user.lastName}`,
    instrument: student.instrument,
    awards: await studentAwards(tx, studentId),
    practice: await practiceSummary(tx, studentId, today),
    syllabi: (await studentSyllabi(tx, studentId)).filter((s) => s.completed.length > 0 || s.instrument === student.instrument),
    exams: await examEntriesOf(tx, [studentId]),
  };
}

/** The family's progress page: each child this account may act for. */
export async function familyProgressPage(tx: Tx, input: { accountId: string; today: LocalDate }) {
  const ids = await studentsOfAccount(tx, input.accountId);
  const children = [];
  for (const id of ids) children.push(await studentProgress(tx, id, input.today));
  return { children, streakDays: await streakSetting(tx) };
}

/** A teacher's (or an admin's) page for one student, with the forms' options. */
export async function teacherStudentPage(tx: Tx, input: { studentId: string; today: LocalDate }) {
  const student = await studentProgress(tx, input.studentId, input.today);
  const instruments = await tx.instrument.findMany({ orderBy: { name: "asc" }, select: { name: true } });
  return {
    student,
    instruments: instruments.map((i) => i.name),
    boards: EXAM_BOARDS.map((b) => ({ value: b, label: BOARD_NAMES[b], grades: boardGrades(b) })),
    streakDays: await streakSetting(tx),
  };
}
