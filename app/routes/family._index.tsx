// The family's home: each child's next lessons, enrollments (with hybrid booking
// and make-up links), attendance; the family's guardians, amounts due and billing
// details (editable by the family's account holder only). A student with their
// own login sees only their own lessons here.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { TextArea, TextInput } from "~/components/enrollment-fields";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError } from "~/components/form";
import { familyBalanceOf } from "~/models/family-billing.server";
import { FamilyError, familyHome, updateBilling } from "~/models/family.server";
import { sharedNotesFor } from "~/models/messages.server";
import { SKILL_LEVEL_LABEL, type FormEntries } from "~/models/online-enrollment-form";
import familiesCss from "~/styles/families.css?url";
import { pageTitle } from "~/utils/meta";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { formatterFor, useFormat } from "~/utils/format";
import { fields, formValues, parseForm } from "~/utils/forms";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: familiesCss }];
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "My family");

const STATUS_LABEL: Record<string, string> = { ACTIVE: "Enrolled", PENDING: "Waiting for approval", WAITLISTED: "On the waitlist" };

const billingSchema = z.object({
  billingEmail: z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim())
    .pipe(z.union([z.literal(""), fields.email]))
    .transform((v) => v || null),
  billingAddress: z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim())
    .refine((v) => v.length <= 300, "Keep the address under 300 characters.")
    .transform((v) => v || null),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { role: ["PARENT", "STUDENT"] });
  const { db, school } = requireSchool(context);
  return db.run(async (tx) => {
    const home = await familyHome(tx, user.id, formatterFor(school), context.clock.now());
    const notes = await sharedNotesFor(tx, home.children.map((c) => c.id));
    // Money is for the family's guardians only (home.family is null for a student).
    const account = home.family ? await familyBalanceOf(tx, home.family.id) : null;
    return { ...home, notes, account, timeZone: school.timezone };
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { role: "PARENT" });
  const { db } = requireSchool(context);
  const formData = await request.formData();
  if (formData.get("intent") !== "billing") throw new Response("Unknown action.", { status: 400 });
  const parsed = parseForm(formData, billingSchema);
  if (!parsed.ok) return data({ ok: false as const, errors: parsed.errors, values: parsed.values, message: null }, { status: 400 });
  try {
    await db.run((tx) => updateBilling(tx, user.id, parsed.data));
  } catch (error) {
    if (error instanceof FamilyError) return data({ ok: false as const, errors: { form: error.message } as Record<string, string>, values: formValues(formData), message: null }, { status: error.status });
    throw error;
  }
  return { ok: true as const, errors: {} as Record<string, string>, values: formValues(formData), message: "Billing details saved." };
}

export default function FamilyHome() {
  const fmt = useFormat();
  const { me, family, children, notes, account, timeZone } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const isParent = me.role === "PARENT";
  const billingValues: FormEntries = actionData?.values ?? { billingEmail: family?.billingEmail ?? "", billingAddress: family?.billingAddress ?? "" };
  return (
    <div className="stack">
      <div className="spread">
        <div>
          <p className="eyebrow">{isParent ? (family?.name ?? "My family") : "My lessons"}</p>
          <h1>Hello, {me.firstName}</h1>
        </div>
        <nav className="fam-links" aria-label="Family">
          {isParent ? (
            <>
              <Link className="button" to="/family/children">
                Add a child
              </Link>
              <Link className="button secondary" to="/family/guardians">
                Guardians
              </Link>
            </>
          ) : null}
          <Link className="button secondary" to="/family/makeups">
            Make-up lessons
          </Link>
        </nav>
      </div>

      {account && account.balance.amountMinor > 0 ? (
        <section className="card spread" aria-labelledby="to-pay">
          <div>
            <h2 id="to-pay" style={{ margin: 0 }}>
              To pay: {fmt.moneyMinor(account.balance.amountMinor, account.balance.currency)}
            </h2>
            <p className="muted" style={{ margin: "0.25rem 0 0" }}>
              {account.openInvoices} open {account.openInvoices === 1 ? "invoice" : "invoices"}.
            </p>
          </div>
          <Link className="button" to="/family/billing">
            See and pay
          </Link>
        </section>
      ) : null}

      {children.length === 0 ? (
        <section className="card">
          <p className="muted" style={{ marginTop: 0 }}>
            No students are linked to your account yet.
          </p>
          {isParent ? (
            <Link className="button" to="/family/children">
              Add a child
            </Link>
          ) : null}
        </section>
      ) : null}

      {notes.length ? (
        <section className="card" aria-labelledby="teacher-notes">
          <h2 id="teacher-notes">Notes from teachers</h2>
          <ul className="shared-notes">
            {notes.map((n) => (
              <li key={n.id}>
                <strong>{n.lesson}</strong>{" "}
                <span className="muted">
                  · {fmt.date(n.startsAt)} · {n.teacher}
                </span>
                <p>{n.note}</p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <div className="fam-children">
        {children.map((c) => (
          <section key={c.id} className="card fam-child" aria-labelledby={`child-${c.id}`}>
            <h2 id={`child-${c.id}`}>{c.name}</h2>
            <p className="muted" style={{ margin: 0 }}>
              {[c.instrument, ...c.secondaryInstruments].filter(Boolean).join(", ") || "Instrument not chosen yet"}
              {c.skillLevel ? ` · ${SKILL_LEVEL_LABEL[c.skillLevel]}` : ""}
            </p>

            <h3>Next lessons</h3>
            {c.upcoming.length === 0 ? (
              <p className="muted">Nothing scheduled yet.</p>
            ) : (
              <ul className="fam-list">
                {c.upcoming.map((o) => (
                  <li key={o.id}>
                    <strong>{fmt.dateTime(o.startsAt)}</strong>
                    <span>
                      {o.title}
                      {o.kind === "INDIVIDUAL_SESSION" ? " (1-on-1)" : ""}
                      {o.room ? <span className="muted"> · {o.room}</span> : null}
                    </span>
                  </li>
                ))}
              </ul>
            )}

            <h3>Enrollments</h3>
            {c.enrollments.length === 0 ? (
              <p className="muted">Not enrolled in any class.</p>
            ) : (
              <ul className="fam-list">
                {c.enrollments.map((e) => (
                  <li key={e.id}>
                    <strong>{e.title}</strong>
                    <span className={`badge${e.status === "ACTIVE" ? " ok" : " warn"}`}>{STATUS_LABEL[e.status] ?? e.status}</span>
                    <span className="muted">
                      {e.schedule} · {e.teacher}
                    </span>
                    {e.hybrid ? (
                      <Link to={`/family/hybrid/${e.hybrid.configId}`}>Book 1-on-1 weeks ({e.hybrid.term})</Link>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}

            <h3>Attendance</h3>
            {c.attendance.present + c.attendance.absent === 0 ? (
              <p className="muted">No lessons recorded yet.</p>
            ) : (
              <dl className="fam-stats">
                <div>
                  <dt>Present</dt>
                  <dd>{c.attendance.present}</dd>
                </div>
                <div>
                  <dt>Absent</dt>
                  <dd>{c.attendance.absent}</dd>
                </div>
                <div>
                  <dt>Rate</dt>
                  <dd>{Math.round((100 * c.attendance.present) / (c.attendance.present + c.attendance.absent))}%</dd>
                </div>
              </dl>
            )}
            {c.makeUpCredits > 0 ? (
              <p style={{ marginBottom: 0 }}>
                {c.makeUpCredits} make-up credit{c.makeUpCredits === 1 ? "" : "s"} to use — <Link to="/family/makeups">book a make-up</Link>
              </p>
            ) : null}
          </section>
        ))}
      </div>

      {family ? (
        <section className="card" aria-labelledby="family-details">
          <h2 id="family-details">Family details</h2>
          <div className="grid">
            <div>
              <h3 style={{ fontSize: "1rem" }}>Guardians</h3>
              <ul className="fam-list">
                {family.guardians.map((g) => (
                  <li key={g.id}>
                    <strong>
                      {g.firstName} {g.lastName}
                    </strong>
                    {g.isAdmin ? <span className="badge">Account holder</span> : null}
                    {g.invited ? <span className="badge warn">Invited</span> : null}
                  </li>
                ))}
              </ul>
              <p>
                <Link to="/family/guardians">{family.isAdmin ? "Add or view guardians" : "View guardians"}</Link>
              </p>
              {family.emergency.name ? (
                <>
                  <h3 style={{ fontSize: "1rem" }}>Emergency contact</h3>
                  <p>
                    {family.emergency.name}
                    {family.emergency.relation ? ` (${family.emergency.relation})` : ""}
                    {family.emergency.phone ? ` · ${family.emergency.phone}` : ""}
                  </p>
                </>
              ) : null}
            </div>
            <div>
              <h3 style={{ fontSize: "1rem" }}>Billing</h3>
              {family.isAdmin ? (
                <Form method="post" noValidate className="ef" style={{ gap: 0 }}>
                  <input type="hidden" name="intent" value="billing" />
                  {actionData?.message ? (
                    <p className="notice" role="status">
                      {actionData.message}
                    </p>
                  ) : null}
                  <FormError message={actionData?.errors.form ?? (actionData && !actionData.ok ? "Please correct the fields marked below." : null)} />
                  <TextInput name="billingEmail" label="Billing email" type="email" autoComplete="email" values={billingValues} errors={actionData?.errors ?? {}} hint="Where invoices and receipts go." />
                  <TextArea name="billingAddress" label="Billing address" rows={3} maxLength={300} values={billingValues} errors={actionData?.errors ?? {}} />
                  <div>
                    <button className="button secondary" disabled={busy}>
                      {busy ? "Saving…" : "Save billing details"}
                    </button>
                  </div>
                </Form>
              ) : (
                <>
                  <dl className="kv">
                    <dt>Billing email</dt>
                    <dd>{family.billingEmail ?? "—"}</dd>
                    <dt>Billing address</dt>
                    <dd>{family.billingAddress ?? "—"}</dd>
                  </dl>
                  <p className="muted">
                    {family.admin ? `${family.admin.firstName} ${family.admin.lastName}` : "The account holder"} manages the family&rsquo;s billing details.
                  </p>
                </>
              )}
            </div>
          </div>
        </section>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
