// The lesson pages' form input and wording, kept pure (no database, no Remix) so
// they can be unit-tested: the "new lesson series" form, the attendance form, and
// the sentences the pages show (schedule summaries, outcome notices).
import { z } from "zod";
import { DATE_WITH_YEAR, type Formatter } from "../domain/locale";
import {
  formatMinutes,
  isValidLocalDate,
  toLocalParts,
  tryParseTime,
  WEEKDAY_NAMES,
  type LocalDate,
} from "../domain/time";

export const LESSON_TYPES = ["GROUP", "INDIVIDUAL", "HYBRID", "BAND_REHEARSAL", "ENSEMBLE"] as const;
export type LessonTypeValue = (typeof LESSON_TYPES)[number];
export const LESSON_TYPE_LABEL: Record<LessonTypeValue, string> = {
  GROUP: "Group class",
  INDIVIDUAL: "Individual (1-on-1)",
  HYBRID: "Hybrid (group + 1-on-1 weeks)",
  BAND_REHEARSAL: "Band rehearsal",
  ENSEMBLE: "Ensemble",
};

export const RECURRENCES = ["ONCE", "WEEKLY", "BIWEEKLY", "MONTHLY", "CUSTOM"] as const;
export type RecurrenceValue = (typeof RECURRENCES)[number];
export const RECURRENCE_LABEL: Record<RecurrenceValue, string> = {
  ONCE: "Once",
  WEEKLY: "Every week",
  BIWEEKLY: "Every other week",
  MONTHLY: "Every month (same day of the month)",
  CUSTOM: "On dates I choose",
};

export const LESSON_STATUS_LABEL: Record<string, string> = {
  SCHEDULED: "Scheduled",
  IN_PROGRESS: "In progress",
  COMPLETED: "Completed",
  CANCELLED: "Cancelled",
  CANCELLED_BY_TEACHER: "Cancelled by the teacher",
};

export const ENROLLMENT_STATUS_LABEL: Record<string, string> = {
  ACTIVE: "Enrolled",
  PENDING: "Waiting for approval",
  WAITLISTED: "Waitlist",
  UNENROLLED: "Unenrolled",
  DROPPED: "Dropped",
  COMPLETED: "Completed",
  REJECTED: "Rejected",
};

// ---------------------------------------------------------------------------
// The "new lesson series" form
// ---------------------------------------------------------------------------

const trimmed = z
  .string()
  .optional()
  .transform((v) => (v ?? "").trim());

const localDate = (message: string) =>
  z
    .string({ required_error: message })
    .trim()
    .refine((v) => isValidLocalDate(v), message);

/** Splits a list of dates typed or pasted (commas, spaces or new lines). */
export function splitDates(value: string): string[] {
  return value
    .split(/[\s,;]+/)
    .map((d) => d.trim())
    .filter(Boolean);
}

/** Where the lesson happens, as the form's single "Where" menu encodes it. */
export type Place = { kind: "online" } | { kind: "room"; roomId: string } | { kind: "location"; locationId: string };

export function parsePlace(value: string): Place | null {
  if (value === "online") return { kind: "online" };
  const [kind, id] = value.split(":", 2);
  if (!id) return null;
  if (kind === "room") return { kind: "room", roomId: id };
  if (kind === "location") return { kind: "location", locationId: id };
  return null;
}

export interface LessonFormOptions {
  /** The school's instrument list; when given, the instrument must be one of them. */
  instruments?: readonly string[];
}

/**
 * The form as typed → a checked series description. Messages name the field in
 * words a school administrator uses. Cross-field rules (the end after the start,
 * custom dates, the online link) are reported on the field to fix.
 */
export function lessonFormSchema(options: LessonFormOptions = {}) {
  return z
    .object({
      title: z
        .string({ required_error: "Enter a title, like “Piano Foundation 1”." })
        .trim()
        .min(1, "Enter a title, like “Piano Foundation 1”.")
        .max(120, "Keep the title under 120 characters."),
      description: trimmed.pipe(z.string().max(2000, "Keep the description under 2,000 characters.")),
      type: z.enum(LESSON_TYPES, { errorMap: () => ({ message: "Choose the kind of lesson." }) }),
      instrument: trimmed,
      instructorId: z.string({ required_error: "Choose a teacher." }).trim().min(1, "Choose a teacher."),
      place: z.string({ required_error: "Choose a room, or “Online”." }).trim().min(1, "Choose a room, or “Online”."),
      onlineUrl: trimmed,
      firstDate: localDate("Enter the date of the first lesson (yyyy-mm-dd)."),
      startTime: z
        .string({ required_error: "Enter the start time, like 16:00." })
        .trim()
        .refine((v) => {
          const m = tryParseTime(v);
          return m !== null && m < 24 * 60;
        }, "Enter the start time, like 16:00."),
      duration: z.string({ required_error: "Choose how long the lesson lasts." }).trim().min(1, "Choose how long the lesson lasts."),
      customMinutes: trimmed,
      recurrence: z.enum(RECURRENCES, { errorMap: () => ({ message: "Choose how often the lesson meets." }) }),
      customDates: trimmed,
      end: z.enum(["date", "term", "none"], { errorMap: () => ({ message: "Choose when the series ends." }) }).default("none"),
      endDate: trimmed,
      termId: trimmed,
      maxStudents: trimmed,
      price: trimmed,
    })
    .transform((f, ctx) => {
      const issue = (path: string, message: string) => {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
        return z.NEVER;
      };
      // Where
      const place = parsePlace(f.place);
      if (!place) return issue("place", "Choose a room, or “Online”.");
      let onlineUrl: string | null = null;
      if (place.kind === "online") {
        if (!f.onlineUrl) return issue("onlineUrl", "Enter the link families use to join, like https://meet.example.com/piano.");
        // A link is one piece of text: a space, tab or line break inside it is a
        // mistake (or an attempt to write into the calendar feeds), not part of it.
        // eslint-disable-next-line no-control-regex
        if (/[\s\u0000-\u001F\u007F]/.test(f.onlineUrl)) return issue("onlineUrl", "A link has no spaces or line breaks. Paste just the link, like https://meet.example.com/piano.");
        let url: URL | null = null;
        try {
          url = new URL(f.onlineUrl);
        } catch {
          url = null;
        }
        if (!url || !/^https?:$/.test(url.protocol)) return issue("onlineUrl", "Enter a full link that starts with https://.");
        if (url.href.length > 500) return issue("onlineUrl", "That link is too long.");
        onlineUrl = url.href;
      }
      // Instrument
      let instrument: string | null = f.instrument || null;
      if (instrument && options.instruments && !options.instruments.includes(instrument)) {
        return issue("instrument", "Choose an instrument from the school’s list.");
      }
      // Length
      let durationMinutes: number;
      if (f.duration === "custom") {
        if (!/^\d+$/.test(f.customMinutes)) return issue("customMinutes", "Enter the length in whole minutes, like 40.");
        durationMinutes = Number(f.customMinutes);
      } else {
        if (!/^\d+$/.test(f.duration)) return issue("duration", "Choose how long the lesson lasts.");
        durationMinutes = Number(f.duration);
      }
      if (durationMinutes < 5 || durationMinutes > 600) {
        return issue(f.duration === "custom" ? "customMinutes" : "duration", "A lesson lasts between 5 minutes and 10 hours.");
      }
      if ((tryParseTime(f.startTime) ?? 0) + durationMinutes > 24 * 60) {
        return issue(f.duration === "custom" ? "customMinutes" : "duration", "The lesson must end by midnight.");
      }
      // Dates
      let customDates: string[] = [];
      if (f.recurrence === "CUSTOM") {
        customDates = [...new Set(splitDates(f.customDates))];
        const bad = customDates.find((d) => !isValidLocalDate(d));
        if (bad) return issue("customDates", `“${bad}” is not a date. Write dates as yyyy-mm-dd, one per line.`);
        if (customDates.length === 0) return issue("customDates", "Enter the other dates of the series, one per line (yyyy-mm-dd).");
        const early = customDates.find((d) => d < f.firstDate);
        if (early) return issue("customDates", `${early} is before the first lesson (${f.firstDate}). Start the series on the earliest date.`);
        if (customDates.length > 200) return issue("customDates", "Enter at most 200 dates.");
        customDates.sort();
      }
      let endDate: string | null = null;
      let termId: string | null = null;
      if (f.recurrence !== "ONCE") {
        if (f.end === "date") {
          if (!isValidLocalDate(f.endDate)) return issue("endDate", "Enter the date of the last lesson (yyyy-mm-dd).");
          if (f.endDate < f.firstDate) return issue("endDate", "The last date must be on or after the first lesson.");
          endDate = f.endDate;
        } else if (f.end === "term") {
          if (!f.termId) return issue("termId", "Choose the term the series runs until.");
          termId = f.termId;
        }
      }
      // Seats and price
      let maxStudents: number | null = null;
      if (f.maxStudents) {
        if (!/^\d+$/.test(f.maxStudents) || Number(f.maxStudents) < 1) return issue("maxStudents", "Enter the number of students, like 8 (or leave it empty for no limit).");
        maxStudents = Number(f.maxStudents);
        if (maxStudents > 500) return issue("maxStudents", "A class holds at most 500 students.");
      } else if (f.type === "INDIVIDUAL") {
        maxStudents = 1;
      }
      if (f.type === "INDIVIDUAL" && maxStudents !== 1) return issue("maxStudents", "An individual lesson has exactly 1 student.");
      let pricePerStudent: string | null = null;
      if (f.price) {
        const normalized = f.price.replace(/^[$€£]\s*/, "").replace(/,/g, "");
        if (!/^\d{1,8}(\.\d{1,2})?$/.test(normalized)) return issue("price", "Enter a price like 240 or 240.00.");
        pricePerStudent = Number(normalized).toFixed(2);
      }
      instrument = instrument ?? null;
      return {
        title: f.title,
        description: f.description || null,
        type: f.type,
        instrument,
        instructorId: f.instructorId,
        place,
        onlineUrl,
        firstDate: f.firstDate,
        startTime: f.startTime.padStart(5, "0"),
        durationMinutes,
        recurrence: f.recurrence,
        customDates,
        endDate,
        termId,
        maxStudents,
        pricePerStudent,
      };
    });
}

export type LessonForm = z.output<ReturnType<typeof lessonFormSchema>>;

// ---------------------------------------------------------------------------
// The attendance form
// ---------------------------------------------------------------------------

export interface AttendanceFormData {
  occurrenceId: string;
  entries: { studentId: string; present: boolean; absenceReason: string | null; notes: string | null }[];
  notes: string | null;
}

const LIMIT = 2000;

/**
 * Reads the attendance form: `studentId` once per student, `present-<id>` =
 * "present" | "absent", `reason-<id>`, `note-<id>`, and the lesson `notes`.
 * A student without an answer counts as present (the default the form shows).
 */
export function parseAttendanceForm(formData: FormData): { ok: true; data: AttendanceFormData } | { ok: false; message: string } {
  const text = (key: string) => {
    const v = formData.get(key);
    return typeof v === "string" ? v.trim() : "";
  };
  const occurrenceId = text("occurrenceId");
  if (!occurrenceId) return { ok: false, message: "This form does not name a lesson. Reload the page and try again." };
  const ids = [...new Set(formData.getAll("studentId").filter((v): v is string => typeof v === "string" && v.length > 0))];
  const entries: AttendanceFormData["entries"] = [];
  for (const id of ids) {
    const answer = text(`present-${id}`) || "present";
    if (answer !== "present" && answer !== "absent") return { ok: false, message: "Mark each student present or absent." };
    const reason = text(`reason-${id}`);
    const note = text(`note-${id}`);
    if (reason.length > 200) return { ok: false, message: "Keep each absence reason under 200 characters." };
    if (note.length > LIMIT) return { ok: false, message: "Keep each student note under 2,000 characters." };
    entries.push({ studentId: id, present: answer === "present", absenceReason: answer === "absent" ? reason || null : null, notes: note || null });
  }
  const notes = text("notes");
  if (notes.length > 5000) return { ok: false, message: "Keep the lesson notes under 5,000 characters." };
  return { ok: true, data: { occurrenceId, entries, notes: notes || null } };
}

/** "Saved: 5 present, 1 absent. The family of the absent student was emailed." */
export function attendanceSavedMessage(entries: readonly { present: boolean }[], absentNotified: number) {
  const present = entries.filter((e) => e.present).length;
  const absent = entries.length - present;
  const base = entries.length ? `Saved: ${present} present, ${absent} absent.` : "Lesson notes saved.";
  if (!absentNotified) return base;
  return `${base} ${absentNotified === 1 ? "The family of the absent student was" : `The families of ${absentNotified} absent students were`} emailed.`;
}

// ---------------------------------------------------------------------------
// Sentences
// ---------------------------------------------------------------------------

function ordinal(n: number) {
  const s = n % 100 >= 11 && n % 100 <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th";
  return `${n}${s}`;
}

/** "45 min", "1 h", "1 h 30 min" */
export function formatDuration(minutes: number) {
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

/**
 * "Tuesdays 16:00, 45 min" (en-GB), "Tuesdays 4:00 PM, 45 min" (en-US): the
 * series' rhythm from its first start, read in the school's zone and written in
 * its locale. `length: false` leaves the lesson's length out (public pages).
 */
export function scheduleSummary(
  lesson: { recurrence: string; startTime: Date | string; duration?: number; customDates?: readonly string[] },
  fmt: Formatter,
  opts: { length?: boolean } = {},
) {
  const start = toLocalParts(new Date(lesson.startTime), fmt.timeZone);
  const time = fmt.wallTime(formatMinutes(start.minutes));
  const day = WEEKDAY_NAMES[start.weekday];
  const length = opts.length !== false && lesson.duration ? `, ${formatDuration(lesson.duration)}` : "";
  switch (lesson.recurrence) {
    case "WEEKLY":
      return `${day}s ${time}${length}`;
    case "BIWEEKLY":
      return `Every other ${day} ${time}${length}`;
    case "MONTHLY":
      return `Monthly on the ${ordinal(Number(start.date.slice(8, 10)))} ${time}${length}`;
    case "CUSTOM": {
      const n = new Set([start.date, ...(lesson.customDates ?? [])]).size;
      return `${n} chosen dates, ${time}${length}`;
    }
    default:
      return `Once, ${fmt.day(start.date, { weekday: "short", day: "numeric", month: "short", year: "numeric" })}, ${time}${length}`;
  }
}

/**
 * Why dates of a series were dropped (closures, outside the terms), worded like
 * the clash messages: "Main Studio is closed on 8 Jun 2027 (Floor polishing)".
 */
export function describeSkippedDates(
  skipped: readonly { localDate: LocalDate; reason: "CLOSURE" | "OUTSIDE_TERM"; closure?: { name: string; locationId: string | null } }[],
  locationName: string | null | undefined,
  fmt: Formatter,
): string[] {
  const long = (d: LocalDate) => fmt.day(d, DATE_WITH_YEAR);
  const out: string[] = [];
  const outside = skipped.filter((s) => s.reason === "OUTSIDE_TERM").map((s) => s.localDate);
  for (const s of skipped) {
    if (s.reason !== "CLOSURE" || !s.closure) continue;
    const who = s.closure.locationId === null ? "The school" : (locationName ?? "This location");
    out.push(`${who} is closed on ${long(s.localDate)} (${s.closure.name})`);
  }
  if (outside.length === 1) out.push(`${long(outside[0]!)} is outside the school’s terms`);
  else if (outside.length > 1) out.push(`${outside.length} dates are outside the school’s terms (${long(outside[0]!)} – ${long(outside.at(-1)!)})`);
  return out;
}

/** "Created 15 lessons from Tue 8 Sep 2026 to Tue 15 Dec 2026." */
export function createdNotice(count: number, first: LocalDate, last: LocalDate, fmt: Formatter) {
  const day = (d: LocalDate) => fmt.day(d, { year: "numeric" });
  if (count === 1) return `Created 1 lesson on ${day(first)}.`;
  return `Created ${count} lessons from ${day(first)} to ${day(last)}.`;
}

/** What the admin reads after enrolling a student. */
export function enrollmentOutcomeMessage(outcome: "ACTIVE" | "PENDING" | "WAITLISTED" | "FULL", studentName: string, lessonTitle: string, position?: number | null) {
  switch (outcome) {
    case "ACTIVE":
      return `${studentName} is enrolled in ${lessonTitle}.`;
    case "PENDING":
      return `${studentName}’s enrollment in ${lessonTitle} is pending approval.`;
    case "WAITLISTED":
      return `The class is full — added to the waitlist${position ? ` (position ${position})` : ""}.`;
    case "FULL":
      return `The class is full — ${studentName} was not enrolled (the waitlist was not chosen).`;
  }
}


/** The attendance rate as a percentage, or an em dash when nothing is recorded. */
export function formatRate(rate: number | null | undefined) {
  return rate === null || rate === undefined ? "—" : `${Math.round(rate * 100)}%`;
}
