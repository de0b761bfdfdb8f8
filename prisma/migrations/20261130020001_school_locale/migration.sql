-- AlterTable
ALTER TABLE "School" ADD COLUMN     "locale" TEXT NOT NULL DEFAULT 'en-US';

-- AlterTable
ALTER TABLE "Location" ADD COLUMN     "postcode" TEXT;


-- The school's admins choose its locale (admin settings); the app role may change it.
GRANT UPDATE ("locale") ON TABLE "School" TO encore_app;
