// Private calendar (iCal) feeds. The secret token is in the URL a calendar app
// subscribes to; only its sha256 is stored (a database leak reveals no feed), so
// the full URL can be shown once, when the feed is made. Revoking a feed stops it
// at once. Every lookup runs in the school's RLS-bound transaction, so a token of
// one school resolves to nothing on another school's address.
import type { Prisma } from "../../server/db/clients.server";
import type { Tx } from "../../server/db/school-db.server";
import { buildCalendar, type IcalEvent } from "../domain/ical";
import { MS_PER_DAY } from "../domain/time";
import { hashToken, randomToken } from "../utils/tokens.server";

/** The window a feed covers, around the time it is fetched. */
export const FEED_PAST_DAYS = 30;
export const FEED_FUTURE_DAYS = 180;
/** Active feeds per person (each calendar app or device may have its own). */
export const MAX_ACTIVE_FEEDS = 5;

export class CalendarFeedError extends Error {}

/** The path of a feed on the school's own address. */
export function feedPath(token: string) {
  return `/calendar/${token}.ics`;
}

export async function createCalendarFeed(tx: Tx, userId: string) {
  const active = await tx.calendarFeed.count({ where: { userId, revokedAt: null } });
  if (active >= MAX_ACTIVE_FEEDS) {
    throw new CalendarFeedError(`You already have ${MAX_ACTIVE_FEEDS} calendar links. Revoke one you no longer use first.`);
  }
  const token = randomToken();
  const feed = await tx.calendarFeed.create({ data: { userId, tokenHash: hashToken(token) }, select: { id: true, createdAt: true } });
  return { ...feed, token };
}

export function listCalendarFeeds(tx: Tx, userId: string) {
  return tx.calendarFeed.findMany({
    where: { userId },
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    select: { id: true, createdAt: true, revokedAt: true },
  });
}

/** Revokes one of the user's own feeds; false when it is not theirs or already revoked. */
export async function revokeCalendarFeed(tx: Tx, userId: string, feedId: string, at = new Date()) {
  const { count } = await tx.calendarFeed.updateMany({ where: { id: feedId, userId, revokedAt: null }, data: { revokedAt: at } });
  return count > 0;
}

const TOKEN_RE = /^[A-Za-z0-9_-]{1,128}$/;

const occurrenceSelect = (studentIds: string[]) =>
  ({
    id: true,
    kind: true,
    startsAt: true,
    endsAt: true,
    status: true,
    updatedAt: true,
    cancelReason: true,
    instructorId: true,
    lesson: {
      select: {
        title: true,
        updatedAt: true,
        onlineUrl: true,
        location: { select: { name: true, address: true } },
        enrollments: { where: { studentId: { in: studentIds }, status: "ACTIVE" }, select: { student: { select: { user: { select: { firstName: true } } } } } },
      },
    },
    room: { select: { name: true, location: { select: { name: true, address: true } } } },
    instructor: { select: { firstName: true, lastName: true } },
    student: { select: { id: true, user: { select: { firstName: true, lastName: true } } } },
    guests: { where: { studentId: { in: studentIds } }, select: { student: { select: { user: { select: { firstName: true } } } } } },
  }) satisfies Prisma.LessonOccurrenceSelect;

/**
 * The feed's owner and their occurrences from FEED_PAST_DAYS before `now` to
 * FEED_FUTURE_DAYS after, cancelled ones included. Teachers (and admins who teach)
 * get what they teach; parents their family's children's lessons; students their
 * own. Unknown or revoked token: null.
 */
export async function resolveCalendarFeed(tx: Tx, token: string, now = new Date()) {
  if (!TOKEN_RE.test(token)) return null;
  const feed = await tx.calendarFeed.findFirst({
    where: { tokenHash: hashToken(token) },
    select: {
      revokedAt: true,
      user: {
        select: {
          id: true,
          role: true,
          firstName: true,
          lastName: true,
          familyGroupId: true,
          familyGroupsOwned: { select: { id: true } },
          studentProfile: { select: { id: true } },
          deactivatedAt: true,
        },
      },
    },
  });
  // Deactivation revokes every feed; a deactivated owner is refused here too.
  if (!feed || feed.revokedAt || feed.user.deactivatedAt) return null;
  const { user } = feed;

  const studentIds = new Set<string>();
  if (user.studentProfile) studentIds.add(user.studentProfile.id);
  const familyIds = [...user.familyGroupsOwned.map((f) => f.id), ...(user.role === "PARENT" && user.familyGroupId ? [user.familyGroupId] : [])];
  if (familyIds.length) {
    const children = await tx.student.findMany({ where: { user: { familyGroupId: { in: familyIds } } }, select: { id: true } });
    for (const c of children) studentIds.add(c.id);
  }
  const ids = [...studentIds];
  const teaches = user.role === "TEACHER" || user.role === "ADMIN";

  const or: Prisma.LessonOccurrenceWhereInput[] = [];
  if (teaches) or.push({ instructorId: user.id });
  if (ids.length) {
    or.push(
      { kind: "INDIVIDUAL_SESSION", studentId: { in: ids } },
      { kind: "LESSON", lesson: { enrollments: { some: { studentId: { in: ids }, status: "ACTIVE" } } } },
      { guests: { some: { studentId: { in: ids } } } },
    );
  }
  const from = new Date(now.getTime() - FEED_PAST_DAYS * MS_PER_DAY);
  const to = new Date(now.getTime() + FEED_FUTURE_DAYS * MS_PER_DAY);
  const occurrences = or.length
    ? await tx.lessonOccurrence.findMany({
        where: { startsAt: { gte: from, lt: to }, OR: or },
        orderBy: { startsAt: "asc" },
        take: 5000,
        select: occurrenceSelect(ids),
      })
    : [];
  return { user, studentIds: ids, occurrences };
}

type Resolved = NonNullable<Awaited<ReturnType<typeof resolveCalendarFeed>>>;

/** Calendar entries of a resolved feed, worded for its owner. */
export function feedEvents(resolved: Resolved): IcalEvent[] {
  const { user } = resolved;
  return resolved.occurrences.map((o) => {
    const mine = o.instructorId === user.id;
    const children = [
      ...new Set([
        ...o.lesson.enrollments.map((e) => e.student.user.firstName),
        ...o.guests.map((g) => g.student.user.firstName),
        ...(o.student && resolved.studentIds.includes(o.student.id) ? [o.student.user.firstName] : []),
      ]),
    ];
    const forWhom = mine
      ? o.kind === "INDIVIDUAL_SESSION" && o.student
        ? ` — ${o.student.user.firstName} ${o.student.user.lastName}`
        : ""
      : user.role === "PARENT" && children.length
        ? ` — ${children.join(", ")}`
        : "";
    const place = o.room
      ? [o.room.name, o.room.location.name, o.room.location.address]
      : o.lesson.location
        ? [o.lesson.location.name, o.lesson.location.address]
        : ["Online"];
    const cancelled = o.status === "CANCELLED" || o.status === "CANCELLED_BY_TEACHER";
    const description = [
      `Teacher: ${o.instructor.firstName} ${o.instructor.lastName}`,
      ...(o.kind === "INDIVIDUAL_SESSION" ? ["Individual session"] : []),
      ...(cancelled ? [`Cancelled${o.cancelReason ? `: ${o.cancelReason}` : ""}`] : []),
      ...(!o.room && !o.lesson.location && o.lesson.onlineUrl ? [`Join: ${o.lesson.onlineUrl}`] : []),
    ].join("\n");
    const updatedAt = o.updatedAt > o.lesson.updatedAt ? o.updatedAt : o.lesson.updatedAt;
    return {
      id: o.id,
      start: o.startsAt,
      end: o.endsAt,
      summary: `${o.lesson.title}${forWhom}`,
      location: place.filter(Boolean).join(", "),
      description,
      url: !o.room && !o.lesson.location ? o.lesson.onlineUrl : null,
      cancelled,
      updatedAt,
    };
  });
}

/** The feed as an iCalendar document, or null for an unknown or revoked token. */
export async function calendarFeedIcs(tx: Tx, token: string, opts: { schoolName: string; now: Date }) {
  const now = opts.now;
  const resolved = await resolveCalendarFeed(tx, token, now);
  if (!resolved) return null;
  return buildCalendar({
    name: `${opts.schoolName} — ${resolved.user.firstName} ${resolved.user.lastName}`,
    description: `Lessons at ${opts.schoolName}`,
    events: feedEvents(resolved),
    now,
  });
}
