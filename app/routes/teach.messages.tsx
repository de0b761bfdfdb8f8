// /teach/messages — a teacher emails the families of one of their own lessons (no
// other audience), in the school’s colours, and sees what they sent.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { MessageCompose, MessageHistory, type ComposeResult } from "~/components/message-compose";
import { messageSchema } from "~/models/message-form";
import { audienceChoices, listMessages, MessageError, schoolForEmail, sendMessage } from "~/models/messages.server";
import messagesCss from "~/styles/messages.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { checkRateLimit } from "~/utils/rate-limit.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Messages");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: messagesCss }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { role: "TEACHER" });
  const { db, school } = requireSchool(context);
  const defaultTo = new URL(request.url).searchParams.get("to") ?? undefined;
  return db.run(async (tx) => ({
    choices: await audienceChoices(tx, { teacherId: user.id }),
    messages: await listMessages(tx, { sentById: user.id }),
    timeZone: school.timezone,
    defaultTo,
  }));
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { role: "TEACHER" });
  const { db, school } = requireSchool(context);
  const parsed = parseForm(await request.formData(), messageSchema);
  if (!parsed.ok) return data<ComposeResult>({ ok: false, message: null, errors: parsed.errors, values: parsed.values }, { status: 400 });
  const limited = await checkRateLimit(context, "message:account", [user.id]);
  if (limited) return data<ComposeResult>({ ok: false, message: null, errors: { form: limited }, values: parsed.values }, { status: 429 });
  try {
    const sent = await db.run((tx) =>
      sendMessage(tx, context.mailer, {
        sender: { id: user.id, name: `${user.firstName} ${user.lastName}` },
        teacherId: user.id,
        audience: parsed.data.to,
        subject: parsed.data.subject,
        body: parsed.data.body,
        school: schoolForEmail(school, context.links.origin),
        preferencesUrl: `${context.links.origin}/account/notifications`,
        now: context.clock.now(),
      }),
    );
    return data<ComposeResult>({ ok: true, message: `Sent “${parsed.data.subject}” to ${sent.recipientCount} ${sent.recipientCount === 1 ? "address" : "addresses"} (${sent.label}).`, errors: {}, values: {} });
  } catch (error) {
    if (error instanceof MessageError) return data<ComposeResult>({ ok: false, message: null, errors: { [error.status === 404 ? "to" : "form"]: error.message }, values: parsed.values }, { status: error.status });
    throw error;
  }
}

export default function TeachMessages() {
  const { choices, messages, timeZone, defaultTo } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="stack">
      <div>
        <p className="eyebrow">Messages</p>
        <h1>Message families</h1>
        <p className="muted" style={{ margin: 0 }}>
          Email the families of one of your lessons. Each family gets one email, in the school’s colours, signed with your name.
        </p>
      </div>
      <MessageCompose groups={{ ...choices, school: false }} result={result} defaultTo={defaultTo} />
      <MessageHistory messages={messages} timeZone={timeZone} showSender={false} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
