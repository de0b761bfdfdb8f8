// The database roles hold exactly the rights the migrations give them, table by table
// (server/db/rls.ts), and nothing by default: a new table is nobody's until a
// migration grants it. Read from the catalog, generated from the schema.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_ROLE, PLATFORM_ACCESS, PLATFORM_ONLY_SCHOOL_COLUMNS, PLATFORM_ROLE, appTablePrivileges } from "../../server/db/rls";
import { schoolOwnedModels } from "../../server/db/schema-models";
import { connectOwner, newId, refusal, rolledBack } from "../support/db";
import { testServices } from "../support/services";

const services = testServices();
let owner: pg.Client;
beforeAll(async () => {
  owner = await connectOwner();
});
afterAll(async () => {
  await owner.end();
  await services.close();
});

async function tablePrivileges(role: string): Promise<Record<string, string[]>> {
  const { rows } = await owner.query<{ table: string; privilege: string }>(
    `SELECT c.relname::text AS table, p.privilege_type::text AS privilege
       FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) p
      WHERE c.relnamespace = 'public'::regnamespace AND p.grantee = (SELECT oid FROM pg_roles WHERE rolname = $1)`,
    [role],
  );
  const out: Record<string, string[]> = {};
  for (const r of rows) (out[r.table] ??= []).push(r.privilege);
  for (const k of Object.keys(out)) out[k]!.sort();
  return out;
}

describe("the app role's grants", () => {
  it("are the school-owned tables (full DML, row-level security narrows it) and read access to School, nothing else", async () => {
    const expected: Record<string, string[]> = { School: ["SELECT"] };
    for (const table of schoolOwnedModels()) expected[table] = [...appTablePrivileges(table)].sort();
    expect(await tablePrivileges(APP_ROLE)).toEqual(expected);
  });

  it("may update only the School columns a school decides", async () => {
    const { rows } = await owner.query<{ column: string }>(
      `SELECT column_name::text AS column FROM information_schema.column_privileges
        WHERE table_schema = 'public' AND table_name = 'School' AND grantee = $1 AND privilege_type = 'UPDATE'`,
      [APP_ROLE],
    );
    const columns = rows.map((r) => r.column);
    expect(columns.length).toBeGreaterThan(10);
    for (const c of PLATFORM_ONLY_SCHOOL_COLUMNS) expect(columns).not.toContain(c);
  });

  it("are not given to new tables by default privileges", async () => {
    const { rows } = await owner.query(`SELECT defaclrole::regrole::text AS role, defaclobjtype FROM pg_default_acl WHERE array_to_string(defaclacl, ',') LIKE '%' || $1 || '=%'`, [APP_ROLE]);
    expect(rows).toEqual([]);
  });

  it("a table a migration did not grant is out of its reach", async () => {
    const table = `t_${newId("new").replace(/\W/g, "_")}`;
    await owner.query(`CREATE TABLE "${table}" (id text primary key)`);
    try {
      const error = await refusal(() => services.clients.app.$queryRawUnsafe(`SELECT * FROM "${table}"`));
      expect(error.code).toBe("42501");
    } finally {
      await owner.query(`DROP TABLE "${table}"`);
    }
  });

  it("cannot assume the platform role", async () => {
    const error = await refusal(() => services.clients.app.$transaction((tx) => tx.$executeRawUnsafe(`SET LOCAL ROLE ${PLATFORM_ROLE}`)));
    expect(error.code).toBe("42501");
  });
});

describe("the platform role", () => {
  it("has exactly the grants the privileged module needs (server/db/rls.ts)", async () => {
    const expected = Object.fromEntries(Object.entries(PLATFORM_ACCESS).map(([t, a]) => [t, [...a.privileges].sort()]));
    expect(await tablePrivileges(PLATFORM_ROLE)).toEqual(expected);
  });

  it("is what the privileged connection runs as, and it is bound by row-level security", async () => {
    const rows = await services.clients.platform.$queryRaw<{ user: string; superuser: boolean; bypass: boolean }[]>`
      SELECT current_user::text AS "user", rolsuper AS superuser, rolbypassrls AS bypass FROM pg_roles WHERE rolname = current_user`;
    expect(rows).toEqual([{ user: PLATFORM_ROLE, superuser: false, bypass: false }]);
  });

  it("cannot read a school table it was not granted, nor change what it may only read", async () => {
    const platform = services.clients.platform;
    expect((await refusal(() => platform.$queryRawUnsafe(`SELECT count(*) FROM "Lesson"`))).code).toBe("42501");
    expect((await refusal(() => platform.$executeRawUnsafe(`UPDATE "Student" SET "schoolId" = "schoolId"`))).code).toBe("42501");
    expect((await refusal(() => platform.$executeRawUnsafe(`DELETE FROM "AuditLog"`))).code).toBe("42501");
  });

  it("cannot change the schema", async () => {
    const error = await refusal(() => services.clients.platform.$executeRawUnsafe(`CREATE TABLE "x_platform_probe" (id int)`));
    expect(error.code).toBe("42501");
  });

  it("reads every school's rows where it has a policy (the operator's figures)", async () => {
    const counted = await rolledBack({ run: (work) => services.clients.platform.$transaction(work) }, (tx) => tx.school.count());
    expect(counted).toBeGreaterThanOrEqual(2);
  });
});
