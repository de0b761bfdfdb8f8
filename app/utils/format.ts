// Rendering instants in the school's time zone (the same on server and browser).
export function formatDateTime(value: string | Date, timeZone: string, opts: Intl.DateTimeFormatOptions = {}) {
  return new Intl.DateTimeFormat("en-US", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "numeric",
    minute: "2-digit",
    ...opts,
  }).format(new Date(value));
}

export function formatTime(value: string | Date, timeZone: string) {
  return new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", minute: "2-digit" }).format(new Date(value));
}

export function formatDate(value: string | Date, timeZone: string) {
  return new Intl.DateTimeFormat("en-US", { timeZone, weekday: "long", day: "numeric", month: "long" }).format(new Date(value));
}

export const ROLE_LABEL: Record<string, string> = { ADMIN: "Admin", TEACHER: "Teacher", PARENT: "Parent", STUDENT: "Student" };
