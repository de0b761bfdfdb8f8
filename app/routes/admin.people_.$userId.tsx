// One person's access: their role, deactivating and reactivating them, and what the
// school's audit log says about them.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormError, SelectField } from "~/components/form";
import { TeacherProfileForm, type TeacherProfileResult } from "~/components/teacher-profile-form";
import { ROLES, roleLabel } from "~/domain/people-access";
import { phoneField } from "~/models/online-enrollment-form";
import { BIO_MAX } from "~/models/teacher-profile";
import { submitTeacherProfile, teacherProfile } from "~/models/teacher-profile.server";
import { changeRole, deactivatePerson, PeopleAccessError, personAccess, reactivatePerson, resendInvitation, updateContact } from "~/models/people.server";
import peopleCss from "~/styles/people.css?url";
import rosterCss from "~/styles/roster.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";
import { fields, parseForm, type FieldErrors } from "~/utils/forms";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.person.name} · People` : "Person" }];
// roster.css: the crumb and the pager, shared with the student pages.
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: rosterCss },
  { rel: "stylesheet", href: peopleCss },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const admin = await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const { access, profile } = await db.run(async (tx) => {
    const access = await personAccess(tx, params.userId ?? "", admin.id, context.clock.now());
    return { access, profile: access?.person.role === "TEACHER" ? await teacherProfile(tx, access.person.id) : null };
  });
  if (!access) throw new Response("There is no such person at this school.", { status: 404 });
  return { ...access, profile, timeZone: school.timezone };
}

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("role"), role: z.enum(ROLES, { errorMap: () => ({ message: "Choose a role." }) }) }),
  z.object({ intent: z.literal("deactivate") }),
  z.object({ intent: z.literal("reactivate") }),
  z.object({ intent: z.literal("resend") }),
  z.object({
    intent: z.literal("contact"),
    firstName: fields.personName("a first name"),
    lastName: fields.personName("a last name"),
    // Absent for a child without a login of their own.
    email: fields.email.optional(),
    phone: z
      .string()
      .trim()
      .optional()
      .transform((v) => v || null)
      .pipe(z.union([z.null(), phoneField()])),
  }),
]);

type ActionResult = { ok: boolean; message: string; values: Record<string, string>; errors?: FieldErrors; intent?: string; profile?: TeacherProfileResult };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const admin = await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const userId = params.userId ?? "";
  // The teacher's public profile is the one form with a file.
  if ((request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    const { status, result } = await submitTeacherProfile(request, { db, storage: context.storage, schoolId: school.id }, userId);
    return data<ActionResult>({ ok: result.ok, message: result.message ?? "", values: {}, intent: "profile", profile: result }, { status });
  }
  const parsed = parseForm(await request.formData(), actionSchema);
  if (!parsed.ok) {
    if (parsed.values.intent === "contact") return data<ActionResult>({ ok: false, message: "Please correct the fields marked below.", values: parsed.values, errors: parsed.errors, intent: "contact" }, { status: 400 });
    return data<ActionResult>({ ok: false, message: parsed.errors.role ?? "That request was not understood. Reload the page and try again.", values: parsed.values }, { status: 400 });
  }
  const input = parsed.data;
  const deps = { mailer: context.mailer, origin: context.links.origin, schoolName: school.name, invitedBy: `${admin.firstName} ${admin.lastName}` };
  try {
    const message = await db.run(async (tx) => {
      if (input.intent === "contact") {
        const { intent: _, ...contact } = input;
        const done = await updateContact(tx, deps, { actorId: admin.id, userId, contact });
        if (!done.changed.length) return "Nothing changed.";
        return `Saved ${done.name}’s ${done.changed.join(", ").replace(/, ([^,]*)$/, " and $1")}.${done.invitationResent ? " Their invitation went to the new email; the old link no longer works." : ""}`;
      }
      if (input.intent === "resend") {
        const done = await resendInvitation(tx, deps, { actorId: admin.id, userId });
        return `A new invitation went to ${done.email}. Earlier invitation links no longer work.`;
      }
      if (input.intent === "role") {
        const done = await changeRole(tx, { actorId: admin.id, userId, role: input.role });
        return `${done.name} is now ${input.role === "ADMIN" ? "an" : "a"} ${roleLabel(done.to).toLowerCase()}. They have been signed out everywhere and sign in again with the new role.`;
      }
      if (input.intent === "deactivate") {
        const done = await deactivatePerson(tx, { actorId: admin.id, userId, now: context.clock.now() });
        const upcoming = done.upcomingDates ? ` They still teach ${done.upcomingDates} upcoming lesson ${done.upcomingDates === 1 ? "date" : "dates"}: hand them to a colleague.` : "";
        return `${done.name} is deactivated: signed out everywhere, calendar links revoked, and they can no longer sign in. Their history is kept.${upcoming}`;
      }
      const done = await reactivatePerson(tx, { mailer: context.mailer, origin: context.links.origin, schoolName: school.name }, { actorId: admin.id, userId });
      return `${done.name} is active again. We have emailed ${done.email} a link to choose a new password.`;
    });
    // Changing your own access ends your own sessions: sign in again.
    if (userId === admin.id && input.intent !== "reactivate") throw redirect("/login");
    return { ok: true, message, values: {}, intent: input.intent } as ActionResult;
  } catch (error) {
    if (error instanceof PeopleAccessError) return data<ActionResult>({ ok: false, message: error.message, values: parsed.values, intent: input.intent }, { status: error.status });
    throw error;
  }
}

const STATUS: Record<string, { label: string; className: string }> = {
  ACTIVE: { label: "Active", className: "badge ok" },
  INVITED: { label: "Invited", className: "badge warn" },
  DEACTIVATED: { label: "Deactivated", className: "badge danger" },
  NO_LOGIN: { label: "No login", className: "badge muted" },
};

export default function PersonAccess() {
  const fmt = useFormat();
  const { person, counts, roles, lastActiveAdmin, trail, trailTotal, timeZone, profile } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" ? String(navigation.formData?.get("intent") ?? "") : "";
  const status = STATUS[person.status]!;
  const deactivated = person.status === "DEACTIVATED";
  const you = person.isViewer;
  return (
    <div className="stack">
      <div>
        <p className="crumb">
          <Link to="/admin/people">← People</Link>
        </p>
        <div className="person-head">
          <h1>{person.name}</h1>
          <span className={status.className}>{status.label}</span>
        </div>
        <p className="muted person-meta">
          {person.hasLogin ? <span className="email">{person.email}</span> : "No login of their own"} · {roleLabel(person.role)}
          {person.familyName ? ` · ${person.familyName} family` : ""}
          {you ? " · This is you" : ""}
        </p>
      </div>

      <div role="status" aria-live="polite">
        {result?.ok ? <p className="notice">{result.message}</p> : null}
      </div>
      <FormError message={result && !result.ok && !result.profile ? result.message : null} />

      <div className="person-layout">
        <div className="stack">
          <ContactCard person={person} result={result?.intent === "contact" ? result : null} busy={busy === "contact"} />

          {profile ? (
            <section className="card" aria-labelledby="profile-heading">
              <h2 id="profile-heading">Public profile</h2>
              <TeacherProfileForm profile={profile} result={result?.profile} busy={busy === "profile"} own={false} bioMax={BIO_MAX} announce={false} />
            </section>
          ) : null}

          <section className="card" aria-labelledby="access-heading">
            <h2 id="access-heading">Access</h2>
            <dl className="facts">
              <dt>Status</dt>
              <dd>
                {deactivated
                  ? `Deactivated on ${fmt.dateTime(person.deactivatedAt!, { year: "numeric" })}${person.deactivatedBy ? ` by ${person.deactivatedBy}` : ""}`
                  : person.status === "INVITED"
                    ? (
                      <>
                        Invited; has not chosen a password yet.{" "}
                        <Form method="post" style={{ display: "inline" }}>
                          <input type="hidden" name="intent" value="resend" />
                          <button className="button secondary small" disabled={busy === "resend"}>
                            {busy === "resend" ? "Sending…" : "Send the invitation again"}
                          </button>
                        </Form>
                      </>
                    )
                    : person.status === "NO_LOGIN"
                      ? "Has no login (a child on the family's account)"
                      : "Can sign in"}
              </dd>
              <dt>Signed in</dt>
              <dd>{counts.sessions === 0 ? "Nowhere" : `On ${counts.sessions} ${counts.sessions === 1 ? "device" : "devices"}`}</dd>
              <dt>Calendar links</dt>
              <dd>{counts.feeds === 0 ? "None active" : `${counts.feeds} active`}</dd>
              {counts.upcomingDates > 0 || person.role === "TEACHER" ? (
                <>
                  <dt>Teaches</dt>
                  <dd>
                    {counts.upcomingDates === 0 ? (
                      "No upcoming lessons"
                    ) : (
                      <>
                        {counts.upcomingDates} upcoming lesson {counts.upcomingDates === 1 ? "date" : "dates"} ·{" "}
                        <Link to={`/admin/handover?teacher=${person.id}`}>Hand them over</Link>
                      </>
                    )}
                  </dd>
                </>
              ) : null}
              {person.studentId ? (
                <>
                  <dt>Student</dt>
                  <dd>
                    <Link to={`/admin/students/${person.studentId}`}>Student profile</Link>
                  </dd>
                </>
              ) : null}
            </dl>
          </section>

          <section className="card" aria-labelledby="role-heading">
            <h2 id="role-heading">Role</h2>
            {lastActiveAdmin ? (
              <p className="muted">
                {you ? "You are" : `${person.name} is`} the school’s only active admin. The school must always keep one, so this role cannot change. Make someone else an
                admin first.
              </p>
            ) : roles.onOffer.length === 0 ? (
              <p className="muted">{roles.whyNone}</p>
            ) : (
              <Form method="post" className="role-form">
                <input type="hidden" name="intent" value="role" />
                <SelectField
                  label={`Change ${you ? "your" : `${person.firstName}’s`} role from ${roleLabel(person.role).toLowerCase()} to`}
                  name="role"
                  defaultValue={result && !result.ok ? result.values.role : roles.onOffer[0]}
                  options={roles.onOffer.map((r) => ({ value: r, label: roleLabel(r) }))}
                />
                <p className="hint">
                  Admins run the school: setup, people, lessons and families. Teachers see their own lessons and registers. {you ? "You" : "They"} will be signed
                  out everywhere and sign in again with the new role.
                </p>
                <button className="button secondary" disabled={busy === "role"}>
                  {busy === "role" ? "Changing…" : "Change role"}
                </button>
              </Form>
            )}
          </section>

          {person.hasLogin ? (
            <section className={`card${deactivated ? "" : " danger-zone"}`} aria-labelledby="deactivate-heading">
              {deactivated ? (
                <>
                  <h2 id="deactivate-heading">Reactivate</h2>
                  <p>
                    {person.firstName} gets their access back as {person.role === "ADMIN" ? "an" : "a"} {roleLabel(person.role).toLowerCase()}. We email {person.email} a link to choose a new password; the old
                    password and old calendar links stay dead.
                  </p>
                  <Form method="post">
                    <input type="hidden" name="intent" value="reactivate" />
                    <button className="button" disabled={busy === "reactivate"}>
                      {busy === "reactivate" ? "Reactivating…" : `Reactivate ${person.name}`}
                    </button>
                  </Form>
                </>
              ) : lastActiveAdmin ? (
                <>
                  <h2 id="deactivate-heading">Deactivate</h2>
                  <p className="muted">The school’s only active admin cannot be deactivated.</p>
                </>
              ) : (
                <>
                  <h2 id="deactivate-heading">Deactivate</h2>
                  <p>For someone who has left. At once:</p>
                  <ul className="consequences">
                    <li>{you ? "you are" : "they are"} signed out everywhere and can no longer sign in;</li>
                    <li>their calendar links stop working;</li>
                    <li>unused invitation and password links stop working.</li>
                  </ul>
                  <p className="muted">
                    Their lessons, attendance and records stay, with their name.
                    {counts.upcomingDates > 0 ? " Hand their upcoming lessons to a colleague, before or after." : ""} You can reactivate them later.
                  </p>
                  <Form method="post">
                    <input type="hidden" name="intent" value="deactivate" />
                    <button className="button danger" disabled={busy === "deactivate"}>
                      {busy === "deactivate" ? "Deactivating…" : you ? "Deactivate my account" : `Deactivate ${person.name}`}
                    </button>
                  </Form>
                </>
              )}
            </section>
          ) : null}
        </div>

        <section className="card" aria-labelledby="trail-heading">
          <h2 id="trail-heading">History</h2>
          {trail.length === 0 ? (
            <p className="muted">No changes of access recorded yet.</p>
          ) : (
            <ol className="audit-trail">
              {trail.map((e) => (
                <li key={e.id}>
                  <time dateTime={String(e.createdAt)} className="muted">
                    {fmt.dateTime(e.createdAt, { year: "numeric" })}
                  </time>
                  <div>
                    {e.subject?.id === person.id ? e.text : `${e.subject?.name ?? "Someone"}: ${e.text}`}{" "}
                    <span className="muted">{e.actor ? (e.actor.id === person.id ? `(by ${person.firstName})` : `(by ${e.actor.name})`) : "(by the platform)"}</span>
                  </div>
                </li>
              ))}
            </ol>
          )}
          {trailTotal > trail.length ? <p className="muted">Showing the latest {trail.length} of {trailTotal}.</p> : null}
          <p>
            <Link to="/admin/audit">The school’s audit log</Link>
          </p>
        </section>
      </div>
    </div>
  );
}

function ContactCard({ person, result, busy }: { person: { firstName: string; lastName: string; email: string; phone: string | null; hasLogin: boolean; familyName: string | null }; result: ActionResult | null; busy: boolean }) {
  const failed = result && !result.ok ? result : null;
  const value = (name: "firstName" | "lastName" | "email" | "phone") => (failed ? failed.values[name] : (person[name] ?? "")) ?? "";
  return (
    <section className="card" aria-labelledby="contact-heading">
      <h2 id="contact-heading">Contact details</h2>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="contact" />
        <div className="grid two">
          <Field label="First name" name="firstName" required defaultValue={value("firstName")} error={failed?.errors?.firstName} />
          <Field label="Last name" name="lastName" required defaultValue={value("lastName")} error={failed?.errors?.lastName} />
          {person.hasLogin ? (
            <Field label="Email (their sign-in)" name="email" type="email" required defaultValue={value("email")} error={failed?.errors?.email} />
          ) : null}
          <Field label="Phone (optional)" name="phone" type="tel" defaultValue={value("phone")} error={failed?.errors?.phone} />
        </div>
        {person.hasLogin ? <p className="hint">A new email becomes their sign-in at once; links sent to the old one stop working.</p> : null}
        <button className="button secondary" disabled={busy}>
          {busy ? "Saving…" : "Save contact details"}
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
