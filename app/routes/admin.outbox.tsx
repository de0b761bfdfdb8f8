import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { EmailList } from "~/components/email-list";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { listSchoolEmails } from "~/models/outbox.server";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Outbox");

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const emails = await db.run((tx) => listSchoolEmails(tx));
  return { emails, transport: context.mailer.transport, devMailbox: context.settings.devMailbox, timeZone: school.timezone };
}

export default function Outbox() {
  const { emails, transport, devMailbox, timeZone } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <h1>Outbox</h1>
      <p className="muted">
        {transport === "OUTBOX"
          ? "Email delivery is not configured (no RESEND_API_KEY), so the school's emails are kept instead of being sent."
          : "Every email the school has sent through Resend."}{" "}
        Private links (invitations, password resets) are only ever for their recipient, so they are not shown here.
        {devMailbox ? (
          <>
            {" "}
            While developing, read every email with its links in the <a href="/dev/mailbox">development mailbox</a>.
          </>
        ) : null}
      </p>
      <EmailList emails={emails} timeZone={timeZone} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
