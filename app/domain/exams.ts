/**
 * Exam entries: the boards' result rules and the moves of an entry through the seed's
 * `ExamRequestStatus`, with who may make each. Pure; app/models/exams.server.ts applies
 * them and keeps every move (ExamStatusChange).
 *
 * The statuses, as Encore uses them:
 * - PENDING: a teacher (or an admin) recommended the student; the family decides.
 * - APPROVED: a guardian accepted (the exam fee, if any, is invoiced then).
 * - REJECTED: a guardian declined, or the teacher or an admin withdrew the recommendation.
 * - SCHEDULED: an admin booked it (date, time, place; the family is told).
 * - COMPLETED: the student sat it; the result is awaited.
 * - RESULTS_RECEIVED: the result is recorded (a pass gives an EXAMINATION_PASS award).
 */

export const EXAM_BOARDS = ["ABRSM", "TRINITY", "AMEB"] as const;
export type ExamBoard = (typeof EXAM_BOARDS)[number];

export const BOARD_NAMES: Record<ExamBoard, string> = { ABRSM: "ABRSM", TRINITY: "Trinity College London", AMEB: "AMEB" };

export function isExamBoard(value: unknown): value is ExamBoard {
  return typeof value === "string" && (EXAM_BOARDS as readonly string[]).includes(value);
}

/** The band of a result, from the best: the boards' own words are in `bandLabel`. */
export type ResultBand = "DISTINCTION" | "MERIT" | "PASS" | "BELOW_PASS";

/** AMEB's grades, best first; a result below a C is "not shown" on the certificate. */
export const AMEB_GRADES = ["A+", "A", "B+", "B", "C+", "C"] as const;
export const AMEB_NOT_SHOWN = "NOT_SHOWN";
export type AmebGrade = (typeof AMEB_GRADES)[number];

/** How each board marks: a mark out of `outOf` with its band floors, or AMEB's grades. */
export const MARK_SCHEMES = {
  ABRSM: { outOf: 150, pass: 100, merit: 120, distinction: 130 },
  TRINITY: { outOf: 100, pass: 60, merit: 75, distinction: 87 },
} as const;

export interface ExamResult {
  board: ExamBoard;
  /** The mark for ABRSM and Trinity; null for AMEB. */
  mark: number | null;
  /** AMEB's grade ("A+" … "C", or NOT_SHOWN); null for the others. */
  grade: string | null;
  band: ResultBand;
  passed: boolean;
  /** What the family reads: "Merit (125/150)", "Honours (A)", "Not shown". */
  label: string;
}

export type ParsedResult = { ok: true; result: ExamResult } | { ok: false; error: string };

const AMEB_BANDS: Record<AmebGrade, { band: ResultBand; word: string }> = {
  "A+": { band: "DISTINCTION", word: "Honours" },
  A: { band: "DISTINCTION", word: "Honours" },
  "B+": { band: "MERIT", word: "Credit" },
  B: { band: "MERIT", word: "Credit" },
  "C+": { band: "PASS", word: "Pass" },
  C: { band: "PASS", word: "Pass" },
};

const BAND_WORDS: Record<ResultBand, string> = { DISTINCTION: "Distinction", MERIT: "Merit", PASS: "Pass", BELOW_PASS: "Below pass" };

/** The band of a mark by the board's floors (ABRSM /150, Trinity /100). */
export function markBand(board: "ABRSM" | "TRINITY", mark: number): ResultBand {
  const s = MARK_SCHEMES[board];
  if (mark >= s.distinction) return "DISTINCTION";
  if (mark >= s.merit) return "MERIT";
  if (mark >= s.pass) return "PASS";
  return "BELOW_PASS";
}

/**
 * Reads a result as typed by the admin: a whole mark within the board's range for ABRSM
 * and Trinity, a grade (A+ to C, or "not shown") for AMEB. Errors are sentences.
 */
export function parseExamResult(board: ExamBoard, input: string): ParsedResult {
  const raw = input.trim();
  if (board === "AMEB") {
    const upper = raw.toUpperCase().replace(/\s+/g, " ");
    if (upper === "NOT SHOWN" || upper === AMEB_NOT_SHOWN || upper === "NS") {
      return { ok: true, result: { board, mark: null, grade: AMEB_NOT_SHOWN, band: "BELOW_PASS", passed: false, label: "Not shown" } };
    }
    const grade = AMEB_GRADES.find((g) => g === upper);
    if (!grade) return { ok: false, error: "Enter an AMEB grade: A+, A, B+, B, C+, C, or “not shown”." };
    const { band, word } = AMEB_BANDS[grade];
    return { ok: true, result: { board, mark: null, grade, band, passed: true, label: `${word} (${grade})` } };
  }
  const scheme = MARK_SCHEMES[board];
  if (!/^\d{1,3}$/.test(raw)) return { ok: false, error: `Enter the mark as a whole number from 0 to ${scheme.outOf}.` };
  const mark = Number(raw);
  if (mark > scheme.outOf) return { ok: false, error: `${BOARD_NAMES[board]} marks are out of ${scheme.outOf}: ${mark} is too high.` };
  const band = markBand(board, mark);
  return { ok: true, result: { board, mark, grade: null, band, passed: band !== "BELOW_PASS", label: `${BAND_WORDS[band]} (${mark}/${scheme.outOf})` } };
}

/** The word for a band on a board ("Merit"; AMEB's "Credit"). */
export function bandLabel(board: ExamBoard, band: ResultBand): string {
  if (board === "AMEB") return { DISTINCTION: "Honours", MERIT: "Credit", PASS: "Pass", BELOW_PASS: "Not shown" }[band];
  return BAND_WORDS[band];
}

/** The grades a board examines, in order (what the recommend form offers). */
export function boardGrades(board: ExamBoard): string[] {
  const numbered = (n: number) => Array.from({ length: n }, (_, i) => `Grade ${i + 1}`);
  if (board === "ABRSM") return ["Initial", ...numbered(8)];
  if (board === "TRINITY") return ["Initial", ...numbered(8)];
  return ["Preliminary", ...numbered(8)];
}

// ---- status moves ---------------------------------------------------------------------

export const EXAM_STATUSES = ["PENDING", "APPROVED", "REJECTED", "SCHEDULED", "COMPLETED", "RESULTS_RECEIVED"] as const;
export type ExamStatus = (typeof EXAM_STATUSES)[number];
export type ExamActor = "ADMIN" | "TEACHER" | "PARENT";

export const STATUS_LABELS: Record<ExamStatus, string> = {
  PENDING: "Waiting for the family",
  APPROVED: "Accepted, to book",
  REJECTED: "Declined or withdrawn",
  SCHEDULED: "Booked",
  COMPLETED: "Sat, result awaited",
  RESULTS_RECEIVED: "Result recorded",
};

/** Every allowed move and who may make it. A move not listed is refused. */
const MOVES: Record<ExamStatus, Partial<Record<ExamStatus, readonly ExamActor[]>>> = {
  PENDING: { APPROVED: ["PARENT"], REJECTED: ["PARENT", "TEACHER", "ADMIN"] },
  APPROVED: { SCHEDULED: ["ADMIN"], REJECTED: ["ADMIN"] },
  REJECTED: {},
  SCHEDULED: { COMPLETED: ["ADMIN"], RESULTS_RECEIVED: ["ADMIN"] },
  COMPLETED: { RESULTS_RECEIVED: ["ADMIN"] },
  RESULTS_RECEIVED: {},
};

const MOVE_WORDS: Partial<Record<ExamStatus, string>> = {
  APPROVED: "accept",
  REJECTED: "decline or withdraw",
  SCHEDULED: "book",
  COMPLETED: "mark as sat",
  RESULTS_RECEIVED: "record the result of",
};

/**
 * Null when `actor` may move an entry from `from` to `to`, else the sentence saying why not
 * (the entry has moved on, or this person may not make the move).
 */
export function examMoveRefusal(from: ExamStatus, to: ExamStatus, actor: ExamActor): string | null {
  const allowed = MOVES[from][to];
  const verb = MOVE_WORDS[to] ?? "change";
  if (!allowed) return `This entry is “${STATUS_LABELS[from]}”: you cannot ${verb} it now.`;
  if (!allowed.includes(actor)) {
    if (actor === "PARENT") return "Only the school can do this.";
    if (to === "APPROVED") return "Only a guardian of the student can accept an exam entry.";
    return "Only an admin can do this.";
  }
  return null;
}

/** The statuses an actor may move an entry to from `from`. */
export function examMovesFor(from: ExamStatus, actor: ExamActor): ExamStatus[] {
  return (Object.entries(MOVES[from]) as [ExamStatus, readonly ExamActor[]][]).filter(([, who]) => who.includes(actor)).map(([to]) => to);
}

/** An entry the family or the school still has to act on (not declined, not finished). */
export function isOpenEntry(status: ExamStatus): boolean {
  return status !== "REJECTED" && status !== "RESULTS_RECEIVED";
}
