// /teach/resources/:id/edit — change a resource's details, audience and window, or remove it.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ResourceForm } from "~/components/resources";
import { editResourcePage, resourceFormAction } from "~/models/resource-form.server";
import resourcesCss from "~/styles/resources.css?url";
import { requireUser } from "~/utils/auth.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Edit resource");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: resourcesCss }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { role: "TEACHER" });
  return editResourcePage(context, user, params.resourceId!);
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { role: "TEACHER" });
  return resourceFormAction(context, request, user, { resourceId: params.resourceId!, listPath: "/teach/resources" });
}

export default function TeachEditResource() {
  const { options, defaults, timeZone, existingFile, title, now } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="stack narrow-page">
      <div>
        <p style={{ margin: "0 0 0.25rem" }}>
          <Link to="/teach/resources">← Resources</Link>
        </p>
        <h1>{title}</h1>
      </div>
      <ResourceForm options={options} defaults={defaults} result={result ?? undefined} editing cancelTo="/teach/resources" timeZone={timeZone} existingFile={existingFile} now={now} />
      <Form method="post" encType="multipart/form-data" className="card">
        <input type="hidden" name="intent" value="delete" />
        <p className="muted" style={{ marginTop: 0 }}>
          Removing it takes it out of every library at once, with its record of who opened it.
        </p>
        <button className="button danger">Remove this resource</button>
      </Form>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
