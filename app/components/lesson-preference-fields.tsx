// A child's preferences for individual lessons on the enrollment form: weekdays, times
// of day, a length and a note, all optional. Shown (by CSS, so it works without
// JavaScript) only while "Individual lessons in …" is chosen for that child.
import { useId } from "react";
import { TIME_OF_DAY_LABEL, TIMES_OF_DAY } from "~/domain/lesson-requests";
import { WEEKDAY_NAMES } from "~/domain/time";
import { entry, entryList, type FormEntries } from "~/models/online-enrollment-form";

const WEEK_FROM_MONDAY = [1, 2, 3, 4, 5, 6, 0];

export function LessonPreferenceFields({ index, values, errors, durations }: { index: number; values: FormEntries; errors: Record<string, string>; durations: readonly number[] }) {
  const p = (field: string) => `children.${index}.${field}`;
  const days = new Set(entryList(values, p("days")));
  const times = new Set(entryList(values, p("times")));
  const durationId = `${p("duration")}-${useId()}`;
  const notesId = `${p("requestNotes")}-${useId()}`;
  const error = (f: string) => errors[p(f)];
  return (
    <fieldset className="ef-choices ef-prefs">
      <legend>When would individual lessons suit you? (optional)</legend>
      <p className="muted" style={{ margin: 0 }}>
        The school looks for a teacher&rsquo;s free time that fits, and emails you the day and time.
      </p>
      <fieldset className="ef-choices">
        <legend>Days</legend>
        <div className="ef-checks">
          {WEEK_FROM_MONDAY.map((d) => (
            <label key={d} className="check inline">
              <input type="checkbox" name={p("days")} value={String(d)} defaultChecked={days.has(String(d))} /> {WEEKDAY_NAMES[d]}
            </label>
          ))}
        </div>
        {error("days") ? <p className="field-error-inline">{error("days")}</p> : null}
      </fieldset>
      <fieldset className="ef-choices">
        <legend>Times of day</legend>
        <div className="ef-checks">
          {TIMES_OF_DAY.map((t) => (
            <label key={t} className="check inline">
              <input type="checkbox" name={p("times")} value={t} defaultChecked={times.has(t)} /> {TIME_OF_DAY_LABEL[t]}
            </label>
          ))}
        </div>
        {error("times") ? <p className="field-error-inline">{error("times")}</p> : null}
      </fieldset>
      <div className="grid">
        {durations.length ? (
          <div className="field">
            <label htmlFor={durationId}>Lesson length</label>
            <select id={durationId} name={p("duration")} defaultValue={entry(values, p("duration"))} aria-invalid={error("duration") ? true : undefined} aria-describedby={error("duration") ? `${durationId}-error` : undefined}>
              <option value="">Let the school suggest</option>
              {durations.map((d) => (
                <option key={d} value={String(d)}>
                  {d} minutes
                </option>
              ))}
            </select>
            {error("duration") ? (
              <p className="field-error" id={`${durationId}-error`}>
                {error("duration")}
              </p>
            ) : null}
          </div>
        ) : null}
        <div className="field">
          <label htmlFor={notesId}>Anything else the school should know</label>
          <textarea id={notesId} name={p("requestNotes")} rows={2} maxLength={500} defaultValue={entry(values, p("requestNotes"))} aria-invalid={error("requestNotes") ? true : undefined} aria-describedby={error("requestNotes") ? `${notesId}-error` : undefined} />
          {error("requestNotes") ? (
            <p className="field-error" id={`${notesId}-error`}>
              {error("requestNotes")}
            </p>
          ) : null}
        </div>
      </div>
    </fieldset>
  );
}
