// Weekly hours and time off of one teacher: the same lists and forms for the admin
// page (any teacher) and the teacher's own page. Also the small pieces the setup
// pages share: the result notice, delete buttons, and local date formatting.
import { Form, Link, useNavigation } from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
import { addDays, WEEKDAY_NAMES } from "~/domain/time";
import { useFormat, type Formatter } from "~/utils/format";
import type { SetupResult } from "~/models/setup.server";
import { Field, FormActions, FormError, SelectField } from "./form";

// ---------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------

/** "Tue, 8 Sep 2026" (en-GB), "Tue, Sep 8, 2026" (en-US) for a local "yyyy-MM-dd" date. */
export function fullDate(fmt: Formatter, date: string) {
  return fmt.day(date, { year: "numeric" });
}

/** "Tue 8 Sep 2026 – Fri 11 Sep 2026", or one date when both are the same day. */
export function dateRange(fmt: Formatter, start: string, end: string) {
  return start === end ? fullDate(fmt, start) : `${fullDate(fmt, start)} – ${fullDate(fmt, end)}`;
}

/** `base` with `name=value` added to its query string. */
export function withParam(base: string, name: string, value: string) {
  return `${base}${base.includes("?") ? "&" : "?"}${name}=${encodeURIComponent(value)}`;
}

/** The result of the last form, if it came from one of `intents`. */
export function resultFor(result: SetupResult | null | undefined, intents: readonly string[]) {
  return result && intents.includes(result.intent) ? result : null;
}

/**
 * The answer to the last form of a section: a polite status region (always in the
 * page, so screen readers announce what appears in it) for success, and an alert
 * for a refusal that belongs to no single field.
 */
export function ResultNotice({ result, intents }: { result?: SetupResult | null; intents: readonly string[] }) {
  const mine = resultFor(result, intents);
  return (
    <>
      <div role="status" aria-live="polite">
        {mine?.ok && mine.message ? <p className="notice">{mine.message}</p> : null}
      </div>
      <FormError message={mine && !mine.ok ? mine.message : null} />
    </>
  );
}

/** The summary above a form whose fields have errors. */
export function FieldsError({ result }: { result: SetupResult | null }) {
  return <FormError message={result && !result.ok && Object.keys(result.errors).length ? "Please correct the fields marked below." : null} />;
}

/** A one-button form that deletes a row after the person confirms. */
export function DeleteButton({
  action,
  intent,
  id,
  label,
  confirmText,
  extra = {},
  children = "Delete",
  busyText = "Deleting…",
}: {
  action: string;
  intent: string;
  id: string;
  /** Accessible name, e.g. "Delete Fall 2026". */
  label: string;
  confirmText: string;
  /** More hidden fields (e.g. the room's location, so the answer shows in its card). */
  extra?: Record<string, string>;
  children?: ReactNode;
  busyText?: string;
}) {
  const busy = useBusy(intent, id);
  return (
    <Form
      method="post"
      action={action}
      preventScrollReset
      onSubmit={(event) => {
        if (!window.confirm(confirmText)) event.preventDefault();
      }}
    >
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="id" value={id} />
      {Object.entries(extra).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button className="link-button" aria-label={label} disabled={busy}>
        {busy ? busyText : children}
      </button>
    </Form>
  );
}

/** True while a form with this intent (and row id) is being submitted. */
export function useBusy(intent: string, id?: string) {
  const navigation = useNavigation();
  if (navigation.state !== "submitting" || !navigation.formData) return false;
  if (navigation.formData.get("intent") !== intent) return false;
  return id === undefined || navigation.formData.get("id") === id;
}

/** Resets the form after it succeeded (the "add" forms start empty again). */
export function useResetOnSuccess(result: SetupResult | null | undefined, intent: string) {
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (result?.ok && result.intent === intent) ref.current?.reset();
  }, [result, intent]);
  return ref;
}

/**
 * The row being edited: from the failed edit's answer (the form posted to the page
 * without `?edit`) or else from `?edit=`.
 */
export function editingId(result: SetupResult | null | undefined, editIntents: readonly string[], param: string | null) {
  if (result && !result.ok && editIntents.includes(result.intent) && result.id) return result.id;
  return param;
}

/** Values for a form: what was typed when it failed, else the row's own values. */
export function formDefaults(result: SetupResult | null, intent: string, id: string | null, own: Record<string, string>) {
  if (result && !result.ok && result.intent === intent && (id === null || result.id === id)) return result.values;
  return own;
}

/** A plain list of rows (terms, closures, rooms…): each row wraps its actions below it on a phone. */
export function Items({ children, label }: { children: ReactNode; label?: string }) {
  return (
    <ul aria-label={label} style={{ listStyle: "none", padding: 0, margin: "0 0 0.5rem" }}>
      {children}
    </ul>
  );
}

export function Item({ children, actions: buttons, current, id }: { children: ReactNode; actions?: ReactNode; current?: boolean; id?: string }) {
  return (
    <li
      id={id}
      aria-current={current ? "true" : undefined}
      className="spread"
      style={{ padding: "0.75rem 0", borderBottom: "1px solid var(--line)", alignItems: "flex-start", flexWrap: "wrap" }}
    >
      <div style={{ flex: "1 1 14rem", minWidth: 0 }}>{children}</div>
      {buttons ? <div style={actions}>{buttons}</div> : null}
    </li>
  );
}

const dayBox = { border: "1px solid var(--line)", borderRadius: "8px", padding: "0.6rem", minWidth: 0 } as const;
/** A week on one line on a wide screen, two days a row on a phone. */
const weekGrid = { display: "grid", gap: "0.75rem", gridTemplateColumns: "repeat(auto-fit, minmax(min(100%, 7.5rem), 1fr))" } as const;
const actions = { display: "flex", flexWrap: "wrap", gap: "0.25rem 1rem", alignItems: "center" } as const;

// ---------------------------------------------------------------------------
// Weekly hours
// ---------------------------------------------------------------------------

export interface HoursRow {
  id: string;
  dayOfWeek: number;
  startTime: string;
  endTime: string;
  locationId: string | null;
  locationName: string | null;
  validFrom: string | null;
  validUntil: string | null;
}

export interface LocationOption {
  id: string;
  name: string;
}

/** Monday first, as timetables are read. */
const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0] as const;
const HOURS_INTENTS = ["add-hours", "edit-hours", "delete-hours"] as const;

function validity(fmt: Formatter, w: Pick<HoursRow, "validFrom" | "validUntil">) {
  if (w.validFrom && w.validUntil) return `${fullDate(fmt, w.validFrom)} to ${fullDate(fmt, w.validUntil)}`;
  if (w.validFrom) return `from ${fullDate(fmt, w.validFrom)}`;
  if (w.validUntil) return `until ${fullDate(fmt, w.validUntil)}`;
  return null;
}

export function WeeklyHours({
  windows,
  locations,
  result,
  baseUrl,
  editParam,
  who,
}: {
  windows: HoursRow[];
  locations: LocationOption[];
  result: SetupResult | null;
  /** The page's address (with `?teacher=` on the admin page). Forms post here. */
  baseUrl: string;
  /** `?edit=` of the page. */
  editParam: string | null;
  /** "Sarah" or "You", for the empty states. */
  who: string;
}) {
  const fmt = useFormat();
  const editId = editingId(result, ["edit-hours"], editParam);
  const editing = windows.find((w) => w.id === editId) ?? null;
  const total = windows.reduce((sum, w) => sum + minutes(w.endTime) - minutes(w.startTime), 0);
  return (
    <section className="card" aria-labelledby="hours-heading">
      <div className="spread">
        <h2 id="hours-heading">Weekly hours</h2>
        {windows.length ? <p className="muted">{formatHours(total)} a week</p> : null}
      </div>
      <ResultNotice result={result} intents={HOURS_INTENTS} />
      {windows.length === 0 ? <p className="muted">{who} {who === "You" ? "have" : "has"} no weekly hours yet. Add them below.</p> : null}
      <div style={weekGrid}>
        {WEEK_ORDER.map((day) => {
          const today = windows.filter((w) => w.dayOfWeek === day);
          return (
            <section key={day} style={dayBox} aria-labelledby={`day-${day}`}>
              <h3 id={`day-${day}`} style={{ fontSize: "1rem" }}>
                {WEEKDAY_NAMES[day]}
              </h3>
              {today.length === 0 ? (
                <p className="muted" style={{ margin: 0 }}>
                  Not available
                </p>
              ) : (
                <ul style={{ listStyle: "none", padding: 0, margin: 0 }} className="stack">
                  {today.map((w) => (
                    <li key={w.id} aria-current={w.id === editing?.id ? "true" : undefined}>
                      <strong style={{ whiteSpace: "nowrap" }}>
                        {fmt.wallRange(w.startTime, w.endTime)}
                      </strong>
                      <br />
                      <span>{w.locationName ?? "Any location"}</span>
                      {validity(fmt, w) ? (
                        <>
                          <br />
                          <span className="muted">{validity(fmt, w)}</span>
                        </>
                      ) : null}
                      <div style={actions}>
                        <Link to={`${withParam(baseUrl, "edit", w.id)}#hours-form`} aria-label={`Change ${WEEKDAY_NAMES[day]} ${fmt.wallRange(w.startTime, w.endTime)}`}>
                          Change
                        </Link>
                        <DeleteButton
                          action={baseUrl}
                          intent="delete-hours"
                          id={w.id}
                          label={`Delete ${WEEKDAY_NAMES[day]} ${fmt.wallRange(w.startTime, w.endTime)}`}
                          confirmText={`Delete the ${WEEKDAY_NAMES[day]} hours ${fmt.wallRange(w.startTime, w.endTime)}?`}
                        />
                      </div>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          );
        })}
      </div>
      <HoursForm key={editing?.id ?? "new"} editing={editing} locations={locations} result={result} baseUrl={baseUrl} />
    </section>
  );
}

function HoursForm({
  editing,
  locations,
  result,
  baseUrl,
}: {
  editing: HoursRow | null;
  locations: LocationOption[];
  result: SetupResult | null;
  baseUrl: string;
}) {
  const fmt = useFormat();
  const intent = editing ? "edit-hours" : "add-hours";
  const mine = resultFor(result, [intent]);
  const errors = mine && !mine.ok && (!editing || mine.id === editing.id) ? mine.errors : {};
  const values = formDefaults(
    result,
    intent,
    editing?.id ?? null,
    editing
      ? {
          dayOfWeek: String(editing.dayOfWeek),
          startTime: editing.startTime,
          endTime: editing.endTime,
          locationId: editing.locationId ?? "",
          validFrom: editing.validFrom ?? "",
          validUntil: editing.validUntil ?? "",
        }
      : {},
  );
  const formRef = useResetOnSuccess(result, "add-hours");
  const busy = useBusy(intent);
  return (
    <div id="hours-form" style={{ marginTop: "1.5rem" }}>
      <h3>{editing ? `Change ${WEEKDAY_NAMES[editing.dayOfWeek]} ${fmt.wallRange(editing.startTime, editing.endTime)}` : "Add hours"}</h3>
      <Form method="post" action={baseUrl} preventScrollReset noValidate ref={formRef}>
        <input type="hidden" name="intent" value={intent} />
        {editing ? <input type="hidden" name="id" value={editing.id} /> : null}
        <FieldsError result={Object.keys(errors).length ? mine : null} />
        <div className="grid">
          <SelectField
            label="Day"
            name="dayOfWeek"
            defaultValue={values.dayOfWeek ?? "1"}
            error={errors.dayOfWeek}
            options={WEEK_ORDER.map((d) => ({ value: String(d), label: WEEKDAY_NAMES[d] }))}
          />
          <Field label="From" name="startTime" type="time" required defaultValue={values.startTime} error={errors.startTime} autoFocus={!!editing} />
          <Field label="Until" name="endTime" type="time" required defaultValue={values.endTime} error={errors.endTime} />
          <SelectField
            label="Location"
            name="locationId"
            defaultValue={values.locationId ?? ""}
            error={errors.locationId}
            options={[{ value: "", label: "Any location" }, ...locations.map((l) => ({ value: l.id, label: l.name }))]}
          />
          <Field
            label="Starting on (optional)"
            name="validFrom"
            type="date"
            defaultValue={values.validFrom}
            error={errors.validFrom}
            hint="Empty: these hours apply now."
          />
          <Field
            label="Ending on (optional)"
            name="validUntil"
            type="date"
            defaultValue={values.validUntil}
            error={errors.validUntil}
            hint="Empty: no end date."
          />
        </div>
        <FormActions busy={busy} editing={!!editing} saveLabel="Save hours" addLabel="Add hours" cancelTo={baseUrl} />
      </Form>
    </div>
  );
}

function minutes(hhmm: string) {
  const [h, m] = hhmm.split(":");
  return Number(h) * 60 + Number(m);
}

function formatHours(total: number) {
  const h = Math.floor(total / 60);
  const m = total % 60;
  return m ? `${h} h ${m} min` : `${h} ${h === 1 ? "hour" : "hours"}`;
}

// ---------------------------------------------------------------------------
// Time off
// ---------------------------------------------------------------------------

export interface TimeOffRow {
  id: string;
  reason: string | null;
  /** Local date and time (school's zone) of the start and end instants. */
  start: { date: string; time: string };
  end: { date: string; time: string };
}

const TIME_OFF_INTENTS = ["add-time-off", "edit-time-off", "delete-time-off"] as const;

/** "Mon 23 Nov 2026 – Tue 24 Nov 2026", "Mon 23 Nov 2026, 14:00–17:00", … */
export function describeTimeOff(fmt: Formatter, t: Pick<TimeOffRow, "start" | "end">) {
  const wholeStart = t.start.time === "00:00";
  const wholeEnd = t.end.time === "00:00";
  if (wholeStart && wholeEnd) {
    const last = addDays(t.end.date, -1);
    return last === t.start.date ? `${fullDate(fmt, t.start.date)}, all day` : dateRange(fmt, t.start.date, last);
  }
  if (t.start.date === t.end.date) return `${fullDate(fmt, t.start.date)}, ${fmt.wallRange(t.start.time, t.end.time)}`;
  const end = wholeEnd ? `end of ${fullDate(fmt, addDays(t.end.date, -1))}` : `${fullDate(fmt, t.end.date)} ${fmt.wallTime(t.end.time)}`;
  return `${fullDate(fmt, t.start.date)}${wholeStart ? "" : ` ${fmt.wallTime(t.start.time)}`} – ${end}`;
}

/** Form values of a time off: midnight starts and ends become empty times (whole days). */
function timeOffValues(t: TimeOffRow): Record<string, string> {
  const endsAtMidnight = t.end.time === "00:00";
  return {
    startDate: t.start.date,
    startTime: t.start.time === "00:00" ? "" : t.start.time,
    endDate: endsAtMidnight ? addDays(t.end.date, -1) : t.end.date,
    endTime: endsAtMidnight ? "" : t.end.time,
    reason: t.reason ?? "",
  };
}

function TimeOffList({ rows, baseUrl, label }: { rows: TimeOffRow[]; baseUrl: string; label: string }) {
  const fmt = useFormat();
  return (
    <Items label={label}>
      {rows.map((t) => (
        <Item
          key={t.id}
          actions={
            <>
              <Link to={`${withParam(baseUrl, "edit", t.id)}#time-off-form`} aria-label={`Change time off ${describeTimeOff(fmt, t)}`}>
                Change
              </Link>
              <DeleteButton
                action={baseUrl}
                intent="delete-time-off"
                id={t.id}
                label={`Delete time off ${describeTimeOff(fmt, t)}`}
                confirmText={`Delete the time off ${describeTimeOff(fmt, t)}?`}
              />
            </>
          }
        >
          <strong>{describeTimeOff(fmt, t)}</strong>
          <br />
          <span className="muted">{t.reason ?? "No reason given"}</span>
        </Item>
      ))}
    </Items>
  );
}

export function TimeOff({
  upcoming,
  past,
  result,
  baseUrl,
  editParam,
  timeZone,
  who,
}: {
  upcoming: TimeOffRow[];
  past: TimeOffRow[];
  result: SetupResult | null;
  baseUrl: string;
  editParam: string | null;
  timeZone: string;
  who: string;
}) {
  const editId = editingId(result, ["edit-time-off"], editParam);
  const editing = [...upcoming, ...past].find((t) => t.id === editId) ?? null;
  return (
    <section className="card" aria-labelledby="time-off-heading">
      <h2 id="time-off-heading">Time off</h2>
      <ResultNotice result={result} intents={TIME_OFF_INTENTS} />
      {upcoming.length ? (
        <TimeOffList rows={upcoming} baseUrl={baseUrl} label="Current and coming up" />
      ) : (
        <p className="muted">{who === "You" ? "You have" : `${who} has`} no time off coming up.</p>
      )}
      {past.length ? (
        <details open={!!editing && past.includes(editing)}>
          <summary>Past time off ({past.length})</summary>
          <TimeOffList rows={past} baseUrl={baseUrl} label="Past time off, latest first" />
        </details>
      ) : null}
      <TimeOffForm key={editing?.id ?? "new"} editing={editing} result={result} baseUrl={baseUrl} timeZone={timeZone} />
    </section>
  );
}

function TimeOffForm({
  editing,
  result,
  baseUrl,
  timeZone,
}: {
  editing: TimeOffRow | null;
  result: SetupResult | null;
  baseUrl: string;
  timeZone: string;
}) {
  const fmt = useFormat();
  const intent = editing ? "edit-time-off" : "add-time-off";
  const mine = resultFor(result, [intent]);
  const errors = mine && !mine.ok && (!editing || mine.id === editing.id) ? mine.errors : {};
  const values = formDefaults(result, intent, editing?.id ?? null, editing ? timeOffValues(editing) : {});
  const formRef = useResetOnSuccess(result, "add-time-off");
  const busy = useBusy(intent);
  return (
    <div id="time-off-form" style={{ marginTop: "1.5rem" }}>
      <h3>{editing ? `Change time off ${describeTimeOff(fmt, editing)}` : "Add time off"}</h3>
      <p className="muted">Leave the times empty for whole days. Times are in the school’s time zone ({timeZone}).</p>
      <Form method="post" action={baseUrl} preventScrollReset noValidate ref={formRef}>
        <input type="hidden" name="intent" value={intent} />
        {editing ? <input type="hidden" name="id" value={editing.id} /> : null}
        <FieldsError result={Object.keys(errors).length ? mine : null} />
        <div className="grid">
          <Field label="First day" name="startDate" type="date" required defaultValue={values.startDate} error={errors.startDate} autoFocus={!!editing} />
          <Field label="Start time (optional)" name="startTime" type="time" defaultValue={values.startTime} error={errors.startTime} />
          <Field label="Last day" name="endDate" type="date" required defaultValue={values.endDate} error={errors.endDate} />
          <Field label="End time (optional)" name="endTime" type="time" defaultValue={values.endTime} error={errors.endTime} />
        </div>
        <Field label="Reason (optional)" name="reason" defaultValue={values.reason} error={errors.reason} maxLength={200} />
        <FormActions busy={busy} editing={!!editing} saveLabel="Save time off" addLabel="Add time off" cancelTo={baseUrl} />
      </Form>
    </div>
  );
}
