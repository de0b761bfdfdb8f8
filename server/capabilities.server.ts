// The narrow load context: what a route may do beyond its school-bound database.
// Built per request from the server's services. The Platform (and with it the owner
// connection and `schoolDb(anyId)`) stays in this module's closures; the objects
// handed to routes are plain functions, each bound to this request's school or
// checking its own caller:
// - operator functions refuse without a valid operator session on the platform's
//   own domain (a route that forgot `requireOperator` still cannot call them), and
//   take the operator for the audit log from that session, never from the route;
// - school functions act on this request's school only, and those that change its
//   custom domain require an admin of this school signed in.
import { hashPassword, verifyPassword } from "../app/utils/password.server";
import { hashToken } from "../app/utils/tokens.server";
import { OPERATOR_COOKIE, operatorLucia, readCookie, schoolSessionAccount } from "../app/utils/sessions.server";
import { publicAddressOf, publicLinks } from "../tenants/links";
import type { RequestLinks, SchoolBoundDb, SchoolFiles, Services, Tenant, TenantContext } from "./context";
import type { Platform, SchoolSummary } from "./db/privileged.server";
import type { Tx } from "./db/school-db.server";
import { removeCard, saveCardFromSession, startCardSetup } from "../app/models/autopay.server";
import { type CheckoutInput, type RefundInput, PaymentError, fromStripeError, refundPayment, startCheckout } from "../app/models/payments.server";
import { startConnectOnboarding } from "./payments/connect.server";
import { type EnrollmentFeeView, enrollmentFeeStatus, feeInvoiceOfForm, startEnrollmentFeeCheckout } from "../app/models/enrollment-fee.server";
import { type FeeLinkSigner, createFeeLinkSigner } from "./services/fee-links.server";
import { type PayReport, PayModelError, payPayRun, startTeacherOnboarding, sweepHeld } from "../app/models/teacher-pay.server";
import type { PaymentsMode } from "./services/payments.server";
import type { FileSigner } from "./services/file-urls.server";

export interface OperatorIdentity {
  id: string;
  email: string;
  name: string;
}

export interface OperatorAuth {
  /** The operator signed in by `request`'s cookie; null without one, or off the platform's domain. */
  currentOperator(request: Request): Promise<OperatorIdentity | null>;
  /** Checks the password and opens a session; the Set-Cookie value, or null when they do not match. */
  signInOperator(email: string, password: string): Promise<string | null>;
  /** Ends `request`'s operator session; the Set-Cookie value that clears it. */
  signOutOperator(request: Request): Promise<string>;
  /** The operator a one-time set-password link (npm run create-operator) belongs to, or null when it is not usable. */
  findOperatorLink(token: string): Promise<OperatorIdentity | null>;
  /** Sets the link's operator's password (the link is used up) and opens a session; the Set-Cookie value, or null. */
  setOperatorPasswordWithLink(token: string, password: string): Promise<string | null>;
}

type SchoolRow = Awaited<ReturnType<Platform["listSchools"]>>[number];

export interface OperatorCapabilities {
  listSchools(request: Request): Promise<SchoolRow[]>;
  listAuditLog(request: Request): Promise<Awaited<ReturnType<Platform["listAuditLog"]>>>;
  /** Emails across all schools, newest first. */
  listRecentEmails(request: Request): Promise<Awaited<ReturnType<Platform["listRecentEmails"]>>>;
  /** Suspends or reactivates a school (audited as this operator). */
  setSchoolStatus(request: Request, schoolId: string, status: "ACTIVE" | "SUSPENDED"): Promise<void>;
  /** Frees a school's custom domain, e.g. one claimed by the wrong school (audited as this operator). */
  releaseCustomDomain(request: Request, schoolId: string): Promise<void>;
  isSlugTaken(request: Request, slug: string): Promise<boolean>;
  /** Sets the platform's fee on a school's online payments, in basis points (audited as this operator). */
  setPlatformFee(request: Request, schoolId: string, basisPoints: number): Promise<void>;
  /** Per school: what families paid, what was paid online, and what the platform earned. */
  billingTotals(request: Request): Promise<Awaited<ReturnType<Platform["billingTotals"]>>>;
  /**
   * Creates a school (audited as this operator), then runs `setup` in the new
   * school's own RLS-bound transaction (its first admin, the invitation).
   */
  createSchool<T>(
    request: Request,
    data: { name: string; slug: string; email: string; timezone: string; currency: string; locale?: string },
    setup: (tx: Tx, school: SchoolSummary) => Promise<T>,
  ): Promise<{ school: SchoolSummary; setup: T }>;
}

export type DomainVerification = Awaited<ReturnType<Platform["verifyCustomDomain"]>>;
export type DomainClaim = Awaited<ReturnType<Platform["claimCustomDomain"]>>;

export interface SchoolPlatform {
  /** After this school's name, branding, texts or seats change: its public pages are rendered afresh. */
  forgetCachedSchool(): void;
  /**
   * Claims `domain` (validated) for this school, waiting for verification; refused
   * while another school holds it (verified, or claimed within the hold). Admins only.
   */
  claimCustomDomain(request: Request, domain: string): Promise<DomainClaim>;
  /** Checks the domain's TXT record and that it reaches the platform, then marks it verified (admins only; audited). */
  verifyCustomDomain(request: Request): Promise<DomainVerification>;
  /** Removes this school's custom domain (admins only; audited). */
  removeCustomDomain(request: Request): Promise<void>;
}

/**
 * Online payments for THIS school (ARCHITECTURE.md, "Payments: Stripe Connect"). The Stripe
 * client (it holds the secret key) stays in this closure.
 */
export interface SchoolPayments {
  /** "stripe", "standin" (the local stand-in) or "off" (no STRIPE_SECRET_KEY in production). */
  readonly mode: PaymentsMode;
  /** Starts (or resumes) Stripe Connect onboarding: the Account Link to send the admin to. Admins only. */
  connect(request: Request, urls: { returnUrl: string; refreshUrl: string }): Promise<{ url: string }>;
  /** A checkout for what is open on an invoice of `familyGroupId` (app/models/payments.server.ts). */
  startCheckout(input: Omit<CheckoutInput, "now">): Promise<{ url: string; paymentId: string; reused: boolean }>;
  /** A full or partial refund (through Stripe when the payment was online). */
  refund(input: Omit<RefundInput, "now">): Promise<{ id: string }>;
  /** A setup-mode Checkout to save a card for autopay (app/models/autopay.server.ts); the route checks the guardian. */
  startCardSetup(input: { familyGroupId: string; userId: string; email: string; successUrl: string; cancelUrl: string }): Promise<{ url: string }>;
  /** Detaches the family's saved card and turns autopay off. */
  removeCard(input: { familyGroupId: string }): Promise<boolean>;
  /** The guardian is back from saving a card: records it now (re-read from Stripe) if the webhook has not yet. */
  confirmCardSetup(input: { familyGroupId: string; sessionId: string }): Promise<void>;
  /** Teacher pay (issue 12): the signed-in teacher's own Express account and its Account Link. */
  connectTeacher(request: Request, urls: { returnUrl: string; refreshUrl: string }): Promise<{ url: string }>;
  /** Pays an approved run's transfers (admins). No transaction is open while Stripe is called. */
  payRun(request: Request, runId: string): Promise<PayReport>;
  /** Sweeps what Encore holds beyond reservations (or `amountMinor`) to the school's account (admins). */
  sweep(request: Request, amountMinor?: number): Promise<{ sweepId: string }>;
  /** The enrollment confirmation's pay link token for the form with `key`, bound to its fee invoice (or to none: the same shape). */
  enrollmentFeeToken(key: string, invoiceId: string | null): string;
  /** The fee a pay link is for, and whether it is paid. A forged link is refused (400), an expired one (410), one with no fee (404). */
  enrollmentFee(token: string): Promise<EnrollmentFeeView>;
  /** A checkout for the fee of a pay link (the same refusals; a paid fee is refused, 409). */
  payEnrollmentFee(token: string, urls: { successUrl: string; cancelUrl: string }): Promise<{ url: string }>;
}

// One signer per process (a random key when FILE_URL_SECRET is unset: links end at a restart).
const feeSigners = new WeakMap<Services, FeeLinkSigner>();
function feeSignerOf(services: Services): FeeLinkSigner {
  let signer = feeSigners.get(services);
  if (!signer) feeSigners.set(services, (signer = createFeeLinkSigner(services.env.FILE_URL_SECRET)));
  return signer;
}

function schoolPayments(services: Services, db: SchoolBoundDb, secure: boolean): SchoolPayments {
  const { payments, platform, clock } = services;
  // A pay link: its signature (on the real clock), then the fee invoice its form issued.
  const feeInvoiceOfToken = async (token: string): Promise<string> => {
    let invoiceId: string | null = null;
    const check = await feeSignerOf(services).verify(db.schoolId, token, async (key) => (invoiceId = await db.run((tx) => feeInvoiceOfForm(tx, key))));
    if (check.status === "bad") throw new PaymentError("This payment link is not valid. You can pay the registration fee from your family's billing page once you have signed in.", 400);
    if (check.status === "expired") throw new PaymentError("This payment link has expired. You can pay the registration fee from your family's billing page once you have signed in.", 410);
    if (!invoiceId) throw new PaymentError("There is no registration fee to pay with this link. The email we sent you says what happens next.", 404);
    return invoiceId;
  };
  const off = () => new PaymentError("Online payments are switched off on this server (it has no Stripe key).", 409);
  // Stripe's refusals and outages become refusals in words (the transaction rolled back).
  const stripeSays = (error: unknown): never => {
    throw fromStripeError(error) ?? error;
  };
  return Object.freeze({
    mode: payments.mode,
    async connect(request: Request, urls: { returnUrl: string; refreshUrl: string }) {
      const account = await schoolSessionAccount(db, request, secure);
      if (!account || account.role !== "ADMIN") refuse(403, "Only this school's admins can connect it to Stripe.");
      if (!payments.enabled) throw off();
      return startConnectOnboarding(platform, await payments.stripe(), { schoolId: db.schoolId, ...urls }).catch(stripeSays);
    },
    async startCheckout(input: Omit<CheckoutInput, "now">) {
      if (!payments.enabled) throw off();
      const stripe = await payments.stripe();
      return db.run((tx) => startCheckout(tx, stripe, { ...input, now: clock.now() }), { timeout: 30_000 }).catch(stripeSays);
    },
    async startCardSetup(input: { familyGroupId: string; userId: string; email: string; successUrl: string; cancelUrl: string }) {
      if (!payments.enabled) throw off();
      const stripe = await payments.stripe();
      return db.run((tx) => startCardSetup(tx, stripe, { ...input, now: clock.now() }), { timeout: 30_000 }).catch(stripeSays);
    },
    async confirmCardSetup(input: { familyGroupId: string; sessionId: string }) {
      if (!payments.enabled) return;
      const stripe = await payments.stripe();
      await db.run((tx) => saveCardFromSession(tx, stripe, input), { timeout: 30_000 }).catch(stripeSays);
    },
    async removeCard(input: { familyGroupId: string }) {
      if (!payments.enabled) throw off();
      const stripe = await payments.stripe();
      return db.run((tx) => removeCard(tx, stripe, input), { timeout: 30_000 }).catch(stripeSays);
    },
    async refund(input: Omit<RefundInput, "now">) {
      const stripe = payments.enabled ? await payments.stripe() : null;
      return db.run((tx) => refundPayment(tx, stripe, { ...input, now: clock.now() }), { timeout: 30_000 }).catch(stripeSays);
    },
    async connectTeacher(request: Request, urls: { returnUrl: string; refreshUrl: string }) {
      const account = await schoolSessionAccount(db, request, secure);
      if (!account || account.role !== "TEACHER") refuse(403, "Only a teacher of this school can connect a Stripe account for pay.");
      if (!payments.enabled) throw off();
      return startTeacherOnboarding(db, await payments.stripe(), { userId: account.id, ...urls }).catch(stripeSays);
    },
    async payRun(request: Request, runId: string) {
      const account = await schoolSessionAccount(db, request, secure);
      if (!account || account.role !== "ADMIN") refuse(403, "Only this school's admins can pay teachers.");
      if (!payments.enabled) throw new PayModelError("Online payments are switched off on this server, so teachers cannot be paid by transfer here; mark them as paid outside Encore.", 409);
      return payPayRun(db, await payments.stripe(), { runId, now: clock.now() });
    },
    async sweep(request: Request, amountMinor?: number) {
      const account = await schoolSessionAccount(db, request, secure);
      if (!account || account.role !== "ADMIN") refuse(403, "Only this school's admins can sweep the school's money.");
      if (!payments.enabled) throw off();
      return sweepHeld(db, await payments.stripe(), { amountMinor, requestedById: account.id, automatic: false, now: clock.now() });
    },
    enrollmentFeeToken(key: string, invoiceId: string | null) {
      return feeSignerOf(services).sign({ schoolId: db.schoolId, key, invoiceId });
    },
    async enrollmentFee(token: string) {
      const invoiceId = await feeInvoiceOfToken(token);
      const stripe = payments.enabled ? await payments.stripe() : null;
      return enrollmentFeeStatus(db, stripe, invoiceId).catch(stripeSays);
    },
    async payEnrollmentFee(token: string, urls: { successUrl: string; cancelUrl: string }) {
      const invoiceId = await feeInvoiceOfToken(token);
      if (!payments.enabled) throw off();
      const stripe = await payments.stripe();
      return db.run((tx) => startEnrollmentFeeCheckout(tx, stripe, { invoiceId, ...urls, now: clock.now() }), { timeout: 30_000 }).catch(stripeSays);
    },
  });
}

/** A refusal a route did not guard against: Remix renders the thrown Response with the route's error boundary. */
function refuse(status: 401 | 403 | 404, message: string): never {
  throw new Response(message, { status });
}

function operatorAuth(platform: Platform, tenant: Tenant, secure: boolean): OperatorAuth {
  const lucia = () => operatorLucia(platform.operatorSessions, secure);
  // One lookup per session per request: the guard and the capabilities it allows share it.
  const verified = new Map<string, Promise<OperatorIdentity | null>>();
  const validate = async (sessionId: string): Promise<OperatorIdentity | null> => {
    const { user } = await lucia().validateSession(sessionId);
    return user ? { id: user.id, email: user.email, name: `${user.firstName} ${user.lastName}`.trim() } : null;
  };
  return Object.freeze({
    async currentOperator(request: Request) {
      if (tenant.kind !== "platform") return null;
      const sessionId = readCookie(request, OPERATOR_COOKIE);
      if (!sessionId) return null;
      let found = verified.get(sessionId);
      if (!found) {
        found = validate(sessionId);
        verified.set(sessionId, found);
      }
      return found;
    },
    async signInOperator(email: string, password: string) {
      if (tenant.kind !== "platform") return null;
      const operator = await platform.findOperatorByEmail(email);
      if (!(await verifyPassword(operator?.passwordHash, password)) || !operator) return null;
      const session = await lucia().createSession(operator.id, {});
      return lucia().createSessionCookie(session.id).serialize();
    },
    async signOutOperator(request: Request) {
      const sessionId = readCookie(request, OPERATOR_COOKIE);
      if (sessionId && tenant.kind === "platform") {
        verified.delete(sessionId);
        await lucia().invalidateSession(sessionId);
      }
      return lucia().createBlankSessionCookie().serialize();
    },
    async findOperatorLink(token: string) {
      if (tenant.kind !== "platform" || !token) return null;
      const row = await platform.findOperatorToken(hashToken(token));
      return row?.operator ?? null;
    },
    async setOperatorPasswordWithLink(token: string, password: string) {
      if (tenant.kind !== "platform" || !token) return null;
      const done = await platform.setOperatorPasswordWithToken(hashToken(token), await hashPassword(password));
      if (!done) return null;
      const session = await lucia().createSession(done.operatorId, {});
      return lucia().createSessionCookie(session.id).serialize();
    },
  });
}

function operatorCapabilities(platform: Platform, tenant: Tenant, auth: OperatorAuth): OperatorCapabilities {
  const signedIn = async (request: Request): Promise<OperatorIdentity> => {
    if (tenant.kind !== "platform") refuse(404, "Not found");
    const operator = await auth.currentOperator(request);
    if (!operator) refuse(401, "Sign in as the platform operator to do this.");
    return operator;
  };
  return Object.freeze({
    async listSchools(request: Request) {
      await signedIn(request);
      return platform.listSchools();
    },
    async listAuditLog(request: Request) {
      await signedIn(request);
      return platform.listAuditLog();
    },
    async listRecentEmails(request: Request) {
      await signedIn(request);
      return platform.listRecentEmails();
    },
    async setSchoolStatus(request: Request, schoolId: string, status: "ACTIVE" | "SUSPENDED") {
      const operator = await signedIn(request);
      await platform.setSchoolStatus(operator.id, schoolId, status);
    },
    async releaseCustomDomain(request: Request, schoolId: string) {
      const operator = await signedIn(request);
      await platform.removeCustomDomain(schoolId, { operatorId: operator.id });
    },
    async isSlugTaken(request: Request, slug: string) {
      await signedIn(request);
      return platform.isSlugTaken(slug);
    },
    async setPlatformFee(request: Request, schoolId: string, basisPoints: number) {
      const operator = await signedIn(request);
      await platform.setPlatformFee(operator.id, schoolId, basisPoints);
    },
    async billingTotals(request: Request) {
      await signedIn(request);
      return platform.billingTotals();
    },
    async createSchool<T>(
      request: Request,
      data: { name: string; slug: string; email: string; timezone: string; currency: string; locale?: string },
      setup: (tx: Tx, school: SchoolSummary) => Promise<T>,
    ) {
      const operator = await signedIn(request);
      const school = await platform.createSchool(operator.id, data);
      const done = await platform.schoolDb(school.id).run((tx) => setup(tx, school));
      return { school, setup: done };
    },
  });
}

function schoolPlatform(platform: Platform, db: SchoolBoundDb, secure: boolean): SchoolPlatform {
  const schoolId = db.schoolId;
  const admin = async (request: Request) => {
    const account = await schoolSessionAccount(db, request, secure);
    if (!account || account.role !== "ADMIN") refuse(403, "Only this school's admins can change its domain.");
    return account;
  };
  return Object.freeze({
    forgetCachedSchool: () => platform.forgetCachedSchools(),
    async claimCustomDomain(request: Request, domain: string) {
      await admin(request);
      return platform.claimCustomDomain(schoolId, domain);
    },
    async verifyCustomDomain(request: Request) {
      const { email } = await admin(request);
      return platform.verifyCustomDomain(schoolId, { by: email });
    },
    async removeCustomDomain(request: Request) {
      const { email } = await admin(request);
      await platform.removeCustomDomain(schoolId, { by: email });
    },
  });
}

/** The signer bound to one school: its addresses never verify on another school's host. */
function schoolFiles(signer: FileSigner, schoolId: string): SchoolFiles {
  return Object.freeze({
    signedPath(resourceId: string, viewerId: string) {
      const { exp, sig } = signer.sign({ schoolId, resourceId, viewerId });
      return `/files/resources/${encodeURIComponent(resourceId)}?exp=${exp}&sig=${sig}`;
    },
    check: (resourceId: string, viewerId: string, exp: string | null, sig: string | null) => signer.verify({ schoolId, resourceId, viewerId }, exp, sig),
  });
}

/** Only `schoolId` and `run` of the school's SchoolDb: the client behind it stays in this closure. */
function boundDb(platform: Platform, schoolId: string): SchoolBoundDb {
  const db = platform.schoolDb(schoolId);
  return Object.freeze({ schoolId, run: ((work, options) => db.run(work, options)) as SchoolBoundDb["run"] });
}

/**
 * Everything of a request's load context that depends on its tenant; server/app.ts
 * adds the per-request values (CSP nonce, client address).
 */
export function tenantContext(services: Services, tenant: Tenant): TenantContext {
  const { env, platform } = services;
  const secure = env.protocol === "https";
  const db = tenant.kind === "school" ? boundDb(platform, tenant.school.id) : null;
  const auth = operatorAuth(platform, tenant, secure);
  const links = publicLinks(publicAddressOf(env));
  const requestLinks: RequestLinks = Object.freeze({
    ...links,
    origin: tenant.kind === "school" ? links.school(tenant.school) : links.platform(),
  });
  return {
    tenant,
    db,
    links: requestLinks,
    clock: services.clock,
    mailer: services.mailer,
    limiter: services.limiter,
    storage: services.storage,
    auth,
    operator: operatorCapabilities(platform, tenant, auth),
    schoolPlatform: db ? schoolPlatform(platform, db, secure) : null,
    payments: db ? schoolPayments(services, db, secure) : null,
    files: db ? schoolFiles(services.fileSigner, db.schoolId) : null,
    settings: Object.freeze({ RATE_LIMIT_SIGNIN: env.RATE_LIMIT_SIGNIN, RATE_LIMIT_WINDOW_SECONDS: env.RATE_LIMIT_WINDOW_SECONDS, devMailbox: env.devMailbox }),
  };
}
