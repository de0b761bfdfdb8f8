// Importing a roster from a spreadsheet: the columns, a reason for every row that
// cannot be used, and the plan of what importing would change. Pure: the caller
// hands in what the school already has (`ExistingRoster`); nothing is written here.
//
// Matching, so that importing the same file twice changes nothing:
// - a family is found by its parent's email (any guardian of the family, case-insensitive);
// - a student, within that family, by first name, last name and date of birth
//   (case- and accent-form-insensitive names).
// A matched student is "unchanged": the import never overwrites what the school
// has since edited by hand.
import { z } from "zod";
import { CsvError, parseCsv, unguardCell } from "./csv";

export const ROSTER_COLUMNS = [
  "parent_first_name",
  "parent_last_name",
  "parent_email",
  "parent_phone",
  "student_first_name",
  "student_last_name",
  "date_of_birth",
  "instrument",
  "skill_level",
  "emergency_contact_name",
  "emergency_contact_phone",
] as const;

export type RosterColumn = (typeof ROSTER_COLUMNS)[number];

export const REQUIRED_COLUMNS: readonly RosterColumn[] = [
  "parent_first_name",
  "parent_last_name",
  "parent_email",
  "student_first_name",
  "student_last_name",
  "date_of_birth",
];

export const SKILL_LEVELS = ["BEGINNER", "ELEMENTARY", "INTERMEDIATE", "ADVANCED", "PROFESSIONAL"] as const;
export type SkillLevel = (typeof SKILL_LEVELS)[number];

/** "Parent First Name", " parent-first-name ", "PARENT_FIRST_NAME" -> "parent_first_name". */
export function normalizeHeader(cell: string): string {
  return cell
    .replace(/^\ufeff/, "")
    .trim()
    .toLowerCase()
    .replace(/[\s\-.]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^_|_$/g, "");
}

// ---- one row ----------------------------------------------------------------------

export interface RosterRow {
  /** The spreadsheet row number (the header is row 1). */
  row: number;
  parentFirstName: string;
  parentLastName: string;
  /** Lower-case. */
  parentEmail: string;
  parentPhone: string | null;
  studentFirstName: string;
  studentLastName: string;
  /** yyyy-mm-dd */
  dateOfBirth: string;
  instrument: string | null;
  skillLevel: SkillLevel | null;
  emergencyContactName: string | null;
  emergencyContactPhone: string | null;
}

export interface RejectedRow {
  row: number;
  reason: string;
}

const quoted = (v: string) => `'${v.length > 40 ? `${v.slice(0, 40)}…` : v}'`;

/** A real calendar date yyyy-mm-dd (no 2015-02-31). */
export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

const PHONE = /^[0-9+()./\s-]*(?:(?:ext\.?|x)\s*\d+)?$/i;

function rowSchema(today: string) {
  const required = (column: RosterColumn, max = 100) =>
    z
      .string()
      .trim()
      .min(1, `${column} is empty`)
      .refine((v) => v.length <= max, (v) => ({ message: `${column} ${quoted(v)} is longer than ${max} characters` }));
  const optional = (column: RosterColumn, max = 100) =>
    z
      .string()
      .trim()
      .refine((v) => v.length <= max, (v) => ({ message: `${column} ${quoted(v)} is longer than ${max} characters` }))
      .transform((v) => v || null);
  const phone = (column: RosterColumn) =>
    z
      .string()
      .trim()
      .refine((v) => v.length <= 40 && PHONE.test(v) && (v === "" || /\d{3}/.test(v.replace(/\D/g, ""))), (v) => ({
        message: `${column} ${quoted(v)} is not a phone number`,
      }))
      .transform((v) => v || null);
  return z.object({
    parent_first_name: required("parent_first_name"),
    parent_last_name: required("parent_last_name"),
    parent_email: z
      .string()
      .trim()
      .min(1, "parent_email is empty")
      .superRefine((v, ctx) => {
        if (v && (v.length > 254 || !z.string().email().safeParse(v).success)) {
          ctx.addIssue({ code: "custom", message: `parent_email ${quoted(v)} is not an email address` });
        }
      })
      .transform((v) => v.toLowerCase()),
    parent_phone: phone("parent_phone"),
    student_first_name: required("student_first_name"),
    student_last_name: required("student_last_name"),
    date_of_birth: z
      .string()
      .trim()
      .min(1, "date_of_birth is empty (use yyyy-mm-dd)")
      .superRefine((v, ctx) => {
        if (!v) return;
        if (!isIsoDate(v)) ctx.addIssue({ code: "custom", message: `date_of_birth ${quoted(v)} is not a date (use yyyy-mm-dd)` });
        else if (v > today) ctx.addIssue({ code: "custom", message: `date_of_birth ${quoted(v)} is in the future` });
        else if (v < "1900-01-01") ctx.addIssue({ code: "custom", message: `date_of_birth ${quoted(v)} is before 1900` });
      }),
    instrument: optional("instrument", 60),
    skill_level: z
      .string()
      .trim()
      .transform((v, ctx) => {
        if (!v) return null;
        const level = SKILL_LEVELS.find((l) => l === v.toUpperCase());
        if (!level) {
          ctx.addIssue({ code: "custom", message: `skill_level ${quoted(v)} is not one of ${SKILL_LEVELS.map((l) => l.toLowerCase()).join(", ")}` });
          return z.NEVER;
        }
        return level;
      }),
    emergency_contact_name: optional("emergency_contact_name"),
    emergency_contact_phone: phone("emergency_contact_phone"),
  });
}

// ---- the file -----------------------------------------------------------------------

export interface ParsedRoster {
  rows: RosterRow[];
  rejected: RejectedRow[];
  /** Set when the file as a whole cannot be read (no header, a missing column…). */
  fileError: string | null;
  /** Header cells that are not roster columns (ignored). */
  ignoredColumns: string[];
  /** Data rows read (blank rows not counted). */
  totalRows: number;
}

export interface ParseRosterOptions {
  /** yyyy-mm-dd; a date of birth after it is refused. Default: today (UTC). */
  today?: string;
  /** At most this many data rows (default 5000). */
  maxRows?: number;
}

export function parseRoster(text: string, options: ParseRosterOptions = {}): ParsedRoster {
  const empty = (fileError: string): ParsedRoster => ({ rows: [], rejected: [], fileError, ignoredColumns: [], totalRows: 0 });
  let records: string[][];
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvError) return empty(`The file is not valid CSV. ${error.message}`);
    throw error;
  }
  const headerIndex = records.findIndex((r) => r.some((c) => c.trim() !== ""));
  if (headerIndex < 0) return empty("The file is empty. Its first row must name the columns, e.g. parent_first_name, parent_last_name, parent_email…");
  const header = records[headerIndex]!.map(normalizeHeader);
  const positions = new Map<RosterColumn, number>();
  const ignoredColumns: string[] = [];
  header.forEach((name, index) => {
    if ((ROSTER_COLUMNS as readonly string[]).includes(name)) {
      if (!positions.has(name as RosterColumn)) positions.set(name as RosterColumn, index);
    } else if (name) {
      ignoredColumns.push(records[headerIndex]![index]!.trim());
    }
  });
  const missing = REQUIRED_COLUMNS.filter((c) => !positions.has(c));
  if (missing.length) {
    return {
      ...empty(
        `The header row (row ${headerIndex + 1}) has no ${missing.join(", ")} column${missing.length > 1 ? "s" : ""}. ` +
          `Expected columns: ${ROSTER_COLUMNS.join(", ")}.`,
      ),
      ignoredColumns,
    };
  }
  const dataRows = records.slice(headerIndex + 1).map((cells, i) => ({ cells, row: headerIndex + 2 + i }));
  const nonBlank = dataRows.filter(({ cells }) => cells.some((c) => c.trim() !== ""));
  const maxRows = options.maxRows ?? 5000;
  if (nonBlank.length > maxRows) {
    return { ...empty(`The file has ${nonBlank.length} rows; import at most ${maxRows} at a time.`), ignoredColumns };
  }
  const schema = rowSchema(options.today ?? new Date().toISOString().slice(0, 10));
  const rows: RosterRow[] = [];
  const rejected: RejectedRow[] = [];
  for (const { cells, row } of nonBlank) {
    const raw: Record<string, string> = {};
    for (const column of ROSTER_COLUMNS) {
      const at = positions.get(column);
      raw[column] = at === undefined ? "" : unguardCell((cells[at] ?? "").trim());
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const reasons = [...new Set(parsed.error.issues.map((i) => i.message))];
      rejected.push({ row, reason: `Row ${row}: ${reasons.join("; ")}` });
      continue;
    }
    const d = parsed.data;
    rows.push({
      row,
      parentFirstName: d.parent_first_name,
      parentLastName: d.parent_last_name,
      parentEmail: d.parent_email,
      parentPhone: d.parent_phone,
      studentFirstName: d.student_first_name,
      studentLastName: d.student_last_name,
      dateOfBirth: d.date_of_birth,
      instrument: d.instrument,
      skillLevel: d.skill_level,
      emergencyContactName: d.emergency_contact_name,
      emergencyContactPhone: d.emergency_contact_phone,
    });
  }
  return { rows, rejected, fileError: null, ignoredColumns, totalRows: nonBlank.length };
}

// ---- the plan -----------------------------------------------------------------------

/** What the school already has, as far as matching needs it. */
export interface ExistingRoster {
  families: {
    id: string;
    name: string;
    /** Emails of the family's parents/guardians. */
    parentEmails: string[];
    students: { id: string; firstName: string; lastName: string; dateOfBirth: string | null }[];
  }[];
  /** Every account of the school by email: a new parent cannot take a used email. */
  accounts: { id: string; email: string; role: "ADMIN" | "TEACHER" | "PARENT" | "STUDENT"; familyGroupId: string | null }[];
  /** The school's instrument list, to reuse its spelling ("piano" -> "Piano"). */
  instruments: string[];
}

export interface PlannedFamily {
  /** The parent's email (lower-case): the family's key in this plan. */
  key: string;
  name: string;
  parentFirstName: string;
  parentLastName: string;
  parentEmail: string;
  parentPhone: string | null;
  emergencyContactName: string | null;
  emergencyContactPhone: string | null;
  /** A parent account without a family already has this email: it becomes the family's admin. */
  existingParentUserId: string | null;
  rows: number[];
}

export interface PlannedStudent {
  row: number;
  family: { kind: "existing"; id: string } | { kind: "new"; key: string };
  familyName: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  instrument: string | null;
  skillLevel: SkillLevel | null;
  emergencyContactName: string | null;
  emergencyContactPhone: string | null;
  parentName: string;
  parentEmail: string;
  parentPhone: string | null;
}

export interface UnchangedRow {
  row: number;
  studentId: string;
  name: string;
  familyName: string;
}

export interface ImportPlan {
  createFamilies: PlannedFamily[];
  createStudents: PlannedStudent[];
  unchanged: UnchangedRow[];
  rejected: RejectedRow[];
  fileError: string | null;
  ignoredColumns: string[];
  totalRows: number;
}

const ROLE_NAME: Record<string, string> = { ADMIN: "an admin", TEACHER: "a teacher", STUDENT: "a student", PARENT: "a parent" };

/** For matching names: trimmed, single spaces, one Unicode form, case-insensitive. */
export function nameKey(name: string): string {
  return name.normalize("NFC").trim().replace(/\s+/g, " ").toLocaleLowerCase("en");
}

function studentKey(familyRef: string, first: string, last: string, dob: string | null) {
  return `${familyRef}\u0000${nameKey(first)}\u0000${nameKey(last)}\u0000${dob ?? ""}`;
}

export function planImport(parsed: ParsedRoster, existing: ExistingRoster): ImportPlan {
  const plan: ImportPlan = {
    createFamilies: [],
    createStudents: [],
    unchanged: [],
    rejected: [...parsed.rejected],
    fileError: parsed.fileError,
    ignoredColumns: parsed.ignoredColumns,
    totalRows: parsed.totalRows,
  };
  if (parsed.fileError) return plan;

  const familyByEmail = new Map<string, ExistingRoster["families"][number]>();
  for (const f of existing.families) for (const e of f.parentEmails) familyByEmail.set(e.toLowerCase(), f);
  const accountByEmail = new Map(existing.accounts.map((a) => [a.email.toLowerCase(), a]));
  const instrumentByKey = new Map(existing.instruments.map((i) => [nameKey(i), i]));

  const existingStudents = new Map<string, { id: string; name: string; familyName: string }>();
  for (const f of existing.families) {
    for (const s of f.students) {
      existingStudents.set(studentKey(`e:${f.id}`, s.firstName, s.lastName, s.dateOfBirth), { id: s.id, name: `${s.firstName} ${s.lastName}`, familyName: f.name });
    }
  }
  const newFamilies = new Map<string, PlannedFamily>();
  const seenInFile = new Map<string, number>();

  for (const r of parsed.rows) {
    let familyRef: string;
    let family: PlannedStudent["family"];
    let familyName: string;
    const known = familyByEmail.get(r.parentEmail);
    if (known) {
      familyRef = `e:${known.id}`;
      family = { kind: "existing", id: known.id };
      familyName = known.name;
    } else {
      const account = accountByEmail.get(r.parentEmail);
      if (account && account.role !== "PARENT") {
        plan.rejected.push({ row: r.row, reason: `Row ${r.row}: parent_email '${r.parentEmail}' already belongs to ${ROLE_NAME[account.role]}'s account at this school` });
        continue;
      }
      let planned = newFamilies.get(r.parentEmail);
      if (!planned) {
        planned = {
          key: r.parentEmail,
          name: `${r.parentLastName} family`,
          parentFirstName: r.parentFirstName,
          parentLastName: r.parentLastName,
          parentEmail: r.parentEmail,
          parentPhone: r.parentPhone,
          emergencyContactName: r.emergencyContactName,
          emergencyContactPhone: r.emergencyContactPhone,
          existingParentUserId: account?.id ?? null,
          rows: [],
        };
        newFamilies.set(r.parentEmail, planned);
      }
      familyRef = `n:${planned.key}`;
      family = { kind: "new", key: planned.key };
      familyName = planned.name;
    }

    const key = studentKey(familyRef, r.studentFirstName, r.studentLastName, r.dateOfBirth);
    const earlier = seenInFile.get(key);
    if (earlier !== undefined) {
      plan.rejected.push({ row: r.row, reason: `Row ${r.row}: the same student as row ${earlier} (${r.studentFirstName} ${r.studentLastName}, born ${r.dateOfBirth})` });
      continue;
    }
    seenInFile.set(key, r.row);

    const match = existingStudents.get(key);
    if (match) {
      plan.unchanged.push({ row: r.row, studentId: match.id, name: match.name, familyName: match.familyName });
      continue;
    }
    if (family.kind === "new") newFamilies.get(family.key)!.rows.push(r.row);
    plan.createStudents.push({
      row: r.row,
      family,
      familyName,
      firstName: r.studentFirstName,
      lastName: r.studentLastName,
      dateOfBirth: r.dateOfBirth,
      instrument: r.instrument ? (instrumentByKey.get(nameKey(r.instrument)) ?? r.instrument) : null,
      skillLevel: r.skillLevel,
      emergencyContactName: r.emergencyContactName,
      emergencyContactPhone: r.emergencyContactPhone,
      parentName: `${r.parentFirstName} ${r.parentLastName}`,
      parentEmail: r.parentEmail,
      parentPhone: r.parentPhone,
    });
  }
  // A new family is only created for students it will have.
  plan.createFamilies = [...newFamilies.values()].filter((f) => f.rows.length > 0);
  plan.rejected.sort((a, b) => a.row - b.row);
  return plan;
}

/** Reads the CSV text and plans it against the school's data. */
export function planRosterImport(text: string, existing: ExistingRoster, options: ParseRosterOptions = {}): ImportPlan {
  return planImport(parseRoster(text, options), existing);
}

/** A one-line summary: "2 new families, 3 new students, 1 unchanged, 2 rejected". */
export function summarizePlan(plan: ImportPlan): string {
  const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  return [
    n(plan.createFamilies.length, "new family", "new families"),
    n(plan.createStudents.length, "new student", "new students"),
    `${plan.unchanged.length} unchanged`,
    `${plan.rejected.length} rejected`,
  ].join(", ");
}
