import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { WeeklyHours, TimeOff } from "~/components/availability-forms";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { availabilityAction, availabilityPage } from "~/models/setup.server";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { formatterFor } from "~/utils/format";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "My availability");

const BASE_URL = "/teach/availability";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { role: "TEACHER" });
  const { db, school } = requireSchool(context);
  const page = await db.run((tx) => availabilityPage(tx, user.id, school.timezone, context.clock.now()));
  return { ...page, timeZone: school.timezone };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { role: "TEACHER" });
  const { db, school } = requireSchool(context);
  return availabilityAction(db, await request.formData(), user.id, formatterFor(school));
}

export default function MyAvailability() {
  const { windows, timeOff, pastTimeOff, locations, timeZone } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() ?? null;
  const [params] = useSearchParams();
  const edit = params.get("edit");
  return (
    <div className="stack">
      <div>
        <p className="eyebrow">My teaching</p>
        <h1>My availability</h1>
        <p className="muted">The hours you can teach each week, and the days you are away. The school plans lessons around them.</p>
      </div>
      <WeeklyHours windows={windows} locations={locations} result={result} baseUrl={BASE_URL} editParam={edit} who="You" />
      <TimeOff upcoming={timeOff} past={pastTimeOff} result={result} baseUrl={BASE_URL} editParam={edit} timeZone={timeZone} who="You" />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
