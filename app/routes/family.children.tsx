// A parent adds another child to the family: the same child fields as the public
// enrollment form, and optionally a class to enroll in (approval and the waitlist
// apply as on the form).
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ChildFields, type ProgramGroups } from "~/components/enrollment-fields";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError } from "~/components/form";
import { toLocalDate } from "~/domain/time";
import { addChildToFamily, FamilyError } from "~/models/family.server";
import { formEntries, outcomeSentence, parseAddChildForm, programValue, type FormEntries } from "~/models/online-enrollment-form";
import { enrollmentOptions } from "~/models/online-enrollment.server";
import familiesCss from "~/styles/families.css?url";
import { pageTitle } from "~/utils/meta";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { randomToken } from "~/utils/tokens.server";
import { formatterFor } from "~/utils/format";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: familiesCss }];
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Add a child");

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "PARENT" });
  const { db, school } = requireSchool(context);
  const options = await db.run((tx) => enrollmentOptions(tx, formatterFor(school), context.clock.now()));
  const programs: ProgramGroups = {
    classes: options.classes.map((c) => ({ value: programValue({ kind: "lesson", lessonId: c.id }), label: `${c.title} — ${c.summary}${c.seatsLeft === 0 ? " (join the waitlist)" : ""}` })),
    individual: [],
  };
  return { instruments: options.instruments, programs, uid: randomToken().slice(0, 10) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { role: "PARENT" });
  const { db, school } = requireSchool(context);
  const values = formEntries(await request.formData());
  const options = await db.run((tx) => enrollmentOptions(tx, formatterFor(school), context.clock.now()));
  const parsed = parseAddChildForm(values, {
    instruments: options.instruments,
    programs: options.classes.map((c) => programValue({ kind: "lesson", lessonId: c.id })),
    today: toLocalDate(context.clock.now(), school.timezone),
  });
  if (!parsed.ok) return data({ ok: false as const, values, errors: parsed.errors, formError: "Please correct the fields marked below.", added: null }, { status: 400 });
  try {
    const added = await db.run((tx) => addChildToFamily(tx, { slug: school.slug, now: context.clock.now() }, user.id, parsed.data));
    return { ok: true as const, values: {} as FormEntries, errors: {} as Record<string, string>, formError: null, added: { id: added.studentId, name: added.name, outcome: added.outcome, program: added.program } };
  } catch (error) {
    if (error instanceof FamilyError) {
      return data({ ok: false as const, values, errors: error.field ? { [error.field]: error.message } : {}, formError: error.message, added: null }, { status: error.status });
    }
    throw error;
  }
}

export default function AddChild() {
  const { instruments, programs, uid } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const values: FormEntries = actionData && !actionData.ok ? actionData.values : { "children.0.uid": uid };
  const added = actionData?.ok ? actionData.added : null;
  return (
    <div className="stack" style={{ maxWidth: "46rem" }}>
      <div>
        <p className="eyebrow">
          <Link to="/family">My family</Link>
        </p>
        <h1>Add a child</h1>
      </div>
      {added ? (
        <div className="notice" role="status">
          <strong>{added.name} is part of your family now.</strong> {added.program ? outcomeSentence(added.name.split(" ")[0]!, added.outcome, added.program) : ""}{" "}
          <Link to="/family">Back to your family page</Link>
        </div>
      ) : null}
      {/* A new key after each child added empties the form. */}
      <Form method="post" noValidate className="ef" key={added?.id ?? "form"}>
        <FormError message={actionData && !actionData.ok ? actionData.formError : null} />
        <ChildFields index={0} count={1} values={values} errors={actionData?.errors ?? {}} instruments={instruments} programs={programs} programOptional headingLevel={2} />
        <div className="ef-submit">
          <button className="button" disabled={busy}>
            {busy ? "Adding…" : "Add child"}
          </button>
          <Link to="/family">Cancel</Link>
        </div>
      </Form>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
