import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import {
  dateRange,
  DeleteButton,
  editingId,
  FieldsError,
  formDefaults,
  fullDate,
  Item,
  Items,
  ResultNotice,
  resultFor,
  useBusy,
  useResetOnSuccess,
  withParam,
} from "~/components/availability-forms";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormActions, FormError, SelectField } from "~/components/form";
import { toLocalDate } from "~/domain/time";
import {
  closureInput,
  createClosure,
  createGeneratedTerms,
  archiveTerm,
  createTerm,
  deleteClosure,
  generateTermsInput,
  idInput,
  listClosures,
  listTerms,
  locationOptions,
  previewGeneratedTerms,
  runSetupForm,
  termInput,
  unknownIntent,
  updateClosure,
  updateTerm,
  type GenerateTermsInput,
  type SetupResult,
} from "~/models/setup.server";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { pageTitle } from "~/utils/meta";
import { useFormat } from "~/utils/format";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Terms and closures");

const BASE_URL = "/admin/terms";
const PATTERN_LABEL: Record<GenerateTermsInput["pattern"], string> = {
  FOUR_TERMS_OF_TEN_WEEKS: "Four terms of ten weeks",
  THREE_TERMS_OF_TWELVE_WEEKS: "Three terms of twelve weeks",
};
const TERM_INTENTS = ["add-term", "edit-term", "remove-term", "generate-terms"] as const;
const CLOSURE_INTENTS = ["add-closure", "edit-closure", "delete-closure"] as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  // One query at a time: the queries of a transaction share one connection.
  const { terms, closures, locations } = await db.run(async (tx) => ({
    terms: await listTerms(tx),
    closures: await listClosures(tx),
    locations: await locationOptions(tx),
  }));
  return { terms, closures, locations, today: toLocalDate(context.clock.now(), school.timezone) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireUser(request, context, { role: "ADMIN" });
  const { db } = requireSchool(context);
  const form = await request.formData();
  switch (form.get("intent")) {
    case "add-term":
      return runSetupForm(db, form, termInput, async (tx, input) => {
        const term = await createTerm(tx, input);
        return `Added ${term.name}.`;
      });
    case "edit-term":
      return runSetupForm(db, form, termInput.and(idInput), async (tx, input) => {
        const term = await updateTerm(tx, input.id, input);
        return `Saved ${term.name}.`;
      });
    case "remove-term":
      return runSetupForm(db, form, idInput, async (tx, { id }) => {
        const term = await archiveTerm(tx, id, admin.id);
        return `Removed ${term.name}. Make-up credits earned in it keep it in their history.`;
      });
    case "preview-terms":
      return runSetupForm(db, form, generateTermsInput, async (tx, input) => ({
        message: null,
        preview: await previewGeneratedTerms(tx, input),
      }));
    case "generate-terms":
      return runSetupForm(db, form, generateTermsInput, async (tx, input) => {
        const terms = await createGeneratedTerms(tx, input);
        return `Added ${terms.length} terms: ${terms.map((t) => t.name).join(", ")}.`;
      });
    case "add-closure":
      return runSetupForm(db, form, closureInput, async (tx, input) => {
        const closure = await createClosure(tx, input);
        return `Added ${closure.name}.`;
      });
    case "edit-closure":
      return runSetupForm(db, form, closureInput.and(idInput), async (tx, input) => {
        const closure = await updateClosure(tx, input.id, input);
        return `Saved ${closure.name}.`;
      });
    case "delete-closure":
      return runSetupForm(db, form, idInput, async (tx, { id }) => {
        const closure = await deleteClosure(tx, id);
        return `Deleted ${closure.name}.`;
      });
    default:
      return unknownIntent(form);
  }
}

type Term = ReturnType<typeof useLoaderData<typeof loader>>["terms"][number];
type Closure = ReturnType<typeof useLoaderData<typeof loader>>["closures"][number];
type LocationOption = ReturnType<typeof useLoaderData<typeof loader>>["locations"][number];

export default function TermsPage() {
  const fmt = useFormat();
  const { terms, closures, locations, today } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() ?? null;
  const [params] = useSearchParams();
  const editTerm = terms.find((t) => t.id === editingId(result, ["edit-term"], params.get("edit"))) ?? null;
  const editClosure = closures.find((c) => c.id === editingId(result, ["edit-closure"], params.get("edit"))) ?? null;
  return (
    <div className="stack">
      <div>
        <p className="eyebrow">School calendar</p>
        <h1>Terms and closures</h1>
        <p className="muted">
          Terms set the weeks lessons run in. Closures are holidays and days a location is shut: no lessons happen on them.
        </p>
      </div>

      <section className="card" aria-labelledby="terms-heading">
        <h2 id="terms-heading">Terms</h2>
        <ResultNotice result={result} intents={TERM_INTENTS} />
        {terms.length === 0 ? (
          <p className="muted">No terms yet. Add one below, or generate a whole year.</p>
        ) : (
          <Items label="Terms">
            {terms.map((t) => (
              <Item
                key={t.id}
                current={t.id === editTerm?.id}
                actions={
                  <>
                    <Link to={`${withParam(BASE_URL, "edit", t.id)}#term-form`} aria-label={`Change ${t.name}`}>
                      Change
                    </Link>
                    <DeleteButton action={BASE_URL} intent="remove-term" id={t.id} label={`Remove ${t.name}`} confirmText={`Remove the term “${t.name}” from the calendar?`} busyText="Removing…">
                      Remove
                    </DeleteButton>
                  </>
                }
              >
                <strong>{t.name}</strong> {t.startDate <= today && today <= t.endDate ? <span className="badge">Current</span> : null}
                {t.endDate < today ? <span className="badge warn">Over</span> : null}
                <br />
                {dateRange(fmt, t.startDate, t.endDate)} · {t.weeks === 1 ? "1 week" : `${t.weeks} weeks`}
                {t.lessons ? (
                  <>
                    <br />
                    <span className="muted">{t.lessons === 1 ? "1 lesson runs" : `${t.lessons} lessons run`} until its end</span>
                  </>
                ) : null}
              </Item>
            ))}
          </Items>
        )}
        <TermForm key={editTerm?.id ?? "new"} editing={editTerm} result={result} />
        <GenerateForm result={result} />
      </section>

      <section className="card" aria-labelledby="closures-heading">
        <h2 id="closures-heading">Closures</h2>
        <ResultNotice result={result} intents={CLOSURE_INTENTS} />
        {closures.length === 0 ? (
          <p className="muted">No closures yet.</p>
        ) : (
          <Items label="Closures">
            {closures.map((c) => (
              <Item
                key={c.id}
                current={c.id === editClosure?.id}
                actions={
                  <>
                    <Link to={`${withParam(BASE_URL, "edit", c.id)}#closure-form`} aria-label={`Change ${c.name}`}>
                      Change
                    </Link>
                    <DeleteButton action={BASE_URL} intent="delete-closure" id={c.id} label={`Delete ${c.name}`} confirmText={`Delete the closure “${c.name}”?`} />
                  </>
                }
              >
                <strong>{c.name}</strong> {c.location ? <span className="badge warn">Only {c.location.name}</span> : <span className="badge">Whole school</span>}
                {c.endDate < today ? <span className="muted"> · over</span> : null}
                <br />
                {dateRange(fmt, c.startDate, c.endDate)}
              </Item>
            ))}
          </Items>
        )}
        <ClosureForm key={editClosure?.id ?? "new"} editing={editClosure} locations={locations} result={result} />
      </section>
    </div>
  );
}

function fieldErrors(result: SetupResult | null, intent: string, id: string | null) {
  const mine = resultFor(result, [intent]);
  return mine && !mine.ok && (id === null || mine.id === id) ? mine : null;
}

function TermForm({ editing, result }: { editing: Term | null; result: SetupResult | null }) {
  const intent = editing ? "edit-term" : "add-term";
  const failed = fieldErrors(result, intent, editing?.id ?? null);
  const errors = failed?.errors ?? {};
  const values = formDefaults(result, intent, editing?.id ?? null, editing ? { name: editing.name, startDate: editing.startDate, endDate: editing.endDate } : {});
  const formRef = useResetOnSuccess(result, "add-term");
  const busy = useBusy(intent);
  return (
    <div id="term-form" style={{ marginTop: "1.5rem" }}>
      <h3>{editing ? `Change ${editing.name}` : "Add a term"}</h3>
      <Form method="post" action={BASE_URL} preventScrollReset noValidate ref={formRef}>
        <input type="hidden" name="intent" value={intent} />
        {editing ? <input type="hidden" name="id" value={editing.id} /> : null}
        <FieldsError result={Object.keys(errors).length ? failed : null} />
        <div className="grid">
          <Field label="Name" name="name" required defaultValue={values.name} error={errors.name} autoFocus={!!editing} placeholder="e.g. Fall 2026" maxLength={100} />
          <Field label="First day" name="startDate" type="date" required defaultValue={values.startDate} error={errors.startDate} />
          <Field label="Last day" name="endDate" type="date" required defaultValue={values.endDate} error={errors.endDate} />
        </div>
        <FormActions busy={busy} editing={!!editing} saveLabel="Save term" addLabel="Add term" cancelTo={BASE_URL} />
      </Form>
    </div>
  );
}

function GenerateForm({ result }: { result: SetupResult | null }) {
  const fmt = useFormat();
  const failed = resultFor(result, ["preview-terms", "generate-terms"]);
  const errors = failed && !failed.ok ? failed.errors : {};
  const values = failed && (!failed.ok || failed.intent === "preview-terms") ? failed.values : {};
  const preview = failed?.intent === "preview-terms" && failed.ok ? failed.preview : null;
  const formRef = useResetOnSuccess(result, "generate-terms");
  const previewing = useBusy("preview-terms");
  const generating = useBusy("generate-terms");
  return (
    <div id="generate-form" style={{ marginTop: "1.5rem" }}>
      <h3>Generate a year of terms</h3>
      <p className="muted">Makes consecutive terms named “Term 1 2027”, “Term 2 2027”… Each lasts whole weeks; breaks sit between them.</p>
      <Form method="post" action={BASE_URL} preventScrollReset noValidate ref={formRef}>
        <FieldsError result={Object.keys(errors).length ? failed : null} />
        <div className="grid">
          <Field label="First day of the first term" name="firstStart" type="date" required defaultValue={values.firstStart} error={errors.firstStart} />
          <SelectField
            label="Pattern"
            name="pattern"
            defaultValue={values.pattern ?? "FOUR_TERMS_OF_TEN_WEEKS"}
            error={errors.pattern}
            options={Object.entries(PATTERN_LABEL).map(([value, label]) => ({ value, label }))}
          />
          <Field
            label="Break between terms (weeks)"
            name="gapWeeks"
            type="number"
            inputMode="numeric"
            min={0}
            max={12}
            required
            defaultValue={values.gapWeeks ?? "2"}
            error={errors.gapWeeks}
          />
        </div>
        <div className="row">
          <button className="button secondary" name="intent" value="preview-terms" disabled={previewing || generating}>
            {previewing ? "Working…" : "Preview the terms"}
          </button>
          <button className="button" name="intent" value="generate-terms" disabled={previewing || generating}>
            {generating ? "Adding…" : "Add these terms"}
          </button>
        </div>
      </Form>
      <div role="status" aria-live="polite">
        {preview ? (
          <div style={{ marginTop: "1rem" }}>
            <FormError message={preview.problems.length ? preview.problems.join(" ") : null} />
            <div className="table-wrap">
              <table className="stack-table">
                <caption className="muted" style={{ textAlign: "left" }}>
                  Preview — nothing is saved until you choose “Add these terms”.
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Term</th>
                    <th scope="col">Dates</th>
                    <th scope="col">Weeks</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.terms.map((t) => (
                    <tr key={t.name}>
                      <td>
                        {t.name}
                        {t.overlaps.length ? (
                          <>
                            {" "}
                            <span className="badge danger">Overlaps {t.overlaps.join(", ")}</span>
                          </>
                        ) : null}
                      </td>
                      <td data-label="Dates">
                        {fullDate(fmt, t.startDate)} – {fullDate(fmt, t.endDate)}
                      </td>
                      <td data-label="Weeks">{t.weeks}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        ) : null}
      </div>
    </div>
  );
}

function ClosureForm({ editing, locations, result }: { editing: Closure | null; locations: LocationOption[]; result: SetupResult | null }) {
  const intent = editing ? "edit-closure" : "add-closure";
  const failed = fieldErrors(result, intent, editing?.id ?? null);
  const errors = failed?.errors ?? {};
  const values = formDefaults(
    result,
    intent,
    editing?.id ?? null,
    editing ? { name: editing.name, startDate: editing.startDate, endDate: editing.endDate, locationId: editing.locationId ?? "" } : {},
  );
  const formRef = useResetOnSuccess(result, "add-closure");
  const busy = useBusy(intent);
  return (
    <div id="closure-form" style={{ marginTop: "1.5rem" }}>
      <h3>{editing ? `Change ${editing.name}` : "Add a closure"}</h3>
      <Form method="post" action={BASE_URL} preventScrollReset noValidate ref={formRef}>
        <input type="hidden" name="intent" value={intent} />
        {editing ? <input type="hidden" name="id" value={editing.id} /> : null}
        <FieldsError result={Object.keys(errors).length ? failed : null} />
        <div className="grid">
          <Field label="Name" name="name" required defaultValue={values.name} error={errors.name} autoFocus={!!editing} placeholder="e.g. Thanksgiving" maxLength={100} />
          <Field label="First day" name="startDate" type="date" required defaultValue={values.startDate} error={errors.startDate} />
          <Field label="Last day" name="endDate" type="date" required defaultValue={values.endDate} error={errors.endDate} />
          <SelectField
            label="Where"
            name="locationId"
            defaultValue={values.locationId ?? ""}
            error={errors.locationId}
            options={[{ value: "", label: "The whole school" }, ...locations.map((l) => ({ value: l.id, label: `Only ${l.name}` }))]}
          />
        </div>
        <FormActions busy={busy} editing={!!editing} saveLabel="Save closure" addLabel="Add closure" cancelTo={BASE_URL} />
      </Form>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
