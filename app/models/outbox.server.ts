// The school's sent emails, as its admins see them, and the development mailbox.
// Private links (invitations, password resets) belong to their recipient alone:
// the admins' outbox never shows them; the development mailbox — which exists only
// when no email service is configured, where the stored email is the delivery —
// shows each email as its recipient would get it.
import type { Tx } from "../../server/db/school-db.server";
import { renderEmail } from "../../server/services/email.server";

const select = { id: true, to: true, subject: true, text: true, html: true, secrets: true, transport: true, status: true, createdAt: true } as const;

async function listEmails(tx: Tx, take: number, reveal: boolean) {
  const rows = await tx.emailMessage.findMany({ orderBy: { createdAt: "desc" }, take, select });
  return rows.map(({ html, secrets, ...row }) => ({ ...row, text: renderEmail({ text: row.text, html, secrets }, { reveal }).text }));
}

/** The school's emails, newest first, private links hidden. */
export function listSchoolEmails(tx: Tx, take = 100) {
  return listEmails(tx, take, false);
}

/** The development mailbox: the school's emails as their recipients got them. */
export function listMailbox(tx: Tx, take = 100) {
  return listEmails(tx, take, true);
}
