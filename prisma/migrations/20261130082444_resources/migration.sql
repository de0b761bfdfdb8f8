-- Resources were stand-ins until now (a public file URL, no owner): the rows the demo
-- seed wrote point at files that never existed. They are removed, not converted; the
-- seed writes real ones. Row-level security is FORCEd on both tables, so a migrating
-- owner without BYPASSRLS would see no row: lifted for the deletion only.
ALTER TABLE "ResourceAccess" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "Resource" NO FORCE ROW LEVEL SECURITY;
DELETE FROM "ResourceAccess";
DELETE FROM "Resource";
ALTER TABLE "ResourceAccess" FORCE ROW LEVEL SECURITY;
ALTER TABLE "Resource" FORCE ROW LEVEL SECURITY;

-- DropForeignKey
ALTER TABLE "ResourceAccess" DROP CONSTRAINT "ResourceAccess_schoolId_lessonId_fkey";

-- DropIndex
DROP INDEX "Resource_type_idx";

-- DropIndex
DROP INDEX "ResourceAccess_resourceId_idx";

-- DropIndex
DROP INDEX "ResourceAccess_studentId_idx";

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "resourceEmails" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "Resource" DROP COLUMN "fileUrl",
ADD COLUMN     "announcedAt" TIMESTAMPTZ(3),
ADD COLUMN     "fileKey" TEXT,
ADD COLUMN     "lessonId" TEXT,
ADD COLUMN     "linkUrl" TEXT,
ADD COLUMN     "uploadedById" TEXT NOT NULL,
ALTER COLUMN "fileName" DROP NOT NULL,
ALTER COLUMN "releasedAt" SET NOT NULL,
ALTER COLUMN "releasedAt" SET DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "ResourceAccess" DROP COLUMN "accessGrantedAt",
DROP COLUMN "lessonId",
ADD COLUMN     "firstAccessedAt" TIMESTAMPTZ(3) NOT NULL,
ALTER COLUMN "studentId" SET NOT NULL,
ALTER COLUMN "lastAccessedAt" SET NOT NULL,
ALTER COLUMN "accessCount" SET DEFAULT 1;

-- CreateTable
CREATE TABLE "ResourceAudience" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "resourceId" TEXT NOT NULL,
    "studentId" TEXT NOT NULL,

    CONSTRAINT "ResourceAudience_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ResourceAudience_schoolId_idx" ON "ResourceAudience"("schoolId");

-- CreateIndex
CREATE INDEX "ResourceAudience_schoolId_studentId_idx" ON "ResourceAudience"("schoolId", "studentId");

-- CreateIndex
CREATE UNIQUE INDEX "ResourceAudience_schoolId_resourceId_studentId_key" ON "ResourceAudience"("schoolId", "resourceId", "studentId");

-- CreateIndex
CREATE UNIQUE INDEX "ResourceAudience_schoolId_id_key" ON "ResourceAudience"("schoolId", "id");

-- CreateIndex
CREATE INDEX "Resource_schoolId_releasedAt_idx" ON "Resource"("schoolId", "releasedAt");

-- CreateIndex
CREATE INDEX "Resource_schoolId_lessonId_idx" ON "Resource"("schoolId", "lessonId");

-- CreateIndex
CREATE INDEX "ResourceAccess_schoolId_studentId_idx" ON "ResourceAccess"("schoolId", "studentId");

-- AddForeignKey
ALTER TABLE "Resource" ADD CONSTRAINT "Resource_schoolId_uploadedById_fkey" FOREIGN KEY ("schoolId", "uploadedById") REFERENCES "User"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Resource" ADD CONSTRAINT "Resource_schoolId_lessonId_fkey" FOREIGN KEY ("schoolId", "lessonId") REFERENCES "Lesson"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResourceAudience" ADD CONSTRAINT "ResourceAudience_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResourceAudience" ADD CONSTRAINT "ResourceAudience_schoolId_resourceId_fkey" FOREIGN KEY ("schoolId", "resourceId") REFERENCES "Resource"("schoolId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResourceAudience" ADD CONSTRAINT "ResourceAudience_schoolId_studentId_fkey" FOREIGN KEY ("schoolId", "studentId") REFERENCES "Student"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;


-- Row-level security and grants (scripts/db-migration.ts)
ALTER TABLE "ResourceAudience" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ResourceAudience" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "ResourceAudience" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "ResourceAudience" TO encore_app;

-- A resource is a link or a stored file, never both; it closes after it opens; a
-- count of opens is at least one.
ALTER TABLE "Resource" ADD CONSTRAINT "Resource_link_or_file" CHECK (("linkUrl" IS NULL) <> ("fileKey" IS NULL));
ALTER TABLE "Resource" ADD CONSTRAINT "Resource_window" CHECK ("expiresAt" IS NULL OR "expiresAt" > "releasedAt");
ALTER TABLE "Resource" ADD CONSTRAINT "Resource_file_size" CHECK ("fileSize" IS NULL OR "fileSize" > 0);
ALTER TABLE "ResourceAccess" ADD CONSTRAINT "ResourceAccess_count" CHECK ("accessCount" >= 1 AND "lastAccessedAt" >= "firstAccessedAt");
