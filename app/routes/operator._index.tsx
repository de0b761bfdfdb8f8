import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError } from "~/components/form";
import { claimHolds } from "~/domain/custom-domain";
import operatorCss from "~/styles/operator.css?url";
import { requireOperator } from "~/utils/auth.server";
import { parseForm } from "~/utils/forms";

export const meta: MetaFunction = () => [{ title: "Schools · Encore operator" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: operatorCss }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireOperator(request, context);
  const schools = await context.operator.listSchools(request);
  const now = new Date();
  return {
    schools: schools.map((s) => ({
      ...s,
      url: context.links.school(s),
      // An unverified claim past its hold no longer keeps other schools from the domain.
      claimHolds: claimHolds({ claimedAt: s.customDomainClaimedAt, verifiedAt: s.customDomainVerifiedAt }, now),
    })),
  };
}

const actionSchema = z.object({
  intent: z.enum(["suspend", "reactivate", "release-domain"], { errorMap: () => ({ message: "Choose what to do." }) }),
  schoolId: z.string({ required_error: "Choose a school." }).min(1, "Choose a school.").max(100),
});

export async function action({ request, context }: ActionFunctionArgs) {
  await requireOperator(request, context);
  const parsed = parseForm(await request.formData(), actionSchema);
  if (!parsed.ok) return data({ ok: false, message: Object.values(parsed.errors)[0] ?? "That did not work." }, { status: 400 });
  const school = (await context.operator.listSchools(request)).find((s) => s.id === parsed.data.schoolId);
  if (!school) return data({ ok: false, message: "That school does not exist." }, { status: 404 });
  if (parsed.data.intent === "release-domain") {
    // E.g. a domain claimed by the wrong school: frees it for the right one (audited).
    if (!school.customDomain) return data({ ok: true, message: `${school.name} has no custom domain.` });
    await context.operator.releaseCustomDomain(request, school.id);
    return data({ ok: true, message: `${school.customDomain} is no longer ${school.name}'s: another school can claim it now.` });
  }
  const next = parsed.data.intent === "suspend" ? "SUSPENDED" : "ACTIVE";
  if (school.status === next) {
    return data({ ok: true, message: `${school.name} is already ${next === "SUSPENDED" ? "suspended" : "active"}.` });
  }
  // Audited (school.suspend / school.reactivate) and the host cache is dropped.
  await context.operator.setSchoolStatus(request, school.id, next);
  return data({
    ok: true,
    message:
      next === "SUSPENDED"
        ? `${school.name} is suspended: its address shows a notice and nobody can sign in there.`
        : `${school.name} is active again.`,
  });
}

export default function OperatorSchools() {
  const { schools } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busySchool = navigation.state === "submitting" ? navigation.formData?.get("schoolId") : null;
  return (
    <div className="stack">
      <div className="spread">
        <h1>Schools</h1>
        <Link className="button" to="/operator/schools/new">
          Onboard a school
        </Link>
      </div>
      {result ? (
        result.ok ? (
          <p className="notice" role="status">
            {result.message}
          </p>
        ) : (
          <FormError message={result.message} />
        )
      ) : null}
      <section className="card table-wrap">
        <table className="stack-table schools-table">
          <thead>
            <tr>
              <th scope="col">School</th>
              <th scope="col">Address</th>
              <th scope="col">Students</th>
              <th scope="col">Teachers</th>
              <th scope="col">Active enrollments</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {schools.map((s) => (
              <tr key={s.id}>
                <td>
                  <strong>{s.name}</strong>
                  <div className="muted">
                    {s.timezone} · {s.currency}
                  </div>
                </td>
                <td data-label="Address">
                  <div>
                    <a href={s.url}>{s.url.replace(/^https?:\/\//, "")}</a>
                    {s.customDomain ? (
                      <div className="muted" style={{ overflowWrap: "anywhere" }}>
                        {s.customDomain}{" "}
                        {s.customDomainVerifiedAt ? null : <span className="badge warn">{s.claimHolds ? "unverified" : "unverified, claim expired"}</span>}
                        <Form
                          method="post"
                          style={{ margin: 0 }}
                          onSubmit={(event) => {
                            if (!window.confirm(`Release ${s.customDomain} from ${s.name}? The school stays at its platform address.`)) event.preventDefault();
                          }}
                        >
                          <input type="hidden" name="schoolId" value={s.id} />
                          <button className="link-button" name="intent" value="release-domain" disabled={busySchool === s.id} aria-label={`Release ${s.customDomain} from ${s.name}`}>
                            Release domain
                          </button>
                        </Form>
                      </div>
                    ) : null}
                  </div>
                </td>
                <td data-label="Students">{s.students}</td>
                <td data-label="Teachers">{s.teachers}</td>
                <td data-label="Enrollments">{s.activeEnrollments}</td>
                <td data-label="Status">
                  <div style={{ display: "flex", flexWrap: "wrap", gap: "0.5rem", alignItems: "center" }}>
                    {s.status === "ACTIVE" ? <span className="badge">Active</span> : <span className="badge danger">Suspended</span>}
                    <Form
                      method="post"
                      style={{ margin: 0 }}
                      onSubmit={(event) => {
                        if (s.status === "ACTIVE" && !window.confirm(`Suspend ${s.name}? Its address will show a notice and nobody can sign in until you reactivate it.`)) {
                          event.preventDefault();
                        }
                      }}
                    >
                      <input type="hidden" name="schoolId" value={s.id} />
                      <button
                        className="link-button"
                        name="intent"
                        value={s.status === "ACTIVE" ? "suspend" : "reactivate"}
                        disabled={busySchool === s.id}
                        aria-label={`${s.status === "ACTIVE" ? "Suspend" : "Reactivate"} ${s.name}`}
                      >
                        {s.status === "ACTIVE" ? "Suspend" : "Reactivate"}
                      </button>
                    </Form>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
