-- CreateEnum
CREATE TYPE "MessageAudience" AS ENUM ('LESSON', 'TEACHER', 'LOCATION', 'SCHOOL');

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "schoolMessages" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "LessonOccurrence" ADD COLUMN     "familyNote" TEXT,
ADD COLUMN     "familyNoteAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "Message" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "sentById" TEXT NOT NULL,
    "audience" "MessageAudience" NOT NULL,
    "audienceId" TEXT,
    "audienceLabel" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "recipientCount" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MessageRecipient" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "messageId" TEXT NOT NULL,
    "email" TEXT NOT NULL,

    CONSTRAINT "MessageRecipient_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Message_schoolId_createdAt_idx" ON "Message"("schoolId", "createdAt");

-- CreateIndex
CREATE INDEX "Message_sentById_idx" ON "Message"("sentById");

-- CreateIndex
CREATE UNIQUE INDEX "Message_schoolId_id_key" ON "Message"("schoolId", "id");

-- CreateIndex
CREATE INDEX "MessageRecipient_schoolId_idx" ON "MessageRecipient"("schoolId");

-- CreateIndex
CREATE UNIQUE INDEX "MessageRecipient_schoolId_messageId_email_key" ON "MessageRecipient"("schoolId", "messageId", "email");

-- CreateIndex
CREATE UNIQUE INDEX "MessageRecipient_schoolId_id_key" ON "MessageRecipient"("schoolId", "id");

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_schoolId_sentById_fkey" FOREIGN KEY ("schoolId", "sentById") REFERENCES "User"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MessageRecipient" ADD CONSTRAINT "MessageRecipient_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MessageRecipient" ADD CONSTRAINT "MessageRecipient_schoolId_messageId_fkey" FOREIGN KEY ("schoolId", "messageId") REFERENCES "Message"("schoolId", "id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Row-level security and grants (scripts/db-migration.ts)
ALTER TABLE "Message" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Message" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "Message" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "Message" TO encore_app;

ALTER TABLE "MessageRecipient" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "MessageRecipient" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "MessageRecipient" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "MessageRecipient" TO encore_app;
