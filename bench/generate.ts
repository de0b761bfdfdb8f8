// The benchmark's data: 200 schools in one database, so every query has other
// schools' rows to filter.
// - The large school at realistic volume, written through the real code paths: the
//   school row through the privileged module (platform.createSchool), everything else
//   through its RLS-bound SchoolDb with createMany for bulk (the same rows the app
//   writes; `expandedUntil` null and `recurrenceEndDate` set, as createLessonSeries
//   leaves a series with an end date).
// - 199 small schools (2–12 teachers, 20–250 students, 8–70 weekly series over the
//   same year, various time zones), their school rows through createSchool and their
//   contents in bulk SQL as the database owner: the app's own code would take minutes.
// BENCH_SCALE=small shrinks both (for development runs).
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

import type pg from "pg";

export const ZONE = "America/New_York";
export const WEEKS = 52;
/**
 * A Monday 26 weeks before this week's: the generated year runs 52 weeks from here,
 * so today (the teacher's day, the family page, the calendar's default week) is in
 * its middle.
 */
export const YEAR_START = (() => {
  const today = new Date();
  const monday = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - ((today.getUTCDay() + 6) % 7) - 7 * 26));
  return monday.toISOString().slice(0, 10);
})();

export const SCALE = process.env.BENCH_SCALE === "small" ? "small" : "full";
const FULL = SCALE === "full";
const TEACHERS = FULL ? 60 : 12;
const STUDENTS = FULL ? 1_500 : 300;
const FAMILIES = FULL ? 1_000 : 200;
export const SMALL_SCHOOLS = FULL ? 199 : 19;
const ROOMS_PER_LOCATION = 6;
const LOCATIONS = 2;
const ROOMS = ROOMS_PER_LOCATION * LOCATIONS;
const DAYS = 7;
const HOURS = 16;
const FIRST_HOUR = 7;
const SERIES = FULL ? 1_150 : 230;
const INDIVIDUAL_SERIES = FULL ? 800 : 160;
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
  slug: string;
  adminId: string;
  /** Parents of families, in order; parent 0's family has students. */
  parentIds: string[];
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
export const teacherOf = (s: Slot) => s.room + ROOMS * ((s.day * HOURS + s.hour) % (TEACHERS / ROOMS));

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
  const adminId = newId();
  const teacherIds = Array.from({ length: TEACHERS }, newId);
  const parentIds = Array.from({ length: FAMILIES }, newId);
  const familyIds = Array.from({ length: FAMILIES }, newId);
  const studentUserIds = Array.from({ length: STUDENTS }, newId);
  const studentIds = Array.from({ length: STUDENTS }, newId);
  const name = (i: number) => ({ firstName: FIRST[i % FIRST.length]!, lastName: LAST[Math.floor(i / FIRST.length) % LAST.length]! });
  const familyOf = (s: number) => (s < FAMILIES ? s : (s - FAMILIES) * 2);
  await db.run(async (tx) => {
    await tx.user.create({ data: { id: adminId, email: "admin@bench.test", role: "ADMIN", passwordHash: "x", firstName: "Alex", lastName: "Admin" } });
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
  await db.run((tx: Tx) => tx.enrollment.createMany({ data: enrollments.map((e) => ({ ...e, status: "ACTIVE" as const, enrolledAt: new Date(`${YEAR_START}T00:00:00Z`) })) }), long);
  log(`  ${TEACHERS} teachers, ${STUDENTS} students in ${FAMILIES} families, ${ROOMS} rooms at ${LOCATIONS} locations, ${enrollments.length} enrollments`);

  // The past half of the year as a school keeps it: each lesson that ended more than a
  // day ago has its register (every enrolled student, one in twelve absent) and its
  // notes; only the last day's registers are still to take.
  const registers = await db.run(async (tx: Tx) => {
    const done = await tx.$executeRaw`
      UPDATE "LessonOccurrence" SET status = 'COMPLETED', notes = 'Scales, then the new piece.'
       WHERE "endsAt" < now() - interval '1 day'`;
    const marks = await tx.$executeRaw`
      INSERT INTO "Attendance" ("id", "occurrenceId", "studentId", "present", "recordedById")
      SELECT o.id || '-' || e."studentId", o.id, e."studentId", (hashtext(o.id || e."studentId") % 12) <> 0, o."instructorId"
        FROM "LessonOccurrence" o JOIN "Enrollment" e ON e."lessonId" = o."lessonId" AND e.status = 'ACTIVE'
       WHERE o.status = 'COMPLETED'`;
    return { done, marks };
  }, long);
  log(`  ${registers.done} past lessons with their registers (${registers.marks} attendance marks)`);

  return { schoolId: school.id, slug: school.slug, adminId, parentIds, timezone: ZONE, teacherIds, studentIds, roomIds, locationIds, groupLessons, freeSlots, occurrences };
}

// ---- 199 small schools, in bulk SQL -------------------------------------------------

const SMALL_ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "Europe/London", "Europe/Berlin", "Australia/Sydney"];

/**
 * One small school's contents in a few INSERT … SELECT statements, as the owner
 * (a superuser here: no RLS), every row naming its school. Lessons sit in
 * (room, timeslot) cells where the teacher of room r at timeslot t is
 * r + R × (t mod ⌊T/R⌋): no teacher or room is ever booked twice (the exclusion
 * constraints check it anyway).
 */
const SMALL_SCHOOL_SQL = [
  // $1 school, $2 teachers, $3 students, $4 families, $5 locations, $6 rooms, $7 series, $8 zone, $9 year start, $10 weeks
  `INSERT INTO "Location" ("id", "schoolId", "name", "city", "updatedAt")
     SELECT $1 || '-l' || i, $1, 'Studio ' || i, 'Springfield', now() FROM generate_series(0, $5::int - 1) i`,
  `INSERT INTO "Room" ("id", "schoolId", "locationId", "name", "capacity", "updatedAt")
     SELECT $1 || '-r' || i, $1, $1 || '-l' || (i % $5::int), 'Room ' || (i + 1), CASE WHEN i % 3 = 0 THEN 10 ELSE 3 END, now() FROM generate_series(0, $6::int - 1) i`,
  `INSERT INTO "User" ("id", "schoolId", "email", "passwordHash", "firstName", "lastName", "role", "updatedAt")
     SELECT $1 || '-a', $1, 'admin@' || $1 || '.test', 'x', 'Office', 'Admin', 'ADMIN'::"Role", now()
     UNION ALL SELECT $1 || '-t' || i, $1, 'teacher' || i || '@' || $1 || '.test', 'x', 'Teacher', 'T' || i, 'TEACHER'::"Role", now() FROM generate_series(0, $2::int - 1) i
     UNION ALL SELECT $1 || '-p' || i, $1, 'parent' || i || '@' || $1 || '.test', 'x', 'Parent', 'P' || i, 'PARENT'::"Role", now() FROM generate_series(0, $4::int - 1) i`,
  `INSERT INTO "TeacherAvailability" ("id", "schoolId", "teacherId", "dayOfWeek", "startTime", "endTime", "updatedAt")
     SELECT $1 || '-av' || t || '-' || d, $1, $1 || '-t' || t, d, '09:00', '21:00', now() FROM generate_series(0, $2::int - 1) t, generate_series(1, 6) d`,
  `INSERT INTO "FamilyGroup" ("id", "schoolId", "name", "adminId", "billingEmail", "updatedAt")
     SELECT $1 || '-f' || i, $1, 'P' || i || ' family', $1 || '-p' || i, 'parent' || i || '@' || $1 || '.test', now() FROM generate_series(0, $4::int - 1) i`,
  `UPDATE "User" u SET "familyGroupId" = f."id" FROM "FamilyGroup" f WHERE f."schoolId" = $1 AND u."schoolId" = $1 AND f."adminId" = u."id"`,
  `INSERT INTO "User" ("id", "schoolId", "email", "firstName", "lastName", "role", "familyGroupId", "updatedAt")
     SELECT $1 || '-su' || i, $1, 'student' || i || '@' || $1 || '.invalid', 'Kid', 'P' || (i % $4::int), 'STUDENT', $1 || '-f' || (i % $4::int), now() FROM generate_series(0, $3::int - 1) i`,
  `INSERT INTO "Student" ("id", "schoolId", "userId", "parentEmail", "instrument", "skillLevel", "updatedAt")
     SELECT $1 || '-s' || i, $1, $1 || '-su' || i, 'parent' || (i % $4::int) || '@' || $1 || '.test', (ARRAY['Piano','Guitar','Violin','Voice','Drums'])[1 + i % 5], 'BEGINNER', now() FROM generate_series(0, $3::int - 1) i`,
  // Series k: room k mod R, timeslot t = k div R: weekday 1 + t mod 6 (Mon–Sat), hour 14 + (t div 6) mod 7.
  `CREATE TEMP TABLE bench_slots ON COMMIT DROP AS
     SELECT k, k % $6::int AS room, (k / $6::int) % 6 AS day, 14 + ((k / $6::int) / 6) % 7 AS hour,
            k % $6::int + $6::int * ((k / $6::int) % greatest(1, $2::int / $6::int)) AS teacher,
            k % 3 <> 0 AS individual, CASE WHEN k % 3 = 0 THEN 60 WHEN k % 2 = 0 THEN 30 ELSE 45 END AS minutes
       FROM generate_series(0, $7::int - 1) k`,
  `INSERT INTO "Lesson" ("id", "schoolId", "title", "type", "instrument", "instructorId", "locationId", "roomId", "startTime", "endTime", "duration",
                         "recurrence", "recurrenceEndDate", "isIndividual", "maxStudents", "pricePerStudent", "updatedAt")
     SELECT $1 || '-x' || k, $1, CASE WHEN individual THEN 'Lesson ' || k ELSE 'Group ' || k END, CASE WHEN individual THEN 'INDIVIDUAL' ELSE 'GROUP' END::"LessonType",
            'Piano', $1 || '-t' || teacher, $1 || '-l' || (room % $5::int), $1 || '-r' || room,
            ($9::date + day + make_time(hour, 0, 0)) AT TIME ZONE $8, ($9::date + day + make_time(hour, 0, 0)) AT TIME ZONE $8 + make_interval(mins => minutes), minutes,
            'WEEKLY', ($9::date + 7 * ($10::int - 1) + 6 + time '23:59') AT TIME ZONE $8, individual, CASE WHEN individual THEN 1 ELSE 6 END, CASE WHEN individual THEN 40 ELSE 20 END, now()
       FROM bench_slots`,
  `INSERT INTO "LessonOccurrence" ("id", "schoolId", "lessonId", "startsAt", "endsAt", "instructorId", "roomId", "updatedAt")
     SELECT $1 || '-x' || k || '-' || w, $1, $1 || '-x' || k, ($9::date + day + 7 * w + make_time(hour, 0, 0)) AT TIME ZONE $8,
            ($9::date + day + 7 * w + make_time(hour, 0, 0)) AT TIME ZONE $8 + make_interval(mins => minutes), $1 || '-t' || teacher, $1 || '-r' || room, now()
       FROM bench_slots, generate_series(0, $10::int - 1) w`,
  `INSERT INTO "Enrollment" ("id", "schoolId", "lessonId", "studentId", "status")
     SELECT $1 || '-e' || k || '-' || j, $1, $1 || '-x' || k, $1 || '-s' || ((k * 7 + j) % $3::int), 'ACTIVE'
       FROM bench_slots, generate_series(0, 4) j WHERE (individual AND j = 0) OR (NOT individual AND j < least(5, $3::int))`,
];

/** 199 (19 at BENCH_SCALE=small) small schools; returns their slugs. */
export async function generateSmallSchools(services: Pick<Services, "platform">, owner: pg.Pool, log: (m: string) => void): Promise<{ slugs: string[]; occurrences: number }> {
  const random = rng(20261129);
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const slugs: string[] = [];
  let occurrences = 0;
  for (let i = 0; i < SMALL_SCHOOLS; i++) {
    const zone = SMALL_ZONES[i % SMALL_ZONES.length]!;
    const school = await services.platform.createSchool(null, {
      name: `Small School ${i + 1}`,
      slug: `small-${i + 1}-${randomBytes(2).toString("hex")}`,
      email: `office@small${i + 1}.test`,
      timezone: zone,
      currency: "USD",
    });
    slugs.push(school.slug);
    const teachers = between(2, 12);
    const students = between(20, 250);
    const families = Math.max(1, Math.round(students * 0.7));
    const locations = teachers > 8 ? 2 : 1;
    const rooms = Math.min(teachers, between(2, 6));
    const series = Math.min(between(8, 70), rooms * 42);
    // The values are this function's own numbers, ids and zone names, written in as literals.
    const params = [school.id, teachers, students, families, locations, rooms, series, zone, YEAR_START, WEEKS];
    const literal = (v: string | number) => (typeof v === "number" ? String(v) : `'${v.replaceAll("'", "''")}'`);
    const script = SMALL_SCHOOL_SQL.map((sql) => sql.replace(/\$(\d+)/g, (_, n: string) => literal(params[Number(n) - 1]!))).join(";\n");
    await owner.query(`BEGIN;\n${script};\nCOMMIT`);
    occurrences += series * WEEKS;
    if ((i + 1) % 50 === 0) log(`  ${i + 1} small schools`);
  }
  return { slugs, occurrences };
}
