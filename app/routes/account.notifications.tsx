// Whether this person gets a reminder email the day before each lesson.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { messagePreference, setMessagePreference } from "~/models/messages.server";
import { reminderPreference, setReminderPreference } from "~/models/people.server";
import { resourceEmailPreference, setResourceEmailPreference } from "~/models/resources.server";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Reminders");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { db } = requireSchool(context);
  return db.run(async (tx) => ({ ...(await reminderPreference(tx, user.id)), ...(await messagePreference(tx, user.id)), ...(await resourceEmailPreference(tx, user.id)) }));
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const { db } = requireSchool(context);
  const form = await request.formData();
  const lessonReminders = form.get("lessonReminders") === "on";
  const schoolMessages = form.get("schoolMessages") === "on";
  const resourceEmails = form.get("resourceEmails") === "on";
  await db.run(async (tx) => {
    await setReminderPreference(tx, user.id, lessonReminders);
    await setMessagePreference(tx, user.id, schoolMessages);
    await setResourceEmailPreference(tx, user.id, resourceEmails);
  });
  return {
    saved: [
      lessonReminders ? "You will get a reminder the day before each lesson." : "You will no longer get lesson reminders.",
      schoolMessages ? "You will get the school’s general messages." : "You will no longer get the school’s general messages.",
      resourceEmails ? "You will be told when a teacher shares a new resource." : "You will no longer be emailed about new resources.",
    ].join(" "),
  };
}

export default function Notifications() {
  const { lessonReminders, schoolMessages, resourceEmails, email } = useLoaderData<typeof loader>();
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
        <div className="row">
          <input type="checkbox" id="schoolMessages" name="schoolMessages" defaultChecked={schoolMessages} style={{ width: "auto" }} />
          <label htmlFor="schoolMessages">Email me the school’s general messages (news for a teacher’s families, a location or the whole school)</label>
        </div>
        <div className="row">
          <input type="checkbox" id="resourceEmails" name="resourceEmails" defaultChecked={resourceEmails} style={{ width: "auto" }} />
          <label htmlFor="resourceEmails">Email me when a teacher shares a new resource (a score, a backing track, notes)</label>
        </div>
        <p className="muted">Cancellations, moves and messages about your own lessons are always sent.</p>
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
