// The demo: "Harmony Music Academy" (harmony) and the smaller "Riverside Strings"
// (riverside), each with at least one row in every school-owned table, so the
// isolation tests and a person clicking around both have something to look at.
// Everything school-owned is written through SchoolDb, i.e. under row-level security.
import { hybridWeeks } from "../../app/domain/hybrid";
import { expandSeries } from "../../app/domain/recurrence";
import { addDays, localDateTimeToUtc, weekdayOfLocalDate } from "../../app/domain/time";
import { generateTermInvoices, issueInvoice, recordManualPayment } from "../../app/models/billing.server";
import { chooseInstalments } from "../../app/models/instalments.server";
import { runOverdue } from "../../app/models/overdue.server";
import { toLocalDate } from "../../app/domain/time";
import { refundPayment } from "../../app/models/payments.server";
import { allocateFreeCredit } from "../../app/models/billing.server";
import { addAdjustment, addPayRule, approvePayRun, computePayRun, markPaidOutside, paySettings, recordSweep, recordTransfer, writeHeldEntry } from "../../app/models/teacher-pay.server";
import { periodContaining } from "../../app/domain/teacher-pay";
import { inviteUser } from "../../app/models/people.server";
import { bookExam, decideExam, recommendExam, recordExamResult } from "../../app/models/exams.server";
import { completeSection, createSyllabus, giveAward, logPractice, teacherStudentIds } from "../../app/models/progress.server";
import { sendMessage } from "../../app/models/messages.server";
import { hashPassword } from "../../app/utils/password.server";
import { hashToken } from "../../app/utils/tokens.server";
import type { Services } from "../../server/context";
import type { Tx } from "../../server/db/school-db.server";
import { Mailer } from "../../server/services/email.server";
import { createStorage, type Storage } from "../../server/services/storage.server";
import { seedResources } from "./resources";
import { publicAddressOf, publicLinks } from "../../tenants/links";

export const DEMO_PASSWORD = "encore-demo";
export const OPERATOR_EMAIL = "operator@encore.test";

type Level = "BEGINNER" | "ELEMENTARY" | "INTERMEDIATE" | "ADVANCED" | "PROFESSIONAL";
type LessonKind = "INDIVIDUAL" | "GROUP" | "HYBRID" | "BAND_REHEARSAL" | "ENSEMBLE";

interface Person {
  firstName: string;
  lastName: string;
  email: string;
}

interface TeacherSpec extends Person {
  bio: string;
  specialties: string;
  /** [weekday, start, end, location index] */
  availability: [number, string, string, number][];
}

interface ChildSpec {
  firstName: string;
  dob: string;
  instrument: string;
  level: Level;
  /** A login of their own. */
  email?: string;
}

interface FamilySpec {
  parent: Person;
  phone: string;
  children: ChildSpec[];
}

interface LessonSpec {
  title: string;
  type: LessonKind;
  instrument: string;
  teacher: number;
  location: number;
  room: string;
  weekday: number;
  time: string;
  duration: number;
  maxStudents: number | null;
  price: string;
  /** [family index, child index] */
  students: [number, number][];
  /** Hybrid prices are per week (the hybrid page's "Price per group week"); `price` stays the lesson's term price. */
  hybrid?: { individualWeeks: number[]; individualDuration: number; groupPrice: string; individualPrice: string };
}

export interface SchoolSpec {
  name: string;
  slug: string;
  email: string;
  phone: string;
  website: string;
  timezone: string;
  currency: string;
  locale: string;
  brandColor: string;
  locations: { name: string; address: string; city: string; state: string; postcode: string; phone: string; rooms: { name: string; capacity: number }[] }[];
  admin: Person;
  teachers: TeacherSpec[];
  families: FamilySpec[];
  terms: { name: string; startDate: string; endDate: string }[];
  closures: { name: string; startDate: string; endDate: string; location?: number }[];
  instruments: string[];
  lessons: LessonSpec[];
  /** The public page's words. */
  tagline: string;
  about: string;
  /** Someone invited who has not set a password yet. */
  pendingInvite: Person & { role: "TEACHER" | "ADMIN" };
  /** New families may book a trial lesson of this many minutes themselves. */
  trialLessonMinutes?: number;
}

export const HARMONY: SchoolSpec = {
  name: "Harmony Music Academy",
  tagline: "Piano, guitar, strings and voice for every age, on the Upper West Side.",
  about:
    "Harmony Music Academy has taught children and adults since 2009, in two studios ten minutes apart.\n\nEvery student gets a weekly lesson with a teacher who knows them, and a place in a group, band or ensemble once they are ready to play with others.",
  slug: "harmony",
  trialLessonMinutes: 30,
  email: "hello@harmony.test",
  phone: "(212) 555-0142",
  website: "https://harmony.example",
  timezone: "America/New_York",
  currency: "USD",
  locale: "en-US",
  brandColor: "#6d28d9",
  locations: [
    {
      name: "Main Studio",
      address: "120 West 72nd Street",
      city: "New York",
      state: "NY",
      postcode: "10023",
      phone: "(212) 555-0142",
      rooms: [
        { name: "Studio A", capacity: 8 },
        { name: "Studio B", capacity: 6 },
        { name: "Recital Hall", capacity: 30 },
      ],
    },
    {
      name: "Brooklyn Branch",
      address: "45 Atlantic Avenue",
      city: "Brooklyn",
      state: "NY",
      postcode: "11201",
      phone: "(718) 555-0190",
      rooms: [
        { name: "Room 1", capacity: 4 },
        { name: "Room 2", capacity: 10 },
      ],
    },
  ],
  admin: { firstName: "Alex", lastName: "Rivera", email: "admin@harmony.test" },
  teachers: [
    {
      firstName: "Sarah",
      lastName: "Johnson",
      email: "sarah.johnson@harmony.test",
      bio: "Juilliard-trained pianist who has taught beginners and conservatory hopefuls for fifteen years.",
      specialties: "Piano, music theory",
      availability: [
        [1, "14:00", "19:00", 0],
        [2, "14:00", "19:00", 0],
        [4, "15:00", "20:00", 0],
        [6, "09:00", "13:00", 0],
      ],
    },
    {
      firstName: "David",
      lastName: "Chen",
      email: "david.chen@harmony.test",
      bio: "Guitarist and bandleader; runs the junior band and the guitar groups.",
      specialties: "Guitar, bass, band coaching",
      availability: [
        [3, "15:00", "20:00", 0],
        [5, "15:00", "20:00", 0],
        [2, "15:00", "19:00", 1],
      ],
    },
    {
      firstName: "Maria",
      lastName: "Garcia",
      email: "maria.garcia@harmony.test",
      bio: "Violinist with the city chamber orchestra; Suzuki-certified.",
      specialties: "Violin, viola",
      availability: [
        [1, "15:00", "19:00", 1],
        [4, "15:00", "19:00", 1],
      ],
    },
  ],
  families: [
    {
      parent: { firstName: "Jennifer", lastName: "Smith", email: "parent@harmony.test" },
      phone: "(212) 555-0101",
      children: [
        { firstName: "Emma", dob: "2011-04-12", instrument: "Piano", level: "INTERMEDIATE", email: "emma@harmony.test" },
        { firstName: "Lily", dob: "2016-09-02", instrument: "Piano", level: "BEGINNER" },
      ],
    },
    { parent: { firstName: "Michael", lastName: "Brown", email: "michael.brown@harmony.test" }, phone: "(212) 555-0102", children: [{ firstName: "Noah", dob: "2013-01-20", instrument: "Guitar", level: "ELEMENTARY" }, { firstName: "Ava", dob: "2015-06-30", instrument: "Violin", level: "BEGINNER" }] },
    { parent: { firstName: "Priya", lastName: "Patel", email: "priya.patel@harmony.test" }, phone: "(212) 555-0103", children: [{ firstName: "Arjun", dob: "2012-11-05", instrument: "Piano", level: "ADVANCED" }, { firstName: "Maya", dob: "2014-02-17", instrument: "Guitar", level: "ELEMENTARY" }] },
    { parent: { firstName: "Carlos", lastName: "Lopez", email: "carlos.lopez@harmony.test" }, phone: "(212) 555-0104", children: [{ firstName: "Sofia", dob: "2013-08-09", instrument: "Violin", level: "INTERMEDIATE" }, { firstName: "Mateo", dob: "2016-03-14", instrument: "Piano", level: "BEGINNER" }, { firstName: "Lucia", dob: "2018-12-01", instrument: "Piano", level: "BEGINNER" }] },
    { parent: { firstName: "Hannah", lastName: "Kim", email: "hannah.kim@harmony.test" }, phone: "(212) 555-0105", children: [{ firstName: "Daniel", dob: "2010-07-22", instrument: "Guitar", level: "ADVANCED" }, { firstName: "Grace", dob: "2013-10-10", instrument: "Piano", level: "INTERMEDIATE" }] },
    { parent: { firstName: "Thomas", lastName: "Müller", email: "thomas.mueller@harmony.test" }, phone: "(212) 555-0106", children: [{ firstName: "Felix", dob: "2012-05-18", instrument: "Violin", level: "ADVANCED" }, { firstName: "Clara", dob: "2015-01-25", instrument: "Violin", level: "ELEMENTARY" }] },
    { parent: { firstName: "Aisha", lastName: "Okafor", email: "aisha.okafor@harmony.test" }, phone: "(212) 555-0107", children: [{ firstName: "Zara", dob: "2014-09-03", instrument: "Piano", level: "ELEMENTARY" }, { firstName: "Kofi", dob: "2012-04-28", instrument: "Guitar", level: "INTERMEDIATE" }] },
    { parent: { firstName: "Rachel", lastName: "Cohen", email: "rachel.cohen@harmony.test" }, phone: "(212) 555-0108", children: [{ firstName: "Ben", dob: "2011-12-12", instrument: "Guitar", level: "INTERMEDIATE" }, { firstName: "Leah", dob: "2014-06-06", instrument: "Piano", level: "BEGINNER" }] },
    { parent: { firstName: "Yuki", lastName: "Tanaka", email: "yuki.tanaka@harmony.test" }, phone: "(212) 555-0109", children: [{ firstName: "Hana", dob: "2013-03-03", instrument: "Violin", level: "INTERMEDIATE" }, { firstName: "Ren", dob: "2016-08-19", instrument: "Piano", level: "BEGINNER" }] },
  ],
  terms: [
    { name: "Fall 2026", startDate: "2026-09-08", endDate: "2026-12-18" },
    { name: "Spring 2027", startDate: "2027-01-11", endDate: "2027-03-19" },
  ],
  closures: [
    { name: "Thanksgiving", startDate: "2026-11-26", endDate: "2026-11-28" },
    { name: "Brooklyn Branch maintenance", startDate: "2026-10-13", endDate: "2026-10-13", location: 1 },
  ],
  instruments: ["Piano", "Guitar", "Violin", "Viola", "Bass", "Voice"],
  lessons: [
    { title: "Piano Foundation 1", type: "GROUP", instrument: "Piano", teacher: 0, location: 0, room: "Studio A", weekday: 2, time: "16:00", duration: 45, maxStudents: 6, price: "240.00", students: [[0, 1], [3, 1], [3, 2], [6, 0], [7, 1], [8, 1]] },
    { title: "Guitar Group", type: "GROUP", instrument: "Guitar", teacher: 1, location: 0, room: "Studio B", weekday: 3, time: "17:00", duration: 60, maxStudents: 6, price: "260.00", students: [[1, 0], [2, 1], [6, 1], [7, 0]] },
    { title: "Keys Hybrid Course", type: "HYBRID", instrument: "Piano", teacher: 0, location: 0, room: "Studio A", weekday: 6, time: "10:00", duration: 60, maxStudents: 6, price: "320.00", students: [[0, 0], [2, 0], [4, 1]], hybrid: { individualWeeks: [4, 8, 12, 15], individualDuration: 30, groupPrice: "25.00", individualPrice: "45.00" } },
    { title: "Junior Band Rehearsal", type: "BAND_REHEARSAL", instrument: "Guitar", teacher: 1, location: 0, room: "Recital Hall", weekday: 5, time: "18:00", duration: 90, maxStudents: 20, price: "150.00", students: [[4, 0], [1, 0], [7, 0], [5, 0]] },
    { title: "String Ensemble", type: "ENSEMBLE", instrument: "Violin", teacher: 2, location: 1, room: "Room 2", weekday: 4, time: "17:00", duration: 60, maxStudents: 10, price: "200.00", students: [[5, 0], [5, 1], [3, 0], [8, 0], [1, 1]] },
    { title: "Piano — Arjun Patel", type: "INDIVIDUAL", instrument: "Piano", teacher: 0, location: 0, room: "Studio B", weekday: 1, time: "15:00", duration: 45, maxStudents: 1, price: "540.00", students: [[2, 0]] },
    { title: "Piano — Grace Kim", type: "INDIVIDUAL", instrument: "Piano", teacher: 0, location: 0, room: "Studio B", weekday: 4, time: "16:00", duration: 30, maxStudents: 1, price: "380.00", students: [[4, 1]] },
    { title: "Guitar — Daniel Kim", type: "INDIVIDUAL", instrument: "Guitar", teacher: 1, location: 1, room: "Room 1", weekday: 2, time: "16:00", duration: 45, maxStudents: 1, price: "540.00", students: [[4, 0]] },
    { title: "Violin — Sofia Lopez", type: "INDIVIDUAL", instrument: "Violin", teacher: 2, location: 1, room: "Room 1", weekday: 1, time: "16:00", duration: 45, maxStudents: 1, price: "540.00", students: [[3, 0]] },
    { title: "Violin — Felix Müller", type: "INDIVIDUAL", instrument: "Violin", teacher: 2, location: 1, room: "Room 1", weekday: 4, time: "15:30", duration: 60, maxStudents: 1, price: "680.00", students: [[5, 0]] },
  ],
  pendingInvite: { firstName: "Olivia", lastName: "Park", email: "olivia.park@harmony.test", role: "TEACHER" },
};

export const RIVERSIDE: SchoolSpec = {
  name: "Riverside Strings",
  tagline: "Violin, viola and cello lessons by the river.",
  about: "A small string school run by working musicians. Lessons for beginners of every age, chamber groups for the more advanced.",
  slug: "riverside",
  email: "office@riverside.test",
  phone: "020 7946 0321",
  website: "https://riverside.example",
  timezone: "Europe/London",
  currency: "GBP",
  locale: "en-GB",
  brandColor: "#0f766e",
  locations: [{ name: "Riverside Hall", address: "3 Embankment Row", city: "London", state: "", postcode: "SE1 7PB", phone: "020 7946 0321", rooms: [{ name: "Hall", capacity: 12 }, { name: "Practice Room", capacity: 3 }] }],
  admin: { firstName: "Oliver", lastName: "Hughes", email: "admin@riverside.test" },
  teachers: [
    { firstName: "Eleanor", lastName: "Wright", email: "eleanor.wright@riverside.test", bio: "Cellist and chamber coach.", specialties: "Cello", availability: [[2, "15:00", "19:00", 0], [4, "15:00", "19:00", 0]] },
    { firstName: "James", lastName: "Taylor", email: "james.taylor@riverside.test", bio: "Violin teacher.", specialties: "Violin", availability: [[1, "15:00", "19:00", 0]] },
  ],
  families: [
    { parent: { firstName: "Sophie", lastName: "Evans", email: "parent@riverside.test" }, phone: "07700 900123", children: [{ firstName: "Harry", dob: "2013-05-05", instrument: "Cello", level: "ELEMENTARY" }, { firstName: "Isla", dob: "2015-02-02", instrument: "Violin", level: "BEGINNER" }] },
    { parent: { firstName: "George", lastName: "Walker", email: "george.walker@riverside.test" }, phone: "07700 900456", children: [{ firstName: "Freya", dob: "2012-10-10", instrument: "Cello", level: "INTERMEDIATE" }] },
  ],
  terms: [{ name: "Autumn 2026", startDate: "2026-09-07", endDate: "2026-12-18" }],
  closures: [{ name: "Half term", startDate: "2026-10-26", endDate: "2026-10-30" }],
  instruments: ["Violin", "Viola", "Cello", "Double bass"],
  lessons: [
    { title: "Cello Circle", type: "HYBRID", instrument: "Cello", teacher: 0, location: 0, room: "Hall", weekday: 2, time: "17:00", duration: 60, maxStudents: 8, price: "180.00", students: [[0, 0], [1, 0]], hybrid: { individualWeeks: [5, 10, 15], individualDuration: 30, groupPrice: "15.00", individualPrice: "30.00" } },
    { title: "Violin — Isla Evans", type: "INDIVIDUAL", instrument: "Violin", teacher: 1, location: 0, room: "Practice Room", weekday: 1, time: "16:00", duration: 30, maxStudents: 1, price: "300.00", students: [[0, 1]] },
  ],
  pendingInvite: { firstName: "Amelia", lastName: "Clarke", email: "amelia.clarke@riverside.test", role: "TEACHER" },
};

/** Seeds the operator and both demo schools. With `ifEmpty`, does nothing if any school exists. */
/** `now` (default: the services' clock) decides which lessons are past: taken, with attendance. */
export async function seedDemo(services: Pick<Services, "platform" | "env" | "clock">, opts: { ifEmpty?: boolean; now?: Date } = {}) {
  const { platform } = services;
  if (opts.ifEmpty && (await platform.listSchools()).length > 0) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await platform.createOperator({ email: OPERATOR_EMAIL, name: "Platform Operator", passwordHash });
  for (const spec of [HARMONY, RIVERSIDE]) await seedSchool(services, spec, { passwordHash, now: opts.now ?? services.clock.now() });
  return true;
}

export async function seedSchool(services: Pick<Services, "platform" | "env">, spec: SchoolSpec, opts: { passwordHash: string; now: Date }) {
  const { platform } = services;
  const school = await platform.createSchool(null, {
    name: spec.name,
    slug: spec.slug,
    email: spec.email,
    timezone: spec.timezone,
    currency: spec.currency,
    locale: spec.locale,
    brandColor: spec.brandColor,
  });
  // Links in the seeded emails follow the server's configuration (PUBLIC_PROTOCOL, PUBLIC_PORT or PORT).
  const origin = publicLinks(publicAddressOf(services.env)).school(school);
  // Resources' files go where the server keeps them (the same storage settings).
  const storage = createStorage({
    dataDir: services.env.DATA_DIR,
    uploadthingToken: services.env.UPLOADTHING_TOKEN,
    uploadthingApiUrl: process.env.UPLOADTHING_API_URL || undefined,
    uploadthingIngestUrl: process.env.UPLOADTHING_INGEST_URL || undefined,
    uploadthingUfsHost: process.env.UPLOADTHING_UFS_HOST || undefined,
  });
  await platform.schoolDb(school.id).run((tx) => buildSchool(tx, spec, opts, school.slug, origin, { storage, schoolId: school.id }), { timeout: 120_000 });
  // The platform's fee on the school's online payments (the operator's to set).
  await platform.setPlatformFee(null, school.id, spec.currency === "USD" ? 250 : 300);
  await seedOnlinePayments(platform, school.id, spec, opts.now);
  await platform.schoolDb(school.id).run((tx) => seedTeacherPay(tx, spec, opts.now), { timeout: 120_000 });
  await platform.schoolDb(school.id).run((tx) => seedSavedCard(tx, spec));
  return school;
}

/**
 * Saved cards and autopay (issue 11, ARCHITECTURE.md "Saved cards and autopay"): the family that
 * pays by card (the Reyes family, seedTeacherPay) has a Visa ending 4242 saved, with autopay on.
 * The ids are the stand-in's demo customer and card (`cus_demo_<slug>`, `pm_demo_<slug>`), which
 * it always has; no Stripe call is made.
 */
async function seedSavedCard(tx: Tx, spec: SchoolSpec) {
  const family = await tx.familyGroup.findFirst({ where: { name: "Reyes family" }, select: { id: true, adminId: true } });
  if (!family) return;
  await tx.familyPaymentProfile.create({
    data: { familyGroupId: family.id, stripeCustomerId: `cus_demo_${spec.slug}`, paymentMethodId: `pm_demo_${spec.slug}`, cardBrand: "visa", cardLast4: "4242", cardExpMonth: 12, cardExpYear: 2034, savedById: family.adminId, autopay: true },
  });
}

async function buildSchool(tx: Tx, spec: SchoolSpec, { passwordHash, now }: { passwordHash: string; now: Date }, slug: string, origin: string, files: { storage: Storage; schoolId: string }) {
  const zone = spec.timezone;
  await tx.school.updateMany({ data: { phone: spec.phone, website: spec.website, tagline: spec.tagline, about: spec.about, trialLessonMinutes: spec.trialLessonMinutes ?? null } });

  // Places
  const locations: { id: string; rooms: Map<string, { id: string; capacity: number }> }[] = [];
  for (const loc of spec.locations) {
    const { rooms, ...data } = loc;
    const created = await tx.location.create({ data, select: { id: true } });
    const roomMap = new Map<string, { id: string; capacity: number }>();
    for (const r of rooms) {
      const room = await tx.room.create({ data: { ...r, locationId: created.id }, select: { id: true } });
      roomMap.set(r.name, { id: room.id, capacity: r.capacity });
    }
    locations.push({ id: created.id, rooms: roomMap });
  }
  await tx.instrument.createMany({ data: spec.instruments.map((name) => ({ name })) });
  await tx.lessonDuration.createMany({ data: [30, 45, 60, 90].map((minutes) => ({ minutes })) });
  const terms = [];
  for (const t of spec.terms) terms.push(await tx.term.create({ data: t }));
  const closures = [];
  for (const c of spec.closures) {
    closures.push(
      await tx.closure.create({
        data: { name: c.name, startDate: c.startDate, endDate: c.endDate, locationId: c.location === undefined ? null : locations[c.location]!.id },
      }),
    );
  }

  // People
  const admin = await tx.user.create({ data: { ...spec.admin, role: "ADMIN", passwordHash, phone: spec.phone }, select: { id: true } });
  const teachers: { id: string }[] = [];
  for (const t of spec.teachers) {
    const { availability, ...data } = t;
    // The demo's teachers have agreed to be shown on the public page.
    const teachingInstruments = data.specialties.split(",").map((s) => s.trim()).filter((s) => spec.instruments.includes(s));
    const teacher = await tx.user.create({ data: { ...data, role: "TEACHER", passwordHash, showOnLanding: true, teachingInstruments }, select: { id: true } });
    await tx.teacherAvailability.createMany({
      data: availability.map(([dayOfWeek, startTime, endTime, loc]) => ({ teacherId: teacher.id, dayOfWeek, startTime, endTime, locationId: locations[loc]!.id })),
    });
    teachers.push(teacher);
  }
  const firstTerm = terms[0]!;
  await tx.teacherTimeOff.create({
    data: {
      teacherId: teachers[teachers.length - 1]!.id,
      startsAt: localDateTimeToUtc(addDays(firstTerm.endDate, -3), "00:00", zone),
      endsAt: localDateTimeToUtc(addDays(firstTerm.endDate, -2), "00:00", zone),
      reason: "Orchestra tour",
    },
  });

  const families: { parentId: string; familyId: string; students: { id: string; userId: string }[] }[] = [];
  for (const [fi, f] of spec.families.entries()) {
    const parent = await tx.user.create({ data: { ...f.parent, role: "PARENT", passwordHash, phone: f.phone }, select: { id: true } });
    const family = await tx.familyGroup.create({
      data: { name: `${f.parent.lastName} family`, adminId: parent.id, billingEmail: f.parent.email },
      select: { id: true },
    });
    await tx.user.update({ where: { id: parent.id }, data: { familyGroupId: family.id } });
    const students = [];
    for (const [ci, c] of f.children.entries()) {
      const user = await tx.user.create({
        data: {
          firstName: c.firstName,
          lastName: f.parent.lastName,
          // Children without a login of their own get an address that can never receive mail.
          email: c.email ?? `${c.firstName}.${f.parent.lastName}.${fi}${ci}@students.${slug}.invalid`.toLowerCase(),
          role: "STUDENT",
          passwordHash: c.email ? passwordHash : null,
          familyGroupId: family.id,
        },
        select: { id: true },
      });
      const student = await tx.student.create({
        data: {
          userId: user.id,
          parentName: `${f.parent.firstName} ${f.parent.lastName}`,
          parentEmail: f.parent.email,
          parentPhone: f.phone,
          dateOfBirth: new Date(`${c.dob}T00:00:00Z`),
          instrument: c.instrument,
          skillLevel: c.level,
          emergencyContactName: "Pat Emergency",
          emergencyContactPhone: "555-0199",
          emergencyContactRelation: "Grandparent",
          parentalConsent: true,
          socialMediaConsent: ci === 0,
        },
        select: { id: true, userId: true },
      });
      students.push(student);
    }
    families.push({ parentId: parent.id, familyId: family.id, students });
  }

  // Lessons, their occurrences in the first term, enrollments and attendance.
  const pastOccurrences: { id: string; lessonId: string }[] = [];
  const enrollmentsByLesson = new Map<string, { id: string; studentId: string }[]>();
  for (const l of spec.lessons) {
    const location = locations[l.location]!;
    const room = location.rooms.get(l.room)!;
    let firstDate = firstTerm.startDate;
    while (weekdayOfLocalDate(firstDate) !== l.weekday) firstDate = addDays(firstDate, 1);
    const firstStart = localDateTimeToUtc(firstDate, l.time, zone);
    const lesson = await tx.lesson.create({
      data: {
        title: l.title,
        type: l.type,
        instrument: l.instrument,
        instructorId: teachers[l.teacher]!.id,
        locationId: location.id,
        roomId: room.id,
        startTime: firstStart,
        endTime: new Date(firstStart.getTime() + l.duration * 60_000),
        duration: l.duration,
        recurrence: "WEEKLY",
        termId: firstTerm.id,
        recurrenceEndDate: localDateTimeToUtc(firstTerm.endDate, "23:59", zone),
        isIndividual: l.type === "INDIVIDUAL",
        isHybrid: l.type === "HYBRID",
        maxStudents: l.maxStudents,
        pricePerStudent: l.price,
      },
      select: { id: true },
    });
    const closureRows = closures.map((c) => ({ id: c.id, name: c.name, startDate: c.startDate, endDate: c.endDate, locationId: c.locationId }));
    let dates = expandSeries({
      timeZone: zone,
      firstStart,
      durationMinutes: l.duration,
      recurrence: "WEEKLY",
      until: firstTerm.endDate,
      terms: [firstTerm],
      closures: closureRows,
      locationId: location.id,
    });
    if (l.hybrid) {
      const pattern = {
        termId: firstTerm.id,
        termStartDate: firstTerm.startDate,
        termEndDate: firstTerm.endDate,
        individualWeeks: l.hybrid.individualWeeks,
        groupWeekday: l.weekday,
        groupStartTime: l.time,
        groupDurationMinutes: l.duration,
        individualDurationMinutes: l.hybrid.individualDuration,
        notifyDaysAhead: 7,
        locationId: location.id,
      };
      await tx.hybridLessonConfig.create({
        data: {
          lessonId: lesson.id,
          termId: firstTerm.id,
          cycleLength: hybridWeeks(pattern, closureRows, zone).length,
          oneOnOneWeeks: l.hybrid.individualWeeks,
          cycleStartDate: localDateTimeToUtc(firstTerm.startDate, "00:00", zone),
          individualDurationMinutes: l.hybrid.individualDuration,
          groupPricePerStudent: l.hybrid.groupPrice,
          oneOnOnePricePerStudent: l.hybrid.individualPrice,
          notifyParentsInAdvance: 7,
        },
      });
      // The group meets only in group weeks.
      const groupStarts = new Set(
        hybridWeeks(pattern, closureRows, zone)
          .filter((w) => w.kind === "GROUP" && w.groupStart)
          .map((w) => w.groupStart!.getTime()),
      );
      dates = dates.filter((d) => groupStarts.has(d.start.getTime()));
    }
    await tx.lessonOccurrence.createMany({
      data: dates.map((d) => ({
        lessonId: lesson.id,
        startsAt: d.start,
        endsAt: d.end,
        instructorId: teachers[l.teacher]!.id,
        roomId: room.id,
        status: d.end < now ? "COMPLETED" : "SCHEDULED",
      })),
    });
    await tx.lesson.update({ where: { id: lesson.id }, data: { expandedUntil: dates.at(-1)?.end ?? firstStart } });
    const occurrences = await tx.lessonOccurrence.findMany({ where: { lessonId: lesson.id, endsAt: { lt: now } }, select: { id: true } });
    pastOccurrences.push(...occurrences.map((o) => ({ id: o.id, lessonId: lesson.id })));

    const enrollments = [];
    for (const [fi, ci] of l.students) {
      const student = families[fi]!.students[ci]!;
      enrollments.push(
        await tx.enrollment.create({
          data: { lessonId: lesson.id, studentId: student.id, status: "ACTIVE", enrolledAt: localDateTimeToUtc(addDays(firstTerm.startDate, -14), "12:00", zone) },
          select: { id: true, studentId: true },
        }),
      );
    }
    enrollmentsByLesson.set(lesson.id, enrollments);
  }

  const attendance = [];
  for (const [i, o] of pastOccurrences.entries()) {
    for (const [j, e] of (enrollmentsByLesson.get(o.lessonId) ?? []).entries()) {
      const absent = (i + j) % 11 === 5;
      attendance.push({ occurrenceId: o.id, studentId: e.studentId, present: !absent, absenceReason: absent ? "Sick" : null, recordedById: null });
    }
  }
  if (attendance.length) await tx.attendance.createMany({ data: attendance });

  // Money: invoices, payments and the ledger are seeded by seedBilling and seedAccounts below; a teacher payout.
  await tx.payout.create({ data: { teacherId: teachers[0]!.id, amount: "1850.00", period: "2026-10", status: "COMPLETED", payoutDate: new Date("2026-11-05T15:00:00Z") } });

  // Resources (prisma/seed/resources.ts), awards, exams.
  const firstLessonId = [...enrollmentsByLesson.keys()][0]!;
  await seedResources(tx, files.storage, { schoolId: files.schoolId, adminId: admin.id, studentId: families[0]!.students[0]!.id, now });
  const firstStudent = families[0]!.students[0]!;

  // A family's request for individual lessons, waiting in the admin's queue.
  const requesting = families[families.length - 1]!;
  await tx.lessonRequest.create({
    data: { studentId: requesting.students.at(-1)!.id, familyGroupId: requesting.familyId, instrument: spec.instruments[0]!, preferredDays: [1, 3], preferredTimes: ["AFTERNOON"], notes: "After school works best." },
  });

  // A make-up: one student cancelled a past lesson with notice, earned a credit and
  // used it to join a future group class.
  const [firstPast] = pastOccurrences;
  const groupLessonId = [...enrollmentsByLesson.keys()][0]!;
  const futureGroup = await tx.lessonOccurrence.findFirst({ where: { lessonId: groupLessonId, startsAt: { gt: now } }, orderBy: { startsAt: "asc" }, select: { id: true } });
  if (firstPast && futureGroup) {
    const credited = (enrollmentsByLesson.get(firstPast.lessonId) ?? [])[0];
    if (credited) {
      const credit = await tx.makeUpCredit.create({
        data: { studentId: credited.studentId, sourceOccurrenceId: firstPast.id, termId: firstTerm.id, expiresAt: new Date(now.getTime() + 45 * 86_400_000), usedAt: now },
      });
      await tx.attendance.updateMany({ where: { occurrenceId: firstPast.id, studentId: credited.studentId }, data: { present: false, absenceNotified: true, absenceReason: "Family holiday" } });
      const alreadyIn = (enrollmentsByLesson.get(groupLessonId) ?? []).some((e) => e.studentId === credited.studentId);
      const guest = alreadyIn ? families[families.length - 1]!.students[0]! : { id: credited.studentId };
      await tx.occurrenceGuest.create({ data: { occurrenceId: futureGroup.id, studentId: guest.id, creditId: credit.id } });
    }
  }

  await seedBilling(tx, spec, { now, termId: firstTerm.id, familyIds: families.map((f) => f.familyId) });
  await seedAccounts(tx, spec, { now, origin, familyIds: families.map((f) => f.familyId) });
  await seedProgress(tx, spec, { now, origin, adminId: admin.id, teacherId: teachers[0]!.id, families });

  // The online enrollment form that created the first family (its one-time key).
  await tx.formSubmission.create({ data: { key: `seed-${slug}-enrollment`, kind: "enrollment", result: { familyGroupId: families[0]!.familyId } } });

  // A teacher's private calendar feed (its secret is not kept; a new one can be made).
  await tx.calendarFeed.create({ data: { userId: teachers[0]!.id, tokenHash: hashToken(`demo-feed-${slug}`) } });

  // A teacher's note shared with the families of a past lesson, and a message the
  // admin sent to the families of the first lesson (with its emails in the outbox).
  if (firstPast) await tx.lessonOccurrence.update({ where: { id: firstPast.id }, data: { familyNote: "We worked on the first eight bars. Please practise them slowly, ten minutes a day.", familyNoteAt: now } });
  await sendMessage(tx, new Mailer({ from: "Encore <no-reply@encore.localhost>" }), {
    sender: { id: admin.id, name: `${spec.admin.firstName} ${spec.admin.lastName}` },
    audience: { kind: "LESSON", id: firstLessonId },
    subject: "Welcome to the new term",
    body: "Welcome back! Lessons start this week in the usual rooms.\n\nPlease bring your own music book.",
    school: { name: spec.name, brandColor: spec.brandColor, logoUrl: null, email: spec.email },
    preferencesUrl: `${origin}/account/notifications`,
    now,
  });

  // One invitation still open, as the outbox shows.
  await inviteUser(tx, { mailer: new Mailer({ from: "Encore <no-reply@encore.localhost>" }), origin, schoolName: spec.name, invitedBy: `${spec.admin.firstName} ${spec.admin.lastName}`, actorId: admin.id }, spec.pendingInvite);
  return admin;
}

const DAY_MS = 86_400_000;

/**
 * Progress and exams (issue 13), through the models: a syllabus with Grade 1 complete and
 * Grade 2 in progress for the first child of the first family (so its section and grade
 * awards), a teacher's award, a practice streak up to yesterday (its 7-day award), and exam
 * entries in several states: a result recorded (a merit, its award), one booked, one
 * accepted, one declined and one waiting for the family (with a fee, invoiced on acceptance;
 * the entries already past that step carry no fee, so the seeded billing stays as it is).
 */
async function seedProgress(
  tx: Tx,
  spec: SchoolSpec,
  { now, origin, adminId, teacherId, families }: { now: Date; origin: string; adminId: string; teacherId: string; families: { parentId: string; familyId: string; students: { id: string }[] }[] },
) {
  const zone = spec.timezone;
  const daysAgo = (n: number) => new Date(now.getTime() - n * DAY_MS);
  const today = toLocalDate(now, zone);
  const mailer = new Mailer({ from: "Encore <no-reply@encore.localhost>" });
  const teacher = { id: teacherId, role: "TEACHER" };
  const admin = { id: adminId, role: "ADMIN" };
  const taught = await teacherStudentIds(tx, teacherId);
  const pick = (fi: number) => families[fi]!.students.find((st) => taught.includes(st.id)) ?? null;
  const first = pick(0) ?? { id: taught[0]! };
  const firstParent = { id: families.find((f) => f.students.some((st) => st.id === first.id))?.parentId ?? families[0]!.parentId, role: "PARENT" };
  const instrument = spec.instruments[0]!;

  const syllabus = await createSyllabus(tx, {
    name: `${instrument} grades`,
    instrument,
    levels: [
      { name: "Grade 1", sections: ["Scales and arpeggios", "Pieces", "Sight-reading", "Aural"] },
      { name: "Grade 2", sections: ["Scales and arpeggios", "Pieces", "Sight-reading", "Aural"] },
      { name: "Grade 3", sections: ["Scales and arpeggios", "Pieces", "Sight-reading", "Aural"] },
    ],
  });
  const levels = await tx.syllabusLevel.findMany({ where: { syllabusId: syllabus.id }, orderBy: { position: "asc" }, select: { sections: { orderBy: { position: "asc" }, select: { id: true } } } });
  const completions = [...levels[0]!.sections.map((x) => x.id), ...levels[1]!.sections.slice(0, 2).map((x) => x.id)];
  for (const [i, sectionId] of completions.entries()) await completeSection(tx, { studentId: first.id, sectionId, actorId: teacherId, now: daysAgo(80 - i * 9) });
  await giveAward(tx, { studentId: first.id, title: "Autumn recital", description: "Played in the school's autumn recital.", awardType: "PERFORMANCE", badgeIcon: "music", badgeColor: "#7e22ce", actorId: teacherId, now: daysAgo(20) });

  // Practised every day for the last nine days, up to yesterday: a streak of 9 and its 7-day award.
  for (let n = 9; n >= 1; n--) {
    await logPractice(tx, { studentId: first.id, date: addDays(today, -n), minutes: 15 + ((n * 7) % 20), actorId: firstParent.id, today, now: daysAgo(n) });
  }

  const entry = (studentId: string, grade: string, session: string, deadline: string | null, feeMinor: number | null, at: Date) =>
    recommendExam(tx, mailer, { studentId, board: "ABRSM", instrument, grade, session, entryDeadline: deadline, feeMinor, notes: null, actor: teacher, now: at, origin });
  const parentOf = (studentId: string) => ({ id: families.find((f) => f.students.some((st) => st.id === studentId))!.parentId, role: "PARENT" });

  // A result recorded: a merit and its award.
  const passed = await entry(first.id, "Grade 1", "Summer 2026", addDays(today, -150), null, daysAgo(180));
  await decideExam(tx, { examRequestId: passed.id, accept: true, actor: firstParent, now: daysAgo(175) });
  await bookExam(tx, mailer, { examRequestId: passed.id, date: addDays(today, -120), time: "10:30", place: "Main Campus, Recital Hall", actor: admin, now: daysAgo(160) });
  await recordExamResult(tx, mailer, { examRequestId: passed.id, result: "126", actor: admin, now: daysAgo(100) });
  // Booked for the winter session.
  const booked = await entry(first.id, "Grade 2", "Winter 2026", addDays(today, -30), null, daysAgo(60));
  await decideExam(tx, { examRequestId: booked.id, accept: true, actor: firstParent, now: daysAgo(58) });
  await bookExam(tx, mailer, { examRequestId: booked.id, date: addDays(today, 24), time: "14:00", place: "Main Campus, Recital Hall", actor: admin, now: daysAgo(10) });

  const others = taught.filter((id) => id !== first.id && families.some((f) => f.students.some((st) => st.id === id)));
  const [second, third, fourth] = [others[0] ?? first.id, others[1] ?? first.id, others[2] ?? first.id];
  // Waiting for the family, with a fee; accepted, to book; declined.
  await entry(second, "Grade 3", "Spring 2027", addDays(today, 45), 9_500, daysAgo(3));
  const accepted = await entry(third, "Grade 1", "Winter 2026", addDays(today, -30), null, daysAgo(40));
  await decideExam(tx, { examRequestId: accepted.id, accept: true, actor: parentOf(third), now: daysAgo(35) });
  const declined = await entry(fourth, "Initial", "Winter 2026", addDays(today, -30), null, daysAgo(40));
  await decideExam(tx, { examRequestId: declined.id, accept: false, actor: parentOf(fourth), now: daysAgo(36) });
}


/**
 * Billing (issue 11): settings and a price list, the term's invoices generated and issued
 * through the models, and payments that leave one family paid up, one partly paid and
 * overdue, one overdue with nothing paid, and the rest issued and not yet due.
 */
async function seedBilling(tx: Tx, spec: SchoolSpec, { now, termId, familyIds }: { now: Date; termId: string; familyIds: string[] }) {
  const usd = spec.currency === "USD";
  await tx.billingSettings.create({
    data: usd
      ? { invoicePrefix: "HMA", paymentTermsDays: 14, lateFeeMinor: 1500, lateFeeAfterDays: 14, maxInstalments: 3, siblingDiscounts: [{ fromPosition: 2, kind: "PERCENT", basisPoints: 1000 }] }
      : { invoicePrefix: "RS", taxRateBasisPoints: 2000, taxLabel: "VAT", taxInclusive: true, paymentTermsDays: 30, maxInstalments: 2, siblingDiscounts: [{ fromPosition: 2, kind: "FIXED", amountMinor: 2000 }] },
  });
  // The list prices a lesson without its own price (every demo lesson has one; these are for new lessons).
  await tx.priceListLine.createMany({
    data: [
      { termId, lessonType: "INDIVIDUAL", durationMinutes: 30, amountMinor: usd ? 36000 : 30000, currency: spec.currency, basis: "PER_TERM" },
      { termId, lessonType: "INDIVIDUAL", durationMinutes: 45, amountMinor: usd ? 54000 : 42000, currency: spec.currency, basis: "PER_TERM" },
      { termId, lessonType: "GROUP", amountMinor: usd ? 2500 : 1500, currency: spec.currency, basis: "PER_LESSON" },
    ],
  });
  const { invoiceIds } = await generateTermInvoices(tx, { termId, now });
  const drafts = await tx.invoice.findMany({ where: { id: { in: invoiceIds } }, select: { id: true, familyGroupId: true, totalMinor: true } });
  const byFamily = new Map(drafts.map((d) => [d.familyGroupId, d]));
  const unpaid = new Map<number, { familyId: string; invoiceId: string }>();
  for (const [i, familyId] of familyIds.entries()) {
    const draft = byFamily.get(familyId);
    if (!draft || draft.totalMinor <= 0) continue;
    // The first three families' invoices went out 40 days ago (due before today); the others this week.
    const issuedAt = new Date(now.getTime() - (i < 3 ? 40 : 3) * DAY_MS);
    await issueInvoice(tx, { invoiceId: draft.id, now: issuedAt });
    const paidAt = new Date(issuedAt.getTime() + 5 * DAY_MS);
    if (i === 0) await recordManualPayment(tx, { familyGroupId: familyId, amountMinor: draft.totalMinor, method: "BANK_TRANSFER", reference: "TRF 20931", now: paidAt });
    if (i === 1) await recordManualPayment(tx, { familyGroupId: familyId, amountMinor: Math.floor(draft.totalMinor / 2), method: "CHECK", reference: "CHK 1042", now: paidAt });
    if (i >= 3) unpaid.set(i, { familyId, invoiceId: draft.id });
  }
  // A family chose to pay its term invoice in instalments, the first due today (the fifth, or the
  // last with an unpaid invoice; seedAccounts finds another in a school with none).
  const planned = unpaid.get(4) ?? [...unpaid.values()].at(-1);
  if (planned) {
    const guardian = await tx.familyGroup.findUniqueOrThrow({ where: { id: planned.familyId }, select: { adminId: true } });
    await chooseInstalments(tx, { invoiceId: planned.invoiceId, familyGroupId: planned.familyId, count: usd ? 3 : 2, chosenById: guardian.adminId, today: toLocalDate(now, spec.timezone) });
  }
}

/**
 * The families' accounts beyond the term invoices (issue 11): the first family (paid up
 * for the term) has a new exam-fee invoice open, not yet due; the third owes an older
 * workshop invoice two months past due; and the overdue job's daily runs are replayed on
 * the days they would have run, so the overdue invoices carry their reminders (and, at
 * Harmony, the late fee) with the emails in the outbox.
 */
async function seedAccounts(tx: Tx, spec: SchoolSpec, { now, origin, familyIds }: { now: Date; origin: string; familyIds: string[] }) {
  const zone = spec.timezone;
  const usd = spec.currency === "USD";
  const custom = async (familyGroupId: string, description: string, amountMinor: number, issuedAt: Date) => {
    const invoice = await tx.invoice.create({
      data: {
        familyGroupId,
        currency: spec.currency,
        netMinor: amountMinor,
        totalMinor: amountMinor,
        lines: { create: [{ kind: "CUSTOM", description, quantity: 1, unitAmountMinor: amountMinor, amountMinor, netMinor: amountMinor, taxMinor: 0, grossMinor: amountMinor }] },
      },
      select: { id: true },
    });
    await issueInvoice(tx, { invoiceId: invoice.id, now: issuedAt });
    return invoice.id;
  };
  const examFee = familyIds[0] ? await custom(familyIds[0], usd ? "ABRSM exam entry, Grade 2" : "Exam entry fee", usd ? 8500 : 6500, new Date(now.getTime() - 2 * DAY_MS)) : null;
  // A school whose term invoices left none unpaid to split (seedBilling): this one is paid in instalments.
  if (examFee && (await tx.invoiceInstalment.count()) === 0) {
    const guardian = await tx.familyGroup.findUniqueOrThrow({ where: { id: familyIds[0]! }, select: { adminId: true } });
    await chooseInstalments(tx, { invoiceId: examFee, familyGroupId: familyIds[0]!, count: 2, chosenById: guardian.adminId, today: toLocalDate(now, zone) });
  }
  if (familyIds[2]) await custom(familyIds[2], usd ? "Summer workshop week" : "Summer string camp", usd ? 22000 : 18000, new Date(now.getTime() - 80 * DAY_MS));

  // Replay the daily overdue run (09:00 local) on each day it would have done something.
  const settings = await tx.billingSettings.findFirstOrThrow({ select: { reminderDays: true, lateFeeAfterDays: true } });
  const today = toLocalDate(now, zone);
  const overdue = await tx.invoice.findMany({ where: { status: "ISSUED", dueDate: { lt: today } }, select: { dueDate: true } });
  const days = new Set<string>();
  for (const { dueDate } of overdue) {
    for (const d of [...settings.reminderDays, ...(settings.lateFeeAfterDays ? [settings.lateFeeAfterDays] : [])]) {
      const day = addDays(dueDate!, d);
      if (day <= today) days.add(day);
    }
  }
  const mailer = new Mailer({ from: "Encore <no-reply@encore.localhost>" });
  for (const day of [...days].sort()) {
    const at = localDateTimeToUtc(day, "09:00", zone);
    if (at.getTime() > now.getTime()) continue;
    await runOverdue(tx, mailer, { now: at, today: day, origin });
  }
}

/**
 * Online payments (issue 11, ARCHITECTURE.md "Payments: Stripe Connect"): the school is
 * connected to its demo account, which the local Stripe stand-in always has (charges
 * enabled), so the demo can be paid offline; and a refund: a cash payment made twice by
 * mistake, refunded with its reason.
 */
async function seedOnlinePayments(platform: Services["platform"], schoolId: string, spec: SchoolSpec, now: Date) {
  const accountId = `acct_demo_${spec.slug}`;
  await platform.setSchoolStripeAccount(schoolId, accountId);
  await platform.updateSchoolStripeState(accountId, { chargesEnabled: true, payoutsEnabled: true, detailsSubmitted: true });
  await platform.schoolDb(schoolId).run(async (tx) => {
    const paid = await tx.payment.findFirst({ where: { method: "BANK_TRANSFER", status: "COMPLETED" }, orderBy: { paidAt: "asc" }, select: { familyGroupId: true, paidAt: true } });
    if (!paid?.familyGroupId) return;
    const at = new Date((paid.paidAt ?? now).getTime() + DAY_MS);
    const twice = await recordManualPayment(tx, { familyGroupId: paid.familyGroupId, amountMinor: spec.currency === "USD" ? 2000 : 1500, method: "CASH", reference: "Paid at the desk", now: at });
    await refundPayment(tx, null, { paymentId: twice.id, amountMinor: twice.amountMinor!, reason: "Paid twice by mistake: handed back in cash", createdById: null, now: new Date(at.getTime() + DAY_MS) });
  });
}

/**
 * Teacher pay (issue 12, ARCHITECTURE.md "Teacher pay"): rates (a school default, a group rate by
 * the hour, the first teacher's own rate and a raise), the first teacher connected to the stand-in's
 * demo account, money Encore holds for the school from a family's card payment made in advance, a
 * PAID run for the month before the clock's (the connected teacher by transfer, the others outside
 * Encore with a bank reference), a sweep of part of what was left, and an OPEN (draft) run for the
 * clock's month with a bonus. No Stripe call is made: the demo's transfer and payment ids are
 * `*_demo_*`, as the demo accounts are.
 */
async function seedTeacherPay(tx: Tx, spec: SchoolSpec, now: Date) {
  const usd = spec.currency === "USD";
  const zone = spec.timezone;
  const admin = await tx.user.findFirstOrThrow({ where: { role: "ADMIN" }, orderBy: { createdAt: "asc" }, select: { id: true } });
  const teachers = await tx.user.findMany({ where: { role: "TEACHER" }, orderBy: { createdAt: "asc" }, select: { id: true } });
  await paySettings(tx);
  await addPayRule(tx, { teacherId: null, lessonType: null, durationMinutes: null, basis: "PER_LESSON", amountMinor: usd ? 3500 : 3000, effectiveFrom: "2026-01-01" });
  await addPayRule(tx, { teacherId: null, lessonType: "GROUP", durationMinutes: null, basis: "PER_HOUR", amountMinor: usd ? 4500 : 4000, effectiveFrom: "2026-01-01" });
  if (teachers[0]) {
    await addPayRule(tx, { teacherId: teachers[0].id, lessonType: null, durationMinutes: null, basis: "PER_LESSON", amountMinor: usd ? 4000 : 3500, effectiveFrom: "2026-01-01" });
    await addPayRule(tx, { teacherId: teachers[0].id, lessonType: null, durationMinutes: null, basis: "PER_LESSON", amountMinor: usd ? 4200 : 3700, effectiveFrom: "2026-11-16" });
    await tx.teacherStripeAccount.create({ data: { userId: teachers[0].id, stripeAccountId: `acct_demo_${spec.slug}_teacher`, detailsSubmitted: true, payoutsEnabled: true, transfersActive: true } });
  }
  // The months: the one before the clock's (paid) and the clock's (open).
  const today = toLocalDate(now, zone);
  const current = periodContaining("MONTHLY", today)!;
  const previous = periodContaining("MONTHLY", addDays(current.start, -1))!;
  const paidAt = localDateTimeToUtc(addDays(previous.end, 5), "10:00", zone);
  const { runId } = await computePayRun(tx, { periodStart: previous.start, periodEnd: previous.end, label: previous.label, now: paidAt });
  const lines = await tx.payRunLine.groupBy({ by: ["teacherId"], where: { runId }, _sum: { amountMinor: true } });
  const connectedTotal = lines.find((l) => l.teacherId === teachers[0]?.id)?._sum.amountMinor ?? 0;
  // A family paid a year in advance by card: Encore holds the school's share.
  const parent = await tx.user.create({ data: { email: `card.payer@${spec.slug}.example`, firstName: "Morgan", lastName: "Reyes", role: "PARENT" }, select: { id: true } });
  const family = await tx.familyGroup.create({ data: { name: "Reyes family", adminId: parent.id, billingEmail: `card.payer@${spec.slug}.example` }, select: { id: true } });
  await tx.user.update({ where: { id: parent.id }, data: { familyGroupId: family.id } });
  const amountMinor = connectedTotal + (usd ? 150_000 : 120_000);
  const invoice = await tx.invoice.create({
    data: {
      familyGroupId: family.id,
      currency: spec.currency,
      netMinor: amountMinor,
      totalMinor: amountMinor,
      lines: { create: [{ kind: "CUSTOM", description: "Tuition for the year, paid in advance", quantity: 1, unitAmountMinor: amountMinor, amountMinor, netMinor: amountMinor, taxMinor: 0, grossMinor: amountMinor }] },
    },
    select: { id: true },
  });
  const cardAt = new Date(paidAt.getTime() - 20 * DAY_MS);
  await issueInvoice(tx, { invoiceId: invoice.id, now: new Date(cardAt.getTime() - DAY_MS) });
  const feeMinor = Math.round((amountMinor * (usd ? 250 : 300)) / 10_000);
  const intent = `pi_demo_${spec.slug}_advance`;
  const payment = await tx.payment.create({
    data: { familyGroupId: family.id, invoiceId: invoice.id, payerId: parent.id, amount: (amountMinor / 100).toFixed(2), amountMinor, currency: spec.currency, status: "COMPLETED", method: "STRIPE", paidAt: cardAt, stripePaymentIntentId: intent, stripeChargeId: `ch_demo_${spec.slug}_advance`, platformFeeMinor: feeMinor },
    select: { id: true },
  });
  await tx.ledgerEntry.create({ data: { familyGroupId: family.id, kind: "PAYMENT", amountMinor, currency: spec.currency, postedAt: cardAt, paymentId: payment.id, memo: `Card payment ${intent}`, idempotencyKey: `stripe:${intent}` } });
  await allocateFreeCredit(tx, family.id, cardAt, { firstInvoiceIds: [invoice.id] });
  await writeHeldEntry(tx, { kind: "CHARGE", amountMinor, currency: spec.currency, postedAt: cardAt, paymentId: payment.id, memo: `Card payment ${intent}`, idempotencyKey: `charge:${intent}` });
  await writeHeldEntry(tx, { kind: "PLATFORM_FEE", amountMinor: feeMinor, currency: spec.currency, postedAt: cardAt, paymentId: payment.id, memo: `Platform fee on ${intent}`, idempotencyKey: `fee:${intent}` });

  // The paid run: approved, the connected teacher paid by transfer, the others by bank transfer.
  await approvePayRun(tx, { runId, approvedById: admin.id, now: paidAt });
  const payments = await tx.teacherPayment.findMany({ where: { runId }, select: { id: true, teacherId: true, amountMinor: true, destination: true } });
  for (const [i, p] of payments.entries()) {
    if (p.destination) {
      await tx.teacherPayment.update({ where: { id: p.id }, data: { attempts: 1 } });
      await recordTransfer(tx, p.id, { id: `tr_demo_${spec.slug}_${previous.start}`, amount: p.amountMinor, currency: spec.currency.toLowerCase(), amount_reversed: 0 }, paidAt);
    } else {
      await markPaidOutside(tx, { runId, teacherId: p.teacherId, reference: `BACS ${previous.start.slice(0, 7)}-${String(i + 1).padStart(2, "0")}`, markedById: admin.id, now: paidAt });
    }
  }
  // Part of what was left, swept to the school's own account.
  const sweepAt = new Date(paidAt.getTime() + DAY_MS);
  const sweep = await tx.sweep.create({ data: { amountMinor: usd ? 50_000 : 40_000, currency: spec.currency, requestedById: admin.id, createdAt: sweepAt } });
  await recordSweep(tx, sweep.id, { id: `tr_demo_${spec.slug}_sweep`, amount: usd ? 50_000 : 40_000, currency: spec.currency.toLowerCase(), amount_reversed: 0 }, sweepAt);

  // The open run: this month so far, with a bonus.
  const open = await computePayRun(tx, { periodStart: current.start, periodEnd: current.end, label: current.label, now });
  if (teachers[1]) await addAdjustment(tx, { runId: open.runId, teacherId: teachers[1].id, kind: "BONUS", amountMinor: usd ? 5000 : 4000, reason: "Led the autumn concert", createdById: admin.id, now });
}
