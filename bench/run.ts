// `npm run bench`: what the app costs, measured honestly, on one machine.
//
// - Data: 200 schools in one embedded PostgreSQL (bench/generate.ts): the large school
//   (60 teachers, 1,500 students, a year of weekly lessons, ~60,000 occurrences) and
//   199 small ones, so row-level security always has other schools' rows to filter.
// - Durable writes: the database runs with PostgreSQL's defaults (fsync,
//   synchronous_commit and full_page_writes on). Only the data generation turns them
//   off (ALTER SYSTEM + reload) and they are back on, and printed, before anything is
//   measured.
// - Pages: the production build (build/server.js, NODE_ENV=production) in a second
//   process on loopback, loaded from this one at 1 and 20 concurrent users: the admin
//   week calendar of the large school, a teacher's day, a family page, the landing page
//   cached and uncached (every school in turn, each visited again only after the cache
//   expired), and /healthz. The server's resident memory before and after.
// - Floors: the SQL the app sent for one request (recorded in the server by
//   bench/sql-capture.mjs), replayed bare with `pg` over the same roles (the app role
//   with its transaction and `set_config`, the platform role), statement by statement
//   in the same order, at the same concurrency. app/floor is what the app adds to its
//   own SQL.
// - Row-level security: the week's calendar query as the app role with RLS, against the
//   same statement as a superuser (no RLS) reading views that filter the school
//   explicitly.
// - Writes: a year-long weekly series with its conflict checks, through the app's code
//   in this process; its floor replays the SQL it sent (after removing what it wrote).
// Prints a markdown table with the machine, the versions and the settings, and writes
// bench/results.json. Nothing here asserts on time.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { addDays, localDateTimeToUtc, toLocalDate } from "../app/domain/time";
import { generateTermInvoices } from "../app/models/billing.server";
import { createLessonSeries } from "../app/models/scheduling.server";
import { schoolLucia } from "../app/utils/sessions.server";
import { sessionUrl } from "../server/db/clients.server";
import { freePort } from "../server/db/embedded.server";
import { APP_ROLE, PLATFORM_ROLE } from "../server/db/rls";
import { prepareDatabase } from "../server/db/setup.server";
import { loadEnv } from "../server/env.server";
import { createServices } from "../server/services.server";
import { generateSchool, generateSmallSchools, SCALE, slotDate, slotTime, teacherOf, WEEKS, YEAR_START, ZONE } from "./generate";
import { load, loadFn, request, type PageRequest } from "./http-load";
import { startCapture, stopCapture, type CapturedQuery } from "./sql-capture.mjs";
import { benchServerEnv, SERVER_NODE_OPTIONS } from "./server-env";
import { markdownTable, ms, summarize, type Sample } from "./stats";

const TEACHER = "Teacher's day (/teach/today)";
const FAMILY = "Family page (/family, 2 children)";
const FULL = SCALE === "full";
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? (FULL ? 100 : 60));
const WRITES = Number(process.env.BENCH_WRITES ?? (FULL ? 30 : 8));
const CONCURRENCY = [1, 20];
const LANDING_TTL_MS = 5_000;
const log = (m: string) => console.log(`[bench] ${m}`);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const started = performance.now();
if (!process.env.BENCH_SKIP_BUILD) {
  log("building (npm run build)…");
  const built = spawnSync("npm", ["run", "build"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  if (built.status !== 0) throw new Error("the build failed; nothing was measured");
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), "encore-bench-"));
// "test": the embedded database is for development and tests (production requires DATABASE_URL).
const env = loadEnv({ NODE_ENV: "test", DATA_DIR: dataDir, SEED: "none", JOBS: "off" });
log(`starting PostgreSQL in ${dataDir} (production settings: fsync on)`);
const db = await prepareDatabase(env, { ephemeral: false });
const services = createServices(env, db);
const owner = new pg.Pool({ connectionString: sessionUrl(db.ownerUrl), max: 4 });
// The floors' pools: the same roles and sizes as the server's (DATABASE_POOL_SIZE 20, the platform a quarter).
const pools: Record<string, pg.Pool> = {
  [APP_ROLE]: new pg.Pool({ connectionString: sessionUrl(db.appUrl), max: 20 }),
  [PLATFORM_ROLE]: new pg.Pool({ connectionString: sessionUrl(db.ownerUrl, { role: PLATFORM_ROLE }), max: 5 }),
};
for (const pool of [owner, ...Object.values(pools)]) pool.on("error", () => {});
let server: ChildProcess | null = null;

interface OperationResult {
  name: string;
  concurrency: number;
  n: number;
  app: Sample;
  floor: Sample | null;
  note?: string;
}
const results: OperationResult[] = [];

try {
  // ---- data ----
  const durable = ["fsync", "synchronous_commit", "full_page_writes"];
  for (const name of durable) await owner.query(`ALTER SYSTEM SET ${name} = off`);
  await owner.query("SELECT pg_reload_conf()");
  const genStarted = performance.now();
  log(`generating the data (scale: ${SCALE}, year from ${YEAR_START})…`);
  const school = await generateSchool(services, log);
  log(`  the large school in ${((performance.now() - genStarted) / 1000).toFixed(0)} s`);
  const small = await generateSmallSchools(services, owner, log);
  for (const name of durable) await owner.query(`ALTER SYSTEM RESET ${name}`);
  await owner.query("SELECT pg_reload_conf()");
  await owner.query("VACUUM (ANALYZE)");
  await owner.query("CHECKPOINT");
  const counts = (
    await owner.query<{ schools: number; occurrences: number; mine: number }>(
      `SELECT (SELECT count(*)::int FROM "School") AS schools, (SELECT count(*)::int FROM "LessonOccurrence") AS occurrences,
              (SELECT count(*)::int FROM "LessonOccurrence" WHERE "schoolId" = $1) AS mine`,
      [school.schoolId],
    )
  ).rows[0]!;
  log(`  ${counts.schools} schools, ${counts.occurrences.toLocaleString("en-US")} occurrences (${counts.mine.toLocaleString("en-US")} in the large school), in ${((performance.now() - genStarted) / 1000).toFixed(0)} s`);
  // The settings every measurement below runs with (a new connection, after the reload).
  const settings = (
    await owner.query<{ name: string; setting: string }>(
      `SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers', 'work_mem', 'max_connections', 'server_version') ORDER BY name`,
    )
  ).rows;
  const setting = (n: string) => settings.find((s) => s.name === n)?.setting ?? "?";
  if (setting("fsync") !== "on" || setting("synchronous_commit") !== "on") throw new Error("the database is not durable: refusing to measure");

  // Sessions, as the sign-in writes them: the admin, the busiest teacher today, parent 0 (two children).
  const schoolDb = services.platform.schoolDb(school.schoolId);
  const today = toLocalDate(new Date(), ZONE);
  const dayFrom = localDateTimeToUtc(today, "00:00", ZONE);
  const dayTo = localDateTimeToUtc(addDays(today, 1), "00:00", ZONE);
  const busiest = (
    await owner.query<{ id: string; n: number }>(
      `SELECT "instructorId" AS id, count(*)::int AS n FROM "LessonOccurrence" WHERE "schoolId" = $1 AND "startsAt" >= $2 AND "startsAt" < $3
        GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`,
      [school.schoolId, dayFrom.toISOString(), dayTo.toISOString()],
    )
  ).rows[0];
  const teacherId = busiest?.id ?? school.teacherIds[0]!;
  const cookieFor = async (userId: string) => `encore_session=${(await schoolDb.run((tx) => schoolLucia(tx, false).createSession(userId, {}))).id}`;
  const adminCookie = await cookieFor(school.adminId);
  const teacherCookie = await cookieFor(teacherId);
  const parentCookie = await cookieFor(school.parentIds[0]!);

  // ---- the production server, in a second process ----
  const port = await freePort();
  server = spawn(process.execPath, ["--expose-gc", "--import", "./bench/sql-capture.mjs", "build/server.js"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    serialization: "advanced",
    env: benchServerEnv({ port, ownerUrl: db.ownerUrl, appUrl: db.appUrl, dataDir }),
  });
  let serverErr = "";
  server.stderr?.on("data", (d: Buffer) => (serverErr = (serverErr + d.toString()).slice(-4000)));
  const serverProblems = new Map<string, number>();
  server.stdout?.on("data", (d: Buffer) => {
    for (const line of d.toString().split("\n")) {
      const m = /"msg":"([^"]*)"/.exec(line);
      const err = /"message":"([^"]{0,160})/.exec(line);
      if (m) serverProblems.set(`${m[1]}${err ? `: ${err[1]}` : ""}`, (serverProblems.get(`${m[1]}${err ? `: ${err[1]}` : ""}`) ?? 0) + 1);
    }
  });
  const child = server;
  const hostOf = (slug: string) => `${slug}.localhost:${port}`;
  const large = hostOf(school.slug);
  for (let waited = 0; ; waited += 250) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}): ${serverErr}`);
    if (waited > 120_000) throw new Error("the server did not answer /healthz in time");
    const ok = await request(port, { host: `localhost:${port}`, path: "/healthz" }).then((r) => r.status === 200, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const rss = () => {
    const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
  };
  const rssBefore = rss();
  log(`server ready on 127.0.0.1:${port}, ${rssBefore.rss.toFixed(0)} MB resident`);

  /** The SQL the server sends for one request. */
  const captureRequest = async (req: PageRequest) => {
    const startedMsg = new Promise<void>((resolve) => child.once("message", () => resolve()));
    child.send("capture:start");
    await startedMsg;
    const res = await request(port, req);
    const captured = new Promise<CapturedQuery[]>((resolve) =>
      child.once("message", (m: { type: string; queries: CapturedQuery[] }) => resolve(m.queries)),
    );
    child.send("capture:stop");
    const queries = (await captured).map((q) => ({ ...q, values: q.values.map((v) => (v instanceof Uint8Array ? Buffer.from(v) : v)) }));
    return { res, queries };
  };

  /**
   * Replays recorded statements bare. The recording is cut into units, each a
   * transaction (BEGIN … COMMIT) or a single statement on one connection; a unit runs
   * on a client of its role's pool, statement after statement, and gives it back, as
   * the app's pool does. Units that overlapped in the recording (the loaders Remix runs
   * in parallel) run in parallel; a unit that began after another ended waits for it.
   */
  const unitsOf = (queries: CapturedQuery[]) => {
    const units: { role: string | null; queries: CapturedQuery[]; start: number; end: number }[] = [];
    const open = new Map<number, (typeof units)[number]>();
    queries.forEach((q, i) => {
      let unit = open.get(q.id);
      if (!unit) {
        unit = { role: q.role, queries: [], start: i, end: i };
        units.push(unit);
        if (q.text === "BEGIN") open.set(q.id, unit);
      }
      unit.queries.push(q);
      unit.end = i;
      if (/^(COMMIT|ROLLBACK)$/.test(q.text)) open.delete(q.id);
    });
    return units;
  };
  const replay = async (queries: CapturedQuery[]) => {
    const units = unitsOf(queries);
    const done: Promise<void>[] = [];
    for (const unit of units) {
      const before = units.flatMap((u, j) => (u.end < unit.start ? [done[j]!] : []));
      done.push(
        Promise.all(before).then(async () => {
          const pool = pools[unit.role ?? ""];
          if (!pool) throw new Error(`no pool for role ${unit.role}`);
          const client = await pool.connect();
          try {
            for (const q of unit.queries) await client.query(q.text, q.values);
          } finally {
            client.release();
          }
        }),
      );
    }
    await Promise.all(done);
  };

  const describeSql = (queries: CapturedQuery[]) => {
    const tx = queries.filter((q) => q.text === "BEGIN").length;
    const statements = queries.filter((q) => !/^(BEGIN|COMMIT|ROLLBACK)$/.test(q.text) && !q.text.startsWith("SELECT set_config")).length;
    return `${statements} statements in ${tx} transactions`;
  };

  interface Page {
    name: string;
    req: (i: number) => PageRequest;
    expect: (body: string) => boolean;
    /** Visit each school again only after the page cache expired (uncached landing pages). */
    rotate?: boolean;
    /** Served from a page cache (the anonymous landing cache, or a signed-in page reopened): no floor. */
    cached?: boolean;
  }
  const allSlugs = [school.slug, ...small.slugs];
  // A signed-in page twice: reopened by the same person (the signed-in page cache serves it
  // until the school's data changes), and a first view (a cookie of its own per request, so
  // the cache never has it: every request renders, as after any change to the school).
  let firstView = 0;
  const signedIn = (name: string, path: string, cookie: string, expect: (b: string) => boolean): Page[] => [
    { name: `${name}, first view`, req: () => ({ host: large, path, cookie: `${cookie}; bench_view=${++firstView}` }), expect },
    { name: `${name}, reopened`, req: () => ({ host: large, path, cookie }), expect, cached: true },
  ];
  const pages: Page[] = [
    { name: "GET /healthz", req: () => ({ host: `localhost:${port}`, path: "/healthz" }), expect: (b) => b.includes('"ok"') },
    ...signedIn("Admin week calendar, large school", "/admin/calendar?view=week", adminCookie, (b) => b.includes("Week:") || b.includes("cal-")),
    ...signedIn(TEACHER, "/teach/today", teacherCookie, (b) => b.length > 1000),
    ...signedIn(FAMILY, "/family", parentCookie, (b) => b.length > 1000),
    { name: "Landing page, cached", req: () => ({ host: large, path: "/" }), expect: (b) => b.includes("Bench Conservatory"), cached: true },
    { name: "Landing page, uncached (every school in turn)", req: (i) => ({ host: hostOf(allSlugs[i % allSlugs.length]!), path: "/" }), expect: (b) => b.includes("<html"), rotate: true },
  ];

  let weekQueries: CapturedQuery[] = [];
  const sqlNotes: string[] = [];
  for (const page of pages) {
    // One request to check the page and record its SQL (an uncached landing page: a school not yet visited).
    const probeReq = page.rotate ? { host: hostOf(small.slugs.at(-1)!), path: "/" } : page.req(0);
    const { res, queries } = await captureRequest(probeReq);
    if (res.status !== 200 || !page.expect(res.body)) throw new Error(`${page.name}: answered ${res.status} (${res.body.slice(0, 200)})`);
    if (page.name.startsWith("Admin week") && !page.cached) weekQueries = queries;
    if (process.env.BENCH_DUMP_SQL) writeFileSync(`${process.env.BENCH_DUMP_SQL}-${pages.indexOf(page)}.json`, JSON.stringify(queries, null, 1));
    const floorQueries = page.cached ? [] : queries;
    sqlNotes.push(`${page.name}: ${page.cached ? "served from a page cache, no SQL" : describeSql(queries)}, ${(res.body.length / 1024).toFixed(0)} KB of HTML`);
    for (const concurrency of CONCURRENCY) {
      const total = page.rotate ? Math.min(REQUESTS, allSlugs.length) : REQUESTS;
      log(`${page.name} × ${total} at ${concurrency} user(s)…`);
      if (page.rotate) await new Promise((r) => setTimeout(r, LANDING_TTL_MS + 200));
      else await load(port, concurrency, Math.min(40, total), page.req); // warm-up
      const measured = await load(port, concurrency, total, (i) => page.req(page.rotate ? i + 1 : i));
      const bad = [...measured.statuses].filter(([s]) => s !== 200);
      const failures = bad.length ? `answers ${bad.map(([s, n]) => `${n}× ${s}`).join(", ")}` : "";
      let floor: Sample | null = null;
      if (floorQueries.length) {
        await loadFn(concurrency, Math.min(20, total), () => replay(floorQueries));
        floor = summarize(await loadFn(concurrency, total, () => replay(floorQueries)));
      }
      const note = [`${measured.cacheHits}/${total} from the cache`, failures].filter(Boolean).join("; ");
      results.push({ name: page.name, concurrency, n: total, app: summarize(measured.times), floor, note });
      const row = results.at(-1)!;
      log(`  p50 ${ms(row.app.p50)}, p95 ${ms(row.app.p95)}; floor p95 ${floor ? ms(floor.p95) : "—"}${note ? `; ${note}` : ""}`);
    }
  }

  // 200 visitors arriving together on an expired landing page.
  await new Promise((r) => setTimeout(r, LANDING_TTL_MS + 200));
  log("200 visitors arriving together on an expired landing page…");
  const crowd = await load(port, 200, 200, () => ({ host: large, path: "/" }));
  log(`  ${crowd.cacheHits}/200 from the cache`);
  results.push({ name: "Landing page, 200 visitors at once on an expired cache", concurrency: 200, n: 200, app: summarize(crowd.times), floor: null, note: `${crowd.cacheHits}/200 from the cache` });
  const rssAfter = rss();
  // The same process after a full garbage collection: what it keeps once the load is over.
  const memory = await new Promise<{ usage: NodeJS.MemoryUsage }>((resolve) => {
    child.once("message", (m: { usage: NodeJS.MemoryUsage }) => resolve(m));
    child.send("memory");
  });
  const rssCollected = memory.usage.rss / 2 ** 20;
  const heapCollected = memory.usage.heapUsed / 2 ** 20;
  // Outside the heap: Buffers and ArrayBuffers (external) — what the heap figure does not explain.
  const externalCollected = memory.usage.external / 2 ** 20;
  const arrayBuffersCollected = memory.usage.arrayBuffers / 2 ** 20;

  // ---- row-level security's cost on the week's calendar query ----
  const calendarIndex = weekQueries.findIndex((q) => q.text.includes('FROM "LessonOccurrence" o'));
  if (calendarIndex < 0) throw new Error("the week page sent no calendar query");
  const calendarQuery = weekQueries[calendarIndex]!;
  const schoolSetting = weekQueries.slice(0, calendarIndex).findLast((q) => q.text.startsWith("SELECT set_config"));
  if (!schoolSetting) throw new Error("the calendar query ran without a school set");
  const tables = (
    await owner.query<{ t: string }>(
      `SELECT c.table_name::text AS t FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
        WHERE c.table_schema = 'public' AND c.column_name = 'schoolId' AND t.table_type = 'BASE TABLE'`,
    )
  ).rows.map((r) => r.t);
  await owner.query("CREATE SCHEMA bench_norls");
  for (const t of tables) await owner.query(`CREATE VIEW bench_norls."${t}" AS SELECT * FROM public."${t}" WHERE "schoolId" = '${school.schoolId}'`);
  const ownerClient = await owner.connect();
  const appClient = await pools[APP_ROLE]!.connect();
  let rls: { on: Sample; off: Sample; plan: string[]; rows: number } | null = null;
  try {
    await ownerClient.query("SET search_path = bench_norls, public");
    const withRls = async () => {
      await appClient.query("BEGIN");
      await appClient.query(schoolSetting.text, schoolSetting.values);
      const r = await appClient.query(calendarQuery.text, calendarQuery.values);
      await appClient.query("COMMIT");
      return r.rowCount ?? 0;
    };
    const withoutRls = async () => {
      await ownerClient.query("BEGIN");
      const r = await ownerClient.query(calendarQuery.text, calendarQuery.values);
      await ownerClient.query("COMMIT");
      return r.rowCount ?? 0;
    };
    const rowsOn = await withRls();
    const rowsOff = await withoutRls();
    if (rowsOn !== rowsOff) throw new Error(`RLS comparison: ${rowsOn} rows with RLS, ${rowsOff} without`);
    const on: number[] = [];
    const off: number[] = [];
    for (let i = 0; i < 20; i++) {
      await withRls();
      await withoutRls();
    }
    for (let i = 0; i < REQUESTS; i++) {
      let t = performance.now();
      await withRls();
      on.push(performance.now() - t);
      t = performance.now();
      await withoutRls();
      off.push(performance.now() - t);
    }
    await appClient.query("BEGIN");
    await appClient.query(schoolSetting.text, schoolSetting.values);
    const explain = await appClient.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${calendarQuery.text}`, calendarQuery.values);
    await appClient.query("COMMIT");
    rls = { on: summarize(on), off: summarize(off), plan: explain.rows.map((r) => r["QUERY PLAN"]), rows: rowsOn };
  } finally {
    ownerClient.release();
    appClient.release();
  }
  const rlsOverhead = ((rls.on.p50 - rls.off.p50) / rls.off.p50) * 100;

  // ---- writes: a year-long weekly series with its conflict checks, committed durably ----
  const free = [...school.freeSlots];
  log(`create a year-long weekly series × ${WRITES} (fsync on)…`);
  const seriesApp: number[] = [];
  const seriesFloor: number[] = [];
  let seriesDates = 0;
  let seriesSql = "";
  for (let i = 0; i < WRITES + 3; i++) {
    const slot = free.shift();
    if (!slot) throw new Error("no free slot left");
    startCapture();
    let t = performance.now();
    const created = await schoolDb.run((tx) =>
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
    const appMs = performance.now() - t;
    const queries = stopCapture();
    seriesDates = created.occurrenceCount;
    seriesSql = describeSql(queries);
    // Take back what it wrote, then send the same statements bare (the same rows again, committed).
    const lessonId = created.lesson.id;
    await owner.query(`DELETE FROM "LessonOccurrence" WHERE "lessonId" = $1`, [lessonId]);
    await owner.query(`DELETE FROM "Lesson" WHERE "id" = $1`, [lessonId]);
    t = performance.now();
    await replay(queries);
    const floorMs = performance.now() - t;
    if (i >= 3) {
      seriesApp.push(appMs);
      seriesFloor.push(floorMs);
    }
  }
  results.push({ name: `Create a year-long weekly series (${seriesDates} dates, conflict-checked, fsync on)`, concurrency: 1, n: WRITES, app: summarize(seriesApp), floor: summarize(seriesFloor) });
  sqlNotes.push(`Weekly series: ${seriesSql}`);

  // ---- billing: a term's draft invoices for every family of the large school ----
  // A price per lesson type for the Fall term, then each family's draft generated in its own
  // transaction (the per-family figure), its floor the SQL of the first ones replayed after
  // removing what they wrote, and the whole term in one transaction, as the admin's button does.
  const fall = await schoolDb.run((tx) => tx.term.findFirstOrThrow({ where: { name: "Fall" }, select: { id: true } }));
  await schoolDb.run((tx) =>
    tx.priceListLine.createMany({
      data: (["INDIVIDUAL", "GROUP", "HYBRID", "ENSEMBLE", "BAND_REHEARSAL"] as const).map((lessonType) => ({ termId: fall.id, lessonType, amountMinor: lessonType === "INDIVIDUAL" ? 48_000 : 26_000, currency: "USD" })),
    }),
  );
  const familyIds = (await owner.query<{ id: string }>(`SELECT id FROM "FamilyGroup" WHERE "schoolId" = $1 ORDER BY id`, [school.schoolId])).rows.map((r) => r.id);
  const removeDrafts = async (familyGroupId?: string) => {
    const where = familyGroupId ? `"familyGroupId" = $2` : `"termId" = $2`;
    await owner.query(`DELETE FROM "InvoiceLine" WHERE "invoiceId" IN (SELECT id FROM "Invoice" WHERE "schoolId" = $1 AND ${where})`, [school.schoolId, familyGroupId ?? fall.id]);
    await owner.query(`DELETE FROM "Invoice" WHERE "schoolId" = $1 AND ${where}`, [school.schoolId, familyGroupId ?? fall.id]);
  };
  log(`generate the Fall term's draft invoices for ${familyIds.length} families, one at a time (fsync on)…`);
  const invoiceApp: number[] = [];
  const invoiceFloor: number[] = [];
  let invoiceSql = "";
  let lines = 0;
  const billingNow = new Date(`${YEAR_START}T12:00:00Z`);
  for (const [i, familyGroupId] of familyIds.entries()) {
    const sample = i < WRITES;
    if (sample) startCapture();
    const t = performance.now();
    await schoolDb.run((tx) => generateTermInvoices(tx, { termId: fall.id, now: billingNow, familyGroupId }));
    invoiceApp.push(performance.now() - t);
    if (!sample) continue;
    const queries = stopCapture();
    invoiceSql = describeSql(queries);
    await removeDrafts(familyGroupId);
    const f = performance.now();
    await replay(queries);
    invoiceFloor.push(performance.now() - f);
  }
  lines = Number((await owner.query<{ n: string }>(`SELECT count(*) AS n FROM "InvoiceLine" l JOIN "Invoice" v ON v.id = l."invoiceId" WHERE v."termId" = $1`, [fall.id])).rows[0]!.n);
  results.push({ name: `Generate a term's draft invoice, per family (${familyIds.length} families, ${lines} lines, fsync on)`, concurrency: 1, n: invoiceApp.length, app: summarize(invoiceApp), floor: summarize(invoiceFloor) });
  sqlNotes.push(`Draft invoice for one family: ${invoiceSql}`);
  await removeDrafts();
  const whole = performance.now();
  const generated = await schoolDb.run((tx) => generateTermInvoices(tx, { termId: fall.id, now: billingNow }), { timeout: 600_000 });
  const wholeMs = performance.now() - whole;
  results.push({
    name: `Generate a term's draft invoices, all ${generated.families} families in one transaction (the admin's button)`,
    concurrency: 1,
    n: 1,
    app: summarize([wholeMs]),
    floor: null,
    note: `${(wholeMs / Math.max(1, generated.families)).toFixed(1)} ms per family`,
  });

  // ---- report ----
  const version = (await owner.query<{ v: string }>("SELECT version() AS v")).rows[0]!.v.split(",")[0];
  const cpu = os.cpus();
  const machine = `${cpu[0]?.model ?? "?"}, ${cpu.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB memory, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" / ")} (1/5/15 min)`;
  const fmtRatio = (r: OperationResult) => (r.floor ? `${(r.app.p95 / r.floor.p95).toFixed(1)}×` : "—");
  const table = markdownTable(
    ["Operation", "users", "N", "p50", "p95", "floor p50", "floor p95", "app/floor (p95)", "note"],
    results.map((r) => [r.name, String(r.concurrency), String(r.n), ms(r.app.p50), ms(r.app.p95), r.floor ? ms(r.floor.p50) : "—", r.floor ? ms(r.floor.p95) : "—", fmtRatio(r), r.note ?? ""]),
  );
  console.log("");
  console.log(`Encore benchmarks (scale ${SCALE}): ${counts.schools} schools, ${counts.occurrences.toLocaleString("en-US")} occurrences, the large school ${counts.mine.toLocaleString("en-US")}`);
  console.log(`Machine: ${machine}`);
  console.log(`Node ${process.version}; ${version} (embedded); fsync=${setting("fsync")}, synchronous_commit=${setting("synchronous_commit")}, full_page_writes=${setting("full_page_writes")}, shared_buffers=${setting("shared_buffers")} × 8 kB, work_mem=${setting("work_mem")} kB`);
  console.log(`Server: node --expose-gc build/server.js (NODE_ENV=production, LOG_LEVEL=warn, MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX ?? "2"}, PAGE_CACHE_SECONDS=${process.env.PAGE_CACHE_SECONDS ?? "30"}, NODE_OPTIONS=${process.env.BENCH_SERVER_NODE_OPTIONS ?? SERVER_NODE_OPTIONS}), pools of 20 (app) and 5 (platform) connections; load from this process over loopback, keep-alive.`);
  console.log("");
  console.log(table);
  console.log("");
  console.log("Floors: the SQL the server sent for one request of that page (or the app's code for one series), replayed bare in the same order over the same roles, at the same concurrency.");
  for (const n of sqlNotes) console.log(`  - ${n}`);
  console.log("");
  console.log(`Row-level security on the week's calendar query (${rls.rows} rows): with RLS (app role) p50 ${ms(rls.on.p50)}, p95 ${ms(rls.on.p95)}; without (superuser over views filtering the school) p50 ${ms(rls.off.p50)}, p95 ${ms(rls.off.p95)}: ${rlsOverhead.toFixed(1)} % (p50).`);
  if (serverProblems.size) {
    console.log("The server logged (warnings and errors, with counts):");
    for (const [what, n] of serverProblems) console.log(`  - ${n}× ${what}`);
  }
  console.log(`Server memory (RSS): ${rssBefore.rss.toFixed(0)} MB before the load, ${rssAfter.rss.toFixed(0)} MB after (peak ${rssAfter.peak.toFixed(0)} MB); after a full garbage collection ${rssCollected.toFixed(0)} MB resident, ${heapCollected.toFixed(0)} MB of JavaScript heap in use, ${externalCollected.toFixed(0)} MB external (${arrayBuffersCollected.toFixed(0)} MB of it ArrayBuffers, which include WebAssembly memories).`);
  console.log("");
  console.log("Plan of the week's calendar query, as the app sends it (EXPLAIN (ANALYZE, BUFFERS), app role, RLS applied):");
  for (const line of rls.plan) console.log(`    ${line}`);

  const find = (prefix: string, c: number) => results.find((r) => r.name.startsWith(prefix) && r.concurrency === c);
  const week20 = find("Admin week calendar, large school, first view", 20);
  const p95At20 = (name: string) => find(name, 20)?.app.p95 ?? Infinity;
  const health20 = find("GET /healthz", 20);
  const cached20 = find("Landing page, cached", 20);
  const verdicts: [string, boolean][] = [
    ["week view p95 < 100 ms at 20 users, first view", (week20?.app.p95 ?? Infinity) < 100],
    ["week view p95 < 100 ms at 20 users, reopened", p95At20("Admin week calendar, large school, reopened") < 100],
    ["week view within 3× of its floor, first view", week20?.floor ? week20.app.p95 <= 3 * week20.floor.p95 : false],
    ["teacher's day p95 < 50 ms at 20 users, first view", p95At20(`${TEACHER}, first view`) < 50],
    ["teacher's day p95 < 50 ms at 20 users, reopened", p95At20(`${TEACHER}, reopened`) < 50],
    ["family page p95 < 50 ms at 20 users, first view", p95At20(`${FAMILY}, first view`) < 50],
    ["family page p95 < 50 ms at 20 users, reopened", p95At20(`${FAMILY}, reopened`) < 50],
    ["landing uncached p95 < 50 ms at 20 users", (find("Landing page, uncached", 20)?.app.p95 ?? Infinity) < 50],
    ["landing cached within 2× of /healthz at 20 users", cached20 && health20 ? cached20.app.p95 <= 2 * health20.app.p95 : false],
    ["RLS < 10 % on the week query", rlsOverhead < 10],
    ["series p95 < 300 ms with fsync on", (find("Create a year-long", 1)?.app.p95 ?? Infinity) < 300],
    ["server RSS < 300 MB after the load", rssAfter.rss < 300],
  ];
  console.log("");
  console.log("Targets (p95):");
  for (const [what, ok] of verdicts) console.log(`  ${ok ? "met   " : "MISSED"} ${what}`);
  console.log(`Total run ${((performance.now() - started) / 1000).toFixed(0)} s.`);

  const round = (v: number) => Math.round(v * 100) / 100;
  writeFileSync(
    path.join(root, "bench", "results.json"),
    `${JSON.stringify(
      {
        operations: results.map((r) => ({ name: r.name, concurrency: r.concurrency, p50_ms: round(r.app.p50), p95_ms: round(r.app.p95), floor_p95_ms: r.floor ? round(r.floor.p95) : null })),
        rls_overhead_percent: round(rlsOverhead),
        rss_mb: Math.round(rssAfter.rss),
        rss_before_mb: Math.round(rssBefore.rss),
        rss_peak_mb: Math.round(rssAfter.peak),
        rss_after_gc_mb: Math.round(rssCollected),
        heap_after_gc_mb: Math.round(heapCollected),
        external_after_gc_mb: Math.round(externalCollected),
        scale: SCALE,
        machine,
        node: process.version,
        postgres: version,
        settings: Object.fromEntries(settings.map((s) => [s.name, s.setting])),
        at: new Date().toISOString(),
      },
      null,
      2,
    )}\n`,
  );
  log("wrote bench/results.json");
} finally {
  if (server && server.exitCode === null) {
    const exited = new Promise<void>((resolve) => server!.once("exit", () => resolve()));
    server.kill("SIGTERM");
    const timer = setTimeout(() => server?.kill("SIGKILL"), 20_000);
    await exited;
    clearTimeout(timer);
  }
  for (const pool of [owner, ...Object.values(pools)]) await pool.end().catch(() => {});
  await services.close().catch(() => {});
  await db.stop().catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
}
