// The pieces the progress pages share: an award's badge, the awards timeline, the practice
// calendar with its streak, syllabus bars and an exam entry with its history.
import type { ReactNode } from "react";
import { BOARD_NAMES, isExamBoard, STATUS_LABELS, type ExamStatus, bandLabel, type ResultBand } from "~/domain/exams";
import { useFormat } from "~/utils/format";

const ICON_PATHS: Record<string, string> = {
  star: "M12 2.5l2.9 6.1 6.6.8-4.9 4.6 1.3 6.6L12 17.3l-5.9 3.3 1.3-6.6-4.9-4.6 6.6-.8z",
  check: "M9.5 16.2l-4.2-4.2-1.4 1.4 5.6 5.6 10.6-10.6-1.4-1.4z",
  music: "M9 17.5a3 3 0 1 1-2-2.83V5l11-2v11.5a3 3 0 1 1-2-2.83V6.3L9 7.6z",
  flame: "M12 2c1 3.5 5 6 5 11a5 5 0 0 1-10 0c0-2.5 1.5-4 2.5-5.5.3 1.8 1.2 3 2.5 3.5-1-3 0-6.5 0-9z",
  medal: "M7 2h4l1 4 1-4h4l-3 7.2A6 6 0 1 1 10 9.2zM12 11a4 4 0 1 0 0 8 4 4 0 0 0 0-8z",
  trophy: "M6 3h12v2h3v3a4 4 0 0 1-4.2 4A5.5 5.5 0 0 1 13 15.9V18h3v3H8v-3h3v-2.1A5.5 5.5 0 0 1 7.2 12 4 4 0 0 1 3 8V5h3zm0 4H5v1a2 2 0 0 0 1.3 1.9A8 8 0 0 1 6 8zm12 0v1a8 8 0 0 1-.3 1.9A2 2 0 0 0 19 8V7z",
};

export function Badge({ icon, color, size = 44 }: { icon: string | null; color: string | null; size?: number }) {
  const path = ICON_PATHS[icon ?? "star"] ?? ICON_PATHS.star!;
  return (
    <span className="award-badge" style={{ background: color ?? "#0f766e", width: size, height: size }} aria-hidden="true">
      <svg viewBox="0 0 24 24" width={size * 0.55} height={size * 0.55} fill="#fff">
        <path d={path} />
      </svg>
    </span>
  );
}

const TYPE_LABEL: Record<string, string> = {
  SECTION_COMPLETE: "Section complete",
  GRADE_MILESTONE: "Grade reached",
  PRACTICE_STREAK: "Practice streak",
  PERFORMANCE: "Performance",
  EXAMINATION_PASS: "Exam passed",
  CUSTOM: "Award",
};
export const AWARD_TYPE_OPTIONS = Object.entries(TYPE_LABEL).map(([value, label]) => ({ value, label }));

export interface AwardView {
  id: string;
  title: string;
  description: string | null;
  awardType: string;
  badgeIcon: string | null;
  badgeColor: string | null;
  earnedAt: string | Date;
  awardedBy: { firstName: string; lastName: string } | null;
}

export function AwardTimeline({ awards, empty }: { awards: AwardView[]; empty: ReactNode }) {
  const fmt = useFormat();
  if (!awards.length) return <p className="muted">{empty}</p>;
  return (
    <ol className="award-timeline">
      {awards.map((a) => (
        <li key={a.id} className="award" data-award-type={a.awardType}>
          <Badge icon={a.badgeIcon} color={a.badgeColor} />
          <div>
            <p className="award-title">{a.title}</p>
            <p className="award-meta muted">
              {TYPE_LABEL[a.awardType] ?? "Award"} · {fmt.date(a.earnedAt, { year: "numeric" })}
              {a.awardedBy ? ` · from ${a.awardedBy.firstName} ${a.awardedBy.lastName}` : ""}
            </p>
            {a.description ? <p className="award-text">{a.description}</p> : null}
          </div>
        </li>
      ))}
    </ol>
  );
}

export interface PracticeView {
  streak: { current: number; longest: number; lastDay: string | null };
  calendar: { date: string; minutes: number }[];
  weekMinutes: number;
}

export function PracticeCalendar({ practice, streakDays, label }: { practice: PracticeView; streakDays: number[]; label: string }) {
  const fmt = useFormat();
  const next = streakDays.find((d) => d > practice.streak.current) ?? null;
  return (
    <div className="practice">
      <div className="practice-stats">
        <p>
          <span className="stat" data-testid="streak">
            {practice.streak.current}
          </span>{" "}
          <span className="muted">{practice.streak.current === 1 ? "day in a row" : "days in a row"}</span>
        </p>
        <p className="muted">
          {practice.weekMinutes} minutes in the last 7 days · longest streak {practice.streak.longest} {practice.streak.longest === 1 ? "day" : "days"}
          {next ? ` · ${next - practice.streak.current} more ${next - practice.streak.current === 1 ? "day" : "days"} to the ${next}-day award` : ""}
        </p>
      </div>
      <ol className="practice-days" aria-label={label}>
        {practice.calendar.map((d) => (
          <li key={d.date} className={d.minutes > 0 ? "done" : undefined} title={`${fmt.day(d.date)}: ${d.minutes} min`}>
            <span className="sr-only">
              {fmt.day(d.date)}: {d.minutes > 0 ? `${d.minutes} minutes` : "no practice"}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}

export interface SyllabusView {
  id: string;
  name: string;
  instrument: string;
  levels: { id: string; name: string; sections: { id: string; name: string }[] }[];
  completed: string[];
  progress: { levelId: string; name: string; done: number; total: number; complete: boolean }[];
}

export function SyllabusBars({ syllabus }: { syllabus: SyllabusView }) {
  return (
    <ul className="syllabus-bars" aria-label={syllabus.name}>
      {syllabus.progress.map((p) => (
        <li key={p.levelId}>
          <span className="syllabus-level">{p.name}</span>
          <span className="bar" role="img" aria-label={`${p.done} of ${p.total} sections`}>
            <span style={{ width: `${p.total ? (100 * p.done) / p.total : 0}%` }} />
          </span>
          <span className="muted nowrap">{p.complete ? "Complete" : `${p.done}/${p.total}`}</span>
        </li>
      ))}
    </ul>
  );
}

export interface ExamView {
  id: string;
  board: string;
  instrument: string;
  grade: string;
  session: string;
  entryDeadline: string | null;
  feeMinor: number | null;
  feeCurrency: string | null;
  feeInvoice: { id: string; number: string | null } | null;
  status: ExamStatus;
  notes: string | null;
  examDate: string | Date | null;
  examPlace: string | null;
  resultMark: number | null;
  resultGrade: string | null;
  resultBand: string | null;
  resultPassed: boolean | null;
  student: { user: { firstName: string; lastName: string } };
  recommendedBy: { firstName: string; lastName: string };
  statusChanges: { fromStatus: string | null; toStatus: string; changedAt: string | Date; note: string | null; changedBy: { firstName: string; lastName: string; role: string } }[];
}

export function examTitle(e: { board: string; grade: string; instrument: string }) {
  return `${isExamBoard(e.board) ? BOARD_NAMES[e.board] : e.board} ${e.grade} ${e.instrument}`.trim();
}

export function resultText(e: ExamView): string | null {
  if (e.resultBand === null || !isExamBoard(e.board)) return null;
  const band = bandLabel(e.board, e.resultBand as ResultBand);
  if (e.board === "AMEB") return e.resultGrade === "NOT_SHOWN" ? "Not shown" : `${band} (${e.resultGrade})`;
  return `${band} (${e.resultMark}/${e.board === "ABRSM" ? 150 : 100})`;
}

/** An exam entry's facts and its history; `actions` are the buttons of the page showing it. */
export function ExamEntry({ entry, actions, showStudent = false }: { entry: ExamView; actions?: ReactNode; showStudent?: boolean }) {
  const fmt = useFormat();
  const result = resultText(entry);
  return (
    <article className="exam-entry" aria-label={`${examTitle(entry)}, ${entry.session}${showStudent ? `, ${entry.student.user.firstName} ${entry.student.user.lastName}` : ""}`}>
      <div className="spread">
        <h4>
          {showStudent ? `${entry.student.user.firstName} ${entry.student.user.lastName}: ` : ""}
          {examTitle(entry)}
        </h4>
        <span className={`badge status-${entry.status.toLowerCase()}`}>{STATUS_LABELS[entry.status]}</span>
      </div>
      <dl className="exam-facts">
        <div>
          <dt>Session</dt>
          <dd>{entry.session}</dd>
        </div>
        {entry.entryDeadline ? (
          <div>
            <dt>Entry deadline</dt>
            <dd>{fmt.day(entry.entryDeadline, { year: "numeric" })}</dd>
          </div>
        ) : null}
        <div>
          <dt>Fee</dt>
          <dd>
            {entry.feeMinor ? fmt.moneyMinor(entry.feeMinor, entry.feeCurrency ?? undefined) : "None"}
            {entry.feeInvoice?.number ? ` · invoice ${entry.feeInvoice.number}` : ""}
          </dd>
        </div>
        {entry.examDate ? (
          <div>
            <dt>Exam</dt>
            <dd>
              {fmt.dateTime(entry.examDate, { year: "numeric" })}
              {entry.examPlace ? `, ${entry.examPlace}` : ""}
            </dd>
          </div>
        ) : null}
        {result ? (
          <div>
            <dt>Result</dt>
            <dd data-testid="exam-result">{result}</dd>
          </div>
        ) : null}
        <div>
          <dt>Recommended by</dt>
          <dd>
            {entry.recommendedBy.firstName} {entry.recommendedBy.lastName}
          </dd>
        </div>
      </dl>
      {entry.notes ? <p className="muted">{entry.notes}</p> : null}
      {actions ? <div className="exam-actions">{actions}</div> : null}
      <details className="exam-history">
        <summary>History</summary>
        <ol>
          {entry.statusChanges.map((c, i) => (
            <li key={i}>
              {fmt.dateTime(c.changedAt, { year: "numeric" })}: {STATUS_LABELS[c.toStatus as ExamStatus] ?? c.toStatus}, by {c.changedBy.firstName} {c.changedBy.lastName}
              {c.note ? ` (${c.note})` : ""}
            </li>
          ))}
        </ol>
      </details>
    </article>
  );
}
