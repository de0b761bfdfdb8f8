-- DropIndex
DROP INDEX "InvoiceReminder_schoolId_invoiceId_day_key";

-- AlterTable
ALTER TABLE "InvoiceReminder" ADD COLUMN     "instalment" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "InvoiceInstalment" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "invoiceId" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "amountMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "dueDate" TEXT NOT NULL,
    "chosenById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InvoiceInstalment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "InvoiceInstalment_schoolId_idx" ON "InvoiceInstalment"("schoolId");

-- CreateIndex
CREATE UNIQUE INDEX "InvoiceInstalment_schoolId_id_key" ON "InvoiceInstalment"("schoolId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "InvoiceInstalment_schoolId_invoiceId_sequence_key" ON "InvoiceInstalment"("schoolId", "invoiceId", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "InvoiceReminder_schoolId_invoiceId_instalment_day_key" ON "InvoiceReminder"("schoolId", "invoiceId", "instalment", "day");

-- AddForeignKey
ALTER TABLE "InvoiceInstalment" ADD CONSTRAINT "InvoiceInstalment_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InvoiceInstalment" ADD CONSTRAINT "InvoiceInstalment_schoolId_invoiceId_fkey" FOREIGN KEY ("schoolId", "invoiceId") REFERENCES "Invoice"("schoolId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InvoiceInstalment" ADD CONSTRAINT "InvoiceInstalment_schoolId_chosenById_fkey" FOREIGN KEY ("schoolId", "chosenById") REFERENCES "User"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;


-- Row-level security and grants (scripts/db-migration.ts)
ALTER TABLE "InvoiceInstalment" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "InvoiceInstalment" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "InvoiceInstalment" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));
-- A schedule is fixed once chosen: the app may read and add, never change or delete.
GRANT SELECT, INSERT ON TABLE "InvoiceInstalment" TO encore_app;
ALTER TABLE "InvoiceInstalment" ADD CONSTRAINT "InvoiceInstalment_amountMinor_positive" CHECK ("amountMinor" > 0);
ALTER TABLE "InvoiceInstalment" ADD CONSTRAINT "InvoiceInstalment_sequence_positive" CHECK ("sequence" >= 1);
