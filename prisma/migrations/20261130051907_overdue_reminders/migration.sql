-- CreateTable
CREATE TABLE "InvoiceReminder" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "invoiceId" TEXT NOT NULL,
    "day" INTEGER NOT NULL,
    "sentTo" TEXT,
    "sentAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InvoiceReminder_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "InvoiceReminder_schoolId_idx" ON "InvoiceReminder"("schoolId");

-- CreateIndex
CREATE UNIQUE INDEX "InvoiceReminder_schoolId_id_key" ON "InvoiceReminder"("schoolId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "InvoiceReminder_schoolId_invoiceId_day_key" ON "InvoiceReminder"("schoolId", "invoiceId", "day");

-- AddForeignKey
ALTER TABLE "InvoiceReminder" ADD CONSTRAINT "InvoiceReminder_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InvoiceReminder" ADD CONSTRAINT "InvoiceReminder_schoolId_invoiceId_fkey" FOREIGN KEY ("schoolId", "invoiceId") REFERENCES "Invoice"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;


-- Row-level security and grants (scripts/db-migration.ts)
ALTER TABLE "InvoiceReminder" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "InvoiceReminder" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "InvoiceReminder" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "InvoiceReminder" TO encore_app;

-- Written by hand (Prisma 6 cannot express these)
-- A reminder stands for a day after the due date.
ALTER TABLE "InvoiceReminder" ADD CONSTRAINT "InvoiceReminder_day_positive" CHECK ("day" > 0);
