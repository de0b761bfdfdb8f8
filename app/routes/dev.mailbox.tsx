// The development mailbox: with no email service configured, the school's emails
// are kept instead of sent, and developers (and the end-to-end tests) read them
// here as their recipients would, private links included, without signing in.
// It exists only then, and only when DEV_MAILBOX is on (by default outside
// production); otherwise this address is a plain 404.
import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { EmailList } from "~/components/email-list";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { listMailbox } from "~/models/outbox.server";
import { requireSchool } from "~/utils/auth.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => [...pageTitle(matches, "Development mailbox"), { name: "robots", content: "noindex" }];

export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export async function loader({ context }: LoaderFunctionArgs) {
  const { db, school } = requireSchool(context);
  if (!context.settings.devMailbox) throw new Response("Not found", { status: 404 });
  const emails = await db.run((tx) => listMailbox(tx));
  return { emails, timeZone: school.timezone };
}

export default function DevMailbox() {
  const { emails, timeZone } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <h1>Development mailbox</h1>
      <p className="muted">
        No email service is configured (no RESEND_API_KEY), so this school&rsquo;s emails are kept here, as each recipient would get them, links included.
        Anyone who can open this address can read them: it is for development and tests only (DEV_MAILBOX).
      </p>
      <EmailList emails={emails} timeZone={timeZone} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
