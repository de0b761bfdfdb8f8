// SQL for the database's access rules (see ARCHITECTURE.md, "Tenant isolation" and
// "Database roles"): row-level security keyed on the per-transaction setting
// `app.school_id`, the app role's table-by-table grants, and the platform role's
// grants and policies. Migrations are written from these; the catalog tests read the
// same constants, so what a migration grants and what a test expects cannot drift.
export const SCHOOL_SETTING = "app.school_id";
const current = `(SELECT NULLIF(current_setting('${SCHOOL_SETTING}', true), ''))`;

/** The role every request's school-bound connection runs as (RLS applies). */
export const APP_ROLE = "encore_app";
/** The role the privileged module assumes on the owner's connection (RLS applies too). */
export const PLATFORM_ROLE = "encore_platform";

export function rlsStatements(table: string, column = "schoolId"): string {
  const t = `"${table}"`;
  return [
    `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;`,
    `ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;`,
    `CREATE POLICY school_isolation ON ${t} USING ("${column}" = ${current}) WITH CHECK ("${column}" = ${current});`,
  ].join("\n");
}

/**
 * Every committed write to a school's tables tells the servers which school changed,
 * so a page rendered from the old rows is not served again (server/db/school-changes.server.ts,
 * server/page-cache.server.ts). One notification per statement, sent only if the
 * transaction commits (and one per school per transaction: Postgres folds equal
 * ones). The school is the transaction's `app.school_id`; a write without it (the
 * platform role, the owner's seed or migrations) says "*": any school may have changed.
 */
export const SCHOOL_CHANGED_CHANNEL = "encore_school_changed";

export function schoolChangedFunction(): string {
  return `CREATE OR REPLACE FUNCTION encore_school_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('${SCHOOL_CHANGED_CHANNEL}', COALESCE(NULLIF(current_setting('${SCHOOL_SETTING}', true), ''), '*'));
  RETURN NULL;
END $$;`;
}

export function schoolChangedTrigger(table: string): string {
  return `CREATE TRIGGER school_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION encore_school_changed();`;
}

/** The School row itself is visible to its own school only. */
export function schoolTableRls(): string {
  return rlsStatements("School", "id");
}

/** What the app role may do on a school-owned table (row-level security narrows it to one school). */
export const APP_TABLE_PRIVILEGES = ["SELECT", "INSERT", "UPDATE", "DELETE"] as const;

/**
 * Append-only school tables: the app role may read and add rows, never change or remove
 * one (the family ledger: a mistake is undone by a new entry, app/domain/ledger.ts).
 */
export const APP_APPEND_ONLY: Readonly<Record<string, readonly ("SELECT" | "INSERT")[]>> = {
  LedgerEntry: ["SELECT", "INSERT"],
  // Every move of an exam entry is kept with who and when (issue 13).
  ExamStatusChange: ["SELECT", "INSERT"],
  // An instalment schedule is fixed once a family chose it (billing, issue 11).
  InvoiceInstalment: ["SELECT", "INSERT"],
  // Teacher pay (issue 12): what Encore holds for a school is a sum of entries, never edited.
  SchoolLedgerEntry: ["SELECT", "INSERT"],
};

/** The app role's privileges on one school-owned table. */
export function appTablePrivileges(table: string): readonly string[] {
  return APP_APPEND_ONLY[table] ?? APP_TABLE_PRIVILEGES;
}

export function appGrantStatement(table: string): string {
  return `GRANT ${appTablePrivileges(table).join(", ")} ON TABLE "${table}" TO ${APP_ROLE};`;
}

/**
 * School columns only the platform decides: its address, its status (suspension),
 * its custom domain (the claim, its token and time, and whether it is verified: the
 * privileged module claims and verifies), and when it was created. The app role may
 * read its own School row and update every other column.
 */
export const PLATFORM_ONLY_SCHOOL_COLUMNS = [
  "id",
  "slug",
  "status",
  "customDomain",
  "customDomainToken",
  "customDomainClaimedAt",
  "customDomainVerifiedAt",
  "createdAt",
];

type Privilege = "SELECT" | "INSERT" | "UPDATE" | "DELETE";
type PolicyCommand = "ALL" | "SELECT" | "UPDATE";

/**
 * Exactly what the privileged module (server/db/privileged.server.ts) needs, table by
 * table. A table not listed here is out of the platform role's reach. `policies` admit
 * the platform role past row-level security on school-owned tables (all schools' rows,
 * for the listed commands only).
 */
export const PLATFORM_ACCESS: Record<string, { privileges: Privilege[]; policies?: PolicyCommand[] }> = {
  // Host lookup, onboarding, suspension, custom-domain verification.
  School: { privileges: ["SELECT", "INSERT", "UPDATE"], policies: ["ALL"] },
  // Operator accounts and their sessions (no school owns them; no RLS).
  Operator: { privileges: ["SELECT", "INSERT", "UPDATE"] },
  OperatorSession: { privileges: ["SELECT", "INSERT", "UPDATE", "DELETE"] },
  // One-time links to set an operator's password (create-operator).
  OperatorToken: { privileges: ["SELECT", "INSERT", "UPDATE", "DELETE"] },
  // The operator's audit log: written and read, never changed.
  AuditLog: { privileges: ["SELECT", "INSERT"] },
  // The operator's figures per school (counts).
  Student: { privileges: ["SELECT"], policies: ["SELECT"] },
  User: { privileges: ["SELECT"], policies: ["SELECT"] },
  Enrollment: { privileges: ["SELECT"], policies: ["SELECT"] },
  // Email delivery across schools (claim with FOR UPDATE, record the outcome).
  EmailMessage: { privileges: ["SELECT", "UPDATE"], policies: ["SELECT", "UPDATE"] },
  // Stripe webhook events: stored once by Stripe's id, claimed and marked by the stripe-events job.
  StripeEvent: { privileges: ["SELECT", "INSERT", "UPDATE"] },
};

export function platformAccessStatements(table: string): string {
  const access = PLATFORM_ACCESS[table];
  if (!access) return "";
  const lines = [`GRANT ${access.privileges.join(", ")} ON TABLE "${table}" TO ${PLATFORM_ROLE};`];
  for (const command of access.policies ?? []) {
    const name = `platform_${command.toLowerCase()}`;
    const check = command === "ALL" || command === "UPDATE" ? " WITH CHECK (true)" : "";
    lines.push(`CREATE POLICY ${name} ON "${table}" AS PERMISSIVE FOR ${command} TO ${PLATFORM_ROLE} USING (true)${check};`);
  }
  return lines.join("\n");
}
