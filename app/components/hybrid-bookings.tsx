// The "who has booked which 1-on-1 week" table of a hybrid lesson, shown to the
// admin (lesson's 1-on-1 weeks page) and to its teacher (/teach/hybrid/:configId).
// Styles: app/styles/hybrid.css (routes add it through `links`).
import { formatDateTime, formatTime } from "~/utils/format";

/** "Sep 8" for a local date (no time zone involved). */
function shortDay(date: string, opts: Intl.DateTimeFormatOptions = { month: "short", day: "numeric" }) {
  return new Intl.DateTimeFormat("en-US", { timeZone: "UTC", ...opts }).format(new Date(`${date}T12:00:00Z`));
}

/** A week's local dates: "Sep 8–14", "Sep 29 – Oct 5", "Dec 5" (a one-day week). */
export function weekRangeLabel(from: string, to: string) {
  if (from === to) return shortDay(from);
  if (from.slice(0, 7) === to.slice(0, 7)) return `${shortDay(from)}–${shortDay(to, { day: "numeric" })}`;
  return `${shortDay(from)} – ${shortDay(to)}`;
}

export interface BookingWeek {
  weekNumber: number;
  weekStart: string;
  weekEnd: string;
}

export interface BookingStudent {
  id: string;
  name: string;
  unbookedWeeks: readonly number[];
  sessions: readonly { week: number | null; startsAt: string | Date; endsAt: string | Date }[];
}

/** One row per student, one column per 1-on-1 week: the booked session or "Not booked". */
export function HybridBookingsTable({
  weeks,
  students,
  timeZone,
  showTotals = false,
}: {
  weeks: readonly BookingWeek[];
  students: readonly BookingStudent[];
  timeZone: string;
  /** A last "Booked" row: how many students booked each week. */
  showTotals?: boolean;
}) {
  return (
    <div className="table-wrap">
      <table className="stack-table">
        <thead>
          <tr>
            <th scope="col">Student</th>
            {weeks.map((w) => (
              <th scope="col" key={w.weekNumber}>
                Week {w.weekNumber}
                <br />
                <span style={{ textTransform: "none", fontWeight: 400 }}>{weekRangeLabel(w.weekStart, w.weekEnd)}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {students.map((s) => (
            <tr key={s.id}>
              <th scope="row" className="hy-name">
                {s.name}
              </th>
              {weeks.map((w) => {
                const session = s.sessions.find((x) => x.week === w.weekNumber);
                return (
                  <td key={w.weekNumber} data-label={`Week ${w.weekNumber}`}>
                    {session ? (
                      <span className="hy-booked">
                        {formatDateTime(session.startsAt, timeZone)}–{formatTime(session.endsAt, timeZone)}
                      </span>
                    ) : (
                      <span className="hy-missing">Not booked</span>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
          {showTotals ? (
            <tr>
              <th scope="row">Booked</th>
              {weeks.map((w) => (
                <td key={w.weekNumber} className="hy-count" data-label={`Week ${w.weekNumber}`}>
                  {students.filter((s) => !s.unbookedWeeks.includes(w.weekNumber)).length}/{students.length}
                </td>
              ))}
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
