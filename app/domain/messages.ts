// School messages: who an audience is in words, who honours which preference, and
// the email itself in the school's colours. Pure: the queries and the sending live
// in app/models/messages.server.ts.
import { brandFor } from "../../tenants/branding";

export type MessageAudienceKind = "LESSON" | "TEACHER" | "LOCATION" | "SCHOOL";

export const AUDIENCE_LABEL: Record<MessageAudienceKind, string> = {
  LESSON: "The families of a lesson",
  TEACHER: "A teacher’s families",
  LOCATION: "The families of a location",
  SCHOOL: "The whole school",
};

/**
 * Whether the "school messages" preference applies. A message to the families of
 * one lesson is about that lesson (a room change, what to bring) and is always sent,
 * like cancellations and moves; broader messages (a teacher's families, a location,
 * the whole school) are newsletters a family may turn off.
 */
export function honoursMessagePreference(kind: MessageAudienceKind): boolean {
  return kind !== "LESSON";
}

/** What the history and the email say the audience was. */
export function audienceLabel(kind: MessageAudienceKind, name: string | null): string {
  switch (kind) {
    case "LESSON":
      return `Families of ${name}`;
    case "TEACHER":
      return `Families taught by ${name}`;
    case "LOCATION":
      return `Families at ${name}`;
    case "SCHOOL":
      return "The whole school";
  }
}

/** Addresses once each, lower-case, in first-seen order; addresses that can never receive mail are dropped. */
export function uniqueRecipients(addresses: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const a of addresses) {
    const email = a.trim().toLowerCase();
    if (email && !email.endsWith(".invalid")) out.add(email);
  }
  return [...out];
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

export interface MessageEmailInput {
  school: { name: string; brandColor: string | null; logoUrl: string | null; email: string };
  senderName: string;
  audienceLabel: string;
  subject: string;
  body: string;
  /** Where a family turns general messages off; shown only when the preference applies. */
  preferencesUrl: string | null;
}

/**
 * The email of one school message: plain text, and HTML with the school's name (and
 * logo) on its brand colour. The body is the sender's text, escaped, its blank lines
 * kept as paragraphs and its line breaks as breaks.
 */
export function messageEmail(input: MessageEmailInput): { subject: string; text: string; html: string } {
  const brand = brandFor(input.school.brandColor);
  const footer = `Sent by ${input.senderName} of ${input.school.name} to: ${input.audienceLabel}. Reply to ${input.school.email}.`;
  const optOut = input.preferencesUrl ? `To stop general messages from the school, change your email settings: ${input.preferencesUrl}` : null;
  const text = [input.body.trim(), "", "—", footer, ...(optOut ? [optOut] : [])].join("\n");
  const paragraphs = input.body
    .trim()
    .split(/\n\s*\n/)
    .map((p) => `<p style="margin:0 0 1em">${escapeHtml(p).replace(/\r?\n/g, "<br>")}</p>`)
    .join("");
  const logo = input.school.logoUrl
    ? `<img src="${escapeHtml(input.school.logoUrl)}" alt="" height="32" style="height:32px;vertical-align:middle;margin-right:8px">`
    : "";
  const html =
    `<div style="font-family:system-ui,sans-serif;max-width:600px;margin:0 auto;color:#111">` +
    `<div style="background:${brand.color};color:${brand.onColor};padding:12px 16px;font-weight:600;font-size:18px">${logo}${escapeHtml(input.school.name)}</div>` +
    `<div style="padding:16px">` +
    `<h1 style="font-size:20px;margin:0 0 12px;color:${brand.ink}">${escapeHtml(input.subject)}</h1>` +
    paragraphs +
    `</div>` +
    `<div style="border-top:1px solid #ddd;padding:12px 16px;font-size:13px;color:#555">` +
    `<p style="margin:0 0 6px">${escapeHtml(footer)}</p>` +
    (input.preferencesUrl ? `<p style="margin:0"><a href="${escapeHtml(input.preferencesUrl)}" style="color:${brand.ink}">Change your email settings</a> to stop general messages from the school.</p>` : "") +
    `</div></div>`;
  return { subject: `${input.subject} — ${input.school.name}`, text, html };
}
