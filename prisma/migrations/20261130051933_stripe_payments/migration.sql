-- CreateEnum
CREATE TYPE "RefundStatus" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED');

-- AlterTable
ALTER TABLE "Payment" ADD COLUMN     "checkoutExpiresAt" TIMESTAMPTZ(3),
ADD COLUMN     "checkoutUrl" TEXT,
ADD COLUMN     "disputeStatus" TEXT,
ADD COLUMN     "invoiceId" TEXT,
ADD COLUMN     "payerId" TEXT,
ADD COLUMN     "platformFeeMinor" INTEGER,
ADD COLUMN     "stripeCheckoutSessionId" TEXT,
ADD COLUMN     "stripeDisputeId" TEXT,
ADD COLUMN     "stripeTransferId" TEXT;

-- CreateTable
CREATE TABLE "Refund" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "paymentId" TEXT NOT NULL,
    "amountMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "status" "RefundStatus" NOT NULL DEFAULT 'PENDING',
    "stripeRefundId" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Refund_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StripeEvent" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "account" TEXT,
    "payload" JSONB NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,

    CONSTRAINT "StripeEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Refund_schoolId_paymentId_idx" ON "Refund"("schoolId", "paymentId");

-- CreateIndex
CREATE UNIQUE INDEX "Refund_schoolId_id_key" ON "Refund"("schoolId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Refund_schoolId_stripeRefundId_key" ON "Refund"("schoolId", "stripeRefundId");

-- CreateIndex
CREATE INDEX "StripeEvent_processedAt_receivedAt_idx" ON "StripeEvent"("processedAt", "receivedAt");

-- CreateIndex
CREATE INDEX "Payment_schoolId_invoiceId_idx" ON "Payment"("schoolId", "invoiceId");

-- CreateIndex
CREATE UNIQUE INDEX "Payment_schoolId_stripeCheckoutSessionId_key" ON "Payment"("schoolId", "stripeCheckoutSessionId");

-- CreateIndex
CREATE UNIQUE INDEX "Payment_schoolId_stripePaymentIntentId_key" ON "Payment"("schoolId", "stripePaymentIntentId");

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_schoolId_invoiceId_fkey" FOREIGN KEY ("schoolId", "invoiceId") REFERENCES "Invoice"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_schoolId_payerId_fkey" FOREIGN KEY ("schoolId", "payerId") REFERENCES "User"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Refund" ADD CONSTRAINT "Refund_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Refund" ADD CONSTRAINT "Refund_schoolId_paymentId_fkey" FOREIGN KEY ("schoolId", "paymentId") REFERENCES "Payment"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Refund" ADD CONSTRAINT "Refund_schoolId_createdById_fkey" FOREIGN KEY ("schoolId", "createdById") REFERENCES "User"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;


-- Row-level security and grants (scripts/db-migration.ts)
ALTER TABLE "Refund" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Refund" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "Refund" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "Refund" TO encore_app;

GRANT SELECT, INSERT, UPDATE ON TABLE "StripeEvent" TO encore_platform;

-- Written by hand (Prisma 6 cannot express these)
-- One open online checkout per invoice: two "pay" clicks share it, never make a second charge.
CREATE UNIQUE INDEX "Payment_schoolId_invoiceId_open_checkout_key" ON "Payment"("schoolId", "invoiceId") WHERE "status" = 'PENDING' AND "method" = 'STRIPE' AND "invoiceId" IS NOT NULL;
-- A refund is of a positive amount; a platform fee is never negative.
ALTER TABLE "Refund" ADD CONSTRAINT "Refund_amountMinor_positive" CHECK ("amountMinor" > 0);
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_platformFeeMinor_nonnegative" CHECK ("platformFeeMinor" IS NULL OR "platformFeeMinor" >= 0);
