-- CreateEnum
CREATE TYPE "OccurrenceKind" AS ENUM ('LESSON', 'INDIVIDUAL_SESSION');

-- DropForeignKey
ALTER TABLE "LessonOccurrence" DROP CONSTRAINT "LessonOccurrence_schoolId_instructorId_fkey";

-- DropIndex
DROP INDEX "LessonOccurrence_lessonId_startsAt_key";

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "lessonReminders" BOOLEAN NOT NULL DEFAULT true;

-- Occurrences now carry their effective teacher and room (filled from the series).
UPDATE "LessonOccurrence" o
   SET "instructorId" = COALESCE(o."instructorId", l."instructorId"),
       "roomId" = COALESCE(o."roomId", l."roomId")
  FROM "Lesson" l
 WHERE l."id" = o."lessonId" AND o."instructorId" IS NULL;

-- AlterTable
ALTER TABLE "LessonOccurrence" ADD COLUMN     "cancelledAt" TIMESTAMP(3),
ADD COLUMN     "kind" "OccurrenceKind" NOT NULL DEFAULT 'LESSON',
ADD COLUMN     "notesAt" TIMESTAMP(3),
ADD COLUMN     "studentId" TEXT,
ALTER COLUMN "instructorId" SET NOT NULL;

-- AlterTable
ALTER TABLE "Attendance" ADD COLUMN     "absenceNotified" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "CalendarFeed" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "userId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "CalendarFeed_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CalendarFeed_tokenHash_key" ON "CalendarFeed"("tokenHash");

-- CreateIndex
CREATE INDEX "CalendarFeed_schoolId_idx" ON "CalendarFeed"("schoolId");

-- CreateIndex
CREATE INDEX "CalendarFeed_userId_idx" ON "CalendarFeed"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "CalendarFeed_schoolId_id_key" ON "CalendarFeed"("schoolId", "id");

-- CreateIndex
CREATE INDEX "LessonOccurrence_instructorId_startsAt_idx" ON "LessonOccurrence"("instructorId", "startsAt");

-- CreateIndex
CREATE INDEX "LessonOccurrence_roomId_startsAt_idx" ON "LessonOccurrence"("roomId", "startsAt");

-- AddForeignKey
ALTER TABLE "LessonOccurrence" ADD CONSTRAINT "LessonOccurrence_schoolId_instructorId_fkey" FOREIGN KEY ("schoolId", "instructorId") REFERENCES "User"("schoolId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LessonOccurrence" ADD CONSTRAINT "LessonOccurrence_schoolId_studentId_fkey" FOREIGN KEY ("schoolId", "studentId") REFERENCES "Student"("schoolId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CalendarFeed" ADD CONSTRAINT "CalendarFeed_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CalendarFeed" ADD CONSTRAINT "CalendarFeed_schoolId_userId_fkey" FOREIGN KEY ("schoolId", "userId") REFERENCES "User"("schoolId", "id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Row-level security (scripts/db-migration.ts)
ALTER TABLE "CalendarFeed" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "CalendarFeed" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "CalendarFeed" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));

-- Scheduling rules the database enforces itself (hand-written; Prisma does not model
-- them): a teacher or a room is never booked twice at once, whichever transaction
-- commits first wins, and a series meets at most once at a given start.
CREATE EXTENSION IF NOT EXISTS btree_gist;

ALTER TABLE "LessonOccurrence" ADD CONSTRAINT "LessonOccurrence_teacher_no_overlap"
  EXCLUDE USING gist ("instructorId" WITH =, tsrange("startsAt", "endsAt") WITH &&)
  WHERE (status = 'SCHEDULED');

ALTER TABLE "LessonOccurrence" ADD CONSTRAINT "LessonOccurrence_room_no_overlap"
  EXCLUDE USING gist ("roomId" WITH =, tsrange("startsAt", "endsAt") WITH &&)
  WHERE (status = 'SCHEDULED' AND "roomId" IS NOT NULL);

CREATE UNIQUE INDEX "LessonOccurrence_series_start_key" ON "LessonOccurrence" ("lessonId", "startsAt") WHERE kind = 'LESSON';
