import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormError, SelectField } from "~/components/form";
import { Pager } from "~/components/pager";
import { queryWithPage } from "~/domain/paging";
import { inviteUser, peoplePage, peopleQuery, PersonExistsError } from "~/models/people.server";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { ROLE_LABEL } from "~/utils/format";
import { fields, noErrors, parseForm, type FieldErrors } from "~/utils/forms";
import { parseListQuery } from "~/utils/list-query";
import { pageTitle } from "~/utils/meta";
import peopleCss from "~/styles/people.css?url";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "People");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: peopleCss }];

const inviteSchema = z.object({
  email: fields.email,
  firstName: fields.personName("a first name"),
  lastName: fields.personName("a last name"),
  // Students are added with their family (Students → Add students): an invitation makes a login, not a student.
  role: z.enum(["ADMIN", "TEACHER", "PARENT"], { errorMap: () => ({ message: "Choose a role. To add a student, use Students → Add students." }) }),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db } = requireSchool(context);
  const filters = parseListQuery(request.url, peopleQuery);
  return { filters, ...(await db.run((tx) => peoplePage(tx, filters))) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const parsed = parseForm(await request.formData(), inviteSchema);
  if (!parsed.ok) return data({ ok: false as const, errors: parsed.errors, values: parsed.values, message: null }, { status: 400 });
  try {
    await db.run((tx) =>
      inviteUser(tx, { mailer: context.mailer, origin: context.links.origin, schoolName: school.name, invitedBy: `${admin.firstName} ${admin.lastName}`, actorId: admin.id }, parsed.data),
    );
  } catch (error) {
    if (error instanceof PersonExistsError) {
      return data({ ok: false as const, errors: { email: error.message } as FieldErrors, values: parsed.values, message: null }, { status: 409 });
    }
    throw error;
  }
  return { ok: true as const, errors: noErrors, values: {}, message: `Invitation sent to ${parsed.data.email}.` };
}

export default function People() {
  const { people, filters, page, pages, total, skip, pageSize } = useLoaderData<typeof loader>();
  const filtered = Boolean(filters.q || filters.role || filters.status);
  const query = { q: filters.q, role: filters.role, status: filters.status };
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (actionData?.ok) formRef.current?.reset();
  }, [actionData]);
  const values: Record<string, string> = actionData?.values ?? {};
  return (
    <div className="stack">
      <div className="page-head">
        <h1>People</h1>
        <Link to="/admin/audit">Audit log</Link>
      </div>
      <section className="card">
        <h2>Invite someone</h2>
        {actionData?.message ? (
          <p className="notice" role="status">
            {actionData.message}
          </p>
        ) : null}
        <Form method="post" ref={formRef} noValidate>
          <FormError message={actionData && !actionData.ok && Object.keys(actionData.errors).length ? "Please correct the fields marked below." : null} />
          <div className="grid">
            <Field label="First name" name="firstName" required defaultValue={values.firstName} error={actionData?.errors.firstName} />
            <Field label="Last name" name="lastName" required defaultValue={values.lastName} error={actionData?.errors.lastName} />
            <Field label="Email" name="email" type="email" required defaultValue={values.email} error={actionData?.errors.email} />
            <SelectField
              label="Role"
              name="role"
              defaultValue={values.role ?? "TEACHER"}
              error={actionData?.errors.role}
              options={["TEACHER", "ADMIN", "PARENT"].map((r) => ({ value: r, label: ROLE_LABEL[r]! }))}
            />
          </div>
          <p className="muted">
            Adding a student? Use <Link to="/admin/students/new">Add students</Link>: it makes the student with their family, and can enroll them.
          </p>
          <button className="button" disabled={busy}>
            {busy ? "Sending…" : "Send invitation"}
          </button>
        </Form>
      </section>
      <section className="card">
        <h2>Everyone at the school</h2>
        <Form method="get" className="list-filters" role="search" aria-label="Search people">
          <div className="field">
            <label htmlFor="people-q">Search</label>
            <input id="people-q" type="search" name="q" defaultValue={filters.q} placeholder="Name or email" />
          </div>
          <div className="field">
            <label htmlFor="people-role">Role</label>
            <select id="people-role" name="role" defaultValue={filters.role}>
              <option value="">Any</option>
              {Object.keys(ROLE_LABEL).map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABEL[r]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="people-status">Account</label>
            <select id="people-status" name="status" defaultValue={filters.status}>
              <option value="">Any</option>
              <option value="active">Active</option>
              <option value="invited">Invited</option>
              <option value="deactivated">Deactivated</option>
            </select>
          </div>
          <div className="actions">
            <button className="button secondary">Search</button>
            {filtered ? <Link to="/admin/people">Clear filters</Link> : null}
          </div>
        </Form>
        <p className="muted" style={{ marginTop: 0 }}>
          {total === 0 ? "Nobody matches these filters." : `Showing ${skip + 1}–${Math.min(total, skip + pageSize)} of ${total}`}
        </p>
        {people.length ? (
        <div className="table-wrap">
          <table className="stack-table people-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Account</th>
              </tr>
            </thead>
            <tbody>
              {people.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link to={`/admin/people/${p.id}`}>
                      {p.firstName} {p.lastName}
                    </Link>
                  </td>
                  <td className="email" data-label="Email">
                    {p.hasLogin ? p.email : <span className="muted">—</span>}
                  </td>
                  <td data-label="Role">{ROLE_LABEL[p.role]}</td>
                  <td data-label="Account">
                    {p.status === "NO_LOGIN" ? (
                      <span className="muted">No login</span>
                    ) : p.status === "DEACTIVATED" ? (
                      <span className="badge danger">Deactivated</span>
                    ) : p.status === "INVITED" ? (
                      <span className="badge warn">Invited</span>
                    ) : (
                      <span className="badge">Active</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        ) : null}
        <Pager page={page} pages={pages} href={(p) => `/admin/people${queryWithPage(query, p)}`} />
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
