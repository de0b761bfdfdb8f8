// /admin/billing/settings — tax (rate, label, inclusive or exclusive), invoice numbers,
// payment terms, the late fee, overdue reminders, instalments, autopay and sibling
// discounts. Amounts are typed in the school's currency and locale; a refused form keeps
// everything typed.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useRef } from "react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormError, SelectField, useFocusFirstInvalid } from "~/components/form";
import { validateSiblingRules, type SiblingDiscountRule } from "~/domain/billing";
import { validateInvoicePrefix } from "~/domain/invoice-numbers";
import { money } from "~/domain/money";
import { loadBillingSettings, saveBillingSettings } from "~/models/billing-admin.server";
import { siblingRulesOf } from "~/models/billing.server";
import { amountInput, dayListField, optionalMoneyField, percentField, percentInput, wholeNumber } from "~/models/billing-form";
import billingCss from "~/styles/billing.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { formValues, parseForm, type FormValues } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Billing settings");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: billingCss }];

const SIBLING_ROWS = 4;

function schemaFor(currency: string, locale: string) {
  const sibling: Record<string, z.ZodTypeAny> = {};
  for (let i = 0; i < SIBLING_ROWS; i++) {
    sibling[`sibFrom${i}`] = wholeNumber(`The sibling discount's child`, 2, 20);
    sibling[`sibKind${i}`] = z.enum(["PERCENT", "FIXED"]).catch("PERCENT");
    sibling[`sibValue${i}`] = z.string().optional();
  }
  return z
    .object({
      taxRate: percentField("Tax rate"),
      taxLabel: z.string().trim().max(20, "Keep the tax label under 20 characters.").optional(),
      taxInclusive: z.enum(["exclusive", "inclusive"]).catch("exclusive"),
      invoicePrefix: z.string().trim().superRefine((v, ctx) => {
        for (const message of validateInvoicePrefix(v)) ctx.addIssue({ code: z.ZodIssueCode.custom, message });
      }),
      paymentTermsDays: wholeNumber("Payment terms", 0, 365),
      lateFeeKind: z.enum(["NONE", "FIXED", "PERCENT"]).catch("NONE"),
      lateFeeAmount: optionalMoneyField({ currency, locale, label: "The late fee", allowZero: false }),
      lateFeePercent: percentField("Late fee"),
      lateFeeAfterDays: wholeNumber("Days before a late fee", 1, 365),
      reminderDays: dayListField("Reminder days"),
      maxInstalments: wholeNumber("Instalments", 1, 12),
      autopayAllowed: z
        .string()
        .optional()
        .transform((v) => v === "on"),
      ...sibling,
    })
    .superRefine((v, ctx) => {
      const taxRate = v.taxRate as number | null;
      if (taxRate && !(v.taxLabel as string | undefined)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["taxLabel"], message: "Name the tax as your invoices should show it: GST, VAT, Sales tax." });
      if (v.paymentTermsDays === null) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["paymentTermsDays"], message: "Enter how many days a family has to pay, for example 14." });
      if (v.maxInstalments === null) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["maxInstalments"], message: "Enter 1 for payment in full, or up to 12 instalments." });
      if (v.lateFeeKind === "FIXED" && v.lateFeeAmount === null) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["lateFeeAmount"], message: "Enter the late fee's amount." });
      if (v.lateFeeKind === "PERCENT" && !v.lateFeePercent) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["lateFeePercent"], message: "Enter the late fee's percentage of what is overdue." });
      if (v.lateFeeKind !== "NONE" && v.lateFeeAfterDays === null) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["lateFeeAfterDays"], message: "Enter after how many days past the due date the fee is added." });
    });
}

/** The sibling rows typed → rules, with each row's problem under its value. */
function siblingRules(values: Record<string, unknown>, currency: string, locale: string): { rules: SiblingDiscountRule[]; errors: Record<string, string> } {
  const rules: SiblingDiscountRule[] = [];
  const errors: Record<string, string> = {};
  for (let i = 0; i < SIBLING_ROWS; i++) {
    const from = values[`sibFrom${i}`] as number | null;
    const raw = String(values[`sibValue${i}`] ?? "").trim();
    if (from === null && raw === "") continue;
    if (from === null) {
      errors[`sibFrom${i}`] = "Enter from which child the discount applies (2 for the second).";
      continue;
    }
    if (raw === "") {
      errors[`sibValue${i}`] = "Enter the discount, or clear the row.";
      continue;
    }
    if (values[`sibKind${i}`] === "FIXED") {
      const r = optionalMoneyField({ currency, locale, label: "The discount", allowZero: false }).safeParse(raw);
      if (!r.success) errors[`sibValue${i}`] = r.error.issues[0]!.message;
      else rules.push({ fromPosition: from, kind: "FIXED", amount: money(r.data!, currency) });
    } else {
      const r = percentField("The discount").safeParse(raw);
      if (!r.success) errors[`sibValue${i}`] = r.error.issues[0]!.message;
      else rules.push({ fromPosition: from, kind: "PERCENT", basisPoints: r.data! });
    }
  }
  const problems = validateSiblingRules(rules, currency);
  if (problems.length) errors.siblings = problems.join(" ");
  return { rules, errors };
}

function asValues(s: Awaited<ReturnType<typeof loadBillingSettings>>, locale: string): FormValues {
  const v: FormValues = {
    taxRate: s.taxRateBasisPoints ? percentInput(s.taxRateBasisPoints) : "",
    taxLabel: s.taxLabel ?? "",
    taxInclusive: s.taxInclusive ? "inclusive" : "exclusive",
    invoicePrefix: s.invoicePrefix,
    paymentTermsDays: String(s.paymentTermsDays),
    lateFeeKind: s.lateFeeMinor ? "FIXED" : s.lateFeeBasisPoints ? "PERCENT" : "NONE",
    lateFeeAmount: s.lateFeeMinor ? amountInput(s.lateFeeMinor, s.currency, locale) : "",
    lateFeePercent: s.lateFeeBasisPoints ? percentInput(s.lateFeeBasisPoints) : "",
    lateFeeAfterDays: s.lateFeeAfterDays ? String(s.lateFeeAfterDays) : "",
    reminderDays: s.reminderDays.join(", "),
    maxInstalments: String(s.maxInstalments),
    autopayAllowed: s.autopayAllowed ? "on" : "",
  };
  siblingRulesOf(s.siblingDiscounts, s.currency).forEach((r, i) => {
    v[`sibFrom${i}`] = String(r.fromPosition);
    v[`sibKind${i}`] = r.kind;
    v[`sibValue${i}`] = r.kind === "PERCENT" ? percentInput(r.basisPoints) : amountInput(r.amount.amountMinor, s.currency, locale);
  });
  return v;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const settings = await db.run((tx) => loadBillingSettings(tx));
  return { values: asValues(settings, school.locale), currency: school.currency };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const formData = await request.formData();
  const values = formValues(formData);
  const parsed = parseForm(formData, schemaFor(school.currency, school.locale));
  const siblings = parsed.ok ? siblingRules(parsed.data, school.currency, school.locale) : { rules: [], errors: {} };
  if (!parsed.ok || Object.keys(siblings.errors).length > 0) {
    return data({ ok: false as const, values, errors: { ...(parsed.ok ? {} : parsed.errors), ...siblings.errors }, message: null }, { status: 400 });
  }
  const v = parsed.data;
  await db.run((tx) =>
    saveBillingSettings(
      tx,
      {
        taxRateBasisPoints: v.taxRate ?? 0,
        taxLabel: v.taxRate ? v.taxLabel || null : null,
        taxInclusive: v.taxInclusive === "inclusive",
        invoicePrefix: v.invoicePrefix,
        paymentTermsDays: v.paymentTermsDays!,
        lateFeeMinor: v.lateFeeKind === "FIXED" ? v.lateFeeAmount : null,
        lateFeeBasisPoints: v.lateFeeKind === "PERCENT" ? v.lateFeePercent : null,
        lateFeeAfterDays: v.lateFeeKind === "NONE" ? null : v.lateFeeAfterDays,
        reminderDays: v.reminderDays,
        maxInstalments: v.maxInstalments!,
        autopayAllowed: v.autopayAllowed,
        siblingDiscounts: siblings.rules,
      },
      user.id,
    ),
  );
  return { ok: true as const, values, errors: {} as Record<string, string>, message: "Saved. New drafts and invoices use these settings; invoices already issued keep theirs." };
}

export default function BillingSettings() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const formRef = useRef<HTMLFormElement>(null);
  const values = actionData?.values ?? loaderData.values;
  const errors: Record<string, string> = actionData?.errors ?? {};
  useFocusFirstInvalid(formRef, actionData?.errors);
  const cur = loaderData.currency;
  const v = (k: string) => values[k] ?? "";
  return (
    <div className="stack" style={{ maxWidth: "48rem" }}>
      <div>
        <p className="eyebrow">
          <Link to="/admin/billing">Billing</Link>
        </p>
        <h1>Billing settings</h1>
      </div>
      {actionData?.message ? (
        <p className="notice" role="status">
          {actionData.message}
        </p>
      ) : null}
      <Form method="post" noValidate ref={formRef} className="stack" key={actionData?.ok ? "saved" : "editing"}>
        <FormError message={actionData && !actionData.ok ? "Please correct the fields marked below." : null} />
        <fieldset className="card">
          <legend>Tax</legend>
          <Field name="taxRate" label="Tax rate (%)" inputMode="decimal" hint="Leave empty for no tax. Up to two decimals: 10, 12.5, 7.25." defaultValue={v("taxRate")} error={errors.taxRate} style={{ maxWidth: "8rem" }} />
          <Field name="taxLabel" label="Tax label" hint="As invoices show it: GST, VAT, Sales tax." defaultValue={v("taxLabel")} error={errors.taxLabel} maxLength={20} style={{ maxWidth: "12rem" }} />
          <SelectField
            name="taxInclusive"
            label="Prices are"
            defaultValue={v("taxInclusive")}
            error={errors.taxInclusive}
            options={[
              { value: "exclusive", label: "before tax (tax is added on top)" },
              { value: "inclusive", label: "including tax (tax is part of the price)" },
            ]}
          />
        </fieldset>
        <fieldset className="card">
          <legend>Invoices and payment</legend>
          <Field name="invoicePrefix" label="Invoice number prefix" hint="Numbers follow without gaps: HMA-000001, HMA-000002…" defaultValue={v("invoicePrefix")} error={errors.invoicePrefix} maxLength={12} style={{ maxWidth: "10rem" }} />
          <Field name="paymentTermsDays" label="Payment terms (days)" hint="An invoice is due this many days after it is issued." inputMode="numeric" defaultValue={v("paymentTermsDays")} error={errors.paymentTermsDays} style={{ maxWidth: "8rem" }} />
          <Field name="maxInstalments" label="Instalments allowed" hint="1 means families pay each invoice in full; 3 lets them split it into up to three payments." inputMode="numeric" defaultValue={v("maxInstalments")} error={errors.maxInstalments} style={{ maxWidth: "8rem" }} />
          <div className="row">
            <input type="checkbox" id="autopayAllowed" name="autopayAllowed" defaultChecked={v("autopayAllowed") === "on"} />
            <label htmlFor="autopayAllowed">Families may save a card and be charged automatically on the due date</label>
          </div>
        </fieldset>
        <fieldset className="card">
          <legend>Overdue invoices</legend>
          <Field name="reminderDays" label="Send reminders this many days after the due date" hint="Separate the days with commas: 7, 21. Leave empty for no reminders." defaultValue={v("reminderDays")} error={errors.reminderDays} style={{ maxWidth: "14rem" }} />
          <SelectField
            name="lateFeeKind"
            label="Late fee"
            defaultValue={v("lateFeeKind") || "NONE"}
            error={errors.lateFeeKind}
            options={[
              { value: "NONE", label: "No late fee" },
              { value: "FIXED", label: "A fixed amount" },
              { value: "PERCENT", label: "A percentage of what is overdue" },
            ]}
          />
          <div className="bill-inline">
            <Field name="lateFeeAmount" label={`Amount (${cur})`} inputMode="decimal" defaultValue={v("lateFeeAmount")} error={errors.lateFeeAmount} style={{ maxWidth: "9rem" }} />
            <Field name="lateFeePercent" label="or percentage (%)" inputMode="decimal" defaultValue={v("lateFeePercent")} error={errors.lateFeePercent} style={{ maxWidth: "7rem" }} />
            <Field name="lateFeeAfterDays" label="Added after (days overdue)" inputMode="numeric" defaultValue={v("lateFeeAfterDays")} error={errors.lateFeeAfterDays} style={{ maxWidth: "7rem" }} />
          </div>
        </fieldset>
        <fieldset className="card">
          <legend>Sibling discounts</legend>
          <p className="muted" style={{ marginTop: 0 }}>
            Children are counted oldest first. A row applies from its child on, until a later row takes over: “from child 2, 10 %” and “from child 3, 15 %”. Leave rows empty that you do
            not need.
          </p>
          {errors.siblings ? (
            <p className="field-error" role="alert">
              {errors.siblings}
            </p>
          ) : null}
          {Array.from({ length: SIBLING_ROWS }, (_, i) => (
            <div className="bill-inline" key={i} role="group" aria-label={`Sibling discount ${i + 1}`}>
              <Field name={`sibFrom${i}`} label="From child" inputMode="numeric" defaultValue={v(`sibFrom${i}`)} error={errors[`sibFrom${i}`]} style={{ maxWidth: "5rem" }} />
              <SelectField
                name={`sibKind${i}`}
                label="Kind"
                defaultValue={v(`sibKind${i}`) || "PERCENT"}
                options={[
                  { value: "PERCENT", label: "Percent off each lesson" },
                  { value: "FIXED", label: `Fixed ${cur} off per term` },
                ]}
              />
              <Field name={`sibValue${i}`} label="Discount" inputMode="decimal" defaultValue={v(`sibValue${i}`)} error={errors[`sibValue${i}`]} style={{ maxWidth: "8rem" }} />
            </div>
          ))}
        </fieldset>
        <div>
          <button className="button" disabled={busy}>
            {busy ? "Saving…" : "Save billing settings"}
          </button>
        </div>
      </Form>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
