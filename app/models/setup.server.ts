// The school's calendar and lists: terms, closures, places (locations and rooms),
// instruments, lesson lengths, and teachers' weekly availability and time off.
//
// Every function takes the `tx` of `SchoolDb.run`, so row-level security binds it
// to the school; nothing here names a school. Mistakes a person can fix (overlaps,
// duplicates, deleting something in use) are thrown as `SetupError`, with the form
// field they belong to, and never reach the user as a 500.
import { data } from "@remix-run/node";
import { z } from "zod";
import type { SchoolDb, Tx } from "../../server/db/school-db.server";
import { schoolFormatter } from "./school-settings.server";
import type { Formatter } from "../utils/format";
import { generateTerms, TERM_PATTERNS, termWeeks, validateClosures, validateTerms } from "../domain/terms";
import {
  formatMinutes,
  isValidLocalDate,
  isValidTime,
  localDateTimeToUtc,
  normalizeLocalDate,
  parseTime,
  toLocalParts,
  type LocalDate,
} from "../domain/time";
import { fields, parseForm, type FieldErrors, type FormValues } from "../utils/forms";

/** A mistake the person can correct; `field` names the form field it belongs to. */
export class SetupError extends Error {
  constructor(
    message: string,
    readonly field?: string,
    readonly status: 400 | 404 | 409 = 400,
  ) {
    super(message);
    this.name = "SetupError";
  }
}

/** Prisma's known request errors carry a `code` (P2002 unique, P2003 foreign key). */
function prismaCode(error: unknown): string | null {
  if (error && typeof error === "object" && "code" in error && typeof error.code === "string") return error.code;
  return null;
}

function plural(n: number, one: string, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

// ---------------------------------------------------------------------------
// Form input (zod): shared by the admin and teacher pages
// ---------------------------------------------------------------------------

const blankToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : typeof v === "string" ? v.trim() : v);

const localDate = (label: string) =>
  z
    .string({ required_error: `Enter ${label}.` })
    .trim()
    .min(1, `Enter ${label}.`)
    .refine(isValidLocalDate, "Enter a real date, like 2026-09-08.");

const optionalLocalDate = z.preprocess(
  blankToNull,
  z.string().refine(isValidLocalDate, "Enter a real date, like 2026-09-08.").nullable().default(null),
);

const localTime = (label: string) =>
  z
    .string({ required_error: `Enter ${label}.` })
    .trim()
    .min(1, `Enter ${label}.`)
    .refine(isValidTime, "Enter a time like 09:30.")
    .transform((v) => formatMinutes(parseTime(v)));

const optionalLocalTime = z.preprocess(
  blankToNull,
  z
    .string()
    .refine(isValidTime, "Enter a time like 09:30.")
    .transform((v) => formatMinutes(parseTime(v)))
    .nullable()
    .default(null),
);

const wholeNumber = (min: number, max: number, message: string) =>
  z
    .string({ required_error: message })
    .trim()
    .regex(/^\d+$/, message)
    .transform(Number)
    .refine((n) => n >= min && n <= max, message);

const optionalText = (label: string, max = 200) =>
  z.preprocess(blankToNull, z.string().max(max, `Keep ${label} under ${max} characters.`).nullable().default(null));

const id = z.string({ required_error: "Something is missing from the form. Reload the page and try again." }).min(1);
const optionalId = z.preprocess(blankToNull, z.string().nullable().default(null));

export const termInput = z
  .object({ name: fields.name("a name for the term"), startDate: localDate("the first day"), endDate: localDate("the last day") })
  .refine((t) => t.endDate >= t.startDate, { path: ["endDate"], message: "The last day must be on or after the first day." });

export const generateTermsInput = z.object({
  firstStart: localDate("the first day of the first term"),
  pattern: z.enum(["FOUR_TERMS_OF_TEN_WEEKS", "THREE_TERMS_OF_TWELVE_WEEKS"], {
    errorMap: () => ({ message: "Choose a pattern." }),
  }),
  gapWeeks: wholeNumber(0, 12, "Enter a break of 0 to 12 weeks."),
});

export const closureInput = z
  .object({
    name: fields.name("a name for the closure"),
    startDate: localDate("the first day"),
    endDate: localDate("the last day"),
    locationId: optionalId,
  })
  .refine((c) => c.endDate >= c.startDate, { path: ["endDate"], message: "The last day must be on or after the first day." });

export const locationInput = z.object({
  name: fields.name("a name for the location"),
  address: optionalText("the address"),
  city: optionalText("the city", 100),
  state: optionalText("the state, county or province", 100),
  postcode: optionalText("the postcode", 20),
  phone: optionalText("the phone number", 40),
});

export const roomInput = z.object({
  name: fields.name("a name for the room"),
  capacity: wholeNumber(1, 10000, "Enter how many people fit, at least 1."),
});

export const instrumentInput = z.object({
  name: z
    .string({ required_error: "Enter an instrument." })
    .trim()
    .min(1, "Enter an instrument.")
    .max(60, "Keep the name under 60 characters."),
});

export const durationInput = z.object({
  minutes: wholeNumber(5, 240, "Enter a whole number of minutes from 5 to 240."),
});

export const availabilityInput = z
  .object({
    dayOfWeek: wholeNumber(0, 6, "Choose a day.").transform((n) => n as 0 | 1 | 2 | 3 | 4 | 5 | 6),
    startTime: localTime("a start time"),
    endTime: localTime("an end time"),
    locationId: optionalId,
    validFrom: optionalLocalDate,
    validUntil: optionalLocalDate,
  })
  .refine((a) => parseTime(a.endTime) > parseTime(a.startTime), { path: ["endTime"], message: "The end must be after the start." })
  .refine((a) => !a.validFrom || !a.validUntil || a.validUntil >= a.validFrom, {
    path: ["validUntil"],
    message: "This date must be on or after the “from” date.",
  });

export const timeOffInput = z.object({
  startDate: localDate("the first day"),
  startTime: optionalLocalTime,
  endDate: localDate("the last day"),
  endTime: optionalLocalTime,
  reason: optionalText("the reason"),
});

export const idInput = z.object({ id });

export type TermInput = z.infer<typeof termInput>;
export type GenerateTermsInput = z.infer<typeof generateTermsInput>;
export type ClosureInput = z.infer<typeof closureInput>;
export type LocationInput = z.infer<typeof locationInput>;
export type RoomInput = z.infer<typeof roomInput>;
export type AvailabilityInput = z.infer<typeof availabilityInput>;
export type TimeOffInput = z.infer<typeof timeOffInput>;

// ---------------------------------------------------------------------------
// Actions: one helper so every route answers the same way
// ---------------------------------------------------------------------------

export interface SetupResult {
  ok: boolean;
  /** Which form was sent (its `intent`), so the page shows the answer next to it. */
  intent: string;
  /** The row the form was about (edit and delete forms). */
  id: string | null;
  errors: FieldErrors;
  values: FormValues;
  message: string | null;
  /** Only for "preview terms": the terms a pattern would make. */
  preview?: GeneratedTermsPreview | null;
}

export interface GeneratedTermsPreview {
  /** Each new term, with the names of existing terms it would share days with. */
  terms: { name: string; startDate: string; endDate: string; weeks: number; overlaps: string[] }[];
  /** One readable message per problem; empty when the terms can be added. */
  problems: string[];
}

/**
 * Parses the form with `schema`, runs `work` in the school's transaction, and
 * answers with a `SetupResult`: the success message, or the errors and everything
 * typed (400 for bad input, the SetupError's status for refusals).
 */
export async function runSetupForm<S extends z.ZodTypeAny>(
  db: Pick<SchoolDb, "run">,
  formData: FormData,
  schema: S,
  work: (tx: Tx, input: z.infer<S>) => Promise<string | { message: string | null; preview: GeneratedTermsPreview }>,
) {
  const intent = String(formData.get("intent") ?? "");
  const rowId = typeof formData.get("id") === "string" ? String(formData.get("id")) : null;
  const parsed = parseForm(formData, schema);
  if (!parsed.ok) {
    // A missing row id (or a problem with the whole form) belongs to no field: say it above the form.
    const message = parsed.errors.id ?? parsed.errors.form ?? null;
    const result: SetupResult = { ok: false, intent, id: rowId, errors: parsed.errors, values: parsed.values, message };
    return data(result, { status: 400 });
  }
  try {
    const answer = await db.run((tx) => work(tx, parsed.data));
    const result: SetupResult =
      typeof answer === "string"
        ? { ok: true, intent, id: rowId, errors: {}, values: parsed.values, message: answer }
        : { ok: true, intent, id: rowId, errors: {}, values: parsed.values, message: answer.message, preview: answer.preview };
    return data(result);
  } catch (error) {
    if (error instanceof SetupError) {
      const result: SetupResult = {
        ok: false,
        intent,
        id: rowId,
        errors: error.field ? { [error.field]: error.message } : {},
        values: parsed.values,
        message: error.field ? null : error.message,
      };
      return data(result, { status: error.status });
    }
    throw error;
  }
}

/** The answer to a form whose `intent` the page does not know. */
export function unknownIntent(formData: FormData) {
  const result: SetupResult = {
    ok: false,
    intent: String(formData.get("intent") ?? ""),
    id: null,
    errors: {},
    values: {},
    message: "That action is not available on this page. Reload the page and try again.",
  };
  return data(result, { status: 400 });
}

// ---------------------------------------------------------------------------
// Terms
// ---------------------------------------------------------------------------

export async function listTerms(tx: Tx) {
  const terms = await tx.term.findMany({
    where: { archivedAt: null },
    orderBy: [{ startDate: "asc" }, { name: "asc" }],
    select: { id: true, name: true, startDate: true, endDate: true, _count: { select: { lessons: true } } },
  });
  return terms.map(({ _count, ...t }) => ({ ...t, weeks: termWeeks(t).length, lessons: _count.lessons }));
}

/** Messages about `candidates` against the other terms (ignoring old problems among the others). */
async function termProblems(tx: Tx, others: { name: string; startDate: string; endDate: string }[], candidates: TermInput[]) {
  const fmt = await schoolFormatter(tx);
  const before = new Set(validateTerms(others, fmt));
  return validateTerms([...others, ...candidates], fmt).filter((m) => !before.has(m));
}

function termFieldFor(message: string) {
  if (/needs a name/.test(message)) return "name";
  if (/end date|ends \(/.test(message)) return "endDate";
  return "startDate";
}

/** The school's terms in use (archived ones neither show nor clash). */
async function otherTerms(tx: Tx, exceptId?: string) {
  return tx.term.findMany({
    where: { archivedAt: null, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { name: true, startDate: true, endDate: true },
  });
}

export async function createTerm(tx: Tx, input: TermInput) {
  const term = { ...input, name: input.name.trim() };
  const problems = await termProblems(tx, await otherTerms(tx), [term]);
  if (problems.length) throw new SetupError(problems[0]!, termFieldFor(problems[0]!));
  return tx.term.create({ data: term, select: { id: true, name: true } });
}

export async function updateTerm(tx: Tx, id: string, input: TermInput) {
  const existing = await tx.term.findFirst({ where: { id, archivedAt: null }, select: { id: true } });
  if (!existing) throw new SetupError("That term no longer exists. Reload the page.", undefined, 404);
  const term = { ...input, name: input.name.trim() };
  const problems = await termProblems(tx, await otherTerms(tx, id), [term]);
  if (problems.length) throw new SetupError(problems[0]!, termFieldFor(problems[0]!));
  return tx.term.update({ where: { id }, data: term, select: { id: true, name: true } });
}

/**
 * Removes a term from the school's calendar by archiving it: it leaves the lists,
 * the pickers and the scheduling rules, while what happened in it (make-up credits
 * counted per term) keeps pointing at it. Lessons and hybrid plans that still use
 * the term must change first.
 */
export async function archiveTerm(tx: Tx, id: string, archivedById: string) {
  const term = await tx.term.findFirst({
    where: { id, archivedAt: null },
    select: { name: true, _count: { select: { lessons: true, hybridConfigs: true } } },
  });
  if (!term) throw new SetupError("That term no longer exists. Reload the page.", undefined, 404);
  const { lessons, hybridConfigs } = term._count;
  if (lessons > 0 || hybridConfigs > 0) {
    const uses = [
      lessons ? `${plural(lessons, "lesson")} ${lessons === 1 ? "runs" : "run"} until its end` : null,
      hybridConfigs ? `${plural(hybridConfigs, "hybrid lesson")} ${hybridConfigs === 1 ? "is" : "are"} planned in it` : null,
    ].filter(Boolean);
    throw new SetupError(`“${term.name}” can’t be removed: ${uses.join(" and ")}. Change those lessons first.`, undefined, 409);
  }
  await tx.term.update({ where: { id }, data: { archivedAt: new Date(), archivedById }, select: { id: true } });
  return term;
}

/** The terms a pattern would make, and any overlap with the school's terms. Saves nothing. */
export async function previewGeneratedTerms(tx: Tx, input: GenerateTermsInput): Promise<GeneratedTermsPreview> {
  const year = input.firstStart.slice(0, 4);
  const pattern = TERM_PATTERNS[input.pattern];
  const drafts = generateTerms({ firstStart: input.firstStart, count: pattern.count, weeks: pattern.weeks, gapWeeks: input.gapWeeks }).map(
    (t) => ({ ...t, name: `${t.name} ${year}` }),
  );
  const existing = await otherTerms(tx);
  const terms = drafts.map((t) => ({
    ...t,
    weeks: termWeeks(t).length,
    overlaps: existing.filter((e) => e.startDate <= t.endDate && t.startDate <= e.endDate).map((e) => e.name),
  }));
  const clashing = [...new Set(terms.flatMap((t) => t.overlaps))];
  // validateTerms has the last word (it also checks the dates); the message names the existing terms.
  const found = await termProblems(tx, existing, drafts);
  const problems = found.length
    ? [
        clashing.length
          ? `These terms would share days with ${clashing.length === 1 ? "the existing term" : "existing terms"} ${clashing.map((n) => `“${n}”`).join(", ")}. Choose another first day, or change ${clashing.length === 1 ? "that term" : "those terms"} first.`
          : found[0]!,
      ]
    : [];
  return { terms, problems };
}

/** Creates a year of terms from a pattern (e.g. four terms of ten weeks with two-week breaks). */
export async function createGeneratedTerms(tx: Tx, input: GenerateTermsInput) {
  const { terms, problems } = await previewGeneratedTerms(tx, input);
  if (problems.length) throw new SetupError(problems[0]!, "firstStart", 409);
  await tx.term.createMany({ data: terms.map(({ name, startDate, endDate }) => ({ name, startDate, endDate })) });
  return terms;
}

// ---------------------------------------------------------------------------
// Closures
// ---------------------------------------------------------------------------

export async function listClosures(tx: Tx) {
  return tx.closure.findMany({
    orderBy: [{ startDate: "asc" }, { name: "asc" }],
    select: { id: true, name: true, startDate: true, endDate: true, locationId: true, location: { select: { name: true } } },
  });
}

async function checkClosure(tx: Tx, input: ClosureInput) {
  const problems = validateClosures([input], await schoolFormatter(tx));
  if (problems.length) throw new SetupError(problems[0]!, /name/.test(problems[0]!) ? "name" : "endDate");
  if (input.locationId) await requireLocation(tx, input.locationId, "locationId");
}

export async function createClosure(tx: Tx, input: ClosureInput) {
  await checkClosure(tx, input);
  return tx.closure.create({ data: { ...input, name: input.name.trim() }, select: { id: true, name: true } });
}

export async function updateClosure(tx: Tx, id: string, input: ClosureInput) {
  const existing = await tx.closure.findFirst({ where: { id }, select: { id: true } });
  if (!existing) throw new SetupError("That closure no longer exists. Reload the page.", undefined, 404);
  await checkClosure(tx, input);
  return tx.closure.update({ where: { id }, data: { ...input, name: input.name.trim() }, select: { id: true, name: true } });
}

export async function deleteClosure(tx: Tx, id: string) {
  const closure = await tx.closure.findFirst({ where: { id }, select: { name: true } });
  if (!closure) throw new SetupError("That closure no longer exists. Reload the page.", undefined, 404);
  await tx.closure.delete({ where: { id } });
  return closure;
}

// ---------------------------------------------------------------------------
// Locations and rooms
// ---------------------------------------------------------------------------

export async function listLocations(tx: Tx) {
  const locations = await tx.location.findMany({
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      address: true,
      city: true,
      state: true,
      postcode: true,
      phone: true,
      _count: { select: { lessons: true } },
      rooms: {
        orderBy: { name: "asc" },
        select: { id: true, name: true, capacity: true, _count: { select: { lessons: true, occurrences: true } } },
      },
    },
  });
  return locations.map(({ _count, rooms, ...l }) => ({
    ...l,
    lessons: _count.lessons,
    rooms: rooms.map(({ _count: c, ...r }) => ({ ...r, lessons: c.lessons, occurrences: c.occurrences })),
  }));
}

/** Locations for pickers (closures, availability). */
export function locationOptions(tx: Tx) {
  return tx.location.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } });
}

async function requireLocation(tx: Tx, id: string, field?: string) {
  const location = await tx.location.findFirst({ where: { id }, select: { id: true, name: true } });
  if (!location) throw new SetupError("That location no longer exists. Choose another.", field, field ? 400 : 404);
  return location;
}

export async function createLocation(tx: Tx, input: LocationInput) {
  return tx.location.create({ data: input, select: { id: true, name: true } });
}

export async function updateLocation(tx: Tx, id: string, input: LocationInput) {
  await requireLocation(tx, id);
  return tx.location.update({ where: { id }, data: input, select: { id: true, name: true } });
}

/**
 * Deletes a location that has no rooms and no lessons. Its own closures and the
 * availability windows teachers set for it go with it (the counts are returned).
 */
export async function deleteLocation(tx: Tx, id: string) {
  const location = await tx.location.findFirst({
    where: { id },
    select: { name: true, _count: { select: { rooms: true, lessons: true, closures: true, availability: true } } },
  });
  if (!location) throw new SetupError("That location no longer exists. Reload the page.", undefined, 404);
  const { rooms, lessons, closures, availability } = location._count;
  if (rooms > 0) {
    throw new SetupError(`${location.name} still has ${plural(rooms, "room")}. Delete ${rooms === 1 ? "it" : "them"} first.`, undefined, 409);
  }
  if (lessons > 0) {
    throw new SetupError(
      `${location.name} can’t be deleted: ${plural(lessons, "lesson")} ${lessons === 1 ? "is" : "are"} held there. Move ${lessons === 1 ? "it" : "them"} first.`,
      undefined,
      409,
    );
  }
  await deleteOrExplain(() => tx.location.delete({ where: { id } }), `${location.name} is still in use and can’t be deleted.`);
  return { name: location.name, closures, availability };
}

async function requireRoomNameFree(tx: Tx, locationId: string, name: string, exceptId?: string) {
  const clash = await tx.room.findFirst({
    where: { locationId, name: { equals: name, mode: "insensitive" }, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { name: true, location: { select: { name: true } } },
  });
  if (clash) throw new SetupError(`${clash.location.name} already has a room called ${clash.name}.`, "name", 409);
}

export async function createRoom(tx: Tx, locationId: string, input: RoomInput) {
  const location = await requireLocation(tx, locationId);
  const name = input.name.trim();
  await requireRoomNameFree(tx, locationId, name);
  const room = await tx.room.create({ data: { locationId, name, capacity: input.capacity }, select: { id: true, name: true } });
  return { ...room, locationName: location.name };
}

export async function updateRoom(tx: Tx, id: string, input: RoomInput) {
  const room = await tx.room.findFirst({ where: { id }, select: { locationId: true } });
  if (!room) throw new SetupError("That room no longer exists. Reload the page.", undefined, 404);
  const name = input.name.trim();
  await requireRoomNameFree(tx, room.locationId, name, id);
  return tx.room.update({ where: { id }, data: { name, capacity: input.capacity }, select: { id: true, name: true } });
}

/** Deletes a room no lesson uses; refuses with a message when lessons are booked in it. */
export async function deleteRoom(tx: Tx, id: string) {
  const room = await tx.room.findFirst({
    where: { id },
    select: { name: true, location: { select: { name: true } }, _count: { select: { lessons: true, occurrences: true } } },
  });
  if (!room) throw new SetupError("That room no longer exists. Reload the page.", undefined, 404);
  const { lessons, occurrences } = room._count;
  if (lessons > 0 || occurrences > 0) {
    const what = lessons > 0 ? `${plural(lessons, "lesson")} ${lessons === 1 ? "uses" : "use"} it` : `${plural(occurrences, "lesson date")} ${occurrences === 1 ? "is" : "are"} booked in it`;
    throw new SetupError(`${room.name} (${room.location.name}) can’t be deleted: ${what}. Move those lessons to another room first.`, undefined, 409);
  }
  await deleteOrExplain(() => tx.room.delete({ where: { id } }), `${room.name} is booked for lessons and can’t be deleted.`);
  return room;
}

/** Runs a delete; a foreign-key refusal (P2003, e.g. a lesson booked meanwhile) becomes `message`. */
async function deleteOrExplain(remove: () => Promise<unknown>, message: string) {
  try {
    await remove();
  } catch (error) {
    if (prismaCode(error) === "P2003") throw new SetupError(message, undefined, 409);
    throw error;
  }
}

// ---------------------------------------------------------------------------
// Instruments and lesson lengths
// ---------------------------------------------------------------------------

export function listInstruments(tx: Tx) {
  return tx.instrument.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } });
}

export async function addInstrument(tx: Tx, nameInput: string) {
  const name = nameInput.trim().replace(/\s+/g, " ");
  const existing = await tx.instrument.findFirst({ where: { name: { equals: name, mode: "insensitive" } }, select: { name: true } });
  if (existing) throw new SetupError(`${existing.name} is already on the list.`, "name", 409);
  try {
    return await tx.instrument.create({ data: { name }, select: { id: true, name: true } });
  } catch (error) {
    // Added by someone else in the meantime.
    if (prismaCode(error) === "P2002") throw new SetupError(`${name} is already on the list.`, "name", 409);
    throw error;
  }
}

export async function deleteInstrument(tx: Tx, id: string) {
  const instrument = await tx.instrument.findFirst({ where: { id }, select: { name: true } });
  if (!instrument) throw new SetupError("That instrument is no longer on the list. Reload the page.", undefined, 404);
  await tx.instrument.delete({ where: { id } });
  return instrument;
}

export function listDurations(tx: Tx) {
  return tx.lessonDuration.findMany({ orderBy: { minutes: "asc" }, select: { id: true, minutes: true } });
}

export async function addDuration(tx: Tx, minutes: number) {
  if (!Number.isInteger(minutes) || minutes < 5 || minutes > 240) {
    throw new SetupError("Enter a whole number of minutes from 5 to 240.", "minutes");
  }
  const existing = await tx.lessonDuration.findFirst({ where: { minutes }, select: { id: true } });
  if (existing) throw new SetupError(`${minutes} minutes is already on the list.`, "minutes", 409);
  try {
    return await tx.lessonDuration.create({ data: { minutes }, select: { id: true, minutes: true } });
  } catch (error) {
    if (prismaCode(error) === "P2002") throw new SetupError(`${minutes} minutes is already on the list.`, "minutes", 409);
    throw error;
  }
}

export async function deleteDuration(tx: Tx, id: string) {
  const duration = await tx.lessonDuration.findFirst({ where: { id }, select: { minutes: true } });
  if (!duration) throw new SetupError("That lesson length is no longer on the list. Reload the page.", undefined, 404);
  await tx.lessonDuration.delete({ where: { id } });
  return duration;
}

// ---------------------------------------------------------------------------
// Teachers: weekly availability and time off
// ---------------------------------------------------------------------------

/** The active teachers; `now` decides which time off is still to come. */
export function listTeachers(tx: Tx, now: Date) {
  return tx.user.findMany({
    where: { role: "TEACHER", deactivatedAt: null },
    orderBy: [{ lastName: "asc" }, { firstName: "asc" }],
    select: {
      id: true,
      firstName: true,
      lastName: true,
      _count: { select: { teacherAvailability: true, timeOff: { where: { endsAt: { gt: now } } } } },
    },
  });
}

/** The teacher, or null when the id is not a teacher of this school. */
export function findTeacher(tx: Tx, teacherId: string) {
  return tx.user.findFirst({ where: { id: teacherId, role: "TEACHER" }, select: { id: true, firstName: true, lastName: true } });
}

async function requireTeacher(tx: Tx, teacherId: string) {
  const teacher = await findTeacher(tx, teacherId);
  if (!teacher) throw new SetupError("That teacher was not found.", undefined, 404);
  return teacher;
}

/** "Tue, 8 Sept 2026", "Tue, Sep 8, 2026" */
const dayName = (d: LocalDate, fmt: Formatter) => fmt.day(d, { year: "numeric" });

const dateOnly = (d: LocalDate) => new Date(`${d}T00:00:00.000Z`);

export async function listAvailability(tx: Tx, teacherId: string) {
  const rows = await tx.teacherAvailability.findMany({
    where: { teacherId },
    orderBy: [{ dayOfWeek: "asc" }, { startTime: "asc" }],
    select: {
      id: true,
      dayOfWeek: true,
      startTime: true,
      endTime: true,
      locationId: true,
      location: { select: { name: true } },
      validFrom: true,
      validUntil: true,
    },
  });
  return rows.map(({ location, validFrom, validUntil, ...r }) => ({
    ...r,
    locationName: location?.name ?? null,
    validFrom: validFrom ? normalizeLocalDate(validFrom) : null,
    validUntil: validUntil ? normalizeLocalDate(validUntil) : null,
  }));
}

/** Closed date ranges with open ends (null) share a day. */
function periodsMeet(aFrom: string | null, aUntil: string | null, bFrom: string | null, bUntil: string | null) {
  return (aFrom === null || bUntil === null || aFrom <= bUntil) && (bFrom === null || aUntil === null || bFrom <= aUntil);
}

async function checkAvailability(tx: Tx, teacherId: string, input: AvailabilityInput, exceptId?: string) {
  const start = parseTime(input.startTime);
  const end = parseTime(input.endTime);
  if (!(input.dayOfWeek >= 0 && input.dayOfWeek <= 6)) throw new SetupError("Choose a day.", "dayOfWeek");
  if (end <= start) throw new SetupError("The end must be after the start.", "endTime");
  if (input.validFrom && input.validUntil && input.validUntil < input.validFrom) {
    throw new SetupError("This date must be on or after the “from” date.", "validUntil");
  }
  if (input.locationId) await requireLocation(tx, input.locationId, "locationId");
  const sameDay = await listAvailability(tx, teacherId).then((rows) =>
    rows.filter((r) => r.dayOfWeek === input.dayOfWeek && r.locationId === input.locationId && r.id !== exceptId),
  );
  const clash = sameDay.find(
    (r) =>
      parseTime(r.startTime) < end &&
      start < parseTime(r.endTime) &&
      periodsMeet(r.validFrom, r.validUntil, input.validFrom, input.validUntil),
  );
  if (clash) {
    const where = clash.locationName ? ` at ${clash.locationName}` : " (any location)";
    const fmt = await schoolFormatter(tx);
    throw new SetupError(
      `This overlaps the ${fmt.weekday(clash.dayOfWeek)} hours ${fmt.wallRange(clash.startTime, clash.endTime)}${where}. Change the times, or edit those hours instead.`,
      "startTime",
      409,
    );
  }
}

function availabilityData(input: AvailabilityInput) {
  return {
    dayOfWeek: input.dayOfWeek,
    startTime: input.startTime,
    endTime: input.endTime,
    locationId: input.locationId,
    validFrom: input.validFrom ? dateOnly(input.validFrom) : null,
    validUntil: input.validUntil ? dateOnly(input.validUntil) : null,
  };
}

export async function createAvailability(tx: Tx, teacherId: string, input: AvailabilityInput) {
  await requireTeacher(tx, teacherId);
  await checkAvailability(tx, teacherId, input);
  return tx.teacherAvailability.create({ data: { teacherId, ...availabilityData(input) }, select: { id: true } });
}

export async function updateAvailability(tx: Tx, teacherId: string, id: string, input: AvailabilityInput) {
  const existing = await tx.teacherAvailability.findFirst({ where: { id, teacherId }, select: { id: true } });
  if (!existing) throw new SetupError("Those hours no longer exist. Reload the page.", undefined, 404);
  await checkAvailability(tx, teacherId, input, id);
  return tx.teacherAvailability.update({ where: { id }, data: availabilityData(input), select: { id: true } });
}

export async function deleteAvailability(tx: Tx, teacherId: string, id: string) {
  const existing = await tx.teacherAvailability.findFirst({ where: { id, teacherId }, select: { dayOfWeek: true, startTime: true, endTime: true } });
  if (!existing) throw new SetupError("Those hours no longer exist. Reload the page.", undefined, 404);
  await tx.teacherAvailability.delete({ where: { id } });
  return existing;
}

/** Time off, with its local start and end in the school's zone (for display and edit forms). */
export async function listTimeOff(tx: Tx, teacherId: string, timeZone: string) {
  const rows = await tx.teacherTimeOff.findMany({
    where: { teacherId },
    orderBy: { startsAt: "asc" },
    select: { id: true, startsAt: true, endsAt: true, reason: true },
  });
  return rows.map((r) => {
    const start = toLocalParts(r.startsAt, timeZone);
    const end = toLocalParts(r.endsAt, timeZone);
    return {
      ...r,
      start: { date: start.date, time: formatMinutes(start.minutes) },
      end: { date: end.date, time: formatMinutes(end.minutes) },
    };
  });
}

/**
 * Local start/end to UTC instants. An empty start time means the start of the
 * day; an empty end time means the end of the last day (midnight after it).
 */
function timeOffInstants(input: TimeOffInput, fmt: Formatter) {
  const { timeZone } = fmt;
  const startsAt = localDateTimeToUtc(input.startDate, input.startTime ?? "00:00", timeZone);
  const endsAt = localDateTimeToUtc(input.endDate, input.endTime ?? "24:00", timeZone);
  if (endsAt <= startsAt) {
    const field = input.endDate < input.startDate ? "endDate" : "endTime";
    throw new SetupError(
      `The time off must end after it starts (${dayName(input.startDate, fmt)}${input.startTime ? `, ${fmt.wallTime(input.startTime)}` : ""}).`,
      field,
    );
  }
  return { startsAt, endsAt, reason: input.reason };
}

export async function createTimeOff(tx: Tx, teacherId: string, fmt: Formatter, input: TimeOffInput) {
  await requireTeacher(tx, teacherId);
  const values = timeOffInstants(input, fmt);
  return tx.teacherTimeOff.create({ data: { teacherId, ...values }, select: { id: true, startsAt: true, endsAt: true } });
}

export async function updateTimeOff(tx: Tx, teacherId: string, fmt: Formatter, id: string, input: TimeOffInput) {
  const existing = await tx.teacherTimeOff.findFirst({ where: { id, teacherId }, select: { id: true } });
  if (!existing) throw new SetupError("That time off no longer exists. Reload the page.", undefined, 404);
  const values = timeOffInstants(input, fmt);
  return tx.teacherTimeOff.update({ where: { id }, data: values, select: { id: true, startsAt: true, endsAt: true } });
}

export async function deleteTimeOff(tx: Tx, teacherId: string, id: string) {
  const existing = await tx.teacherTimeOff.findFirst({ where: { id, teacherId }, select: { id: true } });
  if (!existing) throw new SetupError("That time off no longer exists. Reload the page.", undefined, 404);
  await tx.teacherTimeOff.delete({ where: { id } });
}

// ---------------------------------------------------------------------------
// Availability pages: the same actions for an admin (any teacher) and a teacher (self)
// ---------------------------------------------------------------------------

const availabilityEdit = availabilityInput.and(idInput);
const timeOffEdit = timeOffInput.and(idInput);

/** Dispatches the availability and time-off forms (by `intent`) for one teacher. */
export function availabilityAction(db: Pick<SchoolDb, "run">, formData: FormData, teacherId: string, fmt: Formatter) {
  const hours = (w: { dayOfWeek: number; startTime: string; endTime: string }) => `${fmt.weekday(w.dayOfWeek)} ${fmt.wallRange(w.startTime, w.endTime)}`;
  switch (formData.get("intent")) {
    case "add-hours":
      return runSetupForm(db, formData, availabilityInput, async (tx, input) => {
        await createAvailability(tx, teacherId, input);
        return `Added ${hours(input)}.`;
      });
    case "edit-hours":
      return runSetupForm(db, formData, availabilityEdit, async (tx, input) => {
        await updateAvailability(tx, teacherId, input.id, input);
        return `Saved ${hours(input)}.`;
      });
    case "delete-hours":
      return runSetupForm(db, formData, idInput, async (tx, { id }) => {
        const gone = await deleteAvailability(tx, teacherId, id);
        return `Removed ${hours(gone)}.`;
      });
    case "add-time-off":
      return runSetupForm(db, formData, timeOffInput, async (tx, input) => {
        await createTimeOff(tx, teacherId, fmt, input);
        return `Added time off from ${dayName(input.startDate, fmt)}.`;
      });
    case "edit-time-off":
      return runSetupForm(db, formData, timeOffEdit, async (tx, input) => {
        await updateTimeOff(tx, teacherId, fmt, input.id, input);
        return `Saved time off from ${dayName(input.startDate, fmt)}.`;
      });
    case "delete-time-off":
      return runSetupForm(db, formData, idInput, async (tx, { id }) => {
        await deleteTimeOff(tx, teacherId, id);
        return "Removed the time off.";
      });
    default:
      return unknownIntent(formData);
  }
}

/** Everything an availability page shows for one teacher. */
export async function availabilityPage(tx: Tx, teacherId: string, timeZone: string, now: Date) {
  // One query at a time: the queries of a transaction share one connection.
  const windows = await listAvailability(tx, teacherId);
  const timeOff = await listTimeOff(tx, teacherId, timeZone);
  const locations = await locationOptions(tx);
  return {
    windows,
    timeOff: timeOff.filter((t) => t.endsAt > now),
    pastTimeOff: timeOff.filter((t) => t.endsAt <= now).reverse(),
    locations,
  };
}
