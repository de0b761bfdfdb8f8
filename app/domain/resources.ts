// Learning resources: what a file may be, when a resource is open, who it is for and
// who may see it. Pure rules, no framework: the models (app/models/resources.server.ts)
// and the file route apply them, the unit tests pin them down.
//
// Visibility follows the seed's `ResourceVisibility`:
// - PRIVATE: the chosen students only (the resource's audience); with nobody chosen,
//   staff only (a draft, or a teacher's own note);
// - LESSON_GROUP: everyone actively enrolled in the resource's lesson;
// - PUBLIC_SCHOOL: every student of the school.
// Staff (admins; the teacher who shared it or teaches its lesson) see a resource at
// any time. Students and guardians see it only between its release and its expiry.
import { localDateTimeToUtc, isValidLocalDate, isValidTime, toLocalDate, formatLocalTime, type LocalDate } from "./time";

export const RESOURCE_TYPES = ["MUSIC_SCORE", "BACKING_TRACK", "METRONOME_CLICK", "EXAMPLE_RECORDING", "PRACTICE_GUIDE", "LESSON_NOTE", "OTHER"] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export const VISIBILITIES = ["PRIVATE", "LESSON_GROUP", "PUBLIC_SCHOOL"] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const TYPE_LABELS: Record<ResourceType, string> = {
  MUSIC_SCORE: "Score",
  BACKING_TRACK: "Backing track",
  METRONOME_CLICK: "Metronome click",
  EXAMPLE_RECORDING: "Example recording",
  PRACTICE_GUIDE: "Practice guide",
  LESSON_NOTE: "Lesson notes",
  OTHER: "Other",
};

export const VISIBILITY_LABELS: Record<Visibility, string> = {
  PRIVATE: "Chosen students",
  LESSON_GROUP: "Everyone in a lesson",
  PUBLIC_SCHOOL: "The whole school",
};

// ---- files --------------------------------------------------------------------------

/** The file types a resource may hold, by what their bytes say they are. */
export const FILE_TYPES = {
  "application/pdf": { ext: "pdf", kind: "pdf", label: "PDF" },
  "audio/mpeg": { ext: "mp3", kind: "audio", label: "MP3" },
  "audio/mp4": { ext: "m4a", kind: "audio", label: "M4A" },
  "audio/wav": { ext: "wav", kind: "audio", label: "WAV" },
  "audio/ogg": { ext: "ogg", kind: "audio", label: "OGG" },
  "video/mp4": { ext: "mp4", kind: "video", label: "MP4 video" },
} as const;
export type FileMime = keyof typeof FILE_TYPES;
export type FileKind = (typeof FILE_TYPES)[FileMime]["kind"];

const MB = 1_000_000;

/** What each type of resource may be uploaded as, and how large. */
export const FILE_RULES: Record<ResourceType, { kinds: readonly FileKind[]; maxBytes: number }> = {
  MUSIC_SCORE: { kinds: ["pdf"], maxBytes: 10 * MB },
  BACKING_TRACK: { kinds: ["audio"], maxBytes: 20 * MB },
  METRONOME_CLICK: { kinds: ["audio"], maxBytes: 20 * MB },
  EXAMPLE_RECORDING: { kinds: ["audio", "video"], maxBytes: 40 * MB },
  PRACTICE_GUIDE: { kinds: ["pdf"], maxBytes: 10 * MB },
  LESSON_NOTE: { kinds: ["pdf"], maxBytes: 10 * MB },
  OTHER: { kinds: ["pdf", "audio"], maxBytes: 20 * MB },
};

/** The largest file any resource may be: the upload routes' body limit sits just above it. */
export const MAX_RESOURCE_FILE_BYTES = Math.max(...Object.values(FILE_RULES).map((r) => r.maxBytes));

const KIND_WORDS: Record<FileKind, string> = { pdf: "a PDF", audio: "an audio file (MP3, M4A, WAV or OGG)", video: "an MP4 video" };

/** What the first bytes say the file is (the name and the browser's claim are ignored). */
export function sniffResourceFile(bytes: Uint8Array): FileMime | null {
  const b = bytes;
  const at = (offset: number, ...sig: number[]) => b.length >= offset + sig.length && sig.every((v, i) => b[offset + i] === v);
  const ascii = (offset: number, text: string) => at(offset, ...[...text].map((c) => c.charCodeAt(0)));
  if (ascii(0, "%PDF-")) return "application/pdf";
  if (ascii(0, "RIFF") && ascii(8, "WAVE")) return "audio/wav";
  if (ascii(0, "OggS")) return "audio/ogg";
  if (ascii(0, "ID3")) return "audio/mpeg";
  // An MPEG audio frame header: 11 sync bits, then layer bits that are not "reserved".
  if (b.length >= 2 && b[0] === 0xff && (b[1]! & 0xe0) === 0xe0 && (b[1]! & 0x06) !== 0) return "audio/mpeg";
  if (ascii(4, "ftyp")) {
    const brand = String.fromCharCode(...b.subarray(8, 12));
    return brand === "M4A " || brand === "M4B " ? "audio/mp4" : "video/mp4";
  }
  return null;
}

export function formatBytes(bytes: number): string {
  if (bytes >= MB) return `${(bytes / MB).toFixed(1).replace(/\.0$/, "")} MB`;
  if (bytes >= 1000) return `${Math.round(bytes / 1000)} kB`;
  return `${bytes} bytes`;
}

export type FileCheck = { ok: true; mime: FileMime; ext: string; kind: FileKind } | { ok: false; message: string; reason: "empty" | "too-large" | "wrong-type" };

/** Whether `bytes` may be stored as a resource of `type`, with a sentence for people when not. */
export function checkResourceFile(type: ResourceType, bytes: Uint8Array): FileCheck {
  const rule = FILE_RULES[type];
  const allowed = rule.kinds.map((k) => KIND_WORDS[k]).join(" or ");
  if (bytes.byteLength === 0) return { ok: false, reason: "empty", message: "The file is empty. Choose the file again." };
  if (bytes.byteLength > rule.maxBytes) {
    return { ok: false, reason: "too-large", message: `A ${TYPE_LABELS[type].toLowerCase()} may be at most ${formatBytes(rule.maxBytes)}; this file is ${formatBytes(bytes.byteLength)}. Use a smaller file, or share a link instead.` };
  }
  const mime = sniffResourceFile(bytes);
  if (!mime || !rule.kinds.includes(FILE_TYPES[mime].kind)) {
    const what = mime ? `This file is ${KIND_WORDS[FILE_TYPES[mime].kind]}` : "This file is not a PDF, audio file or MP4 video";
    return { ok: false, reason: "wrong-type", message: `${what}; a ${TYPE_LABELS[type].toLowerCase()} must be ${allowed}.` };
  }
  return { ok: true, mime, ext: FILE_TYPES[mime].ext, kind: FILE_TYPES[mime].kind };
}

/** How a stored file is shown: audio plays in the page, PDFs open in the browser. */
export function fileKindOf(mime: string | null | undefined): FileKind | null {
  return mime && mime in FILE_TYPES ? FILE_TYPES[mime as FileMime].kind : null;
}

/** A link resource's address: http(s) only, so no `javascript:` or `data:` reaches a page. */
export function parseLinkUrl(value: string): string | null {
  let v = value.trim();
  if (!v) return null;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(v)) v = `https://${v}`;
  try {
    const url = new URL(v);
    if ((url.protocol !== "https:" && url.protocol !== "http:") || !url.hostname.includes(".") || v.length > 500) return null;
    return url.toString();
  } catch {
    return null;
  }
}

// ---- release and expiry ---------------------------------------------------------------

export type WindowState = "scheduled" | "open" | "expired";

/** Where `now` falls: before the release (scheduled), from the release until the expiry (open), from the expiry on (expired). */
export function windowState(resource: { releasedAt: Date; expiresAt: Date | null }, now: Date): WindowState {
  if (now.getTime() < resource.releasedAt.getTime()) return "scheduled";
  if (resource.expiresAt && now.getTime() >= resource.expiresAt.getTime()) return "expired";
  return "open";
}

export type WindowInput = { releaseDate: string; releaseTime: string; expiryDate: string };
export type WindowParse = { ok: true; releasedAt: Date | null; expiresAt: Date | null } | { ok: false; errors: Record<string, string> };

/**
 * The release and expiry the person chose, read in the school's time zone: a release
 * date with an optional time (00:00 without; no date: at once, `releasedAt` null), and an
 * optional last day (the resource closes at the end of it). The expiry must come after
 * the release.
 */
export function parseWindow(input: WindowInput, zone: string, now: Date): WindowParse {
  const errors: Record<string, string> = {};
  const releaseDate = input.releaseDate.trim();
  const releaseTime = input.releaseTime.trim() || "00:00";
  const expiryDate = input.expiryDate.trim();
  let releasedAt: Date | null = null;
  let expiresAt: Date | null = null;
  if (releaseDate) {
    if (!isValidLocalDate(releaseDate)) errors.releaseDate = "Enter the release date as a date, e.g. 2026-12-01.";
    else if (!isValidTime(releaseTime)) errors.releaseTime = "Enter the release time as hours and minutes, e.g. 16:00.";
    else releasedAt = localDateTimeToUtc(releaseDate, releaseTime, zone);
  } else if (input.releaseTime.trim()) {
    errors.releaseDate = "Choose the day to release it on, or leave the time empty to release it now.";
  }
  if (expiryDate) {
    if (!isValidLocalDate(expiryDate)) errors.expiryDate = "Enter the last day as a date, e.g. 2027-01-31.";
    else expiresAt = endOfLocalDay(expiryDate, zone);
  }
  if (!errors.releaseDate && !errors.releaseTime && !errors.expiryDate && expiresAt) {
    const start = releasedAt ?? now;
    if (expiresAt.getTime() <= start.getTime()) errors.expiryDate = "The last day must come after the release.";
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, releasedAt, expiresAt };
}

function endOfLocalDay(date: LocalDate, zone: string): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return localDateTimeToUtc(next, "00:00", zone);
}

/** The form's values for a stored window, in the school's time zone. */
export function windowFormValues(resource: { releasedAt: Date; expiresAt: Date | null }, zone: string): WindowInput {
  let expiryDate = "";
  if (resource.expiresAt) {
    // The expiry is the end of a local day: show that day.
    expiryDate = toLocalDate(new Date(resource.expiresAt.getTime() - 1), zone);
  }
  return { releaseDate: toLocalDate(resource.releasedAt, zone), releaseTime: formatLocalTime(resource.releasedAt, zone), expiryDate };
}

// ---- audience and access ------------------------------------------------------------

export interface ResourceRules {
  visibility: Visibility;
  lessonId: string | null;
  uploadedById: string;
  releasedAt: Date;
  expiresAt: Date | null;
  /** The chosen students (PRIVATE). */
  audienceStudentIds: readonly string[];
}

/** A student as the rules need them: the lessons they are actively enrolled in. */
export interface StudentInLessons {
  id: string;
  lessonIds: readonly string[];
}

/** Whether the resource is meant for this student (its window aside). */
export function isInAudience(resource: Pick<ResourceRules, "visibility" | "lessonId" | "audienceStudentIds">, student: StudentInLessons): boolean {
  switch (resource.visibility) {
    case "PUBLIC_SCHOOL":
      return true;
    case "LESSON_GROUP":
      return resource.lessonId !== null && student.lessonIds.includes(resource.lessonId);
    case "PRIVATE":
      return resource.audienceStudentIds.includes(student.id);
  }
}

/** The students a resource is for, among `students` (announcements, "who has not opened it"). */
export function resolveAudience(resource: Pick<ResourceRules, "visibility" | "lessonId" | "audienceStudentIds">, students: readonly StudentInLessons[]): string[] {
  return students.filter((s) => isInAudience(resource, s)).map((s) => s.id);
}

export type Viewer =
  | { role: "ADMIN"; userId: string }
  | { role: "TEACHER"; userId: string; lessonIds: readonly string[] }
  /** A parent (their family's students) or a student (themself). */
  | { role: "FAMILY"; userId: string; students: readonly StudentInLessons[] };

export type AccessDecision =
  | { ok: true; staff: true }
  | { ok: true; staff: false; studentIds: string[] }
  | { ok: false; reason: "not-for-you" | "scheduled" | "expired" };

/**
 * Whether `viewer` may see the resource at `now`, and for which of their students.
 * Staff may always see what is theirs to manage; families only inside the window and
 * only for a student in the audience.
 */
export function decideAccess(resource: ResourceRules, viewer: Viewer, now: Date): AccessDecision {
  if (viewer.role === "ADMIN") return { ok: true, staff: true };
  if (viewer.role === "TEACHER") {
    const mine = resource.uploadedById === viewer.userId || (resource.lessonId !== null && viewer.lessonIds.includes(resource.lessonId)) || resource.visibility === "PUBLIC_SCHOOL";
    return mine ? { ok: true, staff: true } : { ok: false, reason: "not-for-you" };
  }
  const studentIds = viewer.students.filter((s) => isInAudience(resource, s)).map((s) => s.id);
  if (!studentIds.length) return { ok: false, reason: "not-for-you" };
  const state = windowState(resource, now);
  if (state !== "open") return { ok: false, reason: state };
  return { ok: true, staff: false, studentIds };
}

/** Whether a teacher may change or remove the resource (admins always may). */
export function mayManage(resource: Pick<ResourceRules, "uploadedById" | "lessonId">, viewer: Viewer): boolean {
  if (viewer.role === "ADMIN") return true;
  if (viewer.role === "TEACHER") return resource.uploadedById === viewer.userId || (resource.lessonId !== null && viewer.lessonIds.includes(resource.lessonId));
  return false;
}

/** A refusal as people read it (the same words for "not yours" and "does not exist": nothing is revealed). */
export function refusalMessage(reason: "not-for-you" | "scheduled" | "expired"): string {
  switch (reason) {
    case "scheduled":
      return "This resource is not available yet.";
    case "expired":
      return "This resource is no longer available.";
    case "not-for-you":
      return "This resource was not found.";
  }
}
