import { describe, expect, it } from "vitest";
import { formatAddress, LOCALE_INFO, makeFormatter, SCHOOL_LOCALES, schoolLocale } from "./locale";

// 1 Dec 2026 17:00 in London is 17:00 UTC; in New York it is 22:00 UTC.
const LONDON = makeFormatter({ locale: "en-GB", timeZone: "Europe/London", currency: "GBP" });
const NEW_YORK = makeFormatter({ locale: "en-US", timeZone: "America/New_York", currency: "USD" });
const SYDNEY = makeFormatter({ locale: "en-AU", timeZone: "Australia/Sydney", currency: "AUD" });
const PARIS = makeFormatter({ locale: "fr-FR", timeZone: "Europe/Paris", currency: "EUR" });
/** Intl writes a narrow no-break space before AM/PM and between some parts; compare with plain spaces. */
const plain = (s: string) => s.replace(/[\u202f\u00a0\u2009]/g, " ");

describe("makeFormatter", () => {
  it("writes a London instant on a 24-hour clock, day before month", () => {
    expect(plain(LONDON.dateTime("2026-12-01T17:00:00Z"))).toBe("Tue 1 Dec, 17:00");
    expect(LONDON.time("2026-12-01T17:00:00Z")).toBe("17:00");
    expect(LONDON.date("2026-12-01T17:00:00Z")).toBe("Tuesday 1 December");
    expect(LONDON.hour12).toBe(false);
  });

  it("writes a New York instant on a 12-hour clock, month before day, in its own zone", () => {
    expect(plain(NEW_YORK.dateTime("2026-12-01T22:00:00Z"))).toBe("Tue, Dec 1, 5:00 PM");
    expect(plain(NEW_YORK.time("2026-12-01T22:00:00Z"))).toBe("5:00 PM");
    expect(NEW_YORK.date("2026-12-01T22:00:00Z")).toBe("Tuesday, December 1");
    expect(NEW_YORK.hour12).toBe(true);
  });

  it("renders instants in the school's zone across a daylight-saving change", () => {
    // London: 17:00 local is 16:00 UTC in summer (BST) and 17:00 UTC in winter.
    expect(LONDON.time("2026-10-20T16:00:00Z")).toBe("17:00");
    expect(LONDON.time("2026-11-03T17:00:00Z")).toBe("17:00");
  });

  it("adds and removes parts on request", () => {
    expect(LONDON.dateTime("2026-12-01T17:00:00Z", { hour: undefined, minute: undefined, year: "numeric" })).toBe("Tue, 1 Dec 2026");
    expect(NEW_YORK.dateTime("2026-12-01T22:00:00Z", { hour: undefined, minute: undefined, year: "numeric" })).toBe("Tue, Dec 1, 2026");
  });

  it("writes local dates and wall-clock times as they are, with no time-zone shift", () => {
    expect(LONDON.day("2026-12-01")).toBe("Tue 1 Dec");
    expect(NEW_YORK.day("2026-12-01")).toBe("Tue, Dec 1");
    expect(SYDNEY.day("2026-12-01")).toBe("Tue, 1 Dec");
    expect(LONDON.wallTime("17:00")).toBe("17:00");
    expect(plain(NEW_YORK.wallTime("17:00"))).toBe("5:00 PM");
    expect(plain(NEW_YORK.wallTime("00:30"))).toBe("12:30 AM");
    expect(plain(SYDNEY.wallTime("17:00"))).toBe("5:00 pm");
    expect(PARIS.wallTime("09:05")).toBe("09:05");
    expect(plain(NEW_YORK.wallRange("17:00", "18:30"))).toBe("5:00 PM–6:30 PM");
  });

  it("writes a range of local dates the locale's way", () => {
    expect(plain(NEW_YORK.dayRange("2026-09-08", "2026-09-14"))).toBe("Sep 8 – 14");
    expect(plain(LONDON.dayRange("2026-09-08", "2026-09-14"))).toBe("8 – 14 Sept");
    expect(plain(LONDON.dayRange("2026-09-29", "2026-10-05"))).toBe("29 Sept – 5 Oct");
    expect(LONDON.dayRange("2026-12-05", "2026-12-05")).toBe("5 Dec");
  });

  it("names weekdays and orders the week by the locale's first day", () => {
    expect(LONDON.weekday(0)).toBe("Sunday");
    expect(LONDON.weekday(2, "short")).toBe("Tue");
    expect(PARIS.weekday(1)).toBe("lundi");
    expect(NEW_YORK.weekOrder()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(LONDON.weekOrder()).toEqual([1, 2, 3, 4, 5, 6, 0]);
  });

  it("writes amounts with the currency's symbol, decimals and the locale's marks", () => {
    expect(LONDON.money("680.00")).toBe("£680.00");
    expect(NEW_YORK.money("1234.5")).toBe("$1,234.50");
    expect(plain(PARIS.money("1234.5"))).toBe("1 234,50 €");
    expect(NEW_YORK.moneyMinor(123456)).toBe("$1,234.56");
    expect(LONDON.moneyMinor(5000, "JPY")).toBe("JP¥5,000");
    expect(NEW_YORK.number(1500)).toBe("1,500");
  });

  it("falls back to the default locale for one it does not know", () => {
    expect(schoolLocale("xx-YY")).toBe("en-US");
    expect(makeFormatter({ locale: "nonsense", timeZone: "UTC", currency: "USD" }).locale).toBe("en-US");
  });

  it("knows the first day of the week and the address fields of every locale it offers", () => {
    for (const locale of SCHOOL_LOCALES) {
      expect(LOCALE_INFO[locale].address.postcode.length).toBeGreaterThan(0);
      expect([0, 1]).toContain(LOCALE_INFO[locale].weekStartsOn);
    }
  });
});

describe("formatAddress", () => {
  it("puts the postcode where each country writes it", () => {
    const place = { address: "120 West 72nd Street", city: "New York", state: "NY", postcode: "10023" };
    expect(formatAddress(place, "en-US")).toBe("120 West 72nd Street, New York, NY 10023");
    expect(formatAddress({ address: "3 Embankment Row", city: "London", state: "", postcode: "SE1 7PB" }, "en-GB")).toBe("3 Embankment Row, London, SE1 7PB");
    expect(formatAddress({ address: "12 rue de la Paix", city: "Paris", state: "Île-de-France", postcode: "75002" }, "fr-FR")).toBe("12 rue de la Paix, 75002 Paris");
  });

  it("leaves out the parts a place does not have", () => {
    expect(formatAddress({ address: null, city: "Leeds", state: null, postcode: null }, "en-GB")).toBe("Leeds");
    expect(formatAddress({}, "en-US")).toBe("");
  });
});

describe("date ranges", () => {
  it("use plain spaces around the dash, as browsers do (Node's ICU writes thin ones: hydration would fail)", () => {
    for (const locale of SCHOOL_LOCALES) {
      const text = makeFormatter({ locale, timeZone: "UTC", currency: "USD" }).dayRange("2026-09-08", "2026-12-18", { day: "numeric", month: "short", year: "numeric" });
      expect(text, locale).not.toMatch(/[\u2009\u202f]/);
      expect(text, locale).toMatch(/2026/);
    }
  });
});
