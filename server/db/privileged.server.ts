// THE privileged module. It alone holds the owner connection, which row-level
// security does not restrict. It does only what must happen before or above a
// school: resolving a host to a school, operator accounts and sessions, operator
// work across schools, the background jobs' cross-school reads (active schools,
// claiming queued emails) and the health check. Everything else goes through SchoolDb.
import type { PrismaClient } from "./clients.server";
import { SchoolDb } from "./school-db.server";

export interface SchoolSummary {
  id: string;
  slug: string;
  name: string;
  email: string;
  phone: string | null;
  website: string | null;
  timezone: string;
  currency: string;
  brandColor: string | null;
  logoUrl: string | null;
  customDomain: string | null;
  status: "ACTIVE" | "SUSPENDED";
}

const schoolSummarySelect = {
  id: true,
  slug: true,
  name: true,
  email: true,
  phone: true,
  website: true,
  timezone: true,
  currency: true,
  brandColor: true,
  logoUrl: true,
  customDomain: true,
  status: true,
} as const;

export interface ActiveSchool {
  id: string;
  slug: string;
  name: string;
  timezone: string;
}

/** A queued email, claimed (row-locked) by the delivery job. */
export interface QueuedEmail {
  id: string;
  schoolId: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  attempts: number;
}

/** What the delivery job decided for one claimed email. */
export type EmailOutcome =
  | { id: string; status: "SENT"; attempts: number; providerId: string | null; sentAt: Date }
  | { id: string; status: "QUEUED" | "FAILED"; attempts: number; error: string };

const CACHE_MS = 10_000;

export class Platform {
  private hostCache = new Map<string, { at: number; school: SchoolSummary | null }>();

  constructor(
    private readonly owner: PrismaClient,
    private readonly app: PrismaClient,
  ) {}

  /** A database handle bound to one school (app role, RLS applies). */
  schoolDb(schoolId: string): SchoolDb {
    return new SchoolDb(this.app, schoolId);
  }

  async findSchool(by: { slug: string } | { customDomain: string }): Promise<SchoolSummary | null> {
    const key = "slug" in by ? `s:${by.slug}` : `d:${by.customDomain}`;
    const hit = this.hostCache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.school;
    const school =
      "slug" in by
        ? await this.owner.school.findUnique({ where: { slug: by.slug }, select: schoolSummarySelect })
        : await this.owner.school.findFirst({
            where: { customDomain: by.customDomain, customDomainVerifiedAt: { not: null } },
            select: schoolSummarySelect,
          });
    this.hostCache.set(key, { at: Date.now(), school });
    return school;
  }

  /** Call after a school's name, branding, domain or status changes. */
  forgetCachedSchools() {
    this.hostCache.clear();
  }

  async health(): Promise<{ ok: boolean; latencyMs: number; error?: string }> {
    const started = performance.now();
    try {
      await this.owner.$queryRaw`SELECT 1`;
      return { ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
    } catch (error) {
      return { ok: false, latencyMs: Math.round(performance.now() - started), error: (error as Error).message };
    }
  }

  // ---- operators -------------------------------------------------------------

  findOperatorByEmail(email: string) {
    return this.owner.operator.findUnique({ where: { email: email.toLowerCase() } });
  }

  createOperator(data: { email: string; name: string; passwordHash: string }) {
    return this.owner.operator.upsert({
      where: { email: data.email.toLowerCase() },
      create: { ...data, email: data.email.toLowerCase() },
      update: { name: data.name, passwordHash: data.passwordHash },
    });
  }

  readonly operatorSessions = {
    get: (id: string) =>
      this.owner.operatorSession.findUnique({
        where: { id },
        select: { id: true, expiresAt: true, operator: { select: { id: true, email: true, name: true } } },
      }),
    create: (data: { id: string; operatorId: string; expiresAt: Date }) => this.owner.operatorSession.create({ data }),
    updateExpiry: (id: string, expiresAt: Date) => this.owner.operatorSession.update({ where: { id }, data: { expiresAt } }),
    delete: (id: string) => this.owner.operatorSession.deleteMany({ where: { id } }),
    deleteForOperator: (operatorId: string) => this.owner.operatorSession.deleteMany({ where: { operatorId } }),
    deleteExpired: () => this.owner.operatorSession.deleteMany({ where: { expiresAt: { lte: new Date() } } }),
  };

  // ---- operator work across schools ------------------------------------------

  async listSchools() {
    const [schools, students, teachers, enrollments] = await Promise.all([
      this.owner.school.findMany({ orderBy: { createdAt: "asc" }, select: { ...schoolSummarySelect, createdAt: true } }),
      this.owner.student.groupBy({ by: ["schoolId"], _count: { _all: true } }),
      this.owner.user.groupBy({ by: ["schoolId"], where: { role: "TEACHER" }, _count: { _all: true } }),
      this.owner.enrollment.groupBy({ by: ["schoolId"], where: { status: "ACTIVE" }, _count: { _all: true } }),
    ]);
    const count = (rows: { schoolId: string; _count: { _all: number } }[], id: string) =>
      rows.find((r) => r.schoolId === id)?._count._all ?? 0;
    return schools.map((s) => ({
      ...s,
      students: count(students, s.id),
      teachers: count(teachers, s.id),
      activeEnrollments: count(enrollments, s.id),
    }));
  }

  isSlugTaken(slug: string) {
    return this.owner.school.findUnique({ where: { slug }, select: { id: true } }).then(Boolean);
  }

  /** Creates the school row and records the operator's action; the school's own
   * data (its first admin, the invitation) is then written through SchoolDb. */
  async createSchool(
    operatorId: string | null,
    data: { name: string; slug: string; email: string; timezone: string; currency: string; brandColor?: string | null },
  ) {
    return this.owner.$transaction(async (tx) => {
      const school = await tx.school.create({ data, select: schoolSummarySelect });
      await tx.auditLog.create({
        data: { operatorId, targetSchoolId: school.id, action: "school.create", details: { slug: data.slug, name: data.name } },
      });
      return school;
    });
  }

  async setSchoolStatus(operatorId: string, schoolId: string, status: "ACTIVE" | "SUSPENDED") {
    await this.owner.$transaction([
      this.owner.school.update({ where: { id: schoolId }, data: { status } }),
      this.owner.auditLog.create({
        data: { operatorId, targetSchoolId: schoolId, action: status === "SUSPENDED" ? "school.suspend" : "school.reactivate" },
      }),
    ]);
    this.forgetCachedSchools();
  }

  listAuditLog(take = 100) {
    return this.owner.auditLog.findMany({
      orderBy: { createdAt: "desc" },
      take,
      select: {
        id: true,
        action: true,
        details: true,
        createdAt: true,
        operator: { select: { email: true } },
        targetSchool: { select: { name: true, slug: true } },
      },
    });
  }

  /** Emails across all schools, for the operator's outbox view. */
  listRecentEmails(take = 50) {
    return this.owner.emailMessage.findMany({
      orderBy: { createdAt: "desc" },
      take,
      select: { id: true, to: true, subject: true, text: true, transport: true, status: true, createdAt: true, school: { select: { name: true, slug: true } } },
    });
  }

  // ---- background jobs (server/jobs) -------------------------------------------

  /** Active schools (suspended ones get no jobs), optionally only some of them. */
  listActiveSchools(opts: { schoolIds?: string[] } = {}): Promise<ActiveSchool[]> {
    return this.owner.school.findMany({
      where: { status: "ACTIVE", ...(opts.schoolIds ? { id: { in: opts.schoolIds } } : {}) },
      orderBy: { createdAt: "asc" },
      select: { id: true, slug: true, name: true, timezone: true },
    });
  }

  /**
   * Claims up to `batch` QUEUED emails across schools, oldest first, with
   * `FOR UPDATE SKIP LOCKED` (concurrent workers never claim the same row), hands
   * them to `work` and records its outcomes, in one owner transaction: the row locks
   * hold until the outcomes are written. A crash in between leaves the rows QUEUED,
   * so delivery is at least once. `schoolIds` limits the claim (tests, re-drives).
   */
  async processQueuedEmails(
    opts: { batch: number; excludeIds?: string[]; schoolIds?: string[]; timeoutMs?: number },
    work: (emails: QueuedEmail[]) => Promise<EmailOutcome[]>,
  ): Promise<{ claimed: number }> {
    const exclude = opts.excludeIds ?? [];
    const schools = opts.schoolIds ?? null;
    return this.owner.$transaction(
      async (tx) => {
        const emails = await tx.$queryRaw<QueuedEmail[]>`
          SELECT "id", "schoolId", "to", "subject", "text", "html", "attempts"
          FROM "EmailMessage"
          WHERE "status" = 'QUEUED'
            AND NOT ("id" = ANY(${exclude}::text[]))
            AND (${schools}::text[] IS NULL OR "schoolId" = ANY(${schools}::text[]))
          ORDER BY "createdAt"
          LIMIT ${opts.batch}
          FOR UPDATE SKIP LOCKED`;
        if (emails.length === 0) return { claimed: 0 };
        const outcomes = await work(emails);
        const claimed = new Set(emails.map((e) => e.id));
        for (const o of outcomes) {
          if (!claimed.has(o.id)) continue;
          await tx.emailMessage.update({
            where: { id: o.id },
            data:
              o.status === "SENT"
                ? { status: "SENT", providerId: o.providerId, sentAt: o.sentAt, attempts: o.attempts, error: null }
                : { status: o.status, attempts: o.attempts, error: o.error.slice(0, 2000) },
          });
        }
        return { claimed: emails.length };
      },
      { maxWait: 10_000, timeout: opts.timeoutMs ?? 120_000 },
    );
  }
}
