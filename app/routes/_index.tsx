import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { getUser } from "~/utils/auth.server";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: data.school.name }, { name: "description", content: `${data.school.name} — music lessons, classes and ensembles.` }] : [];

export async function loader({ request, context }: LoaderFunctionArgs) {
  // The platform's own domain is the operator console.
  if (context.tenant.kind !== "school") throw redirect("/operator");
  const user = await getUser(request, context);
  const { school } = context.tenant;
  return { school: { name: school.name, email: school.email, phone: school.phone, website: school.website, status: school.status }, signedIn: Boolean(user) };
}

export default function SchoolHome() {
  const { school, signedIn } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <section className="hero">
        <p className="eyebrow">Welcome to</p>
        <h1>{school.name}</h1>
        <p>Lessons, classes and ensembles for every age and level.</p>
        <div className="row">
          {signedIn ? (
            <Link className="button" to="/dashboard">
              Go to your dashboard
            </Link>
          ) : (
            <Link className="button" to="/login">
              Sign in
            </Link>
          )}
        </div>
      </section>
      <section className="card">
        <h2>Contact</h2>
        <p>
          <a href={`mailto:${school.email}`}>{school.email}</a>
          {school.phone ? <> · {school.phone}</> : null}
        </p>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
