// Private iCal feeds: who sees what, revocation, and isolation between schools.
// Works in two schools of its own, with far-future dates and an explicit `now`.
import { randomUUID } from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unfold } from "../../app/domain/ical";
import {
  calendarFeedIcs,
  createCalendarFeed,
  listCalendarFeeds,
  resolveCalendarFeed,
  revokeCalendarFeed,
} from "../../app/models/calendar-feeds.server";
import { loader } from "../../app/routes/calendar.$token[.]ics";
import type { SchoolSummary } from "../../server/db/privileged.server";
import type { Tx } from "../../server/db/school-db.server";
import { brandFor } from "../../tenants/branding";
import { loadContextFor, testServices } from "../support/services";

const services = testServices();
afterAll(() => services.close());

const DAY = 86_400_000;
const NOW = new Date("2032-03-01T12:00:00Z");

interface World {
  school: SchoolSummary;
  teacherA: string;
  teacherB: string;
  parent: string;
  child: string;
  lessonA: { occurrenceIds: string[]; cancelledId: string };
  lessonB: { occurrenceIds: string[] };
  outside: string[];
}

async function makeSchool(name: string) {
  const slug = `feeds-${randomUUID().slice(0, 8)}`;
  return services.platform.createSchool(null, { name, slug, email: `office@${slug}.test`, timezone: "Europe/London", currency: "GBP" });
}

/** A weekly lesson as occurrences `offsets` days from NOW. */
async function weekly(tx: Tx, title: string, instructorId: string, offsets: number[]) {
  const first = new Date(NOW.getTime() + offsets[0]! * DAY);
  const lesson = await tx.lesson.create({
    data: { title, type: "GROUP", instructorId, startTime: first, endTime: new Date(first.getTime() + 3_600_000), duration: 60, recurrence: "WEEKLY", maxStudents: 8 },
    select: { id: true },
  });
  const ids: string[] = [];
  for (const d of offsets) {
    const startsAt = new Date(NOW.getTime() + d * DAY);
    const o = await tx.lessonOccurrence.create({
      data: { lessonId: lesson.id, startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000), instructorId },
      select: { id: true },
    });
    ids.push(o.id);
  }
  return { lessonId: lesson.id, ids };
}

async function makeWorld(name: string): Promise<World> {
  const school = await makeSchool(name);
  const tag = randomUUID().slice(0, 8);
  const db = services.platform.schoolDb(school.id);
  return db.run(async (tx) => {
    const user = (first: string, role: "TEACHER" | "PARENT" | "STUDENT", familyGroupId?: string) =>
      tx.user.create({ data: { email: `${first}-${tag}@feeds.test`, firstName: first, lastName: "Test", role, passwordHash: "x", familyGroupId }, select: { id: true } });
    const teacherA = await user("Anna", "TEACHER");
    const teacherB = await user("Ben", "TEACHER");
    const parent = await user("Pat", "PARENT");
    const family = await tx.familyGroup.create({ data: { name: "Test family", adminId: parent.id }, select: { id: true } });
    await tx.user.update({ where: { id: parent.id }, data: { familyGroupId: family.id } });
    const childUser = await user("Kit", "STUDENT", family.id);
    const child = await tx.student.create({ data: { userId: childUser.id }, select: { id: true } });

    // Anna's class: -7, 0 (cancelled), +7, +14 days; plus dates outside the window.
    const a = await weekly(tx, "Anna's Piano, Grade 3; evening", teacherA.id, [-7, 0, 7, 14, -35, 190]);
    const cancelledId = a.ids[1]!;
    await tx.lessonOccurrence.update({ where: { id: cancelledId }, data: { status: "CANCELLED", cancelReason: "Teacher ill", cancelledAt: NOW } });
    // Ben's class, with the child enrolled.
    const b = await weekly(tx, "Ben's Guitar", teacherB.id, [1, 8, 15]);
    await tx.enrollment.create({ data: { lessonId: b.lessonId, studentId: child.id, status: "ACTIVE" } });
    return {
      school,
      teacherA: teacherA.id,
      teacherB: teacherB.id,
      parent: parent.id,
      child: childUser.id,
      lessonA: { occurrenceIds: a.ids.slice(0, 4), cancelledId },
      lessonB: { occurrenceIds: b.ids },
      outside: a.ids.slice(4),
    };
  });
}

function contextFor(school: SchoolSummary): AppLoadContext {
  return loadContextFor(services, { kind: "school", school, brand: brandFor(school.brandColor) });
}

async function fetchFeed(school: SchoolSummary, token: string) {
  const request = new Request(`http://${school.slug}.localhost:3000/calendar/${token}.ics`);
  return (await loader({ request, params: { token }, context: contextFor(school) })) as Response;
}

let A: World;
let B: World;

beforeAll(async () => {
  [A, B] = await Promise.all([makeWorld("Feeds School A"), makeWorld("Feeds School B")]);
});

const runIn = <T>(w: World, work: (tx: Tx) => Promise<T>) => services.platform.schoolDb(w.school.id).run(work);

describe("calendar feeds", () => {
  it("gives a teacher only the occurrences they teach, in the window, cancelled ones marked", async () => {
    const feed = await runIn(A, (tx) => createCalendarFeed(tx, A.teacherA));
    expect(feed.token).toMatch(/^[a-z2-7]{32}$/);
    // Only the hash is stored.
    const stored = await runIn(A, (tx) => tx.calendarFeed.findUniqueOrThrow({ where: { id: feed.id }, select: { tokenHash: true } }));
    expect(stored.tokenHash).not.toContain(feed.token);

    const resolved = await runIn(A, (tx) => resolveCalendarFeed(tx, feed.token, NOW));
    expect(resolved).not.toBeNull();
    expect(resolved!.occurrences.every((o) => o.instructorId === A.teacherA)).toBe(true);
    expect(resolved!.occurrences.map((o) => o.id).sort()).toEqual([...A.lessonA.occurrenceIds].sort());

    const ics = await runIn(A, (tx) => calendarFeedIcs(tx, feed.token, { schoolName: A.school.name, now: NOW }));
    const lines = unfold(ics!).split("\r\n");
    expect(lines).toContain(`X-WR-CALNAME:${A.school.name} — Anna Test`);
    expect(lines.filter((l) => l.startsWith("UID:")).sort()).toEqual(A.lessonA.occurrenceIds.map((id) => `UID:${id}@encore`).sort());
    expect(lines).toContain("SUMMARY:Anna's Piano\\, Grade 3\\; evening");
    expect(lines.filter((l) => l === "STATUS:CANCELLED")).toHaveLength(1);
    for (const id of [...A.lessonB.occurrenceIds, ...A.outside]) expect(ics).not.toContain(id);

    // Through the route: text/calendar on the school's address.
    const res = await fetchFeed(A.school, feed.token);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    const body = await res.text();
    expect(body.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    // (The route covers the window around the real time; these dates lie years ahead.)
    expect(unfold(body)).toContain(`X-WR-CALNAME:${A.school.name} — Anna Test`);
    expect(body.endsWith("END:VCALENDAR\r\n")).toBe(true);
  });

  it("gives a parent their children's lessons and nothing the teachers teach otherwise", async () => {
    const feed = await runIn(A, (tx) => createCalendarFeed(tx, A.parent));
    const resolved = await runIn(A, (tx) => resolveCalendarFeed(tx, feed.token, NOW));
    expect(resolved!.occurrences.map((o) => o.id).sort()).toEqual([...A.lessonB.occurrenceIds].sort());
    const ics = await runIn(A, (tx) => calendarFeedIcs(tx, feed.token, { schoolName: A.school.name, now: NOW }));
    expect(unfold(ics!)).toContain("SUMMARY:Ben's Guitar — Kit");

    // The child's own feed shows the same lessons.
    const own = await runIn(A, (tx) => createCalendarFeed(tx, A.child));
    const mine = await runIn(A, (tx) => resolveCalendarFeed(tx, own.token, NOW));
    expect(mine!.occurrences.map((o) => o.id).sort()).toEqual([...A.lessonB.occurrenceIds].sort());
  });

  it("stops resolving a revoked token", async () => {
    const feed = await runIn(A, (tx) => createCalendarFeed(tx, A.teacherB));
    expect((await fetchFeed(A.school, feed.token)).status).toBe(200);

    // Someone else cannot revoke it; its owner can, once.
    expect(await runIn(A, (tx) => revokeCalendarFeed(tx, A.teacherA, feed.id))).toBe(false);
    expect(await runIn(A, (tx) => revokeCalendarFeed(tx, A.teacherB, feed.id))).toBe(true);
    expect(await runIn(A, (tx) => revokeCalendarFeed(tx, A.teacherB, feed.id))).toBe(false);

    expect(await runIn(A, (tx) => resolveCalendarFeed(tx, feed.token, NOW))).toBeNull();
    const res = await fetchFeed(A.school, feed.token);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const listed = await runIn(A, (tx) => listCalendarFeeds(tx, A.teacherB));
    expect(listed.find((f) => f.id === feed.id)?.revokedAt).toBeInstanceOf(Date);
  });

  it("resolves a token of school A to nothing in school B's context", async () => {
    const feed = await runIn(A, (tx) => createCalendarFeed(tx, A.teacherA));
    expect(await runIn(B, (tx) => resolveCalendarFeed(tx, feed.token, NOW))).toBeNull();
    expect((await fetchFeed(B.school, feed.token)).status).toBe(404);
    // …while it works on its own school's address.
    expect((await fetchFeed(A.school, feed.token)).status).toBe(200);
  });

  it("answers unknown and malformed tokens with a plain 404", async () => {
    for (const token of ["nosuchtokenatall234567abcdefghij", "../../etc/passwd", ""]) {
      const res = await fetchFeed(A.school, token);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toMatch(/Feeds School/);
    }
  });

  it("limits how many active links one person may have", async () => {
    const user = B.teacherA;
    for (let i = 0; i < 5; i++) await runIn(B, (tx) => createCalendarFeed(tx, user));
    await expect(runIn(B, (tx) => createCalendarFeed(tx, user))).rejects.toThrow(/Revoke one/);
  });
});
