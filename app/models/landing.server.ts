// The school's public page: what it offers, who teaches, where, and the settings
// behind it. The page is public and benchmarked, so its data comes in two SQL
// statements (one for the classes, one for everything else), each aggregating its
// rows to JSON in the database: no query per class or per teacher, no relation
// fan-out, seats counted by the database. Row-level security scopes every table to
// the transaction's school, so the statements need no school filter of their own.
import type { SchoolDb, Tx } from "../../server/db/school-db.server";
import { scheduleSummary } from "./lesson-form";
import { placeText, scheduleLine, seatsText } from "./online-enrollment-form";
import type { Formatter } from "../utils/format";
import { toLocalParts } from "../domain/time";

export interface PublicClass {
  id: string;
  title: string;
  description: string | null;
  type: string;
  instrument: string | null;
  teacher: string;
  /** "Tuesdays 4:00 PM · Studio A · 3 seats left" */
  summary: string;
  /** The same in parts: "Tuesdays 4:00 PM", "Studio A", "3 seats left" (null: no limit) */
  schedule: string;
  place: string;
  seats: string | null;
  /** null: no limit */
  seatsLeft: number | null;
}

interface ClassRow {
  id: string;
  title: string;
  description: string | null;
  type: string;
  instrument: string | null;
  /** Epoch milliseconds (the column holds UTC). */
  startMs: number;
  recurrence: string;
  maxStudents: number | null;
  room: string | null;
  location: string | null;
  teacher: string;
  active: number;
}

/**
 * Classes a family can join online: group-type series (GROUP, ENSEMBLE,
 * BAND_REHEARSAL, HYBRID) still SCHEDULED, with a meeting to come, ordered by
 * weekday (Monday first) and time in the school's zone. Full ones too (the form
 * offers their waitlist); the landing page shows those with seats.
 */
export async function publicClasses(tx: Tx, fmt: Formatter, now: Date): Promise<PublicClass[]> {
  const { timeZone } = fmt;
  const [row] = await tx.$queryRaw<{ classes: ClassRow[]; locations: number }[]>`
    SELECT
      (SELECT count(*)::int FROM "Location") AS "locations",
      COALESCE((
        SELECT json_agg(json_build_object(
          'id', l.id,
          'title', l.title,
          'description', l.description,
          'type', l.type::text,
          'instrument', l.instrument,
          'startMs', floor(extract(epoch FROM l."startTime") * 1000),
          'recurrence', l.recurrence::text,
          'maxStudents', l."maxStudents",
          'room', r.name,
          'location', loc.name,
          'teacher', u."firstName" || ' ' || u."lastName",
          'active', (SELECT count(*) FROM "Enrollment" e WHERE e."lessonId" = l.id AND e.status = 'ACTIVE')
        ))
        FROM "Lesson" l
        JOIN "User" u ON u.id = l."instructorId"
        LEFT JOIN "Room" r ON r.id = l."roomId"
        LEFT JOIN "Location" loc ON loc.id = l."locationId"
        WHERE l.type IN ('GROUP', 'ENSEMBLE', 'BAND_REHEARSAL', 'HYBRID')
          AND l.status = 'SCHEDULED'
          AND EXISTS (
            SELECT 1 FROM "LessonOccurrence" o
            WHERE o."lessonId" = l.id AND o.kind = 'LESSON' AND o.status = 'SCHEDULED' AND o."startsAt" >= ${now.toISOString()}::timestamptz
          )
      ), '[]'::json) AS "classes"`;
  const lessons = row?.classes ?? [];
  const several = (row?.locations ?? 0) > 1;
  const sortKey = (ms: number) => {
    const p = toLocalParts(ms, timeZone);
    return ((p.weekday + 6) % 7) * 1440 + p.minutes; // Monday first
  };
  return lessons
    .sort((a, b) => sortKey(a.startMs) - sortKey(b.startMs) || a.title.localeCompare(b.title))
    .map((l) => {
      const seatsLeft = l.maxStudents === null ? null : Math.max(0, l.maxStudents - Number(l.active));
      const place = placeText(l.room, l.location, several);
      const lesson = { recurrence: l.recurrence, startTime: new Date(l.startMs) };
      return {
        id: l.id,
        title: l.title,
        description: l.description,
        type: l.type,
        instrument: l.instrument,
        teacher: l.teacher,
        summary: scheduleLine({ ...lesson, place, seatsLeft }, fmt),
        schedule: scheduleSummary(lesson, fmt, { length: false }),
        place,
        seats: seatsText(seatsLeft),
        seatsLeft,
      };
    });
}

export function instrumentNames(tx: Tx) {
  return tx.instrument.findMany({ orderBy: { name: "asc" }, select: { name: true } }).then((rows) => rows.map((r) => r.name));
}

interface LandingRow {
  settings: {
    tagline: string | null;
    about: string | null;
    contactAddress: string | null;
    showPrograms: boolean;
    showTeachers: boolean;
    showLocations: boolean;
    registrationFee: string | null;
    requireApproval: boolean;
    trialLessonMinutes: number | null;
  };
  instruments: string[];
  teachers: { id: string; firstName: string; lastName: string; bio: string | null; photoUrl: string | null; instruments: string | null }[];
  locations: { id: string; name: string; address: string | null; city: string | null; state: string | null; postcode: string | null; phone: string | null }[];
}

/** Everything the public page shows, read in one transaction (two statements). */
export async function landingPage(tx: Tx, input: { schoolId: string; fmt: Formatter; now: Date }) {
  const now = input.now;
  const [row] = await tx.$queryRaw<LandingRow[]>`
    SELECT
      (SELECT json_build_object(
          'tagline', s.tagline,
          'about', s.about,
          'contactAddress', s."contactAddress",
          'showPrograms', s."landingShowPrograms",
          'showTeachers', s."landingShowTeachers",
          'showLocations', s."landingShowLocations",
          'registrationFee', to_char(s."registrationFee", 'FM999999990.00'),
          'requireApproval', s."requireEnrollmentApproval",
          'trialLessonMinutes', s."trialLessonMinutes")
        FROM "School" s WHERE s.id = ${input.schoolId}) AS "settings",
      COALESCE((SELECT json_agg(i.name ORDER BY i.name) FROM "Instrument" i), '[]'::json) AS "instruments",
      -- Teachers who have joined (set a password), are active and agreed to be shown.
      COALESCE((
        SELECT json_agg(json_build_object('id', u.id, 'firstName', u."firstName", 'lastName', u."lastName", 'bio', u.bio, 'photoUrl', u."photoUrl",
                                          'instruments', CASE WHEN cardinality(u."teachingInstruments") > 0 THEN array_to_string(u."teachingInstruments", ', ') ELSE u.specialties END)
                        ORDER BY u."lastName", u."firstName")
        FROM "User" u
        WHERE u.role = 'TEACHER' AND u."showOnLanding" AND u."passwordHash" IS NOT NULL AND u."deactivatedAt" IS NULL
      ), '[]'::json) AS "teachers",
      COALESCE((
        SELECT json_agg(json_build_object('id', l.id, 'name', l.name, 'address', l.address, 'city', l.city, 'state', l.state, 'postcode', l.postcode, 'phone', l.phone) ORDER BY l.name)
        FROM "Location" l
      ), '[]'::json) AS "locations"`;
  if (!row?.settings) throw new Response("Not found", { status: 404 });
  const { settings } = row;
  const classes = settings.showPrograms ? await publicClasses(tx, input.fmt, now) : [];
  return {
    settings: { ...settings, registrationFee: settings.registrationFee && Number(settings.registrationFee) > 0 ? settings.registrationFee : null },
    // Only classes with a seat free; full ones are still offered (waitlist) on the form.
    classes: classes.filter((c) => c.seatsLeft === null || c.seatsLeft > 0),
    instruments: settings.showPrograms ? row.instruments : [],
    teachers: settings.showTeachers ? row.teachers : [],
    locations: settings.showLocations ? row.locations : [],
  };
}

export type LandingData = Awaited<ReturnType<typeof landingPage>>;

// A few seconds of memory per school: the public page is the busiest one, and a
// burst of visitors then costs one read (concurrent requests share it). Keyed by
// the school's id only, so one school's page can never be served for another.
// Saving the settings or an online enrollment forgets it at once; other changes
// (seats taken by an admin, a new teacher) show within LANDING_TTL_MS.
export const LANDING_TTL_MS = 5_000;
const landingCache = new Map<string, { at: number; value: Promise<LandingData> }>();

export function cachedLandingPage(db: Pick<SchoolDb, "run">, input: { schoolId: string; fmt: Formatter; now: Date }, ttlMs = LANDING_TTL_MS): Promise<LandingData> {
  const now = Date.now();
  const hit = landingCache.get(input.schoolId);
  if (hit && now - hit.at < ttlMs) return hit.value;
  const value = db.run((tx) => landingPage(tx, input));
  landingCache.set(input.schoolId, { at: now, value });
  value.catch(() => {
    if (landingCache.get(input.schoolId)?.value === value) landingCache.delete(input.schoolId);
  });
  if (landingCache.size > 5_000) {
    for (const [k, v] of landingCache) if (now - v.at >= ttlMs) landingCache.delete(k);
  }
  return value;
}

export function forgetLandingPage(schoolId: string) {
  landingCache.delete(schoolId);
}

// ---- the admin's settings for online enrollment and the public page ---------------

const settingsSelect = {
  tagline: true,
  about: true,
  contactAddress: true,
  landingShowPrograms: true,
  landingShowTeachers: true,
  landingShowLocations: true,
  registrationFee: true,
  requireEnrollmentApproval: true,
  trialLessonMinutes: true,
} as const;

export interface EnrollmentSettings {
  requireEnrollmentApproval: boolean;
  /** "25.00", or null for no fee. */
  registrationFee: string | null;
  tagline: string | null;
  about: string | null;
  contactAddress: string | null;
  landingShowPrograms: boolean;
  landingShowTeachers: boolean;
  landingShowLocations: boolean;
  /** Minutes of a trial lesson new families may book themselves; null = they cannot. */
  trialLessonMinutes: number | null;
}

export async function loadEnrollmentSettings(tx: Tx, schoolId: string): Promise<EnrollmentSettings> {
  const s = await tx.school.findUniqueOrThrow({ where: { id: schoolId }, select: settingsSelect });
  return { ...s, registrationFee: s.registrationFee?.toFixed(2) ?? null };
}

export async function saveEnrollmentSettings(tx: Tx, schoolId: string, input: EnrollmentSettings) {
  await tx.school.update({ where: { id: schoolId }, data: input, select: { id: true } });
  forgetLandingPage(schoolId);
}

/** The school's online-enrollment switches, read inside the enrollment transaction. */
export async function enrollmentPolicy(tx: Tx) {
  const s = await tx.school.findFirstOrThrow({ select: { requireEnrollmentApproval: true, registrationFee: true, currency: true, status: true } });
  return { requireApproval: s.requireEnrollmentApproval, registrationFee: s.registrationFee && s.registrationFee.gt(0) ? s.registrationFee.toFixed(2) : null, currency: s.currency, status: s.status };
}
