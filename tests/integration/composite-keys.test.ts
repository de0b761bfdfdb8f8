// Composite tenant keys: a row can only point at rows of its own school, and it is
// the database that says so — even to the owner connection, which row-level
// security does not restrict. Every foreign key between two school-owned tables is
// `(schoolId, xId) -> (schoolId, id)`; the catalog check below proves that rule for
// every table, and each such key is then exercised against real rows.
//
// Every statement runs in a transaction that is rolled back.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schoolOwnedModels } from "../../server/db/schema-models";
import { connectOwner, createAdminSession, ident, newId, ownerAttempt } from "../support/db";
import { schoolId, testServices } from "../support/services";

const MODELS = new Set(schoolOwnedModels());

interface ForeignKey {
  name: string;
  table: string;
  columns: string[];
  references: string;
  referencedColumns: string[];
}

/** Every foreign key in the public schema, with its columns in key order. */
async function readForeignKeys(): Promise<ForeignKey[]> {
  const owner = await connectOwner();
  try {
    const { rows } = await owner.query<ForeignKey>(`
      SELECT c.conname::text AS name,
             child.relname::text AS "table",
             parent.relname::text AS "references",
             array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(num, pos)
                   JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num ORDER BY k.pos) AS columns,
             array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(num, pos)
                   JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.num ORDER BY k.pos) AS "referencedColumns"
      FROM pg_constraint c
      JOIN pg_class child ON child.oid = c.conrelid
      JOIN pg_class parent ON parent.oid = c.confrelid
      WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
      ORDER BY c.conname`);
    return rows;
  } finally {
    await owner.end();
  }
}

/** Foreign keys from one school-owned table to another: each must carry the school. */
const CROSS_TABLE_KEYS = (await readForeignKeys()).filter((fk) => MODELS.has(fk.table) && MODELS.has(fk.references));

const services = testServices();
let owner: pg.Client;
let A = ""; // harmony: the school whose rows we write
let B = ""; // riverside: the school they must not point at

beforeAll(async () => {
  owner = await connectOwner();
  [A, B] = await Promise.all([schoolId(services, "harmony"), schoolId(services, "riverside")]);
  // Sessions come from signing in, not from the seed; Session -> User needs one.
  await createAdminSession(services, A);
});

afterAll(async () => {
  await owner?.end();
  await services.close();
});

async function one<T extends object>(sql: string, params: unknown[]): Promise<T> {
  const { rows } = await owner.query<T & pg.QueryResultRow>(sql, params);
  if (!rows[0]) throw new Error(`fixture query found nothing: ${sql.trim()}`);
  return rows[0];
}

/** INSERT of one row as the owner (rolled back); returns the refusal, or null if accepted. */
function insertAsOwner(table: string, row: Record<string, unknown>) {
  const columns = Object.keys(row);
  const sql = `INSERT INTO ${ident(table)} (${columns.map(ident).join(", ")}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(", ")})`;
  return ownerAttempt(owner, sql, Object.values(row));
}

it("every foreign key between school-owned tables includes schoolId on both sides, paired", () => {
  expect(CROSS_TABLE_KEYS.length, "no composite keys found: is the catalog query right?").toBeGreaterThan(20);
  const offenders = CROSS_TABLE_KEYS.filter((fk) => {
    const at = fk.columns.indexOf("schoolId");
    return at === -1 || fk.referencedColumns[at] !== "schoolId";
  }).map((fk) => `${fk.name}: (${fk.columns.join(", ")}) -> ${fk.references}(${fk.referencedColumns.join(", ")})`);
  expect(offenders).toEqual([]);
});

describe("the owner cannot insert a row of school A that points at school B", () => {
  const later = { startsAt: new Date("2099-01-05T15:00:00Z"), endsAt: new Date("2099-01-05T16:00:00Z") };

  // Each case: a valid row of A (inserted first, as a control: the row itself is fine),
  // then the same row with one reference swapped for B's.
  it("Enrollment -> Lesson", async () => {
    const a = await one<{ lessonId: string; studentId: string }>(
      `SELECT l.id AS "lessonId", s.id AS "studentId" FROM "Lesson" l JOIN "Student" s ON s."schoolId" = l."schoolId"
       WHERE l."schoolId" = $1 AND NOT EXISTS (SELECT 1 FROM "Enrollment" e WHERE e."lessonId" = l.id AND e."studentId" = s.id) LIMIT 1`,
      [A],
    );
    const b = await one<{ id: string }>(`SELECT id FROM "Lesson" WHERE "schoolId" = $1 LIMIT 1`, [B]);
    const row = { id: newId(), schoolId: A, lessonId: a.lessonId, studentId: a.studentId };
    expect(await insertAsOwner("Enrollment", row)).toBeNull();
    expect(await insertAsOwner("Enrollment", { ...row, lessonId: b.id })).toMatchObject({
      code: "23503",
      constraint: "Enrollment_schoolId_lessonId_fkey",
    });
  });

  it("Attendance -> LessonOccurrence", async () => {
    const a = await one<{ occurrenceId: string; studentId: string }>(
      `SELECT o.id AS "occurrenceId", s.id AS "studentId" FROM "LessonOccurrence" o JOIN "Student" s ON s."schoolId" = o."schoolId"
       WHERE o."schoolId" = $1 AND NOT EXISTS (SELECT 1 FROM "Attendance" x WHERE x."occurrenceId" = o.id AND x."studentId" = s.id) LIMIT 1`,
      [A],
    );
    const b = await one<{ id: string }>(`SELECT id FROM "LessonOccurrence" WHERE "schoolId" = $1 LIMIT 1`, [B]);
    const row = { id: newId(), schoolId: A, occurrenceId: a.occurrenceId, studentId: a.studentId, present: true };
    expect(await insertAsOwner("Attendance", row)).toBeNull();
    expect(await insertAsOwner("Attendance", { ...row, occurrenceId: b.id })).toMatchObject({
      code: "23503",
      constraint: "Attendance_schoolId_occurrenceId_fkey",
    });
  });

  it("Room -> Location", async () => {
    const a = await one<{ id: string }>(`SELECT id FROM "Location" WHERE "schoolId" = $1 LIMIT 1`, [A]);
    const b = await one<{ id: string }>(`SELECT id FROM "Location" WHERE "schoolId" = $1 LIMIT 1`, [B]);
    const row = { id: newId(), schoolId: A, locationId: a.id, name: "Test room", updatedAt: new Date() };
    expect(await insertAsOwner("Room", row)).toBeNull();
    expect(await insertAsOwner("Room", { ...row, locationId: b.id })).toMatchObject({
      code: "23503",
      constraint: "Room_schoolId_locationId_fkey",
    });
  });

  it("LessonOccurrence -> Lesson", async () => {
    const a = await one<{ id: string; instructorId: string }>(`SELECT id, "instructorId" FROM "Lesson" WHERE "schoolId" = $1 LIMIT 1`, [A]);
    const b = await one<{ id: string }>(`SELECT id FROM "Lesson" WHERE "schoolId" = $1 LIMIT 1`, [B]);
    const row = { id: newId(), schoolId: A, lessonId: a.id, instructorId: a.instructorId, ...later, updatedAt: new Date() };
    expect(await insertAsOwner("LessonOccurrence", row)).toBeNull();
    expect(await insertAsOwner("LessonOccurrence", { ...row, lessonId: b.id })).toMatchObject({
      code: "23503",
      constraint: "LessonOccurrence_schoolId_lessonId_fkey",
    });
  });

  it("Payment -> FamilyGroup", async () => {
    const a = await one<{ id: string }>(`SELECT id FROM "FamilyGroup" WHERE "schoolId" = $1 LIMIT 1`, [A]);
    const b = await one<{ id: string }>(`SELECT id FROM "FamilyGroup" WHERE "schoolId" = $1 LIMIT 1`, [B]);
    const row = { id: newId(), schoolId: A, familyGroupId: a.id, amount: "10.00", updatedAt: new Date() };
    expect(await insertAsOwner("Payment", row)).toBeNull();
    expect(await insertAsOwner("Payment", { ...row, familyGroupId: b.id })).toMatchObject({
      code: "23503",
      constraint: "Payment_schoolId_familyGroupId_fkey",
    });
  });
});

// Generated from the catalog: for every composite key, re-point an existing row of
// school A at a row of school B that really exists — only the school differs.
describe("every composite key refuses a row of school A pointing at school B (owner UPDATE)", () => {
  it.each(CROSS_TABLE_KEYS.map((fk) => [`${fk.name}: ${fk.table} -> ${fk.references}`, fk] as const))("%s", async (_, fk) => {
    const own = fk.columns.filter((c) => c !== "schoolId");
    const theirs = fk.referencedColumns.filter((c) => c !== "schoolId");
    const child = await one<{ id: string }>(`SELECT id FROM ${ident(fk.table)} WHERE "schoolId" = $1 ORDER BY id LIMIT 1`, [A]);
    // Prefer a parent nothing points at yet, so no unique or exclusion constraint on
    // the key columns can object before the foreign key does.
    const referenced = own.map((c, i) => `c.${ident(c)} = p.${ident(theirs[i]!)}`).join(" AND ");
    const parent = await one<Record<string, unknown>>(
      `SELECT ${theirs.map((c) => `p.${ident(c)}`).join(", ")} FROM ${ident(fk.references)} p WHERE p."schoolId" = $1
       ORDER BY EXISTS (SELECT 1 FROM ${ident(fk.table)} c WHERE ${referenced}), p.id LIMIT 1`,
      [B],
    );
    const set = own.map((c, i) => `${ident(c)} = $${i + 2}`).join(", ");
    const error = await ownerAttempt(owner, `UPDATE ${ident(fk.table)} SET ${set} WHERE id = $1`, [child.id, ...theirs.map((c) => parent[c])]);
    expect(error).toMatchObject({ code: "23503", constraint: fk.name });
  });
});
