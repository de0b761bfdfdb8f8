// The admin's forms on a request for individual lessons (schedule it, decline it), and
// the trial-lesson setting, kept pure so they can be unit-tested.
import { z } from "zod";
import { isValidLocalDate, isValidTime } from "../domain/time";
import type { FieldErrors } from "../utils/forms";
import { parsePlace, type Place } from "./lesson-form";
import { childCount, entry, parseEnrollmentForm, type FormEntries } from "./online-enrollment-form";

const text = (message: string) => z.string({ required_error: message }).trim().min(1, message);

export const scheduleRequestForm = z
  .object({
    teacherId: text("Choose a teacher."),
    firstDate: text("Enter the date of the first lesson.").refine(isValidLocalDate, "Enter the first date as a date, like 2026-12-07."),
    startTime: text("Enter the time of the lesson.").refine(isValidTime, "Enter the time like 16:30."),
    duration: text("Choose a lesson length.").pipe(z.coerce.number({ invalid_type_error: "Choose a lesson length." }).int("Choose a lesson length.").min(5, "A lesson lasts at least 5 minutes.").max(240, "A lesson lasts at most 4 hours.")),
    place: text("Choose a room, or “Online”."),
    termId: z.string().trim().optional().default(""),
  })
  .transform((f, ctx) => {
    const place = parsePlace(f.place);
    if (!place) {
      ctx.addIssue({ code: "custom", path: ["place"], message: "Choose a room, or “Online”." });
      return z.NEVER;
    }
    return { teacherId: f.teacherId, firstDate: f.firstDate, startTime: f.startTime, durationMinutes: f.duration, place: place as Place, termId: f.termId || null };
  });

export const declineRequestForm = z.object({
  message: text("Write the family a short message: why, and what they could do instead.").pipe(z.string().max(2000, "Keep the message under 2,000 characters.")),
});

/** /admin/settings/enrollment: may new families book a trial lesson, and how long is it. */
export const trialSettingForm = z
  .object({
    trialEnabled: z.string().optional(),
    trialMinutes: z.string().trim().optional().default(""),
  })
  .transform((f, ctx) => {
    if (!f.trialEnabled) return { trialLessonMinutes: null as number | null };
    const minutes = Number(f.trialMinutes);
    if (!f.trialMinutes || !Number.isInteger(minutes) || minutes < 10 || minutes > 120) {
      ctx.addIssue({ code: "custom", path: ["trialMinutes"], message: "Enter the trial lesson's length in minutes, from 10 to 120." });
      return z.NEVER;
    }
    return { trialLessonMinutes: minutes as number | null };
  });

/** The trial-lesson booking form: the enrollment form's contacts and one child, an instrument and a time. */
export function parseTrialForm(values: FormEntries, opts: { instruments: readonly string[]; today: string; slots: readonly string[] }) {
  const base = parseEnrollmentForm(values, { instruments: opts.instruments, programs: [], today: opts.today, programOptional: true });
  const errors: FieldErrors = base.ok ? {} : { ...base.errors };
  const instrument = entry(values, "instrument").trim();
  if (!opts.instruments.includes(instrument)) errors.instrument = "Choose an instrument from the list.";
  const slot = entry(values, "slot").trim();
  const [teacherId, iso] = slot.split("|");
  const start = iso ? new Date(iso) : null;
  if (!slot) errors.slot = "Choose a time for the trial lesson.";
  else if (!teacherId || !start || Number.isNaN(start.getTime()) || !opts.slots.includes(slot)) errors.slot = "That time is no longer free. Please choose another one.";
  if (childCount(values) !== 1 || (base.ok && base.data.children.length !== 1)) errors.children = "Book a trial lesson for one child at a time.";
  if (!base.ok || Object.keys(errors).length) return { ok: false as const, errors };
  const child = base.data.children[0]!;
  return {
    ok: true as const,
    data: {
      enrollment: { ...base.data, children: [{ ...child, program: null, instruments: [...new Set([instrument, ...child.instruments])], request: null }] },
      instrument,
      teacherId: teacherId!,
      start: start!,
    },
  };
}
