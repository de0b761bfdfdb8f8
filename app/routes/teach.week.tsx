// A teacher's own week, read-only: only the dates they teach (the effective
// teacher of each occurrence), never anyone else's schedule, and no prices.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { CalendarLegend, markerItem, TimeGrid, toCalendarItem, WeekToolbar } from "~/components/calendar";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { parseAnchorDate, visibleRange } from "~/domain/calendar-view";
import { toLocalDate } from "~/domain/time";
import { calendarOccurrences } from "~/models/calendar.server";
import { hybridWeekMarkers } from "~/models/hybrid.server";
import { oneOnOneWeekLabel } from "~/models/school-settings.server";
import calendarCss from "~/styles/calendar.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { formatterFor } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "My week" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: calendarCss }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { role: "TEACHER" });
  const { db, school } = requireSchool(context);
  const timeZone = school.timezone;
  const today = toLocalDate(context.clock.now(), timeZone);
  const range = visibleRange("week", parseAnchorDate(new URL(request.url).searchParams.get("date"), today), formatterFor(school), today);
  // The filter is the signed-in teacher, never a parameter.
  const [occurrences, markers, label] = await db.run(async (tx) => [
    await calendarOccurrences(tx, range.from, range.to, { teacherId: user.id, includeCancelled: true, schoolId: db.schoolId }),
    await hybridWeekMarkers(tx, timeZone, range.from, range.to, { teacherId: user.id }),
    await oneOnOneWeekLabel(tx),
  ] as const);
  return {
    timeZone,
    range: { days: range.days, prev: range.prev, next: range.next, today: range.today, title: range.title },
    items: [...occurrences.map((o) => toCalendarItem(o)), ...markers.map((m) => markerItem(m, label))].sort((a, b) => a.start.localeCompare(b.start)),
  };
}

export default function TeacherWeek() {
  const { timeZone, range, items } = useLoaderData<typeof loader>();
  const href = (date: string) => `/teach/week?date=${date}`;
  const active = items.filter((i) => i.status === "SCHEDULED" || i.status === "COMPLETED").length;
  return (
    <div className="stack">
      <WeekToolbar eyebrow="My teaching" title="My week" range={range} href={href} />
      <p className="muted">
        {active === 0 ? "You have no lessons this week." : `${active} ${active === 1 ? "lesson" : "lessons"} this week.`} Select a lesson for its details.
      </p>
      <CalendarLegend />
      <TimeGrid days={range.days} items={items} timeZone={timeZone} today={range.today} interaction={{ showRoster: true }} label={`Week: ${range.title}`} roomy />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
