import { describe, expect, it } from "vitest";
import { brandFor, contrastRatio, DEFAULT_BRAND } from "./branding";

describe("brandFor", () => {
  it("computes WCAG contrast", () => {
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 0);
    expect(contrastRatio("#ffffff", "#ffffff")).toBeCloseTo(1, 5);
  });
  it("chooses readable text on the brand color", () => {
    expect(brandFor("#1e3a8a").onColor).toBe("#ffffff");
    expect(brandFor("#fde047").onColor).toBe("#111111");
  });
  it("darkens the brand color for text on white until it reads", () => {
    const b = brandFor("#fde047");
    expect(contrastRatio(b.ink, "#ffffff")).toBeGreaterThanOrEqual(4.5);
  });
  it("falls back to the default for missing or malformed colors", () => {
    expect(brandFor(null).color).toBe(DEFAULT_BRAND);
    expect(brandFor("red; background:url(x)").color).toBe(DEFAULT_BRAND);
  });
  it("flags colors no text reads well on", () => {
    expect(brandFor("#7a7a7a").lowContrast).toBe(true);
    expect(brandFor("#1e3a8a").lowContrast).toBe(false);
  });
});
