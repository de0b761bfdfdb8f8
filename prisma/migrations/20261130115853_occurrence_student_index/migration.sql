-- CreateIndex
CREATE INDEX "LessonOccurrence_studentId_startsAt_idx" ON "LessonOccurrence"("studentId", "startsAt");


-- Occurrences with a note for families, newest first (the family home's "notes from
-- the teacher"). Few occurrences have one: without this the query read every
-- occurrence of the school (59,800 in the benchmark's large school) to find none.
-- Partial, so not in schema.prisma (Prisma 6 cannot express it).
CREATE INDEX "LessonOccurrence_familyNote_startsAt_idx" ON "LessonOccurrence"("schoolId", "startsAt") WHERE "familyNote" IS NOT NULL;
