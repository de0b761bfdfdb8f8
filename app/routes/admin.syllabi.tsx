// /admin/syllabi — the school's syllabi (levels or grades, each with sections) that teachers
// record progress through, and the practice streaks that give an award.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FieldFrame, SelectField } from "~/components/form";
import { parseStreakThresholds } from "~/domain/progress";
import { createSyllabus, listSyllabi, parseLevels, saveStreakSetting, streakSetting } from "~/models/progress.server";
import progressCss from "~/styles/progress.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { FormRefusal, parseForm, type FormValues } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Syllabi and practice awards");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: progressCss }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db } = requireSchool(context);
  return db.run(async (tx) => ({
    syllabi: await listSyllabi(tx),
    streakDays: await streakSetting(tx),
    instruments: (await tx.instrument.findMany({ orderBy: { name: "asc" }, select: { name: true } })).map((i) => i.name),
  }));
}

const syllabusSchema = z.object({
  name: z.string({ required_error: "Name the syllabus." }).trim().min(1, "Name the syllabus.").max(80, "Keep the name under 80 characters."),
  instrument: z.string({ required_error: "Choose the instrument." }).min(1, "Choose the instrument."),
  levels: z.string({ required_error: "Add at least one level." }).max(8000, "That is too long for one syllabus."),
});
const streakSchema = z.object({ streakDays: z.string().max(200, "That is too long.").default("") });

type Result = { ok: boolean; intent: string; message: string; errors: Record<string, string>; values: FormValues };

export async function action({ request, context }: ActionFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db } = requireSchool(context);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const reply = (r: Omit<Result, "intent">, status = 200) => data<Result>({ ...r, intent }, { status });
  if (intent === "add-syllabus") {
    const parsed = parseForm(form, syllabusSchema);
    if (!parsed.ok) return reply({ ok: false, message: "Please check the form.", errors: parsed.errors, values: parsed.values }, 400);
    const levels = parseLevels(parsed.data.levels);
    if (!levels.ok) return reply({ ok: false, message: "Please check the form.", errors: { levels: levels.error }, values: parsed.values }, 400);
    try {
      await db.run((tx) => createSyllabus(tx, { name: parsed.data.name, instrument: parsed.data.instrument, levels: levels.levels }));
    } catch (error) {
      if (error instanceof FormRefusal) return reply({ ok: false, message: error.message, errors: error.field ? { [error.field]: error.message } : {}, values: parsed.values }, error.status);
      throw error;
    }
    return reply({ ok: true, message: `Added ${parsed.data.name}.`, errors: {}, values: {} });
  }
  if (intent === "streaks") {
    const parsed = parseForm(form, streakSchema);
    if (!parsed.ok) return reply({ ok: false, message: "Please check the form.", errors: parsed.errors, values: parsed.values }, 400);
    const days = parseStreakThresholds(parsed.data.streakDays);
    if (!days.ok) return reply({ ok: false, message: days.error, errors: { streakDays: days.error }, values: parsed.values }, 400);
    await db.run((tx) => saveStreakSetting(tx, days.days));
    return reply({ ok: true, message: days.days.length ? `Saved: awards at ${days.days.join(", ")} days in a row.` : "Saved: no streak awards.", errors: {}, values: {} });
  }
  return reply({ ok: false, message: "Unknown action. Reload the page and try again.", errors: {}, values: {} }, 400);
}

export default function AdminSyllabi() {
  const { syllabi, streakDays, instruments } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() ?? null;
  const busy = useNavigation().state !== "idle";
  const failed = (intent: string) => (result && !result.ok && result.intent === intent ? result : null);
  const add = failed("add-syllabus");
  const streak = failed("streaks");
  const notice = (intent: string) =>
    result && result.intent === intent ? (
      <p className={result.ok ? "notice" : "form-error"} role={result.ok ? "status" : "alert"}>
        {result.message}
      </p>
    ) : null;
  return (
    <div className="stack">
      <div>
        <p className="eyebrow">Progress</p>
        <h1>Syllabi and practice awards</h1>
        <p className="muted">Teachers record each student's progress through a syllabus; completing a section, and then a whole level, gives an award by itself.</p>
      </div>

      <section className="card" aria-labelledby="list-heading">
        <h2 id="list-heading">Syllabi</h2>
        {syllabi.length === 0 ? <p className="muted">No syllabus yet. Add one below.</p> : null}
        {syllabi.map((s) => (
          <details key={s.id} className="exam-entry">
            <summary>
              <strong>{s.name}</strong> <span className="muted">· {s.instrument} · {s.levels.length} {s.levels.length === 1 ? "level" : "levels"}</span>
            </summary>
            <ul className="section-list">
              {s.levels.map((l) => (
                <li key={l.id}>
                  <strong>{l.name}</strong>
                  <span className="muted">{l.sections.map((x) => x.name).join(", ")}</span>
                </li>
              ))}
            </ul>
          </details>
        ))}
      </section>

      <div className="progress-columns">
        <section className="card" aria-labelledby="add-heading">
          <h2 id="add-heading">Add a syllabus</h2>
          {notice("add-syllabus")}
          <Form method="post" key={result?.ok && result.intent === "add-syllabus" ? `done-${syllabi.length}` : "add"}>
            <input type="hidden" name="intent" value="add-syllabus" />
            <Field label="Name" name="name" required maxLength={80} placeholder="Piano grades" defaultValue={add?.values.name} error={add?.errors.name} />
            <SelectField label="Instrument" name="instrument" defaultValue={add?.values.instrument} options={instruments.map((i) => ({ value: i, label: i }))} error={add?.errors.instrument} />
            <FieldFrame id="levels" label="Levels and sections" hint="One level a line: its name, a colon, then its sections separated by commas." error={add?.errors.levels}>
              <textarea
                id="levels"
                name="levels"
                rows={5}
                required
                aria-invalid={add?.errors.levels ? true : undefined}
                placeholder={"Grade 1: Scales, Pieces, Sight-reading, Aural\nGrade 2: Scales, Pieces, Sight-reading, Aural"}
                defaultValue={add?.values.levels}
              />
            </FieldFrame>
            <button className="button" disabled={busy}>
              Add the syllabus
            </button>
          </Form>
        </section>
        <section className="card" aria-labelledby="streak-heading">
          <h2 id="streak-heading">Practice streak awards</h2>
          {notice("streaks")}
          <Form method="post">
            <input type="hidden" name="intent" value="streaks" />
            <Field
              label="Days in a row that earn an award"
              name="streakDays"
              defaultValue={streak?.values.streakDays ?? streakDays.join(", ")}
              hint="For example “7, 30, 100”. Leave empty for no streak awards."
              error={streak?.errors.streakDays}
            />
            <button className="button" disabled={busy}>
              Save
            </button>
          </Form>
        </section>
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
