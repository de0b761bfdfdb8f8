// Tenant isolation, generated from the schema. For every school-owned model (every
// model with a `schoolId`, as read from prisma/schema.prisma by schoolOwnedModels()),
// school A's context can neither see, change, delete nor create school B's rows —
// through Prisma or through raw SQL — and with no school chosen nothing is visible.
// A new model is covered as soon as it is in the schema (and the seed gives it rows).
//
// Every check that writes runs in a transaction that is rolled back afterwards, so a
// failure here cannot damage the demo data the other test files use.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSchemaModels, schoolOwnedModels } from "../../server/db/schema-models";
import { APP_APPEND_ONLY, PLATFORM_ACCESS, PLATFORM_ROLE } from "../../server/db/rls";
import type { Tx } from "../../server/db/school-db.server";
import { connectOwner, createAdminSession, ident, newId, refusal, rolledBack, withoutSchool } from "../support/db";
import { schoolId, testServices } from "../support/services";

const MODELS = schoolOwnedModels();
/** Tables that belong to no school but must still not be open to the app role. */
// Every model no school owns (operators, their sessions and links, the audit log),
// read from the schema like MODELS, and Prisma's migration table.
const PLATFORM_ONLY_TABLES = [...readSchemaModels().filter((m) => !m.schoolOwned && m.name !== "School").map((m) => m.name), "_prisma_migrations"];

const services = testServices();
let owner: pg.Client;
let A = ""; // harmony: the school whose context every check runs in
let B = ""; // riverside: the school whose rows must stay out of reach

beforeAll(async () => {
  owner = await connectOwner();
  [A, B] = await Promise.all([schoolId(services, "harmony"), schoolId(services, "riverside")]);
  // Sessions come from signing in, not from the seed: make one in each school.
  await Promise.all([createAdminSession(services, A), createAdminSession(services, B)]);
});

afterAll(async () => {
  await owner?.end();
  await services.close();
});

const asSchoolA = () => services.platform.schoolDb(A);

// ---- helpers ---------------------------------------------------------------------

/** The Prisma delegate of a model (`tx.lessonOccurrence` for "LessonOccurrence"), typed as loosely as these checks need. */
interface ModelDelegate {
  count(args?: { where?: Record<string, unknown> }): Promise<number>;
  findMany(args: { select: { id: true; schoolId: true } }): Promise<{ id: string; schoolId: string }[]>;
  updateMany(args: { where: Record<string, unknown>; data: Record<string, unknown> }): Promise<{ count: number }>;
  deleteMany(args: { where: Record<string, unknown> }): Promise<{ count: number }>;
  createMany(args: { data: Record<string, unknown>[] }): Promise<{ count: number }>;
}

function delegate(client: object, model: string): ModelDelegate {
  const name = model.charAt(0).toLowerCase() + model.slice(1);
  const found = (client as Record<string, ModelDelegate | undefined>)[name];
  if (!found) throw new Error(`Prisma has no delegate "${name}" for model ${model}`);
  return found;
}

/** A school's row ids in a table, read as the owner (no row-level security). */
async function ownerIds(model: string, school: string): Promise<string[]> {
  const { rows } = await owner.query<{ id: string }>(`SELECT id FROM ${ident(model)} WHERE "schoolId" = $1`, [school]);
  return rows.map((r) => r.id);
}

/**
 * `expected` rows that are not in `seen` — ignoring rows another test file deleted
 * meanwhile (sign-in tests end sessions), which the owner no longer finds either.
 */
async function unexplainedMissing(model: string, expected: string[], seen: string[]): Promise<string[]> {
  const seenSet = new Set(seen);
  const missing = expected.filter((id) => !seenSet.has(id));
  if (missing.length === 0) return [];
  const { rows } = await owner.query<{ id: string }>(`SELECT id FROM ${ident(model)} WHERE id = ANY($1)`, [missing]);
  return rows.map((r) => r.id);
}

/** Inside the same (uncommitted) transaction, switches to school B and lists the rows B sees. */
async function idsSeenByBInSameTx(tx: Tx, model: string): Promise<string[]> {
  await tx.$queryRaw`SELECT set_config('app.school_id', ${B}, true)`;
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(`SELECT id FROM ${ident(model)}`);
  return rows.map((r) => r.id);
}

async function rawCount(tx: Tx, sql: string, ...params: unknown[]): Promise<number> {
  const rows = await tx.$queryRawUnsafe<{ n: number }[]>(sql, ...params);
  return rows[0]?.n ?? -1;
}

// ---- every school-owned model ------------------------------------------------------

describe.each(MODELS)("%s", (model) => {
  const table = ident(model);
  /** The app role may not UPDATE or DELETE an append-only table at all (server/db/rls.ts): refused before any policy. */
  const appendOnly = model in APP_APPEND_ONLY;
  const refusedOutright = async (attempt: (tx: Tx) => Promise<unknown>) => {
    const error = await rolledBack(asSchoolA(), (tx) => refusal(() => attempt(tx)));
    expect(error.code).toBe("42501");
    expect(error.message).toMatch(/permission denied/);
  };
  /** Row ids per school before the checks, read as the owner. */
  let idsOfA: string[] = [];
  let idsOfB: string[] = [];

  beforeAll(async () => {
    [idsOfA, idsOfB] = await Promise.all([ownerIds(model, A), ownerIds(model, B)]);
    // Without rows on both sides every check below would pass vacuously.
    if (idsOfA.length === 0) throw new Error(`seed must cover model ${model}: harmony has no rows`);
    if (idsOfB.length === 0) throw new Error(`seed must cover model ${model}: riverside has no rows`);
  });

  it("Prisma in A's context sees all of A's rows and none of B's", async () => {
    const { countOfB, rows } = await asSchoolA().run(async (tx) => ({
      countOfB: await delegate(tx, model).count({ where: { schoolId: B } }),
      rows: await delegate(tx, model).findMany({ select: { id: true, schoolId: true } }),
    }));
    expect(countOfB).toBe(0);
    expect(rows.filter((r) => r.schoolId !== A)).toEqual([]);
    expect(await unexplainedMissing(model, idsOfA, rows.map((r) => r.id))).toEqual([]);
  });

  it("Prisma updateMany/deleteMany in A's context affect none of B's rows", async () => {
    if (appendOnly) {
      await refusedOutright((tx) => delegate(tx, model).updateMany({ where: { schoolId: B }, data: { schoolId: B } }));
      await refusedOutright((tx) => delegate(tx, model).deleteMany({ where: { schoolId: B } }));
      return;
    }
    const { updated, deleted, stillThere } = await rolledBack(asSchoolA(), async (tx) => ({
      updated: await delegate(tx, model).updateMany({ where: { schoolId: B }, data: { schoolId: B } }),
      deleted: await delegate(tx, model).deleteMany({ where: { schoolId: B } }),
      stillThere: await idsSeenByBInSameTx(tx, model),
    }));
    expect(updated.count).toBe(0);
    expect(deleted.count).toBe(0);
    expect(await unexplainedMissing(model, idsOfB, stillThere)).toEqual([]);
  });

  it("raw SQL in A's context cannot select, update or delete B's rows", async () => {
    if (appendOnly) {
      const selected = await rolledBack(asSchoolA(), async (tx) => ({
        selectedOfB: await rawCount(tx, `SELECT count(*)::int AS n FROM ${table} WHERE "schoolId" = $1`, B),
        selectedNotA: await rawCount(tx, `SELECT count(*)::int AS n FROM ${table} WHERE "schoolId" <> $1`, A),
      }));
      expect(selected).toEqual({ selectedOfB: 0, selectedNotA: 0 });
      await refusedOutright((tx) => tx.$executeRawUnsafe(`UPDATE ${table} SET "schoolId" = "schoolId" WHERE "schoolId" = $1`, B));
      await refusedOutright((tx) => tx.$executeRawUnsafe(`DELETE FROM ${table} WHERE "schoolId" = $1`, B));
      return;
    }
    const result = await rolledBack(asSchoolA(), async (tx) => ({
      selectedOfB: await rawCount(tx, `SELECT count(*)::int AS n FROM ${table} WHERE "schoolId" = $1`, B),
      selectedNotA: await rawCount(tx, `SELECT count(*)::int AS n FROM ${table} WHERE "schoolId" <> $1`, A),
      updated: await tx.$executeRawUnsafe(`UPDATE ${table} SET "schoolId" = "schoolId" WHERE "schoolId" = $1`, B),
      deleted: await tx.$executeRawUnsafe(`DELETE FROM ${table} WHERE "schoolId" = $1`, B),
      stillThere: await idsSeenByBInSameTx(tx, model),
    }));
    expect(result).toMatchObject({ selectedOfB: 0, selectedNotA: 0, updated: 0, deleted: 0 });
    expect(await unexplainedMissing(model, idsOfB, result.stillThere)).toEqual([]);
  });

  it("raw SQL in A's context cannot insert a row for B (row-level security, 42501)", async () => {
    const error = await rolledBack(asSchoolA(), async (tx) => {
      // One of A's own rows, re-keyed and re-homed to B. The WITH CHECK policy runs
      // before unique and foreign-key checks, so copied unique values do not matter.
      const [source] = await tx.$queryRawUnsafe<{ row: Record<string, unknown> }[]>(`SELECT to_jsonb(t) AS row FROM ${table} t LIMIT 1`);
      if (!source) throw new Error(`school A sees no ${model} row to copy`);
      const forB = { ...source.row, id: newId(), schoolId: B };
      return refusal(() =>
        tx.$executeRawUnsafe(`INSERT INTO ${table} SELECT * FROM jsonb_populate_record(NULL::${table}, $1::jsonb)`, JSON.stringify(forB)),
      );
    });
    expect(error.code).toBe("42501");
    expect(error.message).toMatch(/new row violates row-level security policy/);
  });

  it("Prisma in A's context cannot insert a row for B (row-level security, 42501)", async () => {
    const error = await rolledBack(asSchoolA(), async (tx) => {
      const [source] = await tx.$queryRawUnsafe<{ row: Record<string, unknown> }[]>(`SELECT to_jsonb(t) AS row FROM ${table} t LIMIT 1`);
      if (!source) throw new Error(`school A sees no ${model} row to copy`);
      // JSON has no date type: a timestamp without a zone or a date comes back as a bare
      // string, which Prisma wants as an ISO instant; NULLs are left out (lists default).
      const instant = (v: string) => (/^\d{4}-\d\d-\d\d$/.test(v) ? `${v}T00:00:00Z` : /^\d{4}-\d\d-\d\dT[\d:.]+$/.test(v) ? `${v}Z` : v);
      const values = Object.entries(source.row)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, typeof v === "string" ? instant(v) : v]);
      const forB = { ...Object.fromEntries(values), id: newId(), schoolId: B };
      return refusal(() => delegate(tx, model).createMany({ data: [forB] }));
    });
    expect(error.code).toBe("42501");
    expect(error.message).toMatch(/row-level security/);
  });

  it("an UPDATE in A's context cannot move one of A's rows to B (the policy's WITH CHECK), through Prisma or raw SQL", async () => {
    const id = idsOfA[0]!;
    const viaPrisma = await rolledBack(asSchoolA(), (tx) => refusal(() => delegate(tx, model).updateMany({ where: { id }, data: { schoolId: B } })));
    const viaRaw = await rolledBack(asSchoolA(), (tx) => refusal(() => tx.$executeRawUnsafe(`UPDATE ${table} SET "schoolId" = $1 WHERE id = $2`, B, id)));
    for (const error of [viaPrisma, viaRaw]) {
      expect(error.code).toBe("42501");
      expect(error.message).toMatch(appendOnly ? /permission denied/ : /row-level security/);
    }
    // And the row is still A's.
    const { rows } = await owner.query<{ schoolId: string }>(`SELECT "schoolId" FROM ${table} WHERE id = $1`, [id]);
    expect(rows.map((r) => r.schoolId)).toEqual(rows.length ? [A] : []);
  });

  it("sees no rows with no school chosen (setting unset, or empty)", async () => {
    const app = services.clients.app;
    const counts = async (tx: Tx) => ({
      prisma: await delegate(tx, model).count(),
      raw: await rawCount(tx, `SELECT count(*)::int AS n FROM ${table}`),
    });
    const unset = await withoutSchool(app).run(counts);
    const empty = await withoutSchool(app).run(async (tx) => {
      await tx.$queryRaw`SELECT set_config('app.school_id', '', true)`;
      return counts(tx);
    });
    // Outside any transaction, on pooled connections SchoolDb used before.
    const pooled = await delegate(app, model).count();
    expect({ unset, empty, pooled }).toEqual({ unset: { prisma: 0, raw: 0 }, empty: { prisma: 0, raw: 0 }, pooled: 0 });
  });
});

// ---- the catalog agrees with the schema --------------------------------------------

describe("catalog", () => {
  it.each([...MODELS, "School"])("%s has row-level security enabled and forced, and only school-scoped policies", async (name) => {
    const { rows: flags } = await owner.query<{ relrowsecurity: boolean; relforcerowsecurity: boolean }>(
      `SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = $1 AND relnamespace = 'public'::regnamespace AND relkind = 'r'`,
      [name],
    );
    expect(flags, `no table for model ${name}`).toEqual([{ relrowsecurity: true, relforcerowsecurity: true }]);

    const { rows: policies } = await owner.query<{ policyname: string; permissive: string; roles: string[]; cmd: string; qual: string | null; with_check: string | null }>(
      `SELECT policyname::text, permissive, roles::text[] AS roles, cmd, qual, with_check FROM pg_policies WHERE schemaname = 'public' AND tablename = $1`,
      [name],
    );
    expect(policies.length, `${name} has no policy`).toBeGreaterThan(0);
    // Permissive policies are OR-ed: one that does not test the school would open the
    // table — except the platform role's, which server/db/rls.ts lists table by table.
    const forEveryone = policies.filter((p) => p.permissive === "PERMISSIVE" && !p.roles.includes(PLATFORM_ROLE));
    for (const p of forEveryone) {
      expect(p.roles, `policy ${p.policyname} on ${name}`).toEqual(["public"]);
      expect(p.qual, `policy ${p.policyname} on ${name}`).toContain("app.school_id");
      if (p.with_check !== null) expect(p.with_check, `policy ${p.policyname} on ${name}`).toContain("app.school_id");
    }
    const forPlatform = policies.filter((p) => p.roles.includes(PLATFORM_ROLE));
    for (const p of forPlatform) expect(p.roles, `policy ${p.policyname} on ${name}`).toEqual([PLATFORM_ROLE]);
    expect(forPlatform.map((p) => p.cmd).sort(), `platform policies on ${name}`).toEqual([...(PLATFORM_ACCESS[name]?.policies ?? [])].sort());
  });

  it("every public table with a schoolId column is a school-owned model, and every school-owned model has one", async () => {
    const { rows } = await owner.query<{ table: string }>(
      `SELECT table_name::text AS table FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'schoolId'`,
    );
    expect(rows.map((r) => r.table).sort()).toEqual([...MODELS].sort());
  });
});

// ---- the app role ------------------------------------------------------------------

describe("the app role", () => {
  const app = () => services.clients.app;

  it("is neither superuser nor exempt from row-level security", async () => {
    const rows = await app().$queryRaw<{ rolsuper: boolean; rolbypassrls: boolean }[]>`
      SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`;
    expect(rows).toEqual([{ rolsuper: false, rolbypassrls: false }]);
  });

  it("owns no table (an owner would escape non-forced row-level security)", async () => {
    const rows = await app().$queryRaw<{ table: string }[]>`
      SELECT schemaname::text || '.' || tablename::text AS table FROM pg_tables WHERE tableowner = current_user`;
    expect(rows).toEqual([]);
  });

  it.each(PLATFORM_ONLY_TABLES)("cannot read %s, even in a school's context", async (name) => {
    const sql = `SELECT count(*)::int AS n FROM ${ident(name)}`;
    const bare = await refusal(() => app().$queryRawUnsafe(sql));
    const inSchool = await refusal(() => asSchoolA().run((tx) => tx.$queryRawUnsafe(sql)));
    for (const error of [bare, inSchool]) {
      expect(error.code).toBe("42501");
      expect(error.message).toMatch(/permission denied for table/);
    }
  });

  it("cannot create a school, even one its context would allow", async () => {
    const id = newId("school");
    const error = await rolledBack(withoutSchool(app()), async (tx) => {
      await tx.$queryRaw`SELECT set_config('app.school_id', ${id}, true)`;
      return refusal(() =>
        tx.$executeRaw`INSERT INTO "School" (id, slug, name, email, "updatedAt") VALUES (${id}, ${id}, 'Test school', 'x@example.test', now())`,
      );
    });
    expect(error).toMatchObject({ code: "42501", message: expect.stringMatching(/permission denied for table School/) });
  });

  it("cannot delete a school, not even its own", async () => {
    const error = await rolledBack(asSchoolA(), (tx) => refusal(() => tx.$executeRaw`DELETE FROM "School" WHERE id = ${A}`));
    expect(error).toMatchObject({ code: "42501", message: expect.stringMatching(/permission denied for table School/) });
  });

  it("sees its own School row only, and none with no school chosen", async () => {
    const schools = await asSchoolA().run((tx) => tx.school.findMany({ select: { id: true } }));
    expect(schools).toEqual([{ id: A }]);
    expect(await withoutSchool(app()).run((tx) => tx.school.count())).toBe(0);
  });
});
