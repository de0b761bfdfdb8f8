-- CreateEnum
CREATE TYPE "LessonRequestStatus" AS ENUM ('PENDING', 'SCHEDULED', 'DECLINED');

-- AlterTable
ALTER TABLE "School" ADD COLUMN     "trialLessonMinutes" INTEGER;

-- CreateTable
CREATE TABLE "LessonRequest" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "studentId" TEXT NOT NULL,
    "familyGroupId" TEXT NOT NULL,
    "instrument" TEXT NOT NULL,
    "preferredDays" INTEGER[],
    "preferredTimes" TEXT[],
    "durationMinutes" INTEGER,
    "notes" TEXT,
    "status" "LessonRequestStatus" NOT NULL DEFAULT 'PENDING',
    "declineMessage" TEXT,
    "lessonId" TEXT,
    "decidedById" TEXT,
    "decidedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "LessonRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LessonRequest_schoolId_status_createdAt_idx" ON "LessonRequest"("schoolId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "LessonRequest_studentId_idx" ON "LessonRequest"("studentId");

-- CreateIndex
CREATE UNIQUE INDEX "LessonRequest_schoolId_id_key" ON "LessonRequest"("schoolId", "id");

-- AddForeignKey
ALTER TABLE "LessonRequest" ADD CONSTRAINT "LessonRequest_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LessonRequest" ADD CONSTRAINT "LessonRequest_schoolId_studentId_fkey" FOREIGN KEY ("schoolId", "studentId") REFERENCES "Student"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LessonRequest" ADD CONSTRAINT "LessonRequest_schoolId_familyGroupId_fkey" FOREIGN KEY ("schoolId", "familyGroupId") REFERENCES "FamilyGroup"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LessonRequest" ADD CONSTRAINT "LessonRequest_schoolId_lessonId_fkey" FOREIGN KEY ("schoolId", "lessonId") REFERENCES "Lesson"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LessonRequest" ADD CONSTRAINT "LessonRequest_schoolId_decidedById_fkey" FOREIGN KEY ("schoolId", "decidedById") REFERENCES "User"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;


-- Row-level security and grants (scripts/db-migration.ts)
ALTER TABLE "LessonRequest" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "LessonRequest" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "LessonRequest" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "LessonRequest" TO encore_app;

-- Hand-written below (Prisma does not model these).
-- The school decides whether new families may book a trial lesson, and its length.
GRANT UPDATE ("trialLessonMinutes") ON TABLE "School" TO encore_app;
ALTER TABLE "School" ADD CONSTRAINT "School_trial_lesson_minutes_check" CHECK ("trialLessonMinutes" IS NULL OR "trialLessonMinutes" > 0);
ALTER TABLE "LessonRequest" ADD CONSTRAINT "LessonRequest_duration_check" CHECK ("durationMinutes" IS NULL OR "durationMinutes" > 0);
ALTER TABLE "LessonRequest" ADD CONSTRAINT "LessonRequest_days_check" CHECK ("preferredDays" <@ ARRAY[0,1,2,3,4,5,6]);
