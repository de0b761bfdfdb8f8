// A family's week: a parent sees every child of their family group, a student
// their own lessons — group lessons they are enrolled in, make-up classes they
// join as a guest, and their own booked 1-on-1 sessions. Read-only; each lesson
// says whose it is.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { CalendarLegend, markerItem, TimeGrid, toCalendarItem, WeekToolbar } from "~/components/calendar";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { parseAnchorDate, visibleRange } from "~/domain/calendar-view";
import { toLocalDate } from "~/domain/time";
import { familyWeek } from "~/models/calendar.server";
import calendarCss from "~/styles/calendar.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { formatterFor } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Schedule" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: calendarCss }];

function joinNames(names: string[]) {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { role: ["PARENT", "STUDENT"] });
  const { db, school } = requireSchool(context);
  const timeZone = school.timezone;
  const today = toLocalDate(context.clock.now(), timeZone);
  const range = visibleRange("week", parseAnchorDate(new URL(request.url).searchParams.get("date"), today), formatterFor(school), today);

  const { students, occurrences, enrollments, guests, markers, label } = await db.run((tx) => familyWeek(tx, { accountId: user.id, timeZone, from: range.from, to: range.to }));

  const firstName = new Map(students.map((s) => [s.id, s.user.firstName]));
  const several = students.length > 1;
  const items = occurrences.map((o) => {
    const notes: string[] = [];
    if (o.kind === "LESSON") {
      const enrolled = enrollments.filter((e) => e.occurrenceId === o.id).map((e) => firstName.get(e.studentId) ?? "").filter(Boolean);
      if (several && enrolled.length) notes.push(`For ${joinNames(enrolled)}`);
      const makeUp = guests.filter((g) => g.occurrenceId === o.id).map((g) => firstName.get(g.studentId) ?? "").filter(Boolean);
      if (makeUp.length) notes.push(several ? `Make-up class for ${joinNames(makeUp)}` : "Make-up class");
    }
    return toCalendarItem(o, { showRoster: false, note: notes.join(" · ") || null });
  });
  items.push(...markers.map((m) => markerItem(m, label)));
  items.sort((a, b) => a.start.localeCompare(b.start));
  return {
    timeZone,
    role: user.role,
    hasStudents: students.length > 0,
    range: { days: range.days, prev: range.prev, next: range.next, today: range.today, title: range.title },
    items,
  };
}

export default function FamilySchedule() {
  const { timeZone, role, hasStudents, range, items } = useLoaderData<typeof loader>();
  const href = (date: string) => `/family/schedule?date=${date}`;
  return (
    <div className="stack">
      <WeekToolbar eyebrow={role === "PARENT" ? "My family" : "My lessons"} title="Schedule" range={range} href={href} />
      {!hasStudents ? (
        <p className="card muted">No students are linked to your account yet.</p>
      ) : (
        <>
          {items.length === 0 ? <p className="muted">No lessons this week.</p> : null}
          <CalendarLegend />
          <TimeGrid days={range.days} items={items} timeZone={timeZone} today={range.today} label={`Week: ${range.title}`} roomy />
        </>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
