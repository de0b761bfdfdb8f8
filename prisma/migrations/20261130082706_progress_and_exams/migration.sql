-- AlterTable
ALTER TABLE "School" ADD COLUMN     "practiceStreakDays" INTEGER[] DEFAULT ARRAY[7, 30]::INTEGER[];

-- AlterTable
ALTER TABLE "ProgressionAward" ADD COLUMN     "awardKey" TEXT,
ADD COLUMN     "awardedById" TEXT,
ADD COLUMN     "badgeIcon" TEXT,
ADD COLUMN     "examRequestId" TEXT,
ADD COLUMN     "levelId" TEXT,
ADD COLUMN     "sectionId" TEXT;

-- AlterTable (edited by hand: rows made before exam entries existed are kept and filled in;
-- the recommender of such a row is the school's first admin)
ALTER TABLE "ExamRequest" ADD COLUMN     "board" TEXT,
ADD COLUMN     "bookedById" TEXT,
ADD COLUMN     "entryDeadline" TEXT,
ADD COLUMN     "examPlace" TEXT,
ADD COLUMN     "feeCurrency" TEXT,
ADD COLUMN     "feeInvoiceId" TEXT,
ADD COLUMN     "feeMinor" INTEGER,
ADD COLUMN     "grade" TEXT,
ADD COLUMN     "instrument" TEXT,
ADD COLUMN     "recommendedById" TEXT,
ADD COLUMN     "resultBand" TEXT,
ADD COLUMN     "resultGrade" TEXT,
ADD COLUMN     "resultMark" INTEGER,
ADD COLUMN     "resultPassed" BOOLEAN,
ADD COLUMN     "resultRecordedAt" TIMESTAMPTZ(3),
ADD COLUMN     "resultRecordedById" TEXT,
ADD COLUMN     "session" TEXT;

UPDATE "ExamRequest" e SET
  "board" = CASE WHEN e."examType" ILIKE 'trinity%' THEN 'TRINITY' WHEN e."examType" ILIKE 'ameb%' THEN 'AMEB' ELSE 'ABRSM' END,
  "grade" = e."examType",
  "instrument" = '',
  "session" = COALESCE(to_char(e."requestedDate", 'YYYY-MM'), ''),
  "recommendedById" = (SELECT u."id" FROM "User" u WHERE u."schoolId" = e."schoolId" AND u."role" = 'ADMIN' ORDER BY u."createdAt", u."id" LIMIT 1);
DELETE FROM "ExamRequest" WHERE "recommendedById" IS NULL;

ALTER TABLE "ExamRequest" ALTER COLUMN "board" SET NOT NULL,
ALTER COLUMN "grade" SET NOT NULL,
ALTER COLUMN "instrument" SET NOT NULL,
ALTER COLUMN "session" SET NOT NULL,
ALTER COLUMN "recommendedById" SET NOT NULL,
DROP COLUMN "examResult",
DROP COLUMN "examType",
DROP COLUMN "requestedDate";

-- CreateTable
CREATE TABLE "Syllabus" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "name" TEXT NOT NULL,
    "instrument" TEXT NOT NULL,
    "archivedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Syllabus_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyllabusLevel" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "syllabusId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SyllabusLevel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyllabusSection" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "levelId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SyllabusSection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StudentSectionProgress" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "studentId" TEXT NOT NULL,
    "sectionId" TEXT NOT NULL,
    "recordedById" TEXT NOT NULL,
    "completedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "note" TEXT,

    CONSTRAINT "StudentSectionProgress_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PracticeLog" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "studentId" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "minutes" INTEGER NOT NULL,
    "loggedById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PracticeLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExamStatusChange" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "examRequestId" TEXT NOT NULL,
    "fromStatus" "ExamRequestStatus",
    "toStatus" "ExamRequestStatus" NOT NULL,
    "changedById" TEXT NOT NULL,
    "changedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "note" TEXT,

    CONSTRAINT "ExamStatusChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Syllabus_schoolId_idx" ON "Syllabus"("schoolId");

-- CreateIndex
CREATE UNIQUE INDEX "Syllabus_schoolId_id_key" ON "Syllabus"("schoolId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Syllabus_schoolId_name_key" ON "Syllabus"("schoolId", "name");

-- CreateIndex
CREATE INDEX "SyllabusLevel_schoolId_idx" ON "SyllabusLevel"("schoolId");

-- CreateIndex
CREATE UNIQUE INDEX "SyllabusLevel_schoolId_id_key" ON "SyllabusLevel"("schoolId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "SyllabusLevel_schoolId_syllabusId_position_key" ON "SyllabusLevel"("schoolId", "syllabusId", "position");

-- CreateIndex
CREATE INDEX "SyllabusSection_schoolId_idx" ON "SyllabusSection"("schoolId");

-- CreateIndex
CREATE UNIQUE INDEX "SyllabusSection_schoolId_id_key" ON "SyllabusSection"("schoolId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "SyllabusSection_schoolId_levelId_position_key" ON "SyllabusSection"("schoolId", "levelId", "position");

-- CreateIndex
CREATE INDEX "StudentSectionProgress_schoolId_idx" ON "StudentSectionProgress"("schoolId");

-- CreateIndex
CREATE UNIQUE INDEX "StudentSectionProgress_schoolId_id_key" ON "StudentSectionProgress"("schoolId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "StudentSectionProgress_schoolId_studentId_sectionId_key" ON "StudentSectionProgress"("schoolId", "studentId", "sectionId");

-- CreateIndex
CREATE INDEX "PracticeLog_schoolId_idx" ON "PracticeLog"("schoolId");

-- CreateIndex
CREATE UNIQUE INDEX "PracticeLog_schoolId_id_key" ON "PracticeLog"("schoolId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "PracticeLog_schoolId_studentId_date_key" ON "PracticeLog"("schoolId", "studentId", "date");

-- CreateIndex
CREATE INDEX "ExamStatusChange_schoolId_examRequestId_idx" ON "ExamStatusChange"("schoolId", "examRequestId");

-- CreateIndex
CREATE UNIQUE INDEX "ExamStatusChange_schoolId_id_key" ON "ExamStatusChange"("schoolId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "ProgressionAward_schoolId_studentId_awardKey_key" ON "ProgressionAward"("schoolId", "studentId", "awardKey");

-- CreateIndex
CREATE UNIQUE INDEX "ExamRequest_schoolId_feeInvoiceId_key" ON "ExamRequest"("schoolId", "feeInvoiceId");

-- AddForeignKey
ALTER TABLE "ProgressionAward" ADD CONSTRAINT "ProgressionAward_schoolId_awardedById_fkey" FOREIGN KEY ("schoolId", "awardedById") REFERENCES "User"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProgressionAward" ADD CONSTRAINT "ProgressionAward_schoolId_sectionId_fkey" FOREIGN KEY ("schoolId", "sectionId") REFERENCES "SyllabusSection"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProgressionAward" ADD CONSTRAINT "ProgressionAward_schoolId_levelId_fkey" FOREIGN KEY ("schoolId", "levelId") REFERENCES "SyllabusLevel"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProgressionAward" ADD CONSTRAINT "ProgressionAward_schoolId_examRequestId_fkey" FOREIGN KEY ("schoolId", "examRequestId") REFERENCES "ExamRequest"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Syllabus" ADD CONSTRAINT "Syllabus_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyllabusLevel" ADD CONSTRAINT "SyllabusLevel_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyllabusLevel" ADD CONSTRAINT "SyllabusLevel_schoolId_syllabusId_fkey" FOREIGN KEY ("schoolId", "syllabusId") REFERENCES "Syllabus"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyllabusSection" ADD CONSTRAINT "SyllabusSection_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyllabusSection" ADD CONSTRAINT "SyllabusSection_schoolId_levelId_fkey" FOREIGN KEY ("schoolId", "levelId") REFERENCES "SyllabusLevel"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StudentSectionProgress" ADD CONSTRAINT "StudentSectionProgress_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StudentSectionProgress" ADD CONSTRAINT "StudentSectionProgress_schoolId_studentId_fkey" FOREIGN KEY ("schoolId", "studentId") REFERENCES "Student"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StudentSectionProgress" ADD CONSTRAINT "StudentSectionProgress_schoolId_sectionId_fkey" FOREIGN KEY ("schoolId", "sectionId") REFERENCES "SyllabusSection"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StudentSectionProgress" ADD CONSTRAINT "StudentSectionProgress_schoolId_recordedById_fkey" FOREIGN KEY ("schoolId", "recordedById") REFERENCES "User"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PracticeLog" ADD CONSTRAINT "PracticeLog_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PracticeLog" ADD CONSTRAINT "PracticeLog_schoolId_studentId_fkey" FOREIGN KEY ("schoolId", "studentId") REFERENCES "Student"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PracticeLog" ADD CONSTRAINT "PracticeLog_schoolId_loggedById_fkey" FOREIGN KEY ("schoolId", "loggedById") REFERENCES "User"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExamRequest" ADD CONSTRAINT "ExamRequest_schoolId_feeInvoiceId_fkey" FOREIGN KEY ("schoolId", "feeInvoiceId") REFERENCES "Invoice"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExamRequest" ADD CONSTRAINT "ExamRequest_schoolId_recommendedById_fkey" FOREIGN KEY ("schoolId", "recommendedById") REFERENCES "User"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExamRequest" ADD CONSTRAINT "ExamRequest_schoolId_bookedById_fkey" FOREIGN KEY ("schoolId", "bookedById") REFERENCES "User"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExamRequest" ADD CONSTRAINT "ExamRequest_schoolId_resultRecordedById_fkey" FOREIGN KEY ("schoolId", "resultRecordedById") REFERENCES "User"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExamStatusChange" ADD CONSTRAINT "ExamStatusChange_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExamStatusChange" ADD CONSTRAINT "ExamStatusChange_schoolId_examRequestId_fkey" FOREIGN KEY ("schoolId", "examRequestId") REFERENCES "ExamRequest"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExamStatusChange" ADD CONSTRAINT "ExamStatusChange_schoolId_changedById_fkey" FOREIGN KEY ("schoolId", "changedById") REFERENCES "User"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;


-- Row-level security and grants (scripts/db-migration.ts)
ALTER TABLE "Syllabus" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Syllabus" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "Syllabus" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "Syllabus" TO encore_app;

ALTER TABLE "SyllabusLevel" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "SyllabusLevel" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "SyllabusLevel" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "SyllabusLevel" TO encore_app;

ALTER TABLE "SyllabusSection" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "SyllabusSection" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "SyllabusSection" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "SyllabusSection" TO encore_app;

ALTER TABLE "StudentSectionProgress" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "StudentSectionProgress" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "StudentSectionProgress" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "StudentSectionProgress" TO encore_app;

ALTER TABLE "PracticeLog" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "PracticeLog" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "PracticeLog" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "PracticeLog" TO encore_app;

ALTER TABLE "ExamStatusChange" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ExamStatusChange" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "ExamStatusChange" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));
GRANT SELECT, INSERT ON TABLE "ExamStatusChange" TO encore_app;

-- Written by hand: what the database keeps true, and the school's new setting.
ALTER TABLE "PracticeLog" ADD CONSTRAINT "PracticeLog_minutes_check" CHECK ("minutes" > 0 AND "minutes" <= 600);
ALTER TABLE "ExamRequest" ADD CONSTRAINT "ExamRequest_feeMinor_check" CHECK ("feeMinor" IS NULL OR "feeMinor" >= 0);
ALTER TABLE "ExamRequest" ADD CONSTRAINT "ExamRequest_resultMark_check" CHECK ("resultMark" IS NULL OR "resultMark" >= 0);
ALTER TABLE "ExamRequest" ADD CONSTRAINT "ExamRequest_board_check" CHECK ("board" IN ('ABRSM', 'TRINITY', 'AMEB'));
GRANT UPDATE ("practiceStreakDays") ON TABLE "School" TO encore_app;
-- One live entry per student, board, instrument, grade and session: a second recommendation
-- (two clicks, two teachers at once) is refused; a declined one can be recommended again.
CREATE UNIQUE INDEX "ExamRequest_schoolId_student_exam_live_key" ON "ExamRequest"("schoolId", "studentId", "board", "instrument", "grade", "session") WHERE "status" <> 'REJECTED';
