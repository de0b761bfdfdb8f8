// Exam entries (issue 13): a teacher recommends, a guardian accepts or declines in the portal
// (the school's exam fee becomes an issued invoice through billing), an admin books the exam
// and records the result by the board's rules; a pass gives an EXAMINATION_PASS award. Each
// move locks the entry's row, checks the move with app/domain/exams.ts and writes an
// ExamStatusChange (append-only for the app role) with who and when.
import type { ExamRequestStatus, Prisma } from "../../prisma/generated/client";
import type { Tx } from "../../server/db/school-db.server";
import type { Mailer } from "../../server/services/email.server";
import { BOARD_NAMES, type ExamActor, type ExamBoard, examMoveRefusal, isExamBoard, parseExamResult } from "../domain/exams";
import { makeFormatter } from "../domain/locale";
import { examAwardKey } from "../domain/progress";
import { localDateTimeToUtc, type LocalDate } from "../domain/time";
import { FormRefusal } from "../utils/forms";
import { issueFeeInvoice } from "./billing-admin.server";
import { isUniqueViolation } from "./sql.server";
import { familyAddresses } from "./notify.server";
import { giveAutomaticAward } from "./progress.server";

export class ExamError extends FormRefusal {}

export interface Actor {
  id: string;
  role: string;
}

function examActor(actor: Actor): ExamActor {
  if (actor.role === "ADMIN" || actor.role === "TEACHER" || actor.role === "PARENT") return actor.role;
  throw new ExamError("Only a guardian, a teacher or an admin can change an exam entry.", null, 403);
}

export interface RecommendInput {
  studentId: string;
  board: ExamBoard;
  instrument: string;
  grade: string;
  session: string;
  entryDeadline: LocalDate | null;
  feeMinor: number | null;
  notes: string | null;
}

async function schoolFacts(tx: Tx) {
  const s = await tx.school.findFirstOrThrow({ select: { name: true, locale: true, timezone: true, currency: true } });
  return { ...s, fmt: makeFormatter({ locale: s.locale, timeZone: s.timezone, currency: s.currency }) };
}

function entryTitle(e: { board: string; grade: string; instrument: string }) {
  const board = isExamBoard(e.board) ? BOARD_NAMES[e.board] : e.board;
  return `${board} ${e.grade}${e.instrument ? ` ${e.instrument}` : ""}`;
}

async function tellFamily(tx: Tx, mailer: Mailer, studentId: string, message: { subject: string; text: string }) {
  const to = new Set((await familyAddresses(tx, [studentId])).get(studentId) ?? []);
  for (const address of to) await mailer.send(tx, { to: address, ...message });
  return to.size;
}

async function studentName(tx: Tx, studentId: string) {
  const s = await tx.student.findUniqueOrThrow({ where: { id: studentId }, select: { user: { select: { firstName: true, lastName: true, familyGroupId: true } } } });
  return { first: s.user.firstName, full: `${s.user.firstName} ${s.user.lastName}`, familyGroupId: s.user.familyGroupId };
}

/** A teacher (of the student) or an admin recommends an entry; the family is asked by email. */
export async function recommendExam(tx: Tx, mailer: Mailer, input: RecommendInput & { actor: Actor; now: Date; origin: string }) {
  const who = examActor(input.actor);
  if (who === "PARENT") throw new ExamError("Only the school can recommend an exam.", null, 403);
  const { currency, name: school, fmt } = await schoolFacts(tx);
  const open = await tx.examRequest.count({
    where: { studentId: input.studentId, board: input.board, grade: input.grade, instrument: input.instrument, session: input.session, status: { notIn: ["REJECTED"] } },
  });
  if (open) throw new ExamError("This student already has this entry for that session.", "grade", 409);
  // The partial unique index ExamRequest_schoolId_student_exam_live_key refuses a concurrent twin.
  const entry = await tx.examRequest.create({
    data: {
      studentId: input.studentId,
      board: input.board,
      instrument: input.instrument,
      grade: input.grade,
      session: input.session,
      entryDeadline: input.entryDeadline,
      feeMinor: input.feeMinor,
      feeCurrency: input.feeMinor === null ? null : currency,
      notes: input.notes,
      recommendedById: input.actor.id,
      statusChanges: { create: { fromStatus: null, toStatus: "PENDING", changedById: input.actor.id, changedAt: input.now } },
    },
    select: { id: true },
  }).catch((error: unknown) => {
    if (isUniqueViolation(error)) throw new ExamError("This student already has this entry for that session.", "grade", 409);
    throw error;
  });
  const student = await studentName(tx, input.studentId);
  const title = entryTitle(input);
  await tellFamily(tx, mailer, input.studentId, {
    subject: `${student.first} is recommended for ${title}`,
    text: [
      `${school} recommends ${student.full} for ${title} in the ${input.session} session.`,
      input.entryDeadline ? `Please decide before the entry deadline, ${fmt.day(input.entryDeadline, { year: "numeric" })}.` : "",
      input.feeMinor ? `The exam fee is ${fmt.moneyMinor(input.feeMinor, currency)}; it is invoiced when you accept.` : "",
      "",
      `Accept or decline on your family's progress page: ${input.origin}/family/progress`,
    ]
      .filter((l, i, all) => l !== "" || (i > 0 && all[i - 1] !== ""))
      .join("\n"),
  });
  return entry;
}

/** Locks the entry's row and checks the move; returns the entry as it was. */
async function lockForMove(tx: Tx, examRequestId: string, to: ExamRequestStatus, actor: Actor) {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "ExamRequest" WHERE "id" = ${examRequestId} FOR NO KEY UPDATE`;
  if (!rows.length) throw new ExamError("That exam entry does not exist any more. Reload the page.", null, 404);
  const entry = await tx.examRequest.findUniqueOrThrow({
    where: { id: examRequestId },
    select: { id: true, status: true, studentId: true, board: true, grade: true, instrument: true, session: true, feeMinor: true, feeCurrency: true, feeInvoiceId: true },
  });
  const refusal = examMoveRefusal(entry.status, to, examActor(actor));
  if (refusal) throw new ExamError(refusal, null, 409);
  return entry;
}

async function recordMove(tx: Tx, input: { examRequestId: string; from: ExamRequestStatus; to: ExamRequestStatus; actorId: string; now: Date; note?: string | null }) {
  await tx.examStatusChange.create({
    data: { examRequestId: input.examRequestId, fromStatus: input.from, toStatus: input.to, changedById: input.actorId, changedAt: input.now, note: input.note ?? null },
  });
}

/**
 * A guardian accepts or declines. The caller has checked the guardian may act for the
 * student (assertMayActFor). Accepting with a fee issues a one-line invoice to the family
 * (key `exam:<id>`, so it is billed once).
 */
export async function decideExam(tx: Tx, input: { examRequestId: string; accept: boolean; actor: Actor; now: Date }) {
  const to: ExamRequestStatus = input.accept ? "APPROVED" : "REJECTED";
  const entry = await lockForMove(tx, input.examRequestId, to, input.actor);
  let feeInvoiceId: string | null = null;
  if (input.accept && entry.feeMinor && entry.feeMinor > 0) {
    const student = await studentName(tx, entry.studentId);
    if (!student.familyGroupId) throw new ExamError("This student has no family account to invoice the exam fee to; ask the school.", null, 409);
    feeInvoiceId = await issueFeeInvoice(tx, {
      familyGroupId: student.familyGroupId,
      invoiceKey: `exam:${entry.id}`,
      description: `Exam fee: ${entryTitle(entry)}, ${entry.session} (${student.full})`,
      amountMinor: entry.feeMinor,
      now: input.now,
    });
  }
  await tx.examRequest.update({
    where: { id: entry.id },
    data: { status: to, ...(input.accept ? { approvedBy: input.actor.id, approvedAt: input.now, feeInvoiceId } : {}) },
  });
  await recordMove(tx, { examRequestId: entry.id, from: entry.status, to, actorId: input.actor.id, now: input.now });
  return { status: to, feeInvoiceId };
}

/** The teacher or an admin withdraws a recommendation the family has not decided on (an admin also an accepted, unbooked one). */
export async function withdrawExam(tx: Tx, input: { examRequestId: string; actor: Actor; now: Date; note: string | null }) {
  const entry = await lockForMove(tx, input.examRequestId, "REJECTED", input.actor);
  if (entry.feeInvoiceId) throw new ExamError("The exam fee has been invoiced: void or credit that invoice first, then withdraw the entry.", null, 409);
  await tx.examRequest.update({ where: { id: entry.id }, data: { status: "REJECTED" } });
  await recordMove(tx, { examRequestId: entry.id, from: entry.status, to: "REJECTED", actorId: input.actor.id, now: input.now, note: input.note });
}

/**
 * An admin books an accepted entry (or changes a booking): the exam's local date and time in
 * the school's zone, and the place. The family is told by email either way.
 */
export async function bookExam(tx: Tx, mailer: Mailer, input: { examRequestId: string; date: LocalDate; time: string; place: string; actor: Actor; now: Date }) {
  // The row lock first, then the status: a booking changed while another admin marks the exam
  // sat (or records its result) waits for that, then sees it and is refused.
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "ExamRequest" WHERE "id" = ${input.examRequestId} FOR NO KEY UPDATE`;
  if (!rows.length) throw new ExamError("That exam entry does not exist any more. Reload the page.", null, 404);
  const current = await tx.examRequest.findUniqueOrThrow({ where: { id: input.examRequestId }, select: { status: true } });
  const rebooking = current.status === "SCHEDULED";
  if (rebooking && examActor(input.actor) !== "ADMIN") throw new ExamError("Only an admin can do this.", null, 403);
  const entry = rebooking
    ? await tx.examRequest.findUniqueOrThrow({ where: { id: input.examRequestId }, select: { id: true, status: true, studentId: true, board: true, grade: true, instrument: true, session: true } })
    : await lockForMove(tx, input.examRequestId, "SCHEDULED", input.actor);
  const { fmt, name: school, timezone } = await schoolFacts(tx);
  const at = localDateTimeToUtc(input.date, input.time, timezone);
  await tx.examRequest.update({ where: { id: entry.id }, data: { ...(rebooking ? {} : { status: "SCHEDULED" as const }), examDate: at, examPlace: input.place, bookedById: input.actor.id } });
  if (!rebooking) await recordMove(tx, { examRequestId: entry.id, from: entry.status, to: "SCHEDULED", actorId: input.actor.id, now: input.now });
  const student = await studentName(tx, entry.studentId);
  const title = entryTitle(entry);
  const told = await tellFamily(tx, mailer, entry.studentId, {
    subject: `${rebooking ? "Changed: " : ""}${student.first}'s ${title} exam: ${fmt.dateTime(at)}`,
    text: [
      `${school} has ${rebooking ? "changed the booking of" : "booked"} ${student.full}'s ${title} exam (${entry.session}).`,
      "",
      `When: ${fmt.dateTime(at, { weekday: "long", year: "numeric" })}`,
      `Where: ${input.place}`,
      "",
      "Please arrive 15 minutes early with the music.",
    ].join("\n"),
  });
  return { examDate: at, told, rebooked: rebooking };
}

/** An admin records that the student sat the exam (the result follows later). */
export async function markExamSat(tx: Tx, input: { examRequestId: string; actor: Actor; now: Date }) {
  const entry = await lockForMove(tx, input.examRequestId, "COMPLETED", input.actor);
  await tx.examRequest.update({ where: { id: entry.id }, data: { status: "COMPLETED" } });
  await recordMove(tx, { examRequestId: entry.id, from: entry.status, to: "COMPLETED", actorId: input.actor.id, now: input.now });
}

/**
 * An admin records the result as the board gives it (a mark, or AMEB's grade). A pass gives
 * the student an EXAMINATION_PASS award (key `exam:<id>`, once).
 */
export async function recordExamResult(tx: Tx, mailer: Mailer, input: { examRequestId: string; result: string; actor: Actor; now: Date }) {
  const entry = await lockForMove(tx, input.examRequestId, "RESULTS_RECEIVED", input.actor);
  if (!isExamBoard(entry.board)) throw new ExamError("This entry's board is not one Encore knows.", null, 409);
  const parsed = parseExamResult(entry.board, input.result);
  if (!parsed.ok) throw new ExamError(parsed.error, "result", 400);
  const r = parsed.result;
  await tx.examRequest.update({
    where: { id: entry.id },
    data: { status: "RESULTS_RECEIVED", resultMark: r.mark, resultGrade: r.grade, resultBand: r.band, resultPassed: r.passed, resultRecordedById: input.actor.id, resultRecordedAt: input.now },
  });
  await recordMove(tx, { examRequestId: entry.id, from: entry.status, to: "RESULTS_RECEIVED", actorId: input.actor.id, now: input.now, note: r.label });
  const title = entryTitle(entry);
  let awarded = false;
  if (r.passed) {
    awarded = await giveAutomaticAward(tx, {
      studentId: entry.studentId,
      key: examAwardKey(entry.id),
      type: "EXAMINATION_PASS",
      title: `${title}: ${r.label.replace(/ \(.*\)$/, "")}`,
      description: `Passed ${title} (${entry.session}): ${r.label}.`,
      awardedById: input.actor.id,
      examRequestId: entry.id,
      now: input.now,
    });
  }
  const student = await studentName(tx, entry.studentId);
  const { name: school } = await schoolFacts(tx);
  await tellFamily(tx, mailer, entry.studentId, {
    subject: `${student.first}'s ${title} result: ${r.label}`,
    text: `${school} has recorded ${student.full}'s result for ${title} (${entry.session}): ${r.label}.${r.passed ? " Congratulations! The award is on your family's progress page." : ""}`,
  });
  return { result: r, awarded };
}

// ---- reading ------------------------------------------------------------------------------

const ENTRY_SELECT = {
  id: true,
  studentId: true,
  board: true,
  instrument: true,
  grade: true,
  session: true,
  entryDeadline: true,
  feeMinor: true,
  feeCurrency: true,
  feeInvoice: { select: { id: true, number: true } },
  status: true,
  notes: true,
  examDate: true,
  examPlace: true,
  resultMark: true,
  resultGrade: true,
  resultBand: true,
  resultPassed: true,
  createdAt: true,
  student: { select: { user: { select: { firstName: true, lastName: true } } } },
  recommendedBy: { select: { firstName: true, lastName: true } },
  statusChanges: {
    orderBy: [{ changedAt: "asc" }, { id: "asc" }],
    select: { fromStatus: true, toStatus: true, changedAt: true, note: true, changedBy: { select: { firstName: true, lastName: true, role: true } } },
  },
} satisfies Prisma.ExamRequestSelect;

/** The entries of some students (a family's children, a teacher's student), newest first. */
export async function examEntriesOf(tx: Tx, studentIds: string[]) {
  return tx.examRequest.findMany({ where: { studentId: { in: studentIds } }, orderBy: [{ createdAt: "desc" }, { id: "asc" }], select: ENTRY_SELECT });
}

/**
 * The admin's view: entries grouped by board and session, the earliest entry deadline first
 * (sessions without a deadline last). Filters by board, session and status.
 */
export async function examEntriesBySession(tx: Tx, filter: { board?: string | null; status?: ExamRequestStatus | null } = {}) {
  const entries = await tx.examRequest.findMany({
    where: { ...(filter.board ? { board: filter.board } : {}), ...(filter.status ? { status: filter.status } : {}) },
    orderBy: [{ board: "asc" }, { session: "asc" }, { student: { user: { lastName: "asc" } } }, { id: "asc" }],
    select: ENTRY_SELECT,
  });
  const groups = new Map<string, { board: string; session: string; deadline: string | null; entries: typeof entries }>();
  for (const e of entries) {
    const key = `${e.board}\u0000${e.session}`;
    const g = groups.get(key) ?? { board: e.board, session: e.session, deadline: null, entries: [] };
    if (e.entryDeadline && (!g.deadline || e.entryDeadline < g.deadline)) g.deadline = e.entryDeadline;
    g.entries.push(e);
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => (a.deadline ?? "9999").localeCompare(b.deadline ?? "9999") || a.board.localeCompare(b.board) || a.session.localeCompare(b.session));
}

export async function examEntryStudent(tx: Tx, examRequestId: string): Promise<string | null> {
  const e = await tx.examRequest.findUnique({ where: { id: examRequestId }, select: { studentId: true } });
  return e?.studentId ?? null;
}
