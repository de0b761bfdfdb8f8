-- AlterTable
ALTER TABLE "User" ADD COLUMN     "photoUrl" TEXT,
ADD COLUMN     "teachingInstruments" TEXT[] DEFAULT ARRAY[]::TEXT[],
ALTER COLUMN "showOnLanding" SET DEFAULT false;

