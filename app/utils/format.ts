// The one way pages and emails write dates, times, numbers and amounts: a
// Formatter (app/domain/locale.ts) made from the school's locale, time zone and
// currency. Components call `useFormat()`; server code (emails, messages, action
// replies) calls `formatterFor(school)`.
import { useRouteLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { makeFormatter, type FormatSettings, type Formatter } from "../domain/locale";
import type { loader as rootLoader } from "../root";

export type { Formatter } from "../domain/locale";

/** The platform's own pages (operator console): US English, UTC. */
export const PLATFORM_FORMAT: FormatSettings = { locale: "en-US", timeZone: "UTC", currency: "USD" };

/** The format settings of a school row (its columns are `timezone`, `locale`, `currency`). */
export function formatSettingsOf(school: { locale: string; timezone: string; currency: string }): FormatSettings {
  return { locale: school.locale, timeZone: school.timezone, currency: school.currency };
}

export function formatterFor(school: { locale: string; timezone: string; currency: string }): Formatter {
  return makeFormatter(formatSettingsOf(school));
}

/** The formatter of the school this page belongs to (the platform's on the root domain). */
export function useFormat(): Formatter {
  const settings = useRouteLoaderData<typeof rootLoader>("root")?.format ?? PLATFORM_FORMAT;
  return useMemo(() => makeFormatter(settings), [settings.locale, settings.timeZone, settings.currency]);
}

export const ROLE_LABEL: Record<string, string> = { ADMIN: "Admin", TEACHER: "Teacher", PARENT: "Parent", STUDENT: "Student" };
