import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { DeleteButton, FieldsError, ResultNotice, resultFor, useBusy, useResetOnSuccess } from "~/components/availability-forms";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field } from "~/components/form";
import {
  addDuration,
  addInstrument,
  deleteDuration,
  deleteInstrument,
  durationInput,
  idInput,
  instrumentInput,
  listDurations,
  listInstruments,
  runSetupForm,
  unknownIntent,
  type SetupResult,
} from "~/models/setup.server";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Instruments and lesson lengths");

const BASE_URL = "/admin/lists";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db } = requireSchool(context);
  return db.run(async (tx) => ({ instruments: await listInstruments(tx), durations: await listDurations(tx) }));
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db } = requireSchool(context);
  const form = await request.formData();
  switch (form.get("intent")) {
    case "add-instrument":
      return runSetupForm(db, form, instrumentInput, async (tx, { name }) => `Added ${(await addInstrument(tx, name)).name}.`);
    case "delete-instrument":
      return runSetupForm(db, form, idInput, async (tx, { id }) => `Removed ${(await deleteInstrument(tx, id)).name}.`);
    case "add-duration":
      return runSetupForm(db, form, durationInput, async (tx, { minutes }) => `Added ${(await addDuration(tx, minutes)).minutes} minutes.`);
    case "delete-duration":
      return runSetupForm(db, form, idInput, async (tx, { id }) => `Removed ${(await deleteDuration(tx, id)).minutes} minutes.`);
    default:
      return unknownIntent(form);
  }
}

export default function ListsPage() {
  const { instruments, durations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() ?? null;
  return (
    <div className="stack">
      <div>
        <p className="eyebrow">School setup</p>
        <h1>Instruments and lesson lengths</h1>
        <p className="muted">The choices offered when you set up lessons and students.</p>
      </div>
      <div className="grid" style={{ alignItems: "start" }}>
        <ListCard
          id="instruments"
          title="Instruments"
          empty="No instruments yet."
          items={instruments.map((i) => ({ id: i.id, label: i.name }))}
          kind="instrument"
          result={result}
          field={{ name: "name", label: "New instrument", placeholder: "e.g. Cello", button: "Add instrument", maxLength: 60 }}
        />
        <ListCard
          id="durations"
          title="Lesson lengths"
          empty="No lesson lengths yet."
          items={durations.map((d) => ({ id: d.id, label: `${d.minutes} minutes` }))}
          kind="duration"
          result={result}
          field={{ name: "minutes", label: "New lesson length (minutes)", placeholder: "e.g. 45", button: "Add length", number: true, hint: "From 5 to 240." }}
        />
      </div>
    </div>
  );
}

function ListCard({
  id,
  title,
  empty,
  items,
  kind,
  result,
  field,
}: {
  id: string;
  title: string;
  empty: string;
  items: { id: string; label: string }[];
  kind: "instrument" | "duration";
  result: SetupResult | null;
  field: { name: string; label: string; placeholder: string; button: string; number?: boolean; hint?: string; maxLength?: number };
}) {
  const addIntent = `add-${kind}`;
  const mine = resultFor(result, [addIntent]);
  const failed = mine && !mine.ok ? mine : null;
  const formRef = useResetOnSuccess(result, addIntent);
  const busy = useBusy(addIntent);
  return (
    <section className="card" aria-labelledby={`${id}-heading`} style={{ marginTop: 0 }}>
      <h2 id={`${id}-heading`}>{title}</h2>
      <ResultNotice result={result} intents={[addIntent, `delete-${kind}`]} />
      {items.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul style={{ listStyle: "none", padding: 0, margin: "0 0 1rem" }}>
          {items.map((item) => (
            <li key={item.id} className="spread" style={{ padding: "0.5rem 0", borderBottom: "1px solid var(--line)" }}>
              <span>{item.label}</span>
              <DeleteButton
                action={BASE_URL}
                intent={`delete-${kind}`}
                id={item.id}
                label={`Remove ${item.label}`}
                confirmText={`Remove ${item.label} from the list?`}
              >
                Remove
              </DeleteButton>
            </li>
          ))}
        </ul>
      )}
      <Form method="post" action={BASE_URL} preventScrollReset noValidate ref={formRef}>
        <input type="hidden" name="intent" value={addIntent} />
        <FieldsError result={failed && Object.keys(failed.errors).length ? failed : null} />
        <Field
          label={field.label}
          name={field.name}
          required
          placeholder={field.placeholder}
          defaultValue={failed?.values[field.name]}
          error={failed?.errors[field.name]}
          hint={field.hint}
          maxLength={field.maxLength}
          {...(field.number ? { type: "number", inputMode: "numeric" as const, min: 5, max: 240 } : { autoComplete: "off" })}
        />
        <button className="button" disabled={busy}>
          {busy ? "Adding…" : field.button}
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
