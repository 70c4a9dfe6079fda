/** Pure statistics for the bench: latency summaries and throughput. */

export interface Latency {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function summarize(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    mean: sorted.reduce((s, x) => s + x, 0) / (sorted.length || 1),
  };
}

/** Milliseconds an async call takes. */
export async function timed<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const result = await f();
  return [performance.now() - t0, result];
}

/** Runs `task(i)` for i in [0, n) with at most `concurrency` at a time; returns the elapsed ms. */
export async function pool(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, n) }, async () => {
    while (next < n) await task(next++);
  });
  await Promise.all(lanes);
  return performance.now() - t0;
}
