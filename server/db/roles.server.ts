// The application's database role: LOGIN, NOSUPERUSER, NOBYPASSRLS, owns no table.
// Row-level security therefore always applies to it. Operator tables are out of
// its reach entirely; only the privileged module (owner connection) touches them.
import pg from "pg";

const PLATFORM_ONLY_TABLES = ["Operator", "OperatorSession", "AuditLog", "_prisma_migrations"];
const PLATFORM_ONLY_SCHOOL_COLUMNS = ["id", "slug", "status", "customDomainVerifiedAt", "createdAt"];

export function roleUrl(ownerUrl: string, role: string, password: string) {
  const u = new URL(ownerUrl);
  u.username = role;
  u.password = password;
  return u.toString();
}

export async function ensureAppRole(ownerUrl: string, role: string, password: string) {
  if (!/^[a-z_][a-z0-9_]*$/.test(role)) throw new Error(`Invalid role name ${role}`);
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock(727272)");
    const exists = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
    const quotedPassword = client.escapeLiteral(password);
    if (exists.rowCount === 0) {
      await client.query(`CREATE ROLE ${role} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD ${quotedPassword}`);
    } else {
      await client.query(`ALTER ROLE ${role} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD ${quotedPassword}`);
    }
    const db = (await client.query<{ db: string }>("SELECT current_database() AS db")).rows[0]!.db;
    await client.query(`GRANT CONNECT ON DATABASE "${db}" TO ${role}`);
    await client.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
    await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    await client.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`);
    for (const table of PLATFORM_ONLY_TABLES) {
      await client.query(`REVOKE ALL ON TABLE "${table}" FROM ${role}`).catch(() => {});
    }
    // A school may read and edit its own row (branding, settings), never create or
    // delete schools, and never change what only the platform decides: its address,
    // its status (suspension) or whether its custom domain is verified.
    await client.query(`REVOKE INSERT, DELETE, UPDATE ON TABLE "School" FROM ${role}`);
    const columns = await client.query<{ column_name: string }>(
      `SELECT column_name::text FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'School'`,
    );
    const editable = columns.rows.map((r) => r.column_name).filter((c) => !PLATFORM_ONLY_SCHOOL_COLUMNS.includes(c));
    await client.query(`GRANT UPDATE (${editable.map((c) => `"${c}"`).join(", ")}) ON TABLE "School" TO ${role}`);
  } finally {
    await client.query("SELECT pg_advisory_unlock(727272)").catch(() => {});
    await client.end();
  }
}
