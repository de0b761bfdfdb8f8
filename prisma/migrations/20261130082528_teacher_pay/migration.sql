-- CreateEnum
CREATE TYPE "PayPeriodKind" AS ENUM ('WEEKLY', 'FORTNIGHTLY', 'MONTHLY', 'TERM');

-- CreateEnum
CREATE TYPE "PayBasis" AS ENUM ('PER_LESSON', 'PER_HOUR', 'PER_STUDENT');

-- CreateEnum
CREATE TYPE "SweepSchedule" AS ENUM ('MANUAL', 'DAILY', 'WEEKLY', 'MONTHLY');

-- CreateEnum
CREATE TYPE "PayRunStatus" AS ENUM ('DRAFT', 'APPROVED', 'PAID');

-- CreateEnum
CREATE TYPE "PayLineKind" AS ENUM ('OCCURRENCE', 'CORRECTION');

-- CreateEnum
CREATE TYPE "PayAdjustmentKind" AS ENUM ('BONUS', 'REIMBURSEMENT', 'DEDUCTION');

-- CreateEnum
CREATE TYPE "TeacherPaymentStatus" AS ENUM ('PENDING', 'SENT', 'FAILED', 'REVERSED', 'PAID_OUTSIDE');

-- CreateEnum
CREATE TYPE "HeldKind" AS ENUM ('CHARGE', 'PLATFORM_FEE', 'REFUND', 'FEE_REFUND', 'DISPUTE', 'DISPUTE_WON', 'TEACHER_TRANSFER', 'TRANSFER_REVERSAL', 'SWEEP', 'SWEEP_REVERSAL');

-- CreateEnum
CREATE TYPE "SweepStatus" AS ENUM ('PENDING', 'SENT', 'FAILED');

-- CreateTable
CREATE TABLE "PaySettings" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "period" "PayPeriodKind" NOT NULL DEFAULT 'MONTHLY',
    "fortnightAnchor" TEXT,
    "outcomePolicy" JSONB NOT NULL DEFAULT '{}',
    "sweepSchedule" "SweepSchedule" NOT NULL DEFAULT 'MANUAL',
    "lastSweepDate" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PaySettings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PayRule" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "teacherId" TEXT,
    "lessonType" "LessonType",
    "durationMinutes" INTEGER,
    "basis" "PayBasis" NOT NULL DEFAULT 'PER_LESSON',
    "amountMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "effectiveFrom" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PayRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PayRun" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "periodStart" TEXT NOT NULL,
    "periodEnd" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "status" "PayRunStatus" NOT NULL DEFAULT 'DRAFT',
    "totalMinor" INTEGER NOT NULL DEFAULT 0,
    "computedAt" TIMESTAMPTZ(3),
    "approvedById" TEXT,
    "approvedAt" TIMESTAMPTZ(3),
    "paidAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PayRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PayRunLine" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "runId" TEXT NOT NULL,
    "teacherId" TEXT NOT NULL,
    "occurrenceId" TEXT NOT NULL,
    "kind" "PayLineKind" NOT NULL DEFAULT 'OCCURRENCE',
    "key" TEXT NOT NULL,
    "lessonTitle" TEXT NOT NULL,
    "localDate" TEXT NOT NULL,
    "durationMinutes" INTEGER NOT NULL,
    "outcome" TEXT,
    "unresolved" TEXT,
    "ruleId" TEXT,
    "rateMinor" INTEGER NOT NULL,
    "shareBasisPoints" INTEGER NOT NULL,
    "students" INTEGER NOT NULL,
    "amountMinor" INTEGER NOT NULL,
    "previouslyPaidMinor" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "PayRunLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PayAdjustment" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "runId" TEXT NOT NULL,
    "teacherId" TEXT NOT NULL,
    "kind" "PayAdjustmentKind" NOT NULL,
    "amountMinor" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PayAdjustment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TeacherPayment" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "runId" TEXT NOT NULL,
    "teacherId" TEXT NOT NULL,
    "amountMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "status" "TeacherPaymentStatus" NOT NULL DEFAULT 'PENDING',
    "idempotencyKey" TEXT NOT NULL,
    "destination" TEXT,
    "stripeTransferId" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "failureMessage" TEXT,
    "reference" TEXT,
    "markedById" TEXT,
    "paidAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TeacherPayment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TeacherStripeAccount" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "userId" TEXT NOT NULL,
    "stripeAccountId" TEXT NOT NULL,
    "detailsSubmitted" BOOLEAN NOT NULL DEFAULT false,
    "payoutsEnabled" BOOLEAN NOT NULL DEFAULT false,
    "transfersActive" BOOLEAN NOT NULL DEFAULT false,
    "currentlyDue" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TeacherStripeAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SchoolLedgerEntry" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "kind" "HeldKind" NOT NULL,
    "amountMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "postedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "memo" TEXT,
    "paymentId" TEXT,
    "teacherPaymentId" TEXT,
    "sweepId" TEXT,
    "stripeObjectId" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SchoolLedgerEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Sweep" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "amountMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "status" "SweepStatus" NOT NULL DEFAULT 'PENDING',
    "automatic" BOOLEAN NOT NULL DEFAULT false,
    "stripeTransferId" TEXT,
    "failureMessage" TEXT,
    "requestedById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMPTZ(3),

    CONSTRAINT "Sweep_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PaySettings_schoolId_key" ON "PaySettings"("schoolId");

-- CreateIndex
CREATE UNIQUE INDEX "PaySettings_schoolId_id_key" ON "PaySettings"("schoolId", "id");

-- CreateIndex
CREATE INDEX "PayRule_schoolId_teacherId_idx" ON "PayRule"("schoolId", "teacherId");

-- CreateIndex
CREATE UNIQUE INDEX "PayRule_schoolId_id_key" ON "PayRule"("schoolId", "id");

-- CreateIndex
CREATE INDEX "PayRun_schoolId_status_idx" ON "PayRun"("schoolId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "PayRun_schoolId_id_key" ON "PayRun"("schoolId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "PayRun_schoolId_periodStart_periodEnd_key" ON "PayRun"("schoolId", "periodStart", "periodEnd");

-- CreateIndex
CREATE INDEX "PayRunLine_schoolId_occurrenceId_idx" ON "PayRunLine"("schoolId", "occurrenceId");

-- CreateIndex
CREATE INDEX "PayRunLine_schoolId_teacherId_idx" ON "PayRunLine"("schoolId", "teacherId");

-- CreateIndex
CREATE UNIQUE INDEX "PayRunLine_schoolId_id_key" ON "PayRunLine"("schoolId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "PayRunLine_schoolId_runId_key_key" ON "PayRunLine"("schoolId", "runId", "key");

-- CreateIndex
CREATE INDEX "PayAdjustment_schoolId_runId_idx" ON "PayAdjustment"("schoolId", "runId");

-- CreateIndex
CREATE UNIQUE INDEX "PayAdjustment_schoolId_id_key" ON "PayAdjustment"("schoolId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "TeacherPayment_schoolId_id_key" ON "TeacherPayment"("schoolId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "TeacherPayment_schoolId_runId_teacherId_key" ON "TeacherPayment"("schoolId", "runId", "teacherId");

-- CreateIndex
CREATE UNIQUE INDEX "TeacherPayment_schoolId_idempotencyKey_key" ON "TeacherPayment"("schoolId", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "TeacherPayment_schoolId_stripeTransferId_key" ON "TeacherPayment"("schoolId", "stripeTransferId");

-- CreateIndex
CREATE UNIQUE INDEX "TeacherStripeAccount_schoolId_id_key" ON "TeacherStripeAccount"("schoolId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "TeacherStripeAccount_schoolId_userId_key" ON "TeacherStripeAccount"("schoolId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "TeacherStripeAccount_schoolId_stripeAccountId_key" ON "TeacherStripeAccount"("schoolId", "stripeAccountId");

-- CreateIndex
CREATE INDEX "SchoolLedgerEntry_schoolId_postedAt_idx" ON "SchoolLedgerEntry"("schoolId", "postedAt");

-- CreateIndex
CREATE UNIQUE INDEX "SchoolLedgerEntry_schoolId_id_key" ON "SchoolLedgerEntry"("schoolId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "SchoolLedgerEntry_schoolId_idempotencyKey_key" ON "SchoolLedgerEntry"("schoolId", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "Sweep_schoolId_id_key" ON "Sweep"("schoolId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Sweep_schoolId_stripeTransferId_key" ON "Sweep"("schoolId", "stripeTransferId");

-- AddForeignKey
ALTER TABLE "PaySettings" ADD CONSTRAINT "PaySettings_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PayRule" ADD CONSTRAINT "PayRule_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PayRule" ADD CONSTRAINT "PayRule_schoolId_teacherId_fkey" FOREIGN KEY ("schoolId", "teacherId") REFERENCES "User"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PayRun" ADD CONSTRAINT "PayRun_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PayRun" ADD CONSTRAINT "PayRun_schoolId_approvedById_fkey" FOREIGN KEY ("schoolId", "approvedById") REFERENCES "User"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PayRunLine" ADD CONSTRAINT "PayRunLine_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PayRunLine" ADD CONSTRAINT "PayRunLine_schoolId_runId_fkey" FOREIGN KEY ("schoolId", "runId") REFERENCES "PayRun"("schoolId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PayRunLine" ADD CONSTRAINT "PayRunLine_schoolId_teacherId_fkey" FOREIGN KEY ("schoolId", "teacherId") REFERENCES "User"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PayRunLine" ADD CONSTRAINT "PayRunLine_schoolId_occurrenceId_fkey" FOREIGN KEY ("schoolId", "occurrenceId") REFERENCES "LessonOccurrence"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PayAdjustment" ADD CONSTRAINT "PayAdjustment_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PayAdjustment" ADD CONSTRAINT "PayAdjustment_schoolId_runId_fkey" FOREIGN KEY ("schoolId", "runId") REFERENCES "PayRun"("schoolId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PayAdjustment" ADD CONSTRAINT "PayAdjustment_schoolId_teacherId_fkey" FOREIGN KEY ("schoolId", "teacherId") REFERENCES "User"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PayAdjustment" ADD CONSTRAINT "PayAdjustment_schoolId_createdById_fkey" FOREIGN KEY ("schoolId", "createdById") REFERENCES "User"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeacherPayment" ADD CONSTRAINT "TeacherPayment_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeacherPayment" ADD CONSTRAINT "TeacherPayment_schoolId_runId_fkey" FOREIGN KEY ("schoolId", "runId") REFERENCES "PayRun"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeacherPayment" ADD CONSTRAINT "TeacherPayment_schoolId_teacherId_fkey" FOREIGN KEY ("schoolId", "teacherId") REFERENCES "User"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeacherPayment" ADD CONSTRAINT "TeacherPayment_schoolId_markedById_fkey" FOREIGN KEY ("schoolId", "markedById") REFERENCES "User"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeacherStripeAccount" ADD CONSTRAINT "TeacherStripeAccount_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeacherStripeAccount" ADD CONSTRAINT "TeacherStripeAccount_schoolId_userId_fkey" FOREIGN KEY ("schoolId", "userId") REFERENCES "User"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SchoolLedgerEntry" ADD CONSTRAINT "SchoolLedgerEntry_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Sweep" ADD CONSTRAINT "Sweep_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Sweep" ADD CONSTRAINT "Sweep_schoolId_requestedById_fkey" FOREIGN KEY ("schoolId", "requestedById") REFERENCES "User"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;


-- Row-level security and grants (scripts/db-migration.ts)
ALTER TABLE "PaySettings" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "PaySettings" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "PaySettings" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "PaySettings" TO encore_app;

ALTER TABLE "PayRule" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "PayRule" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "PayRule" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "PayRule" TO encore_app;

ALTER TABLE "PayRun" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "PayRun" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "PayRun" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "PayRun" TO encore_app;

ALTER TABLE "PayRunLine" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "PayRunLine" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "PayRunLine" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "PayRunLine" TO encore_app;

ALTER TABLE "PayAdjustment" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "PayAdjustment" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "PayAdjustment" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "PayAdjustment" TO encore_app;

ALTER TABLE "TeacherPayment" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "TeacherPayment" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "TeacherPayment" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "TeacherPayment" TO encore_app;

ALTER TABLE "TeacherStripeAccount" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "TeacherStripeAccount" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "TeacherStripeAccount" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "TeacherStripeAccount" TO encore_app;

ALTER TABLE "SchoolLedgerEntry" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "SchoolLedgerEntry" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "SchoolLedgerEntry" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));
GRANT SELECT, INSERT ON TABLE "SchoolLedgerEntry" TO encore_app;

ALTER TABLE "Sweep" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Sweep" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "Sweep" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "Sweep" TO encore_app;

-- Written by hand (Prisma 6 cannot express these)
-- Magnitudes: the kind gives the sign (a deduction, a sweep, a transfer subtract).
ALTER TABLE "SchoolLedgerEntry" ADD CONSTRAINT "SchoolLedgerEntry_amountMinor_positive" CHECK ("amountMinor" > 0);
ALTER TABLE "PayAdjustment" ADD CONSTRAINT "PayAdjustment_amountMinor_positive" CHECK ("amountMinor" > 0);
ALTER TABLE "Sweep" ADD CONSTRAINT "Sweep_amountMinor_positive" CHECK ("amountMinor" > 0);
ALTER TABLE "TeacherPayment" ADD CONSTRAINT "TeacherPayment_amountMinor_positive" CHECK ("amountMinor" > 0);
ALTER TABLE "PayRule" ADD CONSTRAINT "PayRule_amountMinor_nonnegative" CHECK ("amountMinor" >= 0);
ALTER TABLE "PayRule" ADD CONSTRAINT "PayRule_durationMinutes_positive" CHECK ("durationMinutes" IS NULL OR "durationMinutes" > 0);
ALTER TABLE "PayRun" ADD CONSTRAINT "PayRun_period_order" CHECK ("periodEnd" >= "periodStart");
-- An approved run says who approved it and when.
ALTER TABLE "PayRun" ADD CONSTRAINT "PayRun_approval_recorded" CHECK ("status" = 'DRAFT' OR ("approvedAt" IS NOT NULL));
