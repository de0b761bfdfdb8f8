// A class's roster (enrolled, waiting for approval, waitlist in order, and who
// left, with dates) and the searchable student picker used to enroll someone.
// Every action is a small POST form with an `intent` and the enrollment's id.
import { Form } from "@remix-run/react";
import { useId, useMemo, useState } from "react";
import { useFormat } from "~/utils/format";

export interface RosterEntry {
  id: string;
  status: string;
  enrolledAt: string | Date;
  student: { id: string; instrument: string | null; user: { firstName: string; lastName: string } };
}

export interface EndedEntry extends RosterEntry {
  unenrolledAt: string | Date | null;
  droppedAt: string | Date | null;
  completedAt: string | Date | null;
  decidedAt: string | Date | null;
}

const fullName = (e: { student: { user: { firstName: string; lastName: string } } }) => `${e.student.user.firstName} ${e.student.user.lastName}`;

function ActionButton({ intent, id, label, tone = "secondary", confirm }: { intent: string; id: string; label: string; tone?: "secondary" | "danger" | "primary"; confirm?: string }) {
  return (
    <Form
      method="post"
      preventScrollReset
      onSubmit={(event) => {
        if (confirm && !window.confirm(confirm)) event.preventDefault();
      }}
    >
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="enrollmentId" value={id} />
      <button className={`button small ${tone === "primary" ? "" : tone}`}>{label}</button>
    </Form>
  );
}

export function Roster({
  entries,
  ended = [],
  maxStudents,
  timeZone,
}: {
  entries: RosterEntry[];
  ended?: EndedEntry[];
  maxStudents: number | null;
  timeZone: string;
}) {
  const fmt = useFormat();
  const active = entries.filter((e) => e.status === "ACTIVE");
  const pending = entries.filter((e) => e.status === "PENDING");
  const waitlist = entries.filter((e) => e.status === "WAITLISTED");
  const seatFree = maxStudents === null || active.length < maxStudents;
  const since = (d: string | Date) => fmt.dateTime(d, { hour: undefined, minute: undefined, year: "numeric" });
  return (
    <div className="stack">
      <section aria-labelledby="roster-active">
        <h3 id="roster-active">
          Enrolled <span className="muted">({maxStudents === null ? `${active.length}, no limit` : `${active.length} of ${maxStudents}`})</span>
        </h3>
        {active.length === 0 ? (
          <p className="muted">Nobody is enrolled yet.</p>
        ) : (
          <ul className="roster-list">
            {active.map((e) => (
              <li key={e.id} aria-label={fullName(e)}>
                <div className="roster-who">
                  <strong>{fullName(e)}</strong>
                  <div className="muted">
                    {e.student.instrument ? `${e.student.instrument} · ` : ""}since {since(e.enrolledAt)}
                  </div>
                </div>
                <div className="roster-actions">
                  <ActionButton intent="end-COMPLETED" id={e.id} label="Completed" />
                  <ActionButton intent="end-DROPPED" id={e.id} label="Dropped out" confirm={`Mark ${fullName(e)} as dropped out?`} />
                  <ActionButton intent="end-UNENROLLED" id={e.id} label="Unenroll" tone="danger" confirm={`Unenroll ${fullName(e)}?`} />
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>

      {pending.length ? (
        <section aria-labelledby="roster-pending">
          <h3 id="roster-pending">Waiting for approval ({pending.length})</h3>
          <ul className="roster-list">
            {pending.map((e) => (
              <li key={e.id} aria-label={fullName(e)}>
                <div className="roster-who">
                  <strong>{fullName(e)}</strong>
                  <div className="muted">asked {since(e.enrolledAt)}</div>
                </div>
                <div className="roster-actions">
                  <ActionButton intent="approve" id={e.id} label="Approve" tone="primary" />
                  <ActionButton intent="reject" id={e.id} label="Reject" tone="danger" confirm={`Reject ${fullName(e)}'s enrollment? The family is emailed.`} />
                </div>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {waitlist.length ? (
        <section aria-labelledby="roster-waitlist">
          <h3 id="roster-waitlist">Waitlist ({waitlist.length})</h3>
          <ol className="roster-list">
            {waitlist.map((e, i) => (
              <li key={e.id} aria-label={fullName(e)}>
                <div className="roster-who">
                  <span className="position" aria-label={`Position ${i + 1}`}>
                    {i + 1}
                  </span>
                  <strong>{fullName(e)}</strong>
                  <div className="muted">waiting since {since(e.enrolledAt)}</div>
                </div>
                <div className="roster-actions">
                  {seatFree && i === 0 ? <ActionButton intent="promote" id={e.id} label="Give the seat" tone="primary" /> : null}
                  <ActionButton intent="end-UNENROLLED" id={e.id} label="Remove" tone="danger" confirm={`Take ${fullName(e)} off the waitlist?`} />
                </div>
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      {ended.length ? (
        <details>
          <summary>Past students ({ended.length})</summary>
          <ul className="roster-list">
            {ended.map((e) => {
              const at = e.unenrolledAt ?? e.droppedAt ?? e.completedAt ?? e.decidedAt;
              const label = { UNENROLLED: "Unenrolled", DROPPED: "Dropped out", COMPLETED: "Completed", REJECTED: "Rejected" }[e.status] ?? e.status;
              return (
                <li key={e.id}>
                  <span>
                    <strong>{fullName(e)}</strong> <span className="muted">enrolled {since(e.enrolledAt)}</span>
                  </span>
                  <span className="badge muted">
                    {label}
                    {at ? ` ${since(at)}` : ""}
                  </span>
                </li>
              );
            })}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

export interface PickableStudent {
  id: string;
  name: string;
  detail?: string | null;
}

/**
 * A student menu with a search box that narrows it as you type (a plain menu
 * without JavaScript). The selected student is sent as `name`.
 */
export function StudentPicker({ students, name = "studentId", label = "Student", error, defaultValue }: { students: PickableStudent[]; name?: string; label?: string; error?: string; defaultValue?: string }) {
  const id = useId();
  const [query, setQuery] = useState("");
  const [selected, setSelected] = useState(defaultValue ?? "");
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!q) return students;
    return students.filter((s) => s.id === selected || `${s.name} ${s.detail ?? ""}`.toLowerCase().includes(q));
  }, [students, query, selected]);
  return (
    <div className="grid">
      <div className="field">
        <label htmlFor={`${id}-search`}>Find a student</label>
        <input
          id={`${id}-search`}
          type="search"
          placeholder="Type a name"
          autoComplete="off"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            const q = e.target.value.trim().toLowerCase();
            const first = students.find((s) => `${s.name} ${s.detail ?? ""}`.toLowerCase().includes(q));
            if (q && first) setSelected(first.id);
          }}
        />
        {query && shown.length === 0 ? <span className="hint">No student matches “{query}”.</span> : null}
      </div>
      <div className="field">
        <label htmlFor={`${id}-select`}>{label}</label>
        <select
          id={`${id}-select`}
          name={name}
          value={selected}
          onChange={(e) => setSelected(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        >
          <option value="">Choose a student…</option>
          {shown.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
              {s.detail ? ` — ${s.detail}` : ""}
            </option>
          ))}
        </select>
        {error ? (
          <p className="field-error" id={`${id}-error`}>
            {error}
          </p>
        ) : null}
      </div>
    </div>
  );
}
