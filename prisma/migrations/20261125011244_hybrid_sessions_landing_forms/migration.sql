-- AlterTable
ALTER TABLE "School" ADD COLUMN     "about" TEXT,
ADD COLUMN     "contactAddress" TEXT,
ADD COLUMN     "landingShowLocations" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "landingShowPrograms" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "landingShowTeachers" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "registrationFee" DECIMAL(10,2),
ADD COLUMN     "tagline" TEXT;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "showOnLanding" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "FamilyGroup" ADD COLUMN     "emergencyContactName" TEXT,
ADD COLUMN     "emergencyContactPhone" TEXT,
ADD COLUMN     "emergencyContactRelation" TEXT;

-- AlterTable
ALTER TABLE "LessonOccurrence" ADD COLUMN     "hybridConfigId" TEXT,
ADD COLUMN     "hybridWeek" INTEGER;

-- CreateTable
CREATE TABLE "FormSubmission" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "result" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FormSubmission_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FormSubmission_schoolId_idx" ON "FormSubmission"("schoolId");

-- CreateIndex
CREATE UNIQUE INDEX "FormSubmission_schoolId_key_key" ON "FormSubmission"("schoolId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "FormSubmission_schoolId_id_key" ON "FormSubmission"("schoolId", "id");

-- AddForeignKey
ALTER TABLE "LessonOccurrence" ADD CONSTRAINT "LessonOccurrence_schoolId_hybridConfigId_fkey" FOREIGN KEY ("schoolId", "hybridConfigId") REFERENCES "HybridLessonConfig"("schoolId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FormSubmission" ADD CONSTRAINT "FormSubmission_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Row-level security (scripts/db-migration.ts)
ALTER TABLE "FormSubmission" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "FormSubmission" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "FormSubmission" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));

-- A student holds at most one scheduled 1-on-1 session per hybrid week (hand-written).
CREATE UNIQUE INDEX "LessonOccurrence_one_session_per_week_key" ON "LessonOccurrence" ("hybridConfigId", "studentId", "hybridWeek")
  WHERE kind = 'INDIVIDUAL_SESSION' AND status = 'SCHEDULED';
