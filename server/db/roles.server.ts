// The database roles (ARCHITECTURE.md, "Database roles"). The migrations grant each
// role exactly what it needs, table by table; this module only
// - creates the app role for the embedded/development database, where we are the
//   administrator (in production an administrator creates it, docs/deploy.md), and
// - checks at start-up that the app's connection really is bound by row-level
//   security, and refuses to start when it is not.
import pg from "pg";
import { APP_ROLE, PLATFORM_ROLE } from "./rls";

export function roleUrl(ownerUrl: string, role: string, password: string) {
  const u = new URL(ownerUrl);
  u.username = role;
  u.password = password;
  return u.toString();
}

/** Development and tests only: makes the app role LOGIN NOSUPERUSER NOBYPASSRLS with this password. */
export async function ensureDevAppRole(ownerUrl: string, password: string) {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock(727272)");
    const exists = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [APP_ROLE]);
    const verb = exists.rowCount === 0 ? "CREATE" : "ALTER";
    await client.query(`${verb} ROLE ${APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD ${client.escapeLiteral(password)}`);
  } finally {
    await client.query("SELECT pg_advisory_unlock(727272)").catch(() => {});
    await client.end();
  }
}

export interface RoleCheck {
  ok: boolean;
  problems: string[];
}

/**
 * What the app's connection must be: a login that is neither superuser nor BYPASSRLS,
 * owns no table, cannot assume the platform role, and holds the app role's grants.
 */
export async function checkAppConnection(appUrl: string): Promise<RoleCheck> {
  const client = new pg.Client({ connectionString: appUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{
      user: string;
      superuser: boolean;
      bypassrls: boolean;
      owned: number;
      platform: boolean;
      app: boolean;
    }>(
      `SELECT current_user::text AS "user", r.rolsuper AS superuser, r.rolbypassrls AS bypassrls,
              (SELECT count(*)::int FROM pg_class c WHERE c.relowner = r.oid AND c.relnamespace = 'public'::regnamespace) AS owned,
              EXISTS (SELECT 1 FROM pg_roles p WHERE p.rolname = $1 AND pg_has_role(r.oid, p.oid, 'USAGE')) AS platform,
              EXISTS (SELECT 1 FROM pg_roles a WHERE a.rolname = $2 AND pg_has_role(r.oid, a.oid, 'USAGE')) AS app
         FROM pg_roles r WHERE r.rolname = current_user`,
      [PLATFORM_ROLE, APP_ROLE],
    );
    const r = rows[0]!;
    const problems: string[] = [];
    if (r.superuser) problems.push(`${r.user} is a superuser (row-level security would not apply)`);
    if (r.bypassrls) problems.push(`${r.user} has BYPASSRLS`);
    if (r.owned > 0) problems.push(`${r.user} owns ${r.owned} relation(s) in schema public; the owner is the migration role`);
    if (r.platform) problems.push(`${r.user} can assume ${PLATFORM_ROLE}`);
    if (!r.app) problems.push(`${r.user} is not ${APP_ROLE} nor a member of it, so it has none of the app's grants`);
    return { ok: problems.length === 0, problems };
  } finally {
    await client.end();
  }
}
