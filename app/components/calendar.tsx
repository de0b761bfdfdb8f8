// The calendar's views: a time grid (week or day), a month grid and a day-by-day
// list for phones. Color-coded by lesson type (app/domain/calendar-view.ts keeps
// the palette and its contrast); every occurrence is a link (to its edit page) or a
// button (showing its details), so the calendar works from the keyboard. The time
// grid can take HTML5 drops (admins rescheduling); the routes do the moving.
// Styles: app/styles/calendar.css (routes add it through `links`).
import { Link, useNavigate } from "@remix-run/react";
import type { CSSProperties, DragEvent, MouseEvent, ReactNode } from "react";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import {
  blockText,
  LESSON_TYPES,
  LESSON_TYPE_STYLE,
  dropTime,
  groupByLocalDate,
  layoutTimeGrid,
  type LessonTypeName,
  type PlacedItem,
} from "~/domain/calendar-view";
import { parseLocalDate, toLocalDate } from "~/domain/time";
import { useFormat, type Formatter } from "~/utils/format";
import type { CalendarOccurrence } from "~/models/calendar.server";

// ---------------------------------------------------------------------------
// What the views show
// ---------------------------------------------------------------------------

export type OccurrenceStatusName = "SCHEDULED" | "COMPLETED" | "CANCELLED" | "CANCELLED_BY_TEACHER";

/** One occurrence as the calendar shows it (plain JSON, built by the loader). */
export interface CalendarItem {
  id: string;
  /** WEEK_MARKER: a hybrid lesson's 1-on-1 week, shown at the group's usual time. */
  kind: "LESSON" | "INDIVIDUAL_SESSION" | "WEEK_MARKER";
  /** ISO instants. */
  start: string;
  end: string;
  status: OccurrenceStatusName;
  lessonId: string;
  title: string;
  type: LessonTypeName;
  teacherId: string;
  teacherName: string;
  roomId: string | null;
  roomName: string | null;
  locationName: string | null;
  /** Active enrollments and places; null when not shown (families). */
  enrolled: number | null;
  capacity: number | null;
  /** INDIVIDUAL_SESSION: the student it is for. */
  studentName: string | null;
  /** Extra line, e.g. "For Emma and Lily" on a family's schedule. */
  note?: string | null;
}

/** Loader side: a calendar query row → a CalendarItem. */
export function toCalendarItem(o: CalendarOccurrence, opts: { showRoster?: boolean; note?: string | null } = {}): CalendarItem {
  const showRoster = opts.showRoster ?? true;
  return {
    id: o.id,
    kind: o.kind,
    start: o.startsAt.toISOString(),
    end: o.endsAt.toISOString(),
    status: o.status,
    lessonId: o.lessonId,
    title: o.lesson.title,
    type: o.lesson.type,
    teacherId: o.instructorId,
    teacherName: `${o.instructor.firstName} ${o.instructor.lastName}`,
    roomId: o.roomId,
    roomName: o.room?.name ?? null,
    locationName: o.room?.location.name ?? null,
    enrolled: showRoster && o.kind === "LESSON" ? o.lesson._count.enrollments : null,
    capacity: showRoster && o.kind === "LESSON" ? o.lesson.maxStudents : null,
    studentName: o.student ? `${o.student.user.firstName} ${o.student.user.lastName}` : null,
    note: opts.note ?? null,
  };
}

export function isCancelled(item: Pick<CalendarItem, "status">): boolean {
  return item.status === "CANCELLED" || item.status === "CANCELLED_BY_TEACHER";
}

/** The headline of an occurrence: the series, or the student of a 1-on-1 session. */
export function itemTitle(item: CalendarItem): string {
  return blockText(item).headline;
}

/** Loader side: a hybrid lesson's 1-on-1 week marker → a CalendarItem labelled with the school's wording. */
export function markerItem(
  m: { lessonId: string; configId: string; title: string; weekNumber: number; start: Date; end: Date; teacherId: string; teacherName: string; roomId: string | null; roomName: string | null; locationName: string | null },
  label: string,
): CalendarItem {
  return {
    id: `marker-${m.configId}-${m.weekNumber}`,
    kind: "WEEK_MARKER",
    start: m.start.toISOString(),
    end: m.end.toISOString(),
    status: "SCHEDULED",
    lessonId: m.lessonId,
    title: m.title,
    type: "HYBRID",
    teacherId: m.teacherId,
    teacherName: m.teacherName,
    roomId: m.roomId,
    roomName: m.roomName,
    locationName: m.locationName,
    enrolled: null,
    capacity: null,
    studentName: null,
    note: label,
  };
}

export function timeRange(item: Pick<CalendarItem, "start" | "end">, fmt: Formatter): string {
  return `${fmt.time(item.start)}–${fmt.time(item.end)}`;
}

function placeText(item: CalendarItem): string {
  return item.roomName ?? "Online";
}

function rosterText(item: CalendarItem): string | null {
  if (item.enrolled === null) return null;
  return item.capacity ? `${item.enrolled}/${item.capacity}` : `${item.enrolled} enrolled`;
}

function statusText(item: CalendarItem): string | null {
  if (item.status === "CANCELLED") return "Cancelled";
  if (item.status === "CANCELLED_BY_TEACHER") return "Cancelled by the teacher";
  return null;
}

/** Everything about an occurrence in one sentence (its accessible name). */
export function itemLabel(item: CalendarItem, fmt: Formatter): string {
  const parts = [
    `${timeRange(item, fmt)} ${itemTitle(item)}`,
    item.kind === "INDIVIDUAL_SESSION"
      ? `1-on-1 session of ${item.title}`
      : item.kind === "WEEK_MARKER"
        ? "the group does not meet this week; each student has a 1-on-1 session"
        : LESSON_TYPE_STYLE[item.type].label,
    item.teacherName,
    item.roomName ? `${item.roomName}${item.locationName ? `, ${item.locationName}` : ""}` : "Online",
  ];
  if (item.enrolled !== null) parts.push(item.capacity ? `${item.enrolled} of ${item.capacity} enrolled` : `${item.enrolled} enrolled`);
  const note = blockText(item).note;
  if (note) parts.push(note);
  const status = statusText(item);
  if (status) parts.push(status);
  return parts.join(", ");
}

/** The class that colors an occurrence by its lesson type (app/styles/calendar.css; cancelled ones are grey). */
export function typeClass(type: LessonTypeName): string {
  return `cal-t-${type.toLowerCase()}`;
}

function itemClass(item: CalendarItem, extra = ""): string {
  return ["cal-item", typeClass(item.type), isCancelled(item) ? "is-cancelled" : "", item.kind === "INDIVIDUAL_SESSION" ? "is-session" : "", item.kind === "WEEK_MARKER" ? "is-marker" : "", extra].filter(Boolean).join(" ");
}

// ---------------------------------------------------------------------------
// How an occurrence is opened
// ---------------------------------------------------------------------------

export interface ItemInteraction {
  /** A link target (admins: the edit page). Without one the item is a button showing its details. */
  hrefFor?: (item: CalendarItem) => string;
  /** Show enrolled/capacity. */
  showRoster?: boolean;
}

/**
 * What a block says. Everything is written out once; the time grid's CSS hides the
 * end time of narrow blocks and the details of short ones on wide screens, and shows
 * them all when the grid becomes a list on phones.
 */
function ItemBody({ item, fmt }: { item: CalendarItem; fmt: Formatter }) {
  const roster = rosterText(item);
  const note = blockText(item).note;
  const status = statusText(item);
  const meta = `${item.teacherName} · ${placeText(item)}${roster ? ` · ${roster}` : ""}`;
  return (
    <>
      <span className="cal-item-time">
        {fmt.time(item.start)}
        <span className="cal-item-end">–{fmt.time(item.end)}</span>
      </span>
      <span className="cal-item-title">{itemTitle(item)}</span>
      {note ? <span className="cal-item-note">{note}</span> : null}
      {status ? <span className="cal-item-flag">Cancelled</span> : null}
      {item.kind === "INDIVIDUAL_SESSION" ? <span className="cal-item-meta">{item.title}</span> : null}
      <span className="cal-item-meta">{meta}</span>
    </>
  );
}

/** An occurrence as a link or a details button; `drag` makes it draggable. */
function ItemControl({
  item,
  interaction,
  onOpen,
  className,
  fmt,
  drag,
}: {
  item: CalendarItem;
  interaction: ItemInteraction;
  onOpen: (item: CalendarItem) => void;
  className: string;
  fmt: Formatter;
  drag?: { onDragStart: (e: DragEvent<HTMLElement>) => void; onDragEnd: () => void } | null;
}) {
  const label = itemLabel(item, fmt);
  const body = <ItemBody item={item} fmt={fmt} />;
  const cls = className;
  const href = interaction.hrefFor?.(item);
  if (href) {
    return (
      // A plain link (a busy week has a thousand): useInAppLinks on the grid navigates within the app.
      <a
        href={href}
        className={cls}
        aria-label={label}
        title={label}
        data-occurrence-id={item.id}
        draggable={drag ? true : false}
        onDragStart={drag?.onDragStart}
        onDragEnd={drag?.onDragEnd}
      >
        {body}
      </a>
    );
  }
  return (
    <button type="button" className={cls} aria-label={label} title={label} aria-haspopup="dialog" data-occurrence-id={item.id} onClick={() => onOpen(item)}>
      {body}
    </button>
  );
}

/**
 * One click handler for a view's occurrence links: a plain click navigates within the
 * app, as a <Link> would, without rendering a <Link> (hooks, route matching) for each
 * of a busy week's thousand blocks. Modified clicks (new tab, new window) stay the browser's.
 */
function useInAppLinks() {
  const navigate = useNavigate();
  return (e: MouseEvent<HTMLElement>) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const link = (e.target as HTMLElement).closest("a[data-occurrence-id]");
    if (!(link instanceof HTMLAnchorElement) || !e.currentTarget.contains(link) || link.target) return;
    e.preventDefault();
    navigate(link.getAttribute("href") ?? "/");
  };
}

/** A modal <dialog> that opens while `open` is true and reports Escape/close. */
export function Dialog({ open, onClose, labelledBy, children, className }: { open: boolean; onClose: () => void; labelledBy: string; children: ReactNode; className?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className={["cal-dialog", className].filter(Boolean).join(" ")} aria-labelledby={labelledBy} onClose={onClose}>
      {open ? children : null}
    </dialog>
  );
}

function ItemDetails({ item, timeZone, onClose }: { item: CalendarItem | null; timeZone: string; onClose: () => void }) {
  const fmt = useFormat();
  const id = useId();
  const roster = item ? rosterText(item) : null;
  const status = item ? statusText(item) : null;
  return (
    <Dialog open={item !== null} onClose={onClose} labelledBy={id}>
      {item ? (
        <div className="stack">
          <p className="eyebrow">{fmt.day(localDateOf(item.start, timeZone))}</p>
          <h2 id={id} className={isCancelled(item) ? "cal-struck" : undefined}>
            {itemTitle(item)}
          </h2>
          {status ? <p className="badge danger">{status}</p> : null}
          <dl className="cal-details">
            <dt>Time</dt>
            <dd>{timeRange(item, fmt)}</dd>
            {item.kind === "INDIVIDUAL_SESSION" ? (
              <>
                <dt>1-on-1 session of</dt>
                <dd>{item.title}</dd>
              </>
            ) : (
              <>
                <dt>Type</dt>
                <dd>{LESSON_TYPE_STYLE[item.type].label}</dd>
              </>
            )}
            <dt>Teacher</dt>
            <dd>{item.teacherName}</dd>
            <dt>Room</dt>
            <dd>{item.roomName ? `${item.roomName}${item.locationName ? `, ${item.locationName}` : ""}` : "Online"}</dd>
            {roster ? (
              <>
                <dt>Enrolled</dt>
                <dd>{item.capacity ? `${item.enrolled} of ${item.capacity}` : item.enrolled}</dd>
              </>
            ) : null}
            {item && blockText(item).note ? (
              <>
                <dt>Who</dt>
                <dd>{blockText(item).note}</dd>
              </>
            ) : null}
          </dl>
          <button type="button" className="button secondary" onClick={onClose}>
            Close
          </button>
        </div>
      ) : null}
    </Dialog>
  );
}

function localDateOf(iso: string, timeZone: string) {
  return toLocalDate(new Date(iso), timeZone);
}

/** A read-only week page's header: eyebrow, title, the week shown and Previous / This week / Next links. */
export function WeekToolbar({
  eyebrow,
  title,
  range,
  href,
}: {
  eyebrow: ReactNode;
  title: ReactNode;
  range: { title: string; prev: string; today: string; next: string };
  /** The page's URL for a week (by any local date in it). */
  href: (date: string) => string;
}) {
  return (
    <div className="cal-toolbar">
      <div>
        <p className="eyebrow">{eyebrow}</p>
        <h1>{title}</h1>
        <p className="cal-range" aria-live="polite">
          {range.title}
        </p>
      </div>
      <nav aria-label="Weeks" className="cal-nav">
        <Link className="button secondary" to={href(range.prev)} rel="prev">
          <span aria-hidden="true">←</span> Previous<span className="visually-hidden"> week</span>
        </Link>
        <Link className="button secondary" to={href(range.today)}>
          This week
        </Link>
        <Link className="button secondary" to={href(range.next)} rel="next">
          Next<span className="visually-hidden"> week</span> <span aria-hidden="true">→</span>
        </Link>
      </nav>
    </div>
  );
}

// ---------------------------------------------------------------------------
// Legend
// ---------------------------------------------------------------------------

export function CalendarLegend({ types = LESSON_TYPES }: { types?: readonly LessonTypeName[] }) {
  return (
    <ul className="cal-legend" aria-label="Color key">
      {types.map((t) => (
        <li key={t} className={typeClass(t)}>
          <span className="cal-swatch" aria-hidden="true" />
          {LESSON_TYPE_STYLE[t].label}
        </li>
      ))}
      <li className="cal-t-cancelled">
        <span className="cal-swatch" aria-hidden="true" />
        <span className="cal-struck">Cancelled</span>
      </li>
    </ul>
  );
}

// ---------------------------------------------------------------------------
// Week / day: the time grid (and the list that replaces it on phones)
// ---------------------------------------------------------------------------

export interface DropTarget {
  item: CalendarItem;
  date: string;
  time: string;
}

interface TimeGridProps {
  days: string[];
  items: CalendarItem[];
  timeZone: string;
  today: string;
  interaction?: ItemInteraction;
  /** Link of a day's heading (e.g. the day view). */
  dayHref?: (date: string) => string;
  /** Drag and drop: which items may be dragged, and what a drop does. */
  canDrag?: (item: CalendarItem) => boolean;
  onDrop?: (target: DropTarget) => void;
  /** An item being moved: drawn faded. */
  pendingId?: string | null;
  /** Accessible name of the whole grid, e.g. "Week: 30 Nov – 6 Dec 2026". */
  label: string;
  /** Taller hours (read-only views with room to spare). */
  roomy?: boolean;
}

/**
 * Week or day view: a time grid on wide screens, a day-by-day list on phones. One
 * DOM for both (app/styles/calendar.css lays the day columns out as a list on
 * phones): a busy school's week is a thousand blocks, rendered once.
 */
export function TimeGrid(props: TimeGridProps) {
  const [open, setOpen] = useState<CalendarItem | null>(null);
  return (
    <>
      <TimeGridView {...props} onOpen={setOpen} />
      <ItemDetails item={open} timeZone={props.timeZone} onClose={() => setOpen(null)} />
    </>
  );
}

interface DragState {
  item: CalendarItem;
  /** Pixels between the pointer and the top of the dragged item. */
  grab: number;
  minutes: number;
}

function TimeGridView({ days, items, timeZone, today, interaction = {}, dayHref, canDrag, onDrop, pendingId, label, roomy, onOpen }: TimeGridProps & { onOpen: (item: CalendarItem) => void }) {
  const fmt = useFormat();
  const layout = useMemo(() => layoutTimeGrid(items, days, timeZone), [items, days, timeZone]);
  const { startMinute, endMinute, hours } = layout.hours;
  const total = endMinute - startMinute;
  const dragRef = useRef<DragState | null>(null);
  const [draggingId, setDraggingId] = useState<string | null>(null);
  const [hover, setHover] = useState<{ date: string; time: string } | null>(null);
  const headingId = useId();
  const onLinkClick = useInAppLinks();

  const timeAt = (e: DragEvent<HTMLElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const ppm = rect.height / total;
    return dropTime((e.clientY - rect.top - (dragRef.current?.grab ?? 0)) / ppm, layout.hours);
  };
  const endDrag = () => {
    dragRef.current = null;
    setDraggingId(null);
    setHover(null);
  };
  const dragHandlers = (item: CalendarItem) => {
    if (!onDrop || !canDrag?.(item)) return null;
    return {
      onDragStart: (e: DragEvent<HTMLElement>) => {
        const rect = e.currentTarget.getBoundingClientRect();
        dragRef.current = { item, grab: Math.max(0, e.clientY - rect.top), minutes: (Date.parse(item.end) - Date.parse(item.start)) / 60_000 };
        e.dataTransfer.effectAllowed = "move";
        e.dataTransfer.setData("text/plain", item.id);
        // Re-rendering the dragged element during dragstart can abort the drag.
        setTimeout(() => setDraggingId(item.id), 0);
      },
      onDragEnd: endDrag,
    };
  };

  return (
    <section className={roomy ? "cal-week is-roomy" : "cal-week"} aria-labelledby={headingId} style={{ "--cols": days.length, "--minutes": total } as CSSProperties} onClick={onLinkClick}>
      <h2 id={headingId} className="visually-hidden">
        {label}
      </h2>
      <div className="cal-scroll">
        <div className="cal-head">
          <div className="cal-corner" />
          {days.map((d) => (
            <div key={d} className={d === today ? "cal-dayhead is-today" : "cal-dayhead"}>
              {dayHref ? (
                <Link to={dayHref(d)} aria-current={d === today ? "date" : undefined}>
                  {fmt.day(d)}
                </Link>
              ) : (
                <span aria-current={d === today ? "date" : undefined}>{fmt.day(d)}</span>
              )}
              {d === today ? <span className="cal-today-tag">Today</span> : null}
            </div>
          ))}
        </div>
        <div className="cal-body">
          <div className="cal-gutter" aria-hidden="true">
            {hours.map((h) => (
              <span key={h} className="cal-hour" style={{ "--at": h * 60 - startMinute } as CSSProperties}>
                {String(h).padStart(2, "0")}:00
              </span>
            ))}
          </div>
          {layout.columns.map((col) => {
            const dateLabel = fmt.day(col.date);
            const indicator = hover && draggingId && hover.date === col.date ? hover : null;
            return (
              <section
                key={col.date}
                aria-label={dateLabel}
                className={col.date === today ? "cal-col is-today" : "cal-col"}
                data-date={col.date}
                data-grid-start={startMinute}
                data-grid-end={endMinute}
                onDragOver={
                  onDrop
                    ? (e) => {
                        if (!dragRef.current) return;
                        e.preventDefault();
                        e.dataTransfer.dropEffect = "move";
                        const time = timeAt(e);
                        if (hover?.date !== col.date || hover.time !== time) setHover({ date: col.date, time });
                      }
                    : undefined
                }
                onDragLeave={
                  onDrop
                    ? (e) => {
                        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setHover((h) => (h?.date === col.date ? null : h));
                      }
                    : undefined
                }
                onDrop={
                  onDrop
                    ? (e) => {
                        const drag = dragRef.current;
                        if (!drag) return;
                        e.preventDefault();
                        const time = timeAt(e);
                        endDrag();
                        onDrop({ item: drag.item, date: col.date, time });
                      }
                    : undefined
                }
              >
                {/* The day's heading where the grid is a list (phones); the grid's own header row names it elsewhere. */}
                <h3 className="cal-col-head">
                  {dayHref ? <Link to={dayHref(col.date)}>{dateLabel}</Link> : dateLabel}
                  {col.date === today ? <span className="cal-today-tag">Today</span> : null}
                </h3>
                {col.items.length === 0 ? <p className="cal-col-empty">Nothing scheduled</p> : null}
                <ul className="cal-col-items">
                  {col.items.map((p) => (
                    <li key={p.item.id} className="cal-slot" style={slotStyle(p)}>
                      <ItemControl
                        item={p.item}
                        interaction={interaction}
                        onOpen={onOpen}
                        fmt={fmt}
                        className={itemClass(
                          p.item,
                          [p.height < 40 ? "is-compact" : "", p.lanes > 1 && days.length > 1 ? "is-narrow" : "", p.item.id === draggingId ? "is-dragging" : "", p.item.id === pendingId ? "is-pending" : "", canDrag?.(p.item) && onDrop ? "is-draggable" : ""]
                            .filter(Boolean)
                            .join(" "),
                        )}
                        drag={dragHandlers(p.item)}
                      />
                    </li>
                  ))}
                </ul>
                {indicator ? (
                  <div className="cal-drop" style={{ "--at": minutesOf(indicator.time) - startMinute, "--len": dragRef.current?.minutes ?? 30 } as CSSProperties} aria-hidden="true">
                    <span>{indicator.time}</span>
                  </div>
                ) : null}
              </section>
            );
          })}
        </div>
      </div>
    </section>
  );
}

function minutesOf(time: string) {
  const [h, m] = time.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

function slotStyle(p: PlacedItem<CalendarItem>): CSSProperties {
  return { "--at": p.top, "--len": p.height, "--lane": p.lane, "--lanes": p.lanes } as CSSProperties;
}

// ---------------------------------------------------------------------------
// Month
// ---------------------------------------------------------------------------


export function MonthGrid({
  weeks,
  month,
  items,
  timeZone,
  today,
  interaction = {},
  dayHref,
  label,
  maxPerDay = 4,
}: {
  weeks: string[][];
  /** "yyyy-MM": days of other months are dimmed. */
  month: string;
  items: CalendarItem[];
  timeZone: string;
  today: string;
  interaction?: ItemInteraction;
  dayHref: (date: string) => string;
  label: string;
  maxPerDay?: number;
}) {
  const fmt = useFormat();
  const byDate = useMemo(() => groupByLocalDate(items, timeZone), [items, timeZone]);
  const [open, setOpen] = useState<CalendarItem | null>(null);
  const onLinkClick = useInAppLinks();
  return (
    <>
      <table className="cal-month" onClick={onLinkClick}>
        <caption className="visually-hidden">{label}</caption>
        <thead>
          <tr>
            {fmt.weekOrder().map((d) => [fmt.weekday(d, "short"), fmt.weekday(d)] as const).map(([short, long]) => (
              <th key={short} scope="col">
                <abbr title={long}>{short}</abbr>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr key={week[0]}>
              {week.map((d) => {
                const list = byDate.get(d) ?? [];
                const shown = list.slice(0, maxPerDay);
                const { day } = parseLocalDate(d);
                const outside = !d.startsWith(month);
                const count = `${list.length} ${list.length === 1 ? "lesson" : "lessons"}`;
                return (
                  <td key={d} className={[outside ? "is-outside" : "", d === today ? "is-today" : ""].filter(Boolean).join(" ") || undefined}>
                    <Link to={dayHref(d)} className="cal-month-date" aria-label={`${fmt.day(d)}, ${count}`} aria-current={d === today ? "date" : undefined}>
                      <span className="cal-month-day">{day}</span>
                      {list.length ? <span className="cal-month-count">{list.length}</span> : null}
                    </Link>
                    {shown.length ? (
                      <ul className="cal-month-items">
                        {shown.map((item) => (
                          <li key={item.id}>
                            <ItemControl item={item} interaction={interaction} onOpen={setOpen} fmt={fmt} className={itemClass(item, "cal-month-item")} />
                          </li>
                        ))}
                      </ul>
                    ) : null}
                    {list.length > shown.length ? (
                      <Link to={dayHref(d)} className="cal-more">
                        +{list.length - shown.length} more
                      </Link>
                    ) : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <ItemDetails item={open} timeZone={timeZone} onClose={() => setOpen(null)} />
    </>
  );
}
