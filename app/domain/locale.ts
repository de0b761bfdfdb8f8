/**
 * A school's locale: how its dates, times, numbers, amounts and addresses are
 * written. The interface's words are English; the locale decides the formats
 * (12- or 24-hour clock, day-month or month-day order, the first day of the week,
 * decimal marks, address fields).
 *
 * `makeFormatter` is the one way to turn an instant, a local date, a wall-clock
 * time or an amount into text, on the server (emails, messages) and in the
 * browser alike. Instants are rendered in the school's time zone; local dates
 * ("yyyy-MM-dd") and wall-clock times ("HH:mm") are rendered as they are, with no
 * time-zone shift.
 */
import type { LocalDate, LocalTime } from "./time";

export const SCHOOL_LOCALES = ["en-US", "en-GB", "en-AU", "en-CA", "en-NZ", "en-IE", "fr-FR", "de-DE"] as const;
export type SchoolLocale = (typeof SCHOOL_LOCALES)[number];

export interface LocaleInfo {
  label: string;
  /** ISO 3166 country whose address fields the school's addresses use. */
  country: string;
  /** 0 = Sunday, 1 = Monday: the first column of a week. */
  weekStartsOn: 0 | 1;
  /** The address fields of the country, as people there call them (null: not used). */
  address: { region: string | null; postcode: string; postcodeFirst: boolean };
}

export const LOCALE_INFO: Record<SchoolLocale, LocaleInfo> = {
  "en-US": { label: "English (United States)", country: "US", weekStartsOn: 0, address: { region: "State", postcode: "ZIP code", postcodeFirst: false } },
  "en-GB": { label: "English (United Kingdom)", country: "GB", weekStartsOn: 1, address: { region: "County", postcode: "Postcode", postcodeFirst: false } },
  "en-AU": { label: "English (Australia)", country: "AU", weekStartsOn: 1, address: { region: "State", postcode: "Postcode", postcodeFirst: false } },
  "en-CA": { label: "English (Canada)", country: "CA", weekStartsOn: 0, address: { region: "Province", postcode: "Postal code", postcodeFirst: false } },
  "en-NZ": { label: "English (New Zealand)", country: "NZ", weekStartsOn: 1, address: { region: null, postcode: "Postcode", postcodeFirst: false } },
  "en-IE": { label: "English (Ireland)", country: "IE", weekStartsOn: 1, address: { region: "County", postcode: "Eircode", postcodeFirst: false } },
  "fr-FR": { label: "Français (France)", country: "FR", weekStartsOn: 1, address: { region: null, postcode: "Code postal", postcodeFirst: true } },
  "de-DE": { label: "Deutsch (Deutschland)", country: "DE", weekStartsOn: 1, address: { region: null, postcode: "Postleitzahl", postcodeFirst: true } },
};

export const DEFAULT_LOCALE: SchoolLocale = "en-US";

export function isSchoolLocale(value: string): value is SchoolLocale {
  return (SCHOOL_LOCALES as readonly string[]).includes(value);
}

/** A locale to use for `value`, falling back to the default for anything unknown. */
export function schoolLocale(value: string | null | undefined): SchoolLocale {
  return value && isSchoolLocale(value) ? value : DEFAULT_LOCALE;
}

/** What a formatter needs: the school's locale, time zone and currency. */
export interface FormatSettings {
  locale: string;
  timeZone: string;
  currency: string;
}

export interface Formatter {
  readonly locale: SchoolLocale;
  readonly timeZone: string;
  readonly currency: string;
  readonly weekStartsOn: 0 | 1;
  /** Whether the locale writes times on a 12-hour clock. */
  readonly hour12: boolean;
  /** An instant: "Tue 1 Dec, 17:00" (en-GB), "Tue, Dec 1, 5:00 PM" (en-US). Options add or remove parts. */
  dateTime(value: string | Date, opts?: Intl.DateTimeFormatOptions): string;
  /** An instant's time of day: "17:00", "5:00 PM". */
  time(value: string | Date): string;
  /** An instant's day, long: "Tuesday 1 December", "Tuesday, December 1". */
  date(value: string | Date, opts?: Intl.DateTimeFormatOptions): string;
  /** A local date ("yyyy-MM-dd"), short by default: "Tue 1 Dec", "Tue, Dec 1". */
  day(date: LocalDate, opts?: Intl.DateTimeFormatOptions): string;
  /** Two local dates as one range, the locale's way: "8–14 Sept", "Sep 8 – 14", "29 Sept – 5 Oct". */
  dayRange(from: LocalDate, to: LocalDate, opts?: Intl.DateTimeFormatOptions): string;
  /** A wall-clock time ("HH:mm"): "17:00", "5:00 PM". */
  wallTime(time: LocalTime): string;
  /** Two wall-clock times: "17:00–18:00", "5:00 PM–6:00 PM". */
  wallRange(start: LocalTime, end: LocalTime): string;
  /** A weekday's name (0 = Sunday), in the locale's language. */
  weekday(day: number, width?: "long" | "short"): string;
  /** The weekdays in the locale's order (starting with `weekStartsOn`). */
  weekOrder(): number[];
  /** An amount in major units given as a decimal string or number ("680.00"), in `currency` or the school's. */
  money(amount: string | number, currency?: string): string;
  /** An amount in minor units (cents, pence; yen are already whole). */
  moneyMinor(amountMinor: number, currency?: string): string;
  number(value: number, opts?: Intl.NumberFormatOptions): string;
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
function dtf(locale: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(opts)}`;
  let f = dateTimeFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, opts);
    dateTimeFormats.set(key, f);
  }
  return f;
}

const numberFormats = new Map<string, Intl.NumberFormat>();
function nf(locale: string, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(opts)}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, opts);
    numberFormats.set(key, f);
  }
  return f;
}

/** Drops options set to `undefined`, so callers can remove a default part (`{ hour: undefined }`). */
function merged(base: Intl.DateTimeFormatOptions, extra: Intl.DateTimeFormatOptions = {}): Intl.DateTimeFormatOptions {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out as Intl.DateTimeFormatOptions;
}

/** A local date or time as an instant at UTC, formatted in UTC: the wall value, unshifted. */
function wallInstant(date: LocalDate, time: LocalTime = "12:00"): Date {
  return new Date(`${date}T${time}:00Z`);
}

const SHORT_DATE: Intl.DateTimeFormatOptions = { weekday: "short", day: "numeric", month: "short" };

/** `day()` options for a date with its year and no weekday: "3 Mar 2026", "Mar 3, 2026". */
export const DATE_WITH_YEAR: Intl.DateTimeFormatOptions = { weekday: undefined, year: "numeric" };

const formatters = new Map<string, Formatter>();

/**
 * The formatter for these settings, made once per locale, zone and currency: pages
 * call this per component (a calendar of a thousand lessons, a thousand times), and
 * making one reads the locale's resolved options, which costs far more than formatting.
 */
export function makeFormatter(settings: FormatSettings): Formatter {
  const key = `${settings.locale}|${settings.timeZone}|${settings.currency}`;
  let f = formatters.get(key);
  if (!f) {
    f = buildFormatter(settings);
    formatters.set(key, f);
  }
  return f;
}

function buildFormatter(settings: FormatSettings): Formatter {
  const locale = schoolLocale(settings.locale);
  const { timeZone, currency } = settings;
  const info = LOCALE_INFO[locale];
  const hour12 = dtf(locale, { hour: "numeric", minute: "2-digit" }).resolvedOptions().hour12 === true;
  // "5:00 PM" on a 12-hour clock; "09:05" on a 24-hour one.
  const TIME: Intl.DateTimeFormatOptions = { hour: hour12 ? "numeric" : "2-digit", minute: "2-digit" };
  const timeFormat = dtf(locale, { timeZone, ...TIME });
  const times = new Map<string | number, string>();
  const currencyDigits = (code: string) => nf(locale, { style: "currency", currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
  return {
    locale,
    timeZone,
    currency,
    weekStartsOn: info.weekStartsOn,
    hour12,
    dateTime: (value, opts) => dtf(locale, merged({ timeZone, ...SHORT_DATE, ...TIME }, opts)).format(new Date(value)),
    time: (value) => {
      // A week's thousand blocks start at a few dozen distinct instants: format each once.
      const key = typeof value === "string" ? value : value.getTime();
      let text = times.get(key);
      if (text === undefined) {
        text = timeFormat.format(new Date(value));
        if (times.size >= 5_000) times.clear();
        times.set(key, text);
      }
      return text;
    },
    date: (value, opts) => dtf(locale, merged({ timeZone, weekday: "long", day: "numeric", month: "long" }, opts)).format(new Date(value)),
    day: (date, opts) => dtf(locale, merged({ timeZone: "UTC", ...SHORT_DATE }, opts)).format(wallInstant(date)),
    dayRange: (from, to, opts = { day: "numeric", month: "short" }) =>
      // Node's ICU puts thin spaces around a range's dash and the browser's plain ones: the same
      // text on both sides, or hydration fails and the page is rendered again (losing what was typed).
      (from === to ? dtf(locale, { timeZone: "UTC", ...opts }).format(wallInstant(from)) : dtf(locale, { timeZone: "UTC", ...opts }).formatRange(wallInstant(from), wallInstant(to))).replace(/[\u2009\u202f]/g, " "),
    wallTime: (time) => dtf(locale, { timeZone: "UTC", ...TIME }).format(wallInstant("2000-01-03", time)),
    wallRange(start, end) {
      return `${this.wallTime(start)}–${this.wallTime(end)}`;
    },
    // 2000-01-02 was a Sunday.
    weekday: (day, width = "long") => dtf(locale, { timeZone: "UTC", weekday: width }).format(wallInstant(`2000-01-0${2 + day}`)),
    weekOrder: () => Array.from({ length: 7 }, (_, i) => (i + info.weekStartsOn) % 7),
    money: (amount, code = currency) => nf(locale, { style: "currency", currency: code }).format(Number(amount)),
    moneyMinor: (amountMinor, code = currency) => nf(locale, { style: "currency", currency: code }).format(amountMinor / 10 ** currencyDigits(code)),
    number: (value, opts = {}) => nf(locale, opts).format(value),
  };
}

/** How a school's address reads in its country: street; then city, region and postcode in the local order. */
export function formatAddress(
  place: { address?: string | null; city?: string | null; state?: string | null; postcode?: string | null },
  locale: string,
): string {
  const { address } = LOCALE_INFO[schoolLocale(locale)];
  const region = address.region ? place.state?.trim() : null;
  const city = place.city?.trim();
  const postcode = place.postcode?.trim();
  const locality = address.postcodeFirst
    ? [postcode, city].filter(Boolean).join(" ")
    : [city, [region, postcode].filter(Boolean).join(" ")].filter(Boolean).join(", ");
  return [place.address?.trim(), locality].filter(Boolean).join(", ");
}
