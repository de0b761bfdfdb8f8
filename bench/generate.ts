// A generated school at realistic volume, written through the real code paths: the
// school row through the privileged module (platform.createSchool), everything else
// through its RLS-bound SchoolDb with createMany for bulk.
//
// Timetable: 12 rooms × 7 days × 16 hourly slots (07:00–22:00 starts) = 1,344
// weekly room-slots; the lessons take 1,150 of them (a seeded shuffle), the rest
// stay free for the series-creation benchmark. The teacher of room r at slot s is
// r + 12 × (s mod 5): a teacher only ever teaches in one room, and the 12 rooms of a
// slot have 12 different teachers, so neither teachers nor rooms ever overlap (the
// database's exclusion constraints would refuse it) and every free room-slot has a
// free teacher.
import { randomBytes } from "node:crypto";
import { addDays, localDateTimeToUtc } from "../app/domain/time";
import type { Services } from "../server/context";
import type { Tx } from "../server/db/school-db.server";
import { rng, shuffle } from "./stats";

export const ZONE = "America/New_York";
/** A Monday; the generated year runs 52 weeks from here. */
export const YEAR_START = "2027-09-06";
export const WEEKS = 52;

const TEACHERS = 60;
const STUDENTS = 1_500;
const FAMILIES = 1_000;
const ROOMS_PER_LOCATION = 6;
const LOCATIONS = 2;
const ROOMS = ROOMS_PER_LOCATION * LOCATIONS;
const DAYS = 7;
const HOURS = 16;
const FIRST_HOUR = 7;
const SERIES = 1_150;
const INDIVIDUAL_SERIES = 800;
const GROUP_SEATS = 8;

const INSTRUMENTS = ["Piano", "Guitar", "Violin", "Cello", "Voice", "Drums", "Flute", "Saxophone"];
const FIRST = ["Ava", "Ben", "Chloe", "Dan", "Ella", "Finn", "Grace", "Hugo", "Isla", "Jack", "Kai", "Lena", "Max", "Nora", "Owen", "Pia", "Quinn", "Ruby", "Sam", "Tess"];
const LAST = ["Smith", "Jones", "Brown", "Garcia", "Miller", "Davis", "Lopez", "Wilson", "Moore", "Clark", "Lewis", "Young", "King", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Reed"];

export interface Slot {
  day: number;
  hour: number;
  room: number;
}

export interface GeneratedSchool {
  schoolId: string;
  timezone: string;
  teacherIds: string[];
  studentIds: string[];
  roomIds: string[];
  locationIds: string[];
  groupLessons: { id: string; studentIds: Set<string> }[];
  freeSlots: Slot[];
  occurrences: number;
}

/** A cuid-like id (25 characters), made here so createMany can link rows. */
const newId = () => `c${randomBytes(12).toString("hex")}`;

export const slotTime = (s: Pick<Slot, "hour">) => `${String(FIRST_HOUR + s.hour).padStart(2, "0")}:00`;
export const slotDate = (s: Pick<Slot, "day">, week = 0) => addDays(YEAR_START, s.day + 7 * week);
export const teacherOf = (s: Slot) => s.room + ROOMS * ((s.day * HOURS + s.hour) % 5);

export async function generateSchool(services: Pick<Services, "platform">, log: (m: string) => void): Promise<GeneratedSchool> {
  const random = rng(20261125);
  const school = await services.platform.createSchool(null, {
    name: "Bench Conservatory",
    slug: `bench-${randomBytes(3).toString("hex")}`,
    email: "office@bench.test",
    timezone: ZONE,
    currency: "USD",
  });
  const db = services.platform.schoolDb(school.id);
  const long = { timeout: 600_000 };

  // Places, instruments, terms.
  const locationIds = Array.from({ length: LOCATIONS }, newId);
  const roomIds = Array.from({ length: ROOMS }, newId);
  await db.run(async (tx) => {
    await tx.location.createMany({ data: locationIds.map((id, i) => ({ id, name: i === 0 ? "Main Campus" : "North Branch", city: "New York", state: "NY" })) });
    await tx.room.createMany({
      data: roomIds.map((id, r) => ({ id, locationId: locationIds[Math.floor(r / ROOMS_PER_LOCATION)]!, name: `Room ${r + 1}`, capacity: r % 3 === 0 ? 12 : 4 })),
    });
    await tx.instrument.createMany({ data: INSTRUMENTS.map((name) => ({ name })) });
    await tx.term.createMany({
      data: [
        { name: "Fall", startDate: YEAR_START, endDate: addDays(YEAR_START, 7 * 15 - 3) },
        { name: "Spring", startDate: addDays(YEAR_START, 7 * 18), endDate: addDays(YEAR_START, 7 * 33 - 3) },
        { name: "Summer", startDate: addDays(YEAR_START, 7 * 36), endDate: addDays(YEAR_START, 7 * 51 - 3) },
      ],
    });
  }, long);

  // People: teachers (available every day 07:00–23:00), parents with families, students.
  const teacherIds = Array.from({ length: TEACHERS }, newId);
  const parentIds = Array.from({ length: FAMILIES }, newId);
  const familyIds = Array.from({ length: FAMILIES }, newId);
  const studentUserIds = Array.from({ length: STUDENTS }, newId);
  const studentIds = Array.from({ length: STUDENTS }, newId);
  const name = (i: number) => ({ firstName: FIRST[i % FIRST.length]!, lastName: LAST[Math.floor(i / FIRST.length) % LAST.length]! });
  const familyOf = (s: number) => (s < FAMILIES ? s : (s - FAMILIES) * 2);
  await db.run(async (tx) => {
    await tx.user.createMany({
      data: teacherIds.map((id, i) => ({ id, email: `teacher${i}@bench.test`, role: "TEACHER" as const, passwordHash: "x", ...name(i * 7) })),
    });
    await tx.teacherAvailability.createMany({
      data: teacherIds.flatMap((teacherId) => Array.from({ length: 7 }, (_, dayOfWeek) => ({ teacherId, dayOfWeek, startTime: "07:00", endTime: "23:00" }))),
    });
    await tx.user.createMany({
      data: parentIds.map((id, i) => ({ id, email: `parent${i}@bench.test`, role: "PARENT" as const, passwordHash: "x", ...name(i) })),
    });
    await tx.familyGroup.createMany({ data: familyIds.map((id, i) => ({ id, name: `${name(i).lastName} family ${i}`, adminId: parentIds[i]!, billingEmail: `parent${i}@bench.test` })) });
    await tx.$executeRaw`UPDATE "User" u SET "familyGroupId" = f."id" FROM "FamilyGroup" f WHERE f."adminId" = u."id"`;
    await tx.user.createMany({
      data: studentUserIds.map((id, s) => ({
        id,
        email: `student${s}@students.bench.invalid`,
        role: "STUDENT" as const,
        familyGroupId: familyIds[familyOf(s)]!,
        firstName: FIRST[(s * 3) % FIRST.length]!,
        lastName: name(familyOf(s)).lastName,
      })),
    });
    await tx.student.createMany({
      data: studentIds.map((id, s) => ({
        id,
        userId: studentUserIds[s]!,
        parentEmail: `parent${familyOf(s)}@bench.test`,
        instrument: INSTRUMENTS[s % INSTRUMENTS.length]!,
        skillLevel: "BEGINNER" as const,
      })),
    });
  }, long);

  // The timetable.
  const allSlots: Slot[] = [];
  for (let day = 0; day < DAYS; day++) for (let hour = 0; hour < HOURS; hour++) for (let room = 0; room < ROOMS; room++) allSlots.push({ day, hour, room });
  const shuffled = shuffle(allSlots, random);
  const used = shuffled.slice(0, SERIES);
  const freeSlots = shuffled.slice(SERIES);

  const lessons = used.map((slot, i) => {
    const individual = i < INDIVIDUAL_SERIES;
    const duration = individual ? (i % 2 ? 45 : 30) : 60;
    const instrument = INSTRUMENTS[i % INSTRUMENTS.length]!;
    const firstStart = localDateTimeToUtc(slotDate(slot), slotTime(slot), ZONE);
    return {
      id: newId(),
      slot,
      duration,
      individual,
      instrument,
      firstStart,
      title: individual ? `${instrument} — ${FIRST[(i * 3) % FIRST.length]} ${name(familyOf(i)).lastName}` : `${instrument} Group ${i - INDIVIDUAL_SERIES + 1}`,
    };
  });
  const lastDate = addDays(YEAR_START, 7 * WEEKS - 1);
  let occurrences = 0;
  await db.run(async (tx) => {
    await tx.lesson.createMany({
      data: lessons.map((l) => ({
        id: l.id,
        title: l.title,
        type: l.individual ? ("INDIVIDUAL" as const) : ("GROUP" as const),
        instrument: l.instrument,
        instructorId: teacherIds[teacherOf(l.slot)]!,
        locationId: locationIds[Math.floor(l.slot.room / ROOMS_PER_LOCATION)]!,
        roomId: roomIds[l.slot.room]!,
        startTime: l.firstStart,
        endTime: new Date(l.firstStart.getTime() + l.duration * 60_000),
        duration: l.duration,
        recurrence: "WEEKLY" as const,
        recurrenceEndDate: localDateTimeToUtc(lastDate, "23:59", ZONE),
        isIndividual: l.individual,
        maxStudents: l.individual ? 1 : GROUP_SEATS,
        pricePerStudent: l.individual ? "45.00" : "25.00",
      })),
    });
    const rows = lessons.flatMap((l) =>
      Array.from({ length: WEEKS }, (_, w) => {
        const startsAt = localDateTimeToUtc(slotDate(l.slot, w), slotTime(l.slot), ZONE);
        return {
          lessonId: l.id,
          startsAt,
          endsAt: new Date(startsAt.getTime() + l.duration * 60_000),
          instructorId: teacherIds[teacherOf(l.slot)]!,
          roomId: roomIds[l.slot.room]!,
        };
      }),
    );
    for (let i = 0; i < rows.length; i += 5_000) {
      const { count } = await tx.lessonOccurrence.createMany({ data: rows.slice(i, i + 5_000) });
      occurrences += count;
    }
  }, long);
  log(`  ${lessons.length} weekly series, ${occurrences} occurrences`);

  // Enrollments: each individual lesson has its student; every student is in one group class.
  const groupLessons = lessons.filter((l) => !l.individual).map((l) => ({ id: l.id, studentIds: new Set<string>() }));
  const enrollments: { lessonId: string; studentId: string }[] = [];
  lessons.forEach((l, i) => {
    if (l.individual) enrollments.push({ lessonId: l.id, studentId: studentIds[i % STUDENTS]! });
  });
  studentIds.forEach((studentId, s) => {
    const g = groupLessons[s % groupLessons.length]!;
    g.studentIds.add(studentId);
    enrollments.push({ lessonId: g.id, studentId });
  });
  await db.run((tx: Tx) => tx.enrollment.createMany({ data: enrollments.map((e) => ({ ...e, status: "ACTIVE" as const })) }), long);
  log(`  ${TEACHERS} teachers, ${STUDENTS} students in ${FAMILIES} families, ${ROOMS} rooms at ${LOCATIONS} locations, ${enrollments.length} enrollments`);

  return { schoolId: school.id, timezone: ZONE, teacherIds, studentIds, roomIds, locationIds, groupLessons, freeSlots, occurrences };
}
