// Long lists, paged and filtered on the server: people, students, enrollment requests
// and the admin's attendance page. On a school of its own (the demo schools are left
// as they are); a bad page number in the address shows the first page, never a 500.
import { randomUUID } from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attendanceOverview, attendanceQuery, HISTORY_PAGE_SIZE, MISSING_PAGE_SIZE } from "../../app/models/attendance.server";
import { pendingEnrollments, pendingQuery, PENDING_PAGE_SIZE } from "../../app/models/lessons.server";
import { PEOPLE_PAGE_SIZE, peoplePage, peopleQuery } from "../../app/models/people.server";
import { listRoster, PAGE_SIZE as ROSTER_PAGE_SIZE, rosterFilters } from "../../app/models/roster.server";
import { loader as attendanceLoader } from "../../app/routes/admin.attendance";
import { loader as enrollmentsLoader } from "../../app/routes/admin.enrollments";
import { loader as peopleLoader } from "../../app/routes/admin.people";
import { loader as studentsLoader } from "../../app/routes/admin.students._index";
import { signIn } from "../../app/utils/auth.server";
import { parseListQuery } from "../../app/utils/list-query";
import { hashPassword } from "../../app/utils/password.server";
import type { SchoolSummary } from "../../server/db/privileged.server";
import type { Tx } from "../../server/db/school-db.server";
import { brandFor } from "../../tenants/branding";
import { loadContextFor, testServices } from "../support/services";

const services = testServices();
afterAll(() => services.close());

const PASSWORD = "a-long-test-password";
const TZ = "Europe/London";
const DAY = 86_400_000;
// "Now" for the models that depend on the day, passed explicitly; the lessons are placed relative to it.
const NOW = new Date(Math.floor(Date.now() / 60_000) * 60_000);

/** Parents Zed 00…Zed 29 (30 people), two teachers, 27 students with a request each (24 for Tess, 3 for Otto). */
let w: {
  school: SchoolSummary;
  slug: string;
  adminEmail: string;
  tess: string;
  otto: string;
  amyId: string;
};

const run = <T>(work: (tx: Tx) => Promise<T>) => services.platform.schoolDb(w.school.id).run(work);
const url = (path: string) => `http://${w.slug}.localhost:3000${path}`;

beforeAll(async () => {
  const tag = randomUUID().slice(0, 8);
  const slug = `paging-${tag}`;
  const school = await services.platform.createSchool(null, { name: `Paging School ${tag}`, slug, email: `office@${slug}.test`, timezone: TZ, currency: "GBP" });
  const hash = await hashPassword(PASSWORD);
  const ids = await services.platform.schoolDb(school.id).run(async (tx) => {
    const user = (first: string, last: string, role: "ADMIN" | "TEACHER" | "PARENT" | "STUDENT", extra: { email?: string; passwordHash?: string | null; deactivatedAt?: Date } = {}) =>
      tx.user.create({
        data: { email: extra.email ?? `${first}.${last}@${slug}.test`.toLowerCase().replace(/\s+/g, ""), firstName: first, lastName: last, role, passwordHash: extra.passwordHash === undefined ? hash : extra.passwordHash, deactivatedAt: extra.deactivatedAt },
        select: { id: true, email: true },
      });
    const admin = await user("Ada", "Admin", "ADMIN");
    const tess = await user("Tess", "Teacher", "TEACHER");
    const otto = await user("Otto", "Tutor", "TEACHER");
    // 30 parents: 10 invited (no password yet), 5 deactivated, 15 active.
    for (let i = 0; i < 30; i++) {
      const n = String(i).padStart(2, "0");
      await user("Zed", n, "PARENT", { passwordHash: i < 10 ? null : hash, deactivatedAt: i >= 10 && i < 15 ? new Date(NOW.getTime() - DAY) : undefined });
    }
    const lesson = async (title: string, instructorId: string, daysAgo: number) => {
      const start = new Date(NOW.getTime() - daysAgo * DAY);
      return tx.lesson.create({
        data: { title, type: "GROUP", instructorId, startTime: start, endTime: new Date(start.getTime() + 45 * 60_000), duration: 45, recurrence: "WEEKLY", maxStudents: 50, onlineUrl: "https://meet.example.test/x" },
        select: { id: true },
      });
    };
    const piano = await lesson("Piano circle", tess.id, 40);
    const cello = await lesson("Cello club", otto.id, 40);
    // 27 students without a login, each asking for a place: 24 in Tess's class, 3 in Otto's.
    const students: string[] = [];
    for (let i = 0; i < 27; i++) {
      const n = String(i).padStart(2, "0");
      const u = await user(i === 0 ? "Amy" : "Kid", `Pupil ${n}`, "STUDENT", { email: `kid${n}@${slug}.invalid`, passwordHash: null });
      const s = await tx.student.create({ data: { userId: u.id, parentName: i === 5 ? "Morgan Quill" : null }, select: { id: true } });
      students.push(s.id);
      await tx.enrollment.create({ data: { lessonId: i < 24 ? piano.id : cello.id, studentId: s.id, status: "PENDING", enrolledAt: new Date(NOW.getTime() - (30 - i) * DAY) } });
    }
    // Past dates with no register: 30 of Tess's (one a day), 1 of Otto's.
    const occurrence = (lessonId: string, instructorId: string, startsAt: Date) =>
      tx.lessonOccurrence.create({ data: { lessonId, instructorId, startsAt, endsAt: new Date(startsAt.getTime() + 45 * 60_000) }, select: { id: true } });
    for (let d = 2; d < 32; d++) await occurrence(piano.id, tess.id, new Date(NOW.getTime() - d * DAY));
    await occurrence(cello.id, otto.id, new Date(NOW.getTime() - 10 * DAY));
    // Amy's history: 30 registers of Otto's class, two absences, each with notes so they are not missing.
    for (let d = 33; d < 63; d++) {
      const o = await tx.lessonOccurrence.create({
        data: { lessonId: cello.id, instructorId: otto.id, startsAt: new Date(NOW.getTime() - d * DAY - 3_600_000), endsAt: new Date(NOW.getTime() - d * DAY - 900_000), notes: "Scales" },
        select: { id: true },
      });
      await tx.attendance.create({ data: { occurrenceId: o.id, studentId: students[0]!, present: d % 15 !== 0, recordedById: otto.id } });
    }
    return { adminEmail: admin.email, tess: tess.id, otto: otto.id, amyId: students[0]! };
  });
  w = { school, slug, ...ids };
});

describe("the query string of a list", () => {
  it("reads a bad page number as the first page and drops unknown choices", () => {
    for (const page of ["abc", "0", "-3", "1.5", "1e9", "", "9999999"]) {
      expect(parseListQuery(`http://x/?page=${encodeURIComponent(page)}`, peopleQuery).page, page).toBe(1);
    }
    expect(parseListQuery("http://x/?page=3&role=WIZARD&status=gone&q=%20Zed%20", peopleQuery)).toEqual({ page: 3, role: "", status: "", q: "Zed" });
    expect(parseListQuery("http://x/?q=" + "a".repeat(500), pendingQuery).q).toHaveLength(100);
    expect(parseListQuery("http://x/?overdue=on&history=2", attendanceQuery)).toMatchObject({ overdue: true, history: 2, page: 1, teacher: "", student: "" });
    expect(parseListQuery("http://x/?overdue=yes", attendanceQuery).overdue).toBe(false);
    expect(rosterFilters(new URLSearchParams("skill=GURU&status=active&page=-1"))).toMatchObject({ skillLevel: "", status: "active", page: 1 });
  });
});

describe("people", () => {
  it("are paged by role then name, and a page past the end shows the last", async () => {
    const first = await run((tx) => peoplePage(tx, { q: "", role: "", status: "", page: 1 }));
    // 1 admin, 2 teachers, 30 parents, 27 students.
    expect(first).toMatchObject({ total: 60, page: 1, pages: Math.ceil(60 / PEOPLE_PAGE_SIZE) });
    expect(first.people).toHaveLength(PEOPLE_PAGE_SIZE);
    expect(first.people[0]!.firstName).toBe("Ada");
    const last = await run((tx) => peoplePage(tx, { q: "", role: "", status: "", page: 99 }));
    expect(last.page).toBe(first.pages);
    expect(last.people).toHaveLength(60 - (first.pages - 1) * PEOPLE_PAGE_SIZE);
  });

  it("are filtered by a name or email search, a role and an account status", async () => {
    const parents = await run((tx) => peoplePage(tx, { q: "", role: "PARENT", status: "", page: 2 }));
    expect(parents).toMatchObject({ total: 30, page: 2, pages: 2 });
    expect(parents.people.map((p) => p.lastName)).toEqual(["25", "26", "27", "28", "29"]);
    expect((await run((tx) => peoplePage(tx, { q: "zed 07", role: "", status: "", page: 1 }))).people.map((p) => `${p.firstName} ${p.lastName}`)).toEqual(["Zed 07"]);
    expect((await run((tx) => peoplePage(tx, { q: "tess.teacher@", role: "", status: "", page: 1 }))).people.map((p) => p.firstName)).toEqual(["Tess"]);
    expect((await run((tx) => peoplePage(tx, { q: "", role: "PARENT", status: "invited", page: 1 }))).total).toBe(10);
    expect((await run((tx) => peoplePage(tx, { q: "", role: "", status: "deactivated", page: 1 }))).total).toBe(5);
    // Active: the admin, two teachers and 15 parents; students without a login are not "active".
    expect((await run((tx) => peoplePage(tx, { q: "", role: "", status: "active", page: 1 }))).total).toBe(18);
  });
});

describe("students", () => {
  it("are paged with the roster's filters", async () => {
    const all = await run((tx) => listRoster(tx, rosterFilters(new URLSearchParams("page=2"))));
    expect(all).toMatchObject({ total: 27, page: 2, pages: Math.ceil(27 / ROSTER_PAGE_SIZE) });
    expect(all.students).toHaveLength(27 - ROSTER_PAGE_SIZE);
    const waiting = await run((tx) => listRoster(tx, rosterFilters(new URLSearchParams(`status=pending&teacher=${w.otto}`))));
    expect(waiting.total).toBe(3);
    const amy = await run((tx) => listRoster(tx, rosterFilters(new URLSearchParams("q=amy"))));
    expect(amy.students.map((s) => s.user.firstName)).toEqual(["Amy"]);
  });
});

describe("enrollment requests", () => {
  it("are paged oldest first and filtered by teacher and by a student, parent or lesson search", async () => {
    const first = await run((tx) => pendingEnrollments(tx, { q: "", teacher: "", page: 1 }));
    expect(first).toMatchObject({ total: 27, waiting: 27, page: 1, pages: Math.ceil(27 / PENDING_PAGE_SIZE) });
    expect(first.pending).toHaveLength(PENDING_PAGE_SIZE);
    expect(first.pending[0]!.student.user.firstName).toBe("Amy");
    // The teachers with requests waiting, by last name.
    expect(first.teachers.map((t) => t.firstName)).toEqual(["Tess", "Otto"]);
    const otto = await run((tx) => pendingEnrollments(tx, { q: "", teacher: w.otto, page: 5 }));
    expect(otto).toMatchObject({ total: 3, waiting: 27, page: 1, pages: 1 });
    expect(otto.pending.every((p) => p.lesson.title === "Cello club")).toBe(true);
    expect((await run((tx) => pendingEnrollments(tx, { q: "morgan", teacher: "", page: 1 }))).pending.map((p) => p.student.user.lastName)).toEqual(["Pupil 05"]);
    expect((await run((tx) => pendingEnrollments(tx, { q: "cello", teacher: "", page: 1 }))).total).toBe(3);
  });
});

describe("the attendance page", () => {
  const filters = { teacher: "", overdue: false, page: 1, student: "", history: 1 };

  it("counts every missing register and pages the list, grouped per teacher", async () => {
    const o = (await run((tx) => attendanceOverview(tx, { timeZone: TZ, now: NOW, filters })))!;
    expect(o.counts).toEqual({ missing: 31, overdue: 31, withoutAttendance: 31 });
    expect(o.teachers.map((t) => t.label)).toEqual(["Otto Tutor", "Tess Teacher"]);
    expect(o.list).toMatchObject({ total: 31, page: 1, pages: 2, pageSize: MISSING_PAGE_SIZE });
    // Tess has more overdue dates, so her group comes first; her figures count all of them.
    expect(o.list.groups.map((g) => [g.teacher, g.total, g.rows.length])).toEqual([["Tess Teacher", 30, 25]]);
    const second = (await run((tx) => attendanceOverview(tx, { timeZone: TZ, now: NOW, filters: { ...filters, page: 2 } })))!;
    expect(second.list.groups.map((g) => [g.teacher, g.total, g.rows.length])).toEqual([
      ["Tess Teacher", 30, 5],
      ["Otto Tutor", 1, 1],
    ]);
    // The figures stay the school's while the list is filtered.
    const ottos = (await run((tx) => attendanceOverview(tx, { timeZone: TZ, now: NOW, filters: { ...filters, teacher: w.otto, page: 3 } })))!;
    expect(ottos.counts.missing).toBe(31);
    expect(ottos.list).toMatchObject({ total: 1, page: 1, pages: 1 });
  });

  it("pages a student's history newest first, with the rate over all of it", async () => {
    const o = (await run((tx) => attendanceOverview(tx, { timeZone: TZ, now: NOW, filters: { ...filters, student: w.amyId, history: 2 } })))!;
    expect(o.history).toMatchObject({ total: 30, page: 2, pages: 2, present: 28 });
    expect(o.history!.rows).toHaveLength(30 - HISTORY_PAGE_SIZE);
    expect(o.history!.rate).toBeCloseTo(28 / 30);
    const first = (await run((tx) => attendanceOverview(tx, { timeZone: TZ, now: NOW, filters: { ...filters, student: w.amyId } })))!;
    expect(new Date(first.history!.rows[0]!.occurrence.startsAt).getTime()).toBeGreaterThan(new Date(o.history!.rows[0]!.occurrence.startsAt).getTime());
    expect(await run((tx) => attendanceOverview(tx, { timeZone: TZ, now: NOW, filters: { ...filters, student: "no-such-student" } }))).toBeNull();
  });
});

describe("the list pages", () => {
  function contextFor(): AppLoadContext {
    return loadContextFor(services, { kind: "school", school: w.school, brand: brandFor(w.school.brandColor) });
  }

  it("answer a bad page number with the first page, not an error", async () => {
    const signedIn = await signIn(contextFor(), w.adminEmail, PASSWORD);
    const cookie = signedIn!.cookie.split(";")[0]!;
    const load = async (loader: (args: { request: Request; params: Record<string, string>; context: AppLoadContext }) => unknown, path: string) =>
      (await loader({ request: new Request(url(path), { headers: { cookie } }), params: {}, context: contextFor() })) as { page?: number; list?: { page: number } };
    for (const bad of ["abc", "-1", "0", "2.5", "%00"]) {
      expect((await load(peopleLoader, `/admin/people?page=${bad}`)).page).toBe(1);
      expect((await load(studentsLoader, `/admin/students?page=${bad}`)).page).toBe(1);
      expect((await load(enrollmentsLoader, `/admin/enrollments?page=${bad}`)).page).toBe(1);
      expect((await load(attendanceLoader, `/admin/attendance?page=${bad}&history=${bad}`)).list!.page).toBe(1);
    }
    expect((await load(peopleLoader, "/admin/people?page=2&role=PARENT")).page).toBe(2);
  });
});
