// Whether this person gets a reminder email the day before each lesson.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { reminderPreference, setReminderPreference } from "~/models/people.server";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Reminders");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { db } = requireSchool(context);
  return db.run((tx) => reminderPreference(tx, user.id));
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const { db } = requireSchool(context);
  const lessonReminders = (await request.formData()).get("lessonReminders") === "on";
  await db.run((tx) => setReminderPreference(tx, user.id, lessonReminders));
  return { saved: lessonReminders ? "You will get a reminder the day before each lesson." : "You will no longer get lesson reminders." };
}

export default function Notifications() {
  const { lessonReminders, email } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="card narrow">
      <h1>Reminders</h1>
      <div role="status">{actionData ? <p className="notice">{actionData.saved}</p> : null}</div>
      <Form method="post">
        <div className="row">
          <input type="checkbox" id="lessonReminders" name="lessonReminders" defaultChecked={lessonReminders} style={{ width: "auto" }} />
          <label htmlFor="lessonReminders">Email me ({email}) a reminder the day before each lesson</label>
        </div>
        <p className="muted">Cancellations, moves and messages from the school are always sent.</p>
        <button className="button" disabled={busy}>
          Save
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
