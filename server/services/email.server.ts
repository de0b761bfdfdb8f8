// Email delivery. With RESEND_API_KEY every message goes through Resend; without
// it, the message is kept in the school's outbox (EmailMessage rows), which admins
// and the operator read in the app. Either way a row records what was sent.
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

  /** Sends (or files) one email for the school `tx` is bound to. */
  async send(tx: Tx, email: OutgoingEmail): Promise<{ id: string; delivered: boolean }> {
    if (!this.resend) {
      const row = await tx.emailMessage.create({
        data: { ...email, transport: "OUTBOX", status: "SENT" },
        select: { id: true },
      });
      return { id: row.id, delivered: true };
    }
    const { data, error } = await this.resend.emails.send({
      from: this.opts.from,
      to: email.to,
      subject: email.subject,
      text: email.text,
      ...(email.html ? { html: email.html } : {}),
    });
    const row = await tx.emailMessage.create({
      data: {
        ...email,
        transport: "RESEND",
        status: error ? "FAILED" : "SENT",
        providerId: data?.id ?? null,
        error: error ? `${error.name}: ${error.message}` : null,
      },
      select: { id: true },
    });
    return { id: row.id, delivered: !error };
  }
}
