// A teacher's public profile: photo, bio, the instruments they teach, and whether
// they agree to be shown on the school's public page. Teachers edit their own
// (/teach/profile); admins edit any teacher's from their page under People.
import type { Tx } from "../../server/db/school-db.server";
import type { Storage } from "../../server/services/storage.server";
import { readImageForm, storeImageField } from "../utils/uploads.server";
import { forgetLandingPage } from "./landing.server";
import { formEntries } from "./online-enrollment-form";
import { teacherProfileSchema, type TeacherProfileInput } from "./teacher-profile";



/** The profile of a teacher (or admin who teaches) of this school; null when there is none. */
export async function teacherProfile(tx: Tx, userId: string) {
  const [user, instruments] = await Promise.all([
    tx.user.findFirst({
      where: { id: userId, role: { in: ["TEACHER", "ADMIN"] } },
      select: { id: true, firstName: true, lastName: true, role: true, bio: true, photoUrl: true, teachingInstruments: true, showOnLanding: true },
    }),
    tx.instrument.findMany({ orderBy: { name: "asc" }, select: { name: true } }),
  ]);
  return user ? { ...user, instrumentChoices: instruments.map((i) => i.name) } : null;
}

/** Saves the profile; `photoUrl`: a new photo's address, null to remove it, undefined to keep it. */
export async function saveTeacherProfile(tx: Tx, input: { schoolId: string; userId: string; profile: TeacherProfileInput; photoUrl: string | null | undefined }) {
  const { profile } = input;
  const updated = await tx.user.updateMany({
    where: { id: input.userId, role: { in: ["TEACHER", "ADMIN"] } },
    data: {
      bio: profile.bio,
      teachingInstruments: profile.instruments,
      showOnLanding: profile.showOnLanding,
      ...(input.photoUrl !== undefined ? { photoUrl: input.photoUrl } : profile.removePhoto ? { photoUrl: null } : {}),
    },
  });
  if (updated.count !== 1) throw new Response("There is no such teacher at this school.", { status: 404 });
  // The public page shows teachers: let it follow now.
  forgetLandingPage(input.schoolId);
}

export type ProfileResult = { ok: boolean; errors: Record<string, string>; values: Record<string, string | string[]>; message: string | null };

/**
 * The whole save of a profile form (a teacher's own page and the admin's alike):
 * read the form with its photo, check it, store the photo, save.
 */
export async function submitTeacherProfile(
  request: Request,
  deps: { db: { run<T>(work: (tx: Tx) => Promise<T>): Promise<T> }; storage: Storage; schoolId: string },
  userId: string,
): Promise<{ status: number; result: ProfileResult }> {
  const read = await readImageForm(request);
  if (!read.ok) return { status: read.status, result: { ok: false, errors: { photo: read.message }, values: {}, message: null } };
  const values = formEntries(read.form);
  const instruments = await deps.db.run((tx) => tx.instrument.findMany({ select: { name: true } }));
  const parsed = teacherProfileSchema(instruments.map((i) => i.name)).safeParse(values);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[issue.path.join(".") || "form"] ??= issue.message;
    return { status: 400, result: { ok: false, errors, values, message: null } };
  }
  const stored = await storeImageField(deps.storage, read.form, "photo", { schoolId: deps.schoolId, prefix: `teacher-${userId}` });
  if (!stored.ok) return { status: stored.status, result: { ok: false, errors: { photo: stored.message }, values, message: null } };
  await deps.db.run((tx) => saveTeacherProfile(tx, { schoolId: deps.schoolId, userId, profile: parsed.data, photoUrl: stored.url ?? undefined }));
  return {
    status: 200,
    result: { ok: true, errors: {}, values: {}, message: parsed.data.showOnLanding ? "Saved. The profile shows on the school's public page." : "Saved. The profile is not shown on the school's public page." },
  };
}
