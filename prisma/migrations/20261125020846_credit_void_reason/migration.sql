-- AlterTable
ALTER TABLE "MakeUpCredit" ADD COLUMN     "voidReason" TEXT,
ADD COLUMN     "voidedById" TEXT;

