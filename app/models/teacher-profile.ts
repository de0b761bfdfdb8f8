// A teacher's public profile form, shared by the server (checking it) and the pages
// (its limits): no server code here.
import { z } from "zod";

export const BIO_MAX = 800;

export function teacherProfileSchema(instruments: readonly string[]) {
  const known = new Set(instruments);
  return z.object({
    bio: z
      .string()
      .optional()
      .transform((v) => (v ?? "").trim())
      .refine((v) => v.length <= BIO_MAX, `Keep the bio under ${BIO_MAX} characters.`)
      .transform((v) => v || null),
    instruments: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter(Boolean))
      .refine((list) => list.every((i) => known.has(i)), "Choose instruments from the list."),
    showOnLanding: z
      .string()
      .optional()
      .transform((v) => v === "on"),
    removePhoto: z
      .string()
      .optional()
      .transform((v) => v === "on"),
  });
}

export type TeacherProfileInput = z.output<ReturnType<typeof teacherProfileSchema>>;
