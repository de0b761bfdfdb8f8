// A school's colors as CSS variables, with text colors chosen for contrast (WCAG 2.1).
export const DEFAULT_BRAND = "#4338ca";
const HEX = /^#([0-9a-f]{6})$/i;

export function isHexColor(value: string): boolean {
  return HEX.test(value);
}

function channels(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function relativeLuminance(hex: string): number {
  const [r, g, b] = channels(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

function mix(hex: string, other: string, amount: number): string {
  const a = channels(hex);
  const b = channels(other);
  const out = a.map((c, i) => Math.round(c + (b[i]! - c) * amount));
  return `#${out.map((c) => c.toString(16).padStart(2, "0")).join("")}`;
}

export interface Brand {
  color: string;
  /** Text on the brand color: white or near-black, whichever reads better. */
  onColor: string;
  /** Readable on white: the brand color, darkened until it reaches 4.5:1. */
  ink: string;
  /** A pale tint for backgrounds. */
  soft: string;
  /** Whether white text on the brand color is hard to read (< 4.5:1). */
  lowContrast: boolean;
}

export function brandFor(color: string | null | undefined): Brand {
  const c = color && isHexColor(color) ? color.toLowerCase() : DEFAULT_BRAND;
  const onColor = contrastRatio(c, "#ffffff") >= contrastRatio(c, "#111111") ? "#ffffff" : "#111111";
  let ink = c;
  for (let i = 1; i <= 10 && contrastRatio(ink, "#ffffff") < 4.5; i++) ink = mix(c, "#000000", i * 0.08);
  return {
    color: c,
    onColor,
    ink,
    soft: mix(c, "#ffffff", 0.9),
    lowContrast: Math.max(contrastRatio(c, "#ffffff"), contrastRatio(c, "#111111")) < 4.5,
  };
}

export function brandCss(brand: Brand): string {
  return `:root{--brand:${brand.color};--brand-on:${brand.onColor};--brand-ink:${brand.ink};--brand-soft:${brand.soft}}`;
}
