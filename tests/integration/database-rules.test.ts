// The database's own rules, beyond tenant isolation: read from the catalog where
// they are general (so a new table is covered without touching this file), and
// exercised against the demo rows where they are specific.
// - every instant is `timestamptz`, and the app's sessions read and write the
//   instant they were given whatever the server's TimeZone is;
// - every unique key (and exclusion constraint) of a school-owned table includes
//   `schoolId`, so the schema can be sharded by school;
// - the columns that say who did something are foreign keys to that school's users;
// - CHECK constraints refuse rows that cannot be true (SQLSTATE 23514);
// - history is never deleted by a cascade: a student, lesson, occurrence or term
//   with a past cannot be deleted (23503), while removing a whole school still can.
//
// Every statement that writes runs in a transaction that is rolled back.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { sqlTimestamp } from "../../app/models/sql.server";
import { createPrismaClient } from "../../server/db/clients.server";
import { listMigrations } from "../../server/db/migrate.server";
import { roleUrl } from "../../server/db/roles.server";
import { SchoolDb } from "../../server/db/school-db.server";
import { schoolOwnedModels } from "../../server/db/schema-models";
import { connectOwner, ident, newId, ownerAttempt, refusal, rolledBack } from "../support/db";
import { schoolId, testServices } from "../support/services";

const MODELS = new Set(schoolOwnedModels());

const services = testServices();
let owner: pg.Client;
let A = ""; // harmony
let B = ""; // riverside

beforeAll(async () => {
  owner = await connectOwner();
  [A, B] = await Promise.all([schoolId(services, "harmony"), schoolId(services, "riverside")]);
});

afterAll(async () => {
  await owner?.end();
  await services.close();
});

const asSchoolA = () => services.platform.schoolDb(A);

async function one<T extends object>(sql: string, params: unknown[] = []): Promise<T> {
  const { rows } = await owner.query<T & pg.QueryResultRow>(sql, params);
  if (!rows[0]) throw new Error(`fixture query found nothing: ${sql.trim()}`);
  return rows[0];
}

// ---- the catalog ---------------------------------------------------------------

describe("the catalog", () => {
  it("has no timestamp without time zone in the public schema", async () => {
    const { rows } = await owner.query<{ table: string; column: string; type: string }>(
      `SELECT table_name::text AS "table", column_name::text AS "column", data_type::text AS type
         FROM information_schema.columns WHERE table_schema = 'public' AND data_type LIKE 'timestamp%'`,
    );
    expect(rows.length, "no timestamp columns found: is the catalog query right?").toBeGreaterThan(60);
    expect(rows.filter((r) => r.type !== "timestamp with time zone").map((r) => `${r.table}.${r.column} (${r.type})`)).toEqual([]);
  });

  it("includes schoolId in every unique key and exclusion constraint of a school-owned table", async () => {
    // The primary key on `id` alone is the one exception: ids are cuids, unique across
    // schools, and every such table also has the unique key (schoolId, id), which a
    // sharded deployment makes its primary key.
    const { rows } = await owner.query<{ name: string; table: string; columns: string[] }>(`
      SELECT ic.relname::text AS name, t.relname::text AS "table",
             array(SELECT a.attname::text FROM unnest(i.indkey::int2[]) AS k(num)
                   JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.num) AS columns
        FROM pg_index i
        JOIN pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_class t ON t.oid = i.indrelid
       WHERE t.relnamespace = 'public'::regnamespace AND (i.indisunique OR i.indisexclusion) AND NOT i.indisprimary`);
    const keys = rows.filter((r) => MODELS.has(r.table));
    expect(keys.length, "no unique keys found: is the catalog query right?").toBeGreaterThan(MODELS.size);
    // The ones that used to leave the school out, and the hand-written ones, are among them.
    expect(keys.map((k) => k.name)).toEqual(
      expect.arrayContaining([
        "Enrollment_schoolId_lessonId_studentId_key",
        "Attendance_schoolId_occurrenceId_studentId_key",
        "UserToken_schoolId_tokenHash_key",
        "LessonOccurrence_series_start_key",
        "LessonOccurrence_teacher_no_overlap",
      ]),
    );
    expect(keys.filter((k) => !k.columns.includes("schoolId")).map((k) => `${k.name} (${k.columns.join(", ")})`)).toEqual([]);
  });

  it("makes every who-did-it column a foreign key to a user of the same school", async () => {
    const { rows: columns } = await owner.query<{ table: string; column: string }>(
      `SELECT table_name::text AS "table", column_name::text AS "column" FROM information_schema.columns
        WHERE table_schema = 'public' AND column_name ~ '(By|ById)$'`,
    );
    const whoColumns = columns.filter((c) => MODELS.has(c.table)).map((c) => `${c.table}.${c.column}`);
    expect(whoColumns).toEqual(
      expect.arrayContaining([
        "ExamRequest.approvedBy",
        "MakeUpCredit.actedById",
        "MakeUpCredit.voidedById",
        "Attendance.recordedById",
        "Term.archivedById",
        "User.deactivatedById",
        "SchoolAuditEvent.actedById",
      ]),
    );
    const { rows: keys } = await owner.query<{ table: string; columns: string[]; references: string; referencedColumns: string[] }>(`
      SELECT child.relname::text AS "table", parent.relname::text AS "references",
             array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(num, pos)
                   JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num ORDER BY k.pos) AS columns,
             array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(num, pos)
                   JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.num ORDER BY k.pos) AS "referencedColumns"
        FROM pg_constraint c JOIN pg_class child ON child.oid = c.conrelid JOIN pg_class parent ON parent.oid = c.confrelid
       WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`);
    const toUser = new Set(
      keys
        .filter((k) => k.references === "User" && k.columns.length === 2 && k.columns[0] === "schoolId" && k.referencedColumns.join() === "schoolId,id")
        .map((k) => `${k.table}.${k.columns[1]}`),
    );
    expect(whoColumns.filter((c) => !toUser.has(c))).toEqual([]);
  });
});

// ---- instants ----------------------------------------------------------------------

describe("instants", () => {
  it("are written and read as given even when the role's own TimeZone is not UTC", async () => {
    // A login of the app role's kind whose sessions default to Tokyo time, as on a
    // server configured for another zone.
    const appRole = new URL(inject("appUrl")).username;
    const probe = `encore_tz_probe_${newId("").slice(1, 13)}`;
    await owner.query(`CREATE ROLE ${probe} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD 'probe' IN ROLE ${appRole}`);
    await owner.query(`ALTER ROLE ${probe} SET "TimeZone" = 'Asia/Tokyo'`);
    const client = createPrismaClient(roleUrl(inject("appUrl"), probe, "probe"), 1);
    try {
      const at = new Date("2031-03-04T05:06:07.089Z");
      const seen = await rolledBack(new SchoolDb(client, A), async (tx) => {
        const teacher = await tx.user.findFirstOrThrow({ where: { role: "TEACHER" }, select: { id: true } });
        const row = await tx.teacherTimeOff.create({ data: { teacherId: teacher.id, startsAt: at, endsAt: new Date(at.getTime() + 3_600_000) }, select: { id: true } });
        const [stored] = await tx.$queryRaw<{ utc: string; matches: boolean }[]>`
          SELECT to_char("startsAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS utc, "startsAt" = ${sqlTimestamp(at)} AS matches
            FROM "TeacherTimeOff" WHERE id = ${row.id}`;
        const read = await tx.teacherTimeOff.findUniqueOrThrow({ where: { id: row.id }, select: { startsAt: true } });
        return { stored, read: read.startsAt };
      });
      expect(seen.stored).toEqual({ utc: "2031-03-04T05:06:07.089", matches: true });
      expect(seen.read.toISOString()).toBe(at.toISOString());
    } finally {
      await client.$disconnect();
      await owner.query(`DROP ROLE ${probe}`);
    }
  });

  it("survive the migration to timestamptz unshifted, whatever the session's TimeZone", async () => {
    // A database of its own on the same server, migrated up to just before the
    // conversion, with rows written as the old `timestamp` columns held them (UTC);
    // then the conversion runs in a session whose TimeZone is Tokyo.
    const all = listMigrations();
    const at = all.findIndex((m) => m.name.endsWith("_tighten"));
    expect(at, "the timestamptz migration").toBeGreaterThan(0);
    const database = `encore_upgrade_${newId("").slice(1, 13)}`;
    await owner.query(`CREATE DATABASE ${database}`);
    const url = new URL(inject("ownerUrl"));
    url.pathname = `/${database}`;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      for (const m of all.slice(0, at)) await client.query(m.sql);
      await client.query(`
        INSERT INTO "School" (id, slug, name, email, "createdAt", "updatedAt") VALUES ('s1', 'upgrade', 'Upgrade', 'u@x.test', '2026-01-02 03:04:05.678', '2026-01-02 03:04:05.678');
        INSERT INTO "User" (id, "schoolId", email, "firstName", "lastName", role, "updatedAt") VALUES ('t1', 's1', 't@x.test', 'T', 'One', 'TEACHER', '2026-01-02 03:04:05');
        INSERT INTO "Lesson" (id, "schoolId", title, type, "instructorId", "startTime", "endTime", duration, "updatedAt")
             VALUES ('l1', 's1', 'Piano', 'INDIVIDUAL', 't1', '2026-01-02 15:00', '2026-01-02 15:30', 30, '2026-01-02 03:04:05');
        INSERT INTO "LessonOccurrence" (id, "schoolId", "lessonId", "startsAt", "endsAt", "instructorId", "updatedAt")
             VALUES ('o1', 's1', 'l1', '2026-01-02 15:00', '2026-01-02 15:30', 't1', '2026-01-02 03:04:05');`);
      await client.query(`SET TimeZone = 'Asia/Tokyo'`);
      await client.query("BEGIN");
      await client.query(all[at]!.sql);
      await client.query("COMMIT");
      const { rows } = await client.query<{ created: string; starts: string; type: string }>(`
        SELECT to_char(s."createdAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') AS created,
               to_char(o."startsAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS starts, pg_typeof(o."startsAt")::text AS type
          FROM "School" s, "LessonOccurrence" o`);
      expect(rows).toEqual([{ created: "2026-01-02 03:04:05.678", starts: "2026-01-02 15:00", type: "timestamp with time zone" }]);
      // The rebuilt exclusion constraint holds over the converted row.
      const clash = await client
        .query(`INSERT INTO "LessonOccurrence" (id, "schoolId", "lessonId", kind, "startsAt", "endsAt", "instructorId", "updatedAt")
                VALUES ('o2', 's1', 'l1', 'INDIVIDUAL_SESSION', '2026-01-02T15:10:00Z', '2026-01-02T15:20:00Z', 't1', now())`)
        .then(() => null, (error: { code?: string; constraint?: string }) => ({ code: error.code, constraint: error.constraint }));
      expect(clash).toEqual({ code: "23P01", constraint: "LessonOccurrence_teacher_no_overlap" });
    } finally {
      await client.end();
      await owner.query(`DROP DATABASE ${database}`);
    }
  });

  it("keep double bookings impossible (exclusion constraints over tstzrange)", async () => {
    const taken = await one<{ lessonId: string; instructorId: string; roomId: string; startsAt: Date; endsAt: Date }>(
      `SELECT "lessonId", "instructorId", "roomId", "startsAt", "endsAt" FROM "LessonOccurrence"
        WHERE "schoolId" = $1 AND status = 'SCHEDULED' AND "roomId" IS NOT NULL ORDER BY "startsAt" LIMIT 1`,
      [A],
    );
    const admin = await one<{ id: string }>(`SELECT id FROM "User" WHERE "schoolId" = $1 AND role = 'ADMIN' ORDER BY "createdAt" LIMIT 1`, [A]);
    const insert = (instructorId: string, roomId: string | null) =>
      ownerAttempt(
        owner,
        `INSERT INTO "LessonOccurrence" (id, "schoolId", "lessonId", kind, "startsAt", "endsAt", "instructorId", "roomId", "updatedAt")
         VALUES ($1, $2, $3, 'INDIVIDUAL_SESSION', $4::timestamptz + interval '1 minute', $5, $6, $7, now())`,
        [newId(), A, taken.lessonId, taken.startsAt, taken.endsAt, instructorId, roomId],
      );
    expect(await insert(taken.instructorId, null)).toMatchObject({ code: "23P01", constraint: "LessonOccurrence_teacher_no_overlap" });
    expect(await insert(admin.id, taken.roomId)).toMatchObject({ code: "23P01", constraint: "LessonOccurrence_room_no_overlap" });
    expect(await insert(admin.id, null)).toBeNull(); // another teacher, online: no clash
  });
});

// ---- CHECK constraints ---------------------------------------------------------------

describe("CHECK constraints refuse rows that cannot be true", () => {
  // Each case changes one existing row of school A as the owner (no RLS involved).
  const cases: [string, string, string][] = [
    ["LessonOccurrence", `"endsAt" = "startsAt" - interval '30 minutes'`, "LessonOccurrence_ends_after_start_check"],
    ["Lesson", `"endTime" = "startTime"`, "Lesson_ends_after_start_check"],
    ["TeacherTimeOff", `"endsAt" = "startsAt" - interval '1 day'`, "TeacherTimeOff_ends_after_start_check"],
    ["TeacherAvailability", `"endTime" = "startTime"`, "TeacherAvailability_ends_after_start_check"],
    ["Term", `"endDate" = '1999-12-31'`, "Term_ends_after_start_check"],
    ["Lesson", `"duration" = 0`, "Lesson_duration_check"],
    ["Lesson", `"maxStudents" = 0`, "Lesson_max_students_check"],
    ["Room", `"capacity" = 0`, "Room_capacity_check"],
    ["LessonDuration", `"minutes" = 0`, "LessonDuration_minutes_check"],
    ["HybridLessonConfig", `"cycleLength" = 0`, "HybridLessonConfig_cycle_length_check"],
    ["Payment", `"amount" = -0.01`, "Payment_amount_check"],
    ["Payout", `"amount" = -1`, "Payout_amount_check"],
    ["Lesson", `"pricePerStudent" = -5`, "Lesson_price_check"],
  ];
  it.each(cases)("%s: %s", async (table, set, constraint) => {
    const row = await one<{ id: string }>(`SELECT id FROM ${ident(table)} WHERE "schoolId" = $1 ORDER BY id LIMIT 1`, [A]);
    expect(await ownerAttempt(owner, `UPDATE ${ident(table)} SET ${set} WHERE id = $1`, [row.id])).toMatchObject({ code: "23514", constraint });
  });

  it("refuses them from the app too (a zero-capacity room, a negative payment, an occurrence ending before it starts)", async () => {
    const location = await one<{ id: string }>(`SELECT id FROM "Location" WHERE "schoolId" = $1 LIMIT 1`, [A]);
    const occurrence = await one<{ lessonId: string; instructorId: string }>(`SELECT "lessonId", "instructorId" FROM "LessonOccurrence" WHERE "schoolId" = $1 LIMIT 1`, [A]);
    const at = new Date("2098-05-05T10:00:00Z");
    const codes = await rolledBack(asSchoolA(), async (tx) => [
      (await refusal(() => tx.room.create({ data: { locationId: location.id, name: `Cupboard ${newId()}`, capacity: 0 } }))).code,
    ]);
    codes.push(...(await rolledBack(asSchoolA(), async (tx) => [(await refusal(() => tx.payment.create({ data: { amount: "-10.00" } }))).code])));
    codes.push(
      ...(await rolledBack(asSchoolA(), async (tx) => [
        (await refusal(() => tx.lessonOccurrence.create({ data: { ...occurrence, kind: "INDIVIDUAL_SESSION", startsAt: at, endsAt: new Date(at.getTime() - 60_000) } }))).code,
      ])),
    );
    expect(codes).toEqual(["23514", "23514", "23514"]);
  });
});

// ---- history -----------------------------------------------------------------------------

describe("history is never deleted by a cascade", () => {
  it.each([
    ["a student with attendance", "Student", `SELECT "studentId" AS id FROM "Attendance" WHERE "schoolId" = $1 LIMIT 1`],
    ["the account of a student", "User", `SELECT s."userId" AS id FROM "Student" s JOIN "Attendance" a ON a."studentId" = s.id WHERE s."schoolId" = $1 LIMIT 1`],
    ["a lesson with enrollments", "Lesson", `SELECT "lessonId" AS id FROM "Enrollment" WHERE "schoolId" = $1 LIMIT 1`],
    ["an occurrence with attendance", "LessonOccurrence", `SELECT "occurrenceId" AS id FROM "Attendance" WHERE "schoolId" = $1 LIMIT 1`],
    ["a term with make-up credits", "Term", `SELECT "termId" AS id FROM "MakeUpCredit" WHERE "schoolId" = $1 AND "termId" IS NOT NULL LIMIT 1`],
  ])("the database refuses to delete %s (even for the owner)", async (_, table, find) => {
    const { id } = await one<{ id: string }>(find, [A]);
    expect(await ownerAttempt(owner, `DELETE FROM ${ident(table)} WHERE id = $1`, [id])).toMatchObject({ code: "23503" });
  });

  it("the app is refused the same way, and the records stay", async () => {
    const { studentId, lessonId } = await one<{ studentId: string; lessonId: string }>(
      `SELECT e."studentId", e."lessonId" FROM "Enrollment" e WHERE e."schoolId" = $1 AND EXISTS (SELECT 1 FROM "Attendance" a WHERE a."studentId" = e."studentId") LIMIT 1`,
      [A],
    );
    const student = await rolledBack(asSchoolA(), (tx) => refusal(() => tx.student.delete({ where: { id: studentId } })));
    const lesson = await rolledBack(asSchoolA(), (tx) => refusal(() => tx.lesson.delete({ where: { id: lessonId } })));
    expect([student.code, lesson.code]).toEqual(["23503", "23503"]);
    const kept = await one<{ enrollments: number; attendance: number }>(
      `SELECT (SELECT count(*)::int FROM "Enrollment" WHERE "studentId" = $1) AS enrollments, (SELECT count(*)::int FROM "Attendance" WHERE "studentId" = $1) AS attendance`,
      [studentId],
    );
    expect(kept.enrollments).toBeGreaterThan(0);
    expect(kept.attendance).toBeGreaterThan(0);
  });

  it("removing a whole school still removes all of its rows (NO ACTION, not RESTRICT, between them)", async () => {
    await owner.query("BEGIN");
    try {
      const deleted = await owner.query(`DELETE FROM "School" WHERE id = $1`, [B]);
      expect(deleted.rowCount).toBe(1);
      const left = await one<{ n: number }>(
        `SELECT (SELECT count(*) FROM "Student" WHERE "schoolId" = $1) + (SELECT count(*) FROM "Attendance" WHERE "schoolId" = $1)
              + (SELECT count(*) FROM "Enrollment" WHERE "schoolId" = $1) + (SELECT count(*) FROM "MakeUpCredit" WHERE "schoolId" = $1) AS n`,
        [B],
      );
      expect(Number(left.n)).toBe(0);
    } finally {
      await owner.query("ROLLBACK");
    }
  });
});
