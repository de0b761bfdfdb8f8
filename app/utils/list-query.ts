// The query string of a paged, filtered list (?q=…&page=…), parsed with zod. A value
// that does not fit is dropped, never an error: a bad page number shows the first page,
// an unknown status shows every status.
import { z } from "zod";

/** A page number; anything else (text, 0, -3, 1.5, huge) is the first page. */
export const pageParam = z.coerce.number().int().min(1).max(100_000).catch(1);
/** A free-text search (trimmed, at most 100 characters); missing is "". */
export const searchParam = z.string().trim().max(100).catch((ctx) => (typeof ctx.input === "string" ? ctx.input.trim().slice(0, 100) : "")).default("");
/** An id from a select list (a teacher, a lesson); missing or odd is "". */
export const idParam = z.string().trim().max(64).catch("").default("");
/** A checkbox: "on" is true, anything else (or nothing) false. */
export const flagParam = z.string().optional().transform((v) => v === "on");
/** One of `values`, or "" for any. */
export function choiceParam<const T extends readonly [string, ...string[]]>(values: T) {
  return z.union([z.enum(values), z.literal("")]).catch("").default("");
}

/** Parses a list's query string (`url` of the request) with `shape`; never throws for bad input. */
export function parseListQuery<S extends z.ZodRawShape>(url: string | URL, shape: S): z.infer<z.ZodObject<S>> {
  const params = new URL(url).searchParams;
  const raw: Record<string, string> = {};
  for (const key of Object.keys(shape)) {
    const v = params.get(key);
    if (v !== null) raw[key] = v;
  }
  return z.object(shape).parse(raw);
}
