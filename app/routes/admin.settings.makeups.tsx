// /admin/settings/makeups — the school's make-up policy (notice for a credit,
// credits per term, how long a credit lasts) and its 1-on-1 move policy (may
// families move a booked session, how late), and the calendar's label for a
// 1-on-1 week. Stored on the school's own row (row-level security lets a school
// update only itself).
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormError } from "~/components/form";
import makeupsCss from "~/styles/makeups.css?url";
import { policySettings, savePolicySettings } from "~/models/school-settings.server";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { noErrors, parseForm, type FieldErrors, type FormValues } from "~/utils/forms";

export const meta: MetaFunction = () => [{ title: "Make-up and move policy" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: makeupsCss }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db } = requireSchool(context);
  const settings = await db.run(policySettings);
  return { settings };
}

const whole = (message: string, min: number, max: number) =>
  z
    .string({ required_error: message })
    .trim()
    .regex(/^\d{1,5}$/, message)
    .transform(Number)
    .refine((n) => n >= min && n <= max, message);

const schema = z.object({
  makeUpNoticeHours: whole("Enter the notice in whole hours, from 0 to 336 (two weeks).", 0, 336),
  makeUpCreditsPerTerm: whole("Enter how many credits a student can earn per term, from 0 (no make-ups) to 52.", 0, 52),
  makeUpExpiryDays: whole("Enter how many days a credit lasts, from 1 to 365.", 1, 365),
  allowIndividualMoves: z
    .string()
    .optional()
    .transform((v) => v === "on"),
  moveNoticeHours: whole("Enter the move notice in whole hours, from 0 to 336.", 0, 336),
  oneOnOneWeekLabel: z
    .string({ required_error: "Enter the label for a 1-on-1 week." })
    .trim()
    .min(1, "Enter the label for a 1-on-1 week.")
    .max(40, "Keep the label under 40 characters."),
});

type ActionResult = { ok: boolean; message: string | null; errors: FieldErrors; values: FormValues };

export async function action({ request, context }: ActionFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db } = requireSchool(context);
  const parsed = parseForm(await request.formData(), schema);
  if (!parsed.ok) return data<ActionResult>({ ok: false, message: null, errors: parsed.errors, values: parsed.values }, { status: 400 });
  await db.run((tx) => savePolicySettings(tx, parsed.data));
  const result: ActionResult = { ok: true, message: "Saved. The new policy applies from now on.", errors: noErrors, values: {} };
  return result;
}

export default function MakeUpSettings() {
  const { settings } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const failed = actionData && !actionData.ok ? actionData : null;
  const v = (name: keyof typeof settings): string => (failed ? (failed.values[name] ?? "") : String(settings[name]));
  const errors = failed?.errors ?? {};
  const movesChecked = failed ? failed.values.allowIndividualMoves === "on" : settings.allowIndividualMoves;

  return (
    <div className="stack">
      <div className="spread">
        <div>
          <p className="eyebrow">Settings</p>
          <h1>Make-ups and 1-on-1 moves</h1>
        </div>
        <Link to="/admin/credits">Make-up credits</Link>
      </div>
      <section className="card">
        {actionData?.ok ? (
          <p className="notice" role="status">
            {actionData.message}
          </p>
        ) : null}
        <FormError message={failed ? "Please correct the fields marked below." : null} />
        <Form method="post" noValidate key={JSON.stringify(failed ? failed.values : settings)}>
          <fieldset className="st-group">
            <legend>Make-up credits</legend>
            <p className="muted" style={{ marginTop: 0 }}>
              A family that cancels a lesson in the portal early enough gets a credit at once, to use for an open seat in a fitting group class or a free time of the teacher.
            </p>
            <div className="st-grid">
              <Field
                label="Notice for a credit (hours)"
                name="makeUpNoticeHours"
                inputMode="numeric"
                defaultValue={v("makeUpNoticeHours")}
                error={errors.makeUpNoticeHours}
                hint="Cancelling later still tells the teacher, but earns no credit."
              />
              <Field
                label="Credits per student per term"
                name="makeUpCreditsPerTerm"
                inputMode="numeric"
                defaultValue={v("makeUpCreditsPerTerm")}
                error={errors.makeUpCreditsPerTerm}
                hint="0 means the school offers no make-ups."
              />
              <Field
                label="A credit lasts (days)"
                name="makeUpExpiryDays"
                inputMode="numeric"
                defaultValue={v("makeUpExpiryDays")}
                error={errors.makeUpExpiryDays}
                hint="Counted from the missed lesson."
              />
            </div>
          </fieldset>
          <fieldset className="st-group">
            <legend>Hybrid lessons</legend>
            <div className="st-check">
              <input type="checkbox" id="allowIndividualMoves" name="allowIndividualMoves" defaultChecked={movesChecked} aria-describedby="allowIndividualMoves-hint" />
              <div>
                <label htmlFor="allowIndividualMoves">Families may move a booked 1-on-1 session</label>
                <div className="muted" id="allowIndividualMoves-hint">
                  To another free time of the same week. Group classes can never be moved.
                </div>
              </div>
            </div>
            <div className="st-grid">
              <Field
                label="Move notice (hours)"
                name="moveNoticeHours"
                inputMode="numeric"
                defaultValue={v("moveNoticeHours")}
                error={errors.moveNoticeHours}
                hint="A session can be moved up to this long before it starts."
              />
              <Field
                label="Calendar label for a 1-on-1 week"
                name="oneOnOneWeekLabel"
                defaultValue={v("oneOnOneWeekLabel")}
                error={errors.oneOnOneWeekLabel}
                maxLength={40}
                hint="Shown at the group's usual time when it does not meet."
              />
            </div>
          </fieldset>
          <button className="button" disabled={busy}>
            {busy ? "Saving…" : "Save policy"}
          </button>
        </Form>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
