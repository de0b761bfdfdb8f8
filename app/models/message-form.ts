// The message form (admin and teacher pages): one "To" choice encoded as
// `KIND:id` (or `SCHOOL`), a subject and a body. Pure, so it is unit-tested.
import { z } from "zod";
import type { MessageAudienceKind } from "../domain/messages";

export const SUBJECT_MAX = 150;
export const BODY_MAX = 10_000;

/** What the send action answers the compose form: the sentence on success, or the errors and what was typed. */
export interface ComposeResult {
  ok: boolean;
  message: string | null;
  errors: Record<string, string>;
  values: Record<string, string>;
}

const KINDS = ["LESSON", "TEACHER", "LOCATION", "SCHOOL"] as const;

/** `LESSON:abc` → { kind, id }; null when it is not a choice the form offers. */
export function parseAudience(value: string): { kind: MessageAudienceKind; id: string | null } | null {
  if (value === "SCHOOL") return { kind: "SCHOOL", id: null };
  const m = /^(LESSON|TEACHER|LOCATION):([A-Za-z0-9_-]{1,64})$/.exec(value);
  if (!m || !(KINDS as readonly string[]).includes(m[1]!)) return null;
  return { kind: m[1] as MessageAudienceKind, id: m[2]! };
}

export function audienceValue(kind: MessageAudienceKind, id: string | null): string {
  return kind === "SCHOOL" ? "SCHOOL" : `${kind}:${id}`;
}

export const messageSchema = z.object({
  to: z
    .string({ required_error: "Choose who the message is for." })
    .trim()
    .min(1, "Choose who the message is for.")
    .transform((v, ctx) => {
      const audience = parseAudience(v);
      if (!audience) {
        ctx.addIssue({ code: "custom", message: "Choose who the message is for from the list." });
        return z.NEVER;
      }
      return audience;
    }),
  subject: z
    .string({ required_error: "Write a subject." })
    .trim()
    .min(1, "Write a subject.")
    .max(SUBJECT_MAX, `Keep the subject under ${SUBJECT_MAX} characters.`)
    .refine((v) => !/[\r\n]/.test(v), "Write the subject on one line."),
  body: z
    .string({ required_error: "Write the message." })
    .trim()
    .min(1, "Write the message.")
    .max(BODY_MAX, `Keep the message under ${BODY_MAX.toLocaleString("en")} characters.`),
});

export const familyNoteSchema = z.object({
  occurrenceId: z.string({ required_error: "This form belongs to another lesson. Reload the page." }).min(1).max(64),
  familyNote: z
    .string()
    .trim()
    .max(2000, "Keep the note for families under 2,000 characters.")
    .optional()
    .transform((v) => (v ? v : null)),
});
