// The "who has booked which 1-on-1 week" table of a hybrid lesson, shown to the
// admin (lesson's 1-on-1 weeks page) and to its teacher (/teach/hybrid/:configId).
// Styles: app/styles/hybrid.css (routes add it through `links`).
import { useFormat } from "~/utils/format";



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
  const fmt = useFormat();
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
                <span style={{ textTransform: "none", fontWeight: 400 }}>{fmt.dayRange(w.weekStart, w.weekEnd)}</span>
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
                        {fmt.dateTime(session.startsAt)}–{fmt.time(session.endsAt)}
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
