-- AlterTable
ALTER TABLE "School" ADD COLUMN     "platformFeeBasisPoints" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "stripeAccountId" TEXT,
ADD COLUMN     "stripeChargesEnabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "stripeDetailsSubmitted" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "stripePayoutsEnabled" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "BillingSettings" ADD COLUMN     "autopayAllowed" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "maxInstalments" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "reminderDays" INTEGER[] DEFAULT ARRAY[7, 21]::INTEGER[];

-- CreateIndex
CREATE UNIQUE INDEX "School_stripeAccountId_key" ON "School"("stripeAccountId");


-- The platform fee and the Stripe state are not the school's to change: the operator sets the
-- fee, `account.updated` events write the Stripe state (both through the privileged module),
-- so the app role gets no UPDATE on these columns.
