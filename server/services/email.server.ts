// Email delivery, as a transactional outbox: `send` only writes an EmailMessage row
// in the caller's transaction, so an email exists if and only if the change that
// caused it committed. Without RESEND_API_KEY the row is the delivery (admins and
// the operator read the outbox in the app). With it, the row is QUEUED and the
// delivery job (`deliverQueued`) hands it to Resend, retrying failures.
import { Resend } from "resend";
import type { Tx } from "../db/school-db.server";

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export class Mailer {
  private readonly resend: Resend | null;

  constructor(private readonly opts: { from: string; resendApiKey?: string; resendBaseUrl?: string }) {
    this.resend = opts.resendApiKey ? new Resend(opts.resendApiKey, opts.resendBaseUrl ? { baseUrl: opts.resendBaseUrl } : undefined) : null;
  }

  get transport(): "RESEND" | "OUTBOX" {
    return this.resend ? "RESEND" : "OUTBOX";
  }

  /** Files one email for the school `tx` is bound to. */
  async send(tx: Tx, email: OutgoingEmail): Promise<{ id: string }> {
    return tx.emailMessage.create({
      data: { ...email, transport: this.transport, status: this.resend ? "QUEUED" : "SENT", sentAt: this.resend ? null : new Date() },
      select: { id: true },
    });
  }

  /** Hands one queued message to Resend; returns what to record. */
  async deliver(email: OutgoingEmail): Promise<{ ok: true; providerId: string | null } | { ok: false; error: string }> {
    if (!this.resend) return { ok: true, providerId: null };
    const { data, error } = await this.resend.emails.send({
      from: this.opts.from,
      to: email.to,
      subject: email.subject,
      text: email.text,
      ...(email.html ? { html: email.html } : {}),
    });
    return error ? { ok: false, error: `${error.name}: ${error.message}` } : { ok: true, providerId: data?.id ?? null };
  }
}
