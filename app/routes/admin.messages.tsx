// /admin/messages — email the families of a lesson, a teacher, a location or the
// whole school, in the school's colours, and see what was sent.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { MessageCompose, MessageHistory } from "~/components/message-compose";
import { audienceChoices, listMessages, sendMessageAction } from "~/models/messages.server";
import messagesCss from "~/styles/messages.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Messages");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: messagesCss }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const defaultTo = new URL(request.url).searchParams.get("to") ?? undefined;
  return db.run(async (tx) => ({
    choices: await audienceChoices(tx),
    messages: await listMessages(tx),
    timeZone: school.timezone,
    defaultTo,
  }));
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { role: "ADMIN" });
  return sendMessageAction(context, await request.formData(), user);
}

export default function AdminMessages() {
  const { choices, messages, timeZone, defaultTo } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="stack">
      <div>
        <p className="eyebrow">Messages</p>
        <h1>Message families</h1>
        <p className="muted" style={{ margin: 0 }}>
          Email the families of a lesson, a teacher or a location, or the whole school. Each family gets one email, in the school’s colours.
        </p>
      </div>
      <MessageCompose groups={{ ...choices, school: true }} result={result} defaultTo={defaultTo} />
      <MessageHistory messages={messages} timeZone={timeZone} showSender />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
