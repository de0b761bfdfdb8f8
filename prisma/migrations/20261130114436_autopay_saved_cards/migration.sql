-- AlterTable
ALTER TABLE "Payment" ADD COLUMN     "failureMessage" TEXT;

-- CreateTable
CREATE TABLE "FamilyPaymentProfile" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL DEFAULT NULLIF(current_setting('app.school_id', true), ''),
    "familyGroupId" TEXT NOT NULL,
    "stripeCustomerId" TEXT,
    "paymentMethodId" TEXT,
    "cardBrand" TEXT,
    "cardLast4" TEXT,
    "cardExpMonth" INTEGER,
    "cardExpYear" INTEGER,
    "savedById" TEXT,
    "autopay" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "FamilyPaymentProfile_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FamilyPaymentProfile_schoolId_idx" ON "FamilyPaymentProfile"("schoolId");

-- CreateIndex
CREATE UNIQUE INDEX "FamilyPaymentProfile_schoolId_id_key" ON "FamilyPaymentProfile"("schoolId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "FamilyPaymentProfile_schoolId_familyGroupId_key" ON "FamilyPaymentProfile"("schoolId", "familyGroupId");

-- CreateIndex
CREATE UNIQUE INDEX "FamilyPaymentProfile_schoolId_stripeCustomerId_key" ON "FamilyPaymentProfile"("schoolId", "stripeCustomerId");

-- AddForeignKey
ALTER TABLE "FamilyPaymentProfile" ADD CONSTRAINT "FamilyPaymentProfile_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FamilyPaymentProfile" ADD CONSTRAINT "FamilyPaymentProfile_schoolId_familyGroupId_fkey" FOREIGN KEY ("schoolId", "familyGroupId") REFERENCES "FamilyGroup"("schoolId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FamilyPaymentProfile" ADD CONSTRAINT "FamilyPaymentProfile_schoolId_savedById_fkey" FOREIGN KEY ("schoolId", "savedById") REFERENCES "User"("schoolId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;


-- Row-level security and grants (scripts/db-migration.ts)
ALTER TABLE "FamilyPaymentProfile" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "FamilyPaymentProfile" FORCE ROW LEVEL SECURITY;
CREATE POLICY school_isolation ON "FamilyPaymentProfile" USING ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), ''))) WITH CHECK ("schoolId" = (SELECT NULLIF(current_setting('app.school_id', true), '')));
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "FamilyPaymentProfile" TO encore_app;
