import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { EmailList } from "~/components/email-list";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { requireOperator } from "~/utils/auth.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Outbox");

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireOperator(request, context);
  return { emails: await context.operator.listRecentEmails(request), transport: context.mailer.transport };
}

export default function OperatorOutbox() {
  const { emails, transport } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <h1>Outbox</h1>
      <p className="muted">
        {transport === "OUTBOX" ? "No RESEND_API_KEY is set: emails of every school are kept, not sent." : "Recent emails of every school, as sent through Resend."} Private
        links (invitations, password resets) belong to their recipient and are never shown here.
      </p>
      <EmailList emails={emails} timeZone="UTC" />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
