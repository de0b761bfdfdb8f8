// SQL that puts a table under row-level security keyed on the per-transaction
// setting `app.school_id` (see ARCHITECTURE.md, "Tenant isolation").
export const SCHOOL_SETTING = "app.school_id";
const current = `(SELECT NULLIF(current_setting('${SCHOOL_SETTING}', true), ''))`;

export function rlsStatements(table: string, column = "schoolId"): string {
  const t = `"${table}"`;
  return [
    `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;`,
    `ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;`,
    `CREATE POLICY school_isolation ON ${t} USING ("${column}" = ${current}) WITH CHECK ("${column}" = ${current});`,
  ].join("\n");
}

/** The School row itself is visible to its own school only. */
export function schoolTableRls(): string {
  return rlsStatements("School", "id");
}
