// Onboarding a school: the operator's one form, end to end.
import type { AppLoadContext } from "@remix-run/node";
import { z } from "zod";
import { schoolOrigin, validateSlug } from "../../tenants/host";
import { CURRENCIES } from "../utils/currencies";
import { fields } from "../utils/forms";
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
  adminEmail: fields.email,
  adminFirstName: fields.personName("the admin's first name"),
  adminLastName: fields.personName("the admin's last name"),
});

export type NewSchool = z.infer<typeof newSchoolSchema>;

export class SlugTakenError extends Error {}

export async function onboardSchool(context: AppLoadContext, operatorId: string, input: NewSchool) {
  const { platform, env } = context;
  if (await platform.isSlugTaken(input.slug)) throw new SlugTakenError(`${input.slug}.${env.PLATFORM_DOMAIN} is already taken.`);
  const school = await platform.createSchool(operatorId, {
    name: input.name,
    slug: input.slug,
    email: input.adminEmail,
    timezone: input.timezone,
    currency: input.currency,
  });
  const port = Number(new URL(context.origin).port) || null;
  const origin = schoolOrigin({ slug: school.slug, platformDomain: env.PLATFORM_DOMAIN, protocol: env.protocol, port });
  await platform.schoolDb(school.id).run((tx) =>
    inviteUser(tx, { mailer: context.mailer, origin, schoolName: school.name }, {
      email: input.adminEmail,
      firstName: input.adminFirstName,
      lastName: input.adminLastName,
      role: "ADMIN",
    }),
  );
  return { school, origin };
}
