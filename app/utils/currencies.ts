/** Currencies a school can bill in (ISO 4217). Shared by the onboarding form and its validation. */
export const CURRENCIES = ["USD", "CAD", "GBP", "EUR", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK", "JPY", "SGD", "ZAR"] as const;
