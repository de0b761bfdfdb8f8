// /admin/resources — the resources of the whole school, newest release first,
// each with who opened it and who has not; "Open file" goes to its signed address.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { StaffResourceList } from "~/components/resources";
import { openAction, staffListPage } from "~/models/resource-form.server";
import resourcesCss from "~/styles/resources.css?url";
import { requireUser } from "~/utils/auth.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Resources");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: resourcesCss }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { role: "ADMIN" });
  return staffListPage(context, request, user);
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { role: "ADMIN" });
  const form = await request.formData();
  if (form.get("intent") !== "open") throw new Response("Unknown action.", { status: 400 });
  return openAction(context, user, form, { redirectToFile: true });
}

export default function AdminResources() {
  const { rows, notice, timeZone } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <div className="resource-page-head">
        <div>
          <p className="eyebrow">Learning</p>
          <h1>Resources</h1>
          <p className="muted" style={{ margin: 0 }}>
            Everything teachers and admins have shared, with who has opened it and who has not. Times in {timeZone}.
          </p>
        </div>
        <Link className="button" to="/admin/resources/new">
          Share a resource
        </Link>
      </div>
      <div role="status">{notice ? <p className="notice">{notice}</p> : null}</div>
      <StaffResourceList rows={rows} base="/admin/resources" showSharer={true} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
