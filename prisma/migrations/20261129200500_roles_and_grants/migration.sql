-- Database roles and grants, table by table (hand-written; see ARCHITECTURE.md,
-- "Database roles"). Closed by default: a table gets rights only by a migration
-- that names it, and no ALTER DEFAULT PRIVILEGES gives a new table to anyone.
--
-- encore_app: the app's login role, made by an administrator (or by the dev server
--   for the embedded database): LOGIN NOSUPERUSER NOBYPASSRLS, owns nothing.
-- encore_platform: NOLOGIN; the privileged module's connection (the owner's
--   credentials) assumes it at connect time, so even that code is bound by row-level
--   security and by the grants below, and never holds the owner's DDL rights.

DO $roles$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'encore_app') THEN
    RAISE EXCEPTION 'The role encore_app does not exist. Create it first (docs/deploy.md): CREATE ROLE encore_app LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD ''...''';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'encore_platform') THEN
    BEGIN
      CREATE ROLE encore_platform NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE EXCEPTION 'The role encore_platform does not exist and % may not create roles. As an administrator: CREATE ROLE encore_platform NOLOGIN NOSUPERUSER NOBYPASSRLS; GRANT encore_platform TO %;', current_user, current_user;
    END;
  END IF;
  IF NOT pg_has_role(current_user, 'encore_platform', 'USAGE') THEN
    EXECUTE format('GRANT encore_platform TO %I', current_user);
  END IF;
END
$roles$;

-- Rights given earlier in bulk (all tables, default privileges) are taken back first.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM encore_app;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM encore_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM encore_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM encore_app;
GRANT USAGE ON SCHEMA public TO encore_app;
GRANT USAGE ON SCHEMA public TO encore_platform;

-- encore_app: every school-owned table (row-level security confines it to one school).
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "Location" TO encore_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "Room" TO encore_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "User" TO encore_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "Session" TO encore_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "UserToken" TO encore_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "EmailMessage" TO encore_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "FamilyGroup" TO encore_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "Student" TO encore_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "Term" TO encore_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "Closure" TO encore_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "Instrument" TO encore_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "LessonDuration" TO encore_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "Lesson" TO encore_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "LessonOccurrence" TO encore_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "MakeUpCredit" TO encore_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "OccurrenceGuest" TO encore_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "FormSubmission" TO encore_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "CalendarFeed" TO encore_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "HybridLessonConfig" TO encore_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "TeacherAvailability" TO encore_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "TeacherTimeOff" TO encore_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "Enrollment" TO encore_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "Attendance" TO encore_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "Payment" TO encore_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "Payout" TO encore_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "Resource" TO encore_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "ResourceAccess" TO encore_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "ProgressionAward" TO encore_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "ExamRequest" TO encore_app;

-- encore_app: its own School row (RLS), and only the columns a school may change.
GRANT SELECT ON TABLE "School" TO encore_app;
GRANT UPDATE ("name", "email", "phone", "website", "logoUrl", "brandColor", "customDomain", "customDomainToken", "timezone", "currency", "requireEnrollmentApproval", "oneOnOneWeekLabel", "allowIndividualMoves", "moveNoticeHours", "makeUpNoticeHours", "makeUpCreditsPerTerm", "makeUpExpiryDays", "tagline", "about", "contactAddress", "landingShowPrograms", "landingShowTeachers", "landingShowLocations", "registrationFee", "attendanceDeadline", "updatedAt") ON TABLE "School" TO encore_app;

-- encore_platform: what the privileged module does, and no more.
GRANT SELECT, INSERT, UPDATE ON TABLE "School" TO encore_platform;
CREATE POLICY platform_all ON "School" AS PERMISSIVE FOR ALL TO encore_platform USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE ON TABLE "Operator" TO encore_platform;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "OperatorSession" TO encore_platform;
GRANT SELECT, INSERT ON TABLE "AuditLog" TO encore_platform;
GRANT SELECT ON TABLE "Student" TO encore_platform;
CREATE POLICY platform_select ON "Student" AS PERMISSIVE FOR SELECT TO encore_platform USING (true);
GRANT SELECT ON TABLE "User" TO encore_platform;
CREATE POLICY platform_select ON "User" AS PERMISSIVE FOR SELECT TO encore_platform USING (true);
GRANT SELECT ON TABLE "Enrollment" TO encore_platform;
CREATE POLICY platform_select ON "Enrollment" AS PERMISSIVE FOR SELECT TO encore_platform USING (true);
GRANT SELECT, UPDATE ON TABLE "EmailMessage" TO encore_platform;
CREATE POLICY platform_select ON "EmailMessage" AS PERMISSIVE FOR SELECT TO encore_platform USING (true);
CREATE POLICY platform_update ON "EmailMessage" AS PERMISSIVE FOR UPDATE TO encore_platform USING (true) WITH CHECK (true);
