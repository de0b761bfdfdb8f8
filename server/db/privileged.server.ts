// THE privileged module. It alone holds the owner connection, which row-level
// security does not restrict. It does only what must happen before or above a
// school: resolving a host to a school, operator accounts and sessions, operator
// work across schools, the background jobs' cross-school reads (active schools,
// claiming queued emails), verifying a school's custom domain (only this module may
// mark it verified) and the health check. Everything else goes through SchoolDb.
import { randomBytes, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import { claimHolds } from "../../app/domain/custom-domain";
import { checkChallenge, createResolver, DOMAIN_VERIFICATION_PATH, fetchDomainVerification, parseHostPort, resolvePublicAddresses } from "../net/domain-check.server";
import { isUniqueViolation } from "../../app/models/sql.server";
import { schoolCollected } from "../../app/models/platform-billing.server";
import { renderEmail } from "../services/email.server";
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
  locale: string;
  brandColor: string | null;
  logoUrl: string | null;
  customDomain: string | null;
  /** Set once the platform checked the custom domain; links and hosts use the domain only then. */
  customDomainVerifiedAt: Date | null;
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
  locale: true,
  brandColor: true,
  logoUrl: true,
  customDomain: true,
  customDomainVerifiedAt: true,
  status: true,
} as const;

export interface ActiveSchool {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  locale: string;
  currency: string;
  customDomain: string | null;
  customDomainVerifiedAt: Date | null;
}

/** A queued email, claimed (row-locked) by the delivery job. */
export interface QueuedEmail {
  id: string;
  schoolId: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  /** Private links waiting for delivery (see server/services/email.server.ts). */
  secrets: string[];
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
    /** DNS servers ("host:port") for custom-domain checks (DNS_RESOLVER); unset: the system's. */
    private readonly options: { dnsServers?: string[] } = {},
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

  private readonly forgetListeners: (() => void)[] = [];

  /** Call after a school's name, branding, domain or status changes. */
  forgetCachedSchools() {
    this.hostCache.clear();
    for (const listener of this.forgetListeners) listener();
  }

  /** Other caches of school pages (the public page cache) forget with the host cache. */
  onForgetSchools(listener: () => void) {
    this.forgetListeners.push(listener);
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

  /** The app role's connection (the one every school request uses), checked the same way. */
  async appHealth(): Promise<{ ok: boolean; latencyMs: number; error?: string }> {
    const started = performance.now();
    try {
      await this.app.$queryRaw`SELECT 1`;
      return { ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
    } catch (error) {
      return { ok: false, latencyMs: Math.round(performance.now() - started), error: (error as Error).message };
    }
  }

  // ---- operators -------------------------------------------------------------

  findOperatorByEmail(email: string) {
    return this.owner.operator.findUnique({ where: { email: email.toLowerCase() } });
  }

  /**
   * The operator with this email (created without a password if new) and a one-time
   * link token for them, valid until `expiresAt`. Their earlier unused links stop
   * working. Only the token's hash is stored (npm run create-operator).
   */
  async issueOperatorToken(data: { email: string; name: string; tokenHash: string; expiresAt: Date }) {
    const email = data.email.toLowerCase();
    return this.owner.$transaction(async (tx) => {
      const existing = await tx.operator.findUnique({ where: { email }, select: { id: true } });
      const operator = existing ?? (await tx.operator.create({ data: { email, name: data.name }, select: { id: true } }));
      await tx.operatorToken.updateMany({ where: { operatorId: operator.id, usedAt: null }, data: { usedAt: new Date() } });
      await tx.operatorToken.create({ data: { operatorId: operator.id, tokenHash: data.tokenHash, expiresAt: data.expiresAt } });
      await tx.auditLog.create({ data: { operatorId: null, action: existing ? "operator.link" : "operator.create", details: { email } } });
      return { operatorId: operator.id, created: !existing };
    });
  }

  /** The operator a usable (unused, unexpired) link token belongs to. */
  findOperatorToken(tokenHash: string) {
    return this.owner.operatorToken.findFirst({
      where: { tokenHash, usedAt: null, expiresAt: { gt: new Date() } },
      select: { operator: { select: { id: true, email: true, name: true } } },
    });
  }

  /**
   * Sets the password of the link's operator and uses the link up, at most once even
   * when two requests race; every other link and session of that operator ends.
   */
  async setOperatorPasswordWithToken(tokenHash: string, passwordHash: string): Promise<{ operatorId: string } | null> {
    return this.owner.$transaction(async (tx) => {
      const now = new Date();
      const token = await tx.operatorToken.findFirst({ where: { tokenHash, usedAt: null, expiresAt: { gt: now } }, select: { id: true, operatorId: true } });
      if (!token) return null;
      const used = await tx.operatorToken.updateMany({ where: { id: token.id, usedAt: null }, data: { usedAt: now } });
      if (used.count !== 1) return null;
      await tx.operatorToken.updateMany({ where: { operatorId: token.operatorId, usedAt: null }, data: { usedAt: now } });
      await tx.operator.update({ where: { id: token.operatorId }, data: { passwordHash } });
      await tx.operatorSession.deleteMany({ where: { operatorId: token.operatorId } });
      await tx.auditLog.create({ data: { operatorId: token.operatorId, action: "operator.password.set" } });
      return { operatorId: token.operatorId };
    });
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
      this.owner.school.findMany({ orderBy: { createdAt: "asc" }, select: { ...schoolSummarySelect, createdAt: true, customDomainVerifiedAt: true, customDomainClaimedAt: true } }),
      this.owner.student.groupBy({ by: ["schoolId"], _count: { _all: true } }),
      this.owner.user.groupBy({ by: ["schoolId"], where: { role: "TEACHER", deactivatedAt: null }, _count: { _all: true } }),
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
    data: { name: string; slug: string; email: string; timezone: string; currency: string; locale?: string; brandColor?: string | null },
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

  /** The platform's fee on a school's online payments (basis points), audited as `school.platform_fee`. */
  async setPlatformFee(operatorId: string | null, schoolId: string, basisPoints: number) {
    if (!Number.isSafeInteger(basisPoints) || basisPoints < 0 || basisPoints > 10_000) throw new RangeError("The fee must be 0 to 10,000 basis points.");
    await this.owner.$transaction(async (tx) => {
      const before = await tx.school.findUniqueOrThrow({ where: { id: schoolId }, select: { platformFeeBasisPoints: true } });
      await tx.school.update({ where: { id: schoolId }, data: { platformFeeBasisPoints: basisPoints } });
      await tx.auditLog.create({
        data: { operatorId, targetSchoolId: schoolId, action: "school.platform_fee", details: { from: before.platformFeeBasisPoints, to: basisPoints } },
      });
    });
  }

  /**
   * Per school: what families paid (payments less refunds), what of it was paid online, and
   * the platform's fees on those payments (as each was charged, less refunds). Each school's figures are read
   * in that school's own RLS-bound transaction (the platform role cannot read ledgers).
   */
  async billingTotals() {
    const schools = await this.owner.school.findMany({
      orderBy: { createdAt: "asc" },
      select: { id: true, name: true, slug: true, currency: true, status: true, platformFeeBasisPoints: true, customDomain: true, customDomainVerifiedAt: true },
    });
    const out = [];
    for (const s of schools) {
      const collected = await this.schoolDb(s.id).run((tx) => schoolCollected(tx));
      out.push({ ...s, ...collected });
    }
    return out;
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

  /** Emails across all schools, for the operator's outbox view: private links are never shown (see renderEmail). */
  async listRecentEmails(take = 50) {
    const rows = await this.owner.emailMessage.findMany({
      orderBy: { createdAt: "desc" },
      take,
      select: { id: true, to: true, subject: true, text: true, html: true, secrets: true, transport: true, status: true, createdAt: true, school: { select: { name: true, slug: true } } },
    });
    return rows.map(({ html: _html, secrets, ...row }) => ({ ...row, text: renderEmail({ text: row.text, html: null, secrets }, { reveal: false }).text }));
  }

  // ---- custom domains -------------------------------------------------------------
  // A school claims a domain (domain, a fresh token and the claim's time, written here:
  // the app role may not write these columns), proves it controls it (a DNS TXT record
  // holding the token, then the domain must reach this platform), and only then is it
  // served there: only this module can set customDomainVerifiedAt, and
  // findSchool({ customDomain }) requires it. An unverified claim holds the domain for
  // CLAIM_HOLD_HOURS (app/domain/custom-domain.ts); after that another school may take it.

  /**
   * Makes `domain` (validated) the school's domain, waiting for verification: a fresh
   * token, the claim's time, no verification (the old domain's never carries over).
   * Claiming the school's current domain again keeps its token and verification, and
   * restarts an unverified claim's hold. Refused while another school holds the
   * domain; another school's expired claim is released first (audited).
   */
  async claimCustomDomain(
    schoolId: string,
    domain: string,
    opts: { now?: Date } = {},
  ): Promise<{ ok: true; token: string; unchanged: boolean } | { ok: false; error: "taken" }> {
    const now = opts.now ?? new Date();
    const outcome = await this.owner
      .$transaction(async (tx) => {
        const holder = await tx.school.findFirst({
          where: { customDomain: domain },
          select: { id: true, customDomainToken: true, customDomainClaimedAt: true, customDomainVerifiedAt: true },
        });
        if (holder?.id === schoolId && holder.customDomainToken) {
          if (!holder.customDomainVerifiedAt) await tx.school.update({ where: { id: schoolId }, data: { customDomainClaimedAt: now } });
          return { ok: true as const, token: holder.customDomainToken, unchanged: true };
        }
        if (holder && holder.id !== schoolId) {
          if (claimHolds({ claimedAt: holder.customDomainClaimedAt, verifiedAt: holder.customDomainVerifiedAt }, now)) return { ok: false as const, error: "taken" as const };
          // Only this claim's row, and only while it is still the same expired claim.
          const released = await tx.school.updateMany({
            where: { id: holder.id, customDomain: domain, customDomainVerifiedAt: null, customDomainClaimedAt: holder.customDomainClaimedAt },
            data: { customDomain: null, customDomainToken: null, customDomainClaimedAt: null },
          });
          if (released.count !== 1) return { ok: false as const, error: "taken" as const };
          await tx.auditLog.create({
            data: {
              targetSchoolId: holder.id,
              action: "school.domain.expire",
              details: { domain, claimedAt: holder.customDomainClaimedAt?.toISOString() ?? null, claimedBy: schoolId },
            },
          });
        }
        const token = randomBytes(16).toString("hex");
        await tx.school.update({
          where: { id: schoolId },
          data: { customDomain: domain, customDomainToken: token, customDomainClaimedAt: now, customDomainVerifiedAt: null },
        });
        return { ok: true as const, token, unchanged: false };
      })
      .catch((error: unknown) => {
        // Another school claimed it at the same moment (the domain is unique).
        if (isUniqueViolation(error)) return { ok: false as const, error: "taken" as const };
        throw error;
      });
    if (outcome.ok && !outcome.unchanged) this.forgetCachedSchools();
    return outcome;
  }

  /** The school that claimed `domain` (verified or not), for /.well-known/encore-domain-verification. */
  findDomainClaim(domain: string): Promise<{ id: string; customDomainToken: string | null } | null> {
    return this.owner.school.findFirst({ where: { customDomain: domain, customDomainToken: { not: null } }, select: { id: true, customDomainToken: true } });
  }

  /**
   * Verifies the school's claimed domain (server/net/domain-check.server.ts): the TXT
   * record _encore-challenge.<domain> must hold `encore-verification=<token>` (control);
   * then every A/AAAA address of the domain must be public, and the domain must answer
   * this school's token at the well-known path (it reaches this platform: once verified,
   * every link to the school uses the domain). Then marks it verified (audited) and
   * forgets cached hosts. `address` ("host:port") sends the HTTP request there instead
   * of the vetted address (DOMAIN_VERIFY_ADDRESS, tests; refused in production).
   */
  async verifyCustomDomain(
    schoolId: string,
    opts: { address?: string; by?: string; operatorId?: string | null; timeoutMs?: number } = {},
  ): Promise<{ ok: true; domain: string } | { ok: false; error: string }> {
    const school = await this.owner.school.findUnique({ where: { id: schoolId }, select: { customDomain: true, customDomainToken: true } });
    if (!school?.customDomain || !school.customDomainToken) return { ok: false, error: "Add a domain first." };
    const { customDomain: domain, customDomainToken: token } = school;
    const resolver = createResolver(this.options.dnsServers, Math.min(opts.timeoutMs ?? 3_000, 3_000));
    const control = await checkChallenge(resolver, domain, token);
    if (!control.ok) return { ok: false, error: control.error };
    const addresses = await resolvePublicAddresses(resolver, domain);
    if (!addresses.ok) return addresses;
    const override = opts.address ?? (process.env.DOMAIN_VERIFY_ADDRESS || undefined);
    const target = override ? parseHostPort(override) : { host: addresses.addresses[0]!, port: 80 };
    if (!target) return { ok: false, error: "DOMAIN_VERIFY_ADDRESS must be host:port." };
    const fetched = await fetchDomainVerification(domain, target, { timeoutMs: opts.timeoutMs });
    if (!fetched.ok) return fetched;
    const answer = Buffer.from(fetched.body.trim());
    const expected = Buffer.from(token);
    if (answer.length !== expected.length || !timingSafeEqual(answer, expected)) {
      return { ok: false, error: `The TXT record is right, but ${domain} reaches another server, not this platform. Check that the CNAME record points at the platform.` };
    }
    const marked = await this.owner.$transaction(async (tx) => {
      const updated = await tx.school.updateMany({
        where: { id: schoolId, customDomain: domain, customDomainToken: token },
        data: { customDomainVerifiedAt: new Date() },
      });
      if (updated.count !== 1) return false;
      await tx.auditLog.create({
        data: { operatorId: opts.operatorId ?? null, targetSchoolId: schoolId, action: "school.domain.verify", details: { domain, ...(opts.by ? { by: opts.by } : {}) } },
      });
      return true;
    });
    if (!marked) return { ok: false, error: "The domain changed while it was being checked. Try again." };
    this.forgetCachedSchools();
    return { ok: true, domain };
  }

  /** Removes the school's domain, its token and its verification (audited when it was verified). */
  async removeCustomDomain(schoolId: string, opts: { by?: string; operatorId?: string | null } = {}) {
    await this.owner.$transaction(async (tx) => {
      const before = await tx.school.findUnique({ where: { id: schoolId }, select: { customDomain: true, customDomainVerifiedAt: true } });
      if (!before?.customDomain) return;
      await tx.school.update({ where: { id: schoolId }, data: { customDomain: null, customDomainToken: null, customDomainClaimedAt: null, customDomainVerifiedAt: null } });
      await tx.auditLog.create({
        data: {
          operatorId: opts.operatorId ?? null,
          targetSchoolId: schoolId,
          action: "school.domain.remove",
          details: { domain: before.customDomain, wasVerified: Boolean(before.customDomainVerifiedAt), ...(opts.by ? { by: opts.by } : {}) },
        },
      });
    });
    this.forgetCachedSchools();
  }

  // ---- background jobs (server/jobs) -------------------------------------------

  /** Active schools (suspended ones get no jobs), optionally only some of them. */
  listActiveSchools(opts: { schoolIds?: string[] } = {}): Promise<ActiveSchool[]> {
    return this.owner.school.findMany({
      where: { status: "ACTIVE", ...(opts.schoolIds ? { id: { in: opts.schoolIds } } : {}) },
      orderBy: { createdAt: "asc" },
      select: { id: true, slug: true, name: true, timezone: true, locale: true, currency: true, customDomain: true, customDomainVerifiedAt: true },
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
          SELECT "id", "schoolId", "to", "subject", "text", "html", "secrets", "attempts"
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
              // Delivered or given up: the private links are not kept a moment longer.
              o.status === "SENT"
                ? { status: "SENT", providerId: o.providerId, sentAt: o.sentAt, attempts: o.attempts, error: null, secrets: [] }
                : { status: o.status, attempts: o.attempts, error: o.error.slice(0, 2000), ...(o.status === "FAILED" ? { secrets: [] } : {}) },
          });
        }
        return { claimed: emails.length };
      },
      { maxWait: 10_000, timeout: opts.timeoutMs ?? 120_000 },
    );
  }

  // ---- Stripe Connect (ARCHITECTURE.md, "Payments: Stripe Connect") ----------------

  /** A school's connected account and what it may do; null for an unknown school. */
  schoolStripeState(schoolId: string) {
    return this.owner.school.findUnique({
      where: { id: schoolId },
      select: { id: true, name: true, email: true, currency: true, stripeAccountId: true, stripeChargesEnabled: true, stripePayoutsEnabled: true, stripeDetailsSubmitted: true, platformFeeBasisPoints: true },
    });
  }

  /**
   * Records the school's new connected account, unless it already has one (the account
   * made first stays: its creation carries an idempotency key from the school's id).
   * Returns the school's account.
   */
  async setSchoolStripeAccount(schoolId: string, accountId: string): Promise<string> {
    await this.owner.school.updateMany({ where: { id: schoolId, stripeAccountId: null }, data: { stripeAccountId: accountId } });
    const row = await this.owner.school.findUniqueOrThrow({ where: { id: schoolId }, select: { stripeAccountId: true } });
    return row.stripeAccountId!;
  }

  /** The school a connected account belongs to, or null. */
  async schoolIdForStripeAccount(accountId: string): Promise<string | null> {
    const row = await this.owner.school.findUnique({ where: { stripeAccountId: accountId }, select: { id: true } });
    return row?.id ?? null;
  }

  /** The onboarding state, as Stripe's account says (only `account.updated` processing calls this). */
  async updateSchoolStripeState(accountId: string, state: { chargesEnabled: boolean; payoutsEnabled: boolean; detailsSubmitted: boolean }): Promise<boolean> {
    const { count } = await this.owner.school.updateMany({
      where: { stripeAccountId: accountId },
      data: { stripeChargesEnabled: state.chargesEnabled, stripePayoutsEnabled: state.payoutsEnabled, stripeDetailsSubmitted: state.detailsSubmitted },
    });
    return count > 0;
  }

  /** Stores a webhook event once, by Stripe's id: false when it was already stored (a duplicate delivery). */
  async storeStripeEvent(event: { id: string; type: string; account: string | null; payload: object }): Promise<boolean> {
    const inserted = await this.owner.$executeRaw`
      INSERT INTO "StripeEvent" ("id", "type", "account", "payload")
      VALUES (${event.id}, ${event.type}, ${event.account}, ${JSON.stringify(event.payload)}::jsonb)
      ON CONFLICT ("id") DO NOTHING`;
    return inserted === 1;
  }

  /**
   * Claims up to `batch` unprocessed events, oldest first (`FOR UPDATE SKIP LOCKED`: two
   * workers never take the same one), hands each to `work` and marks it processed, or
   * records the error for the next run (an event failing 10 times is left for a person).
   * A crash between storing and processing leaves the event unprocessed for the next run.
   */
  async processStripeEvents(
    opts: { batch: number; ids?: string[] },
    work: (event: { id: string; type: string; account: string | null; payload: unknown }) => Promise<void>,
  ): Promise<{ claimed: number; processed: number; failed: { id: string; error: string }[] }> {
    const ids = opts.ids ?? null;
    return this.owner.$transaction(
      async (tx) => {
        const events = await tx.$queryRaw<{ id: string; type: string; account: string | null; payload: unknown }[]>`
          SELECT "id", "type", "account", "payload" FROM "StripeEvent"
          WHERE "processedAt" IS NULL AND "attempts" < 10
            AND (${ids}::text[] IS NULL OR "id" = ANY(${ids}::text[]))
          ORDER BY "receivedAt", "id"
          LIMIT ${opts.batch}
          FOR UPDATE SKIP LOCKED`;
        const failed: { id: string; error: string }[] = [];
        for (const event of events) {
          try {
            await work(event);
            await tx.stripeEvent.update({ where: { id: event.id }, data: { processedAt: new Date(), attempts: { increment: 1 }, lastError: null } });
          } catch (error) {
            const message = (error as Error).message || String(error);
            failed.push({ id: event.id, error: message });
            await tx.stripeEvent.update({ where: { id: event.id }, data: { attempts: { increment: 1 }, lastError: message.slice(0, 2000) } });
          }
        }
        return { claimed: events.length, processed: events.length - failed.length, failed };
      },
      { maxWait: 10_000, timeout: 300_000 },
    );
  }
}

// ---- custom-domain helpers ------------------------------------------------------------

export { DOMAIN_VERIFICATION_PATH };

/**
 * A domain a school may use: a public host name (letters, digits, hyphens; a
 * top-level domain of letters), not an IP address, not the platform's own domain
 * or under it. Accepts a pasted URL ("https://music.example.com/") and returns the
 * host in lower case (IDN in punycode), or a message for the person.
 */
export function validateCustomDomain(input: string, platformDomain: string): { ok: true; domain: string } | { ok: false; error: string } {
  let raw = input.trim().toLowerCase();
  if (!raw) return { ok: false, error: "Enter a domain, like music.example.com." };
  raw = raw.replace(/^https?:\/\//, "").replace(/\/+$/, "");
  if (/[/?#@\s]/.test(raw)) return { ok: false, error: "Enter only the domain, like music.example.com (no path or spaces)." };
  if (/:\d*$/.test(raw)) return { ok: false, error: "Leave out the port: the domain is served on the standard ports." };
  let host: string;
  try {
    host = new URL(`http://${raw}`).hostname;
  } catch {
    return { ok: false, error: "That is not a valid domain." };
  }
  host = host.replace(/\.$/, "");
  if (isIP(host) || host.startsWith("[")) return { ok: false, error: "Use a domain name, not an IP address." };
  const labels = host.split(".");
  const valid =
    host.length <= 253 &&
    labels.length >= 2 &&
    labels.every((l) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(l)) &&
    /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/.test(labels[labels.length - 1]!);
  if (!valid) return { ok: false, error: "That is not a valid domain. Use letters, digits and hyphens, like music.example.com." };
  const root = platformDomain.toLowerCase().replace(/:\d+$/, "");
  if (host === root || host.endsWith(`.${root}`) || host === "localhost" || host.endsWith(".localhost")) {
    return { ok: false, error: `Addresses under ${root} belong to the platform. Use a domain of your own.` };
  }
  return { ok: true, domain: host };
}
