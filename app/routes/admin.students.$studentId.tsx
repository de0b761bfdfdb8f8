import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormError } from "~/components/form";
import { SKILL_LEVELS } from "~/domain/roster-import";
import { decideEnrollment, EnrollmentError } from "~/models/enrollment.server";
import { getStudentProfile, studentEnrollment, studentProfileSchema, updateStudentProfile } from "~/models/roster.server";
import rosterCss from "~/styles/roster.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";
import { noErrors, parseForm, type FieldErrors, type FormValues } from "~/utils/forms";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.student.user.firstName} ${data.student.user.lastName} · Students` : "Student" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: rosterCss }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const student = await db.run((tx) => getStudentProfile(tx, params.studentId ?? ""));
  if (!student) throw new Response("There is no such student at this school.", { status: 404 });
  // Dates of birth are calendar dates: hand them on as yyyy-mm-dd, never as instants.
  const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);
  return {
    student: {
      ...student,
      dateOfBirth: day(student.dateOfBirth),
      family: student.family ? { ...student.family, siblings: student.family.siblings.map((s) => ({ ...s, dateOfBirth: day(s.dateOfBirth) })) } : null,
    },
    timeZone: school.timezone,
  };
}

const decisionSchema = z.object({
  intent: z.enum(["approve", "reject"]),
  enrollmentId: z.string({ required_error: "Choose an enrollment." }).min(1, "Choose an enrollment.").max(100),
});

type ActionResult = { intent: "save" | "decide"; ok: boolean; errors: FieldErrors; values: FormValues; message: string | null };

export async function action({ request, params, context }: ActionFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db } = requireSchool(context);
  const studentId = params.studentId ?? "";
  const form = await request.formData();
  const intent = form.get("intent");

  if (intent === "approve" || intent === "reject") {
    const parsed = parseForm(form, decisionSchema);
    if (!parsed.ok) return data<ActionResult>({ intent: "decide", ok: false, errors: parsed.errors, values: {}, message: "Choose an enrollment to decide on." }, { status: 400 });
    try {
      const outcome = await db.run(async (tx) => {
        const enrollment = await studentEnrollment(tx, studentId, parsed.data.enrollmentId);
        if (!enrollment) return null;
        return decideEnrollment(tx, context.mailer, enrollment.id, parsed.data.intent === "approve" ? "APPROVE" : "REJECT");
      });
      if (!outcome) return data<ActionResult>({ intent: "decide", ok: false, errors: noErrors, values: {}, message: "That enrollment is not this student's." }, { status: 404 });
      const message =
        outcome.status === "ACTIVE"
          ? `Approved: enrolled in ${outcome.lessonTitle}. The family has been emailed.`
          : outcome.status === "WAITLISTED"
            ? `Approved, but ${outcome.lessonTitle} is full: the student is on its waitlist. The family has been emailed.`
            : `Rejected the enrollment in ${outcome.lessonTitle}. The family has been emailed.`;
      return data<ActionResult>({ intent: "decide", ok: true, errors: noErrors, values: {}, message });
    } catch (error) {
      if (error instanceof EnrollmentError) return data<ActionResult>({ intent: "decide", ok: false, errors: noErrors, values: {}, message: error.message }, { status: 409 });
      throw error;
    }
  }

  if (intent !== "save") return data<ActionResult>({ intent: "save", ok: false, errors: noErrors, values: {}, message: "That action is not known." }, { status: 400 });
  const parsed = parseForm(form, studentProfileSchema);
  if (!parsed.ok) return data<ActionResult>({ intent: "save", ok: false, errors: parsed.errors, values: parsed.values, message: null }, { status: 400 });
  const saved = await db.run((tx) => updateStudentProfile(tx, studentId, parsed.data));
  if (!saved) throw new Response("There is no such student at this school.", { status: 404 });
  return data<ActionResult>({ intent: "save", ok: true, errors: noErrors, values: {}, message: "Profile saved." });
}

const LEVEL_LABEL: Record<string, string> = { BEGINNER: "Beginner", ELEMENTARY: "Elementary", INTERMEDIATE: "Intermediate", ADVANCED: "Advanced", PROFESSIONAL: "Professional" };
const STATUS_LABEL: Record<string, string> = {
  ACTIVE: "Active",
  PENDING: "Waiting for approval",
  WAITLISTED: "Waitlisted",
  COMPLETED: "Completed",
  UNENROLLED: "Unenrolled",
  DROPPED: "Dropped",
  REJECTED: "Rejected",
};
const STATUS_BADGE: Record<string, string> = { ACTIVE: "badge ok", PENDING: "badge warn", WAITLISTED: "badge", REJECTED: "badge danger" };

function DecisionButton({ enrollmentId, intent, label, name, tone, busy }: { enrollmentId: string; intent: "approve" | "reject"; label: string; name: string; tone: string; busy: boolean }) {
  return (
    <Form method="post" preventScrollReset>
      <input type="hidden" name="enrollmentId" value={enrollmentId} />
      <button className={`button small ${tone}`} name="intent" value={intent} disabled={busy} aria-label={name}>
        {label}
      </button>
    </Form>
  );
}

export default function StudentPage() {
  const fmt = useFormat();
  const { student, timeZone } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const saving = busy && navigation.formData?.get("intent") === "save";
  const save = actionData?.intent === "save" ? actionData : null;
  const decided = actionData?.intent === "decide" ? actionData : null;
  const e: FieldErrors = save?.errors ?? {};
  const failed = Boolean(save && !save.ok);
  // After a refused save, show what was typed; otherwise what is stored.
  const v = (name: string, stored: string | null | undefined) => (failed ? (save!.values[name] ?? "") : (stored ?? ""));
  const checked = (name: string, stored: boolean) => (failed ? save!.values[name] === "on" : stored);
  const name = `${student.user.firstName} ${student.user.lastName}`;
  const pending = student.enrollments.filter((en) => en.status === "PENDING");
  const dob = student.dateOfBirth;
  const dateOnly = (d: string | Date) => fmt.dateTime(d, { weekday: undefined, hour: undefined, minute: undefined, year: "numeric" });

  return (
    <div className="stack">
      <div>
        <p className="crumb">
          <Link to="/admin/students">← All students</Link>
        </p>
        <h1>{name}</h1>
        <p className="meta-line muted">
          {dob ? <span>Born {dob}</span> : <span>No date of birth</span>}
          {student.instrument ? <span className="badge">{student.instrument}</span> : null}
          {student.skillLevel ? <span className="badge muted">{LEVEL_LABEL[student.skillLevel]}</span> : null}
          {student.family ? <span>{student.family.name}</span> : null}
        </p>
        <p>
          <Link to={`/teach/students/${student.id}`}>Progress, awards and exam entries</Link>
        </p>
      </div>

      {decided?.message ? (
        decided.ok ? (
          <p className="notice" role="status">
            {decided.message}
          </p>
        ) : (
          <FormError message={decided.message} />
        )
      ) : null}

      {pending.length > 0 ? (
        <section className="card pending-card" aria-labelledby="pending-title">
          <h2 id="pending-title">Waiting for approval</h2>
          {pending.map((en) => (
            <div key={en.id} className="pending-item">
              <div>
                <Link to={`/admin/lessons/${en.lesson.id}`}>{en.lesson.title}</Link>
                <div className="muted">
                  with {en.lesson.instructor.firstName} {en.lesson.instructor.lastName} · asked {dateOnly(en.enrolledAt)}
                </div>
              </div>
              <div className="row">
                <DecisionButton enrollmentId={en.id} intent="approve" label="Approve" name={`Approve ${en.lesson.title}`} tone="" busy={busy} />
                <DecisionButton enrollmentId={en.id} intent="reject" label="Reject" name={`Reject ${en.lesson.title}`} tone="danger" busy={busy} />
              </div>
            </div>
          ))}
        </section>
      ) : null}

      <div className="profile-layout">
        <section className="card" aria-labelledby="profile-title">
          <h2 id="profile-title">Profile</h2>
          {save?.ok && save.message ? (
            <p className="notice" role="status">
              {save.message}
            </p>
          ) : null}
          <Form method="post" noValidate>
            <FormError message={failed && Object.keys(e).length ? "Please correct the fields marked below. Nothing was saved yet." : (save && !save.ok ? save.message : null)} />
            <fieldset className="group">
              <legend>Student</legend>
              <div className="form-grid">
                <Field label="First name" name="firstName" required autoComplete="off" defaultValue={v("firstName", student.user.firstName)} error={e.firstName} />
                <Field label="Last name" name="lastName" required autoComplete="off" defaultValue={v("lastName", student.user.lastName)} error={e.lastName} />
                <Field label="Date of birth" name="dateOfBirth" type="date" defaultValue={v("dateOfBirth", dob)} error={e.dateOfBirth} />
              </div>
            </fieldset>
            <fieldset className="group">
              <legend>Music</legend>
              <div className="form-grid">
                <Field label="Main instrument" name="instrument" defaultValue={v("instrument", student.instrument)} error={e.instrument} />
                <div className="field">
                  <label htmlFor="skillLevel">Skill level</label>
                  <select id="skillLevel" name="skillLevel" defaultValue={v("skillLevel", student.skillLevel)} aria-invalid={e.skillLevel ? true : undefined}>
                    <option value="">Not set</option>
                    {SKILL_LEVELS.map((l) => (
                      <option key={l} value={l}>
                        {LEVEL_LABEL[l]}
                      </option>
                    ))}
                  </select>
                  {e.skillLevel ? <p className="field-error">{e.skillLevel}</p> : null}
                </div>
              </div>
              <Field
                label="Other instruments"
                name="secondaryInstruments"
                defaultValue={v("secondaryInstruments", student.secondaryInstruments.join(", "))}
                error={e.secondaryInstruments}
                hint="Separated by commas, e.g. Voice, Ukulele"
              />
            </fieldset>
            <fieldset className="group">
              <legend>Parent or guardian</legend>
              <Field label="Name" name="parentName" autoComplete="off" defaultValue={v("parentName", student.parentName)} error={e.parentName} />
              <div className="form-grid">
                <Field label="Email" name="parentEmail" type="email" autoComplete="off" defaultValue={v("parentEmail", student.parentEmail)} error={e.parentEmail} />
                <Field label="Phone" name="parentPhone" type="tel" autoComplete="off" defaultValue={v("parentPhone", student.parentPhone)} error={e.parentPhone} />
              </div>
            </fieldset>
            <fieldset className="group">
              <legend>Emergency contact</legend>
              <div className="form-grid">
                <Field label="Name" name="emergencyContactName" autoComplete="off" defaultValue={v("emergencyContactName", student.emergencyContactName)} error={e.emergencyContactName} />
                <Field label="Phone" name="emergencyContactPhone" type="tel" autoComplete="off" defaultValue={v("emergencyContactPhone", student.emergencyContactPhone)} error={e.emergencyContactPhone} />
                <Field label="Relation" name="emergencyContactRelation" autoComplete="off" defaultValue={v("emergencyContactRelation", student.emergencyContactRelation)} error={e.emergencyContactRelation} hint="e.g. Grandparent" />
              </div>
            </fieldset>
            <fieldset className="group">
              <legend>Consents</legend>
              <label className="check">
                <input type="checkbox" name="parentalConsent" defaultChecked={checked("parentalConsent", student.parentalConsent)} />
                <span>A parent or guardian has given consent for lessons</span>
              </label>
              <label className="check">
                <input type="checkbox" name="socialMediaConsent" defaultChecked={checked("socialMediaConsent", student.socialMediaConsent)} />
                <span>Photos and videos may be shared on the school's social media</span>
              </label>
            </fieldset>
            <div className="spread">
              <button className="button" name="intent" value="save" disabled={busy}>
                {saving ? "Saving…" : "Save profile"}
              </button>
              <span className="muted">
                Added {dateOnly(student.createdAt)} · updated {dateOnly(student.updatedAt)}
              </span>
            </div>
          </Form>
        </section>

        <div className="profile-side">
          <section className="card" aria-labelledby="enrollments-title">
            <h2 id="enrollments-title">Enrollments</h2>
            {student.enrollments.length === 0 ? (
              <p className="muted">Not enrolled in any lesson.</p>
            ) : (
              <ul className="enrollment-list">
                {student.enrollments.map((en) => {
                  const ended = en.completedAt ?? en.droppedAt ?? en.unenrolledAt ?? (en.status === "REJECTED" ? en.decidedAt : null);
                  return (
                    <li key={en.id}>
                      <div className="head">
                        <Link to={`/admin/lessons/${en.lesson.id}`}>{en.lesson.title}</Link>
                        <span className={STATUS_BADGE[en.status] ?? "badge muted"}>{STATUS_LABEL[en.status] ?? en.status}</span>
                      </div>
                      <div className="muted">
                        {en.lesson.instructor.firstName} {en.lesson.instructor.lastName} · since {dateOnly(en.enrolledAt)}
                        {ended ? ` · until ${dateOnly(ended)}` : ""}
                      </div>
                      {en.notes ? <div className="muted">Note: {en.notes}</div> : null}
                    </li>
                  );
                })}
              </ul>
            )}
          </section>

          <section className="card" aria-labelledby="family-title">
            <h2 id="family-title">{student.family ? student.family.name : "Family"}</h2>
            {student.family ? (
              <>
                <p>
                  <Link to={`/admin/billing/families/${student.family.id}`}>Billing: balance, invoices and payments</Link>
                </p>
                <h3 className="eyebrow">Guardians</h3>
                {student.family.guardians.length ? (
                  <ul className="people-list">
                    {student.family.guardians.map((g) => (
                      <li key={g.id}>
                        <strong>
                          {g.firstName} {g.lastName}
                        </strong>
                        {g.isAdmin ? <span className="badge muted"> main contact</span> : null}
                        {g.invited ? <span className="badge warn"> no password yet</span> : null}
                        <div>
                          <a href={`mailto:${g.email}`}>{g.email}</a>
                        </div>
                        {g.phone ? (
                          <div>
                            <a href={`tel:${g.phone.replace(/[^\d+]/g, "")}`}>{g.phone}</a>
                          </div>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <p className="muted">No guardian account.</p>
                )}
                <h3 className="eyebrow" style={{ marginTop: "1rem" }}>
                  Siblings
                </h3>
                {student.family.siblings.length ? (
                  <ul className="people-list">
                    {student.family.siblings.map((s) => (
                      <li key={s.studentId}>
                        <Link to={`/admin/students/${s.studentId}`}>
                          {s.firstName} {s.lastName}
                        </Link>
                        <div className="muted">
                          {[s.dateOfBirth ? `born ${s.dateOfBirth}` : null, s.instrument].filter(Boolean).join(" · ")}
                        </div>
                      </li>
                    ))}
                  </ul>
                ) : (
                  <p className="muted">No siblings at the school.</p>
                )}
                {student.family.billingEmail || student.family.emergencyContactName ? (
                  <dl className="muted" style={{ marginBottom: 0 }}>
                    {student.family.billingEmail ? (
                      <>
                        <dt>Billing email</dt>
                        <dd style={{ marginLeft: 0 }}>{student.family.billingEmail}</dd>
                      </>
                    ) : null}
                    {student.family.emergencyContactName ? (
                      <>
                        <dt>Family emergency contact</dt>
                        <dd style={{ marginLeft: 0 }}>
                          {student.family.emergencyContactName}
                          {student.family.emergencyContactRelation ? ` (${student.family.emergencyContactRelation})` : ""}
                          {student.family.emergencyContactPhone ? ` · ${student.family.emergencyContactPhone}` : ""}
                        </dd>
                      </>
                    ) : null}
                  </dl>
                ) : null}
              </>
            ) : (
              <p className="muted">This student is not in a family group.</p>
            )}
            <p className="muted" style={{ marginBottom: 0 }}>
              {student.user.hasLogin ? <>Has their own login: {student.user.email}</> : "No login of their own."}
            </p>
          </section>
        </div>
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
