// /teach/resources/new — share a file (checked by its bytes, within its kind's size limit)
// or a link, with an audience and a release window.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ResourceForm } from "~/components/resources";
import { newResourcePage, resourceFormAction } from "~/models/resource-form.server";
import resourcesCss from "~/styles/resources.css?url";
import { requireUser } from "~/utils/auth.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Share a resource");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: resourcesCss }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { role: "TEACHER" });
  return newResourcePage(context, user);
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { role: "TEACHER" });
  return resourceFormAction(context, request, user, { resourceId: null, listPath: "/teach/resources" });
}

export default function TeachNewResource() {
  const { options, defaults, timeZone, now } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="stack narrow-page">
      <div>
        <p style={{ margin: "0 0 0.25rem" }}>
          <Link to="/teach/resources">← Resources</Link>
        </p>
        <h1>Share a resource</h1>
      </div>
      <ResourceForm options={options} defaults={defaults} result={result ?? undefined} editing={false} cancelTo="/teach/resources" timeZone={timeZone} now={now} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
