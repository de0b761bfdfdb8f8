// Pay rates and policy (ARCHITECTURE.md "Teacher pay"): the school's default rates and each
// teacher's own (per lesson, per hour, per student; by lesson type and duration; from a date),
// what each outcome of a lesson pays, the pay period, and the sweep schedule.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormError } from "~/components/form";
import { OUTCOMES, OUTCOME_LABELS, PAY_BASES, PAY_PERIODS, SWEEP_SCHEDULES } from "~/domain/teacher-pay";
import { isValidLocalDate } from "~/domain/time";
import { moneyField, percentField, percentInput } from "~/models/billing-form";
import { addPayRule, isPayModelError, payRules, paySettings, removePayRule, savePaySettings } from "~/models/teacher-pay.server";
import billingCss from "~/styles/billing.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";
import { type FieldErrors, type FormValues, parseForm } from "~/utils/forms";

export const meta: MetaFunction = () => [{ title: "Pay rates · Teacher pay" }];
export const links = () => [{ rel: "stylesheet", href: billingCss }];

const LESSON_TYPES = ["INDIVIDUAL", "GROUP", "HYBRID", "BAND_REHEARSAL", "ENSEMBLE"] as const;
const TYPE_LABEL: Record<string, string> = { INDIVIDUAL: "Individual", GROUP: "Group", HYBRID: "Hybrid", BAND_REHEARSAL: "Band rehearsal", ENSEMBLE: "Ensemble" };
const BASIS_LABEL: Record<string, string> = { PER_LESSON: "per lesson", PER_HOUR: "per hour", PER_STUDENT: "per student per lesson" };
const PERIOD_LABEL: Record<string, string> = { WEEKLY: "Weekly (Monday to Sunday)", FORTNIGHTLY: "Fortnightly", MONTHLY: "Monthly", TERM: "Per term" };
const SWEEP_LABEL: Record<string, string> = { MANUAL: "By hand", DAILY: "Every day", WEEKLY: "Every Monday", MONTHLY: "On the 1st of the month" };

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db } = requireSchool(context);
  const { settings, rules, teachers } = await db.run(async (tx) => ({
    settings: await paySettings(tx),
    rules: await payRules(tx),
    teachers: await tx.user.findMany({ where: { role: "TEACHER", deactivatedAt: null }, orderBy: [{ lastName: "asc" }, { firstName: "asc" }], select: { id: true, firstName: true, lastName: true } }),
  }));
  return { settings, rules, teachers, saved: new URL(request.url).searchParams.get("saved") };
}

type ActionResult = { ok: false; intent: string; errors: FieldErrors; values: FormValues };

export async function action({ request, context }: ActionFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (intent === "remove") {
    await db.run((tx) => removePayRule(tx, String(form.get("ruleId") ?? "")));
    return redirect("/admin/pay/rules?saved=removed", 303);
  }
  if (intent === "rule") {
    const parsed = parseForm(
      form,
      z.object({
        intent: z.literal("rule"),
        teacherId: z.string().trim().max(64),
        lessonType: z.union([z.literal(""), z.enum(LESSON_TYPES)]),
        durationMinutes: z.string().trim().regex(/^\d{0,3}$/, "A duration is a whole number of minutes.").refine((v) => v === "" || Number(v) > 0, "A duration is above zero."),
        basis: z.enum(PAY_BASES, { errorMap: () => ({ message: "Choose how the rate counts." }) }),
        amount: moneyField({ label: "Rate", currency: school.currency, locale: school.locale }),
        effectiveFrom: z.string().trim().refine(isValidLocalDate, "From: enter a date as yyyy-mm-dd."),
      }),
    );
    if (!parsed.ok) return data<ActionResult>({ ok: false, intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    const d = parsed.data;
    try {
      await db.run((tx) => addPayRule(tx, { teacherId: d.teacherId || null, lessonType: d.lessonType || null, durationMinutes: d.durationMinutes ? Number(d.durationMinutes) : null, basis: d.basis, amountMinor: d.amount, effectiveFrom: d.effectiveFrom }));
    } catch (error) {
      if (isPayModelError(error)) return data<ActionResult>({ ok: false, intent, errors: { form: error.message }, values: parsed.values }, { status: error.status });
      throw error;
    }
    return redirect("/admin/pay/rules?saved=rule", 303);
  }
  const shape: Record<string, z.ZodTypeAny> = {
    intent: z.literal("settings"),
    period: z.enum(PAY_PERIODS, { errorMap: () => ({ message: "Choose a pay period." }) }),
    fortnightAnchor: z.string().trim().refine((v) => v === "" || isValidLocalDate(v), "Fortnights start: enter a date as yyyy-mm-dd."),
    sweepSchedule: z.enum(SWEEP_SCHEDULES, { errorMap: () => ({ message: "Choose when to sweep." }) }),
  };
  for (const o of OUTCOMES) if (o !== "TEACHER_CANCELLED") shape[`policy_${o}`] = percentField(OUTCOME_LABELS[o]);
  const parsed = parseForm(form, z.object(shape));
  if (!parsed.ok) return data<ActionResult>({ ok: false, intent: "settings", errors: parsed.errors, values: parsed.values }, { status: 400 });
  const policy: Record<string, number> = {};
  // An empty share keeps what was set.
  for (const o of OUTCOMES) if (o !== "TEACHER_CANCELLED" && typeof parsed.data[`policy_${o}`] === "number") policy[o] = parsed.data[`policy_${o}`] as number;
  await db.run((tx) =>
    savePaySettings(tx, { period: parsed.data.period, fortnightAnchor: parsed.data.fortnightAnchor || null, policy, sweepSchedule: parsed.data.sweepSchedule }),
  );
  return redirect("/admin/pay/rules?saved=settings", 303);
}

export default function PayRules() {
  const fmt = useFormat();
  const { settings, rules, teachers, saved } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const err = (intent: string) => (result && result.intent === intent ? result : null);
  const e = err("settings");
  const r = err("rule");
  return (
    <div className="stack">
      <div>
        <p style={{ margin: "0 0 0.25rem" }}>
          <Link to="/admin/pay">← Teacher pay</Link>
        </p>
        <h1>Pay rates and policy</h1>
      </div>
      {saved ? (
        <p className="notice" role="status">
          {saved === "removed" ? "The rate was removed." : "Saved."}
        </p>
      ) : null}

      <section className="card" aria-labelledby="rates-title">
        <h2 id="rates-title" style={{ marginTop: 0 }}>
          Rates
        </h2>
        <p className="muted">A teacher's own rates come before the school's; then the most specific (lesson type and length); then the latest start. A raise is a new rate from its date: earlier lessons keep the old one.</p>
        {rules.length === 0 ? (
          <p>No rate yet: lessons cannot be paid until one applies.</p>
        ) : (
          <div className="table-wrap">
            <table className="stack-table">
              <thead>
                <tr>
                  <th>For</th>
                  <th>Lessons</th>
                  <th>Rate</th>
                  <th>From</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {rules.map((rule) => (
                  <tr key={rule.id}>
                    <td>{rule.teacher ? `${rule.teacher.firstName} ${rule.teacher.lastName}` : "School default"}</td>
                    <td data-label="Lessons">
                      {rule.lessonType ? TYPE_LABEL[rule.lessonType] : "Any type"}
                      {rule.durationMinutes ? `, ${rule.durationMinutes} min` : ""}
                    </td>
                    <td data-label="Rate">
                      {fmt.moneyMinor(rule.amountMinor, rule.currency)} {BASIS_LABEL[rule.basis]}
                    </td>
                    <td data-label="From">{fmt.day(rule.effectiveFrom)}</td>
                    <td>
                      <Form method="post">
                        <input type="hidden" name="intent" value="remove" />
                        <input type="hidden" name="ruleId" value={rule.id} />
                        <button className="link-button" disabled={busy}>
                          Remove
                        </button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <h3>Add a rate</h3>
        <Form method="post">
          <input type="hidden" name="intent" value="rule" />
          <FormError message={r?.errors.form} />
          <div className="grid" style={{ gridTemplateColumns: "repeat(auto-fit, minmax(12rem, 1fr))", gap: "0 1rem" }}>
            <div className="field">
              <label htmlFor="rule-teacher">For</label>
              <select id="rule-teacher" name="teacherId" defaultValue={r?.values.teacherId ?? ""}>
                <option value="">School default</option>
                {teachers.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.firstName} {t.lastName}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="rule-type">Lesson type</label>
              <select id="rule-type" name="lessonType" defaultValue={r?.values.lessonType ?? ""}>
                <option value="">Any type</option>
                {LESSON_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {TYPE_LABEL[t]}
                  </option>
                ))}
              </select>
            </div>
            <Field label="Length (minutes)" name="durationMinutes" inputMode="numeric" hint="Empty: any length." defaultValue={r?.values.durationMinutes ?? ""} error={r?.errors.durationMinutes} />
            <div className="field">
              <label htmlFor="rule-basis">Counted</label>
              <select id="rule-basis" name="basis" defaultValue={r?.values.basis ?? "PER_LESSON"}>
                {PAY_BASES.map((b) => (
                  <option key={b} value={b}>
                    {BASIS_LABEL[b]}
                  </option>
                ))}
              </select>
            </div>
            <Field label="Rate" name="amount" inputMode="decimal" required defaultValue={r?.values.amount ?? ""} error={r?.errors.amount} />
            <Field label="From" name="effectiveFrom" type="date" required defaultValue={r?.values.effectiveFrom ?? ""} error={r?.errors.effectiveFrom} />
          </div>
          <button className="button" disabled={busy}>
            Add rate
          </button>
        </Form>
      </section>

      <section className="card" aria-labelledby="policy-title">
        <h2 id="policy-title" style={{ marginTop: 0 }}>
          Period, outcomes and sweeps
        </h2>
        <Form method="post">
          <input type="hidden" name="intent" value="settings" />
          <FormError message={e?.errors.form} />
          <div className="field">
            <label htmlFor="pay-period">Pay period</label>
            <select id="pay-period" name="period" defaultValue={e?.values.period ?? settings.period}>
              {PAY_PERIODS.map((p) => (
                <option key={p} value={p}>
                  {PERIOD_LABEL[p]}
                </option>
              ))}
            </select>
          </div>
          <Field label="Fortnights start on" name="fortnightAnchor" type="date" hint="A Monday; only for fortnightly pay." defaultValue={e?.values.fortnightAnchor ?? settings.fortnightAnchor ?? ""} error={e?.errors.fortnightAnchor} />
          <fieldset>
            <legend>What each outcome pays (% of the rate)</legend>
            {OUTCOMES.filter((o) => o !== "TEACHER_CANCELLED").map((o) => (
              <Field key={o} label={OUTCOME_LABELS[o]} name={`policy_${o}`} inputMode="decimal" defaultValue={e?.values[`policy_${o}`] ?? percentInput(settings.policy[o])} error={e?.errors[`policy_${o}`]} />
            ))}
            <p className="muted">{OUTCOME_LABELS.TEACHER_CANCELLED}: never paid.</p>
          </fieldset>
          <div className="field">
            <label htmlFor="sweep-schedule">Send what Encore holds to the school's Stripe account</label>
            <select id="sweep-schedule" name="sweepSchedule" defaultValue={e?.values.sweepSchedule ?? settings.sweepSchedule}>
              {SWEEP_SCHEDULES.map((s) => (
                <option key={s} value={s}>
                  {SWEEP_LABEL[s]}
                </option>
              ))}
            </select>
          </div>
          <button className="button" disabled={busy}>
            Save
          </button>
        </Form>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
