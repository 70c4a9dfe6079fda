import { describe, expect, it } from 'vitest';
import { judge, table } from '../../bench/report';
import { pool, summarize } from '../../bench/stats';

describe('bench statistics', () => {
  it('takes nearest-rank percentiles', () => {
    const s = summarize(Array.from({ length: 100 }, (_, i) => 100 - i)); // 100..1, unsorted
    expect(s).toMatchObject({ n: 100, p50: 50, p95: 95, p99: 99, max: 100 });
    expect(summarize([7])).toMatchObject({ p50: 7, p99: 7 });
  });

  it('runs a pool with at most the given concurrency, every task once', async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    await pool(20, 3, async (i) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 1));
      seen.push(i);
      running -= 1;
    });
    expect(peak).toBe(3);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});

describe('bench targets', () => {
  const base = { section: 's', measure: 'm', unit: 'ms' };
  it('holds a throughput to a floor and a latency to a ceiling, as ratios of the baseline', () => {
    expect(judge({ ...base, value: 70, better: 'higher', baseline: { label: 'b', value: 100 }, target: 0.7 })).toMatchObject({ ratio: 0.7, met: true });
    expect(judge({ ...base, value: 69, better: 'higher', baseline: { label: 'b', value: 100 }, target: 0.7 }).met).toBe(false);
    expect(judge({ ...base, value: 12, better: 'lower', baseline: { label: 'b', value: 10 }, target: 1.2 }).met).toBe(true);
    expect(judge({ ...base, value: 13, better: 'lower', baseline: { label: 'b', value: 10 }, target: 1.2 }).met).toBe(false);
  });

  it('checks an absolute limit, and reports no verdict without a target', () => {
    expect(judge({ ...base, value: 0, better: 'lower', limit: 0 }).met).toBe(true);
    expect(judge({ ...base, value: 1, better: 'lower', limit: 0 }).met).toBe(false);
    expect(judge({ ...base, value: 5, better: 'lower', baseline: { label: 'b', value: 4 } })).not.toHaveProperty('met');
  });

  it('prints a Markdown table with a row per figure', () => {
    const out = table([judge({ ...base, value: 13, better: 'lower', baseline: { label: 'no-op', value: 10 }, target: 1.2 })]);
    expect(out.split('\n')).toHaveLength(3);
    expect(out).toContain('| s | m | 13.0 ms | 10.0 ms (no-op) | 1.30× | ≤ 1.2× | NO |');
  });
});
