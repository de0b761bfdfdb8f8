// Timing helpers for the benchmarks: run the app's code and its floor N times each
// (after a warm-up), collect wall-clock milliseconds, report percentiles.

export interface Sample {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function summarize(times: readonly number[]): Sample {
  const sorted = [...times].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1) ?? NaN };
}

/**
 * Times `app(i)` and `floor(i)` alternately in one loop, so both see the same
 * machine (a busy neighbour slows both, not just one of them).
 */
export async function measurePair(
  n: number,
  app: (i: number) => Promise<unknown>,
  floor: (i: number) => Promise<unknown>,
  opts: { warmup?: number } = {},
): Promise<{ app: Sample; floor: Sample }> {
  const warmup = opts.warmup ?? Math.min(10, Math.ceil(n / 10));
  for (let i = 0; i < warmup; i++) {
    await app(n + i);
    await floor(n + i);
  }
  const a: number[] = [];
  const f: number[] = [];
  for (let i = 0; i < n; i++) {
    let started = performance.now();
    await app(i);
    a.push(performance.now() - started);
    started = performance.now();
    await floor(i);
    f.push(performance.now() - started);
  }
  return { app: summarize(a), floor: summarize(f) };
}

export const ms = (v: number) => (Number.isFinite(v) ? `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms` : "—");

/** A small deterministic PRNG (mulberry32), so every run builds the same school. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

export function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}
