// The school's reports, as pure computations over rows the queries bring
// (app/models/reports.server.ts): enrollments and withdrawals per term, retention
// from one term to the next, missing attendance per teacher, and the geometry of the
// bar charts the pages draw. Dates are the school's local "yyyy-MM-dd".

export interface TermSpan {
  id: string;
  name: string;
  startDate: string;
  endDate: string;
}

/** One enrollment that really took a seat (not pending, waitlisted or refused). */
export interface EnrollmentSpan {
  studentId: string;
  /** Local date it began. */
  start: string;
  /** Local date it ended (withdrawn or completed), or null while it runs. */
  end: string | null;
  /** Ended by the family or the school before its time (unenrolled or dropped). */
  withdrawn: boolean;
}

export interface TermFlow {
  termId: string;
  term: string;
  /** Enrollments counted for this term: begun during it, or since the previous term ended. */
  enrolled: number;
  /** Withdrawals counted for this term, the same way. */
  withdrawn: number;
  /** Students with a seat at some time in the term. */
  students: number;
}

export interface Retention {
  from: string;
  to: string;
  /** Students of `from`... */
  base: number;
  /** ...who still had a seat in `to`. */
  retained: number;
  rate: number | null;
}

function sortTerms(terms: TermSpan[]) {
  return [...terms].sort((a, b) => a.startDate.localeCompare(b.startDate));
}

/** The term a date counts for: the first whose last day is on or after it (so the gap before a term belongs to it). */
export function termFor(terms: TermSpan[], date: string): TermSpan | null {
  return sortTerms(terms).find((t) => t.endDate >= date) ?? null;
}

function overlaps(span: EnrollmentSpan, term: TermSpan) {
  return span.start <= term.endDate && (span.end === null || span.end >= term.startDate);
}

/** Students active in each term. */
function studentsPerTerm(terms: TermSpan[], spans: EnrollmentSpan[]) {
  return new Map(terms.map((t) => [t.id, new Set(spans.filter((s) => overlaps(s, t)).map((s) => s.studentId))]));
}

/** Enrollments, withdrawals and students per term, in term order. */
export function termFlows(terms: TermSpan[], spans: EnrollmentSpan[]): TermFlow[] {
  const sorted = sortTerms(terms);
  const students = studentsPerTerm(sorted, spans);
  const flows = new Map(sorted.map((t) => [t.id, { termId: t.id, term: t.name, enrolled: 0, withdrawn: 0, students: students.get(t.id)!.size }]));
  for (const s of spans) {
    const began = termFor(sorted, s.start);
    if (began) flows.get(began.id)!.enrolled++;
    if (s.withdrawn && s.end) {
      const left = termFor(sorted, s.end);
      if (left) flows.get(left.id)!.withdrawn++;
    }
  }
  return [...flows.values()];
}

/**
 * From each term to the next (among those begun by `today`): how many of the first
 * term's students still had a seat in the next.
 */
export function retention(terms: TermSpan[], spans: EnrollmentSpan[], today: string): Retention[] {
  const sorted = sortTerms(terms).filter((t) => t.startDate <= today);
  const students = studentsPerTerm(sorted, spans);
  const out: Retention[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const a = students.get(sorted[i - 1]!.id)!;
    const b = students.get(sorted[i]!.id)!;
    const retained = [...a].filter((s) => b.has(s)).length;
    out.push({ from: sorted[i - 1]!.name, to: sorted[i]!.name, base: a.size, retained, rate: a.size ? retained / a.size : null });
  }
  return out;
}

export interface MissingRow {
  teacherId: string;
  teacher: string;
  overdue: boolean;
  missingAttendance: boolean;
}

export interface TeacherMissing {
  teacherId: string;
  teacher: string;
  total: number;
  overdue: number;
  withoutAttendance: number;
}

/** Missing registers per teacher, the most overdue first, then by name. */
export function missingByTeacher<R extends MissingRow>(rows: R[]): (TeacherMissing & { rows: R[] })[] {
  const groups = new Map<string, TeacherMissing & { rows: R[] }>();
  for (const r of rows) {
    const g = groups.get(r.teacherId) ?? { teacherId: r.teacherId, teacher: r.teacher, total: 0, overdue: 0, withoutAttendance: 0, rows: [] };
    g.total++;
    if (r.overdue) g.overdue++;
    if (r.missingAttendance) g.withoutAttendance++;
    g.rows.push(r);
    groups.set(r.teacherId, g);
  }
  return [...groups.values()].sort((a, b) => b.overdue - a.overdue || b.total - a.total || a.teacher.localeCompare(b.teacher));
}

/** A rate as a whole percentage ("83%"), or "—" without data. */
export function percent(rate: number | null): string {
  return rate === null ? "—" : `${Math.round(rate * 100)}%`;
}

// ---- bar charts ---------------------------------------------------------------------

/** A round axis maximum at or above `max` (1, 2, 5 × 10ⁿ), at least 1. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

export interface BarChartInput {
  categories: string[];
  series: { name: string; values: number[] }[];
  width: number;
  height: number;
  /** The axis maximum; niceMax of the data by default (1 for rates). */
  max?: number;
  /** Room under the plot for the category labels. */
  labelSpace?: number;
}

export interface BarChartLayout {
  plot: { x: number; y: number; width: number; height: number };
  max: number;
  ticks: { value: number; y: number }[];
  groups: { category: string; x: number; width: number; bars: { series: number; value: number; x: number; y: number; width: number; height: number }[] }[];
}

/** Where each bar of a grouped bar chart goes (SVG coordinates, y down). */
export function barChartLayout(input: BarChartInput): BarChartLayout {
  const plot = { x: 40, y: 10, width: Math.max(10, input.width - 50), height: Math.max(10, input.height - 10 - (input.labelSpace ?? 30)) };
  const dataMax = Math.max(0, ...input.series.flatMap((s) => s.values));
  const max = input.max ?? niceMax(dataMax);
  const n = Math.max(1, input.categories.length);
  const band = plot.width / n;
  const groupWidth = band * 0.8;
  const barWidth = groupWidth / Math.max(1, input.series.length);
  const yOf = (v: number) => plot.y + plot.height - (Math.max(0, Math.min(v, max)) / max) * plot.height;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => ({ value: max * f, y: yOf(max * f) }));
  const groups = input.categories.map((category, i) => {
    const x = plot.x + i * band + (band - groupWidth) / 2;
    return {
      category,
      x,
      width: groupWidth,
      bars: input.series.map((s, si) => {
        const value = s.values[i] ?? 0;
        const y = yOf(value);
        return { series: si, value, x: x + si * barWidth, y, width: Math.max(1, barWidth - 2), height: plot.y + plot.height - y };
      }),
    };
  });
  return { plot, max, ticks, groups };
}
