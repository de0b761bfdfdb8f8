// Email delivery, as a transactional outbox: `send` only writes an EmailMessage row
// in the caller's transaction, so an email exists if and only if the change that
// caused it committed. Without RESEND_API_KEY the row is the delivery (developers
// read it in the development mailbox). With it, the row is QUEUED and the delivery
// job (`deliverQueuedEmails`) hands it to Resend, retrying failures.
//
// Private links (invitations, password resets) are never part of what is stored
// as the email's text: `send` replaces each with a marker and keeps the links in
// `secrets`, which the delivery job empties once the email is sent (or given up).
// `renderEmail` puts them back for the recipient, or shows "[private link…]" for
// everyone else (the school's admins and the operator).
import { Resend } from "resend";
import type { Tx } from "../db/school-db.server";

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Private links in `text`/`html` that only the recipient may ever see. */
  secrets?: string[];
}

export interface StoredEmail {
  text: string;
  html: string | null;
  secrets: string[];
}

const OPEN = "\uE000";
const CLOSE = "\uE001";
const MARKER = /\uE000(\d+)\uE001/g;

/** What readers other than the recipient see in place of a private link. */
export const REDACTED_LINK = "[private link: only the recipient can see it]";

/** The stored form of an email: each secret replaced by a marker (anything looking like one first removed). */
export function sealEmail(email: { text: string; html?: string | null; secrets?: string[] }): StoredEmail {
  const secrets = [...new Set((email.secrets ?? []).filter(Boolean))].sort((a, b) => b.length - a.length);
  const seal = (s: string) => secrets.reduce((out, secret, i) => out.replaceAll(secret, `${OPEN}${i}${CLOSE}`), s.replace(/[\uE000\uE001]/g, ""));
  return { text: seal(email.text), html: email.html == null ? null : seal(email.html), secrets };
}

/**
 * A stored email's text and html, for `reveal: true` (the recipient: delivery and
 * the development mailbox) with its private links, otherwise with REDACTED_LINK.
 * A link that is no longer kept (delivered) is shown as removed either way.
 */
export function renderEmail(email: StoredEmail, opts: { reveal: boolean }): { text: string; html: string | null } {
  const put = (s: string) =>
    s.replace(MARKER, (_m, i: string) => {
      const secret = email.secrets[Number(i)];
      if (!secret) return "[private link: removed after delivery]";
      return opts.reveal ? secret : REDACTED_LINK;
    });
  return { text: put(email.text), html: email.html === null ? null : put(email.html) };
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
    const sealed = sealEmail(email);
    return tx.emailMessage.create({
      data: {
        to: email.to,
        subject: email.subject,
        text: sealed.text,
        html: sealed.html,
        secrets: sealed.secrets,
        transport: this.transport,
        status: this.resend ? "QUEUED" : "SENT",
        sentAt: this.resend ? null : new Date(),
      },
      select: { id: true },
    });
  }

  /** Hands one queued message (its private links put back) to Resend; returns what to record. */
  async deliver(email: { to: string; subject: string; text: string; html?: string | null }): Promise<{ ok: true; providerId: string | null } | { ok: false; error: string }> {
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
