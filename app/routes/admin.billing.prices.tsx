// /admin/billing/prices — a term's price list: what a lesson costs by type, length and
// instrument (or any), for the whole term or per lesson; add, change and remove lines; and
// which of the term's lessons have no price yet (they would be left off the invoices).
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useRef } from "react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormActions, FormError, SelectField, useFocusFirstInvalid } from "~/components/form";
import { toLocalDate } from "~/domain/time";
import { billingTerms, currentTerm, priceChoices, priceList, priceWarnings, removePriceLine, savePriceLine } from "~/models/billing-admin.server";
import { BillingModelError } from "~/models/billing.server";
import { amountInput, moneyField } from "~/models/billing-form";
import { LESSON_TYPE_LABEL, LESSON_TYPES } from "~/models/lesson-form";
import billingCss from "~/styles/billing.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";
import { formValues, parseForm } from "~/utils/forms";
import { idParam, parseListQuery } from "~/utils/list-query";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Price lists");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: billingCss }];

const DONE: Record<string, string> = {
  added: "The price was added. Drafts generated from now on use it.",
  changed: "The price was changed. Drafts generated from now on use it; drafts already made keep their lines.",
  removed: "The price line was removed.",
};

const WARNING_WORDS: Record<string, string> = { NO_PRICE: "No price", AMBIGUOUS_PRICE: "Two prices match", HYBRID_PRICE_MISSING: "Hybrid prices missing" };

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const q = parseListQuery(request.url, { term: idParam, edit: idParam, done: idParam });
  const today = toLocalDate(context.clock.now(), school.timezone);
  return db.run(async (tx) => {
    const terms = await billingTerms(tx);
    const term = terms.find((t) => t.id === q.term) ?? currentTerm(terms, today);
    const lines = term ? await priceList(tx, term.id) : [];
    return {
      terms: terms.map((t) => ({ id: t.id, name: t.name })),
      term: term ? { id: term.id, name: term.name } : null,
      lines: lines.map((l) => ({ ...l, amountInput: amountInput(l.amountMinor, l.currency, school.locale) })),
      warnings: term ? (await priceWarnings(tx, term.id)).map((w) => ({ code: WARNING_WORDS[w.code] ?? w.code, message: w.message })) : [],
      choices: await priceChoices(tx),
      currency: school.currency,
      editing: q.edit || null,
      done: Object.hasOwn(DONE, q.done) ? DONE[q.done]! : null,
    };
  });
}

function schemaFor(currency: string, locale: string) {
  return z.object({
    termId: z.string().min(1, "Choose a term."),
    id: z.string().optional(),
    lessonType: z.union([z.enum(LESSON_TYPES), z.literal("")]).catch(""),
    durationMinutes: z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (!v) return null;
        if (!/^\d{1,3}$/.test(v) || Number(v) < 5) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: "Choose a lesson length, or any." });
          return z.NEVER;
        }
        return Number(v);
      }),
    instrument: z
      .string()
      .optional()
      .transform((v) => v?.trim() || null)
      .refine((v) => v === null || v.length <= 60, "Keep the instrument under 60 characters."),
    amount: moneyField({ currency, locale, label: "The price" }),
    basis: z.enum(["PER_TERM", "PER_LESSON"], { errorMap: () => ({ message: "Choose whether the price is for the term or per lesson." }) }),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const formData = await request.formData();
  const values = formValues(formData);
  const intent = String(formData.get("intent") ?? "save");
  try {
    if (intent === "remove") {
      const termId = String(formData.get("termId") ?? "");
      await db.run((tx) => removePriceLine(tx, { termId, id: String(formData.get("id") ?? "") }));
      return redirect(`/admin/billing/prices?term=${encodeURIComponent(termId)}&done=removed`);
    }
    const parsed = parseForm(formData, schemaFor(school.currency, school.locale));
    if (!parsed.ok) return data({ ok: false as const, values, errors: parsed.errors, message: null }, { status: 400 });
    const d = parsed.data;
    await db.run((tx) => savePriceLine(tx, { termId: d.termId, id: d.id || null, lessonType: d.lessonType || null, durationMinutes: d.durationMinutes, instrument: d.instrument, amountMinor: d.amount, basis: d.basis }));
    return redirect(`/admin/billing/prices?term=${encodeURIComponent(d.termId)}&done=${d.id ? "changed" : "added"}`);
  } catch (error) {
    if (error instanceof BillingModelError) return data({ ok: false as const, values, errors: { form: error.message } as Record<string, string>, message: null }, { status: 409 });
    throw error;
  }
}

export default function Prices() {
  const fmt = useFormat();
  const { terms, term, lines, warnings, choices, currency, editing, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, actionData?.errors);
  const edited = lines.find((l) => l.id === editing) ?? null;
  const errors: Record<string, string> = actionData?.errors ?? {};
  const typed = actionData?.values ?? null;
  const value = (k: string, fallback: string) => (typed ? (typed[k] ?? "") : fallback);
  const cancelTo = `/admin/billing/prices${term ? `?term=${term.id}` : ""}`;
  return (
    <div className="stack">
      <div>
        <p className="eyebrow">
          <Link to="/admin/billing">Billing</Link>
        </p>
        <h1>Price lists</h1>
        <p className="muted">
          A lesson is priced by its own price when it has one, otherwise by the most specific line here that matches it. Hybrid lessons take their group and 1-on-1 prices from
          the lesson's hybrid settings.
        </p>
      </div>
      {terms.length === 0 ? (
        <p className="card">
          Add a <Link to="/admin/terms">term</Link> first: prices are set per term.
        </p>
      ) : (
        <>
          <Form method="get" className="bill-inline card">
            <div className="field">
              <label htmlFor="price-term">Term</label>
              <select id="price-term" name="term" defaultValue={term?.id ?? ""}>
                {terms.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            </div>
            <button className="button secondary">Show</button>
          </Form>

          {done && !actionData ? (
            <p className="notice" role="status">
              {done}
            </p>
          ) : null}

          {term ? (
            <section className="card stack" aria-labelledby="missing-heading">
              <h2 id="missing-heading">Lessons without a price in {term.name}</h2>
              {warnings.length === 0 ? (
                <p className="bill-ok">Every enrolled lesson of this term has a price.</p>
              ) : (
                <>
                  <p className="muted" style={{ marginTop: 0 }}>
                    These would be left off the term's invoices. Add a line below that matches them (or give the lesson its own price).
                  </p>
                  <ul className="bill-warnings">
                    {warnings.map((w, i) => (
                      <li key={i}>
                        <strong>{w.code}:</strong> {w.message}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </section>
          ) : null}

          {term ? (
            <section className="card stack" aria-labelledby="lines-heading">
              <h2 id="lines-heading">Prices for {term.name}</h2>
              {lines.length === 0 ? (
                <p className="muted">No prices yet for this term.</p>
              ) : (
                <div className="table-wrap">
                  <table className="stack-table">
                    <thead>
                      <tr>
                        <th scope="col">Lesson type</th>
                        <th scope="col">Length</th>
                        <th scope="col">Instrument</th>
                        <th scope="col" className="num">
                          Price
                        </th>
                        <th scope="col">For</th>
                        <th scope="col">
                          <span className="sr-only">Actions</span>
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {lines.map((l) => (
                        <tr key={l.id}>
                          <td>{l.lessonType ? LESSON_TYPE_LABEL[l.lessonType] : "Any type"}</td>
                          <td data-label="Length">{l.durationMinutes ? `${l.durationMinutes} min` : "Any length"}</td>
                          <td data-label="Instrument">{l.instrument ?? "Any instrument"}</td>
                          <td data-label="Price" className="num">
                            {fmt.moneyMinor(l.amountMinor, l.currency)}
                          </td>
                          <td data-label="For">{l.basis === "PER_TERM" ? "the whole term" : "each lesson"}</td>
                          <td className="nowrap">
                            <div className="row">
                              <Link to={`?term=${term.id}&edit=${l.id}`} aria-label={`Change the price for ${l.lessonType ? LESSON_TYPE_LABEL[l.lessonType] : "any type"}, ${l.durationMinutes ?? "any"} minutes`}>
                                Change
                              </Link>
                              <Form method="post">
                                <input type="hidden" name="termId" value={term.id} />
                                <input type="hidden" name="id" value={l.id} />
                                <button className="link-button" name="intent" value="remove">
                                  Remove
                                </button>
                              </Form>
                            </div>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </section>
          ) : null}

          {term ? (
            <section className="card stack" aria-labelledby="price-form-heading">
              <h2 id="price-form-heading">{edited ? "Change a price" : "Add a price"}</h2>
              <Form method="post" noValidate ref={formRef} className="stack" key={`${edited?.id ?? "new"}-${params.get("done") ?? ""}`}>
                <FormError message={errors.form ?? (Object.keys(errors).length ? "Please correct the fields marked below." : null)} />
                <input type="hidden" name="termId" value={term.id} />
                {edited ? <input type="hidden" name="id" value={edited.id} /> : null}
                <div className="bill-inline">
                  <SelectField
                    name="lessonType"
                    label="Lesson type"
                    defaultValue={value("lessonType", edited?.lessonType ?? "")}
                    error={errors.lessonType}
                    options={[{ value: "", label: "Any type" }, ...LESSON_TYPES.map((t) => ({ value: t, label: LESSON_TYPE_LABEL[t] }))]}
                  />
                  <SelectField
                    name="durationMinutes"
                    label="Length"
                    defaultValue={value("durationMinutes", edited?.durationMinutes ? String(edited.durationMinutes) : "")}
                    error={errors.durationMinutes}
                    options={[{ value: "", label: "Any length" }, ...[...new Set([...choices.durations, ...(edited?.durationMinutes ? [edited.durationMinutes] : [])])].sort((a, b) => a - b).map((m) => ({ value: String(m), label: `${m} minutes` }))]}
                  />
                  <SelectField
                    name="instrument"
                    label="Instrument"
                    defaultValue={value("instrument", edited?.instrument ?? "")}
                    error={errors.instrument}
                    options={[{ value: "", label: "Any instrument" }, ...[...new Set([...choices.instruments, ...(edited?.instrument ? [edited.instrument] : [])])].map((i) => ({ value: i, label: i }))]}
                  />
                </div>
                <div className="bill-inline">
                  <Field name="amount" label={`Price (${currency})`} inputMode="decimal" defaultValue={value("amount", edited?.amountInput ?? "")} error={errors.amount} style={{ maxWidth: "10rem" }} />
                  <SelectField
                    name="basis"
                    label="The price is for"
                    defaultValue={value("basis", edited?.basis ?? "PER_TERM")}
                    error={errors.basis}
                    options={[
                      { value: "PER_TERM", label: "the whole term (prorated for a late start)" },
                      { value: "PER_LESSON", label: "each lesson" },
                    ]}
                  />
                </div>
                <FormActions busy={busy} editing={Boolean(edited)} saveLabel="Save price" addLabel="Add price" cancelTo={cancelTo} />
              </Form>
            </section>
          ) : null}
        </>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
