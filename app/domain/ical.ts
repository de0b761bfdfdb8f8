/**
 * iCalendar (RFC 5545) feeds: a VCALENDAR of lesson occurrences, for calendar apps
 * that subscribe to a URL (Google Calendar, Apple Calendar, Outlook).
 *
 * Decisions:
 * - Times are UTC (`DTSTART:20261201T160000Z`), so no VTIMEZONE is needed and every
 *   client shows the lesson at the right instant in its own zone.
 * - UID is `<occurrenceId>@encore`: stable across refreshes, so an edited or
 *   cancelled lesson updates the existing entry instead of adding a second one.
 * - Cancelled occurrences stay in the feed with STATUS:CANCELLED (clients then
 *   strike or drop them) rather than silently disappearing.
 * - Without a METHOD property, DTSTAMP is the last revision of the event (RFC 5545
 *   3.8.7.2): pass the occurrence's `updatedAt`, so an unchanged lesson produces
 *   byte-identical output on every refresh.
 * - Lines end with CRLF and are folded at 75 octets (UTF-8), never inside a
 *   multi-byte character; TEXT values escape `\`, `;`, `,` and newlines.
 * - Every line is written by one function (`property`): no value, escaped or not,
 *   can carry a line break, so no value can add a property or component (an alarm,
 *   an attachment) of its own. A link is written only as a clean http(s) URI.
 */

export interface IcalEvent {
  /** Unique and stable per occurrence; "@encore" is appended. */
  id: string;
  start: Date;
  end: Date;
  summary: string;
  location?: string | null;
  description?: string | null;
  url?: string | null;
  cancelled?: boolean;
  /** Last change of the event (DTSTAMP / LAST-MODIFIED); defaults to the calendar's `now`. */
  updatedAt?: Date | null;
}

export interface IcalCalendar {
  /** X-WR-CALNAME: what the calendar app calls the subscription. */
  name: string;
  description?: string | null;
  events: readonly IcalEvent[];
  /** Stamp for events without `updatedAt`. */
  now?: Date;
  /** How often clients should refresh (minutes; default 60). */
  refreshMinutes?: number;
}

export const ICAL_CONTENT_TYPE = "text/calendar; charset=utf-8";
const PRODID = "-//Encore//Lesson calendar//EN";
const UID_DOMAIN = "encore";
const MAX_OCTETS = 75;

/** The whole VCALENDAR, CRLF-terminated. */
export function buildCalendar(cal: IcalCalendar): string {
  const now = cal.now ?? new Date();
  const refresh = `PT${Math.max(1, Math.round(cal.refreshMinutes ?? 60))}M`;
  const lines: string[] = [
    begin("VCALENDAR"),
    property("VERSION", { raw: "2.0" }),
    property("PRODID", { raw: PRODID }),
    property("CALSCALE", { raw: "GREGORIAN" }),
    property("X-WR-CALNAME", { text: cal.name }),
    ...(cal.description ? [property("X-WR-CALDESC", { text: cal.description })] : []),
    property("REFRESH-INTERVAL;VALUE=DURATION", { raw: refresh }),
    property("X-PUBLISHED-TTL", { raw: refresh }),
  ];
  for (const e of cal.events) lines.push(...eventLines(e, now));
  lines.push(end("VCALENDAR"));
  return lines.map(foldLine).join("\r\n") + "\r\n";
}

function eventLines(e: IcalEvent, now: Date): string[] {
  const stamp = formatUtc(e.updatedAt ?? now);
  const url = e.url ? uriValue(e.url) : null;
  return [
    begin("VEVENT"),
    property("UID", { text: `${e.id}@${UID_DOMAIN}` }),
    property("DTSTAMP", { raw: stamp }),
    ...(e.updatedAt ? [property("LAST-MODIFIED", { raw: stamp })] : []),
    property("DTSTART", { raw: formatUtc(e.start) }),
    property("DTEND", { raw: formatUtc(e.end) }),
    property("SUMMARY", { text: e.summary }),
    ...(e.location ? [property("LOCATION", { text: e.location })] : []),
    ...(e.description ? [property("DESCRIPTION", { text: e.description })] : []),
    ...(url ? [property("URL", { raw: url })] : []),
    property("STATUS", { raw: e.cancelled ? "CANCELLED" : "CONFIRMED" }),
    property("TRANSP", { raw: "OPAQUE" }),
    end("VEVENT"),
  ];
}

const begin = (component: string) => property("BEGIN", { raw: component });
const end = (component: string) => property("END", { raw: component });

/**
 * One content line. Every line of a feed is written here: TEXT values are
 * escaped, and whatever else reaches a value loses its control characters, so no
 * value can ever end its line and start a property (an alarm, an attachment) of
 * its own.
 */
function property(name: string, value: { text: string } | { raw: string }): string {
  if (!/^[A-Z-]+(;[A-Z-]+=[A-Z0-9-]+)*$/.test(name)) throw new RangeError(`Invalid iCalendar property name: ${name}`);
  const v = "text" in value ? escapeText(value.text) : stripControls(value.raw).replace(/\t/g, " ");
  return `${name}:${v}`;
}

/**
 * A link as a URI value: an absolute http(s) URL with nothing a parser would drop
 * or reinterpret (spaces are percent-encoded by the URL serializer; controls make
 * the whole link be left out). Null when it is not such a link.
 */
export function uriValue(input: string): string | null {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001F\u007F]/.test(input)) return null;
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  return url.href;
}

/** `20261201T160000Z` (seconds kept, milliseconds dropped). */
export function formatUtc(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new RangeError("Invalid date in calendar feed");
  return d.toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");
}

/** RFC 5545 3.3.11 TEXT: backslash, semicolon, comma escaped; any newline as `\n`. */
export function escapeText(value: string): string {
  return stripControls(value.replace(/\r\n|\r|\n/g, "\n"))
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\n/g, "\\n");
}

/** Control characters are not allowed in values (HTAB and, before escaping, LF are). */
function stripControls(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, "");
}

const encoder = new TextEncoder();

/**
 * Folds a content line so no physical line exceeds 75 octets: continuation lines
 * start with one space (which counts toward their 75). Splits only between
 * characters, so a multi-byte UTF-8 character is never cut in two.
 */
export function foldLine(line: string): string {
  if (encoder.encode(line).length <= MAX_OCTETS) return line;
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  let limit = MAX_OCTETS;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    if (octets + size > limit) {
      parts.push(current);
      current = "";
      octets = 0;
      limit = MAX_OCTETS - 1; // the leading space
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

/** Reverses folding (for tests and tools): CRLF followed by a space or tab joins. */
export function unfold(text: string): string {
  return text.replace(/\r\n[ \t]/g, "");
}
