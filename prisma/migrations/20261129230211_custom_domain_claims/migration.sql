-- AlterTable
ALTER TABLE "School" ADD COLUMN     "customDomainClaimedAt" TIMESTAMPTZ(3);


-- Claims expire (app/domain/custom-domain.ts): a claim waiting for verification today
-- holds its domain for 72 hours from this migration.
UPDATE "School" SET "customDomainClaimedAt" = CURRENT_TIMESTAMP WHERE "customDomain" IS NOT NULL AND "customDomainVerifiedAt" IS NULL;

-- The domain, its token and the claim's time are the platform's to write (the
-- privileged module claims, releases expired claims and verifies): a school could
-- otherwise keep a claim alive forever or change a verified domain in place. The app
-- role still reads them (SELECT on the table). See PLATFORM_ONLY_SCHOOL_COLUMNS.
REVOKE UPDATE ("customDomain", "customDomainToken") ON TABLE "School" FROM encore_app;
