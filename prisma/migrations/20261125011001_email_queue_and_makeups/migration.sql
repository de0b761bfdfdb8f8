-- AlterEnum
ALTER TYPE "EmailStatus" ADD VALUE 'QUEUED';

-- AlterTable
ALTER TABLE "School" ADD COLUMN     "allowIndividualMoves" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "makeUpCreditsPerTerm" INTEGER NOT NULL DEFAULT 2,
ADD COLUMN     "makeUpExpiryDays" INTEGER NOT NULL DEFAULT 60,
ADD COLUMN     "makeUpNoticeHours" INTEGER NOT NULL DEFAULT 24,
ADD COLUMN     "moveNoticeHours" INTEGER NOT NULL DEFAULT 24;

-- AlterTable
ALTER TABLE "EmailMessage" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "sentAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "LessonOccurrence" ADD COLUMN     "makeUpCreditId" TEXT;

-- AlterTable
ALTER TABLE "HybridLessonConfig" ADD COLUMN     "bookingReminderDays" INTEGER NOT NULL DEFAULT 3;

-- CreateTable
CREATE TABLE "MakeUpCredit" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "studentId" TEXT NOT NULL,
    "sourceOccurrenceId" TEXT,
    "termId" TEXT,
    "issuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "voidedAt" TIMESTAMP(3),
    "reason" TEXT,
    "actedById" TEXT,
    "remindedAt" TIMESTAMP(3),

    CONSTRAINT "MakeUpCredit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OccurrenceGuest" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "occurrenceId" TEXT NOT NULL,
    "studentId" TEXT NOT NULL,
    "creditId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OccurrenceGuest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MakeUpCredit_schoolId_idx" ON "MakeUpCredit"("schoolId");

-- CreateIndex
CREATE INDEX "MakeUpCredit_studentId_expiresAt_idx" ON "MakeUpCredit"("studentId", "expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "MakeUpCredit_schoolId_id_key" ON "MakeUpCredit"("schoolId", "id");

-- CreateIndex
CREATE INDEX "OccurrenceGuest_schoolId_idx" ON "OccurrenceGuest"("schoolId");

-- CreateIndex
CREATE UNIQUE INDEX "OccurrenceGuest_occurrenceId_studentId_key" ON "OccurrenceGuest"("occurrenceId", "studentId");

-- CreateIndex
CREATE UNIQUE INDEX "OccurrenceGuest_schoolId_id_key" ON "OccurrenceGuest"("schoolId", "id");

-- CreateIndex
CREATE INDEX "EmailMessage_status_createdAt_idx" ON "EmailMessage"("status", "createdAt");

-- AddForeignKey
ALTER TABLE "LessonOccurrence" ADD CONSTRAINT "LessonOccurrence_schoolId_makeUpCreditId_fkey" FOREIGN KEY ("schoolId", "makeUpCreditId") REFERENCES "MakeUpCredit"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MakeUpCredit" ADD CONSTRAINT "MakeUpCredit_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MakeUpCredit" ADD CONSTRAINT "MakeUpCredit_schoolId_studentId_fkey" FOREIGN KEY ("schoolId", "studentId") REFERENCES "Student"("schoolId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MakeUpCredit" ADD CONSTRAINT "MakeUpCredit_schoolId_sourceOccurrenceId_fkey" FOREIGN KEY ("schoolId", "sourceOccurrenceId") REFERENCES "LessonOccurrence"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OccurrenceGuest" ADD CONSTRAINT "OccurrenceGuest_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OccurrenceGuest" ADD CONSTRAINT "OccurrenceGuest_schoolId_occurrenceId_fkey" FOREIGN KEY ("schoolId", "occurrenceId") REFERENCES "LessonOccurrence"("schoolId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OccurrenceGuest" ADD CONSTRAINT "OccurrenceGuest_schoolId_studentId_fkey" FOREIGN KEY ("schoolId", "studentId") REFERENCES "Student"("schoolId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OccurrenceGuest" ADD CONSTRAINT "OccurrenceGuest_schoolId_creditId_fkey" FOREIGN KEY ("schoolId", "creditId") REFERENCES "MakeUpCredit"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;


-- Row-level security (scripts/db-migration.ts)
ALTER TABLE "MakeUpCredit" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "MakeUpCredit" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "MakeUpCredit" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));

ALTER TABLE "OccurrenceGuest" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "OccurrenceGuest" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "OccurrenceGuest" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));
