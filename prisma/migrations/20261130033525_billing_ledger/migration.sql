-- CreateEnum
CREATE TYPE "PriceBasis" AS ENUM ('PER_TERM', 'PER_LESSON');

-- CreateEnum
CREATE TYPE "InvoiceStatus" AS ENUM ('DRAFT', 'ISSUED', 'VOID');

-- CreateEnum
CREATE TYPE "LedgerKind" AS ENUM ('INVOICE', 'LATE_FEE', 'REFUND', 'DISPUTE', 'CREDIT_NOTE', 'PAYMENT', 'DISPUTE_WON', 'ALLOCATION', 'DEALLOCATION');

-- AlterTable
ALTER TABLE "Payment" ADD COLUMN     "amountMinor" INTEGER,
ADD COLUMN     "recordedById" TEXT,
ADD COLUMN     "reference" TEXT;

-- CreateTable
CREATE TABLE "BillingSettings" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "taxRateBasisPoints" INTEGER NOT NULL DEFAULT 0,
    "taxLabel" TEXT,
    "taxInclusive" BOOLEAN NOT NULL DEFAULT false,
    "invoicePrefix" TEXT NOT NULL DEFAULT 'INV',
    "paymentTermsDays" INTEGER NOT NULL DEFAULT 14,
    "lateFeeMinor" INTEGER,
    "lateFeeBasisPoints" INTEGER,
    "lateFeeAfterDays" INTEGER,
    "siblingDiscounts" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "BillingSettings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PriceListLine" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "termId" TEXT NOT NULL,
    "lessonType" "LessonType",
    "durationMinutes" INTEGER,
    "instrument" TEXT,
    "amountMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "basis" "PriceBasis" NOT NULL DEFAULT 'PER_TERM',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PriceListLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Invoice" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "familyGroupId" TEXT NOT NULL,
    "termId" TEXT,
    "invoiceKey" TEXT,
    "status" "InvoiceStatus" NOT NULL DEFAULT 'DRAFT',
    "sequence" INTEGER,
    "number" TEXT,
    "issueDate" TEXT,
    "dueDate" TEXT,
    "issuedAt" TIMESTAMPTZ(3),
    "currency" TEXT NOT NULL,
    "netMinor" INTEGER NOT NULL DEFAULT 0,
    "taxMinor" INTEGER NOT NULL DEFAULT 0,
    "totalMinor" INTEGER NOT NULL DEFAULT 0,
    "taxLabel" TEXT,
    "taxInclusive" BOOLEAN NOT NULL DEFAULT false,
    "voidedAt" TIMESTAMPTZ(3),
    "voidReason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Invoice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InvoiceLine" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "invoiceId" TEXT NOT NULL,
    "lineKey" TEXT,
    "kind" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unitAmountMinor" INTEGER,
    "basis" TEXT,
    "amountMinor" INTEGER NOT NULL,
    "netMinor" INTEGER NOT NULL,
    "taxMinor" INTEGER NOT NULL,
    "grossMinor" INTEGER NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "voided" BOOLEAN NOT NULL DEFAULT false,
    "studentId" TEXT,
    "enrollmentId" TEXT,
    "lessonId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "InvoiceLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LedgerEntry" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "familyGroupId" TEXT NOT NULL,
    "kind" "LedgerKind" NOT NULL,
    "amountMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "postedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "invoiceId" TEXT,
    "invoiceNumber" TEXT,
    "dueDate" TEXT,
    "paymentId" TEXT,
    "sourceId" TEXT,
    "memo" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LedgerEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InvoiceCounter" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "lastNumber" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "InvoiceCounter_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "BillingSettings_schoolId_key" ON "BillingSettings"("schoolId");

-- CreateIndex
CREATE UNIQUE INDEX "BillingSettings_schoolId_id_key" ON "BillingSettings"("schoolId", "id");

-- CreateIndex
CREATE INDEX "PriceListLine_schoolId_termId_idx" ON "PriceListLine"("schoolId", "termId");

-- CreateIndex
CREATE UNIQUE INDEX "PriceListLine_schoolId_id_key" ON "PriceListLine"("schoolId", "id");

-- CreateIndex
CREATE INDEX "Invoice_schoolId_familyGroupId_idx" ON "Invoice"("schoolId", "familyGroupId");

-- CreateIndex
CREATE INDEX "Invoice_schoolId_termId_idx" ON "Invoice"("schoolId", "termId");

-- CreateIndex
CREATE UNIQUE INDEX "Invoice_schoolId_id_key" ON "Invoice"("schoolId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Invoice_schoolId_number_key" ON "Invoice"("schoolId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "Invoice_schoolId_sequence_key" ON "Invoice"("schoolId", "sequence");

-- CreateIndex
CREATE INDEX "InvoiceLine_schoolId_invoiceId_idx" ON "InvoiceLine"("schoolId", "invoiceId");

-- CreateIndex
CREATE UNIQUE INDEX "InvoiceLine_schoolId_id_key" ON "InvoiceLine"("schoolId", "id");

-- CreateIndex
CREATE INDEX "LedgerEntry_schoolId_familyGroupId_postedAt_idx" ON "LedgerEntry"("schoolId", "familyGroupId", "postedAt");

-- CreateIndex
CREATE INDEX "LedgerEntry_schoolId_invoiceId_idx" ON "LedgerEntry"("schoolId", "invoiceId");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerEntry_schoolId_id_key" ON "LedgerEntry"("schoolId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerEntry_schoolId_idempotencyKey_key" ON "LedgerEntry"("schoolId", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "InvoiceCounter_schoolId_key" ON "InvoiceCounter"("schoolId");

-- CreateIndex
CREATE UNIQUE INDEX "InvoiceCounter_schoolId_id_key" ON "InvoiceCounter"("schoolId", "id");

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_schoolId_recordedById_fkey" FOREIGN KEY ("schoolId", "recordedById") REFERENCES "User"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BillingSettings" ADD CONSTRAINT "BillingSettings_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PriceListLine" ADD CONSTRAINT "PriceListLine_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PriceListLine" ADD CONSTRAINT "PriceListLine_schoolId_termId_fkey" FOREIGN KEY ("schoolId", "termId") REFERENCES "Term"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invoice" ADD CONSTRAINT "Invoice_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invoice" ADD CONSTRAINT "Invoice_schoolId_familyGroupId_fkey" FOREIGN KEY ("schoolId", "familyGroupId") REFERENCES "FamilyGroup"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invoice" ADD CONSTRAINT "Invoice_schoolId_termId_fkey" FOREIGN KEY ("schoolId", "termId") REFERENCES "Term"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InvoiceLine" ADD CONSTRAINT "InvoiceLine_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InvoiceLine" ADD CONSTRAINT "InvoiceLine_schoolId_invoiceId_fkey" FOREIGN KEY ("schoolId", "invoiceId") REFERENCES "Invoice"("schoolId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InvoiceLine" ADD CONSTRAINT "InvoiceLine_schoolId_studentId_fkey" FOREIGN KEY ("schoolId", "studentId") REFERENCES "Student"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InvoiceLine" ADD CONSTRAINT "InvoiceLine_schoolId_enrollmentId_fkey" FOREIGN KEY ("schoolId", "enrollmentId") REFERENCES "Enrollment"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InvoiceLine" ADD CONSTRAINT "InvoiceLine_schoolId_lessonId_fkey" FOREIGN KEY ("schoolId", "lessonId") REFERENCES "Lesson"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_schoolId_familyGroupId_fkey" FOREIGN KEY ("schoolId", "familyGroupId") REFERENCES "FamilyGroup"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_schoolId_invoiceId_fkey" FOREIGN KEY ("schoolId", "invoiceId") REFERENCES "Invoice"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_schoolId_paymentId_fkey" FOREIGN KEY ("schoolId", "paymentId") REFERENCES "Payment"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_schoolId_sourceId_fkey" FOREIGN KEY ("schoolId", "sourceId") REFERENCES "LedgerEntry"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InvoiceCounter" ADD CONSTRAINT "InvoiceCounter_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Row-level security and grants (scripts/db-migration.ts)
ALTER TABLE "BillingSettings" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "BillingSettings" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "BillingSettings" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "BillingSettings" TO encore_app;

ALTER TABLE "PriceListLine" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "PriceListLine" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "PriceListLine" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "PriceListLine" TO encore_app;

ALTER TABLE "Invoice" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Invoice" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "Invoice" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "Invoice" TO encore_app;

ALTER TABLE "InvoiceLine" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "InvoiceLine" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "InvoiceLine" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "InvoiceLine" TO encore_app;

ALTER TABLE "LedgerEntry" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "LedgerEntry" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "LedgerEntry" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));
GRANT SELECT, INSERT ON TABLE "LedgerEntry" TO encore_app;

ALTER TABLE "InvoiceCounter" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "InvoiceCounter" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "InvoiceCounter" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "InvoiceCounter" TO encore_app;

-- Written by hand (Prisma 6 cannot express these)
-- A line key is billed once per school among invoices that are not void (app/domain/billing.ts, "Line keys").
CREATE UNIQUE INDEX "InvoiceLine_schoolId_lineKey_live_key" ON "InvoiceLine"("schoolId", "lineKey") WHERE NOT "voided" AND "lineKey" IS NOT NULL;
-- Ledger entries store magnitudes; the kind gives the sign (app/domain/ledger.ts).
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_amountMinor_positive" CHECK ("amountMinor" > 0);
-- Amounts of invoices and lines are whole minor units; a price or a count is never negative.
ALTER TABLE "PriceListLine" ADD CONSTRAINT "PriceListLine_amountMinor_nonnegative" CHECK ("amountMinor" >= 0);
ALTER TABLE "InvoiceCounter" ADD CONSTRAINT "InvoiceCounter_lastNumber_nonnegative" CHECK ("lastNumber" >= 0);
