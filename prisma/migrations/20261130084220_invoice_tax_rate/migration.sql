-- AlterTable
ALTER TABLE "Invoice" ADD COLUMN     "taxRateBasisPoints" INTEGER NOT NULL DEFAULT 0;


-- Invoices made before the rate was kept were taxed at the school's rate of the time; the
-- nearest record of it is the settings' rate now.
UPDATE "Invoice" i
   SET "taxRateBasisPoints" = b."taxRateBasisPoints"
  FROM "BillingSettings" b
 WHERE b."schoolId" = i."schoolId" AND i."taxLabel" IS NOT NULL;
