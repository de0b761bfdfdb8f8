// An admin adds students by hand: a new family (contacts, an optional emergency
// contact, one or more children, each optionally enrolled in a class) or children of
// a family the school already has. Works without JavaScript: "Add another child" and
// "Remove" are submit buttons the server answers by re-rendering the form.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useRef } from "react";
import { ContactFields } from "~/components/contact-fields";
import { AddChildButton, Checkbox, ChildFields, type ProgramGroups } from "~/components/enrollment-fields";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError, useFocusFirstInvalid } from "~/components/form";
import { toLocalDate } from "~/domain/time";
import { AdminFamilyError, addFamilyByHand, enrollableLessons, familyChoices, type AddedFamily } from "~/models/admin-family.server";
import { instrumentNames } from "~/models/landing.server";
import { changeChildBlocks, childCount, entry, formEntries, parseAdminFamilyForm, parseIntent, programValue, type FormEntries } from "~/models/online-enrollment-form";
import familiesCss from "~/styles/families.css?url";
import { pageTitle } from "~/utils/meta";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { randomToken } from "~/utils/tokens.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: familiesCss }];
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Add students");

const newUid = () => randomToken().slice(0, 10);

async function formOptions(context: LoaderFunctionArgs["context"]) {
  const { db } = requireSchool(context);
  return db.run(async (tx) => {
    const [lessons, instruments, families] = await Promise.all([enrollableLessons(tx), instrumentNames(tx), familyChoices(tx)]);
    const programs: ProgramGroups = {
      classes: lessons.map((l) => ({ value: programValue({ kind: "lesson", lessonId: l.id }), label: `${l.title}${l.seatsLeft === null ? "" : l.seatsLeft === 0 ? " (full: waitlist)" : ` (${l.seatsLeft} seat${l.seatsLeft === 1 ? "" : "s"} left)`}` })),
      individual: [],
    };
    return { programs, instruments, families };
  });
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const options = await formOptions(context);
  const asked = new URL(request.url).searchParams.get("family") ?? "";
  const family = options.families.some((f) => f.id === asked) ? asked : "";
  const initialValues: FormEntries = { "children.0.uid": newUid(), invite: "on", ...(family ? { mode: "existing", familyId: family } : { mode: "new" }) };
  return { ...options, initialValues };
}

type ActionResult =
  | { state: "form"; values: FormEntries; errors: Record<string, string>; formError: string | null; focusChild?: number }
  | { state: "done"; added: AddedFamily };

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const { intent: intentValue, ...values } = formEntries(await request.formData());
  const intent = parseIntent(typeof intentValue === "string" ? intentValue : null);
  const form = (v: FormEntries, extra: Partial<Extract<ActionResult, { state: "form" }>> = {}, status = 200) =>
    data<ActionResult>({ state: "form", values: v, errors: {}, formError: null, ...extra }, { status });

  const changed = changeChildBlocks(values, intent, newUid());
  if (changed) return form(changed.values, { focusChild: changed.focusChild });

  const options = await formOptions(context);
  const parsed = parseAdminFamilyForm(values, {
    instruments: options.instruments,
    programs: options.programs.classes.map((c) => c.value),
    today: toLocalDate(context.clock.now(), school.timezone),
    familyIds: options.families.map((f) => f.id),
  });
  if (!parsed.ok) return form(values, { errors: parsed.errors, formError: "Please correct the fields marked below." }, 400);
  try {
    const added = await db.run((tx) =>
      addFamilyByHand(tx, { mailer: context.mailer, origin: context.links.origin, schoolName: school.name, slug: school.slug, actor: { id: admin.id, name: `${admin.firstName} ${admin.lastName}` }, now: context.clock.now() }, parsed.data),
    );
    return data<ActionResult>({ state: "done", added });
  } catch (error) {
    if (error instanceof AdminFamilyError) return form(values, { errors: error.field ? { [error.field]: error.message } : {}, formError: error.message }, error.status);
    throw error;
  }
}

export default function AddStudents() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting" && navigation.formData?.get("intent") === "submit";
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, actionData?.state === "form" ? actionData.errors : null);

  if (actionData?.state === "done") return <Added added={actionData.added} />;

  const { programs, instruments, families } = loaderData;
  const form = actionData?.state === "form" ? actionData : null;
  const values = form?.values ?? loaderData.initialValues;
  const errors = form?.errors ?? {};
  const count = childCount(values);
  const mode = entry(values, "mode") === "existing" ? "existing" : "new";
  const uids = Array.from({ length: count }, (_, i) => entry(values, `children.${i}.uid`) || `child-${i}`);

  return (
    <div className="stack" style={{ maxWidth: "52rem" }}>
      <div>
        <p className="eyebrow">
          <Link to="/admin/students">Students</Link>
        </p>
        <h1>Add students</h1>
        <p className="muted" style={{ margin: 0 }}>
          A new family with its children, or children of a family you already have. A class chosen here is confirmed at once (or waitlisted when it is full).
        </p>
      </div>

      <Form method="post" noValidate className="ef admin-family" aria-label="Add students" ref={formRef}>
        {/* Enter in a field submits: the first submit button must be "Add". */}
        <button type="submit" name="intent" value="submit" className="hp" tabIndex={-1} aria-hidden="true">
          Add
        </button>
        <FormError message={form?.formError} />

        <fieldset className="ef-choices">
          <legend>Family</legend>
          <div className="ef-checks">
            <label className="check inline">
              <input type="radio" name="mode" value="new" defaultChecked={mode === "new"} /> A new family
            </label>
            <label className="check inline">
              <input type="radio" name="mode" value="existing" defaultChecked={mode === "existing"} disabled={families.length === 0} /> An existing family
            </label>
          </div>
          {errors.mode ? <p className="field-error-inline">{errors.mode}</p> : null}
        </fieldset>

        <div className="af-existing">
          <div className="field">
            <label htmlFor="af-family">Existing family</label>
            <select id="af-family" name="familyId" defaultValue={entry(values, "familyId")} aria-invalid={errors.familyId ? true : undefined} aria-describedby={errors.familyId ? "af-family-error" : undefined}>
              <option value="">Choose…</option>
              {families.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.label}
                </option>
              ))}
            </select>
            {errors.familyId ? (
              <p className="field-error-inline" id="af-family-error">
                {errors.familyId}
              </p>
            ) : null}
          </div>
        </div>

        <div className="af-new stack">
          <ContactFields values={values} errors={errors} filledBy="school" />
          <Checkbox name="invite" values={values} errors={errors} label="Email the contacts an invitation to set a password now" hint="Otherwise invite them later from People." />
        </div>

        {uids.map((uid, i) => (
          <ChildFields
            key={uid}
            index={i}
            count={count}
            values={values}
            errors={errors}
            instruments={instruments}
            programs={programs}
            programOptional
            consentBy="school"
            lastNameLabel="Last name (if not the contact's)"
            autoFocusName={form?.focusChild === i}
          />
        ))}
        {errors.children ? <p className="field-error-inline">{errors.children}</p> : null}
        <AddChildButton count={count} />

        <div className="ef-submit">
          <button type="submit" name="intent" value="submit" className="button" disabled={submitting}>
            {submitting ? "Adding…" : count > 1 ? `Add ${count} students` : "Add student"}
          </button>
          <Link to="/admin/students">Cancel</Link>
        </div>
      </Form>
    </div>
  );
}

function Added({ added }: { added: AddedFamily }) {
  return (
    <section className="stack" style={{ maxWidth: "44rem" }} aria-labelledby="added-title">
      <div className="card">
        <p className="eyebrow">
          <Link to="/admin/students">Students</Link>
        </p>
        <h1 id="added-title">Added to the {added.familyName}</h1>
        <ul role="status">
          {added.children.map((c) => (
            <li key={c.studentId}>
              <Link to={`/admin/students/${c.studentId}`}>{c.name}</Link>: {c.sentence}
            </li>
          ))}
        </ul>
        {added.invited.length ? <p>Invitations to set a password went to {added.invited.join(" and ")}.</p> : null}
        <div className="row">
          <Link className="button" to={`/admin/students/new?family=${added.familyId}`}>
            Add another child to this family
          </Link>
          <Link className="button secondary" to="/admin/students/new">
            Add another family
          </Link>
        </div>
      </div>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
