// The register of one lesson date, made for a phone in a teacher's hand: every
// student is a big Present / Absent pair (present unless changed), with an
// optional absence reason and note, then the lesson notes and one Save button.
// It posts through a fetcher, so several registers on one page each keep their
// own state and answer; the route's action reads it with parseAttendanceForm.
import { useFetcher } from "@remix-run/react";
import { useEffect, useId, useState } from "react";
import { useFormat } from "~/utils/format";

export interface RegisterStudent {
  id: string;
  name: string;
  record: { present: boolean; absenceReason: string | null; notes: string | null; absenceNotified: boolean } | null;
}

export interface RegisterOccurrence {
  id: string;
  startsAt: string | Date;
  endsAt: string | Date;
  status: string;
  notes: string | null;
  lesson: { title: string };
  room: { name: string } | null;
}

export interface AttendanceResult {
  ok: boolean;
  message: string;
  occurrenceId: string | null;
}

function StudentRow({ student, disabled }: { student: RegisterStudent; disabled: boolean }) {
  const id = useId();
  const [absent, setAbsent] = useState(student.record ? !student.record.present : false);
  useEffect(() => setAbsent(student.record ? !student.record.present : false), [student.record]);
  const nameId = `${id}-name`;
  return (
    <li className="att-row">
      <input type="hidden" name="studentId" value={student.id} />
      <div>
        <div className="att-name" id={nameId}>
          {student.name}
        </div>
        {student.record?.absenceNotified ? <span className="badge warn">Family told the school ahead</span> : null}
      </div>
      <div className="att-toggle" role="radiogroup" aria-labelledby={nameId}>
        <input type="radio" id={`${id}-p`} name={`present-${student.id}`} value="present" checked={!absent} onChange={() => setAbsent(false)} disabled={disabled} />
        <label htmlFor={`${id}-p`} className="present">
          Present
        </label>
        <input type="radio" id={`${id}-a`} name={`present-${student.id}`} value="absent" checked={absent} onChange={() => setAbsent(true)} disabled={disabled} />
        <label htmlFor={`${id}-a`} className="absent">
          Absent
        </label>
      </div>
      <div className="att-extra">
        {absent ? (
          <input
            name={`reason-${student.id}`}
            aria-label={`Reason ${student.name} was absent (optional)`}
            placeholder="Reason (optional): sick, holiday…"
            defaultValue={student.record?.absenceReason ?? ""}
            maxLength={200}
            disabled={disabled}
          />
        ) : null}
        <details open={Boolean(student.record?.notes)}>
          <summary>{student.record?.notes ? "Note" : "Add a note"}</summary>
          <textarea
            name={`note-${student.id}`}
            aria-label={`Note about ${student.name}`}
            rows={2}
            defaultValue={student.record?.notes ?? ""}
            maxLength={2000}
            disabled={disabled}
          />
        </details>
      </div>
    </li>
  );
}

/**
 * The register of one occurrence. `open` is false before attendance opens (an
 * hour before the start) or for a cancelled date; the list is then read-only.
 */
export function AttendanceForm({
  occurrence,
  students,
  timeZone,
  open,
  closedReason,
  action,
  headingLevel = 2,
}: {
  occurrence: RegisterOccurrence;
  students: RegisterStudent[];
  timeZone: string;
  open: boolean;
  closedReason?: string | null;
  action?: string;
  headingLevel?: 2 | 3;
}) {
  const fmt = useFormat();
  const fetcher = useFetcher<AttendanceResult>({ key: `attendance-${occurrence.id}` });
  const busy = fetcher.state !== "idle";
  const result = fetcher.data && fetcher.data.occurrenceId === occurrence.id ? fetcher.data : fetcher.data && !fetcher.data.occurrenceId ? fetcher.data : null;
  const recorded = students.filter((s) => s.record).length;
  const present = students.filter((s) => s.record?.present).length;
  const H = headingLevel === 2 ? "h2" : "h3";
  const headingId = `att-${occurrence.id}`;
  const cancelled = occurrence.status === "CANCELLED" || occurrence.status === "CANCELLED_BY_TEACHER";
  return (
    <section className="card att-card" aria-labelledby={headingId}>
      <div className="spread">
        <div>
          <H id={headingId}>{occurrence.lesson.title}</H>
          <p className="muted" style={{ margin: 0 }}>
            {fmt.time(occurrence.startsAt)}–{fmt.time(occurrence.endsAt)} · {occurrence.room?.name ?? "Online"} · {students.length}{" "}
            {students.length === 1 ? "student" : "students"}
          </p>
        </div>
        {cancelled ? (
          <span className="badge danger">Cancelled</span>
        ) : recorded ? (
          <span className="badge ok">
            Taken: {present}/{recorded} present
          </span>
        ) : (
          <span className="badge warn">Not taken yet</span>
        )}
      </div>
      {!open ? (
        <>
          <p className="muted">{closedReason ?? "Attendance is not open for this lesson."}</p>
          {students.length ? (
            <ul>
              {students.map((s) => (
                <li key={s.id}>{s.name}</li>
              ))}
            </ul>
          ) : null}
        </>
      ) : (
        <fetcher.Form method="post" action={action} aria-label={`Attendance for ${occurrence.lesson.title}`} style={{ marginTop: "0.75rem" }}>
          <input type="hidden" name="occurrenceId" value={occurrence.id} />
          {students.length === 0 ? (
            <p className="muted">No students are enrolled in this lesson. You can still write the lesson notes.</p>
          ) : (
            <ul className="att-list">
              {students.map((s) => (
                <StudentRow key={s.id} student={s} disabled={busy} />
              ))}
            </ul>
          )}
          <div className="field">
            <label htmlFor={`${headingId}-notes`}>Lesson notes</label>
            <span className="hint" id={`${headingId}-notes-hint`}>
              What you covered and what to practise. Seen by the school.
            </span>
            <textarea id={`${headingId}-notes`} name="notes" rows={3} defaultValue={occurrence.notes ?? ""} aria-describedby={`${headingId}-notes-hint`} maxLength={5000} />
          </div>
          <div role="status" aria-live="polite">
            {result?.ok ? <p className="notice">{result.message}</p> : null}
          </div>
          {result && !result.ok ? (
            <div className="form-error" role="alert">
              {result.message}
            </div>
          ) : null}
          <button className="button full att-save" disabled={busy}>
            {busy ? "Saving…" : recorded ? "Save changes" : "Save attendance"}
          </button>
        </fetcher.Form>
      )}
    </section>
  );
}
