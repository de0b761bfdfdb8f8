// Compose a school message and see the ones sent: used by the admin's
// /admin/messages and the teacher's /teach/messages (only their lessons offered).
import { Form, useNavigation } from "@remix-run/react";
import { useId } from "react";
import { describedByIds, FieldFrame, FormError } from "~/components/form";
import { BODY_MAX, SUBJECT_MAX, type ComposeResult } from "~/models/message-form";
import { useFormat } from "~/utils/format";

export interface AudienceGroups {
  lessons: { value: string; label: string }[];
  teachers: { value: string; label: string }[];
  locations: { value: string; label: string }[];
  school: boolean;
}

export function MessageCompose({ groups, result, defaultTo }: { groups: AudienceGroups; result: ComposeResult | undefined; defaultTo?: string }) {
  const busy = useNavigation().state === "submitting";
  const id = useId();
  const errors = result?.errors ?? {};
  const values = result && !result.ok ? result.values : {};
  const field = (name: string) => `${id}-${name}`;
  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>New message</h2>
      {result?.ok ? (
        <p className="notice" role="status">
          {result.message}
        </p>
      ) : null}
      {/* A new key after each success empties the form. */}
      <Form method="post" noValidate key={result?.ok ? result.message : "compose"} className="stack">
        <input type="hidden" name="intent" value="send" />
        <FormError message={errors.form ?? (result && !result.ok ? "Please correct the fields marked below." : null)} />
        <FieldFrame id={field("to")} label="To" error={errors.to} hint="Guardians, family contacts and students with their own login; each address once.">
          <select id={field("to")} name="to" defaultValue={values.to ?? defaultTo ?? ""} aria-invalid={errors.to ? true : undefined} aria-describedby={describedByIds(field("to"), true, errors.to)}>
            <option value="">Choose who it is for…</option>
            {groups.school ? <option value="SCHOOL">The whole school</option> : null}
            {groups.lessons.length ? (
              <optgroup label="Families of a lesson">
                {groups.lessons.map((o) => (
                  <option key={o.value} value={`LESSON:${o.value}`}>
                    {o.label}
                  </option>
                ))}
              </optgroup>
            ) : null}
            {groups.teachers.length ? (
              <optgroup label="Families of a teacher">
                {groups.teachers.map((o) => (
                  <option key={o.value} value={`TEACHER:${o.value}`}>
                    {o.label}
                  </option>
                ))}
              </optgroup>
            ) : null}
            {groups.locations.length ? (
              <optgroup label="Families at a location">
                {groups.locations.map((o) => (
                  <option key={o.value} value={`LOCATION:${o.value}`}>
                    {o.label}
                  </option>
                ))}
              </optgroup>
            ) : null}
          </select>
        </FieldFrame>
        <FieldFrame id={field("subject")} label="Subject" error={errors.subject}>
          <input id={field("subject")} name="subject" defaultValue={values.subject ?? ""} maxLength={SUBJECT_MAX} autoComplete="off" aria-invalid={errors.subject ? true : undefined} aria-describedby={describedByIds(field("subject"), null, errors.subject)} />
        </FieldFrame>
        <FieldFrame id={field("body")} label="Message" error={errors.body} hint="Sent in the school’s colours, with your name. A message about one lesson reaches every family of it; wider messages skip families who turned school messages off.">
          <textarea id={field("body")} name="body" rows={8} defaultValue={values.body ?? ""} maxLength={BODY_MAX} aria-invalid={errors.body ? true : undefined} aria-describedby={describedByIds(field("body"), true, errors.body)} />
        </FieldFrame>
        <button className="button" disabled={busy}>
          {busy ? "Sending…" : "Send message"}
        </button>
      </Form>
    </section>
  );
}

export interface SentMessage {
  id: string;
  audienceLabel: string;
  subject: string;
  body: string;
  recipientCount: number;
  createdAt: string | Date;
  sentBy: { firstName: string; lastName: string };
}

export function MessageHistory({ messages, timeZone, showSender }: { messages: SentMessage[]; timeZone: string; showSender: boolean }) {
  const fmt = useFormat();
  return (
    <section className="card" aria-labelledby="history-heading">
      <h2 id="history-heading">Sent</h2>
      {messages.length === 0 ? (
        <p className="muted">No messages sent yet.</p>
      ) : (
        <ul className="message-list">
          {messages.map((m) => (
            <li key={m.id}>
              <details>
                <summary>
                  <strong>{m.subject}</strong>
                  <span className="muted">
                    {" "}
                    · {m.audienceLabel} · {m.recipientCount} {m.recipientCount === 1 ? "recipient" : "recipients"} · {fmt.dateTime(m.createdAt)}
                    {showSender ? ` · ${m.sentBy.firstName} ${m.sentBy.lastName}` : ""}
                  </span>
                </summary>
                <p className="message-body">{m.body}</p>
              </details>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
