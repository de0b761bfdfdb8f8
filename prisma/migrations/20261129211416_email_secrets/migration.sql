-- AlterTable
ALTER TABLE "EmailMessage" ADD COLUMN     "secrets" TEXT[] DEFAULT ARRAY[]::TEXT[];

