// The school calendar for admins: day / week / month, filters as a plain GET form,
// and drag-and-drop rescheduling in the time grid. A drop is confirmed (and may
// change the room), then posted here as {intent: "move"}; the move runs through
// editOccurrences (scope THIS), so every scheduling rule and the database's
// exclusion constraints apply. A refusal answers 409 with the clash, and nothing moves.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useFetcher, useLoaderData } from "@remix-run/react";
import { useId, useState } from "react";
import { z } from "zod";
import { CalendarLegend, Dialog, MonthGrid, TimeGrid, itemTitle, markerItem, timeRange, toCalendarItem, type CalendarItem, type DropTarget } from "~/components/calendar";
import { hybridWeekMarkers } from "~/models/hybrid.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { LESSON_TYPES, LESSON_TYPE_STYLE, parseAnchorDate, parseCalendarView, visibleRange, type CalendarView, type LessonTypeName } from "~/domain/calendar-view";
import { isValidLocalDate, localDateTimeToUtc, toLocalDate, tryParseTime } from "~/domain/time";
import { calendarFilterOptions, calendarOccurrences } from "~/models/calendar.server";
import { moveOccurrence, occurrenceSummary } from "~/models/occurrence-changes.server";
import { SchedulingConflictError, SchedulingInputError } from "~/models/scheduling.server";
import { oneOnOneWeekLabel } from "~/models/school-settings.server";
import calendarCss from "~/styles/calendar.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { formatterFor, useFormat } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Calendar" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: calendarCss }];

const FILTER_KEYS = ["location", "teacher", "room", "type"] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type Filters = Partial<Record<FilterKey, string>>;

/** Only the calendar's own parameters (never a notice) from a query string. */
function calendarParams(search: URLSearchParams): { view: CalendarView | null; date: string | null; filters: Filters } {
  const filters: Filters = {};
  for (const key of FILTER_KEYS) {
    const value = search.get(key)?.trim();
    if (value && value.length <= 64) filters[key] = value;
  }
  if (filters.type && !LESSON_TYPES.includes(filters.type as LessonTypeName)) delete filters.type;
  const view = search.get("view");
  const date = search.get("date");
  return { view: view ? parseCalendarView(view) : null, date: isValidLocalDate(date) ? date : null, filters };
}

function calendarHref(view: CalendarView, date: string, filters: Filters): string {
  const params = new URLSearchParams({ view, date });
  for (const key of FILTER_KEYS) if (filters[key]) params.set(key, filters[key]!);
  return `/admin/calendar?${params}`;
}

function emailedText(count: number): string {
  if (count === 0) return "No family needed an email.";
  return `${count} ${count === 1 ? "email" : "emails"} sent to families.`;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const timeZone = school.timezone;
  const url = new URL(request.url);
  const params = calendarParams(url.searchParams);
  const today = toLocalDate(context.clock.now(), timeZone);
  const view = params.view ?? "week";
  const range = visibleRange(view, parseAnchorDate(params.date, today), formatterFor(school), today);
  const f = params.filters;

  const noticeKind = url.searchParams.get("notice");
  const noticeId = url.searchParams.get("occurrence");
  const showMarkers = !f.location && (!f.type || f.type === "HYBRID");
  const { occurrences, options, noticeRow, markers, label } = await db.run(async (tx) => {
    const occurrences = await calendarOccurrences(tx, range.from, range.to, {
      locationId: f.location ?? null,
      teacherId: f.teacher ?? null,
      roomId: f.room ?? null,
      type: (f.type as LessonTypeName | undefined) ?? null,
      includeCancelled: true,
      schoolId: db.schoolId,
    });
    const options = await calendarFilterOptions(tx);
    const noticeRow = noticeKind && noticeId ? await occurrenceSummary(tx, noticeId) : null;
    const markers = showMarkers ? await hybridWeekMarkers(tx, timeZone, range.from, range.to, { teacherId: f.teacher ?? null, roomId: f.room ?? null }) : [];
    const label = await oneOnOneWeekLabel(tx);
    return { occurrences, options, noticeRow, markers, label };
  });

  let notice: string | null = null;
  if (noticeRow) {
    const emailed = Number(url.searchParams.get("emailed") ?? "0") || 0;
    const changed = Number(url.searchParams.get("changed") ?? "1") || 1;
    const fmt = formatterFor(school);
    const day = fmt.day(toLocalDate(noticeRow.startsAt, timeZone));
    if (noticeKind === "moved") {
      const when = `${day}, ${fmt.time(noticeRow.startsAt)}–${fmt.time(noticeRow.endsAt)}`;
      notice = `${noticeRow.lesson.title} now meets ${when} in ${noticeRow.room?.name ?? "an online room"}.${changed > 1 ? ` ${changed} dates changed.` : ""} ${emailedText(emailed)}`;
    } else if (noticeKind === "cancelled") {
      notice = `${noticeRow.lesson.title} on ${day} is cancelled. ${emailedText(emailed)}`;
    }
  }

  return {
    timeZone,
    view,
    range: { start: range.start, end: range.end, days: range.days, weeks: range.weeks, prev: range.prev, next: range.next, today: range.today, anchor: range.anchor, month: range.month, title: range.title },
    filters: f,
    items: [...occurrences.map((o) => toCalendarItem(o)), ...markers.map((m) => markerItem(m, label))].sort((a, b) => a.start.localeCompare(b.start)),
    options,
    notice,
  };
}

const moveSchema = z.object({
  intent: z.literal("move"),
  occurrenceId: z.string().min(1).max(64),
  date: z.string().refine(isValidLocalDate, "Choose a date."),
  time: z.string().refine((t) => {
    const m = tryParseTime(t);
    return m !== null && m < 24 * 60;
  }, "Choose a time."),
  /** A room id, "none" for online, or empty to keep the room. */
  roomId: z.string().max(64).optional(),
});

type MoveResult = { ok: true; message: string; occurrenceId: string } | { ok: false; message: string; conflicts: string[]; occurrenceId: string | null };


export async function action({ request, context }: ActionFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const timeZone = school.timezone;
  const parsed = moveSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    return data<MoveResult>({ ok: false, message: parsed.error.issues[0]?.message ?? "That move was not understood.", conflicts: [], occurrenceId: null }, { status: 400 });
  }
  const input = parsed.data;
  try {
    const { occurrenceId, date, time, roomId } = input;
    const result = await db.run((tx) => moveOccurrence(tx, context.mailer, { occurrenceId, date, time, roomId, timeZone, schoolName: school.name, now: context.clock.now() }));
    const message = result.moved
      ? `${result.title} moved to ${result.moved.after}${result.moved.where}. ${emailedText(result.emailed)}`
      : `${result.title} is already at that time and room; nothing changed.`;
    return data<MoveResult>({ ok: true, message, occurrenceId: input.occurrenceId });
  } catch (error) {
    if (error instanceof SchedulingConflictError) {
      const conflicts = [...new Set(error.conflicts.map((c) => c.message))];
      return data<MoveResult>({ ok: false, message: "This move was refused: it clashes with the calendar.", conflicts, occurrenceId: input.occurrenceId }, { status: 409 });
    }
    if (error instanceof SchedulingInputError || error instanceof RangeError) {
      return data<MoveResult>({ ok: false, message: error.message, conflicts: [], occurrenceId: input.occurrenceId }, { status: 400 });
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------

const VIEW_LABEL: Record<CalendarView, string> = { day: "Day", week: "Week", month: "Month" };

export default function AdminCalendar() {
  const { timeZone, view, range, filters, items, options, notice } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>();
  const [drop, setDrop] = useState<DropTarget | null>(null);
  const [dismissed, setDismissed] = useState<unknown>(null);
  const here = calendarHref(view, range.anchor, filters);
  const back = here.slice(here.indexOf("?") + 1);
  const dayHref = (d: string) => calendarHref("day", d, filters);
  const interaction = {
    hrefFor: (item: CalendarItem) =>
      item.kind === "WEEK_MARKER" ? `/admin/lessons/${item.lessonId}/hybrid` : `/admin/occurrences/${item.id}?back=${encodeURIComponent(back)}`,
    showRoster: true,
  };
  const result = fetcher.state === "idle" && fetcher.data && fetcher.data !== dismissed ? fetcher.data : null;
  const pendingId = fetcher.state !== "idle" ? String(fetcher.formData?.get("occurrenceId") ?? "") : null;
  const rooms = options.locations.flatMap((l) => l.rooms);
  const filterCount = FILTER_KEYS.filter((k) => filters[k]).length;
  const label = view === "day" ? `Day: ${range.title}` : view === "week" ? `Week: ${range.title}` : range.title;

  return (
    <div className="stack">
      <div className="cal-toolbar">
        <div>
          <h1>Calendar</h1>
          <p className="cal-range" aria-live="polite">
            {range.title}
          </p>
        </div>
        <div className="cal-nav">
          <nav aria-label="Dates" className="cal-nav">
            <Link className="button secondary" to={calendarHref(view, range.prev, filters)} rel="prev">
              <span aria-hidden="true">←</span> Previous<span className="visually-hidden"> {view}</span>
            </Link>
            <Link className="button secondary" to={calendarHref(view, range.today, filters)}>
              Today
            </Link>
            <Link className="button secondary" to={calendarHref(view, range.next, filters)} rel="next">
              Next<span className="visually-hidden"> {view}</span> <span aria-hidden="true">→</span>
            </Link>
          </nav>
          <nav aria-label="View" className="cal-views">
            {(["day", "week", "month"] as const).map((v) => (
              <Link key={v} to={calendarHref(v, range.anchor, filters)} aria-current={v === view ? "page" : undefined}>
                {VIEW_LABEL[v]}
              </Link>
            ))}
          </nav>
        </div>
      </div>

      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <div className="cal-messages">
        {result ? (
          result.ok ? (
            <p className="notice" role="status">
              {result.message}
            </p>
          ) : (
            <div className="form-error cal-alert" role="alert">
              <div>
                <strong>{result.message}</strong>
                {result.conflicts.length ? (
                  <ul>
                    {result.conflicts.map((c) => (
                      <li key={c}>{c}</li>
                    ))}
                  </ul>
                ) : null}
                <span>The lesson stays where it was.</span>
              </div>
              <button type="button" className="link-button" onClick={() => setDismissed(fetcher.data)}>
                Dismiss
              </button>
            </div>
          )
        ) : null}
        {pendingId ? (
          <p className="notice" role="status">
            Moving…
          </p>
        ) : null}
      </div>

      <section className="card" aria-labelledby="cal-filters-title">
        <h2 id="cal-filters-title" className="visually-hidden">
          Filters
        </h2>
        <Form method="get" className="cal-filters">
          <input type="hidden" name="view" value={view} />
          <div className="field">
            <label htmlFor="cal-date">Date</label>
            <input id="cal-date" type="date" name="date" defaultValue={range.anchor} key={range.anchor} />
          </div>
          <div className="field">
            <label htmlFor="cal-location">Location</label>
            <select id="cal-location" name="location" defaultValue={filters.location ?? ""} key={`l${filters.location}`}>
              <option value="">All locations</option>
              {options.locations.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="cal-teacher">Teacher</label>
            <select id="cal-teacher" name="teacher" defaultValue={filters.teacher ?? ""} key={`t${filters.teacher}`}>
              <option value="">All teachers</option>
              {options.teachers.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.firstName} {t.lastName}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="cal-room">Room</label>
            <select id="cal-room" name="room" defaultValue={filters.room ?? ""} key={`r${filters.room}`}>
              <option value="">All rooms</option>
              {options.locations.map((l) => (
                <optgroup key={l.id} label={l.name}>
                  {l.rooms.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.name}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="cal-type">Lesson type</label>
            <select id="cal-type" name="type" defaultValue={filters.type ?? ""} key={`y${filters.type}`}>
              <option value="">All types</option>
              {LESSON_TYPES.map((t) => (
                <option key={t} value={t}>
                  {LESSON_TYPE_STYLE[t].label}
                </option>
              ))}
            </select>
          </div>
          <div className="cal-filter-actions">
            <button className="button" type="submit">
              Apply filters
            </button>
            {filterCount ? <Link to={calendarHref(view, range.anchor, {})}>Clear filters ({filterCount})</Link> : null}
          </div>
        </Form>
      </section>

      <CalendarLegend />
      {view !== "month" ? (
        <p className="muted cal-hint">
          <span className="cal-wide-only">Drag a lesson to another time or day to move it (families are emailed), or open it to edit, move the whole series or cancel it.</span>
          <span className="cal-phone-only">Open a lesson to move it, change the series or cancel it.</span>
        </p>
      ) : null}
      {items.length === 0 ? <p className="muted">Nothing scheduled {view === "day" ? "on this day" : `in this ${view}`}{filterCount ? " with these filters" : ""}.</p> : null}

      {view === "month" ? (
        <MonthGrid weeks={range.weeks} month={range.month} items={items} timeZone={timeZone} today={range.today} interaction={interaction} dayHref={dayHref} label={label} />
      ) : (
        <TimeGrid
          days={range.days}
          items={items}
          timeZone={timeZone}
          today={range.today}
          interaction={interaction}
          dayHref={view === "week" ? dayHref : undefined}
          canDrag={(item) => item.kind === "LESSON" && item.status === "SCHEDULED"}
          onDrop={(target) => {
            setDismissed(fetcher.data);
            setDrop(target);
          }}
          pendingId={pendingId}
          label={label}
        />
      )}

      <DropDialog
        drop={drop}
        timeZone={timeZone}
        locations={options.locations}
        knownRoom={(id) => rooms.some((r) => r.id === id)}
        onCancel={() => setDrop(null)}
        onConfirm={(form) => {
          fetcher.submit(form, { method: "post" });
          setDrop(null);
        }}
      />
    </div>
  );
}

function DropDialog({
  drop,
  timeZone,
  locations,
  knownRoom,
  onCancel,
  onConfirm,
}: {
  drop: DropTarget | null;
  timeZone: string;
  locations: { id: string; name: string; rooms: { id: string; name: string }[] }[];
  knownRoom: (id: string) => boolean;
  onCancel: () => void;
  onConfirm: (form: FormData) => void;
}) {
  const titleId = useId();
  return (
    <Dialog open={drop !== null} onClose={onCancel} labelledBy={titleId}>
      {drop ? (
        <DropForm key={`${drop.item.id} ${drop.date} ${drop.time}`} drop={drop} titleId={titleId} timeZone={timeZone} locations={locations} knownRoom={knownRoom} onCancel={onCancel} onConfirm={onConfirm} />
      ) : null}
    </Dialog>
  );
}

function DropForm({
  drop,
  titleId,
  timeZone,
  locations,
  knownRoom,
  onCancel,
  onConfirm,
}: {
  drop: DropTarget;
  titleId: string;
  timeZone: string;
  locations: { id: string; name: string; rooms: { id: string; name: string }[] }[];
  knownRoom: (id: string) => boolean;
  onCancel: () => void;
  onConfirm: (form: FormData) => void;
}) {
  const fmt = useFormat();
  const { item } = drop;
  const roomId = useId();
  // A room the filters do not list (none should) is kept as it is: "".
  const [room, setRoom] = useState(item.roomId ? (knownRoom(item.roomId) ? item.roomId : "") : "none");
  const minutes = (Date.parse(item.end) - Date.parse(item.start)) / 60_000;
  const newStart = localDateTimeToUtc(drop.date, drop.time, timeZone);
  const newEnd = new Date(newStart.getTime() + minutes * 60_000);
  const fromText = `${fmt.day(toLocalDate(new Date(item.start), timeZone))}, ${timeRange(item, fmt)}`;
  const toText = `${fmt.day(drop.date)}, ${fmt.time(newStart)}–${fmt.time(newEnd)}`;
  return (
    <form
      method="post"
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        onConfirm(new FormData(e.currentTarget));
      }}
    >
      <h2 id={titleId}>Move {itemTitle(item)}?</h2>
      <dl className="cal-details">
        <dt>From</dt>
        <dd>{fromText}</dd>
        <dt>To</dt>
        <dd>
          <strong>{toText}</strong>
        </dd>
      </dl>
      <input type="hidden" name="intent" value="move" />
      <input type="hidden" name="occurrenceId" value={item.id} />
      <input type="hidden" name="date" value={drop.date} />
      <input type="hidden" name="time" value={drop.time} />
      <div className="field">
        <label htmlFor={roomId}>Room</label>
        <select id={roomId} name="roomId" value={room} onChange={(e) => setRoom(e.target.value)}>
          {item.roomId && !knownRoom(item.roomId) ? <option value="">{item.roomName ?? "Current room"} (keep)</option> : null}
          {locations.map((l) => (
            <optgroup key={l.id} label={l.name}>
              {l.rooms.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                  {r.id === item.roomId ? " (current)" : ""}
                </option>
              ))}
            </optgroup>
          ))}
          <option value="none">No room (online){item.roomId === null ? " (current)" : ""}</option>
        </select>
      </div>
      <p className="muted">Only this date moves. Families enrolled in {item.title} will be emailed.</p>
      <div className="cal-dialog-actions">
        <button type="submit" className="button">
          Move
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          Keep it where it was
        </button>
      </div>
    </form>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
