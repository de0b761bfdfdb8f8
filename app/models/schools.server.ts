// Onboarding a school: the operator's one form, end to end.
import { SCHOOL_LOCALES } from "../domain/locale";
import type { AppLoadContext } from "@remix-run/node";
import { z } from "zod";
import { validateSlug } from "../../tenants/host";
import { CURRENCIES } from "../utils/currencies";
import { fields } from "../utils/forms";
import { STARTER_INSTRUMENTS, STARTER_LESSON_MINUTES } from "../domain/first-steps";
import type { Tx } from "../../server/db/school-db.server";
import { inviteUser } from "./people.server";


export function timeZones(): string[] {
  return Intl.supportedValuesOf("timeZone");
}

export const newSchoolSchema = z.object({
  name: fields.name("the school's name"),
  slug: z
    .string({ required_error: "Choose the school's address." })
    .trim()
    .toLowerCase()
    .superRefine((v, ctx) => {
      const problem = validateSlug(v);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  timezone: z.string().refine((tz) => timeZones().includes(tz), "Choose a time zone from the list."),
  currency: z.enum(CURRENCIES, { errorMap: () => ({ message: "Choose a currency from the list." }) }),
  locale: z.enum(SCHOOL_LOCALES, { errorMap: () => ({ message: "Choose how dates and amounts are written from the list." }) }).default("en-US"),
  adminEmail: fields.email,
  adminFirstName: fields.personName("the admin's first name"),
  adminLastName: fields.personName("the admin's last name"),
});

export type NewSchool = z.infer<typeof newSchoolSchema>;

export class SlugTakenError extends Error {}

/**
 * Creates the school (as the operator signed in by `request`: the capability checks
 * the session itself) and invites its first admin, by email, to the school's own
 * configured address.
 */
export async function onboardSchool(context: Pick<AppLoadContext, "operator" | "mailer" | "links">, request: Request, input: NewSchool) {
  const { operator, links } = context;
  if (await operator.isSlugTaken(request, input.slug)) throw new SlugTakenError(`${input.slug}.${links.platformDomain} is already taken.`);
  const { school } = await operator.createSchool(
    request,
    { name: input.name, slug: input.slug, email: input.adminEmail, timezone: input.timezone, currency: input.currency, locale: input.locale },
    async (tx, created) => {
      await addStarterCatalog(tx);
      return inviteUser(tx, { mailer: context.mailer, origin: links.school(created), schoolName: created.name, actorId: null }, {
        email: input.adminEmail,
        firstName: input.adminFirstName,
        lastName: input.adminLastName,
        role: "ADMIN",
      });
    },
  );
  return { school, origin: links.school(school) };
}

/** The usual instruments and lesson lengths, which a new school edits under Setup. */
export async function addStarterCatalog(tx: Tx) {
  await tx.instrument.createMany({ data: STARTER_INSTRUMENTS.map((name) => ({ name })), skipDuplicates: true });
  await tx.lessonDuration.createMany({ data: STARTER_LESSON_MINUTES.map((minutes) => ({ minutes })), skipDuplicates: true });
}
