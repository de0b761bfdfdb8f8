import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData, MaxPartSizeExceededError } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError } from "~/components/form";
import { REQUIRED_COLUMNS, ROSTER_COLUMNS, type ImportPlan } from "~/domain/roster-import";
import { importRoster, previewRosterImport } from "~/models/roster-import.server";
import importCss from "~/styles/import.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Import students" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: importCss }];

const MAX_BYTES = 2_000_000;
const SAMPLE = 10;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  requireSchool(context);
  return null;
}

/** Spreadsheet exports are UTF-8, or (older Excel) Windows-1252: read either. */
function decode(bytes: ArrayBuffer): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

type Stage =
  | { stage: "error"; message: string; pasted: string }
  | { stage: "preview"; preview: Preview; csv: string; source: string; pasted: string }
  | { stage: "done"; families: number; students: number; unchanged: number; rejected: { row: number; reason: string }[] };

interface Preview {
  totalRows: number;
  fileError: string | null;
  ignoredColumns: string[];
  families: number;
  students: number;
  unchanged: number;
  rejected: { row: number; reason: string }[];
  sampleStudents: { row: number; name: string; dateOfBirth: string; instrument: string | null; family: string; newFamily: boolean }[];
  sampleFamilies: { name: string; parent: string; email: string; students: number }[];
}

function toPreview(plan: ImportPlan): Preview {
  return {
    totalRows: plan.totalRows,
    fileError: plan.fileError,
    ignoredColumns: plan.ignoredColumns,
    families: plan.createFamilies.length,
    students: plan.createStudents.length,
    unchanged: plan.unchanged.length,
    rejected: plan.rejected,
    sampleStudents: plan.createStudents.slice(0, SAMPLE).map((s) => ({
      row: s.row,
      name: `${s.firstName} ${s.lastName}`,
      dateOfBirth: s.dateOfBirth,
      instrument: s.instrument,
      family: s.familyName,
      newFamily: s.family.kind === "new",
    })),
    sampleFamilies: plan.createFamilies.slice(0, SAMPLE).map((f) => ({
      name: f.name,
      parent: `${f.parentFirstName} ${f.parentLastName}`,
      email: f.parentEmail,
      students: f.rows.length,
    })),
  };
}

async function readForm(request: Request): Promise<FormData | "too-large"> {
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > MAX_BYTES * 2 + 100_000) return "too-large";
  const type = request.headers.get("content-type") ?? "";
  try {
    if (type.startsWith("multipart/form-data")) {
      return await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_BYTES }));
    }
    return await request.formData();
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return "too-large";
    throw new Response("The form could not be read.", { status: 400 });
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db } = requireSchool(context);
  const form = await readForm(request);
  if (form === "too-large") {
    return data<Stage>({ stage: "error", message: `That file is larger than ${MAX_BYTES / 1_000_000} MB. Split it into smaller files.`, pasted: "" }, { status: 413 });
  }
  const intent = form.get("intent");
  const pastedRaw = form.get("pasted");
  const pasted = typeof pastedRaw === "string" ? pastedRaw : "";

  if (intent === "import") {
    // Never trust the preview: the plan is made again from the text, in the transaction.
    const csv = form.get("csv");
    if (typeof csv !== "string" || !csv.trim()) {
      return data<Stage>({ stage: "error", message: "There is nothing to import. Choose a file or paste the rows, then preview them.", pasted: "" }, { status: 400 });
    }
    const { plan, applied } = await db.run((tx) => importRoster(tx, csv), { timeout: 60_000 });
    if (plan.fileError) return data<Stage>({ stage: "error", message: plan.fileError, pasted: "" }, { status: 400 });
    return data<Stage>({ stage: "done", families: applied.families, students: applied.students, unchanged: applied.unchanged, rejected: plan.rejected });
  }

  if (intent !== "preview") return data<Stage>({ stage: "error", message: "That action is not known.", pasted }, { status: 400 });
  const file = form.get("file");
  let text = "";
  let source = "the pasted rows";
  if (file && typeof file !== "string" && file.size > 0) {
    if (!/\.(csv|txt)$/i.test(file.name) && !/^text\/|csv/.test(file.type)) {
      return data<Stage>({ stage: "error", message: `${file.name} is not a CSV file. In your spreadsheet, choose File → Download (or Save as) → CSV.`, pasted }, { status: 400 });
    }
    text = decode(await file.arrayBuffer());
    source = file.name;
  } else {
    text = pasted;
  }
  if (!text.trim()) {
    return data<Stage>({ stage: "error", message: "Choose a CSV file or paste the rows (with the header row) first.", pasted }, { status: 400 });
  }
  if (text.length > MAX_BYTES) {
    return data<Stage>({ stage: "error", message: `That is more than ${MAX_BYTES / 1_000_000} MB of text. Split it into smaller files.`, pasted: "" }, { status: 413 });
  }
  const plan = await db.run((tx) => previewRosterImport(tx, text));
  return data<Stage>({ stage: "preview", preview: toPreview(plan), csv: text, source, pasted }, { status: plan.fileError ? 400 : 200 });
}

export default function ImportStudents() {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busyIntent = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const pasted = result && result.stage !== "done" ? result.pasted : "";
  const preview = result?.stage === "preview" ? result.preview : null;
  return (
    <div className="stack">
      <div>
        <p style={{ margin: "0 0 0.25rem" }}>
          <Link to="/admin/students">← Students</Link>
        </p>
        <h1>Import students</h1>
        <p className="muted" style={{ marginTop: 0 }}>
          Bring families and students in from a spreadsheet. You see what would change before anything is saved, and importing the same file again changes nothing.
        </p>
      </div>

      {result?.stage === "done" ? (
        <section className="card" aria-labelledby="done-title">
          <h2 id="done-title">Import finished</h2>
          <p className="notice" role="status">
            Imported {result.families} {result.families === 1 ? "family" : "families"} and {result.students} {result.students === 1 ? "student" : "students"}.
            {result.unchanged ? ` ${result.unchanged} already at the school, left unchanged.` : ""}
            {result.rejected.length ? ` ${result.rejected.length} row${result.rejected.length === 1 ? "" : "s"} skipped.` : ""}
          </p>
          {result.rejected.length ? <RejectedRows rows={result.rejected} /> : null}
          <p className="muted">New parents have an account without a password: they choose one with “Forgot your password?” on the sign-in page, or you invite them from People.</p>
          <div className="row">
            <Link className="button" to="/admin/students">
              See the students
            </Link>
            <Link className="button secondary" to="/admin/import" reloadDocument>
              Import another file
            </Link>
          </div>
        </section>
      ) : null}

      {result?.stage !== "done" ? (
        <section className="card" aria-labelledby="upload-title">
          <h2 id="upload-title">1. Choose the file</h2>
          <p style={{ marginBottom: 0 }}>The first row names the columns (in any order; capitals and spaces do not matter):</p>
          <ul className="columns" aria-label="Columns">
            {ROSTER_COLUMNS.map((c) => (
              <li key={c} className={REQUIRED_COLUMNS.includes(c) ? "req" : undefined}>
                <code>{c}</code>
                {REQUIRED_COLUMNS.includes(c) ? <span className="sr-only"> (required)</span> : null}
              </li>
            ))}
          </ul>
          <p className="muted">
            Outlined columns are required. Dates are written yyyy-mm-dd; skill levels are beginner, elementary, intermediate, advanced or professional. A family is recognised by
            the parent's email, a student by name and date of birth.
          </p>
          <Form method="post" encType="multipart/form-data" noValidate>
            <FormError message={result?.stage === "error" ? result.message : null} />
            <div className="field">
              <label htmlFor="import-file">CSV file</label>
              <input id="import-file" type="file" name="file" accept=".csv,text/csv,text/plain" />
            </div>
            <p className="or">or</p>
            <div className="field">
              <label htmlFor="import-pasted">Paste the rows</label>
              <textarea id="import-pasted" name="pasted" rows={6} defaultValue={pasted} spellCheck={false} placeholder={`${ROSTER_COLUMNS.slice(0, 7).join(",")},…`} />
            </div>
            <button className="button" name="intent" value="preview" disabled={Boolean(busyIntent)}>
              {busyIntent === "preview" ? "Reading…" : "Preview the import"}
            </button>
          </Form>
        </section>
      ) : null}

      {result?.stage === "preview" && preview ? (
        <section className="card import-preview" aria-labelledby="preview-title">
          <h2 id="preview-title">2. Check what would change</h2>
          <p className="muted">From {result.source}. Nothing is saved until you confirm.</p>
          {preview.fileError ? (
            <FormError message={preview.fileError} />
          ) : (
            <>
              <div className="stat-row">
                <Stat value={preview.totalRows} label="rows read" />
                <Stat value={preview.families} label={preview.families === 1 ? "new family" : "new families"} />
                <Stat value={preview.students} label={preview.students === 1 ? "new student" : "new students"} />
                <Stat value={preview.unchanged} label="already here (unchanged)" />
                <Stat value={preview.rejected.length} label={preview.rejected.length === 1 ? "row rejected" : "rows rejected"} bad={preview.rejected.length > 0} />
              </div>
              {preview.ignoredColumns.length ? <p className="muted">Ignored columns: {preview.ignoredColumns.join(", ")}.</p> : null}
              {preview.rejected.length ? (
                <>
                  <h3>Rows that will not be imported</h3>
                  <RejectedRows rows={preview.rejected} />
                  <p className="muted">Fix them in the spreadsheet and import the file again later: rows already imported stay unchanged.</p>
                </>
              ) : null}
              {preview.sampleStudents.length ? (
                <>
                  <h3>
                    {preview.students > SAMPLE ? `The first ${SAMPLE} of ${preview.students} students to add` : "Students to add"}
                  </h3>
                  <div className="table-wrap">
                    <table className="stack-table">
                      <thead>
                        <tr>
                          <th scope="col">Row</th>
                          <th scope="col">Student</th>
                          <th scope="col">Born</th>
                          <th scope="col">Instrument</th>
                          <th scope="col">Family</th>
                        </tr>
                      </thead>
                      <tbody>
                        {preview.sampleStudents.map((s) => (
                          <tr key={s.row}>
                            <td data-label="Row">{s.row}</td>
                            <td data-label="Student">{s.name}</td>
                            <td data-label="Born">{s.dateOfBirth}</td>
                            <td data-label="Instrument">{s.instrument ?? "—"}</td>
                            <td data-label="Family">
                              {s.family} {s.newFamily ? <span className="badge">new</span> : <span className="badge muted">existing</span>}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </>
              ) : null}
              {preview.sampleFamilies.length ? (
                <>
                  <h3>{preview.families > SAMPLE ? `The first ${SAMPLE} of ${preview.families} families to add` : "Families to add"}</h3>
                  <ul>
                    {preview.sampleFamilies.map((f) => (
                      <li key={f.email}>
                        {f.name}: {f.parent} ({f.email}), {f.students} {f.students === 1 ? "student" : "students"}
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
              <div className="confirm-bar">
                {preview.students > 0 ? (
                  <Form method="post">
                    <input type="hidden" name="csv" value={result.csv} />
                    <button className="button" name="intent" value="import" disabled={Boolean(busyIntent)}>
                      {busyIntent === "import"
                        ? "Importing…"
                        : `Import ${preview.families} ${preview.families === 1 ? "family" : "families"} and ${preview.students} ${preview.students === 1 ? "student" : "students"}`}
                    </button>
                  </Form>
                ) : (
                  <p className="notice" role="status" style={{ margin: 0 }}>
                    Nothing to import: {preview.unchanged ? "every valid row is already at the school." : "no row can be imported."}
                  </p>
                )}
                <Link to="/admin/import" reloadDocument>
                  Start over
                </Link>
              </div>
            </>
          )}
        </section>
      ) : null}
    </div>
  );
}

function Stat({ value, label, bad }: { value: number; label: string; bad?: boolean }) {
  return (
    <div className={`stat-box${bad ? " bad" : ""}`}>
      <p className="stat">{value}</p>
      <p className="muted">{label}</p>
    </div>
  );
}

function RejectedRows({ rows }: { rows: { row: number; reason: string }[] }) {
  return (
    <ul className="rejected-list" aria-label="Rejected rows">
      {rows.map((r) => (
        <li key={r.row}>{r.reason}</li>
      ))}
    </ul>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
