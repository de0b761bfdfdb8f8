// `npm run bench`: server-side latency of the calendar and scheduling paths at a
// realistic volume (60 teachers, 1,500 students, 12 rooms, ~60,000 occurrences),
// on its own embedded PostgreSQL in a temporary folder. Each operation is timed
// through the app's own code (SchoolDb.run: RLS-bound transaction, Prisma) and
// printed next to a floor: the bare SQL for the same work on the same data, over
// the same app role with the school set in a transaction. Prints a markdown table.
// Numbers depend on the machine; nothing here asserts on time.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { enrollStudent } from "../app/models/enrollment.server";
import { calendarOccurrences } from "../app/models/calendar.server";
import { createLessonSeries } from "../app/models/scheduling.server";
import { addDays, localDateTimeToUtc } from "../app/domain/time";
import { prepareDatabase } from "../server/db/setup.server";
import { loadEnv } from "../server/env.server";
import { createServices } from "../server/services.server";
import { generateSchool, slotDate, slotTime, teacherOf, WEEKS, YEAR_START, ZONE } from "./generate";
import { markdownTable, measurePair, ms, type Sample } from "./stats";

const READS = Number(process.env.BENCH_READS ?? 200);
const WRITES = Number(process.env.BENCH_WRITES ?? 50);
const log = (m: string) => console.log(`[bench] ${m}`);

const started = performance.now();
const dataDir = mkdtempSync(path.join(os.tmpdir(), "encore-bench-"));
// "test": the embedded database is for development and tests (production requires DATABASE_URL).
const env = loadEnv({ NODE_ENV: "test", DATA_DIR: dataDir, SEED: "none", JOBS: "off" });
log(`starting PostgreSQL in ${dataDir}`);
const db = await prepareDatabase(env, { ephemeral: true });
const services = createServices(env, db);
const appPool = new pg.Pool({ connectionString: db.appUrl, max: 2 });
const ownerPool = new pg.Pool({ connectionString: db.ownerUrl, max: 2 });
// Idle connections are cut when the server stops at the end: not an error here.
for (const pool of [appPool, ownerPool]) pool.on("error", () => {});

try {
  log("generating the school…");
  const genStarted = performance.now();
  const school = await generateSchool(services, (m) => log(m));
  // Settle the freshly loaded tables (statistics, visibility map) as a live database would be.
  await ownerPool.query("VACUUM (ANALYZE)");
  await ownerPool.query("CHECKPOINT");
  log(`  generated in ${((performance.now() - genStarted) / 1000).toFixed(1)} s`);
  const schoolDb = services.platform.schoolDb(school.schoolId);

  // A bare transaction as the app role, with the school set (the same RLS the app gets).
  async function bare<T extends pg.QueryResultRow>(sql: string, values: unknown[]) {
    const client = await appPool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT set_config('app.school_id', $1, true)", [school.schoolId]);
      const result = await client.query<T>(sql, values);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  // The columns are `timestamptz`: pass ISO text with its "Z", so the instant never
  // depends on the session's TimeZone.
  const utc = (d: Date) => d.toISOString();
  const weekOf = (i: number) => {
    const k = (i * 17) % WEEKS;
    return { from: localDateTimeToUtc(addDays(YEAR_START, 7 * k), "00:00", ZONE), to: localDateTimeToUtc(addDays(YEAR_START, 7 * k + 7), "00:00", ZONE) };
  };
  const teacherFor = (i: number) => school.teacherIds[(i * 7) % school.teacherIds.length]!;

  const occurrenceCount = Number(
    (await bare<{ n: string }>(`SELECT count(*)::text AS n FROM "LessonOccurrence"`, [])).rows[0]!.n,
  );
  const { from: wFrom, to: wTo } = weekOf(5);
  const weekRows = (await schoolDb.run((tx) => calendarOccurrences(tx, wFrom, wTo))).length;
  const teacherRows = (await schoolDb.run((tx) => calendarOccurrences(tx, wFrom, wTo, { teacherId: teacherFor(3) }))).length;

  // ---- reads ----
  log(`school week calendar × ${READS}`);
  const { app: week, floor: weekFloor } = await measurePair(
    READS,
    (i) => {
      const w = weekOf(i);
      return schoolDb.run((tx) => calendarOccurrences(tx, w.from, w.to));
    },
    (i) => {
      const w = weekOf(i);
      return bare(
        `SELECT "id", "lessonId", "startsAt", "endsAt", "status", "instructorId", "roomId" FROM "LessonOccurrence"
         WHERE "schoolId" = $1 AND "startsAt" >= $2 AND "startsAt" < $3 AND "status" IN ('SCHEDULED', 'COMPLETED') ORDER BY "startsAt"`,
        [school.schoolId, utc(w.from), utc(w.to)],
      );
    },
  );

  log(`teacher week × ${READS}`);
  const { app: teacherWeek, floor: teacherFloor } = await measurePair(
    READS,
    (i) => {
      const w = weekOf(i);
      return schoolDb.run((tx) => calendarOccurrences(tx, w.from, w.to, { teacherId: teacherFor(i) }));
    },
    (i) => {
      const w = weekOf(i);
      return bare(
        `SELECT "id", "lessonId", "startsAt", "endsAt", "status", "instructorId", "roomId" FROM "LessonOccurrence"
         WHERE "instructorId" = $1 AND "startsAt" >= $2 AND "startsAt" < $3 AND "status" IN ('SCHEDULED', 'COMPLETED') ORDER BY "startsAt"`,
        [teacherFor(i), utc(w.from), utc(w.to)],
      );
    },
  );

  // ---- the plan of the week query ----
  const explain = await bare<{ "QUERY PLAN": string }>(
    `EXPLAIN (ANALYZE, BUFFERS) SELECT "id", "startsAt" FROM "LessonOccurrence"
     WHERE "startsAt" >= $1 AND "startsAt" < $2 AND "status" IN ('SCHEDULED', 'COMPLETED') ORDER BY "startsAt"`,
    [utc(wFrom), utc(wTo)],
  );
  const plan = explain.rows.map((r) => r["QUERY PLAN"]);
  const pgVersion = (await ownerPool.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;

  // ---- writes ----
  // Enrollment: a distinct (student, group class with a free seat) each time, committed.
  const pairs: { studentId: string; lessonId: string }[] = [];
  const floorPairs: { studentId: string; lessonId: string }[] = [];
  const seatsFree = (g: { studentIds: Set<string> }) => 8 - g.studentIds.size;
  for (let s = 0, g = 0; pairs.length + floorPairs.length < 2 * (WRITES + 10) && g < 100_000; g++) {
    const group = school.groupLessons[(g * 13) % school.groupLessons.length]!;
    const studentId = school.studentIds[(s * 31) % school.studentIds.length]!;
    s++;
    if (seatsFree(group) <= 0 || group.studentIds.has(studentId)) continue;
    group.studentIds.add(studentId);
    (pairs.length <= floorPairs.length ? pairs : floorPairs).push({ studentId, lessonId: group.id });
  }
  log(`enroll a student × ${WRITES}`);
  const enrollApp = async (i: number) => {
    const p = pairs[i]!;
    const r = await schoolDb.run((tx) => enrollStudent(tx, { lessonId: p.lessonId, studentId: p.studentId, requireApproval: false, waitlist: true }));
    if (r.outcome !== "ACTIVE") throw new Error(`unexpected enrollment outcome ${r.outcome}`);
  };
  // Floor: the same lock, seat count and insert in bare SQL.
  const enrollBare = async (i: number) => {
    const p = floorPairs[i]!;
    const client = await appPool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT set_config('app.school_id', $1, true)", [school.schoolId]);
      await client.query(`SELECT "id" FROM "Lesson" WHERE "id" = $1 FOR UPDATE`, [p.lessonId]);
      await client.query(`SELECT count(*) FROM "Enrollment" WHERE "lessonId" = $1 AND "status" = 'ACTIVE'`, [p.lessonId]);
      await client.query(`INSERT INTO "Enrollment" ("id", "lessonId", "studentId", "status") VALUES ($1, $2, $3, 'ACTIVE')`, [`floor-${i}-${p.studentId}`, p.lessonId, p.studentId]);
      await client.query("COMMIT");
    } finally {
      client.release();
    }
  };
  const { app: enroll, floor: enrollFloor } = await measurePair(WRITES, enrollApp, enrollBare);

  // A year-long weekly series in a free teacher/room slot, with its conflict checks; committed.
  const free = [...school.freeSlots];
  const takeSlot = () => {
    const slot = free.shift();
    if (!slot) throw new Error("no free slot left");
    return slot;
  };
  log(`create a year-long weekly series × ${WRITES}`);
  let seriesOccurrences = 0;
  const seriesApp = async () => {
    const slot = takeSlot();
    const r = await schoolDb.run((tx) =>
      createLessonSeries(
        tx,
        ZONE,
        {
          title: "Bench series",
          type: "INDIVIDUAL",
          instructorId: school.teacherIds[teacherOf(slot)]!,
          locationId: school.locationIds[Math.floor(slot.room / 6)]!,
          roomId: school.roomIds[slot.room]!,
          firstDate: slotDate(slot),
          startTime: slotTime(slot),
          durationMinutes: 45,
          recurrence: "WEEKLY",
          endDate: slotDate(slot, WEEKS - 1),
          maxStudents: 1,
        },
        new Date(`${YEAR_START}T00:00:00Z`),
      ),
    );
    seriesOccurrences = r.occurrenceCount;
  };
  // Floor: the same rows (a lesson and its 52 occurrences, exclusion constraints checked) in bare SQL.
  const seriesBare = async (i: number) => {
    const slot = takeSlot();
    const lessonId = `floor-lesson-${i}-${slot.day}-${slot.hour}-${slot.room}`;
    const teacherId = school.teacherIds[teacherOf(slot)]!;
    const roomId = school.roomIds[slot.room]!;
    const starts = Array.from({ length: WEEKS }, (_, w) => localDateTimeToUtc(slotDate(slot, w), slotTime(slot), ZONE));
    const client = await appPool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT set_config('app.school_id', $1, true)", [school.schoolId]);
      await client.query(
        `SELECT "id" FROM "LessonOccurrence" WHERE "status" = 'SCHEDULED' AND "startsAt" < $3 AND "endsAt" > $2 AND ("instructorId" = $1 OR "roomId" = $4)`,
        [teacherId, utc(starts[0]!), utc(starts.at(-1)!), roomId],
      );
      await client.query(
        `INSERT INTO "Lesson" ("id", "title", "type", "instructorId", "roomId", "startTime", "endTime", "duration", "recurrence", "updatedAt")
         VALUES ($1, 'Floor series', 'INDIVIDUAL', $2, $3, $4, $5, 45, 'WEEKLY', now())`,
        [lessonId, teacherId, roomId, utc(starts[0]!), utc(new Date(starts[0]!.getTime() + 45 * 60_000))],
      );
      await client.query(
        `INSERT INTO "LessonOccurrence" ("id", "lessonId", "startsAt", "endsAt", "instructorId", "roomId", "updatedAt")
         SELECT $1 || '-' || n, $1, s, s + interval '45 minutes', $2, $3, now() FROM unnest($4::timestamptz[]) WITH ORDINALITY AS t(s, n)`,
        [lessonId, teacherId, roomId, starts.map(utc)],
      );
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  };
  const { app: series, floor: seriesFloor } = await measurePair(WRITES, seriesApp, seriesBare);

  // ---- report ----
  const row = (name: string, s: Sample, floor: Sample, target: string) => [name, String(s.n), ms(s.p50), ms(s.p95), ms(floor.p50), ms(floor.p95), target];
  const table = markdownTable(
    ["Operation (server-side)", "N", "p50", "p95", "floor p50", "floor p95", "target (p95)"],
    [
      row(`School week calendar (${weekRows} occurrences)`, week, weekFloor, "< 100 ms"),
      row(`Teacher's week (${teacherRows} occurrences)`, teacherWeek, teacherFloor, "< 100 ms"),
      row("Enroll a student in a group class", enroll, enrollFloor, "—"),
      row(`Create a weekly series, 1 year (${seriesOccurrences} dates, conflict-checked)`, series, seriesFloor, "< 300 ms"),
    ],
  );
  console.log("");
  console.log(`Encore benchmarks — ${occurrenceCount.toLocaleString("en-US")} occurrences, 1,150 weekly series, 60 teachers, 1,500 students, 12 rooms at 2 locations`);
  const load = os.loadavg().map((l) => l.toFixed(1)).join(" / ");
  console.log(`Node ${process.version}, PostgreSQL ${pgVersion} (embedded, fsync off), ${os.cpus().length} CPU(s) ${os.cpus()[0]?.model ?? ""}, load average ${load} (1/5/15 min)`);
  console.log("");
  console.log(table);
  console.log("");
  console.log("Floors: the same work as bare SQL over the app role (RLS on, school set per transaction), no ORM.");
  console.log("Week query plan (EXPLAIN (ANALYZE, BUFFERS), RLS applied):");
  for (const line of plan.filter((l) => /Scan|Index Cond|Filter|Buffers|Execution Time|Planning Time|Sort/.test(l)).slice(0, 10)) console.log(`    ${line.trim()}`);
  const verdict = [
    week.p95 < 100 ? "week view p95 within 100 ms" : "week view p95 OVER 100 ms",
    series.p95 < 300 ? "series creation p95 within 300 ms" : "series creation p95 OVER 300 ms",
  ];
  console.log("");
  console.log(`Targets: ${verdict.join("; ")}. Total run ${((performance.now() - started) / 1000).toFixed(0)} s.`);
} finally {
  await appPool.end().catch(() => {});
  await ownerPool.end().catch(() => {});
  await services.close().catch(() => {});
  await db.stop().catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
}
