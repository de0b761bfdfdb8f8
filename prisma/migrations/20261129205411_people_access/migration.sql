-- AlterTable
ALTER TABLE "User" ADD COLUMN     "deactivatedAt" TIMESTAMPTZ(3),
ADD COLUMN     "deactivatedById" TEXT;

-- AlterTable
ALTER TABLE "UserToken" ADD COLUMN     "voidedAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "SchoolAuditEvent" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "actedById" TEXT,
    "action" TEXT NOT NULL,
    "subjectId" TEXT,
    "details" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SchoolAuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SchoolAuditEvent_schoolId_createdAt_idx" ON "SchoolAuditEvent"("schoolId", "createdAt");

-- CreateIndex
CREATE INDEX "SchoolAuditEvent_subjectId_createdAt_idx" ON "SchoolAuditEvent"("subjectId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "SchoolAuditEvent_schoolId_id_key" ON "SchoolAuditEvent"("schoolId", "id");

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_schoolId_deactivatedById_fkey" FOREIGN KEY ("schoolId", "deactivatedById") REFERENCES "User"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SchoolAuditEvent" ADD CONSTRAINT "SchoolAuditEvent_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SchoolAuditEvent" ADD CONSTRAINT "SchoolAuditEvent_schoolId_actedById_fkey" FOREIGN KEY ("schoolId", "actedById") REFERENCES "User"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SchoolAuditEvent" ADD CONSTRAINT "SchoolAuditEvent_schoolId_subjectId_fkey" FOREIGN KEY ("schoolId", "subjectId") REFERENCES "User"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;


-- Row-level security and grants (scripts/db-migration.ts)
ALTER TABLE "SchoolAuditEvent" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "SchoolAuditEvent" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "SchoolAuditEvent" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "SchoolAuditEvent" TO encore_app;
