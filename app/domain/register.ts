/**
 * Where a lesson date's register (/teach/occurrences/:id) leads back to: the
 * teacher's day when it is today's register, otherwise the week it belongs to.
 * Only today's register may say "Today".
 */
import { toLocalDate } from "./time";

export interface RegisterCrumb {
  label: string;
  href: string;
}

export function registerCrumb(startsAt: Date | string, now: Date, timeZone: string): RegisterCrumb {
  const day = toLocalDate(new Date(startsAt), timeZone);
  if (day === toLocalDate(now, timeZone)) return { label: "Today", href: "/teach/today" };
  return { label: "Your week", href: `/teach/week?date=${day}` };
}
