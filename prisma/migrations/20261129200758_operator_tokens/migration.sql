-- AlterTable
ALTER TABLE "Operator" ALTER COLUMN "passwordHash" DROP NOT NULL;

-- CreateTable
CREATE TABLE "OperatorToken" (
    "id" TEXT NOT NULL,
    "operatorId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OperatorToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "OperatorToken_tokenHash_key" ON "OperatorToken"("tokenHash");

-- CreateIndex
CREATE INDEX "OperatorToken_operatorId_idx" ON "OperatorToken"("operatorId");

-- AddForeignKey
ALTER TABLE "OperatorToken" ADD CONSTRAINT "OperatorToken_operatorId_fkey" FOREIGN KEY ("operatorId") REFERENCES "Operator"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Row-level security and grants (scripts/db-migration.ts)
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "OperatorToken" TO encore_platform;
